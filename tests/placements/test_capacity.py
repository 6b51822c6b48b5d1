"""Capacity (issue #20): a host takes so many visitors a month; a visitor counts once in each
month in which they have a half-day with the host that is not cancelled."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from placements import offers, services
from placements.models import HalfDay, PlacementOffer
from tests.factories import (
    ApprovedPlacementFactory,
    CohortFactory,
    OrganisationFactory,
    ParticipantFactory,
)

START = dt.date(2026, 10, 1)  # the window runs to the end of March 2027
TODAY = dt.date(2026, 10, 20)
LONDON = ZoneInfo("Europe/London")
FULL = ("Riverside Ward takes 2 visitors a month and December 2026 is full. "
        "The next month with room is January 2027.")  # fmt: skip


@pytest.fixture
def cohort(db):
    return CohortFactory(programme_start=START)


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Riverside Ward", sector="acute")


@pytest.fixture
def offer(host):
    return PlacementOffer.objects.create(
        organisation=host,
        title="A morning on the ward",
        description="Board round and discharge planning.",
        visitors_per_month=2,
    )


def _placement(cohort, host, offer=None):
    return ApprovedPlacementFactory(
        participant=ParticipantFactory(cohort=cohort), organisation=host, offer=offer
    )


def _log(placement, day, session="am", status="planned"):
    return services.half_day_log(
        placement=placement,
        by=placement.participant.user,
        today=TODAY,
        date=day,
        session=session,
        person_met="Ward manager",
        level="team_leader",
        status=status,
    )


def test_it_refuses_a_visitor_in_a_full_month_naming_the_host_the_limit_and_the_next_month(
    cohort, host, offer
):
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 1))
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 15))
    third = _placement(cohort, host, offer)
    with pytest.raises(ValidationError) as refused:
        _log(third, dt.date(2026, 12, 9))
    assert refused.value.message_dict == {"date": [FULL]}
    assert not HalfDay.objects.filter(placement=third).exists()


def test_the_same_visitor_books_a_second_half_day_in_a_full_month(cohort, host, offer):
    first = _placement(cohort, host, offer)
    _log(first, dt.date(2026, 12, 1))
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 2))
    assert _log(first, dt.date(2026, 12, 8)).pk
    assert _log(first, dt.date(2026, 12, 8), session="pm").pk


def test_the_next_month_with_room_passes_over_full_months(cohort, host, offer):
    for day in (dt.date(2026, 12, 1), dt.date(2027, 1, 5)):
        for _ in range(2):
            _log(_placement(cohort, host, offer), day)
    with pytest.raises(ValidationError, match="The next month with room is February 2027."):
        _log(_placement(cohort, host, offer), dt.date(2026, 12, 20))


def test_it_says_so_when_no_month_in_the_window_has_room(cohort, host):
    offer = PlacementOffer.objects.create(
        organisation=host, title="Shadowing", description="A shift.", visitors_per_month=1
    )
    # The window's last day is 1 April 2027.
    for day in ("2026-12-02", "2027-01-04", "2027-02-01", "2027-03-01", "2027-04-01"):
        _log(_placement(cohort, host, offer), dt.date.fromisoformat(day))
    with pytest.raises(ValidationError) as refused:
        _log(_placement(cohort, host, offer), dt.date(2026, 12, 20))
    assert refused.value.message_dict["date"] == [
        "Riverside Ward takes 1 visitor a month and December 2026 is full. No later month in "
        "your window has room: choose another host."
    ]


def test_cancelled_half_days_free_their_room(cohort, host, offer):
    first = _log(_placement(cohort, host, offer), dt.date(2026, 12, 1))
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 2))
    services.half_day_cancel(half_day=first, by=first.participant.user)
    assert _log(_placement(cohort, host, offer), dt.date(2026, 12, 3)).pk


def test_marking_a_half_day_completed_in_a_full_month_is_not_refused(cohort, host, offer):
    booked = _log(_placement(cohort, host, offer), dt.date(2026, 10, 12))
    _log(_placement(cohort, host, offer), dt.date(2026, 10, 13))
    offer.visitors_per_month = 1  # the host takes fewer from now on
    offer.save()
    done = services.half_day_complete(half_day=booked, by=booked.participant.user, today=TODAY)
    assert done.status == "completed"


def test_a_half_day_that_took_place_in_a_full_month_is_recorded(cohort, host, offer):
    """Capacity governs booking; a visit the host took is recorded whatever the month held."""
    _log(_placement(cohort, host, offer), dt.date(2026, 10, 12))
    _log(_placement(cohort, host, offer), dt.date(2026, 10, 13))
    took_place = _log(_placement(cohort, host, offer), dt.date(2026, 10, 14), status="completed")
    assert took_place.status == "completed"


def test_the_next_month_with_room_is_never_one_already_over(cohort, host, offer):
    """Booked late for a full October, in December: November had room, but it is over."""
    _log(_placement(cohort, host, offer), dt.date(2026, 10, 12))
    _log(_placement(cohort, host, offer), dt.date(2026, 10, 13))
    late = _placement(cohort, host, offer)
    with pytest.raises(ValidationError) as refused:
        services.half_day_log(
            placement=late,
            by=late.participant.user,
            today=dt.date(2026, 12, 10),
            date=dt.date(2026, 10, 14),
            session="am",
            person_met="Ward manager",
            level="team_leader",
            status="planned",
        )
    assert refused.value.message_dict == {
        "date": [
            "Riverside Ward takes 2 visitors a month and October 2026 is full. "
            "The next month with room is December 2026."
        ]
    }


def test_moving_a_half_day_into_a_full_month_is_refused(cohort, host, offer):
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 1))
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 2))
    moving = _log(_placement(cohort, host, offer), dt.date(2027, 1, 4))
    with pytest.raises(ValidationError) as refused:
        services.half_day_update(
            half_day=moving, by=moving.participant.user, today=TODAY, date=dt.date(2026, 12, 7)
        )
    assert refused.value.message_dict == {"date": [FULL]}


def test_without_an_offer_the_hosts_published_offers_count_together(cohort, host, offer):
    PlacementOffer.objects.create(
        organisation=host, title="Closed", description="-", visitors_per_month=5, is_published=False
    )
    PlacementOffer.objects.create(
        organisation=host, title="Nights", description="A night shift.", visitors_per_month=1
    )
    for _ in range(3):  # 2 + 1 published
        _log(_placement(cohort, host), dt.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="Riverside Ward takes 3 visitors a month"):
        _log(_placement(cohort, host), dt.date(2026, 12, 3))


def test_a_host_without_offers_has_no_limit(cohort, host):
    for _ in range(5):
        assert _log(_placement(cohort, host), dt.date(2026, 12, 1)).pk


def test_an_offers_limit_counts_only_its_own_visitors(cohort, host, offer):
    for _ in range(2):  # visitors who chose no offer do not take this offer's room
        _log(_placement(cohort, host), dt.date(2026, 12, 1))
    assert _log(_placement(cohort, host, offer), dt.date(2026, 12, 1)).pk


def test_the_refusal_shows_next_to_the_date_with_the_input_kept(client, cohort, host, offer):
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 1))
    _log(_placement(cohort, host, offer), dt.date(2026, 12, 2))
    third = _placement(cohort, host, offer)
    # The page books on the day it is used: the next month with room is counted from it.
    # Signed in on that day too: a session begun on the run's clock, hours or years earlier,
    # would have timed out by then.
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=LONDON), tick=False):
        client.force_login(third.participant.user)
        response = client.post(
            reverse("half_day_create", args=[third.pk]),
            {
                "date-day": "9",
                "date-month": "12",
                "date-year": "2026",
                "session": "am",
                "person_met": "Discharge coordinator",
                "level": "front_line",
                "status": "planned",
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [FULL]
    assert "Discharge coordinator" in response.content.decode()


def test_months_are_counted_in_calendar_months():
    assert offers.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    assert offers.months_between(dt.date(2026, 11, 30), dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_visitors_booking_the_last_place_at_once_are_counted_one_after_the_other():
    """The offer's row is locked while the month is counted: with the row held by another
    transaction, both bookings wait, then the second finds the month full."""
    cohort = CohortFactory(programme_start=START)
    host = OrganisationFactory(name="Riverside Ward", sector="acute")
    offer = PlacementOffer.objects.create(
        organisation=host, title="Ward", description="-", visitors_per_month=1
    )
    placements = [_placement(cohort, host, offer) for _ in range(2)]
    outcomes = [None, None]
    started = threading.Barrier(3)

    def book(index):
        started.wait()
        try:
            outcomes[index] = _log(placements[index], dt.date(2026, 12, 1 + index))
        except Exception as error:  # noqa: BLE001 - every outcome is examined below
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    with transaction.atomic():
        PlacementOffer.objects.select_for_update().get(pk=offer.pk)
        for thread in threads:
            thread.start()
        started.wait()
        # Both bookings are now waiting for the offer's row (or about to).
        threading.Event().wait(0.5)
    for thread in threads:
        thread.join(timeout=30)
    assert sum(isinstance(o, HalfDay) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert HalfDay.objects.filter(placement__offer=offer).count() == 1
