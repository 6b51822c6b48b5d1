"""The network picture: which employers' staff spent half-days at which host organisations.

Pure Python (no Django, nothing fetched), drawn as inline SVG by string building with the
primitives of `i2i/svgcharts.py` (text made safe, numbers, ids, the opening that names the
picture, text widths and word wrapping), as `improvements/charts.py` is: presentation
attributes only (never `style=`, `<style>`, `<script>`, event handlers or links), so it
passes a strict Content-Security-Policy and renders in WeasyPrint. Every piece of text is
escaped. The SVG is `role="img"`, named by its `<title>` and summarised in words by its `<desc>`
(`describe_network`); the page shows the full table beside it as the text alternative.

Layout: a circle, organisations grouped by sector
-------------------------------------------------
Each organisation is one dot on a circle, whatever its role: an employer that also hosts is
drawn once, with arrows leaving it and arrows arriving. The dots are grouped by sector (in
the order of `participants.models.Sector`, alphabetically within a sector), each group
joined by an arc in its sector's colour and set apart from the next by a gap. A link is a
curve through the inside of the circle from employer to host, ending in an arrowhead at the
host; its width grows in proportion to the half-days. A reverse link (host back to
employer) bends the other way, so both stay visible; a link from an organisation to itself
is a small loop.

A two-column (employers | hosts) picture was the alternative. It was not chosen because:

- an organisation that both sends and hosts would be drawn twice, once in each column;
- the programme's point is integration across sectors, and on a circle grouped by sector a
  cross-sector link is visibly a chord from one sector's arc to another's, while links
  within a sector stay short, near their arc;
- one circle of up to 60 organisations stays roughly square (fits a page, scales to an A4
  width through its viewBox) where two columns of up to 60 rows would be tall and narrow.

Names are written radially outside the circle, one per dot, turned so that none reads
upside down. A PDF has no tooltips, so a name is written in full, on up to
`MAX_LABEL_LINES` lines: `_choose_labels` tries line lengths and keeps the layout that fits
`TARGET_WIDTH` with the fewest lines (names that fit on one line stay on one), else the
smallest. When no layout within `MAX_WIDTH` shows every name in full (60 organisations
with names as long as NHS trusts' do not fit round a circle an A4 page holds), no name is
cut short: the dots are numbered instead, clockwise from the top, and a key below the
legend lists every name in full by its number, in as many columns as keep it shortest
(the full name is also in the dot's `<title>`). The circle's radius is chosen so that
neighbouring labels are at least `LABEL_SPACING` apart where they start, more for labels
of several lines, so they never overlap: they only diverge outwards. Each dot carries its
sector's letter as well as its colour (colour is never the only cue, WCAG 1.4.1), and the
legend below names each sector with its dot.

Beyond `MAX_ORGANISATIONS` the picture keeps the organisations with the most half-days
(in plus out) and the links between them, and says in the `<desc>` and under the legend
how many organisations, links and half-days were left out.

Everything is sorted before it is drawn, so the same network gives the same SVG,
byte for byte, whatever order the nodes and links come in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from i2i.svgcharts import (
    FONT,
    SECONDARY_TEXT,
    TEXT,
    WHITE,
    clean,
    digest,
    escape,
    lines_at,
    number,
    safe_id,
    shorten,
    svg_start,
    text_width,
    wrap,
)

# Colours (NHS identity palette; TEXT, SECONDARY_TEXT and WHITE are every picture's, from
# i2i.svgcharts). Text needs 4.5:1 against white, marks 3:1: every dot is outlined in TEXT,
# so the lighter sector colours still have a clear edge. FONT is every picture's too: the
# PDF's one family, then system fonts.

MAX_ORGANISATIONS = 60
LABEL_FONT = 12
LABEL_SPACING = 18  # the least distance between neighbouring labels where they start
LINE_PITCH = 15  # between the lines of a name written on several
MAX_LABEL_LINES = 3
SHORTEST_LINE = 12  # characters: lines shorter than this make a name hard to read
TARGET_WIDTH = 680  # an A4 page less its margins: a picture this wide prints at full size
MAX_WIDTH = 900  # scaled to the A4 page, 12 px names are still 9 px
NODE_RADIUS = 7
MIN_RADIUS = 170  # leaves room inside the circle for the links (less for a few dots)
LINK_MIN_WIDTH = 1.25
LINK_MAX_WIDTH = 9.0
MARGIN = 14
TITLE_HEIGHT = 34
LEGEND_FONT = 12
LEGEND_ROW = 22
BUSIEST_IN_DESC = 3


@dataclass(frozen=True)
class SectorStyle:
    colour: str
    letter: str  # the non-colour cue: drawn in the dot and named in the legend


# Keyed by the values of participants.models.Sector, in its order (the order on the circle).
SECTOR_STYLES: dict[str, SectorStyle] = {
    "acute": SectorStyle("#005eb8", "A"),  # NHS Blue
    "social_care": SectorStyle("#007f3b", "S"),  # NHS Green
    "community": SectorStyle("#00a499", "C"),  # NHS Aqua Green
    "mental_health": SectorStyle("#330072", "M"),  # NHS Purple
    "allied_health": SectorStyle("#41b6e6", "H"),  # NHS Light Blue
    "care_sector": SectorStyle("#78be20", "R"),  # NHS Light Green
    "gp_practice": SectorStyle("#ae2573", "G"),  # NHS Pink
    "police": SectorStyle("#003087", "P"),  # NHS Dark Blue
    "pvi": SectorStyle("#ed8b00", "V"),  # NHS Orange
    "local_government": SectorStyle("#7c2855", "L"),  # NHS Dark Pink
    "housing": SectorStyle("#ffb81c", "U"),  # NHS Warm Yellow
    "prisons": SectorStyle("#da291c", "J"),  # NHS Red (J for justice)
    "other": SectorStyle("#425563", "O"),  # NHS Dark Grey
}
UNKNOWN_SECTOR = SectorStyle("#aeb7bd", "?")  # NHS Pale Grey: a sector not listed above


@dataclass(frozen=True)
class Node:
    """An organisation: an employer of participants, a host of placements, or both.

    `key` identifies it in links (a primary key, say); `sector` is a `Sector` value and
    `sector_label` its human label ("Acute"), which the legend shows.
    """

    key: str | int
    name: str
    sector: str
    sector_label: str


@dataclass(frozen=True)
class Link:
    """Half-days that staff of `source` (the employer) spent at `target` (the host).

    `people_met` counts the distinct people met there, `participants` the distinct
    participants who went. Give one link per (source, target): repeats are added together.
    """

    source: str | int
    target: str | int
    half_days: int
    people_met: int = 0
    participants: int = 0


# --- Text ---------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _chart_id(chart_id: str, title: str) -> str:
    """The id asked for, made safe; else one from the title, the same for the same title."""
    return safe_id(chart_id, "network") or f"network-{digest(str(title))}"


# --- The network, tidied ------------------------------------------------------------------


def _key_order(key: str | int) -> tuple:
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


def _sector_rank(sector: str) -> tuple:
    order = list(SECTOR_STYLES)
    return (order.index(sector), "") if sector in SECTOR_STYLES else (len(order), str(sector))


def _style(sector: str) -> SectorStyle:
    return SECTOR_STYLES.get(sector, UNKNOWN_SECTOR)


def _node_order(node: Node) -> tuple:
    return (*_sector_rank(node.sector), clean(node.name).casefold(), _key_order(node.key))


@dataclass(frozen=True)
class _Network:
    nodes: list[Node]  # in circle order
    links: list[Link]  # busiest first
    left_out_nodes: int
    left_out_links: int
    left_out_half_days: int


def _tidy(nodes: Sequence[Node], links: Sequence[Link], limit: int) -> _Network:
    by_key: dict[str | int, Node] = {}
    for node in nodes:
        if node.key in by_key:
            raise ValueError(f"two organisations share the key {node.key!r}")
        by_key[node.key] = node
    merged: dict[tuple, list[int]] = {}
    for link in links:
        for end in (link.source, link.target):
            if end not in by_key:
                raise ValueError(f"a link names an organisation that is not given: {end!r}")
        counts = (link.half_days, link.people_met, link.participants)
        if any(not isinstance(c, int) or c < 0 for c in counts):
            raise ValueError("half-days, people met and participants are whole numbers >= 0")
        total = merged.setdefault((link.source, link.target), [0, 0, 0])
        for i, count in enumerate(counts):
            total[i] += count
    all_links = [Link(s, t, *counts) for (s, t), counts in merged.items()]

    kept = sorted(by_key.values(), key=_node_order)
    left_out_nodes = left_out_links = left_out_half_days = 0
    if len(kept) > limit:
        activity: dict[str | int, int] = defaultdict(int)
        for link in all_links:
            activity[link.source] += link.half_days
            activity[link.target] += link.half_days
        busiest = sorted(kept, key=lambda node: (-activity[node.key], *_node_order(node)))
        chosen = {node.key for node in busiest[:limit]}
        left_out_nodes = len(kept) - limit
        kept = [node for node in kept if node.key in chosen]
        inside = [lk for lk in all_links if lk.source in chosen and lk.target in chosen]
        left_out_links = len(all_links) - len(inside)
        left_out_half_days = sum(lk.half_days for lk in all_links) - sum(
            lk.half_days for lk in inside
        )
        all_links = inside

    position = {node.key: index for index, node in enumerate(kept)}
    all_links.sort(key=lambda lk: (-lk.half_days, position[lk.source], position[lk.target]))
    return _Network(kept, all_links, left_out_nodes, left_out_links, left_out_half_days)


def _describe(title: str, network: _Network) -> str:
    name = clean(title) or "Network"
    lead = name if name[-1] in ".!?:" else f"{name}."
    nodes, links = network.nodes, network.links
    if not links and network.left_out_links:
        return (
            f"{lead} No links among the {len(nodes)} organisations with the most half-days; "
            f"{_plural(network.left_out_nodes, 'more organisation')} and "
            f"{_plural(network.left_out_links, 'link')} are left out of the picture. "
            "The table lists every link."
        )
    if not links:
        return f"{lead} No links yet: no placement half-days have been recorded."
    names = {node.key: clean(node.name) for node in nodes}
    sectors = {node.key: node.sector for node in nodes}
    linked = {key for link in links for key in (link.source, link.target)}
    sector_count = len({node.sector for node in nodes})
    half_days = sum(link.half_days for link in links)
    across = sum(1 for link in links if sectors[link.source] != sectors[link.target])
    unlinked = len(nodes) - len(linked)
    parts = [
        lead,
        f"{_plural(len(nodes), 'organisation')} in {_plural(sector_count, 'sector')}"
        + (f" ({unlinked} with no links yet)" if unlinked else "")
        + f", joined by {_plural(len(links), 'link')} from employer to host "
        f"({across} across sectors), {_plural(half_days, 'half-day')} in all.",
    ]
    busiest = [
        f"{names[lk.source]} to {names[lk.target]}, {_plural(lk.half_days, 'half-day')}, "
        f"{_plural(lk.people_met, 'person', 'people')} met"
        for lk in links[:BUSIEST_IN_DESC]
    ]
    parts.append(
        ("Busiest link: " if len(busiest) == 1 else "Busiest links: ") + "; ".join(busiest) + "."
    )
    if network.left_out_nodes:
        parts.append(
            f"For readability the picture shows the {len(nodes)} organisations with the most "
            f"half-days; {_plural(network.left_out_nodes, 'organisation')} and "
            f"{_plural(network.left_out_links, 'link')} "
            f"({_plural(network.left_out_half_days, 'half-day')}) are left out of it. "
            "The table lists every link."
        )
    return " ".join(parts)


def describe_network(
    nodes: Sequence[Node],
    links: Sequence[Link],
    *,
    title: str,
    max_organisations: int = MAX_ORGANISATIONS,
) -> str:
    """The picture in a few sentences: what `draw_network` puts in its `<desc>`."""
    return _describe(title, _tidy(nodes, links, max(1, max_organisations)))


# --- Drawing ------------------------------------------------------------------------------


def _svg_open(ident: str, title: str, desc: str, width: float, height: float) -> list[str]:
    return [
        *svg_start(
            ident,
            title,
            desc,
            width,
            height,
            font=FONT,
            font_size=LABEL_FONT,
            css_class="network-chart",
        ),
        f'<text x="{MARGIN}" y="22" font-size="15" font-weight="bold" fill="{TEXT}">'
        f"{escape(shorten(title, max(12, int((width - 2 * MARGIN) / 9))))}</text>",
    ]


def _empty(ident: str, title: str, desc: str, message: str) -> str:
    width, height = max(480, text_width(message, 13) + 2 * MARGIN), 80
    out = _svg_open(ident, title, desc, width, height)
    out.append(
        f'<text x="{MARGIN}" y="56" font-size="13" fill="{SECONDARY_TEXT}">{escape(message)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _letter_colour(fill: str) -> str:
    """White or near-black, whichever contrasts more with the dot's fill."""
    lum = _luminance(fill)
    on_white = 1.05 / (lum + 0.05)
    on_text = (lum + 0.05) / (_luminance(TEXT) + 0.05)
    return WHITE if on_white >= on_text else TEXT


