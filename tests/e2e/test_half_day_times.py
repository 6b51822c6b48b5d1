"""The half-day form's times (issue #20): choosing the afternoon fills its typical times,
a time the participant typed is kept, and the page passes axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from placements.models import HalfDay
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import ApprovedPlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_session_fills_the_times_and_the_participant_changes_them(page, world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=6)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    sign_in(page, world.participant.user.email)
    page.goto(f"/placements/{placement.pk}/half-days/new/")
    page.wait_for_load_state("load")
    assert_accessible(page)
    starts, ends = page.get_by_label("Start time"), page.get_by_label("End time")
    page.get_by_label("Morning").check()
    expect(starts).to_have_value("09:00")
    expect(ends).to_have_value("12:30")
    page.get_by_label("Afternoon").check()
    expect(starts).to_have_value("13:30")
    expect(ends).to_have_value("17:00")
    ends.fill("16:15")
    page.get_by_label("Morning").check()  # the end time typed stays
    page.get_by_label("Afternoon").check()
    expect(ends).to_have_value("16:15")

    fill_date(page, "Date", timezone.localdate() - dt.timedelta(days=2))
    page.get_by_label("Who you met").fill("Duty manager")
    page.get_by_label("Front line").check()
    page.get_by_label("Yes: it is completed").check()
    page.get_by_role("button", name="Save half-day").click()
    expect(page.get_by_text("1:30pm to 4:15pm")).to_be_visible()
    assert HalfDay.objects.get().times == "1:30pm to 4:15pm"
