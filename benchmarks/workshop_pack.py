"""Time the cohort's workshop pack PDF for 25, 50 and 100 consenting participants, and for
a consenting 100 in a large cohort (--cohort-size) or a large region (--region).

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth):

    .venv/bin/python benchmarks/workshop_pack.py [--sizes 25,50,100] [--runs 1]
    .venv/bin/python benchmarks/workshop_pack.py --sizes 100 --region 5000 [--runs 2]
    .venv/bin/python benchmarks/workshop_pack.py --sizes 100 --cohort-size 5000 [--runs 2]

The script drops and recreates the database `i2i_bench_pack` (`i2i_bench_pack_5000` with
--region or --cohort-size; --database to choose another), migrates it and adds the
organisations (20 employers, 60 hosts across sectors). By default each size N then runs in
a fresh child process (this script with `--one N`), so that the peak memory reported is
that size's alone. The child adds a cohort of N participants, every one of whom consented
to a section (`WorkshopConsent(include=True)`, sharing learning, initiative and ideas),
each with 3 placements at 3 hosts, 12 completed half-days, a shared reflective account per
placement with a ~60-word `workshop_learning`, and an agreed improvement initiative whose
measure has 20 weekly data points (so every section has a run chart) and ~30 words of
ideas for I2I. Cohorts are kept side by side in the database; the pack only reads its own.
Everything is fictional ("Participant 001", emails at bench.example).

--cohort-size C makes each pack's cohort C participants, of whom N (spread evenly through
the names) consent; the others have the same data, and every other one has a consent that
says no. --region R first makes the packs with only their own cohorts in the database,
then adds other cohorts (of up to 1,000, a quarter consenting, the same data) until the
database holds R participants, and makes the same packs again. In both modes this process
builds the cohorts (in batches of 2,000) and runs ANALYZE, and each pack runs in a fresh
child (`--pack ID`) that only makes it. --runs K makes each pack K times.

The child calls `workshop_pack_pdf({"cohort_id": ...}, report)` once, as the Celery job
would, and reports its wall and CPU time, split into reading and preparing the cohort
(`pack_context`: reading the whole cohort as tuples and the consenting participants with
everything prefetched, the rules, the sections, the overview's charts and the
evaluation), rendering the HTML, and WeasyPrint's
layout and PDF; the queries and the time in SQL; the pages (pypdf) and bytes of the PDF;
and its peak resident memory (VmHWM, the process's own) after starting Django, after
building the data (default mode), after `pack_context` and after the PDF. A short hash of
the project's code loaded ("code") tells apart rows made while others changed the code.
--profile (cProfile) and --trace-memory (tracemalloc, and the model instances alive after
`pack_context` and while WeasyPrint runs) say where the time and the memory go; both make
the run several times slower.

Goal: 100 consenting participants in under 30 s and under 500 MB.
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

from pagetiming import cpu_model, fresh_database

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "i2i_bench_pack"
GOAL_SECONDS = 30.0
GOAL_MB = 500.0
EMPLOYERS = 20
HOSTS = 60
SEED = 20261124
BATCH = 2000
OTHER_COHORT = 1000  # participants per other cohort, with --region
VOCABULARY = (
    "referral pathway discharge team service user patient family carer ward community "
    "handover visit assessment plan shared record phone call meeting waiting list delay "
    "nurse social worker therapist pharmacist receptionist manager duty rota triage "
    "follow-up letter form leaflet transport equipment home support clinic district hub "
    "learnt noticed understood surprised realised valued trusted asked listened changed "
    "quickly slowly clearly together early late every weekly daily often rarely"
)
WORDS = VOCABULARY.split()


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
    """This process's peak resident memory so far. VmHWM is this process's own: `ru_maxrss`
    also counts the parent's peak, which Linux hands to a child started with vfork and exec
    (as `subprocess` does), so a parent that built a large cohort would inflate it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


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


