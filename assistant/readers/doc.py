"""Reading Word 97-2003 documents (.doc): paragraphs, headings, list items,
code and table rows.

A .doc is an OLE2 compound file; olefile (BSD) opens it and its streams.
The text is read as [MS-DOC] lays it out: the File Information Block
(FIB) of the WordDocument stream says where the piece table (Clx) lies in
the table stream, and the pieces give the main document's characters (its
first `ccpText`: headers, footers, footnotes and comments come after them,
left out), 8-bit (Windows-1252) or UTF-16. Each paragraph's properties are
found in the formatted disk pages (PlcBtePapx, FKPs) by where its last
character lies in the stream: its style (the style sheet, STSH, names it:
"heading 2" by its built-in identifier, "Title", a preformatted style), its
list (sprmPIlfo), whether it is inside a table (sprmPFInTable) or ends a
row (sprmPFTtp).
  - a paragraph in a heading style is a heading of its level; in "Title" a
    heading of level 1 that also names the document;
  - a numbered or bulleted paragraph is a list item (the number is drawn,
    not written);
  - consecutive paragraphs in a preformatted style are one code block, kept
    line by line; every other paragraph has its white space collapsed;
  - each table row is one block, its cells' text joined by " | ";
  - a field keeps its result, not its instructions ("HYPERLINK ...");
    pictures, drawn objects and footnote marks are left out.
Title, author and date come from the SummaryInformation stream. A file saved
with a password, or another kind of OLE file (an Excel workbook, a PowerPoint
presentation), is said so. A .doc has no pages: `page_starts` is empty.
"""

from __future__ import annotations

import bisect
import io
import re
import struct

from .structure import (CELL_SEPARATOR, CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout, UnreadableDocument,
                        code_joined, joined_blocks)

MAX_STREAM = 256 * 1024 * 1024  # bytes of the WordDocument or table stream
MAX_CHARACTERS = 64 * 1024 * 1024  # of the main document's text
MAX_PIECES = 1_000_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_IDENT = 0xA5EC
_ENCRYPTED, _TABLE_1, _OBFUSCATED = 0x0100, 0x0200, 0x8000
_CLX, _STSHF, _PLCF_BTE_PAPX = 33, 1, 13  # places of (fc, lcb) pairs in the FIB's FibRgFcLcb
_TITLE_STI, _HEADING_STIS = 62, range(1, 10)  # built-in style identifiers: "Title", "heading 1"..."heading 9"
_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_ILFO, _SPRM_OUTLINE = 0x2416, 0x2417, 0x460B, 0x2640
_SPRM_DEF_TABLE, _SPRM_CHANGE_TABS = 0xD608, 0xC615
_CODE_STYLES = re.compile(r"preformatted|code|source|macro|plain text|verbatim|console", re.IGNORECASE)
_OTHER_OLE = {"Workbook": "an Excel workbook", "Book": "an Excel workbook",
              "PowerPoint Document": "a PowerPoint presentation"}
# The characters Word writes for what is not text: a paragraph, a cell or row
# end, a line or page break, a field's parts, an object's anchor.
_PARAGRAPH_END, _CELL_END, _FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\r", "\x07", "\x13", "\x14", "\x15"
_ENDS = re.compile("[\r\x07\x0c]")  # where a paragraph, a cell or a page ends
_SHOWN = str.maketrans({"\x0b": "\n", "\x0e": "\n", "\x1e": "-", "\x1f": "", **{chr(c): "" for c in range(32)
                                                                                  if chr(c) not in "\t\n\x0b\x0e"}})


def read_doc(data: bytes) -> Layout:
    """The text of a Word 97-2003 document, one block per paragraph,
    heading, list item, code block or table row; `UnreadableDocument` for
    anything else (another OLE file, a password, damage)."""
    try:
        import olefile
    except ImportError as error:  # an optional extra
        raise UnreadableDocument("Word 97-2003 support is not installed (pip install olefile)") from error
    if not data.startswith(_OLE_MAGIC):
        raise UnreadableDocument("not a Word 97-2003 document (not an OLE file)")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as error:  # olefile raises OSError and others for a damaged container
        raise UnreadableDocument(f"broken Word 97-2003 file ({type(error).__name__}: {str(error)[:60]})") from None
    with ole:
        if ole.exists("EncryptedPackage"):
            raise UnreadableDocument("encrypted Word file (saved with a password)")
        if not ole.exists("WordDocument"):
            kind = next((said for stream, said in _OTHER_OLE.items() if ole.exists(stream)), "an OLE file")
            raise UnreadableDocument(f"not a Word document ({kind})")
        word = _stream(ole, "WordDocument")
        fib = _Fib(word)
        table = _stream(ole, "1Table" if fib.flags & _TABLE_1 else "0Table")
        title, author, date = _metadata(ole)
    try:
        text, pieces = _main_text(word, table, fib)
        paragraphs = _Paragraphs(word, table, fib)
        styles = _styles(table, fib)
    except (struct.error, IndexError, ValueError) as error:
        raise UnreadableDocument(f"broken Word 97-2003 file ({str(error)[:60]})") from None
    drafts = _drafts(text, pieces, paragraphs, styles)
    return _assemble(drafts, title, author, date)


