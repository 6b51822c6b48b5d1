"""One time format ("9:30am") and one date format ("3 December 2026") everywhere.

Times go through `|clock` and moments through `|when` (`i2i.templatetags.i2i_formats`);
dates through a bare `|date` (`DATE_FORMAT`). A template that writes a time format of its
own ("g:i a" is "9:30 a.m.", "H:i" is "09:30") fails here."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils.formats import date_format

from i2i.templatetags.i2i_formats import clock, clock_text, when

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LONDON = ZoneInfo("Europe/London")
# Django's time filter, or a date filter whose format holds a time: hours, minutes, seconds,
# am/pm, or a whole date-and-time ("r"). ISO ("c", for <time datetime>) is for machines.
OWN_TIME_FORMAT = re.compile(
    r"""\|\s*time\b|\|\s*date\s*:\s*(["'])(?!c\1)[^"']*[aAfgGhHisPr][^"']*\1"""
)
# Templates other people are changing now; each is to move to `|clock`/`|when` too.
CLOCK = re.compile(r"\b(1[0-2]|[1-9]):[0-5]\d(am|pm)\b")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.time(9, 30), "9:30am"),
        (dt.time(0, 5), "12:05am"),
        (dt.time(12, 0), "12:00pm"),
        (dt.time(23, 32), "11:32pm"),
        (dt.time(13, 0), "1:00pm"),
    ],
)
def test_a_time_is_written_one_way(value, text):
    assert clock(value) == text


def test_a_moment_is_shown_in_london_time():
    # 23:30 UTC in summer is 00:30 the next day in London.
    moment = dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert when(moment) == "1 July 2027, 12:30am"
    assert clock(moment) == "12:30am"
    assert when(dt.datetime(2026, 12, 3, 9, 30, tzinfo=LONDON)) == "3 December 2026, 9:30am"


def test_nothing_to_show_is_empty():
    assert clock(None) == ""
    assert clock("") == ""
    assert when(None) == ""
    assert when(dt.date(2026, 12, 3)) == ""


def test_a_date_is_written_one_way():
    assert date_format(dt.date(2026, 12, 3)) == "3 December 2026"


def test_the_check_finds_a_written_time_format():
    for text in (
        '{{ t|time:"H:i" }}',
        "{{ t|time }}",
        '{{ d|date:"j F Y, g:i a" }}',
        '{{ t|date:"g:iA"|lower }}',
        "{{ n.sent_at|date:'j M Y, H:i' }}",
    ):
        assert OWN_TIME_FORMAT.search(text), text
    for text in (
        '{{ d|date:"j F Y" }}',
        "{{ d|date }}",
        "{{ n.sent_at|date:'c' }}",
        "{{ t|clock }}",
    ):
        assert not OWN_TIME_FORMAT.search(text), text


def _templates():
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".txt"}
    )


@pytest.mark.parametrize("name", _templates())
def test_no_template_writes_a_time_format_of_its_own(name):
    text = (TEMPLATES / name).read_text()
    assert [m.group(0) for m in OWN_TIME_FORMAT.finditer(text)] == []


def test_an_event_shows_its_time_as_people_write_it():
    html = render_to_string(
        "participants/_event.html",
        {"day": dt.date(2026, 12, 3), "time": dt.time(13, 0), "place": "Eastmere Hall"},
    )
    assert html.strip() == "3 December 2026, 1:00pm, Eastmere Hall"


def test_the_autosave_status_shows_the_time_as_people_write_it():
    saved = dt.datetime(2026, 12, 3, 23, 32, tzinfo=LONDON)
    html = render_to_string(
        "reflections/_autosave_status.html", {"autosaved": True, "saved_at": saved}
    )
    assert "Saved automatically at 11:32pm." in html
    html = render_to_string("reflections/_autosave_status.html", {"saved_at": saved})
    assert "Last saved at 11:32pm." in html


def test_the_autosave_status_of_a_new_account_says_nothing_was_saved():
    html = render_to_string("reflections/_autosave_status.html", {"saved_at": None})
    assert "saved at" not in html.lower()
    assert "Your draft saves itself as you type." in html


def test_clock_text_is_what_the_filter_prints():
    assert CLOCK.fullmatch(clock_text(dt.time(9, 30)))
