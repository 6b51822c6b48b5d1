"""The report's small SVG charts (i2i/svgcharts.py): nothing cut off, nothing on top of
anything else, and a scale's points named.

No font is measured here either: a line of text is taken to be 0.6 × its font size per
character wide (a little more than DejaVu Sans or Arial take for a name), from one font
size above its baseline to a quarter of one below, as the charts lay it out.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from evaluation.items import CONFIDENCE, DEFAULT_ITEMS, UNDERSTANDING
from i2i.svgcharts import (
    before_after_bars_svg,
    line_chart_svg,
    medians_svg,
    nice_ticks,
    tick_text,
)

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": "http://www.w3.org/2000/svg"}
SIXTY = "Confidence to bring ideas from other organisations into my team"[:60]
MEDIANS_TITLE = "Median answer, start and end (1 to 5; questions 5+ answered both)"
SCALE_ROWS = [("1", 3, 0), ("2", 5, 2), ("3", 3, 5), ("4", 1, 4), ("5", 0, 1)]


def lines_of(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """Every line of text drawn, with its box: (text, left, right, top, bottom)."""
    found = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size"))
        anchor = text.get("text-anchor", "start")
        for span in text.findall("svg:tspan", NS) or [text]:
            words = "".join(span.itertext())
            x, y = float(span.get("x", text.get("x"))), float(span.get("y", text.get("y")))
            width = 0.6 * size * len(words)
            left = {"end": x - width, "middle": x - width / 2}.get(anchor, x)
            found.append((words, left, left + width, y - size, y + size / 4))
    return found


def label_of(root: ET.Element, starts: str) -> str:
    """A label as read, its lines joined."""
    for text in root.iter(f"{SVG}text"):
        spans = text.findall("svg:tspan", NS)
        words = " ".join("".join(s.itertext()) for s in spans) or "".join(text.itertext())
        if words.startswith(starts):
            return words
    raise AssertionError(f"no label starts {starts!r}")


def assert_all_text_in_view_and_apart(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    # An intrinsic size a scrolling box can keep: width and height are the viewBox's.
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    boxes = lines_of(root)
    for words, left, right, top, bottom in boxes:
        assert left >= 0, f"{words!r} starts {-left:.0f} px left of the picture"
        assert right <= width, f"{words!r} runs {right - width:.0f} px off the right"
        assert top >= 0 and bottom <= height, words
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[1] or b[2] <= a[1] or a[4] <= b[3] or b[4] <= a[3]
            assert apart, f"{a[0]!r} overlaps {b[0]!r}"
    return root


# --- Medians ------------------------------------------------------------------------------


def test_a_sixty_character_label_is_not_cut_off_at_the_left():
    assert len(SIXTY) == 60  # the most a short label may have (SelfAssessmentItem)
    rows = [(SIXTY, 2, 3), ("Leadership skills", 3, 4)]
    root = assert_all_text_in_view_and_apart(medians_svg("m", MEDIANS_TITLE, rows))
    assert label_of(root, SIXTY[:10]) == SIXTY  # every word drawn, on one line or two
    assert label_of(root, "Leadership") == "Leadership skills"


def test_every_default_question_is_labelled_in_full_beside_the_scale():
    labels = [item["short_label"] for item in DEFAULT_ITEMS if item["kind"] == "scale"]
    rows = [(label, 2, 4) for label in labels]
    root = assert_all_text_in_view_and_apart(medians_svg("m", MEDIANS_TITLE, rows))
    assert label_of(root, "Spotting") == "Spotting ideas that reduce duplication"
    # Labels end before the scale starts: the hollow circle of a 1 sits at the axis' "1".
    axis_one = next(box for box in lines_of(root) if box[0] == "1")
    scale_left = (axis_one[1] + axis_one[2]) / 2 - 6
    for label in labels:
        for words, _, right, _, _ in lines_of(root):
            if words and label.startswith(words):
                assert right <= scale_left, words


def test_medians_with_no_answers_say_so_in_view():
    root = assert_all_text_in_view_and_apart(medians_svg("m", MEDIANS_TITLE, [("A", None, 3)]))
    assert "no one has answered both yet" in root.find("svg:desc", NS).text


# --- Before and after, per question -------------------------------------------------------


def test_a_scale_question_names_its_points_in_the_picture_and_in_words():
    svg = before_after_bars_svg(
        "q",
        "Spotting ideas that reduce duplication (12 paired)",
        SCALE_ROWS,
        point_labels=CONFIDENCE,
    )
    root = assert_all_text_in_view_and_apart(svg)
    drawn = [box[0] for box in lines_of(root)]
    for point, words in enumerate(CONFIDENCE, start=1):
        assert label_of(root, f"{point} –") == f"{point} – {words}"
    assert "1 – Not at all confident" in drawn  # on one line when it fits
    assert root.find("svg:title", NS).text == "Spotting ideas that reduce duplication (12 paired)"
    assert root.find("svg:desc", NS).text == (
        "Spotting ideas that reduce duplication (12 paired): "
        "1 – Not at all confident: before 3, after 0; 2 – Slightly: before 5, after 2; "
        "3 – Moderately: before 3, after 5; 4 – Very: before 1, after 4; "
        "5 – Completely confident: before 0, after 1."
    )


def test_long_point_labels_wrap_and_stay_in_view():
    forty = ["Hardly at all, even with the team nearby", *UNDERSTANDING[1:]]
    assert len(forty[0]) == 40  # the most the question form accepts for a point
    svg = before_after_bars_svg(
        "q", "Whole-system working (7 paired)", SCALE_ROWS, point_labels=forty
    )
    root = assert_all_text_in_view_and_apart(svg)
    assert label_of(root, "1 –") == f"1 – {forty[0]}"


def test_a_count_question_keeps_its_bands_as_they_are():
    rows = [("0", 2, 0), ("1–2", 3, 1), ("21 or more", 0, 4)]
    svg = before_after_bars_svg("c", "People you could call (5 paired)", rows)
    root = assert_all_text_in_view_and_apart(svg)
    assert root.find("svg:desc", NS).text == (
        "People you could call (5 paired): 0: before 2, after 0; 1–2: before 3, after 1; "
        "21 or more: before 0, after 4."
    )


@pytest.mark.parametrize("paired", [5, 123])
def test_a_long_title_widens_the_chart_rather_than_running_off_it(paired):
    title = f"{SIXTY} ({paired} paired)"
    svg = before_after_bars_svg("q", title, SCALE_ROWS)
    assert_all_text_in_view_and_apart(svg)
    assert_all_text_in_view_and_apart(medians_svg("m", title, [(SIXTY, 1, 5)]))


# --- Axis ticks ----------------------------------------------------------------------------


def is_round(value: float, step: float) -> bool:
    """A multiple of the step, itself 1, 2, 2.5 or 5 times a power of ten."""
    mantissa = step / 10 ** math.floor(math.log10(step))
    multiple = value / step
    return round(mantissa, 9) in (1, 2, 2.5, 5) and abs(multiple - round(multiple)) < 1e-6


@pytest.mark.parametrize(
    "low, high", [(0, 487), (0, 1), (0, 13), (237.3, 251.2), (1.0, 1.01), (-3, 7), (0, 12_345)]
)
def test_axis_ticks_are_round_numbers_covering_the_data(low, high):
    ticks = nice_ticks(low, high)
    step = ticks[1] - ticks[0]
    assert ticks[0] <= low and ticks[-1] >= high
    assert 3 <= len(ticks) <= 8
    assert all(is_round(tick, step) for tick in ticks), ticks
    assert len({tick_text(tick, step) for tick in ticks}) == len(ticks)  # each written apart


def test_counts_are_ticked_in_whole_numbers():
    assert nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 1, whole=True) == [0, 1]


def test_the_half_days_chart_is_ticked_in_round_numbers():
    """487 half-days at the top: ticks of 0, 100 … 500, not 0, 243.5 and 487."""
    weeks = [f"{day} Mar" for day in range(1, 28)]
    actual = [min(487, 40 * week) for week in range(27)]
    expected = [round(480 * week / 26) for week in range(27)]
    root = ET.fromstring(line_chart_svg("progress", "Half-days completed", weeks, actual, expected))
    ticks = [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if t.get("text-anchor") == "end" and t.get("font-size") == "11"
    ]
    assert ticks == ["0", "100", "200", "300", "400", "500"]
    assert "243.5" not in "".join(root.itertext())
