"""PDFs with WeasyPrint, from templates, fetching nothing from outside.

A long document (the workshop pack, the evaluation report) is laid out in parts and put
together with pypdf (`assemble`): WeasyPrint holds a whole document's layout in memory,
so one part at a time keeps a worker small, and parts can be laid out on several workers
at once. Across the parts, `assemble` makes what no single part can know: the contents
page's page numbers and links, "page N of M" on every page, one outline and one tag
structure for screen readers.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import io
import logging
import tempfile
from collections.abc import Callable
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetchingError

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "print.css"
# Parts carry no page numbers of their own: `assemble` stamps them once it knows them all.
UNNUMBERED = "@page { @bottom-center { content: none; } }"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; a PDF measures in points
FRONT_ENTRIES_PER_PAGE = 45
# Page numbers are laid out this many pages at a time (see `_page_numbers`).
STAMPS_AT_ONCE = 100
# Parts copied into the merged PDF before it is saved and opened again (see `_merge`).
MERGE_AT_ONCE = 10


class InlineOnlyFetcher(URLFetcher):
    """Refuse file:// and network addresses, so text a user typed cannot make the PDF
    read a file or call a server; only inline data: images (our SVG charts) load."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise URLFetchingError(f"Refused to fetch {url[:60]}")


@functools.cache
def _stylesheet(css: str) -> CSS:
    """Parsed once per process: a pack's parts share it."""
    return CSS(string=css, url_fetcher=InlineOnlyFetcher())


@functools.cache
def _fonts() -> FontConfiguration:
    """One per process, so the fonts are found and loaded once, not once per part."""
    return FontConfiguration()


def _stylesheets(*extra: str) -> list[CSS]:
    return [_stylesheet(css) for css in (PRINT_CSS.read_text(), *extra)]


def _layout(html: str, *extra_css: str):
    return HTML(string=html, url_fetcher=InlineOnlyFetcher(), base_url="about:blank").render(
        stylesheets=_stylesheets(*extra_css), font_config=_fonts(), pdf_tags=True
    )


def html_to_pdf(html: str, *, numbered: bool = True) -> bytes:
    """Tagged (`pdf_tags`): headings, tables and reading order are in the PDF's structure,
    so a screen reader can read it as it reads the page. It costs about 5% more time
    (docs/benchmarks.md)."""
    return _layout(html, *(() if numbered else (UNNUMBERED,))).write_pdf(pdf_tags=True)


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def front_matter(template: str, context: dict, contents: list[tuple[str, str]]):
    """What writes a document's front matter for `assemble`: `template` with `context` and
    `contents`, (anchor, label) pairs, each given the page its anchor landed on."""
    return lambda pages: render_to_string(
        template,
        {**context, "contents": [(anchor, label, pages.get(anchor)) for anchor, label in contents]},
    )


