"""Source code and configuration (a Sphinx `conf.py`, a Graphviz graph, a
`setup.cfg`): the file's own text, each run of lines between blank lines a
code block. Code is quoted whole, never cut into sentences or read as prose
(it shows how to do a thing, or on one line where a thing is): a comment's
"We have a single source of truth for our version number" is the program's,
not the documentation's."""

from __future__ import annotations

from ..text import blank_line_blocks
from .structure import CODE, Block, Layout


def read_code(text: str) -> Layout:
    """The text as it is, its blocks the runs of non-blank lines."""
    return Layout(text, tuple(Block(CODE, span) for span in blank_line_blocks(text)))
