"""Times as people write them, the one way every page and email writes them: "9:30am".

Django's own time formats cannot say it: its "a" is "a.m." and "A" is "AM", so `TIME_FORMAT`
("g:i a") would print "9:30 a.m." and a template writing its own format drifts ("9:30 AM",
"09:30"). Templates print a time with `|clock` and a moment with `|when`; dates use the
`DATE_FORMAT` setting through a bare `|date` ("3 December 2026").
`tests/test_formats.py` fails if a template writes a time any other way.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


def clock_text(value: dt.time | dt.datetime) -> str:
    """9:30am, 12:00pm, 12:05am: the hour without a leading zero, then am or pm."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def when_text(value: dt.datetime) -> str:
    """3 December 2026, 9:30am."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_format(value)}, {clock_text(value)}"


@register.filter(expects_localtime=True)
def clock(value) -> str:
    """A time of day (or the time of a moment): `{{ cohort.briefing_time|clock }}`."""
    if not isinstance(value, dt.time | dt.datetime):
        return ""
    return clock_text(value)


@register.filter(expects_localtime=True)
def when(value) -> str:
    """A moment, date and time: `{{ event.at|when }}`."""
    if not isinstance(value, dt.datetime):
        return ""
    return when_text(value)
