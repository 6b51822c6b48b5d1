"""Before/after change per question, paired: only participants who answered at both moments
count, so a cohort's median cannot move just because different people answered.

Pure Python; `report.py` reads the answers and passes them in.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

SCALE = (1, 2, 3, 4, 5)
# Bins for "how many people could you call": a count is skewed, so show its spread in bands.
COUNT_BINS = ((0, 0), (1, 2), (3, 5), (6, 10), (11, 20), (21, None))


def count_bin_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class ItemChange:
    """One question's paired figures for a cohort."""

    paired: int
    only_before: int
    only_after: int
    before_median: float | None
    after_median: float | None
    median_change: float | None  # the median of each person's own change, not after − before
    better: int
    same: int
    worse: int
    # (label, before count, after count), lowest first: the distribution of the paired answers.
    distribution: tuple[tuple[str, int, int], ...]

    @property
    def has_pairs(self) -> bool:
        return self.paired > 0


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _distribution(before: list[int], after: list[int], kind: str):
    if kind == "scale":
        b, a = Counter(before), Counter(after)
        return tuple((str(point), b[point], a[point]) for point in SCALE)
    rows = []
    for low, high in COUNT_BINS:

        def inside(value, low=low, high=high):
            return value >= low and (high is None or value <= high)

        rows.append(
            (
                count_bin_label(low, high),
                sum(1 for v in before if inside(v)),
                sum(1 for v in after if inside(v)),
            )
        )
    return tuple(rows)


def item_change(
    before: Mapping[int, int], after: Mapping[int, int], kind: str = "scale"
) -> ItemChange:
    """`before` and `after` map a participant's id to their answer to one question."""
    both = sorted(before.keys() & after.keys())
    b = [before[p] for p in both]
    a = [after[p] for p in both]
    changes = [after[p] - before[p] for p in both]
    return ItemChange(
        paired=len(both),
        only_before=len(before.keys() - after.keys()),
        only_after=len(after.keys() - before.keys()),
        before_median=_median(b),
        after_median=_median(a),
        median_change=_median(changes),
        better=sum(1 for c in changes if c > 0),
        same=sum(1 for c in changes if c == 0),
        worse=sum(1 for c in changes if c < 0),
        distribution=_distribution(b, a, kind),
    )


class FollowUpAnswer(NamedTuple):
    """What the follow-up figures count, of one participant's answers at one moment."""

    promoted: bool
    same_employer: bool
    contacts: int


@dataclass(frozen=True)
class FollowUpFigures:
    answered: int
    promoted: int  # promoted or in a new role since the programme
    same_employer: int
    median_contacts: float | None  # people met on placements still in touch with


def follow_up_figures(answers: Iterable[FollowUpAnswer]) -> FollowUpFigures:
    answers = list(answers)
    return FollowUpFigures(
        answered=len(answers),
        promoted=sum(1 for a in answers if a.promoted),
        same_employer=sum(1 for a in answers if a.same_employer),
        median_contacts=_median([a.contacts for a in answers]),
    )


@dataclass(frozen=True)
class FollowUpChange:
    """A cohort's follow-up at 6 and at 12 months, and paired: the same people, those who
    answered both, at each moment (so a change is not just different people answering)."""

    six: FollowUpFigures
    twelve: FollowUpFigures
    paired_six: FollowUpFigures
    paired_twelve: FollowUpFigures

    @property
    def paired(self) -> int:
        return self.paired_six.answered


def follow_up_change(
    six: Mapping[int, FollowUpAnswer], twelve: Mapping[int, FollowUpAnswer]
) -> FollowUpChange:
    """`six` and `twelve` map a participant's id to their answers at that moment."""
    both = sorted(six.keys() & twelve.keys())
    return FollowUpChange(
        six=follow_up_figures(six.values()),
        twelve=follow_up_figures(twelve.values()),
        paired_six=follow_up_figures(six[p] for p in both),
        paired_twelve=follow_up_figures(twelve[p] for p in both),
    )
