"""A host person's answers to each half-day (issue #20): confirm, decline with a reason, or
propose another date or half of the day. Audited; the participant is told by email and
reads a decline or proposal on their placement page; their booking is never changed for
them."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from i2i.models import AuditEvent
from placements import hosting, services
from placements.models import HalfDay
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    HostPersonFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture
def host(running):
    larkhill = OrganisationFactory(name="Larkhill Care Home", sector="care_home")
    return HostPersonFactory(organisation=larkhill, user=UserFactory(full_name="Robin Host")).user


@pytest.fixture
def placement(running, host):
    return ApprovedPlacementFactory(
        participant=running.participant,
        organisation=host.host_roles.get().organisation,
        contact_email="duty.manager@larkhill.example",
    )


@pytest.fixture
def half_day(placement, today):
    return HalfDayFactory(placement=placement, date=today + dt.timedelta(days=5), status="planned")


def _events(action):
    return AuditEvent.objects.filter(action=action)


def _answer(client, name, half_day, data=None, capture=None):
    with capture(execute=True):
        return client.post(reverse(name, args=[half_day.pk]), data or {})


# Confirm ---------------------------------------------------------------------------------


def test_it_confirms_a_half_day_and_tells_the_participant(
    client, host, half_day, running, django_capture_on_commit_callbacks
):
    client.force_login(host)
    response = _answer(
        client, "host_half_day_confirm", half_day, capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#half-day-{half_day.pk}")
    half_day.refresh_from_db()
    assert half_day.is_confirmed and half_day.confirmed_by_name == "Robin Host"
    (event,) = _events(hosting.CONFIRMED)
    assert event.actor == host
    assert event.detail["participant"] == running.participant.pk
    (message,) = mail.outbox
    assert message.to == [running.participant.user.email]
    assert "Larkhill Care Home confirmed your half-day" in message.subject
    # The participant sees it on their placement page, as a linked confirmation shows.
    client.force_login(running.participant.user)
    html = client.get(reverse("placement_detail", args=[half_day.placement_id])).content.decode()
    assert "Confirmed by host" in html and "by Robin Host" in html


def test_confirming_twice_changes_nothing(client, host, half_day):
    client.force_login(host)
    client.post(reverse("host_half_day_confirm", args=[half_day.pk]))
    first = HalfDay.objects.get(pk=half_day.pk).confirmed_at
    client.post(reverse("host_half_day_confirm", args=[half_day.pk]))
    assert HalfDay.objects.get(pk=half_day.pk).confirmed_at == first
    assert _events(hosting.CONFIRMED).count() == 1


def test_a_cancelled_half_day_cannot_be_confirmed(client, host, half_day, running):
    half_day.status = "cancelled"
    half_day.save()
    client.force_login(host)
    response = client.post(reverse("host_half_day_confirm", args=[half_day.pk]), follow=True)
    assert "cancelled this half-day, so there is nothing to confirm" in response.content.decode()
    half_day.refresh_from_db()
    assert half_day.confirmed_at is None


def test_a_signed_in_confirmation_of_a_completed_half_day_ends_the_emailed_link(
    client, host, placement, today, running
):
    """The emailed link and the signed-in page set the same confirmation: whichever comes
    second finds the half-day confirmed."""
    half_day = services.half_day_log(
        placement=placement,
        by=running.participant.user,
        date=today - dt.timedelta(days=1),
        session="am",
        person_met="Duty manager",
        level="team_leader",
        status="completed",
    )
    token = services.confirmation_token(half_day)
    client.force_login(host)
    html = client.get(reverse("host_visits", args=[placement.organisation_id])).content.decode()
    assert "Confirm it took place" in html
    client.post(reverse("host_half_day_confirm", args=[half_day.pk]))
    client.logout()
    response = client.post(reverse("half_day_confirm", args=[token]), {"name": "Someone"})
    assert "already been confirmed" in response.content.decode()
    half_day.refresh_from_db()
    assert half_day.confirmed_by_name == "Robin Host"


def test_a_confirmed_booking_moved_by_the_participant_is_no_longer_confirmed(
    client, host, half_day, running, today
):
    hosting.half_day_host_confirm(half_day=half_day, by=host)
    services.half_day_update(
        half_day=HalfDay.objects.get(pk=half_day.pk),
        by=running.participant.user,
        date=today + dt.timedelta(days=8),
    )
    half_day.refresh_from_db()
    assert half_day.confirmed_at is None and half_day.confirmed_by_name == ""


def test_completing_a_confirmed_booking_asks_the_host_whether_it_took_place(
    host, placement, running, today
):
    half_day = HalfDayFactory(placement=placement, date=today, status="planned")
    hosting.half_day_host_confirm(half_day=half_day, by=host)
    services.half_day_complete(
        half_day=HalfDay.objects.get(pk=half_day.pk), by=running.participant.user
    )
    half_day.refresh_from_db()
    assert (
        half_day.confirmed_at is None
    )  # confirmed they expected the visitor, not that it happened
    assert half_day.confirmation_sent_at is not None  # the emailed link asks now


# Decline ---------------------------------------------------------------------------------


def test_it_declines_with_a_reason_and_the_booking_stays(
    client, host, half_day, running, django_capture_on_commit_callbacks
):
    client.force_login(host)
    page = client.get(reverse("host_half_day_decline", args=[half_day.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Why you cannot host this half-day" in html
    assert "can not" not in html and "can you not" not in html
    response = _answer(
        client,
        "host_half_day_decline",
        half_day,
        {"reason": "Our manager is away that week."},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    half_day.refresh_from_db()
    assert half_day.status == "planned"  # never cancelled for the participant
    (event,) = _events(hosting.DECLINED)
    assert event.detail["comment"] == "Our manager is away that week."
    (message,) = mail.outbox
    assert "cannot host your half-day" in message.subject
    assert "Our manager is away that week." in message.body
    client.force_login(running.participant.user)
    html = client.get(reverse("placement_detail", args=[half_day.placement_id])).content.decode()
    assert "Declined by Robin Host" in html and "Our manager is away that week." in html
    # The host's page shows it too.
    client.force_login(host)
    html = client.get(reverse("host_visits", args=[half_day.placement.organisation_id]))
    assert "You declined" in html.content.decode()


def test_a_decline_without_a_reason_says_what_to_enter(client, host, half_day):
    client.force_login(host)
    response = client.post(reverse("host_half_day_decline", args=[half_day.pk]), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Enter why you cannot host this half-day, so the visitor can plan again"
    ]
    assert "This field is required" not in response.content.decode()
    assert not _events(hosting.DECLINED).exists()


def test_declining_withdraws_a_confirmation(host, half_day):
    hosting.half_day_host_confirm(half_day=half_day, by=host)
    hosting.half_day_host_decline(half_day=half_day, by=host, reason="A flood in the unit.")
    half_day.refresh_from_db()
    assert half_day.confirmed_at is None


def test_a_completed_half_day_cannot_be_declined(client, host, placement, today):
    half_day = HalfDayFactory(placement=placement, date=today - dt.timedelta(days=2))
    client.force_login(host)
    response = client.post(
        reverse("host_half_day_decline", args=[half_day.pk]), {"reason": "Never came."}
    )
    assert response.status_code == 200
    assert "recorded this half-day as having taken place" in response.content.decode()
    assert "Never came." in response.content.decode()  # what was typed is kept


def test_a_decline_about_a_date_since_changed_is_history(host, half_day, running, today):
    hosting.half_day_host_decline(half_day=half_day, by=host, reason="No room that day.")
    services.half_day_update(
        half_day=HalfDay.objects.get(pk=half_day.pk),
        by=running.participant.user,
        date=today + dt.timedelta(days=9),
    )
    assert hosting.host_answers_for(half_day.placement) == []


# Propose ---------------------------------------------------------------------------------


def _propose(client, half_day, day, session="am", message=""):
    return client.post(
        reverse("host_half_day_propose", args=[half_day.pk]),
        {
            "date-day": str(day.day),
            "date-month": str(day.month),
            "date-year": str(day.year),
            "session": session,
            "message": message,
        },
    )


def test_it_proposes_another_time(
    client, host, half_day, running, today, django_capture_on_commit_callbacks
):
    client.force_login(host)
    day = today + dt.timedelta(days=12)
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(client, half_day, day, "pm", "Afternoons are calmer here.")
    assert response.status_code == 302, response.context["form"].errors
    (event,) = _events(hosting.PROPOSED)
    assert event.detail["proposed_date"] == day.isoformat()
    assert event.detail["proposed_session"] == "pm"
    (message,) = mail.outbox
    assert "proposes another time" in message.subject
    assert "Afternoons are calmer here." in message.body
    half_day.refresh_from_db()
    assert (half_day.date, half_day.status) == (today + dt.timedelta(days=5), "planned")
    client.force_login(running.participant.user)
    html = client.get(reverse("placement_detail", args=[half_day.placement_id])).content.decode()
    assert "Robin Host proposed" in html and "afternoon" in html


def test_a_proposal_in_the_past_is_refused_next_to_the_date(client, host, half_day, today):
    client.force_login(host)
    response = _propose(client, half_day, today - dt.timedelta(days=1), message="Earlier?")
    assert response.status_code == 200
    assert "Enter today" in response.context["form"].errors["date"][0]
    assert "Earlier?" in response.content.decode()  # what was typed is kept


def test_a_proposal_outside_the_visitors_window_names_the_commitment(
    client, host, half_day, running
):
    client.force_login(host)
    start = running.participant.cohort.programme_start
    response = _propose(client, half_day, start + dt.timedelta(days=400))
    (error,) = response.context["form"].errors["date"]
    assert "I2I commitment" in error and "six-month window" in error


def test_after_the_visitors_window_no_date_is_offered_that_cannot_be(
    client, host, half_day, running, today
):
    """Once the six months are over, there is no range of dates to suggest: the message
    says so and points to declining (not "a date from <today> to <an earlier day>")."""
    cohort = running.participant.cohort
    cohort.programme_start = today - dt.timedelta(days=200)
    cohort.save(update_fields=["programme_start"])
    client.force_login(host)
    response = _propose(client, half_day, today + dt.timedelta(days=3), message="Next week?")
    (error,) = response.context["form"].errors["date"]
    assert error.startswith("The visitor's six-month window ended on ")
    assert "decline the half-day instead" in error
    assert "Next week?" in response.content.decode()


def test_proposing_the_same_time_is_refused(client, host, half_day):
    client.force_login(host)
    response = _propose(client, half_day, half_day.date, half_day.session)
    assert "Enter a different date" in response.context["form"].errors["date"][0]


def test_a_date_that_does_not_exist_is_explained(client, host, half_day):
    client.force_login(host)
    response = client.post(
        reverse("host_half_day_propose", args=[half_day.pk]),
        {"date-day": "31", "date-month": "2", "date-year": "2027", "session": "am"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]


# The page --------------------------------------------------------------------------------


def _visits_at(placement, n, today):
    for i in range(n):
        HalfDayFactory(placement=placement, date=today + dt.timedelta(days=i + 1), status="planned")
        HalfDayFactory(placement=placement, date=today - dt.timedelta(days=i + 1))


@pytest.mark.parametrize("n", [1, 6])
def test_the_visits_page_reads_a_fixed_number_of_queries(
    client, host, placement, today, n, django_assert_max_num_queries
):
    _visits_at(placement, n, today)
    for h in HalfDay.objects.filter(status="planned")[:1]:
        hosting.half_day_host_decline(half_day=h, by=host, reason="Full that day.")
    client.force_login(host)
    # Session and user, roles, organisation, upcoming half-days with outcomes and approvals
    # (3) and their answers, past half-days counted and read with the same (3) and answers.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("host_visits", args=[placement.organisation_id]))
    assert response.status_code == 200


def test_the_home_page_asks_the_host_to_answer(client, host, half_day):
    client.force_login(host)
    html = client.get(reverse("home")).content.decode()
    assert "Answer 1 visit to Larkhill Care Home" in html
    hosting.half_day_host_confirm(half_day=half_day, by=host)
    html = client.get(reverse("home")).content.decode()
    assert "Answer 1 visit" not in html


def test_the_host_is_named_by_their_email_when_they_have_no_name(client, running, placement):
    user = UserFactory(full_name="", email="duty@larkhill.example")
    HostPersonFactory(user=user, organisation=placement.organisation)
    half_day = HalfDayFactory(
        placement=placement, date=timezone.localdate() + dt.timedelta(days=2), status="planned"
    )
    hosting.half_day_host_confirm(half_day=half_day, by=user)
    half_day.refresh_from_db()
    assert half_day.confirmed_by_name == "duty@larkhill.example"
