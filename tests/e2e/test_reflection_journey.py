"""A participant writes a Gibbs account over two visits (autosave keeps the draft), which
their line manager cannot read until it is shared; the line manager asks for more and keeps
reading the version shared while the participant adds to it; shared again, they record the
discussion; the participant sees it and the reflections commitment turns met."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reflections.models import ReflectiveAccount
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ReflectiveAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_complete_placements(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=10)
    cohort.save()
    placements = []
    for index in range(3):
        placement = ApprovedPlacementFactory(participant=world.participant)
        for n in range(4):
            HalfDayFactory(
                placement=placement,
                date=cohort.programme_start + dt.timedelta(days=1 + index * 7 + n),
            )
        placements.append(placement)
    # The first two accounts were shared and discussed already: the journey's is the third.
    for placement in placements[:2]:
        ReflectiveAccountFactory(
            placement=placement,
            status="discussed",
            discussed_on=cohort.programme_start + dt.timedelta(weeks=4),
        )
    return placements[2]


def test_write_over_two_visits_share_discuss_and_meet(
    browser, live_server, world, three_complete_placements
):
    placement = three_complete_placements
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, world.participant.user.email)
    page.goto(f"/placements/{placement.pk}/")
    page.get_by_role("button", name="Write your reflective account").click()
    assert_accessible(page)

    page.get_by_label("Framework", exact=True).select_option(label="Gibbs' reflective cycle")
    page.get_by_role("button", name="Change framework").click()
    expect(page.get_by_role("status").first).to_contain_text("Switched to Gibbs")
    page.get_by_label("Description").fill("I spent a morning with the reablement team.")
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically", timeout=15_000)

    # Second visit: the draft survived without pressing any button.
    page.reload()
    expect(page.get_by_label("Description")).to_have_value(
        "I spent a morning with the reablement team."
    )
    page.get_by_label("Feelings").fill("Unsure at first, then welcomed.")
    page.get_by_label("Action plan").fill("Call the reablement lead before discharge.")
    page.get_by_label("Feelings").blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically", timeout=15_000)
    assert_accessible(page)

    # The draft, saved as it is typed, is not the line manager's to read.
    manager = browser.new_context(base_url=live_server.url).new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, world.line_manager.email)
    account = ReflectiveAccount.objects.get(placement=placement)
    manager.goto(f"/reflections/{account.pk}/")
    expect(manager.get_by_role("heading", name="Draft, not shared yet")).to_be_visible()
    expect(manager.get_by_text("I spent a morning with the reablement team.")).to_have_count(0)
    assert_accessible(manager)

    page.get_by_role("button", name="Share with line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("Shared with your line manager")
    assert_accessible(page)

    manager.reload()
    expect(manager.get_by_text("I spent a morning with the reablement team.")).to_be_visible()
    manager.get_by_label("What would you like them to add?").fill("What did the team do next?")
    manager.get_by_role("button", name="Ask for more").click()
    expect(manager.get_by_role("status").first).to_contain_text("Asked for more")

    # The participant adds to it; the line manager keeps reading what was shared.
    page.goto(f"/reflections/{account.pk}/edit/")
    page.get_by_label("Analysis").fill("They booked the first visit before the ward rang.")
    page.get_by_label("Analysis").blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved automatically", timeout=15_000)
    manager.reload()
    expect(manager.get_by_text("is adding to it after you asked for more")).to_be_visible()
    expect(manager.get_by_text("I spent a morning with the reablement team.")).to_be_visible()
    expect(manager.get_by_text("They booked the first visit")).to_have_count(0)
    assert_accessible(manager)

    page.get_by_role("button", name="Share with line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("Shared with your line manager")
    manager.reload()
    expect(manager.get_by_text("They booked the first visit before the ward rang.")).to_be_visible()
    manager.get_by_label("Comments for the participant").fill("A good start; let us follow up.")
    manager.get_by_role("button", name="Record discussion").click()
    expect(manager.get_by_role("status").first).to_contain_text("Discussion recorded")
    assert_accessible(manager)

    page.goto(f"/reflections/{account.pk}/")
    expect(page.get_by_text("A good start; let us follow up.")).to_be_visible()
    expect(page.locator(".tag-account-discussed").first).to_be_visible()
    page.goto(f"/participants/{world.participant.pk}/")
    item = page.locator(".commitment", has_text="A reflective account of each placement")
    expect(item.locator(".tag")).to_have_text("Complete")
    assert_accessible(page)

    page.goto(f"/reflections/{account.pk}/")
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    assert_accessible(page)
