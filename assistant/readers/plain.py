"""Plain text of any shape: news prose one paragraph a line, hard-wrapped
licences and READMEs, text dumps. The text is the decoded file, unchanged;
its blocks are the paragraphs between blank lines, and a block that reads as
a heading (a short line standing alone, a line underlined with `===`, a
numbered section title such as "8. Termination.") is marked as one, so that
it is never quoted as an answer on its own but names the passages under it."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from ..text import Span, paragraph_spans
from .structure import DEFINITION, DESCRIBED, HEADING, PARAGRAPH, Block, Layout, trimmed

# A line of one repeated punctuation mark under (or over) a title, as reST
# and many READMEs write it.
_UNDERLINE = re.compile(r"[ \t]*([=\-~^*#+_`:.'\"])\1{2,}[ \t]*$")
# "8. Termination.", "1.2 Scope", "Section 3 - Definitions", "Article 5."
_NUMBERED_TITLE = re.compile(r"(?:(?:section|article|chapter|part)\s+)?\d{1,3}(?:\.\d{1,3})*\.?\s+\S", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;:,]['\"”’)\]]*$")
# A clause's title run in before its text, as licences and contracts number
# them: "2. Grant of Copyright License. Subject to the terms...". The title is
# written in capitals, word by word ("of", "or" excepted), and ends in a stop.
# (Bounded repeats: tried at every offset of "1.1.1.1..." or of one long
# word, an unbounded one would scan to the end each time.)
_RUN_IN_TITLE = re.compile(
    r"(?:(?:section|article|chapter|part)\s+)?\d{1,3}(?:\.\d{1,3}){0,4}\.?[ \t]{1,8}"
    r"((?:[A-Z][\w'’-]{0,30}[ \t]{1,3}(?:(?:of|or|and|the|to|for|in|on|a|an)[ \t]{1,3})?){0,7}[A-Z][\w'’-]{0,30})"
    r"\.(?=[ \t]+\S)",
    re.IGNORECASE)
_STOP_INSIDE = re.compile(r"[^\W\d][.!?]\s+\S")  # a sentence's end inside a line (not a number's "2.")
# An outline heading as Emacs' outline and Org modes write them, and GNU's
# NEWS, README and HACKING files with them: stars at the line's start, as many
# as the heading is deep ("* Noteworthy changes in release 9.1", "** Bug fixes").
_OUTLINE = re.compile(r"(\*{1,4})[ \t]+(?=\S)")
# The first line's Emacs mode line saying so ("HACKING   -*- org -*-").
_OUTLINE_MODE = re.compile(r"-\*-\s*(?:mode:\s*)?(?:org|outline)\b[^\n]*?-\*-", re.IGNORECASE)
# A web address or a commit's hash: a line holding one is a link or a
# reference ("Release-info: https://dev.gnupg.org/T6181", "Fixes:
# a55393cb5f4b..."), never a title. (An e-mail address may be in one: a
# ChangeLog entry is headed "2022-10-10  Werner Koch  <wk@gnupg.org>".)
_REFERENCE = re.compile(r"\b(?:https?|ftp)://|(?<![@\w.])www\.\w|(?<![@\w])(?=[a-f\d]*[a-f])(?=[a-f\d]*\d)[a-f\d]{10,40}\b(?!@)")
MAX_HEADING_CHARS = 80
MAX_HEADING_WORDS = 10
MAX_QUESTION_HEADING_WORDS = 15  # a FAQ's question runs longer than a title
MIN_SECTION_CHARS = 40  # a heading stands over prose, not over another short line


def read_plain(text: str) -> Layout:
    """The blocks of a plain text: paragraphs, and the headings and
    definitions among them."""
    blocks: list[Block] = []
    spans = paragraph_spans(text)
    described = None  # the column a definition's description is set at, while its paragraphs go on
    width = _width_of(text)
    declared = bool(_OUTLINE_MODE.search(text, 0, text.find("\n") if "\n" in text else len(text)))
    outlines: dict[int, list[Block]] = {}  # the blocks a span of outline headings makes, by the span's number
    for number, span in enumerate(spans):
        if text.startswith("*", span.start):
            made = _outline_headings(text, span, spans[number + 1] if number + 1 < len(spans) else None,
                                     spans[number - 1] if number else None, declared)
            if made is not None:
                outlines[number] = made
    # A text that writes its headings as stars at the margin sets its
    # sections' text in from it: a short line set in as they are is their
    # prose's ("As with all packages, you just have to do" over the
    # commands to type), not a heading.
    outlined = declared or bool(outlines)
    above = 0  # the level of the last heading written otherwise
    for number, span in enumerate(spans):
        following = spans[number + 1] if number + 1 < len(spans) else None
        if number in outlines:
            # Stars under an underlined title ("* Bugfixes" under "Fixes
            # since v1.5.0⏎=====") are its sections: as deep again.
            made = [replace(b, level=b.level + above) if b.kind == HEADING else b for b in outlines[number]]
        else:
            made = _blocks_of(text, span, following, headed=not outlined or _column(text, span.start) == 0)
            above = next((b.level for b in made if b.kind == HEADING), above)
        if made[0].kind == PARAGRAPH and following is not None and number + 2 < len(spans) \
                and _over_a_subheading(text, span, following, spans[number + 2]):
            made = [Block(HEADING, made[0].span, _level(span.of(text)))]
        if len(made) == 1 and made[0].kind == PARAGRAPH:
            hanging = hanging_term(text, span, width)
            if hanging is not None:
                made, described = [Block(DEFINITION, span)], hanging[1]
            elif described is not None and _indented_at_least(text, span, described):
                # The definition's second paragraph, set at its description's
                # column ("If NUM is zero, grep stops right away" under
                # "-m NUM"): the term is its heading.
                made = [Block(PARAGRAPH, span, DESCRIBED)]
            else:
                described = None
        else:
            described = None
        blocks.extend(made)
    return Layout(text, _nested(text, blocks, width))


MAX_TERM_LINES = 4
MAX_TERM_CHARS = 160
MIN_HANGING_INDENT = 3  # columns a description stands in from its term


def hanging_term(text: str, span: Span, width: Callable[[], int] | None = None) -> tuple[int, int] | None:
    """Where a definition's term ends and the column its description is set
    at, when the block is a term on lines of its own with its description
    indented under it, as manuals set options and functions in plain text
    (Info, man pages, --help): "‘-c’⏎‘--count’⏎     Suppress normal
    output...", " -- Function: ffi_call (...)⏎     This calls...". The
    description's column is its last line's; the term, the lines before the
    first at that column (a list's item marker or a line ending in a colon
    opens no term, and a description opens as a sentence does). With the
    text's `width`, a title centred over its subtitle is no term ("GNU
    GENERAL PUBLIC LICENSE⏎ Version 3, ...")."""
    if text.find("\n", span.start, span.end) < 0:
        return None
    lines = list(re.finditer(r"[^\n]+", text[span.start : span.end]))
    if len(lines) < 2:
        return None
    first_column = _column(text, span.start)
    columns = [first_column] + [_indent(line.group()) for line in lines[1:]]
    column = columns[-1]
    if column < first_column + MIN_HANGING_INDENT:
        return None
    if width is not None and _centred(lines[0].group().strip(), first_column, width()):
        return None
    opening = next(i for i, c in enumerate(columns) if c == column)
    term_end = span.start + lines[opening - 1].end()
    term = text[span.start : term_end]
    if opening > MAX_TERM_LINES or len(term) > MAX_TERM_CHARS or any(c < column for c in columns[opening:]):
        return None
    if _LIST_MARK.match(term) or term.rstrip().endswith((":", ".")):
        return None
    if lines[opening].group().lstrip()[:1].islower():
        return None  # prose wrapped with a hanging indent, going on mid-sentence
    return term_end, column


