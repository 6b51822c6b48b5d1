"""Run charts and XmR charts drawn as inline SVG, by string building.

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
    digest,
    escape,
    nice_step,
    number,
    safe_id,
    shorten,
    svg_start,
    tick_text,
)
from improvements.runcharts import (
    MIN_POINTS_FOR_XMR,
    MONTHS,
    POINT_KINDS,
    Point,
    RunChartAnalysis,
    XmRAnalysis,
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
    if analysis is None:
        return (
            f"{lead} {len(points)} points so far: an XmR chart needs at least {MIN_POINTS_FOR_XMR}."
        )
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
    empty_message: str | None = None,
) -> str:
    width = max(int(width), 240)
    height = max(int(height), 160)
    ident = _chart_id(kind, title, points, chart_id)
    desc = chart_text_alternative(title, points, analysis)
    if not points:
        return _empty_svg(ident, title, "No data yet", desc, width)
    if empty_message:
        return _empty_svg(ident, title, empty_message, desc, width)

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

    # Centre line, limits and target, each labelled at the right-hand end.
    labels = []
    out.append('<g class="reference-lines">')
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
    """A run chart: the data, the median, an optional target and PDSA annotations."""
    centre = []
    if analysis is not None and analysis.median is not None:
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
    )


def xmr_chart_svg(
    points: Sequence[Point],
    analysis: XmRAnalysis | None,
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    annotations: Sequence[tuple[dt.date, str]] = (),
    width: int = 720,
    height: int = 320,
    chart_id: str | None = None,
) -> str:
    """An XmR chart: the data, mean and process limits, target and PDSA annotations.

    With too few points for an XmR chart (analysis None) it says so instead.
    """
    if analysis is None:
        return _draw(
            "xmr-chart",
            points,
            None,
            [],
            title=title,
            unit=unit,
            target=target,
            annotations=annotations,
            width=width,
            height=height,
            chart_id=chart_id,
            empty_message=(
                f"An XmR chart needs at least {MIN_POINTS_FOR_XMR} points; "
                f"there {'is' if len(points) == 1 else 'are'} {len(points)}."
            ),
        )
    centre = [
        (analysis.upper_limit, "Upper limit", SECONDARY_TEXT, "4 3"),
        (analysis.mean, "Mean", TEXT, ""),
        (analysis.lower_limit, "Lower limit", SECONDARY_TEXT, "4 3"),
    ]
    return _draw(
        "xmr-chart",
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
    )