def _stream(ole, name: str) -> bytes:
    if not ole.exists(name):
        raise UnreadableDocument(f"broken Word 97-2003 file (no {name} stream)")
    if ole.get_size(name) > MAX_STREAM:
        raise UnreadableDocument(f"Word 97-2003 file whose {name} stream is more than {MAX_STREAM // 2**20} MB")
    try:
        return ole.openstream(name).read()
    except Exception as error:
        raise UnreadableDocument(f"broken Word 97-2003 file ({name}: {str(error)[:60]})") from None


class _Fib:
    """What the File Information Block says: flags, the main text's length,
    and where each structure lies in the table stream."""

    def __init__(self, word: bytes) -> None:
        try:
            ident, self.flags = struct.unpack_from("<H", word, 0)[0], struct.unpack_from("<H", word, 10)[0]
            if ident != _WORD_IDENT:
                raise UnreadableDocument("not a Word 97-2003 document (its WordDocument stream is not Word's)")
            if self.flags & (_ENCRYPTED | _OBFUSCATED):
                raise UnreadableDocument("encrypted Word file (saved with a password)")
            words = struct.unpack_from("<H", word, 32)[0]  # csw: 16-bit values after it
            longs_at = 34 + 2 * words + 2
            longs = struct.unpack_from("<H", word, 34 + 2 * words)[0]  # cslw
            self.characters = struct.unpack_from("<I", word, longs_at + 12)[0]  # ccpText
            pairs_at = longs_at + 4 * longs + 2
            self._pairs = struct.unpack_from("<H", word, longs_at + 4 * longs)[0]  # cbRgFcLcb
            self._word, self._pairs_at = word, pairs_at
        except struct.error:
            raise UnreadableDocument("broken Word 97-2003 file (its File Information Block is cut short)") from None

    def place(self, index: int) -> tuple[int, int]:
        """(fc, lcb) of the index-th pair: where a structure lies in the table stream, and its size."""
        if index >= self._pairs:
            return 0, 0
        return struct.unpack_from("<II", self._word, self._pairs_at + 8 * index)


def _main_text(word: bytes, table: bytes, fib: _Fib) -> tuple[str, list[tuple[int, int, int, bool]]]:
    """The main document's characters, and its pieces: (first character,
    last + 1, byte offset in the stream, 8-bit) each."""
    at, size = fib.place(_CLX)
    clx = table[at : at + size]
    position = 0
    while position < len(clx) and clx[position] == 1:  # Prc: formatting of pieces, not needed
        position += 3 + struct.unpack_from("<H", clx, position + 1)[0]
    if position >= len(clx) or clx[position] != 2:
        raise UnreadableDocument("broken Word 97-2003 file (no piece table)")
    length = struct.unpack_from("<I", clx, position + 1)[0]
    plc = clx[position + 5 : position + 5 + length]
    count = (len(plc) - 4) // 12
    if count <= 0 or count > MAX_PIECES:
        raise UnreadableDocument("broken Word 97-2003 file (its piece table is empty)")
    limits = struct.unpack_from(f"<{count + 1}I", plc, 0)
    wanted = min(fib.characters, MAX_CHARACTERS)
    parts, pieces = [], []
    for number in range(count):
        first, last = limits[number], min(limits[number + 1], wanted)
        if first >= last:
            continue
        value = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * number + 2)[0]
        narrow = bool(value & 0x40000000)
        offset = (value & 0x3FFFFFFF) // 2 if narrow else value & 0x3FFFFFFF
        if narrow:
            parts.append(word[offset : offset + last - first].decode("cp1252", errors="replace"))
        else:
            parts.append(word[offset : offset + 2 * (last - first)].decode("utf-16-le", errors="replace"))
        pieces.append((first, last, offset, narrow))
    return "".join(parts), pieces


