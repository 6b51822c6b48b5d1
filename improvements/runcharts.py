"""Run charts for an improvement initiative's measures.

Pure Python: no Django imports, so every rule can be table-tested quickly and the
same analysis can feed a web page, a PDF and the chart's text alternative.

Run charts follow the IHI rules as set out by Perla, Provost and Murray, "The run
chart: a simple analytical tool for learning from variation in healthcare
processes", BMJ Quality & Safety 2011;20:46-51:

- **Shift**: 6 or more consecutive points all above, or all below, the median.
  Points on the median are skipped: they neither count towards nor break a shift.
  A signal's indices are the points above (or below) the median; a skipped point on
  the median is not one of them, though the sentence says it was skipped.
- **Trend**: 5 or more consecutive points all going up, or all going down. Runs of
  equal values ("ties") are collapsed and counted once: they neither add to nor
  break a trend. The indices are every point the trend spans, ties included; where
  the trend starts (or ends) on a tied group, it starts at the last (or ends at the
  first) point of that group, the point the movement leaves from (or arrives at).
- **Runs**: a run is a series of points on the same side of the median; points on
  the median are ignored. The number of runs is the number of crossings plus one.
  Too few or too many runs for the number of useful observations (points not on the
  median), judged with `RUNS_TABLE`, is a signal. The table covers 10 to 60 useful
  observations: with fewer, or more, the number of runs is not judged and
  `runs_range` is None. A runs signal belongs to the whole chart, so its indices
  are all the useful observations.

**Phases.** A point marked "a change starts here" (`Point.starts_phase`) begins a new
phase, as in the Making Data Count chart (`improvements/spc.py`, with limits recalculated
at each change): each phase has its own median, and the shift, trend and runs rules look
only within it, so that a baseline before a deliberate change is not read against the
median of the data after it (nor the change itself taken for a shift). The analysis'
`median`, `useful_observations`, `runs` and `runs_range` are the latest phase's.

Every signal's `improvement` is True when its direction is the better one for the
measure (`higher_is_better`), False when it is the worse one, and None when the
better direction is not known or the signal has no direction (runs signals).

Values are compared with a tiny tolerance (`math.isclose`, relative 1e-9), so that
floating-point noise in a mean does not move a point off it.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# --- The rules' numbers ---------------------------------------------------------------

SHIFT_LENGTH = 6
TREND_LENGTH = 5
MIN_USEFUL_FOR_RUNS = 10

# Perla, Provost & Murray (2011), Table 1: for each number of useful observations
# (points not on the median), the fewest and the most runs expected from random
# variation alone (about a 5% risk of a false signal; after Swed & Eisenhart, 1943).
# Fewer runs than the first number, or more than the second, is a signal.
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (10, 19),
    28: (10, 20),
    29: (10, 20),
    30: (11, 21),
    31: (11, 22),
    32: (11, 23),
    33: (12, 23),
    34: (12, 24),
    35: (13, 24),
    36: (13, 25),
    37: (13, 26),
    38: (14, 26),
    39: (14, 27),
    40: (15, 27),
    41: (16, 28),
    42: (16, 28),
    43: (17, 29),
    44: (17, 29),
    45: (17, 30),
    46: (17, 31),
    47: (18, 31),
    48: (18, 32),
    49: (19, 32),
    50: (19, 33),
    51: (20, 33),
    52: (20, 34),
    53: (21, 34),
    54: (21, 35),
    55: (22, 35),
    56: (22, 36),
    57: (23, 36),
    58: (23, 37),
    59: (24, 38),
    60: (24, 38),
}
MAX_USEFUL_FOR_RUNS = max(RUNS_TABLE)

# Signal kinds, in the order signals starting at the same point are listed.
SHIFT = "shift"
TREND = "trend"
TOO_FEW_RUNS = "too_few_runs"
TOO_MANY_RUNS = "too_many_runs"
KINDS = (SHIFT, TREND, TOO_FEW_RUNS, TOO_MANY_RUNS)
# Signals made by particular points (a chart highlights these); runs signals are the
# whole chart's.
POINT_KINDS = frozenset({SHIFT, TREND})

UP = "up"
DOWN = "down"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: float
    note: str = ""
    starts_phase: bool = False  # a change starts here: a new median and new run rules
    phase_label: str = ""  # the change, in the participant's words


@dataclass(frozen=True)
class RunPhase:
    """The points from one change to the next (the first phase: before any change)."""

    number: int  # 1 for the baseline
    label: str
    first: int  # indices into the date-ordered points, inclusive
    last: int
    median: float
    useful_observations: int
    runs: int
    runs_range: tuple[int, int] | None

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def name(self) -> str:
        """As the Making Data Count chart names it (`spc.phase_name`)."""
        if self.number == 1:
            return self.label or "Before any change"
        return (
            f"Change {self.number - 1}: {self.label}" if self.label else f"Change {self.number - 1}"
        )


@dataclass(frozen=True)
class Signal:
    kind: str
    indices: tuple[int, ...]
    direction: str
    improvement: bool | None
    sentence: str


@dataclass(frozen=True)
class RunChartAnalysis:
    median: float | None
    useful_observations: int
    runs: int
    runs_range: tuple[int, int] | None
    signals: tuple[Signal, ...]
    summary: str
    phases: tuple[RunPhase, ...] = ()


# --- Words ----------------------------------------------------------------------------


def format_date(day: dt.date) -> str:
    """3 March 2027: no leading zero, whatever the platform's strftime can do."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_date_range(first: dt.date, last: dt.date) -> str:
    """'3 March to 14 April 2027'; the year once when both dates share it."""
    if first == last:
        return format_date(first)
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} to {format_date(last)}"
    return f"{format_date(first)} to {format_date(last)}"


