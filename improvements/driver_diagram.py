"""The driver diagram (Life QI's, after the IHI's): the aim → primary drivers → secondary
drivers → change ideas. Written as an outline, one line a node, its level told by its
indentation; drawn as accessible SVG with `i2i/svgcharts.py`'s primitives.

Pure Python: `parse` reads an outline (or says which line is wrong, and why), `outline`
writes the nodes back as one, `tree` builds the diagram from stored nodes and `svg` draws
it, each node in its column with a line to the node it serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from i2i import svgcharts as s

PRIMARY, SECONDARY, CHANGE_IDEA = "primary", "secondary", "change_idea"
LEVELS = (PRIMARY, SECONDARY, CHANGE_IDEA)
# How each level is named in a message ("Line 4 is a change idea…").
NAMES = {PRIMARY: "primary driver", SECONDARY: "secondary driver", CHANGE_IDEA: "change idea"}
MAX_TEXT = 300  # DriverNode.text
MAX_NODES = 100  # a modest initiative's diagram fits on a page or two
INDENT = "  "


class OutlineError(ValueError):
    """What is wrong with an outline, naming the line."""


@dataclass
class Node:
    """One driver or change idea, with the nodes beneath it, in the outline's order."""

    level: str
    text: str
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Line:
    """One line of a parsed outline: its level, its words, and the index of the line it
    hangs from (None for a primary driver)."""

    level: str
    text: str
    parent: int | None


def _depth(raw: str, number: int) -> tuple[int, str]:
    """The line's level (0, 1, 2…) and its words: two spaces (or a tab) per level, or a "-"
    per level, as the help says. Both together, "  - Checklist" as a bulleted list is
    written, count once: the level is the larger of the two."""
    rest = raw.replace("\t", INDENT)
    spaces = 0
    while rest.startswith(INDENT):
        spaces, rest = spaces + 1, rest[2:]
    if rest.startswith(" ") and rest.strip():
        raise OutlineError(
            f"Line {number} is indented by an odd number of spaces: use two spaces (or "
            "a “-”) for each level"
        )
    dashes = 0
    while rest.startswith("-"):
        dashes, rest = dashes + 1, rest[1:].lstrip(" ") if rest[1:2] != "-" else rest[1:]
    return max(spaces, dashes), rest.strip()


def parse(text: str) -> list[Line]:
    """The outline's nodes in order, each with the line it hangs from; blank lines are
    skipped. Raises OutlineError naming the first line that cannot stand where it is."""
    lines: list[Line] = []
    last = {}  # level index → index in `lines` of the latest node at that level
    for number, raw in enumerate(str(text).splitlines(), start=1):
        if not raw.strip():
            continue
        depth, words = _depth(raw, number)
        if not words:
            raise OutlineError(
                f"Line {number} has no words: write the driver or change idea, or remove the line"
            )
        if depth >= len(LEVELS):
            raise OutlineError(
                f"Line {number} is indented too far: a driver diagram has three levels, "
                "primary drivers, secondary drivers (two spaces in) and change ideas (four "
                "spaces in)"
            )
        level = LEVELS[depth]
        if depth and depth - 1 not in last:
            above = NAMES[LEVELS[depth - 1]]
            raise OutlineError(f"Line {number} is a {NAMES[level]} with no {above} above it")
        if len(words) > MAX_TEXT:
            raise OutlineError(
                f"Line {number} is {len(words)} characters long: a node may be at most {MAX_TEXT}"
            )
        lines.append(Line(level, words, last[depth - 1] if depth else None))
        last = {d: i for d, i in last.items() if d < depth} | {depth: len(lines) - 1}
        if len(lines) > MAX_NODES:
            raise OutlineError(
                f"Line {number} makes more than {MAX_NODES} drivers and change ideas: keep the "
                "diagram to the few that matter most"
            )
    return lines


def outline(nodes: Iterable) -> str:
    """Stored nodes (anything with `level`, `text`, `pk`, `parent_id`, in order) written
    back as an outline to edit: two spaces per level."""
    return "\n".join(INDENT * LEVELS.index(n.level) + n.text for n in _ordered(list(nodes)))


