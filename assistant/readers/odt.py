"""Reading OpenDocument text: LibreOffice Writer's .odt (and its .ott
templates) and the flat XML .fodt: paragraphs, headings, list items, code,
definitions and table rows.

An .odt is a zip whose `mimetype` says what it holds, with the text in
`content.xml`, the named styles in `styles.xml` and the title, author and
date in `meta.xml`; a .fodt is the same XML in one file. The standard
library's zipfile opens the package (within limits: a zip bomb is refused),
lxml parses the XML, without entities or the network. The body is read in
document order, as Writer lays it out:
  - `text:h` is a heading of its outline level, and so is a paragraph in a
    heading style ("Heading 2", or a style with an outline level); one in the
    "Title" style (or one based on it) is a heading of level 1 that also
    names the document;
  - each paragraph of a `text:list` is a list item (the bullet or number is
    drawn, not written);
  - a paragraph in a preformatted or code style is code, consecutive ones one
    block, kept line by line; every other paragraph has its white space
    collapsed, as OpenDocument itself collapses it (`text:s`, `text:tab` and
    `text:line-break` are the spaces, tabs and breaks it means);
  - a definition list's term (a "List Heading" or "...term" style) is one
    block with the definition under it;
  - each table row is one block, its cells' text joined by " | ";
  - tables of contents and indexes, footnotes, comments, text boxes and
    deleted text kept for tracked changes are left out.
A spreadsheet or presentation is not a text document, and an encrypted one
cannot be read: each is said so. An .odt has no pages: `page_starts` is empty.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace

from .package import member, open_package, parsed_xml
from .structure import (CELL_SEPARATOR, CODE, DEFINITION, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout,
                        UnreadableDocument, code_joined, joined_blocks)

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts of the package together
MAX_PARTS = 10_000
MAX_PART = 64 * 1024 * 1024  # content.xml, styles.xml or meta.xml
MAX_STYLE_NAME = 200  # characters of a style's name looked at: names are short, a hostile one is not

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_PRESENTATION = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
# A slide's frames that are no part of what it says.
_FRAMES_LEFT_OUT = frozenset({"page-number", "footer", "date-time", "header", "page", "graphic", "chart", "object",
                              "handout", "notes"})
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template",
                   "application/vnd.oasis.opendocument.text-master", "application/vnd.oasis.opendocument.presentation",
                   "application/vnd.oasis.opendocument.presentation-template",
                   "application/vnd.oasis.opendocument.spreadsheet",
                   "application/vnd.oasis.opendocument.spreadsheet-template")
_OTHER_KINDS = {"graphics": "drawing",
                "chart": "chart", "formula": "formula", "image": "image", "database": "database"}

# What a paragraph style's name (or its display name, or a style it is based
# on) makes of the paragraph: Writer's "Preformatted Text" and "Source Text",
# docutils' "rststyle-codeblock"; "Title"; a table of contents' entries;
# a definition list's term and its definition.
_MONOSPACE = re.compile(r"mono|courier|consolas|menlo|monaco|lucida console|source code", re.IGNORECASE)
_CODE_STYLES = re.compile(r"preformatted|code|source|literal|verbatim|console", re.IGNORECASE)
# ("Contents 1", "Contents_20_Heading", "rststyle-contents-2", "Index 1"; not
# "Table Contents", Writer's style for the paragraphs of a table's cells.)
_CONTENTS_STYLES = re.compile(r"(?:contents|index)[ _-]*(?:20[ _]*)?(?:\d|heading)", re.IGNORECASE)
_TERM_STYLES = re.compile(r"list[ _]*(?:20[ _]*)?heading|deflist-term", re.IGNORECASE)
_DEFINITION_STYLES = re.compile(r"list[ _]*(?:20[ _]*)?contents|deflist-def", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"(?:rststyle-)?title", re.IGNORECASE)
# A heading style set on a plain paragraph ("Heading_20_1", "Heading 2", "rststyle-heading3").
_HEADING_STYLE = re.compile(r"heading[ _]*(?:20[ _]*)?(\d)(?!\d)", re.IGNORECASE)
_TITLE = "title"  # a heading of level 1 that also names the document
_TERM, _DEFINED = "term", "defined"  # a definition list's term, and its definition, until joined

# Elements whose text is not the document's running text.
_LEFT_OUT = frozenset(f"{{{_TEXT}}}{name}" for name in (
    "table-of-content", "alphabetical-index", "illustration-index", "table-index", "object-index", "user-index",
    "bibliography", "tracked-changes", "sequence-decls", "variable-decls", "user-field-decls", "dde-connection-decls",
    "note", "notes-configuration")) | {f"{{{_OFFICE}}}annotation", f"{{{_OFFICE}}}forms",
                                       "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
                                       "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}custom-shape"}
_RAW_SPACE = re.compile(r"[ \t\r\n]+")  # white space OpenDocument collapses to one space
_DAY = re.compile(r"\d{4}-\d\d-\d\d")  # the date of an ISO 8601 date and time


def _t(name: str) -> str:
    return f"{{{_TEXT}}}{name}"


def read_odt(data: bytes) -> Layout:
    """The text of an OpenDocument text file (zipped or flat XML), one block
    per paragraph, heading, list item, code block, definition or table row;
    `UnreadableDocument` for anything else (a spreadsheet, an encrypted or
    broken file, a zip bomb)."""
    if data.startswith(b"PK"):
        content, styles, meta = _parts_of_package(data)
    else:
        root = _xml(data, "file")
        _check_mimetype(root.get(f"{{{_OFFICE}}}mimetype", ""))
        content = styles = meta = root
    kinds = _StyleKinds([styles, content])
    title, author, date = _metadata(meta)
    slides = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}presentation")
    if slides is not None:
        return _presentation(slides, kinds, title, author, date)
    sheets = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}spreadsheet")
    if sheets is not None:
        return _spreadsheet(sheets, title, author, date)
    body = content.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise UnreadableDocument("OpenDocument file without a text body")
    drafts = list(_drafts(body, kinds, in_list=False))
    return _assemble(drafts, title, author, date)


def _presentation(slides, kinds: _StyleKinds, title: str | None, author: str | None, date: str | None) -> Layout:
    """An Impress presentation: each slide (draw:page) a page, its title frame
    a heading of level 1, its outline's items list items, its text boxes'
    paragraphs paragraphs, its tables a row a line, its notes paragraphs
    after them; page numbers, dates, footers, pictures left out."""
    drafts: list[tuple[str, int, str]] = []
    firsts: list[int] = []  # the index in drafts of each slide's first block
    first_title = None
    for page in slides.iterchildren(f"{{{_DRAW}}}page"):
        firsts.append(len(drafts))
        body: list[tuple[str, int, str]] = []
        for frame in _frames(page):
            kind = frame.get(f"{{{_PRESENTATION}}}class")
            if kind in _FRAMES_LEFT_OUT:
                continue
            found = list(_drafts(_inside(frame), kinds, in_list=False))
            if kind == "title" and found and not any(k == HEADING for k, _, _ in drafts[firsts[-1]:]):
                said = " ".join(text for _, _, text in found)
                first_title = first_title or said
                drafts.append((HEADING, 1, said))
            else:
                body.extend((PARAGRAPH if k in (HEADING, _TITLE) else k, 0 if k in (HEADING, _TITLE) else level, text)
                            for k, level, text in found)
        notes = page.find(f"{{{_PRESENTATION}}}notes")
        for frame in _frames(notes) if notes is not None else ():
            if frame.get(f"{{{_PRESENTATION}}}class") == "notes":
                body.extend((PARAGRAPH, 0, text) for _, _, text in _drafts(_inside(frame), kinds, in_list=False))
        drafts.extend(code_joined(body))  # (a slide's listing; never one running on into the next slide's)
    layout = _assemble(drafts, title or first_title, author, date, join_code=False)
    starts = tuple(layout.blocks[first].span.start if first < len(layout.blocks) else len(layout.text)
                   for first in firsts)
    return replace(layout, page_starts=starts)


MAX_REPEATS = 100  # times a row or cell with a value is repeated ("table:number-rows-repeated")


def _spreadsheet(sheets, title: str | None, author: str | None, date: str | None) -> Layout:
    """A Calc spreadsheet: each sheet (table:table) a heading of level 1, its
    name, and its rows table rows, each cell as Calc shows it (the text it
    stores beside the value); empty cells left out, a repeated row or cell
    repeated as the sheet shows it (not the million empty ones that fill it)."""
    drafts: list[tuple[str, int, str]] = []
    for sheet in sheets.iterchildren(f"{{{_TABLE}}}table"):
        rows = []
        for row in _rows(sheet):
            cells = []
            for cell in row.iterchildren(f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                text = " ".join(_collapsed(_text(paragraph)) for paragraph in cell.iter(_t("p")))
                if text.strip():
                    cells.extend([_collapsed(text)] * _repeats(cell, "columns"))
            if cells:
                rows.extend([CELL_SEPARATOR.join(cells)] * _repeats(row, "rows"))
        if rows:
            drafts.append((HEADING, 1, " ".join((sheet.get(f"{{{_TABLE}}}name") or "").split()) or "Sheet"))
            drafts.extend((TABLE_ROW, 0, row) for row in rows)
    return _assemble(drafts, title, author, date, join_code=False)


def _repeats(element, what: str) -> int:
    count = element.get(f"{{{_TABLE}}}number-{what}-repeated") or "1"
    return max(1, min(int(count), MAX_REPEATS)) if count.isdigit() else 1


def _inside(frame):
    """Where a frame's text is: its text box, or the shape itself."""
    box = frame.find(f"{{{_DRAW}}}text-box")
    return box if box is not None else frame


