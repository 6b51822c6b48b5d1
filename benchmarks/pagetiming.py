"""What the page benchmarks share: a fresh PostgreSQL database, timing a page with the test
client (wall, CPU, SQL, queries), and naming the machine. Imported by the scripts beside it
(`python benchmarks/<script>.py` puts this folder on the path)."""

from __future__ import annotations

import platform
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
RUNS = 5  # timed requests per page, after one to warm up


def fresh_database(name: str) -> None:
    """Drop and recreate the database, so every run starts from the same empty state."""
    assert name.startswith("i2i_bench"), f"refusing to drop {name!r}"
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", *PG, name], check=True)


@dataclass
class Measured:
    wall: list[float] = field(default_factory=list)  # seconds per request
    cpu: list[float] = field(default_factory=list)  # this process's CPU seconds per request
    sql: list[float] = field(default_factory=list)  # seconds in cursor.execute per request
    queries: list[int] = field(default_factory=list)  # all queries
    page_queries: list[int] = field(default_factory=list)  # without the session's upkeep
    sql_texts: list[list[str]] = field(default_factory=list)  # to explain a count that differs
    html_bytes: int = 0
    body: bytes = b""


def session_upkeep(sql: str) -> bool:
    """The session middleware's write (`i2i.security.SessionTimeoutMiddleware` records the
    last request at most once a minute): an UPDATE of django_session in a transaction. It
    depends on the clock, not on the data, so it is left out of the constant-query check."""
    return sql.split(" ", 1)[0] in {"BEGIN", "COMMIT"} or '"django_session" SET' in sql


def measure(client, url: str, runs: int = RUNS) -> Measured:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm up: templates, URL resolver, database caches
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    result = Measured()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            began = time.perf_counter()
            response = client.get(url)
            result.wall.append(time.perf_counter() - began)
            result.cpu.append(time.process_time() - cpu)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        result.queries.append(len(captured.captured_queries))
        result.page_queries.append(
            sum(1 for q in captured.captured_queries if not session_upkeep(q["sql"]))
        )
        result.sql_texts.append([q["sql"] for q in captured.captured_queries])
        result.sql.append(sum(float(q["time"]) for q in captured.captured_queries))
    result.html_bytes = len(response.content)
    result.body = response.content
    return result


def queries_label(m: Measured) -> str:
    label = "/".join(str(q) for q in sorted(set(m.page_queries)))
    extra = sorted(set(m.queries) - set(m.page_queries))
    return label + (f" ({'/'.join(str(q) for q in extra)})" if extra else "")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
