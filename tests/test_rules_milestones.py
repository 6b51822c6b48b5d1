"""The milestones and the line manager's discussion (i2i/rules.py, issue 19): a table per
milestone, each row a day before, on or after the milestone's day, met or not.

Pure Python, as tests/test_rules.py: the reference participant starts on Monday 1 March 2027,
so week 4 is 29 March, week 10 is 10 May and week 13 (half-way) is 31 May 2027.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from i2i import rules
from i2i.rules import (
    HalfDayRecord,
    HalfDayStatus,
    Milestones,
    OutcomesStatus,
    ParticipantRecord,
    PlacementRecord,
    PlacementStatus,
    Status,
    evaluate,
)

D = dt.date
START = D(2027, 3, 1)
EMPLOYER = 99
WEEK_4, WEEK_10, WEEK_13 = D(2027, 3, 29), D(2027, 5, 10), D(2027, 5, 31)
DAY = dt.timedelta(days=1)


def placement(
    id: int,
    organisation: int,
    done: int = 0,
    *,
    status: str = PlacementStatus.AGREED,
    approved: dt.date | None = START,
    outcomes_status: str = OutcomesStatus.APPROVED,
    half_days: tuple[HalfDayRecord, ...] | None = None,
    reflection: str = "",
    shared_on: dt.date | None = None,
) -> PlacementRecord:
    """`done` completed half-days a week apart from 8 March; `reflection` is "", "shared" or
    "discussed"."""
    if half_days is None:
        half_days = tuple(HalfDayRecord(D(2027, 3, 8) + dt.timedelta(weeks=i)) for i in range(done))
    return PlacementRecord(
        id=id,
        organisation_id=organisation,
        organisation_name=f"Org {organisation}",
        status=status,
        outcomes_approved_on=approved,
        outcomes_status=outcomes_status,
        half_days=half_days,
        reflection_shared=reflection in {"shared", "discussed"},
        reflection_discussed=reflection == "discussed",
        reflection_shared_on=shared_on,
    )


def participant(*placements: PlacementRecord, **kwargs) -> ParticipantRecord:
    return ParticipantRecord(
        programme_start=START, employer_id=EMPLOYER, placements=placements, **kwargs
    )


def test_the_programme_defaults_are_the_issues_milestones():
    defaults = Milestones()
    assert (
        defaults.first_placement_week,
        defaults.three_placements_week,
        defaults.outcomes_weeks_before,
        defaults.half_days_week,
    ) == (4, 10, 2, 13)
    assert rules.HALF_DAYS_BY_MILESTONE == 6
    assert participant().milestones == defaults == rules.DEFAULT_MILESTONES
    # A week not given is the default; a cohort's participants share one record.
    assert rules.milestones(6) == Milestones(first_placement_week=6)
    assert rules.milestones(6, 10, 2, 13) is rules.milestones(6, 10, 2, 13)


def test_a_milestones_day_is_that_many_weeks_after_the_start():
    milestones = Milestones()
    assert milestones.day(START, 4) == WEEK_4
    assert milestones.day(START, 10) == WEEK_10
    # Week 13 is half-way through the six-month window (1 March to 1 September).
    assert milestones.day(START, 13) == WEEK_13
    assert (rules.window_end(START) - WEEK_13).days in range(90, 94)


# First placement agreed by week 4 ------------------------------------------------------------

FIRST_LATE = (
    "The first placement should have been agreed by week 4 (29 March 2027). 0 placements "
    "arranged; 3 more needed, each with a different organisation from your employer and "
    "each other."
)


@pytest.mark.parametrize(
    ("placements", "on", "milestones", "expected"),
    [
        pytest.param((), WEEK_4 - DAY, Milestones(), Status.ON_TRACK, id="nothing-before"),
        pytest.param((), WEEK_4, Milestones(), Status.ON_TRACK, id="nothing-on-the-day"),
        pytest.param((), WEEK_4 + DAY, Milestones(), Status.AT_RISK, id="nothing-after"),
        pytest.param(
            (placement(1, 1, status=PlacementStatus.PLANNED),),
            WEEK_4 + DAY,
            Milestones(),
            Status.AT_RISK,
            id="only-planned-after",
        ),
        pytest.param(
            (placement(1, 1, status=PlacementStatus.AGREED),),
            WEEK_4 + DAY,
            Milestones(),
            Status.ON_TRACK,
            id="agreed-with-its-host-after",
        ),
        pytest.param(
            (placement(1, 1, 1, status=PlacementStatus.PLANNED),),
            WEEK_4 + DAY,
            Milestones(),
            Status.ON_TRACK,
            id="a-half-day-done-is-agreed",
        ),
        pytest.param(
            (placement(1, 1, status=PlacementStatus.WITHDRAWN),),
            WEEK_4 + DAY,
            Milestones(),
            Status.AT_RISK,
            id="withdrawn-does-not-count",
        ),
        pytest.param(
            (placement(1, EMPLOYER),),
            WEEK_4 + DAY,
            Milestones(),
            Status.AT_RISK,
            id="own-employer-does-not-count",
        ),
        pytest.param(
            (),
            WEEK_4 + DAY,
            Milestones(first_placement_week=6),
            Status.ON_TRACK,
            id="week-6-cohort",
        ),
    ],
)
def test_the_first_placement_is_agreed_by_week_4(placements, on, milestones, expected):
    commitment = evaluate(participant(*placements, milestones=milestones), on=on).get("placements")

    assert commitment.status == expected
    behind = "should have been agreed by week" in commitment.sentence
    assert behind == (expected == Status.AT_RISK)
    if behind:
        assert commitment.to_do == "Agree a placement with a host organisation"
        # Now, not by the window's end.
        assert commitment.due is None


def test_the_first_placement_milestone_names_its_week_and_day_and_what_clears_it():
    report = evaluate(participant(), on=WEEK_4 + DAY)
    commitment = report.get("placements")

    assert commitment.sentence == FIRST_LATE
    assert report.overall == rules.Overall.AT_RISK
    assert "placements" in {c.code for c in report.risks}


def test_a_cohort_with_its_own_week_names_that_week_and_day():
    record = participant(milestones=Milestones(first_placement_week=6))
    commitment = evaluate(record, on=D(2027, 4, 13)).get("placements")

    assert commitment.status == Status.AT_RISK
    assert commitment.sentence.startswith(
        "The first placement should have been agreed by week 6 (12 April 2027)."
    )


def test_half_way_with_nothing_arranged_is_at_risk_though_twelve_half_days_still_fit():
    """The issue's case: half-way through, 0 of 3 placements and 0 half-days read "On track"
    because twelve still fit at one a week. Not any more."""
    on = WEEK_13
    assert rules.weekly_dates_left(on, START, rules.window_end(START)) >= 12
    report = evaluate(participant(), on=on)

    assert report.overall == rules.Overall.AT_RISK
    assert report.get("placements").status == Status.AT_RISK
    assert report.get("placements").sentence.startswith(
        "The first placement should have been agreed by week 4 (29 March 2027). Three "
        "placements should have been arranged by week 10 (10 May 2027)."
    )


# Three placements arranged by week 10 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "on", "expected", "to_do"),
    [
        pytest.param(
            2, WEEK_10 - DAY, Status.ON_TRACK, "Arrange 1 more placement", id="two-before"
        ),
        pytest.param(2, WEEK_10, Status.ON_TRACK, "Arrange 1 more placement", id="two-on-the-day"),
        pytest.param(2, WEEK_10 + DAY, Status.AT_RISK, "Arrange 1 more placement", id="two-after"),
        pytest.param(1, WEEK_10 + DAY, Status.AT_RISK, "Arrange 2 more placements", id="one-after"),
        pytest.param(3, WEEK_10 + DAY, Status.MET, "", id="three-after"),
    ],
)
def test_three_placements_are_arranged_by_week_10(count, on, expected, to_do):
    # Arranged, not necessarily agreed with the host yet; the first is agreed.
    placements = [
        placement(i, i, status=PlacementStatus.AGREED if i == 1 else PlacementStatus.PLANNED)
        for i in range(1, count + 1)
    ]
    commitment = evaluate(participant(*placements), on=on).get("placements")

    assert commitment.status == expected
    assert commitment.to_do == to_do
    behind = commitment.sentence.startswith(
        "Three placements should have been arranged by week 10 (10 May 2027)."
    )
    assert behind == (expected == Status.AT_RISK)


def test_behind_both_placement_milestones_the_first_is_what_to_do_first():
    commitment = evaluate(participant(), on=WEEK_10 + DAY).get("placements")

    assert commitment.status == Status.AT_RISK
    assert commitment.to_do == "Agree a placement with a host organisation"


def test_after_the_window_the_placements_are_missed_not_behind_a_milestone():
    commitment = evaluate(participant(), on=rules.window_end(START) + DAY).get("placements")

    assert commitment.status == Status.MISSED
    assert "week" not in commitment.sentence


# Six half-days by the half-way point (week 13) --------------------------------------------------


def three_placements(done: int) -> tuple[PlacementRecord, ...]:
    counts = [min(4, max(0, done - 4 * i)) for i in range(3)]
    return tuple(placement(i + 1, i + 1, n) for i, n in enumerate(counts))


@pytest.mark.parametrize(
    ("done", "on", "expected"),
    [
        pytest.param(5, WEEK_13 - DAY, Status.ON_TRACK, id="five-before"),
        pytest.param(5, WEEK_13, Status.ON_TRACK, id="five-on-the-day"),
        pytest.param(5, WEEK_13 + DAY, Status.AT_RISK, id="five-after"),
        pytest.param(0, WEEK_13 + DAY, Status.AT_RISK, id="none-after"),
        pytest.param(6, WEEK_13 + DAY, Status.ON_TRACK, id="six-after"),
        pytest.param(12, WEEK_13 + DAY, Status.MET, id="all-twelve"),
    ],
)
def test_six_half_days_are_done_by_week_13(done, on, expected):
    commitment = evaluate(participant(*three_placements(done)), on=on).get("half_days")

    assert commitment.status == expected
    behind = commitment.sentence.startswith(
        "6 half-days should have been completed by week 13 (31 May 2027). "
        f"{done} of 12 half-days completed in the window."
    )
    assert behind == (expected == Status.AT_RISK)
    if expected == Status.AT_RISK:
        assert commitment.to_do == f"Complete {12 - done} more half-days"


def test_half_days_outside_the_window_do_not_count_towards_the_milestone():
    before_start = tuple(HalfDayRecord(START - dt.timedelta(weeks=i + 1)) for i in range(4))
    record = participant(
        placement(1, 1, half_days=before_start), placement(2, 2, 2), placement(3, 3)
    )
    assert evaluate(record, on=WEEK_13 + DAY).get("half_days").status == Status.AT_RISK


def test_a_cohort_may_set_its_half_way_week():
    record = participant(*three_placements(5), milestones=Milestones(half_days_week=15))
    assert evaluate(record, on=WEEK_13 + DAY).get("half_days").status == Status.ON_TRACK
    commitment = evaluate(record, on=D(2027, 6, 15)).get("half_days")
    assert commitment.status == Status.AT_RISK
    assert "by week 15 (14 June 2027)" in commitment.sentence


# Learning outcomes agreed two weeks before a placement's first half-day ---------------------------

FIRST_VISIT = D(2027, 6, 14)
OUTCOMES_BY = D(2027, 5, 31)  # two weeks before


def booked(*days: dt.date, status: str = HalfDayStatus.PLANNED) -> tuple[HalfDayRecord, ...]:
    return tuple(HalfDayRecord(day, status) for day in days)


@pytest.mark.parametrize(
    ("record", "on", "expected"),
    [
        pytest.param(
            placement(
                1, 1, approved=None, outcomes_status="submitted", half_days=booked(FIRST_VISIT)
            ),
            OUTCOMES_BY - DAY,
            Status.ON_TRACK,
            id="waiting-before",
        ),
        pytest.param(
            placement(
                1, 1, approved=None, outcomes_status="submitted", half_days=booked(FIRST_VISIT)
            ),
            OUTCOMES_BY,
            Status.ON_TRACK,
            id="waiting-on-the-day",
        ),
        pytest.param(
            placement(
                1, 1, approved=None, outcomes_status="submitted", half_days=booked(FIRST_VISIT)
            ),
            OUTCOMES_BY + DAY,
            Status.AT_RISK,
            id="waiting-after",
        ),
        pytest.param(
            placement(1, 1, approved=None, outcomes_status="draft", half_days=booked(FIRST_VISIT)),
            OUTCOMES_BY + DAY,
            Status.AT_RISK,
            id="draft-after",
        ),
        pytest.param(
            placement(1, 1, approved=D(2027, 5, 20), half_days=booked(FIRST_VISIT)),
            OUTCOMES_BY + DAY,
            Status.ON_TRACK,
            id="agreed-after",
        ),
        pytest.param(
            placement(1, 1, outcomes_status="submitted", half_days=booked(FIRST_VISIT)),
            OUTCOMES_BY + DAY,
            Status.AT_RISK,
            id="changed-after-approval-and-waiting-again",
        ),
        pytest.param(
            placement(1, 1, approved=None, outcomes_status="submitted", half_days=()),
            OUTCOMES_BY + DAY,
            Status.ON_TRACK,
            id="no-half-day-booked",
        ),
        pytest.param(
            placement(
                1,
                1,
                approved=None,
                outcomes_status="submitted",
                half_days=booked(FIRST_VISIT, status=HalfDayStatus.CANCELLED),
            ),
            OUTCOMES_BY + DAY,
            Status.ON_TRACK,
            id="only-a-cancelled-half-day",
        ),
    ],
)
def test_outcomes_are_agreed_two_weeks_before_the_first_half_day(record, on, expected):
    commitment = evaluate(participant(record), on=on).get("outcomes_agreed")

    assert commitment.status == expected
    late = (
        "The learning outcomes for Org 1 should have been agreed by 31 May 2027, 2 weeks "
        "before its first half-day on 14 June 2027."
    )
    assert commitment.sentence.startswith(late) == (expected == Status.AT_RISK)
    if expected == Status.AT_RISK:
        assert commitment.to_do == (
            "Agree the learning outcomes for Org 1 with your line manager before the first "
            "half-day there"
        )


def test_the_earliest_booked_half_day_sets_the_outcomes_milestone():
    record = placement(
        1,
        1,
        approved=None,
        outcomes_status="submitted",
        half_days=booked(D(2027, 7, 5), FIRST_VISIT),
    )
    assert (
        evaluate(participant(record), on=OUTCOMES_BY + DAY).get("outcomes_agreed").status
        == Status.AT_RISK
    )


def test_a_cohort_may_ask_for_the_outcomes_one_week_before():
    record = participant(
        placement(1, 1, approved=None, outcomes_status="submitted", half_days=booked(FIRST_VISIT)),
        milestones=Milestones(outcomes_weeks_before=1),
    )
    assert evaluate(record, on=OUTCOMES_BY + DAY).get("outcomes_agreed").status == Status.ON_TRACK
    commitment = evaluate(record, on=D(2027, 6, 8)).get("outcomes_agreed")
    assert commitment.status == Status.AT_RISK
    assert "should have been agreed by 7 June 2027, 1 week before" in commitment.sentence


# Shared and discussed with the line manager -----------------------------------------------------

SHARED_ON = D(2027, 4, 7)  # a Wednesday
DISCUSSION_DUE = D(2027, 4, 21)  # ten working days later


@pytest.mark.parametrize(
    ("day", "working_days", "expected"),
    [
        pytest.param(SHARED_ON, 10, DISCUSSION_DUE, id="wednesday-plus-10"),
        pytest.param(D(2027, 4, 9), 1, D(2027, 4, 12), id="friday-plus-1-is-monday"),
        pytest.param(D(2027, 4, 10), 1, D(2027, 4, 12), id="saturday-plus-1-is-monday"),
        pytest.param(D(2027, 4, 9), 0, D(2027, 4, 9), id="plus-0-is-the-day"),
    ],
)
def test_add_working_days_skips_weekends(day, working_days, expected):
    assert rules.add_working_days(day, working_days) == expected


@pytest.mark.parametrize("start", [D(2027, 4, 5) + dt.timedelta(days=n) for n in range(7)])
def test_add_working_days_counts_every_day_of_the_week_as_a_calendar_would(start):
    """Whole weeks are added at once; the answer is the one got by stepping a day at a time
    and counting Monday to Friday, from each day of the week and for 0 to 30 days."""
    for days in range(31):
        stepped, left = start, days
        while left > 0:
            stepped += dt.timedelta(days=1)
            left -= stepped.weekday() < 5
        assert rules.add_working_days(start, days) == stepped, (start, days)


def with_one_shared(on: dt.date, manager: str = "Jane Smith", reflection: str = "shared"):
    """Three complete placements (29 March): two accounts discussed, Org 1's as given."""
    record = participant(
        placement(1, 1, 4, reflection=reflection, shared_on=SHARED_ON),
        placement(2, 2, 4, reflection="discussed", shared_on=D(2027, 4, 1)),
        placement(3, 3, 4, reflection="discussed", shared_on=D(2027, 4, 1)),
        line_manager_name=manager,
    )
    return evaluate(record, on=on).get("reflections")


