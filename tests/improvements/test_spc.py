"""Making Data Count readings (improvements/spc.py), against sums worked by hand.

Every expected number below is worked out in the comments from the method's published
rules (NHSRplotthedots, as its documentation and its "Deviations from Excel defaults"
vignette describe them), not taken from the code under test:

- mean of the phase's points; moving ranges |x[i] - x[i-1]|; their mean after leaving
  out any moving range of 3.267 x that mean or more;
- process limits: mean +/- 2.66 x mean moving range; "near the limits": mean +/-
  (2/3 x 2.66 = 1.77333) x mean moving range;
- special causes: outside the limits, then a trend of 7, then two of three near a limit
  on one side of the mean, then a shift of 7 on one side of the mean.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from improvements import spc
from improvements.spc import (
    COMMON_CAUSE,
    CONCERN,
    FAILING,
    HIT_AND_MISS,
    IMPROVEMENT,
    NEITHER,
    OUTSIDE_LIMITS,
    PASSING,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    Point,
    analyse,
)

START = dt.date(2027, 3, 1)
WEEK = dt.timedelta(days=7)


def weekly(values, changes=None) -> list[Point]:
    """A point a week from 1 March 2027; `changes` maps an index to the change's label."""
    changes = changes or {}
    return [
        Point(
            START + i * WEEK,
            value,
            starts_phase=i in changes,
            phase_label=changes.get(i, ""),
        )
        for i, value in enumerate(values)
    ]


def causes(analysis) -> list[str | None]:
    return [reading.cause for reading in analysis.readings]


def variations(analysis) -> list[str | None]:
    return [reading.variation for reading in analysis.readings]


# --- Limits -----------------------------------------------------------------------------


def test_limits_worked_by_hand_with_an_outlying_moving_range_left_out():
    # Points 10, 12, 11, 13, 12, 30.
    # Mean: (10 + 12 + 11 + 13 + 12 + 30) / 6 = 88 / 6 = 14.6667.
    # Moving ranges: 2, 1, 2, 1, 18; their mean 24 / 5 = 4.8.
    # Screening: 3.267 x 4.8 = 15.68, so the 18 is left out: (2 + 1 + 2 + 1) / 4 = 1.5.
    # Limits: 14.6667 +/- 2.66 x 1.5 = 14.6667 +/- 3.99 -> 10.6767 to 18.6567.
    analysis = analyse(weekly([10, 12, 11, 13, 12, 30]), higher_is_better=True)
    [phase] = analysis.phases
    assert phase.mean == pytest.approx(14.6667, abs=1e-4)
    assert phase.mean_moving_range == pytest.approx(1.5)
    assert phase.upper_limit == pytest.approx(18.6567, abs=1e-4)
    assert phase.lower_limit == pytest.approx(10.6767, abs=1e-4)
    # 30 > 18.6567: above the upper limit. The 30 also pulls the mean up, so that the
    # 10 (< 10.6767) is below the lower limit.
    assert causes(analysis)[5] == OUTSIDE_LIMITS and analysis.readings[5].high is True
    assert causes(analysis)[0] == OUTSIDE_LIMITS and analysis.readings[0].high is False
    # 6 points: fewer than 12, so these are trial limits.
    assert phase.trial
    assert "trial limits" in analysis.summary


def test_the_published_example_of_screening_outlying_points():
    # NHSRplotthedots' "Deviations from Excel defaults": 1, 2, 1, 2, 10, then 1, 2 ... 1
    # (18 points), published as UPL 4.6, mean 1.94, LPL -0.72 (screened).
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    # Sum: 1+2+1+2 = 6, + 10 = 16, + seven 1s and six 2s = 19 -> 35; mean 35 / 18 = 1.9444.
    # Moving ranges: 1, 1, 1, 8, 9, then twelve 1s: 32 / 17 = 1.8824.
    # Screening: 3.267 x 1.8824 = 6.149, so 8 and 9 are left out: 15 / 15 = 1.
    # Limits: 1.9444 +/- 2.66 -> -0.7156 to 4.6044.
    assert spc.mean_moving_range(values) == pytest.approx(1.0)
    [phase] = analyse(weekly(values), higher_is_better=True).phases
    assert round(phase.mean, 2) == 1.94
    assert round(phase.upper_limit, 2) == 4.60
    assert round(phase.lower_limit, 2) == -0.72
    assert not phase.trial  # 18 points: at least 12


# --- Rebase: one phase per change -----------------------------------------------------

