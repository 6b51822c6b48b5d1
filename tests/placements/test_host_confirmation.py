"""The host's confirmation of a half-day is evidence from someone else: it goes when what the
host confirmed changes (and the host is asked again), the participant cannot be their own
host, and the email to the address the participant typed carries only the product's words
and the participant's name."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from placements import services
from placements.models import HalfDay
from tests.factories import OrganisationFactory


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and return the emails it sent."""

    def run(service, **kwargs):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = service(**kwargs)
        return result, mail.outbox[before:]

    return run


def _token(message) -> str:
    return re.search(r"/confirm/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def confirmed(placement, today, send):
    """A completed half-day, confirmed by the host from the link in their email."""
    half_day, (message,) = send(
        services.half_day_log,
        placement=placement,
        by=placement.participant.user,
        today=today,
        date=today - dt.timedelta(days=3),
        session="am",
        location="Riverside Surgery, Mill Lane",
        person_met="Practice manager",
        level="team_leader",
        status="completed",
    )
    services.half_day_confirm(token=_token(message), name="Dr Imogen Vale")
    half_day.refresh_from_db()
    assert half_day.is_confirmed
    half_day.first_token = _token(message)
    return half_day


@pytest.mark.parametrize(
    "change",
    [
        {"date": "earlier"},
        {"session": "pm"},
        {"location": "Riverside Surgery, Station Road"},
        {"person_met": "Senior partner"},
    ],
)
def test_a_change_to_what_the_host_confirmed_withdraws_it_and_asks_again(
    confirmed, today, send, change
):
    if change.get("date") == "earlier":
        change = {"date": confirmed.date - dt.timedelta(days=1)}
    half_day, sent = send(
        services.half_day_update,
        half_day=confirmed,
        by=confirmed.participant.user,
        today=today,
        **change,
    )
    half_day.refresh_from_db()
    assert (half_day.confirmed_at, half_day.confirmed_by_name) == (None, "")
    (message,) = sent
    assert message.to == [confirmed.placement.contact_email]
    with pytest.raises(services.ConfirmationLinkError) as error:
        services.half_day_confirm(token=confirmed.first_token, name="Dr Imogen Vale")
    assert "changed since" in str(error.value)
    again = services.half_day_confirm(token=_token(message), name="Dr Imogen Vale")
    assert again.is_confirmed


def test_a_change_the_host_did_not_confirm_keeps_it(confirmed, today, send):
    half_day, sent = send(
        services.half_day_update,
        half_day=confirmed,
        by=confirmed.participant.user,
        today=today,
        level="senior_leader",
        pathway_connection="Refers patients to our ward.",
        date=confirmed.date,
    )
    half_day.refresh_from_db()
    assert half_day.confirmed_by_name == "Dr Imogen Vale"
    assert sent == []


def test_a_half_day_put_back_to_planned_is_no_longer_confirmed(confirmed, today, send):
    half_day, sent = send(
        services.half_day_update,
        half_day=confirmed,
        by=confirmed.participant.user,
        today=today,
        status="planned",
    )
    half_day.refresh_from_db()
    assert not half_day.is_confirmed
    assert sent == []


def test_the_page_no_longer_shows_confirmed_after_the_participant_changes_the_place(
    client, confirmed, django_capture_on_commit_callbacks
):
    client.force_login(confirmed.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("half_day_edit", args=[confirmed.pk]),
            {
                "date": confirmed.date.isoformat(),
                "session": "am",
                "location": "Somewhere else entirely",
                "person_met": "Practice manager",
                "level": "team_leader",
                "pathway_connection": "",
                "status": "completed",
            },
        )
    assert response.status_code == 302
    page = client.get(reverse("placement_detail", args=[confirmed.placement_id]))
    assert "Confirmed by host" not in page.content.decode()
    assert mail.outbox[-1].to == [confirmed.placement.contact_email]


# A participant is not their own host ------------------------------------------------------


def _plan(participant, contact_email):
    return services.placement_plan(
        participant=participant,
        by=participant.user,
        organisation=OrganisationFactory(name="Willowbank Nursing Home"),
        contact_name="Bea Northcott",
        contact_email=contact_email,
    )


def test_the_host_email_cannot_be_the_participants_own(running):
    participant = running.participant
    with pytest.raises(ValidationError) as error:
        _plan(participant, participant.user.email.upper())
    assert "not one of your own" in error.value.message_dict["contact_email"][0]


@pytest.mark.parametrize("address", ["me.elsewhere@home.example", "ME.Elsewhere+host@home.example"])
def test_the_host_email_cannot_be_any_other_address_of_the_participant(running, address):
    participant = running.participant
    EmailAddress.objects.create(
        user=participant.user, email="me.elsewhere@home.example", verified=False, primary=False
    )
    with pytest.raises(ValidationError) as error:
        _plan(participant, address)
    assert "not one of your own" in error.value.message_dict["contact_email"][0]


def test_the_placement_page_explains_it_next_to_the_field_and_keeps_what_was_typed(client, running):
    participant = running.participant
    host = OrganisationFactory(name="Willowbank Nursing Home")
    client.force_login(participant.user)
    response = client.post(
        reverse("placement_create", args=[participant.pk]),
        {
            "organisation": host.pk,
            "contact_name": "Bea Northcott",
            "contact_email": participant.user.email,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not one of your own" in page
    assert 'value="Bea Northcott"' in page
    assert not participant.placements.exists()


def test_no_request_goes_to_an_address_the_participant_added_to_their_account_later(
    placement, today, send
):
    EmailAddress.objects.create(
        user=placement.participant.user, email=placement.contact_email, verified=True
    )
    half_day, sent = send(
        services.half_day_log,
        placement=placement,
        by=placement.participant.user,
        today=today,
        date=today - dt.timedelta(days=3),
        session="am",
        person_met="Practice manager",
        level="team_leader",
        status="completed",
    )
    assert sent == []
    assert HalfDay.objects.get(pk=half_day.pk).confirmation_sent_at is None


# The email to the host --------------------------------------------------------------------


def test_the_hosts_email_carries_only_the_products_words_and_the_participants_name(
    running, today, send
):
    participant = running.participant
    participant.job_title = "Typed-job-title"
    participant.save()
    participant.user.full_name = "Ada Participant"
    participant.user.save()
    host = services.organisation_propose(
        name="Typed-organisation", sector="pvi", town="Typed-town", by=participant.user
    )
    placement = services.placement_plan(
        participant=participant,
        by=participant.user,
        organisation=host,
        contact_name="Typed-contact-name",
        contact_email="host@practice.example",
        contact_phone="Typed-phone",
    )
    placement.outcomes_status = "approved"
    placement.outcomes_first_approved_at = dt.datetime.combine(
        participant.cohort.programme_start, dt.time(9), tzinfo=dt.UTC
    )
    placement.save()
    _, (message,) = send(
        services.half_day_log,
        placement=placement,
        by=participant.user,
        today=today,
        date=today - dt.timedelta(days=3),
        session="am",
        location="Typed-location",
        person_met="Typed-person-met",
        level="team_leader",
        pathway_connection="Typed-pathway",
        status="completed",
    )
    assert message.to == ["host@practice.example"]
    assert "Ada Participant" in message.subject
    assert "Ada Participant" in message.body
    assert "Typed" not in message.subject
    assert "Typed" not in message.body
