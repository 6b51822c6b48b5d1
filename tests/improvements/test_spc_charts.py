"""The Making Data Count chart and the reading icons (improvements/charts.py): limits that
step at each change, the target line, the changes named, and icons with words."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from improvements import charts, spc
from tests.improvements.test_charts import NS, assert_safe_and_accessible, texts, with_class

START = dt.date(2027, 3, 1)
WEEK = dt.timedelta(days=7)
BASELINE = [20, 22, 21, 23, 22, 21, 20, 22]
AFTER_CHANGE = [10, 11, 12, 10, 11, 12, 11, 10]


def weekly(values, changes=None):
    changes = changes or {}
    return [
        spc.Point(START + i * WEEK, v, starts_phase=i in changes, phase_label=changes.get(i, ""))
        for i, v in enumerate(values)
    ]


def phased_svg(label="Referral summary sent", target=12.0, higher_is_better=False, **kwargs):
    analysis = spc.analyse(weekly(BASELINE + AFTER_CHANGE, {8: label}), higher_is_better, target)
    kwargs.setdefault("title", "Days from referral to first visit")
    return charts.spc_chart_svg(analysis, unit="days", **kwargs), analysis


def test_the_limits_step_at_the_change():
    svg, _ = phased_svg()
    root = assert_safe_and_accessible(svg)
    limits = with_class(root, "limit")
    means = with_class(root, "mean")
    assert len(limits) == 4 and len(means) == 2  # two phases, each its own lines
    baseline_upper, baseline_lower, changed_upper, changed_lower = limits
    # Each phase's lines stop where it does: the baseline's end before the change's begin.
    assert float(baseline_upper.get("x2")) < float(changed_upper.get("x1"))
    # And they sit at different heights: the limits were recalculated.
    assert baseline_upper.get("y1") != changed_upper.get("y1")
    assert baseline_lower.get("y1") != changed_lower.get("y1")
    assert baseline_upper.get("stroke-dasharray")  # limits dashed, means solid
    assert not means[0].get("stroke-dasharray")
    # The latest phase's lines are labelled with their values (7.835 to 13.915, worked by
    # hand in test_spc.py).
    words = texts(root)
    assert "Upper limit 13.92" in words and "Lower limit 7.84" in words
    assert "Mean 10.88" in words


def test_the_change_is_drawn_and_named():
    svg, _ = phased_svg()
    root = parse_ok(svg)
    [line] = with_class(root, "phase-change")
    [label] = with_class(root, "phase-label")
    assert "".join(label.itertext()).endswith("Change 1: Referral summary sent")


def test_the_target_is_a_line_of_its_own():
    svg, _ = phased_svg(target=12.0)
    root = parse_ok(svg)
    [target] = with_class(root, "target")
    assert target.get("stroke") == charts.TARGET
    assert "Target 12" in texts(root)
    no_target, _ = phased_svg(target=None)
    assert not with_class(parse_ok(no_target), "target")


def test_the_text_alternative_reads_every_phase_and_the_readings():
    svg, analysis = phased_svg()
    desc = parse_ok(svg).find("svg:desc", NS).text
    assert "Before any change (1 March to 19 April 2027, 8 points)" in desc
    assert "process limits are 17.58 to 25.18" in desc
    assert "Change 1: Referral summary sent (26 April to 14 June 2027, 8 points)" in desc
    assert "The target is 12." in desc
    assert analysis.variation.sentence in desc
    assert analysis.assurance.sentence in desc


def test_special_cause_points_are_marked_by_shape_as_well_as_colour():
    # 12, 14, 13, 15, 14, 13, 14, 20: the 20 is above the upper limit of 19.695 (worked in
    # test_spc.py); lower is better, so it is a concern: an outlined diamond.
    analysis = spc.analyse(weekly([12, 14, 13, 15, 14, 13, 14, 20]), False)
    root = parse_ok(charts.spc_chart_svg(analysis, title="Falls"))
    [concern] = with_class(root, "signal-concern")
    assert concern.tag == f"{{{NS['svg']}}}path"
    assert concern.get("stroke")  # outlined: the orange alone is too faint against white


def test_a_change_label_is_escaped():
    svg, _ = phased_svg(label="<script>alert(1)</script> & more")
    assert "<script>" not in svg
    assert_safe_and_accessible(svg)


def test_too_few_points_since_the_change_draws_only_its_mean():
    analysis = spc.analyse(weekly(BASELINE + [10, 11, 12], {8: "New form"}), False, 12)
    root = assert_safe_and_accessible(charts.spc_chart_svg(analysis, title="Days"))
    assert len(with_class(root, "limit")) == 2  # the baseline's only
    assert len(with_class(root, "mean")) == 2
    desc = root.find("svg:desc", NS).text
    assert "the limits need at least 5 points in a phase" in desc


# --- Icons ------------------------------------------------------------------------------

READINGS = [
    (charts.variation_icon_svg, spc.Reading(spc.COMMON_CAUSE, "Common cause variation", "")),
    (
        charts.variation_icon_svg,
        spc.Reading(spc.IMPROVEMENT, "Special cause improvement", "", high=False),
    ),
    (charts.variation_icon_svg, spc.Reading(spc.CONCERN, "Special cause concern", "", high=True)),
    (charts.variation_icon_svg, spc.Reading(spc.NEITHER, "Special cause variation", "", True)),
    (charts.assurance_icon_svg, spc.Reading(spc.PASSING, "Consistently passing the target", "")),
    (charts.assurance_icon_svg, spc.Reading(spc.FAILING, "Consistently failing the target", "")),
    (charts.assurance_icon_svg, spc.Reading(spc.HIT_AND_MISS, "Hit and miss on the target", "")),
]


@pytest.mark.parametrize(("draw", "reading"), READINGS, ids=[r.code for _, r in READINGS])
def test_each_icon_has_a_text_alternative(draw, reading):
    svg = draw(reading)
    root = parse_ok(svg)
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label.startswith(reading.words)
    assert root.find("svg:title", NS).text == label
    assert "style=" not in svg and "href" not in svg and "<script" not in svg


def test_an_icon_says_which_way_the_points_went():
    high = spc.Reading(spc.IMPROVEMENT, "Special cause improvement", "", high=True)
    low = spc.Reading(spc.IMPROVEMENT, "Special cause improvement", "", high=False)
    assert charts.variation_label(high) == "Special cause improvement: higher values"
    assert charts.variation_label(low) == "Special cause improvement: lower values"


def test_improvement_and_concern_differ_in_shape_not_only_colour():
    def shapes(svg):
        return [node.tag.split("}")[1] for node in parse_ok(svg)][1:2]

    improvement = charts.variation_icon_svg(spc.Reading(spc.IMPROVEMENT, "w", "", True))
    concern = charts.variation_icon_svg(spc.Reading(spc.CONCERN, "w", "", True))
    passing = charts.assurance_icon_svg(spc.Reading(spc.PASSING, "w", ""))
    failing = charts.assurance_icon_svg(spc.Reading(spc.FAILING, "w", ""))
    assert shapes(improvement) == ["circle"] and shapes(concern) == ["path"]
    assert shapes(passing) == ["circle"] and shapes(failing) == ["path"]


def parse_ok(svg: str) -> ET.Element:
    return ET.fromstring(svg)