def format_value(value: float) -> str:
    """12.0 -> '12', 12.25 -> '12.25', 1234.5 -> '1,234.5', 0.0125 -> '0.0125'.

    Two decimal places at most for numbers of 1 or more; small numbers keep three
    significant figures, so a rate of 0.0125 does not print as '0.01'.
    """
    if not math.isfinite(value):
        return str(value)
    size = abs(value)
    decimals = 2 if size >= 1 or size == 0 else min(12, 2 - math.floor(math.log10(size)))
    # Halves round up, as people round by hand: 13.915 is "13.92", though the nearest
    # binary number to it is a little below.
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _judgement(improvement: bool | None, higher_is_better: bool | None) -> str:
    """The end of a signal's sentence: whether it is good news, and why we think so."""
    if improvement is None or higher_is_better is None:
        return " (which direction is better has not been set, so it is not judged)."
    better = "higher is better" if higher_is_better else "lower is better"
    return f" — {'an improvement' if improvement else 'a concern'}, as {better}."


def _short_judgement(improvement: bool | None) -> str:
    if improvement is None:
        return ""
    return " (an improvement)" if improvement else " (a concern)"


# --- Helpers --------------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def sort_points(points: Sequence[Point]) -> list[Point]:
    """Date order, stable for points on the same date. Signal indices refer to this order."""
    return sorted(points, key=lambda point: point.date)


def _values(ordered: Sequence[Point]) -> list[float]:
    values = []
    for point in ordered:
        value = float(point.value)
        if not math.isfinite(value):
            raise ValueError(f"The value for {format_date(point.date)} is not a number.")
        values.append(value)
    return values


def _side(value: float, centre: float) -> int:
    """1 above the centre line, -1 below it, 0 on it."""
    if _close(value, centre):
        return 0
    return 1 if value > centre else -1


def _improvement(direction: str, higher_is_better: bool | None) -> bool | None:
    if higher_is_better is None or direction not in (UP, DOWN):
        return None
    return (direction == UP) == higher_is_better


