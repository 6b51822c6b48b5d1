"""Run charts and Making Data Count charts drawn as inline SVG, by string building.

Pure Python: no Django, no plotting library, nothing fetched. The SVG uses only
presentation attributes (`fill=`, `stroke=`...), never `style=`, `<script>`, event
handlers, external fonts or links, so it renders under a strict Content-Security-Policy
and inside WeasyPrint PDFs. Text, numbers, ids and the opening that names the chart come
from `i2i/svgcharts.py`, the primitives every picture shares; every piece of text is
escaped there.

Each chart is `role="img"` with a `<title>` and a `<desc>` (the text alternative:
the analysis summary and every signal's sentence) named by `aria-labelledby`.

Signal points are drawn larger, and the shape as well as the colour says what they
mean, so colour is never the only cue (WCAG 1.4.1):

- improvement: a blue (#005eb8) circle;
- concern: an orange (#ed8b00) diamond, outlined in near-black because that orange
  alone has too little contrast against white for a graphic (2.5:1 < 3:1);
- signal whose direction of improvement is not known: a grey (#768692) square.

Only signals made by particular points (shifts, trends, points outside the limits,
runs about the mean) highlight points; "too few runs" and "too many runs" are
properties of the whole chart and are told in the description instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from i2i.svgcharts import (
    FONT,
    GRID,
    SECONDARY_TEXT,
    TEXT,
    WHITE,
    digest,
    escape,
    nice_step,
    number,
    safe_id,
    shorten,
    svg_start,
    tick_text,
)
from improvements import spc
from improvements.runcharts import (
    MONTHS,
    POINT_KINDS,
    Point,
    RunChartAnalysis,
    format_value,
    sort_points,
)

# Colours, with their contrast against white: text needs 4.5:1, lines and marks 3:1
# (TEXT, SECONDARY_TEXT, GRID and WHITE are every picture's, from i2i.svgcharts).
DATA_LINE = "#425563"  # 7.8:1
IMPROVEMENT = "#005eb8"  # 6.4:1
CONCERN = "#ed8b00"  # 2.5:1: always outlined in TEXT
NEUTRAL = "#768692"  # 3.8:1
TARGET = "#007f3b"  # 5.1:1
ANNOTATION = "#768692"  # 3.8:1
TEXT_COLOURS = (TEXT, SECONDARY_TEXT, TARGET)
GRAPHIC_COLOURS = (DATA_LINE, IMPROVEMENT, NEUTRAL, TARGET, ANNOTATION, TEXT)
# FONT is every picture's (i2i.svgcharts): the PDF's one family, then system fonts.

MARGIN_LEFT = 60
MARGIN_RIGHT = 118
MARGIN_TOP = 40
MARGIN_BOTTOM = 58
INNER_PAD = 12  # keeps the first and last markers off the axes
LABEL_GAP = 13  # the least vertical distance between two line labels
ANNOTATION_ROWS = 3
ANNOTATION_LABEL_CHARS = 24

SHORT_MONTHS = tuple(month[:3] for month in MONTHS)


def _chart_id(kind: str, title: str, points: Sequence[Point], chart_id: str | None) -> str:
    """The id asked for, made safe; else one from the data, the same for the same chart."""
    data = repr((kind, title, [(p.date.isoformat(), float(p.value)) for p in points]))
    return safe_id(chart_id, "chart") or f"{kind}-{digest(data)}"


def _tick_date(day: dt.date, with_year: bool) -> str:
    text = f"{day.day} {SHORT_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def chart_text_alternative(title: str, points: Sequence[Point], analysis) -> str:
    """The chart in words: points, dates, median or mean, limits and every signal."""
    name = " ".join(str(title).split()) or "Chart"
    lead = name if name[-1] in ".!?" else f"{name}."
    if not points:
        return f"{lead} No data yet."
    sentences = [lead, analysis.summary, *(signal.sentence for signal in analysis.signals)]
    return " ".join(sentences)


def _empty_svg(chart_id: str, title: str, message: str, desc: str, width: int) -> str:
    height = 80
    return "".join(
        [
            *svg_start(chart_id, title, desc, width, height, font=FONT, font_size=12, frame=GRID),
            f'<text x="{number(width / 2)}" y="{number(height / 2 + 5)}" text-anchor="middle" '
            f'font-size="14" fill="{SECONDARY_TEXT}">{escape(message)}</text>',
            "</svg>",
        ]
    )


class _Scale:
    """Linear mapping from a domain to a pixel range."""

    def __init__(self, low: float, high: float, start: float, end: float):
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        fraction = (value - self.low) / span if span else 0.5
        return self.start + fraction * (self.end - self.start)


def _value_ticks(values: Sequence[float]) -> tuple[float, float, list[float]]:
    low, high = min(values), max(values)
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        pad = max(abs(high) * 0.1, 1.0)  # all equal: no zero-height scale
        low, high = low - pad, high + pad
    else:
        pad = (high - low) * 0.05
        low, high = low - pad, high + pad
    step = nice_step(high - low)  # 1, 2, 2.5 or 5 times a power of ten
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    count = round((high - low) / step)
    ticks = [round(low + i * step, 10) for i in range(count + 1)]
    return low, high, ticks


def _spread_labels(labels: list[list], top: float, bottom: float) -> None:
    """Nudge line labels ([y, ...]) apart so that none overlap, within top..bottom."""
    labels.sort(key=lambda label: label[0])
    for i in range(1, len(labels)):
        labels[i][0] = max(labels[i][0], labels[i - 1][0] + LABEL_GAP)
    overflow = labels[-1][0] - bottom if labels else 0
    if overflow > 0:
        for label in labels:
            label[0] -= overflow
    for i in range(len(labels) - 2, -1, -1):
        labels[i][0] = min(labels[i][0], labels[i + 1][0] - LABEL_GAP)
    for label in labels:
        label[0] = max(label[0], top)


def _marker(kind: str, x: float, y: float, tooltip: str, *, legend: bool = False) -> str:
    tip = f"<title>{escape(tooltip)}</title>"
    css = f"legend-mark legend-{kind}" if legend else f"signal-point signal-{kind}"
    if kind == "improvement":
        return (
            f'<circle cx="{number(x)}" cy="{number(y)}" r="6" fill="{IMPROVEMENT}" stroke="{TEXT}" '
            f'stroke-width="1" class="{css}">{tip}</circle>'
        )
    if kind == "concern":
        d = 7
        path = (
            f"M{number(x)} {number(y - d)} L{number(x + d)} {number(y)} "
            f"L{number(x)} {number(y + d)} L{number(x - d)} {number(y)} Z"
        )
        return (
            f'<path d="{path}" fill="{CONCERN}" stroke="{TEXT}" stroke-width="1.5" '
            f'class="{css}">{tip}</path>'
        )
    if kind == "neutral":
        return (
            f'<rect x="{number(x - 5)}" y="{number(y - 5)}" width="10" height="10" '
            f'fill="{NEUTRAL}" stroke="{TEXT}" stroke-width="1" class="{css}">{tip}</rect>'
        )
    return (
        f'<circle cx="{number(x)}" cy="{number(y)}" r="3" fill="{DATA_LINE}" '
        f'class="point">{tip}</circle>'
    )


def _point_marks(signals) -> dict[int, str]:
    """Each signal point's marker: a concern outranks an improvement outranks neither."""
    rank = {"concern": 3, "improvement": 2, "neutral": 1}
    marks: dict[int, str] = {}
    for signal in signals:
        if signal.kind not in POINT_KINDS:
            continue
        if signal.improvement is None:
            kind = "neutral"
        else:
            kind = "improvement" if signal.improvement else "concern"
        for index in signal.indices:
            if rank[kind] > rank.get(marks.get(index, ""), 0):
                marks[index] = kind
    return marks