_LIST_MARK = re.compile(r"(?:[•\u25cf\u25aa\u2023\u2043*+\-–]|\d{1,3}[.)]|\(?[A-Za-z][.)])(?:[ \t\u00a0]|$)")


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip(" "))


def _indented_at_least(text: str, span: Span, column: int) -> bool:
    """Whether every line of the block stands at `column` or deeper."""
    if _column(text, span.start) < column:
        return False
    return all(_indent(line) >= column for line in text[span.start : span.end].split("\n")[1:] if line.strip())


def underline_mark(line: str) -> str | None:
    """The mark a line underlining a title repeats ("****" gives "*"), or None."""
    match = _UNDERLINE.match(line)
    return match.group(1) if match else None


def _over_a_subheading(text: str, line: Span, following: Span, after: Span) -> bool:
    """A numbered title directly over a heading of its own section ("Chapter 2.
    Debian package management" over "Note", "2.1. Tools" over "2.1.1. apt"),
    which stands over prose: a heading too, though no prose follows it."""
    title, under = line.of(text), following.of(text)
    if "\n" in title or "\n" in under or not _NUMBERED_TITLE.match(title) or _SENTENCE_END.search(title.rstrip()):
        return False
    if _STOP_INSIDE.search(title):
        return False  # "1. Documentation updates. Mostly fixing typos": items of a change log
    if len(title) > MAX_HEADING_CHARS or len(title.split()) > MAX_HEADING_WORDS:
        return False
    if not is_heading_line(under, after.of(text)):
        return False
    return not _NUMBERED_TITLE.match(under) or _level(under) > _level(title)