def _frames(container):
    """The frames and shapes holding text on a slide, in order, those of groups too."""
    for element in container.iterchildren():
        if element.tag == f"{{{_DRAW}}}g":
            yield from _frames(element)
        elif element.tag in (f"{{{_DRAW}}}frame", f"{{{_DRAW}}}custom-shape", f"{{{_DRAW}}}rect"):
            yield element


def _parts_of_package(data: bytes):
    package = open_package(data, "OpenDocument file", "parts", "broken OpenDocument file (not a zip archive)",
                           MAX_PARTS, MAX_UNPACKED)
    names = set(package.namelist())
    mimetype = _member(package, "mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    _check_mimetype(mimetype)
    # (Looked for in the manifest's bytes: some files LibreOffice reads write it
    # without its namespace's declaration, which an XML parser refuses.)
    if "META-INF/manifest.xml" in names and b"encryption-data" in _member(package, "META-INF/manifest.xml"):
        raise UnreadableDocument("encrypted OpenDocument file (saved with a password)")
    if "content.xml" not in names:
        raise UnreadableDocument("OpenDocument file without text (no content.xml: styles only, as a style template)")
    content = _xml(_member(package, "content.xml"), "content.xml")
    styles = _xml(_member(package, "styles.xml"), "styles.xml") if "styles.xml" in names else None
    meta = _xml(_member(package, "meta.xml"), "meta.xml") if "meta.xml" in names else None
    return content, styles, meta


def _check_mimetype(mimetype: str) -> None:
    if not mimetype or mimetype in _TEXT_MIMETYPES:
        return  # (a package without a mimetype is read if its content is text)
    kind = mimetype.rsplit(".", 1)[-1].split("-")[0]
    if mimetype.startswith("application/vnd.oasis.opendocument.") and kind in _OTHER_KINDS:
        raise UnreadableDocument(f"an OpenDocument {_OTHER_KINDS[kind]}, not a text document")
    raise UnreadableDocument(f"not an OpenDocument text file ({mimetype[:60]})")


def _member(package: zipfile.ZipFile, name: str) -> bytes:
    return member(package, name, "OpenDocument file", MAX_PART)


def _xml(data: bytes, name: str):
    return parsed_xml(data, "OpenDocument file", name)


class _StyleKinds:
    """What a paragraph's style makes of it, following each style's parent:
    the named styles (styles.xml) and the automatic ones Writer makes for
    each paragraph formatted by hand (content.xml, "P12" based on "Text body")."""

    def __init__(self, roots) -> None:
        self._parent: dict[str, str | None] = {}
        self._names: dict[str, str] = {}
        self._outline: dict[str, str] = {}
        # (family, name) -> (its parent, whether its font is fixed-width: None when it names no font)
        self._fonts: dict[tuple[str, str], tuple[str | None, bool | None]] = {}
        for root in roots:
            if root is None:
                continue
            for style in root.iter(f"{{{_STYLE}}}style"):
                family = style.get(f"{{{_STYLE}}}family") or "paragraph"
                name = style.get(f"{{{_STYLE}}}name") or ""
                properties = style.find(f"{{{_STYLE}}}text-properties")
                font = "" if properties is None else (properties.get(f"{{{_STYLE}}}font-name")
                                                      or properties.get(f"{{{_FO}}}font-family") or "")
                self._fonts[(family, name)] = (style.get(f"{{{_STYLE}}}parent-style-name"),
                                               bool(_MONOSPACE.search(font[:MAX_STYLE_NAME])) if font else None)
                if family != "paragraph":
                    continue
                self._parent[name] = style.get(f"{{{_STYLE}}}parent-style-name")
                self._names[name] = f"{name} {style.get(f'{{{_STYLE}}}display-name') or ''}"[:MAX_STYLE_NAME]
                self._outline[name] = style.get(f"{{{_STYLE}}}default-outline-level") or ""
        self._cache: dict[str | None, tuple[str, int]] = {}

    def fixed_width(self, family: str, name: str | None) -> bool:
        """Whether a style (or the one it is based on) sets its text in a fixed-width font."""
        seen = set()
        while name and name not in seen:
            seen.add(name)
            parent, monospace = self._fonts.get((family, name), (None, None))
            if monospace is not None:
                return monospace
            name = parent
        return False

    def of(self, name: str | None) -> tuple[str, int]:
        """(kind, heading level): PARAGRAPH, HEADING, CODE, _TITLE, _TERM, _DEFINED or "contents"."""
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str | None) -> tuple[str, int]:
        seen = set()
        while name and name not in seen:
            seen.add(name)
            said = self._names.get(name, name[:MAX_STYLE_NAME])
            words = said.split()
            if any(_TITLE_STYLE.fullmatch(word) for word in words):
                return _TITLE, 1
            if _CONTENTS_STYLES.search(said):
                return "contents", 0
            outline = self._outline.get(name, "")
            heading = _HEADING_STYLE.search(said)
            if (outline.isdigit() and 0 < int(outline) < 11) or heading:
                return HEADING, int(outline) if outline.isdigit() and 0 < int(outline) < 11 else int(heading.group(1))
            if _CODE_STYLES.search(said):
                return CODE, 0
            if _TERM_STYLES.search(said):
                return _TERM, 0
            if _DEFINITION_STYLES.search(said):
                return _DEFINED, 0
            name = self._parent.get(name)
        return PARAGRAPH, 0