@pytest.mark.parametrize(
    ("on", "reflection", "expected"),
    [
        pytest.param(SHARED_ON, "shared", Status.ON_TRACK, id="shared-today"),
        pytest.param(DISCUSSION_DUE - DAY, "shared", Status.ON_TRACK, id="shared-before-due"),
        pytest.param(DISCUSSION_DUE, "shared", Status.ON_TRACK, id="shared-on-the-due-day"),
        pytest.param(DISCUSSION_DUE + DAY, "shared", Status.AT_RISK, id="shared-after-due"),
        pytest.param(DISCUSSION_DUE + DAY, "discussed", Status.MET, id="discussed"),
    ],
)
def test_an_account_counts_once_discussed_and_is_at_risk_ten_working_days_after_sharing(
    on, reflection, expected
):
    commitment = with_one_shared(on, reflection=reflection)

    assert commitment.status == expected
    assert commitment.done == (3 if expected == Status.MET else 2)


def test_shared_and_waiting_names_the_line_manager_and_the_discussion_due():
    commitment = with_one_shared(DISCUSSION_DUE)

    assert commitment.sentence == (
        "2 of 3 reflective accounts discussed with your line manager. Org 1: shared with "
        "Jane Smith; waiting for you to discuss it by 21 April 2027."
    )
    assert commitment.to_do == "Discuss the reflective account of Org 1 and record the discussion"
    assert commitment.due == DISCUSSION_DUE


