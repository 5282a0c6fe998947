"""Paragraphs, sentences and tokens of a text, as character spans into it.

Nothing here rewrites text: every function returns `Span`s, and a piece of
text is always `text[span.start:span.end]` of the original string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


_BLANK_LINE = re.compile(r"\n[ \t\r\u00a0\u200b\ufeff\f\v]*\n")
# Not white space to str.isspace(), but nothing a quote should begin or end with:
# a byte-order mark kept by a plain "utf-8" decode, zero-width spaces.
_INVISIBLE = "\ufeff\u200b"
# Markers a quote leaves out: list bullets, Markdown headings and block quotes.
_SYMBOL_BULLET = re.compile(r"(?:[•\u2022\u25cf\u25aa\u2023\u2043*+\-–]|#{1,6}|>)[ \t\u00a0]+")
_BULLET = re.compile(r"(?:[•\u2022\u25cf\u25aa\u2023\u2043*+\-–]|\d{1,2}[.)]|[a-z][.)])[ \t\u00a0]+")


def strip_span(text: str, start: int, end: int) -> Span:
    """`text[start:end]` without the white space (and invisible marks) at its ends."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return Span(start, end)


def paragraph_spans(text: str) -> list[Span]:
    """Blocks separated by blank lines; a text with no blank line at all is
    taken one line a paragraph (the other common way plain text is written),
    except that a line running on in lower case continues the one before it
    (prose hard-wrapped without blank lines)."""
    cuts = _blank_lines(text) or [(m.start(), m.end()) for m in re.finditer(r"\n", text) if not _runs_on(text, m.start())]
    return _spans_between(text, cuts)


def blank_line_blocks(text: str) -> list[Span]:
    """The runs of lines between blank lines, without white space at their ends."""
    return _spans_between(text, _blank_lines(text))


def _blank_lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)]


def _spans_between(text: str, cuts: list[tuple[int, int]]) -> list[Span]:
    spans, start = [], 0
    for cut_start, cut_end in cuts:
        spans.append(strip_span(text, start, cut_start))
        start = cut_end
    spans.append(strip_span(text, start, len(text)))
    return [s for s in spans if len(s) > 0]


def _runs_on(text: str, newline: int) -> bool:
    """Whether the line after `newline` continues the sentence before it: the
    line before ends in a word or a comma and the next starts in lower case."""
    before = text[text.rfind("\n", 0, newline) + 1 : newline].rstrip()
    after = text[newline + 1 : newline + 80].lstrip(" \t")
    # (A word may close a quotation: '1.7. "Larger Work"⏎ means a work...'.)
    return bool(before) and bool(re.search(r"[\w,][\"'”’)\]]*$", before)) and after[:1].islower() and not _BULLET.match(after)


# Abbreviations that are never the end of a sentence (a name or number follows).
_NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "lt", "col", "capt",
    "sgt", "maj", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vol", "vols", "fig", "figs", "p", "pp", "ch", "art", "sec", "para",
    "vs", "v", "e.g", "i.e", "eg", "ie", "viz", "cf", "approx", "ca", "mt", "ft", "ste", "dept", "est",
    "u.s.a", "a.m", "p.m",
}
# Abbreviations that may end a sentence; they end one when a word that usually
# opens a sentence follows ("... living in the U.S. He has ...").
_SOMETIMES_FINAL = {"u.s", "u.k", "u.n", "e.u", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "a.m", "p.m"}
_SENTENCE_OPENERS = {
    "a", "an", "the", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "his", "her", "its", "their", "our", "my", "in", "on", "at", "but",
    "and", "or", "so", "yet", "however", "meanwhile", "after", "before", "when", "while",
    "if", "as", "since", "although", "though", "despite", "many", "some", "most", "all",
    "each", "one", "no", "not", "what", "who", "why", "how", "where", "for", "by", "from",
    "with", "under", "during", "other", "such", "both", "also", "then", "later", "today",
}
# A reference mark may follow the full stop in text taken from Wikipedia:
# "...because of her weight.:110 He was", "...in 1905.[3] It".
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*(?::\d+(?:[–-]\d+)?|\[\d+\])?")
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)$")


# The "1" or "a" of a numbered list item, or the "1.7" or "3.1.2" of a
# numbered clause, the first thing on its line: it opens the item's first sentence.
# The number of an item, a clause or a numbered title ("Chapter 2. Debian
# package management", "Table 2.1. List of tools", "Appendix A. Tips").
_ITEM_NUMBER = re.compile(r"(?:(?:chapter|section|part|appendix|article|table|figure|example)\s+)?"
                          r"(?:\d{1,2}|[a-zA-Z]|\d{1,3}(?:\.\d{1,3}){1,3})", re.IGNORECASE)
_ITEM_NUMBER_CHARS = 24  # bounded: never a long line of dots looked at whole