def _stream_offset(pieces: list[tuple[int, int, int, bool]], starts: list[int], character: int) -> int | None:
    """Where in the WordDocument stream the character at this place is."""
    at = bisect.bisect_right(starts, character) - 1
    if at < 0:
        return None
    first, last, offset, narrow = pieces[at]
    if character >= last:
        return None
    return offset + (character - first) * (1 if narrow else 2)


class _Paragraphs:
    """Each paragraph's style and properties, by where its end lies in the
    stream: the runs of the formatted disk pages (FKPs) of PlcBtePapx."""

    def __init__(self, word: bytes, table: bytes, fib: _Fib) -> None:
        at, size = fib.place(_PLCF_BTE_PAPX)
        plc = table[at : at + size]
        count = (len(plc) - 4) // 8
        self.starts: list[int] = []
        self.runs: list[tuple[int, int, bytes]] = []  # (end, style, grpprl), by start
        for number in range(max(0, count)):
            page = struct.unpack_from("<I", plc, 4 * (count + 1) + 4 * number)[0] & 0x3FFFFF
            fkp = word[512 * page : 512 * page + 512]
            if len(fkp) < 512:
                continue
            runs = fkp[511]
            bounds = struct.unpack_from(f"<{runs + 1}I", fkp, 0)
            for run in range(runs):
                papx = 2 * fkp[4 * (runs + 1) + 13 * run]
                if not papx:
                    continue
                size_in_words = fkp[papx]
                if size_in_words == 0:
                    body = fkp[papx + 2 : papx + 2 + 2 * fkp[papx + 1]]
                else:
                    body = fkp[papx + 1 : papx + 2 * size_in_words]
                if len(body) < 2:
                    continue
                self.starts.append(bounds[run])
                self.runs.append((bounds[run + 1], struct.unpack_from("<H", body, 0)[0], body[2:]))
        order = sorted(range(len(self.starts)), key=self.starts.__getitem__)
        self.starts = [self.starts[i] for i in order]
        self.runs = [self.runs[i] for i in order]

    def at(self, offset: int | None) -> tuple[int, dict[int, bytes]]:
        """(style, {sprm: operand}) of the paragraph whose end is at this stream offset."""
        if offset is None:
            return 0, {}
        found = bisect.bisect_right(self.starts, offset) - 1
        if found < 0 or offset >= self.runs[found][0]:
            return 0, {}
        _, style, grpprl = self.runs[found]
        return style, _sprms(grpprl)


def _sprms(grpprl: bytes) -> dict[int, bytes]:
    """The property modifiers of a paragraph, operand by operand ([MS-DOC] 2.2.5.1)."""
    found: dict[int, bytes] = {}
    at = 0
    while at + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, at)[0]
        at += 2
        kind = sprm >> 13
        if kind in (0, 1):
            size = 1
        elif kind in (2, 4, 5):
            size = 2
        elif kind == 3:
            size = 4
        elif kind == 7:
            size = 3
        elif sprm == _SPRM_DEF_TABLE and at + 2 <= len(grpprl):
            size = struct.unpack_from("<H", grpprl, at)[0] - 1
            at += 2
        elif sprm == _SPRM_CHANGE_TABS and at < len(grpprl) and grpprl[at] == 255:
            break  # a tab change whose size needs the tabs it removes: nothing after it is needed
        elif at < len(grpprl):
            size = grpprl[at]
            at += 1
        else:
            break
        found.setdefault(sprm, grpprl[at : at + max(size, 0)])
        at += max(size, 0)
    return found


def _styles(table: bytes, fib: _Fib) -> dict[int, tuple[int, str]]:
    """The style sheet: each style's index -> (built-in identifier, name)."""
    at, size = fib.place(_STSHF)
    sheet = table[at : at + size]
    if len(sheet) < 6:
        return {}
    header = struct.unpack_from("<H", sheet, 0)[0]
    count, base_size = struct.unpack_from("<HH", sheet, 2)
    position = 2 + header
    styles = {}
    for index in range(count):
        if position + 2 > len(sheet):
            break
        size = struct.unpack_from("<H", sheet, position)[0]
        std = sheet[position + 2 : position + 2 + size]
        position += 2 + size
        if len(std) < base_size + 2:
            continue
        identifier = struct.unpack_from("<H", std, 0)[0] & 0x0FFF
        length = struct.unpack_from("<H", std, base_size)[0]
        name = std[base_size + 2 : base_size + 2 + 2 * length].decode("utf-16-le", errors="replace")
        styles[index] = (identifier, name)
    return styles


