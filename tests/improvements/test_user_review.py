"""The user review of the initiative pages (issue #21's review): the chart switch on the
data page, dates after today, numbers too large, a cycle's end date, the page worded for
who reads it, the status once reviewed, and the organisations line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from improvements import review, services
from improvements.forms import DataPointForm, MeasureForm
from improvements.models import DataPoint, ImprovementInitiative, PDSACycle
from improvements.plan_forms import EstimatesForm, FeedbackForm
from programme.evaluation_report import cohort_evaluation
from tests.factories import (
    DataPointFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    OrganisationFactory,
)

TODAY = dt.datetime(2027, 5, 3, 10, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def _agreed(world, initiative):
    services.initiative_submit(initiative=initiative, by=world.participant.user)
    services.initiative_agree(initiative=initiative, by=world.line_manager)
    initiative.refresh_from_db()
    return initiative


def _implement(initiative):
    PDSACycle.objects.create(
        initiative=initiative,
        number=1,
        change="A one-page summary",
        prediction="Fewer calls",
        starts_on=dt.date(2027, 4, 5),
        ends_on=dt.date(2027, 4, 19),
        act="adopt",
    )
    DataPointFactory(measure=MeasureFactory(initiative=initiative), date=dt.date(2027, 4, 26))


def _url(name, world, *args):
    return reverse(name, args=[world.participant.pk, *args])


# --- 2. The Making Data Count chart on the measure's data page ---------------------------


def test_the_data_page_shows_the_xmr_chart_when_asked(client, world, initiative):
    measure = MeasureFactory(initiative=initiative)
    for i, value in enumerate([9, 10, 8, 9, 11, 9]):
        DataPointFactory(
            measure=measure, date=dt.date(2027, 3, 1) + dt.timedelta(weeks=i), value=value
        )
    client.force_login(world.participant.user)
    url = _url("measure_data", world, measure.pk)

    page = client.get(url).content.decode()
    assert 'class="run-chart"' in page and 'class="spc-chart"' not in page
    assert 'href="?view=xmr#chart"' in page

    page = client.get(url, {"view": "xmr"}).content.decode()
    assert 'class="spc-chart"' in page and 'class="run-chart"' not in page
    assert "Making Data Count (XmR) chart</h2>" in page
    assert 'href="?view=run#chart"' in page


# --- 3. A data point dated after today ------------------------------------------------------


def test_a_data_point_after_today_is_refused_next_to_the_date(client, world, initiative):
    measure = MeasureFactory(initiative=initiative)
    client.force_login(world.participant.user)
    url = _url("measure_data", world, measure.pk)
    response = client.post(
        url,
        {"action": "add", "date-day": "4", "date-month": "5", "date-year": "2027", "value": "12"},
    )
    assert response.status_code == 200
    form = response.context["point_form"]
    assert form.errors["date"] == ["The date must be today or in the past"]
    page = response.content.decode()
    assert 'value="4"' in page and 'value="12"' in page  # what was typed is kept
    assert not DataPoint.objects.exists()

    # Today is fine: the day the request runs, in the programme's time zone.
    response = client.post(url, {"action": "add", "date": "2027-05-03", "value": "12"})
    assert response.status_code == 302
    assert DataPoint.objects.get().date == timezone.localdate() == dt.date(2027, 5, 3)


def test_a_pasted_row_after_today_is_refused(client, world, initiative):
    measure = MeasureFactory(initiative=initiative)
    client.force_login(world.participant.user)
    response = client.post(
        _url("measure_data", world, measure.pk),
        {"action": "paste", "data": "03/05/2027\t9\n04/05/2027\t8"},
    )
    assert response.status_code == 200
    assert response.context["paste_form"].errors["data"] == [
        "Line 2: 4 May 2027 is after today; the date must be today or in the past."
    ]
    assert not DataPoint.objects.exists()


# --- 4. Numbers too large, in plain words ----------------------------------------------------

FIFTY_DIGITS = "9" * 50


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1000000000", "Enter a value of 999,999,999 or less"),
        (FIFTY_DIGITS, "Enter a value of 999,999,999 or less"),
        ("-" + FIFTY_DIGITS, "Enter a value of -999,999,999 or more"),
        ("1.2345", "Enter a value with no more than 3 decimal places"),
    ],
)
def test_a_data_point_value_too_large_is_explained(typed, message):
    form = DataPointForm({"date": "2027-03-01", "value": typed})
    assert form.errors == {"value": [message]}


@pytest.mark.parametrize("name", ["baseline", "target"])
def test_a_baseline_or_target_too_large_is_explained(name):
    data = {"name": "Days", "kind": "outcome", "definition": "Days", "direction": "lower"}
    form = MeasureForm({**data, name: "1" + "0" * 12})
    assert form.errors == {name: [f"Enter a {name} of 999,999,999 or less"]}
    form = MeasureForm({**data, name: FIFTY_DIGITS})
    assert form.errors == {name: [f"Enter a {name} of 999,999,999 or less"]}
    form = MeasureForm({**data, name: "2.0005"})
    assert form.errors == {name: [f"Enter a {name} with no more than 3 decimal places"]}


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("estimated_cost", "123456789012", "Enter a cost of £99,999,999.99 or less"),
        ("estimated_money_saved", FIFTY_DIGITS, "Enter money saved of £99,999,999.99 or less"),
        ("estimated_hours_saved", "12345678", "Enter hours saved of 999,999.9 or less"),
        ("estimated_cost", "12.345", "Enter a cost in pounds and pence, to 2 decimal places"),
        ("estimated_hours_saved", "1.25", "Enter hours saved to 1 decimal place"),
    ],
)
def test_an_estimate_too_large_is_explained(initiative, name, typed, message):
    form = EstimatesForm({name: typed}, instance=initiative)
    assert form.errors == {name: [message]}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (FIFTY_DIGITS, "Enter how many people answered, up to 100,000"),
        ("100001", "Enter how many people answered, up to 100,000"),
        ("0", "Enter how many people answered, 1 or more"),
        ("-3", "Enter how many people answered, 1 or more"),
    ],
)
def test_how_many_answered_is_explained(typed, message):
    form = FeedbackForm({"question": "Asked", "how_many": typed, "summary": "Said"})
    assert form.errors == {"how_many": [message]}
    assert FeedbackForm({"question": "Q", "how_many": "100000", "summary": "S"}).is_valid()


def test_the_feedback_page_keeps_a_number_too_large(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(
        _url("feedback_create", world),
        {"question": "Asked", "how_many": FIFTY_DIGITS, "summary": "Said"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter how many people answered, up to 100,000" in page
    assert FIFTY_DIGITS in page
    assert "Ensure this value" not in page


# --- 5. A cycle that ends before it starts ----------------------------------------------------


def test_an_end_date_before_the_start_is_refused_next_to_the_end_date(client, world, initiative):
    client.force_login(world.participant.user)
    response = client.post(
        _url("pdsa_create", world),
        {
            "change": "A one-page summary",
            "prediction": "Fewer calls",
            "starts_on": "2027-04-10",
            "ends_on": "2027-04-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_on"] == ["The end date must be the same as or after the start date"]
    assert not form.non_field_errors()
    assert not PDSACycle.objects.exists()


# --- 6. The page worded for who reads it -------------------------------------------------------


def _page(client, user, world):
    client.force_login(user)
    return client.get(_url("initiative_detail", world)).content.decode()


def test_the_review_panel_speaks_to_the_participant(client, world, initiative):
    page = _page(client, world.participant.user, world)
    assert "and your line manager has reviewed it." in page
    assert "<li>Your line manager&#x27;s agreement of the plan</li>" in page
    assert "Add at least one outcome measure" in page


def test_the_review_panel_speaks_to_the_line_manager(client, world, initiative):
    page = _page(client, world.line_manager, world)
    assert "and you have reviewed it." in page
    assert "<li>Your agreement of the plan</li>" in page
    assert "your line manager" not in page.lower()
    assert "what Pat decided" in page
    assert "Add at least one outcome measure" not in page


def test_the_review_panel_speaks_of_the_line_manager_to_others(client, world, initiative):
    page = _page(client, world.programme_manager, world)
    assert "and the line manager has reviewed it." in page
    assert "<li>The line manager&#x27;s agreement of the plan</li>" in page
    assert "your line manager" not in page.lower()
    assert "Add at least one outcome measure" not in page


def test_waiting_for_the_review_is_worded_for_the_participant(client, world, initiative):
    _agreed(world, initiative)
    _implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    assert "Waiting for your line manager&#x27;s review." in _page(
        client, world.participant.user, world
    )
    page = _page(client, world.programme_manager, world)
    assert "Waiting for the line manager&#x27;s review." in page


# --- 7. The status once reviewed --------------------------------------------------------------


def test_the_review_moves_the_status_on_from_any_earlier_status(client, world, initiative):
    _agreed(world, initiative)
    # An initiative agreed while its status still said "Idea" (the user review found one).
    ImprovementInitiative.objects.filter(pk=initiative.pk).update(status="idea")
    _implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    review.review_confirm(initiative=initiative, by=world.line_manager)
    initiative.refresh_from_db()
    assert initiative.status == "implemented"

    page = _page(client, world.participant.user, world)
    assert 'tag-initiative-implemented">Implemented</span>' in page
    evaluation = cohort_evaluation(world.participant.cohort, dt.date(2027, 5, 3))
    assert evaluation.by_status == [("Implemented", 1)]


def test_a_reviewed_initiative_cannot_go_back_to_testing(client, world, initiative):
    _agreed(world, initiative)
    _implement(initiative)
    review.review_ask(initiative=initiative, by=world.participant.user)
    review.review_confirm(initiative=initiative, by=world.line_manager)
    client.force_login(world.participant.user)
    response = client.post(_url("initiative_progress", world), {"status": "testing"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [
        "Your line manager has confirmed the initiative implemented: choose implemented, "
        "sustained or stopped"
    ]
    initiative.refresh_from_db()
    assert initiative.status == "implemented"


# --- 8. "Not given" only when nothing is given -------------------------------------------------


def test_teams_alone_are_not_called_not_given(client, world, initiative):
    ImprovementInitiative.objects.filter(pk=initiative.pk).update(
        teams="Discharge team; community nursing"
    )
    page = _page(client, world.participant.user, world)
    assert "<dd>Discharge team; community nursing</dd>" in page
    assert "Not given; " not in page


def test_organisations_and_teams_together(client, world, initiative):
    initiative.organisations.add(OrganisationFactory(name="Eastmere Community"))
    ImprovementInitiative.objects.filter(pk=initiative.pk).update(teams="Discharge team")
    page = _page(client, world.participant.user, world)
    assert "<dd>Eastmere Community; Discharge team</dd>" in page


def test_nothing_given_says_so(client, world, initiative):
    page = _page(client, world.participant.user, world)
    assert "<dt>Organisations and teams involved</dt><dd>Not given</dd>" in page


def test_estimates_in_range_still_save(initiative):
    form = EstimatesForm(
        {"estimated_cost": "99999999.99", "estimated_hours_saved": "999999.9"},
        instance=initiative,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["estimated_cost"] == Decimal("99999999.99")