def _is_boundary(text: str, dot: int, after: int, next_word: str, line_text_start: int) -> bool:
    """`dot` is the index of a terminal mark, `after` the first character of the
    next sentence candidate, `next_word` the word that starts it,
    `line_text_start` where the dot's line starts past its spaces and tabs."""
    if text[dot] != ".":
        return True
    # (Told from where the line's text starts, found once a line: looking back
    # from each dot to the line's start is quadratic in a long line of dots.)
    if dot - line_text_start <= _ITEM_NUMBER_CHARS and _ITEM_NUMBER.fullmatch(text, line_text_start, dot):
        return False  # the "1.", "a.", "3.1.2." or "Chapter 2." of a numbered item, clause or title
    match = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not match:
        return True
    word = match.group(1)
    lower = word.lower()
    opener = next_word.lower() in _SENTENCE_OPENERS
    if lower in _NEVER_FINAL and lower not in _SOMETIMES_FINAL:
        # "No. 125", "Nov. 14", "St. Paul": never final; "no." or a street's
        # "St." at a sentence end before a sentence opener are the exceptions.
        if lower in ("no", "st") and opener and not next_word[:1].isdigit():
            return True
        return False
    if lower in _SOMETIMES_FINAL or lower.rstrip(".") in _SOMETIMES_FINAL:
        return opener
    if len(word) == 1 and word.isupper():
        # An initial ("J. Smith") unless a clear sentence opener follows.
        return opener and next_word not in {"A"}
    if "." in word and len(word) <= 6 and all(len(part) <= 2 for part in word.split(".")):
        # Dotted acronyms like "U.N." or "Ph.D." end a sentence only before an opener.
        return opener
    return True


_NEXT_WORD = re.compile(r"[\"'“‘(\[]*([\w$]+)")


def _candidate_starts(text: str, start: int, end: int):
    """Yield (mark_index, end_of_sentence, start_of_next) for each terminal mark
    followed by white space and something that can open a sentence."""
    for match in _TERMINAL.finditer(text, start, end):
        close = match.end()
        gap = close
        while gap < end and text[gap] in " \t\u00a0\u200b":
            gap += 1
        if gap == close or gap >= end:
            continue  # no space after it ("3.5", "U.S.-led") or paragraph end
        if text[gap] == "\n":
            continue  # line breaks are handled by _line_breaks
        nxt = text[gap]
        if nxt.islower():
            continue
        if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘([•*–-"):
            continue
        word_match = _NEXT_WORD.match(text, gap, gap + 40)
        next_word = word_match.group(1) if word_match else ""
        yield match.start(), close, gap, next_word


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets where a line inside a paragraph starts a new sentence: a bullet
    line, a line after one that ends in terminal punctuation or a colon, or a line
    after a short one (a heading or a date line); hard-wrapped prose is joined."""
    if text.find("\n", start, end) < 0:
        return []  # one line
    lines = list(_LINE.finditer(text, start, end))
    if len(lines) < 2:
        return []
    longest = max(len(m.group().strip()) for m in lines)
    cuts = []
    for previous, current in zip(lines, lines[1:]):
        prev_text = previous.group().rstrip()
        cur_text = current.group().lstrip()
        cur_start = current.start() + (len(current.group()) - len(cur_text))
        if (
            _BULLET.match(cur_text)
            or re.match(r"#{1,6}\s", prev_text.lstrip())  # a Markdown heading is a line of its own
            or re.search(r"[.!?:;…][\"'”’)\]]*$", prev_text)
            or len(prev_text.strip()) < 0.6 * longest and not _runs_on(text, previous.end())
            or not cur_text[:1].islower() and not re.search(r"[\w,]$", prev_text)
        ):
            cuts.append(cur_start)
    return cuts


_INDENT = re.compile(r"[ \t]*")
_LINE = re.compile(r"[^\n]+")
# A list flattened onto one line ("... program: • One. • Two."): a round
# bullet after white space starts an item wherever it stands.
_INLINE_BULLET_MARKS = "•\u25cf\u25aa"
_INLINE_BULLET = re.compile(rf"(?<=[ \t\u00a0])[{_INLINE_BULLET_MARKS}](?=[ \t\u00a0])")


def sentence_spans(text: str, paragraph: Span | None = None) -> list[Span]:
    """Sentences of `text` (or of one paragraph of it) as spans, with white space
    and bullet markers left out of each span."""
    span = paragraph or Span(0, len(text))
    cuts: list[tuple[int, int]] = []  # (end of previous sentence, start of next)
    for line_start in _line_breaks(text, span.start, span.end):
        cuts.append((line_start, line_start))
    if any(text.find(mark, span.start, span.end) >= 0 for mark in _INLINE_BULLET_MARKS):
        for bullet in _INLINE_BULLET.finditer(text, span.start, span.end):
            cuts.append((bullet.start(), bullet.start()))
    for line in _LINE.finditer(text, span.start, span.end):
        line_start, line_end = line.span()
        # A paragraph may start past its first line's indent: the line's text
        # starts where its spaces and tabs end, counted from the line's start.
        indent_from = text.rfind("\n", 0, line_start) + 1 if line_start == span.start else line_start
        line_text_start = _INDENT.match(text, indent_from).end()
        for dot, close, nxt, next_word in _candidate_starts(text, line_start, line_end):
            if _is_boundary(text, dot, nxt, next_word, line_text_start):
                cuts.append((close, nxt))
    cuts.sort()
    spans, start = [], span.start
    for end, next_start in cuts:
        spans.append(_clean_sentence(text, start, end))
        start = next_start
    spans.append(_clean_sentence(text, start, span.end))
    return [s for s in spans if len(s) > 0]


def _clean_sentence(text: str, start: int, end: int) -> Span:
    span = strip_span(text, start, end)
    bullet = _SYMBOL_BULLET.match(text, span.start, span.end)
    if bullet:
        span = strip_span(text, bullet.end(), span.end)
    return span


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)


def token_spans(text: str, span: Span | None = None) -> list[Span]:
    span = span or Span(0, len(text))
    return [Span(m.start(), m.end()) for m in _TOKEN.finditer(text, span.start, span.end)]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with typographic apostrophes made plain."""
    return [m.group().lower().replace("’", "'") for m in _TOKEN.finditer(text)]
