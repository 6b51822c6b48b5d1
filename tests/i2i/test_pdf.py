"""PDFs are tagged, so a screen reader reads their headings and tables as on the page."""

import datetime as dt
import io

from pypdf import PdfReader

from i2i.pdf import render_pdf
from programme.evaluation_report import cohort_evaluation


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
    evaluation = cohort_evaluation(world.participant.cohort, dt.date(2027, 3, 2))
    pdf = render_pdf(
        "evaluation/report_pdf.html", {"evaluation": evaluation, "generated": dt.date(2027, 3, 2)}
    )
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    roles = _roles(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= roles, roles
