"""The programme's numbers (3 placements, 12 half-days, 4 each, 26 weeks) come from the rules'
report: a template that wrote them itself would disagree with the rules the day they change."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PROGRESS_TEMPLATES = [
    "placements/_progress.html",
    "placements/_progress_compact.html",
    "dashboard/cohort.html",
    "participants/participant_detail.html",
]
# "of 3", max="12", "> 26": a number where the report's number belongs.
LITERAL = re.compile(r"""(\bof \d+\b|\bmax="\d+"|[<>]=? ?\d+\s*%\})""")


@pytest.mark.parametrize("name", PROGRESS_TEMPLATES)
def test_progress_templates_print_the_numbers_the_report_carries(name):
    text = (TEMPLATES / name).read_text()
    assert LITERAL.findall(text) == []
    assert "report." in text


def test_the_check_finds_a_written_number():
    assert LITERAL.findall('<progress max="3"> 2 of 3 {% if x > 26 %}') == [
        'max="3"',
        "of 3",
        "> 26 %}",
    ]
