"""Participants answer the self-assessment at the start and at the end; the programme
manager opens the cohort's evaluation report and downloads it as a PDF."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluation import report
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(page, point: str, contacts: str):
    """Choose the same labelled point for every scale question, and type the count."""
    for group in page.locator("fieldset").all():
        group.get_by_label(point, exact=False).first.check()
    page.get_by_label("How many people in other organisations could you call for advice?").fill(
        contacts
    )


def test_before_and_after_then_the_evaluation_report(browser, live_server, world, monkeypatch):
    # Figures show from one pair here (five in use, so that no one's answers can be read).
    monkeypatch.setattr(report, "MIN_PAIRED", 1)
    today = timezone.localdate()
    cohort = world.participant.cohort
    cohort.programme_start = today - dt.timedelta(weeks=2)
    cohort.save()
    host = OrganisationFactory(name="Fenbridge Reablement Service", sector="social_care")
    placement = ApprovedPlacementFactory(participant=world.participant, organisation=host)
    HalfDayFactory(placement=placement, date=cohort.programme_start, person_met="Reablement lead")

    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)

    # At the start: Pat answers on their progress page; a missing answer is explained first.
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/")
    page.get_by_role("link", name="Answer the questions (at the start)").click()
    assert_accessible(page)
    answer_all(page, "2 –", "3")
    page.get_by_label("How many people in other organisations could you call for advice?").fill(
        "three"
    )
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Enter a whole number for “People you could call”")).to_have_count(2)
    assert_accessible(page)
    page.get_by_label("How many people in other organisations could you call for advice?").fill("3")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible()
    assert_accessible(page)

    # Olly answers only at the start.
    page.context.clear_cookies()
    sign_in(page, world.other_participant.user.email)
    page.goto(f"/participants/{world.other_participant.pk}/self-assessment/before/")
    answer_all(page, "5 –", "30")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()

    # The workshop is near: the end-of-programme questions open and Pat answers again.
    cohort.workshop_date = today + dt.timedelta(days=10)
    cohort.save()
    page.context.clear_cookies()
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/")
    page.get_by_role("link", name="Answer the questions (at the end)").click()
    answer_all(page, "4 –", "8")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()

    # The programme manager reads the report and downloads the PDF.
    page.context.clear_cookies()
    sign_in(page, world.programme_manager.email)
    page.goto(f"/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Evaluation", exact=True).click()
    expect(page.get_by_role("heading", name=f"Evaluation: {cohort.name}")).to_be_visible()
    expect(page.get_by_text("1 participant answered the self-assessment both")).to_be_visible()
    leadership = page.get_by_role("row", name="Leadership skills")
    expect(leadership.get_by_role("cell").nth(1)).to_have_text("2")  # Pat's start, not Olly's
    expect(leadership.get_by_role("cell").nth(2)).to_have_text("4")
    expect(leadership.get_by_role("cell").nth(3)).to_have_text("+2")
    expect(page.get_by_role("cell", name="Fenbridge Reablement Service").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the report as a PDF").click()
    expect(page.get_by_role("status").first).to_contain_text("Your file is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download evaluation").click()
    with open(download.value.path(), "rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Evaluation report" in text and "Leadership skills" in text

    page.goto("/evaluation/")
    expect(page.get_by_role("link", name=cohort.name)).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cohorts/{cohort.pk}/self-assessment/")
    expect(page.get_by_text("The questions are fixed")).to_be_visible()
    assert_accessible(page)
    context.close()
