"""The cohort dashboard: scope, filters, sorting, CSV, charts and constant queries."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApprovedPlacementFactory, HalfDayFactory, ParticipantFactory


@pytest.fixture
def running(world):
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(weeks=20)
    cohort.save()
    return world


def _url(world, **params):
    url = reverse("cohort_dashboard", args=[world.participant.cohort.pk])
    return url, params


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("programme_manager", 200),
        ("education_lead", 200),
        ("sponsor", 200),
        ("line_manager", 403),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_dashboard(client, running, who, status):
    client.force_login(getattr(running, who))
    url, _ = _url(running)
    assert client.get(url).status_code == status


def test_an_education_lead_sees_only_their_organisations_people(client, running):
    client.force_login(running.education_lead)
    url, _ = _url(running)
    rows = client.get(url).context["dashboard"].rows
    assert [r.participant for r in rows] == [running.participant]


def test_at_risk_participants_come_first_and_can_be_filtered(client, running):
    # 20 weeks in with nothing done: twelve half-days no longer fit at one a week.
    placement = ApprovedPlacementFactory(participant=running.other_participant)
    HalfDayFactory(placement=placement, date=running.participant.cohort.programme_start)
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    dashboard = client.get(url).context["dashboard"]
    assert {r.participant for r in dashboard.at_risk} == {
        running.participant,
        running.other_participant,
    }
    page = client.get(url, {"overall": "at_risk"}).content.decode()
    assert "Pat Participant" in page
    assert "At risk" in page


def test_filter_by_organisation_and_sort(client, running):
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    org = running.other_participant.organisation
    rows = client.get(url, {"organisation": str(org.pk)}).context["dashboard"].rows
    assert [r.participant for r in rows] == [running.other_participant]
    rows = client.get(url, {"sort": "name"}).context["dashboard"].rows
    assert [str(r.participant.user) for r in rows] == ["Olly Other", "Pat Participant"]


def test_the_csv_has_the_table(client, running):
    client.force_login(running.programme_manager)
    response = client.get(reverse("cohort_dashboard_csv", args=[running.participant.cohort.pk]))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Participant", "Email", "Organisation", "Overall"]
    assert {r[0] for r in rows[1:]} == {"Pat Participant", "Olly Other"}


def test_the_charts_are_svg_with_text_alternatives(client, running):
    placement = ApprovedPlacementFactory(participant=running.participant)
    HalfDayFactory(
        placement=placement, date=running.participant.cohort.programme_start, level="senior_leader"
    )
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    charts = client.get(url).context["dashboard"].charts
    assert set(charts) == {"progress", "sectors", "levels"}
    for svg in charts.values():
        assert svg.startswith("<svg") and 'role="img"' in svg and "<desc" in svg
    assert "Senior leader 1" in charts["levels"]
    assert "GP Practice 1" in charts["sectors"]


def test_the_dashboard_runs_in_constant_queries(client, running, django_assert_max_num_queries):
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    client.get(url)  # the session's first request records when it started
    counts = []
    for size in (2, 20):
        for _ in range(size):
            p = ParticipantFactory(cohort=running.participant.cohort)
            placement = ApprovedPlacementFactory(participant=p)
            HalfDayFactory(placement=placement, date=running.participant.cohort.programme_start)
        # session, user, roles; cohort; participants; placements; half-days
        with django_assert_max_num_queries(7) as captured:
            client.get(url)
        counts.append(len(captured))
    assert counts[0] == counts[1]