BASELINE = [20, 22, 21, 23, 22, 21, 20, 22]
AFTER_CHANGE = [10, 11, 12, 10, 11, 12, 11, 10]


def test_each_phase_has_its_own_mean_and_limits():
    analysis = analyse(
        weekly(BASELINE + AFTER_CHANGE, {8: "Referral summary sent"}), higher_is_better=False
    )
    baseline, changed = analysis.phases
    # Baseline: 171 / 8 = 21.375. Moving ranges 2, 1, 2, 1, 1, 1, 2 = 10 / 7 = 1.428571
    # (none of 3.267 x 1.428571 = 4.667 or more). Limits 21.375 +/- 2.66 x 1.428571 =
    # 21.375 +/- 3.8 -> 17.575 to 25.175.
    assert (baseline.first, baseline.last) == (0, 7)
    assert baseline.mean == pytest.approx(21.375)
    assert baseline.mean_moving_range == pytest.approx(10 / 7)
    assert baseline.upper_limit == pytest.approx(25.175)
    assert baseline.lower_limit == pytest.approx(17.575)
    # After the change: 87 / 8 = 10.875. Moving ranges 1, 1, 2, 1, 1, 1, 1 = 8 / 7 =
    # 1.142857. Limits 10.875 +/- 2.66 x 1.142857 = 10.875 +/- 3.04 -> 7.835 to 13.915.
    assert (changed.first, changed.last) == (8, 15)
    assert changed.label == "Referral summary sent"
    assert changed.mean == pytest.approx(10.875)
    assert changed.upper_limit == pytest.approx(13.915)
    assert changed.lower_limit == pytest.approx(7.835)


def test_the_baseline_before_the_change_is_not_a_concern():
    # Without the change point, one phase of 16: mean 258 / 16 = 16.125; moving ranges
    # 10 (baseline) + 12 (the drop) + 8 (after) = 30 / 15 = 2; the 12 is 3.267 x 2 = 6.534
    # or more, so it is left out: 18 / 14 = 1.2857. Limits 16.125 +/- 3.42 -> 12.705 to
    # 19.545: every baseline point (20 or more) is above the upper limit, and with lower
    # is better each is read as a concern. That is the wrong reading this module fixes.
    one_phase = analyse(weekly(BASELINE + AFTER_CHANGE), higher_is_better=False)
    assert one_phase.phases[0].upper_limit == pytest.approx(19.545)
    assert variations(one_phase)[:8] == [CONCERN] * 8

    # With the change marked, the baseline is judged against its own limits (17.575 to
    # 25.175, near limits 21.375 +/- 1.77333 x 1.428571 = 18.842 to 23.908): no point
    # outside or near them, no run of 7 on one side (signs about 21.375: - + - + + - - +),
    # no trend. Common cause throughout, and so is the phase after the change.
    phased = analyse(
        weekly(BASELINE + AFTER_CHANGE, {8: "Referral summary sent"}), higher_is_better=False
    )
    assert variations(phased) == [COMMON_CAUSE] * 16
    assert phased.variation.code == COMMON_CAUSE
    assert "Referral summary sent" in phased.summary


def test_special_causes_are_looked_for_within_a_phase_only():
    values = [9, 11, 9, 11, 9, 11, 9, 20, 21, 20, 21, 20, 21, 20]
    # As one phase: mean (69 + 143) / 14 = 15.143; moving ranges six 2s, an 11, six 1s =
    # 29 / 13 = 2.2308; the 11 is 3.267 x 2.2308 = 7.29 or more and is left out: 18 / 12 =
    # 1.5; limits 15.143 +/- 3.99 -> 11.153 to 19.133: every point is outside them.
    assert causes(analyse(weekly(values), True)) == [OUTSIDE_LIMITS] * 14
    # With the change marked: the baseline 9, 11 ... 9 has mean 69 / 7 = 9.857 and moving
    # ranges all 2 (limits 9.857 +/- 5.32, near 9.857 +/- 3.547); the second phase 20,
    # 21 ... 20 has mean 143 / 7 = 20.429 and moving ranges all 1 (limits 20.429 +/- 2.66,
    # near 20.429 +/- 1.773). Nothing outside or near either; both alternate about their
    # mean, so no run and no trend.
    phased = analyse(weekly(values, {7: "New rota"}), higher_is_better=True)
    assert variations(phased) == [COMMON_CAUSE] * 14


# --- The rules --------------------------------------------------------------------------

