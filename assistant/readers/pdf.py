"""Reading PDF: the text of each page as flowing paragraphs, with the pages kept.

pypdfium2 (PDFium, Apache-2.0/BSD) gives each page's text line by line, with
the position, size and font of every character. From that:
  - running headers and footers are dropped: a line among the two top-most or
    bottom-most of a page that comes back at the top or bottom of a nearby page
    (digits ignored, so "Page 3 of 9" and "Page 4 of 9" are the same line), or
    one set apart from the text that opens with the same two words at the
    same height there (a header naming the chapter and section it is in), and
    bare page numbers ("12", "- 12 -", "iv", "Page 3 of 10") there; so are the
    lines of a table of contents ("2.1 Scope . . . . . 4");
  - a paragraph is a run of lines with no more than the usual space between
    them, in one size and weight; its lines are joined with single spaces, and
    a paragraph cut by a column or page break is joined to its rest; a line
    set in as TeX sets a paragraph's first line opens the next paragraph;
  - a footnote's number set small and raised after a word is left out, and a
    web address broken at a line end is joined without a space;
  - a word hyphenated at a line end is joined ("infor-⏎mation" → "information")
    unless the document itself writes it with the hyphen more often than
    without ("well-known"); when it writes it neither way, the hyphen is kept
    only if both halves are words the document uses on their own, or the word
    is part of a path or address;
  - a short line larger than the body text, or a short line all in bold, is a
    heading (level 1 for the largest size); a line opening with a bullet or
    "1." a list item; lines all in a monospaced font a code block, kept line
    by line with its indentation.
`Layout.page_starts` holds the offset at which each page's text begins.
"""

from __future__ import annotations

import ctypes
import dataclasses
import re
import threading
from collections import Counter

from ..text import Span
from .structure import CODE, HEADING, LIST_ITEM, PARAGRAPH, Block, Layout, UnreadableDocument

MAX_PAGES = 5000  # a document longer than this is refused, not read in part
MAX_CHARACTERS = 50_000_000  # of extracted text, all pages together
MAX_LINES_PER_PAGE = 2000  # more is not prose: such a page is read as one line

# PDFium is not safe to call from two threads at once.
_PDFIUM = threading.Lock()


@dataclasses.dataclass
class _Line:
    text: str
    page: int
    left: float
    right: float
    baseline: float
    size: float
    bold: bool
    mono: bool


@dataclasses.dataclass
class _Draft:
    kind: str
    lines: list[_Line]
    level: int = 0
    left: float = 0.0  # of all its lines
    right: float = 0.0

    def __post_init__(self) -> None:
        self.left = min(line.left for line in self.lines)
        self.right = max(line.right for line in self.lines)

    def add(self, line: _Line) -> None:
        self.lines.append(line)
        self.left, self.right = min(self.left, line.left), max(self.right, line.right)

    def pop(self) -> _Line:
        line = self.lines.pop()
        self.__post_init__()
        return line


def read_pdf(data: bytes, max_pages: int = MAX_PAGES) -> Layout:
    """The text of a PDF, one block per paragraph, heading, list item or code
    block, with the offset of each page's start; `UnreadableDocument` for an
    encrypted, broken or over-long file, or one with no text (a scan)."""
    try:
        import pypdfium2 as pdfium
    except ImportError as error:  # an optional extra
        raise UnreadableDocument("PDF support is not installed (pip install pypdfium2)") from error
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise UnreadableDocument(_open_failure(error)) from None
        try:
            pages = len(document)
            if pages > max_pages:
                raise UnreadableDocument(f"PDF of {pages} pages, more than the {max_pages} read")
            metadata = _metadata(document)
            page_lines = _lines_of_pages(document, pages)
        except pdfium.PdfiumError as error:
            raise UnreadableDocument(f"broken PDF ({error})") from None
        finally:
            document.close()
    if not any(page_lines):
        raise UnreadableDocument("PDF without text (scanned pages need OCR)")
    return _layout(page_lines, **metadata)


def _open_failure(error: Exception) -> str:
    message = str(error).lower()
    if "password" in message or "security" in message:
        return "encrypted PDF"
    return "broken PDF" if "format" in message or "file" in message else f"unreadable PDF ({error})"


