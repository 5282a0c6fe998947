"""Markdown: the file's own text, unchanged, with its structure read by
markdown-it-py (CommonMark, with tables), whose tokens carry the source lines
they came from. Headings, paragraphs, list items, code blocks and table rows
become blocks over the text; a block's span leaves out the markers around it
(the `#` of a heading, a list item's bullet, a code fence's lines), so a
heading is quoted as its words and a code block as its code."""

from __future__ import annotations

import re

from ..text import Span
from .structure import CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block, Layout, trimmed

_FENCE_LINE = re.compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*$")


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


class _Lines:
    """Offsets of the text's lines, for turning markdown-it's line numbers
    into character spans."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, number: int) -> tuple[int, int]:
        start = self.starts[number]
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return start, end

    def content_span(self, first: int, last: int, content: str) -> Span | None:
        """The span of `content` (lines whose container markers markdown-it
        took off) inside source lines first..last (inclusive)."""
        lines = [line.strip() for line in content.split("\n") if line.strip()]
        if not lines:
            return None
        start_line, end_line = self.line(first), self.line(last)
        head = self.text.find(lines[0], *start_line)
        tail = self.text.rfind(lines[-1], *end_line)
        if head < 0 or tail < 0:  # an escaped or entity-coded line: take the lines whole
            return trimmed(self.text, start_line[0], end_line[1])
        return Span(head, tail + len(lines[-1]))



def plain_inline(token) -> str:
    """An inline token's words without their markup, on one line."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def read_markdown(text: str) -> Layout:
    """The structure of a Markdown text; the text itself is kept as it is."""
    lines = _Lines(text)
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    title = None
    in_item = 0
    heading_level = 0
    for position, token in enumerate(tokens):
        kind = token.type
        if kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "inline" and token.map and tokens[position - 1].type in ("heading_open", "paragraph_open"):
            span = lines.content_span(token.map[0], token.map[1] - 1, token.content)
            if span is None:
                continue
            if tokens[position - 1].type == "heading_open":
                blocks.append(Block(HEADING, span, heading_level))
                words = plain_inline(token)
                if words and title is None and heading_level == 1:
                    title = words  # a page's name; a README that opens at "## Install" has none
            else:
                blocks.append(Block(LIST_ITEM if in_item else PARAGRAPH, span))
        elif kind in ("fence", "code_block") and token.map:
            first, last = token.map[0], token.map[1] - 1
            if kind == "fence":
                first += 1
                if last >= first and _FENCE_LINE.match(text, *lines.line(last)):
                    last -= 1
            if last >= first:
                span = trimmed(text, lines.line(first)[0], lines.line(last)[1])
                if span is not None:
                    blocks.append(Block(CODE, span))
        elif kind == "tr_open" and token.map:
            span = trimmed(text, *lines.line(token.map[0]))
            if span is not None:
                blocks.append(Block(TABLE_ROW, span))
    blocks.sort(key=lambda b: (b.span.start, b.span.end))
    return Layout(text, tuple(_without_overlaps(blocks)), title=title)


def _without_overlaps(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        if kept and block.span.start < kept[-1].span.end:
            continue
        kept.append(block)
    return kept

