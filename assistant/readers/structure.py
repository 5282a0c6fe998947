"""What every reader returns: one text, and a map of its structure over it.

A reader turns a file's bytes into a `Layout`: the text the assistant indexes
and quotes (for plain text, Markdown and reStructuredText the decoded file
itself; for HTML, PDF and Word the text extracted from it), and the blocks of
that text — headings, paragraphs, list items, code blocks, table rows — as
spans over it, with the pages a PDF's text came from. Nothing above the
readers knows which format a document came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text import Span, strip_span

HEADING, PARAGRAPH, LIST_ITEM, CODE, TABLE_ROW = "heading", "paragraph", "list_item", "code", "table_row"
# How a table row's cells are joined into its one block, by every reader (the
# answerer keeps a short answer within one cell by it).
CELL_SEPARATOR = " | "
# A definition list's term on its first line, the first paragraph of its
# definition after it ("Parser" over "Takes a sequence of bytes..."): the
# term opens the first sentence, since a term says nothing on its own.
DEFINITION = "definition"
# A block's level when it is not a heading but goes on describing the term of
# the definition block before it (a second paragraph, a list, an example in an
# HTML <dd>): the term is its heading.
DESCRIBED = -1
# A label's level: a heading over the blocks of one directive only ("Windows"
# over the commands of a `.. tab:: Windows`, the title of an admonition),
# which the directive's blocks follow at the level DESCRIBED; the first block
# after the directive is no longer under it.
LABEL = 98
# Directives of Sphinx's extensions whose argument is the title of their
# content (sphinx-tabs' and sphinx-design's tabs and cards), as reST and MyST
# Markdown write them alike: the title is a LABEL.
TITLED_EXTENSION_DIRECTIVES = frozenset({"tab", "tab-item", "dropdown", "card", "grid-item-card"})
BLOCK_KINDS = (HEADING, PARAGRAPH, LIST_ITEM, CODE, TABLE_ROW, DEFINITION)


def trimmed(text: str, start: int, end: int) -> Span | None:
    """The span of `text[start:end]` without white space at its ends; None
    when nothing is left."""
    span = strip_span(text, start, end)
    return span if len(span) else None


class UnreadableDocument(Exception):
    """A file a reader cannot read (broken, encrypted, binary, too large once
    unpacked); the corpus skips it with this one-line reason."""


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    span: Span  # over Layout.text, without surrounding white space
    # A heading's depth: 1 for the document's top heading; DESCRIBED below a
    # term. A table row's tells tables apart: rows one after another of one
    # level are one table (0 from most readers; 1 and 2 by turns from one
    # whose tables follow one another, as a Debian copyright file's stanzas).
    level: int = 0


@dataclass(frozen=True)
class Layout:
    text: str
    blocks: tuple[Block, ...]  # in text order, not overlapping
    title: str | None = None  # from the document's metadata, on one line
    date: str | None = None
    author: str | None = None
    page_starts: tuple[int, ...] = ()  # a PDF: the offset in text where each page begins
    encoding: str = "utf-8"


class Joiner:
    """The text of a reader that makes its own: blocks, and other readers'
    layouts (an EPUB's pages, a message's body), one after another, parted
    by blank lines, each block its span over the whole."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self.blocks: list[Block] = []
        self._offset = 0

    def _parted(self) -> None:
        if self._pieces:
            self._pieces.append("\n\n")
            self._offset += 2

    def add(self, kind: str, text: str, level: int = 0) -> None:
        self._parted()
        self._pieces.append(text)
        self.blocks.append(Block(kind, Span(self._offset, self._offset + len(text)), level))
        self._offset += len(text)

    def add_layout(self, layout: Layout) -> None:
        """Another layout's text from its first block to its last, its blocks with it."""
        if not layout.blocks:
            return
        self._parted()
        start, end = layout.blocks[0].span.start, layout.blocks[-1].span.end
        self._pieces.append(layout.text[start:end])
        shift = self._offset - start
        self.blocks.extend(Block(b.kind, Span(b.span.start + shift, b.span.end + shift), b.level) for b in layout.blocks)
        self._offset += end - start

    def text(self) -> str:
        return "".join(self._pieces)


def joined_blocks(blocks: Iterable[tuple[str, str, int]]) -> tuple[str, tuple[Block, ...]]:
    """The text of a reader that makes its own, from (kind, text, level)
    blocks: their texts parted by blank lines, each block its span over it."""
    joiner = Joiner()
    for kind, text, level in blocks:
        joiner.add(kind, text, level)
    return joiner.text(), tuple(joiner.blocks)


def code_joined(drafts: Iterable[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """A word processor's (kind, level, text) paragraphs with each run of
    code paragraphs made one code block, line under line: a listing is
    quoted whole or not at all."""
    joined: list[tuple[str, int, str]] = []
    for kind, level, text in drafts:
        if kind == CODE and joined and joined[-1][0] == CODE:
            joined[-1] = (CODE, 0, joined[-1][2] + "\n" + text)
        else:
            joined.append((kind, level, text))
    return joined
