"""Time `i2i.rules.evaluate` over 10,000 synthetic participants on one core.

Run from the repository root (no Django, no database):

    .venv/bin/python benchmarks/rules.py [--participants 10000]

The participants are realistic and fixed by a seed: 3-5 placements each, 0-6 half-days
each (mostly completed, some planned or cancelled, a few outside the window), some with a
second placement at the same organisation, some withdrawn, some with the participant's own
employer. Each participant is evaluated on a date somewhere in, before or after the window.
The goal (issue #15) is under half a second for 10,000 of them; with `--participants N` the
script builds N participants from the same seed and scales the budget accordingly.

Each placement's progress and the variety guidance are worked out when a page first reads
them (the dashboard reads neither); the script also times evaluating and reading them all,
as the participant's page and the reminders do for the few they show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from i2i import rules  # noqa: E402

PARTICIPANTS = 10_000
RUNS = 5
SEED = 20261123
GOAL_SECONDS = 0.5  # for PARTICIPANTS; scaled for other sizes
ORGANISATIONS = 40
LEVELS = ("front line", "team leader", "service manager", "director")
PEOPLE = ("Ann Lee", "Bo Chen", "Cat Ode", "Dev Rao", "Eve Kay", "Fay Ng")


def _half_days(rng: random.Random, start: dt.date, end: dt.date) -> tuple:
    days = []
    for _ in range(rng.randint(0, 6)):
        if rng.random() < 0.05:  # a few outside the window
            day = start - dt.timedelta(days=rng.randint(1, 30))
        else:
            day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        status = rng.choices(
            (rules.HalfDayStatus.COMPLETED, rules.HalfDayStatus.PLANNED, "cancelled"),
            weights=(80, 15, 5),
        )[0]
        days.append(
            rules.HalfDayRecord(
                date=day,
                status=status,
                person_met=rng.choice(PEOPLE),
                level=rng.choice(LEVELS),
            )
        )
    return tuple(sorted(days, key=lambda h: h.date))


def build_population(
    n: int = PARTICIPANTS, seed: int = SEED
) -> list[tuple[rules.ParticipantRecord, dt.date]]:
    """n participants, each with the day to evaluate them on."""
    rng = random.Random(seed)
    first = dt.date(2025, 1, 1)
    population = []
    next_id = 1
    for _ in range(n):
        start = first + dt.timedelta(days=rng.randint(0, 3 * 365))
        end = rules.window_end(start)
        employer = rng.randint(1, ORGANISATIONS)
        organisations = []
        placements = []
        for _ in range(rng.randint(3, 5)):
            roll = rng.random()
            if roll < 0.08:
                organisation = employer  # their own employer: never counts
            elif roll < 0.18 and organisations:
                organisation = rng.choice(organisations)  # a second placement there
            else:
                organisation = rng.randint(1, ORGANISATIONS)
            organisations.append(organisation)
            half_days = _half_days(rng, start, end)
            approved = None
            if rng.random() < 0.9:
                approved = start + dt.timedelta(days=rng.randint(-20, 60))
            placements.append(
                rules.PlacementRecord(
                    id=next_id,
                    organisation_id=organisation,
                    organisation_name=f"Organisation {organisation}",
                    status=rng.choices(
                        (
                            rules.PlacementStatus.AGREED,
                            rules.PlacementStatus.IN_PROGRESS,
                            rules.PlacementStatus.COMPLETE,
                            rules.PlacementStatus.PLANNED,
                            rules.PlacementStatus.WITHDRAWN,
                        ),
                        weights=(30, 30, 20, 10, 10),
                    )[0],
                    outcomes_approved_on=approved,
                    half_days=half_days,
                    reflection_shared=rng.choice((True, False, False)),
                )
            )
            next_id += 1
        briefing = start - dt.timedelta(days=rng.randint(7, 30))
        workshop = end + dt.timedelta(days=14)
        on = start + dt.timedelta(days=rng.randint(-30, (end - start).days + 30))
        record = rules.ParticipantRecord(
            programme_start=start,
            employer_id=employer,
            placements=tuple(placements),
            briefing_date=briefing,
            briefing_attended=rng.choice((None, True, True, False)) if on > briefing else None,
            workshop_date=workshop,
            workshop_attended=rng.choice((None, True)) if on > workshop else None,
            improvement=rules.ImprovementRecord(agreed=rng.choice((True, False))),
        )
        population.append((record, on))
    return population


def time_once(
    population: list[tuple[rules.ParticipantRecord, dt.date]], read_all: bool = False
) -> float:
    evaluate = rules.evaluate
    began = time.perf_counter()
    for participant, on in population:
        report = evaluate(participant, on)
        if read_all:
            report.placements, report.guidance  # noqa: B018 (worked out when read)
    return time.perf_counter() - began


def pin_to_one_core() -> str:
    """Run on one CPU, so the figure is a one-core figure whatever the machine."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--participants",
        type=lambda s: int(s.replace("_", "").replace(",", "")),
        default=PARTICIPANTS,
        help=f"how many participants to build and evaluate (default {PARTICIPANTS:,})",
    )
    args = parser.parse_args()
    if args.participants < 1:
        parser.error("--participants must be at least 1")
    pinned = pin_to_one_core()
    population = build_population(args.participants)
    placements = sum(len(p.placements) for p, _ in population)
    half_days = sum(len(pl.half_days) for p, _ in population for pl in p.placements)
    timings = [time_once(population) for _ in range(RUNS)]
    best = min(timings)
    per = best / len(population) * 1e6
    goal = GOAL_SECONDS * len(population) / PARTICIPANTS
    verdict = "meets" if best < goal else "MISSES"
    print(f"Python {platform.python_version()} ({platform.python_implementation()}), {pinned}")
    print(
        f"{len(population):,} participants, {placements:,} placements, "
        f"{half_days:,} half-days; best of {RUNS} runs"
    )
    print(f"total: {best:.3f} s  ({per:.1f} µs per participant)")
    print("runs:  " + ", ".join(f"{t:.3f}" for t in timings) + " s")
    read_all = min(time_once(population, read_all=True) for _ in range(RUNS))
    print(f"evaluated and every placement's progress and guidance read: {read_all:.3f} s")
    print(
        f"{verdict} the goal of under {goal:.2f} s for {len(population):,} participants"
        f" ({GOAL_SECONDS:.1f} s for {PARTICIPANTS:,}, {goal / len(population) * 1e6:.0f} µs each)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
