"""The cohort dashboard: scope, filters, sorting, paging, CSV, charts and constant queries."""

import csv
import datetime as dt
import html
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from i2i import paging, rules
from participants.models import Participant, SponsorMeeting
from programme import dashboard
from programme.progress import commitment_reports, with_progress
from reflections.models import MidProgrammeReview
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    ImprovementInitiativeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
)


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
    assert [r.pk for r in rows] == [running.participant.pk]


def test_at_risk_participants_come_first_and_can_be_filtered(client, running):
    # 20 weeks in with nothing done: twelve half-days no longer fit at one a week.
    placement = ApprovedPlacementFactory(participant=running.other_participant)
    HalfDayFactory(placement=placement, date=running.participant.cohort.programme_start)
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    dashboard = client.get(url).context["dashboard"]
    assert {r.pk for r in dashboard.at_risk} == {
        running.participant.pk,
        running.other_participant.pk,
    }
    page = client.get(url, {"overall": "at_risk"}).content.decode()
    assert "Pat Participant" in page
    assert "At risk" in page


def test_filter_by_organisation_and_sort(client, running):
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    org = running.other_participant.organisation
    rows = client.get(url, {"organisation": str(org.pk)}).context["dashboard"].rows
    assert [r.pk for r in rows] == [running.other_participant.pk]
    rows = client.get(url, {"sort": "name"}).context["dashboard"].rows
    assert [r.name for r in rows] == ["Olly Other", "Pat Participant"]


def test_the_csv_has_the_table(client, running):
    client.force_login(running.programme_manager)
    response = client.get(reverse("cohort_dashboard_csv", args=[running.participant.cohort.pk]))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Participant", "Email", "Organisation", "Overall"]
    assert len(set(rows[0])) == len(rows[0])  # every column named once
    assert rows[0][4:9] == [
        "Placements counted",
        "Half-days counted",
        "Weeks left",
        "Three placements",
        "Twelve half-days",
    ]
    assert {r[0] for r in rows[1:]} == {"Pat Participant", "Olly Other"}


def _csv(client, cohort) -> list[dict[str, str]]:
    body = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])).content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(body))
    return [dict(zip(header, row, strict=True)) for row in rows]


REVIEW_WORDS = {
    "going_well": "Booked all three hosts early.",
    "help_needed": "An introduction to the discharge hub.",
    "plan": "Initiative agreed by week 20.",
}


def test_the_csv_says_who_has_met_their_sponsor_and_held_the_review_never_its_words(
    client, running
):
    """Issue 19's two touchpoints, as on the page: done or not and the day (ISO, which Excel
    reads as a date); the review's words stay with the participant and line manager."""
    cohort = running.participant.cohort
    SponsorMeeting.objects.create(
        participant=running.participant,
        met_on=cohort.programme_start + dt.timedelta(days=9),
        recorded_by=running.sponsor,
    )
    SponsorMeeting.objects.create(
        participant=running.participant,
        met_on=cohort.programme_start + dt.timedelta(days=30),
        recorded_by=running.sponsor,
    )
    MidProgrammeReview.objects.create(
        participant=running.participant,
        held_on=cohort.programme_start + dt.timedelta(weeks=12),
        recorded_by=running.line_manager,
        **REVIEW_WORDS,
    )
    client.force_login(running.programme_manager)
    rows = {row["Participant"]: row for row in _csv(client, cohort)}
    touchpoints = (
        "Sponsor met",
        "Sponsor first met on",
        "Mid-programme review done",
        "Mid-programme review held on",
    )
    assert [rows["Pat Participant"][column] for column in touchpoints] == [
        "Yes",
        (cohort.programme_start + dt.timedelta(days=9)).isoformat(),  # the first meeting
        "Yes",
        (cohort.programme_start + dt.timedelta(weeks=12)).isoformat(),
    ]
    assert [rows["Olly Other"][column] for column in touchpoints] == ["No", "", "No", ""]
    body = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])).content.decode()
    for words in REVIEW_WORDS.values():
        assert words not in body


def test_the_csvs_touchpoint_columns_read_no_more_queries(
    client, running, django_assert_max_num_queries
):
    cohort = running.participant.cohort
    client.force_login(running.programme_manager)
    csv_url = reverse("cohort_dashboard_csv", args=[cohort.pk])
    client.get(csv_url)  # the session's first request records when it started
    counts = []
    for size in (2, 20):
        for _ in range(size):
            p = ParticipantFactory(cohort=cohort)
            SponsorMeeting.objects.create(
                participant=p, met_on=cohort.programme_start, recorded_by=p.sponsor
            )
            MidProgrammeReview.objects.create(
                participant=p,
                held_on=timezone.localdate(),
                recorded_by=p.line_manager,
                **REVIEW_WORDS,
            )
        # session, user, roles; cohort; participants (with both touchpoints); placements;
        # half-days; the audit event
        with django_assert_max_num_queries(8) as exported:
            response = client.get(csv_url)
        body = response.content.decode("utf-8-sig")
        assert body.count(timezone.localdate().isoformat()) == (2 if size == 2 else 22)
        counts.append(len(exported))
    assert counts[0] == counts[1]


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