def _drafts(container, kinds: _StyleKinds, in_list: bool):
    """(kind, level, text) for each block of a body, section, list or cell, in order."""
    for element in container.iterchildren():
        tag = element.tag
        if not isinstance(tag, str) or tag in _LEFT_OUT:
            continue
        if tag == _t("h"):
            text = _collapsed(_text(element))
            if text:
                level = element.get(_t("outline-level"), "1")
                yield HEADING, int(level) if level.isdigit() and 0 < int(level) < 11 else 1, text
        elif tag == _t("p"):
            kind, level = kinds.of(element.get(_t("style-name")))
            if kind == "contents":
                continue
            if kind == PARAGRAPH and _set_in_fixed_width(element, kinds):
                kind = CODE
            if kind == CODE:
                text = "\n".join(line.rstrip() for line in _text(element).split("\n")).strip("\n")
                if text.strip():
                    yield CODE, 0, text
                continue
            text = _collapsed(_text(element))
            if text:
                yield (LIST_ITEM if in_list and kind == PARAGRAPH else kind), level, text
        elif tag in (_t("list"), _t("list-item"), _t("list-header")):
            yield from _drafts(element, kinds, in_list=True)
        elif tag == f"{{{_TABLE}}}table":
            yield from _table(element)
        elif tag == _t("section"):
            yield from _drafts(element, kinds, in_list)


