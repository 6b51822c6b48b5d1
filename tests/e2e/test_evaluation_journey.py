"""Participants answer the self-assessment at the start and at the end; the programme
manager opens the cohort's evaluation report and downloads it as a PDF."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluation import services
from programme import evaluation_report as report
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_all(page, point: str, contacts: str, skip: str = ""):
    """Choose the same labelled point for every scale question (but `skip`), and type the
    count."""
    for group in page.locator("fieldset").all():
        if skip and group.locator("legend").inner_text() == skip:
            continue
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
    expect(page.get_by_text("Enter a whole number, like 4.")).to_have_count(2)
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
    page.get_by_role("link", name="Read the evaluation report").click()
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
    side_by_side = page.get_by_role("region", name="Cohorts side by side", exact=True)
    expect(side_by_side.get_by_role("link", name=cohort.name)).to_be_visible()
    assert_accessible(page)
    page.goto(f"/cohorts/{cohort.pk}/self-assessment/")
    expect(page.get_by_text("The questions are fixed")).to_be_visible()
    assert_accessible(page)
    context.close()


FIRST_QUESTION = (
    "How well do you understand the challenges faced by staff in other organisations along "
    "your patients’ or service users’ care pathway?"
)
COUNT_QUESTION = "How many people in other organisations could you call for advice?"


def test_the_start_questionnaire_on_a_phone(page, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=1)
    cohort.save()
    deadline = date_format(services.before_closes(world.participant))
    page.set_viewport_size({"width": 375, "height": 667})
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{world.participant.pk}/")
    expect(page.get_by_text(f"Answer by {deadline}")).to_be_visible()
    expect(page.get_by_text("Opens on")).to_be_visible()
    page.get_by_role("link", name="Answer the questions (at the start)").click()
    expect(page.get_by_text(f"Answer by {deadline}.")).to_be_visible()
    expect(page.get_by_text("once saved, they cannot be changed")).to_be_visible()

    # Each answer is a Bootstrap form-check: a radio that can be seen, set apart from its
    # words, on a row tall enough to tap with a thumb.
    first = page.get_by_role("group", name=FIRST_QUESTION)
    radio = first.get_by_role("radio", name="1 – Very little")
    label = first.locator("label", has_text="1 – Very little")
    expect(radio).to_have_class(re.compile(r"\bform-check-input\b"))
    radio_box, label_box = radio.bounding_box(), label.bounding_box()
    assert radio_box["width"] >= 20 and radio_box["height"] >= 20, radio_box
    assert label_box["height"] >= 44, label_box
    assert label_box["x"] - (radio_box["x"] + radio_box["width"]) >= 8

    # The first question unanswered and the count not a number.
    answer_all(page, "3 –", "lots", skip=FIRST_QUESTION)
    page.get_by_role("button", name="Save my answers").click()
    expect(page).to_have_title(re.compile(r"^Error: Self-assessment: at the start"))
    assert_accessible(page)

    # The summary's link brings the question and its message into view, not the first radio.
    page.get_by_role("link", name=f"{FIRST_QUESTION} Choose one answer.").click()
    expect(first).to_be_focused()
    expect(first.locator("legend")).to_be_in_viewport(ratio=1)
    expect(first.get_by_text("Choose one answer.")).to_be_in_viewport(ratio=1)
    page.get_by_role("link", name=f"{COUNT_QUESTION} Enter a whole number, like 4.").click()
    count = page.get_by_label(COUNT_QUESTION)
    expect(count).to_be_focused()
    expect(count).to_have_attribute("aria-invalid", "true")
    expect(count).to_have_accessible_description(re.compile(r"Enter a whole number, like 4\.$"))

    # Meanwhile Pat answers in another tab; this tab's answers are refused, and say so.
    other = page.context.new_page()
    other.goto(page.url)
    answer_all(other, "5 –", "9")
    other.get_by_role("button", name="Save my answers").click()
    expect(other.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    answer_all(page, "2 –", "4")
    page.get_by_role("button", name="Save my answers").click()
    expect(
        page.get_by_role("alert").filter(has_text="These answers were not saved")
    ).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_text("5 – A great deal").first).to_be_visible()
    expect(page.get_by_text("2 – A little")).to_have_count(0)
    assert_accessible(page)