def _nested(text: str, blocks: list[Block], width: Callable[[], int]) -> tuple[Block, ...]:
    """The headings' levels as the text's indentation sets them. A heading
    without a number standing deeper in than the numbered heading over it
    ("Note", "Tip" in the body of "1.4.7. Setting a default text editor")
    belongs to that section, one level down, not over the rest of the
    document; a centred title is no deeper. And a numbered line next to the
    item numbered one before or after it, at its column ("4. Remove
    installed files" over "5. Run postrm script"), or standing deeper in
    than the numbered heading over it, is an item of a list: no heading."""
    def centred(line: str, column: int) -> bool:
        return _centred(line, column, width())

    numbered: tuple[int, int] | None = None  # the last numbered heading's (column, level)
    out: list[Block] = []
    for position, block in enumerate(blocks):
        if block.kind == HEADING and block.level >= 1:
            line = block.span.of(text)
            column = _column(text, block.span.start)
            item = _NUMBER.match(line)
            deeper = numbered is not None and column > numbered[0]
            if item and (_in_a_list(text, blocks, position, int(item.group(1)), column)
                         or deeper and not centred(line, column)):
                block = Block(PARAGRAPH, block.span)
            elif _NUMBERED_TITLE.match(line):
                numbered = (column, block.level)
            elif deeper and not centred(line, column):
                block = replace(block, level=numbered[1] + 1)
        out.append(block)
    return tuple(out)


_NUMBER = re.compile(r"(\d{1,3})[.)]?\s")


def _in_a_list(text: str, blocks: list[Block], position: int, number: int, column: int) -> bool:
    """Whether the block numbered `number` has the item numbered one before
    it just above, or the one after it just below, at its column."""
    for other, wanted in ((position - 1, number - 1), (position + 1, number + 1)):
        if 0 <= other < len(blocks):
            item = _NUMBER.match(blocks[other].span.of(text))
            if item and int(item.group(1)) == wanted and _column(text, blocks[other].span.start) == column:
                return True
    return False


def _width_of(text: str) -> Callable[[], int]:
    """The text's width, measured once when first asked (when a heading or
    a term stands indented)."""
    measured: list[int] = []

    def width() -> int:
        if not measured:
            measured.append(max((len(line.expandtabs(8)) for line in text.splitlines()), default=0))
        return measured[0]
    return width


def _centred(line: str, column: int, width: int) -> bool:
    """A line set in the middle of the text's width, as licences set their titles."""
    return column >= 8 and abs(column - (width - len(line)) / 2) <= 6


def _blocks_of(text: str, span: Span, following: Span | None, headed: bool = True) -> list[Block]:
    """A block's blocks; `headed` False when a line standing alone is no
    heading (an underlined title still is)."""
    if text.find("\n", span.start, span.end) < 0:  # one line, as most paragraphs of prose are
        if headed and following is not None and span.end - span.start <= MAX_HEADING_CHARS \
                and (is_heading_line(span.of(text), following.of(text)) or _asks_over(text, span, following)):
            return [Block(HEADING, span, _level(span.of(text)))]
        return _run_in(text, span)
    lines = [(m.start() + span.start, m.end() + span.start) for m in re.finditer(r"[^\n]+", span.of(text))]
    # A title underlined (or over- and underlined) with a run of one mark.
    for position in range(min(len(lines), 3) - 1):
        line_start, line_end = lines[position + 1]
        if _UNDERLINE.match(text, line_start, line_end) and not _UNDERLINE.match(text, *lines[position]):
            title = trimmed(text, *lines[position])
            rest = trimmed(text, line_end, span.end)
            out = [Block(HEADING, title, 1)] if title else []
            if rest and not _UNDERLINE.fullmatch(rest.of(text).strip()):
                out.append(Block(PARAGRAPH, rest))
            return out
    return _run_in(text, span)


