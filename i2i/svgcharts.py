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


def _e(text) -> str:
    return escape(str(text), quote=True)


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="18" font-size="14" font-weight="bold" fill="{TEXT}" '
        f'font-family="DejaVu Sans, Arial, sans-serif">{_e(title)}</text>',
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
