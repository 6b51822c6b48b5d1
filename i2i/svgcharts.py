"""SVG drawn on the server, for pages and PDFs alike: the primitives every picture shares
(text made safe, numbers, ids, the opening that names a picture to assistive technology,
text on several lines), and the small bar and line charts of the dashboard and the
evaluation report. `improvements/charts.py` (run and XmR charts) and
`evaluation/network_svg.py` (the network picture) draw with the same primitives.

Pure Python. Presentation attributes only (no `style`, no scripts, nothing fetched), so
the pictures pass the Content-Security-Policy and render in WeasyPrint. Each one is
`role="img"`, names itself with a <title> and describes its data in a <desc>, its text
alternative, both named by `aria-labelledby`.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Sequence

SVG_NS = "http://www.w3.org/2000/svg"
# Colours shared by every picture, with their contrast against white (text needs 4.5:1).
TEXT = "#212b32"  # 14.4:1
SECONDARY_TEXT = "#4c6272"  # 6.4:1
GRID = "#d8dde0"  # decoration only
WHITE = "#ffffff"

BAR = "#005eb8"
LINE = "#007f3b"
EXPECTED = "#768692"
FONT = "DejaVu Sans, Arial, sans-serif"  # the PDF's font; Arial is a little narrower
CHAR_WIDTH = 0.6  # estimated width of one character, as a fraction of the font size
TITLE_FONT = 14
LABEL_FONT = 12
LINE_PITCH = 15  # between the lines of a label written on two

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
# Characters XML 1.0 does not allow at all (control characters, lone surrogates...):
# escaping cannot help, so they are dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --- Primitives ---------------------------------------------------------------------------


def escape(text: object) -> str:
    """Text as it may stand in an element or an attribute: what people typed included."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def clean(text: object) -> str:
    """Text as drawn: characters XML forbids dropped, whitespace collapsed."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def shorten(text: object, limit: int) -> str:
    """The text as drawn, cut with an ellipsis past `limit` characters."""
    text = clean(text)
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def number(value: float) -> str:
    """A coordinate or size: one decimal place is plenty, and keeps the SVG small."""
    text = f"{value:.1f}"
    return "0" if text == "-0.0" else text.removesuffix(".0")


def safe_id(wanted: object, prefix: str) -> str:
    """`wanted` as an id that XML and `aria-labelledby` accept: other characters become
    "-", and one not starting with a letter is put after `prefix-`. Empty if none given."""
    safe = _ID_UNSAFE.sub("-", str(wanted or ""))
    return safe if not safe or safe[:1].isalpha() else f"{prefix}-{safe}"


def digest(text: str) -> str:
    """A short stable digest, for the id of a picture given none: the same data, the same
    id, so a page's SVG is the same byte for byte."""
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]


def svg_start(
    ident: str,
    title: str,
    desc: str,
    width: float,
    height: float,
    *,
    font: str,
    font_size: float | None = None,
    css_class: str = "",
    frame: str = "",
) -> list[str]:
    """The picture's opening: the <svg> element, its <title> and <desc> (what a screen
    reader says for it), and a white background (`frame`: the colour of its edge, if any)."""
    size = f' font-size="{number(font_size)}"' if font_size is not None else ""
    css = f' class="{escape(css_class)}"' if css_class else ""
    edge = f' stroke="{frame}"' if frame else ""
    w, h = number(width), number(height)
    return [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{font}"{size}{css}>',
        f'<title id="{ident}-title">{escape(clean(title))}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="{WHITE}"{edge}/>',
    ]