def _same_side_runs(sides: Sequence[int], min_length: int, *, centre_breaks: bool):
    """Maximal stretches of points on one side, at least `min_length` long.

    Yields (side, member indices). Points on the centre line (side 0) are skipped,
    or break the stretch when `centre_breaks`.
    """
    current = 0
    members: list[int] = []
    for index, side in enumerate([*sides, None]):
        if side == 0 and not centre_breaks:
            continue
        if side != current:
            if current and len(members) >= min_length:
                yield current, members
            current = side or 0
            members = []
        if side:
            members.append(index)


def _monotone_stretches(values: Sequence[float], min_points: int, *, ties_count_once: bool):
    """Maximal stretches of points each higher (or each lower) than the one before.

    Yields (direction, first index, last index, points counted). With
    `ties_count_once`, runs of equal values are collapsed before counting; otherwise
    a tie breaks the stretch.
    """
    # Groups of consecutive equal values: [first index, last index, value].
    groups: list[list] = []
    for index, value in enumerate(values):
        if ties_count_once and groups and _close(groups[-1][2], value):
            groups[-1][1] = index
        else:
            groups.append([index, index, value])
    steps = []
    for before, after in zip(groups, groups[1:], strict=False):
        if _close(before[2], after[2]):
            steps.append(0)
        else:
            steps.append(1 if after[2] > before[2] else -1)
    start = 0
    while start < len(steps):
        end = start
        while end + 1 < len(steps) and steps[end + 1] == steps[start]:
            end += 1
        counted = end - start + 2  # groups start .. end + 1
        if steps[start] and counted >= min_points:
            first = groups[start][1]  # the last point of a tied starting group
            last = groups[end + 1][0]  # the first point of a tied ending group
            yield (UP if steps[start] > 0 else DOWN), first, last, counted
        start = end + 1


def _span(ordered: Sequence[Point], indices: Sequence[int]) -> str:
    return format_date_range(ordered[indices[0]].date, ordered[indices[-1]].date)


def _in_a_row(count: int) -> str:
    return f"{count} points in a row" if count != 1 else "1 point"


def _sort_signals(signals: list[Signal]) -> tuple[Signal, ...]:
    """In date order of their first point; the whole chart's runs signals last."""
    return tuple(
        sorted(
            signals,
            key=lambda s: (s.kind not in POINT_KINDS, s.indices[0], KINDS.index(s.kind)),
        )
    )


# --- Run charts -----------------------------------------------------------------------


def _shift_signals(ordered, sides, median, higher_is_better, offset=0, phase="") -> list[Signal]:
    """Shifts among `sides` (one phase's, from index `offset`); `phase` names the phase
    when there is more than one, so the sentence says which median it means."""
    signals = []
    for side, local in _same_side_runs(sides, SHIFT_LENGTH, centre_breaks=False):
        members = [offset + index for index in local]
        direction = UP if side > 0 else DOWN
        improvement = _improvement(direction, higher_is_better)
        skipped = members[-1] - members[0] + 1 - len(members)
        ignoring = (
            f", ignoring {_plural(skipped, 'point')} on the median in between" if skipped else ""
        )
        where = "above" if side > 0 else "below"
        which = f" ({phase})" if phase else ""
        sentence = (
            f"A shift: {_in_a_row(len(members))} ({_span(ordered, members)}{ignoring}) "
            f"are {where} the median of {format_value(median)}{which}"
            + _judgement(improvement, higher_is_better)
        )
        signals.append(Signal(SHIFT, tuple(members), direction, improvement, sentence))
    return signals


def _trend_sentence(kind_word, ordered, values, first, last, counted, direction, ties):
    each = "higher" if direction == UP else "lower"
    moving = "rising" if direction == UP else "falling"
    tied = ", counting repeated values once" if ties else ""
    return (
        f"{kind_word}: {_in_a_row(counted)} "
        f"({format_date_range(ordered[first].date, ordered[last].date)}{tied}) "
        f"each {each} than the one before, {moving} from {format_value(values[first])} "
        f"to {format_value(values[last])}"
    )


