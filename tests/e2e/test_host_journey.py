"""A host person on a phone (issue #20): signs in with a code from their email, with no
password, finds the visit booked with them and what the visitor wants to learn, and
confirms it; every page passes axe."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from placements.models import HalfDay
from tests.e2e.conftest import assert_accessible
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    HostPersonFactory,
    LearningOutcomeFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OUTCOME = "See how admissions from hospital are planned with families."


@pytest.fixture
def visit(world):
    today = timezone.localdate()
    cohort = world.participant.cohort
    cohort.programme_start = today - dt.timedelta(days=30)
    cohort.save()
    larkhill = OrganisationFactory(name="Larkhill Care Home", sector="care_home")
    host = UserFactory(full_name="Robin Host", email="robin@larkhill.example")
    host.set_unusable_password()  # as the programme manager adds them: no password
    host.save()
    HostPersonFactory(user=host, organisation=larkhill)
    placement = ApprovedPlacementFactory(participant=world.participant, organisation=larkhill)
    LearningOutcomeFactory(placement=placement, text=OUTCOME)
    return HalfDayFactory(
        placement=placement, date=today + dt.timedelta(days=4), session="am", status="planned"
    )


def _code() -> str:
    (message,) = [m for m in mail.outbox if m.subject.endswith("Your sign-in code")]
    return re.search(r"Your sign-in code is:\s+(\S+)", message.body).group(1)


def test_a_host_signs_in_by_code_on_a_phone_and_confirms_a_visit(page, world, visit, settings):
    # Signing in by code verifies the address: allauth reads it, then the user's primary
    # address, two different lookups zeal takes for an N+1 (tests/test_emails.py says more).
    # The live server runs in its own thread, so the allowance is a setting, not a context.
    settings.ZEAL_ALLOWLIST = [
        *settings.ZEAL_ALLOWLIST,
        {"model": "account.EmailAddress", "field": "get()"},
    ]
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with a code sent by email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with a code")
    assert_accessible(page)
    page.get_by_label("Email address").fill("robin@larkhill.example")
    page.get_by_role("button", name="Email me a code").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    assert_accessible(page)
    page.get_by_label("Sign-in code").fill(_code())
    page.get_by_role("button", name="Sign in", exact=True).click()

    # The host's home: what to do next, and their visits.
    expect(page.get_by_role("heading", name="Visits you host")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Visits to Larkhill Care Home").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visits to Larkhill Care Home")
    card = page.locator(f"#half-day-{visit.pk}")
    expect(card).to_contain_text(str(world.participant.user))
    expect(card).to_contain_text("Staff nurse")
    expect(card).to_contain_text(OUTCOME)
    expect(card).to_contain_text("Waiting for your answer")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    # Proposing another time is a page of its own; the host thinks better of it.
    card.get_by_role("link", name=re.compile("^Propose another time")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Propose another time")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    card = page.locator(f"#half-day-{visit.pk}")
    card.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.get_by_text(f"on {date_format(visit.date)}. They have been told.")).to_be_visible()
    expect(page.locator(f"#half-day-{visit.pk}")).to_contain_text("Confirmed")
    assert_accessible(page)
    visit = HalfDay.objects.get(pk=visit.pk)
    assert visit.confirmed_by_name == "Robin Host"
