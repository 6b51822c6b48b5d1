"""The evaluation report printed from the browser: the report without the site's navigation,
buttons or forms; every section still there, each starting a new page as in the PDF, with
charts and table rows kept whole."""

import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from programme import evaluation_report as report
from programme.evaluation_jobs import CHAPTERS
from tests.e2e.conftest import assert_accessible, sign_in
from tests.evaluation.test_report import evaluated  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = "main section h2"


def _shown(page, selector) -> list[str]:
    return [
        locator.inner_text().strip()
        for locator in page.locator(selector).all()
        if locator.is_visible()
    ]


def test_the_report_prints_without_the_sites_controls(page, evaluated, monkeypatch):  # noqa: F811
    monkeypatch.setattr(report, "MIN_PAIRED", 1)  # so that every chart and table is drawn
    cohort = evaluated.participant.cohort
    sign_in(page, evaluated.programme_manager.email)
    page.goto(reverse("cohort_evaluation", args=[cohort.pk]))
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    assert_accessible(page)
    on_screen = _shown(page, SECTIONS)
    assert on_screen == [
        "Who has not answered the self-assessment",
        *(title for _, title in CHAPTERS),
    ]
    charts = page.locator("main .chart svg").count()
    assert charts >= 2

    page.emulate_media(media="print")
    assert _shown(page, SECTIONS) == on_screen
    for hidden in ("header", "footer", "main .btn", "main form", "nav[aria-label=Main]"):
        assert _shown(page, hidden) == [], hidden
    expect(page.get_by_role("heading", name=f"Evaluation: {cohort.name}")).to_be_visible()
    expect(page.get_by_role("link", name="All cohorts")).to_be_hidden()
    expect(page.get_by_text("Printed on")).to_contain_text(
        reverse("cohort_evaluation", args=[cohort.pk])
    )
    expect(page.locator("main .chart svg").first).to_be_visible()
    assert page.locator("main .chart svg").count() == charts
    style = page.evaluate(
        """() => {
        const s = (el) => getComputedStyle(document.querySelector(el));
        return {chapter: s("section.chapter").breakBefore, row: s("main tbody tr").breakInside,
                chart: s("main .chart").breakInside,
                scroll: s("main .chart-scroll").overflowX};
        }"""
    )
    assert style == {"chapter": "page", "row": "avoid", "chart": "avoid", "scroll": "visible"}

    # Chromium lays the print out: each chapter starts a page; nothing of the site's chrome.
    reader = PdfReader(io.BytesIO(page.pdf()))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= len(CHAPTERS) + 1
    assert f"Evaluation: {cohort.name}" in pages[0]
    starts = {title: None for _, title in CHAPTERS}
    for number, text in enumerate(pages):
        # Each page is numbered as in the PDF (print.css's footer); then its first line.
        footer = f"I2I Cohorts – page {number + 1} of {len(pages)}"
        assert footer in text
        first = text.replace(footer, "").lstrip().splitlines()[0]
        if first in starts and starts[first] is None:
            starts[first] = number
    assert None not in starts.values(), starts
    assert list(starts.values()) == sorted(starts.values())
    whole = "\n".join(pages)
    for chrome in ("Sign out", "Make the report as a PDF", "Print this page", "Your data"):
        assert chrome not in whole
