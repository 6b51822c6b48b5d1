"""The date input, the GOV.UK and NHS way (`i2i.forms.DateInput`): Day, Month and Year boxes
in a fieldset, what was typed kept, and messages that say which part is wrong."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.template import Context, Template
from django.urls import reverse

from i2i.forms import DateInput, PlainErrorsMixin, TypedDate

LONDON = ZoneInfo("Europe/London")
FOUR_NUMBERS = "Date of the meeting must include a year with 4 numbers"


class MeetingForm(PlainErrorsMixin, forms.Form):
    met_on = forms.DateField(label="Date of the meeting", widget=DateInput())
    ends_on = forms.DateField(label="End date", required=False, widget=DateInput())


def _typed(day="", month="", year="", *, name="met_on", **more):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year, **more}


def _page(form) -> str:
    template = Template(
        "{% load crispy_forms_tags %}{% include '_error_summary.html' %}{{ form|crispy }}"
    )
    return template.render(Context({"form": form}))


def _box(html: str, box_id: str) -> str:
    found = re.search(rf'<input [^>]*id="{box_id}"[^>]*>', html)
    assert found, f"no box {box_id}"
    return found.group(0)


def _marked(html: str, name: str = "met_on") -> list[str]:
    return [
        part
        for part in ("day", "month", "year")
        if 'aria-invalid="true"' in _box(html, f"id_{name}-{part}")
    ]


def test_it_combines_the_three_parts():
    form = MeetingForm(_typed("3", "12", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"met_on": dt.date(2026, 12, 3), "ends_on": None}


def test_it_reads_leading_zeros_and_spaces():
    form = MeetingForm(_typed(" 03 ", "02", "2027 "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["met_on"] == dt.date(2027, 2, 3)


def test_it_still_reads_a_date_posted_whole():
    form = MeetingForm({"met_on": "2026-03-27"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["met_on"] == dt.date(2026, 3, 27)


@pytest.mark.parametrize("month", ["Mar", "March", "mar", "MARCH", "Mar.", "3", "03"])
def test_it_takes_the_month_by_name_or_number(month):
    form = MeetingForm(_typed("27", month, "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["met_on"] == dt.date(2026, 3, 27)


def test_it_takes_sept_for_september():
    form = MeetingForm(_typed("1", "Sept", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["met_on"] == dt.date(2026, 9, 1)


def test_it_knows_leap_years():
    assert MeetingForm(_typed("29", "2", "2028")).is_valid()
    form = MeetingForm(_typed("29", "2", "2027"))
    assert form.errors["met_on"] == ["Date of the meeting must be a real date"]
    assert _marked(_page(form)) == ["day"]


@pytest.mark.parametrize(
    ("typed", "message", "marked"),
    [
        (("3", "", "2026"), "Date of the meeting must include a month", ["month"]),
        (("", "12", "2026"), "Date of the meeting must include a day", ["day"]),
        (("3", "12", ""), "Date of the meeting must include a year", ["year"]),
        (("", "12", ""), "Date of the meeting must include a day and year", ["day", "year"]),
        (("3", "", ""), "Date of the meeting must include a month and year", ["month", "year"]),
        (("32", "12", "2026"), "Date of the meeting must be a real date", ["day"]),
        (("0", "12", "2026"), "Date of the meeting must be a real date", ["day"]),
        (("3", "13", "2026"), "Date of the meeting must be a real date", ["month"]),
        (("3", "Smarch", "2026"), "Date of the meeting must be a real date", ["month"]),
        (("31", "4", "2026"), "Date of the meeting must be a real date", ["day"]),
        (("x", "y", "2026"), "Date of the meeting must be a real date", ["day", "month"]),
        (("3", "12", "26"), "Date of the meeting must include a year with 4 numbers", ["year"]),
        (("3", "12", "20266"), "Date of the meeting must include a year with 4 numbers", ["year"]),
        (("3", "12", "year"), "Date of the meeting must include a year with 4 numbers", ["year"]),
        (("3", "13", "26"), "Date of the meeting must be a real date", ["month", "year"]),
        (("²", "3", "2026"), "Date of the meeting must be a real date", ["day"]),
        (("3", "3", "\uff12\uff10\uff12\uff16"), FOUR_NUMBERS, ["year"]),  # full-width 2026
    ],
)
def test_it_says_which_part_is_wrong_and_marks_only_that_part(typed, message, marked):
    form = MeetingForm(_typed(*typed))
    assert form.errors == {"met_on": [message]}
    html = _page(form)
    assert _marked(html) == marked
    styled = [p for p in ("day", "month", "year") if "is-invalid" in _box(html, f"id_met_on-{p}")]
    assert styled == marked
    # The summary links to the first part in error, with the same words as beside the field.
    assert f'<a href="#id_met_on-{marked[0]}">{message}</a>' in html
    assert html.count(message) == 2


def test_it_asks_for_a_required_date_left_empty_and_marks_all_three():
    form = MeetingForm(_typed())
    assert form.errors == {"met_on": ["Enter the date of the meeting"]}
    html = _page(form)
    assert _marked(html) == ["day", "month", "year"]
    assert '<a href="#id_met_on-day">Enter the date of the meeting</a>' in html


def test_an_optional_date_may_be_left_empty_and_says_so_in_its_legend():
    form = MeetingForm(_typed("3", "12", "2026") | _typed(name="ends_on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ends_on"] is None
    html = _page(MeetingForm())
    assert re.search(r"<legend[^>]*>\s*End date \(optional\)\s*</legend>", html)
    assert re.search(r"<legend[^>]*>\s*Date of the meeting\s*</legend>", html)


def test_everything_typed_comes_back_on_error():
    form = MeetingForm(_typed("31", "Feb", "2027") | _typed("7", "", "26", name="ends_on"))
    assert not form.is_valid()
    html = _page(form)
    assert 'value="31"' in _box(html, "id_met_on-day")
    assert 'value="Feb"' in _box(html, "id_met_on-month")
    assert 'value="2027"' in _box(html, "id_met_on-year")
    assert 'value="7"' in _box(html, "id_ends_on-day")
    assert "value=" not in _box(html, "id_ends_on-month")
    assert 'value="26"' in _box(html, "id_ends_on-year")
    assert form.errors["ends_on"] == ["End date must include a month"]


def test_a_date_posted_whole_keeps_the_old_words_and_what_was_posted():
    form = MeetingForm({"met_on": "31/02/2027"})
    assert form.errors["met_on"] == [
        "Enter the date of the meeting as a real date, for example 3 March 2027"
    ]
    assert 'value="31/02/2027"' in _box(_page(form), "id_met_on-day")
    html = _page(MeetingForm({"met_on": "0001-01-01", "ends_on": "2027-02-31"}))
    assert 'value="01"' in _box(html, "id_met_on-day")
    assert 'value="0001"' in _box(html, "id_met_on-year")
    assert 'value="2027-02-31"' in _box(html, "id_ends_on-day")


def test_it_is_three_text_boxes_in_a_fieldset_with_the_example():
    html = _page(MeetingForm(initial={"met_on": dt.date(2026, 12, 3)}))
    assert 'type="date"' not in html
    fieldset = re.search(r'<fieldset aria-describedby="([^"]*)">', html)
    assert fieldset and fieldset.group(1) == "id_met_on-hint"
    assert (
        '<div id="id_met_on-hint" class="form-text mt-0 mb-2 hint">For example, 27 3 2026</div>'
        in html
    )
    for part, label, value, width in (
        ("day", "Day", "3", 2),
        ("month", "Month", "12", 2),
        ("year", "Year", "2026", 4),
    ):
        box = _box(html, f"id_met_on-{part}")
        assert 'type="text"' in box and 'inputmode="numeric"' in box
        assert f'name="met_on-{part}"' in box and f'value="{value}"' in box
        assert f"date-input-width-{width}" in box
        assert "autocomplete" not in box  # an ordinary date: nothing for the browser to fill
        assert f'for="id_met_on-{part}">{label}</label>' in html
    # A legend names the group and takes no `for`.
    assert not re.search(r"<legend[^>]*\bfor=", html)


def test_a_date_of_birth_asks_the_browser_to_fill_its_parts():
    class Form(forms.Form):
        born_on = forms.DateField(widget=DateInput(autocomplete="bday"))

    html = str(Form()["born_on"])
    for part in ("day", "month", "year"):
        assert f'autocomplete="bday-{part}"' in _box(html, f"id_born_on-{part}")


def test_a_field_left_out_of_the_post_is_omitted_and_one_part_is_not():
    widget = DateInput()
    assert widget.value_omitted_from_data({}, {}, "met_on")
    assert not widget.value_omitted_from_data({"met_on-year": ""}, {}, "met_on")
    assert not widget.value_omitted_from_data({"met_on": "2026-03-27"}, {}, "met_on")
    typed = widget.value_from_datadict({"met_on-month": "4"}, {}, "met_on")
    assert isinstance(typed, TypedDate)
    assert typed.parts == {"day": "", "month": "4", "year": ""}


@pytest.mark.django_db
def test_a_date_outside_its_range_is_explained_beside_it_with_all_three_parts_kept(client, world):
    """The sponsor's meeting may not be after today: the service's message goes next to the
    date, all three parts marked and kept."""
    start = world.participant.cohort.programme_start
    week_in = dt.datetime.combine(start + dt.timedelta(days=7), dt.time(10), tzinfo=LONDON)
    tomorrow = start + dt.timedelta(days=8)
    with time_machine.travel(week_in, tick=False):
        client.force_login(world.sponsor)
        response = client.post(
            reverse("sponsor_meeting", args=[world.participant.pk]),
            _typed(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year), notes="Met"),
        )
    assert response.status_code == 200
    [message] = response.context["form"].errors["met_on"]
    assert message.startswith("Enter the date you met, between ")
    html = response.content.decode()
    assert _marked(html) == ["day", "month", "year"]
    assert f'value="{tomorrow.day}"' in _box(html, "id_met_on-day")
    assert f'value="{tomorrow.year}"' in _box(html, "id_met_on-year")
    assert 'href="#id_met_on-day"' in html
    assert not world.participant.sponsor_meetings.exists()