def _legend(kinds: set[str], x: float, y: float) -> list[str]:
    entries = [
        ("improvement", "Improvement"),
        ("concern", "Concern"),
        ("neutral", "Signal (better direction not set)"),
    ]
    parts = []
    for kind, label in entries:
        if kind not in kinds:
            continue
        parts.append(_marker(kind, x + 6, y - 4, label, legend=True))
        parts.append(
            f'<text x="{number(x + 16)}" y="{number(y)}" fill="{TEXT}">{escape(label)}</text>'
        )
        x += 30 + 6.5 * len(label)
    return parts


def _draw(
    kind: str,
    points: Sequence[Point],
    analysis,
    centre_lines: list[tuple[float, str, str, str]],
    *,
    title: str,
    unit: str,
    target: float | None,
    annotations: Sequence[tuple[dt.date, str]],
    width: int,
    height: int,
    chart_id: str | None,
    phase_lines: Sequence[tuple[dt.date, dt.date, float, str, str, str, bool]] = (),
    phase_marks: Sequence[tuple[float, str]] = (),
    marks: dict[int, str] | None = None,
    desc: str | None = None,
) -> str:
    """The chart: `centre_lines` span it; `phase_lines` (first day, last day, value,
    text, colour, dash, labelled) span one phase each, so that limits step at a change,
    which `phase_marks` (a day's ordinal, a label) draw as labelled vertical lines."""
    width = max(int(width), 240)
    height = max(int(height), 160)
    ident = _chart_id(kind, title, points, chart_id)
    if desc is None:
        desc = chart_text_alternative(title, points, analysis)
    if not points:
        return _empty_svg(ident, title, "No data yet", desc, width)

    ordered = sort_points(points)
    values = [float(p.value) for p in ordered]
    annotations = [(day, str(label)) for day, label in annotations]

    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM

    # x: a date scale, so that irregular measurement dates are spaced truthfully.
    days = [p.date.toordinal() for p in ordered] + [day.toordinal() for day, _ in annotations]
    first_day, last_day = min(days), max(days)
    if first_day == last_day:
        first_day, last_day = first_day - 1, last_day + 1
    x_of = _Scale(first_day, last_day, left + INNER_PAD, right - INNER_PAD)

    # y: every value and line drawn must fit.
    extents = values + [value for value, *_ in centre_lines]
    extents += [value for _, _, value, *_ in phase_lines]
    if target is not None:
        extents.append(float(target))
    low, high, y_ticks = _value_ticks(extents)
    y_of = _Scale(low, high, bottom, top)

    out = [
        *svg_start(ident, title, desc, width, height, font=FONT, font_size=11, css_class=kind),
        f'<text x="{left}" y="22" font-size="14" font-weight="bold" fill="{TEXT}">'
        f"{escape(shorten(title, max(10, (width - left) // 8)))}</text>",
    ]

    # Grid, y ticks and axes.
    out.append('<g class="y-axis">')
    step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    for tick in y_ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{number(y)}" x2="{right}" y2="{number(y)}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{number(y + 4)}" text-anchor="end" fill="{SECONDARY_TEXT}">'
            f"{escape(tick_text(tick, step))}</text>"
        )
    if unit:
        middle = (top + bottom) / 2
        out.append(
            f'<text x="14" y="{number(middle)}" text-anchor="middle" fill="{SECONDARY_TEXT}" '
            f'transform="rotate(-90 14 {number(middle)})">{escape(shorten(unit, 30))}</text>'
        )
    out.append("</g>")

    out.append('<g class="x-axis">')
    tick_count = max(2, min(6, (right - left) // 110))
    span = last_day - first_day
    tick_days = sorted({first_day + round(i * span / (tick_count - 1)) for i in range(tick_count)})
    previous_year = None
    for ordinal in tick_days:
        day = dt.date.fromordinal(ordinal)
        x = x_of(ordinal)
        out.append(
            f'<line x1="{number(x)}" y1="{bottom}" x2="{number(x)}" y2="{bottom + 5}" '
            f'stroke="{SECONDARY_TEXT}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{number(x)}" y="{bottom + 18}" text-anchor="middle" fill="{SECONDARY_TEXT}">'
            f"{escape(_tick_date(day, day.year != previous_year))}</text>"
        )
        previous_year = day.year
    out.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{SECONDARY_TEXT}" '
        'stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{SECONDARY_TEXT}" '
        'stroke-width="1"/>'
    )
    out.append("</g>")

    # PDSA cycles and other annotations: dotted vertical lines with short labels.
    if annotations:
        out.append('<g class="annotations">')
        for row, (day, label) in enumerate(sorted(annotations, key=lambda a: a[0])):
            x = x_of(day.toordinal())
            y = top + 10 + (row % ANNOTATION_ROWS) * 12
            towards_right = x < (left + right) / 2
            anchor = "start" if towards_right else "end"
            label_x = x + 3 if towards_right else x - 3
            out.append(
                f'<line x1="{number(x)}" y1="{top}" x2="{number(x)}" y2="{bottom}" '
                f'stroke="{ANNOTATION}" stroke-width="1" stroke-dasharray="2 3" '
                'class="annotation"/>'
            )
            out.append(
                f'<text x="{number(label_x)}" y="{number(y)}" text-anchor="{anchor}" '
                f'font-size="10" fill="{SECONDARY_TEXT}" class="annotation-label">'
                f"<title>{escape(label)}</title>"
                f"{escape(shorten(label, ANNOTATION_LABEL_CHARS))}</text>"
            )
        out.append("</g>")

    # Changes: a solid vertical line where each phase starts, with the change's name.
    if phase_marks:
        out.append('<g class="phase-changes">')
        for row, (ordinal, label) in enumerate(phase_marks):
            x = x_of(ordinal)
            y = top - 4 - (row % 2) * 12
            towards_right = x < (left + right) / 2
            anchor = "start" if towards_right else "end"
            out.append(
                f'<line x1="{number(x)}" y1="{top - 2}" x2="{number(x)}" y2="{bottom}" '
                f'stroke="{TEXT}" stroke-width="1.5" class="phase-change"/>'
            )
            out.append(
                f'<text x="{number(x + 3 if towards_right else x - 3)}" y="{number(y)}" '
                f'text-anchor="{anchor}" font-size="10" fill="{TEXT}" class="phase-label">'
                f"<title>{escape(label)}</title>"
                f"{escape(shorten(label, ANNOTATION_LABEL_CHARS + 8))}</text>"
            )
        out.append("</g>")

    # Centre line, limits and target, each labelled at the right-hand end.
    labels = []
    out.append('<g class="reference-lines">')
    for first, last, value, text, colour, dash, labelled in phase_lines:
        y = y_of(value)
        x1, x2 = x_of(first.toordinal()), x_of(last.toordinal())
        if x2 - x1 < 8:  # a phase of one day: a short step, still visible
            x1, x2 = x1 - 4, x2 + 4
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        css = "limit" if dash else "mean"
        out.append(
            f'<line x1="{number(x1)}" y1="{number(y)}" x2="{number(x2)}" y2="{number(y)}" '
            f'stroke="{colour}" stroke-width="1.5"{dash_attr} class="phase-line {css}"/>'
        )
        if labelled:
            labels.append([y + 4, f"{text} {format_value(value)}", colour])
    for value, text, colour, dash in centre_lines:
        y = y_of(value)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{left}" y1="{number(y)}" x2="{right}" y2="{number(y)}" stroke="{colour}" '
            f'stroke-width="1.5"{dash_attr}/>'
        )
        labels.append([y + 4, f"{text} {format_value(value)}", colour])
    if target is not None:
        y = y_of(float(target))
        out.append(
            f'<line x1="{left}" y1="{number(y)}" x2="{right}" y2="{number(y)}" stroke="{TARGET}" '
            'stroke-width="1.5" stroke-dasharray="8 4" class="target"/>'
        )
        labels.append([y + 4, f"Target {format_value(float(target))}", TARGET])
    _spread_labels(labels, top + 4, bottom + 4)
    for y, text, colour in labels:
        out.append(f'<text x="{right + 6}" y="{number(y)}" fill="{colour}">{escape(text)}</text>')
    out.append("</g>")

    # The data.
    coordinates = [
        (x_of(p.date.toordinal()), y_of(v)) for p, v in zip(ordered, values, strict=True)
    ]
    out.append(
        '<polyline points="'
        + " ".join(f"{number(x)},{number(y)}" for x, y in coordinates)
        + f'" fill="none" stroke="{DATA_LINE}" stroke-width="2" stroke-linejoin="round" '
        'class="data-line"/>'
    )
    if marks is None:
        marks = _point_marks(analysis.signals if analysis is not None else ())
    out.append('<g class="points">')
    for index, ((x, y), point, value) in enumerate(zip(coordinates, ordered, values, strict=True)):
        mark = marks.get(index, "point")
        tooltip = f"{_tick_date(point.date, True)}: {format_value(value)}"
        if point.note:
            tooltip += f" ({point.note})"
        out.append(_marker(mark, x, y, tooltip))
    out.append("</g>")

    legend = _legend(set(marks.values()), left, height - 10)
    if legend:
        out.append('<g class="legend">')
        out.extend(legend)
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def run_chart_svg(
    points: Sequence[Point],
    analysis: RunChartAnalysis,
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    annotations: Sequence[tuple[dt.date, str]] = (),
    width: int = 720,
    height: int = 320,
    chart_id: str | None = None,
) -> str:
    """A run chart: the data, the median, an optional target and PDSA annotations. With
    changes marked, each phase's median is drawn over that phase alone (so it steps at each
    change, as the Making Data Count chart's mean does) and each change is named."""
    centre = []
    lines = []
    changes = []
    phases = analysis.phases if analysis is not None else ()
    if len(phases) > 1:
        ordered = sort_points(points)
        for phase in phases:
            first_day, last_day = ordered[phase.first].date, ordered[phase.last].date
            labelled = phase is phases[-1]
            lines.append((first_day, last_day, phase.median, "Median", TEXT, "", labelled))
        for phase in phases[1:]:
            before, after = ordered[phase.first - 1].date, ordered[phase.first].date
            changes.append(((before.toordinal() + after.toordinal()) / 2, phase.name))
    elif analysis is not None and analysis.median is not None:
        centre.append((analysis.median, "Median", TEXT, ""))
    return _draw(
        "run-chart",
        points,
        analysis,
        centre,
        title=title,
        unit=unit,
        target=target,
        annotations=annotations,
        width=width,
        height=height,
        chart_id=chart_id,
        phase_lines=lines,
        phase_marks=changes,
    )


