"""Statistical process control as NHS England's "Making Data Count", the way the NHS-R
community's NHSRplotthedots package reads an XmR (individuals) chart.

Pure Python: no Django, so the rules are tested against sums worked by hand, and the
same reading feeds the initiative page, the workshop pack and the evaluation report.

**Phases.** A deliberate change should move the process, so limits that span it would
judge the baseline against the new process (and call a good baseline "a concern").
Each point marked as starting a change begins a new phase (NHSRplotthedots' `rebase`):
every phase has its own mean and limits, computed from its own points only, and the
special-cause rules look only within the phase.

**Limits** (per phase): the mean; the moving ranges |x[i] - x[i-1]|; their mean, after
screening out any moving range of 3.267 times that mean or more (NHSRplotthedots'
default `screen_outliers`, after Nelson 1982: one wild point should not widen the
limits); process limits at mean ± 2.66 × mean moving range, and "near the limits" at
mean ± (2/3 × 2.66) × mean moving range (two sigma). With fewer than
`MIN_POINTS_FOR_LIMITS` points a phase has a mean but no limits (NHSRplotthedots
draws limits from any number of points; its own notes quote Wheeler that useful limits
need five or six values). With fewer than `POINTS_FOR_FIRM_LIMITS` they are *trial
limits*, revised with every point added, as NHSRplotthedots warns.

**Special causes** (per point, within its phase; the first that applies names it):

1. *outside the limits*: above the upper or below the lower process limit (a point
   exactly on a limit is inside);
2. *a trend*: the point is one of 7 or more in a row each higher (or each lower) than
   the one before; a tie breaks the trend;
3. *two of three near a limit*: the point is beyond the near limit (and not outside the
   limits), in a window of 3 points in a row all on the same side of the mean of which
   at least 2 are beyond the near limit;
4. *a shift*: the point is one of 7 or more in a row all above, or all below, the mean;
   a point exactly on the mean breaks it.

A special cause is "high" (above, or rising) or "low". It is an **improvement** when
that is the better direction, a **concern** when it is the worse one, and **neither**
when the better direction is not known; anything else is **common cause**.

**The readings** (as NHSRplotthedots' icons): the *variation* reading is the latest
point's; the *assurance* reading compares the target with the latest phase's limits:
consistently passing (the target is beyond the limits on the bad side, so every point
is expected to meet it), consistently failing (beyond them on the good side: it will
not be met without a change), hit and miss (within the limits, or on one).

Values are compared with a tiny tolerance (`math.isclose`), so that floating-point
noise in a mean does not move a point off it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from improvements.runcharts import format_date, format_date_range, format_value

# --- The method's numbers -------------------------------------------------------------

LIMIT_FACTOR = 2.66  # 3 / d2, where d2 = 1.128 for moving ranges of two points
NEAR_FACTOR = LIMIT_FACTOR * 2 / 3  # two sigma: "close to the limits"
SCREEN_FACTOR = 3.267  # moving ranges this many times the mean or more are left out
RUN_LENGTH = 7
TREND_LENGTH = 7
MIN_POINTS_FOR_LIMITS = 5
POINTS_FOR_FIRM_LIMITS = 12

# What made a point special, in the order the rules are tried.
OUTSIDE_LIMITS = "outside_limits"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
SHIFT = "shift"

# Variation readings.
COMMON_CAUSE = "common_cause"
IMPROVEMENT = "improvement"
CONCERN = "concern"
NEITHER = "neither"  # special cause, but which direction is better is not known

# Assurance readings.
PASSING = "passing"
FAILING = "failing"
HIT_AND_MISS = "hit_and_miss"

VARIATION_WORDS = {
    COMMON_CAUSE: "Common cause variation",
    IMPROVEMENT: "Special cause improvement",
    CONCERN: "Special cause concern",
    NEITHER: "Special cause variation, neither improvement nor concern",
}
ASSURANCE_WORDS = {
    PASSING: "Consistently passing the target",
    FAILING: "Consistently failing the target",
    HIT_AND_MISS: "Hit and miss on the target",
}


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float
    note: str = ""
    starts_phase: bool = False  # a change starts here: the limits are recalculated
    phase_label: str = ""  # the change, in the participant's words


@dataclass(frozen=True)
class Phase:
    number: int  # 1 for the baseline
    label: str
    first: int  # indices into the analysis' points, inclusive
    last: int
    mean: float
    mean_moving_range: float | None  # None: too few points for limits
    upper_limit: float | None
    lower_limit: float | None

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def has_limits(self) -> bool:
        return self.upper_limit is not None

    @property
    def trial(self) -> bool:
        """Trial limits: revised with every point until the phase has enough."""
        return self.has_limits and self.count < POINTS_FOR_FIRM_LIMITS

    @property
    def near_upper(self) -> float | None:
        if self.mean_moving_range is None:
            return None
        return self.mean + NEAR_FACTOR * self.mean_moving_range

    @property
    def near_lower(self) -> float | None:
        if self.mean_moving_range is None:
            return None
        return self.mean - NEAR_FACTOR * self.mean_moving_range


@dataclass(frozen=True)
class PointReading:
    cause: str | None  # OUTSIDE_LIMITS, TREND, TWO_OF_THREE, SHIFT; None: common cause
    high: bool | None  # above or rising (True), below or falling (False)
    variation: str | None  # COMMON_CAUSE, IMPROVEMENT, CONCERN, NEITHER; None: no limits


@dataclass(frozen=True)
class Reading:
    code: str
    words: str  # what the icon says: "Common cause variation"
    because: str  # why, in a sentence or two
    high: bool | None = None  # for a special cause: which way the point went

    @property
    def sentence(self) -> str:
        return f"{self.words}: {self.because}"


@dataclass(frozen=True)
class Signal:
    """Consecutive points of one phase made special by the same rule, the same way."""

    phase: int
    cause: str
    high: bool
    variation: str
    indices: tuple[int, ...]
    sentence: str


@dataclass(frozen=True)
class Analysis:
    points: tuple[Point, ...]  # in date order
    higher_is_better: bool | None
    target: float | None
    phases: tuple[Phase, ...]
    readings: tuple[PointReading, ...]  # one per point
    signals: tuple[Signal, ...]
    variation: Reading | None  # None: no data, or the latest phase has no limits yet
    assurance: Reading | None  # None: no target, no better direction, or no limits
    summary: str

    @property
    def latest_phase(self) -> Phase | None:
        return self.phases[-1] if self.phases else None

    @property
    def has_limits(self) -> bool:
        return any(phase.has_limits for phase in self.phases)

    def phase_of(self, index: int) -> Phase:
        return next(phase for phase in self.phases if phase.first <= index <= phase.last)


# --- Words ----------------------------------------------------------------------------


def _better(higher_is_better: bool | None) -> str:
    if higher_is_better is None:
        return "which direction is better has not been set"
    return "higher is better" if higher_is_better else "lower is better"


def phase_name(phase: Phase) -> str:
    if phase.number == 1 and not phase.label:
        return "Before any change"
    if phase.label:
        return f"Change {phase.number - 1}: {phase.label}" if phase.number > 1 else phase.label
    return f"Change {phase.number - 1}"


# --- Helpers --------------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _above(value: float, line: float) -> bool:
    return value > line and not _close(value, line)


def _below(value: float, line: float) -> bool:
    return value < line and not _close(value, line)


def _side(value: float, mean: float) -> int:
    """1 above the mean, -1 below it, 0 on it."""
    return 1 if _above(value, mean) else -1 if _below(value, mean) else 0


def _ordered(points: Sequence[Point]) -> tuple[Point, ...]:
    ordered = tuple(sorted(points, key=lambda point: point.date))
    for point in ordered:
        if not math.isfinite(float(point.value)):
            raise ValueError(f"The value for {format_date(point.date)} is not a number.")
    return ordered


def mean_moving_range(values: Sequence[float]) -> float:
    """The mean of the moving ranges, after leaving out those of 3.267 times the first
    mean or more (one wild point would otherwise widen the limits for every point)."""
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    first = math.fsum(ranges) / len(ranges)
    if _close(first, 0.0):
        return 0.0
    kept = [r for r in ranges if r < SCREEN_FACTOR * first and not _close(r, SCREEN_FACTOR * first)]
    return math.fsum(kept) / len(kept)


def _phases(ordered: Sequence[Point]) -> tuple[Phase, ...]:
    starts = [0] + [i for i, point in enumerate(ordered) if i and point.starts_phase]
    phases = []
    for number, first in enumerate(starts, start=1):
        last = starts[number] - 1 if number < len(starts) else len(ordered) - 1
        values = [float(p.value) for p in ordered[first : last + 1]]
        mean = math.fsum(values) / len(values)
        mmr = upper = lower = None
        if len(values) >= MIN_POINTS_FOR_LIMITS:
            mmr = mean_moving_range(values)
            upper = mean + LIMIT_FACTOR * mmr
            lower = mean - LIMIT_FACTOR * mmr
        label = " ".join(ordered[first].phase_label.split())
        phases.append(Phase(number, label, first, last, mean, mmr, upper, lower))
    return tuple(phases)


def _phase_causes(values: Sequence[float], phase: Phase) -> list[tuple[str, bool] | None]:
    """Each point's special cause within one phase, and whether it is high."""
    n = len(values)
    sides = [_side(v, phase.mean) for v in values]
    outside = [_above(v, phase.upper_limit) or _below(v, phase.lower_limit) for v in values]
    near = [
        not outside[i]
        and (_above(values[i], phase.near_upper) or _below(values[i], phase.near_lower))
        for i in range(n)
    ]

    trend: dict[int, bool] = {}  # index -> rising; a later trend overrides an earlier one
    steps = [_side(b, a) for a, b in zip(values, values[1:], strict=False)]
    for end in range(TREND_LENGTH - 1, n):
        window = steps[end - TREND_LENGTH + 1 : end]
        if all(step == 1 for step in window) or all(step == -1 for step in window):
            for i in range(end - TREND_LENGTH + 1, end + 1):
                trend[i] = window[0] == 1

    two_of_three: set[int] = set()
    for start in range(n - 2):
        window = range(start, start + 3)
        if sum(near[i] for i in window) >= 2 and abs(sum(sides[i] for i in window)) == 3:
            two_of_three.update(i for i in window if near[i])

    shift: set[int] = set()
    start = 0
    while start < n:
        end = start
        while end + 1 < n and sides[end + 1] == sides[start]:
            end += 1
        if sides[start] and end - start + 1 >= RUN_LENGTH:
            shift.update(range(start, end + 1))
        start = end + 1

    causes: list[tuple[str, bool] | None] = []
    for i in range(n):
        if outside[i]:
            causes.append((OUTSIDE_LIMITS, sides[i] > 0))
        elif i in trend:
            causes.append((TREND, trend[i]))
        elif i in two_of_three:
            causes.append((TWO_OF_THREE, sides[i] > 0))
        elif i in shift:
            causes.append((SHIFT, sides[i] > 0))
        else:
            causes.append(None)
    return causes


