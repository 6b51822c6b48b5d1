"""The daily reminders: each once per event, to the person who must act, with a link to where
they act. `today` is always passed; the world's cohort starts on Monday 1 March 2027, so its
window ends on 1 September 2027 (inclusive)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from i2i.models import Notification
from placements.models import OutcomesDecision
from programme.personal_data import person_erase
from programme.reminders import send_due_reminders, send_reminders, working_days_after
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
    implement_initiative,
)
from tests.mailservers import closed_port, use_smtp

D = dt.date


def _url(name, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the reminders for a day, sending the emails queued after commit."""

    def run(today: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run


def _mail_to(user, kind_subject: str = "") -> list:
    return [m for m in mail.outbox if m.to == [user.email] and kind_subject in m.subject]


def _recipients(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def _assert_run_twice_sends_nothing_more(run, today):
    emails, rows = len(mail.outbox), Notification.objects.count()
    assert run(today) == 0
    assert (len(mail.outbox), Notification.objects.count()) == (emails, rows)


def _assert_stored_as_sent(kind):
    """The Notification keeps exactly what was emailed."""
    for n in Notification.objects.filter(kind=kind).select_related("recipient"):
        sent = [m for m in mail.outbox if m.to == [n.recipient.email] and m.subject == n.subject]
        assert len(sent) == 1
        assert sent[0].body == n.body
        assert n.url in n.body
        assert n.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)


def test_working_days_skip_weekends():
    wednesday = D(2027, 3, 3)
    assert working_days_after(wednesday, wednesday) == 0
    assert working_days_after(wednesday, D(2027, 3, 8)) == 3  # Thu, Fri, Mon
    assert working_days_after(wednesday, D(2027, 3, 10)) == 5
    assert working_days_after(wednesday, D(2027, 3, 11)) == 6
    assert working_days_after(D(2027, 3, 6), D(2027, 3, 12)) == 5  # Saturday to Friday
    assert working_days_after(wednesday, D(2027, 3, 31)) == 20


# Learning outcomes waiting for the line manager --------------------------------


def _submit(placement, on: dt.datetime) -> OutcomesDecision:
    placement.outcomes_status = "submitted"
    placement.save()
    decision = OutcomesDecision.objects.create(
        placement=placement, action="submitted", by=placement.participant.user
    )
    OutcomesDecision.objects.filter(pk=decision.pk).update(at=on)
    return decision


def _london(day: dt.date, hour: int = 10) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Europe/London"))


def test_outcomes_waiting_more_than_five_working_days_remind_the_line_manager_once(world, run):
    placement = PlacementFactory(participant=world.participant)
    decision = _submit(placement, _london(D(2027, 3, 3)))  # a Wednesday
    # Monday: five calendar days but three working days.
    assert run(D(2027, 3, 8)) == 0
    # The next Wednesday: exactly five working days, not yet more than five.
    assert run(D(2027, 3, 10)) == 0
    assert mail.outbox == []
    # Thursday: six working days.
    assert run(D(2027, 3, 11)) == 1
    assert [m.to for m in mail.outbox] == [[world.line_manager.email]]
    body = mail.outbox[0].body
    assert body.startswith("Dear Lee,")
    assert _url("placement_detail", placement.pk) in body
    assert "3 March 2027" in body
    assert body.rstrip().endswith("I2I Cohorts")
    assert mail.outbox[0].subject.startswith("[I2I Cohorts] Learning outcomes still waiting")
    notification = Notification.objects.get()
    assert notification.key == f"placement:{placement.pk}:submitted:{decision.pk}"
    assert notification.participant == world.participant
    assert notification.recipient == world.line_manager
    _assert_stored_as_sent("outcomes_waiting")

    _assert_run_twice_sends_nothing_more(run, D(2027, 3, 11))
    _assert_run_twice_sends_nothing_more(run, D(2027, 3, 18))
    # Nobody else: not the participant, the sponsor, the other participant's line manager.
    for person in (
        world.participant.user,
        world.sponsor,
        world.other_participant.line_manager,
        world.programme_manager,
    ):
        assert _mail_to(person) == []


def test_a_resubmission_is_a_new_event(world, run):
    placement = PlacementFactory(participant=world.participant)
    _submit(placement, _london(D(2027, 3, 3)))
    assert run(D(2027, 3, 11)) == 1
    # Returned, changed and sent again on Friday 12 March: six working days later is the 22nd.
    later = _submit(placement, _london(D(2027, 3, 12), hour=16))
    assert run(D(2027, 3, 19)) == 0
    assert run(D(2027, 3, 22)) == 1
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"placement:{placement.pk}:submitted:{later.pk}" in keys
    assert len(_mail_to(world.line_manager)) == 2


def test_decided_or_withdrawn_outcomes_and_other_cohorts_are_not_chased(world, run):
    approved = PlacementFactory(participant=world.participant)
    _submit(approved, _london(D(2027, 3, 3)))
    approved.outcomes_status = "approved"
    approved.save()
    withdrawn = PlacementFactory(participant=world.participant)
    _submit(withdrawn, _london(D(2027, 3, 3)))
    withdrawn.status = "withdrawn"
    withdrawn.save()
    for status in ("recruiting", "closed", "planning"):
        elsewhere = ParticipantFactory(cohort=CohortFactory(status=status))
        _submit(PlacementFactory(participant=elsewhere), _london(D(2027, 3, 3)))
    assert run(D(2027, 3, 11)) == 0
    assert mail.outbox == []


# Reflective accounts overdue -------------------------------------------------------


def _completed_placement(participant, days=(8, 15, 22, 29), **kwargs):
    placement = ApprovedPlacementFactory(participant=participant, **kwargs)
    for day in days:
        HalfDayFactory(placement=placement, date=D(2027, 3, day))
    return placement


def test_a_reflection_overdue_reminds_the_participant_after_fourteen_days(world, run):
    placement = _completed_placement(world.participant, days=(15, 8, 29, 22))
    # A cancelled half-day after the fourth does not move the completion date.
    HalfDayFactory(placement=placement, date=D(2027, 4, 5), status="cancelled")
    ReflectiveAccountFactory(placement=placement, status="draft")
    # Complete on 29 March: 14 days later, 12 April, is still in time. (The other participant,
    # with nothing arranged in week 6, is at risk by the first-placement milestone.)
    run(D(2027, 4, 12))
    assert not Notification.objects.filter(kind="reflection_overdue").exists()
    assert run(D(2027, 4, 13)) >= 1
    sent = _mail_to(world.participant.user, "reflective account")
    assert len(sent) == 1
    assert sent[0].body.startswith(f"Dear {world.participant.user.get_short_name()},")
    assert _url("placement_detail", placement.pk) in sent[0].body
    assert "29 March 2027" in sent[0].body
    assert _recipients("reflection_overdue") == [world.participant.user.email]
    assert Notification.objects.get(kind="reflection_overdue").key == (
        f"placement:{placement.pk}:reflection_due:2027-04-12"
    )
    _assert_stored_as_sent("reflection_overdue")
    _assert_run_twice_sends_nothing_more(run, D(2027, 4, 13))
    _assert_run_twice_sends_nothing_more(run, D(2027, 4, 20))
    for person in (world.line_manager, world.sponsor, world.other_participant.user):
        assert _mail_to(person, "reflective account") == []


def test_no_reflection_reminder_once_shared_or_before_the_fourth_half_day(world, run):
    shared = _completed_placement(world.participant)
    ReflectiveAccountFactory(placement=shared, status="shared")
    discussed = _completed_placement(world.participant, days=(9, 16, 23, 30))
    ReflectiveAccountFactory(placement=discussed, status="discussed")
    _completed_placement(world.other_participant, days=(8, 15, 22))  # three half-days only
    assert run(D(2027, 4, 30)) == 0
    assert not Notification.objects.filter(kind="reflection_overdue").exists()


# At risk ------------------------------------------------------------------


def test_at_risk_goes_to_the_participant_and_line_manager_once_per_risk(world, run):
    # 1 July with nothing arranged: twelve half-days no longer fit at one a week. Two
    # participants, each to them and their line manager (and the same four are reminded of
    # the mid-programme review, due on 31 May and not recorded).
    assert run(D(2027, 7, 1)) == 4 + 4
    assert sorted(_recipients("at_risk")) == sorted(
        [
            world.participant.user.email,
            world.line_manager.email,
            world.other_participant.user.email,
            world.other_participant.line_manager.email,
        ]
    )
    mine = _mail_to(world.participant.user, "at risk")
    assert len(mine) == 1
    assert mine[0].body.startswith("Dear Pat,")
    assert "Some of your I2I commitments are at risk" in mine[0].body
    assert _url("participant_detail", world.participant.pk) in mine[0].body
    managers = _mail_to(world.line_manager, "at risk")
    assert len(managers) == 1
    assert managers[0].body.startswith("Dear Lee,")
    assert "Pat Participant's I2I commitments are at risk" in managers[0].body
    assert _url("participant_detail", world.participant.pk) in managers[0].body
    # The other participant's news is not sent to this line manager, nor to any sponsor.
    assert _url("participant_detail", world.other_participant.pk) not in managers[0].body
    for person in (world.sponsor, world.other_participant.sponsor, world.programme_manager):
        assert _mail_to(person) == []
    assert (
        Notification.objects.filter(
            kind="at_risk", participant=world.participant, key__contains=":at_risk:"
        ).count()
        == 2
    )
    _assert_stored_as_sent("at_risk")

    # The same risk, the same day or the next week: nothing again.
    _assert_run_twice_sends_nothing_more(run, D(2027, 7, 1))
    _assert_run_twice_sends_nothing_more(run, D(2027, 7, 8))
    # A new risk (the briefing passed with attendance not recorded) is a new event.
    cohort = world.participant.cohort
    cohort.briefing_date = D(2027, 2, 20)
    cohort.save()
    assert run(D(2027, 7, 9)) == 4
    keys = Notification.objects.filter(
        kind="at_risk", recipient=world.participant.user
    ).values_list("key", flat=True)
    assert sorted(keys) == [
        f"participant:{world.participant.pk}:at_risk:briefing,half_days,placements,window",
        f"participant:{world.participant.pk}:at_risk:half_days,placements,window",
    ]


def test_on_track_participants_and_other_cohorts_get_no_risk_reminder(world, run):
    elsewhere = ParticipantFactory(cohort=CohortFactory(status="recruiting"))
    assert run(D(2027, 3, 15)) == 0
    assert run(D(2027, 7, 1)) == 4 + 4  # at risk, and the mid-programme review
    assert not Notification.objects.filter(participant=elsewhere).exists()


# The window closing ------------------------------------------------------------


def _all_met(participant):
    """Three organisations, four half-days each, accounts shared and discussed, an improvement
    implemented and reviewed."""
    start = participant.cohort.programme_start
    for n in range(3):
        placement = ApprovedPlacementFactory(participant=participant)
        for week in range(4):
            HalfDayFactory(
                placement=placement, date=start + dt.timedelta(days=7 * (4 * n + week) + 1)
            )
        ReflectiveAccountFactory(placement=placement, status="discussed")
    agreed = _london(start)
    implement_initiative(
        ImprovementInitiativeFactory(participant=participant, agreed_first_at=agreed), start
    )


def test_window_closing_reminds_a_participant_with_commitments_open_once(world, run):
    _all_met(world.other_participant)
    # The window ends on 1 September: 29 days before is too early.
    run(D(2027, 8, 3))
    assert not Notification.objects.filter(kind="window_closing").exists()
    run(D(2027, 8, 4))
    assert _recipients("window_closing") == [world.participant.user.email]
    sent = _mail_to(world.participant.user, "window closes")
    assert len(sent) == 1
    assert sent[0].subject == "[I2I Cohorts] Your I2I window closes on 1 September 2027"
    assert "1 September 2027" in sent[0].body
    assert "Three placements with different organisations" in sent[0].body
    assert _url("participant_detail", world.participant.pk) in sent[0].body
    assert Notification.objects.get(kind="window_closing").key == (
        f"participant:{world.participant.pk}:window_closing:2027-09-01"
    )
    _assert_stored_as_sent("window_closing")
    _assert_run_twice_sends_nothing_more(run, D(2027, 8, 4))
    _assert_run_twice_sends_nothing_more(run, D(2027, 8, 20))
    _assert_run_twice_sends_nothing_more(run, D(2027, 9, 1))
    for person in (world.line_manager, world.sponsor, world.other_participant.user):
        assert _mail_to(person, "window closes") == []


def test_window_closing_is_caught_up_on_the_last_day_but_not_after(world, run):
    run(D(2027, 9, 2))
    assert not Notification.objects.filter(kind="window_closing").exists()
    run(D(2027, 9, 1))
    assert len(_recipients("window_closing")) == 2


# Briefing and workshop ---------------------------------------------------------


def test_briefing_reminds_each_participant_a_week_before_once(world, run):
    cohort = world.participant.cohort
    cohort.briefing_date = D(2027, 2, 20)
    cohort.briefing_time = dt.time(9, 30)
    cohort.briefing_place = "Eastmere Education Centre"
    cohort.save()
    assert run(D(2027, 2, 12)) == 0
    assert run(D(2027, 2, 13)) == 2
    assert _recipients("briefing") == sorted(
        [world.participant.user.email, world.other_participant.user.email]
    )
    sent = _mail_to(world.participant.user, "briefing")
    assert len(sent) == 1
    assert "Saturday 20 February 2027 at 9:30am, Eastmere Education Centre" in sent[0].body
    assert _url("cohort_detail", cohort.pk) in sent[0].body
    assert Notification.objects.filter(kind="briefing").first().key == (
        f"cohort:{cohort.pk}:briefing:2027-02-20"
    )
    _assert_stored_as_sent("briefing")
    _assert_run_twice_sends_nothing_more(run, D(2027, 2, 13))
    _assert_run_twice_sends_nothing_more(run, D(2027, 2, 19))
    for person in (world.line_manager, world.sponsor, world.programme_manager):
        assert _mail_to(person) == []


def test_a_missed_run_still_sends_the_briefing_reminder_before_the_day(world, run):
    cohort = world.participant.cohort
    cohort.briefing_date = D(2027, 2, 20)
    cohort.save()
    assert run(D(2027, 2, 20)) == 0  # on the day it is too late
    assert run(D(2027, 2, 18)) == 2
    # A moved briefing is a new event.
    cohort.briefing_date = D(2027, 2, 24)
    cohort.save()
    assert run(D(2027, 2, 19)) == 2


def test_workshop_reminder_and_which_cohorts_get_event_reminders(world, run):
    cohort = world.participant.cohort
    cohort.workshop_date = D(2027, 9, 15)
    cohort.save()
    recruiting = ParticipantFactory(
        cohort=CohortFactory(status="recruiting", briefing_date=D(2027, 9, 10))
    )
    for status in ("planning", "closed"):
        ParticipantFactory(cohort=CohortFactory(status=status, briefing_date=D(2027, 9, 10)))
    run(D(2027, 9, 8))
    assert _recipients("workshop") == sorted(
        [world.participant.user.email, world.other_participant.user.email]
    )
    assert _recipients("briefing") == [recruiting.user.email]
    workshop = _mail_to(world.participant.user, "workshop")
    assert len(workshop) == 1
    assert "Wednesday 15 September 2027" in workshop[0].body
    assert _url("cohort_detail", cohort.pk) in workshop[0].body
    _assert_stored_as_sent("workshop")
    _assert_run_twice_sends_nothing_more(run, D(2027, 9, 8))


# Every reminder together -------------------------------------------------------


def _busy_participant(cohort):
    """A participant due every running-cohort reminder on 4 August 2027."""
    participant = ParticipantFactory(cohort=cohort, organisation=OrganisationFactory())
    _completed_placement(participant, days=(1, 8, 15, 22))
    _submit(PlacementFactory(participant=participant), _london(D(2027, 7, 1)))
    return participant


def test_the_queries_do_not_grow_with_the_number_of_participants(world, run):
    """With nothing new to send, a run reads a fixed number of queries (participants, their
    placements and half-days, submitted outcomes, cohort events, the notifications already
    sent: one per kind), however many participants there are; each new reminder costs only
    its own row."""
    cohort = world.participant.cohort
    cohort.workshop_date = D(2027, 8, 10)
    cohort.save()
    for _ in range(2):
        _busy_participant(cohort)
    run(D(2027, 8, 4))
    with CaptureQueriesContext(connection) as few:
        assert run(D(2027, 8, 4)) == 0
    for _ in range(6):
        _busy_participant(cohort)
    # outcomes, reflection, at risk x2, window, workshop, mid-programme review x2
    assert run(D(2027, 8, 4)) == 6 * 8
    with CaptureQueriesContext(connection) as many:
        assert run(D(2027, 8, 4)) == 0
    assert len(many) == len(few)
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "outcomes_waiting",
        "reflection_overdue",
        "at_risk",
        "window_closing",
        "workshop",
        "mid_programme_review",
    }


