"""The heart of the product, clicked through in a browser: a participant plans three
placements, their line manager approves the learning outcomes on a phone, the participant
logs twelve half-days, and the four Plan-and-Do commitments turn met."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.models import Placement
from tests.e2e.conftest import assert_accessible, choose_organisation, fill_date, sign_in
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTS = ["Riverside Lane Medical Practice", "Willowbank Nursing Home", "Saltmarsh Housing"]


@pytest.fixture
def started(world):
    """The world's cohort started eight weeks ago, and three hosts are in the directory."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=8)
    cohort.save()
    for name in HOSTS:
        OrganisationFactory(name=name, sector="gp_practice")
    return world


def _plan(page, participant_pk, host):
    page.goto(f"/participants/{participant_pk}/")
    page.get_by_role("link", name="Plan a placement").click()
    # The organisation picker (tests/e2e/test_organisation_picker.py): type, then Enter.
    choose_organisation(page, "Host organisation", host)
    page.get_by_label("Name of the person to meet").fill(f"Named contact at {host}")
    page.get_by_label("Agreed with the host").check()
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learning outcomes")
    page.get_by_label("Learning outcome 1").fill(f"Understand how {host} receives referrals")
    page.get_by_role("button", name="Send to line manager").click()
    expect(page.get_by_role("status").first).to_contain_text("sent to your line manager")


def _log(page, placement, day, session):
    page.goto(f"/placements/{placement.pk}/")
    page.get_by_role("link", name="Log a half-day").click()
    fill_date(page, "Date", day)
    page.get_by_label("Morning" if session == "am" else "Afternoon", exact=True).check()
    page.get_by_label("Who you met").fill(f"Team member {day:%d %b} {session}")
    page.get_by_label("Front line").check()
    page.get_by_label("Yes: it is completed").check()
    page.get_by_role("button", name="Save half-day").click()
    expect(page.get_by_role("status").first).to_contain_text("Half-day saved")


def test_plan_approve_log_and_meet_the_commitments(browser, live_server, started):
    participant = started.participant
    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, participant.user.email)
    page.get_by_role("link", name="See your placements and commitments").click()
    assert_accessible(page)

    page.get_by_role("link", name="Plan a placement").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save placement").click()  # nothing chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Choose the host organisation")
    assert_accessible(page)
    for host in HOSTS:
        _plan(page, participant.pk, host)
    assert Placement.objects.filter(outcomes_status="submitted").count() == 3

    # The line manager, on a phone between visits.
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    ).new_page()
    sign_in(phone, started.line_manager.email)
    phone.get_by_role("link", name="3 sets of learning outcomes waiting").click()
    assert_accessible(phone)
    phone.get_by_role("link", name="Review").first.click()
    for _ in HOSTS:
        # Each decision takes them on to the next set waiting, then back to the list.
        with phone.expect_navigation():
            phone.get_by_role("button", name="Approve outcomes").click()
        expect(phone.get_by_role("status").first).to_contain_text("Learning outcomes approved.")
        assert_accessible(phone)
    expect(phone.get_by_text("Nothing is waiting for you.")).to_be_visible()

    # As if the outcomes had been approved on the programme's first day, so that the
    # half-days below can lie in the past.
    Placement.objects.update(
        outcomes_first_approved_at=timezone.make_aware(
            dt.datetime.combine(participant.cohort.programme_start, dt.time(9))
        )
    )

    start = participant.cohort.programme_start
    placements = list(Placement.objects.order_by("pk"))
    for index, placement in enumerate(placements):
        for n in range(4):
            _log(page, placement, start + dt.timedelta(days=1 + index * 7 + n), "am")
    page.goto(f"/placements/{placements[0].pk}/")
    assert_accessible(page)

    page.goto(f"/participants/{participant.pk}/")
    for title in (
        "Three placements with different organisations",
        "Four half-days with each placement organisation",
        "Within six months",
        "Learning outcomes agreed before each placement",
    ):
        item = page.locator(".commitment", has_text=title)
        expect(item.locator(".tag")).to_have_text("Complete")
    expect(page.get_by_text("Half-days: 12 of 12")).to_be_visible()
    assert_accessible(page)


def test_a_half_day_outside_the_window_is_refused_in_the_browser(browser, live_server, started):
    from tests.factories import ApprovedPlacementFactory

    placement = ApprovedPlacementFactory(participant=started.participant)
    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, started.participant.user.email)
    page.goto(f"/placements/{placement.pk}/half-days/new/")
    before = started.participant.cohort.programme_start - dt.timedelta(days=1)
    fill_date(page, "Date", before)
    page.get_by_label("Morning", exact=True).check()
    page.get_by_label("Who you met").fill("Duty manager")
    page.get_by_label("Senior leader").check()
    page.get_by_label("Not yet: it is planned").check()
    page.get_by_role("button", name="Save half-day").click()
    expect(page.get_by_role("alert")).to_contain_text("six-month window")
    expect(page.get_by_label("Who you met")).to_have_value("Duty manager")
    assert_accessible(page)
