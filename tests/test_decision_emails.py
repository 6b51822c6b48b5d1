"""Emails about decisions: each goes to the person who must act next, never back to the
person who decided; one click sends one request; what a line manager writes about a private
reflective account stays in the product; each reminder speaks to the person reading it."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from improvements import services as improvements
from improvements.models import AgreementDecision
from placements import services as placements
from programme.reminders import send_due_reminders
from reflections import services as reflections
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
)

PRIVATE = "We talked about your anxiety before the ward round."


def _sent(capture, action):
    """Run `action`, sending what it queued; the emails it sent."""
    before = len(mail.outbox)
    with capture(execute=True):
        action()
    return mail.outbox[before:]


def _to(emails) -> list[str]:
    return sorted(address for message in emails for address in message.to)


def _account_url(account) -> str:
    return settings.SITE_URL + reverse("account_detail", args=[account.pk])


# Learning outcomes and the improvement initiative ---------------------------------------


@pytest.mark.parametrize("approve", [True, False])
def test_an_outcomes_decision_goes_to_the_participant_not_the_line_manager(
    world, django_capture_on_commit_callbacks, approve
):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=30)
    cohort.save()
    placement = PlacementFactory(participant=world.participant)
    user, manager = world.participant.user, world.line_manager
    placements.outcomes_save(placement=placement, by=user, texts=["See discharge planning"])
    placements.outcomes_submit(placement=placement, by=user)
    if approve:
        emails = _sent(
            django_capture_on_commit_callbacks,
            lambda: placements.outcomes_approve(placement=placement, by=manager, comment="Good"),
        )
    else:
        emails = _sent(
            django_capture_on_commit_callbacks,
            lambda: placements.outcomes_return(
                placement=placement, by=manager, comment="Add one about referrals."
            ),
        )
    assert _to(emails) == [user.email]
    (message,) = emails
    assert message.body.startswith(f"Dear {user.get_short_name()},")
    assert f"{manager} has {'approved' if approve else 'returned'}" in message.body
    assert "your I2I placement" in message.body
    if not approve:
        assert "Add one about referrals." in message.body  # outcomes are not private


@pytest.mark.parametrize("agree", [True, False])
def test_an_initiative_decision_goes_to_the_participant_not_the_line_manager(
    world, django_capture_on_commit_callbacks, agree
):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    user, manager = world.participant.user, world.line_manager
    improvements.initiative_submit(initiative=initiative, by=user)
    decide = improvements.initiative_agree if agree else improvements.initiative_return
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: decide(initiative=initiative, by=manager, comment="Measure it weekly."),
    )
    assert _to(emails) == [user.email]
    (message,) = emails
    assert message.body.startswith(f"Dear {user.get_short_name()},")
    assert f"{manager} has {'agreed' if agree else 'returned'} your" in message.body


def test_changing_an_agreed_initiative_and_sending_it_sends_one_request(
    client, world, django_capture_on_commit_callbacks
):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    user, manager = world.participant.user, world.line_manager
    improvements.initiative_submit(initiative=initiative, by=user)
    improvements.initiative_agree(initiative=initiative, by=manager)
    client.force_login(user)
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: client.post(
            reverse("initiative_edit", args=[world.participant.pk]),
            {
                "title": initiative.title,
                "problem": initiative.problem,
                "aim": "Reduce days from referral to first visit from 9 to 4 by June.",
                "measures_summary": initiative.measures_summary,
                "change_ideas": initiative.change_ideas,
                "kind": initiative.kind,
                "action": "submit",
            },
        ),
    )
    assert _to(emails) == [manager.email]
    assert list(initiative.decisions.values_list("action", flat=True)) == [
        AgreementDecision.Action.SUBMITTED,
        AgreementDecision.Action.AGREED,
        AgreementDecision.Action.REOPENED,
        AgreementDecision.Action.SUBMITTED,
    ]
    initiative.refresh_from_db()
    assert initiative.agreement == "submitted"


def test_sending_an_initiative_twice_asks_the_line_manager_once(
    world, django_capture_on_commit_callbacks
):
    """A double click, or two tabs: the second request finds it already waiting."""
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    user = world.participant.user
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: improvements.initiative_submit(initiative=initiative, by=user),
    )
    emails += _sent(
        django_capture_on_commit_callbacks,
        lambda: improvements.initiative_submit(initiative=initiative, by=user),
    )
    assert _to(emails) == [world.line_manager.email]
    assert initiative.decisions.count() == 1


def test_a_second_click_on_agree_sends_nothing_more(
    client, world, django_capture_on_commit_callbacks
):
    """The decision panel, clicked twice (htmx, or a slow phone): one decision, one email;
    the second click gets the panel as it now stands."""
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    improvements.initiative_submit(initiative=initiative, by=world.participant.user)
    client.force_login(world.line_manager)
    url = reverse("initiative_decide", args=[world.participant.pk])
    responses = []
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: responses.extend(
            client.post(url, {"decision": "agree", "comment": ""}, headers={"HX-Request": "true"})
            for _ in range(2)
        ),
    )
    assert _to(emails) == [world.participant.user.email]
    assert initiative.decisions.filter(action=AgreementDecision.Action.AGREED).count() == 1
    assert responses[1].status_code == 200
    assert "Agreed</strong> by Lee Linemanager" in responses[1].content.decode()


# Reflective accounts: private ------------------------------------------------------------


@pytest.fixture
def shared_account(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=60)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    HalfDayFactory(placement=placement, date=cohort.programme_start + dt.timedelta(days=7))
    account = ReflectiveAccountFactory(placement=placement)
    reflections.account_share(account=account, by=world.participant.user)
    return account


def test_asking_for_more_tells_the_participant_there_is_a_comment_not_what_it_says(
    world, shared_account, django_capture_on_commit_callbacks
):
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: reflections.account_ask_more(
            account=shared_account, by=world.line_manager, comment=PRIVATE
        ),
    )
    user = world.participant.user
    assert _to(emails) == [user.email]
    (message,) = emails
    assert PRIVATE not in message.body and "anxiety" not in message.subject
    assert message.body.startswith(f"Dear {user.get_short_name()},")
    assert "left you a comment" in message.body
    assert _account_url(shared_account) in message.body


def test_recording_the_discussion_tells_the_participant_there_is_a_comment(
    world, shared_account, django_capture_on_commit_callbacks
):
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: reflections.account_discuss(
            account=shared_account,
            by=world.line_manager,
            discussed_on=timezone.localdate(),
            comment=PRIVATE,
        ),
    )
    assert _to(emails) == [world.participant.user.email]
    (message,) = emails
    assert PRIVATE not in message.body
    assert "left you a comment" in message.body
    assert _account_url(shared_account) in message.body


def test_a_discussion_without_a_comment_does_not_mention_one(
    world, shared_account, django_capture_on_commit_callbacks
):
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: reflections.account_discuss(
            account=shared_account, by=world.line_manager, discussed_on=timezone.localdate()
        ),
    )
    (message,) = emails
    assert "comment" not in message.body


def test_the_comment_is_there_on_the_account_page(client, world, shared_account):
    reflections.account_ask_more(account=shared_account, by=world.line_manager, comment=PRIVATE)
    client.force_login(world.participant.user)
    assert PRIVATE in client.get(_account_url(shared_account)).content.decode()


# The at-risk reminder, to each reader --------------------------------------------------


@pytest.fixture
def behind(world):
    """Three placements complete in March and April 2027 (the world's cohort starts on
    1 March), none with a reflective account shared, the last one's outcomes agreed only
    after its first half-day, and no improvement initiative: reflections, outcomes and the
    initiative are all at risk on 20 May."""
    for index, month_days in enumerate(((2, 9, 16, 23), (3, 10, 17, 24), (4, 11, 18, 25))):
        placement = ApprovedPlacementFactory(participant=world.participant)
        for day in month_days:
            HalfDayFactory(placement=placement, date=dt.date(2027, 3 + index // 2, day))
    placement.outcomes_first_approved_at = dt.datetime(2027, 4, 12, 9, tzinfo=dt.UTC)
    placement.save()
    return world


def test_the_at_risk_reminder_speaks_to_each_reader(behind, django_capture_on_commit_callbacks):
    world = behind
    emails = _sent(
        django_capture_on_commit_callbacks,
        lambda: send_due_reminders(today=dt.date(2027, 5, 20)),
    )
    at_risk = [m for m in emails if "at risk" in m.subject]
    (mine,) = [m for m in at_risk if m.to == [world.participant.user.email]]
    (theirs,) = [m for m in at_risk if m.to == [world.line_manager.email]]
    for code_words in ("reflective account", "learning outcomes", "improvement initiative"):
        assert code_words in mine.body.lower() and code_words in theirs.body.lower()
    # The participant is told what to do with their line manager.
    assert "share the overdue reflective accounts with your line manager" in mine.body
    # The line manager reads the same facts about someone else, addressed to them.
    body = theirs.body
    assert "Pat Participant's I2I commitments are at risk" in body
    assert "your" not in body.lower().replace("dear ", "")
    assert "shared and discussed with you:" in body
    assert "share the overdue reflective accounts with you" in body
    assert "Their third placement was complete" in body
    assert "Still to do:" in body and "To do:" not in body.replace("Still to do:", "")
