"""The improvement initiative's services: agreement, status, PDSA cycles, measures and data."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from improvements import services
from improvements.models import DataPoint
from tests.factories import ImprovementInitiativeFactory, MeasureFactory

LONDON_NOON_AFTER = dt.datetime(2027, 9, 1, 12, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    """A day after every date the tests enter: a data point may not be dated after today."""
    with time_machine.travel(LONDON_NOON_AFTER, tick=False):
        yield


PLAN = {
    "title": "A one-page transfer summary",
    "problem": "Information at transfer is incomplete.",
    "aim": "Reduce days from referral to first visit from 9 to 5 by June.",
    "measures_summary": "Days from referral to first visit.",
    "change_ideas": "A shared one-page transfer summary.",
    "kind": "forms",
}


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def test_a_participant_plans_one_initiative(world):
    initiative = services.initiative_create(
        participant=world.participant, by=world.participant.user, **PLAN
    )
    assert (initiative.status, initiative.agreement) == ("idea", "draft")
    with pytest.raises(ValidationError) as error:
        services.initiative_create(participant=world.participant, by=world.participant.user, **PLAN)
    assert "already have an improvement initiative" in error.value.messages[0]


def test_only_the_participant_plans_it(world):
    with pytest.raises(PermissionDenied):
        services.initiative_create(participant=world.participant, by=world.line_manager, **PLAN)


def test_agreement_with_history_and_emails(world, initiative, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_submit(initiative=initiative, by=world.participant.user)
    assert [m.to for m in mail.outbox] == [[world.line_manager.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_agree(initiative=initiative, by=world.line_manager, comment="Go")
    initiative.refresh_from_db()
    assert (initiative.agreement, initiative.status) == ("agreed", "agreed")
    assert initiative.agreed_first_at is not None
    # The decision goes to the participant, who acts next; not back to the line manager.
    assert [m.to for m in mail.outbox[1:]] == [[world.participant.user.email]]
    assert list(initiative.decisions.values_list("action", flat=True)) == ["submitted", "agreed"]


def test_returning_needs_a_comment(world, initiative):
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    with pytest.raises(ValidationError) as error:
        services.initiative_return(initiative=initiative, by=world.line_manager, comment=" ")
    assert "Say what to change" in error.value.message_dict["comment"][0]


@pytest.mark.parametrize("who", ["sponsor", "education_lead", "programme_manager"])
def test_only_the_line_manager_agrees(world, initiative, who):
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    with pytest.raises(PermissionDenied):
        services.initiative_agree(initiative=initiative, by=getattr(world, who))


def test_changing_an_agreed_plan_sends_it_back(world, initiative):
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager)
    services.initiative_update(
        initiative=initiative, by=world.participant.user, aim="Reduce it to 4 days by May."
    )
    initiative.refresh_from_db()
    assert initiative.agreement == "submitted"
    assert initiative.is_agreed  # the commitment stays met: it was agreed once
    services.initiative_update(initiative=initiative, by=world.participant.user, teams="Ward 3")
    assert list(initiative.decisions.values_list("action", flat=True))[-2:] == [
        "reopened",
        "submitted",
    ]


def test_testing_changes_needs_agreement_first_naming_the_commitment(world, initiative):
    with pytest.raises(ValidationError) as error:
        services.initiative_progress(
            initiative=initiative, by=world.participant.user, status="testing"
        )
    assert "I2I commitment" in error.value.message_dict["status"][0]


def test_stopping_says_why(world, initiative):
    with pytest.raises(ValidationError) as error:
        services.initiative_progress(
            initiative=initiative, by=world.participant.user, status="stopped"
        )
    assert "Say why" in error.value.message_dict["stopped_reason"][0]
    services.initiative_progress(
        initiative=initiative,
        by=world.participant.user,
        status="stopped",
        stopped_reason="The service was reorganised.",
        progress_score=Decimal("1.5"),
    )
    initiative.refresh_from_db()
    assert (initiative.status, initiative.progress_score) == ("stopped", Decimal("1.5"))


def test_pdsa_cycles_are_numbered(world, initiative):
    first = services.pdsa_save(
        initiative=initiative,
        by=world.participant.user,
        change="Send the summary with every referral",
        prediction="Fewer phone calls chasing information",
        starts_on=dt.date(2027, 4, 1),
    )
    second = services.pdsa_save(
        initiative=initiative,
        by=world.participant.user,
        change="Add medication list",
        prediction="Same",
        starts_on=dt.date(2027, 5, 1),
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as error:
        services.pdsa_save(
            initiative=initiative,
            by=world.participant.user,
            cycle=second,
            ends_on=dt.date(2027, 4, 1),
        )
    assert error.value.message_dict == {
        "ends_on": ["The end date must be the same as or after the start date"]
    }


def test_pasting_adds_every_row(world):
    measure = MeasureFactory(initiative__participant=world.participant)
    added = services.data_points_paste(
        measure=measure,
        by=world.participant.user,
        text="Date\tDays\n03/03/2027\t9\n10/03/2027\t8.5\n2027-03-17\t7\n\n24 March 2027\t6",
    )
    assert [(p.date.isoformat(), p.value) for p in added] == [
        ("2027-03-03", Decimal("9.000")),
        ("2027-03-10", Decimal("8.500")),
        ("2027-03-17", Decimal("7.000")),
        ("2027-03-24", Decimal("6.000")),
    ]


def test_a_bad_row_is_reported_by_line_and_nothing_is_saved(world):
    measure = MeasureFactory(initiative__participant=world.participant)
    text = "03/03/2027\t9\n31/02/2027\t8\n17/03/2027\tabc\n17/03/2027\n24/03/2027\t6\n03/03/2027\t5"
    with pytest.raises(ValidationError) as error:
        services.data_points_paste(measure=measure, by=world.participant.user, text=text)
    messages = error.value.message_dict["data"]
    assert messages[0].startswith("Line 2: “31/02/2027” is not a date")
    assert messages[1] == "Line 3: “abc” is not a number."
    assert messages[2] == "Line 4: needs two columns, a date and a value."
    assert messages[3].startswith("Line 6: 3 March 2027 is also on line 1")
    assert DataPoint.objects.count() == 0


def test_pasting_a_date_that_already_has_a_value_is_refused(world):
    measure = MeasureFactory(initiative__participant=world.participant)
    services.data_point_add(
        measure=measure, by=world.participant.user, date=dt.date(2027, 3, 3), value=Decimal(9)
    )
    with pytest.raises(ValidationError) as error:
        services.data_points_paste(
            measure=measure, by=world.participant.user, text="03/03/2027,4\n04/03/2027,5"
        )
    assert error.value.message_dict["data"] == [
        "Line 1: 3 March 2027 already has a value (9); delete it from the table first."
    ]
    assert measure.points.count() == 1


def test_only_the_participant_adds_data(world):
    measure = MeasureFactory(initiative__participant=world.participant)
    with pytest.raises(PermissionDenied):
        services.data_points_paste(measure=measure, by=world.line_manager, text="03/03/2027,4")
