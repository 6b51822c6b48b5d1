"""The driver diagram: an outline read line by line (a wrong line named, with why), saved in
one go, drawn as SVG with a text alternative, and printed in the workshop pack."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from zeal import zeal_ignore

from devdata.demo import DEMO_DRIVERS, load_demo
from improvements import driver_diagram, drivers
from improvements.models import DriverNode
from participants.models import WorkshopConsent
from programme.workshop_pack import participant_preview, workshop_pack_pdf
from tests.factories import ImprovementInitiativeFactory

OUTLINE = """Staff know what to send
  A checklist on the referral form
    Test the checklist with one GP practice for a week
    Add the checklist to the electronic form
  Contact details kept up to date
Service users know what happens next
  A leaflet written with carers
    Two carers rewrite the leaflet and test it"""

P, S, C = "primary", "secondary", "change_idea"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OUTLINE, [(P, None), (S, 0), (C, 1), (C, 1), (S, 0), (P, None), (S, 5), (C, 6)]),
        # A "-" per level does as two spaces; tabs as one level; blank lines are skipped.
        ("One\n- Two\n-- Three\n\n--  Four", [(P, None), (S, 0), (C, 1), (C, 1)]),
        ("One\n\tTwo\n\t\tThree", [(P, None), (S, 0), (C, 1)]),
        ("  \nOne\n\n", [(P, None)]),
        # Back out to a primary driver, then in again.
        ("A\n  B\nC\n  D\n    E", [(P, None), (S, 0), (P, None), (S, 2), (C, 3)]),
        # Two spaces and a "-" together, as a bulleted list is written, are one level, as the
        # help says either is; four spaces and a "-", or two and "--", are two.
        (
            "Staff know\n  - Checklist\n    - Test it\nLeaflet\n  - Named contact\n  -- Try",
            [(P, None), (S, 0), (C, 1), (P, None), (S, 3), (C, 4)],
        ),
    ],
)
def test_it_reads_each_lines_level_and_what_it_hangs_from(text, expected):
    assert [(line.level, line.parent) for line in driver_diagram.parse(text)] == expected


def test_it_keeps_each_lines_words_without_the_marks():
    lines = driver_diagram.parse("  \nOne \n-   Two words\n--Three")
    assert [line.text for line in lines] == ["One", "Two words", "Three"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Staff know\n  Checklist\n    Test it\nLeaflet\n    Carers test it",
            "Line 5 is a change idea with no secondary driver above it",
        ),
        ("  A checklist", "Line 1 is a secondary driver with no primary driver above it"),
        ("\n\n-- An idea", "Line 3 is a change idea with no secondary driver above it"),
        ("Staff\n    An idea", "Line 2 is a change idea with no secondary driver above it"),
        (
            "Staff\n   Three spaces",
            "Line 2 is indented by an odd number of spaces: use two spaces (or a “-”) for "
            "each level",
        ),
        (
            "Staff\n  A\n    B\n      C",
            "Line 4 is indented too far: a driver diagram has three levels, primary drivers, "
            "secondary drivers (two spaces in) and change ideas (four spaces in)",
        ),
        (
            "Staff\n  -",
            "Line 2 has no words: write the driver or change idea, or remove the line",
        ),
        (
            "Staff\n" + "x" * 301,
            "Line 2 is 301 characters long: a node may be at most 300",
        ),
    ],
)
def test_a_wrong_line_is_named_with_why(text, message):
    with pytest.raises(driver_diagram.OutlineError) as error:
        driver_diagram.parse(text)
    assert str(error.value) == message


def test_an_outline_of_more_than_100_nodes_is_refused():
    text = "\n".join(f"Driver {i}" for i in range(101))
    with pytest.raises(driver_diagram.OutlineError, match="Line 101 makes more than 100"):
        driver_diagram.parse(text)


@pytest.fixture
def initiative(world):
    return ImprovementInitiativeFactory(participant=world.participant)


def test_saving_replaces_the_nodes_in_order_with_their_parents(world, initiative):
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text="Old\n  Gone")
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text=OUTLINE)
    nodes = list(DriverNode.objects.filter(initiative=initiative).select_related("parent"))
    assert [(n.level, n.text, n.parent.text if n.parent else None) for n in nodes] == [
        (P, "Staff know what to send", None),
        (S, "A checklist on the referral form", "Staff know what to send"),
        (
            C,
            "Test the checklist with one GP practice for a week",
            "A checklist on the referral form",
        ),
        (C, "Add the checklist to the electronic form", "A checklist on the referral form"),
        (S, "Contact details kept up to date", "Staff know what to send"),
        (P, "Service users know what happens next", None),
        (S, "A leaflet written with carers", "Service users know what happens next"),
        (C, "Two carers rewrite the leaflet and test it", "A leaflet written with carers"),
    ]
    assert drivers.diagram(initiative).outline == OUTLINE


def test_a_wrong_outline_saves_nothing_and_keeps_what_was_there(world, initiative):
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text="Kept\n  Here")
    with pytest.raises(ValidationError) as error:
        drivers.drivers_save(initiative=initiative, by=world.participant.user, text="  Orphan")
    assert error.value.message_dict == {
        "outline": ["Line 1 is a secondary driver with no primary driver above it"]
    }
    assert list(DriverNode.objects.values_list("text", flat=True)) == ["Kept", "Here"]


def test_only_the_participant_draws_their_diagram(world, initiative):
    with pytest.raises(PermissionDenied):
        drivers.drivers_save(initiative=initiative, by=world.line_manager, text="Mine")
    assert not DriverNode.objects.exists()


def test_the_svg_names_itself_and_holds_every_node(world, initiative):
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text=OUTLINE)
    diagram = drivers.diagram(initiative)
    svg = diagram.svg
    assert svg.startswith("<svg") and 'role="img"' in svg
    ident = f"drivers-{initiative.pk}"
    assert f'aria-labelledby="{ident}-title {ident}-desc"' in svg
    assert f'<title id="{ident}-title">Driver diagram: A one-page transfer summary</title>' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert desc.startswith(
        "Driver diagram. Aim: Reduce days from referral to first visit from 9 to 5 by June. "
        "2 primary drivers, 3 secondary drivers and 3 change ideas."
    )
    drawn = " ".join(re.findall(r">([^<>]+)<", svg.split("</desc>", 1)[1]))
    for line in driver_diagram.parse(OUTLINE):
        assert line.text in desc
        for word in line.text.split():
            assert word in drawn
    for heading in ("Aim", "Primary drivers", "Secondary drivers", "Change ideas"):
        assert f">{heading}</text>" in svg
    # A line from each node to the one it serves: the aim's two, and one per other node.
    assert svg.count("<path ") == 8


def test_the_svg_escapes_what_people_type():
    roots = driver_diagram.tree_from_lines(driver_diagram.parse('<script>"x"</script> & co'))
    svg = driver_diagram.svg("Aim <b>", roots, diagram_id="d")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg


def _page(client, initiative):
    return client.get(reverse("initiative_detail", args=[initiative.participant_id]))


def test_the_initiative_page_draws_it_with_a_list_beside(client, world, initiative):
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text=OUTLINE)
    client.force_login(world.line_manager)
    page = _page(client, initiative).content.decode()
    assert 'id="drivers-heading"' in page and "<svg" in page
    assert '<span class="visually-hidden">Change idea: </span>Two carers rewrite' in page
    assert reverse("drivers_edit", args=[initiative.participant_id]) not in page


def _nodes(initiative, primaries: int) -> None:
    text = "\n".join(f"Driver {i}\n  Secondary {i}\n    Idea {i}" for i in range(primaries))
    drivers.drivers_save(initiative=initiative, by=initiative.participant.user, text=text)


def test_the_page_takes_as_many_queries_for_30_nodes_as_for_3(client, world, initiative):
    client.force_login(world.participant.user)
    _nodes(initiative, 1)
    with CaptureQueriesContext(connection) as small:
        assert _page(client, initiative).status_code == 200
    _nodes(initiative, 10)
    with CaptureQueriesContext(connection) as large:
        assert _page(client, initiative).status_code == 200
    assert len(large) == len(small)


def test_the_participant_writes_the_outline_and_sees_it_back(client, world, initiative):
    client.force_login(world.participant.user)
    url = reverse("drivers_edit", args=[initiative.participant_id])
    assert "No driver diagram yet." in client.get(url).content.decode()
    response = client.post(url, {"outline": OUTLINE})
    assert response.status_code == 302
    assert response["Location"].endswith("#drivers")
    page = client.get(url).content.decode()
    assert "Staff know what to send\n  A checklist on the referral form" in page


def test_a_wrong_line_is_shown_at_the_box_with_the_outline_kept(client, world, initiative):
    client.force_login(world.participant.user)
    url = reverse("drivers_edit", args=[initiative.participant_id])
    typed = "Staff know\n  Checklist\nLeaflet\n    Carers test it"
    response = client.post(url, {"outline": typed})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "outline": ["Line 4 is a change idea with no secondary driver above it"]
    }
    page = response.content.decode()
    assert "Line 4 is a change idea with no secondary driver above it" in page
    assert "Carers test it</textarea>" in page
    assert not DriverNode.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("line_manager", 403), ("outsider", 404)])
def test_nobody_else_edits_it(client, world, initiative, role, status):
    client.force_login(getattr(world, role))
    url = reverse("drivers_edit", args=[initiative.participant_id])
    assert client.post(url, {"outline": "Theirs"}).status_code == status
    assert not DriverNode.objects.exists()


@pytest.mark.parametrize("include_initiative", [True, False])
def test_the_workshop_pack_prints_the_diagram_with_consent(world, initiative, include_initiative):
    drivers.drivers_save(initiative=initiative, by=world.participant.user, text=OUTLINE)
    consent = WorkshopConsent.objects.create(
        participant=world.participant, include=True, include_initiative=include_initiative
    )
    section = participant_preview(world.participant, consent)
    assert (section.drivers is not None) is include_initiative
    _, pdf = workshop_pack_pdf({"cohort_id": world.participant.cohort_id})
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert ("Driver diagram" in text) is include_initiative
    assert ("Primary driver: Staff know what to send" in text) is include_initiative
    assert ("Change idea: Two carers rewrite the leaflet and test it" in text) is include_initiative
    if include_initiative:
        # The picture's own words are in the PDF too (WeasyPrint draws the SVG's text).
        assert "Secondary drivers" in text and "Change ideas" in text


@pytest.mark.django_db
def test_the_demo_draws_a_driver_diagram_on_two_initiatives():
    # The demo's seeding runs the services once per demo person, on purpose (test_demo.py).
    with zeal_ignore():
        load_demo()
        load_demo()  # once only: loaded again, nothing is added
    initiatives = {node.initiative_id for node in DriverNode.objects.all()}
    assert len(initiatives) == 2
    assert DriverNode.objects.count() == 2 * len(driver_diagram.parse(DEMO_DRIVERS))
