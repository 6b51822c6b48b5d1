"""A concern in a browser (issue #20): the line manager, on a phone, raises a concern from the
placement page (meeting the form's errors first); the programme manager follows the home
task, records an action and closes it; the task is gone. axe checks every page."""

import re

import pytest
from playwright.sync_api import expect

from placements.models import Concern
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WHAT = "Did not arrive for the afternoon session; the ward could not reach them."


def test_a_line_manager_raises_a_concern_and_the_programme_manager_closes_it(
    browser, live_server, world
):
    placement = ApprovedPlacementFactory(participant=world.participant)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    sign_in(phone, world.line_manager.email)
    phone.goto(f"/placements/{placement.pk}/")
    phone.get_by_role("link", name="Raise a concern").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Raise a concern")
    expect(phone.get_by_text("If someone is in immediate danger, call 999.")).to_be_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Sent without saying what it is about: the summary links to the choice, the words kept.
    phone.get_by_label("What happened").fill(WHAT)
    phone.get_by_role("button", name="Raise the concern").click()
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(phone.get_by_label("What happened")).to_have_value(WHAT)
    assert_accessible(phone)

    phone.get_by_label("Did not attend").check()
    phone.get_by_role("button", name="Raise the concern").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Did not attend concern")
    expect(phone.get_by_text(WHAT)).to_be_visible()
    assert_accessible(phone)
    context.close()

    # The programme manager, on a laptop: the home task, the concern, an action, closed.
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(10_000)
    page = desk.new_page()
    sign_in(page, world.programme_manager.email)
    tasks = page.get_by_role("region", name="What to do next")
    tasks.get_by_role("link", name="Concerns to handle (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    assert_accessible(page)
    page.get_by_role("link", name="Did not attend").click()
    page.get_by_label("What you did").fill("Called the participant: a sick child; new date agreed.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.get_by_text("Action recorded.")).to_be_visible()
    page.get_by_label("How it was resolved").fill("New date agreed with the ward.")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_text("Concern closed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Reopen the concern")).to_be_visible()
    assert_accessible(page)
    assert Concern.objects.get().status == Concern.Status.CLOSED

    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("Concerns to handle"))).to_have_count(0)
    desk.close()