# --- Making Data Count: the phased chart and the reading icons --------------------------


def _spc_marks(analysis: spc.Analysis) -> dict[int, str]:
    kinds = {spc.IMPROVEMENT: "improvement", spc.CONCERN: "concern", spc.NEITHER: "neutral"}
    return {
        index: kinds[reading.variation]
        for index, reading in enumerate(analysis.readings)
        if reading.variation in kinds
    }


def spc_text_alternative(title: str, analysis: spc.Analysis) -> str:
    """The chart in words: each phase's mean and limits, each signal and the readings."""
    name = " ".join(str(title).split()) or "Chart"
    lead = name if name[-1] in ".!?" else f"{name}."
    if not analysis.points:
        return f"{lead} No data yet."
    target = ""
    if analysis.target is not None:
        target = f" The target is {format_value(analysis.target)}."
    return f"{lead}{target} {analysis.summary}"


def spc_chart_svg(
    analysis: spc.Analysis,
    *,
    title: str,
    unit: str = "",
    annotations: Sequence[tuple[dt.date, str]] = (),
    width: int = 720,
    height: int = 320,
    chart_id: str | None = None,
) -> str:
    """A Making Data Count chart: each phase's mean and process limits drawn over that
    phase alone (so they step at each change), the target, the changes named, and
    special-cause points marked as improvement, concern or neither."""
    points = list(analysis.points)
    lines = []
    last = len(analysis.phases) - 1
    for number_, phase in enumerate(analysis.phases):
        first_day = points[phase.first].date
        last_day = points[phase.last].date
        labelled = number_ == last
        lines.append((first_day, last_day, phase.mean, "Mean", TEXT, "", labelled))
        if phase.has_limits:
            for value, text in (
                (phase.upper_limit, "Upper limit"),
                (phase.lower_limit, "Lower limit"),
            ):
                lines.append((first_day, last_day, value, text, SECONDARY_TEXT, "4 3", labelled))
    changes = []
    for phase in analysis.phases[1:]:
        before, after = points[phase.first - 1].date, points[phase.first].date
        middle = (before.toordinal() + after.toordinal()) / 2
        changes.append((middle, spc.phase_name(phase)))
    return _draw(
        "spc-chart",
        points,
        None,
        [],
        title=title,
        unit=unit,
        target=analysis.target,
        annotations=annotations,
        width=width,
        height=height,
        chart_id=chart_id,
        phase_lines=lines,
        phase_marks=changes,
        marks=_spc_marks(analysis),
        desc=spc_text_alternative(title, analysis),
    )


