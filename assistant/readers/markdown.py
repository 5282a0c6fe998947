"""Markdown: the file's own text, unchanged, with its structure read by
markdown-it-py (CommonMark, with tables), whose tokens carry the source lines
they came from. Headings, paragraphs, list items, code blocks and table rows
become blocks over the text; a block's span leaves out the markers around it
(the `#` of a heading, a list item's bullet, a code fence's lines), so a
heading is quoted as its words and a code block as its code."""

from __future__ import annotations

import re

from ..text import Span
from .structure import (CODE, DESCRIBED, HEADING, LABEL, LIST_ITEM, PARAGRAPH, TABLE_ROW, TITLED_EXTENSION_DIRECTIVES,
                        Block, Layout, trimmed)

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


# MyST's directives (Sphinx's Markdown): a fence whose info is "{name}" holds
# Markdown prose, not code, when the directive is one of docutils' and
# Sphinx's admonitions, version notes or containers; any other ("{code-block}",
# "{pip-cli}", an extension's own) stays a code block. Of these, the ones whose
# argument is a title ("{tab} Windows", "{admonition} Example") label their
# content.
_PROSE_DIRECTIVES = frozenset({
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning", "seealso",
    "versionadded", "versionchanged", "deprecated", "versionremoved", "admonition", "topic", "sidebar",
    "rubric", "epigraph", "pull-quote", "highlights", "container", "div", "only", "margin",
    "tab", "tab-item", "tab-set", "tabs", "dropdown", "card", "grid", "grid-item", "grid-item-card",
})
_TITLED_DIRECTIVES = TITLED_EXTENSION_DIRECTIVES | {"admonition", "topic", "sidebar"}  # (docutils' own too)
_DIRECTIVE_INFO = re.compile(r"\{([\w-]+)\}[ \t]*(.*)")
_OPTION_LINE = re.compile(r":[\w-]+:.*")  # (matched on a line without its indent)
# MyST's target, a name to link to above a heading: "(wheel-caching)=".
_TARGET = re.compile(r"\([^()\n]{1,200}\)=")


def read_markdown(text: str) -> Layout:
    """The structure of a Markdown text; the text itself is kept as it is."""
    lines = _Lines(text)
    blocks: list[Block] = []
    title = _read_blocks(text, lines, _parser().parse(text), 0, False, blocks)
    blocks.sort(key=lambda b: (b.span.start, b.span.end))
    return Layout(text, tuple(_without_overlaps(blocks)), title=title)


def _read_blocks(text: str, lines: _Lines, tokens, first_line: int, described: bool, blocks: list[Block]) -> str | None:
    """Blocks of `tokens`, parsed from the text's lines from `first_line` on
    (a directive's content is parsed on its own); with the page's title.
    `described`: the blocks go on under a directive's label."""
    title = None
    level = DESCRIBED if described else 0
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
            span = lines.content_span(first_line + token.map[0], first_line + token.map[1] - 1, token.content)
            if span is None:
                continue
            if tokens[position - 1].type == "heading_open":
                blocks.append(Block(HEADING, span, heading_level))
                words = plain_inline(token)
                if words and title is None and heading_level == 1 and not first_line:
                    title = words  # a page's name; a README that opens at "## Install" has none
            elif not _TARGET.fullmatch(token.content.strip()):
                blocks.append(Block(LIST_ITEM if in_item else PARAGRAPH, span, level))
        elif kind in ("fence", "code_block") and token.map:
            first, last = first_line + token.map[0], first_line + token.map[1] - 1
            if kind == "fence":
                directive = _DIRECTIVE_INFO.fullmatch(token.info.strip())
                if directive and directive.group(1) in _PROSE_DIRECTIVES:
                    _read_directive(text, lines, first, last, directive, described, blocks)
                    continue
                first += 1
                if last >= first and _FENCE_LINE.match(text, *lines.line(last)):
                    last -= 1
            if last >= first:
                span = trimmed(text, lines.line(first)[0], lines.line(last)[1])
                if span is not None:
                    blocks.append(Block(CODE, span, level))
        elif kind == "tr_open" and token.map:
            span = trimmed(text, *lines.line(first_line + token.map[0]))
            if span is not None:
                blocks.append(Block(TABLE_ROW, span, level))
    return title


def _read_directive(text: str, lines: _Lines, first: int, last: int, directive: re.Match, described: bool,
                    blocks: list[Block]) -> None:
    """A MyST directive's fence, lines first..last: its title a label over
    its content, which is Markdown read in place (its option lines, ":class:
    tip", left out)."""
    name, argument = directive.group(1), directive.group(2).strip()
    labelled = bool(argument) and name in _TITLED_DIRECTIVES
    if labelled:
        fence_line = lines.line(first)
        at = text.rfind(argument, *fence_line)
        if at >= 0:
            blocks.append(Block(HEADING, Span(at, at + len(argument)), LABEL))
    inner_first = first + 1
    inner_last = last - 1 if last > first and _FENCE_LINE.match(text, *lines.line(last)) else last
    while inner_first <= inner_last and _OPTION_LINE.fullmatch(text[slice(*lines.line(inner_first))].strip()):
        inner_first += 1
    if inner_first > inner_last:
        return
    content = text[lines.line(inner_first)[0] : lines.line(inner_last)[1]]
    _read_blocks(text, lines, _parser().parse(content), inner_first, labelled or described, blocks)


def _without_overlaps(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    for block in blocks:
        if kept and block.span.start < kept[-1].span.end:
            continue
        kept.append(block)
    return kept