def test_a_discussion_later_than_ten_working_days_says_when_it_was_due():
    commitment = with_one_shared(DISCUSSION_DUE + DAY)

    assert commitment.sentence == (
        "2 of 3 reflective accounts discussed with your line manager. Org 1: shared with "
        "Jane Smith on 7 April 2027; the discussion was due by 21 April 2027, 10 working "
        "days later."
    )
    assert commitment.to_do == "Discuss the reflective account of Org 1 and record the discussion"


def test_without_a_name_the_line_manager_is_your_line_manager():
    assert (
        "Org 1: shared with your line manager; waiting" in with_one_shared(SHARED_ON, "").sentence
    )


def test_a_shared_account_is_not_overdue_while_it_waits_for_the_discussion():
    report = evaluate(
        participant(placement(1, 1, 4, reflection="shared", shared_on=SHARED_ON)),
        on=SHARED_ON,
    )
    assert report.get("reflections").status == Status.ON_TRACK
    assert report.placements[0].reflection_due is None
    assert report.placements[0].reflection_overdue is False


def test_three_shared_and_none_discussed_is_not_met():
    record = participant(
        *(placement(i, i, 4, reflection="shared", shared_on=SHARED_ON) for i in (1, 2, 3))
    )
    commitment = evaluate(record, on=SHARED_ON).get("reflections")
    assert (commitment.status, commitment.done) == (Status.ON_TRACK, 0)


def test_an_account_returned_for_more_is_the_participants_to_share_again():
    """ "Ask for more" makes it a draft again: not shared, so overdue two weeks after the
    placement's fourth half-day, like one never shared."""
    record = replace(
        placement(1, 1, 4, shared_on=SHARED_ON), reflection_shared=False, reflection_discussed=False
    )
    assert evaluate(participant(record), on=D(2027, 4, 12)).get("reflections").status == (
        Status.ON_TRACK
    )
    commitment = evaluate(participant(record), on=D(2027, 4, 13)).get("reflections")
    assert commitment.status == Status.AT_RISK
    assert commitment.sentence.endswith("Overdue: Org 1 (due 12 April 2027).")
    assert "waiting for you to discuss it" not in commitment.sentence
