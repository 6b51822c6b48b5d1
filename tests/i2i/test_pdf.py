"""PDFs are tagged, so a screen reader reads their headings and tables as on the page; one
laid out in parts reads as one document."""

import io
import re

import pytest
from pypdf import PdfReader

import i2i.pdf
from i2i.jobs import make_document
from i2i.pdf import _number_tree
from participants.models import WorkshopConsent
from programme.workshop_pack import workshop_pack_pdf
from tests.factories import ParticipantFactory, ReflectiveAccountFactory


def _roles(node, found: set[str]) -> set[str]:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _roles(child, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            _roles(node["/K"], found)
    return found


def test_a_pdf_is_tagged_with_its_language_headings_and_tables(world):
    """The evaluation report, laid out in two parts behind its cover and contents."""
    _, pdf = make_document(
        "evaluation_report", {"cohort_id": world.participant.cohort_id}, lambda *a: None
    )
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    roles = _roles(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= roles, roles


@pytest.fixture
def pack(world, monkeypatch):
    """A pack of 20 sections: three parts of sections behind the overview; merged two
    parts at a time, so the merged file is saved and opened again between them."""
    monkeypatch.setattr(i2i.pdf, "MERGE_AT_ONCE", 2)
    cohort = world.participant.cohort
    for n in range(20):
        p = ParticipantFactory(cohort=cohort, user__full_name=f"Section Person {n:02d}")
        ReflectiveAccountFactory(
            placement__participant=p, workshop_learning=f"Learning of person {n:02d}."
        )
        WorkshopConsent.objects.create(participant=p, include=True)
    _, content = workshop_pack_pdf({"cohort_id": cohort.pk})
    return PdfReader(io.BytesIO(content))


def test_a_document_laid_out_in_parts_is_one_tagged_pdf(pack):
    """Every page's marked content is found from the one structure tree: the parts' trees
    are joined and their keys moved, so a screen reader reads the whole pack."""
    root = pack.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "en-GB"
    tree = root["/StructTreeRoot"]
    assert {"/Document", "/Part", "/H1", "/H2", "/Table", "/TH", "/TD"} <= _roles(tree, set())
    parents = dict(_number_tree(tree["/ParentTree"].get_object()))
    keys = [page.get("/StructParents") for page in pack.pages]
    assert None not in keys, [i for i, k in enumerate(keys) if k is None]
    assert len(set(keys)) == len(pack.pages)  # no two pages share a key
    for page, key in zip(pack.pages, keys, strict=True):
        elements = [e.get_object() for e in parents[key].get_object()]
        pages_tagged = {e.raw_get("/Pg").idnum for e in elements}
        assert pages_tagged == {page.indirect_reference.idnum}


def test_the_contents_give_each_sections_page_and_link_to_it(pack):
    """The contents are laid out after the parts: their numbers are the pages the sections
    start on, each entry links there, and every page says "page N of M"."""
    pages = [page.extract_text() for page in pack.pages]
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"I2I Cohorts – page {number} of {total}" in text
    listed = dict(re.findall(r"(Section Person \d\d)\D*?(\d+)\s*$", pages[1], re.MULTILINE))
    assert len(listed) == 20, pages[1]
    for name, page in listed.items():
        index = int(page) - 1
        assert name in pages[index] and name not in pages[index - 1], (name, page)
    index_of = {page.indirect_reference.idnum: i for i, page in enumerate(pack.pages)}
    linked = sorted(
        index_of[link.get_object()["/Dest"][0].idnum] for link in pack.pages[1]["/Annots"]
    )
    assert {int(page) - 1 for page in listed.values()} <= set(linked)
    assert len(linked) == 24  # agenda, the cohort, 20 sections, two appendices


def _bookmarks(outline) -> list:
    return [b for item in outline for b in (_bookmarks(item) if isinstance(item, list) else [item])]


def test_the_bookmarks_lead_to_every_section(pack):
    """The parts' bookmarks (from their headings) are joined in order, each on its page."""
    names = [f"Section Person {n:02d}" for n in range(20)]
    sections = [b for b in _bookmarks(pack.outline) if b.title.startswith("Section Person")]
    assert [b.title for b in sections] == names
    for bookmark in sections:
        page = pack.get_destination_page_number(bookmark)
        assert bookmark.title in pack.pages[page].extract_text()
