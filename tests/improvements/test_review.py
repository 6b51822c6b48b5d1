"""The line manager's review of the implementation (improvements/review.py, issue #21): asked
only once implemented, confirmed or returned by the line manager, and the commitment met."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from zeal import zeal_context

from improvements import review, services
from improvements.models import PDSACycle
from participants.models import Participant
from programme.progress import commitment_report, with_progress
from tests.factories import DataPointFactory, ImprovementInitiativeFactory, MeasureFactory

# The cohort starts on 1 March 2027; the cycle runs 5 to 19 April.
TODAY = dt.datetime(2027, 5, 3, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def initiative(world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager)
    initiative.refresh_from_db()
    return initiative


def cycle(initiative, **fields):
    return PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        change="A one-page summary",
        prediction="Fewer calls",
        starts_on=dt.date(2027, 4, 5),
        **fields,
    )


def implement(initiative):
    cycle(initiative, ends_on=dt.date(2027, 4, 19), act="adopt")
    DataPointFactory(measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 26))


def improvement(world):
    """The commitment as the participant's page reads it: one request's worth of queries."""
    with zeal_context():
        participant = with_progress(Participant.objects.filter(pk=world.participant.pk)).get()
        return commitment_report(participant).get("improvement")


def test_asking_before_implementation_is_refused_naming_the_commitment(world, initiative):
    with pytest.raises(ValidationError) as error:
        review.review_ask(initiative=initiative, by=world.participant.user)

    assert error.value.messages == [
        "The I2I commitment is an improvement initiative implemented and reviewed with your "
        "line manager: before asking for the review, record a completed PDSA cycle (with its "
        "end date and what you decided); data after the change in one of your measures."
    ]
    assert not initiative.decisions.filter(action="review_asked").exists()


def test_a_cycle_without_its_act_is_not_complete(world, initiative):
    cycle(initiative, ends_on=dt.date(2027, 4, 19))
    DataPointFactory(measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 26))

    with pytest.raises(ValidationError) as error:
        review.review_ask(initiative=initiative, by=world.participant.user)
    assert "a completed PDSA cycle" in error.value.messages[0]
    assert "data after the change" not in error.value.messages[0]


def test_data_only_before_the_change_is_refused(world, initiative):
    cycle(initiative, ends_on=dt.date(2027, 4, 19), act="adopt")
    DataPointFactory(measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 5))

    with pytest.raises(ValidationError) as error:
        review.review_ask(initiative=initiative, by=world.participant.user)
    assert error.value.messages[0].endswith("record data after the change in one of your measures.")


def test_a_point_that_starts_a_phase_is_data_after_the_change(world, initiative):
    cycle(initiative, ends_on=dt.date(2027, 4, 19), act="adopt")
    DataPointFactory(
        measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 1), starts_phase=True
    )

    review.review_ask(initiative=initiative, by=world.participant.user)
    assert initiative.decisions.filter(action="review_asked").exists()


def test_the_line_manager_confirms_and_the_commitment_is_met(
    world, initiative, django_capture_on_commit_callbacks
):
    implement(initiative)
    assert improvement(world).sentence == (
        "Your initiative is agreed. Still to do: your line manager's review of the implementation."
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_ask(initiative=initiative, by=world.participant.user)
    assert [m.to for m in mail.outbox] == [[world.line_manager.email]]
    assert "to review" in mail.outbox[0].subject
    assert improvement(world).status == "on_track"

    with django_capture_on_commit_callbacks(execute=True):
        review.review_confirm(initiative=initiative, by=world.line_manager, comment="Well done")

    initiative.refresh_from_db()
    assert initiative.reviewed_at is not None
    assert initiative.status == "implemented"
    assert [m.to for m in mail.outbox[1:]] == [[world.participant.user.email]]
    assert "implemented and reviewed" in mail.outbox[1].subject
    commitment = improvement(world)
    assert (commitment.status, commitment.sentence) == (
        "met",
        "Your improvement initiative is implemented and was reviewed by your line manager on "
        "3 May 2027.",
    )
    assert list(initiative.decisions.values_list("action", "comment")) == [
        ("submitted", ""),
        ("agreed", ""),
        ("review_asked", ""),
        ("reviewed", "Well done"),
    ]


def test_asking_twice_sends_one_email(world, initiative, django_capture_on_commit_callbacks):
    implement(initiative)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_ask(initiative=initiative, by=world.participant.user)
        review.review_ask(initiative=initiative, by=world.participant.user)
    assert len(mail.outbox) == 1


def test_the_line_manager_returns_it_with_a_comment(
    world, initiative, django_capture_on_commit_callbacks
):
    implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    with pytest.raises(ValidationError) as error:
        review.review_return(initiative=initiative, by=world.line_manager, comment="  ")
    assert "Say what to do" in error.value.message_dict["comment"][0]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(
            initiative=initiative, by=world.line_manager, comment="Add a month more data."
        )

    initiative.refresh_from_db()
    assert initiative.reviewed_at is None
    assert "Add a month more data." in mail.outbox[0].body
    assert improvement(world).sentence == (
        "Your initiative is agreed. Still to do: your line manager's review of the implementation."
    )
    # Not waiting any more: a second decision is refused until asked again.
    with pytest.raises(ValidationError):
        review.review_confirm(initiative=initiative, by=world.line_manager)
    review.review_ask(initiative=initiative, by=world.participant.user)
    review.review_confirm(initiative=initiative, by=world.line_manager)
    assert improvement(world).status == "met"


@pytest.mark.parametrize("who", ["sponsor", "education_lead", "programme_manager"])
def test_only_the_line_manager_reviews(world, initiative, who):
    implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    with pytest.raises(PermissionDenied):
        review.review_confirm(initiative=initiative, by=getattr(world, who))


def test_only_the_participant_asks(world, initiative):
    implement(initiative)
    with pytest.raises(PermissionDenied):
        review.review_ask(initiative=initiative, by=world.line_manager)


def test_confirming_is_refused_if_the_data_was_deleted_since_asking(world, initiative):
    implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    initiative.measures.get().points.all().delete()

    with pytest.raises(ValidationError) as error:
        review.review_confirm(initiative=initiative, by=world.line_manager)
    assert "not implemented yet" in error.value.messages[0]
    assert "Return it with a comment instead." in error.value.messages[0]
