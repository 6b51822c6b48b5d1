"""The participant creates an initiative from their reflections' ideas, the line manager
agrees it, the participant adds a measure, pastes 20 data points and a PDSA cycle, and sees
the run chart with a detected shift explained in words."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import ReflectiveAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ten weeks around 9 days, then ten weeks around 4: a shift below the median.
VALUES = [9, 9, 8, 9, 10, 9, 9, 8, 9, 10, 5, 4, 5, 4, 5, 4, 5, 4, 3, 4]
# After the last of them (the cohort starts on 1 March 2027): no data point is dated after
# today.
TODAY = dt.datetime(2027, 9, 1, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=True):
        yield


def test_plan_agree_measure_and_see_a_shift(browser, live_server, world):
    ReflectiveAccountFactory(
        placement__participant=world.participant,
        answers={"improvement_ideas": "A one-page transfer summary agreed by both teams."},
    )
    pk = world.participant.pk
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{pk}/")
    page.get_by_role("link", name="Plan your improvement initiative").click()
    expect(page.get_by_text("A one-page transfer summary agreed by both teams.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("One-page transfer summary")
    page.get_by_label("The problem or opportunity").fill("Referrals arrive without key facts.")
    page.get_by_label("What are we trying to accomplish?").fill(
        "Cut days from referral to first visit from 9 to 5 by June."
    )
    page.get_by_label("How will we know that a change is an improvement?").fill(
        "Days from referral to first visit."
    )
    page.get_by_label("What changes can we make that will result in improvement?").fill(
        "A shared one-page summary sent with each referral."
    )
    page.get_by_label("Updating key forms").check()
    page.get_by_role("button", name="Save and send to line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("Sent to your line manager")

    manager = browser.new_context(base_url=live_server.url).new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, world.line_manager.email)
    manager.goto(f"/participants/{pk}/improvement/")
    manager.get_by_role("button", name="Agree initiative").click()
    expect(manager.locator("#agreement-panel")).to_contain_text("Initiative agreed.")
    assert_accessible(manager)

    page.goto(f"/participants/{pk}/improvement/")
    page.get_by_role("link", name="Add a measure").click()
    page.get_by_label("Name").fill("Days from referral to first visit")
    page.get_by_label("Definition").fill("Days from referral received to first visit.")
    page.get_by_label("Unit").fill("days")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Target").fill("5")
    page.get_by_role("button", name="Save measure").click()

    # Weekly from the programme start: inside the programme's years, and before today.
    start = world.participant.cohort.programme_start
    rows = "\n".join(
        f"{(start + dt.timedelta(weeks=i)):%d/%m/%Y}\t{v}" for i, v in enumerate(VALUES)
    )
    page.get_by_label("Paste two columns from a spreadsheet").fill("Date\tDays\n" + rows)
    page.get_by_role("button", name="Add pasted data").click()
    expect(page.get_by_role("status").first).to_contain_text("Added 20 data points")
    assert_accessible(page)

    page.goto(f"/participants/{pk}/improvement/")
    page.get_by_role("link", name="Add a PDSA cycle").click()
    page.get_by_label("Plan: the change to test").fill("Send the summary with every referral")
    page.get_by_label("Plan: what you predict will happen").fill("Fewer days to first visit")
    fill_date(page, "Start date", start + dt.timedelta(weeks=10))
    page.get_by_role("button", name="Save cycle").click()
    expect(page.get_by_role("status").first).to_contain_text("PDSA cycle saved")

    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    expect(page.locator(".signals")).to_contain_text("shift")
    expect(page.locator("figcaption").first).to_contain_text("shift")
    assert_accessible(page)
    page.get_by_role("link", name="Show the Making Data Count (XmR) chart").click()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_accessible(page)
