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
_RST_ROLE = re.compile(r":[\w.+-]+(?::[\w.+-]+)?:`([^`\n]{1,200})`")
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