def _ordered(nodes: list) -> list:
    """Nodes in outline order: each followed by its children (stored positions kept)."""
    children: dict[int | None, list] = {}
    known = {n.pk for n in nodes}
    for n in nodes:
        children.setdefault(n.parent_id if n.parent_id in known else None, []).append(n)

    def walk(parent):
        for n in children.get(parent, []):
            yield n
            yield from walk(n.pk)

    return list(walk(None))


def tree(nodes: Iterable) -> list[Node]:
    """The primary drivers, each holding its secondary drivers and their change ideas."""
    built: dict[int, Node] = {}
    roots: list[Node] = []
    ordered = _ordered(list(nodes))
    for n in ordered:
        built[n.pk] = Node(n.level, n.text)
    for n in ordered:
        parent = built.get(n.parent_id)
        (parent.children if parent is not None else roots).append(built[n.pk])
    return roots


def tree_from_lines(lines: Sequence[Line]) -> list[Node]:
    """The diagram of a parsed outline (a preview, the demo): as `tree` gives once saved."""
    built = [Node(line.level, line.text) for line in lines]
    roots: list[Node] = []
    for line, node in zip(lines, built, strict=True):
        (built[line.parent].children if line.parent is not None else roots).append(node)
    return roots


def counts(roots: Sequence[Node]) -> dict[str, int]:
    found = dict.fromkeys(LEVELS, 0)

    def walk(nodes):
        for node in nodes:
            found[node.level] += 1
            walk(node.children)

    walk(roots)
    return found