# The schedule -----------------------------------------------------------------


def test_the_beat_schedule_names_tasks_that_exist():
    from i2i.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    assert "i2i.tasks.send_reminders" in {entry["task"] for entry in schedule.values()}


@time_machine.travel(dt.datetime(2027, 2, 22, 7, 30, tzinfo=ZoneInfo("Europe/London")))
def test_the_send_reminders_task_runs(world, django_capture_on_commit_callbacks):
    """A week before the world's cohort starts on 1 March 2027, only the briefing is due."""

    cohort = world.participant.cohort
    cohort.briefing_date = dt.date(2027, 2, 25)
    cohort.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.delay()
    assert result.get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.participant.user.email, world.other_participant.user.email]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 0
    assert len(mail.outbox) == 2


@time_machine.travel(dt.datetime(2027, 2, 22, 7, 30, tzinfo=ZoneInfo("Europe/London")))
def test_an_erased_participant_is_reminded_of_nothing_and_nobody_is_reminded_of_them(world):
    cohort = world.participant.cohort
    cohort.briefing_date = dt.date(2027, 2, 25)
    cohort.save()
    person_erase(user=world.participant.user, by=world.programme_manager)

    send_due_reminders(dt.date(2027, 2, 22))

    reminded = Notification.objects.values_list("recipient_id", "participant_id")
    assert list(reminded) == [(world.other_participant.user_id, world.other_participant.pk)]