def _trend_signals(ordered, values, higher_is_better, first=0, last=None) -> list[Signal]:
    """Trends among the points `first` to `last` (one phase's; all of them by default)."""
    last = len(values) - 1 if last is None else last
    signals = []
    for direction, start, end, counted in _monotone_stretches(
        values[first : last + 1], TREND_LENGTH, ties_count_once=True
    ):
        start, end = first + start, first + end
        improvement = _improvement(direction, higher_is_better)
        ties = end - start + 1 > counted
        sentence = _trend_sentence(
            "A trend", ordered, values, start, end, counted, direction, ties
        ) + _judgement(improvement, higher_is_better)
        signals.append(
            Signal(TREND, tuple(range(start, end + 1)), direction, improvement, sentence)
        )
    return signals


def _runs_signals(useful_indices, runs, runs_range) -> list[Signal]:
    if runs_range is None:
        return []
    fewest, most = runs_range
    expected = (
        f"with {len(useful_indices)} points off the median, {fewest} to {most} runs "
        "are expected from chance alone"
    )
    if runs < fewest:
        crossings = runs - 1
        crosses = {
            0: "never crosses the median",
            1: "crosses the median only once",
            2: "crosses the median only twice",
        }.get(crossings, f"crosses the median only {crossings} times")
        sentence = (
            f"Too few runs: the line {crosses}, making {_plural(runs, 'run')}; {expected}. "
            "The points cluster on one side and then the other, which suggests something "
            "other than chance."
        )
        return [Signal(TOO_FEW_RUNS, tuple(useful_indices), "", None, sentence)]
    if runs > most:
        sentence = (
            f"Too many runs: {runs} runs, where {expected}. The points zig-zag across the "
            "median more than chance would suggest, which can mean the data mix two "
            "different processes (for example, alternate teams or sites)."
        )
        return [Signal(TOO_MANY_RUNS, tuple(useful_indices), "", None, sentence)]
    return []


def _run_chart_label(signal: Signal) -> str:
    judged = _short_judgement(signal.improvement)
    if signal.kind == SHIFT:
        where = "above" if signal.direction == UP else "below"
        return f"a shift {where} the median{judged}"
    if signal.kind == TREND:
        moving = "rising" if signal.direction == UP else "falling"
        return f"a {moving} trend{judged}"
    if signal.kind == TOO_FEW_RUNS:
        return "too few runs"
    return "too many runs"


def _points_phrase(ordered: Sequence[Point]) -> str:
    if len(ordered) == 1:
        return f"1 point, on {format_date(ordered[0].date)}"
    if ordered[0].date == ordered[-1].date:
        return f"{len(ordered)} points, all on {format_date(ordered[0].date)}"
    return f"{len(ordered)} points from {format_date_range(ordered[0].date, ordered[-1].date)}"


def _signals_sentence(labels: list[str], variation: str) -> str:
    if len(labels) == 1:
        return f"One signal of {variation} was found: {labels[0]}."
    listed = ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"Signals of {variation} were found: {listed}."


def _phase_sentence(phase: RunPhase, ordered: Sequence[Point]) -> str:
    when = format_date_range(ordered[phase.first].date, ordered[phase.last].date)
    return (
        f"{phase.name} ({when}, {_plural(phase.count, 'point')}): the median is "
        f"{format_value(phase.median)}."
    )


def _runs_note(useful: int, runs_range) -> str:
    """Why the number of runs was not judged, if it was not."""
    if useful < MIN_USEFUL_FOR_RUNS:
        return (
            f"There are too few points to judge the number of runs: that needs at "
            f"least {MIN_USEFUL_FOR_RUNS} points off the median, and there "
            f"{'is' if useful == 1 else 'are'} {useful}."
        )
    if runs_range is None:
        return (
            f"The runs table stops at {MAX_USEFUL_FOR_RUNS} points off the median and there "
            f"are {useful}, so the number of runs was not judged."
        )
    return ""