def _metadata(document) -> dict[str, str | None]:
    info = document.get_metadata_dict(skip_empty=True)
    title = " ".join(info.get("Title", "").split())
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)  # the name of the file it was printed from
    author = " ".join(info.get("Author", "").split()) or None
    date = re.match(r"(?:D:)?(\d{4})(\d\d)?(\d\d)?", info.get("CreationDate", ""))
    iso = "-".join(part for part in date.groups() if part) if date else None
    return {"title": title or None, "author": author, "date": iso}


def _lines_of_pages(document, pages: int) -> list[list[_Line]]:
    import pypdfium2.raw as pdfium_c

    page_lines, characters = [], 0
    for number in range(pages):
        page = document[number]
        textpage = page.get_textpage()
        try:
            lines = _page_lines(textpage, pdfium_c, number)
        finally:
            textpage.close()
            page.close()
        characters += sum(len(line.text) for line in lines)
        if characters > MAX_CHARACTERS:
            raise UnreadableDocument(f"PDF with more than {MAX_CHARACTERS:,} characters of text")
        page_lines.append(lines)
    return page_lines


def _page_lines(textpage, pdfium_c, page: int) -> list[_Line]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: index them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD) for i in range(count))
    text = _without_note_marks(textpage, pdfium_c, text)
    fonts: dict[tuple[bytes, int], tuple[bool, bool]] = {}
    spans = [match.span() for match in re.finditer(r"[^\r\n]+", text)]
    if len(spans) > MAX_LINES_PER_PAGE:
        # A chart or a table drawn letter by letter: its text as one line,
        # without the cost of measuring thousands of lines.
        first = next(filter(None, (_line(textpage, pdfium_c, text, *span, page, fonts) for span in spans)), None)
        joined = " ".join(_clean(text[start:end]).replace("\ufffe", "-").strip() for start, end in spans)
        return [dataclasses.replace(first, text=" ".join(joined.split()))] if first else []
    lines = []
    for span in spans:
        for start, end in _visual_lines(textpage, pdfium_c, text, *span):
            line = _line(textpage, pdfium_c, text, start, end, page, fonts)
            if line is not None:
                lines.append(line)
    return lines


# A footnote's number after a word ("archives¹"), and the line break PDFium
# may put after it, where the text goes on at its old height.
_NOTE_MARK = re.compile(r"\d+(\r?\n)?")  # (what comes before is looked at for the digits found: faster)
_CLOSING = frozenset(".,;:)]”’\"'")


def _without_note_marks(textpage, pdfium_c, text: str) -> str:
    """The page's text with the numbers of footnotes set small and raised
    after a word ("archives1 from", "trees2 ,", "filesystem. 6") or before the note's own
    text ("1When ...") blanked out (as NULs, which cleaning drops: the text
    keeps PDFium's character numbering)."""
    marks = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for match in _NOTE_MARK.finditer(text):
        start, digits_end = match.start(), match.start(1) if match.group(1) else match.end()
        if digits_end - start > 3:
            continue
        before = text[start - 2 : start]
        if before and (before[-1].isalpha() or (before[-1] in _CLOSING and before[:1].isalpha())):
            beside = start - 1  # after a word: "archives1"
        elif before[-1:] == " " and (before[0].isalpha() or before[0] in _CLOSING):
            beside = start - 2  # set apart by a space: "site-specific filesystem. 6 The setup"
        elif (not before or before[-1] in "\r\n") and digits_end < len(text) and text[digits_end].isalpha():
            beside = digits_end  # opening the note itself at the page's foot: "1When the present-day sid"
        else:
            continue
        base = pdfium_c.FPDFText_GetFontSize(textpage.raw, beside)
        if not all(pdfium_c.FPDFText_GetFontSize(textpage.raw, i) < 0.8 * base for i in range(start, digits_end)):
            continue
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, beside, x, y)
        base_height = y.value
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, start, x, y)
        if y.value - base_height < 0.2 * base:
            continue  # small but not raised: a subscript ("H2O") or small type
        blank = "\x00" * (digits_end - start)
        if match.group(1) and match.end() < len(text):
            pdfium_c.FPDFText_GetCharOrigin(textpage.raw, match.end(), x, y)
            if abs(y.value - base_height) < 0.2 * base:
                # The line goes on after the mark: PDFium broke it there, in
                # place of the space before a word ("archives1⏎from").
                gap = " " if text[match.end()].isalnum() else "\x00"
                blank += gap + "\x00" * (len(match.group(1)) - 1)
        marks.append((start, blank))
    if not marks:
        return text
    pieces, at = [], 0
    for start, blank in marks:
        pieces += [text[at:start], blank]
        at = start + len(blank)
    return "".join(pieces) + text[at:]


