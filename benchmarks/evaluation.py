"""Time the cohort evaluation report pages for 1,000 and 5,000 participants.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python benchmarks/evaluation.py [--sizes 1000,5000] [--cohort-size 250]

For each size N the script drops and recreates the database `i2i_bench_eval` (and no
other), migrates it and adds a fictional region of N participants with the project's own
generator (`devdata.generate.generate`, as `manage.py generate --participants N` does): cohorts
of up to `--cohort-size` (the generator's default, 250; it always makes at least two
cohorts, the newest running, the others finished), placements, half-days, reflective
accounts, improvement initiatives with run-chart data and the self-assessment answers at
the start and, in the finished cohorts, at the end. Everything is fictional.

It signs in the generated programme manager with the test client (the development
settings: DEBUG on, so no second factor is asked for) and, for the largest cohort (most
participants; of those, the one with most answers at the end, so that every part of the
report has figures), requests `/cohorts/<pk>/evaluation/` once to warm up, then times 5
requests (best and median wall time, this process's CPU time, time in SQL) and counts the
SQL queries of each; then the same for `/evaluation/` (every cohort side by side). The
query count must be the same at every size; the session middleware's write, at most once a
minute and depending only on the clock, is shown but left out of that check.

It then splits the single-cohort page's work (best of 3, calling the view's code directly)
by wrapping functions in `programme.evaluation_report` with a timer for the duration: reading the
participants with their progress as tuples (`read_participants_progress`), the rules
(`progress_reports`), the self-assessment answers (`_answers`), the network
(`network.cohort_networks`), the
initiatives (`_initiatives`, with their run-chart signals), the rest of
`evaluate_cohorts`, drawing the network (`Network.svg`, called from the template) and the
rest of rendering the template.

`--cohort-size` is passed to the generator: `--cohort-size 5000` puts 5,000 participants in
one cohort (at N=5,000 the generator still makes two cohorts, so 2,500 each).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pagetiming import RUNS, Measured, cpu_model, fresh_database, measure, queries_label

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DATABASE = "i2i_bench_eval"
SEED = 2026


def setup_django(name: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "i2i.settings"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Run as `python benchmarks/evaluation.py`, this file's folder comes first on the path,
    # and this file would stand in for the `evaluation` app: take the folder off.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def largest_cohort():
    """The cohort with most participants; of those, the one with most answers at the end,
    then the newest. Returns it with its participants and answers at the start and end."""
    from django.db.models import Count, Q

    from participants.models import Cohort

    cohort = (
        Cohort.objects.annotate(
            people=Count("participants", distinct=True),
            before=Count(
                "participants__self_assessments",
                filter=Q(participants__self_assessments__moment="before"),
                distinct=True,
            ),
            after=Count(
                "participants__self_assessments",
                filter=Q(participants__self_assessments__moment="after"),
                distinct=True,
            ),
        )
        .order_by("-people", "-after", "-programme_start", "-pk")
        .first()
    )
    return cohort


PARTS = (
    "participants",
    "rules",
    "answers",
    "network",
    "initiatives",
    "rest",
    "drawing",
    "template",
)


def split(pm, cohort, runs: int = 3) -> dict[str, float]:
    """Where the single-cohort page's time goes, best of `runs` (see the module docstring).
    The functions are wrapped with a timer in their modules' namespaces for the duration;
    nothing else changes."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    from evaluation import network as network_reads
    from programme import evaluation_report as report

    spent: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        return wrapper

    wrapped = [
        (report, "read_participants_progress", "participants"),
        (report, "progress_reports", "rules"),
        (report, "_answers", "answers"),
        (network_reads, "cohort_networks", "network"),
        (report, "_initiatives", "initiatives"),
        (network_reads.Network, "svg", "drawing"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in wrapped]
    for owner, name, part in wrapped:
        setattr(owner, name, timed(part, getattr(owner, name)))
    request = RequestFactory().get(f"/cohorts/{cohort.pk}/evaluation/", HTTP_HOST="127.0.0.1")
    request.user = pm
    request.session = {}
    best: dict[str, float] = {}
    try:
        for _ in range(runs):
            spent.clear()
            began = time.perf_counter()
            evaluation = report.cohort_evaluation(cohort, timezone.localdate())
            middle = time.perf_counter()
            read = dict(spent)
            render_to_string(
                "evaluation/cohort.html",
                {"evaluation": evaluation, "reports": []},
                request=request,
            )
            ended = time.perf_counter()
            drawing = spent.get("drawing", 0.0) - read.get("drawing", 0.0)
            run = {part: read.get(part, 0.0) for part in PARTS[:5]}
            run["rest"] = middle - began - sum(run.values())
            run["drawing"] = drawing
            run["template"] = ended - middle - drawing
            if not best or sum(run.values()) < sum(best.values()):
                best = run
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    return best


@dataclass
class Result:
    n: int
    cohorts: int
    cohort_people: int
    cohort_before: int
    cohort_after: int
    one: Measured
    every: Measured
    parts: dict[str, float]


def table(title: list[str], rows: list[tuple[str, Measured]], first: str) -> None:
    for line in title:
        print(line)
    print(
        f"{first:>22} {'best':>8} {'median':>8} {'CPU':>8} {'SQL':>8} {'queries':>10} {'HTML':>9}"
    )
    for label, m in rows:
        print(
            f"{label:>22} {min(m.wall):>7.3f}s {statistics.median(m.wall):>7.3f}s"
            f" {statistics.median(m.cpu):>7.3f}s {statistics.median(m.sql):>7.3f}s"
            f" {queries_label(m):>10} {m.html_bytes / 1e6:>7.2f}MB"
        )


def constant(what: str, measured: list[tuple[int, Measured]], sizes: list[int]) -> bool:
    counts = {q for _, m in measured for q in m.page_queries}
    if len(counts) == 1:
        print(f"Constant queries ({what}): yes, {counts.pop()} per request at every size.")
        return True
    print(f"QUERY COUNT IS NOT CONSTANT ({what}): {sorted(counts)} across sizes {sizes}.")
    usual = min(counts, key=lambda c: -sum(m.page_queries.count(c) for _, m in measured))
    for n, m in measured:
        for run, texts in enumerate(m.sql_texts, start=1):
            if m.page_queries[run - 1] != usual:
                print(f"  {n:,} participants, request {run}: {len(texts)} queries")
                for sql in texts:
                    print(f"    {sql[:160]}")
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="participants in the region")
    parser.add_argument(
        "--cohort-size",
        type=int,
        help="at most this many participants per cohort (default: the generator's, 250)",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    fresh_database(DATABASE)
    setup_django(DATABASE)
    import django
    from django.conf import settings
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    from devdata.generate import COHORT_SIZE, generate
    from participants.models import Cohort, User

    cohort_size = args.cohort_size or COHORT_SIZE
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server};"
        f" {os.cpu_count()} cores ({cpu_model()}); DEBUG={settings.DEBUG};"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    print(f"Database {DATABASE}, recreated for each size; cohorts of up to {cohort_size:,}.")
    results: list[Result] = []
    for index, n in enumerate(sizes):
        if index:
            connections.close_all()
            fresh_database(DATABASE)
        migrate()
        summary = generate(participants=n, seed=SEED, cohort_size=cohort_size)
        counts = summary.counts
        print(
            f"  {n:,} participants generated in {summary.seconds:.1f} s: "
            f"{counts['cohorts']:,} cohorts, {counts['placements']:,} placements, "
            f"{counts['half days']:,} half-days, "
            f"{counts['reflective accounts']:,} reflective accounts, "
            f"{counts['improvement initiatives']:,} initiatives, "
            f"{counts['self assessments']:,} self-assessments "
            f"({counts['self assessment answers']:,} answers)",
            flush=True,
        )
        pm = User.objects.get(email=summary.programme_manager)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(pm)
        cohort = largest_cohort()
        print(
            f"    largest cohort: {cohort.name}, {cohort.people:,} participants,"
            f" {cohort.before:,} answered at the start, {cohort.after:,} at the end",
            flush=True,
        )
        one = measure(client, reverse("cohort_evaluation", args=[cohort.pk]))
        every = measure(client, reverse("across_cohorts"))
        parts = split(pm, Cohort.objects.get(pk=cohort.pk))
        results.append(
            Result(
                n=n,
                cohorts=Cohort.objects.count(),
                cohort_people=cohort.people,
                cohort_before=cohort.before,
                cohort_after=cohort.after,
                one=one,
                every=every,
                parts=parts,
            )
        )
    connections.close_all()

    print()
    table(
        [
            f"GET /cohorts/<pk>/evaluation/ (the largest cohort) as the programme manager: {RUNS}",
            "requests after one to warm up; wall time best and median, this process's CPU time",
            "and time in SQL (median), queries per request (without the session write that",
            "happens at most once a minute; with it in brackets when a request made it), size.",
        ],
        [(f"{r.n:,} ({r.cohort_people:,} in it)", r.one) for r in results],
        "participants (cohort)",
    )
    print()
    table(
        ["GET /evaluation/ (every cohort side by side), as above:"],
        [(f"{r.n:,} ({r.cohorts} cohorts)", r.every) for r in results],
        "participants (cohorts)",
    )
    print()
    print("Where the single-cohort page's time goes (best of 3, view code called directly, no")
    print("middleware): participants with progress, rules, answers, network (reads), initiatives")
    print("(reads and run-chart signals), the rest of evaluate_cohorts, drawing the network SVG,")
    print("the rest of the template.")
    print(f"{'N':>12} " + " ".join(f"{part:>12}" for part in PARTS))
    for r in results:
        print(f"{r.n:>12,} " + " ".join(f"{r.parts[part]:>11.3f}s" for part in PARTS))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    ok = constant("/cohorts/<pk>/evaluation/", [(r.n, r.one) for r in results], sizes)
    ok = constant("/evaluation/", [(r.n, r.every) for r in results], sizes) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