class LaidOut(NamedTuple):
    """One part of a long document, for `assemble`: its PDF, its pages, and the page (from
    0) each anchor (an element's id) is on, for the contents."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]


def render_part(html: str) -> LaidOut:
    document = _layout(html, UNNUMBERED)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return LaidOut(document.write_pdf(pdf_tags=True), len(document.pages), anchors)


def assemble(front: Callable[[dict[str, int]], str], parts: list[LaidOut]) -> bytes:
    """Put the parts together behind the front matter (cover and contents), which
    `front(pages)` writes given the page number of each anchor (an element's id) in the
    parts. The front matter's own length moves every number, so it is laid out again until
    its length holds (once more at most, in practice)."""
    anchors, first = {}, 0
    for part in parts:
        anchors.update((name, first + index) for name, index in part.anchors.items())
        first += part.pages
    front_pdf, front_pages, contents = _lay_out_front(front, anchors)
    page_numbers = _page_numbers(front_pages + first)
    # What WeasyPrint held goes back to the system before qpdf reads the parts: a worker's
    # peak is then the larger of the two, not their sum.
    gc.collect()
    _malloc_trim(0)
    with tempfile.TemporaryDirectory(prefix="i2i-pdf-") as folder:
        merged = _merge([front_pdf, *(part.pdf for part in parts)], Path(folder))
        return _finish(merged, page_numbers, contents, front_pages, anchors)


def _finish(merged: Pdf, page_numbers, contents, front_pages: int, anchors) -> bytes:
    """Stamp the page numbers, add the contents' links, and write the file."""
    stamps = [Pdf.open(io.BytesIO(content)) for content in page_numbers]
    for page, stamp in zip(merged.pages, (s for pdf in stamps for s in pdf.pages), strict=True):
        page.add_overlay(stamp)
    for (number, target), (x0, y0, x1, y1) in contents.items():
        page = merged.pages[number]
        height = float(page.mediabox[3])
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[x0 * PX_TO_PT, height - y1 * PX_TO_PT, x1 * PX_TO_PT, height - y0 * PX_TO_PT],
            Border=[0, 0, 0],
            Dest=[merged.pages[front_pages + anchors[target]].obj, Name.Fit],
        )
        if Name.Annots not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(merged.make_indirect(link))
    out = io.BytesIO()
    merged.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _lay_out_front(front, anchors: dict[str, int]):
    """The front matter as a PDF, its pages, and the box of each contents entry's link."""
    # A first guess at its length: the cover, and the contents at about
    # FRONT_ENTRIES_PER_PAGE entries a page.
    front_pages = 1 + -(-front({}).count("<li") // FRONT_ENTRIES_PER_PAGE)
    with _links_to_other_parts():
        for _attempt in range(4):
            pages = {name: front_pages + index + 1 for name, index in anchors.items()}
            document = _layout(front(pages), UNNUMBERED)
            if len(document.pages) == front_pages:
                break
            front_pages, document = len(document.pages), None  # let the first go first
        front_pdf = document.write_pdf(pdf_tags=True)
    contents: dict[tuple[int, str], tuple[float, float, float, float]] = {}
    for number, page in enumerate(document.pages):
        for kind, target, (x0, y0, x1, y1), _box in page.links:
            if kind == "internal" and target in anchors:  # one link round each entry's boxes
                a0, b0, a1, b1 = contents.get((number, target), (x0, y0, x1, y1))
                contents[number, target] = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
    return front_pdf, front_pages, contents


def _malloc_trim(pad: int) -> None:
    """glibc keeps freed memory for the process; this gives it back (elsewhere, nothing)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(pad)


@contextmanager
def _links_to_other_parts():
    """The contents link to anchors in the other parts, which WeasyPrint reports as missing
    (and leaves out): `assemble` adds those links itself."""

    def other_parts(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No anchor #")

    logger = logging.getLogger("weasyprint")
    logger.addFilter(other_parts)
    try:
        yield
    finally:
        logger.removeFilter(other_parts)


def _merge(documents: list[bytes], folder: Path) -> Pdf:
    """The documents' pages and outlines in order (qpdf, through pikepdf: it copies a pack
    of hundreds of pages in a fraction of the time and memory pypdf takes), and one tag
    structure: each document's tagged content becomes a Part of one Document, its
    marked-content keys moved past the documents before it.

    qpdf copies from a document only when the result is saved, so every document stays
    open until then: MERGE_AT_ONCE at a time, the result so far is saved in `folder` and
    opened again, and the documents copied are closed."""
    merged = Pdf.new()
    document = merged.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    tree = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=document))
    document.P = tree
    tree.ParentTree = merged.make_indirect(Dictionary(Nums=Array()))
    merged.Root.StructTreeRoot = tree
    first = Pdf.open(io.BytesIO(documents[0]))
    if Name.Lang in first.Root:
        merged.Root.Lang = pikepdf.String(str(first.Root.Lang))
    if Name.Title in first.docinfo:
        merged.docinfo[Name.Title] = pikepdf.String(str(first.docinfo[Name.Title]))
    first.close()
    offset, outline, open_sources = 0, [], []
    for number, content in enumerate(documents, start=1):
        source = Pdf.open(io.BytesIO(content))
        open_sources.append(source)
        start = len(merged.pages)
        merged.pages.extend(source.pages)
        outline += _outline_items(source, start)
        if Name.StructTreeRoot in source.Root:
            offset = _copy_structure(merged, source, start, offset)
        if len(open_sources) == MERGE_AT_ONCE and number < len(documents):
            saved = folder / f"merged-{number}.pdf"
            merged.save(saved)
            for done in (merged, *open_sources):
                done.close()
            merged, open_sources = Pdf.open(saved), []
    merged.Root.StructTreeRoot.ParentTreeNextKey = offset
    merged.Root.MarkInfo = Dictionary(Marked=True)
    merged.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with merged.open_outline() as merged_outline:
        merged_outline.root.extend(outline)
    merged.sources = open_sources  # open until the merged PDF is saved
    return merged


def _copy_structure(merged: Pdf, source: Pdf, start: int, offset: int) -> int:
    """Copy a document's tags (its pages follow `start` pages) as a Part of the merged
    Document, its keys moved by `offset`; return the next free key."""
    document = merged.Root.StructTreeRoot.K
    numbers = merged.Root.StructTreeRoot.ParentTree.Nums
    source_tree = source.Root.StructTreeRoot
    keys = _number_tree(source_tree.ParentTree)
    for top in _as_list(source_tree.K):
        element = merged.copy_foreign(top)
        element.S = Name.Part
        element.P = document
        document.K.append(element)
    for key, value in keys:
        numbers.append(key + offset)
        numbers.append(_copied(merged, value))
    for page, original in zip(merged.pages[start:], source.pages, strict=True):
        if Name.StructParents in original.obj:
            page.obj.StructParents = int(original.obj.StructParents) + offset
        for annotation in page.obj.get(Name.Annots, []):
            if Name.StructParent in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    return offset + max((key for key, _ in keys), default=-1) + 1


def _copied(merged: Pdf, value):
    """An object of another PDF, copied in (qpdf copies only indirect objects: a direct
    array is copied item by item)."""
    if value.is_indirect:
        return merged.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copied(merged, item) for item in value])
    return value


def _outline_items(source: Pdf, start: int) -> list[OutlineItem]:
    """A document's bookmarks (WeasyPrint makes them from its headings), pointing at the
    same pages once they follow `start` pages of the documents before."""
    pages = {page.objgen: index for index, page in enumerate(source.pages)}

    def copy(item: OutlineItem) -> OutlineItem:
        target = item.destination[0].objgen if item.destination is not None else None
        copied = OutlineItem(item.title, start + pages.get(target, 0))
        copied.children.extend(copy(child) for child in item.children)
        return copied

    with source.open_outline() as outline:
        return [copy(item) for item in outline.root]


def _as_list(value) -> list:
    return list(value) if isinstance(value, Array) else [value]


def _number_tree(node) -> list[tuple[int, object]]:
    """A PDF number tree's (key, value) pairs, from its leaves."""
    nums = node.get(Name.Nums, Array())
    pairs = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get(Name.Kids, Array()):
        pairs.extend(_number_tree(kid))
    return pairs


def _page_numbers(total: int) -> list[bytes]:
    """`total` pages holding only "I2I Cohorts – page N of M", laid out by WeasyPrint in the
    print stylesheet's font and marked as artifacts, so a screen reader skips them as page
    furniture, to stamp on the assembled pages. Laid out STAMPS_AT_ONCE at a time: a
    document of hundreds of pages, even blank, holds memory a part would not."""
    done = []
    for first in range(0, total, STAMPS_AT_ONCE):
        count = min(STAMPS_AT_ONCE, total - first)
        footer = f'"I2I Cohorts – page " counter(page) " of {total}"'
        css = (
            f"@page {{ @bottom-center {{ content: {footer}; }} }}"
            f" @page :first {{ counter-reset: page {first + 1}; }}"
        )
        blank_pages = HTML(string="<div style='break-after: page'></div>" * count).write_pdf(
            stylesheets=_stylesheets(css), font_config=_fonts()
        )
        numbers = Pdf.open(io.BytesIO(blank_pages))
        for stamp in numbers.pages:
            stamp.contents_add(b"/Artifact BMC\n", prepend=True)
            stamp.contents_add(b"\nEMC\n")
        out = io.BytesIO()
        numbers.save(out)
        done.append(out.getvalue())
    return done
