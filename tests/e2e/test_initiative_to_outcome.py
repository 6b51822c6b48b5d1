"""From a plan agreed to "implemented and reviewed" (issue #21): the participant completes a
PDSA cycle and adds data after the change, asks their line manager to review the
implementation, the line manager confirms it, and the participant's progress shows the
improvement commitment met. axe on every page on the way."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from improvements import services
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import ImprovementInitiativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The cohort starts on 1 March 2027; this is eleven weeks in.
TODAY = dt.datetime(2027, 5, 17, 10, tzinfo=ZoneInfo("Europe/London"))


def _page(browser, live_server, email):
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, email)
    return page


def test_from_plan_agreed_to_implemented_and_reviewed(browser, live_server, world):
    pk = world.participant.pk
    with time_machine.travel(TODAY, tick=True):
        initiative = ImprovementInitiativeFactory(participant=world.participant)
        services.initiative_submit(initiative=initiative, by=world.participant.user)
        services.initiative_agree(initiative=initiative, by=world.line_manager)

        page = _page(browser, live_server, world.participant.user.email)
        page.goto(f"/participants/{pk}/improvement/")
        panel = page.locator("#review-panel")
        expect(panel).to_contain_text("A completed PDSA cycle")
        expect(panel).to_contain_text("Data after the change")
        expect(page.get_by_role("button", name="Ask your line manager")).to_have_count(0)
        assert_accessible(page)

        # A PDSA cycle, completed: an end date and what was decided.
        page.get_by_role("link", name="Add a PDSA cycle").click()
        page.get_by_label("Plan: the change to test").fill("Send the summary with each referral")
        page.get_by_label("Plan: what you predict will happen").fill("Fewer days to first visit")
        fill_date(page, "Start date", dt.date(2027, 4, 5))
        page.get_by_label("Adopt").check()
        fill_date(page, "End date", dt.date(2027, 4, 26))
        assert_accessible(page)
        page.get_by_role("button", name="Save cycle").click()
        expect(page.get_by_role("status").first).to_contain_text("PDSA cycle saved")
        expect(page.locator("#review-panel")).not_to_contain_text("A completed PDSA cycle")

        # An outcome measure of what service users experience, with data after the change.
        expect(page.get_by_text("Add at least one outcome measure")).to_be_visible()
        page.get_by_role("link", name="Add a measure").click()
        page.get_by_label("Name").fill("Knew who would visit after going home")
        page.get_by_label("Outcome: what changes for service users or patients").check()
        page.get_by_label("It measures service users' or patients' experience").check()
        page.get_by_label("Definition").fill("Out of those asked at the first visit.")
        page.get_by_label("Unit").fill("%")
        page.get_by_label("Higher is better").check()
        assert_accessible(page)
        page.get_by_role("button", name="Save measure").click()
        rows = "05/04/2027\t40\n19/04/2027\t70\n03/05/2027\t85"
        page.get_by_label("Paste two columns from a spreadsheet").fill(rows)
        page.get_by_role("button", name="Add pasted data").click()
        expect(page.get_by_role("status").first).to_contain_text("Added 3 data points")
        assert_accessible(page)

        # Implemented: now the review can be asked for.
        page.goto(f"/participants/{pk}/improvement/")
        expect(page.get_by_text("Add at least one outcome measure")).to_have_count(0)
        page.get_by_role(
            "button", name="Ask your line manager to review the implementation"
        ).click()
        expect(page.get_by_role("status").first).to_contain_text(
            "Sent to your line manager to review."
        )
        expect(page.locator("#review-panel")).to_contain_text("Waiting for line manager")
        assert_accessible(page)

        # The line manager finds it on their home page and confirms it.
        manager = _page(browser, live_server, world.line_manager.email)
        manager.goto("/")
        manager.get_by_role(
            "link", name="Review Pat Participant's implemented improvement initiative"
        ).click()
        assert_accessible(manager)
        manager.get_by_label("Comments for the participant").fill("Well done: keep it going.")
        manager.get_by_role("button", name="Confirm implemented and reviewed").click()
        expect(manager.get_by_role("status").first).to_contain_text(
            "Initiative confirmed implemented and reviewed."
        )
        expect(manager.locator("#review-panel")).to_contain_text(
            "Confirmed implemented and reviewed on 17 May 2027"
        )
        assert_accessible(manager)

        # The participant's progress shows the commitment met.
        page.goto(f"/participants/{pk}/")
        commitment = page.get_by_text(
            "Your improvement initiative is implemented and was reviewed by your line "
            "manager on 17 May 2027."
        )
        expect(commitment).to_be_visible()
        assert_accessible(page)