def _set_in_fixed_width(paragraph, kinds: _StyleKinds) -> bool:
    """Whether all of a paragraph's text is in a fixed-width font, by its
    style or by the spans that hold it: a listing set in "Courier New"."""
    if kinds.fixed_width("paragraph", paragraph.get(_t("style-name"))):
        return True
    if (paragraph.text or "").strip():
        return False
    spans = 0
    for child in paragraph.iterchildren():
        said = "".join(child.itertext()).strip() if isinstance(child.tag, str) else ""
        if said:
            if child.tag != _t("span") or not kinds.fixed_width("text", child.get(_t("style-name"))):
                return False
            spans += 1
        if (child.tail or "").strip():
            return False
    return spans > 0


def _text(paragraph) -> str:
    """A paragraph's text as OpenDocument means it: white space in the XML
    collapsed to one space, `text:s` its count of spaces, `text:tab` a tab,
    `text:line-break` a new line; the text of spans, links and fields kept,
    of footnotes, comments, frames and a ruby's annotation not."""
    pieces: list[str] = []

    def walk(element) -> None:
        if element.text:
            pieces.append(_RAW_SPACE.sub(" ", element.text))
        for child in element.iterchildren():
            tag = child.tag
            if isinstance(tag, str) and tag not in _LEFT_OUT and tag != _t("ruby-text"):
                if tag == _t("s"):
                    count = child.get(_t("c"), "1")
                    pieces.append(" " * min(int(count), 1000) if count.isdigit() else " ")
                elif tag == _t("tab"):
                    pieces.append("\t")
                elif tag == _t("line-break"):
                    pieces.append("\n")
                else:
                    walk(child)
            if child.tail:
                pieces.append(_RAW_SPACE.sub(" ", child.tail))

    walk(paragraph)
    return "".join(pieces)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _table(table):
    """Each row of a table (and of its header rows and row groups) as one block."""
    for row in _rows(table):
        cells = []
        for cell in row.iterchildren(f"{{{_TABLE}}}table-cell"):
            text = " ".join(_collapsed(_text(paragraph)) for paragraph in cell.iter(_t("p"), _t("h")))
            if text.strip():
                cells.append(_collapsed(text))
        if cells:
            yield TABLE_ROW, 0, CELL_SEPARATOR.join(cells)