def test_the_dashboard_runs_in_constant_queries(
    client, running, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)  # so that both sizes have a second page
    client.force_login(running.programme_manager)
    url, _ = _url(running)
    csv_url = reverse("cohort_dashboard_csv", args=[running.participant.cohort.pk])
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
        with django_assert_max_num_queries(7) as paged:
            response = client.get(url, {"sort": "name", "page": "2", "risk_page": "2"})
        assert response.context["rows"]["page"].number == 2
        with django_assert_max_num_queries(8) as exported:  # and the audit event
            client.get(csv_url)
        counts.append((len(captured), len(paged), len(exported)))
    assert counts[0] == counts[1]


# Reading tuples instead of model instances ------------------------------------------------


def test_the_reports_are_the_rules_own(running):
    """The dashboard's records, built from tuples, give the same reports (and charts) as the
    participant pages' records built from model instances."""
    start = running.participant.cohort.programme_start
    for k, org in enumerate(OrganisationFactory.create_batch(4)):
        placement = ApprovedPlacementFactory(participant=running.participant, organisation=org)
        for j in range(4 if k < 2 else 2):
            HalfDayFactory(
                placement=placement,
                date=start + dt.timedelta(days=7 * (3 * k + j) + 1),
                session="pm" if j % 2 else "am",
                level="senior_leader" if j == 3 else "front_line",
                person_met="Ward manager" if k else "Discharge team",
            )
        if k == 0:
            ReflectiveAccountFactory(placement=placement, status="shared")
    HalfDayFactory(
        placement=ApprovedPlacementFactory(participant=running.participant),
        date=start - dt.timedelta(days=3),  # outside the window
    )
    PlacementFactory(participant=running.other_participant, status="withdrawn")
    late = PlacementFactory(participant=running.other_participant)
    HalfDayFactory(placement=late, date=start + dt.timedelta(days=2))  # before any outcomes
    ImprovementInitiativeFactory(participant=running.other_participant, agreed_first_at=None)
    # Approved at 23:30 UTC in summer, which is 00:30 the next day in London: a day after
    # its first half-day, so late (the date is the local one, as on the participant's page).
    midnight = ApprovedPlacementFactory(
        participant=running.other_participant,
        outcomes_first_approved_at=dt.datetime(2026, 7, 15, 23, 30, tzinfo=dt.UTC),
    )
    HalfDayFactory(placement=midnight, date=dt.date(2026, 7, 15))
    today = start + dt.timedelta(weeks=20)
    cohort = running.participant.cohort
    participants = list(with_progress(Participant.objects.filter(cohort=cohort)))

    progress = dashboard.read_progress(running.programme_manager, cohort)
    assert dashboard.progress_reports(cohort, progress, today) == commitment_reports(
        participants, today
    )
    assert dashboard.progress_charts(cohort, progress, today) == _charts_from_instances(
        cohort, participants, today
    )


def _charts_from_instances(cohort, participants, today) -> dict:
    """The charts counted the plain way, from model instances, to check the tuples'."""
    start, end = cohort.programme_start, rules.window_end(cohort.programme_start)
    sectors, levels, completed_dates = Counter(), Counter(), []
    for participant in participants:
        for placement in participant.placements.all():
            if placement.status == "withdrawn":
                continue
            sectors[placement.organisation.sector] += 1
            for half_day in placement.half_days.all():
                if half_day.status == "completed" and start <= half_day.date <= end:
                    levels[half_day.level] += 1
                    completed_dates.append(half_day.date)
    return dashboard.draw_charts(cohort, len(participants), sectors, levels, completed_dates, today)


# Paging ------------------------------------------------------------------------------------


@pytest.fixture
def seven(running, monkeypatch):
    """Seven participants (Pat, Olly and five more), pages of three."""
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    for name in ("Ann Able", "Ben Brook", "Cat Cole", "Dan Dale", "Eve East"):
        ParticipantFactory(
            cohort=running.participant.cohort,
            organisation=running.participant.organisation,
            user__full_name=name,
        )
    return running


def _names(response, table="rows"):
    return [row.name for row in response.context[table]["page"]]


def _nav_links(page: str, label: str) -> list[str]:
    nav = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', page, re.S)
    assert nav, f"no {label} navigation"
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', nav.group(1))]


def test_page_two_shows_the_next_rows(client, seven):
    client.force_login(seven.programme_manager)
    url, _ = _url(seven)
    everyone = sorted(["Pat Participant", "Olly Other", "Ann Able", "Ben Brook", "Cat Cole",
                       "Dan Dale", "Eve East"])  # fmt: skip
    first = client.get(url, {"sort": "name"})
    assert _names(first) == everyone[:3]
    second = client.get(url, {"sort": "name", "page": "2"})
    assert _names(second) == everyone[3:6]
    page = second.content.decode()
    assert "Showing 4–6 of 7" in page
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in page
    assert "Dan Dale" in page and "Ann Able" not in page.split('id="table-heading"')[1]
    assert _names(client.get(url, {"sort": "name", "page": "3"})) == everyone[6:]
    # The counts and charts are the whole cohort's, whatever the page.
    assert second.context["dashboard"].total == 7
    assert "7 participants" in page


