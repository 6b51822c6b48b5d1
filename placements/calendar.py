"""A participant's half-days, briefing and workshop as iCalendar, so they land in Outlook."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from participants.models import Participant
from placements.models import HalfDayStatus

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
        .order_by("date", "starts_at")
    )
    for half_day in half_days:
        # Its own times, in London time: 9:00am is 09:00 BST in summer and 09:00 GMT in winter.
        begins, ends = half_day.starts_at, half_day.ends_at
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
