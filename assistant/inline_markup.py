"""A quote from a Markdown or reStructuredText document as a reader sees it
on a rendered page: roles, emphasis marks, backticks, link targets and code
fences left out ("Uses :class:`~email.header.Header`'s folding" reads "Uses
Header's folding"). For display only: the JSON, /copy and /save keep the
quote as the file has it, and its offsets index the file."""

from __future__ import annotations

import re

MARKDOWN, RST = "markdown", "rst"

# reST: :role:`~module.Name` shows "Name"; :role:`!text` or :role:`text` "text";
# :role:`title <target>` "title"; ``literal``; `text <url>`_; *emphasis*, **strong**.
_ROLE_NAME = r":[\w.+-]+(?::[\w.+-]+)?:"  # reST's ":ref:", ":py:func:"
_RST_ROLE = re.compile(_ROLE_NAME + r"`([^`\n]{1,200})`")
_RST_LINK = re.compile(r"`([^`<\n]{1,200}?)\s*<[^>\n]{1,300}>`__?")
_RST_LITERAL = re.compile(r"``([^`\n]{1,200})``")
_RST_REFERENCE = re.compile(r"`([^`\n]{1,200})`_{1,2}")
_RST_INTERPRETED = re.compile(r"`([^`\n]{1,200})`")  # the default role: its text
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*)(?=\S)([^*\n]{1,200}?)(?<=\S)\1(?![\w*])")
# Markdown: [text](url), ![alt](src), `code`, **strong**, __strong__, *em*, _em_.
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,300}\)")
_MD_REFERENCE_LINK = re.compile(r"!?\[([^\]\n]{1,200})\]\[[^\]\n]{0,100}\]")
_MD_CODE = re.compile(r"`([^`\n]{1,200})`")
_MD_UNDERSCORES = re.compile(r"(?<![\w_])(__|_)(?=\S)([^_\n]{1,200}?)(?<=\S)\1(?![\w_])")
# A code fence's own line ("```mjs", "~~~"), inside a quote that runs from the
# sentence introducing a code block into the block.
_MD_FENCE_LINE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[^`\n]*(?:\n|$)", re.MULTILINE)


def _role_text(match: re.Match) -> str:
    inner = match.group(1)
    titled = re.match(r"(.*?)\s*<[^>]*>$", inner)
    if titled:
        return titled.group(1)
    inner = inner.lstrip("!")
    if inner.startswith("~"):
        return inner[1:].rsplit(".", 1)[-1]
    return inner


def shown(quote: str, markup: str | None) -> str:
    """The quote with its inline markup rendered; unchanged for plain text."""
    if markup == RST:
        quote = _RST_ROLE.sub(_role_text, quote)
        quote = _RST_LINK.sub(r"\1", quote)
        quote = _RST_LITERAL.sub(r"\1", quote)
        quote = _RST_REFERENCE.sub(r"\1", quote)
        quote = _RST_INTERPRETED.sub(r"\1", quote)
        return _EMPHASIS.sub(r"\2", quote)
    if markup == MARKDOWN:
        quote = _MD_FENCE_LINE.sub("", quote)
        quote = _MD_LINK.sub(r"\1", quote)
        quote = _MD_REFERENCE_LINK.sub(r"\1", quote)
        quote = _MD_CODE.sub(r"\1", quote)
        quote = _EMPHASIS.sub(r"\2", quote)
        return _MD_UNDERSCORES.sub(r"\2", quote)
    return quote


_CODE_MARKS = re.compile(r"`+")
_ROLE_BEFORE = re.compile(_ROLE_NAME + "$")
_LINK_MARK_AFTER = re.compile(r"_{0,2}")


def over_whole_code(text: str, start: int, end: int, within_start: int, within_end: int) -> tuple[int, int]:
    """text[start:end] widened over any code span it cuts (`` `pip install` ``
    opened and closed by the same run of backticks, looked for in
    text[within_start:within_end]), with a reST role before it and a link's
    underscores after it, so that it never holds half a mark: "pip install`
    reference" is "`pip install` reference", which `shown` renders "pip
    install reference"."""
    if text.find("`", start, end) < 0:
        return start, end
    wide_start, wide_end = start, end
    opened = None
    for run in _CODE_MARKS.finditer(text, within_start, within_end):
        if opened is None:
            opened = run
            continue
        if len(run.group()) != len(opened.group()):
            continue
        a, b = opened.start(), run.end()
        if a < wide_start < b:
            wide_start = a
        if a < wide_end < b:
            wide_end = b
        opened = None
    if wide_start < start:
        role = _ROLE_BEFORE.search(text, max(within_start, wide_start - 40), wide_start)
        wide_start = role.start() if role else wide_start
    if wide_end > end:
        wide_end += len(_LINK_MARK_AFTER.match(text, wide_end, within_end).group())
    return wide_start, wide_end
