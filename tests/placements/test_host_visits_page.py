"""The host's visits page on a phone (issue #20's review): upcoming visits first, then only
the recent past visits that wait for the host to confirm them, worded plainly, with every
past visit a link away; and the host's other pages lead back to it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from placements import concerns, hosting
from placements.models import Placement
from tests.factories import (
    ApprovedPlacementFactory,
    HalfDayFactory,
    HostPersonFactory,
    OrganisationFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 5, 13)  # a Wednesday


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 5, 13, 10, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def larkhill(world, clock):
    """Larkhill Care Home hosts the world's participant (Pat), whose cohort began in January;
    Robin is its host person."""
    cohort = world.participant.cohort
    cohort.programme_start = dt.date(2026, 1, 5)
    cohort.save()
    organisation = OrganisationFactory(name="Larkhill Care Home", sector="care_home")
    host = HostPersonFactory(organisation=organisation, user=UserFactory(full_name="Robin Host"))
    placement = ApprovedPlacementFactory(participant=world.participant, organisation=organisation)
    return {"organisation": organisation, "host": host.user, "placement": placement}


def _day(placement, date, **fields):
    return HalfDayFactory(placement=placement, date=date, **fields)


def test_upcoming_visits_come_first_then_recent_ones_to_confirm(client, larkhill):
    placement = larkhill["placement"]
    upcoming = _day(placement, TODAY + dt.timedelta(days=5), status="planned")
    recent = _day(placement, TODAY - dt.timedelta(days=3), session="pm")
    due = _day(placement, TODAY - dt.timedelta(days=9), status="planned")
    confirmed = _day(placement, TODAY - dt.timedelta(days=10))
    hosting.half_day_host_confirm(half_day=confirmed, by=larkhill["host"])
    old = _day(placement, dt.date(2026, 1, 14))  # four months ago, never confirmed
    client.force_login(larkhill["host"])
    url = reverse("host_visits", args=[larkhill["organisation"].pk])
    response = client.get(url)
    html = response.content.decode()
    assert [v.half_day for v in response.context["to_confirm"]] == [recent, due]
    # Upcoming first, then the visits to confirm; neither the confirmed nor the old visit.
    assert html.index(f'id="half-day-{upcoming.pk}"') < html.index(f'id="half-day-{recent.pk}"')
    assert f'id="half-day-{confirmed.pk}"' not in html
    assert f'id="half-day-{old.pk}"' not in html
    assert "Visited on 10 May 2026: please confirm it took place" in html
    assert "Booked for 4 May 2026: please confirm it took place" in html
    assert "Took place" not in html and "Not confirmed" not in html
    # A past booking is confirmed, not declined or moved.
    assert reverse("host_half_day_decline", args=[due.pk]) not in html
    assert reverse("host_half_day_decline", args=[upcoming.pk]) in html
    assert "All past visits (4)" in html
    # Every past visit, a page at a time, behind the link: the old one can still be confirmed.
    past = client.get(url, {"show": "past"})
    page = past.content.decode()
    assert [v.half_day for v in past.context["past"]] == [recent, due, confirmed, old]
    assert "Past visits to Larkhill Care Home" in page
    assert "Visited on 14 January 2026: please confirm it took place" in page
    assert f'id="half-day-{upcoming.pk}"' not in page
    assert f'href="{url}"' in page  # back to the visits page
    # Confirming from that page returns to it.
    response = client.post(reverse("host_half_day_confirm", args=[old.pk]), {"from": "past"})
    assert response["Location"] == f"{url}?show=past#half-day-{old.pk}"
    old.refresh_from_db()
    assert old.is_confirmed


def test_a_visit_that_took_place_today_waits_to_be_confirmed(client, larkhill):
    today = _day(larkhill["placement"], TODAY)
    client.force_login(larkhill["host"])
    response = client.get(reverse("host_visits", args=[larkhill["organisation"].pk]))
    assert [v.half_day for v in response.context["to_confirm"]] == [today]


def test_nothing_to_confirm_says_so(client, larkhill):
    client.force_login(larkhill["host"])
    html = client.get(reverse("host_visits", args=[larkhill["organisation"].pk])).content.decode()
    assert "No visit in the last 6 weeks waits for you to confirm it." in html


def test_the_feedback_link_names_the_visitor_without_a_stray_comma(client, larkhill, world):
    _day(larkhill["placement"], TODAY - dt.timedelta(days=3))
    Placement.objects.filter(pk=larkhill["placement"].pk).update(status="complete")
    client.force_login(larkhill["host"])
    html = client.get(reverse("host_visits", args=[larkhill["organisation"].pk])).content.decode()
    feedback = reverse("participant_feedback", args=[larkhill["placement"].pk])
    assert f'<a href="{feedback}">Feedback for Pat Participant</a>' in html
    assert "Feedback for the visitor" not in html


def test_a_host_only_person_is_not_offered_expressions_of_interest(client, larkhill, world):
    eois = f'href="{reverse("eoi_list")}"'
    client.force_login(larkhill["host"])
    html = client.get(reverse("host_visits", args=[larkhill["organisation"].pk])).content.decode()
    assert eois not in html
    # A host who also supports a participant keeps the menu they had.
    world.other_participant.line_manager = larkhill["host"]
    world.other_participant.save()
    client.force_login(larkhill["host"])
    html = client.get(reverse("host_visits", args=[larkhill["organisation"].pk])).content.decode()
    assert eois in html


def test_the_checks_page_leads_each_back_where_they_came_from(client, larkhill, world):
    checks = reverse("clearance_record", args=[larkhill["placement"].pk])
    client.force_login(larkhill["host"])
    html = client.get(checks).content.decode()
    visits = reverse("host_visits", args=[larkhill["organisation"].pk])
    assert f'<a href="{visits}">Back to visits to Larkhill Care Home</a>' in html
    client.force_login(world.participant.user)
    html = client.get(checks).content.decode()
    placement = reverse("placement_detail", args=[larkhill["placement"].pk])
    assert f'<a href="{placement}">Back to the placement</a>' in html


def test_the_concerns_list_tells_a_host_how_they_raise_one(client, larkhill, world):
    concerns.concern_raise(
        placement=larkhill["placement"],
        by=larkhill["host"],
        kind="did_not_attend",
        description="Did not come on Monday.",
    )
    client.force_login(larkhill["host"])
    html = client.get(reverse("concern_list")).content.decode()
    visits = reverse("host_visits", args=[larkhill["organisation"].pk])
    assert "open the placement" not in html
    assert f'<a href="{visits}">Visits to Larkhill Care Home</a>' in html
    assert "choose “Raise a concern” on the visit" in html
    # The concern's own page leads the host to the visits too (the placement page is a 404).
    concern_page = client.get(
        reverse("concern_detail", args=[world.participant.placements.get().concerns.get().pk])
    ).content.decode()
    assert f'<a href="{visits}">Larkhill Care Home</a>' in concern_page
    # The line manager opens placements: their wording is the placement's.
    client.force_login(world.line_manager)
    html = client.get(reverse("concern_list")).content.decode()
    assert "open the placement and choose “Raise a concern”" in html