def _variation(high: bool, higher_is_better: bool | None) -> str:
    if higher_is_better is None:
        return NEITHER
    return IMPROVEMENT if high == higher_is_better else CONCERN


# --- Sentences --------------------------------------------------------------------------


def _cause_phrase(cause: str, high: bool, count: int, phase: Phase) -> str:
    points = f"{count} point{'s' if count != 1 else ''}"
    if cause == OUTSIDE_LIMITS:
        if high:
            return f"{points} above the upper limit of {format_value(phase.upper_limit)}"
        return f"{points} below the lower limit of {format_value(phase.lower_limit)}"
    if cause == TREND:
        return (
            f"a trend: {points} in a row each {'higher' if high else 'lower'} than the one before"
        )
    if cause == TWO_OF_THREE:
        near = phase.near_upper if high else phase.near_lower
        return (
            f"{points} near the {'upper' if high else 'lower'} limit (beyond "
            f"{format_value(near)}), two of three in a row"
        )
    where = "above" if high else "below"
    return f"a shift: {points} in a row {where} the mean of {format_value(phase.mean)}"


def _judged(variation: str, higher_is_better: bool | None) -> str:
    if variation == IMPROVEMENT:
        return f", an improvement, as {_better(higher_is_better)}"
    if variation == CONCERN:
        return f", a concern, as {_better(higher_is_better)}"
    return f" ({_better(higher_is_better)}, so it is not judged)"


