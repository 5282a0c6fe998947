"""Reading Word .docx: paragraphs, headings, list items, code and table rows.

python-docx (MIT) opens the package and resolves styles and core properties;
the text of each paragraph is taken from its XML in document order, so text
in hyperlinks, fields and tracked insertions is kept and deleted text is not.
  - a paragraph styled "Title" or "Heading N" (or any style with an outline
    level, or based on one of these) is a heading of level 1 or N;
  - a paragraph with numbering (its own or its style's) or a "List ..." style
    is a list item; the bullet or number Word draws is not part of the text;
  - consecutive paragraphs in a preformatted style are one code block, kept
    line by line; every other paragraph has its white space collapsed;
  - each table row is one block, its cells' text joined by " | ";
  - headers, footers, footnotes, comments, text boxes and tables of contents
    are left out.
Title, author and date come from the core properties (the title falls back on
the first "Title" paragraph). A .docx has no pages: `page_starts` is empty.
"""

from __future__ import annotations

import io
import re

from .package import open_package
from .structure import (CELL_SEPARATOR, CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout, UnreadableDocument,
                        code_joined, joined_blocks)

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts of the package together
MAX_PARTS = 10_000

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CODE_STYLES = re.compile(r"preformatted|code|source|macro|plain text|verbatim|console", re.IGNORECASE)
_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list(?: bullet| number)?(?: \d)?", re.IGNORECASE)  # not "List Continue"
_TITLE = "title"  # a heading of level 1 that also names the document


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def read_docx(data: bytes) -> Layout:
    """The text of a Word document, one block per paragraph, heading, list
    item, code block or table row; `UnreadableDocument` for anything that is
    not a readable .docx (an old .doc, an encrypted file, a zip bomb)."""
    try:
        import docx
    except ImportError as error:  # an optional extra
        raise UnreadableDocument("Word support is not installed (pip install python-docx)") from error
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as error:
        if "not a Word file" in str(error):  # a spreadsheet, a presentation, a macro-enabled .docm
            kind = str(error).rpartition("content type is ")[2].strip("'")
            raise UnreadableDocument(f"not a Word .docx document ({kind})") from None
        raise UnreadableDocument(f"broken Word file ({str(error)[:80]})") from None
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise UnreadableDocument(f"broken Word file ({type(error).__name__}: {str(error)[:80]})") from None
    styles = _Styles(document)
    drafts = list(_drafts(document.element.body, styles))
    return _assemble(drafts, document)


def _check_package(data: bytes) -> None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableDocument("encrypted or old-format Word file (.doc), not a .docx")
    package = open_package(data, "Word file", "parts", "not a Word .docx file (not a zip archive)",
                           MAX_PARTS, MAX_UNPACKED)
    if "[Content_Types].xml" not in package.namelist():
        raise UnreadableDocument("not a Word .docx file (a zip archive of other files)")


class _Styles:
    """What a paragraph's style makes of it, following each style's base."""

    def __init__(self, document) -> None:
        self._by_id = {}
        for style in document.styles.element.findall(_w("style")):
            self._by_id[style.get(_w("styleId"))] = style
        self._cache: dict[str | None, tuple[str, int, bool]] = {}

    def of(self, style_id: str | None) -> tuple[str, int, bool]:
        """(kind, heading level, numbered) for a paragraph style id."""
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id)
        return self._cache[style_id]

    def name(self, style_id: str | None) -> str:
        style = self._by_id.get(style_id)
        name = style.find(_w("name")) if style is not None else None
        return name.get(_w("val"), "") if name is not None else ""

    def _resolve(self, style_id: str | None) -> tuple[str, int, bool]:
        kind, level, numbered, seen = PARAGRAPH, 0, False, set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            name = self.name(style_id)
            properties = self._by_id[style_id].find(_w("pPr")) if style_id in self._by_id else None
            numbered = numbered or _numbering_id(properties) not in (None, "0")
            outline = properties.find(_w("outlineLvl")) if properties is not None else None
            heading = _HEADING_STYLE.fullmatch(name.strip())
            if name.strip().lower() == "title":
                return _TITLE, 1, numbered
            if heading or (outline is not None and outline.get(_w("val"), "9").isdigit() and int(outline.get(_w("val"))) < 9):
                return HEADING, int(heading.group(1)) if heading else int(outline.get(_w("val"))) + 1, numbered
            if name.lower().startswith("toc") or name.lower() == "table of figures":
                return "toc", 0, numbered
            if _CODE_STYLES.search(name):
                kind = CODE
            elif _LIST_STYLE.fullmatch(name.strip()):
                kind = LIST_ITEM if kind == PARAGRAPH else kind
            based = self._by_id[style_id].find(_w("basedOn")) if style_id in self._by_id else None
            style_id = based.get(_w("val")) if based is not None else None
        return kind, level, numbered


