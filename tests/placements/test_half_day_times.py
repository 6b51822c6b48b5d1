"""Times, not halves (issue #20): a half-day has a start and an end time, the session fills
typical ones, and two half-days of one participant may not overlap: refused by the database
on PostgreSQL (the exclusion constraint) and by the service on both databases."""

import datetime as dt
import threading
import time

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from placements import services
from placements.models import TYPICAL_TIMES, HalfDay, Session
from tests.factories import ApprovedPlacementFactory, HalfDayFactory, OrganisationFactory
from tests.sqlite import run_on_fresh_sqlite

LONDON_WINTER = dt.date(2027, 1, 14)  # GMT: London time is UTC
LONDON_SUMMER = dt.date(2027, 7, 15)  # BST: London time is UTC + 1


def _log(placement, today, **overrides):
    fields = {
        "date": today - dt.timedelta(days=3),
        "session": "am",
        "person_met": "Practice manager",
        "level": "team_leader",
        "status": "completed",
    }
    fields.update(overrides)
    return services.half_day_log(
        placement=placement, by=placement.participant.user, today=today, **fields
    )


def _row(placement, date, starts, ends, session="am", status="completed"):
    """A half-day as the database would get it from anywhere but the service."""
    return HalfDay(
        placement=placement,
        participant=placement.participant,
        date=date,
        session=session,
        starts_at=starts,
        ends_at=ends,
        person_met="Ward manager",
        level="team_leader",
        status=status,
    )


@pytest.fixture
def second(placement, running):
    """Another approved placement of the same participant, with a care home."""
    return ApprovedPlacementFactory(
        participant=running.participant,
        organisation=OrganisationFactory(name="Willowbank Care Home", sector="care_sector"),
        outcomes_first_approved_at=placement.outcomes_first_approved_at,
    )


# The session's typical times --------------------------------------------------------------


def test_the_typical_times_are_the_morning_and_the_afternoon():
    morning, afternoon = TYPICAL_TIMES[Session.MORNING], TYPICAL_TIMES[Session.AFTERNOON]
    assert morning == (dt.time(9, 0), dt.time(12, 30))
    assert afternoon == (dt.time(13, 30), dt.time(17, 0))


def test_times_left_blank_are_the_sessions_typical_times(placement, today):
    morning = _log(placement, today)
    afternoon = _log(placement, today, session="pm")
    assert (morning.starts_at, morning.ends_at) == (dt.time(9, 0), dt.time(12, 30))
    assert (afternoon.starts_at, afternoon.ends_at) == (dt.time(13, 30), dt.time(17, 0))
    assert morning.times == "9:00am to 12:30pm"


def test_the_participant_may_change_the_times(placement, today):
    half_day = _log(placement, today, starts_at=dt.time(8, 15), ends_at=dt.time(11, 45))
    half_day.refresh_from_db()
    assert half_day.times == "8:15am to 11:45am"


def test_a_half_day_ends_after_it_starts(placement, today):
    with pytest.raises(ValidationError) as error:
        _log(placement, today, starts_at=dt.time(12, 0), ends_at=dt.time(9, 0))
    assert error.value.message_dict["ends_at"] == [
        "Enter an end time later than the start time (12:00pm)."
    ]


