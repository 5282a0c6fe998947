"""How the console shows an answer or a paragraph: prompt-toolkit style
fragments, `[(style, text), ...]`, wrapped to a width. Formatting only; the
console decides where they go and whether the styles become colours.

Without colours (`plain=True`) nothing is lost: the short answer gets its own
line and a quote inside a paragraph is marked »like this«."""

from __future__ import annotations

import re

from .answerer.types import Answer, Excerpt
from .corpus import Document
from .inline_markup import shown
from .render import answer_shown, citation, quote_lines, reading_note

Fragments = list[tuple[str, str]]

_WORD = re.compile(r"\S+")
# A line break the text means to keep: the start of a list item.
_LIST_ITEM = re.compile(r"(?:[-*•·–]|\d{1,3}[.)])\s")


def wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap, as ranges [start, end) of `text` so that styles given
    by offsets survive it. A single line break inside a paragraph is reflowed;
    a blank line stays (as an empty range) and so does a break before a list
    item; a word longer than the width gets a line of its own."""
    width = max(width, 20)
    lines: list[tuple[int, int]] = []
    start = end = -1
    for word in _WORD.finditer(text):
        a, b = word.span()
        if start < 0:
            start, end = a, b
            continue
        breaks = text.count("\n", end, a)
        if breaks >= 2 or (breaks == 1 and _LIST_ITEM.match(text, a)) or b - start > width:
            lines.append((start, end))
            if breaks >= 2:
                lines.append((end, end))
            start = a
        end = b
    if start >= 0:
        lines.append((start, end))
    return lines


def styled(text: str, start: int, end: int, marks, base: str) -> Fragments:
    """`text[start:end]` cut where the marks `(start, end, style)` begin and
    end; a later mark wins over an earlier one. Line breaks inside the range
    (reflowed ones) become spaces."""
    cuts = sorted({start, end, *(p for a, b, _ in marks for p in (a, b) if start < p < end)})
    out: Fragments = []
    for a, b in zip(cuts, cuts[1:]):
        style = base
        for mark_start, mark_end, mark_style in marks:
            if mark_start <= a and b <= mark_end:
                style = mark_style
        out.append((style, text[a:b].replace("\r", " ").replace("\n", " ")))
    return out


def wrapped(text: str, width: int, marks=(), base: str = "", label: tuple[str, str] = ("", "")) -> Fragments:
    """The text wrapped under a label (e.g. `("class:number", "[1] ")`), the
    lines after the first indented to match; ends with a line break."""
    indent = " " * len(label[1])
    out: Fragments = [label] if label[1] else []
    for number, (a, b) in enumerate(wrap_ranges(text, width - len(indent))):
        if number:
            out.append(("", "\n" + (indent if b > a else "")))
        out.extend(styled(text, a, b, marks, base))
    out.append(("", "\n"))
    return out


def excerpt_block(excerpt: Excerpt, number: int, width: int, *, dim: bool, short: bool, plain: bool) -> Fragments:
    """One numbered quote with its citation under it; `short` marks the
    short answer inside the quote."""
    label = f"[{number}] "
    indent = " " * len(label)
    if excerpt.code_start is not None:
        # Code keeps its lines and its characters ("*.pyc" is no emphasis);
        # a sentence introducing it is reflowed above it.
        style = "class:quote-dim" if dim else "class:quote"
        lines = quote_lines(excerpt, width, label)
        out = [("class:number", label), (style, lines[0][len(label):])]
        for line in lines[1:]:
            out += [("", "\n" + line[: len(indent)]), (style, line[len(indent):])]
        out.append(("", "\n"))
    else:
        out = _prose_block(excerpt, label, width, dim=dim, short=short)
    out += wrapped(f"— {citation(excerpt)}", width, (), "class:citation", ("", indent))
    if plain and short and excerpt.answer:
        out.append(("class:answer-line", f"{indent}answer: {answer_shown(excerpt)}\n"))
    return out


def _prose_block(excerpt: Excerpt, label: str, width: int, *, dim: bool, short: bool) -> Fragments:
    """A quote of prose, reflowed, its short answer marked when `short`."""
    text = f"“{excerpt.quote}”"
    marks = []
    if short and excerpt.answer:
        # +1: the opening quotation mark shifts the quote by one character.
        marks.append((excerpt.answer.start - excerpt.start + 1, excerpt.answer.end - excerpt.start + 1, "class:answer"))
    out = wrapped(text, width, marks, "class:quote-dim" if dim else "class:quote", ("class:number", label))
    if excerpt.markup:  # a Markdown or reST quote as a rendered page shows it
        out = [(style, shown(piece, excerpt.markup)) for style, piece in out]
    return out


def answer_block(answer: Answer, width: int, plain: bool = False) -> Fragments:
    """The whole answer: the quotes best first (the first one with its short
    answer marked, the others dimmed), or the abstention and the nearest
    passages."""
    out: Fragments = []
    note = reading_note(answer)
    if note:
        out.append(("class:dim", note + "\n"))
    if not answer.answered:
        out.append(("class:warning", "I could not find this in the documents.\n"))
        if answer.message:
            out.append(("class:dim", answer.message + "\n"))
        if answer.excerpts:
            out.append(("class:dim", "Nearest passages:\n"))
    elif answer.message:  # a caveat: with --cluster, a part of the corpus that was not searched
        out.append(("class:warning", answer.message + "\n"))
    for number, excerpt in enumerate(answer.excerpts, 1):
        first = answer.answered and number == 1
        out += excerpt_block(excerpt, number, width, dim=not first, short=first, plain=plain)
    if answer.more:
        out.append(("class:dim", f"/more shows {len(answer.more)} further excerpts; /open N the paragraph around [N].\n"))
    return out


def more_block(excerpts: list[Excerpt], first_number: int, width: int, plain: bool = False) -> Fragments:
    out: Fragments = []
    for number, excerpt in enumerate(excerpts, first_number):
        out += excerpt_block(excerpt, number, width, dim=False, short=False, plain=plain)
    return out


def paragraph_block(document: Document, excerpt: Excerpt, number: int, width: int, plain: bool = False) -> Fragments:
    """The whole paragraph (or paragraphs) holding the excerpt, the quote
    marked and, inside it, its short answer."""
    try:
        start = min(document.paragraph_at(excerpt.start).span.start, excerpt.start)
        end = max(document.paragraph_at(max(excerpt.end - 1, excerpt.start)).span.end, excerpt.end)
    except ValueError:  # a quote outside the body paragraphs (a title, a date line)
        start, end = excerpt.start, excerpt.end
    text = document.text
    header = wrapped(citation(excerpt), width, (), "class:citation", ("class:number", f"[{number}] "))
    if plain:
        shown = f"{text[start:excerpt.start]}»{text[excerpt.start:excerpt.end]}«{text[excerpt.end:end]}"
        return header + wrapped(shown, width, (), "", ("", "    "))
    marks = [(excerpt.start - start, excerpt.end - start, "class:quote-marked")]
    if excerpt.answer:
        marks.append((excerpt.answer.start - start, excerpt.answer.end - start, "class:answer"))
    return header + wrapped(text[start:end], width, marks, "class:paragraph", ("", "    "))