def _drafts(text: str, pieces, paragraphs: _Paragraphs, styles: dict[int, tuple[int, str]]):
    """(kind, level, text) for each paragraph, code line and table row, in order."""
    starts = [piece[0] for piece in pieces]
    drafts: list[tuple[str, int, str]] = []
    cell: list[str] = []
    row: list[str] = []
    fields: list[bool] = []  # for each field open: whether its result is being read
    begin = 0
    for match in _ENDS.finditer(text + "\r"):  # (the last paragraph's mark may be missing)
        end = match.start()
        raw = text[begin:end]
        begin = match.end()
        shown, fields = _field_results(raw, fields)
        style, sprms = paragraphs.at(_stream_offset(pieces, starts, end))
        if match.group() == "\x0c":
            shown_text = shown.translate(_SHOWN)
            if shown_text.strip():
                drafts.append((PARAGRAPH, 0, " ".join(shown_text.split())))
            continue
        in_table = sprms.get(_SPRM_IN_TABLE, b"\x00")[:1] == b"\x01" or match.group() == _CELL_END
        if match.group() == _CELL_END and sprms.get(_SPRM_TTP, b"\x00")[:1] == b"\x01":
            cells = [c for c in row if c]
            if cells:
                drafts.append((TABLE_ROW, 0, CELL_SEPARATOR.join(cells)))
            row, cell = [], []
            continue
        content = shown.translate(_SHOWN)
        if in_table:
            cell.append(" ".join(content.split()))
            if match.group() == _CELL_END:
                row.append(" ".join(" ".join(cell).split()))
                cell = []
            continue
        kind, level = _kind(styles.get(style), sprms)
        if kind == CODE:
            lines = "\n".join(line.rstrip() for line in content.split("\n")).strip("\n")
            if lines.strip():
                drafts.append((CODE, 0, lines))
            continue
        content = " ".join(content.split())
        if content:
            drafts.append((kind, level, content))
    return drafts


def _field_results(raw: str, fields: list[bool]) -> tuple[str, list[bool]]:
    """The paragraph's text with each field's instructions left out and its
    result kept; the fields still open at its end (a field may span paragraphs)."""
    if not any(mark in raw for mark in (_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END)) and all(fields):
        return raw, fields
    shown, fields = [], list(fields)
    for character in raw:
        if character == _FIELD_BEGIN:
            fields.append(False)
        elif character == _FIELD_SEPARATOR and fields:
            fields[-1] = True
        elif character == _FIELD_END and fields:
            fields.pop()
        elif all(fields):
            shown.append(character)
    return "".join(shown), fields


def _kind(style: tuple[int, str] | None, sprms: dict[int, bytes]) -> tuple[str, int]:
    identifier, name = style or (0, "")
    if identifier in _HEADING_STIS:
        return HEADING, identifier
    if identifier == _TITLE_STI:
        return "title", 1
    outline = sprms.get(_SPRM_OUTLINE, b"")[:1]
    if outline and outline[0] < 9:
        return HEADING, outline[0] + 1
    if _CODE_STYLES.search(name[:200]):
        return CODE, 0
    if sprms.get(_SPRM_ILFO, b"\x00\x00") not in (b"\x00\x00", b""):
        return LIST_ITEM, 0
    return PARAGRAPH, 0


def _assemble(drafts: list[tuple[str, int, str]], title: str | None, author: str | None, date: str | None) -> Layout:
    merged = code_joined(drafts)
    first_title = next((text for kind, _, text in merged if kind == "title"), None)
    text, blocks = joined_blocks((HEADING if kind == "title" else kind, body.strip(), level)
                                 for kind, level, body in merged)
    return Layout(text, blocks, title=title or first_title, date=date, author=author)


def _metadata(ole) -> tuple[str | None, str | None, str | None]:
    """Title, author and creation date from the SummaryInformation stream."""
    try:
        meta = ole.get_metadata()
    except Exception:  # a damaged property set loses the metadata, not the text
        return None, None, None

    def said(value) -> str | None:
        if isinstance(value, bytes):
            value = value.decode("cp1252", errors="replace")
        return " ".join(str(value or "").replace("\x00", "").split()) or None

    created = getattr(meta, "create_time", None)
    date = created.date().isoformat() if hasattr(created, "date") and created.year > 1601 else None
    return said(getattr(meta, "title", None)), said(getattr(meta, "author", None)), date
