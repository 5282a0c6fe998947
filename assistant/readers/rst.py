"""reStructuredText: the file's own text, unchanged, with its structure read
by docutils. Section titles, paragraphs, list items, literal and code blocks
and table rows become blocks over the text.

docutils gives each node the raw source it came from but no character
offsets, and its line numbers point at different lines for different nodes;
so each block is found in the text by its first and last raw line, searching
forward from the block before it (the doctree is in text order).

Sphinx's directives and roles (`.. versionadded::`, `:keyword:`) are unknown
to plain docutils, which would turn each into an error message and lose the
prose inside: every such name found in the text is registered first, a role
as plain inline text and a directive as a container of ordinary body text."""

from __future__ import annotations

import re

from ..text import Span, strip_span
from .structure import (CODE, DEFINITION, DESCRIBED, HEADING, LABEL, LIST_ITEM, PARAGRAPH, TABLE_ROW,
                        TITLED_EXTENSION_DIRECTIVES, Block, Layout)

_ROLE = re.compile(r"(?<![\w`]):([a-zA-Z][\w+.-]*(?::[\w+.-]+)?):`")
_DIRECTIVE = re.compile(r"^[ \t]*\.\.[ \t]+([a-zA-Z][\w+.:-]*)::", re.MULTILINE)
_LABELLED = "assistant-labelled"
_CODE_DIRECTIVES = ("code-block", "sourcecode", "highlight", "doctest", "testcode", "testoutput")
_SETTINGS = {
    "report_level": 5,  # say nothing: a document's own markup errors are not ours to show
    "halt_level": 5,
    "warning_stream": False,
    "file_insertion_enabled": False,  # never read another file a document names
    "raw_enabled": False,
    "input_encoding": "unicode",
    "syntax_highlight": "none",
}


class _AnyOption(dict):
    """Accepts every option a directive is given, keeping its value as text."""

    def __contains__(self, key) -> bool:
        return True

    def __getitem__(self, key):
        from docutils.parsers.rst import directives

        return directives.unchanged


