"""A date typed the GOV.UK and NHS way in a browser set to American English: Day, Month and
Year boxes (never the browser's mm/dd/yyyy picker), saved and shown as "3 December 2026";
a date that is not one is explained beside the field with what was typed kept."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from participants.models import SponsorMeeting
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
# A week after the day the sponsor met the participant, in the cohort's programme.
TODAY = dt.datetime(2026, 12, 10, 10, tzinfo=LONDON)
INVALID = re.compile(r"\bis-invalid\b")


def test_a_date_typed_in_parts_is_explained_kept_saved_and_shown_in_words(
    browser, live_server, world
):
    cohort = world.participant.cohort
    cohort.programme_start = dt.date(2026, 11, 2)
    cohort.save()
    with time_machine.travel(TODAY, tick=True):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, world.sponsor.email)
        page.goto(reverse("sponsor_meeting", args=[world.participant.pk]))

        date = page.get_by_role("group", name="Date of the meeting")
        expect(date).to_contain_text("For example, 27 3 2026")
        expect(page.locator("input[type=date]")).to_have_count(0)
        day, month, year = (date.get_by_label(p, exact=True) for p in ("Day", "Month", "Year"))
        for box in (day, month, year):
            expect(box).to_have_attribute("type", "text")
            expect(box).to_have_attribute("inputmode", "numeric")
        assert_accessible(page)

        # The 31st of November: the message beside the date, the day alone marked, all kept.
        day.fill("31")
        month.fill("11")
        year.fill("2026")
        page.get_by_label("Notes").fill("Talked through why we take part.")
        page.get_by_role("button", name="Record meeting").click()
        message = "Date of the meeting must be a real date"
        expect(date.locator(".invalid-feedback")).to_have_text(message)
        expect(date).to_have_attribute("aria-describedby", "id_met_on-hint id_met_on_error")
        expect(day).to_have_value("31")
        expect(month).to_have_value("11")
        expect(year).to_have_value("2026")
        expect(page.get_by_label("Notes")).to_have_value("Talked through why we take part.")
        expect(day).to_have_attribute("aria-invalid", "true")
        expect(day).to_have_class(INVALID)
        for box in (month, year):
            expect(box).not_to_have_attribute("aria-invalid", "true")
            expect(box).not_to_have_class(INVALID)
        # The error summary's link takes the person to the day.
        page.locator(".error-summary").get_by_role("link", name=message).click()
        expect(day).to_be_focused()
        assert_accessible(page)

        # A month left out is asked for; the month is marked, the day and year kept.
        day.fill("3")
        month.fill("")
        page.get_by_role("button", name="Record meeting").click()
        expect(date.locator(".invalid-feedback")).to_have_text(
            "Date of the meeting must include a month"
        )
        expect(month).to_have_attribute("aria-invalid", "true")
        expect(day).not_to_have_attribute("aria-invalid", "true")
        expect(day).to_have_value("3")
        expect(year).to_have_value("2026")
        assert not SponsorMeeting.objects.exists()

        # The month by its name; saved, and shown as people write dates.
        month.fill("Dec")
        page.get_by_role("button", name="Record meeting").click()
        expect(page.get_by_role("status").first).to_contain_text("Meeting recorded")
        expect(page.get_by_text("Met 3 December 2026")).to_be_visible()
        assert_accessible(page)
        context.close()
    assert SponsorMeeting.objects.get().met_on == dt.date(2026, 12, 3)
