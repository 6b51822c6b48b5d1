"""Helpers for tests that run real Celery workers."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from i2i.celery import app
from tests.clock import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
# A worker starts in about 3 s on a quiet machine; a busy CI machine has taken over a minute.
WORKER_READY_SECONDS = 180


def _use_routes(routes) -> None:
    """Celery builds its router once; rebuild it so that new routes take effect."""
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@contextmanager
def jobs_on_queue(queue: str):
    """Send background jobs to a queue of this test's own, to real workers (not in-process)."""
    eager, routes = app.conf.task_always_eager, app.conf.task_routes
    app.conf.task_always_eager = False
    _use_routes(
        {name: {"queue": queue} for name in ("i2i.tasks.run_job", "i2i.tasks.render_job_part")}
    )
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
        _use_routes(routes)


# The PDF worker as production runs it (README, Makefile): a prefork pool of one process,
# replaced once it has grown past the memory limit.
PREFORK = ("--pool=prefork", "--concurrency", "1", "--max-memory-per-child", "600000")


def start_worker(
    queue: str,
    env: dict,
    log: Path,
    pool: tuple[str, ...] = ("--pool=solo",),
) -> subprocess.Popen:
    """A worker process on `queue`, returned once it has said it is ready.

    Waiting for "ready." separates a slow start (a loaded machine) from a test's own timeouts,
    and a worker that dies or never starts fails here with its own output. It runs the
    product's own settings, as in production: not the suite's (tests/settings.py). `pool`
    is `--pool=solo` (one process, quick to start) or PREFORK (production's PDF worker).
    """
    # The worker's own messages (a document's parts) go to its queue too.
    env = {**env, "DJANGO_SETTINGS_MODULE": "i2i.settings", "PDF_QUEUE": queue}
    with log.open("a") as out:
        start = out.tell()
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "i2i", "worker", *pool,
             "--queues", queue, "--without-heartbeat", "--without-gossip", "--without-mingle",
             "--loglevel=INFO"],
            cwd=ROOT, env=subprocess_env({**env, "PYTHONUNBUFFERED": "1"}), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + WORKER_READY_SECONDS
    while time.monotonic() < deadline:
        if " ready." in log.read_text()[start:]:
            return process
        if process.poll() is not None:
            break
        time.sleep(0.2)
    stop_worker(process)
    raise AssertionError(
        f"the worker on {queue} did not become ready (exit code {process.returncode}):\n"
        + log.read_text()[start:][-3000:]
    )


def stop_worker(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def pool_children(process: subprocess.Popen) -> list[int]:
    """The worker's pool processes: the children of its main process."""
    found = []
    for children in Path(f"/proc/{process.pid}/task").glob("*/children"):
        found += [int(pid) for pid in children.read_text().split()]
    return found


def wait_for_job(job, seconds: float = 90) -> None:
    """Read the job again until its worker has finished it, or `seconds` have gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return
        time.sleep(0.2)


def worker_env(settings) -> dict:
    """The environment a worker needs to share this test's database, broker and files."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
