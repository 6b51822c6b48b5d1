"""Recruitment end to end: a member of staff submits an Expression of Interest, their line
manager confirms support, the education lead selects them, they join the cohort with their
sponsor and line manager, the sponsor records the meeting, the programme manager marks the
briefing register."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from i2i.rules import add_months
from participants.models import CohortPlaces, Participant
from tests.e2e.conftest import assert_accessible, choose_organisation, fill_date, sign_in
from tests.factories import (
    CohortFactory,
    EducationLeadFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, user):
    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, user.email)
    return page


def test_from_expression_of_interest_to_the_briefing_register(browser, live_server, world):
    today = timezone.localdate()
    cohort = CohortFactory(
        name="Cohort 7",
        status="recruiting",
        programme_start=add_months(today, 2),
        briefing_date=add_months(today, 2),
        eoi_opens=today - dt.timedelta(days=3),
        eoi_closes=today + dt.timedelta(days=10),
    )
    sponsor = UserFactory(full_name="Sol Sponsor")
    employer = OrganisationFactory(name="Marshgate Trust", is_partner=True, sponsor=sponsor)
    CohortPlaces.objects.create(cohort=cohort, organisation=employer, places=2)
    lead = EducationLeadFactory(organisation=employer, user__full_name="Lee Lead").user
    manager = UserFactory(full_name="Max Manager", email="max.manager@marshgate.example")
    applicant = UserFactory(full_name="Ash Applicant")

    page = _page(browser, live_server, applicant)
    page.get_by_role("link", name="Expressions of Interest").first.click()
    assert_accessible(page)
    choose_organisation(page, "Your employer", "Marshgate")  # the picker's one match
    page.get_by_role("button", name="Start an Expression of Interest").click()
    page.get_by_label("Profession", exact=True).fill("Occupational therapy")
    page.get_by_label("Professional registration body").fill("HCPC")
    page.get_by_label("Registration number").fill("OT12345")
    page.get_by_label("Job title").fill("Occupational therapist")
    fill_date(page, "Date you qualified", add_months(today, -30))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_contain_text("Draft saved")
    assert_accessible(page)
    page.locator("#id_performing_well_0").check()
    fill_date(page, "Date of your last appraisal", add_months(today, -3))
    page.locator("#id_aiming_senior_0").check()
    page.get_by_label("Which role").fill("Senior occupational therapist")
    page.get_by_label("Why do you want to take part?").fill(
        "I want to see how people manage at home after we discharge them, and what the "
        "community teams need from us."
    )
    page.get_by_label("I have discussed taking part with my line manager").check()
    page.get_by_label("Your line manager's email").fill(manager.email)
    page.get_by_role("button", name="Submit Expression of Interest").click()
    expect(page.get_by_role("status").first).to_contain_text("Submitted")
    assert_accessible(page)

    lm = _page(browser, live_server, manager)
    lm.goto("/expressions-of-interest/")
    lm.get_by_role("link", name="Ash Applicant: Cohort 7").click()
    assert_accessible(lm)
    lm.get_by_role("button", name="I support it").click()
    expect(lm.get_by_role("status").first).to_contain_text("your support is recorded")

    el = _page(browser, live_server, lead)
    el.goto("/expressions-of-interest/review/")
    expect(el.get_by_text("Supported by their line manager")).to_be_visible()
    assert_accessible(el)
    el.get_by_role("link", name="Ash Applicant").click()
    el.get_by_label("Selected", exact=True).check()
    el.get_by_label("Reason").fill("A strong fit with our discharge work.")
    el.get_by_role("button", name="Record decision").click()
    expect(el.get_by_role("status").first).to_contain_text("Decision recorded")
    assert_accessible(el)

    participant = Participant.objects.get(user=applicant, cohort=cohort)
    assert (participant.sponsor, participant.line_manager) == (sponsor, manager)

    sp = _page(browser, live_server, sponsor)
    sp.goto(f"/participants/{participant.pk}/")
    sp.get_by_role("link", name="Record a meeting").click()
    fill_date(sp, "Date of the meeting", today)
    sp.get_by_label("Notes").fill("Talked through why we take part; two contacts to follow.")
    sp.get_by_role("button", name="Record meeting").click()
    expect(sp.get_by_role("status").first).to_contain_text("Meeting recorded")
    assert_accessible(sp)

    pm = _page(browser, live_server, world.programme_manager)
    pm.goto(f"/cohorts/{cohort.pk}/")
    pm.get_by_role("link", name="Briefing and workshop register").click()
    pm.get_by_label("Briefing: Ash Applicant").select_option(label="Attended")
    pm.get_by_role("button", name="Save register").click()
    expect(pm.get_by_role("status").first).to_contain_text("Register saved (1 changed)")
    assert_accessible(pm)
    participant.refresh_from_db()
    assert participant.briefing_attended is True
