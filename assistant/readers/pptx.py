"""Reading PowerPoint presentations (.pptx): each slide a page, its title a
heading, its text, tables and speaker notes under it.

A .pptx is a zip of XML parts (Office Open XML): the presentation part
lists the slides in order, each slide part holds its shapes, and a slide's
notes are a part of their own. The standard library's zipfile opens the
package (within limits: a zip bomb is refused), lxml parses the parts,
without entities or the network. On each slide:
  - the title placeholder is a heading of level 1 (a slide without one has
    no heading: nothing is made up);
  - the paragraphs of a body placeholder, or any with a bullet or number,
    are list items; other text boxes' paragraphs are paragraphs; a line
    break inside a paragraph is white space, collapsed;
  - a text box set in a fixed-width font throughout is one code block,
    line by line;
  - each table row is one block, its cells' text joined by " | ";
  - shapes inside groups are read too; pictures, charts, the slide number,
    date and footer placeholders are left out;
  - the speaker notes follow the slide's own text, as paragraphs.
The slides are the document's pages: `page_starts` holds where each begins,
so a quote is cited with its slide. Title, author and date come from the
core properties (the title falls back on the first slide's title).
"""

from __future__ import annotations

import re
import zipfile

from .package import core_properties, member, open_package, parsed_xml, relationships
from .structure import (CELL_SEPARATOR, CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout, UnreadableDocument,
                        joined_blocks)

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts of the package together
MAX_PARTS = 10_000
MAX_PART = 64 * 1024 * 1024

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_KIND = "PowerPoint file"
_TITLES = frozenset({"title", "ctrTitle"})
_LEFT_OUT = frozenset({"sldNum", "dt", "ftr", "hdr", "sldImg", "pic", "chart", "clipArt", "media"})
_MONOSPACE = re.compile(r"mono|courier|consolas|menlo|monaco|lucida console|source code", re.IGNORECASE)
_NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"


