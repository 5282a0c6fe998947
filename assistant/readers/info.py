"""GNU Info manuals (`/usr/share/info/*.info.gz`, as makeinfo writes them
from Texinfo): plain text cut into nodes, each opened by a line that names it
and its neighbours ("File: grep.info,  Node: Invoking,  Next: ...") and closed
by a menu of the nodes under it, with tables only the Info reader uses (the
tag table, the indirect table of a manual split over several files, the
index's marker). The text is the nodes' own text, as the file writes it;
what only navigates (the node lines, the menus, the index, the directory
entry, the tables) is left out, as a web page's menus are. The rest is read as
plain text, its headings nested as Texinfo's underlines set them: `*` a
chapter, `=` a section, `-` a subsection, `.` a subsubsection."""

from __future__ import annotations

import re
from dataclasses import replace

from .plain import read_plain, underline_mark
from .structure import HEADING, Block, Layout, UnreadableDocument

# What makeinfo (or texi2any, its successor) writes as a manual's first line.
SIGNATURE = re.compile(rb"This is [^\n]{1,200}, produced by (?:makeinfo|texi2any)\b")
_SIGNATURE_TEXT = re.compile(r"This is [^\n]{1,200}, produced by (?:makeinfo|texi2any)\b[^\n]*")
_NODE_SEPARATOR = "\x1f"
_NODE_LINE = re.compile(r"\n?File: [^\n]*\bNode: ([^,\n]*)[^\n]*\n")
# An index node's mark ("^@^H[index^@^H]"), and any other character below 32
# that is not white space.
_INDEX_MARK = "\x00\x08[index\x00\x08]"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MENU = re.compile(r"^\* Menu:", re.MULTILINE)
_FOOTNOTES_RULE = re.compile(r"^[ \t]*-{5,} Footnotes -{5,}[ \t]*$", re.MULTILINE)
_UNDERLINE_LEVELS = {"*": 1, "=": 2, "-": 3, ".": 4}


def is_info(data: bytes) -> bool:
    """Whether a file's bytes are an Info manual, by its first line."""
    return SIGNATURE.match(data, 0, 300) is not None


def read_info(text: str) -> Layout:
    """The nodes' text of an Info manual (its bytes decoded), laid out."""
    pieces: list[str] = []
    title = None
    chunks = text.split(_NODE_SEPARATOR)
    has_nodes = any(_NODE_LINE.match(chunk) for chunk in chunks[1:])
    for position, chunk in enumerate(chunks):
        if position == 0:
            if has_nodes:
                continue  # the file's preamble: the Top node says it again
            signed = _SIGNATURE_TEXT.match(chunk)  # (a line naming the file and makeinfo: nothing to quote)
            body = chunk[signed.end():] if signed else chunk
            body = _without_directory_entry(body)
        else:
            node = _NODE_LINE.match(chunk)
            if node is None or _INDEX_MARK in chunk:
                continue  # a table for the Info reader, or the index
            body = chunk[node.end():]
            if node.group(1).strip() == "Top" and title is None:
                title = _first_heading(body)
        menu = _MENU.search(body)
        if menu is not None:
            body = body[: menu.start()]  # a node's menu closes it
        body = _FOOTNOTES_RULE.sub("", _CONTROL.sub("", body)).strip("\n")
        if body.strip():
            pieces.append(body)
    if not pieces:
        raise UnreadableDocument("Info file holding only its index")  # a split manual's last part
    laid_out = read_plain("\n\n".join(pieces))
    return Layout(laid_out.text, tuple(_leveled(laid_out.text, block) for block in laid_out.blocks), title=title)


def _leveled(text: str, block: Block) -> Block:
    """A heading at the depth its underline's mark gives, in Texinfo's order."""
    if block.kind != HEADING:
        return block
    next_line = text[block.span.end + 1 : block.span.end + 200].split("\n", 1)[0]
    level = _UNDERLINE_LEVELS.get(underline_mark(next_line) or "")
    return block if level is None else replace(block, level=level)


def _first_heading(body: str) -> str | None:
    """The Top node's title: its first line underlined ("grep⏎****")."""
    lines = body.split("\n")
    return next((" ".join(line.split()) for line, under in zip(lines, lines[1:])
                 if line.strip() and underline_mark(under) in _UNDERLINE_LEVELS), None)


def _without_directory_entry(preamble: str) -> str:
    """The preamble without the entry the manual gives the Info directory
    ("INFO-DIR-SECTION Basics", "* Finding files: (find).  ...")."""
    kept, inside = [], False
    for line in preamble.split("\n"):
        if line.startswith("INFO-DIR-SECTION "):
            continue
        if line.rstrip() in ("START-INFO-DIR-ENTRY", "END-INFO-DIR-ENTRY"):
            inside = line.startswith("START")
            continue
        if not inside:
            kept.append(line)
    return "\n".join(kept)