def _register_unknown_names(text: str) -> None:
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives, roles
    from docutils.parsers.rst.directives.body import CodeBlock

    class Container(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = _AnyOption()

        def run(self):
            node = nodes.container("\n".join(self.content))
            if self.arguments and self.name in TITLED_EXTENSION_DIRECTIVES and self.content:
                # "Windows" over the commands of `.. tab:: Windows`: a label of its content.
                node += nodes.rubric(self.arguments[0], self.arguments[0])
                node["classes"].append(_LABELLED)
            elif self.arguments and _reads_as_prose(self.arguments[0]):
                # "3.2 The thing was added." when no blank line follows the
                # marker; not a parameter ("cache", 'cache "py -m pip"' of
                # `.. pip-command-usage::`, the "3.2" of a version).
                node += nodes.paragraph(self.arguments[0], self.arguments[0])
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    for name in set(_DIRECTIVE.findall(text)):
        if name in _CODE_DIRECTIVES:
            directives.register_directive(name, CodeBlock)
        elif directives._directives.get(name) is None and name not in directives._directive_registry:
            directives.register_directive(name, Container)
    for name in set(_ROLE.findall(text)):
        if name not in roles._roles and name not in roles._role_registry:
            roles.register_generic_role(name, nodes.inline)


def read_rst(text: str) -> Layout:
    """The structure of a reStructuredText; the text itself is kept as it is."""
    from docutils import nodes
    from docutils.core import publish_doctree

    _register_unknown_names(text)
    try:
        tree = publish_doctree(text, settings_overrides=_SETTINGS)
    except Exception:  # noqa: BLE001 - docutils gave up on the markup: read it as plain text
        from .plain import read_plain

        return read_plain(text)
    finder = _Finder(text)
    blocks: list[Block] = []
    title = None
    term = None  # the last term read: its definition list item, and its block's place
    for node in tree.findall(lambda n: isinstance(n, (nodes.title, nodes.rubric, nodes.paragraph, nodes.literal_block,
                                                        nodes.doctest_block, nodes.row, nodes.term))):
        if _inside(node, (nodes.system_message, nodes.comment, nodes.substitution_definition, nodes.row)) \
                and not isinstance(node, nodes.row):
            continue
        if isinstance(node, nodes.row):
            cells = [p for p in node.findall(nodes.paragraph)]
            spans = [finder.find(p.rawsource) for p in cells]
            spans = [s for s in spans if s is not None]
            if spans:
                row = finder.whole_lines(spans[0].start, spans[-1].end)
                blocks.append(Block(TABLE_ROW, row))
            continue
        span = finder.find(node.rawsource or node.astext())
        if span is None:
            continue
        labelled = _in_labelled(node)
        if isinstance(node, nodes.title):
            level = _depth(node)
            blocks.append(Block(HEADING, span, level))
            if title is None:
                title = " ".join(node.astext().split())
        elif isinstance(node, nodes.rubric):
            # A label heads its directive's content only; a `.. rubric::` (an
            # informal heading) what follows it in its section.
            blocks.append(Block(HEADING, span, LABEL if _LABELLED in node.parent["classes"] else _depth(node) + 1))
        elif isinstance(node, (nodes.literal_block, nodes.doctest_block)):
            blocks.append(Block(CODE, span, DESCRIBED if labelled else 0))
        elif isinstance(node, nodes.term):
            blocks.append(Block(PARAGRAPH, span))
            term = (node.parent, len(blocks) - 1)
        elif term is not None and isinstance(node.parent, nodes.definition) and node.parent.parent is term[0] \
                and node.parent.index(node) == 0 and term[1] == len(blocks) - 1:
            # A definition list's term ("Parser") with the first paragraph of
            # its definition, one block: a term says nothing on its own.
            blocks[-1] = Block(DEFINITION, Span(blocks[-1].span.start, span.end))
        elif _inside(node, (nodes.list_item,)):
            blocks.append(Block(LIST_ITEM, span, DESCRIBED if labelled else 0))
        else:
            blocks.append(Block(PARAGRAPH, span, DESCRIBED if labelled else 0))
    blocks.sort(key=lambda b: (b.span.start, b.span.end))
    kept: list[Block] = []
    for block in blocks:
        if not kept or block.span.start >= kept[-1].span.end:
            kept.append(block)
    return Layout(text, tuple(kept), title=title)


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _inside(node, kinds) -> bool:
    return any(isinstance(parent, kinds) for parent in _ancestors(node))


def _reads_as_prose(argument: str) -> bool:
    """Whether a directive's argument is a sentence, not a parameter: it ends
    as a sentence does, or runs to six words or more."""
    return argument.rstrip().endswith((".", "!", "?", ":")) or len(argument.split()) >= 6


def _in_labelled(node) -> bool:
    """Whether a node is the content of a labelled directive (not its label)."""
    from docutils import nodes

    return any(isinstance(parent, nodes.container) and _LABELLED in parent["classes"] for parent in _ancestors(node))


def _depth(title) -> int:
    """1 for the document's title; a section's title one deeper than the
    section holding it (and than the document's title, when it has one)."""
    from docutils import nodes

    if isinstance(title.parent, nodes.document):
        return 1
    document = title.document
    depth = 1 if document is not None and any(isinstance(c, nodes.title) for c in document.children) else 0
    parent = title.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            depth += 1
        parent = parent.parent
    return depth


class _Finder:
    """Finds raw source lines in the text, each search starting where the last
    block found began (a title's overline may sit before it)."""

    def __init__(self, text: str):
        self.text = text
        self.cursor = 0

    def find(self, raw: str) -> Span | None:
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        if not lines:
            return None
        head = self.text.find(lines[0], self.cursor)
        if head < 0:
            return None
        tail = head
        for line in lines[1:]:
            found = self.text.find(line, tail)
            if found < 0:
                return None
            tail = found
        end = tail + len(lines[-1]) if len(lines) > 1 else head + len(lines[0])
        self.cursor = head + 1
        return Span(head, end)

    def whole_lines(self, start: int, end: int) -> Span:
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        return strip_span(self.text, line_start, line_end)