_ROW_GROUPS = frozenset(f"{{{_TABLE}}}{name}" for name in ("table-header-rows", "table-rows", "table-row-group"))


def _rows(container):
    """A table's rows in order, inside its header rows and row groups too
    (not those of a table inside one of its cells)."""
    for element in container.iterchildren():
        if element.tag == f"{{{_TABLE}}}table-row":
            yield element
        elif element.tag in _ROW_GROUPS:
            yield from _rows(element)


def _assemble(drafts: list[tuple[str, int, str]], title: str | None, author: str | None, date: str | None,
              join_code: bool = True) -> Layout:
    merged: list[tuple[str, int, str]] = []
    for kind, level, text in code_joined(drafts) if join_code else drafts:
        if kind == _DEFINED and merged and merged[-1][0] == _TERM:
            merged[-1] = (DEFINITION, 0, f"{merged[-1][2]}\n{text}")
        else:
            merged.append((kind, level, text))
    first_title = next((text for kind, _, text in merged if kind == _TITLE), None)
    named = {_TITLE: HEADING, _TERM: PARAGRAPH, _DEFINED: PARAGRAPH}
    text, blocks = joined_blocks((named.get(kind, kind), body.strip(), level) for kind, level, body in merged)
    return Layout(text, blocks, title=title or first_title, date=date, author=author)


def _metadata(meta) -> tuple[str | None, str | None, str | None]:
    """Title, author and date (YYYY-MM-DD) from meta.xml; a missing one is None."""
    if meta is None:
        return None, None, None

    def first(*paths: str) -> str | None:
        for path in paths:
            element = meta.find(f".//{path}")
            text = " ".join((element.text or "").split()) if element is not None else ""
            if text:
                return text
        return None

    title = first(f"{{{_DC}}}title")
    # (dc:creator is whoever saved it last; meta:initial-creator its author.)
    author = first(f"{{{_META}}}initial-creator", f"{{{_DC}}}creator")
    when = first(f"{{{_META}}}creation-date", f"{{{_DC}}}date")
    date = when[:10] if when and _DAY.fullmatch(when[:10]) else None
    return title, author, date
