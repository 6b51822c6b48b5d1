"""Control characters in a query string never give a server error.

PostgreSQL cannot hold a NUL in text, so `/organisations/?q=a%00b` used to end in
`psycopg.DataError` (a 500). Every GET parameter any page reads is found in the source
(`request.GET.get("…")`, and the admin's own), and every URL pattern is requested as the
programme manager, who sees the most, with all of them holding control characters (or
numbers that are not numbers to `int`): a NUL,
other C0 controls, DEL and a C1 control get the plain 400 page; a tab, a newline and a
carriage return (which a pasted search can carry) reach the page, which answers without a
server error."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_url_walk import MATRIX_PATTERNS, _path
from tests.test_url_walk import objects as objects  # noqa: F401 -- the fixture

PRODUCT = ("i2i", "participants", "placements", "reflections", "improvements", "evaluation")
PRODUCT += ("programme",)
# What the admin's lists read (search, ordering, page, a filter, the filters kept after a
# change) and where sign-in returns to; none of them is written `GET.get("…")` in our source.
ELSEWHERE = {"q", "o", "p", "e", "is_active__exact", "_changelist_filters", "next", "seen"}


def _parameters() -> set[str]:
    found = set(ELSEWHERE)
    for app in PRODUCT:
        for source in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            text = source.read_text()
            found |= set(re.findall(r"GET\.get(?:list)?\(\s*\"(\w+)\"", text))
            found |= set(re.findall(r"GET\[\s*\"(\w+)\"\s*\]", text))
    return found


PARAMETERS = sorted(_parameters())


def test_the_parameters_the_pages_read_are_found():
    assert {"q", "sector", "action", "kind", "cohort", "page", "organisation", "sort"} <= set(
        PARAMETERS
    )


def _walk(client, user, objects, query: dict[str, str]) -> dict[str, int]:  # noqa: F811
    client.force_login(user)
    answers = {}
    for key, pattern in MATRIX_PATTERNS:
        path = _path(pattern, objects["own"], "own")
        answers[key] = client.get(path, query).status_code
        if key == "account_logout":
            client.force_login(user)
    return answers


@pytest.mark.parametrize(
    "character", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85"], ids=repr
)
def test_a_control_character_in_any_parameter_gets_the_400_page(
    client,
    world,
    objects,  # noqa: F811
    character,
):
    query = dict.fromkeys(PARAMETERS, f"a{character}b")
    answers = _walk(client, world.programme_manager, objects, query)
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    assert {key: code for key, code in answers.items() if code != 400} == {}


@pytest.mark.parametrize("value", ["a\tb", "a\nb", "a\r\nb", "\t", " "], ids=repr)
def test_tabs_and_new_lines_in_any_parameter_reach_the_page_without_a_server_error(
    client,
    world,
    objects,  # noqa: F811
    value,
):
    query = dict.fromkeys(PARAMETERS, value)
    answers = _walk(client, world.programme_manager, objects, query)
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    assert answers["organisation_list"] == 200


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 30], ids=["superscript", "arabic", "long"])
def test_numbers_python_reads_as_digits_but_not_as_keys_never_give_a_server_error(
    client,
    world,
    objects,  # noqa: F811
    value,
):
    """ "²" and "١٢" are digits to `str.isdigit` but not to `int`, and thirty 9s are no
    database key: a page that filters by a cohort, organisation or offer number reads them
    as no filter (`i2i.forms.whole_number`), never as a 500."""
    query = dict.fromkeys(PARAMETERS, value)
    answers = _walk(client, world.programme_manager, objects, query)
    assert {key: code for key, code in answers.items() if code >= 500} == {}
    assert answers["offer_list"] == 200 and answers["placements_by_host"] == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("organisation_list", {"q": "a\x00b"}),
        ("audit_log", {"action": "\x00"}),
        ("notifications_sent", {"kind": "\x00"}),
        ("organisation_list", {"q\x00": "a"}),
    ],
)
def test_the_probes_findings_get_the_plain_400_page(client, world, name, query):
    client.force_login(world.programme_manager)
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert "We could not read that" in response.content.decode()


def test_a_search_with_a_tab_finds_nothing_rather_than_failing(client, world):
    client.force_login(world.programme_manager)
    response = client.get(reverse("organisation_list"), {"q": "Eastmere\tHospitals"})
    assert response.status_code == 200


def test_an_admin_add_form_given_a_key_that_is_no_rows_starts_empty(client, world):
    client.force_login(world.programme_manager)
    url = reverse("admin:participants_cohortplaces_add")
    response = client.get(url, {"organisation": "not-a-key", "cohort": world.participant.cohort_id})
    assert response.status_code == 200
    assert response.context["adminform"].form.initial == {
        "cohort": str(world.participant.cohort_id)
    }