def test_the_database_refuses_a_half_day_that_ends_before_it_starts(placement, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        HalfDay.objects.bulk_create(
            [_row(placement, today, dt.time(12, 0), dt.time(12, 0))], batch_size=1
        )


# Overlaps: the service, on every database -------------------------------------------------


def test_an_overlapping_half_day_is_refused_with_the_one_it_overlaps(placement, second, today):
    day = today - dt.timedelta(days=3)
    _log(placement, today, starts_at=dt.time(9, 0), ends_at=dt.time(13, 0))
    with pytest.raises(ValidationError) as error:
        _log(second, today, session="pm", starts_at=dt.time(12, 0), ends_at=dt.time(16, 0))
    assert error.value.message_dict["starts_at"] == [
        f"You already have a half-day from 9:00am to 1:00pm on {date_format(day)} with "
        "Riverside Practice: choose times that do not overlap it."
    ]
    assert HalfDay.objects.filter(date=day).count() == 1


def test_adjacent_half_days_do_not_overlap(placement, second, today):
    _log(placement, today, starts_at=dt.time(9, 0), ends_at=dt.time(12, 30))
    _log(second, today, session="pm", starts_at=dt.time(12, 30), ends_at=dt.time(16, 0))
    assert HalfDay.objects.count() == 2


def test_a_cancelled_half_day_is_ignored(placement, second, today):
    first = _log(placement, today, status="planned", date=today + dt.timedelta(days=2))
    services.half_day_cancel(half_day=first, by=placement.participant.user)
    _log(second, today, status="planned", date=today + dt.timedelta(days=2))
    assert HalfDay.objects.exclude(status="cancelled").count() == 1


def test_changing_a_half_day_does_not_clash_with_itself(placement, today):
    half_day = _log(placement, today)
    services.half_day_update(
        half_day=half_day,
        by=placement.participant.user,
        today=today,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
    )
    half_day.refresh_from_db()
    assert half_day.times == "9:30am to 12:00pm"


def test_new_times_withdraw_the_hosts_confirmation(placement, today):
    half_day = _log(placement, today)
    half_day.confirmed_at, half_day.confirmed_by_name = half_day.completed_at, "Dr Host Person"
    half_day.save()
    services.half_day_update(
        half_day=half_day, by=placement.participant.user, today=today, ends_at=dt.time(12, 0)
    )
    half_day.refresh_from_db()
    assert half_day.confirmed_at is None


# Overlaps: the database, on PostgreSQL ----------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_an_overlap_that_bypasses_the_service(placement, second, today):
    assert connection.vendor == "postgresql"
    HalfDay.objects.bulk_create([_row(placement, today, dt.time(9, 0), dt.time(13, 0))])
    overlapping = _row(second, today, dt.time(12, 0), dt.time(16, 0), session="pm")
    with (
        pytest.raises(IntegrityError, match="half_day_times_do_not_overlap"),
        transaction.atomic(),
    ):
        HalfDay.objects.bulk_create([overlapping])


@pytest.mark.postgres
def test_postgresql_allows_adjacent_and_cancelled_half_days(placement, second, today):
    HalfDay.objects.bulk_create(
        [
            _row(placement, today, dt.time(9, 0), dt.time(12, 30)),
            _row(second, today, dt.time(12, 30), dt.time(16, 0), session="pm"),
            _row(second, today, dt.time(10, 0), dt.time(12, 0), status="cancelled"),
        ]
    )
    assert HalfDay.objects.filter(date=today).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_race_past_the_check_gets_the_same_message_not_an_error(world):
    """Another connection inserts an overlapping half-day and has not committed when the
    service checks: the check sees nothing, the insert waits for the other transaction, and
    the exclusion constraint refuses it. The participant reads the field message."""
    cohort = world.participant.cohort
    today = timezone.localdate()
    cohort.programme_start = today - dt.timedelta(days=30)
    cohort.save()
    first = ApprovedPlacementFactory(participant=world.participant)
    second = ApprovedPlacementFactory(participant=world.participant)
    day = today - dt.timedelta(days=2)
    inserted, done = threading.Event(), threading.Event()

    def other_request():
        try:
            with transaction.atomic():
                HalfDay.objects.bulk_create([_row(first, day, dt.time(9, 0), dt.time(13, 0))])
                inserted.set()
                time.sleep(1)  # the service checks, and its insert waits for this commit
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=other_request)
    thread.start()
    assert inserted.wait(timeout=10)
    with pytest.raises(ValidationError) as error:
        _log(
            second,
            today,
            date=day,
            session="pm",
            starts_at=dt.time(12, 0),
            ends_at=dt.time(16, 0),
        )
    thread.join(timeout=10)
    assert done.is_set()
    assert error.value.message_dict["starts_at"][0].startswith(
        f"You already have a half-day from 9:00am to 1:00pm on {date_format(day)} with "
    )
    assert HalfDay.objects.filter(date=day).count() == 1


# Overlaps on SQLite: the service alone ----------------------------------------------------

