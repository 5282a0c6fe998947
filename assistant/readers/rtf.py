"""Reading Rich Text Format (.rtf), as Word, WordPad, LibreOffice and TextEdit
save it: paragraphs, headings, list items, code and table rows.

RTF is text with control words in groups ("{\\b bold}"): the reader walks
its tokens once (one regular expression, no backtracking) and keeps a state
per group, as the specification reads:
  - `\\par` ends a paragraph; its style (`\\sN`, named in the style sheet:
    "heading 2", "Title", "Preformatted Text") or `\\outlinelevelN` makes it
    a heading, a preformatted style makes it code (consecutive ones one
    block, line by line), list numbering (`\\lsN`, or the bullet text
    `\\listtext` / `\\pntext`) a list item; other paragraphs have their white
    space collapsed;
  - `\\intbl` paragraphs are a table's cells, `\\cell` ends one and `\\row`
    the row: one block, the cells' text joined by " | ";
  - `\\'hh` is a byte in the document's code page (`\\ansicpgN`, Windows-1252
    unless it says otherwise), `\\uN` a Unicode character followed by `\\ucN`
    replacement characters that are skipped; `\\tab`, `\\line`, `\\~`, `\\_`
    and the typographic symbols (`\\emdash`, `\\lquote`...) are what they mean;
  - the font, colour, style and list tables, pictures, objects, headers and
    footers, footnotes, comments, field instructions (a field's result is
    kept) and every destination marked `\\*` that is not known are left out;
  - title, author and date from the `\\info` group.
A file that is no RTF, or one nested too deeply to be a document, is said so.
An RTF has no pages: `page_starts` is empty.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from .structure import (CELL_SEPARATOR, CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout, UnreadableDocument,
                        code_joined, joined_blocks)

MAX_DEPTH = 2000  # groups inside groups: Word's own files stay far below this

# One token: a control word with its parameter and the one space that ends
# it, a byte in hex, a control symbol, a group's brace, or a run of text.
_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|([^\\{}\r\n]+)|[\r\n]+"
                    r"|(\\)")
# Destinations whose text is not the document's (and, with \*, any not known).
_SKIPPED = frozenset("""fonttbl colortbl stylesheet listtable listoverridetable revtbl rsidtbl generator
    pict object header headerl headerr headerf footer footerl footerr footerf footnote annotation atnid atnauthor
    fldinst xmlnstbl themedata colorschememapping datastore latentstyles pntext pntxta pntxtb listtext
    bkmkstart bkmkend filetbl mmathPr docvar userprops template nonshppict shppict shpinst sp sn sv
    txfieldtext formfield do""".split())
_INFO_FIELDS = {"title": "title", "author": "author", "creatim": "date"}
_SYMBOLS = {"tab": "\t", "line": "\n", "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019",
            "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022", "emspace": " ", "enspace": " ",
            "qmspace": " "}
_CONTROL_SYMBOLS = {"~": "\u00a0", "_": "\u2011", "-": "", "\\": "\\", "{": "{", "}": "}"}
MAX_STYLE_NAME = 200  # characters of a style's name looked at
_HEADING_STYLE = re.compile(r"heading\s?(\d)(?!\d)", re.IGNORECASE)
_CODE_STYLE = re.compile(r"preformatted|code|source|verbatim|console|plain text|html pre", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"title", re.IGNORECASE)


@dataclass(frozen=True)
class _Group:
    """What a group sets, which its closing brace undoes."""

    skipped: bool = False  # inside a destination left out
    destination: str | None = None  # an \info field or a style sheet entry being read
    skip_after_unicode: int = 1  # \ucN


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, int, str]] = []
        self.paragraph: list[str] = []
        self.cell: list[str] = []  # the paragraphs of a table cell so far
        self.row: list[str] = []  # the cells of a table row so far
        self.style = 0
        self.outline: int | None = None
        self.in_list = False
        self.in_table = False
        self.code_page = "cp1252"
        self.pending = bytearray()  # \'hh bytes, decoded together (a character of a multi-byte code page)
        self.styles: dict[int, str] = {}
        self.style_number: int | None = None  # of the style sheet entry being read
        self.info: dict[str, list[str]] = {}  # the text of each info field (and of the style sheet entry read)
        self.date: list[int] = []
        self.to_skip = 0  # replacement characters still to skip after a \uN

    # --- text -------------------------------------------------------------------------

    def add(self, text: str, group: _Group) -> None:
        self.flush_bytes(group)
        self._add(text, group)

    def _add(self, text: str, group: _Group) -> None:
        if self.to_skip:
            skipped = min(self.to_skip, len(text))
            text, self.to_skip = text[skipped:], self.to_skip - skipped
        if not text or group.skipped and group.destination is None:
            return
        if group.destination is not None:
            self.info.setdefault(group.destination, []).append(text)
        else:
            self.paragraph.append(text)

    def add_byte(self, value: int) -> None:
        if self.to_skip:
            self.to_skip -= 1
            return
        self.pending.append(value)

    def flush_bytes(self, group: _Group) -> None:
        if self.pending:
            data, self.pending = bytes(self.pending), bytearray()
            self._add(data.decode(self.code_page, errors="replace"), group)

    # --- paragraphs ---------------------------------------------------------------------

    def kind(self) -> tuple[str, int]:
        name = self.styles.get(self.style, "")
        heading = _HEADING_STYLE.search(name)
        if heading:
            return HEADING, int(heading.group(1))
        if self.outline is not None and 0 <= self.outline < 9:
            return HEADING, self.outline + 1
        if _TITLE_STYLE.fullmatch(name.strip()):
            return HEADING, 1
        if _CODE_STYLE.search(name):
            return CODE, 0
        return (LIST_ITEM if self.in_list else PARAGRAPH), 0

    def end_paragraph(self, group: _Group) -> None:
        self.flush_bytes(group)
        text = "".join(self.paragraph)
        self.paragraph = []
        if self.in_table:
            self.cell.append(text)  # a cell of several paragraphs: they are one cell
            return
        kind, level = self.kind()
        if kind == CODE:
            lines = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
            if lines.strip():
                self.blocks.append((CODE, 0, lines))
            return
        text = " ".join(text.split())
        if text:
            self.blocks.append((kind, level, text))

    def end_cell(self, group: _Group) -> None:
        self.flush_bytes(group)
        self.cell.append("".join(self.paragraph))
        self.paragraph = []
        self.row.append(" ".join(" ".join(self.cell).split()))
        self.cell = []

    def end_row(self) -> None:
        cells = [cell for cell in self.row if cell]
        if cells:
            self.blocks.append((TABLE_ROW, 0, CELL_SEPARATOR.join(cells)))
        self.row = []


def read_rtf(data: bytes) -> Layout:
    """The text of an RTF file, one block per paragraph, heading, list item,
    code block or table row; `UnreadableDocument` for a file that is no RTF."""
    if data[:64].lstrip()[:5] != b"{\\rtf":
        raise UnreadableDocument("not an RTF file (it does not begin with {\\rtf)")
    # RTF is 7-bit text: anything else is written as \'hh or \uN. Latin-1
    # maps bytes one to one, so a stray 8-bit byte costs one character.
    text = data.decode("latin-1")
    reader = _Reader()
    stack: list[_Group] = []
    group = _Group()
    first_in_group = False  # the next control word is a group's first: a destination's name
    starred = False
    for match in _TOKEN.finditer(text):
        word, parameter, hexa, symbol, brace, run = match.group(1, 2, 3, 4, 5, 6)
        if brace == "{":
            reader.flush_bytes(group)
            stack.append(group)
            if len(stack) > MAX_DEPTH:
                raise UnreadableDocument(f"RTF nested more than {MAX_DEPTH} groups deep")
            first_in_group, starred = True, False
            continue
        if brace == "}":
            reader.flush_bytes(group)
            if group.destination == "style" and reader.style_number is not None:
                name = "".join(reader.info.pop("style", []))
                reader.styles[reader.style_number] = name.strip().rstrip(";")[:MAX_STYLE_NAME]
                reader.style_number = None
            if not stack:
                break  # the document's closing brace: what follows is not RTF
            group = stack.pop()
            first_in_group = starred = False
            continue
        if run is not None:
            reader.add(run, group)
            first_in_group = False
            continue
        if hexa is not None:
            reader.add_byte(int(hexa, 16))
            first_in_group = False
            continue
        if symbol is not None:
            if symbol == "*":
                starred = True
                continue
            if symbol in ("\n", "\r"):
                reader.end_paragraph(group)  # "\" at a line's end is \par
            elif symbol in _CONTROL_SYMBOLS:
                reader.add(_CONTROL_SYMBOLS[symbol], group)
            first_in_group = False
            continue
        if word is None:
            continue  # a line end between tokens, or a lone backslash at the end
        number = int(parameter) if parameter else None
        group = _control(word, number, group, reader, first_in_group, starred, stack)
        first_in_group = starred = False
    reader.flush_bytes(group)
    if reader.paragraph:
        reader.end_paragraph(group)
    body, blocks = joined_blocks((kind, text.strip(), level) for kind, level, text in code_joined(reader.blocks))
    title = " ".join("".join(reader.info.get("title", [])).split()) or None
    author = " ".join("".join(reader.info.get("author", [])).split()) or None
    year, month, day = (reader.date + [0, 0, 0])[:3]
    date = f"{year:04d}-{month:02d}-{day:02d}" if 0 < year < 10_000 and 0 < month < 13 and 0 < day < 32 else None
    return Layout(body, blocks, title=title, author=author, date=date)


def _control(word: str, number: int | None, group: _Group, reader: _Reader, first: bool, starred: bool,
             stack: list[_Group]) -> _Group:
    """What a control word does; the group as it leaves it."""
    if first and (starred or word in _SKIPPED or word == "info" or word in _INFO_FIELDS):
        # A destination: a group whose text goes elsewhere, or nowhere.
        if word in _INFO_FIELDS and stack and stack[-1].destination == "info":
            if word == "creatim":
                reader.date = []
                return replace(group, destination="creatim", skipped=True)
            return replace(group, destination=_INFO_FIELDS[word], skipped=True)
        if word == "info":
            return replace(group, destination="info", skipped=True)
        if word == "stylesheet":
            return replace(group, destination="stylesheet", skipped=True)
        if word == "fldinst" or word in _SKIPPED or starred:
            return replace(group, skipped=True, destination=None)
    if group.destination == "stylesheet" and first and word in ("s", "cs", "ds", "ts"):
        reader.style_number = number if word == "s" else None
        reader.info.pop("style", None)
        return replace(group, destination="style" if word == "s" else None, skipped=True)
    if group.destination == "creatim" and word in ("yr", "mo", "dy") and number is not None:
        reader.date.append(number)
        return group
    if word == "uc" and number is not None:
        return replace(group, skip_after_unicode=max(0, min(number, 10)))
    if word == "u" and number is not None:
        reader.flush_bytes(group)
        reader._add(chr(number + 65536 if number < 0 else number) if -32768 <= number < 65536 else "\ufffd", group)
        reader.to_skip = group.skip_after_unicode
        return group
    if word == "ansicpg" and number is not None:
        try:
            reader.code_page = codecs.lookup(f"cp{number}").name
        except LookupError:
            pass
        return group
    if group.skipped and group.destination is None:
        return group
    if group.destination is not None:
        if word in _SYMBOLS:
            reader.add(_SYMBOLS[word] if word not in ("tab", "line") else " ", group)
        return group
    if word in ("par", "sect", "page"):
        reader.end_paragraph(group)
    elif word == "pard":
        reader.style, reader.outline, reader.in_list, reader.in_table = 0, None, False, False
    elif word == "s" and number is not None:
        reader.style = number
    elif word == "outlinelevel" and number is not None:
        reader.outline = number
    elif word in ("ls", "ilvl", "pnlvlblt", "pnlvlbody"):
        reader.in_list = True
    elif word == "intbl":
        reader.in_table = True
    elif word in ("cell", "nestcell"):
        reader.end_cell(group)
    elif word in ("row", "nestrow"):
        reader.end_row()
    elif word in _SYMBOLS:
        reader.add(_SYMBOLS[word], group)
    return group
