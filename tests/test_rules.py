"""The I2I commitments (i2i/rules.py): a table for every edge, then properties.

Pure Python: no database. The reference participant starts on 1 March 2027, so the
window runs to 1 September 2027 inclusive; their employer is organisation 99.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from i2i import rules
from i2i.rules import (
    CODES,
    Commitment,
    HalfDayRecord,
    HalfDayStatus,
    ImprovementRecord,
    ParticipantRecord,
    PlacementRecord,
    PlacementStatus,
    Report,
    Status,
    add_months,
    evaluate,
    in_window,
    window_end,
)

D = dt.date
DAY = dt.timedelta(days=1)
START = D(2027, 3, 1)
END = D(2027, 9, 1)
MID = D(2027, 5, 3)  # well inside the window, with plenty of weeks left
AFTER = END + DAY
EARLY = D(2027, 3, 22)  # three weeks in: before the first milestone (week 4, 29 March)
EMPLOYER = 99
# Milestones after the window's end: the tests of the pace alone use these.
PACE_ONLY = rules.Milestones(
    first_placement_week=27, three_placements_week=27, outcomes_weeks_before=0, half_days_week=27
)


# Builders --------------------------------------------------------------------


def weekly(first: dt.date, n: int, **kwargs) -> tuple[HalfDayRecord, ...]:
    """n completed half-days, a week apart, from `first`."""
    return tuple(HalfDayRecord(first + dt.timedelta(weeks=i), **kwargs) for i in range(n))


def placement(
    id: int,
    organisation: int,
    n: int = 0,
    *,
    first: dt.date | None = None,
    start: dt.date = START,
    approved: dt.date | None = START,
    status: str = PlacementStatus.AGREED,
    reflection: bool | str | None = None,
    shared_on: dt.date | None = None,
    half_days: tuple[HalfDayRecord, ...] | None = None,
    name: str | None = None,
) -> PlacementRecord:
    """`reflection`: True (or "discussed") for an account shared and discussed with the line
    manager, "shared" for one shared (on `shared_on`) and waiting for the discussion."""
    if half_days is None:
        half_days = weekly(first or start + dt.timedelta(days=7), n)
    return PlacementRecord(
        id=id,
        organisation_id=organisation,
        organisation_name=f"Org {organisation}" if name is None else name,
        status=status,
        outcomes_approved_on=approved,
        half_days=half_days,
        reflection_shared=bool(reflection),
        reflection_discussed=reflection in (True, "discussed"),
        reflection_shared_on=shared_on,
    )


def participant(*placements: PlacementRecord, start: dt.date = START, **kwargs):
    return ParticipantRecord(
        programme_start=start, employer_id=EMPLOYER, placements=placements, **kwargs
    )


def with_done(done: int, start: dt.date = START, **kwargs) -> ParticipantRecord:
    """Three placements with different organisations and `done` half-days between them."""
    counts = [min(4, max(0, done - 4 * i)) for i in range(3)]
    return participant(
        *(placement(i + 1, i + 1, n, start=start, approved=start) for i, n in enumerate(counts)),
        start=start,
        **kwargs,
    )


# Agreed; the first PDSA cycle ran 29 March to 12 April, data to 19 April, reviewed 26 April.
IMPLEMENTED_AND_REVIEWED = ImprovementRecord(
    agreed=True,
    first_cycle_started_on=D(2027, 3, 29),
    cycle_completed_on=D(2027, 4, 12),
    last_data_on=D(2027, 4, 19),
    reviewed_on=D(2027, 4, 26),
)


def everything_done() -> ParticipantRecord:
    return participant(
        *(placement(i, i, 4, reflection=True) for i in (1, 2, 3)),
        briefing_date=D(2027, 2, 15),
        briefing_attended=True,
        workshop_date=D(2027, 9, 15),
        workshop_attended=True,
        improvement=IMPLEMENTED_AND_REVIEWED,
    )


def status_of(report: Report, code: str) -> Status:
    return report.get(code).status


def _with_half_day(
    record: ParticipantRecord, target: PlacementRecord, half_day: HalfDayRecord
) -> ParticipantRecord:
    grown = replace(target, half_days=(*target.half_days, half_day))
    return replace(record, placements=tuple(grown if p is target else p for p in record.placements))


# The programme's numbers ---------------------------------------------------------


def test_the_programme_numbers_are_those_of_the_leaflet():
    # Every date and count in these tests follows from them.
    assert (rules.PLACEMENTS_REQUIRED, rules.HALF_DAYS_PER_PLACEMENT) == (3, 4)
    assert rules.HALF_DAYS_REQUIRED == 12
    assert rules.WINDOW_MONTHS == 6
    assert rules.SENSIBLE_HALF_DAYS_PER_WEEK == 1


# Window arithmetic -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2027, 3, 1), 6, D(2027, 9, 1), id="1-mar-plus-6-is-1-sep"),
        pytest.param(D(2026, 8, 31), 6, D(2027, 2, 28), id="31-aug-2026-clamps-to-28-feb"),
        pytest.param(D(2027, 8, 31), 6, D(2028, 2, 29), id="31-aug-2027-clamps-to-leap-29-feb"),
        pytest.param(D(2027, 8, 30), 6, D(2028, 2, 29), id="30-aug-clamps-to-29-feb"),
        pytest.param(D(2027, 8, 29), 6, D(2028, 2, 29), id="29-aug-lands-on-29-feb"),
        pytest.param(D(2028, 2, 29), 6, D(2028, 8, 29), id="29-feb-start-keeps-its-day"),
        pytest.param(D(2027, 3, 31), 6, D(2027, 9, 30), id="31-mar-clamps-to-30-sep"),
        pytest.param(D(2027, 1, 31), 1, D(2027, 2, 28), id="31-jan-plus-1-clamps"),
        pytest.param(D(2027, 12, 31), 2, D(2028, 2, 29), id="over-the-year-end"),
        pytest.param(D(2027, 7, 31), 12, D(2028, 7, 31), id="a-whole-year"),
        pytest.param(D(2099, 8, 31), 6, D(2100, 2, 28), id="2100-is-not-a-leap-year"),
        pytest.param(D(1999, 8, 31), 6, D(2000, 2, 29), id="2000-is-a-leap-year"),
        pytest.param(D(2027, 5, 10), 0, D(2027, 5, 10), id="zero-months"),
        pytest.param(D(2027, 1, 15), -1, D(2026, 12, 15), id="minus-1-crosses-the-year"),
        pytest.param(D(2027, 3, 31), -1, D(2027, 2, 28), id="minus-1-clamps"),
        pytest.param(D(2028, 3, 31), -1, D(2028, 2, 29), id="minus-1-clamps-leap"),
        pytest.param(D(2027, 3, 31), -13, D(2026, 2, 28), id="minus-13"),
        pytest.param(D(2027, 1, 31), -25, D(2024, 12, 31), id="minus-25"),
        pytest.param(D(2027, 9, 1), -6, D(2027, 3, 1), id="minus-6-undoes-plus-6"),
    ],
)
def test_add_months_counts_calendar_months_clamped_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(D(2027, 3, 1), D(2027, 9, 1), id="1-mar-2027"),
        pytest.param(D(2026, 8, 31), D(2027, 2, 28), id="31-aug-2026"),
        pytest.param(D(2027, 8, 31), D(2028, 2, 29), id="31-aug-2027-leap"),
        pytest.param(D(2028, 2, 29), D(2028, 8, 29), id="29-feb-2028"),
        pytest.param(D(2027, 3, 31), D(2027, 9, 30), id="31-mar-2027"),
    ],
)
def test_the_window_ends_six_calendar_months_after_the_start(start, end):
    assert window_end(start) == end


@pytest.mark.parametrize(
    ("start", "day", "inside"),
    [
        pytest.param(START, START, True, id="the-start-day-counts"),
        pytest.param(START, END, True, id="the-end-day-counts"),
        pytest.param(START, END + DAY, False, id="the-day-after-the-end-does-not"),
        pytest.param(START, START - DAY, False, id="the-day-before-the-start-does-not"),
        pytest.param(START, MID, True, id="a-day-in-the-middle-counts"),
        pytest.param(D(2027, 8, 31), D(2028, 2, 29), True, id="leap-29-feb-counts"),
        pytest.param(D(2027, 8, 31), D(2028, 3, 1), False, id="leap-1-mar-does-not"),
        pytest.param(D(2026, 8, 31), D(2027, 2, 28), True, id="28-feb-counts"),
        pytest.param(D(2026, 8, 31), D(2027, 3, 1), False, id="1-mar-after-28-feb-does-not"),
    ],
)
def test_in_window_includes_both_ends_and_nothing_else(start, day, inside):
    assert in_window(day, start) is inside


# A complete participant ------------------------------------------------------


def test_a_participant_who_has_done_everything_meets_all_eight_commitments():
    report = evaluate(everything_done(), on=END + dt.timedelta(days=30))

    assert [c.status for c in report.commitments] == [Status.MET] * 8
    assert report.met_count == 8
    assert report.at_risk is False
    assert report.placements_counted == 3
    assert report.half_days_counted == 12
    assert report.guidance == ()


def test_the_report_lists_every_commitment_once_in_the_order_of_codes():
    report = evaluate(participant(), on=MID)

    assert tuple(c.code for c in report.commitments) == CODES
    assert len(CODES) == 8


def test_the_report_carries_the_day_and_the_window():
    report = evaluate(participant(), on=MID)

    assert (report.on, report.window_start, report.window_end) == (MID, START, END)


def test_the_report_carries_the_programmes_numbers_for_the_pages_to_print():
    """Templates print these instead of writing 3, 12, 4 or 26 themselves."""
    report = evaluate(participant(), on=MID)

    assert (report.placements_required, report.half_days_required) == (3, 12)
    assert report.half_days_per_placement == 4
    assert report.window_weeks == 26
    assert report.weeks_left <= report.window_weeks
    before = evaluate(participant(), on=START - dt.timedelta(days=40))
    assert before.weeks_left == before.window_weeks


def test_each_placements_progress_is_worked_out_when_read_and_then_kept():
    report = evaluate(everything_done(), on=END + dt.timedelta(days=30))

    first = report.placements
    assert [p.counting for p in first] == ["counts"] * 3
    assert all(p.half_days_done == 4 and p.completed_on is not None for p in first)
    assert report.placements is first
    assert report == evaluate(everything_done(), on=END + dt.timedelta(days=30))
    assert report != evaluate(participant(), on=END + dt.timedelta(days=30))


# The window, in `evaluate` ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "day", "counts"),
    [
        pytest.param(START, START, True, id="on-the-start-day-counts"),
        pytest.param(START, END, True, id="on-the-last-day-counts"),
        pytest.param(START, END + DAY, False, id="on-the-day-after-the-end-does-not"),
        pytest.param(START, START - DAY, False, id="on-the-day-before-the-start-does-not"),
        pytest.param(D(2027, 8, 31), D(2028, 2, 29), True, id="on-29-feb-2028-counts"),
        pytest.param(D(2027, 8, 31), D(2028, 3, 1), False, id="on-1-mar-2028-does-not"),
        pytest.param(D(2026, 8, 31), D(2027, 2, 28), True, id="on-28-feb-2027-counts"),
        pytest.param(D(2026, 8, 31), D(2027, 3, 1), False, id="on-1-mar-2027-does-not"),
        pytest.param(D(2028, 2, 29), D(2028, 8, 29), True, id="29-feb-start-29-aug-counts"),
        pytest.param(D(2028, 2, 29), D(2028, 8, 30), False, id="29-feb-start-30-aug-does-not"),
        pytest.param(D(2027, 3, 31), D(2027, 9, 30), True, id="31-mar-start-30-sep-counts"),
        pytest.param(D(2027, 3, 31), D(2027, 10, 1), False, id="31-mar-start-1-oct-does-not"),
    ],
)
def test_a_half_day_counts_only_inside_the_inclusive_window(start, day, counts):
    approved = start - dt.timedelta(days=60)
    edge = placement(
        1,
        1,
        half_days=(*weekly(start + dt.timedelta(days=7), 3), HalfDayRecord(day)),
        approved=approved,
    )
    others = [placement(i, i, 4, start=start, approved=approved) for i in (2, 3)]
    report = evaluate(participant(edge, *others, start=start), on=window_end(start))

    assert report.half_days_counted == (12 if counts else 11)
    assert report.placements[0].half_days_done == (4 if counts else 3)
    # On the last day the one half-day still needed fits on that day itself.
    assert status_of(report, "half_days") == (Status.MET if counts else Status.ON_TRACK)


# Organisations ---------------------------------------------------------------


def test_a_second_placement_with_the_same_organisation_does_not_count_towards_three():
    report = evaluate(
        participant(placement(1, 1, 4), placement(2, 1, 4), placement(3, 2, 4)), on=MID
    )

    assert report.placements_counted == 2
    assert report.half_days_counted == 8
    commitment = report.get("placements")
    assert commitment.status == Status.ON_TRACK
    assert (commitment.done, commitment.needed) == (2, 3)
    assert commitment.to_do == "Arrange 1 more placement"


@pytest.mark.parametrize(
    ("first", "second", "counted"),
    [
        pytest.param((1, 1), (2, 3), 2, id="the-second-has-more-half-days"),
        pytest.param((1, 3), (2, 1), 1, id="the-first-has-more-half-days"),
        pytest.param((1, 2), (2, 2), 1, id="a-tie-goes-to-the-lower-id"),
        pytest.param((5, 2), (2, 2), 2, id="a-tie-goes-to-the-lower-id-whatever-the-order"),
        pytest.param((1, 0), (2, 0), 1, id="neither-started-the-lower-id"),
    ],
)
def test_of_two_placements_with_one_organisation_the_one_with_more_half_days_counts(
    first, second, counted
):
    (first_id, first_n), (second_id, second_n) = first, second
    report = evaluate(
        participant(
            placement(first_id, 1, first_n),
            placement(second_id, 1, second_n),
            placement(7, 2, 4),
            placement(8, 3, 4),
        ),
        on=MID,
    )

    assert report.placements_counted == 3
    assert {p.placement_id for p in report.placements if p.counted} == {counted, 7, 8}
    assert report.half_days_counted == 8 + max(first_n, second_n)


def test_a_placement_with_the_participants_own_employer_never_counts():
    report = evaluate(
        participant(placement(1, EMPLOYER, 4), placement(2, 1, 4), placement(3, 2, 4)), on=MID
    )

    assert report.placements_counted == 2
    assert report.half_days_counted == 8
    assert report.placements[0].counted is False
    assert status_of(report, "placements") == Status.ON_TRACK
    assert status_of(report, "half_days") == Status.ON_TRACK


def test_only_employer_placements_count_as_none():
    report = evaluate(participant(placement(1, EMPLOYER, 4), placement(2, EMPLOYER, 4)), on=MID)

    assert (report.placements_counted, report.half_days_counted) == (0, 0)
    assert "0 placements arranged; 3 more needed" in report.get("placements").sentence


def test_a_fourth_organisation_is_arranged_but_only_three_count_towards_the_half_days():
    report = evaluate(participant(*(placement(i, i, 4) for i in (1, 2, 3, 4))), on=MID)

    assert (report.placements_counted, report.placements_arranged) == (3, 4)
    assert report.half_days_counted == 12
    assert report.get("placements").done == 3
    assert [p.counted for p in report.placements] == [True, True, True, False]
    assert report.placements[3].counting == rules.Counting.EXTRA
    assert report.placements[3].same_as is None


def test_each_placement_that_does_not_count_says_why():
    record = participant(
        placement(1, 1, 4),
        placement(2, 1, 2),  # the same organisation as placement 1, which has more half-days
        placement(3, EMPLOYER, 4),
        placement(4, 4, 4, status=PlacementStatus.WITHDRAWN),
        placement(5, 5, 3),
        placement(6, 6, 3),
        placement(7, 7, 1),  # a fourth organisation beyond the three
    )
    report = evaluate(record, on=MID)

    counting = {p.placement_id: (p.counting, p.same_as) for p in report.placements}
    assert counting == {
        1: (rules.Counting.COUNTS, None),
        2: (rules.Counting.SAME_ORGANISATION, 1),
        3: (rules.Counting.EMPLOYER, None),
        4: (rules.Counting.WITHDRAWN, None),
        5: (rules.Counting.COUNTS, None),
        6: (rules.Counting.COUNTS, None),
        7: (rules.Counting.EXTRA, None),
    }
    assert (report.placements_counted, report.placements_arranged) == (3, 4)


# Half-days -------------------------------------------------------------------


def test_a_fifth_half_day_is_fine_and_does_not_overcount():
    report = evaluate(
        participant(placement(1, 1, 5), placement(2, 2, 4), placement(3, 3, 3)), on=MID
    )

    assert report.placements[0].half_days_done == 5
    assert report.half_days_counted == 11
    assert status_of(report, "half_days") == Status.ON_TRACK
    assert report.get("half_days").to_do == "Complete 1 more half-day"


def test_a_fifth_half_day_with_four_elsewhere_meets_the_half_days():
    report = evaluate(
        participant(placement(1, 1, 5), placement(2, 2, 4), placement(3, 3, 4)), on=MID
    )

    assert report.half_days_counted == 12
    commitment = report.get("half_days")
    assert commitment.status == Status.MET
    assert (commitment.done, commitment.needed) == (12, 12)


def test_a_fifth_half_day_at_a_second_placement_with_one_organisation_changes_nothing():
    # Both placements with organisation 1 have the four half-days that count; the first
    # (lower id) is counted. The second had a half-day before its outcomes were approved.
    in_time = placement(1, 1, 4)
    late = placement(2, 1, 4, first=D(2027, 3, 8), approved=D(2027, 3, 20))
    others = (placement(3, 3, 4), placement(4, 4, 4))
    fifth = _with_half_day(participant(in_time, late, *others), late, HalfDayRecord(MID))

    report = evaluate(fifth, on=MID)

    assert report.placements[1].half_days_done == 5
    assert [p.counted for p in report.placements] == [True, False, True, True]
    assert status_of(report, "outcomes_agreed") == Status.MET


def test_a_fifth_half_day_at_a_fourth_organisation_does_not_bring_it_into_the_three():
    shared = [placement(i, i, 4, reflection=True) for i in (1, 2, 3)]
    fourth = placement(4, 4, 4, reflection=None)
    fifth = _with_half_day(participant(*shared, fourth), fourth, HalfDayRecord(MID))

    report = evaluate(fifth, on=MID)

    assert [p.counted for p in report.placements] == [True, True, True, False]
    assert status_of(report, "reflections") == Status.MET


def test_a_second_placement_with_late_outcomes_does_not_overtake_one_agreed_in_time():
    # Of two placements with one organisation, the one whose outcomes were agreed in time
    # counts, even when the other has more half-days: an accepted half-day never undoes `met`.
    in_time = placement(1, 1, 2)
    late = placement(2, 1, 2, first=D(2027, 3, 8), approved=D(2027, 3, 20))
    record = participant(in_time, late, placement(3, 3, 4), placement(4, 4, 4))
    assert status_of(evaluate(record, on=MID), "outcomes_agreed") == Status.MET

    report = evaluate(_with_half_day(record, late, HalfDayRecord(MID)), on=MID)

    assert [p.counted for p in report.placements] == [True, False, True, True]
    assert status_of(report, "outcomes_agreed") == Status.MET


def test_of_two_placements_agreed_in_time_the_one_with_more_half_days_counts():
    first = placement(1, 1, 2)
    second = placement(2, 1, 3)
    report = evaluate(participant(first, second, placement(3, 3, 4)), on=MID)
    assert [p.counted for p in report.placements] == [False, True, True]
    assert report.half_days_counted == 7


def test_a_fourth_organisation_that_overtakes_on_half_days_joins_the_three_counted():
    # Its half-days count instead of the third's, but the reflective accounts already shared
    # for three organisations still meet that commitment.
    shared = [placement(1, 1, 4, reflection=True), placement(2, 2, 4, reflection=True)]
    third = placement(3, 3, 2, reflection=True)
    fourth = placement(4, 4, 2, reflection=False)
    record = participant(*shared, third, fourth)
    assert status_of(evaluate(record, on=MID), "reflections") == Status.MET

    report = evaluate(_with_half_day(record, fourth, HalfDayRecord(MID)), on=MID)

    assert [p.counted for p in report.placements] == [True, True, False, True]
    assert report.half_days_counted == 11
    assert status_of(report, "reflections") == Status.MET


@pytest.mark.parametrize(
    ("status", "counted"),
    [
        pytest.param(HalfDayStatus.COMPLETED, 1, id="completed-counts"),
        pytest.param("completed", 1, id="a-plain-completed-string-counts"),
        pytest.param(HalfDayStatus.PLANNED, 0, id="planned-does-not"),
        pytest.param(HalfDayStatus.CANCELLED, 0, id="cancelled-does-not"),
    ],
)
def test_only_completed_half_days_count(status, counted):
    one = placement(1, 1, half_days=(HalfDayRecord(MID, status=status),))
    report = evaluate(participant(one), on=MID)

    assert report.half_days_counted == counted
    assert report.placements[0].half_days_done == counted


# Withdrawn placements ------------------------------------------------------------


def test_a_withdrawn_placement_does_not_count_and_nor_do_its_half_days():
    withdrawn = placement(1, 1, 4, status=PlacementStatus.WITHDRAWN)
    report = evaluate(participant(withdrawn, placement(2, 2, 4), placement(3, 3, 4)), on=MID)

    assert report.placements_counted == 2
    assert report.half_days_counted == 8
    assert report.placements[0].counted is False
    assert status_of(report, "placements") == Status.ON_TRACK
    assert status_of(report, "half_days") == Status.ON_TRACK


def test_a_placement_replaces_a_withdrawn_one_with_the_same_organisation():
    withdrawn = placement(1, 1, 4, status=PlacementStatus.WITHDRAWN)
    report = evaluate(
        participant(withdrawn, placement(2, 1, 4), placement(3, 2, 4), placement(4, 3, 4)), on=MID
    )

    assert report.placements_counted == 3
    assert report.half_days_counted == 12
    assert [p.counted for p in report.placements] == [False, True, True, True]


def test_a_withdrawn_placement_is_ignored_for_outcomes_window_and_guidance():
    withdrawn = placement(
        1,
        1,
        approved=None,
        status=PlacementStatus.WITHDRAWN,
        half_days=weekly(START - dt.timedelta(days=14), 2, person_met="Ann"),
    )
    report = evaluate(participant(withdrawn, *(placement(i, i, 4) for i in (2, 3, 4))), on=MID)

    assert status_of(report, "outcomes_agreed") == Status.MET
    assert "outside" not in report.get("window").sentence
    assert report.guidance == ()


# Half-days outside the window ---------------------------------------------------


def test_a_completed_half_day_outside_the_window_is_mentioned_and_puts_the_window_at_risk():
    early = placement(
        1,
        1,
        approved=START - dt.timedelta(days=30),
        half_days=(HalfDayRecord(START - DAY), *weekly(START, 2)),
    )
    report = evaluate(participant(early), on=MID)

    window = report.get("window")
    assert report.half_days_counted == 2
    assert window.status == Status.AT_RISK
    assert "1 completed half-day fell outside the window and does not count." in window.sentence


def test_two_completed_half_days_outside_the_window_are_counted_in_the_sentence():
    late = placement(1, 1, half_days=(HalfDayRecord(AFTER), HalfDayRecord(END + 7 * DAY)))
    report = evaluate(participant(late), on=MID)

    assert "2 completed half-days fell outside the window and do not count." in (
        report.get("window").sentence
    )


def test_planned_half_days_outside_the_window_are_not_mentioned():
    planned = placement(1, 1, half_days=(HalfDayRecord(AFTER, status=HalfDayStatus.PLANNED),))
    report = evaluate(participant(planned), on=MID)

    window = report.get("window")
    assert "outside" not in window.sentence
    assert window.status == Status.ON_TRACK


def test_the_window_is_met_when_every_half_day_is_done_even_with_extras_outside_it():
    extra = placement(
        1,
        1,
        approved=START - dt.timedelta(days=30),
        half_days=(HalfDayRecord(START - DAY), *weekly(START, 4)),
    )
    report = evaluate(participant(extra, placement(2, 2, 4), placement(3, 3, 4)), on=MID)

    window = report.get("window")
    assert window.status == Status.MET
    assert window.sentence == (
        "All counted half-days fell in the window. The window runs from 1 March 2027 to "
        "1 September 2027, inclusive. 1 completed half-day fell outside the window and "
        "does not count."
    )


def test_after_the_window_closes_the_half_days_outside_it_are_still_mentioned():
    late = placement(1, 1, half_days=(HalfDayRecord(AFTER),))
    report = evaluate(participant(late), on=AFTER)

    window = report.get("window")
    assert window.status == Status.MISSED
    assert window.sentence == (
        "The window closed on 1 September 2027. 1 completed half-day fell outside the "
        "window and does not count."
    )


def test_before_the_window_starts_the_half_days_outside_it_are_still_mentioned():
    early = placement(1, 1, approved=START - 30 * DAY, half_days=(HalfDayRecord(START - 10 * DAY),))
    report = evaluate(participant(early), on=START - 5 * DAY)

    window = report.get("window")
    assert window.status == Status.AT_RISK
    assert "It has not started yet." in window.sentence
    assert "1 completed half-day fell outside the window and does not count." in window.sentence


# Learning outcomes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved", "on", "expected"),
    [
        pytest.param(D(2027, 3, 1), MID, Status.MET, id="approved-a-week-before"),
        pytest.param(D(2027, 3, 8), MID, Status.MET, id="approved-on-the-day-of-the-first"),
        pytest.param(D(2027, 3, 9), MID, Status.AT_RISK, id="approved-a-day-late-at-risk"),
        pytest.param(D(2027, 3, 9), END, Status.AT_RISK, id="late-at-risk-on-the-last-day"),
        pytest.param(D(2027, 3, 9), AFTER, Status.MISSED, id="late-missed-after-the-window"),
        pytest.param(None, MID, Status.AT_RISK, id="never-approved-at-risk"),
        pytest.param(None, AFTER, Status.MISSED, id="never-approved-missed-after-the-window"),
    ],
)
def test_learning_outcomes_must_be_approved_on_or_before_the_first_half_day(approved, on, expected):
    first = placement(1, 1, 4, first=D(2027, 3, 8), approved=approved)
    report = evaluate(participant(first, placement(2, 2, 4), placement(3, 3, 4)), on=on)

    assert status_of(report, "outcomes_agreed") == expected
    assert report.placements[0].outcomes_in_time is (expected == Status.MET)


def test_late_outcomes_are_explained_by_organisation_with_something_to_do():
    late = placement(1, 1, 2, first=D(2027, 3, 8), approved=D(2027, 4, 1), name="Fenbridge")
    report = evaluate(participant(late, placement(2, 2, 4), placement(3, 3, 4)), on=MID)

    commitment = report.get("outcomes_agreed")
    assert commitment.sentence == (
        "Half-days at Fenbridge took place before the learning outcomes were agreed."
    )
    assert commitment.to_do == (
        "Agree learning outcomes with your line manager before the next half-day"
    )
    assert (commitment.done, commitment.needed) == (2, 3)


def test_a_planned_half_day_before_the_approval_does_not_make_the_outcomes_late():
    early_plan = placement(
        1,
        1,
        approved=D(2027, 3, 20),
        half_days=(
            HalfDayRecord(D(2027, 3, 8), status=HalfDayStatus.PLANNED),
            HalfDayRecord(D(2027, 3, 9), status=HalfDayStatus.CANCELLED),
            *weekly(D(2027, 3, 22), 4),
        ),
    )
    report = evaluate(participant(early_plan, placement(2, 2, 4), placement(3, 3, 4)), on=MID)

    assert status_of(report, "outcomes_agreed") == Status.MET


def test_outcomes_agreed_before_any_half_day_are_on_track_and_say_how_many_remain():
    report = evaluate(participant(placement(1, 1, 0), placement(2, 2, 0, approved=None)), on=MID)

    commitment = report.get("outcomes_agreed")
    assert commitment.status == Status.ON_TRACK
    assert commitment.sentence == "Learning outcomes agreed for 1 of 3 placements."
    assert commitment.to_do == (
        "Agree learning outcomes for 2 more placements, each before its first half-day"
    )
    assert [p.outcomes_in_time for p in report.placements] == [True, False]


def test_outcomes_still_to_agree_for_one_placement_use_the_singular():
    report = evaluate(participant(placement(1, 1, 0), placement(2, 2, 0)), on=MID)

    assert report.get("outcomes_agreed").to_do == (
        "Agree learning outcomes for 1 more placement, each before its first half-day"
    )


def test_outcomes_not_agreed_for_three_placements_when_the_window_closes_are_missed():
    report = evaluate(participant(placement(1, 1, 4), placement(2, 2, 4)), on=AFTER)

    commitment = report.get("outcomes_agreed")
    assert commitment.status == Status.MISSED
    assert commitment.sentence == (
        "The window closed with learning outcomes agreed for 2 placements."
    )


def test_late_outcomes_at_a_fourth_organisation_do_not_stop_three_in_time():
    late = placement(4, 4, 2, approved=D(2027, 6, 1))
    report = evaluate(participant(*(placement(i, i, 4) for i in (1, 2, 3)), late), on=MID)

    assert status_of(report, "outcomes_agreed") == Status.MET


@pytest.mark.parametrize(
    "now",
    [rules.OutcomesStatus.SUBMITTED, rules.OutcomesStatus.RETURNED, rules.OutcomesStatus.DRAFT],
)
def test_outcomes_changed_after_approval_are_no_longer_agreed_until_approved_again(now):
    changed = replace(placement(3, 3, 2), outcomes_status=now)
    record = participant(placement(1, 1, 4), placement(2, 2, 4), changed)

    report = evaluate(record, on=MID)
    commitment = report.get("outcomes_agreed")

    assert commitment.status == Status.ON_TRACK
    assert commitment.done == 2
    assert "The outcomes for Org 3 changed after they were agreed" in commitment.sentence
    assert commitment.to_do == (
        "Agree learning outcomes for 1 more placement, each before its next half-day"
    )
    # The half-days logged under the earlier approval still count.
    assert report.half_days_counted == 10
    approved_again = evaluate(
        replace(record, placements=(*record.placements[:2], placement(3, 3, 2))), on=MID
    )
    assert approved_again.get("outcomes_agreed").done == 3


def test_outcomes_changed_after_a_placement_finished_do_not_undo_its_agreement():
    finished = replace(placement(3, 3, 4), outcomes_status=rules.OutcomesStatus.SUBMITTED)
    record = participant(placement(1, 1, 4), placement(2, 2, 4), finished)

    assert status_of(evaluate(record, on=MID), "outcomes_agreed") == Status.MET


def test_outcomes_never_approved_are_not_agreed_whatever_their_status_says():
    record = participant(placement(1, 1, 0, approved=None))
    assert evaluate(record, on=MID).get("outcomes_agreed").done == 0


# The pace rule: at risk when the half-days needed no longer fit at one a week --------


@pytest.mark.parametrize(
    ("done", "last_on_track"),
    [
        # One half-day fits on the last day itself: the end day counts.
        pytest.param(11, D(2027, 9, 1), id="1-needed-on-track-until-the-last-day"),
        pytest.param(8, D(2027, 8, 11), id="4-needed-on-track-until-11-aug"),
        pytest.param(4, D(2027, 7, 14), id="8-needed-on-track-until-14-jul"),
        pytest.param(0, D(2027, 6, 16), id="12-needed-on-track-until-16-jun"),
    ],
)
def test_half_days_are_at_risk_from_the_day_they_no_longer_fit_at_one_a_week(done, last_on_track):
    needed = 12 - done
    # The threshold: `needed` weekly dates from today, the last of them on the last day.
    assert last_on_track == END - dt.timedelta(days=7 * (needed - 1))
    record = with_done(done, milestones=PACE_ONLY)

    on_track = evaluate(record, on=last_on_track)
    at_risk = evaluate(record, on=last_on_track + DAY)

    assert rules.weekly_dates_left(last_on_track, START, END) == needed
    assert rules.weekly_dates_left(last_on_track + DAY, START, END) == needed - 1
    for code in ("half_days", "window"):
        assert status_of(on_track, code) == Status.ON_TRACK
        assert status_of(at_risk, code) == (Status.AT_RISK if needed > 1 else Status.MISSED)
    half_days = "1 half-day" if needed == 1 else f"{needed} half-days"
    assert on_track.get("half_days").to_do == f"Complete {half_days.replace(' ', ' more ')}"
    assert "will not fit" not in on_track.get("half_days").sentence
    if needed > 1:
        assert at_risk.get("half_days").sentence.endswith(
            f"{half_days} still needed will not fit at one a week before 1 September 2027."
        )


@pytest.mark.parametrize(
    ("days_left", "fit"),
    [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 2), (8, 2)]
    + [(9, 2), (10, 2), (11, 2), (12, 2), (13, 2), (14, 3)],
)
def test_the_weekly_dates_left_count_today_and_the_last_day(days_left, fit):
    """0 days left is the last day itself: one half-day still fits on it."""
    on = END - dt.timedelta(days=days_left)
    assert rules.weekly_dates_left(on, START, END) == fit
    for needed in (fit, fit + 1):
        report = evaluate(with_done(12 - needed), on=on)
        expected = Status.ON_TRACK if needed <= fit else Status.AT_RISK
        assert status_of(report, "half_days") == expected, needed


def test_before_the_window_starts_the_weekly_dates_are_counted_from_its_first_day():
    assert rules.weekly_dates_left(START - 100 * DAY, START, END) == 27
    assert rules.weekly_dates_left(START, START, END) == 27
    assert rules.weekly_dates_left(AFTER, START, END) == 0


@pytest.mark.parametrize(
    ("on", "needed", "expected"),
    [
        # The cases: a window ending on Sunday 28 February 2027.
        pytest.param(D(2027, 2, 27), 1, Status.ON_TRACK, id="27-feb-one-needed-fits"),
        pytest.param(D(2027, 2, 28), 1, Status.ON_TRACK, id="the-last-sunday-counts"),
        pytest.param(D(2027, 2, 27), 2, Status.AT_RISK, id="27-feb-two-needed-do-not-fit"),
        pytest.param(D(2027, 1, 10), 8, Status.ON_TRACK, id="10-jan-eight-weekly-dates-fit"),
        pytest.param(D(2027, 1, 11), 8, Status.AT_RISK, id="11-jan-eight-no-longer-fit"),
    ],
)
def test_a_window_ending_on_a_sunday_counts_its_last_day(on, needed, expected):
    start = D(2026, 8, 28)
    assert window_end(start) == D(2027, 2, 28) and window_end(start).weekday() == 6
    report = evaluate(with_done(12 - needed, start=start, milestones=PACE_ONLY), on=on)
    assert status_of(report, "half_days") == expected
    assert ("will not fit" in report.get("half_days").sentence) == (expected == Status.AT_RISK)


def test_missing_placements_are_at_risk_from_the_day_their_half_days_no_longer_fit():
    record = participant(placement(1, 1, 4), placement(2, 2, 4), milestones=PACE_ONLY)

    on_track = evaluate(record, on=D(2027, 8, 11))
    at_risk = evaluate(record, on=D(2027, 8, 12))

    assert status_of(on_track, "placements") == Status.ON_TRACK
    assert status_of(at_risk, "placements") == Status.AT_RISK
    assert at_risk.get("placements").sentence == (
        "2 placements arranged; 1 more needed, each with a different organisation from your "
        "employer and each other. The half-days they need no longer fit at one a week before "
        "the window ends."
    )
    assert at_risk.get("placements").due == END


@pytest.mark.parametrize(
    "on",
    [
        pytest.param(START - 60 * DAY, id="two-months-before-the-start"),
        pytest.param(START, id="on-the-start-day"),
    ],
)
def test_a_participant_with_nothing_done_is_on_track_at_the_start(on):
    report = evaluate(participant(), on=on)

    for code in ("placements", "half_days", "window", "outcomes_agreed"):
        assert status_of(report, code) == Status.ON_TRACK
    assert report.at_risk is False


@pytest.mark.parametrize(
    ("on", "weeks"),
    [
        pytest.param(START, 26, id="26-weeks-on-the-start-day"),
        pytest.param(START - 30 * DAY, 26, id="still-26-weeks-before-the-start"),
        pytest.param(END - 13 * DAY, 2, id="2-weeks-with-14-days-left"),
        pytest.param(END - 12 * DAY, 1, id="1-week-with-13-days-left"),
        pytest.param(END - 6 * DAY, 1, id="1-week-with-7-days-left"),
        pytest.param(END - 5 * DAY, 0, id="0-weeks-with-6-days-left"),
        pytest.param(END, 0, id="0-weeks-on-the-last-day"),
        pytest.param(AFTER, 0, id="0-weeks-after-the-window"),
    ],
)
def test_weeks_left_counts_whole_weeks_to_the_inclusive_end(on, weeks):
    assert evaluate(participant(), on=on).weeks_left == weeks


@pytest.mark.parametrize(
    "on",
    [
        pytest.param(AFTER, id="the-day-after-the-end"),
        pytest.param(END + 100 * DAY, id="long-after-the-end"),
    ],
)
def test_after_the_window_closes_what_is_not_done_is_missed(on):
    report = evaluate(participant(placement(1, 1, 4), placement(2, 2, 4)), on=on)

    for code in ("placements", "half_days", "window", "outcomes_agreed"):
        commitment = report.get(code)
        assert commitment.status == Status.MISSED
        assert commitment.due is None
    assert report.get("placements").to_do == ""
    assert report.get("half_days").to_do == ""
    assert report.get("placements").sentence == (
        "The window closed on 1 September 2027 with 2 placements arranged."
    )
    assert report.get("half_days").sentence == (
        "The window closed on 1 September 2027 with 8 of 12 half-days."
    )
    assert report.at_risk is True


def test_on_the_last_day_what_is_not_done_is_at_risk_not_yet_missed():
    report = evaluate(with_done(10), on=END)

    assert status_of(report, "half_days") == Status.AT_RISK
    assert report.get("half_days").due == END


def test_what_was_met_stays_met_after_the_window_closes():
    report = evaluate(with_done(12), on=END + 365 * DAY)

    for code in ("placements", "half_days", "window", "outcomes_agreed"):
        assert status_of(report, code) == Status.MET


# Reflections and the improvement initiative ---------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # Three placements of four weekly half-days from 8 March: the third is complete on
        # 29 March.
        pytest.param(D(2027, 3, 29), Status.ON_TRACK, id="on-the-day-the-third-completes"),
        pytest.param(D(2027, 3, 30), Status.AT_RISK, id="the-day-after"),
    ],
)
def test_no_agreed_initiative_is_at_risk_once_the_third_placement_completes(on, expected):
    record = participant(*(placement(i, i, 4) for i in (1, 2, 3)))
    commitment = evaluate(record, on=on).get("improvement")
    assert commitment.status == expected
    if expected == Status.AT_RISK:
        assert "complete on 29 March 2027" in commitment.sentence


def test_two_complete_placements_do_not_make_the_initiative_late():
    record = participant(placement(1, 1, 4), placement(2, 2, 4))
    assert evaluate(record, on=AFTER).get("improvement").status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(D(2027, 4, 12), Status.ON_TRACK, id="fourteen-days-after-completion"),
        pytest.param(D(2027, 4, 13), Status.AT_RISK, id="fifteen-days-after-completion"),
        pytest.param(AFTER, Status.AT_RISK, id="after-the-window"),
    ],
)
def test_an_account_is_overdue_two_weeks_after_its_placement_completes(on, expected):
    # Four weekly half-days from 8 March: the placement is complete on 29 March.
    record = participant(
        placement(1, 1, 4, reflection=False),
        placement(2, 2, 4, reflection=True),
        placement(3, 3, 2, reflection=False),
    )
    commitment = evaluate(record, on=on).get("reflections")
    assert commitment.status == expected
    if expected == Status.AT_RISK:
        assert commitment.sentence == (
            "1 of 3 reflective accounts discussed with your line manager. "
            "Overdue: Org 1 (due 12 April 2027)."
        )


def test_a_shared_account_is_never_overdue():
    record = participant(*(placement(i, i, 4, reflection=True) for i in (1, 2)))
    assert evaluate(record, on=AFTER).get("reflections").status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("reflections", "expected", "shared"),
    [
        pytest.param((True, True, True), Status.MET, 3, id="all-three-shared"),
        pytest.param((True, False, True), Status.ON_TRACK, 2, id="two-shared"),
        pytest.param((False, False, False), Status.ON_TRACK, 0, id="none-shared"),
        pytest.param((True, True), Status.ON_TRACK, 2, id="two-placements-both-shared"),
        pytest.param((), Status.ON_TRACK, 0, id="no-placements"),
    ],
)
def test_reflective_accounts_are_met_only_when_all_three_are_discussed(
    reflections, expected, shared
):
    placements = [placement(i + 1, i + 1, 4, reflection=r) for i, r in enumerate(reflections)]
    # The placements are complete on 29 March; their accounts are not yet overdue on 5 April.
    for on in (D(2027, 3, 29), D(2027, 4, 5)):
        commitment = evaluate(participant(*placements), on=on).get("reflections")

        assert commitment.status == expected
        assert commitment.done == shared
        if shared == 2:
            assert commitment.sentence == (
                "2 of 3 reflective accounts discussed with your line manager."
            )


@pytest.mark.parametrize(
    ("agreed", "on", "expected"),
    [
        # Agreeing the plan is on track; implemented and reviewed is met
        # (tests/test_rules_improvement.py has each state).
        pytest.param(True, MID, Status.ON_TRACK, id="agreed"),
        pytest.param(True, AFTER, Status.AT_RISK, id="agreed-not-implemented-after-the-window"),
        pytest.param(False, MID, Status.ON_TRACK, id="not-yet-agreed-in-the-window"),
        pytest.param(False, END, Status.ON_TRACK, id="not-yet-agreed-on-the-last-day"),
        # Without three complete placements there is nothing to be late against.
        pytest.param(False, AFTER, Status.ON_TRACK, id="not-agreed-after-the-window"),
    ],
)
def test_the_improvement_initiative_is_not_met_when_only_agreed(agreed, on, expected):
    record = participant(improvement=ImprovementRecord(agreed=agreed))
    commitment = evaluate(record, on=on).get("improvement")

    assert commitment.status == expected
    if agreed is False:
        assert commitment.to_do == "Agree a service improvement initiative with your line manager"


# Briefing and workshop ------------------------------------------------------------

EVENT_DAY = D(2027, 3, 3)


@pytest.mark.parametrize("code", ["briefing", "workshop"])
@pytest.mark.parametrize(
    ("day", "attended", "on", "expected", "sentence", "to_do"),
    [
        pytest.param(EVENT_DAY, True, MID, Status.MET, "Attended the {code}.", "", id="attended"),
        pytest.param(
            EVENT_DAY,
            False,
            MID,
            Status.MISSED,
            "Did not attend the {code}.",
            "",
            id="not-attended",
        ),
        pytest.param(
            EVENT_DAY,
            None,
            START,
            Status.ON_TRACK,
            "The {code} is on 3 March 2027.",
            "Attend the {code}",
            id="unknown-before-the-date",
        ),
        pytest.param(
            EVENT_DAY,
            None,
            EVENT_DAY,
            Status.ON_TRACK,
            "The {code} is on 3 March 2027.",
            "Attend the {code}",
            id="unknown-on-the-date",
        ),
        pytest.param(
            EVENT_DAY,
            None,
            EVENT_DAY + DAY,
            Status.AT_RISK,
            "The {code} was on 3 March 2027; attendance has not been recorded.",
            "The programme manager records attendance",
            id="unknown-after-the-date-is-at-risk",
        ),
        pytest.param(
            None,
            None,
            MID,
            Status.ON_TRACK,
            "The {code} date is to be confirmed.",
            "",
            id="no-date-yet",
        ),
        pytest.param(
            None, True, MID, Status.MET, "Attended the {code}.", "", id="attended-with-no-date"
        ),
    ],
)
def test_briefing_and_workshop_attendance(code, day, attended, on, expected, sentence, to_do):
    record = participant(**{f"{code}_date": day, f"{code}_attended": attended})
    commitment = evaluate(record, on=on).get(code)

    assert commitment.status == expected
    assert commitment.sentence == sentence.format(code=code)
    assert commitment.to_do == to_do.format(code=code)
    if expected == Status.ON_TRACK and day is not None:
        assert commitment.due == day


# Variety guidance ---------------------------------------------------------------

SAME_PERSON = "All your half-days at Org 1 were with the same person."
SAME_LEVEL = "All your half-days at Org 1 were at one level of seniority."


@pytest.mark.parametrize(
    ("people", "levels", "expected"),
    [
        pytest.param(
            ("Ann Lee", "Ann Lee"), ("director", "front line"), [SAME_PERSON], id="same-person"
        ),
        pytest.param(
            ("Ann Lee", " ann lee "),
            ("director", "front line"),
            [SAME_PERSON],
            id="same-person-whatever-the-case-and-spaces",
        ),
        pytest.param(
            ("Ann Lee", "Bo Chen"), ("director", "director"), [SAME_LEVEL], id="same-level"
        ),
        pytest.param(
            ("Ann Lee", "Ann Lee"),
            ("director", "director"),
            [SAME_PERSON, SAME_LEVEL],
            id="same-person-and-level",
        ),
        pytest.param(("Ann Lee", "Bo Chen"), ("director", "front line"), [], id="mixed"),
        pytest.param(("", ""), ("", ""), [], id="nobody-recorded"),
        pytest.param(("Ann Lee", ""), ("director", ""), [], id="one-not-recorded"),
        pytest.param(("Ann Lee",), ("director",), [], id="one-half-day-gives-no-guidance"),
    ],
)
def test_variety_guidance_notices_one_person_or_one_level(people, levels, expected):
    half_days = tuple(
        HalfDayRecord(START + (i + 1) * 7 * DAY, person_met=p, level=lv)
        for i, (p, lv) in enumerate(zip(people, levels, strict=True))
    )
    report = evaluate(participant(placement(1, 1, half_days=half_days)), on=MID)

    assert [note.split(". ")[0] + "." for note in report.guidance] == expected


def test_variety_guidance_only_looks_at_completed_half_days():
    half_days = (
        HalfDayRecord(D(2027, 3, 8), person_met="Ann", level="director"),
        HalfDayRecord(D(2027, 3, 15), status=HalfDayStatus.PLANNED, person_met="Bo"),
        HalfDayRecord(D(2027, 3, 22), status=HalfDayStatus.CANCELLED, level="front line"),
    )
    report = evaluate(participant(placement(1, 1, half_days=half_days)), on=MID)
    assert report.guidance == ()

    half_days += (HalfDayRecord(D(2027, 3, 29), person_met="ann", level="director"),)
    report = evaluate(participant(placement(1, 1, half_days=half_days)), on=MID)
    assert len(report.guidance) == 2


def test_variety_guidance_is_never_a_failure():
    same = weekly(D(2027, 3, 8), 4, person_met="Ann", level="director")
    record = everything_done()
    record = replace(
        record, placements=tuple(replace(p, half_days=same) for p in record.placements)
    )
    report = evaluate(record, on=MID)

    assert len(report.guidance) == 6
    assert report.met_count == 8
    assert report.at_risk is False


def test_variety_guidance_names_the_placement_or_says_one_placement():
    same = weekly(D(2027, 3, 8), 2, person_met="Ann")
    report = evaluate(participant(placement(1, 1, half_days=same, name="")), on=MID)

    assert report.guidance == (
        "All your half-days at one placement were with the same person. Meeting different "
        "people gives a wider view of the pathway.",
    )


# Plain-English sentences and to-dos ---------------------------------------------


def test_the_window_sentence_gives_both_dates_and_the_weeks_left():
    window = evaluate(participant(), on=START).get("window")

    assert window.sentence == (
        "The window runs from 1 March 2027 to 1 September 2027, inclusive. 26 weeks left."
    )
    assert (window.to_do, window.due) == ("Complete every half-day", D(2027, 9, 1))
    assert window.due == END


def test_the_window_sentence_says_when_it_has_not_started():
    window = evaluate(participant(), on=START - DAY).get("window")

    assert window.sentence == (
        "The window runs from 1 March 2027 to 1 September 2027, inclusive. It has not started yet."
    )


def test_the_window_sentence_uses_one_week_in_the_singular():
    assert evaluate(participant(), on=END - 7 * DAY).get("window").sentence.endswith("1 week left.")


def test_the_leap_year_window_is_written_out_in_full():
    window = evaluate(participant(start=D(2027, 8, 31)), on=D(2027, 9, 1)).get("window")

    assert "from 31 August 2027 to 29 February 2028, inclusive." in window.sentence
    assert (window.to_do, window.due) == ("Complete every half-day", D(2028, 2, 29))


def test_the_half_days_sentence_names_the_placements_still_short():
    record = participant(
        placement(1, 1, 4), placement(2, 2, 3, name="Larkhaven"), placement(3, 3, 0, name="")
    )
    commitment = evaluate(record, on=MID).get("half_days")

    assert commitment.sentence == (
        "7 of 12 half-days completed in the window. "
        "Still to complete: Larkhaven (3 of 4), placement (0 of 4)."
    )
    assert commitment.to_do == "Complete 5 more half-days"
    assert (commitment.done, commitment.needed, commitment.due) == (7, 12, END)


def test_the_half_days_at_risk_sentence_says_how_many_will_not_fit():
    # 20 days left: three weekly dates (12, 19 and 26 August), and four half-days needed.
    commitment = evaluate(with_done(8), on=D(2027, 8, 12)).get("half_days")

    assert commitment.sentence == (
        "8 of 12 half-days completed in the window. Still to complete: Org 3 (0 of 4). "
        "4 half-days still needed will not fit at one a week before 1 September 2027."
    )


def test_one_half_day_still_needed_is_in_the_singular_and_fits_on_the_last_day():
    commitment = evaluate(with_done(11), on=END).get("half_days")

    assert commitment.status == Status.ON_TRACK
    assert commitment.sentence == (
        "11 of 12 half-days completed in the window. Still to complete: Org 3 (3 of 4)."
    )
    assert commitment.to_do == "Complete 1 more half-day"


def test_the_met_sentences_say_what_was_done():
    report = evaluate(everything_done(), on=MID)

    assert report.get("placements").sentence == (
        "3 placements arranged with different organisations."
    )
    assert report.get("half_days").sentence == (
        "4 half-days completed with each of 3 organisations."
    )
    assert report.get("outcomes_agreed").sentence == (
        "Learning outcomes were agreed before the first half-day of 3 placements."
    )
    assert report.get("reflections").sentence == (
        "A reflective account of each placement has been shared and discussed with your line "
        "manager."
    )
    assert all(c.to_do == "" for c in report.commitments)


@pytest.mark.parametrize(
    ("count", "sentence", "to_do"),
    [
        pytest.param(
            0,
            "0 placements arranged; 3 more needed",
            "Arrange 3 more placements",
            id="none",
        ),
        pytest.param(
            1,
            "1 placement arranged; 2 more needed",
            "Arrange 2 more placements",
            id="one",
        ),
        pytest.param(
            2,
            "2 placements arranged; 1 more needed",
            "Arrange 1 more placement",
            id="two",
        ),
    ],
)
def test_the_placements_sentence_counts_what_is_arranged(count, sentence, to_do):
    record = participant(*(placement(i, i) for i in range(1, count + 1)))
    # Before the first milestone, which would come first in the sentence.
    commitment = evaluate(record, on=EARLY).get("placements")

    assert commitment.sentence.startswith(sentence)
    assert commitment.to_do == to_do
    assert (commitment.done, commitment.needed) == (count, 3)


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.MET, "Complete"),
        (Status.ON_TRACK, "On track"),
        (Status.AT_RISK, "At risk"),
        (Status.MISSED, "Missed"),
    ],
    ids=lambda value: str(value),
)
def test_every_status_has_a_label(status, label):
    assert status.label == label


# One word for a participant: Report.overall -----------------------------------------


def test_a_participant_who_has_done_everything_is_complete():
    report = evaluate(everything_done(), on=AFTER)
    assert report.overall == rules.Overall.COMPLETE
    assert report.overall.label == "Complete"


def test_all_but_the_workshop_is_on_track_not_complete():
    record = replace(everything_done(), workshop_attended=None)
    report = evaluate(record, on=END)
    assert report.met_count == 7
    assert report.overall == rules.Overall.ON_TRACK


def test_nothing_arranged_is_not_started_until_something_is_at_risk():
    assert evaluate(participant(), on=START).overall == rules.Overall.NOT_STARTED
    assert evaluate(participant(), on=START - 30 * DAY).overall == rules.Overall.NOT_STARTED
    # Twelve half-days no longer fit at one a week from 17 June.
    assert evaluate(participant(), on=D(2027, 6, 17)).overall == rules.Overall.AT_RISK
    assert evaluate(participant(), on=AFTER).overall == rules.Overall.MISSED


def test_a_missed_commitment_outranks_one_at_risk():
    record = participant(placement(1, 1, 4), briefing_date=START, briefing_attended=False)
    report = evaluate(record, on=D(2027, 8, 20))
    assert {c.status for c in report.risks} == {Status.AT_RISK, Status.MISSED}
    assert report.overall == rules.Overall.MISSED


def test_every_overall_status_has_a_label_and_a_meaning():
    assert [o.label for o in rules.Overall] == [
        "Not started",
        "On track",
        "At risk",
        "Missed",
        "Complete",
    ]
    assert set(rules.OVERALL_MEANINGS) == set(rules.Overall)


# Report helpers ---------------------------------------------------------------


def _report(*statuses: Status) -> Report:
    return Report(
        on=MID,
        window_start=START,
        window_end=END,
        weeks_left=10,
        placements_counted=0,
        half_days_counted=0,
        commitments=tuple(
            Commitment(code, code.title(), status, "")
            for code, status in zip(CODES, statuses, strict=False)
        ),
    )


@pytest.mark.parametrize(
    ("statuses", "met", "at_risk"),
    [
        pytest.param((), 0, False, id="nothing"),
        pytest.param((Status.MET,) * 8, 8, False, id="all-met"),
        pytest.param((Status.MET, Status.ON_TRACK, Status.ON_TRACK), 1, False, id="fine"),
        pytest.param((Status.MET, Status.AT_RISK), 1, True, id="one-at-risk"),
        pytest.param((Status.MET, Status.MET, Status.MISSED), 2, True, id="one-missed"),
        pytest.param((Status.ON_TRACK,) * 8, 0, False, id="on-track-is-not-at-risk"),
    ],
)
def test_met_count_and_at_risk_summarise_the_commitments(statuses, met, at_risk):
    report = _report(*statuses)

    assert report.met_count == met
    assert report.at_risk is at_risk


def test_get_finds_a_commitment_by_code_and_fails_loudly_for_an_unknown_one():
    report = _report(Status.MET, Status.AT_RISK)

    assert report.get("half_days").status == Status.AT_RISK
    assert report.get("placements").code == "placements"
    with pytest.raises(StopIteration):
        report.get("no_such_code")


# Properties ---------------------------------------------------------------------

PROPERTIES = settings(
    max_examples=200,
    deadline=None,
    database=None,
    # The project's autouse fixtures (Django settings, Celery) play no part here.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# Strategies are built once: building them inside the composite is most of its cost.
COMPLETED_MOSTLY = st.sampled_from(
    [HalfDayStatus.COMPLETED] * 7 + ["completed", HalfDayStatus.PLANNED, HalfDayStatus.CANCELLED]
)
WHO = st.sampled_from(
    [("", ""), ("Ann", "director"), (" ann", "director"), ("Bo", "front line"), ("Bo", "")]
)
PLACEMENT_STATUSES = st.sampled_from([*PlacementStatus, PlacementStatus.AGREED])
REFLECTIONS = st.sampled_from([True, True, True, False])
MAYBE = st.sampled_from([None, True, False])
# Outcomes mostly approved now; some changed or returned after their first approval.
OUTCOMES_NOW = st.sampled_from([*rules.OutcomesStatus, *[rules.OutcomesStatus.APPROVED] * 4])
# Days relative to the programme start (the window is 181 to 184 days long).
HALF_DAY_OFFSET = st.integers(-20, 200)
IN_WINDOW_OFFSET = st.integers(0, 180)
APPROVAL_OFFSET = st.sampled_from([None, "early", "early", "any"])
EARLY_APPROVAL = st.integers(-30, 0)
ANY_APPROVAL = st.integers(-30, 150)
BRIEFING_OFFSET = st.none() | st.integers(-60, 30)
WORKSHOP_OFFSET = st.none() | st.integers(150, 220)
ON_OFFSET = st.integers(-60, 260)
ORGANISATION = st.integers(1, 6)
# Four, the number that counts, is the most common; five and six test that extras do not.
HALF_DAY_COUNT = st.sampled_from([0, 1, 2, 3, 4, 4, 4, 4, 5, 6])
STARTS = st.dates(D(2025, 1, 1), D(2029, 12, 31))
# An initiative at any stage: the days are drawn anywhere, so most are not implemented.
IMPROVEMENT_DAY = st.none() | st.dates(D(2025, 1, 1), D(2030, 12, 31))
IMPROVEMENTS = st.builds(
    ImprovementRecord,
    agreed=st.booleans(),
    first_cycle_started_on=IMPROVEMENT_DAY,
    cycle_completed_on=IMPROVEMENT_DAY,
    phase_started_on=IMPROVEMENT_DAY,
    last_data_on=IMPROVEMENT_DAY,
    review_asked=st.booleans(),
    reviewed_on=IMPROVEMENT_DAY,
)


@st.composite
def participants_on_a_day(draw, max_placements: int = 6):
    """A random participant and a day to evaluate them on.

    Organisations are 1-6 and one of them is the employer, so second placements with one
    organisation and employer placements are common. Dates fall around the window, so some
    half-days are outside it and some days are before or after it. Statuses lean towards
    completed, approvals towards the start, and half the placements are on course (their
    first four half-days completed in the window), so that met commitments are common too.
    """
    start = draw(STARTS)

    def day(offset: int | None) -> dt.date | None:
        return None if offset is None else start + dt.timedelta(days=offset)

    def half_day(on_course: bool) -> HalfDayRecord:
        person, level = draw(WHO)
        if on_course:
            return HalfDayRecord(day(draw(IN_WINDOW_OFFSET)), person_met=person, level=level)
        return HalfDayRecord(
            day(draw(HALF_DAY_OFFSET)), draw(COMPLETED_MOSTLY), person_met=person, level=level
        )

    def half_days() -> tuple[HalfDayRecord, ...]:
        on_course = draw(st.booleans())
        return tuple(half_day(on_course and i < 4) for i in range(draw(HALF_DAY_COUNT)))

    # Three or four placements, what the programme asks for, are the most common.
    count = draw(st.sampled_from([n for n in (0, 1, 2, 3, 3, 4, 4, 5, 6) if n <= max_placements]))
    placements = []
    for placement_id in draw(st.permutations(range(1, count + 1))):
        organisation = draw(ORGANISATION)
        approval = draw(APPROVAL_OFFSET)
        if approval is not None:
            approval = draw(EARLY_APPROVAL if approval == "early" else ANY_APPROVAL)
        placements.append(
            PlacementRecord(
                id=placement_id,
                organisation_id=organisation,
                organisation_name=f"Org {organisation}" if draw(st.booleans()) else "",
                status=draw(PLACEMENT_STATUSES),
                outcomes_approved_on=day(approval),
                outcomes_status=draw(OUTCOMES_NOW),
                half_days=half_days(),
                reflection_shared=draw(REFLECTIONS),
            )
        )
    record = ParticipantRecord(
        programme_start=start,
        employer_id=draw(ORGANISATION),
        placements=tuple(placements),
        briefing_date=day(draw(BRIEFING_OFFSET)),
        briefing_attended=draw(MAYBE),
        workshop_date=day(draw(WORKSHOP_OFFSET)),
        workshop_attended=draw(MAYBE),
        improvement=draw(IMPROVEMENTS),
    )
    return record, day(draw(ON_OFFSET))


@PROPERTIES
@given(participants_on_a_day())
def test_every_code_appears_once_and_met_count_never_exceeds_the_commitments(case):
    record, on = case
    report = evaluate(record, on=on)

    assert sorted(c.code for c in report.commitments) == sorted(CODES)
    assert 0 <= report.met_count <= len(report.commitments) == len(CODES)
    assert report.at_risk == any(
        c.status in (Status.AT_RISK, Status.MISSED) for c in report.commitments
    )


def _completed_in_window(placement: PlacementRecord, start: dt.date) -> list[dt.date]:
    return [
        h.date
        for h in placement.half_days
        if h.status == HalfDayStatus.COMPLETED and in_window(h.date, start)
    ]


@PROPERTIES
@given(st.data())
def test_an_acceptable_half_day_never_undoes_a_met_commitment(data):
    """The added half-day is one the product accepts: completed, inside the window, on or
    after the approval of its placement's learning outcomes, at a placement that is not
    withdrawn and not with the employer.

    Every commitment is checked: the placement counted for an organisation prefers outcomes
    agreed in time, and an organisation's reflective account may be on any of its
    placements, so an accepted half-day cannot swap a met commitment out.
    """
    record, on = data.draw(participants_on_a_day())
    start, end = record.programme_start, window_end(record.programme_start)
    acceptable = [
        p
        for p in record.placements
        if p.status != PlacementStatus.WITHDRAWN
        and p.organisation_id != record.employer_id
        and p.outcomes_approved_on is not None
        and p.outcomes_approved_on <= end
    ]
    assume(acceptable)
    target = data.draw(st.sampled_from(acceptable))
    day = data.draw(st.dates(max(start, target.outcomes_approved_on), end))

    before = evaluate(record, on=on)
    after = evaluate(_with_half_day(record, target, HalfDayRecord(day)), on=on)

    for code in CODES:
        if status_of(before, code) == Status.MET:
            assert status_of(after, code) == Status.MET, code
    assert after.half_days_counted >= before.half_days_counted


@PROPERTIES
@given(st.data())
def test_a_half_day_beyond_the_four_that_count_changes_no_commitment(data):
    """A fifth (or later) completed half-day in the window, no earlier than the placement's
    fourth (the day it was complete), leaves every commitment exactly as it was."""
    record, on = data.draw(participants_on_a_day())
    assume(record.placements)
    start, end = record.programme_start, window_end(record.programme_start)
    target = data.draw(st.sampled_from(record.placements))
    # Give the placement the four half-days that count, if it has not got them yet.
    while len(_completed_in_window(target, start)) < 4:
        padded = _with_half_day(record, target, HalfDayRecord(data.draw(st.dates(start, end))))
        target = padded.placements[record.placements.index(target)]
        record = padded
    fourth = sorted(_completed_in_window(target, start))[3]
    day = data.draw(st.dates(fourth, end))

    before = evaluate(record, on=on)
    after = evaluate(_with_half_day(record, target, HalfDayRecord(day)), on=on)

    assert after.commitments == before.commitments
    assert (after.placements_counted, after.half_days_counted) == (
        before.placements_counted,
        before.half_days_counted,
    )


@PROPERTIES
@given(participants_on_a_day(), st.data())
def test_evaluation_is_deterministic_and_ignores_the_order_of_placements(case, data):
    record, on = case
    shuffled = replace(record, placements=tuple(data.draw(st.permutations(record.placements))))

    first, again, reordered = evaluate(record, on), evaluate(record, on), evaluate(shuffled, on)

    assert first == again
    assert reordered.commitments == first.commitments
    assert (reordered.placements_counted, reordered.half_days_counted) == (
        first.placements_counted,
        first.half_days_counted,
    )
    assert sorted(reordered.placements, key=lambda p: p.placement_id) == sorted(
        first.placements, key=lambda p: p.placement_id
    )


@PROPERTIES
@given(participants_on_a_day())
def test_half_days_counted_is_between_0_and_12(case):
    record, on = case
    report = evaluate(record, on=on)

    assert 0 <= report.half_days_counted <= 12
    assert report.get("half_days").done == report.half_days_counted
    assert (report.half_days_counted == 12) == (status_of(report, "half_days") == Status.MET)


@PROPERTIES
@given(participants_on_a_day(max_placements=0))
def test_a_participant_without_placements_never_meets_the_placement_commitments(case):
    record, on = case
    report = evaluate(record, on=on)

    assert record.placements == ()
    for code in ("placements", "half_days", "outcomes_agreed", "window"):
        assert status_of(report, code) != Status.MET
    assert (report.placements_counted, report.half_days_counted) == (0, 0)


@PROPERTIES
@given(participants_on_a_day())
def test_reflections_and_improvement_are_met_only_when_shared_and_agreed(case):
    record, on = case
    report = evaluate(record, on=on)

    improvement = record.improvement
    assert (status_of(report, "improvement") == Status.MET) == (
        improvement.agreed and improvement.implemented(on) and improvement.reviewed_on is not None
    )
    if status_of(report, "reflections") == Status.MET:
        organisations = {
            p.organisation_id
            for p in record.placements
            if p.reflection_shared is True
            and p.status != PlacementStatus.WITHDRAWN
            and p.organisation_id != record.employer_id
        }
        assert len(organisations) >= 3


@PROPERTIES
@given(participants_on_a_day())
def test_the_overall_status_follows_the_commitments(case):
    record, on = case
    report = evaluate(record, on=on)
    statuses = [c.status for c in report.commitments]

    assert (report.overall == rules.Overall.COMPLETE) == all(s == Status.MET for s in statuses)
    assert (report.overall == rules.Overall.MISSED) == (Status.MISSED in statuses)
    assert (report.overall in {rules.Overall.AT_RISK, rules.Overall.MISSED}) == report.at_risk
    if report.overall == rules.Overall.NOT_STARTED:
        assert report.placements_arranged == 0
    assert report.placements_counted == min(report.placements_arranged, 3)
