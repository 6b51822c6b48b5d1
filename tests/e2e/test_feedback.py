"""A participant whose placement is complete gives feedback on the host from the placement
page, and reads it back there, with the host's feedback for them (issue #20); each page
passes axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements import feedback
from placements.models import HostFeedback
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, HostPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complete(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=6)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant, status="complete")
    for n in range(4):
        HalfDayFactory(
            placement=placement,
            date=cohort.programme_start + dt.timedelta(days=1 + n),
            session="am" if n % 2 == 0 else "pm",
        )
    host = HostPersonFactory(organisation=placement.organisation).user
    feedback.participant_feedback_give(
        placement=placement, by=host, comment="Asked good questions at every handover."
    )
    return placement


def test_the_participant_gives_feedback_on_the_host(page, world, complete):
    sign_in(page, world.participant.user.email)
    page.goto(f"/placements/{complete.pk}/")
    expect(page.get_by_text("Asked good questions at every handover.")).to_be_visible()
    expect(page.get_by_text("9:00am to 12:30pm").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Give feedback on {complete.organisation}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save feedback").click()  # nothing chosen or written
    expect(page.locator(".error-summary")).to_contain_text("Choose a rating or write a comment")
    assert_accessible(page)

    page.get_by_label("Good", exact=True).check()
    page.get_by_label("What went well, and what could be better").fill(
        "A clear induction; I would have liked to sit in on a referral meeting."
    )
    page.get_by_role("button", name="Save feedback").click()
    expect(
        page.get_by_role("heading", name=f"Placement with {complete.organisation}")
    ).to_be_visible()
    expect(page.get_by_text("sit in on a referral meeting")).to_be_visible()
    assert_accessible(page)
    saved = HostFeedback.objects.get(placement=complete)
    assert saved.rating == 4