def _numbering_id(properties) -> str | None:
    if properties is None:
        return None
    number = properties.find(f"{_w('numPr')}/{_w('numId')}")
    return number.get(_w("val")) if number is not None else None


def _drafts(container, styles: _Styles):
    """(kind, level, text) for each block in a body, table cell or content control, in order."""
    for element in container.iterchildren():
        if element.tag == _w("p"):
            draft = _paragraph(element, styles)
            if draft is not None:
                yield draft
        elif element.tag == _w("tbl"):
            yield from _table(element)
        elif element.tag == _w("sdt"):
            if not _is_table_of_contents(element):
                content = element.find(_w("sdtContent"))
                if content is not None:
                    yield from _drafts(content, styles)
        elif element.tag in (_w("customXml"), _w("ins")):
            yield from _drafts(element, styles)


def _paragraph(element, styles: _Styles) -> tuple[str, int, str] | None:
    properties = element.find(_w("pPr"))
    style = properties.find(_w("pStyle")) if properties is not None else None
    kind, level, numbered = styles.of(style.get(_w("val")) if style is not None else None)
    if kind == "toc":
        return None
    own_number = _numbering_id(properties)
    if own_number is not None:
        numbered = own_number != "0"
    if kind == PARAGRAPH and numbered:
        kind = LIST_ITEM
    text = _text(element)
    if kind == CODE:
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        return (CODE, 0, text) if text.strip() else None
    text = " ".join(text.split())
    return (kind, level, text) if text else None


def _text(paragraph) -> str:
    """A paragraph's visible text: its runs in order (inside hyperlinks, fields,
    smart tags and insertions too), tabs and breaks as white space; not deleted
    text, nor the paragraphs of text boxes drawn inside it."""
    pieces = []
    for node in paragraph.iter(_w("t"), _w("tab"), _w("br"), _w("cr"), _w("noBreakHyphen")):
        if _inside(node, paragraph, (_w("txbxContent"), _w("del"), _w("moveFrom"))):
            continue
        if node.tag == _w("t"):
            pieces.append(node.text or "")
        elif node.tag == _w("tab"):
            pieces.append("\t")
        elif node.tag in (_w("br"), _w("cr")):
            pieces.append("\n")
        elif node.tag == _w("noBreakHyphen"):
            pieces.append("-")
    return "".join(pieces)


def _inside(node, top, tags: tuple[str, ...]) -> bool:
    parent = node
    while parent is not None and parent is not top:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _table(table):
    for row in table.iterchildren(_w("tr")):
        cells = []
        for cell in row.iterchildren(_w("tc")):
            text = " ".join(" ".join(_text(paragraph).split()) for paragraph in cell.iter(_w("p")))
            if text.strip():
                cells.append(" ".join(text.split()))
        if cells:
            yield TABLE_ROW, 0, CELL_SEPARATOR.join(cells)


def _is_table_of_contents(sdt) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(_w("val")) or "").lower()


def _assemble(drafts: list[tuple[str, int, str]], document) -> Layout:
    merged = code_joined(drafts)
    first_title = next((text for kind, _, text in merged if kind == _TITLE), None)
    text, blocks = joined_blocks((HEADING if kind == _TITLE else kind, text.strip(), level)
                                 for kind, level, text in merged)
    title, author, date = _core_properties(document)
    return Layout(text, blocks, title=title or first_title, date=date, author=author)


def _core_properties(document) -> tuple[str | None, str | None, str | None]:
    try:
        properties = document.core_properties
        title = " ".join((properties.title or "").split()) or None
        author = " ".join((properties.author or "").split()) or None
        when = properties.created or properties.modified
    except Exception:  # a malformed core.xml loses the metadata, not the text
        return None, None, None
    return title, author, when.date().isoformat() if when else None