def read_pptx(data: bytes) -> Layout:
    """The text of a presentation, slide by slide (each a page); `UnreadableDocument`
    for a file that is no readable .pptx (broken, encrypted, a zip bomb)."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableDocument("encrypted PowerPoint file (saved with a password)")
    package = open_package(data, _KIND, "parts", "broken PowerPoint file (not a zip archive)", MAX_PARTS, MAX_UNPACKED)
    names = set(package.namelist())
    if "ppt/presentation.xml" not in names:
        raise UnreadableDocument("not a PowerPoint .pptx file (a zip archive of other files)")
    presentation = _xml(package, "ppt/presentation.xml")
    targets = _relationships(package, "ppt/presentation.xml", names)
    drafts: list[tuple[str, int, str]] = []
    slide_firsts: list[int] = []  # the index in drafts of each slide's first block
    first_title = None
    for slide_id in presentation.iter(f"{_P}sldId"):
        path = targets.get(slide_id.get(f"{_R}id"), ("", ""))[0]
        if path not in names:
            continue
        slide_firsts.append(len(drafts))
        slide = _xml(package, path)
        title, body = _slide_text(slide)
        if title:
            first_title = first_title or title
            drafts.append((HEADING, 1, title))
        drafts.extend(body)
        notes = next((target for target, kind in _relationships(package, path, names).values() if kind == _NOTES), None)
        if notes in names:
            drafts.extend((PARAGRAPH, 0, text) for kind, _, text in _slide_text(_xml(package, notes), notes=True)[1])
    text, blocks = joined_blocks((kind, body.strip(), level) for kind, level, body in drafts)
    page_starts = tuple(blocks[first].span.start if first < len(blocks) else len(text) for first in slide_firsts)
    title, author, date = core_properties(package, names, _KIND, MAX_PART)
    return Layout(text, blocks, title=title or first_title, author=author, date=date, page_starts=page_starts)


def _xml(package: zipfile.ZipFile, path: str):
    return parsed_xml(member(package, path, _KIND, MAX_PART), _KIND, path)


def _relationships(package: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    return relationships(package, part, names, _KIND, MAX_PART)


def _slide_text(slide, notes: bool = False) -> tuple[str | None, list[tuple[str, int, str]]]:
    """The slide's title, and its other blocks in the order of its shapes
    (for notes: the text of their body placeholder only)."""
    title = None
    blocks: list[tuple[str, int, str]] = []
    tree = slide.find(f"{_P}cSld/{_P}spTree")
    for shape in _shapes(tree) if tree is not None else ():
        if shape.tag == f"{_P}graphicFrame":
            if not notes:
                blocks.extend(_table_rows(shape))
            continue
        placeholder = shape.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
        kind = (placeholder.get("type") or "body") if placeholder is not None else None
        if kind in _LEFT_OUT or (notes and kind != "body"):
            continue
        body = shape.find(f"{_P}txBody")
        if body is None:
            continue
        if kind is None and not notes and _set_in_monospace(body):
            # A listing: a text box whose every run is in a fixed-width font.
            lines = "\n".join(_paragraph_text(paragraph).rstrip() for paragraph in body.iter(f"{_A}p")).strip("\n")
            if lines.strip():
                blocks.append((CODE, 0, lines))
            continue
        paragraphs = [(paragraph, " ".join(_paragraph_text(paragraph).split())) for paragraph in body.iter(f"{_A}p")]
        if kind in _TITLES:
            said = " ".join(text for _, text in paragraphs if text)
            if said and title is None:
                title = said
            elif said:
                blocks.append((PARAGRAPH, 0, said))
            continue
        for paragraph, text in paragraphs:
            if text:
                blocks.append((_paragraph_kind(paragraph, kind, notes), 0, text))
    return title, blocks


def _shapes(tree):
    """The shapes of a shape tree in order, those of groups inside it too."""
    for element in tree.iterchildren():
        if element.tag == f"{_P}grpSp":
            yield from _shapes(element)
        elif element.tag in (f"{_P}sp", f"{_P}graphicFrame"):
            yield element


def _paragraph_text(paragraph) -> str:
    """The text of a paragraph's runs and fields, a line break as a new line."""
    pieces = []
    for node in paragraph.iter(f"{_A}t", f"{_A}br"):
        pieces.append("\n" if node.tag == f"{_A}br" else node.text or "")
    return "".join(pieces)


def _set_in_monospace(body) -> bool:
    """Whether every run of a text body names a fixed-width typeface ("Courier New", "Consolas", "DejaVu Sans Mono")."""
    faces = [latin.get("typeface") or "" for run in body.iter(f"{_A}rPr") for latin in run.iter(f"{_A}latin")]
    runs = sum(1 for _ in body.iter(f"{_A}r"))
    return bool(faces) and len(faces) >= runs and all(_MONOSPACE.search(face[:100]) for face in faces)


def _paragraph_kind(paragraph, placeholder: str | None, notes: bool) -> str:
    """A list item when it has a bullet or number, or stands in a body
    placeholder (which bullets its paragraphs) without saying it has none."""
    if notes:
        return PARAGRAPH
    properties = paragraph.find(f"{_A}pPr")
    if properties is not None:
        if properties.find(f"{_A}buNone") is not None:
            return PARAGRAPH
        if properties.find(f"{_A}buChar") is not None or properties.find(f"{_A}buAutoNum") is not None:
            return LIST_ITEM
    return LIST_ITEM if placeholder in ("body", "obj") else PARAGRAPH


def _table_rows(frame):
    for row in frame.iter(f"{_A}tr"):
        cells = []
        for cell in row.iterchildren(f"{_A}tc"):
            text = " ".join(" ".join(_paragraph_text(p).split()) for p in cell.iter(f"{_A}p"))
            if text.strip():
                cells.append(" ".join(text.split()))
        if cells:
            yield TABLE_ROW, 0, CELL_SEPARATOR.join(cells)
