"""The programme manager opens the dashboard, filters to at-risk, exports CSV, makes the
workshop pack and downloads it."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

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
    expect(page.get_by_role("heading", name="At risk (2)")).to_be_visible()
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
