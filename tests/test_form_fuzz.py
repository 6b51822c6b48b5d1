"""Arbitrary text, dates and numbers posted to the forms people use: never a server error,
never markup from what was typed, and what was typed is shown back when it is refused."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ApprovedPlacementFactory,
    ImprovementInitiativeFactory,
    MeasureFactory,
    PlacementFactory,
    ReflectiveAccountFactory,
)

# Text as people paste it: any printable characters, markup, quotes, very long runs.
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "{{ 7|add:7 }}{% now 'Y' %}",
            "Robert'); DROP TABLE participants;--",
            "x" * 5000,
        ]
    ),
)
DATE = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["31/02/2027", "2027-13-01", "yesterday", "", "0000-00-00"]),
)
NUMBER = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "12,5", "1e999", "NaN", "--1"]),
)
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACCEPTED = {200, 302, 400, 403, 422}


@pytest.fixture
def forms(world):
    """Each form as (user, url, fields: name -> strategy)."""
    cohort = world.participant.cohort
    cohort.programme_start = timezone.localdate() - dt.timedelta(days=40)
    cohort.save()
    placement = ApprovedPlacementFactory(participant=world.participant)
    draft = PlacementFactory(participant=world.participant)
    account = ReflectiveAccountFactory(placement=placement)
    initiative = ImprovementInitiativeFactory(participant=world.participant)
    measure = MeasureFactory(initiative=initiative)
    p = world.participant.pk
    return [
        (world.programme_manager, reverse("organisation_create"),
         {"name": TEXT, "town": TEXT, "website": TEXT, "sector": st.just("acute")}),
        (world.programme_manager, reverse("cohort_create"),
         {"name": TEXT, "status": st.just("planning"), "programme_start": DATE,
          "workshop_date": DATE, "briefing_place": TEXT, "workshop_agenda": TEXT}),
        (world.participant.user, reverse("placement_create", args=[p]),
         {"contact_name": TEXT, "contact_email": TEXT, "contact_phone": TEXT,
          "proposed_name": TEXT, "proposed_sector": st.just("pvi"),
          "relevance_services": TEXT, "status": st.just("planned")}),
        (world.participant.user, reverse("outcomes_edit", args=[draft.pk]),
         {"outcome_1": TEXT, "outcome_2": TEXT, "action": st.just("save")}),
        (world.participant.user, reverse("half_day_create", args=[placement.pk]),
         {"date": DATE, "session": st.just("am"), "person_met": TEXT, "location": TEXT,
          "level": st.just("front_line"), "status": st.just("planned")}),
        (world.participant.user, reverse("account_autosave", args=[account.pk]),
         {"framework": st.just("i2i"), "answer_what_happened": TEXT,
          "workshop_learning": TEXT}),
        (world.participant.user, reverse("initiative_edit", args=[p]),
         {"title": TEXT, "problem": TEXT, "aim": TEXT, "measures_summary": TEXT,
          "change_ideas": TEXT, "kind": st.just("other"), "action": st.just("save")}),
        (world.participant.user, reverse("measure_create", args=[p]),
         {"name": TEXT, "definition": TEXT, "unit": TEXT, "direction": st.just("higher"),
          "baseline": NUMBER, "target": NUMBER}),
        (world.participant.user, reverse("measure_data", args=[p, measure.pk]),
         {"action": st.just("add"), "date": DATE, "value": NUMBER, "note": TEXT}),
        (world.participant.user, reverse("measure_data", args=[p, measure.pk]),
         {"action": st.just("paste"), "data": TEXT}),
        (world.participant.user, reverse("pdsa_create", args=[p]),
         {"change": TEXT, "prediction": TEXT, "starts_on": DATE, "ends_on": DATE}),
    ]  # fmt: skip


def _shown_in_parts(name: str, typed: str, page: str) -> bool:
    """A date posted whole comes back in its Day, Month and Year boxes (`i2i.forms.DateInput`)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", typed)
    return bool(found) and all(
        f'name="{name}-{part}" value="{value}"' in page
        for part, value in zip(("year", "month", "day"), found.groups(), strict=True)
    )


@pytest.mark.parametrize("index", range(11))
def test_no_input_breaks_a_form(forms, index):
    user, url, fields = forms[index]
    client = Client()
    client.force_login(user)

    @FUZZ
    @given(st.fixed_dictionaries(fields))
    def post(data):
        response = client.post(url, data)
        assert response.status_code in ACCEPTED, (url, data, response.status_code)
        page = response.content.decode() if response.status_code in {200, 400, 422} else ""
        if page:
            for value in data.values():
                if "<script>" in value or "onerror=" in value:
                    assert value not in page  # never rendered as markup
            # Whole pages (not the autosave's status line, which leaves the text in place)
            # show back what was typed, for the person to fix.
            full_page = "<html" in page
            for name, value in data.items():
                typed = value.strip()
                skip = {"action", "status", "data", "framework", "sector", "session", "level",
                        "kind", "direction", "proposed_sector"}  # fmt: skip
                if full_page and typed and len(typed) < 200 and name not in skip:
                    # What was typed comes back (escaped) for the person to fix.
                    assert (
                        html.escape(typed, quote=False)[:50] in html.unescape(page)
                        or (html.escape(typed)[:50] in page)
                        or typed[:50] in html.unescape(page)
                        or _shown_in_parts(name, typed, page)
                    )

    post()