SQLITE_SCRIPT = """
import datetime as dt
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from placements import services
from placements.models import HalfDay
from tests.factories import ApprovedPlacementFactory, ParticipantFactory

assert connection.vendor == "sqlite"
participant = ParticipantFactory()
cohort = participant.cohort
today = timezone.localdate()
cohort.programme_start = today - dt.timedelta(days=30)
cohort.save()
first = ApprovedPlacementFactory(participant=participant)
second = ApprovedPlacementFactory(participant=participant)
day = today - dt.timedelta(days=2)
common = dict(by=participant.user, today=today, date=day, person_met="Ward manager",
              level="team_leader", status="completed")
services.half_day_log(placement=first, session="am", starts_at=dt.time(9),
                      ends_at=dt.time(13), **common)
try:
    services.half_day_log(placement=second, session="pm", starts_at=dt.time(12),
                          ends_at=dt.time(16), **common)
except ValidationError as error:
    print("REFUSED:", error.message_dict["starts_at"][0])
# SQLite has no exclusion constraint: the same half-day, bypassing the service, is saved.
HalfDay.objects.bulk_create([HalfDay(placement=second, participant=participant, date=day,
    session="pm", starts_at=dt.time(12), ends_at=dt.time(16), person_met="Ward manager",
    level="other", status="completed")])
print("BYPASS SAVED")
print("HALF-DAYS:", HalfDay.objects.filter(date=day).count())
"""


def test_on_sqlite_the_service_refuses_an_overlap(tmp_path):
    """`make run` uses SQLite, where the exclusion constraint does not exist: migrate a fresh
    SQLite file (the constraint's migration must run there) and log half-days through the
    service in a process of its own."""
    lines = run_on_fresh_sqlite(tmp_path, SQLITE_SCRIPT)
    assert lines[0].startswith("REFUSED: You already have a half-day from 9:00am to 1:00pm on ")
    assert lines[1:] == ["BYPASS SAVED", "HALF-DAYS: 2"]


# Where half-days are shown ---------------------------------------------------------------


def test_the_form_fills_blank_times_from_the_session(client, placement, running, today):
    client.force_login(running.participant.user)
    url = reverse("half_day_create", args=[placement.pk])
    page = client.get(url).content.decode()
    assert 'data-typical="am=09:00 pm=13:30"' in page
    assert "js/half-day-times.js" in page
    assert "Leave the times blank for the usual ones: morning 9:00am to 12:30pm" in page
    response = client.post(
        url,
        {
            "date": (today - dt.timedelta(days=2)).isoformat(),
            "session": "pm",
            "starts_at": "",
            "ends_at": "16:15",
            "person_met": "Duty manager",
            "level": "front_line",
            "status": "completed",
        },
    )
    assert response.status_code == 302
    half_day = HalfDay.objects.get()
    assert half_day.times == "1:30pm to 4:15pm"
    page = client.get(reverse("placement_detail", args=[placement.pk])).content.decode()
    assert "1:30pm to 4:15pm" in page


def test_times_the_wrong_way_round_are_explained_and_kept(client, placement, running, today):
    client.force_login(running.participant.user)
    response = client.post(
        reverse("half_day_create", args=[placement.pk]),
        {
            "date": (today - dt.timedelta(days=2)).isoformat(),
            "session": "am",
            "starts_at": "11:00",
            "ends_at": "09:30",
            "person_met": "Duty manager",
            "level": "front_line",
            "status": "completed",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_at"] == ["Enter an end time later than the start time (11:00am)."]
    page = response.content.decode()
    assert 'value="11:00"' in page and 'value="09:30"' in page


def _events(body: bytes):
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


@pytest.mark.parametrize(
    ("day", "utc_start", "utc_end"),
    [
        (LONDON_WINTER, dt.time(9, 15), dt.time(12, 0)),  # GMT
        (LONDON_SUMMER, dt.time(8, 15), dt.time(11, 0)),  # BST: an hour earlier in UTC
    ],
)
def test_the_calendar_uses_the_real_times_in_london(
    client, placement, running, day, utc_start, utc_end
):
    HalfDayFactory(
        placement=placement,
        date=day,
        status="planned",
        starts_at=dt.time(9, 15),
        ends_at=dt.time(12, 0),
    )
    client.force_login(running.participant.user)
    body = client.get(reverse("participant_calendar", args=[running.participant.pk])).content
    (event,) = [e for e in _events(body) if "half-day" in str(e["summary"])]
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    assert str(starts.tzinfo) == "Europe/London"
    assert starts.astimezone(dt.UTC) == dt.datetime.combine(day, utc_start, dt.UTC)
    assert ends.astimezone(dt.UTC) == dt.datetime.combine(day, utc_end, dt.UTC)