# 9, 11 alternating (7 points), then 14, 12 alternating (7 points).
# Mean: (4 x 9 + 3 x 11 + 4 x 14 + 3 x 12) / 14 = (36 + 33 + 56 + 36) / 14 = 161 / 14 = 11.5.
# Moving ranges: six 2s, one 5 (9 to 14), six 2s = 29 / 13 = 2.2308 (3.267 x that = 7.29:
# none left out). Limits 11.5 +/- 2.66 x 2.2308 = 11.5 +/- 5.934 -> 5.566 to 17.434; near
# limits 11.5 +/- 1.77333 x 2.2308 = 11.5 +/- 3.956 -> 7.544 to 15.456: nothing beyond.
SHIFTS = [9, 11, 9, 11, 9, 11, 9, 14, 12, 14, 12, 14, 12, 14]


@pytest.mark.parametrize(
    ("higher_is_better", "first_seven", "last_seven"),
    [(True, CONCERN, IMPROVEMENT), (False, IMPROVEMENT, CONCERN), (None, NEITHER, NEITHER)],
)
def test_a_shift_of_seven(higher_is_better, first_seven, last_seven):
    analysis = analyse(weekly(SHIFTS), higher_is_better)
    [phase] = analysis.phases
    assert phase.mean == pytest.approx(11.5)
    assert phase.upper_limit == pytest.approx(11.5 + 2.66 * 29 / 13)
    # The first 7 are all below 11.5, the last 7 all above it.
    assert causes(analysis) == [SHIFT] * 14
    assert variations(analysis) == [first_seven] * 7 + [last_seven] * 7
    assert analysis.variation.code == last_seven
    assert len(analysis.signals) == 2


def test_six_on_one_side_is_not_a_shift():
    # 9, 11 x 3 then 14, 12 x 3: mean (3 x 9 + 3 x 11 + 3 x 14 + 3 x 12) / 12 = 138 / 12 =
    # 11.5; moving ranges five 2s, a 5, five 2s = 25 / 11 = 2.2727; limits 11.5 +/- 6.045;
    # near 11.5 +/- 4.03 (7.47 to 15.53): nothing beyond. Six below, six above: no shift.
    analysis = analyse(weekly([9, 11, 9, 11, 9, 11, 14, 12, 14, 12, 14, 12]), True)
    assert variations(analysis) == [COMMON_CAUSE] * 12


# 14, 12, 14, 12, 14, then 10, 11, 12, 13, 14, 15, 16.
# Mean: (66 + 91) / 12 = 157 / 12 = 13.0833. Moving ranges 2, 2, 2, 2, 4, 1 x 6 = 18 / 11 =
# 1.6364 (3.267 x that = 5.35: none left out). Limits 13.0833 +/- 2.66 x 1.6364 =
# 13.0833 +/- 4.3527 -> 8.7306 to 17.436: nothing outside.
TREND_VALUES = [14, 12, 14, 12, 14, 10, 11, 12, 13, 14, 15, 16]


def test_a_trend_of_seven_outranks_the_side_of_the_mean():
    analysis = analyse(weekly(TREND_VALUES), higher_is_better=False)
    [phase] = analysis.phases
    assert phase.mean == pytest.approx(157 / 12)
    assert phase.upper_limit == pytest.approx(157 / 12 + 2.66 * 18 / 11)
    # 10 to 16: 7 points each higher than the one before; rising, and lower is better.
    assert causes(analysis) == [None] * 5 + [TREND] * 7
    assert [r.high for r in analysis.readings[5:]] == [True] * 7
    # The 10 is below the mean but part of a rising trend: a concern, like the rest.
    assert variations(analysis)[5:] == [CONCERN] * 7
    assert analysis.variation.code == CONCERN
    assert "each higher than the one before" in analysis.variation.sentence


def test_six_rising_is_not_a_trend_and_a_tie_breaks_one():
    # 14, 12, 14, 12, 14, 10, 11, 12, 12, 13, 14, 15: the tie (12, 12) leaves rises of 3
    # and 4 points. Mean 153 / 12 = 12.75; moving ranges 2, 2, 2, 2, 4, 1, 1, 0, 1, 1, 1 =
    # 17 / 11 = 1.5455; limits 12.75 +/- 4.111 (8.639 to 16.861); near 12.75 +/- 2.741
    # (10.009 to 15.491): 10 is beyond the near lower limit, but alone (11 is not), so it
    # is not two of three. Signs about 12.75: + - + - + - - - - + + +: no run of 7.
    analysis = analyse(weekly([14, 12, 14, 12, 14, 10, 11, 12, 12, 13, 14, 15]), False)
    assert causes(analysis) == [None] * 12