def _dot(x: float, y: float, style: SectorStyle, radius: float = NODE_RADIUS) -> str:
    return (
        f'<circle cx="{number(x)}" cy="{number(y)}" r="{number(radius)}" fill="{style.colour}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
        f'<text x="{number(x)}" y="{number(y + radius * 0.45)}" '
        f'font-size="{number(radius * 1.25)}" font-weight="bold" text-anchor="middle" '
        f'fill="{_letter_colour(style.colour)}">'
        f"{escape(style.letter)}</text>"
    )


def _arrow(tip: tuple[float, float], towards: tuple[float, float], width: float) -> tuple:
    """An arrowhead with its point at `tip`, pointing along towards → tip.

    Returns the path and the point where the line should stop (the middle of its base).
    """
    dx, dy = tip[0] - towards[0], tip[1] - towards[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    size = 5 + width * 0.9
    half = 2.5 + width * 0.75
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    path = (
        f"M{number(tip[0])} {number(tip[1])} L{number(bx - uy * half)} {number(by + ux * half)} "
        f"L{number(bx + uy * half)} {number(by - ux * half)} Z"
    )
    return path, (tip[0] - ux * size * 0.6, tip[1] - uy * size * 0.6)


def _legend_entries(nodes: list[Node]) -> list[tuple[SectorStyle, str]]:
    counts: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    for node in nodes:
        counts[node.sector] += 1
        labels.setdefault(node.sector, clean(node.sector_label) or clean(node.sector))
    return [
        (_style(sector), f"{shorten(labels[sector], 32)} ({counts[sector]})")
        for sector in sorted(counts, key=_sector_rank)
    ]


@dataclass(frozen=True)
class _Labels:
    """The organisations' names as laid out: each on its lines, starting `start` from the
    centre; `xs` and `ys` are the picture's extent about the centre."""

    lines: list[list[str]]
    start: float
    xs: list[float]
    ys: list[float]
    cut: int  # names cut short with an ellipsis
    hidden: int  # characters left out of them

    @property
    def size(self) -> float:
        """The circle's width or height with its names, whichever is more, and margins."""
        return max(max(self.xs) - min(self.xs), max(self.ys) - min(self.ys)) + 2 * MARGIN


def _name_lines(lines: list[str], text: str, chars: int, most: int) -> tuple[list[str], int]:
    """A name wrapped onto `lines`, kept to `most` of them: the last one kept ends in an
    ellipsis if the name does not fit. Returns the lines and how many characters were cut."""
    if len(lines) <= most:
        return lines, 0
    rest = text
    for line in lines[: most - 1]:
        rest = rest[len(line) :].lstrip()
    last = shorten(rest, chars)
    return [*lines[: most - 1], last], len(rest) - (len(last) - 1)


def _place_labels(
    wrapped: list[list[str]],
    names: list[str],
    angles: list[float],
    least: float,
    chars: int,
    most: int,
) -> _Labels:
    """The names on lines of `chars`, at most `most` lines each, round the circle."""
    lines, cut, hidden = [], 0, 0
    for name_lines, name in zip(wrapped, names, strict=True):
        kept, lost = _name_lines(name_lines, name, chars, most)
        lines.append(kept)
        cut += bool(lost)
        hidden += lost
    # Neighbours start LABEL_SPACING apart, and half a line further for each extra line
    # either of them has: as they only diverge outwards, they then never overlap.
    start = least
    count = len(angles)
    if count > 1:
        for i in range(count):
            j = (i + 1) % count
            gap = angles[j] - angles[i] if j else angles[0] + 2 * math.pi - angles[i]
            need = LABEL_SPACING + LINE_PITCH * (len(lines[i]) + len(lines[j]) - 2) / 2
            start = max(start, need / (2 * math.sin(gap / 2)))
    ring = start - 4  # the outer edge of the dots
    xs, ys = [-ring, ring], [-ring, ring]
    for a, label in zip(angles, lines, strict=True):
        half = 0.65 * LABEL_FONT + LINE_PITCH * (len(label) - 1) / 2
        length = max(text_width(line, LABEL_FONT) for line in label)
        for r in (start, start + length):
            for side in (-half, half):
                xs.append(r * math.cos(a) - side * math.sin(a))
                ys.append(r * math.sin(a) + side * math.cos(a))
    return _Labels(lines, start, xs, ys, cut, hidden)


def _choose_labels(names: list[str], angles: list[float], least: float) -> _Labels:
    """Every way of writing the names on lines of SHORTEST_LINE characters or more, on up
    to MAX_LABEL_LINES lines, and the best of them: every name in full within MAX_WIDTH,
    then within TARGET_WIDTH, then on the fewest lines, then the smallest. When no layout
    shows every name in full, the one within MAX_WIDTH that cuts the fewest names (its
    `cut` tells `draw_network` to number the dots instead).

    Sizes are the larger of width and height: a name written upwards makes the picture
    taller as one written sideways makes it wider, and a page has room for neither."""
    longest = max(SHORTEST_LINE, *(len(name) for name in names))
    best, best_key = None, None
    for chars in sorted({*range(SHORTEST_LINE, longest, 2), longest}):
        wrapped = [wrap(name, chars) for name in names]
        for most in range(1, MAX_LABEL_LINES + 1):
            labels = _place_labels(wrapped, names, angles, least, chars, most)
            size = labels.size
            lines = sum(len(label) for label in labels.lines)
            if not labels.cut and size <= MAX_WIDTH:
                key = (0, max(size, TARGET_WIDTH), lines, size, chars, most)
            else:
                key = (1, max(size, MAX_WIDTH), labels.cut, labels.hidden, lines, size, chars)
            if best_key is None or key < best_key:
                best, best_key = labels, key
            if all(len(label) <= most for label in wrapped):
                break  # more lines allowed would change nothing
    return best


def draw_network(
    nodes: Sequence[Node],
    links: Sequence[Link],
    *,
    chart_id: str,
    title: str,
    max_organisations: int = MAX_ORGANISATIONS,
) -> str:
    """The network of employers and hosts as SVG markup (a string to mark safe and inline).

    Every node is drawn, linked or not (up to `max_organisations`, the busiest kept); with
    no links at all the SVG is small and says there are no links yet. Raises ValueError for
    two nodes with one key, a link to a key not among the nodes, or a negative count.
    """
    ident = _chart_id(chart_id, title)
    network = _tidy(nodes, links, max(1, max_organisations))
    desc = _describe(title, network)
    if not network.links:
        message = (
            "No links among the busiest organisations: the table lists every link."
            if network.left_out_links
            else "No links yet: no placement half-days have been recorded."
        )
        return _empty(ident, title, desc, message)

    kept = network.nodes
    count = len(kept)

    # Slots round the circle: one per organisation, and a gap (0.6 of a slot) between sectors.
    slots: list[float] = []
    position = 0.0
    for index, node in enumerate(kept):
        if index and node.sector != kept[index - 1].sector:
            position += 0.6
        slots.append(position)
        position += 1
    total = position + (0.6 if kept[0].sector != kept[-1].sector else 0.0)
    step = 2 * math.pi / max(total, 1)
    angles = [-math.pi / 2 + step * (slot + 0.5) for slot in slots]
    if count == 1:
        angles = [0.0]

    # The radius at which labels start keeps neighbours apart (see _place_labels); the dots
    # sit inside it, the links inside them.
    least = min(MIN_RADIUS, 90 + 8 * count) + NODE_RADIUS + 6
    names = [clean(node.name) for node in kept]
    labels = _choose_labels(names, angles, least)
    # Names that do not fit round the circle in full are numbered there instead, and listed
    # in full, by number, below the legend: a name is never cut short.
    numbered = bool(labels.cut)
    if numbered:
        labels = _choose_labels([str(n) for n in range(1, count + 1)], angles, least)
    label_start = labels.start
    radius = label_start - NODE_RADIUS - 6
    inner = radius - NODE_RADIUS - 2  # where links meet a dot
    xs, ys = labels.xs, labels.ys  # the picture's extent about the centre
    drawing_width = max(xs) - min(xs)

    legend = _legend_entries(kept)
    legend_cells = [2 * NODE_RADIUS + 8 + text_width(text, LEGEND_FONT) + 18 for _, text in legend]
    fewest_days = min(lk.half_days for lk in network.links)
    most_days = max(lk.half_days for lk in network.links)
    key_texts = [
        "Arrow: from employer to host",
        f"Line width: half-days (thinnest {fewest_days:,}, thickest {most_days:,})"
        if fewest_days < most_days
        else f"Every link: {_plural(most_days, 'half-day')}",
    ]
    note = ""
    if network.left_out_nodes:
        note = (
            f"Showing the {count} busiest organisations: "
            f"{_plural(network.left_out_nodes, 'more organisation')} in the table."
        )
    width = max(
        drawing_width + 2 * MARGIN,
        560,
        *(56 + text_width(text, LEGEND_FONT) + 2 * MARGIN for text in key_texts),
        text_width(note, LEGEND_FONT) + 2 * MARGIN,
    )
    cy = TITLE_HEIGHT + 4 - min(ys)
    legend_top = cy + max(ys) + 24

    def legend_rows(width: float) -> list[list[int]]:
        rows: list[list[int]] = [[]]
        used = 0.0
        for index, cell in enumerate(legend_cells):
            if rows[-1] and used + cell > width - 2 * MARGIN:
                rows.append([])
                used = 0.0
            rows[-1].append(index)
            used += cell
        return rows

    def legend_bottom(width: float) -> float:
        lines = len(legend_rows(width)) + len(key_texts) + (1 if note else 0)
        return legend_top + LEGEND_ROW * lines + 4

    names_key = None
    if numbered:
        # As narrow as prints at full size, if the names' key then leaves the picture no
        # taller than it is wide by half again; else as wide as still prints readably.
        for wide in sorted({max(width, TARGET_WIDTH), max(width, MAX_WIDTH)}):
            names_key = _names_key(names, wide)
            if legend_bottom(wide) + names_key.height <= 1.45 * wide:
                break
        width = wide
    rows = legend_rows(width)
    cx = (width - drawing_width) / 2 - min(xs)
    height = legend_bottom(width) + (names_key.height if names_key else 0)

    xy = [(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]
    at_inner = [(cx + inner * math.cos(a), cy + inner * math.sin(a)) for a in angles]
    index_of = {node.key: index for index, node in enumerate(kept)}

    out = _svg_open(ident, title, desc, width, height)

    # Sector arcs behind the dots.
    out.append('<g class="sector-arcs" fill="none" stroke-width="4" stroke-linecap="round">')
    start = 0
    for index in range(1, count + 1):
        if index < count and kept[index].sector == kept[start].sector:
            continue
        if index - 1 > start:
            a0, a1 = angles[start], angles[index - 1]
            large = 1 if a1 - a0 > math.pi else 0
            x0, y0 = xy[start]
            x1, y1 = xy[index - 1]
            out.append(
                f'<path d="M{number(x0)} {number(y0)} '
                f"A{number(radius)} {number(radius)} 0 {large} 1 "
                f'{number(x1)} {number(y1)}" stroke="{_style(kept[start].sector).colour}"/>'
            )
        start = index
    out.append("</g>")

    # Links, widest first so that thin ones stay visible on top.
    busiest = most_days or 1

    def link_width(half_days: int) -> float:
        return LINK_MIN_WIDTH + (LINK_MAX_WIDTH - LINK_MIN_WIDTH) * (half_days / busiest)

    pairs = {(link.source, link.target) for link in network.links}
    names = [clean(node.name) for node in kept]
    out.append('<g class="links" fill="none">')
    for link in network.links:
        s, t = index_of[link.source], index_of[link.target]
        stroke_width = link_width(link.half_days)
        colour = _style(kept[s].sector).colour
        p0, p2 = at_inner[s], at_inner[t]
        if s == t:
            a = angles[s]
            spread = 0.22
            reach_in = inner - 46
            c1 = (cx + reach_in * math.cos(a - spread), cy + reach_in * math.sin(a - spread))
            c2 = (cx + reach_in * math.cos(a + spread), cy + reach_in * math.sin(a + spread))
            head, stop = _arrow(p2, c2, stroke_width)
            d = (
                f"M{number(p0[0])} {number(p0[1])} "
                f"C{number(c1[0])} {number(c1[1])} {number(c2[0])} {number(c2[1])} "
                f"{number(stop[0])} {number(stop[1])}"
            )
        else:
            mx, my = (p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2
            control = [cx + (mx - cx) * 0.35, cy + (my - cy) * 0.35]
            if (link.target, link.source) in pairs:
                # Bend to the left of the direction of travel: the reverse link bends the
                # other way, so the two never lie on top of each other.
                dx, dy = p2[0] - p0[0], p2[1] - p0[1]
                length = math.hypot(dx, dy) or 1.0
                bend = min(40.0, 0.18 * length)
                control[0] += dy / length * bend
                control[1] -= dx / length * bend
            head, stop = _arrow(p2, (control[0], control[1]), stroke_width)
            d = (
                f"M{number(p0[0])} {number(p0[1])} Q{number(control[0])} {number(control[1])} "
                f"{number(stop[0])} {number(stop[1])}"
            )
        tooltip = (
            f"{names[s]} to {names[t]}: {_plural(link.half_days, 'half-day')}, "
            f"{_plural(link.people_met, 'person', 'people')} met, "
            f"{_plural(link.participants, 'participant')}"
        )
        out.append(
            f'<g class="link"><title>{escape(tooltip)}</title>'
            f'<path d="{d}" stroke="{colour}" stroke-opacity="0.6" '
            f'stroke-width="{stroke_width:.2f}" stroke-linecap="round" class="link-line"/>'
            f'<path d="{head}" fill="{colour}" stroke="{WHITE}" stroke-width="0.5" '
            'class="arrowhead"/></g>'
        )
    out.append("</g>")

    # Organisations: a dot with the sector's letter, and the name outside the circle.
    sent: dict[str | int, int] = defaultdict(int)
    hosted: dict[str | int, int] = defaultdict(int)
    for link in network.links:
        sent[link.source] += link.half_days
        hosted[link.target] += link.half_days
    out.append('<g class="nodes">')
    for index, node in enumerate(kept):
        a = angles[index]
        style = _style(node.sector)
        roles = []
        if node.key in sent:
            roles.append(f"sent staff for {_plural(sent[node.key], 'half-day')}")
        if node.key in hosted:
            roles.append(f"hosted {_plural(hosted[node.key], 'half-day')}")
        sector = clean(node.sector_label) or clean(node.sector)
        tooltip = f"{names[index]} ({sector})" + (f": {'; '.join(roles)}" if roles else "")
        lx, ly = cx + label_start * math.cos(a), cy + label_start * math.sin(a)
        degrees = math.degrees(a)
        if math.cos(a) < -1e-9:
            degrees += 180
            anchor = "end"
        else:
            anchor = "start"
        degrees = (degrees + 180) % 360 - 180
        lines = labels.lines[index]
        # The lines are centred on the dot's radius, each starting at label_start.
        first, name = lines_at(lx, ly, lines, font_size=LABEL_FONT, pitch=LINE_PITCH)
        out.append(
            f'<g class="node"><title>{escape(tooltip)}</title>'
            + _dot(*xy[index], style)
            + f'<text x="{number(lx)}" y="{number(first)}" text-anchor="{anchor}" '
            f'transform="rotate({degrees:.2f} {number(lx)} {number(ly)})" fill="{TEXT}" '
            f'class="node-label">{name}</text></g>'
        )
    out.append("</g>")

    # Legend: each sector's dot and name, then how to read the lines.
    out.append(f'<g class="legend" font-size="{LEGEND_FONT}" fill="{TEXT}">')
    y = legend_top
    for row in rows:
        x = MARGIN
        for index in row:
            style, text = legend[index]
            out.append(_dot(x + NODE_RADIUS, y, style))
            out.append(
                f'<text x="{number(x + 2 * NODE_RADIUS + 6)}" y="{number(y + 4)}">'
                f"{escape(text)}</text>"
            )
            x += legend_cells[index]
        y += LEGEND_ROW
    sample = (LINK_MIN_WIDTH + LINK_MAX_WIDTH) / 2
    head, stop = _arrow((MARGIN + 44, y), (MARGIN, y), sample / 2)
    out.append(
        f'<path d="M{MARGIN} {number(y)} L{number(stop[0])} {number(y)}" stroke="{SECONDARY_TEXT}" '
        f'stroke-width="{sample / 2:.2f}"/><path d="{head}" fill="{SECONDARY_TEXT}"/>'
        f'<text x="{MARGIN + 56}" y="{number(y + 4)}">{escape(key_texts[0])}</text>'
    )
    y += LEGEND_ROW
    # A sample of the thinnest and the thickest line as drawn; one if every link is alike.
    samples = [(MARGIN + 26, link_width(most_days))]
    if fewest_days < most_days:
        samples.insert(0, (MARGIN, link_width(fewest_days)))
    for x, stroke_width in samples:
        out.append(
            f'<path d="M{x} {number(y - 3)} L{x + 20} {number(y - 3)}" stroke="{SECONDARY_TEXT}" '
            f'stroke-width="{stroke_width:.2f}" class="width-sample"/>'
        )
    out.append(f'<text x="{MARGIN + 56}" y="{number(y + 4)}">{escape(key_texts[1])}</text>')
    if note:
        y += LEGEND_ROW
        out.append(
            f'<text x="{MARGIN}" y="{number(y + 4)}" fill="{SECONDARY_TEXT}" class="left-out">'
            f"{escape(note)}</text>"
        )
    out.append("</g>")
    if names_key:
        out.append(_draw_names_key(names_key, legend_bottom(width)))
    out.append("</svg>")
    return "".join(out)


# --- The names' key, when the circle is numbered --------------------------------------------

KEY_GAP = 18  # between the key's columns
KEY_ENTRY_GAP = 3  # between one name and the next
KEY_TITLE = "The organisations by number, clockwise from the top"


@dataclass(frozen=True)
class _NamesKey:
    """Every name in full, by its number, in columns (in number order, down each column)."""

    columns: list[list[tuple[int, list[str]]]]  # (number, the name's lines)
    column_width: float
    gutter: float  # the numbers' width, before the names
    height: float  # from the top of the key's title to below its longest column


def _names_key(names: list[str], width: float) -> _NamesKey:
    """The key as `width` holds it: of the layouts of one to four columns whose lines hold
    SHORTEST_LINE characters or more, the shortest (then the one of fewer columns)."""
    gutter = text_width(str(len(names)), LEGEND_FONT) + 6
    char = text_width("x", LEGEND_FONT)
    best = None
    for count in range(1, 5):
        column_width = (width - 2 * MARGIN - KEY_GAP * (count - 1)) / count
        chars = int((column_width - gutter) // char)
        if chars < SHORTEST_LINE and count > 1:
            break
        entries = [(n, wrap(name, max(1, chars))) for n, name in enumerate(names, start=1)]
        heights = [LINE_PITCH * len(lines) + KEY_ENTRY_GAP for _, lines in entries]
        columns = _in_columns(entries, heights, count)
        tallest = max(sum(heights[n - 1] for n, _ in column) for column in columns)
        key = _NamesKey(columns, column_width, gutter, LEGEND_ROW + tallest + 8)
        if best is None or key.height < best.height:
            best = key
    return best


def _in_columns(entries: list, heights: list[float], count: int) -> list[list]:
    """The entries in order, down at most `count` columns, the tallest column as short as
    can be (the least height that fits, found by halving)."""

    def pack(limit: float) -> list[list]:
        columns, used = [[]], 0.0
        for entry, height in zip(entries, heights, strict=True):
            if columns[-1] and used + height > limit:
                columns.append([])
                used = 0.0
            columns[-1].append(entry)
            used += height
        return columns

    low, high = max(heights), sum(heights)
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(pack(middle)) <= count:
            high = middle
        else:
            low = middle
    return pack(high)


def _draw_names_key(key: _NamesKey, top: float) -> str:
    out = [
        f'<g class="names-key" font-size="{LEGEND_FONT}" fill="{TEXT}">',
        f'<text x="{MARGIN}" y="{number(top + 14)}" font-weight="bold">{escape(KEY_TITLE)}</text>',
    ]
    for index, column in enumerate(key.columns):
        x = MARGIN + index * (key.column_width + KEY_GAP)
        y = top + LEGEND_ROW + 12
        for n, lines in column:
            spans = "".join(
                f'<tspan x="{number(x + key.gutter)}" y="{number(y + LINE_PITCH * i)}">'
                f"{escape(line)}</tspan>"
                for i, line in enumerate(lines)
            )
            out.append(
                f'<g class="key-entry"><text x="{number(x + key.gutter - 6)}" y="{number(y)}" '
                f'text-anchor="end" class="key-number">{n}</text>'
                f'<text x="{number(x + key.gutter)}" y="{number(y)}" class="key-name">'
                f"{spans}</text></g>"
            )
            y += LINE_PITCH * len(lines) + KEY_ENTRY_GAP
    out.append("</g>")
    return "".join(out)
