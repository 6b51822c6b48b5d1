"""The evaluation pages on a phone: the page reflows (no sideways scrolling of the page),
while wide tables and the charts scroll in their own boxes at a legible size."""

import pytest
from django.urls import reverse

from programme import evaluation_report as report
from tests.e2e.conftest import assert_accessible, sign_in
from tests.evaluation.test_report import evaluated  # noqa: F401 (a fixture)

PHONE = {"width": 390, "height": 844}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_evaluation_pages_reflow_on_a_phone(page, evaluated, monkeypatch):  # noqa: F811
    monkeypatch.setattr(report, "MIN_PAIRED", 1)  # so that every chart and table is drawn
    cohort = evaluated.participant.cohort
    page.set_viewport_size(PHONE)
    sign_in(page, evaluated.programme_manager.email)
    for url in (reverse("cohort_evaluation", args=[cohort.pk]), reverse("across_cohorts")):
        page.goto(url)
        assert _page_width(page) <= PHONE["width"], url
        charts = page.locator(".chart-scroll svg")
        assert charts.count() >= 1
        for index in range(charts.count()):
            chart = charts.nth(index)
            drawn = chart.bounding_box()["width"]
            # Drawn at its own size, so its 11 px words stay 11 px: the box scrolls instead.
            own = float(chart.get_attribute("viewBox").split()[2])
            assert drawn >= own - 1, (url, index, drawn, own)
            assert own > PHONE["width"]  # (so this page does test a chart wider than a phone)
        assert_accessible(page)
