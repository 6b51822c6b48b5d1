"""The leaflet's "shared and discussed with their line manager" (issue 19): an account counts
once the line manager records the discussion; they are reminded on the tenth working day after
sharing, once per sharing; "Ask for more" puts the account back on the participant's list.

The world's cohort starts on Monday 1 March 2027 and is running; its participant's placement
is complete on 29 March, and the account is shared on Wednesday 7 April 2027, so the
discussion is due on Wednesday 21 April.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from i2i import rules
from i2i.models import Notification
from participants.models import Participant
from programme import tasks
from programme.progress import (
    commitment_report,
    progress_reports,
    read_participants_progress,
    with_progress,
)
from programme.reminders import KIND_LABELS, kind_label, send_due_reminders, working_days_after
from reflections import services
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ReflectiveAccountFactory

D = dt.date
LONDON = ZoneInfo("Europe/London")
SHARED_ON = D(2027, 4, 7)
DUE = D(2027, 4, 21)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today: dt.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run


@pytest.fixture
def shared(world, django_capture_on_commit_callbacks):
    """The participant's account of a complete placement, shared on 7 April 2027."""
    placement = ApprovedPlacementFactory(participant=world.participant)
    for day in (8, 15, 22, 29):
        HalfDayFactory(placement=placement, date=D(2027, 3, day))
    account = ReflectiveAccountFactory(placement=placement)
    with (
        time_machine.travel(_at(SHARED_ON), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.account_share(account=account, by=world.participant.user)
    mail.outbox.clear()
    account.refresh_from_db()
    return account


def _discussion_reminders():
    return list(
        Notification.objects.filter(kind="discussion_due").values_list("recipient__email", "key")
    )


def _reflections(participant, *days: dt.date) -> list[rules.Commitment]:
    """The reflections commitment on each day, from one read of the database."""
    fresh = with_progress(Participant.objects.filter(pk=participant.pk)).get()
    return [commitment_report(fresh, on=on).get("reflections") for on in days]


# The rule, read from the database ----------------------------------------------------------------


def test_a_shared_account_waits_for_the_discussion_naming_the_line_manager(world, shared):
    [commitment] = _reflections(world.participant, SHARED_ON)

    assert commitment.status == rules.Status.ON_TRACK
    assert commitment.done == 0
    assert (
        f"{shared.placement.organisation.name}: shared with Lee Linemanager; waiting for you "
        "to discuss it by 21 April 2027." in commitment.sentence
    )
    assert commitment.due == DUE


def test_it_is_at_risk_when_the_discussion_is_more_than_ten_working_days_after_sharing(
    world, shared
):
    assert working_days_after(SHARED_ON, DUE) == 10
    on_time, late = _reflections(world.participant, DUE, DUE + dt.timedelta(days=1))
    assert on_time.status == rules.Status.ON_TRACK
    assert late.status == rules.Status.AT_RISK
    assert "the discussion was due by 21 April 2027, 10 working days later" in late.sentence


def test_it_counts_once_the_line_manager_records_the_discussion(world, shared):
    with time_machine.travel(_at(D(2027, 4, 14)), tick=False):
        services.account_discuss(account=shared, by=world.line_manager, discussed_on=D(2027, 4, 14))
    [commitment] = _reflections(world.participant, DUE + dt.timedelta(days=30))

    assert commitment.done == 1
    assert commitment.status == rules.Status.ON_TRACK
    assert "waiting for you to discuss it" not in commitment.sentence
    assert "discussion was due" not in commitment.sentence


def test_both_readers_give_the_same_discussion_rule(world, shared):
    """The dashboard's tuples and the pages' instances build the same record (line manager's
    name, the day it was shared)."""
    cohort = world.participant.cohort
    scoped = Participant.objects.filter(cohort=cohort)
    on = DUE + dt.timedelta(days=1)
    tuples = progress_reports(cohort, read_participants_progress(scoped), on)
    instances = {p.pk: commitment_report(p, on=on) for p in with_progress(scoped)}

    assert tuples == instances
    assert tuples[world.participant.pk].get("reflections").status == rules.Status.AT_RISK


# The reminder to the line manager -------------------------------------------------------------


def test_the_line_manager_is_reminded_on_the_tenth_working_day_once(world, shared, run):
    run(DUE - dt.timedelta(days=1))  # nine working days
    assert _discussion_reminders() == []

    run(DUE)
    key = f"account:{shared.pk}:shared:{shared.shared_at.isoformat()}"
    assert _discussion_reminders() == [(world.line_manager.email, key)]
    sent = [m for m in mail.outbox if "Reflective account to discuss" in m.subject]
    assert len(sent) == 1
    assert sent[0].to == [world.line_manager.email]
    assert sent[0].subject == (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Reflective account to discuss: Pat "
        f"Participant at {shared.placement.organisation}"
    )
    body = sent[0].body
    assert body.startswith("Dear Lee,")
    assert "on 7 April 2027, 10 working days ago" in body
    assert "at risk after 21 April 2027" in body
    assert settings.SITE_URL + reverse("account_detail", args=[shared.pk]) in body
    # Never the account's text.
    assert "discharge coordinator" not in body

    # Again that day, and on later days: nothing more.
    for later in (DUE, DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=14)):
        run(later)
    assert len(_discussion_reminders()) == 1
    assert len([m for m in mail.outbox if "Reflective account to discuss" in m.subject]) == 1
    for person in (world.participant.user, world.sponsor, world.programme_manager):
        assert not Notification.objects.filter(kind="discussion_due", recipient=person).exists()


def test_a_missed_run_is_caught_up_later(world, shared, run):
    run(DUE + dt.timedelta(days=1))
    assert len(_discussion_reminders()) == 1
    body = Notification.objects.get(kind="discussion_due").body
    assert "11 working days ago" in body


def test_no_reminder_once_discussed_or_asked_for_more(world, shared, run):
    other = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=other, date=D(2027, 3, 9))
    returned = ReflectiveAccountFactory(placement=other)
    with time_machine.travel(_at(SHARED_ON), tick=False):
        services.account_share(account=returned, by=world.participant.user)
        services.account_ask_more(
            account=returned, by=world.line_manager, comment="Say more about the handover."
        )
        services.account_discuss(account=shared, by=world.line_manager, discussed_on=SHARED_ON)

    run(DUE + dt.timedelta(days=7))

    assert _discussion_reminders() == []


