"""SVG run charts and Making Data Count charts (improvements/charts.py).

Pure Python: no database. Every chart must parse as XML, name itself to assistive
technology, carry nothing a strict Content-Security-Policy would block, and escape
whatever text people typed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from improvements import charts, spc
from improvements.charts import chart_text_alternative, run_chart_svg
from improvements.runcharts import Point, analyse_run_chart

D = dt.date
START = D(2027, 3, 1)
WEEK = dt.timedelta(days=7)
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "Falls <script>alert(1)</script> \"quoted\" & 'single' </title><svg onload=alert(2)>"


def weekly(values, start: dt.date = START) -> list[Point]:
    return [Point(start + i * WEEK, value) for i, value in enumerate(values)]


def run_svg(points, higher_is_better=True, **kwargs) -> str:
    kwargs.setdefault("title", "Patients seen within 4 hours")
    return run_chart_svg(points, analyse_run_chart(points, higher_is_better), **kwargs)


def xmr_svg(points, higher_is_better=True, target=None, **kwargs) -> str:
    """The Making Data Count chart (improvements/spc.py) of points with no change marked."""
    kwargs.setdefault("title", "Minutes from arrival to triage")
    marked = [spc.Point(p.date, p.value, p.note) for p in points]
    return charts.spc_chart_svg(spc.analyse(marked, higher_is_better, target), **kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{{{NS['svg']}}}text")]


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in root.iter() if name in node.get("class", "").split()]


def assert_safe_and_accessible(svg: str) -> ET.Element:
    root = parse(svg)
    assert root.tag == f"{{{NS['svg']}}}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert (desc.text or "").strip()
    lowered = svg.lower()
    assert "<script" not in lowered
    assert "style=" not in lowered
    assert "<style" not in lowered
    assert "href" not in lowered
    assert "<image" not in lowered
    assert "<foreignobject" not in lowered
    for node in root.iter():
        assert not [name for name in node.attrib if name.lower().startswith("on")], node.attrib
    assert re.findall(r"https?://[^\s\"'<>]+", svg) == ["http://www.w3.org/2000/svg"]
    assert not re.search(r"\b(nan|inf)\b", lowered), "every number drawn is finite"
    return root


# --- Safe, accessible and robust ---------------------------------------------------------

DATA_SETS = {
    "no-points": [],
    "one-point": weekly([12]),
    "two-points": weekly([12, 14]),
    "all-equal": weekly([5] * 16),
    "all-zero": weekly([0] * 16),
    "same-date": [Point(START, v) for v in (3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10, 9, 11, 10)],
    "negative": weekly([-3, -5, -4, -8, -2, -6, -7, -1, -9, -4, -5, -3, -6, -2, -8, -4]),
    "crossing-zero": weekly([-1.5, 2, -0.5, 1, 0, 3, -2, 1.5, -1, 0.5, 2.5, -3, 1, -0.5, 2]),
    "tiny-rates": weekly([0.001, 0.0012, 0.0011, 0.0015, 0.0013] * 3),
    "large-values": weekly([125_000, 130_500, 128_250, 140_000, 135_750] * 3),
    "decimals": weekly([Decimal("12.5"), Decimal("13.25"), Decimal("11.75")] * 5),
    "unsorted": list(reversed(weekly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]))),
    "over-a-year": [Point(START + i * dt.timedelta(days=30), i % 7) for i in range(20)],
}


@pytest.mark.parametrize("points", list(DATA_SETS.values()), ids=list(DATA_SETS))
@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_every_chart_parses_and_is_safe(draw, points):
    root = assert_safe_and_accessible(draw(points))
    width, height = (float(root.get(name)) for name in ("width", "height"))
    assert width > 0 and height > 0


@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_no_data_yet(draw):
    root = assert_safe_and_accessible(draw([], title="Falls per 1,000 bed days"))
    assert "No data yet" in texts(root)
    assert root.find("svg:desc", NS).text == "Falls per 1,000 bed days. No data yet."


def test_xmr_with_too_few_points_draws_the_mean_and_says_so():
    root = assert_safe_and_accessible(xmr_svg(weekly([1, 2, 3, 4])))
    assert len(with_class(root, "mean")) == 1 and not with_class(root, "limit")
    assert "the limits need at least 5 points" in root.find("svg:desc", NS).text


@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_all_equal_values_still_get_a_scale(draw):
    root = assert_safe_and_accessible(draw(weekly([5] * 16)))
    tick_labels = [t for t in texts(root) if re.fullmatch(r"-?[\d,.]+", t)]
    assert len(set(tick_labels)) >= 3
    ys = {float(c.get("cy")) for c in with_class(root, "point")}
    assert len(ys) == 1  # one horizontal line of points, drawn mid-scale


def test_points_on_the_same_date_share_an_x_position():
    points = DATA_SETS["same-date"]
    root = assert_safe_and_accessible(run_svg(points))
    [line] = with_class(root, "data-line")
    xs = {pair.split(",")[0] for pair in line.get("points").split()}
    assert len(xs) == 1


def test_negative_values_are_labelled():
    root = assert_safe_and_accessible(run_svg(DATA_SETS["negative"]))
    assert any(text.startswith("-") for text in texts(root))
    assert "Median -4.5" in texts(root)


# --- Escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_hostile_text_is_escaped(draw):
    points = [
        Point(p.date, p.value, note='<img src=x onerror="alert(3)">') for p in weekly(range(16))
    ]
    svg = draw(
        points,
        title=HOSTILE,
        unit='<b>"units"</b>',
        annotations=[(START + WEEK, "PDSA <script>alert(4)</script>")],
    )
    root = assert_safe_and_accessible(svg)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&quot;quoted&quot;" in svg
    assert "<img" not in svg
    assert root.find("svg:title", NS).text == HOSTILE
    assert root.find("svg:desc", NS).text.startswith(HOSTILE)
    assert '<b>"units"</b>' in texts(root)


def test_hostile_chart_id_is_made_safe():
    svg = run_svg(weekly([1, 2, 3]), chart_id='x" onload="alert(1)')
    root = assert_safe_and_accessible(svg)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", root.find("svg:title", NS).get("id"))


def test_ids_differ_between_charts_and_can_be_chosen():
    first = parse(run_svg(weekly([1, 2, 3]), title="A"))
    second = parse(run_svg(weekly([1, 2, 3]), title="B"))
    assert first.find("svg:title", NS).get("id") != second.find("svg:title", NS).get("id")
    chosen = parse(run_svg(weekly([1, 2, 3]), chart_id="measure-7"))
    assert chosen.find("svg:title", NS).get("id") == "measure-7-title"
    assert chosen.find("svg:desc", NS).get("id") == "measure-7-desc"


# --- What is drawn ----------------------------------------------------------------------

SHIFT_UP = [1, 2, 1, 2, 1, 2, 20, 21, 20, 21, 20, 21]  # 6 below, then 6 above the median 11


def test_run_chart_draws_the_median_with_a_label():
    root = assert_safe_and_accessible(run_svg(weekly(SHIFT_UP)))
    assert "Median 11" in texts(root)
    assert with_class(root, "data-line")
    assert len(with_class(root, "point")) + len(with_class(root, "signal-point")) == 12


def test_xmr_chart_draws_mean_and_process_limits():
    known = [8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 12]
    root = assert_safe_and_accessible(xmr_svg(weekly(known)))
    labels = texts(root)
    assert "Mean 10" in labels
    assert "Upper limit 14.56" in labels
    assert "Lower limit 5.44" in labels


def test_dates_on_the_x_axis_and_values_on_the_y_axis():
    root = assert_safe_and_accessible(run_svg(weekly(SHIFT_UP), unit="%"))
    labels = texts(root)
    assert "1 Mar 2027" in labels
    assert "%" in labels
    assert "0" in labels or "5" in labels


@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_target_line_when_given(draw):
    points = weekly([8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 12])
    with_target = assert_safe_and_accessible(draw(points, target=30))
    [line] = with_class(with_target, "target")
    assert line.get("stroke-dasharray")
    assert "Target 30" in texts(with_target)
    without = assert_safe_and_accessible(draw(points))
    assert not with_class(without, "target")
    assert not any(text.startswith("Target") for text in texts(without))


@pytest.mark.parametrize("draw", [run_svg, xmr_svg], ids=["run-chart", "xmr-chart"])
def test_annotation_lines_and_labels(draw):
    points = weekly([8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 12])
    long_label = "PDSA 2: a new triage form for every patient arriving by ambulance"
    annotations = [(START + 3 * WEEK, "PDSA 1: huddle"), (START + 9 * WEEK, long_label)]
    root = assert_safe_and_accessible(draw(points, annotations=annotations))
    assert len(with_class(root, "annotation")) == 2
    short, long = with_class(root, "annotation-label")
    assert short.find("svg:title", NS).tail == "PDSA 1: huddle"
    shown = long.find("svg:title", NS).tail
    assert len(shown) <= 24 and shown.endswith("…")
    assert long_label.startswith(shown[:-1])
    assert long.find("svg:title", NS).text == long_label  # the full label, on hover


def test_annotation_outside_the_data_widens_the_date_axis():
    points = weekly([1, 2, 3])
    root = assert_safe_and_accessible(
        run_svg(points, annotations=[(START - 4 * WEEK, "PDSA 0: before the data")])
    )
    [line] = with_class(root, "annotation")
    first_point_x = float(with_class(root, "point")[0].get("cx"))
    assert float(line.get("x1")) < first_point_x


def _signal_marks(root):
    return {
        kind: len(with_class(root, f"signal-{kind}"))
        for kind in ("improvement", "concern", "neutral")
    }


@pytest.mark.parametrize(
    ("higher_is_better", "expected"),
    [
        pytest.param(True, {"improvement": 6, "concern": 6, "neutral": 0}, id="higher-better"),
        pytest.param(False, {"improvement": 6, "concern": 6, "neutral": 0}, id="lower-better"),
        pytest.param(None, {"improvement": 0, "concern": 0, "neutral": 12}, id="unknown"),
    ],
)
def test_run_chart_highlights_shift_points(higher_is_better, expected):
    root = assert_safe_and_accessible(run_svg(weekly(SHIFT_UP), higher_is_better))
    assert _signal_marks(root) == expected
    assert len(with_class(root, "signal-point")) == 12
    assert not with_class(root, "point")


def test_run_chart_colours_follow_the_better_direction():
    root = assert_safe_and_accessible(run_svg(weekly(SHIFT_UP), higher_is_better=True))
    improvement = with_class(root, "signal-improvement")
    concern = with_class(root, "signal-concern")
    assert {node.get("fill") for node in improvement} == {charts.IMPROVEMENT}
    assert {node.get("fill") for node in concern} == {charts.CONCERN}
    # The improvement is the shift above the median: the later, higher points.
    assert max(float(n.get("cy")) for n in improvement) < min(
        float(n.get("d").split()[1]) for n in concern
    )


@pytest.mark.parametrize(
    ("higher_is_better", "mark", "fill"),
    [
        pytest.param(True, "signal-improvement", "#005eb8", id="higher-better"),
        pytest.param(False, "signal-concern", "#ed8b00", id="lower-better"),
        pytest.param(None, "signal-neutral", "#768692", id="unknown"),
    ],
)
def test_xmr_highlights_a_point_outside_the_limits(higher_is_better, mark, fill):
    # Mean 153.5 / 15 = 10.233; moving ranges 21 + 6.5 = 27.5 / 14 = 1.964; the 6.5 is
    # 3.267 x 1.964 = 6.42 or more and is left out: 21 / 13 = 1.615; upper limit 10.233 +
    # 2.66 x 1.615 = 14.53, so 15.5 is above it.
    values = [8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 15.5]
    root = assert_safe_and_accessible(xmr_svg(weekly(values), higher_is_better))
    [highlighted] = with_class(root, "signal-point")
    assert mark in highlighted.get("class").split()
    assert highlighted.get("fill") == fill
    assert "7 Jun 2027: 15.5" in highlighted.find("svg:title", NS).text
    assert len(with_class(root, "point")) == 14


def test_runs_signals_are_told_not_highlighted():
    alternating = weekly([1, 20] * 10)  # 20 runs where 6 to 16 are expected: too many
    points_analysis = analyse_run_chart(alternating, True)
    assert [s.kind for s in points_analysis.signals] == ["too_many_runs"]
    root = assert_safe_and_accessible(run_chart_svg(alternating, points_analysis, title="Zig"))
    assert not with_class(root, "signal-point")
    assert "Too many runs" in root.find("svg:desc", NS).text


def test_legend_names_the_marks_in_use():
    root = assert_safe_and_accessible(run_svg(weekly(SHIFT_UP), higher_is_better=True))
    labels = texts(root)
    assert "Improvement" in labels and "Concern" in labels
    assert not any(label.startswith("Signal (") for label in labels)
    plain = assert_safe_and_accessible(run_svg(weekly([1, 2, 1, 2]), higher_is_better=True))
    assert "Improvement" not in texts(plain)


def test_point_notes_appear_in_the_tooltips():
    points = [Point(START, 4, note="Bank holiday"), Point(START + WEEK, 6)]
    root = assert_safe_and_accessible(run_svg(points))
    tips = [node.find("svg:title", NS).text for node in with_class(root, "point")]
    assert tips == ["1 Mar 2027: 4 (Bank holiday)", "8 Mar 2027: 6"]


# --- The text alternative -----------------------------------------------------------------


def test_text_alternative_states_points_dates_median_and_signals():
    points = weekly(SHIFT_UP)
    analysis = analyse_run_chart(points, True)
    text = chart_text_alternative("Patients seen within 4 hours", points, analysis)
    assert text.startswith(
        "Patients seen within 4 hours. 12 points from 1 March to 17 May 2027; the median is 11."
    )
    assert "a shift below the median (a concern)" in text
    for signal in analysis.signals:
        assert signal.sentence in text
    root = parse(run_chart_svg(points, analysis, title="Patients seen within 4 hours"))
    assert root.find("svg:desc", NS).text == text


def test_text_alternative_for_an_xmr_chart():
    # Mean 150 / 15 = 10; moving ranges 24 / 14 = 1.714 (none screened out); limits
    # 10 +/- 2.66 x 1.714 = 10 +/- 4.56.
    points = weekly([8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 12])
    marked = [spc.Point(p.date, p.value) for p in points]
    text = charts.spc_text_alternative("Triage minutes", spc.analyse(marked, False, 9))
    assert text == (
        "Triage minutes. The target is 9. Before any change (1 March to 7 June 2027, 15"
        " points): the mean is 10 and the process limits are 5.44 to 14.56. Common cause"
        " variation: the latest point (12 on 7 June 2027) is within the limits of 5.44 to"
        " 14.56 and is not part of a run, a trend or a pattern near the limits. The process"
        " is steady: it will change only if the way of working changes. Hit and miss on the"
        " target: the target of 9 is within the limits of 5.44 to 14.56, so common cause"
        " variation alone will sometimes meet it and sometimes miss it."
    )


@pytest.mark.parametrize(
    ("title", "lead"),
    [("Falls", "Falls."), ("Are we there yet?", "Are we there yet?"), ("  ", "Chart.")],
    ids=["plain", "own-punctuation", "blank"],
)
def test_text_alternative_title(title, lead):
    assert chart_text_alternative(title, [], None) == f"{lead} No data yet."


# --- Colours ------------------------------------------------------------------------------


def _contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("colour", charts.TEXT_COLOURS)
def test_text_colours_have_enough_contrast(colour):
    assert _contrast_with_white(colour) >= 4.5


@pytest.mark.parametrize("colour", charts.GRAPHIC_COLOURS)
def test_line_and_mark_colours_have_enough_contrast(colour):
    assert _contrast_with_white(colour) >= 3


def test_the_pale_concern_orange_is_always_outlined():
    values = [8, 10, 9, 11, 10, 12, 10, 9, 11, 10, 8, 10, 11, 9, 15.5]
    root = parse(xmr_svg(weekly(values), higher_is_better=False))
    for node in with_class(root, "signal-concern"):
        assert node.get("stroke") == charts.TEXT


# --- Properties ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.builds(
            Point,
            st.dates(min_value=D(2025, 1, 1), max_value=D(2029, 12, 31)),
            st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
            st.text(max_size=20),
        ),
        max_size=40,
    ),
    st.sampled_from([True, False, None]),
    st.one_of(st.none(), st.floats(min_value=-1e9, max_value=1e9)),
    st.text(max_size=40),
)
def test_any_data_makes_a_safe_chart(points, higher_is_better, target, title):
    annotations = [(p.date, p.note) for p in points[:3]]
    for svg in (
        run_svg(points, higher_is_better, title=title, target=target, annotations=annotations),
        xmr_svg(points, higher_is_better, title=title, target=target, annotations=annotations),
    ):
        root = parse(svg)
        assert root.get("role") == "img"
        assert "<script" not in svg and "style=" not in svg


@pytest.mark.parametrize(
    "values",
    [
        [240.5, 243.2, 247.9, 244.1, 239.8, 246.6, 242.0, 245.3],
        [1.001, 1.004, 1.009, 1.002, 1.006, 1.003, 1.008, 1.005],  # rates: small steps
        [0, 3, 12_000, 7_450, 9_120, 11_800, 2_500, 4_000],
    ],
)
def test_value_ticks_are_round_numbers_written_in_full(values):
    """Ticks 1, 2, 2.5 or 5 times a power of ten apart, each written as it is: a tick of
    1.0025 is not "1", next to another "1"."""
    root = assert_safe_and_accessible(run_svg(weekly(values)))
    [axis] = with_class(root, "y-axis")
    labels = ["".join(t.itertext()) for t in axis.iter(f"{{{NS['svg']}}}text")]
    ticks = [float(label.replace(",", "")) for label in labels]
    assert len(set(labels)) == len(labels) >= 3
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 2.5, 5), step
    for tick in ticks:
        assert abs(tick / step - round(tick / step)) < 1e-6, (tick, step)
    assert ticks[0] <= min(values) and ticks[-1] >= max(values)
