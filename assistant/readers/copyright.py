"""Debian's machine-readable copyright files (DEP-5, the `copyright` file
every package installs in /usr/share/doc/PACKAGE): stanzas of fields.

The text is the file itself. Each field is a table row ("License: curl",
"Copyright: 1997-2022, Daniel Stenberg, et al.", a value going on over
indented lines), so a stanza's rows are one unit: the licence beside the
copyright it goes with, under the stanza's first row, "Files: *", which as
a table's first row names what the others are about and is no answer of
its own. A stanza of a licence alone heads the licence's text by its name
("License: GPL-2+"), its paragraphs parted by the format's " ." lines. The
title is the upstream name the header gives."""

from __future__ import annotations

import re

from .structure import HEADING, PARAGRAPH, TABLE_ROW, Block, Layout, trimmed

# The header's first field, naming the format: "Format:
# https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/".
_FORMAT = re.compile(r"(?:Format|Format-Specification):[ \t]*\S*copyright-format\b", re.IGNORECASE)
_FIELD = re.compile(r"([A-Za-z][\w-]*):(?=[ \t]|$)")
_PARAGRAPH_BREAK = re.compile(r"[ \t]+\.[ \t]*")  # a value's empty line, written " ."


def is_debian_copyright(text: str) -> bool:
    return bool(_FORMAT.match(text.lstrip("\ufeff")))


def read_debian_copyright(text: str) -> Layout:
    blocks: list[Block] = []
    title = None
    for number, stanza in enumerate(_stanzas(text)):
        table = 1 + number % 2  # (a stanza's rows are a table of their own)
        fields = _fields(text, stanza)
        names = [name.lower() for name, _, _ in fields]
        for name, start, end in fields:
            key = name.lower()
            if key == "upstream-name" and title is None:
                title = " ".join(text[text.index(":", start) + 1 : end].split()) or None
            first_line_end = text.find("\n", start, end)
            first_line_end = end if first_line_end < 0 else first_line_end
            if key == "license" and "files" not in names:
                # A licence's text: its name heads its paragraphs.
                blocks.append(Block(HEADING, trimmed(text, start, first_line_end), 1))
                blocks += _paragraphs(text, first_line_end, end)
            elif key in ("license", "comment", "disclaimer") and first_line_end < end:
                # A value of several paragraphs: its first line a row, the rest prose.
                blocks.append(Block(TABLE_ROW, trimmed(text, start, first_line_end), table))
                blocks += _paragraphs(text, first_line_end, end)
            else:
                blocks.append(Block(TABLE_ROW, trimmed(text, start, end), table))
    # Without an upstream name the file is titled by what it is: its first
    # heading, a licence's name, is not its title.
    return Layout(text, tuple(b for b in blocks if b.span is not None), title=title or "Copyright")


def _stanzas(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of lines between blank lines."""
    stanzas = []
    for match in re.finditer(r"(?:^[^\n]*\S[^\n]*(?:\n|$))+", text, re.MULTILINE):
        stanzas.append((match.start(), match.end()))
    return stanzas


def _fields(text: str, stanza: tuple[int, int]) -> list[tuple[str, int, int]]:
    """(name, start, end) of each field of a stanza: a line at the margin
    opening "Name:", with the indented lines that go on with its value."""
    fields: list[tuple[str, int, int]] = []
    start, end = stanza
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        field = _FIELD.match(text, line_start, start + line.end())
        if field and not text[line_start].isspace():
            fields.append((field.group(1), line_start, start + line.end()))
        elif fields and not text.startswith("#", line_start):
            name, field_start, _ = fields[-1]
            fields[-1] = (name, field_start, start + line.end())
    return fields


def _paragraphs(text: str, start: int, end: int) -> list[Block]:
    """A value's lines after its first, as paragraphs parted by " ." lines."""
    blocks, paragraph_start = [], start
    for line in re.finditer(r"[^\n]*", text[start:end]):
        line_start, line_end = start + line.start(), start + line.end()
        if _PARAGRAPH_BREAK.fullmatch(text, line_start, line_end):
            blocks.append(Block(PARAGRAPH, trimmed(text, paragraph_start, line_start)))
            paragraph_start = line_end
    blocks.append(Block(PARAGRAPH, trimmed(text, paragraph_start, end)))
    return [b for b in blocks if b.span is not None]
