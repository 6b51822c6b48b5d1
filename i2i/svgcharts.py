"""Small SVG charts drawn on the server: bars and lines, for pages and PDFs alike.

Pure Python. Presentation attributes only (no `style`, no scripts, nothing fetched), so
they pass the Content-Security-Policy and render in WeasyPrint. Each chart names itself
with a <title> and describes its data in a <desc>, its text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = "#005eb8"
LINE = "#007f3b"
EXPECTED = "#768692"
TEXT = "#212b32"
GRID = "#d8dde0"
FONT = "DejaVu Sans, Arial, sans-serif"  # the PDF's font; Arial is a little narrower
CHAR_WIDTH = 0.6  # estimated width of one character, as a fraction of the font size
TITLE_FONT = 14
LABEL_FONT = 12
LINE_PITCH = 15  # between the lines of a label written on two


def _e(text) -> str:
    return escape(str(text), quote=True)


def text_width(text: str, font_size: float) -> float:
    """The width a layout allows for `text`: no font is measured on the server, so
    CHAR_WIDTH × font size per character, a little more than most names take."""
    return CHAR_WIDTH * font_size * len(text)


def wrap(text: str, chars: int) -> list[str]:
    """The words of `text` on lines of at most `chars` characters (a longer word is split)."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        while len(word) > chars:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:chars])
            word = word[chars:]
        if not word:
            continue
        if line and len(line) + 1 + len(word) > chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _two_lines(text: str, chars: int) -> list[str]:
    """`text` on one line or two of about `chars` characters, lines lengthened if it needs
    more: a label is never cut short."""
    chars = max(1, chars)
    while len(lines := wrap(text, chars)) > 2:
        chars += 1
    return lines


def _label(x: float, y: float, lines: list[str], *, anchor: str) -> str:
    """A label of one or more lines, centred on y."""
    size, pitch = LABEL_FONT, LINE_PITCH
    top = y + 0.35 * size - pitch * (len(lines) - 1) / 2
    start = (
        f'<text x="{x:.1f}" y="{top:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{TEXT}">'
    )
    if len(lines) == 1:
        return f"{start}{_e(lines[0])}</text>"
    return (
        start
        + "".join(
            f'<tspan x="{x:.1f}" y="{top + pitch * i:.1f}">{_e(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        + "</text>"
    )


def _fit_title(title: str, width: int) -> int:
    """The chart's width, widened if its title would otherwise run off the right."""
    return max(width, round(8 + text_width(title, TITLE_FONT) + 8))


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" font-family="{FONT}">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="18" font-size="{TITLE_FONT}" font-weight="bold" fill="{TEXT}" '
        f'font-family="{FONT}">{_e(title)}</text>',
    ]


def bar_chart_svg(
    chart_id: str, title: str, items: Sequence[tuple[str, int]], *, unit: str = "", width=560
) -> str:
    """Horizontal bars, one per label, with the value written at the end of each bar."""
    items = list(items)
    row = 26
    label_width = 200
    height = 40 + row * max(1, len(items))
    if items:
        desc = f"{title}: " + "; ".join(f"{label} {value}{unit}" for label, value in items) + "."
    else:
        desc = f"{title}: no data yet."
    out = _svg_open(chart_id, title, desc, width, height)
    largest = max((value for _, value in items), default=0) or 1
    span = width - label_width - 60
    for index, (label, value) in enumerate(items):
        y = 32 + index * row
        length = max(1, round(span * value / largest)) if value else 0
        out.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}" font-family="DejaVu Sans, Arial, sans-serif">{_e(label)}</text>'
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" '
            f'fill="{BAR}"/>'
        )
        out.append(
            f'<text x="{label_width + length + 6}" y="{y + 15}" font-size="12" fill="{TEXT}" '
            f'font-family="DejaVu Sans, Arial, sans-serif">{value}{_e(unit)}</text>'
        )
    if not items:
        out.append(f'<text x="8" y="44" font-size="12" fill="{TEXT}">No data yet</text>')
    out.append("</svg>")
    return "".join(out)


