"""The programme manager opens the dashboard, filters to at-risk, exports CSV, makes the
workshop pack and downloads it; and pages through a long dashboard."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from i2i import paging
from participants.models import WorkshopConsent
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ReflectiveAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_csv_and_workshop_pack(browser, live_server, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=20)
    cohort.save()
    ReflectiveAccountFactory(
        placement__participant=world.participant, workshop_learning="Call before discharge."
    )
    WorkshopConsent.objects.create(participant=world.participant, include=True)

    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, world.programme_manager.email)
    page.goto(f"/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Open the dashboard").click()
    expect(page.get_by_role("heading", name="At risk or missed (2)")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Status").select_option(label="At risk")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".dashboard-table tbody tr")).to_have_count(2)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Pat Participant" in csv_text and "At risk" in csv_text

    page.goto(f"/cohorts/{cohort.pk}/workshop-pack/")
    assert_accessible(page)
    page.get_by_role("button", name="Make the workshop pack (PDF)").click()
    expect(page.get_by_role("status").first).to_contain_text("Your file is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download workshop-pack").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.goto(f"/cohorts/{cohort.pk}/workshop-pack/")
    expect(page.get_by_role("link", name="Download")).to_have_count(1)
    context.close()


def test_dashboard_pages_keep_the_sort(browser, live_server, world, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)  # the two participants make two pages
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=20)
    cohort.save()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, world.programme_manager.email)
    page.goto(f"/cohorts/{cohort.pk}/dashboard/")
    page.get_by_label("Sort by").select_option(label="Name")
    page.get_by_role("button", name="Show").click()
    table_pages = page.get_by_role("navigation", name="Pages of participants")
    expect(table_pages).to_be_visible()
    expect(page.get_by_role("navigation", name="Pages of the at-risk list")).to_be_visible()
    assert_accessible(page)

    table_pages.get_by_role("link", name="Page 2").click()
    expect(page.get_by_text("Showing 2–2 of 2")).to_be_visible()
    rows = page.locator(".dashboard-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Pat Participant")  # by name: Olly, then Pat
    expect(page.get_by_label("Sort by")).to_have_value("name")
    expect(table_pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    context.close()