# 11, 13, 11, 13, 11, 18, 18, 14, 11, 13, 11, 13.
# Mean: (11 x 5 = 55) + (13 x 4 = 52) + (18 x 2 = 36) + 14 = 157; 157 / 12 = 13.0833.
# Moving ranges 2, 2, 2, 2, 7, 0, 4, 3, 2, 2, 2 = 28 / 11 = 2.5455 (3.267 x that = 8.32:
# none left out). Limits 13.0833 +/- 6.7709 -> 6.3124 to 19.8542; near 13.0833 +/-
# 1.77333 x 2.5455 = 4.5139 -> 8.5694 to 17.5973. The two 18s are beyond 17.5973 and
# inside 19.8542; with the 14 after them all three are above the mean: two of three.
NEAR_VALUES = [11, 13, 11, 13, 11, 18, 18, 14, 11, 13, 11, 13]


def test_two_of_three_near_a_limit():
    analysis = analyse(weekly(NEAR_VALUES), higher_is_better=True)
    [phase] = analysis.phases
    assert phase.near_upper == pytest.approx(157 / 12 + 2.66 * 2 / 3 * 28 / 11)
    assert causes(analysis) == [None] * 5 + [TWO_OF_THREE] * 2 + [None] * 5
    assert variations(analysis)[5:7] == [IMPROVEMENT, IMPROVEMENT]
    # The latest point (13) is common cause, so the reading is common cause.
    assert analysis.variation.code == COMMON_CAUSE


# 12, 14, 13, 15, 14, 13, 14, 20.
# Mean (95 + 20) / 8 = 14.375. Moving ranges 2, 1, 2, 1, 1, 1, 6 = 14 / 7 = 2 (3.267 x 2 =
# 6.534: the 6 stays). Limits 14.375 +/- 5.32 -> 9.055 to 19.695: 20 is above. Near
# limits 14.375 +/- 3.5467 (10.83 to 17.92): only the 20 is beyond, and it is outside.
OUTSIDE_VALUES = [12, 14, 13, 15, 14, 13, 14, 20]


@pytest.mark.parametrize(
    ("higher_is_better", "reading"), [(True, IMPROVEMENT), (False, CONCERN), (None, NEITHER)]
)
def test_a_point_outside_the_limits_read_by_the_better_direction(higher_is_better, reading):
    analysis = analyse(weekly(OUTSIDE_VALUES), higher_is_better)
    [phase] = analysis.phases
    assert phase.upper_limit == pytest.approx(19.695)
    assert causes(analysis) == [None] * 7 + [OUTSIDE_LIMITS]
    assert analysis.variation.code == reading
    assert analysis.variation.high is True
    assert "above the upper limit of 19.7" in analysis.variation.sentence


def test_a_point_on_a_limit_is_inside_it():
    # A point's own value moves the limits, so a data set with a point exactly on one is
    # hard to build; the comparison every rule uses is tested instead. Limits of a
    # phase with mean 11 and mean moving range 2: 11 + 2.66 x 2 = 16.32.
    assert not spc._above(16.32, 11 + 2.66 * 2)
    assert spc._above(16.33, 11 + 2.66 * 2)


# --- Assurance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "higher_is_better", "reading"),
    [
        # After the change: limits 7.835 to 13.915 (worked above).
        (15, False, PASSING),  # above the upper limit; lower is better: every point meets it
        (7, False, FAILING),  # below the lower limit: no point is expected to reach it
        (12, False, HIT_AND_MISS),  # within the limits
        (15, True, FAILING),
        (7, True, PASSING),
        (13.915, False, HIT_AND_MISS),  # on the limit counts as within
    ],
)
def test_assurance_reads_the_target_against_the_latest_phase(target, higher_is_better, reading):
    analysis = analyse(
        weekly(BASELINE + AFTER_CHANGE, {8: "Referral summary sent"}), higher_is_better, target
    )
    assert analysis.assurance.code == reading
    assert analysis.assurance.words == spc.ASSURANCE_WORDS[reading]
    assert analysis.assurance.sentence in analysis.summary


def test_no_assurance_without_a_target_or_a_better_direction():
    points = weekly(BASELINE + AFTER_CHANGE, {8: "Referral summary sent"})
    assert analyse(points, True).assurance is None
    assert analyse(points, None, 12).assurance is None


# --- Too few points ---------------------------------------------------------------------