def test_the_page_links_keep_the_filters_and_sort(client, seven):
    client.force_login(seven.programme_manager)
    url, _ = _url(seven)
    org = str(seven.participant.organisation.pk)
    response = client.get(url, {"organisation": org, "sort": "name", "page": "2"})
    assert _names(response) == ["Dan Dale", "Eve East", "Pat Participant"]  # 6 of theirs
    links = _nav_links(response.content.decode(), "Pages of participants")
    assert links, "no page links"
    for link in links:
        assert link.startswith("?") and link.endswith("#table-heading")
        query = link[1:].split("#")[0]
        assert f"organisation={org}" in query and "sort=name" in query
    assert any("page=1" in link for link in links) and not any("page=3" in link for link in links)
    # The CSV link carries the filters but no page: it is every row that matches.
    csv_link = re.search(r'href="([^"]*dashboard\.csv[^"]*)"', response.content.decode())
    assert "page=" not in csv_link.group(1) and "sort=name" in html.unescape(csv_link.group(1))


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("0", 3), ("two", 1), ("", 1)])
def test_a_page_that_does_not_exist_shows_the_nearest(client, seven, asked, shown):
    client.force_login(seven.programme_manager)
    url, _ = _url(seven)
    response = client.get(url, {"sort": "name", "page": asked, "risk_page": asked})
    assert response.status_code == 200
    assert response.context["rows"]["page"].number == shown


def test_the_at_risk_list_pages_on_its_own(client, seven):
    # Twenty weeks in with nothing done: all seven are at risk.
    client.force_login(seven.programme_manager)
    url, _ = _url(seven)
    response = client.get(url, {"sort": "name", "page": "2", "risk_page": "3"})
    page = response.content.decode()
    assert "At risk or missed (7)" in page
    assert _names(response, "risks") == ["Pat Participant"]  # by name, like the cohort list
    assert _names(response) == ["Dan Dale", "Eve East", "Olly Other"]  # the table kept page 2
    for link in _nav_links(page, "Pages of the at-risk list"):
        assert "page=2" in link and "sort=name" in link and link.endswith("#risk-heading")
    for link in _nav_links(page, "Pages of participants"):
        assert "risk_page=3" in link


def test_the_csv_has_every_row_not_one_page(client, seven):
    client.force_login(seven.programme_manager)
    csv_url = reverse("cohort_dashboard_csv", args=[seven.participant.cohort.pk])

    def names(**params):
        body = client.get(csv_url, params).content.decode("utf-8").lstrip("\ufeff")
        return [r[0] for r in list(csv.reader(io.StringIO(body)))[1:]]

    assert len(names(sort="name", page="2")) == 7
    org = seven.participant.organisation.pk
    assert names(organisation=str(org), sort="name", page="2") == [
        "Ann Able", "Ben Brook", "Cat Cole", "Dan Dale", "Eve East", "Pat Participant"
    ]  # fmt: skip


def test_the_dashboard_shows_who_has_not_answered_the_self_assessment(client, running):
    cohort = running.participant.cohort
    values = {item.pk: 3 for item in services.items_for(cohort)}
    start = cohort.programme_start
    services.submit_self_assessment(running.participant, "before", values, start)
    client.force_login(running.programme_manager)
    response = client.get(*_url(running, sort="name"))
    dashboard_ = response.context["dashboard"]
    assert {r.name: r.self_assessed for r in dashboard_.rows} == {
        "Olly Other": (False, False),
        "Pat Participant": (True, False),
    }
    assert dashboard_.not_self_assessed == (1, 2)
    # Twenty weeks in: the start questions closed at four weeks, the end ones are not open.
    assert {r.name: r.self_assessment for r in dashboard_.rows} == {
        "Olly Other": ("closed", "not_yet_open"),
        "Pat Participant": ("answered", "not_yet_open"),
    }
    opens = services.cohort_after_opens(cohort)
    page = response.content.decode()
    assert (
        'Start: <span class="tag tag-sa-answered">Answered</span><br>'
        f'End: <span class="tag tag-sa-not_yet_open">Opens {opens:%-d %B %Y}</span>'
    ) in page
    assert 'Start: <span class="tag tag-sa-closed">Missed</span>' in page
    assert "At the start: 1 of 2 (closed on" in page
    assert f"at the end: 2 of 2 (opens on {opens:%-d %B %Y})" in page
    csv_text = client.get(reverse("cohort_dashboard_csv", args=[cohort.pk])).content.decode(
        "utf-8-sig"
    )
    header, *body = csv.reader(io.StringIO(csv_text))
    start, end = (
        header.index("Self-assessment at the start"),
        header.index("Self-assessment at the end"),
    )
    rows = {row[0]: [row[start], row[end]] for row in body}
    assert rows["Pat Participant"] == ["Answered", "Not open yet"]
    assert rows["Olly Other"] == ["Closed, not answered", "Not open yet"]
