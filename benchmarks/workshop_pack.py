"""Time the cohort's workshop pack PDF for 25, 50 and 100 consenting participants.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python benchmarks/workshop_pack.py [--sizes 25,50,100]

The script drops and recreates the database `i2i_bench_pack`, migrates it and adds the
organisations (20 employers, 60 hosts across sectors). Then each size N runs in a fresh
child process (this script with `--one N`), so that the peak memory reported is that
size's alone. The child adds a cohort of N participants, every one of whom consented to a
section (`WorkshopConsent(include=True)`, sharing learning, initiative and ideas), each
with 3 placements at 3 hosts, 12 completed half-days, a shared reflective account per
placement with a ~60-word `workshop_learning`, and an agreed improvement initiative whose
measure has 20 weekly data points (so every section has a run chart) and ~30 words of
ideas for I2I. Cohorts are kept side by side in the database; the pack only reads its own.
Everything is fictional ("Participant 001", emails at bench.example).

The child then calls `workshop_pack_pdf({"cohort_id": ...}, report)` once, as the Celery
job would, and reports its wall time (split into reading the cohort, `pack_context`;
rendering the HTML; and WeasyPrint's layout and PDF), the pages (pypdf) and bytes of the
PDF, and its peak memory (`ru_maxrss`) after starting Django, after building the data and
after the PDF.

Goal: 100 participants in under 30 s and under 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "i2i_bench_pack"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
GOAL_SECONDS = 30.0
GOAL_MB = 500.0
EMPLOYERS = 20
HOSTS = 60
SEED = 20261124
VOCABULARY = (
    "referral pathway discharge team service user patient family carer ward community "
    "handover visit assessment plan shared record phone call meeting waiting list delay "
    "nurse social worker therapist pharmacist receptionist manager duty rota triage "
    "follow-up letter form leaflet transport equipment home support clinic district hub "
    "learnt noticed understood surprised realised valued trusted asked listened changed "
    "quickly slowly clearly together early late every weekly daily often rarely"
)
WORDS = VOCABULARY.split()


def fresh_database(name: str) -> None:
    """Drop and recreate the database, so every run starts from the same empty state."""
    subprocess.run(["dropdb", *PG, "--if-exists", name], check=True, capture_output=True)
    subprocess.run(["createdb", *PG, name], check=True)


def setup_django(name: str, migrate: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "i2i.settings"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def peak_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def sentence_text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    text = []
    for index, word in enumerate(chosen):
        text.append(word.capitalize() if index == 0 or text[-1].endswith(".") else word)
        if index % 12 == 11 or index == len(chosen) - 1:
            text[-1] += "."
    return " ".join(text)


def build_directory() -> None:
    from participants.models import Organisation, Sector, User

    sponsors = User.objects.bulk_create(
        User(email=f"sponsor{i:02d}@bench.example", full_name=f"Sponsor {i:02d}", password="!")
        for i in range(EMPLOYERS)
    )
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Employer {i:02d} Trust",
            sector=Sector.ACUTE if i % 2 else Sector.COMMUNITY,
            is_partner=True,
            town="Eastmere",
            sponsor=sponsors[i],
        )
        for i in range(EMPLOYERS)
    )
    sectors = [value for value, _ in Sector.choices]
    Organisation.objects.bulk_create(
        Organisation(name=f"Host {i:02d}", sector=sectors[i % len(sectors)], town="Westmere")
        for i in range(HOSTS)
    )


def build_cohort(n: int):
    """A cohort of n participants who all consented to a section of the pack."""
    from django.utils import timezone

    from improvements.models import DataPoint, ImprovementInitiative, Measure
    from participants.models import Cohort, Organisation, Participant, User, WorkshopConsent
    from placements.models import HalfDay, LearningOutcome, Level, Placement
    from reflections.models import ReflectiveAccount

    rng = random.Random(SEED + n)
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=24)
    employers = list(Organisation.objects.filter(name__startswith="Employer").order_by("name"))
    hosts = list(Organisation.objects.filter(name__startswith="Host").order_by("name"))
    cohort = Cohort.objects.create(
        name=f"Workshop pack cohort of {n}",
        programme_start=start,
        briefing_date=start - dt.timedelta(days=14),
        workshop_date=today + dt.timedelta(days=7),
        workshop_place="Eastmere Conference Centre",
        workshop_agenda="\n".join(
            [
                "10:00 Welcome",
                "10:15 What we learnt on placement",
                "11:30 Improvement initiatives",
                "13:00 Lunch",
                "13:45 Ideas for improving I2I",
                "15:00 Close",
            ]
        ),
        status="running",
    )
    managers = User.objects.bulk_create(
        User(
            email=f"manager{i:03d}.p{n}@bench.example",
            full_name=f"Line Manager {i:03d}",
            password="!",
        )
        for i in range(n // 8 + 1)
    )
    users = User.objects.bulk_create(
        User(
            email=f"participant{i:03d}.p{n}@bench.example",
            full_name=f"Participant {i:03d}",
            password="!",
        )
        for i in range(1, n + 1)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            user=user,
            cohort=cohort,
            organisation=employers[i % EMPLOYERS],
            profession="Nursing" if i % 3 else "Social work",
            job_title="Senior staff nurse" if i % 3 else "Social worker",
            line_manager=managers[i // 8],
            sponsor_id=employers[i % EMPLOYERS].sponsor_id,
            briefing_attended=True,
        )
        for i, user in enumerate(users)
    )
    levels = [value for value, _ in Level.choices]
    placements = Placement.objects.bulk_create(
        Placement(
            participant=participant,
            organisation=hosts[(i * 7 + k * 17) % HOSTS],
            contact_name=f"Host Contact {k + 1}",
            status="complete",
            outcomes_status="approved",
            outcomes_first_approved_at=aware(start + dt.timedelta(days=k * 28 + i % 7)),
        )
        for i, participant in enumerate(participants)
        for k in range(3)
    )
    LearningOutcome.objects.bulk_create(
        LearningOutcome(placement=p, text=f"Learning outcome {j + 1}.", position=j)
        for p in placements
        for j in range(2)
    )
    HalfDay.objects.bulk_create(
        HalfDay(
            placement=p,
            participant_id=p.participant_id,
            date=p.outcomes_first_approved_at.date() + dt.timedelta(days=7 * (j + 1)),
            session="am",
            person_met=f"Host person {j + 1}",
            level=levels[(index + j) % len(levels)],
            status="completed",
            completed_at=aware(
                p.outcomes_first_approved_at.date() + dt.timedelta(days=7 * (j + 1))
            ),
        )
        for index, p in enumerate(placements)
        for j in range(4)
    )
    ReflectiveAccount.objects.bulk_create(
        ReflectiveAccount(
            placement=p,
            participant_id=p.participant_id,
            framework="i2i",
            answers={"experience": sentence_text(rng, 120)},
            workshop_learning=sentence_text(rng, 60),
            status="shared",
            shared_at=aware(today - dt.timedelta(days=30)),
        )
        for p in placements
    )
    initiatives = ImprovementInitiative.objects.bulk_create(
        ImprovementInitiative(
            participant=p,
            title=f"A shared referral form between ward and team {i:03d}",
            problem=sentence_text(rng, 40),
            aim="Reduce the days from referral to first visit from 9 to 5 by June.",
            measures_summary="Days from referral to first visit.",
            change_ideas=sentence_text(rng, 30),
            kind="forms",
            status="testing",
            agreement="agreed",
            agreed_first_at=aware(today - dt.timedelta(weeks=12)),
            outcome_what_changed=sentence_text(rng, 40),
            i2i_ideas=sentence_text(rng, 30),
        )
        for i, p in enumerate(participants)
    )
    measures = Measure.objects.bulk_create(
        Measure(
            initiative=initiative,
            name="Days from referral to first visit",
            definition="Days from referral received to first home visit, weekly median.",
            unit="days",
            direction="lower",
            baseline=9,
            target=5,
        )
        for initiative in initiatives
    )
    first = today - dt.timedelta(weeks=20)
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=measure,
            date=first + dt.timedelta(weeks=w),
            # About 9 days before the change at week 10, about 6 after: a shift.
            value=round((9 if w < 10 else 6) + rng.uniform(-1.5, 1.5), 1),
        )
        for measure in measures
        for w in range(20)
    )
    WorkshopConsent.objects.bulk_create(
        WorkshopConsent(participant=p, include=True) for p in participants
    )
    return cohort


def one(n: int) -> dict:
    """Build a cohort of n and make its pack, in this (child) process."""
    from pypdf import PdfReader

    setup_django(DATABASE, migrate=False)
    import i2i.pdf
    import i2i.workshop_pack as pack

    after_setup = peak_mb()
    began = time.perf_counter()
    cohort = build_cohort(n)
    built = time.perf_counter() - began
    after_build = peak_mb()

    spent: dict[str, float] = {}

    def timed(module, name, label):
        function = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(module, name, wrapper)

    # Time the parts of the one real run without changing what it does.
    timed(pack, "pack_context", "context")
    timed(pack, "render_pdf", "render_pdf")
    timed(i2i.pdf, "render_to_string", "html")
    began = time.perf_counter()
    cpu = time.process_time()
    filename, content = pack.workshop_pack_pdf({"cohort_id": cohort.pk}, lambda *a, **k: None)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - began
    after_pdf = peak_mb()
    pages = len(PdfReader(io.BytesIO(content)).pages)
    return {
        "n": n,
        "built": built,
        "wall": wall,
        "cpu": cpu,
        "context": spent["context"],
        "html": spent["html"],
        "weasyprint": spent["render_pdf"] - spent["html"],
        "pages": pages,
        "bytes": len(content),
        "filename": filename,
        "mb_setup": after_setup,
        "mb_built": after_build,
        "mb_pdf": after_pdf,
        "load": os.getloadavg()[0],
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100", help="consenting participants")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    fresh_database(DATABASE)
    setup_django(DATABASE, migrate=True)
    import django
    import weasyprint
    from django.db import connection

    build_directory()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    connection.close()
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"WeasyPrint {weasyprint.__version__}, PostgreSQL {server}; "
        f"{os.cpu_count()} cores ({cpu_model()}); load average {os.getloadavg()[0]:.2f}"
    )
    results = []
    for n in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"  {n} participants built in {result['built']:.1f} s", flush=True)

    print()
    print("workshop_pack_pdf, one run per size in a fresh process; memory is the process's peak")
    print(
        f"{'participants':>12} {'wall':>7} {'CPU':>7} {'context':>8} {'HTML':>6} "
        f"{'WeasyPrint':>10} {'pages':>6} {'PDF':>8} {'MB start':>9} {'MB data':>8} "
        f"{'MB peak':>8}"
    )
    for r in results:
        print(
            f"{r['n']:>12} {r['wall']:>6.1f}s {r['cpu']:>6.1f}s {r['context']:>7.2f}s"
            f" {r['html']:>5.2f}s {r['weasyprint']:>9.1f}s {r['pages']:>6}"
            f" {r['bytes'] / 1e6:>6.2f}MB {r['mb_setup']:>9.0f} {r['mb_built']:>8.0f}"
            f" {r['mb_pdf']:>8.0f}"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    largest = max(results, key=lambda r: r["n"])
    ok = largest["wall"] < GOAL_SECONDS and largest["mb_pdf"] < GOAL_MB
    verdict = "meets" if ok else "MISSES"
    print(
        f"{largest['n']} participants: {largest['wall']:.1f} s, {largest['mb_pdf']:.0f} MB; "
        f"{verdict} the goal of under {GOAL_SECONDS:.0f} s and {GOAL_MB:.0f} MB"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
