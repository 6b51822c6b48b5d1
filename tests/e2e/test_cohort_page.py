"""The cohort page in a browser: one primary action for the cohort's stage, the others as
links under "Other actions", the cohort's window once above a table that does not repeat
it; on a desk and on a phone, accessibly."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _near_its_workshop(cohort):
    today = timezone.localdate()
    cohort.programme_start = today - dt.timedelta(weeks=20)
    cohort.workshop_date = today + dt.timedelta(weeks=2)
    cohort.save()
    return cohort


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_the_cohort_page_leads_with_the_stages_action(page, world, viewport):
    cohort = _near_its_workshop(world.participant.cohort)
    page.set_viewport_size(viewport)
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("cohort_detail", args=[cohort.pk]))

    main = page.get_by_role("main")
    expect(main.locator(".btn")).to_have_count(1)
    primary = main.get_by_role("link", name="Make the workshop pack")
    expect(primary).to_be_visible()
    why = f"The workshop is on {date_format(cohort.workshop_date)}."
    expect(main.get_by_text(why)).to_be_visible()
    others = page.get_by_role("navigation", name="Other actions")
    expect(others.get_by_role("link")).to_have_count(6)
    expect(others.get_by_role("link", name="Open the dashboard")).to_be_visible()

    window = f"{date_format(cohort.programme_start)} to {date_format(cohort.programme_end)}"
    expect(main.get_by_text(window)).to_have_count(1)
    table = main.get_by_role("table", name="Participants in this cohort")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two participants
    expect(table.get_by_text(cohort.name)).to_have_count(0)
    expect(table.get_by_role("columnheader", name="Programme window")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)

    primary.click()
    expect(page).to_have_url(reverse("workshop_pack", args=[cohort.pk]))