def consenting_indexes(size: int, consenting: int) -> set[int]:
    """Which of a cohort's participants (0 to size - 1) consent: spread evenly."""
    return {k * size // consenting for k in range(consenting)}


def build_cohort(n: int, size: int | None = None, tag: str | None = None, name: str | None = None):
    """A cohort of `size` participants (n by default), n of whom (spread evenly through the
    names) consented to a section of the pack. Of the others, every other one has a consent
    row saying no and the rest have none; their data is the same as the consenting ones'."""
    from django.utils import timezone

    from improvements.models import DataPoint, ImprovementInitiative, Measure
    from participants.models import Cohort, Organisation, Participant, User, WorkshopConsent
    from placements.models import HalfDay, LearningOutcome, Level, Placement
    from reflections.models import ReflectiveAccount

    size = size or n
    tag = tag or (f"p{n}" if size == n else f"p{n}c{size}")
    digits = max(3, len(str(size)))
    consenting = consenting_indexes(size, n)
    rng = random.Random(SEED + n if size == n else f"{SEED}-{tag}")
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=24)
    employers = list(Organisation.objects.filter(name__startswith="Employer").order_by("name"))
    hosts = list(Organisation.objects.filter(name__startswith="Host").order_by("name"))
    cohort = Cohort.objects.create(
        name=name
        or (f"Workshop pack cohort of {n}" if size == n else f"Cohort of {size:,} ({tag})"),
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
        (
            User(
                email=f"manager{i:0{digits}d}.{tag}@bench.example",
                full_name=f"Line Manager {i:0{digits}d}",
                password="!",
            )
            for i in range(size // 8 + 1)
        ),
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        (
            User(
                email=f"participant{i:0{digits}d}.{tag}@bench.example",
                full_name=f"Participant {i:0{digits}d}",
                password="!",
            )
            for i in range(1, size + 1)
        ),
        batch_size=BATCH,
    )
    participants = Participant.objects.bulk_create(
        (
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
        ),
        batch_size=BATCH,
    )
    levels = [value for value, _ in Level.choices]
    placements = Placement.objects.bulk_create(
        (
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
        ),
        batch_size=BATCH,
    )
    LearningOutcome.objects.bulk_create(
        (
            LearningOutcome(placement=p, text=f"Learning outcome {j + 1}.", position=j)
            for p in placements
            for j in range(2)
        ),
        batch_size=BATCH,
    )
    HalfDay.objects.bulk_create(
        (
            HalfDay(
                placement=p,
                participant_id=p.participant_id,
                date=p.outcomes_first_approved_at.date() + dt.timedelta(days=7 * (j + 1)),
                session="am",
                starts_at=dt.time(9, 0),  # bulk_create skips HalfDay.save(), which fills them
                ends_at=dt.time(12, 30),
                person_met=f"Host person {j + 1}",
                level=levels[(index + j) % len(levels)],
                status="completed",
                completed_at=aware(
                    p.outcomes_first_approved_at.date() + dt.timedelta(days=7 * (j + 1))
                ),
            )
            for index, p in enumerate(placements)
            for j in range(4)
        ),
        batch_size=BATCH,
    )
    ReflectiveAccount.objects.bulk_create(
        (
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
        ),
        batch_size=BATCH,
    )
    initiatives = ImprovementInitiative.objects.bulk_create(
        (
            ImprovementInitiative(
                participant=p,
                title=f"A shared referral form between ward and team {i:0{digits}d}",
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
        ),
        batch_size=BATCH,
    )
    measures = Measure.objects.bulk_create(
        (
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
        ),
        batch_size=BATCH,
    )
    first = today - dt.timedelta(weeks=20)
    DataPoint.objects.bulk_create(
        (
            DataPoint(
                measure=measure,
                date=first + dt.timedelta(weeks=w),
                # About 9 days before the change at week 10, about 6 after: a shift.
                value=round((9 if w < 10 else 6) + rng.uniform(-1.5, 1.5), 1),
            )
            for measure in measures
            for w in range(20)
        ),
        batch_size=BATCH,
    )
    WorkshopConsent.objects.bulk_create(
        (
            WorkshopConsent(participant=p, include=i in consenting)
            for i, p in enumerate(participants)
            if i in consenting or i % 2 == 0
        ),
        batch_size=BATCH,
    )
    return cohort


def current_mb() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def live_models() -> list[tuple[str, int]]:
    """How many model instances of each kind are alive in this process."""
    import gc

    from django.db import models

    counts: dict[str, int] = {}
    for thing in gc.get_objects():
        if isinstance(thing, models.Model):
            name = type(thing).__name__
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def make_pack(cohort_id: int, profile: bool = False, trace: bool = False) -> dict:
    """Make the cohort's pack once, as the Celery job does, in this (child) process, and
    measure it. `profile` reports cProfile's top functions; `trace` follows the memory
    Python allocates (tracemalloc, one frame: deeper tracebacks make a 5,000-participant
    cohort take hours): the peak and what is alive when `pack_context` returns, the lines
    that allocated it and the model instances alive then; the model instances alive while
    WeasyPrint runs; the peaks of what the HTML and WeasyPrint allocate on top. Both slow
    the run down (times not comparable)."""
    import cProfile
    import gc
    import pstats
    import tracemalloc

    from django.db import connection
    from pypdf import PdfReader

    import programme.workshop_pack as pack
    from participants.models import Cohort, Participant, WorkshopConsent

    cohort = Cohort.objects.get(pk=cohort_id)
    size = Participant.objects.filter(cohort=cohort).count()
    consenting = WorkshopConsent.objects.filter(participant__cohort=cohort, include=True).count()
    region = Participant.objects.count()
    spent: dict[str, float] = {}
    marks: dict[str, dict] = {}
    traced: dict[str, float] = {}
    report = io.StringIO()

    overhead = [0.0]  # seconds spent in mark() while tracing, left out of the wall time

    def mark(label):
        marks[label] = {"peak": peak_mb(), "now": current_mb()}
        if trace:
            started = time.perf_counter()
            now, peak = tracemalloc.get_traced_memory()
            traced[f"{label}_peak"] = peak / 2**20
            traced[f"{label}_now"] = now / 2**20
            if label == "context":
                print("Memory alive after pack_context (tracemalloc), by line:", file=report)
                print(f"{'MB':>8} {'blocks':>10}  line", file=report)
                for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
                    frame = stat.traceback[0]
                    parts = Path(frame.filename).parts
                    if "site-packages" in parts:
                        parts = parts[parts.index("site-packages") + 1 :]
                    where = f"{'/'.join(parts[-3:])}:{frame.lineno}"
                    print(f"{stat.size / 2**20:>8.1f} {stat.count:>10,}  {where}", file=report)
                print("Model instances alive after pack_context:", file=report)
                print(
                    "  " + ", ".join(f"{name} {count:,}" for name, count in live_models()),
                    file=report,
                )
            if label == "html":
                print("Model instances alive while WeasyPrint runs (after the HTML):", file=report)
                print(
                    "  " + ", ".join(f"{name} {count:,}" for name, count in live_models()),
                    file=report,
                )
            tracemalloc.reset_peak()
            overhead[0] += time.perf_counter() - started

    def timed(module, name, label, evaluate=False, marked=True):
        function = getattr(module, name, None)
        if function is None:  # not (or no longer) used by the pack
            return

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
                # `_participants` returns a queryset that pack_context lists at once: list it
                # here so that reading the cohort is timed as a part.
                return list(result) if evaluate else result
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
                if marked:
                    mark(label)

        setattr(module, name, wrapper)

    queries = {"count": 0, "seconds": 0.0}

    def count_queries(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries["count"] += 1
            queries["seconds"] += time.perf_counter() - started

    # Time the parts of the one real run without changing what it does.
    # The pack is laid out in parts (`WorkshopPack`): the overview, the sections eight at a
    # time, the appendices; "context" is the time all three kinds spend reading.
    for name in ("overview_context", "sections_context", "appendices_context"):
        timed(pack, name, "context", marked=False)
    # The parts of pack_context: reading the whole cohort (as tuples) and the consenting
    # participants (model instances), the rules for everyone (the overview's counts), the
    # consenting participants' sections (run charts), the overview's charts and the
    # evaluation.
    timed(pack, "read_participants_progress", "reading", marked=False)
    timed(pack, "progress_reports", "rules", marked=False)
    timed(pack, "build_section", "sections", marked=False)
    timed(pack, "progress_charts", "charts", marked=False)
    timed(pack, "evaluate_cohorts", "evaluation", marked=False)
    timed(pack, "render_to_string", "html", marked=False)
    profiler = cProfile.Profile() if profile else None
    if trace:
        tracemalloc.start(1)
    collections = sum(g["collections"] for g in gc.get_stats()[2:])
    began = time.perf_counter()
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    with connection.execute_wrapper(count_queries):
        filename, content = pack.workshop_pack_pdf({"cohort_id": cohort.pk}, lambda *a, **k: None)
    if profiler:
        profiler.disable()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - began - overhead[0]
    collections = sum(g["collections"] for g in gc.get_stats()[2:]) - collections
    if trace:
        tracemalloc.stop()
    after_pdf = peak_mb()
    if profiler:
        stats = pstats.Stats(profiler, stream=report)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    return {
        "n": consenting,
        "size": size,
        "region": region,
        "cohort_id": cohort.pk,
        "wall": wall,
        "cpu": cpu,
        "context": spent["context"],
        "parts": {
            label: spent[label]
            for label in ("reading", "rules", "sections", "charts", "evaluation")
            if label in spent
        },
        "html": spent["html"],
        # Laying out the parts and putting them together (i2i.pdf.assemble).
        "weasyprint": wall - spent["context"] - spent["html"],
        "queries": queries["count"],
        "sql": queries["seconds"],
        "pages": pages,
        "bytes": len(content),
        "filename": filename,
        "mb_context": marks.get("context", {}).get("peak", 0.0),
        "mb_context_now": marks.get("context", {}).get("now", 0.0),
        "mb_html_now": marks.get("html", {}).get("now", 0.0),
        "mb_pdf": after_pdf,
        "gc_full": collections,
        "traced": traced,
        "report": report.getvalue(),
        "profiled": profile or trace,
        "load": os.getloadavg()[0],
        "code": code_fingerprint(),
    }


def code_fingerprint() -> str:
    """A short hash of the project's modules loaded in this process and of the pack's
    templates, so that rows made while the code was being changed can be told apart."""
    import hashlib

    venv = ROOT / ".venv"
    files = {
        Path(module.__file__)
        for module in list(sys.modules.values())
        if getattr(module, "__file__", None)
        and Path(module.__file__).is_relative_to(ROOT)
        and not Path(module.__file__).is_relative_to(venv)
        and Path(module.__file__).resolve() != Path(__file__).resolve()
    }
    files |= set((ROOT / "templates" / "workshop").glob("*.html"))
    files.add(ROOT / "static" / "css" / "print.css")
    digest = hashlib.sha1()
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:8]


def one(n: int, profile: bool = False, trace: bool = False) -> dict:
    """Build a cohort of n and make its pack, in this (child) process."""
    setup_django(DATABASE, migrate=False)
    import pypdf  # noqa: F401

    import programme.workshop_pack  # noqa: F401  (imports WeasyPrint, as a worker would have)

    after_setup = peak_mb()
    began = time.perf_counter()
    cohort = build_cohort(n)
    built = time.perf_counter() - began
    after_build = peak_mb()
    result = make_pack(cohort.pk, profile, trace)
    result.update(built=built, mb_setup=after_setup, mb_built=after_build)
    return result


def pack_only(cohort_id: int, profile: bool = False, trace: bool = False) -> dict:
    """Make the pack of a cohort already in the database, in this (child) process."""
    setup_django(DATABASE, migrate=False)
    import pypdf  # noqa: F401

    import programme.workshop_pack  # noqa: F401

    after_setup = peak_mb()
    result = make_pack(cohort_id, profile, trace)
    result.update(built=None, mb_setup=after_setup, mb_built=None)
    return result


def child(args: list[str]) -> dict:
    """Run this script as a fresh process; its last line of output is the result."""
    options = ["--database", DATABASE]
    done = subprocess.run(
        [sys.executable, __file__, *options, *args], check=False, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
    done.check_returncode()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["report"]:
        print(f"--- {result['n']} of {result['size']:,}, database {result['region']:,} ---")
        print(result["report"], flush=True)
    return result


def fill_region(participants: int) -> list[int]:
    """Other cohorts, of up to OTHER_COHORT participants each, with the same data as the
    pack's cohorts (a quarter of each consents): `participants` in all. Returns their sizes."""
    cohorts = -(-participants // OTHER_COHORT)
    sizes = [
        participants // cohorts + (1 if k < participants % cohorts else 0) for k in range(cohorts)
    ]
    for k, size in enumerate(sizes, start=1):
        build_cohort(max(1, size // 4), size=size, tag=f"r{k}", name=f"Other cohort {k}")
    return sizes


def analyse() -> None:
    """Refresh the planner's statistics, as autovacuum would soon after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


def print_rows(rows: list[dict]) -> None:
    print(
        f"{'consenting':>10} {'cohort':>7} {'database':>8} {'wall':>7} {'CPU':>7}"
        f" {'context':>8} {'HTML':>6} {'WeasyPrint':>10} {'queries':>7} {'SQL':>6}"
        f" {'pages':>6} {'PDF':>8} {'MB start':>9} {'MB data':>8} {'MB context':>10}"
        f" {'MB peak':>8} {'load':>5} {'code':>8}"
    )
    for r in rows:
        data = f"{r['mb_built']:>8.0f}" if r["mb_built"] is not None else f"{'-':>8}"
        print(
            f"{r['n']:>10,} {r['size']:>7,} {r['region']:>8,} {r['wall']:>6.1f}s"
            f" {r['cpu']:>6.1f}s {r['context']:>7.2f}s {r['html']:>5.2f}s"
            f" {r['weasyprint']:>9.1f}s {r['queries']:>7} {r['sql']:>5.2f}s {r['pages']:>6}"
            f" {r['bytes'] / 1e6:>6.2f}MB {r['mb_setup']:>9.0f} {data} {r['mb_context']:>10.0f}"
            f" {r['mb_pdf']:>8.0f} {r['load']:>5.2f} {r['code']:>8}"
            + ("  (profiled: times not comparable)" if r["profiled"] else "")
        )
        if r.get("parts"):
            parts = ", ".join(f"{label} {seconds:.2f} s" for label, seconds in r["parts"].items())
            print(f"{'':>10} context: {parts}; full garbage collections {r['gc_full']}")
        if r["traced"]:
            t = r["traced"]
            print(
                f"{'':>10} tracemalloc: peak while reading {t['context_peak']:.0f} MB, alive"
                f" after it {t['context_now']:.0f} MB; peak while rendering the HTML"
                f" {t['html_peak']:.0f} MB, while WeasyPrint runs {t['render_pdf_peak']:.0f} MB"
            )


def main() -> int:
    global DATABASE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25,50,100", help="consenting participants")
    parser.add_argument(
        "--cohort-size",
        type=int,
        help="participants in each pack's cohort, of whom SIZES consent (default: all consent)",
    )
    parser.add_argument(
        "--region",
        type=int,
        help="first make the packs with only their cohorts in the database, then add other "
        "cohorts until it holds REGION participants in all, and make them again",
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="packs per cohort, each in a fresh process"
    )
    parser.add_argument(
        "--database",
        help=f"(default {DATABASE}, or {DATABASE}_5000 with --region or --cohort-size)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the pack (slower)")
    parser.add_argument(
        "--trace-memory", action="store_true", help="tracemalloc the pack, phase by phase (slower)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pack", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    larger = bool(args.region or args.cohort_size)
    DATABASE = args.database or (f"{DATABASE}_5000" if larger else DATABASE)
    if args.one:
        print(json.dumps(one(args.one, args.profile, args.trace_memory)))
        return 0
    if args.pack:
        print(json.dumps(pack_only(args.pack, args.profile, args.trace_memory)))
        return 0

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    cohort_sizes = [max(n, args.cohort_size or n) for n in sizes]
    if args.region and args.region < sum(cohort_sizes):
        parser.error(f"--region must be at least the pack cohorts' {sum(cohort_sizes):,}")
    flags = (["--profile"] if args.profile else []) + (
        ["--trace-memory"] if args.trace_memory else []
    )
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
        f"{os.cpu_count()} cores ({cpu_model()}); load average {os.getloadavg()[0]:.2f};"
        f" database {DATABASE}"
    )
    results = []
    if not larger:
        for n in sizes:
            result = child(["--one", str(n), *flags])
            print(f"  {n} participants built in {result['built']:.1f} s", flush=True)
            results.append(result)
            for _ in range(args.runs - 1):
                results.append(child(["--pack", str(result["cohort_id"]), *flags]))
    else:
        cohorts = []
        for n, size in zip(sizes, cohort_sizes, strict=True):
            began = time.perf_counter()
            cohorts.append(build_cohort(n, size=size).pk)
            print(
                f"  cohort of {size:,} participants ({n:,} consenting) built in"
                f" {time.perf_counter() - began:.1f} s",
                flush=True,
            )
        analyse()

        def packs():
            for cohort_id in cohorts:
                for _ in range(args.runs):
                    results.append(child(["--pack", str(cohort_id), *flags]))
                    r = results[-1]
                    print(
                        f"    pack: {r['n']} of {r['size']:,}, database {r['region']:,}:"
                        f" {r['wall']:.1f} s, {r['mb_pdf']:.0f} MB",
                        flush=True,
                    )

        packs()
        if args.region:
            others = args.region - sum(cohort_sizes)
            began = time.perf_counter()
            filled = fill_region(others) if others else []
            analyse()
            print(
                f"  {others:,} participants in {len(filled)} other cohorts"
                f" ({', '.join(f'{s:,}' for s in filled)}) built in"
                f" {time.perf_counter() - began:.1f} s",
                flush=True,
            )
            packs()

    print()
    print("workshop_pack_pdf, one run per line in a fresh process; memory is the process's peak")
    print("(MB context: the peak once the cohort is read; cohort/database: participants)")
    print_rows(results)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    largest = max(r["n"] for r in results)
    judged = [r for r in results if r["n"] == largest and not r["profiled"]] or [
        r for r in results if r["n"] == largest
    ]
    # Time: the best run, the one least slowed by other work on the machine; memory does
    # not depend on the load, so the largest.
    best_wall = min(r["wall"] for r in judged)
    worst_wall = max(r["wall"] for r in judged)
    worst_mb = max(r["mb_pdf"] for r in judged)
    ok = best_wall < GOAL_SECONDS and worst_mb < GOAL_MB
    verdict = "meets" if ok else "MISSES"
    print(
        f"{largest} consenting participants: {best_wall:.1f} s at best ({worst_wall:.1f} s at"
        f" worst), {worst_mb:.0f} MB; {verdict} the goal of under {GOAL_SECONDS:.0f} s and"
        f" {GOAL_MB:.0f} MB"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
