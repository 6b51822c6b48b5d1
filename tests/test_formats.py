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
from django.urls import reverse
from django.utils.formats import date_format

from i2i.templatetags.i2i_formats import clock, clock_text, when
from tests.evaluation.test_report import evaluated  # noqa: F401 (a fixture)

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


# A date format a template writes for itself: anything but the day, the month's whole name,
# the year and the weekday (`j F Y`, `l j F Y`, `j F`), or ISO for machines (`c`). "j M Y"
# is "3 Dec 2026", "d/m/Y" is "03/12/2026".
OWN_DATE_FORMAT = re.compile(
    r"""\|\s*date\s*:\s*(["'])(?!c\1)[^"']*[dDmMnNbyUeEoOSwWzLtTuIZ][^"']*\1"""
)
_SHORT = "(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
SHORT_MONTH = re.compile(rf"\b\d{{1,2}} {_SHORT}\b|\b{_SHORT}\.? \d")
OTHER_TIME = re.compile(r"\b[ap]\.m\.|\d ?[AP]M\b|\d [ap]m\b")
LONG_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)


def test_the_check_finds_a_written_date_format():
    for text in ('{{ d|date:"j M Y" }}', "{{ d|date:'j M' }}", '{{ d|date:"d/m/Y" }}'):
        assert OWN_DATE_FORMAT.search(text), text
    for text in (
        '{{ d|date:"j F Y" }}',
        '{{ d|date:"l j F Y" }}',
        "{{ d|date }}",
        '{{ d|date:"c" }}',
    ):
        assert not OWN_DATE_FORMAT.search(text), text
    assert SHORT_MONTH.search("Opens 3 Dec") and SHORT_MONTH.search("Dec 3, 2026")
    assert not SHORT_MONTH.search("3 December 2026, Declan Doyle, Jan Smith")
    assert OTHER_TIME.search("11:32 p.m.") and OTHER_TIME.search("1:00 PM")
    assert not OTHER_TIME.search("9:30am, 1:00pm")


@pytest.mark.parametrize("name", _templates())
def test_no_template_writes_a_date_format_of_its_own(name):
    text = (TEMPLATES / name).read_text()
    assert [m.group(0) for m in OWN_DATE_FORMAT.finditer(text)] == []


@pytest.fixture
def dated(evaluated):  # noqa: F811
    """The evaluated cohort with every date and time the pages show: briefing, workshop,
    Expressions of Interest."""
    cohort = evaluated.participant.cohort
    cohort.briefing_date, cohort.briefing_time = cohort.programme_start, dt.time(9, 30)
    cohort.workshop_date = cohort.programme_start + dt.timedelta(weeks=25)
    cohort.workshop_time = dt.time(13, 0)
    cohort.eoi_opens = cohort.programme_start - dt.timedelta(weeks=20)
    cohort.eoi_closes = cohort.programme_start - dt.timedelta(weeks=12)
    cohort.save()
    return evaluated


def _pages(world):
    cohort, participant = world.participant.cohort, world.participant
    placement = participant.placements.first()
    return [
        (world.programme_manager, reverse("home")),
        (world.programme_manager, reverse("cohort_list")),
        (world.programme_manager, reverse("cohort_detail", args=[cohort.pk])),
        (world.programme_manager, reverse("cohort_dashboard", args=[cohort.pk])),
        (world.programme_manager, reverse("cohort_evaluation", args=[cohort.pk])),
        (world.programme_manager, reverse("across_cohorts")),
        (world.programme_manager, reverse("participant_detail", args=[participant.pk])),
        (world.programme_manager, reverse("notifications_sent")),
        (world.education_lead, reverse("home")),
        (world.line_manager, reverse("home")),
        (world.sponsor, reverse("home")),
        (participant.user, reverse("home")),
        (participant.user, reverse("participant_detail", args=[participant.pk])),
        (participant.user, reverse("placement_detail", args=[placement.pk])),
    ]


def test_the_main_pages_write_dates_and_times_one_way(client, dated, monkeypatch):
    from programme import evaluation_report

    monkeypatch.setattr(evaluation_report, "MIN_PAIRED", 1)  # every chart drawn, labels too
    long_dates = 0
    for user, url in _pages(dated):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert SHORT_MONTH.findall(page) == [], url
        assert OTHER_TIME.findall(page) == [], url
        long_dates += len(LONG_DATE.findall(page))
    assert long_dates > 20  # (so the pages did show dates)
    client.force_login(dated.programme_manager)
    page = client.get(reverse("cohort_detail", args=[dated.participant.cohort.pk])).content
    assert "9:30am" in page.decode() and "1:00pm" in page.decode()