def _outline_headings(text: str, span: Span, following: Span | None, previous: Span | None,
                      declared: bool) -> list[Block] | None:
    """Lines of stars and a title at the text's margin, heading the blocks
    below them as deep as their stars are many: a line alone over a block
    that is not another line of as many stars, and under no such line (so
    are a bulleted list's items), or lines each deeper than the one before,
    as Org mode runs them together ("* Windows⏎** How to build an installer
    for Windows"), over the rest of their block. A line alone heads text
    set in from the margin, or any text when the text is `declared` an
    outline by its mode line. The stars are left out: a heading's words are
    its title."""
    lines = [(span.start + m.start(), span.start + m.end()) for m in re.finditer(r"[^\n]+", span.of(text))]
    if _column(text, span.start) != 0:
        return None
    headings: list[Block] = []
    for start, end in lines:
        star = _OUTLINE.match(text, start, end)
        title = trimmed(text, star.end(), end) if star else None
        if title is None or not _outline_title(title.of(text)) or title.of(text)[0].islower() \
                or (headings and len(star.group(1)) <= headings[-1].level):
            break
        headings.append(Block(HEADING, title, len(star.group(1))))
    if not headings or (len(headings) == 1 and len(lines) > 1):
        return None  # a list's item wrapped over lines, or no stars
    if len(lines) > len(headings):
        if _OUTLINE.match(text, *lines[len(headings)]):
            return None  # a list with items under items ("* Removed options:⏎** --block-size ...⏎** ...")
        rest = trimmed(text, lines[len(headings)][0], span.end)
        return headings + ([Block(PARAGRAPH, rest)] if rest else [])
    if following is None:
        return None
    depth = headings[-1].level
    if not declared and len(headings) == 1 and _column(text, following.start) == 0 and not _stars(text, following):
        return None  # text at the margin under it goes on a list's item, unless the text says it is an outline
    if 0 < _stars(text, following) <= depth or (previous is not None and _stars(text, previous) == depth
                                                 and "\n" not in previous.of(text)):
        return None  # an item of a bulleted list, the last one included
    return headings


def _stars(text: str, span: Span) -> int:
    """How many stars open a block at the text's margin (0: none)."""
    star = _OUTLINE.match(text, span.start, span.end)
    return len(star.group(1)) if star is not None and _column(text, span.start) == 0 else 0


def _outline_title(title: str) -> bool:
    """Short, not a sentence, no link or reference: an outline heading's
    title, not a bulleted sentence ("* Fix the build on old systems.")."""
    return len(title) <= MAX_HEADING_CHARS and len(title.split()) <= MAX_HEADING_WORDS \
        and not re.search(r"[.!?;,]['\"”’)\]]*$", title) and not _REFERENCE.search(title)


def _run_in(text: str, span: Span) -> list[Block]:
    """A paragraph, after the numbered title run in at its start if it has
    one ("4. Redistribution. You may reproduce..."): that title is a heading,
    the section the paragraph and those after it are cited under, and never
    a quote of its own."""
    match = _RUN_IN_TITLE.match(text, span.start, span.end)
    if match is None or not _title_cased(match.group(1)):
        return [Block(PARAGRAPH, span)]
    title, rest = trimmed(text, span.start, match.end()), trimmed(text, match.end(), span.end)
    return [Block(HEADING, title, _level(title.of(text))), Block(PARAGRAPH, rest)]


def _title_cased(title: str) -> bool:
    """Every word of four letters or more capitalised ("Grant of Copyright
    License"; not "This License applies", "Install the package")."""
    return all(word[0].isupper() for word in title.split() if len(word) >= 4)


def is_heading_line(line: str, next_block: str) -> bool:
    """A line standing alone before a longer block reads as a heading when it
    is short and is not a sentence: no closing punctuation, or a numbered
    section title ("8. Termination."), or written in capitals."""
    if len(line) > MAX_HEADING_CHARS:
        return False
    words = line.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if _REFERENCE.search(line):
        return False
    if len(next_block) < max(len(line.strip()) + 1, MIN_SECTION_CHARS):  # (blocks come stripped)
        return False  # a run of short lines: a list or an address, not a heading
    if _NUMBERED_TITLE.match(line.strip()):
        return not line.rstrip().endswith((":", ","))
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return True
    return not _SENTENCE_END.search(line.rstrip())


def _asks_over(text: str, line: Span, following: Span) -> bool:
    """A question on a line of its own over a block indented deeper, as a
    FAQ lays out its questions and answers ("Why do long usernames get
    printed as numbers?" over the tab-indented answer): a heading, whose
    words belong to the answer under it, not an answer itself."""
    asked = line.of(text).rstrip()
    if not asked.endswith("?") or len(asked.split()) > MAX_QUESTION_HEADING_WORDS:
        return False
    return _column(text, following.start) > _column(text, line.start)


def _column(text: str, offset: int) -> int:
    """How far in a position stands on its line, a tab counting to the next multiple of 8."""
    line_start = text.rfind("\n", 0, offset) + 1
    return len(text[line_start:offset].expandtabs(8))


def numbered_title_depth(line: str) -> int | None:
    """A title's depth by its number ("Chapter 4. ..." 1, "4.1.1. ..." 3),
    as plain text nests them; None for a title without a number."""
    return _level(line) if _NUMBERED_TITLE.match(line) else None


def _level(line: str) -> int:
    """A numbered title's depth ("1.2 Scope" is 2); 1 for others."""
    match = re.match(r"\s*(?:(?:section|article|chapter|part)\s+)?(\d{1,3}(?:\.\d{1,3})*)", line, re.IGNORECASE)
    return match.group(1).rstrip(".").count(".") + 1 if match else 1