def _sentence(text: str) -> str:
    text = s.clean(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def describe(aim: str, roots: Sequence[Node]) -> str:
    """The picture in words (its <desc>): the aim, then each driver and change idea with
    what it serves, in the outline's order."""
    n = counts(roots)
    parts = [
        f"Driver diagram. Aim: {_sentence(aim)} {n[PRIMARY]} primary driver"
        f"{'' if n[PRIMARY] == 1 else 's'}, {n[SECONDARY]} secondary driver"
        f"{'' if n[SECONDARY] == 1 else 's'} and {n[CHANGE_IDEA]} change idea"
        f"{'' if n[CHANGE_IDEA] == 1 else 's'}."
    ]
    for primary in roots:
        parts.append(f"Primary driver: {_sentence(primary.text)}")
        for secondary in primary.children:
            parts.append(f"Secondary driver: {_sentence(secondary.text)}")
            parts.extend(f"Change idea: {_sentence(idea.text)}" for idea in secondary.children)
    return " ".join(parts)


# Drawing ----------------------------------------------------------------------------------

COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
COLUMN_WIDTH = 160  # four columns and their gaps fit the page's main column (728 wide)
GAP = 24  # between columns, where the connecting lines run
MARGIN = 8
HEADER = 34  # the column headings' band
FONT_SIZE = 12
PITCH = 15
PAD = 8  # inside a box
ROW_GAP = 10  # between boxes in a column
CHARS = int((COLUMN_WIDTH - 2 * PAD) / (s.CHAR_WIDTH * FONT_SIZE))
AIM_CHARS = 240  # the aim is drawn to this length; the page and the list give it whole
FILLS = {"aim": "#005eb8", PRIMARY: "#e8edee", SECONDARY: "#f0f4f5", CHANGE_IDEA: "#ffffff"}
EDGES = {"aim": "#005eb8", PRIMARY: "#425563", SECONDARY: "#768692", CHANGE_IDEA: "#768692"}


@dataclass
class _Box:
    column: int
    lines: list[str]
    top: float = 0.0
    children: list[_Box] = field(default_factory=list)

    @property
    def height(self) -> float:
        return len(self.lines) * PITCH + 2 * PAD

    @property
    def x(self) -> float:
        return MARGIN + self.column * (COLUMN_WIDTH + GAP)


def _boxes(nodes: Sequence[Node], column: int) -> list[_Box]:
    return [
        _Box(column, s.wrap(s.clean(n.text), CHARS), children=_boxes(n.children, column + 1))
        for n in nodes
    ]


def _place(boxes: list[_Box], top: float) -> float:
    """Lays out each box and its children from `top`: a box sits at the middle of the band
    its children take (or its own height, if taller). Returns the bottom of the band."""
    for box in boxes:
        if box.children:
            bottom = _place(box.children, top)
            band = bottom - top - ROW_GAP
        else:
            band = 0.0
        if box.height > band:
            # The box is taller than its children: they move down to its middle.
            shift = (box.height - band) / 2
            if box.children:
                _shift(box.children, shift)
            band = box.height
        box.top = top + (band - box.height) / 2
        top += band + ROW_GAP
    return top


def _shift(boxes: list[_Box], by: float) -> None:
    for box in boxes:
        box.top += by
        _shift(box.children, by)


def _draw_box(box: _Box, kind: str, out: list[str]) -> None:
    fill, edge = FILLS[kind], EDGES[kind]
    colour = s.WHITE if kind == "aim" else s.TEXT
    out.append(
        f'<rect x="{s.number(box.x)}" y="{s.number(box.top)}" width="{COLUMN_WIDTH}" '
        f'height="{s.number(box.height)}" rx="4" fill="{fill}" stroke="{edge}"/>'
    )
    x = box.x + PAD
    top, content = s.lines_at(
        x, box.top + box.height / 2, box.lines, font_size=FONT_SIZE, pitch=PITCH
    )
    out.append(
        f'<text x="{s.number(x)}" y="{s.number(top)}" font-size="{FONT_SIZE}" '
        f'fill="{colour}">{content}</text>'
    )


def _connect(parent: _Box, child: _Box, out: list[str]) -> None:
    """An elbow from the middle of the parent's right edge to the middle of the child's left."""
    x1, y1 = parent.x + COLUMN_WIDTH, parent.top + parent.height / 2
    x2, y2 = child.x, child.top + child.height / 2
    mid = x1 + GAP / 2
    out.append(
        f'<path d="M{s.number(x1)} {s.number(y1)}H{s.number(mid)}V{s.number(y2)}'
        f'H{s.number(x2)}" fill="none" stroke="{EDGES[PRIMARY]}" stroke-width="1.5"/>'
    )


def svg(aim: str, roots: Sequence[Node], *, diagram_id: str = "", title: str = "") -> str:
    """The diagram as SVG: a column per level under its heading, the aim at the left, each
    node joined to the one it serves; `role="img"` with a <title> and a <desc> that gives
    every node in words."""
    aim_text = s.shorten(aim, AIM_CHARS)
    aim_box = _Box(0, s.wrap(aim_text, CHARS), children=_boxes(roots, 1))
    bottom = _place(aim_box.children, HEADER)
    band = max(bottom - HEADER - ROW_GAP, 0.0)
    if aim_box.height > band:
        _shift(aim_box.children, (aim_box.height - band) / 2)
        band = aim_box.height
    aim_box.top = HEADER + (band - aim_box.height) / 2
    width = 2 * MARGIN + 4 * COLUMN_WIDTH + 3 * GAP
    height = HEADER + band + MARGIN
    title = title or "Driver diagram"
    desc = describe(aim, roots)
    ident = s.safe_id(diagram_id, "drivers") or f"drivers-{s.digest(title + desc)}"
    out = s.svg_start(ident, title, desc, width, height, font=s.FONT, css_class="driver-diagram")
    for column, heading in enumerate(COLUMNS):
        x = MARGIN + column * (COLUMN_WIDTH + GAP)
        out.append(
            f'<text x="{s.number(x)}" y="20" font-size="13" font-weight="bold" '
            f'fill="{s.TEXT}">{s.escape(heading)}</text>'
        )
    kinds = {0: "aim", 1: PRIMARY, 2: SECONDARY, 3: CHANGE_IDEA}

    def draw(box: _Box) -> None:
        for child in box.children:
            _connect(box, child, out)
        _draw_box(box, kinds[box.column], out)
        for child in box.children:
            draw(child)

    draw(aim_box)
    out.append("</svg>")
    return "".join(out)