def _signals(ordered, phases, readings, higher_is_better) -> tuple[Signal, ...]:
    signals = []
    for phase in phases:
        index = phase.first
        while index <= phase.last:
            reading = readings[index]
            if reading.cause is None:
                index += 1
                continue
            end = index
            while (
                end + 1 <= phase.last
                and readings[end + 1].cause == reading.cause
                and readings[end + 1].high == reading.high
            ):
                end += 1
            indices = tuple(range(index, end + 1))
            when = format_date_range(ordered[index].date, ordered[end].date)
            sentence = (
                f"{_cause_phrase(reading.cause, reading.high, len(indices), phase)} ({when})"
                + _judged(reading.variation, higher_is_better)
                + "."
            )
            sentence = sentence[0].upper() + sentence[1:]
            signals.append(
                Signal(
                    phase.number, reading.cause, reading.high, reading.variation, indices, sentence
                )
            )
            index = end + 1
    return tuple(signals)


def describe_phase(phase: Phase, ordered: Sequence[Point]) -> str:
    """One phase in words: its dates, its mean and its limits (or why there are none)."""
    when = format_date_range(ordered[phase.first].date, ordered[phase.last].date)
    count = f"{phase.count} point{'s' if phase.count != 1 else ''}"
    text = f"{phase_name(phase)} ({when}, {count}): the mean is {format_value(phase.mean)}"
    if not phase.has_limits:
        return (
            f"{text}; the limits need at least {MIN_POINTS_FOR_LIMITS} points in a phase, "
            "so none are drawn yet."
        )
    text += (
        f" and the process limits are {format_value(phase.lower_limit)} to "
        f"{format_value(phase.upper_limit)}"
    )
    if phase.trial:
        return (
            f"{text} (trial limits: they are revised with each point until the phase has "
            f"{POINTS_FOR_FIRM_LIMITS})."
        )
    return text + "."


