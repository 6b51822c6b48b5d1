"""A participant's half-days, briefing and workshop as iCalendar, so they land in Outlook."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from participants.models import Participant
from placements.models import HalfDayStatus, Session

# When a half-day is, for a calendar: the leaflet's half-days are mornings or afternoons.
SESSION_TIMES = {
    Session.MORNING: (dt.time(9, 0), dt.time(12, 30)),
    Session.AFTERNOON: (dt.time(13, 30), dt.time(17, 0)),
}
EVENT_LENGTH = dt.timedelta(hours=3)


def _event(uid: str, summary: str, start: dt.datetime, end: dt.datetime, location: str, now):
    event = icalendar.Event()
    event.add("uid", f"{uid}@i2i-cohorts")
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", now)
    if location:
        event.add("location", location)
    return event


def participant_calendar(participant: Participant, today: dt.date) -> bytes:
    """Planned (and completed) half-days, and the cohort's briefing and workshop."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = dt.datetime.now(tz=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//I2I Cohorts//Half-days//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "I2I half-days")
    half_days = (
        participant.half_days.exclude(status=HalfDayStatus.CANCELLED)
        .select_related("placement__organisation")
        .order_by("date", "session")
    )
    for half_day in half_days:
        begins, ends = SESSION_TIMES[half_day.session]
        cal.add_component(
            _event(
                f"half-day-{half_day.pk}",
                f"I2I half-day: {half_day.placement.organisation} ({half_day.person_met})",
                dt.datetime.combine(half_day.date, begins, zone),
                dt.datetime.combine(half_day.date, ends, zone),
                half_day.location,
                now,
            )
        )
    cohort = participant.cohort
    for code, day, time, place in (
        ("briefing", cohort.briefing_date, cohort.briefing_time, cohort.briefing_place),
        ("workshop", cohort.workshop_date, cohort.workshop_time, cohort.workshop_place),
    ):
        if day is None:
            continue
        begins = dt.datetime.combine(day, time or dt.time(9, 30), zone)
        cal.add_component(
            _event(
                f"cohort-{cohort.pk}-{code}",
                f"I2I {code}: {cohort.name}",
                begins,
                begins + EVENT_LENGTH,
                place,
                now,
            )
        )
    return cal.to_ical()
