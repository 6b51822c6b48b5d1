"""What to do next, in a browser: a participant sees a task on their home page, does it, and
sees it gone; a line manager on a phone approves one set of learning outcomes after another,
taken on to the next set each time, then back to the list."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.models import OutcomesDecision, Placement
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import LearningOutcomeFactory, OrganisationFactory, PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTS = ["Riverside Lane Medical Practice", "Willowbank Nursing Home", "Saltmarsh Housing"]


@pytest.fixture
def started(world):
    """The world's cohort started eight weeks ago."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=8)
    cohort.save()
    return world


def _placement(participant, host, **fields):
    placement = PlacementFactory(
        participant=participant,
        organisation=OrganisationFactory(name=host, sector="gp_practice"),
        **fields,
    )
    LearningOutcomeFactory(placement=placement, text=f"Understand how {host} takes referrals")
    return placement


def test_a_participant_does_the_task_and_sees_it_gone(page, started):
    participant = started.participant
    _placement(participant, HOSTS[0])
    sign_in(page, participant.user.email)

    tasks = page.get_by_role("region", name="What to do next")
    expect(tasks.get_by_role("heading", level=2)).to_have_text("What to do next")
    task = tasks.get_by_role(
        "link", name=f"Send your learning outcomes for {HOSTS[0]} to your line manager"
    )
    expect(task).to_be_visible()
    # The reason is read with the link, and shown under it.
    expect(task).to_have_accessible_description(re.compile("before your first half-day there"))
    arrange = tasks.get_by_role("link", name=re.compile("more placements"))
    expect(arrange).to_be_visible()
    assert_accessible(page)

    task.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HOSTS[0])
    page.get_by_role("button", name="Send to line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("sent to your line manager")

    page.goto("/")
    expect(arrange).to_be_visible()
    expect(tasks.get_by_role("link", name=re.compile("Send your learning outcomes"))).to_have_count(
        0
    )
    assert_accessible(page)


def test_a_line_manager_on_a_phone_goes_from_one_set_to_the_next(browser, live_server, started):
    participant = started.participant
    now = timezone.now()
    placements = []
    for days_ago, host in zip((3, 2, 1), HOSTS, strict=True):
        placement = _placement(participant, host, outcomes_status="submitted")
        decision = OutcomesDecision.objects.create(
            placement=placement, by=participant.user, action="submitted"
        )
        OutcomesDecision.objects.filter(pk=decision.pk).update(at=now - dt.timedelta(days=days_ago))
        placements.append(placement)

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(10_000)
    phone = context.new_page()
    sign_in(phone, started.line_manager.email)
    tasks = phone.get_by_role("region", name="What to do next")
    # The oldest first.
    first = tasks.get_by_role("link").first
    expect(first).to_have_text(f"Review Pat Participant's learning outcomes for {HOSTS[0]}")
    assert_accessible(phone)
    first.click()

    for index, host in enumerate(HOSTS):
        expect(phone).to_have_url(re.compile(rf"/placements/{placements[index].pk}/"))
        expect(phone.get_by_role("heading", level=1)).to_contain_text(host)
        with phone.expect_navigation():
            phone.get_by_role("button", name="Approve outcomes").click()
        status = phone.get_by_role("status").first
        expect(status).to_contain_text("Learning outcomes approved.")
        if index + 1 < len(HOSTS):
            expect(status).to_contain_text(
                f"Next: Pat Participant's learning outcomes for {HOSTS[index + 1]}"
            )
        assert_accessible(phone)

    expect(phone).to_have_url(re.compile(r"/approvals/$"))
    expect(phone.get_by_role("status").first).to_contain_text(
        "No more learning outcomes are waiting for you."
    )
    expect(phone.get_by_text("Nothing is waiting for you.")).to_be_visible()
    approved = Placement.objects.filter(
        pk__in=[p.pk for p in placements], outcomes_status="approved"
    )
    assert approved.count() == len(HOSTS)
    context.close()
