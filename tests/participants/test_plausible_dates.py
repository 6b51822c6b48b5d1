"""Every date people type has a plausible range, and the message names it: data points and
PDSA cycles within the programme's years, a sponsor meeting near the programme, an
appraisal and a qualification not in the future, a cohort's briefing before its workshop
and both near the programme."""

import datetime as dt
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from improvements import services as improvement_services
from improvements.models import DataPoint, PDSACycle
from participants import eligibility, recruitment
from participants.forms import CohortForm
from participants.models import Cohort, SponsorMeeting
from tests.factories import ImprovementInitiativeFactory, MeasureFactory

LONDON = ZoneInfo("Europe/London")
# The world's cohort starts on 1 March 2027 (its window ends on 1 September 2027): its
# years run from a year before the start to a year after the window's end.
PROGRAMME_YEARS = "between 1 March 2026 and 1 September 2028"
IMPLAUSIBLE = [dt.date(1, 1, 1), dt.date(1900, 1, 1), dt.date(2100, 1, 1), dt.date(9999, 12, 31)]


def _messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


@pytest.mark.parametrize("day", IMPLAUSIBLE + [dt.date(2026, 2, 28), dt.date(2028, 9, 2)])
def test_a_data_point_falls_within_the_programme_years(world, day):
    measure = MeasureFactory(initiative__participant=world.participant)
    with pytest.raises(ValidationError) as error:
        improvement_services.data_point_add(
            measure=measure, by=world.participant.user, date=day, value=4
        )
    assert PROGRAMME_YEARS in _messages(error.value, "date")
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize("day", [dt.date(2026, 3, 1), dt.date(2028, 9, 1)])
# A data point may not be dated after the day it is entered: the days entered have passed.
@time_machine.travel(dt.datetime(2028, 9, 2, 10, tzinfo=LONDON), tick=False)
def test_a_data_point_on_either_end_of_the_programme_years_is_saved(world, day):
    measure = MeasureFactory(initiative__participant=world.participant)
    improvement_services.data_point_add(
        measure=measure, by=world.participant.user, date=day, value=4
    )
    assert measure.points.get().date == day


@pytest.mark.parametrize("day", IMPLAUSIBLE)
# A data point may not be dated after the day it is entered: the days entered have passed.
@time_machine.travel(dt.datetime(2028, 9, 2, 10, tzinfo=LONDON), tick=False)
def test_a_pasted_date_outside_the_programme_years_names_the_row(world, day):
    measure = MeasureFactory(initiative__participant=world.participant)
    with pytest.raises(ValidationError) as error:
        improvement_services.data_points_paste(
            measure=measure,
            by=world.participant.user,
            text=f"03/03/2027\t5\n{day.isoformat()}\t4",
        )
    [message] = error.value.message_dict["data"]
    assert message.startswith("Line 2: ")
    assert PROGRAMME_YEARS in message
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_the_data_page_says_the_range_next_to_the_date_and_keeps_it(client, world, typed):
    measure = MeasureFactory(initiative__participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("measure_data", args=[world.participant.pk, measure.pk]),
        {"action": "add", "date": typed, "value": "4"},
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert PROGRAMME_YEARS in html
    year, month, day = typed.split("-")  # kept in the Day, Month and Year boxes
    assert f'name="date-day" value="{day}"' in html
    assert f'name="date-month" value="{month}"' in html
    assert f'name="date-year" value="{year}"' in html
    assert not DataPoint.objects.exists()


@pytest.mark.parametrize(
    ("field", "day"),
    [
        ("starts_on", dt.date(1900, 1, 1)),
        ("starts_on", dt.date(2100, 1, 1)),
        ("ends_on", dt.date(2100, 1, 1)),
    ],
)
def test_a_pdsa_cycle_falls_within_the_programme_years(world, field, day):
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    fields = {
        "change": "Send the summary with every referral",
        "prediction": "Fewer calls",
        "starts_on": dt.date(2027, 4, 1),
        field: day,
    }
    with pytest.raises(ValidationError) as error:
        improvement_services.pdsa_save(initiative=initiative, by=world.participant.user, **fields)
    assert PROGRAMME_YEARS in _messages(error.value, field)
    assert not PDSACycle.objects.exists()


def test_the_pdsa_page_says_the_range_next_to_the_date(client, world):
    ImprovementInitiativeFactory(participant=world.participant)
    client.force_login(world.participant.user)
    response = client.post(
        reverse("pdsa_create", args=[world.participant.pk]),
        {"change": "A change", "prediction": "Fewer calls", "starts_on": "1900-01-01"},
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert PROGRAMME_YEARS in html
    assert 'name="starts_on-day" value="01"' in html
    assert 'name="starts_on-year" value="1900"' in html


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(2026, 2, 28), dt.date(2027, 5, 11)])
def test_a_sponsor_meeting_is_near_the_programme_and_not_in_the_future(world, day):
    with (
        time_machine.travel(dt.datetime(2027, 5, 10, 10, tzinfo=LONDON), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        recruitment.sponsor_meeting_record(
            participant=world.participant, by=world.participant.sponsor, met_on=day
        )
    assert "between 1 March 2026 and today (10 May 2027)" in _messages(error.value, "met_on")
    assert not SponsorMeeting.objects.exists()


# Recruitment: the applicant's dates ------------------------------------------------


def _eoi_started_on_10_may_2027(setup):
    """The setup's cohort recruiting on 10 May 2027, whatever day the suite runs on, and an
    Expression of Interest started in it."""
    cohort, employer, _, _, applicant, _ = setup
    Cohort.objects.filter(pk=cohort.pk).update(
        programme_start=dt.date(2027, 9, 1),
        eoi_opens=dt.date(2027, 5, 1),
        eoi_closes=dt.date(2027, 6, 1),
    )
    cohort.refresh_from_db()
    return recruitment.eoi_start(cohort=cohort, organisation=employer, by=applicant), applicant


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("last_appraisal_on", dt.date(2100, 1, 1), "between 10 May 2017 and today (10 May 2027)"),
        ("last_appraisal_on", dt.date(2027, 5, 11), "between 10 May 2017 and today"),
        ("last_appraisal_on", dt.date(1, 1, 1), "between 10 May 2017 and today"),
        ("qualified_on", dt.date(2100, 1, 1), "between 10 May 1967 and today (10 May 2027)"),
        ("qualified_on", dt.date(1900, 1, 1), "between 10 May 1967 and today"),
    ],
)
def test_the_applicants_dates_are_not_in_the_future(setup, field, typed, says):
    with time_machine.travel(dt.datetime(2027, 5, 10, 10, tzinfo=LONDON), tick=False):
        eoi, applicant = _eoi_started_on_10_may_2027(setup)
        with pytest.raises(ValidationError) as error:
            recruitment.eoi_save(eoi=eoi, by=applicant, **{field: typed})
    assert says in _messages(error.value, field)


