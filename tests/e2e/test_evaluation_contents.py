"""The evaluation report in a browser: its contents list leads to each section; a cohort
with nothing to report says so, accessibly, and offers no PDF."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programme.evaluation_jobs import CHAPTERS
from tests.e2e.conftest import assert_accessible, sign_in
from tests.evaluation.test_report import evaluated  # noqa: F401 (a fixture)
from tests.factories import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_contents_list_leads_to_each_section(page, evaluated):  # noqa: F811
    cohort = evaluated.participant.cohort
    sign_in(page, evaluated.programme_manager.email)
    page.goto(reverse("cohort_evaluation", args=[cohort.pk]))
    contents = page.get_by_role("navigation", name="Contents")
    # "Who has not answered the self-assessment", then each chapter.
    expect(contents.get_by_role("link")).to_have_count(1 + len(CHAPTERS))
    assert_accessible(page)
    for name, target in (
        ("The network", "network-heading"),
        ("Ideas for improving I2I", "ideas-heading"),
        ("After the workshop", "follow-up-heading"),
        ("The commitments", "completion-heading"),
    ):
        contents.get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(f"#{target}$"))
        expect(page.locator(f"#{target}")).to_be_in_viewport()
        page.goto(reverse("cohort_evaluation", args=[cohort.pk]))


def test_a_cohort_with_nothing_to_report_says_so(page, world):
    cohort = CohortFactory(name="Spring intake", status="recruiting")
    sign_in(page, world.programme_manager.email)
    page.goto(reverse("cohort_evaluation", args=[cohort.pk]))
    expect(page.get_by_role("heading", name="Nothing to report yet")).to_be_visible()
    expect(page.get_by_role("button", name="Make the report as a PDF")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Contents")).to_have_count(0)
    assert_accessible(page)
