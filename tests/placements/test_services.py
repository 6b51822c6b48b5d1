"""The placement services, and each refusal's message naming the commitment it protects."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from placements import services
from placements.models import HalfDay, OutcomesDecision, Placement
from programme.progress import commitment_report, with_progress
from tests.factories import HalfDayFactory, OrganisationFactory, PlacementFactory


def _half_day(placement, today, **overrides):
    fields = {
        "date": today - dt.timedelta(days=3),
        "session": "am",
        "person_met": "Practice manager",
        "level": "team_leader",
        "status": "completed",
    }
    fields.update(overrides)
    return services.half_day_log(
        placement=placement, by=placement.participant.user, today=today, **fields
    )


def test_a_participant_plans_a_placement(running):
    host = OrganisationFactory(name="Willowbank Nursing Home")
    placement = services.placement_plan(
        participant=running.participant,
        by=running.participant.user,
        organisation=host,
        contact_name="Bea Northcott",
    )
    assert placement.status == "planned"
    assert placement.outcomes_status == "draft"


def test_a_placement_with_the_participants_own_employer_is_refused(running):
    with pytest.raises(ValidationError) as error:
        services.placement_plan(
            participant=running.participant,
            by=running.participant.user,
            organisation=running.participant.organisation,
            contact_name="Someone",
        )
    assert "different organisations from your own" in error.value.message_dict["organisation"][0]


def test_only_the_participant_plans_their_placements(running):
    with pytest.raises(PermissionDenied):
        services.placement_plan(
            participant=running.participant,
            by=running.line_manager,
            organisation=OrganisationFactory(),
            contact_name="Someone",
        )


def test_outcomes_go_to_the_line_manager_and_the_decision_to_the_participant(
    running, django_capture_on_commit_callbacks
):
    placement = PlacementFactory(participant=running.participant)
    user = running.participant.user
    with django_capture_on_commit_callbacks(execute=True):
        services.outcomes_save(placement=placement, by=user, texts=["See discharge planning", ""])
        services.outcomes_submit(placement=placement, by=user)
    assert [m.to for m in mail.outbox] == [[running.line_manager.email]]
    assert "See discharge planning" in mail.outbox[0].body
    assert f"/placements/{placement.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.outcomes_approve(placement=placement, by=running.line_manager, comment="Good")
    placement.refresh_from_db()
    assert placement.outcomes_status == "approved"
    assert placement.outcomes_first_approved_at is not None
    assert [m.to for m in mail.outbox[1:]] == [[user.email]]
    trail = list(placement.decisions.values_list("action", "by", "comment"))
    assert trail == [
        ("submitted", user.pk, ""),
        ("approved", running.line_manager.pk, "Good"),
    ]


def test_returning_outcomes_needs_a_comment(running):
    placement = PlacementFactory(participant=running.participant)
    services.outcomes_save(placement=placement, by=running.participant.user, texts=["Learn"])
    services.outcomes_submit(placement=placement, by=running.participant.user)
    with pytest.raises(ValidationError) as error:
        services.outcomes_return(placement=placement, by=running.line_manager, comment="  ")
    assert "Say what to change" in error.value.message_dict["comment"][0]
    services.outcomes_return(placement=placement, by=running.line_manager, comment="Be specific")
    placement.refresh_from_db()
    assert placement.outcomes_status == "returned"


def test_only_the_line_manager_decides(running):
    placement = PlacementFactory(participant=running.participant)
    services.outcomes_save(placement=placement, by=running.participant.user, texts=["Learn"])
    services.outcomes_submit(placement=placement, by=running.participant.user)
    for someone in (running.sponsor, running.education_lead, running.programme_manager):
        with pytest.raises(PermissionDenied):
            services.outcomes_approve(placement=placement, by=someone)


def test_a_decision_on_outcomes_not_submitted_is_refused(running):
    placement = PlacementFactory(participant=running.participant)
    with pytest.raises(ValidationError) as error:
        services.outcomes_approve(placement=placement, by=running.line_manager)
    assert "not waiting for a decision" in error.value.messages[0]


def test_submitting_no_outcomes_is_refused(running):
    placement = PlacementFactory(participant=running.participant)
    with pytest.raises(ValidationError) as error:
        services.outcomes_submit(placement=placement, by=running.participant.user)
    assert "at least one learning outcome" in error.value.messages[0]


def test_editing_approved_outcomes_sends_them_back_for_approval(placement):
    user = placement.participant.user
    services.outcomes_save(placement=placement, by=user, texts=["A changed outcome"])
    placement.refresh_from_db()
    assert placement.outcomes_status == "submitted"
    assert list(placement.decisions.values_list("action", flat=True)) == [
        "reopened",
        "submitted",
    ]
    reopened = placement.decisions.get(action="reopened")
    assert reopened.outcomes_snapshot == ["A changed outcome"]


def test_saving_the_same_outcomes_changes_nothing(placement):
    texts = list(placement.outcomes.values_list("text", flat=True))
    services.outcomes_save(placement=placement, by=placement.participant.user, texts=texts)
    placement.refresh_from_db()
    assert placement.outcomes_status == "approved"
    assert not OutcomesDecision.objects.filter(placement=placement).exists()


def test_a_half_day_is_logged_and_the_placement_moves_on(placement, today):
    _half_day(placement, today)
    placement.refresh_from_db()
    assert placement.status == "in_progress"
    for n in range(1, 4):
        _half_day(placement, today, date=today - dt.timedelta(days=3 + n))
    placement.refresh_from_db()
    assert placement.status == "complete"


def test_a_half_day_outside_the_window_is_refused_naming_the_commitment(placement, today):
    start = placement.participant.cohort.programme_start
    with pytest.raises(ValidationError) as error:
        _half_day(placement, today, date=start - dt.timedelta(days=1), status="planned")
    message = error.value.message_dict["date"][0]
    assert "six-month window" in message
    assert "I2I commitment" in message


def test_a_half_day_before_outcomes_are_approved_is_refused_naming_the_commitment(running, today):
    placement = PlacementFactory(participant=running.participant)
    with pytest.raises(ValidationError) as error:
        _half_day(placement, today)
    assert "learning outcomes are agreed" in error.value.messages[0]
    assert "I2I commitment" in error.value.messages[0]
    assert not HalfDay.objects.exists()


@pytest.mark.parametrize("change", ["edited", "returned", "all_deleted"])
@pytest.mark.parametrize("status", ["completed", "planned"])
def test_no_new_half_day_while_changed_outcomes_wait_for_approval_again(
    placement, today, change, status
):
    user = placement.participant.user
    _half_day(placement, today)  # logged under the approval: it keeps counting
    if change == "returned":
        services.outcomes_save(placement=placement, by=user, texts=["A changed outcome"])
        services.outcomes_return(
            placement=placement, by=placement.participant.line_manager, comment="Be specific."
        )
    else:
        texts = [] if change == "all_deleted" else ["A changed outcome"]
        services.outcomes_save(placement=placement, by=user, texts=texts)
    placement.refresh_from_db()
    assert placement.outcomes_status != "approved"

    with pytest.raises(ValidationError) as error:
        _half_day(placement, today, date=today - dt.timedelta(days=1), status=status)

    assert "I2I commitment is that learning outcomes are agreed" in error.value.messages[0]
    assert "changed after they were approved" in error.value.messages[0]
    assert placement.half_days.count() == 1
    from participants.models import Participant

    participant = with_progress(Participant.objects.filter(pk=placement.participant_id)).get()
    report = commitment_report(participant)
    assert report.half_days_counted == 1
    assert report.get("outcomes_agreed").done == 0


def test_new_half_days_are_accepted_again_once_the_changed_outcomes_are_approved(placement, today):
    user = placement.participant.user
    services.outcomes_save(placement=placement, by=user, texts=["A changed outcome"])
    services.outcomes_approve(placement=placement, by=placement.participant.line_manager)
    placement.refresh_from_db()
    _half_day(placement, today)
    assert placement.half_days.count() == 1


def test_a_half_day_dated_before_the_approval_is_refused(placement, today):
    placement.outcomes_first_approved_at = dt.datetime.combine(
        today - dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC
    )
    placement.save()
    with pytest.raises(ValidationError) as error:
        _half_day(placement, today, date=today - dt.timedelta(days=20))
    assert "were approved on" in error.value.message_dict["date"][0]


def test_two_places_in_the_same_half_day_are_refused(placement, today, running):
    other = PlacementFactory.create(
        participant=running.participant,
        outcomes_status="approved",
        outcomes_first_approved_at=placement.outcomes_first_approved_at,
    )
    _half_day(placement, today)
    with pytest.raises(ValidationError) as error:
        _half_day(other, today)
    day = date_format(today - dt.timedelta(days=3))
    assert error.value.message_dict["starts_at"] == [
        f"You already have a half-day from 9:00am to 12:30pm on {day} with "
        "Riverside Practice: choose times that do not overlap it."
    ]
    _half_day(other, today, session="pm")  # the other half of the day is free


def test_a_cancelled_half_day_frees_its_slot(placement, today):
    first = _half_day(placement, today, status="planned", date=today + dt.timedelta(days=3))
    services.half_day_cancel(half_day=first, by=placement.participant.user)
    _half_day(placement, today, status="planned", date=today + dt.timedelta(days=3))
    assert HalfDay.objects.filter(status="planned").count() == 1


def test_a_half_day_cannot_be_completed_in_the_future(placement, today):
    with pytest.raises(ValidationError) as error:
        _half_day(placement, today, date=today + dt.timedelta(days=1))
    assert "cannot be completed before it happens" in error.value.message_dict["date"][0]


def test_a_withdrawn_placement_takes_no_half_days_and_cancels_planned_ones(placement, today):
    planned = _half_day(placement, today, status="planned", date=today + dt.timedelta(days=2))
    services.placement_withdraw(placement=placement, by=placement.participant.user)
    planned.refresh_from_db()
    assert planned.status == "cancelled"
    with pytest.raises(ValidationError) as error:
        _half_day(placement, today)
    assert "withdrawn" in error.value.messages[0]


def test_completing_a_half_day_asks_the_host_to_confirm(
    placement, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        half_day = _half_day(placement, today)
    (message,) = mail.outbox
    assert message.to == [placement.contact_email]
    assert "/confirm/" in message.body
    assert half_day.confirmation_sent_at is not None


def test_no_host_email_means_no_confirmation_request(placement, today):
    placement.contact_email = ""
    placement.save()
    half_day = _half_day(placement, today)
    assert half_day.confirmation_sent_at is None
    assert mail.outbox == []


def test_the_host_confirms_once_with_the_signed_link(placement, today):
    half_day = _half_day(placement, today)
    token = services.confirmation_token(half_day)
    confirmed = services.half_day_confirm(token=token, name="Dr Imogen Vale")
    assert confirmed.is_confirmed
    assert confirmed.confirmed_by_name == "Dr Imogen Vale"
    with pytest.raises(services.ConfirmationLinkError) as error:
        services.half_day_confirm(token=token, name="Dr Imogen Vale")
    assert "already been confirmed" in str(error.value)


def test_a_tampered_link_is_refused(placement, today):
    token = services.confirmation_token(_half_day(placement, today))
    with pytest.raises(services.ConfirmationLinkError) as error:
        services.half_day_from_token(token[:-2] + "xx")
    assert "not valid" in str(error.value)


def test_a_link_expires_after_thirty_days(placement, today, monkeypatch):
    half_day = _half_day(placement, today)
    token = services.confirmation_token(half_day)
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 24 * 3600)
    with pytest.raises(services.ConfirmationLinkError) as error:
        services.half_day_from_token(token)
    assert "expired" in str(error.value)


def test_a_link_from_an_earlier_completion_stops_working(placement, today):
    half_day = _half_day(placement, today)
    token = services.confirmation_token(half_day)
    HalfDay.objects.filter(pk=half_day.pk).update(
        completed_at=half_day.completed_at + dt.timedelta(minutes=5)
    )
    with pytest.raises(services.ConfirmationLinkError) as error:
        services.half_day_from_token(token)
    assert "changed since" in str(error.value)


def test_a_proposed_organisation_reuses_an_existing_name(running):
    existing = OrganisationFactory(name="Saltmarsh Housing")
    found = services.organisation_propose(
        name=" saltmarsh   HOUSING", sector="housing", town="", by=running.participant.user
    )
    assert found == existing
    new = services.organisation_propose(
        name="Oakfield Hospice", sector="pvi", town="Oakfield", by=running.participant.user
    )
    assert not new.is_confirmed
    assert new.proposed_by == running.participant.user


def test_merging_moves_placements_to_the_directory_entry(running):
    from programme.merge import organisation_merge

    real = OrganisationFactory(name="Saltmarsh Housing Association")
    proposed = services.organisation_propose(
        name="Saltmarsh Housing Assoc", sector="housing", town="", by=running.participant.user
    )
    placement = PlacementFactory(participant=running.participant, organisation=proposed)
    organisation_merge(duplicate=proposed, into=real, by=running.programme_manager)
    placement.refresh_from_db()
    assert placement.organisation == real
    assert not type(real).objects.filter(pk=proposed.pk).exists()


def test_the_half_day_factory_matches_the_service_rules(placement, today):
    """Guard for the tests' own factory: a factory half-day passes the service's checks."""
    half_day = HalfDayFactory(placement=placement, date=today - dt.timedelta(days=1))
    services._check_half_day(half_day, today)
    assert Placement.objects.get(pk=placement.pk).outcomes_status == "approved"
