"""The run chart split at each change (issue #21 review): each phase has its own median and
its own run rules, as the Making Data Count chart has its own limits, so that a baseline
before a deliberate change is not read as "a concern". Expected values worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from improvements.charts import run_chart_svg
from improvements.runcharts import Point, analyse_run_chart
from tests.factories import DataPointFactory, ImprovementInitiativeFactory, MeasureFactory

# Days from referral to first visit, lower is better: 8 weeks before the change, 8 after.
BEFORE = [9, 10, 9, 11, 10, 9, 10, 11]
AFTER = [6, 5, 6, 5, 7, 6, 5, 6]
START = dt.date(2027, 1, 4)
TODAY = dt.datetime(2027, 9, 1, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _points(values, change_at=None):
    return [
        Point(
            date=START + dt.timedelta(weeks=i),
            value=v,
            starts_phase=i == change_at,
            phase_label="One-page summary" if i == change_at else "",
        )
        for i, v in enumerate(values)
    ]


def test_one_median_across_the_change_calls_the_baseline_a_concern():
    # All 16 sorted: 5 5 5 6 6 6 6 7 | 9 9 9 10 10 10 11 11; the median is (7 + 9) / 2 = 8.
    # Every baseline point is above 8: a shift of 8, and lower is better, so a concern.
    analysis = analyse_run_chart(_points(BEFORE + AFTER), higher_is_better=False)
    assert analysis.median == 8
    assert [s.kind for s in analysis.signals][:1] == ["shift"]
    assert analysis.signals[0].improvement is False


def test_each_phase_has_its_own_median_and_the_change_is_no_concern():
    analysis = analyse_run_chart(_points(BEFORE + AFTER, change_at=8), higher_is_better=False)
    # Before: 9 9 9 10 10 11 11 (and 10) sorted 9 9 9 10 10 10 11 11, median (10 + 10) / 2
    # = 10; sides - 0 - + 0 - 0 +: no 6 on one side, no 5 rising or falling.
    # After: 5 5 5 6 6 6 6 7, median (6 + 6) / 2 = 6; sides 0 - 0 - + 0 - 0: nothing.
    # 4 and 5 points off the medians: too few to judge the runs in either phase.
    assert [(p.first, p.last, p.median) for p in analysis.phases] == [(0, 7, 10), (8, 15, 6)]
    assert [p.useful_observations for p in analysis.phases] == [5, 4]
    assert analysis.signals == ()
    assert analysis.median == 6  # the latest phase's
    assert "the median is 10" in analysis.summary
    assert "Change 1: One-page summary" in analysis.summary
    assert "the median is 6" in analysis.summary
    assert "No signals of non-random variation were found." in analysis.summary


def test_a_shift_within_a_phase_is_still_found_against_that_phases_median():
    # After the change: 7 7 7 7 7 7 then 3 3 3 3 3 3 (12 points), median (7 + 3) / 2 = 5:
    # six above, then six below, an improvement (lower is better) and a concern.
    after = [7] * 6 + [3] * 6
    analysis = analyse_run_chart(_points(BEFORE + after, change_at=8), higher_is_better=False)
    assert analysis.phases[1].median == 5
    shifts = [s for s in analysis.signals if s.kind == "shift"]
    assert [(s.indices, s.improvement) for s in shifts] == [
        (tuple(range(8, 14)), False),
        (tuple(range(14, 20)), True),
    ]
    assert "below the median of 5 (Change 1: One-page summary)" in shifts[1].sentence
    # A trend does not run across the change: 11 (the last baseline point) to 7 is not
    # counted with the points after it.
    assert all(min(s.indices) >= 8 or max(s.indices) <= 7 for s in analysis.signals)


def test_the_chart_draws_a_median_for_each_phase_and_marks_the_change():
    points = _points(BEFORE + AFTER, change_at=8)
    svg = run_chart_svg(points, analyse_run_chart(points, False), title="Days")
    assert svg.count('class="phase-line mean"') == 2
    assert 'class="phase-change"' in svg
    assert "Median 6" in svg


@pytest.fixture
def measure(world):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    measure = MeasureFactory(initiative=initiative, direction="lower", target=Decimal("7"))
    for i, value in enumerate(BEFORE + AFTER):
        DataPointFactory(
            measure=measure,
            date=world.participant.cohort.programme_start + dt.timedelta(weeks=i),
            value=value,
            starts_phase=i == 8,
            phase_label="One-page summary" if i == 8 else "",
        )
    return measure


def test_the_initiative_page_reads_the_run_chart_per_phase(client, world, measure):
    client.force_login(world.participant.user)
    page = client.get(reverse("initiative_detail", args=[world.participant.pk])).content.decode()
    assert "Concern</span> A shift" not in page
    assert "No signals of non-random variation were found." in page
    assert "the median is 10" in page and "the median is 6" in page