def _variation_reading(ordered, phases, readings, signals) -> Reading | None:
    if not ordered or readings[-1].variation is None:
        return None
    latest = readings[-1]
    phase = phases[-1]
    point = ordered[-1]
    at = f"the latest point ({format_value(float(point.value))} on {format_date(point.date)})"
    words = VARIATION_WORDS[latest.variation]
    if latest.variation == COMMON_CAUSE:
        because = (
            f"{at} is within the limits of {format_value(phase.lower_limit)} to "
            f"{format_value(phase.upper_limit)} and is not part of a run, a trend or a pattern "
            "near the limits. The process is steady: it will change only if the way of "
            "working changes."
        )
        return Reading(COMMON_CAUSE, words, because)
    signal = next(s for s in signals if len(ordered) - 1 in s.indices)
    return Reading(
        latest.variation, words, f"{at} is a special cause. {signal.sentence}", latest.high
    )


def _assurance_reading(phases, target, higher_is_better) -> Reading | None:
    if target is None or higher_is_better is None or not phases or not phases[-1].has_limits:
        return None
    phase = phases[-1]
    limits = f"{format_value(phase.lower_limit)} to {format_value(phase.upper_limit)}"
    at = f"the target of {format_value(target)}"
    if _above(target, phase.upper_limit) or _below(target, phase.lower_limit):
        beyond = "above the upper" if target > phase.upper_limit else "below the lower"
        meets = (target < phase.lower_limit) == higher_is_better
        code = PASSING if meets else FAILING
        outlook = (
            "every point is expected to meet it"
            if meets
            else "it will not be met unless the way of working changes"
        )
        because = (
            f"{at} is {beyond} limit (the limits are {limits}) and "
            f"{_better(higher_is_better)}, so {outlook}."
        )
        return Reading(code, ASSURANCE_WORDS[code], because)
    because = (
        f"{at} is within the limits of {limits}, so common cause variation alone will "
        "sometimes meet it and sometimes miss it."
    )
    return Reading(HIT_AND_MISS, ASSURANCE_WORDS[HIT_AND_MISS], because)


def _summary(ordered, phases, signals, variation, assurance) -> str:
    if not ordered:
        return "There is no data yet, so there is nothing to read."
    parts = [describe_phase(phase, ordered) for phase in phases]
    parts += [signal.sentence for signal in signals]
    if variation is not None:
        parts.append(variation.sentence)
    elif not phases[-1].has_limits:
        parts.append("There are not enough points in the latest phase to read its variation yet.")
    if assurance is not None:
        parts.append(assurance.sentence)
    return " ".join(parts)


# --- The analysis -----------------------------------------------------------------------


def analyse(
    points: Sequence[Point], higher_is_better: bool | None, target: float | None = None
) -> Analysis:
    """Phases, limits, each point's special cause and the variation and assurance readings."""
    ordered = _ordered(points)
    target = float(target) if target is not None else None
    if not ordered:
        return Analysis(
            (), higher_is_better, target, (), (), (), None, None, _summary((), (), (), None, None)
        )
    phases = _phases(ordered)
    readings: list[PointReading] = []
    for phase in phases:
        values = [float(p.value) for p in ordered[phase.first : phase.last + 1]]
        if not phase.has_limits:
            readings += [PointReading(None, None, None)] * phase.count
            continue
        for cause in _phase_causes(values, phase):
            if cause is None:
                readings.append(PointReading(None, None, COMMON_CAUSE))
            else:
                readings.append(
                    PointReading(cause[0], cause[1], _variation(cause[1], higher_is_better))
                )
    signals = _signals(ordered, phases, readings, higher_is_better)
    variation = _variation_reading(ordered, phases, readings, signals)
    assurance = _assurance_reading(phases, target, higher_is_better)
    return Analysis(
        points=ordered,
        higher_is_better=higher_is_better,
        target=target,
        phases=phases,
        readings=tuple(readings),
        signals=signals,
        variation=variation,
        assurance=assurance,
        summary=_summary(ordered, phases, signals, variation, assurance),
    )
