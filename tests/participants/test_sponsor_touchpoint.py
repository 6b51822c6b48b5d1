"""The sponsor "will meet with the Participant when they have been selected" (the leaflet;
issue 19, item 3): an email on selection, once; a task on the sponsor's home page until the
meeting is recorded; a reminder three weeks after selection, once, to the sponsor; and the
dashboard's column saying who has met their sponsor."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from i2i import rules
from i2i.models import Notification
from participants import recruitment
from participants.models import SponsorMeeting
from programme.reminders import send_due_reminders
from programme.tasks import home_tasks
from tests.participants.conftest import _submitted


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run


def _selected(setup, django_capture_on_commit_callbacks):
    cohort, employer, lead, manager, applicant, sponsor = setup
    eoi = _submitted(setup)
    recruitment.eoi_support(eoi=eoi, by=manager, supported=True)
    with django_capture_on_commit_callbacks(execute=True):
        eoi = recruitment.eoi_decide(eoi=eoi, by=lead, decision="selected", reason="Strong fit.")
    return eoi.participant


def _sponsor_mail(sponsor) -> list:
    return [m for m in mail.outbox if m.to == [sponsor.email]]


# On selection ---------------------------------------------------------------------------------


def test_it_emails_the_sponsor_once_on_selection(setup, django_capture_on_commit_callbacks):
    sponsor = setup[5]
    participant = _selected(setup, django_capture_on_commit_callbacks)
    (message,) = _sponsor_mail(sponsor)
    assert message.subject == (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Please meet Ari Applicant, newly selected for "
        "I2I from Larkhaven Trust"
    )
    url = settings.SITE_URL + reverse("sponsor_meeting", args=[participant.pk])
    assert url in message.body
    assert "Larkhaven Trust" in message.body
    (notification,) = Notification.objects.filter(kind=recruitment.SPONSOR_SELECTED)
    assert (notification.recipient, notification.participant) == (sponsor, participant)
    assert (notification.subject, notification.body) == (message.subject, message.body)
    # Telling them again about the same participant sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        recruitment._tell_sponsor(participant)
    assert len(_sponsor_mail(sponsor)) == 1
    assert Notification.objects.filter(kind=recruitment.SPONSOR_SELECTED).count() == 1


def test_nobody_else_gets_the_sponsors_email(setup, django_capture_on_commit_callbacks):
    cohort, employer, lead, manager, applicant, sponsor = setup
    _selected(setup, django_capture_on_commit_callbacks)
    assert _sponsor_mail(manager) == _sponsor_mail(lead) == []
    (to_applicant,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert "you have been selected" in to_applicant.body
    assert set(
        Notification.objects.filter(kind=recruitment.SPONSOR_SELECTED).values_list(
            "recipient", flat=True
        )
    ) == {sponsor.pk}


def test_not_selecting_tells_the_sponsor_nothing(setup, django_capture_on_commit_callbacks):
    cohort, employer, lead, manager, applicant, sponsor = setup
    eoi = _submitted(setup)
    with django_capture_on_commit_callbacks(execute=True):
        recruitment.eoi_decide(eoi=eoi, by=lead, decision="not_selected", reason="Next time.")
    assert _sponsor_mail(sponsor) == []
    assert not Notification.objects.filter(kind=recruitment.SPONSOR_SELECTED).exists()


# The home task --------------------------------------------------------------------------------


def test_the_sponsor_is_asked_to_meet_the_new_participant_until_it_is_recorded(
    setup, django_capture_on_commit_callbacks
):
    sponsor = setup[5]
    participant = _selected(setup, django_capture_on_commit_callbacks)
    (task,) = home_tasks(sponsor)
    assert task.text == "Meet Ari Applicant, newly selected from Larkhaven Trust"
    assert task.url == reverse("sponsor_meeting", args=[participant.pk])
    today = timezone.localdate()
    assert task.due == today + dt.timedelta(days=21)
    assert f"Selected for Cohort 5 on {today.day} {today:%B}" in task.reason
    # Not on anyone else's list.
    assert not any("newly selected" in t.text for t in home_tasks(participant.user))
    assert not any("newly selected" in t.text for t in home_tasks(setup[3]))

    recruitment.sponsor_meeting_record(participant=participant, by=sponsor, met_on=today)
    assert home_tasks(sponsor) == []


# The reminder after three weeks -----------------------------------------------------------------


def test_the_sponsor_is_reminded_three_weeks_after_selection_once(
    setup, run, django_capture_on_commit_callbacks
):
    sponsor = setup[5]
    participant = _selected(setup, django_capture_on_commit_callbacks)
    selected_on = timezone.localdate(participant.eoi.decided_at)
    mail.outbox.clear()

    run(selected_on + dt.timedelta(days=20))
    assert not Notification.objects.filter(kind="sponsor_meeting").exists()

    run(selected_on + dt.timedelta(days=21))
    (reminder,) = Notification.objects.filter(kind="sponsor_meeting")
    assert (reminder.recipient, reminder.participant) == (sponsor, participant)
    assert reminder.key == f"participant:{participant.pk}:sponsor_meeting"
    (message,) = _sponsor_mail(sponsor)
    assert message.body == reminder.body
    assert reminder.url == settings.SITE_URL + reverse("sponsor_meeting", args=[participant.pk])
    assert reminder.url in message.body

    for later in (22, 40):
        run(selected_on + dt.timedelta(days=later))
    assert Notification.objects.filter(kind="sponsor_meeting").count() == 1
    assert len(_sponsor_mail(sponsor)) == 1


def test_no_reminder_once_they_have_met(setup, run, django_capture_on_commit_callbacks):
    sponsor = setup[5]
    participant = _selected(setup, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    recruitment.sponsor_meeting_record(participant=participant, by=sponsor, met_on=today)
    run(today + dt.timedelta(days=30))
    assert not Notification.objects.filter(kind="sponsor_meeting").exists()


def test_someone_added_without_selection_is_not_reminded(world, run):
    """The world's participants were added in the admin, not selected here: their sponsors
    have the home page's task, and no reminder."""
    start = world.participant.cohort.programme_start
    day = start + dt.timedelta(days=60)
    run(day)
    assert not Notification.objects.filter(kind="sponsor_meeting").exists()
    with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False):
        tasks = home_tasks(world.sponsor)
    (task,) = [t for t in tasks if "newly selected" in t.text]
    assert task.text == "Meet Pat Participant, newly selected from Eastmere Hospitals"


def test_no_reminder_after_the_window_ends(setup, run, django_capture_on_commit_callbacks):
    participant = _selected(setup, django_capture_on_commit_callbacks)
    run(rules.window_end(participant.cohort.programme_start) + dt.timedelta(days=1))
    assert not Notification.objects.filter(kind="sponsor_meeting").exists()


# The dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_says_who_has_met_their_sponsor(client, world):
    SponsorMeeting.objects.create(
        participant=world.participant, met_on=dt.date(2026, 12, 3), recorded_by=world.sponsor
    )
    SponsorMeeting.objects.create(
        participant=world.participant, met_on=dt.date(2027, 1, 20), recorded_by=world.sponsor
    )
    client.force_login(world.programme_manager)
    response = client.get(reverse("cohort_dashboard", args=[world.participant.cohort.pk]))
    rows = {row.name: row for row in response.context["dashboard"].rows}
    assert rows["Pat Participant"].sponsor_met_on == dt.date(2026, 12, 3)  # the first meeting
    assert rows["Olly Other"].sponsor_met_on is None
    html = response.content.decode()
    assert '<td data-label="Sponsor">Met on 3 December 2026</td>' in html
    assert '<td data-label="Sponsor">Not yet</td>' in html