def line_chart_svg(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    actual: Sequence[float],
    expected: Sequence[float] | None = None,
    *,
    actual_name: str = "Actual",
    expected_name: str = "Expected",
    width: int = 560,
    height: int = 240,
) -> str:
    """One or two lines over the same labels (for example, weeks)."""
    n = len(labels)
    if n == 0:
        out = _svg_open(chart_id, title, f"{title}: no data yet.", width, 60)
        out.append(f'<text x="8" y="44" font-size="12" fill="{TEXT}">No data yet</text></svg>')
        return "".join(out)
    desc = (
        f"{title}, {labels[0]} to {labels[-1]}: {actual_name.lower()} {_fmt(actual[-1])} at the end"
    )
    if expected:
        desc += f", against {_fmt(expected[-1])} {expected_name.lower()}"
    out = _svg_open(chart_id, title, desc + ".", width, height)
    left, right, top, bottom = 44, width - 34, 30, height - 40
    top_value = max([*actual, *(expected or []), 1])

    def x(i):
        return left + (right - left) * (i / max(1, n - 1))

    def y(v):
        return bottom - (bottom - top) * (v / top_value)

    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}">{_fmt(value)}</text>'
        )
    for i in sorted({0, n // 2, n - 1}):
        out.append(
            f'<text x="{x(i):.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}">{_e(labels[i])}</text>'
        )
    if expected:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(expected))
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{EXPECTED}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(actual))
    out.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="3"/>')
    legend_y = height - 8
    out.append(
        f'<line x1="{left}" x2="{left + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{LINE}" stroke-width="3"/><text x="{left + 30}" y="{legend_y}" '
        f'font-size="11" fill="{TEXT}">{_e(actual_name)}</text>'
    )
    if expected:
        out.append(
            f'<line x1="{left + 150}" x2="{left + 174}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}" stroke="{EXPECTED}" stroke-width="2" '
            f'stroke-dasharray="6 4"/><text x="{left + 180}" y="{legend_y}" font-size="11" '
            f'fill="{TEXT}">{_e(expected_name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _describe(title: str, parts: list[str], empty: str) -> str:
    """A chart's <desc>: its title, then each datum in words."""
    return f"{title}: " + ("; ".join(parts) if parts else empty) + "."


def before_after_bars_svg(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, int, int]],
    *,
    point_labels: Sequence[str] | None = None,
    width: int = 560,
) -> str:
    """For each label, a pale "before" bar above a dark "after" bar, each with its count
    written at its end and its moment named at its start (so colour is not the only cue).

    `point_labels` are the words of a scale's points, lowest first ("Very little"...): a
    row "1" is then labelled "1 – Very little", in the picture and in its description, so
    that a median of 2 can be read as an answer.
    """
    rows = list(rows)
    words = [str(word).strip() for word in point_labels or []]
    names = [
        f"{label} – {words[i]}" if i < len(words) and words[i] else str(label)
        for i, (label, _, _) in enumerate(rows)
    ]
    lines = [_two_lines(name, 24) for name in names]  # "5 – Completely confident" fits one
    widest = max((text_width(line, LABEL_FONT) for name in lines for line in name), default=0)
    label_width, pair = max(110, round(8 + widest + 8)), 40
    width = _fit_title(title, max(width, label_width + 110 + 150))
    height = 50 + pair * max(1, len(rows))
    desc = _describe(
        title,
        [f"{name}: before {b}, after {a}" for name, (_, b, a) in zip(names, rows, strict=True)],
        "no answers yet",
    )
    out = _svg_open(chart_id, title, desc, width, height)
    largest = max((max(b, a) for _, b, a in rows), default=0) or 1
    span = width - label_width - 110
    for index, (_, before, after) in enumerate(rows):
        y = 34 + index * pair
        out.append(_label(label_width - 8, y + 16, lines[index], anchor="end"))
        for offset, moment, value, colour in (
            (0, "Before", before, EXPECTED),
            (17, "After", after, BAR),
        ):
            length = max(1, round(span * value / largest)) if value else 0
            out.append(
                f'<text x="{label_width}" y="{y + offset + 12}" font-size="11" '
                f'fill="{TEXT}">{moment}</text>'
                f'<rect x="{label_width + 48}" y="{y + offset + 2}" width="{length}" height="13" '
                f'fill="{colour}"/>'
                f'<text x="{label_width + 54 + length}" y="{y + offset + 13}" font-size="11" '
                f'fill="{TEXT}">{value}</text>'
            )
    if not rows:
        out.append(f'<text x="8" y="44" font-size="12" fill="{TEXT}">No answers yet</text>')
    out.append("</svg>")
    return "".join(out)


def medians_svg(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    scale: tuple[int, int] = (1, 5),
    width: int = 560,
) -> str:
    """Each question's median before (a hollow circle) and after (a filled circle) on the
    1–5 scale, joined by a line: the length and direction of the line is the change.

    The labels' column is as wide as the longest label needs, up to about 34 characters;
    a longer label (short labels may have 60) goes onto two lines rather than off the left.
    """
    rows = [row for row in rows if row[1] is not None and row[2] is not None]
    low, high = scale
    empty = "No one has answered both yet"
    lines = [_two_lines(str(label), 34) for label, _, _ in rows]
    widest = max((text_width(line, LABEL_FONT) for label in lines for line in label), default=0)
    label_width = max(120, round(8 + (widest if rows else text_width(empty, LABEL_FONT)) + 10))
    width = _fit_title(title, max(width, label_width + 300))
    heights = [28 if len(label) == 1 else 42 for label in lines] or [28]
    height = 70 + sum(heights)
    parts = [f"{label} from {_fmt(b)} to {_fmt(a)}" for label, b, a in rows]
    desc = _describe(title, parts, "no one has answered both yet")
    out = _svg_open(chart_id, title, desc, width, height)
    left, right = label_width, width - 20

    def x(value: float) -> float:
        return left + (right - left) * (value - low) / (high - low)

    axis_y = 30 + sum(heights)
    for tick in range(low, high + 1):
        out.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="26" y2="{axis_y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis_y + 14}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}">{tick}</text>'
        )
    top = 26
    for index, (_, before, after) in enumerate(rows):
        y = top + heights[index] // 2
        top += heights[index]
        out.append(
            _label(label_width - 10, y, lines[index], anchor="end")
            + f'<line x1="{x(before):.1f}" x2="{x(after):.1f}" y1="{y}" y2="{y}" '
            f'stroke="{BAR}" stroke-width="3"/>'
            f'<circle cx="{x(before):.1f}" cy="{y}" r="6" fill="#ffffff" stroke="{BAR}" '
            f'stroke-width="2"/>'
            f'<circle cx="{x(after):.1f}" cy="{y}" r="6" fill="{BAR}"/>'
        )
    if not rows:
        out.append(f'<text x="8" y="44" font-size="12" fill="{TEXT}">{empty}</text>')
    legend_y = height - 10
    out.append(
        f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="6" fill="#ffffff" stroke="{BAR}" '
        f'stroke-width="2"/><text x="{left + 16}" y="{legend_y}" font-size="11" '
        f'fill="{TEXT}">Median at the start</text>'
        f'<circle cx="{left + 166}" cy="{legend_y - 4}" r="6" fill="{BAR}"/>'
        f'<text x="{left + 176}" y="{legend_y}" font-size="11" fill="{TEXT}">'
        "Median at the end</text></svg>"
    )
    return "".join(out)