def test_an_appraisal_dated_in_the_future_is_not_read_as_met(setup):
    with time_machine.travel(dt.datetime(2027, 5, 10, 10, tzinfo=LONDON), tick=False):
        eoi, _ = _eoi_started_on_10_may_2027(setup)
    eoi.performing_well = True
    eoi.last_appraisal_on = dt.date(2100, 1, 1)  # stored before the range was checked
    criterion = next(
        c for c in eligibility.judge(eoi, dt.date(2027, 5, 10)) if c.code == "performing"
    )
    assert criterion.status != eligibility.MET
    assert "1 January 2100" in criterion.reason


# Cohorts: briefing before workshop, both near the programme -----------------------

COHORT = {"name": "Cohort 9", "status": "planning", "programme_start": "2027-03-01"}


@pytest.mark.parametrize(
    ("typed", "field", "says"),
    [
        ({"briefing_date": "1900-01-01"}, "briefing_date", "between 1 September 2026 and"),
        ({"workshop_date": "2100-01-01"}, "workshop_date", "and 1 March 2028"),
        (
            {"briefing_date": "2027-06-01", "workshop_date": "2027-05-20"},
            "briefing_date",
            "before the workshop (20 May 2027)",
        ),
        (
            {"eoi_opens": "1900-01-01"},
            "eoi_opens",
            "between 1 March 2026 and 1 March 2027: Expressions of Interest",
        ),
        (
            {"eoi_opens": "2027-01-10", "eoi_closes": "2100-01-01"},
            "eoi_closes",
            "between 1 March 2026 and 1 March 2027",
        ),
        (
            {"programme_start": "0001-01-01"},
            "programme_start",
            "between 10 May 2017 and 10 May 2032",
        ),
        (
            {"programme_start": "2100-01-01"},
            "programme_start",
            "between 10 May 2017 and 10 May 2032",
        ),
    ],
)
def test_a_cohorts_dates_are_near_the_programme(db, typed, field, says):
    with time_machine.travel(dt.datetime(2027, 5, 10, 10, tzinfo=LONDON), tick=False):
        form = CohortForm({**COHORT, **typed})
        assert not form.is_valid()
    assert says in " ".join(form.errors[field])


def test_a_cohort_near_the_programme_is_saved(db):
    form = CohortForm(
        {
            **COHORT,
            "programme_start": "2027-03-01",
            "briefing_date": "2027-02-01",
            "workshop_date": "2027-10-01",
            "eoi_opens": "2026-11-01",
            "eoi_closes": "2027-01-31",
        }
    )
    with time_machine.travel(dt.datetime(2027, 1, 10, 10, tzinfo=LONDON), tick=False):
        assert form.is_valid(), form.errors
