"""The network picture (evaluation/network_svg.py): employers → hosts, drawn as SVG.

Pure Python: no database. Every picture must parse as XML, name itself to assistive
technology, carry nothing a strict Content-Security-Policy would block, escape whatever
people typed, come out the same whatever order its data came in, and keep its labels
apart (estimating a label's width as 0.6 × font size × characters, as the layout does).
"""

from __future__ import annotations

import math
import random
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import network_svg
from evaluation.network_svg import (
    MAX_ORGANISATIONS,
    SECTOR_STYLES,
    Link,
    Node,
    describe_network,
    draw_network,
)

SVG = "{http://www.w3.org/2000/svg}"
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "Trust <script>alert(1)</script> & \"Friends\" 'n' </title><svg onload=alert(2)>"
SECTORS = list(SECTOR_STYLES)
NUMERIC = {"x", "y", "cx", "cy", "r", "d", "transform", "width", "height", "viewBox"}
NUMERIC |= {"stroke-width", "font-size", "stroke-opacity"}
LABELS = {sector: sector.replace("_", " ").title() for sector in SECTORS}


# --- Helpers ------------------------------------------------------------------------------


def network(count: int, *, long_names: bool = False, links_each: int = 2, seed: int = 7):
    """`count` organisations across every sector, each employer linked to a few hosts."""
    rnd = random.Random(seed)
    name = (
        "Wide Organisation Name Number {i} NHS Foundation Trust and Partners"
        if long_names
        else "Organisation {i}"
    )
    nodes = [
        Node(i, name.format(i=i), SECTORS[i % len(SECTORS)], LABELS[SECTORS[i % len(SECTORS)]])
        for i in range(count)
    ]
    links = {}
    for source in range(count):
        for _ in range(links_each):
            target = rnd.randrange(count)
            if target != source:
                links[(source, target)] = Link(
                    source, target, rnd.randint(1, 40), rnd.randint(0, 9), rnd.randint(1, 3)
                )
    return nodes, list(links.values())


