"""The workshop pack laid out in parts (issue #17): time and memory against plain WeasyPrint
on the same HTML, and one Celery worker against two.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth; Redis
at 127.0.0.1:6379 for the workers):

    .venv/bin/python benchmarks/pdf_parts.py [--sizes 100,300] [--workers-size 200]

The script drops and recreates the database `i2i_bench_parts`, migrates it, and builds one
cohort per size in which every participant consents to a section, with the data of
`benchmarks/workshop_pack.py` (3 placements, 12 half-days, a reflective account per
placement with ~60 words to share, an initiative with a 20-point run chart, ~30 words of
ideas). Then, for each size, each in a fresh process so that its peak memory is its own:

- **parts**: `workshop_pack_pdf`, as one worker makes the pack: each part (the overview, 8
  sections at a time, the appendices) read and laid out in turn, then put together (pypdf):
  the contents page, "page N of M", one outline and one tag structure.
- **plain**: the same HTML (the front matter and every part's body, in one document) laid
  out by one WeasyPrint call, as the pack was made before.

Each prints its wall time and peak resident memory (VmHWM). Then, with real Celery workers
on Redis (the production PDF worker: prefork, concurrency 1, niceness 10), the pack of
`--workers-size` sections is made through `job_start` with one worker and then with two,
timed from the click to the file (the job's created_at to finished_at).

Goals: under 350 MB at 300 sections (parts); parts within 1.2x of plain per 100 sections;
two workers in at most 0.65x of one worker's time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pagetiming import cpu_model, fresh_database
from workshop_pack import build_cohort, build_directory, peak_mb, setup_django

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "i2i_bench_parts"
REDIS_URL = "redis://127.0.0.1:6379/13"
GOAL_MB = 350.0
GOAL_RATIO = 1.2
GOAL_WORKERS = 0.65
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


def parts(cohort_id: int) -> dict:
    setup_django(DATABASE, migrate=False)
    from pypdf import PdfReader

    from programme.workshop_pack import workshop_pack_pdf

    began = time.perf_counter()
    _, content = workshop_pack_pdf({"cohort_id": cohort_id})
    wall = time.perf_counter() - began
    pages = len(PdfReader(io.BytesIO(content)).pages)
    return {"wall": wall, "mb": peak_mb(), "pages": pages}


def plain(cohort_id: int) -> dict:
    """The same HTML as the parts, in one document: the front matter, then every part's
    body, laid out by one WeasyPrint call with "page N of M" from its own counters."""
    setup_django(DATABASE, migrate=False)
    from pypdf import PdfReader

    from i2i.pdf import html_to_pdf
    from programme.workshop_pack import WorkshopPack

    began = time.perf_counter()
    pack, params = WorkshopPack(), {"cohort_id": cohort_id}
    front = pack.front(params)({})
    bodies = [BODY.search(pack.part_html(params, part)).group(1) for part in pack.parts(params)]
    html = front.replace("</body>", "".join(bodies) + "</body>")
    content = html_to_pdf(html)
    wall = time.perf_counter() - began
    return {"wall": wall, "mb": peak_mb(), "pages": len(PdfReader(io.BytesIO(content)).pages)}


def child(mode: str, cohort_id: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, f"--{mode}", str(cohort_id)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_worker(queue: str, log: Path, media: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i2i.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "PDF_QUEUE": queue,
        "MEDIA_ROOT": media,
    }
    out = log.open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "i2i", "worker", "--pool=prefork",
         "--concurrency", "1", "--max-memory-per-child", "600000", "--queues", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip
    time.sleep(6)  # the worker starts in about 3 s
    return process


def with_workers(cohort_id: int, count: int) -> dict:
    """Make the pack through a job, as the programme manager's click does, with `count`
    workers on the queue; seconds from the click to the file."""
    from i2i.jobs import job_start
    from i2i.models import Job
    from participants.models import User

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    media = tempfile.mkdtemp(prefix="i2i-bench-")
    log = Path(media) / "workers.log"
    workers = [start_worker(queue, log, media) for _ in range(count)]
    try:
        from django.conf import settings

        from i2i.celery import app

        app.conf.task_routes = {name: {"queue": queue} for name in settings.CELERY_TASK_ROUTES}
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        owner = User.objects.filter(email__endswith="@bench.example").first()
        job = job_start(
            kind="workshop_pack", params={"cohort_id": cohort_id}, owner=owner, title="bench"
        )
        while True:
            time.sleep(0.2)
            job.refresh_from_db()
            if job.finished:
                break
        assert job.status == Job.Status.DONE, (job.message, log.read_text()[-2000:])
        return {"workers": count, "wall": (job.finished_at - job.created_at).total_seconds()}
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300", help="consenting participants")
    parser.add_argument("--workers-size", type=int, default=200)
    parser.add_argument("--parts", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--plain", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parts:
        print(json.dumps(parts(args.parts)))
        return 0
    if args.plain:
        print(json.dumps(plain(args.plain)))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    fresh_database(DATABASE)
    os.environ["REDIS_URL"] = REDIS_URL  # job_start queues to Redis, not eagerly
    setup_django(DATABASE, migrate=True)
    import django
    import weasyprint

    build_directory()
    print(
        f"Django {django.get_version()}, WeasyPrint {weasyprint.__version__}; "
        f"{os.cpu_count()} cores ({cpu_model()}); load average {os.getloadavg()[0]:.2f}"
    )
    cohorts = {n: build_cohort(n).pk for n in sorted({*sizes, args.workers_size} - {0})}
    ok = True
    print(f"{'sections':>8} {'mode':>6} {'wall':>7} {'MB peak':>8} {'pages':>6}")
    for n in sizes:
        laid = child("parts", cohorts[n])
        whole = child("plain", cohorts[n])
        for mode, r in (("parts", laid), ("plain", whole)):
            print(f"{n:>8} {mode:>6} {r['wall']:>6.1f}s {r['mb']:>8.0f} {r['pages']:>6}")
        ratio = laid["wall"] / whole["wall"]
        print(
            f"{'':>8} parts/plain {ratio:.2f} (goal <= {GOAL_RATIO}); per 100 sections:"
            f" parts {laid['wall'] * 100 / n:.1f} s, plain {whole['wall'] * 100 / n:.1f} s"
        )
        ok &= ratio <= GOAL_RATIO
        if n >= 300:
            ok &= laid["mb"] < GOAL_MB
            print(f"{'':>8} parts peak {laid['mb']:.0f} MB (goal < {GOAL_MB:.0f} MB)")
    if not args.workers_size:  # --workers-size 0: no workers
        return 0 if ok else 1
    one = with_workers(cohorts[args.workers_size], 1)
    two = with_workers(cohorts[args.workers_size], 2)
    share = two["wall"] / one["wall"]
    print(
        f"{args.workers_size} sections through a job: one worker {one['wall']:.1f} s, two"
        f" workers {two['wall']:.1f} s: {share:.2f}x (goal <= {GOAL_WORKERS})"
    )
    ok &= share <= GOAL_WORKERS
    print(f"load average at the end {os.getloadavg()[0]:.2f}; goals {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
