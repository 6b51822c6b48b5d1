"""Equality monitoring in a browser (issue 19, item 8): after submitting an Expression of
Interest, one applicant answers the optional questions and another skips them. axe checks
every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from i2i.rules import add_months
from participants import recruitment
from participants.models import CohortPlaces, EqualityMonitoring
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import CohortFactory, EducationLeadFactory, OrganisationFactory, UserFactory
from tests.participants.conftest import COMPLETE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drafts(db):
    """Two applicants, each with a complete draft ready to submit."""
    today = timezone.localdate()
    cohort = CohortFactory(
        name="Cohort 9",
        status="recruiting",
        programme_start=add_months(today, 2),
        eoi_opens=today - dt.timedelta(days=3),
        eoi_closes=today + dt.timedelta(days=10),
    )
    employer = OrganisationFactory(name="Marshgate Trust", is_partner=True)
    CohortPlaces.objects.create(cohort=cohort, organisation=employer, places=2)
    EducationLeadFactory(organisation=employer)
    manager = UserFactory(email="lm@marshgate.example")
    drafts = []
    for name in ("Ash Applicant", "Bea Applicant"):
        applicant = UserFactory(full_name=name)
        eoi = recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant)
        recruitment.eoi_save(
            eoi=eoi,
            by=applicant,
            **{
                **COMPLETE,
                "line_manager_email": manager.email,
                "qualified_on": add_months(today, -30),
                "last_appraisal_on": add_months(today, -3),
            },
        )
        drafts.append(eoi)
    return drafts


def _submit(page, eoi):
    sign_in(page, eoi.applicant.email)
    page.goto(f"/expressions-of-interest/{eoi.pk}/edit/")
    page.get_by_role("button", name="Submit Expression of Interest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality monitoring (optional)")
    expect(page.get_by_role("status").first).to_contain_text("Submitted")


def test_the_applicant_answers_the_optional_step(page, drafts):
    eoi = drafts[0]
    _submit(page, eoi)
    expect(page.get_by_role("heading", name="Who sees your answers")).to_be_visible()
    expect(page.get_by_text("only as counts across all applicants of 5 or more")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name=re.compile("^Age")).get_by_label("35 to 44").check()
    page.get_by_role("group", name="Sex (optional)").get_by_label("Prefer not to say").check()
    page.get_by_role("group", name=re.compile("^Ethnic group")).get_by_label(
        "Mixed or multiple ethnic groups"
    ).check()
    page.get_by_role("group", name=re.compile("^Do you consider yourself")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_role("status").first).to_contain_text("equality monitoring answers")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ash Applicant: Cohort 9")
    assert_accessible(page)
    answers = EqualityMonitoring.objects.get(eoi=eoi)
    assert (answers.age_band, answers.sex, answers.ethnic_group, answers.disability) == (
        "35_44",
        "prefer_not_to_say",
        "mixed",
        "no",
    )
    assert answers.religion == ""  # not answered

    # Coming back, they see and may change their own answers.
    page.get_by_role("link", name="Equality monitoring (optional)").click()
    expect(
        page.get_by_role("group", name=re.compile("^Age")).get_by_label("35 to 44")
    ).to_be_checked()


def test_the_applicant_skips_the_optional_step(page, drafts):
    eoi = drafts[1]
    _submit(page, eoi)
    page.get_by_role("link", name="Skip this step").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bea Applicant: Cohort 9")
    assert_accessible(page)
    assert not EqualityMonitoring.objects.exists()