def _run_chart_summary(ordered, phases, signals) -> str:
    if not ordered:
        return "There is no data yet, so there is nothing to judge."
    if len(phases) == 1:
        median, useful = phases[0].median, phases[0].useful_observations
        if useful == 0:
            if len(ordered) == 1:
                return (
                    f"There is only 1 point so far ({format_value(median)} on "
                    f"{format_date(ordered[0].date)}), so there is nothing to judge yet."
                )
            return (
                f"{_points_phrase(ordered)}, all with the same value ({format_value(median)}), "
                "so every point is on the median: there is no variation to judge yet."
            )
        parts = [f"{_points_phrase(ordered)}; the median is {format_value(median)}."]
    else:
        parts = [
            f"{_points_phrase(ordered)}, in {len(phases)} phases: each change starts a new "
            "median, and the rules look within each phase.",
            *(_phase_sentence(phase, ordered) for phase in phases),
        ]
    if signals:
        parts.append(
            _signals_sentence([_run_chart_label(s) for s in signals], "non-random variation")
        )
    else:
        parts.append("No signals of non-random variation were found.")
    if len(phases) == 1:
        note = _runs_note(phases[0].useful_observations, phases[0].runs_range)
        if note:
            parts.append(note)
    else:
        unjudged = [
            f"{phase.name} ({phase.useful_observations})"
            for phase in phases
            if phase.runs_range is None
        ]
        if unjudged:
            listed = (
                ", ".join(unjudged[:-1]) + " and " + unjudged[-1]
                if len(unjudged) > 1
                else unjudged[0]
            )
            parts.append(
                f"The number of runs was not judged in {listed}: a phase needs "
                f"{MIN_USEFUL_FOR_RUNS} to {MAX_USEFUL_FOR_RUNS} points off its median for that "
                "(the number off the median in brackets)."
            )
    return " ".join(parts)


def _phase_bounds(ordered: Sequence[Point]) -> list[tuple[int, int]]:
    """(first, last) index of each phase: a new one at each point marked as a change."""
    starts = [0] + [i for i, point in enumerate(ordered) if i and point.starts_phase]
    ends = [start - 1 for start in starts[1:]] + [len(ordered) - 1]
    return list(zip(starts, ends, strict=True))


def analyse_run_chart(points: Sequence[Point], higher_is_better: bool | None) -> RunChartAnalysis:
    """Each phase's median and runs, and the shift, trend and runs signals within it."""
    ordered = sort_points(points)
    values = _values(ordered)
    if not values:
        return RunChartAnalysis(
            median=None,
            useful_observations=0,
            runs=0,
            runs_range=None,
            signals=(),
            summary=_run_chart_summary(ordered, (), ()),
        )
    bounds = _phase_bounds(ordered)
    phases: list[RunPhase] = []
    signals: list[Signal] = []
    for number, (first, last) in enumerate(bounds, start=1):
        phase_values = values[first : last + 1]
        median = statistics.median(phase_values)
        sides = [_side(value, median) for value in phase_values]
        useful_indices = [first + index for index, side in enumerate(sides) if side]
        useful_sides = [side for side in sides if side]
        crossings = sum(1 for a, b in zip(useful_sides, useful_sides[1:], strict=False) if a != b)
        useful = len(useful_indices)
        runs = crossings + 1 if useful else 0
        runs_range = RUNS_TABLE.get(useful)
        phase = RunPhase(
            number=number,
            label=" ".join(ordered[first].phase_label.split()) if number > 1 else "",
            first=first,
            last=last,
            median=median,
            useful_observations=useful,
            runs=runs,
            runs_range=runs_range,
        )
        phases.append(phase)
        signals += [
            *_shift_signals(
                ordered,
                sides,
                median,
                higher_is_better,
                offset=first,
                phase=phase.name if len(bounds) > 1 else "",
            ),
            *_trend_signals(ordered, values, higher_is_better, first, last),
            *_runs_signals(useful_indices, runs, runs_range),
        ]
    sorted_signals = _sort_signals(signals)
    latest = phases[-1]
    return RunChartAnalysis(
        median=latest.median,
        useful_observations=latest.useful_observations,
        runs=latest.runs,
        runs_range=latest.runs_range,
        signals=sorted_signals,
        summary=_run_chart_summary(ordered, phases, sorted_signals),
        phases=tuple(phases),
    )