def lines_at(x: float, y: float, lines: Sequence[str], *, font_size: float, pitch: float):
    """Text of one or more lines centred on `y`: the first line's baseline, and the <text>
    element's content (one line as it is, several as <tspan>s, each starting at `x`)."""
    first = y + 0.35 * font_size - pitch * (len(lines) - 1) / 2
    if len(lines) == 1:
        return first, escape(lines[0])
    return first, "".join(
        f'<tspan x="{number(x)}" y="{number(first + pitch * i)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )


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


def nice_step(span: float, intervals: int = 5, *, whole: bool = False) -> float:
    """The step between an axis's ticks: about span / intervals, made a "nice number" (1,
    2, 2.5 or 5 times a power of ten), so that every tick is a round number. `whole`: at
    least 1, for counts."""
    raw = span / max(1, intervals)
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(
        (m * magnitude for m in (1, 2, 2.5, 5) if raw <= m * magnitude * (1 + 1e-9)),
        10 * magnitude,
    )
    return max(step, 1.0) if whole else step


def nice_ticks(low: float, high: float, intervals: int = 5, *, whole: bool = False) -> list[float]:
    """Round-number ticks from at or below `low` to at or above `high`, `nice_step` apart."""
    if high < low:
        low, high = high, low
    step = nice_step(high - low or abs(high) or 1.0, intervals, whole=whole)
    first = math.floor(low / step + 1e-9) * step
    count = max(1, math.ceil((high - first) / step - 1e-9))
    return [round(first + i * step, 10) for i in range(count + 1)]


def tick_text(value: float, step: float) -> str:
    """A tick's number as written: as many decimals as the step between ticks needs (a
    step of 0.25 needs two), no more, with thousands separated ("1,250")."""
    decimals = 0
    while decimals < 12 and abs(round(step, decimals) - step) > 1e-9 * max(1.0, abs(step)):
        decimals += 1
    text = f"{round(value, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _label(x: float, y: float, lines: list[str], *, anchor: str) -> str:
    """A label of one or more lines, centred on y."""
    top, content = lines_at(x, y, lines, font_size=LABEL_FONT, pitch=LINE_PITCH)
    return (
        f'<text x="{number(x)}" y="{number(top)}" font-size="{LABEL_FONT}" '
        f'text-anchor="{anchor}" fill="{TEXT}">{content}</text>'
    )


def _fit_title(title: str, width: int) -> int:
    """The chart's width, widened if its title would otherwise run off the right."""
    return max(width, round(8 + text_width(title, TITLE_FONT) + 8))


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    """A chart's opening, with its title written at the top left."""
    return [
        *svg_start(safe_id(chart_id, "chart"), title, desc, width, height, font=FONT),
        f'<text x="8" y="18" font-size="{TITLE_FONT}" font-weight="bold" fill="{TEXT}" '
        f'font-family="{FONT}">{escape(title)}</text>',
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
            f'fill="{TEXT}" font-family="{FONT}">{escape(label)}</text>'
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row - 8}" '
            f'fill="{BAR}"/>'
        )
        out.append(
            f'<text x="{label_width + length + 6}" y="{y + 15}" font-size="12" fill="{TEXT}" '
            f'font-family="{FONT}">{value}{escape(unit)}</text>'
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
    # Room on the right for the last week's label, centred on its point ("30 September").
    left, right, top, bottom = 44, width - 44, 30, height - 40
    # Counts: whole, round-number ticks from 0 to at or above the highest value.
    ticks = nice_ticks(0, max([*actual, *(expected or []), 1]), 5, whole=True)
    top_value = ticks[-1]

    def x(i):
        return left + (right - left) * (i / max(1, n - 1))

    def y(v):
        return bottom - (bottom - top) * (v / top_value)

    for value in ticks:
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{number(y(value))}" y2="{number(y(value))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{number(y(value) + 4)}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}">{_fmt(value)}</text>'
        )
    for i in sorted({0, n // 2, n - 1}):
        out.append(
            f'<text x="{number(x(i))}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}">{escape(labels[i])}</text>'
        )
    if expected:
        points = " ".join(f"{number(x(i))},{number(y(v))}" for i, v in enumerate(expected))
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{EXPECTED}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    points = " ".join(f"{number(x(i))},{number(y(v))}" for i, v in enumerate(actual))
    out.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="3"/>')
    legend_y = height - 8
    out.append(
        f'<line x1="{left}" x2="{left + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{LINE}" stroke-width="3"/><text x="{left + 30}" y="{legend_y}" '
        f'font-size="11" fill="{TEXT}">{escape(actual_name)}</text>'
    )
    if expected:
        out.append(
            f'<line x1="{left + 150}" x2="{left + 174}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}" stroke="{EXPECTED}" stroke-width="2" '
            f'stroke-dasharray="6 4"/><text x="{left + 180}" y="{legend_y}" font-size="11" '
            f'fill="{TEXT}">{escape(expected_name)}</text>'
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
            f'<line x1="{number(x(tick))}" x2="{number(x(tick))}" y1="26" y2="{axis_y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{number(x(tick))}" y="{axis_y + 14}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}">{tick}</text>'
        )
    top = 26
    for index, (_, before, after) in enumerate(rows):
        y = top + heights[index] // 2
        top += heights[index]
        out.append(
            _label(label_width - 10, y, lines[index], anchor="end")
            + f'<line x1="{number(x(before))}" x2="{number(x(after))}" y1="{y}" y2="{y}" '
            f'stroke="{BAR}" stroke-width="3"/>'
            f'<circle cx="{number(x(before))}" cy="{y}" r="6" fill="{WHITE}" stroke="{BAR}" '
            f'stroke-width="2"/>'
            f'<circle cx="{number(x(after))}" cy="{y}" r="6" fill="{BAR}"/>'
        )
    if not rows:
        out.append(f'<text x="8" y="44" font-size="12" fill="{TEXT}">{empty}</text>')
    legend_y = height - 10
    out.append(
        f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="6" fill="{WHITE}" stroke="{BAR}" '
        f'stroke-width="2"/><text x="{left + 16}" y="{legend_y}" font-size="11" '
        f'fill="{TEXT}">Median at the start</text>'
        f'<circle cx="{left + 166}" cy="{legend_y - 4}" r="6" fill="{BAR}"/>'
        f'<text x="{left + 176}" y="{legend_y}" font-size="11" fill="{TEXT}">'
        "Median at the end</text></svg>"
    )
    return "".join(out)