def draw(nodes, links, **kwargs) -> str:
    kwargs.setdefault("chart_id", "network")
    kwargs.setdefault("title", "Links made by the programme")
    return draw_network(nodes, links, **kwargs)


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in root.iter() if name in node.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def assert_safe_and_accessible(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    view = [float(v) for v in root.get("viewBox").split()]
    assert view[:2] == [0, 0] and view[2] > 0 and view[3] > 0
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert (desc.text or "").strip()
    lowered = svg.lower()
    for banned in ("<script", "<style", "style=", "href", "<image", "<foreignobject", "url("):
        assert banned not in lowered, banned
    for node in root.iter():
        assert "style" not in node.attrib
        assert not [name for name in node.attrib if name.lower().startswith("on")], node.attrib
        assert node.tag not in (f"{SVG}script", f"{SVG}style")
    assert re.findall(r"https?://[^\s\"'<>]+", svg) == ["http://www.w3.org/2000/svg"]
    for node in root.iter():
        for name in NUMERIC & set(node.attrib):
            assert not re.search(r"nan|inf", node.get(name).lower()), "numbers drawn are finite"
    return root


def label_lines(text: ET.Element) -> list[tuple[str, float]]:
    """A label's lines (its <tspan>s, or the text itself), each with its baseline."""
    spans = text.findall("svg:tspan", NS)
    if not spans:
        return [("".join(text.itertext()), float(text.get("y")))]
    assert all(span.get("x") == text.get("x") for span in spans), "lines start together"
    return [("".join(span.itertext()), float(span.get("y"))) for span in spans]


def label_text(text: ET.Element) -> str:
    """A label as read: its lines joined by spaces."""
    return " ".join(line for line, _ in label_lines(text))


def label_box(text: ET.Element) -> list[tuple[float, float]]:
    """The corners of a label's box, as laid out: 0.6 × font size per character of its
    longest line wide, from a font size above the first baseline to a quarter of one below
    the last, turned as drawn."""
    size = float(text.get("font-size") or network_svg.LABEL_FONT)
    lines = label_lines(text)
    width = 0.6 * size * max(len(line) for line, _ in lines)
    x = float(text.get("x"))
    top, bottom = lines[0][1] - size, lines[-1][1] + size / 4
    left = x - width if text.get("text-anchor") == "end" else x
    corners = [(left, top), (left + width, top), (left + width, bottom), (left, bottom)]
    match = re.fullmatch(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)", text.get("transform", ""))
    if not match:
        return corners
    degrees, px, py = (float(v) for v in match.groups())
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return [
        (px + (cx - px) * c - (cy - py) * s, py + (cx - px) * s + (cy - py) * c)
        for cx, cy in corners
    ]


def overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Do two convex polygons overlap (separating axis theorem)?"""
    for polygon in (a, b):
        for i, (x1, y1) in enumerate(polygon):
            x2, y2 = polygon[(i + 1) % len(polygon)]
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) + 1e-6 or max(pb) <= min(pa) + 1e-6:
                return False
    return True


def assert_labels_apart(root: ET.Element) -> None:
    labels = with_class(root, "node-label")
    boxes = [label_box(label) for label in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not overlap(boxes[i], boxes[j]), (label_text(labels[i]), label_text(labels[j]))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    legend = with_class(root, "legend")[0]
    legend_top = min(float(t.get("y")) for t in legend.iter(f"{SVG}text")) - 12
    for box in boxes:
        xs, ys = [x for x, _ in box], [y for _, y in box]
        assert min(xs) >= 0 and max(xs) <= width, "a label runs off the side"
        assert min(ys) >= 24, "a label runs into the title"
        assert max(ys) <= min(height, legend_top), "a label runs into the legend"


def link_half_days(group: ET.Element) -> int:
    title = group.find("svg:title", NS).text
    return int(re.search(r": ([\d,]+) half-days?", title).group(1).replace(",", ""))


def link_width(group: ET.Element) -> float:
    [line] = with_class(group, "link-line")
    return float(line.get("stroke-width"))


# --- Safe, accessible and robust ----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 12, 40, 60])
def test_every_size_parses_and_is_safe(count):
    nodes, links = network(count)
    if count == 1:
        links = [Link(0, 0, 3, 2, 1)]  # a placement within one's own organisation
    root = assert_safe_and_accessible(draw(nodes, links))
    assert len(with_class(root, "node")) == count
    assert len(with_class(root, "link")) == len(links)


def test_names_and_titles_are_escaped():
    nodes = [
        Node(1, HOSTILE, "acute", "Acute <b>"),
        Node(2, "Smith & Jones <Care>", "pvi", "Private/Voluntary/Independent"),
    ]
    svg = draw(nodes, [Link(1, 2, 4, 3, 1)], title=HOSTILE, chart_id='x" onload="alert(1)')
    root = assert_safe_and_accessible(svg)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "Smith &amp; Jones &lt;Care&gt;" in svg
    assert root.find("svg:title", NS).text == HOSTILE
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", root.find("svg:title", NS).get("id"))
    titles = [g.find("svg:title", NS).text for g in with_class(root, "node")]
    assert any(title.startswith(HOSTILE) for title in titles)
    assert "Smith & Jones <Care>" in texts(root)
    assert "Acute <b> (1)" in texts(root)


def test_characters_xml_cannot_hold_are_dropped():
    nodes = [Node(1, "Bad\x00\x0b name\x1f", "acute", "Acute"), Node(2, "Host", "acute", "A")]
    root = assert_safe_and_accessible(draw(nodes, [Link(1, 2, 1)]))
    assert "Bad name" in texts(root)


def test_no_links_gives_a_small_picture_saying_so():
    nodes, _ = network(5)
    for given_nodes in (nodes, []):
        root = assert_safe_and_accessible(draw(given_nodes, [], title="Cohort 3"))
        assert "No links yet: no placement half-days have been recorded." in texts(root)
        assert root.find("svg:desc", NS).text.startswith("Cohort 3. No links yet")
        assert float(root.get("height")) <= 100
        assert not with_class(root, "node")


def test_the_same_network_draws_the_same_whatever_the_order():
    nodes, links = network(40, long_names=True)
    first = draw(nodes, links)
    rnd = random.Random(1)
    for _ in range(3):
        shuffled_nodes, shuffled_links = nodes[:], links[:]
        rnd.shuffle(shuffled_nodes)
        rnd.shuffle(shuffled_links)
        assert draw(shuffled_nodes, shuffled_links) == first


def test_every_organisation_is_drawn_once_employers_and_hosts_alike():
    nodes, links = network(30)
    both = {link.source for link in links} & {link.target for link in links}
    assert both, "the data has organisations that both send and host"
    root = assert_safe_and_accessible(draw(nodes, links))
    groups = with_class(root, "node")
    assert len(groups) == len(nodes)
    names = [g.find("svg:title", NS).text.split(" (")[0] for g in groups]
    assert sorted(names) == sorted(node.name for node in nodes)
    for group in groups:
        assert len(with_class(group, "node-label")) == 1
        assert len(group.findall("svg:circle", NS)) == 1
    either = next(n for n in nodes if n.key in both)
    title = next(g for g in groups if g.find("svg:title", NS).text.startswith(either.name + " "))
    text = title.find("svg:title", NS).text
    assert "sent staff for" in text and "hosted" in text


def test_organisations_are_grouped_by_sector_in_sector_order():
    nodes, links = network(26)
    root = assert_safe_and_accessible(draw(nodes, links))
    letters = ["".join(g.findall("svg:text", NS)[0].itertext()) for g in with_class(root, "node")]
    expected = [SECTOR_STYLES[s].letter for s in SECTORS for _ in range(2)]
    assert letters == expected


def test_a_long_name_is_written_in_full_on_up_to_three_lines():
    # A PDF has no tooltips: the name on the page is all a reader of the PDF gets.
    name = "Eastmere and Fenbridge University Hospitals NHS Foundation Trust"
    nodes = [Node(1, name, "acute", "Acute"), Node(2, "Age Well Fenbridge", "pvi", "PVI")]
    root = assert_safe_and_accessible(draw(nodes, [Link(1, 2, 5, 2, 1)]))
    labels = {label_text(t): t for t in with_class(root, "node-label")}
    assert set(labels) == {name, "Age Well Fenbridge"}
    assert 2 <= len(label_lines(labels[name])) <= network_svg.MAX_LABEL_LINES
    assert len(label_lines(labels["Age Well Fenbridge"])) == 1
    assert_labels_apart(root)
    titles = [g.find("svg:title", NS).text for g in with_class(root, "node")]
    assert any(title.startswith(name + " (Acute)") for title in titles)


def test_short_names_stay_on_one_line():
    nodes, links = network(20)
    root = assert_safe_and_accessible(draw(nodes, links))
    labels = with_class(root, "node-label")
    assert [label_text(t) for t in labels] and not [t for t in labels if t.find("svg:tspan", NS)]


@pytest.mark.parametrize("count", [5, 12, 20])
def test_names_of_forty_characters_are_shown_in_full_for_twenty_organisations(count):
    names = [f"Eastmere and Fenbridge Care Partners {i:03d}" for i in range(count)]
    assert {len(name) for name in names} == {40}
    nodes = [Node(i, name, SECTORS[i % 4], LABELS[SECTORS[i % 4]]) for i, name in enumerate(names)]
    links = [Link(i, (i + 1) % count, i + 1) for i in range(count)]
    root = assert_safe_and_accessible(draw(nodes, links))
    assert sorted(label_text(t) for t in with_class(root, "node-label")) == names
    assert_labels_apart(root)
    # Wrapped rather than widened: the picture still prints at full size on an A4 page.
    assert float(root.get("width")) <= network_svg.TARGET_WIDTH


# Names as organisations are called: 60 of them do not fit round a circle within an A4 page.
PLACES = ("Eastmere and Fenbridge", "Westmere", "Marsh Lane", "Northholt and Saltby", "Kingsferry")
KINDS = (
    "University Hospitals NHS Foundation Trust",
    "Community Health Services NHS Trust",
    "County Council Adult Social Care Services",
    "Age Well and Carers Support Charity",
    "Primary Care Network Medical Practice",
    "Mental Health and Wellbeing Partnership NHS Trust",
)


def sixty_named_as_organisations_are():
    nodes, links = network(60)
    named = [
        Node(n.key, f"{PLACES[n.key % 5]} {KINDS[n.key % 6]} {n.key:02d}", n.sector, n.sector_label)
        for n in nodes
    ]
    return named, links


def names_as_read(root: ET.Element) -> dict[str, str]:
    """Each organisation's name as the picture writes it, by the name in its dot's tooltip:
    beside its dot, or, where the dot is numbered, in the key by that number."""
    key = {}
    for entry in with_class(root, "key-entry"):
        [number_text] = with_class(entry, "key-number")
        [name_text] = with_class(entry, "key-name")
        key[number_text.text] = label_text(name_text)
    read = {}
    for group in with_class(root, "node"):
        name = group.find("svg:title", NS).text.rsplit(" (", 1)[0]
        [label] = with_class(group, "node-label")
        text = label_text(label)
        read[name] = key[text] if text.isdigit() and text in key else text
    return read


@pytest.mark.parametrize(
    "data", [lambda: network(60, long_names=True), sixty_named_as_organisations_are]
)
def test_sixty_organisations_with_long_names_are_each_named_in_full(data):
    """A PDF has no tooltips: a name cut short ("Eastmere and Fenbridge Univer…") cannot be
    read anywhere. When the names do not fit round the circle, the dots are numbered and the
    names listed in full by number below the legend, where they fit the picture."""
    nodes, links = data()
    root = assert_safe_and_accessible(draw(nodes, links))
    assert names_as_read(root) == {node.name: node.name for node in nodes}
    assert not [text for text in texts(root) if "…" in text]
    assert_labels_apart(root)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width <= network_svg.MAX_WIDTH and height < 1.5 * width
    # The key's entries, each as wide as its longest line, stay in the picture, below the
    # legend, and apart.
    legend_bottom = max(float(t.get("y")) for t in with_class(root, "legend")[0].iter(f"{SVG}text"))
    entries = [label_box(text) for text in with_class(root, "key-name")]
    entries += [label_box(text) for text in with_class(root, "key-number")]
    assert len(entries) == 2 * len(nodes)
    for box in entries:
        xs, ys = [x for x, _ in box], [y for _, y in box]
        assert min(xs) >= 0 and max(xs) <= width and legend_bottom < min(ys) and max(ys) <= height
    names = [label_box(text) for text in with_class(root, "key-name")]
    for i, box in enumerate(names):
        assert not [other for other in names[i + 1 :] if overlap(box, other)]


def test_a_circle_is_numbered_only_when_the_names_do_not_fit_round_it():
    nodes, links = network(40)
    root = assert_safe_and_accessible(draw(nodes, links))
    assert not with_class(root, "names-key")
    assert sorted(label_text(t) for t in with_class(root, "node-label")) == sorted(
        node.name for node in nodes
    )


@pytest.mark.parametrize("count", [12, 40, 60])
def test_labels_do_not_overlap_even_with_long_names(count):
    nodes, links = network(count, long_names=True)
    root = assert_safe_and_accessible(draw(nodes, links))
    assert len(with_class(root, "node-label")) == count
    assert_labels_apart(root)


def test_no_label_reads_upside_down():
    nodes, links = network(40)
    root = assert_safe_and_accessible(draw(nodes, links))
    for label in with_class(root, "node-label"):
        degrees = float(re.match(r"rotate\(([-\d.]+) ", label.get("transform")).group(1))
        assert -90 <= degrees <= 90, label.get("transform")
        # On the left of the circle a label ends at its dot; on the right it starts there.
        x = float(label.get("x"))
        centre = float(root.get("viewBox").split()[2]) / 2
        if abs(degrees) < 80:
            assert label.get("text-anchor") == ("end" if x < centre else "start")


def test_a_single_sector_still_keeps_its_labels_apart():
    nodes = [Node(i, f"WWWW Wide Hospital Name {i:02d} Trust", "acute", "Acute") for i in range(60)]
    links = [Link(i, (i + 1) % 60, i + 1) for i in range(60)]
    root = assert_safe_and_accessible(draw(nodes, links))
    assert_labels_apart(root)


def test_the_picture_fits_an_a4_page_when_scaled():
    nodes, links = network(60, long_names=True)
    root = assert_safe_and_accessible(draw(nodes, links))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert root.get("width") == root.get("viewBox").split()[2]
    # A4 less 15 mm margins is 180 mm (680 px) wide: scaled down to that, labels stay
    # at least 9 px (7 pt) high.
    assert 680 / width * network_svg.LABEL_FONT >= 9
    assert height < 1.5 * width


def test_every_link_is_drawn_with_width_growing_with_half_days():
    nodes, links = network(40)
    root = assert_safe_and_accessible(draw(nodes, links))
    groups = with_class(root, "link")
    assert len(groups) == len(links)
    drawn = sorted((link_half_days(g), link_width(g)) for g in groups)
    assert sorted(h for h, _ in drawn) == sorted(link.half_days for link in links)
    for (days_a, width_a), (days_b, width_b) in zip(drawn, drawn[1:], strict=False):
        assert width_a <= width_b
        if days_a < days_b:
            assert width_a < width_b, (days_a, days_b)
    assert drawn[-1][1] == pytest.approx(network_svg.LINK_MAX_WIDTH, abs=0.01)
    for group in groups:
        assert len(with_class(group, "arrowhead")) == 1  # the direction: employer to host


def test_widest_links_are_drawn_first_so_thin_ones_stay_visible():
    nodes, links = network(20)
    root = assert_safe_and_accessible(draw(nodes, links))
    widths = [link_width(g) for g in with_class(root, "link")]
    assert widths == sorted(widths, reverse=True)


def width_samples(root: ET.Element) -> list[float]:
    return [float(path.get("stroke-width")) for path in with_class(root, "width-sample")]


def test_the_key_shows_the_thinnest_and_thickest_line_as_drawn():
    nodes, links = network(20)
    root = assert_safe_and_accessible(draw(nodes, links))
    fewest, most = min(lk.half_days for lk in links), max(lk.half_days for lk in links)
    assert fewest < most
    assert f"Line width: half-days (thinnest {fewest}, thickest {most})" in texts(root)
    drawn = [link_width(g) for g in with_class(root, "link")]
    assert width_samples(root) == [pytest.approx(min(drawn), abs=0.01), max(drawn)]


def test_when_every_link_has_the_same_half_days_the_key_shows_one_line():
    nodes, _ = network(6)
    links = [Link(0, 1, 4, 1, 1), Link(2, 3, 4, 2, 1), Link(4, 5, 4, 1, 1)]
    root = assert_safe_and_accessible(draw(nodes, links))
    key = [text for text in texts(root) if "link" in text.lower() and ":" in text]
    assert "Every link: 4 half-days" in key
    assert not [text for text in key if "thinnest" in text]
    assert width_samples(root) == [network_svg.LINK_MAX_WIDTH]
    assert {link_width(g) for g in with_class(root, "link")} == {network_svg.LINK_MAX_WIDTH}


def test_links_both_ways_bend_apart_and_self_links_loop():
    nodes = [Node(1, "Hospital", "acute", "Acute"), Node(2, "Council", "social_care", "SC")]
    links = [Link(1, 2, 6, 4, 2), Link(2, 1, 3, 2, 1), Link(2, 2, 2, 1, 1)]
    root = assert_safe_and_accessible(draw(nodes, links))
    paths = [with_class(g, "link-line")[0].get("d") for g in with_class(root, "link")]
    assert len(set(paths)) == 3
    assert sum(" C" in path for path in paths) == 1  # the loop
    controls = [re.search(r"Q([-\d.]+) ([-\d.]+)", p) for p in paths if " Q" in p]
    assert controls[0].groups() != controls[1].groups()


def test_repeated_links_are_added_together():
    nodes = [Node(1, "Hospital", "acute", "Acute"), Node(2, "Council", "social_care", "SC")]
    root = assert_safe_and_accessible(draw(nodes, [Link(1, 2, 2, 1, 1), Link(1, 2, 3, 2, 1)]))
    [group] = with_class(root, "link")
    assert link_half_days(group) == 5


def test_nodes_without_links_are_still_drawn():
    nodes, _ = network(6)
    root = assert_safe_and_accessible(draw(nodes, [Link(0, 1, 2, 1, 1)]))
    assert len(with_class(root, "node")) == 6
    assert "(4 with no links yet)" in root.find("svg:desc", NS).text


def test_over_the_limit_the_busiest_are_shown_and_the_rest_counted():
    nodes, links = network(75, long_names=True)
    root = assert_safe_and_accessible(draw(nodes, links))
    groups = with_class(root, "node")
    assert len(groups) == MAX_ORGANISATIONS
    assert_labels_apart(root)
    activity = dict.fromkeys(range(75), 0)
    for link in links:
        activity[link.source] += link.half_days
        activity[link.target] += link.half_days
    shown = {g.find("svg:title", NS).text.split(" (")[0] for g in groups}
    left_out = [n for n in nodes if n.name not in shown]
    assert len(left_out) == 75 - MAX_ORGANISATIONS
    least_shown = min(activity[n.key] for n in nodes if n.name in shown)
    assert all(activity[n.key] <= least_shown for n in left_out)
    kept_keys = {n.key for n in nodes if n.name in shown}
    inside = [lk for lk in links if lk.source in kept_keys and lk.target in kept_keys]
    assert len(with_class(root, "link")) == len(inside)
    desc = root.find("svg:desc", NS).text
    assert f"shows the {MAX_ORGANISATIONS} organisations with the most half-days" in desc
    assert f"15 organisations and {len(links) - len(inside)} links" in desc
    assert "The table lists every link." in desc
    assert "Showing the 60 busiest organisations: 15 more organisations in the table." in texts(
        root
    )


def test_a_lower_limit_can_be_chosen():
    nodes, links = network(20)
    root = assert_safe_and_accessible(draw(nodes, links, max_organisations=8))
    assert len(with_class(root, "node")) == 8


def test_the_description_sums_up_the_network():
    nodes = [
        Node(1, "Hospital", "acute", "Acute"),
        Node(2, "Council", "social_care", "Social Care"),
        Node(3, "Surgery", "gp_practice", "GP Practice"),
        Node(4, "Ward 2", "acute", "Acute"),
    ]
    links = [Link(1, 2, 1200, 14, 5), Link(1, 3, 4, 1, 1), Link(1, 4, 2, 2, 1)]
    desc = describe_network(nodes, links, title="Cohort 3")
    assert desc == (
        "Cohort 3. 4 organisations in 3 sectors, joined by 3 links from employer to host "
        "(2 across sectors), 1,206 half-days in all. Busiest links: Hospital to Council, "
        "1,200 half-days, 14 people met; Hospital to Surgery, 4 half-days, 1 person met; "
        "Hospital to Ward 2, 2 half-days, 2 people met."
    )
    root = assert_safe_and_accessible(draw(nodes, links, title="Cohort 3"))
    assert root.find("svg:desc", NS).text == desc


def test_every_sector_has_a_style_a_distinct_letter_and_a_readable_letter():
    from participants.models import Sector  # the sectors organisations are given

    assert list(SECTOR_STYLES) == list(Sector.values)
    letters = [style.letter for style in SECTOR_STYLES.values()]
    assert len(set(letters)) == len(letters)
    colours = [style.colour for style in SECTOR_STYLES.values()]
    assert len(set(colours)) == len(colours)

    def contrast(a: str, b: str) -> float:
        high, low = sorted((network_svg._luminance(a), network_svg._luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for style in [*SECTOR_STYLES.values(), network_svg.UNKNOWN_SECTOR]:
        letter = network_svg._letter_colour(style.colour)
        assert contrast(style.colour, letter) >= 4.5, style


def test_a_sector_not_listed_still_draws_with_a_legend_entry():
    nodes = [Node(1, "Hospital", "acute", "Acute"), Node(2, "Fire Station", "fire", "Fire")]
    root = assert_safe_and_accessible(draw(nodes, [Link(1, 2, 3, 1, 1)]))
    assert "Fire (1)" in texts(root)


def test_mistakes_in_the_data_are_refused():
    one = Node(1, "Hospital", "acute", "Acute")
    with pytest.raises(ValueError, match="share the key"):
        draw([one, one], [])
    with pytest.raises(ValueError, match="not given"):
        draw([one], [Link(1, 2, 3)])
    with pytest.raises(ValueError, match="whole numbers"):
        draw([one], [Link(1, 1, -1)])


# --- Properties ---------------------------------------------------------------------------

sector_values = st.one_of(st.sampled_from(SECTORS), st.text(max_size=12))


@st.composite
def networks(draw_from, max_nodes: int = 70):
    names = draw_from(st.lists(st.text(max_size=80), min_size=1, max_size=max_nodes))
    keys = draw_from(st.sampled_from(["int", "str"]))
    nodes = [
        Node(i if keys == "int" else f"k{i}", name, draw_from(sector_values), draw_from(st.text()))
        for i, name in enumerate(names)
    ]
    count = len(nodes)
    raw_links = draw_from(
        st.lists(
            st.tuples(
                st.integers(0, count - 1),
                st.integers(0, count - 1),
                st.integers(0, 10_000),
                st.integers(0, 500),
                st.integers(0, 50),
            ),
            max_size=120,
        )
    )
    links = [Link(nodes[s].key, nodes[t].key, h, p, q) for s, t, h, p, q in raw_links]
    return nodes, links


@settings(max_examples=60, deadline=None)
@given(networks(), st.text(max_size=200))
def test_any_names_and_sectors_give_safe_valid_svg(data, title):
    nodes, links = data
    root = assert_safe_and_accessible(draw(nodes, links, title=title))
    merged = {(link.source, link.target) for link in links}
    if links:
        assert len(with_class(root, "node")) == min(len(nodes), MAX_ORGANISATIONS)
        assert_labels_apart(root)
        if len(nodes) <= MAX_ORGANISATIONS:
            assert len(with_class(root, "link")) == len(merged)
    else:
        assert not with_class(root, "node")


@settings(max_examples=40, deadline=None)
@given(networks(max_nodes=30), st.randoms(use_true_random=False))
def test_order_of_the_data_never_changes_the_picture(data, rnd):
    nodes, links = data
    shuffled_nodes, shuffled_links = nodes[:], links[:]
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_links)
    assert draw(shuffled_nodes, shuffled_links) == draw(nodes, links)
