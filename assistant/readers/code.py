"""Source code and configuration (a Sphinx `conf.py`, a Graphviz graph, a
`setup.cfg`): the file's own text, each run of lines between blank lines a
code block. Code is quoted whole and only for questions asking how, never cut
into sentences or read as prose: a comment's "We have a single source of
truth for our version number" is the program's, not the documentation's."""

from __future__ import annotations

from .structure import CODE, Block, Layout, trimmed


def read_code(text: str) -> Layout:
    """The text as it is, its blocks the runs of non-blank lines."""
    blocks: list[Block] = []
    start = None  # where the current run of non-blank lines starts
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            if start is None:
                start = offset
        elif start is not None:
            _add(blocks, text, start, offset)
            start = None
        offset += len(line)
    if start is not None:
        _add(blocks, text, start, len(text))
    return Layout(text, tuple(blocks))


def _add(blocks: list[Block], text: str, start: int, end: int) -> None:
    span = trimmed(text, start, end)
    if span is not None:
        blocks.append(Block(CODE, span))