def test_sharing_again_after_ask_for_more_is_a_new_event(world, shared, run):
    run(DUE)
    assert len(_discussion_reminders()) == 1
    again_on = D(2027, 4, 26)  # a Monday
    with time_machine.travel(_at(again_on), tick=False):
        services.account_ask_more(account=shared, by=world.line_manager, comment="More please.")
        services.account_save(account=shared, by=world.participant.user, answers={})
        services.account_share(account=shared, by=world.participant.user)
    shared.refresh_from_db()

    run(D(2027, 5, 7))  # nine working days after the second sharing
    assert len(_discussion_reminders()) == 1
    run(D(2027, 5, 10))
    keys = sorted(key for _, key in _discussion_reminders())
    assert len(keys) == 2
    assert f"account:{shared.pk}:shared:{shared.shared_at.isoformat()}" in keys


def test_accounts_of_a_cohort_not_running_are_not_chased(world, shared, run):
    cohort = world.participant.cohort
    cohort.status = "closed"
    cohort.save()
    run(DUE + dt.timedelta(days=1))
    assert _discussion_reminders() == []


def test_the_reminder_kind_has_a_label():
    assert "discussion_due" in KIND_LABELS
    assert kind_label("discussion_due") == "Reflective account to discuss"


# "Ask for more" goes back to the participant ---------------------------------------------------


def test_ask_for_more_puts_the_account_on_the_participants_task_list(
    world, shared, django_capture_on_commit_callbacks
):
    with time_machine.travel(_at(D(2027, 4, 9)), tick=False):
        waiting = tasks.line_manager_tasks(world.line_manager, today=D(2027, 4, 9))
        assert any("Discuss Pat Participant's reflective account" in t.text for t in waiting)
        with django_capture_on_commit_callbacks(execute=True):
            services.account_ask_more(
                account=shared, by=world.line_manager, comment="Say more about the handover."
            )
        mine = tasks.participant_tasks(world.participant.user, today=D(2027, 4, 9))
        theirs = tasks.line_manager_tasks(world.line_manager, today=D(2027, 4, 9))

    name = shared.placement.organisation.name
    returned = [t for t in mine if t.text.startswith("Add to your reflective account")]
    assert [t.text for t in returned] == [
        f"Add to your reflective account of {name} and share it again"
    ]
    assert returned[0].url == reverse("account_edit", args=[shared.pk])
    assert returned[0].reason.startswith("Your line manager asked for more")
    # Not twice under another wording.
    assert not [t for t in mine if "Finish and share" in t.text]
    assert not any("Discuss Pat Participant's reflective account" in t.text for t in theirs)
    # The participant was emailed, without the comment.
    asked = [m for m in mail.outbox if m.to == [world.participant.user.email]]
    assert len(asked) == 1
    assert "Say more about the handover" not in asked[0].body


def test_a_draft_never_shared_is_not_asked_for_more(world):
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=D(2027, 3, 8))
    ReflectiveAccountFactory(placement=placement)
    mine = tasks.participant_tasks(world.participant.user, today=D(2027, 3, 10))
    assert not [t for t in mine if t.text.startswith("Add to your reflective account")]
