"""The participant marks the change on data they pasted, and the Making Data Count chart
recalculates its limits from there: the baseline is no longer a concern, and the readings
show as icons with words, on pages that pass axe."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import DataPointFactory, ImprovementInitiativeFactory, MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Eight weeks around 21.4 days, then eight around 10.9 (worked by hand in test_spc.py).
BASELINE = [20, 22, 21, 23, 22, 21, 20, 22]
AFTER_CHANGE = [10, 11, 12, 10, 11, 12, 11, 10]


def test_mark_a_change_and_read_the_chart(browser, live_server, world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    measure = MeasureFactory(initiative=initiative, direction="lower", target=Decimal("15"))
    start = world.participant.cohort.programme_start
    for i, value in enumerate(BASELINE + AFTER_CHANGE):
        DataPointFactory(measure=measure, date=start + dt.timedelta(weeks=i), value=value)
    change_day = start + dt.timedelta(weeks=8)
    pk = world.participant.pk

    page = browser.new_context(base_url=live_server.url).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, world.participant.user.email)
    page.goto(f"/participants/{pk}/improvement/measures/{measure.pk}/data/")
    assert_accessible(page)
    page.get_by_label("The first point after the change").select_option(
        label=f"{change_day.day} {change_day:%B %Y}"
    )
    page.get_by_label("The change", exact=True).fill("Referral summary sent")
    page.get_by_role("button", name="Recalculate the limits from this point").click()
    expect(page.get_by_role("status").first).to_contain_text("Change marked")
    expect(page.get_by_role("cell", name="Referral summary sent")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/participants/{pk}/improvement/?view=xmr")
    chart = page.locator("svg.spc-chart")
    expect(chart).to_be_visible()
    expect(chart.locator(".phase-label")).to_contain_text("Change 1: Referral summary sent")
    expect(page.get_by_role("img", name="Common cause variation", exact=True)).to_be_visible()
    expect(
        page.get_by_role("img", name="Consistently passing the target", exact=True)
    ).to_be_visible()
    expect(page.locator(".reading-words").first).to_have_text("Common cause variation")
    page.get_by_text("The chart as a table").click()
    expect(
        page.get_by_role("region", name=f"Making Data Count table for {measure.name}")
    ).to_be_visible()
    assert_accessible(page)
