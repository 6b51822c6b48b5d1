"""The `improvement` commitment (i2i/rules.py, issue #21): met when the initiative is
implemented (a completed PDSA cycle and data after the change) and the line manager has
reviewed it; an agreed plan is on track. Pure: plain dates, no database.

The participant starts on 1 March 2027; the window runs to 1 September 2027 inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from i2i.rules import (
    IMPROVEMENT_TITLE,
    ImprovementRecord,
    ParticipantRecord,
    Status,
    evaluate,
)

D = dt.date
START = D(2027, 3, 1)
END = D(2027, 9, 1)
MID = D(2027, 6, 1)

# The first cycle starts on 5 April and ends (adopted) on 19 April; data to 26 April.
AGREED = ImprovementRecord(agreed=True)
TESTING = replace(AGREED, first_cycle_started_on=D(2027, 4, 5))
CYCLE_DONE = replace(TESTING, cycle_completed_on=D(2027, 4, 19))
IMPLEMENTED = replace(CYCLE_DONE, last_data_on=D(2027, 4, 26))
ASKED = replace(IMPLEMENTED, review_asked=True)
REVIEWED = replace(IMPLEMENTED, reviewed_on=D(2027, 5, 3))


def improvement(record: ImprovementRecord, on: dt.date = MID):
    participant = ParticipantRecord(programme_start=START, employer_id=99, improvement=record)
    return evaluate(participant, on=on).get("improvement")


STILL = "Your initiative is agreed. Still to do: "


@pytest.mark.parametrize(
    ("record", "status", "sentence", "to_do"),
    [
        pytest.param(
            ImprovementRecord(),
            Status.ON_TRACK,
            "No improvement initiative has been agreed yet.",
            "Agree a service improvement initiative with your line manager",
            id="no-initiative",
        ),
        pytest.param(
            AGREED,
            Status.ON_TRACK,
            STILL + "a completed PDSA cycle; data after the change; your line manager's "
            "review of the implementation.",
            "Complete a PDSA cycle: record its end date and what you decided (adopt, adapt "
            "or abandon)",
            id="agreed",
        ),
        pytest.param(
            TESTING,
            Status.ON_TRACK,
            STILL + "a completed PDSA cycle; data after the change; your line manager's "
            "review of the implementation.",
            "Complete a PDSA cycle: record its end date and what you decided (adopt, adapt "
            "or abandon)",
            id="testing",
        ),
        pytest.param(
            CYCLE_DONE,
            Status.ON_TRACK,
            STILL + "data after the change; your line manager's review of the implementation.",
            "Add data from after the change to one of your measures",
            id="a-cycle-completed",
        ),
        pytest.param(
            IMPLEMENTED,
            Status.ON_TRACK,
            STILL + "your line manager's review of the implementation.",
            "Ask your line manager to review the implementation",
            id="implemented",
        ),
        pytest.param(
            ASKED,
            Status.ON_TRACK,
            "Your initiative is implemented and waiting for your line manager's review of "
            "the implementation.",
            "Your line manager to review the implementation",
            id="review-asked",
        ),
        pytest.param(
            REVIEWED,
            Status.MET,
            "Your improvement initiative is implemented and was reviewed by your line "
            "manager on 3 May 2027.",
            "",
            id="implemented-and-reviewed",
        ),
        pytest.param(
            # Reviewed, then the data deleted: no longer implemented, so not met.
            replace(REVIEWED, last_data_on=None),
            Status.ON_TRACK,
            STILL + "data after the change.",
            "Add data from after the change to one of your measures",
            id="reviewed-but-data-since-deleted",
        ),
        pytest.param(
            # A review without the plan agreed does not count.
            replace(REVIEWED, agreed=False),
            Status.ON_TRACK,
            "No improvement initiative has been agreed yet.",
            "Agree a service improvement initiative with your line manager",
            id="reviewed-but-not-agreed",
        ),
    ],
)
def test_each_state_says_what_is_missing(record, status, sentence, to_do):
    commitment = improvement(record)

    assert commitment.title == IMPROVEMENT_TITLE
    assert (commitment.status, commitment.sentence, commitment.to_do) == (status, sentence, to_do)


@pytest.mark.parametrize(
    ("on", "completed"),
    [
        pytest.param(D(2027, 4, 18), False, id="the-day-before-its-end-date"),
        pytest.param(D(2027, 4, 19), True, id="on-its-end-date"),
    ],
)
def test_a_cycle_is_complete_from_its_end_date(on, completed):
    commitment = improvement(replace(REVIEWED, reviewed_on=D(2027, 4, 19)), on=on)

    assert (commitment.status == Status.MET) is completed
    if not completed:
        assert commitment.sentence == STILL + "a completed PDSA cycle."


@pytest.mark.parametrize(
    ("last_data_on", "after"),
    [
        pytest.param(D(2027, 4, 4), False, id="the-day-before-the-change"),
        pytest.param(D(2027, 4, 5), False, id="on-the-day-the-first-cycle-starts"),
        pytest.param(D(2027, 4, 6), True, id="the-day-after"),
    ],
)
def test_data_counts_after_the_first_cycles_start_date(last_data_on, after):
    record = replace(REVIEWED, last_data_on=last_data_on)

    assert record.data_after_change is after
    assert (improvement(record).status == Status.MET) is after


@pytest.mark.parametrize(
    ("phase_started_on", "last_data_on", "after"),
    [
        # A point that starts a phase is the first point of the changed process.
        pytest.param(D(2027, 4, 1), D(2027, 4, 1), True, id="the-phase-point-itself"),
        pytest.param(D(2027, 4, 1), D(2027, 4, 2), True, id="a-point-after-it"),
        pytest.param(None, D(2027, 4, 2), False, id="no-phase-and-before-the-cycle"),
    ],
)
def test_a_point_that_starts_a_phase_is_data_after_the_change(
    phase_started_on, last_data_on, after
):
    record = replace(TESTING, phase_started_on=phase_started_on, last_data_on=last_data_on)

    assert record.data_after_change is after


def test_data_without_any_change_is_not_after_the_change():
    assert ImprovementRecord(agreed=True, last_data_on=D(2027, 4, 6)).data_after_change is False


@pytest.mark.parametrize(
    ("on", "status"),
    [
        pytest.param(END, Status.ON_TRACK, id="on-the-last-day-of-the-window"),
        pytest.param(END + dt.timedelta(days=1), Status.AT_RISK, id="the-day-after"),
    ],
)
def test_an_agreed_initiative_not_yet_reviewed_is_at_risk_after_the_six_months(on, status):
    commitment = improvement(IMPLEMENTED, on=on)

    assert commitment.status == status
    if status == Status.AT_RISK:
        assert commitment.sentence == (
            "The six months ended on 1 September 2027. "
            + STILL
            + "your line manager's review of the implementation."
        )


def test_implemented_and_reviewed_stays_met_after_the_six_months():
    assert improvement(REVIEWED, on=END + dt.timedelta(days=90)).status == Status.MET
