"""Run chart rules (improvements/runcharts.py): a table for every edge, then properties.

Pure Python: no database. Points are weekly from Monday 1 March 2027 unless a test
says otherwise, so index 0 is 1 March, index 5 is 5 April and index 14 is 7 June 2027.

Side patterns: "+" is a point above the median (about 20), "-" one below it (about 1)
and "0" one on it (11). With as many "+" as "-", the median is 11 either way.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from improvements import runcharts
from improvements.runcharts import (
    POINT_KINDS,
    RUNS_TABLE,
    SHIFT,
    TOO_FEW_RUNS,
    TOO_MANY_RUNS,
    TREND,
    Point,
    analyse_run_chart,
    format_date,
    format_date_range,
    format_value,
)

D = dt.date
START = D(2027, 3, 1)
WEEK = dt.timedelta(days=7)


def weekly(values, start: dt.date = START) -> list[Point]:
    return [Point(start + i * WEEK, value) for i, value in enumerate(values)]


def from_sides(pattern: str) -> list[float]:
    """'+' about 20, '-' about 1, '0' exactly 11; alternate values never make a trend of 5."""
    assert pattern.count("+") == pattern.count("-"), "unbalanced pattern: the median moves"
    return [
        {"+": 20.0 + i % 2, "-": 1.0 + i % 2, "0": 11.0}[side] for i, side in enumerate(pattern)
    ]


def of_kind(analysis, kind):
    return [signal for signal in analysis.signals if signal.kind == kind]


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def runs_values(useful: int, runs: int) -> list[float]:
    """`useful` points off the median making exactly `runs` runs.

    The larger half goes above the median, in the odd-numbered runs. An odd number
    of useful observations gets two points on the median (50) at the end, so that
    the median is exactly 50 and they are not useful.
    """
    above, below = (useful + 1) // 2, useful // 2
    above_sizes, below_sizes = split(above, (runs + 1) // 2), split(below, runs // 2)
    assert min(above_sizes + below_sizes) >= 1, "cannot make that many runs"
    values: list[float] = []
    for run in range(runs):
        if run % 2 == 0:
            values += [100.0 + len(values) % 3] * above_sizes[run // 2]
        else:
            values += [float(len(values) % 3)] * below_sizes[run // 2]
    if useful % 2:
        values += [50.0, 50.0]
    return values


# --- Words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2027, 3, 3), "3 March 2027", id="no-leading-zero"),
        pytest.param(D(2027, 12, 25), "25 December 2027", id="two-digit-day"),
        pytest.param(D(2028, 1, 1), "1 January 2028", id="new-year"),
        pytest.param(
            dt.datetime(2027, 2, 9, 14, 30, tzinfo=dt.UTC), "9 February 2027", id="a-datetime"
        ),
    ],
)
def test_format_date(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        pytest.param(D(2027, 3, 3), D(2027, 3, 3), "3 March 2027", id="one-day"),
        pytest.param(D(2027, 3, 3), D(2027, 4, 14), "3 March to 14 April 2027", id="same-year"),
        pytest.param(
            D(2026, 12, 7), D(2027, 1, 4), "7 December 2026 to 4 January 2027", id="two-years"
        ),
    ],
)
def test_format_date_range(first, last, expected):
    assert format_date_range(first, last) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(12.0, "12", id="whole"),
        pytest.param(12.25, "12.25", id="two-decimals"),
        pytest.param(12.5, "12.5", id="one-decimal"),
        pytest.param(10 / 3, "3.33", id="recurring"),
        pytest.param(-4.0, "-4", id="negative"),
        pytest.param(-0.0, "0", id="negative-zero"),
        pytest.param(0.0, "0", id="zero"),
        pytest.param(1234.5, "1,234.5", id="thousands"),
        pytest.param(0.0125, "0.0125", id="small-rate"),
        pytest.param(1 / 3, "0.333", id="small-recurring"),
        pytest.param(14.559999999999999, "14.56", id="float-noise"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


# --- Shifts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("------++-++-++++", [((0, 1, 2, 3, 4, 5), "down")], id="exactly-6-below"),
        pytest.param("-----++-++-+++-+", [], id="only-5-below"),
        pytest.param("++++++--+--+----", [((0, 1, 2, 3, 4, 5), "up")], id="exactly-6-above"),
        pytest.param("+++++--+--+---+-", [], id="only-5-above"),
        pytest.param(
            "---0---++-++-++++",
            [((0, 1, 2, 4, 5, 6), "down")],
            id="on-median-inside-neither-counts-nor-breaks",
        ),
        pytest.param("--0---++-++-+++-+", [], id="5-below-plus-1-on-median-is-not-6"),
        pytest.param(
            "0------++-++-++++", [((1, 2, 3, 4, 5, 6), "down")], id="on-median-at-the-start"
        ),
        pytest.param(
            "------++++++",
            [((0, 1, 2, 3, 4, 5), "down"), ((6, 7, 8, 9, 10, 11), "up")],
            id="two-shifts",
        ),
        pytest.param(
            "--------++++-+++++",
            [((0, 1, 2, 3, 4, 5, 6, 7), "down")],
            id="8-below-is-one-shift-not-three",
        ),
        pytest.param("-----+++++", [], id="fewer-points-than-a-shift-needs"),
        pytest.param("+-+-+-+-+-+-", [], id="alternating"),
    ],
)
def test_shift(pattern, expected):
    analysis = analyse_run_chart(weekly(from_sides(pattern)), higher_is_better=True)
    assert analysis.median == 11
    assert [(s.indices, s.direction) for s in of_kind(analysis, SHIFT)] == expected


def test_shift_sentence_names_dates_median_and_judgement():
    analysis = analyse_run_chart(weekly(from_sides("------++-++-++++")), higher_is_better=True)
    [shift] = of_kind(analysis, SHIFT)
    assert shift.sentence == (
        "A shift: 6 points in a row (1 March to 5 April 2027) are below the median of 11"
        " — a concern, as higher is better."
    )


def test_shift_sentence_says_a_point_on_the_median_was_skipped():
    analysis = analyse_run_chart(weekly(from_sides("---0---++-++-++++")), higher_is_better=False)
    [shift] = of_kind(analysis, SHIFT)
    assert shift.sentence == (
        "A shift: 6 points in a row (1 March to 12 April 2027, ignoring 1 point on the median"
        " in between) are below the median of 11 — an improvement, as lower is better."
    )


def test_shift_sentence_across_a_new_year():
    analysis = analyse_run_chart(
        weekly(from_sides("++++++--+--+----"), start=D(2026, 11, 30)), higher_is_better=None
    )
    [shift] = of_kind(analysis, SHIFT)
    assert "(30 November 2026 to 4 January 2027)" in shift.sentence
    assert "above the median of 11" in shift.sentence


# --- Trends ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([9, 1, 2, 3, 4, 5, 0], [((1, 2, 3, 4, 5), "up")], id="exactly-5-rising"),
        pytest.param([9, 1, 2, 3, 4, 0], [], id="only-4-rising"),
        pytest.param([0, 9, 8, 7, 6, 5, 10], [((1, 2, 3, 4, 5), "down")], id="exactly-5-falling"),
        pytest.param([0, 9, 8, 7, 6, 10], [], id="only-4-falling"),
        pytest.param([9, 1, 2, 2, 3, 4, 0], [], id="tie-counts-once-so-1-2-2-3-4-is-only-4-points"),
        pytest.param(
            [9, 1, 2, 2, 3, 4, 5, 0],
            [((1, 2, 3, 4, 5, 6), "up")],
            id="tie-counts-once-and-does-not-break",
        ),
        pytest.param(
            [9, 1, 2, 3, 3, 3, 4, 5, 0],
            [((1, 2, 3, 4, 5, 6, 7), "up")],
            id="three-equal-values-count-once",
        ),
        pytest.param(
            [1, 1, 2, 3, 4, 5, 0], [((1, 2, 3, 4, 5), "up")], id="tie-at-the-start-starts-late"
        ),
        pytest.param(
            [9, 1, 2, 3, 4, 5, 5, 0], [((1, 2, 3, 4, 5), "up")], id="tie-at-the-end-ends-early"
        ),
        pytest.param(
            [9, 8, 8, 7, 6, 6, 5, 9], [((0, 1, 2, 3, 4, 5, 6), "down")], id="falling-with-ties"
        ),
        pytest.param([1, 2, 3, 4, 5], [((0, 1, 2, 3, 4), "up")], id="5-points-are-enough"),
        pytest.param([1, 2, 3, 4], [], id="fewer-points-than-a-trend-needs"),
        pytest.param(
            [1, 2, 3, 4, 5, 4, 3, 2, 1],
            [((0, 1, 2, 3, 4), "up"), ((4, 5, 6, 7, 8), "down")],
            id="rise-then-fall-share-the-turning-point",
        ),
        pytest.param([1, 2, 3, 4, 5, 6, 7, 8], [(tuple(range(8)), "up")], id="one-long-trend"),
        pytest.param([-5, -4, -3, -2, -1], [((0, 1, 2, 3, 4), "up")], id="negative-values"),
        pytest.param([0.1, 0.2, 0.3, 0.4, 0.5], [((0, 1, 2, 3, 4), "up")], id="decimals"),
        pytest.param([4] * 10, [], id="all-equal"),
        pytest.param([1, 3, 2, 4, 3, 5, 4, 6], [], id="zig-zag-upwards-is-not-a-trend"),
    ],
)
def test_trend(values, expected):
    analysis = analyse_run_chart(weekly(values), higher_is_better=True)
    assert [(s.indices, s.direction) for s in of_kind(analysis, TREND)] == expected


def test_trend_sentence():
    analysis = analyse_run_chart(weekly([9, 1, 2, 3, 4, 5, 0]), higher_is_better=True)
    [trend] = of_kind(analysis, TREND)
    assert trend.sentence == (
        "A trend: 5 points in a row (8 March to 5 April 2027) each higher than the one before,"
        " rising from 1 to 5 — an improvement, as higher is better."
    )


def test_trend_sentence_mentions_ties():
    analysis = analyse_run_chart(weekly([9, 1, 2, 2, 3, 4, 5, 0]), higher_is_better=False)
    [trend] = of_kind(analysis, TREND)
    assert "5 points in a row (8 March to 12 April 2027, counting repeated values once)" in (
        trend.sentence
    )
    assert trend.sentence.endswith("— a concern, as lower is better.")


# --- Runs -----------------------------------------------------------------------------


def test_runs_table_covers_10_to_60_sensibly():
    assert sorted(RUNS_TABLE) == list(range(10, 61))
    for useful, (fewest, most) in RUNS_TABLE.items():
        assert 2 <= fewest < most <= useful
    lows = [RUNS_TABLE[n][0] for n in range(10, 61)]
    highs = [RUNS_TABLE[n][1] for n in range(10, 61)]
    assert lows == sorted(lows)
    assert highs == sorted(highs)


@pytest.mark.parametrize(
    ("useful", "expected"),
    [
        (10, (3, 9)),
        (11, (3, 10)),
        (12, (3, 11)),
        (13, (4, 11)),
        (14, (4, 12)),
        (15, (5, 12)),
        (16, (5, 13)),
        (17, (5, 13)),
        (18, (6, 14)),
        (19, (6, 15)),
        (20, (6, 16)),
        (30, (11, 21)),
        (40, (15, 27)),
        (50, (19, 33)),
        (60, (24, 38)),
    ],
    ids=lambda value: (
        f"{value[0]}-to-{value[1]}" if isinstance(value, tuple) else f"{value}-useful"
    ),
)
def test_runs_table_rows(useful, expected):
    assert RUNS_TABLE[useful] == expected


def _runs_edge_cases():
    for useful in (10, 11, 16, 20, 27, 41, 60):
        fewest, most = RUNS_TABLE[useful]
        yield pytest.param(
            useful, fewest - 1, TOO_FEW_RUNS, id=f"{useful}-useful-{fewest - 1}-runs-too-few"
        )
        yield pytest.param(useful, fewest, None, id=f"{useful}-useful-{fewest}-runs-at-lower")
        yield pytest.param(useful, most, None, id=f"{useful}-useful-{most}-runs-at-upper")
        yield pytest.param(
            useful, most + 1, TOO_MANY_RUNS, id=f"{useful}-useful-{most + 1}-runs-too-many"
        )


@pytest.mark.parametrize(("useful", "runs", "expected"), list(_runs_edge_cases()))
def test_runs_at_the_table_edges(useful, runs, expected):
    analysis = analyse_run_chart(weekly(runs_values(useful, runs)), higher_is_better=True)
    assert analysis.useful_observations == useful
    assert analysis.runs == runs
    assert analysis.runs_range == RUNS_TABLE[useful]
    found = [s.kind for s in analysis.signals if s.kind in (TOO_FEW_RUNS, TOO_MANY_RUNS)]
    assert found == ([expected] if expected else [])


def test_too_few_runs_sentence_and_signal():
    analysis = analyse_run_chart(weekly(runs_values(20, 5)), higher_is_better=True)
    [signal] = of_kind(analysis, TOO_FEW_RUNS)
    assert signal.direction == ""
    assert signal.improvement is None
    assert signal.indices == tuple(range(20))
    assert signal.sentence.startswith(
        "Too few runs: the line crosses the median only 4 times, making 5 runs; with 20 points"
        " off the median, 6 to 16 runs are expected from chance alone."
    )
    assert "too few runs" in analysis.summary


def test_too_many_runs_sentence():
    analysis = analyse_run_chart(weekly(runs_values(20, 17)), higher_is_better=None)
    [signal] = of_kind(analysis, TOO_MANY_RUNS)
    assert signal.sentence.startswith("Too many runs: 17 runs, where with 20 points off the median")
    assert "6 to 16" in signal.sentence


def test_runs_ignore_points_on_the_median():
    # 5 below, 2 on the median, 5 above: the median points do not split the runs.
    values = [1, 2, 1, 2, 1, 11, 11, 20, 21, 20, 21, 20]
    analysis = analyse_run_chart(weekly(values), higher_is_better=True)
    assert analysis.median == 11
    assert analysis.useful_observations == 10
    assert analysis.runs == 2
    assert analysis.runs_range == (3, 9)
    assert [s.kind for s in analysis.signals] == [TOO_FEW_RUNS]


@pytest.mark.parametrize("runs", [2, 5, 9], ids=lambda runs: f"{runs}-runs")
def test_fewer_than_10_useful_observations_are_not_judged_for_runs(runs):
    analysis = analyse_run_chart(weekly(runs_values(9, runs)), higher_is_better=True)
    assert analysis.useful_observations == 9
    assert analysis.runs == runs
    assert analysis.runs_range is None
    assert not of_kind(analysis, TOO_FEW_RUNS) + of_kind(analysis, TOO_MANY_RUNS)
    assert (
        "too few points to judge the number of runs: that needs at least 10 points off the"
        " median, and there are 9." in analysis.summary
    )


def test_more_useful_observations_than_the_table_are_not_judged_for_runs():
    analysis = analyse_run_chart(weekly(runs_values(62, 2)), higher_is_better=True)
    assert analysis.useful_observations == 62
    assert analysis.runs == 2
    assert analysis.runs_range is None
    assert not of_kind(analysis, TOO_FEW_RUNS)
    assert "The runs table stops at 60 points off the median and there are 62" in (analysis.summary)


# --- Whole run chart analyses ----------------------------------------------------------


def test_no_points():
    analysis = analyse_run_chart([], higher_is_better=True)
    assert analysis == runcharts.RunChartAnalysis(
        median=None,
        useful_observations=0,
        runs=0,
        runs_range=None,
        signals=(),
        summary="There is no data yet, so there is nothing to judge.",
    )


def test_one_point():
    analysis = analyse_run_chart([Point(D(2027, 3, 3), 12.0)], higher_is_better=True)
    assert analysis.median == 12
    assert (analysis.useful_observations, analysis.runs, analysis.signals) == (0, 0, ())
    assert analysis.summary == (
        "There is only 1 point so far (12 on 3 March 2027), so there is nothing to judge yet."
    )


def test_all_equal_data():
    analysis = analyse_run_chart(weekly([7.5] * 12), higher_is_better=True)
    assert analysis.median == 7.5
    assert analysis.useful_observations == 0
    assert analysis.runs == 0
    assert analysis.runs_range is None
    assert analysis.signals == ()
    assert analysis.summary == (
        "12 points from 1 March to 17 May 2027, all with the same value (7.5), so every point"
        " is on the median: there is no variation to judge yet."
    )


def test_no_signals_summary():
    values = from_sides("+-+--+-++-+-+--+")
    analysis = analyse_run_chart(weekly(values), higher_is_better=True)
    assert analysis.signals == ()
    assert analysis.summary == (
        "16 points from 1 March to 14 June 2027; the median is 11."
        " No signals of non-random variation were found."
    )


def test_summary_lists_the_signals_in_words():
    analysis = analyse_run_chart(weekly(from_sides("------++++++")), higher_is_better=True)
    assert analysis.summary == (
        "12 points from 1 March to 17 May 2027; the median is 11. Signals of non-random"
        " variation were found: a shift below the median (a concern), a shift above the median"
        " (an improvement) and too few runs."
    )


def test_unsorted_input_is_sorted_by_date_and_indices_follow_that_order():
    values = from_sides("------++-++-++++")
    points = weekly(values)
    shuffled = points[:]
    random.Random(4).shuffle(shuffled)
    assert shuffled != points
    assert analyse_run_chart(shuffled, True) == analyse_run_chart(points, True)
    [shift] = of_kind(analyse_run_chart(list(reversed(points)), True), SHIFT)
    assert shift.indices == (0, 1, 2, 3, 4, 5)


def test_points_on_the_same_date_keep_their_order():
    first, second = D(2027, 3, 1), D(2027, 3, 8)
    points = [Point(second, 5), Point(first, 1), Point(second, 3), Point(second, 4)]
    # Sorted: 1, 5, 3, 4 (stable): no trend; 1, 3, 4, 5 would have made a rising run.
    assert [p.value for p in runcharts.sort_points(points)] == [1, 5, 3, 4]


def test_decimal_and_integer_values_are_accepted():
    analysis = analyse_run_chart(weekly([Decimal("1.5"), 2, Decimal("2.5"), 3, 4]), None)
    assert analysis.median == 2.5
    assert [s.kind for s in analysis.signals] == [TREND]


@pytest.mark.parametrize("bad", [float("nan"), float("inf")], ids=["nan", "infinity"])
def test_values_that_are_not_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="3 March 2027"):
        analyse_run_chart([Point(D(2027, 3, 3), bad)], True)


# --- Improvement or concern -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "higher_is_better", "improvement", "ending"),
    [
        pytest.param("++++++--+--+----", True, True, "— an improvement, as higher is better.",
                     id="above-higher-better"),
        pytest.param("++++++--+--+----", False, False, "— a concern, as lower is better.",
                     id="above-lower-better"),
        pytest.param("++++++--+--+----", None, None,
                     "(which direction is better has not been set, so it is not judged).",
                     id="above-unknown"),
        pytest.param("------++-++-++++", True, False, "— a concern, as higher is better.",
                     id="below-higher-better"),
        pytest.param("------++-++-++++", False, True, "— an improvement, as lower is better.",
                     id="below-lower-better"),
        pytest.param("------++-++-++++", None, None,
                     "(which direction is better has not been set, so it is not judged).",
                     id="below-unknown"),
    ],
)  # fmt: skip
def test_shift_improvement_or_concern(pattern, higher_is_better, improvement, ending):
    analysis = analyse_run_chart(weekly(from_sides(pattern)), higher_is_better)
    [shift] = of_kind(analysis, SHIFT)
    assert shift.improvement is improvement
    assert shift.sentence.endswith(ending)


@pytest.mark.parametrize(
    ("values", "higher_is_better", "improvement"),
    [
        pytest.param([1, 2, 3, 4, 5], True, True, id="rising-higher-better"),
        pytest.param([1, 2, 3, 4, 5], False, False, id="rising-lower-better"),
        pytest.param([1, 2, 3, 4, 5], None, None, id="rising-unknown"),
        pytest.param([5, 4, 3, 2, 1], True, False, id="falling-higher-better"),
        pytest.param([5, 4, 3, 2, 1], False, True, id="falling-lower-better"),
        pytest.param([5, 4, 3, 2, 1], None, None, id="falling-unknown"),
    ],
)
def test_trend_improvement_or_concern(values, higher_is_better, improvement):
    [trend] = analyse_run_chart(weekly(values), higher_is_better).signals
    assert trend.improvement is improvement


# --- Properties -----------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
numbers = st.one_of(
    st.integers(min_value=-20, max_value=20).map(float),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)
point_lists = st.lists(st.builds(Point, dates, numbers), max_size=70)
directions = st.sampled_from([True, False, None])


def _check_signals(signals, count, higher_is_better):
    for signal in signals:
        assert signal.indices, signal
        assert list(signal.indices) == sorted(set(signal.indices))
        assert signal.indices[0] >= 0 and signal.indices[-1] < count
        assert signal.sentence
        if signal.kind in POINT_KINDS:
            assert signal.direction in ("up", "down")
            if higher_is_better is None:
                assert signal.improvement is None
            else:
                assert signal.improvement is ((signal.direction == "up") == higher_is_better)
        else:
            assert signal.direction == ""
            assert signal.improvement is None


@settings(max_examples=150, deadline=None)
@given(point_lists, directions)
def test_run_chart_properties(points, higher_is_better):
    analysis = analyse_run_chart(points, higher_is_better)
    values = [p.value for p in runcharts.sort_points(points)]
    assert analysis.summary
    if not values:
        assert analysis.median is None and analysis.signals == ()
        return
    on = [math.isclose(v, analysis.median, rel_tol=1e-9, abs_tol=1e-12) for v in values]
    above = sum(1 for v, o in zip(values, on, strict=True) if v > analysis.median and not o)
    below = sum(1 for v, o in zip(values, on, strict=True) if v < analysis.median and not o)
    # The median splits the useful observations: no more than half on either side.
    assert above <= len(values) / 2 and below <= len(values) / 2
    assert analysis.useful_observations == above + below
    if analysis.useful_observations:
        assert 1 <= analysis.runs <= analysis.useful_observations
    else:
        assert analysis.runs == 0 and analysis.signals == ()
    assert (analysis.runs_range is None) == (analysis.useful_observations not in RUNS_TABLE)
    _check_signals(analysis.signals, len(values), higher_is_better)
    for signal in of_kind(analysis, SHIFT):
        members = [values[i] for i in signal.indices]
        assert len(members) >= 6
        assert all(v > analysis.median for v in members) or all(
            v < analysis.median for v in members
        )
    for signal in of_kind(analysis, TREND):
        spanned = [values[i] for i in signal.indices]
        distinct = [
            v
            for i, v in enumerate(spanned)
            if i == 0 or not math.isclose(v, spanned[i - 1], rel_tol=1e-9, abs_tol=1e-12)
        ]
        assert len(distinct) >= 5
        assert distinct == sorted(distinct, reverse=signal.direction == "down")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-30, 30), min_size=1, max_size=40), st.integers(-100, 100))
def test_run_chart_signals_move_with_the_data(values, offset):
    points = weekly([float(v) for v in values])
    moved = weekly([float(v + offset) for v in values])
    flipped = weekly([float(-v) for v in values])

    def shape(analysis):
        return [(s.kind, s.indices, s.direction) for s in analysis.signals]

    base = analyse_run_chart(points, True)
    assert shape(analyse_run_chart(moved, True)) == shape(base)
    mirror = {"up": "down", "down": "up", "": ""}
    assert sorted(shape(analyse_run_chart(flipped, True))) == sorted(
        (kind, indices, mirror[direction]) for kind, indices, direction in shape(base)
    )
    # Which direction is better changes the judgement, never the signals.
    swapped = analyse_run_chart(points, False)
    assert shape(swapped) == shape(base)
    for ours, theirs in zip(base.signals, swapped.signals, strict=True):
        if ours.improvement is not None:
            assert theirs.improvement is (not ours.improvement)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), numbers), max_size=40, unique_by=lambda t: t[0]),
       st.randoms(use_true_random=False), directions)  # fmt: skip
def test_order_of_input_does_not_matter(pairs, rng, higher_is_better):
    points = [Point(START + dt.timedelta(days=day), value) for day, value in pairs]
    shuffled = points[:]
    rng.shuffle(shuffled)
    assert analyse_run_chart(shuffled, higher_is_better) == analyse_run_chart(
        points, higher_is_better
    )