ICON_SIZE = 40


def _icon(label: str, body: str, size: int) -> str:
    """A reading's icon: a picture with its words as its name (and visible beside it)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{size}" '
        f'height="{size}" role="img" aria-label="{escape(label)}" class="reading-icon" '
        f'focusable="false"><title>{escape(label)}</title>{body}</svg>'
    )


def _arrow(high: bool | None, colour: str) -> str:
    if high is None:
        return ""
    path = "M20 9 L28 20 L23 20 L23 30 L17 30 L17 20 L12 20 Z"
    if not high:
        path = "M20 31 L28 20 L23 20 L23 10 L17 10 L17 20 L12 20 Z"
    return f'<path d="{path}" fill="{colour}"/>'


def variation_label(reading: spc.Reading) -> str:
    """The icon's words: the reading, and for a special cause which way the points went."""
    way = ""
    if reading.high is not None:
        way = ": higher values" if reading.high else ": lower values"
    return f"{reading.words}{way}"


def variation_icon_svg(reading: spc.Reading, size: int = ICON_SIZE) -> str:
    """Common cause: a grey ring around points scattered about a line. Improvement: a
    blue circle; concern: an orange diamond outlined in near-black; neither: a grey
    square; each with an arrow for the way the points went. The shapes are the chart's
    markers', so shape as well as colour tells them apart."""
    label = variation_label(reading)
    if reading.code == spc.COMMON_CAUSE:
        body = (
            f'<circle cx="20" cy="20" r="17" fill="{WHITE}" stroke="{NEUTRAL}" stroke-width="3"/>'
            f'<line x1="9" y1="20" x2="31" y2="20" stroke="{NEUTRAL}" stroke-width="1.5"/>'
            f'<polyline points="10,23 15,16 20,24 25,17 30,22" fill="none" stroke="{DATA_LINE}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    elif reading.code == spc.IMPROVEMENT:
        body = f'<circle cx="20" cy="20" r="18" fill="{IMPROVEMENT}"/>' + _arrow(
            reading.high, WHITE
        )
    elif reading.code == spc.CONCERN:
        body = (
            f'<path d="M20 1 L39 20 L20 39 L1 20 Z" fill="{CONCERN}" stroke="{TEXT}" '
            'stroke-width="1.5"/>' + _arrow(reading.high, TEXT)
        )
    else:
        body = (
            f'<rect x="3" y="3" width="34" height="34" fill="{NEUTRAL}" stroke="{TEXT}" '
            'stroke-width="1"/>' + _arrow(reading.high, WHITE)
        )
    return _icon(label, body, size)


def assurance_label(reading: spc.Reading) -> str:
    return reading.words


def assurance_icon_svg(reading: spc.Reading, size: int = ICON_SIZE) -> str:
    """Passing: a blue circle with a tick; failing: an orange diamond with a cross;
    hit and miss: a grey ring with a line (the target) crossed by the points."""
    label = assurance_label(reading)
    if reading.code == spc.PASSING:
        body = (
            f'<circle cx="20" cy="20" r="18" fill="{IMPROVEMENT}"/>'
            f'<path d="M11 21 L17 27 L29 13" fill="none" stroke="{WHITE}" stroke-width="4" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    elif reading.code == spc.FAILING:
        body = (
            f'<path d="M20 1 L39 20 L20 39 L1 20 Z" fill="{CONCERN}" stroke="{TEXT}" '
            'stroke-width="1.5"/>'
            f'<path d="M14 14 L26 26 M26 14 L14 26" stroke="{TEXT}" stroke-width="3.5" '
            'stroke-linecap="round"/>'
        )
    else:
        body = (
            f'<circle cx="20" cy="20" r="17" fill="{WHITE}" stroke="{NEUTRAL}" stroke-width="3"/>'
            f'<line x1="8" y1="20" x2="32" y2="20" stroke="{TARGET}" stroke-width="2" '
            'stroke-dasharray="4 2"/>'
            f'<polyline points="10,26 15,13 20,25 25,14 30,24" fill="none" stroke="{DATA_LINE}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    return _icon(label, body, size)