def _visual_lines(textpage, pdfium_c, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """PDFium sometimes runs two printed lines into one line of its text (where
    the font changes at a line start, or after a hyphen it joined): cut them
    apart where a word starts on another baseline."""
    ink = text[start:end].rstrip(" \ufffe")
    first_word = start + len(ink) - len(ink.lstrip(" \ufffe"))
    last_word = start + max(ink.rfind(" "), ink.rfind("\ufffe")) + 1
    if last_word <= first_word:
        return [(start, end)]
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first_word) or 10.0
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, first_word, x, y)
    first = y.value
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, last_word, x, y)
    if abs(y.value - first) <= 0.5 * size:
        return [(start, end)]  # the usual case: first and last word on one baseline
    words = [match.start() for match in _WORD_START.finditer(text, start, end)]
    cuts, previous = [], None
    for index in words:
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        if previous is not None and abs(y.value - previous) > 0.5 * size:
            cuts.append(index)
        previous = y.value
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:]))


_WORD_START = re.compile(r"(?:^|(?<=[ \ufffe\r\n]))[^\s\ufffe]", re.MULTILINE)
_INK = re.compile(r"[^\s\ufffe]")


def _line(textpage, pdfium_c, text: str, start: int, end: int, page: int, fonts) -> _Line | None:
    cleaned = _clean(text[start:end]).strip()
    first = _INK.search(text, start, end)
    if not cleaned or first is None:
        return None
    last = end - 1
    while text[last].isspace() or text[last] == "\ufffe":
        last -= 1
    # Five characters across the line stand for it: its size is theirs (the
    # median), and it is bold or monospaced if they all are.
    samples = sorted({first.start() + (last - first.start()) * step // 4 for step in range(5)})
    samples = [index for index in samples if not text[index].isspace()] or [first.start()]
    sizes = sorted(pdfium_c.FPDFText_GetFontSize(textpage.raw, index) for index in samples)
    bold = mono = True
    for index in samples[:: max(1, len(samples) // 2)]:  # first, middle and last
        is_bold, is_mono = _font(textpage, pdfium_c, index, fonts)
        bold, mono = bold and is_bold, mono and is_mono
    left = textpage.get_charbox(first.start())[0]
    right = textpage.get_charbox(last)[2]
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, first.start(), x, y)
    return _Line(cleaned, page, left, right, y.value, sizes[len(sizes) // 2], bold, mono)


_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|cmbx|-b$|\.b$", re.IGNORECASE)
_MONO_NAME = re.compile(r"courier|mono|cmtt|consol|menlo|typewriter|fixed|lucidaconsole|sfmono", re.IGNORECASE)


_FONT_NAME, _FONT_FLAGS = ctypes.create_string_buffer(256), ctypes.c_int()  # used under the _PDFIUM lock only


def _font(textpage, pdfium_c, index: int, fonts: dict) -> tuple[bool, bool]:
    """(bold, monospaced) for the font of one character."""
    length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, _FONT_NAME, len(_FONT_NAME), _FONT_FLAGS)
    key = (_FONT_NAME.raw[:length], _FONT_FLAGS.value)
    if key not in fonts:
        name = _FONT_NAME.value.decode("latin-1").split("+")[-1]  # "ABCDEF+Times-Bold": a subset's prefix
        weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index)
        bold = weight >= 600 or bool(_BOLD_NAME.search(name))
        fonts[key] = (bold, bool(_FONT_FLAGS.value & 1) or bool(_MONO_NAME.search(name)))
    return fonts[key]


_READABLE = str.maketrans(
    {
        # Bullets that fonts such as Symbol and Wingdings put in the private use area.
        **{"\uf0b7": "•", "\uf0a7": "▪", "\uf076": "❖", "\uf0d8": "➢", "\uf0fc": "✓", "\uf06e": "■"},
        **{"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"},
        **{"\t": " ", "\u00a0": " "},
    }
)
# Control characters, surrogates and the private use area (glyphs a font maps
# to no character); PDFium's U+FFFE hyphen mark is kept for the joining.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\uf8ff\ufeff\ufff0-\ufffd\uffff]")


def _clean(line: str) -> str:
    """A line without what a quote cannot show: control characters, glyphs
    with no character, ligatures as one character, tabs."""
    line = line.translate(_READABLE)
    return _INVISIBLE.sub("", line) if _INVISIBLE.search(line) else line


# ---- Headers, footers and page numbers --------------------------------------

_PAGE_NUMBER = re.compile(
    r"[-–—(\[ ]*(?:page\s+)?(?:\d{1,5}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,5})?[-–—)\] ]*", re.IGNORECASE
)
# A line of a table of contents: dot leaders, then a page number.
# (Tried where a run of dots starts, the white space before it included, not
# at each of its dots: from every dot of a long run a try ran to its end.)
_CONTENTS_ENTRY = re.compile(r"(?<![.\s])\s*(?:\.\s*){5,}(?:\d+|[ivxlc]+)$", re.IGNORECASE)
_NEIGHBOURS = 3  # pages either side where a running header is looked for
_ZONE = 2  # lines at the top and at the bottom of a page that may be furniture


def _drop_furniture(page_lines: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without running headers and footers, page numbers and the
    lines of a table of contents."""
    body_size = _body_size([line for lines in page_lines for line in lines])
    orders = [sorted(range(len(lines)), key=lambda index: -lines[index].baseline) for lines in page_lines]
    zones = [_zone_keys(lines, order, body_size) for lines, order in zip(page_lines, orders)]
    outer = [_outer_lines(lines, order, body_size) for lines, order in zip(page_lines, orders)]
    kept_pages = []
    for number, lines in enumerate(page_lines):
        nearby: set[str] = set()
        neighbours = range(max(0, number - _NEIGHBOURS), min(len(page_lines), number + _NEIGHBOURS + 1))
        for other in neighbours:
            if other != number:
                nearby |= set(zones[other].values())
        furniture = {
            index
            for index, key in zones[number].items()
            if key in nearby or _PAGE_NUMBER.fullmatch(lines[index].text)
        }
        furniture |= {
            index
            for index, (end, height, opening) in outer[number].items()
            if any(end == other_end and opening == other_opening and abs(height - other_height) <= 2
                   for other in neighbours if other != number
                   for other_end, other_height, other_opening in outer[other].values())
        }
        furniture |= _contents_lines(lines)
        kept_pages.append([line for index, line in enumerate(lines) if index not in furniture])
    return kept_pages


_PAGE_REFERENCE = re.compile(r"\s(?:\d{1,4}|[ivxlc]{1,7})$", re.IGNORECASE)  # "... overview 1", "Preface vii"
_INDEX_ENTRY = re.compile(r",\s*\d{1,4}(?:[-–]\d{1,4})?$")  # "dpkg-dev, 33", "fakeroot, 33-35"
_SHORT_LEADERS = re.compile(r"(?:\.\s){2,}\W?\s*\S{1,7}$")
_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?\s*[^\W\d_]")  # "4.5 Can", "11.10How"


def _contents_lines(lines: list[_Line]) -> set[int]:
    """The lines of a table of contents: each ending in dot leaders and a page
    number; and, on a page mostly of such lines, also the entries without
    leaders ("1 Definitions and overview 1", "Index 65") and the first lines
    of an entry set on several ("4.5 Can I use Debian packages ... Can" over
    its rest, set in). On a page mostly of index entries, those and the short
    lines between them."""
    entries = {index for index, line in enumerate(lines) if _CONTENTS_ENTRY.search(line.text)}
    references = {index for index, line in enumerate(lines) if _INDEX_ENTRY.search(line.text)}
    if len(references) >= 5 and len(references) >= 0.4 * len(lines):
        # A page of the index: its entries ("libc6, 32 libpaper1, 47"), the
        # terms with entries under them and the letters over each group.
        return entries | references | {index for index, line in enumerate(lines) if len(line.text.split()) <= 3}
    if len(entries) < 5 or len(entries) < 0.4 * len(lines):
        return entries
    title_size = lines[min(entries)].size * 1.15  # the page's title ("Contents") is larger: kept
    found = entries | {
        index
        for index, line in enumerate(lines)
        if line.size <= title_size and _PAGE_REFERENCE.search(line.text) and (
            _SECTION_NUMBER.match(line.text) or len(line.text.split()) <= 4 or _SHORT_LEADERS.search(line.text))
    }
    for index in sorted(found, reverse=True):
        # Up from an entry's last line: lines set in as it is, then the numbered line that opens it.
        set_in, chain, above = lines[index].left, [], index - 1
        while above >= 0 and above not in found and abs(lines[above].left - set_in) < 0.5 * lines[above].size:
            chain.append(above)
            above -= 1
        if above >= 0 and above not in found and lines[above].left < set_in - 0.5 * lines[above].size \
                and _SECTION_NUMBER.match(lines[above].text):
            found |= {above, *chain}
    return found


def _zone_keys(lines: list[_Line], order: list[int], body_size: float) -> dict[int, str]:
    """The lines at the top and bottom of a page, by position, each with its
    text as compared across pages: digits and case ignored, and which end of
    the page it is at (`order`: the lines' numbers from the top of the page
    down). A line larger than the body text is a title, not furniture."""
    keys = {}
    for end, indexes in (("top", order[:_ZONE]), ("bottom", order[-_ZONE:])):
        for index in indexes:
            if lines[index].size <= 1.15 * body_size:
                keys[index] = end + ":" + _masked(lines[index].text)
    return keys


def _outer_lines(lines: list[_Line], order: list[int], body_size: float) -> dict[int, tuple[str, float, str]]:
    """The top-most and bottom-most line of a page, where set apart from the
    text by more than two lines' space, each with the end of the page it is
    at, its height, and its first two words as compared across pages. A
    header that names the chapter and section it is in ("CHAPTER 3. CHOOSING
    A DEBIAN… 3.2. BUT WHAT ABOUT KNOPPIX…") changes from page to page, but
    opens alike on the pages around it, at the same height."""
    found = {}
    for end, outer, inner in (("top", order[:1], order[1:2]), ("bottom", order[-1:], order[-2:-1])):
        if outer and inner:
            line, next_line = lines[outer[0]], lines[inner[0]]
            words = _masked(line.text).split()[:2]
            if line.size <= 1.15 * body_size and abs(line.baseline - next_line.baseline) > 2 * body_size \
                    and len(words) == 2:
                found[outer[0]] = (end, line.baseline, " ".join(words))
    return found


def _masked(text: str) -> str:
    """A line's text as compared across pages: digits and case ignored."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


# ---- Paragraphs, headings, lists, code --------------------------------------

_LIST_MARK = re.compile(r"(?:[•◦▪▫‣⁃●○■□➢❖✓·*–—-]|\(?(?:\d{1,3}|[a-zA-Z])[.)])\s")
_TERMINAL_END = re.compile(r"[.!?:;][\"'”’)\]]*$")


def _layout(page_lines: list[list[_Line]], title=None, author=None, date=None) -> Layout:
    page_lines = _drop_furniture(page_lines)
    everything = [line for lines in page_lines for line in lines]
    body_size = _body_size(everything)
    pitch = _line_pitch(page_lines, body_size)
    heading_sizes = _heading_sizes(everything, body_size)
    drafts: list[_Draft] = []
    for lines in page_lines:
        page_drafts = _drafts(lines, body_size, pitch, heading_sizes)
        if drafts and page_drafts and _continues(drafts[-1], page_drafts[0]):
            for line in page_drafts.pop(0).lines:
                drafts[-1].add(line)
        drafts.extend(page_drafts)
    _cover_lines_are_no_sections(drafts, len(page_lines))
    counts = _word_counts(everything)
    return _assemble(drafts, len(page_lines), counts, title, author, date)


COVER_SENTENCE_WORDS = 12  # a paragraph this long on the first page: no cover


def _cover_lines_are_no_sections(drafts: list[_Draft], pages: int) -> None:
    """On a cover page (a first page of large lines without a paragraph of
    prose) the lines after the title (release, author, date: "The Debian
    Policy Mailing List") are paragraphs, not headings over the whole
    document's sections."""
    cover = [draft for draft in drafts if draft.lines[0].page == 0]
    if pages < 2 or any(draft.kind in (PARAGRAPH, LIST_ITEM) and sum(len(line.text.split()) for line in draft.lines)
                        >= COVER_SENTENCE_WORDS for draft in cover):
        return
    headings = [draft for draft in cover if draft.kind == HEADING]
    for draft in headings[1:]:
        draft.kind, draft.level = PARAGRAPH, 0


def _body_size(lines: list[_Line]) -> float:
    sizes = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _line_pitch(page_lines: list[list[_Line]], body_size: float) -> float:
    """The usual distance from one baseline to the next in the body text."""
    steps = Counter()
    for lines in page_lines:
        for before, line in zip(lines, lines[1:]):
            step = round(before.baseline - line.baseline, 1)
            if abs(line.size - body_size) < 0.5 and 0.5 * body_size < step < 3 * body_size:
                steps[step] += 1
    return steps.most_common(1)[0][0] if steps else 1.2 * body_size


def _heading_sizes(lines: list[_Line], body_size: float) -> list[float]:
    """Sizes larger than the body text that short lines are set in, largest first."""
    sizes = {round(line.size * 2) / 2 for line in lines if line.size > body_size * 1.15 and len(line.text) < 200}
    return sorted(sizes, reverse=True)


def _drafts(lines: list[_Line], body_size: float, pitch: float, heading_sizes: list[float]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for line in lines:
        list_item = bool(_LIST_MARK.match(line.text)) and not line.mono and line.size <= 1.15 * body_size
        if drafts and not list_item and _same_block(drafts[-1], line, pitch, body_size):
            drafts[-1].add(line)
        elif drafts and not list_item and _opened_paragraph(drafts[-1], line):
            drafts.append(_Draft(PARAGRAPH, [drafts[-1].pop(), line]))
        else:
            drafts.append(_Draft(LIST_ITEM if list_item else PARAGRAPH, [line]))
    for draft in drafts:
        _classify(draft, body_size, heading_sizes)
    return drafts


def _same_block(block: _Draft, line: _Line, pitch: float, body_size: float) -> bool:
    before = block.lines[-1]
    step = before.baseline - line.baseline
    if abs(step) < 0.3 * line.size:  # one printed line PDFium gave in two pieces
        return before.size == line.size and before.bold == line.bold
    if step < 0:  # up the page: a new column, which may go on with the sentence
        return line.left > before.right and _runs_on(before, line) and abs(before.size - line.size) <= 0.5
    if step > 1.2 * pitch * max(1.0, line.size / body_size) and not (before.mono and line.mono):
        return False  # a gap
    runs_on = _runs_on(before, line)
    size_change = abs(before.size - line.size)
    if size_change > 2 or (size_change > 0.5 and not runs_on):
        return False
    if (before.bold != line.bold or before.mono != line.mono) and not runs_on:
        return False
    em = line.size
    if before.mono and line.mono:
        return step <= 3.2 * pitch  # a code block's blank lines
    if line.left < before.left - 0.8 * em and len(block.lines) > 1:
        return False  # back at the left after a hanging indent: the next item
    if (line.left > before.left + 0.8 * em and len(block.lines) > 1 and _TERMINAL_END.search(before.text)
            and all(abs(other.left - before.left) < 0.5 * em for other in block.lines[1:])):
        return False  # a first line set in, after a sentence's end: the next paragraph (as TeX sets them)
    # A sentence's end well short of the right margin: the paragraph's last line.
    right, left = max(block.right, line.right), min(block.left, line.left)
    return not (_TERMINAL_END.search(before.text) and before.right < right - 0.15 * (right - left))


def _opened_paragraph(block: _Draft, line: _Line) -> bool:
    """Whether the block's last line, set in from the lines above it, opened
    a paragraph that `line`, back at their margin, goes on with: TeX sets a
    paragraph's first line in, with no space above, and the rule that a line
    back at the left after a hanging indent starts the next item would
    otherwise cut the new paragraph after its first line."""
    if len(block.lines) < 2:
        return False
    above, before = block.lines[-2], block.lines[-1]
    em = line.size
    return (
        before.left > above.left + 0.8 * em
        and abs(line.left - above.left) < 0.5 * em
        and (len(block.lines) > 2 or bool(_TERMINAL_END.search(above.text)))  # [first, set-in rest] is a hanging indent
        and not before.text[:1].islower()
        and before.right > block.right - 0.15 * (block.right - block.left)  # it runs on: it fills its line
        and before.size == line.size == above.size
        and not (before.bold or before.mono or line.mono)
        and 0 < before.baseline - line.baseline < 1.5 * (above.baseline - before.baseline)
    )


def _runs_on(before: _Line, line: _Line) -> bool:
    """A line that runs on in lower case from one without a sentence's end
    belongs to it even where the font changes a little, or a column or page
    ends between them (not after a line all in bold: a heading, such as
    "NAME" before "xargs - build ..."). A disclaimer in capitals runs on in capitals."""
    goes_on = line.text[:1].islower() or (before.text.isupper() and line.text.isupper())
    return goes_on and not _TERMINAL_END.search(before.text) and not before.bold


def _classify(draft: _Draft, body_size: float, heading_sizes: list[float]) -> None:
    text = " ".join(line.text for line in draft.lines)
    short = len(draft.lines) <= 3 and len(text) <= 200
    size = max(line.size for line in draft.lines)
    if all(line.mono for line in draft.lines):
        draft.kind = CODE
    elif short and size > body_size * 1.15 and draft.kind == PARAGRAPH:
        draft.kind, draft.level = HEADING, 1 + _nearest(heading_sizes, size)
    elif (
        short
        and len(draft.lines) <= 2
        and all(line.bold for line in draft.lines)
        and not re.search(r"[.,;:]$", text)
        and (draft.kind == PARAGRAPH or text[:1].isdigit())  # "2.1 Scope" set in bold, not "• Note"
    ):
        draft.kind, draft.level = HEADING, 1 + len(heading_sizes)
    elif len(draft.lines) == 1 and _in_capitals(text) and not re.search(r"[.,;:!?]$", text):
        # "10. FUTURE REVISIONS OF THIS LICENSE" in the body's type: a
        # title, as a line in capitals is in plain text.
        draft.kind, draft.level = HEADING, 1 + len(heading_sizes)


def _in_capitals(text: str) -> bool:
    """Words in capitals after a number, if any: "10. FUTURE REVISIONS OF
    THIS LICENSE"; not a table's "4 CARD32 FIRST_MATCHLET_OFFSET"."""
    words = re.sub(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+", "", text).split()
    return sum(map(len, words)) > 3 and all(re.fullmatch(r"[A-Z]+(?:['’-][A-Z]+)*", w) for w in words)


def _nearest(sizes: list[float], size: float) -> int:
    return min(range(len(sizes)), key=lambda index: abs(sizes[index] - size)) if sizes else 0


def _continues(last: _Draft, first: _Draft) -> bool:
    """Whether the first paragraph of a page goes on with the last of the one before."""
    before, after = last.lines[-1], first.lines[0]
    return (
        last.kind in (PARAGRAPH, LIST_ITEM)
        and first.kind == PARAGRAPH
        and abs(before.size - after.size) <= 0.5
        and _runs_on(before, after)
    )


# ---- Joining lines -----------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHENS = "-\u00ad\u2010\ufffe"


def _word_counts(lines: list[_Line]) -> Counter:
    """How often the document writes each word (lower case), and each part of
    a hyphenated word, leaving out the pieces of words broken at a line end
    ("peer-to-⏎peer" counts "peer" once: the part before "to" is whole)."""
    counts = Counter()
    broken_before = False
    for line in lines:
        text = line.text
        if "\ufffe" in text[:-1]:  # a mark inside a line: a broken word, not counted
            text = re.sub(r"(?<!\S)\S*\ufffe(?=\S)\S*", " ", text)  # (from a word's start: linear)
        words = _WORD.findall(text.replace("\ufffe", "-").lower())
        whole_parts = []
        if broken_before and words:
            whole_parts += words.pop(0).split("-")[1:]
        broken_before = line.text[-1] in _HYPHENS and len(line.text) > 1 and line.text[-2].isalpha()
        if broken_before and words:
            whole_parts += words.pop().split("-")[:-1]
        counts.update(words)
        counts.update(whole_parts)
        for word in words:
            if "-" in word:
                counts.update(word.split("-"))
    return counts


def _joins_hyphen(left: str, right: str, counts: Counter, in_address: bool = False) -> bool:
    """Whether "left-⏎right" is one word broken by the typesetter (join it
    without the hyphen) rather than a hyphenated word (keep the hyphen)."""
    in_capitals = left.isupper() and right.isupper()  # "WAR-⏎RANTY" in a disclaimer
    if not (left[-1:].isalpha() and (right[:1].islower() or in_capitals)):
        return False
    joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
    if counts[joined] != counts[hyphenated]:
        return counts[joined] > counts[hyphenated]
    if in_address:
        return False  # a path or URL, written neither way elsewhere: its own hyphen
    # The document writes it neither way: two words it uses on their own make a compound.
    return not (len(left) > 1 and counts[left.lower()] and counts[right.lower()])


def _dehyphenate(text: str, counts: Counter) -> str:
    """Resolve the hyphens PDFium marked (U+FFFE) at line ends inside one line."""

    def resolve(match: re.Match) -> str:
        left, right = match.group(1), match.group(2)
        return left + right if _joins_hyphen(left, right, counts) else f"{left}-{right}"

    # (The letters before the mark are taken from where they start, not from
    # each letter of a long run, each try scanning to its end.)
    return re.sub(r"((?<![^\W\d_])[^\W\d_]*|)\ufffe\s*([^\W\d_]+)", resolve, text)


def _join(lines: list[_Line], kind: str, counts: Counter) -> list[tuple[int, str]]:
    """The pieces of a block's text, each with the page it came from."""
    if kind == CODE:
        return _code(lines)
    pieces: list[tuple[int, str]] = []
    for line in lines:
        text = " ".join((_dehyphenate(line.text, counts) if "\ufffe" in line.text[:-1] else line.text).split())
        if pieces:
            page, previous = pieces[-1]
            mended = _mend_break(previous, text, counts)
            if mended is None and _address_broken(previous) and _URL_GOES_ON.match(text):
                mended = previous  # an address broken after a dot or a slash: no space was there
            if mended is None:
                text = " " + text
            else:
                pieces[-1] = (page, mended)
        pieces.append((line.page, text))
    # A mark left (before a block's end, or a digit) was a printed hyphen.
    return [(page, piece.replace("\ufffe", "-")) for page, piece in pieces]


# The line that goes on with an address cut at a line end after a dot or a
# slash: "(https://www.⏎debian.org/ports/)".
_URL_GOES_ON = re.compile(r"[\w%~-]+[./#?=&]\S")


_ADDRESS_BREAKS = frozenset("./#?=&_~@")


def _address_broken(previous: str) -> bool:
    """Whether the text ends in a web address cut after a dot, a slash or the like."""
    word = previous[previous.rfind(" ") + 1 :].lstrip("(<[")
    return word[-1:] in _ADDRESS_BREAKS and ("://" in word or word.startswith("www."))


def _mend_break(previous: str, text: str, counts: Counter) -> str | None:
    """The line before `text` without its hyphen, or with a plain one, when a
    word is broken between them; None when they are two words."""
    word_before = re.search(r"(?<![^\W_])([^\W_]+)[" + _HYPHENS + "]$", previous)  # (from a word's start: linear)
    word_after = re.match(r"[^\W_]+", text)
    if not (word_before and word_after):
        return None
    in_address = "/" in previous.rpartition(" ")[2]
    if _joins_hyphen(word_before.group(1), word_after.group(0), counts, in_address):
        return previous[:-1]
    return previous[:-1] + "-"


def _code(lines: list[_Line]) -> list[tuple[int, str]]:
    """A code block line by line, with its indentation (in character widths of
    a monospaced font) and its blank lines (in line steps)."""
    steps = [a.baseline - b.baseline for a, b in zip(lines, lines[1:]) if a.page == b.page and a.baseline > b.baseline]
    step = min(steps) if steps else 1.0
    left = lines[0].left
    pieces = []
    for index, line in enumerate(lines):
        indent = " " * max(0, round((line.left - left) / (0.6 * line.size)))
        breaks = ""
        if index:
            before = lines[index - 1]
            gap = (before.baseline - line.baseline) / step if before.page == line.page else 1
            breaks = "\n" * min(3, max(1, round(gap)))
        pieces.append((line.page, breaks + indent + line.text))
    return pieces


def _assemble(drafts: list[_Draft], pages: int, counts: Counter, title, author, date) -> Layout:
    parts: list[str] = []
    blocks: list[Block] = []
    page_starts: list[int | None] = [None] * pages
    offset = 0
    for draft in drafts:
        if blocks:
            parts.append("\n\n")
            offset += 2
        start = offset
        for page, piece in _join(draft.lines, draft.kind, counts):
            if page_starts[page] is None:
                page_starts[page] = offset + (len(piece) - len(piece.lstrip(" \n")))
            parts.append(piece)
            offset += len(piece)
        blocks.append(Block(draft.kind, Span(start, offset), draft.level))
    text = "".join(parts)
    starts, following = [], len(text)
    for start in reversed(page_starts):  # a page with no text begins where the next text does
        following = start if start is not None else following
        starts.append(following)
    return Layout(text, tuple(blocks), title=title, date=date, author=author, page_starts=tuple(reversed(starts)))