def test_a_reminder_the_mail_server_never_took_is_marked_and_the_programme_manager_told(
    world, run, client, settings
):
    """The real fault: the mail server is down (its port is closed). Tasks run in-process, so
    each reminder has its one try; with a worker it has six (tests/test_emails.py)."""
    use_smtp(settings, closed_port())
    cohort = world.participant.cohort
    cohort.briefing_date = D(2027, 2, 25)
    cohort.save()
    with time_machine.travel(dt.datetime(2027, 2, 22, 7, 30, tzinfo=ZoneInfo("Europe/London"))):
        assert run(D(2027, 2, 22)) == 2  # recorded, and queued
        failed = Notification.objects.filter(failed_at__isnull=False).order_by("pk")
        assert failed.count() == 2
        assert failed[0].failure == (
            "Not sent after 1 try: could not connect to the mail server (Connection refused)."
        )

        client.force_login(world.programme_manager)
        home = client.get(reverse("home")).content.decode()
        link = reverse("notifications_sent") + "?failed=1"
        assert "Check 2 reminders that failed" in home
        assert f'href="{link}"' in home
        listed = client.get(link).content.decode()
        assert listed.count("Not delivered</strong>") == 2
        assert "could not connect to the mail server (Connection refused)" in listed
        assert world.participant.user.email in listed

        client.force_login(world.participant.user)
        own = client.get(reverse("notifications")).content.decode()
        assert "Not delivered" in own

    # The task stays two weeks, then leaves the list (the page still shows them).
    with time_machine.travel(dt.datetime(2027, 3, 9, 9, tzinfo=ZoneInfo("Europe/London"))):
        client.force_login(world.programme_manager)
        assert "reminders that failed" not in client.get(reverse("home")).content.decode()
        assert client.get(link).content.decode().count("Not delivered</strong>") == 2


def test_reminders_the_mail_server_takes_are_not_marked(world, run):
    cohort = world.participant.cohort
    cohort.briefing_date = D(2027, 2, 25)
    cohort.save()
    assert run(D(2027, 2, 22)) == 2
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(failed_at__isnull=False).exists()
