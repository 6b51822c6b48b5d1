"""Time the programme manager's cohort dashboard for 100, 1,000 and 5,000 participants.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python benchmarks/dashboard.py [--sizes 100,1000,5000]

The script drops and recreates the database `i2i_bench`, migrates it, and then, for each
size N, adds a cohort of N participants to it. Cohorts are kept side by side (the database
grows by each size in turn, as a real one holds several cohorts); the dashboard only reads
its own cohort. Each participant has 3 placements with 3 different hosts, each with 2
learning outcomes approved before the placement's 4 completed half-days (12 per
participant), reflective accounts on most placements (some shared, some draft) and, for
half of them, an improvement initiative (half of those agreed). The cohort started 10
weeks ago. Everything is fictional: "Participant 0001", emails at bench.example.

For each cohort the script signs in a programme manager with the test client (the
development settings: DEBUG on, so no second factor is asked for), requests
`/cohorts/<pk>/dashboard/` (the first page of the table and of the at-risk list) once to
warm up, then times 5 requests (best and median wall time, this process's CPU time, time
in SQL) and counts the SQL queries of each; then the same for the CSV download
(`/cohorts/<pk>/dashboard.csv`, every row). The query count must be the same at every
size; the session middleware's write, at most once a minute and depending only on the
clock, is shown but left out of that check. It then splits the page's work (best of 3,
calling the view's code directly) into reading the participants (the queries, the tuples
and the rows, sorting them), the rules, the charts and rendering the template.

`--gc-threshold N` is an experiment: it measures with CPython's cyclic garbage collector
run less often (`gc.set_threshold(N)`; the default is 700).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from pagetiming import RUNS, cpu_model, fresh_database, measure, queries_label

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "i2i_bench"
BATCH = 2000
EMPLOYERS = 20
HOSTS = 60
PARTICIPANTS_PER_LINE_MANAGER = 8
PEOPLE_MET = ("Ward manager", "Duty social worker", "Team leader", "Receptionist", "Director")


def setup_django(name: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "i2i.settings"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def build_directory():
    """The organisations (20 employers, 60 hosts across sectors), their sponsors and the
    programme manager: shared by every cohort."""
    from participants.models import Organisation, Sector, User

    pm = User.objects.create(
        email="programme.manager@bench.example",
        full_name="Programme Manager",
        is_programme_manager=True,
        password="!",
    )
    sponsors = User.objects.bulk_create(
        User(email=f"sponsor{i:02d}@bench.example", full_name=f"Sponsor {i:02d}", password="!")
        for i in range(1, EMPLOYERS + 1)
    )
    employer_sectors = (Sector.ACUTE, Sector.COMMUNITY, Sector.MENTAL_HEALTH, Sector.SOCIAL_CARE)
    employers = Organisation.objects.bulk_create(
        Organisation(
            name=f"Employer {i:02d} Trust",
            sector=employer_sectors[i % len(employer_sectors)],
            is_partner=True,
            town="Eastmere",
            sponsor=sponsors[i],
        )
        for i in range(EMPLOYERS)
    )
    sectors = [value for value, _ in Sector.choices]
    hosts = Organisation.objects.bulk_create(
        Organisation(name=f"Host {i:02d}", sector=sectors[i % len(sectors)], town="Westmere")
        for i in range(HOSTS)
    )
    return pm, employers, hosts


def build_cohort(n: int, employers, hosts) -> tuple:
    """A cohort of n participants; returns it with the number of rows of each kind."""
    from django.utils import timezone

    from improvements.models import ImprovementInitiative
    from participants.models import Cohort, Participant, User
    from placements.models import TYPICAL_TIMES, HalfDay, LearningOutcome, Level, Placement
    from reflections.models import ReflectiveAccount

    today = timezone.localdate()
    start = today - dt.timedelta(weeks=10)
    cohort = Cohort.objects.create(
        name=f"Benchmark cohort of {n}",
        programme_start=start,
        briefing_date=start - dt.timedelta(days=14),
        workshop_date=start + dt.timedelta(weeks=28),
        status="running",
    )
    managers = User.objects.bulk_create(
        (
            User(
                email=f"manager{i:04d}.c{n}@bench.example",
                full_name=f"Line Manager {i:04d}",
                password="!",
            )
            for i in range(1, n // PARTICIPANTS_PER_LINE_MANAGER + 2)
        ),
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        (
            User(
                email=f"participant{i:04d}.c{n}@bench.example",
                full_name=f"Participant {i:04d}",
                password="!",
            )
            for i in range(1, n + 1)
        ),
        batch_size=BATCH,
    )
    participants = Participant.objects.bulk_create(
        (
            Participant(
                user=user,
                cohort=cohort,
                organisation=employers[i % EMPLOYERS],
                profession="Nursing",
                job_title="Staff nurse",
                line_manager=managers[i // PARTICIPANTS_PER_LINE_MANAGER],
                sponsor=employers[i % EMPLOYERS].sponsor,
                briefing_attended=i % 20 != 0,
            )
            for i, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    placements = []
    for i, participant in enumerate(participants):
        for k in range(3):
            approved = start + dt.timedelta(days=k * 20 + i % 5)
            placements.append(
                Placement(
                    participant=participant,
                    organisation=hosts[(i * 7 + k * 17) % HOSTS],
                    contact_name=f"Host Contact {k + 1}",
                    contact_email=f"host{k + 1}@host.example",
                    status="complete",
                    outcomes_status="approved",
                    outcomes_first_approved_at=aware(approved),
                )
            )
    placements = Placement.objects.bulk_create(placements, batch_size=BATCH)
    LearningOutcome.objects.bulk_create(
        (
            LearningOutcome(placement=p, text=f"Learning outcome {j + 1}.", position=j)
            for p in placements
            for j in range(2)
        ),
        batch_size=BATCH,
    )
    levels = [value for value, _ in Level.choices]

    def half_days():
        for index, placement in enumerate(placements):
            i, k = divmod(index, 3)
            first = placement.outcomes_first_approved_at.date() + dt.timedelta(days=3)
            for j in range(4):
                day = first + dt.timedelta(days=4 * j)
                yield HalfDay(
                    placement=placement,
                    participant_id=placement.participant_id,
                    date=day,
                    session="am" if j % 2 == 0 else "pm",
                    # bulk_create skips HalfDay.save(), which fills the typical times
                    starts_at=TYPICAL_TIMES["am" if j % 2 == 0 else "pm"][0],
                    ends_at=TYPICAL_TIMES["am" if j % 2 == 0 else "pm"][1],
                    person_met=PEOPLE_MET[(i + j) % len(PEOPLE_MET)],
                    level=levels[(i + k + j) % len(levels)],
                    status="completed",
                    completed_at=aware(day, 17),
                )

    HalfDay.objects.bulk_create(half_days(), batch_size=BATCH)
    accounts = []
    for index, placement in enumerate(placements):
        i, k = divmod(index, 3)
        if (i + k) % 4 == 3:
            continue  # not started yet
        shared = i % 3 == 0 or k < i % 3
        accounts.append(
            ReflectiveAccount(
                placement=placement,
                participant_id=placement.participant_id,
                framework="i2i",
                answers={"experience": "What happened on the placement."},
                status="shared" if shared else "draft",
                shared_at=aware(today - dt.timedelta(days=5)) if shared else None,
            )
        )
    ReflectiveAccount.objects.bulk_create(accounts, batch_size=BATCH)
    initiatives = ImprovementInitiative.objects.bulk_create(
        (
            ImprovementInitiative(
                participant=p,
                title=f"Improvement {i:04d}",
                problem="Referrals wait too long.",
                aim="Reduce the wait.",
                measures_summary="Days waiting.",
                change_ideas="A shared referral form.",
                kind="forms",
                status="agreed" if i % 4 == 0 else "idea",
                agreement="agreed" if i % 4 == 0 else "draft",
                agreed_first_at=aware(today - dt.timedelta(days=3)) if i % 4 == 0 else None,
            )
            for i, p in enumerate(participants)
            if i % 2 == 0
        ),
        batch_size=BATCH,
    )
    counts = {
        "participants": len(participants),
        "placements": len(placements),
        "half-days": len(placements) * 4,
        "accounts": len(accounts),
        "shared": sum(1 for a in accounts if a.status == "shared"),
        "initiatives": len(initiatives),
    }
    return cohort, counts


def split(pm, cohort, runs: int = 3) -> dict[str, float]:
    """Where one request's time goes, best of `runs`: reading the participants (the queries,
    the tuples and the rows, and sorting them), the rules (`progress_reports`: the rules'
    records and `rules.evaluate`), the charts (`progress_charts`) and rendering the template
    (a page of the table and of the at-risk list). The two functions are wrapped with a timer
    in `programme.dashboard`'s namespace for the duration; nothing else changes."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    import programme.dashboard as module
    from programme.dashboard_views import dashboard_context

    spent: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        return wrapper

    originals = module.progress_reports, module.progress_charts
    module.progress_reports = timed("rules", module.progress_reports)
    module.progress_charts = timed("charts", module.progress_charts)
    request = RequestFactory().get(f"/cohorts/{cohort.pk}/dashboard/", HTTP_HOST="127.0.0.1")
    request.user = pm
    request.session = {}
    best: dict[str, float] = {}
    try:
        for _ in range(runs):
            spent.clear()
            began = time.perf_counter()
            dashboard = module.cohort_dashboard(pm, cohort)
            middle = time.perf_counter()
            filters = {"organisation": "", "overall": "", "sort": "risk"}
            render_to_string(
                "dashboard/cohort.html",
                dashboard_context(request, cohort, dashboard, filters),
                request=request,
            )
            ended = time.perf_counter()
            run = {
                "reading": middle - began - spent["rules"] - spent["charts"],
                "rules": spent["rules"],
                "charts": spent["charts"],
                "template": ended - middle,
            }
            if not best or sum(run.values()) < sum(best.values()):
                best = run
    finally:
        module.progress_reports, module.progress_charts = originals
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="participants per cohort")
    parser.add_argument(
        "--gc-threshold",
        type=int,
        help="an experiment: measure with gc.set_threshold(N) (CPython's default is 700)",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    fresh_database(DATABASE)
    setup_django(DATABASE)
    import django
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server};"
        f" {os.cpu_count()} cores ({cpu_model()}); DEBUG={settings.DEBUG};"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    pm, employers, hosts = build_directory()
    if args.gc_threshold:
        gc.set_threshold(args.gc_threshold, *gc.get_threshold()[1:])
        print(f"Garbage collector thresholds set to {gc.get_threshold()}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(pm)
    results = []
    for n in sizes:
        began = time.perf_counter()
        cohort, counts = build_cohort(n, employers, hosts)
        built = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, soon after a bulk load
        print(
            f"  {n:,} participants built in {built:.1f} s: {counts['placements']:,} placements, "
            f"{counts['half-days']:,} half-days, {counts['accounts']:,} reflective accounts "
            f"({counts['shared']:,} shared), {counts['initiatives']:,} initiatives",
            flush=True,
        )
        measured = measure(client, reverse("cohort_dashboard", args=[cohort.pk]))
        exported = measure(client, reverse("cohort_dashboard_csv", args=[cohort.pk]))
        rows = exported.body.decode("utf-8").count("\n") - 1
        assert rows == n, f"the CSV has {rows} rows, not {n}"
        results.append((n, measured, split(pm, cohort), exported))

    print()
    print(f"GET /cohorts/<pk>/dashboard/ as the programme manager: {RUNS} requests after one")
    print("to warm up; wall time best and median, this process's CPU time and time in SQL")
    print("(median), queries per request (without the session write that happens at most")
    print("once a minute; with it in brackets when a request made it), size of the page.")
    print(
        f"{'participants':>12} {'best':>8} {'median':>8} {'CPU':>8} {'SQL':>8}"
        f" {'queries':>10} {'HTML':>9}"
    )
    for n, m, _, _ in results:
        print(
            f"{n:>12,} {min(m.wall):>7.3f}s {statistics.median(m.wall):>7.3f}s"
            f" {statistics.median(m.cpu):>7.3f}s {statistics.median(m.sql):>7.3f}s"
            f" {queries_label(m):>10}"
            f" {m.html_bytes / 1e6:>7.2f}MB"
        )
    print()
    print("GET /cohorts/<pk>/dashboard.csv (every row; one more query: the audit event), as")
    print("above:")
    print(
        f"{'participants':>12} {'best':>8} {'median':>8} {'CPU':>8} {'SQL':>8}"
        f" {'queries':>10} {'CSV':>9}"
    )
    for n, _, _, m in results:
        print(
            f"{n:>12,} {min(m.wall):>7.3f}s {statistics.median(m.wall):>7.3f}s"
            f" {statistics.median(m.cpu):>7.3f}s {statistics.median(m.sql):>7.3f}s"
            f" {queries_label(m):>10}"
            f" {m.html_bytes / 1e6:>7.2f}MB"
        )
    print()
    print("Where the page's time goes (best of 3, view code called directly, no middleware):")
    print(f"{'participants':>12} {'reading':>9} {'rules':>9} {'charts':>9} {'template':>9}")
    for n, _, parts, _ in results:
        print(
            f"{n:>12,} {parts['reading']:>8.3f}s {parts['rules']:>8.3f}s"
            f" {parts['charts']:>8.3f}s {parts['template']:>8.3f}s"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    failed = False
    for what, index in (("page", 1), ("CSV", 3)):
        measured = [(result[0], result[index]) for result in results]
        counts = {q for _, m in measured for q in m.page_queries}
        if len(counts) == 1:
            print(f"Constant queries ({what}): {counts.pop()} per request at every size.")
            continue
        failed = True
        print(f"QUERY COUNT IS NOT CONSTANT ({what}): {sorted(counts)} across sizes {sizes}.")
        usual = min(counts, key=lambda c: -sum(m.page_queries.count(c) for _, m in measured))
        for n, m in measured:
            for run, texts in enumerate(m.sql_texts, start=1):
                if m.page_queries[run - 1] != usual:
                    print(f"  {n:,} participants, request {run}: {len(texts)} queries")
                    for sql in texts:
                        print(f"    {sql[:160]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