def test_a_phase_needs_five_points_for_limits():
    # Baseline of 8, then 4 points since the change: the new phase has a mean
    # ((10 + 11 + 12 + 10) / 4 = 10.75) but no limits, so there is no variation or
    # assurance reading yet; the baseline keeps its own limits and readings.
    analysis = analyse(weekly(BASELINE + [10, 11, 12, 10], {8: "Referral summary sent"}), False, 15)
    baseline, changed = analysis.phases
    assert baseline.has_limits
    assert changed.mean == pytest.approx(10.75)
    assert not changed.has_limits and changed.upper_limit is None
    assert variations(analysis) == [COMMON_CAUSE] * 8 + [None] * 4
    assert analysis.variation is None
    assert analysis.assurance is None
    assert "the limits need at least 5 points in a phase" in analysis.summary
    assert "not enough points in the latest phase" in analysis.summary


def test_five_points_give_trial_limits_and_twelve_firm_ones():
    assert analyse(weekly([1, 2, 1, 2, 1]), True).phases[0].trial
    assert not analyse(weekly([1, 2] * 6), True).phases[0].trial


def test_no_data():
    analysis = analyse([], True, 5)
    assert analysis.phases == () and analysis.variation is None and analysis.assurance is None
    assert analysis.summary == "There is no data yet, so there is nothing to read."


def test_all_equal_values_sit_on_the_mean():
    # Moving ranges all 0: the limits sit on the mean; every point is on it, so nothing
    # is outside and nothing is on one side of it.
    analysis = analyse(weekly([4] * 8), True, 5)
    [phase] = analysis.phases
    assert phase.upper_limit == phase.lower_limit == 4
    assert analysis.variation.code == COMMON_CAUSE
    assert analysis.assurance.code == FAILING  # 5 > 4 and higher is better


def test_points_are_read_in_date_order():
    points = weekly(OUTSIDE_VALUES)
    assert analyse(list(reversed(points)), True) == analyse(points, True)


def test_a_change_marked_on_the_first_point_names_the_baseline():
    analysis = analyse(weekly(OUTSIDE_VALUES, {0: "Old form"}), True)
    assert len(analysis.phases) == 1
    assert analysis.phases[0].label == "Old form"


# --- Properties -------------------------------------------------------------------------

points_with_changes = st.lists(
    st.tuples(
        st.integers(0, 2_000),
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        st.booleans(),
    ),
    max_size=40,
    unique_by=lambda t: t[0],
).map(
    lambda rows: [
        Point(START + dt.timedelta(days=day), value, starts_phase=change, phase_label="x")
        for day, value, change in rows
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    points_with_changes,
    st.sampled_from([True, False, None]),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
    st.randoms(use_true_random=False),
)
def test_properties(points, higher_is_better, target, rng):
    analysis = analyse(points, higher_is_better, target)
    assert len(analysis.readings) == len(points)
    # The phases cover every point once, in order; one starts at each marked point.
    covered = [i for phase in analysis.phases for i in range(phase.first, phase.last + 1)]
    assert covered == list(range(len(points)))
    starts = {phase.first for phase in analysis.phases[1:]}
    assert starts == {i for i, p in enumerate(analysis.points) if i and p.starts_phase}
    for phase in analysis.phases:
        values = [float(p.value) for p in analysis.points[phase.first : phase.last + 1]]
        assert phase.has_limits == (len(values) >= spc.MIN_POINTS_FOR_LIMITS)
        if not phase.has_limits:
            assert all(
                analysis.readings[i].variation is None for i in range(phase.first, phase.last + 1)
            )
            continue
        assert phase.lower_limit <= phase.mean <= phase.upper_limit
        margin = 1e-6 * max(1.0, abs(phase.upper_limit), abs(phase.lower_limit))
        for offset, value in enumerate(values):
            reading = analysis.readings[phase.first + offset]
            if value > phase.upper_limit + margin or value < phase.lower_limit - margin:
                assert reading.cause == OUTSIDE_LIMITS
            if reading.cause is None:
                assert reading.variation == COMMON_CAUSE
            elif higher_is_better is None:
                assert reading.variation == NEITHER
            else:
                good = reading.high == higher_is_better
                assert reading.variation == (IMPROVEMENT if good else CONCERN)
    latest_has_limits = bool(analysis.phases) and analysis.phases[-1].has_limits
    assert (analysis.variation is not None) == latest_has_limits
    if analysis.assurance is not None:
        assert target is not None and higher_is_better is not None and latest_has_limits
    shuffled = points[:]
    rng.shuffle(shuffled)
    assert analyse(shuffled, higher_is_better, target) == analysis
