"""`assistant verify`: every quote of a saved answer checked against the
documents as they are now. A saved answer is what `ask --json` / `chat
--json` printed (JSON Lines), an `eval --report` file, or the Markdown that
`/save` wrote. Each quote is found again at its offsets ("ok"), elsewhere in
a changed document ("moved", with the new offsets), or not at all
("changed"); a document that is gone or unreadable is "missing". The SHA-256
of the document's text, saved with the answer, tells a document edited
elsewhere from one left as it was."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .corpus import Document, UnreadableFile, read_path
from .errors import AssistantError
from .safe_text import visible

OK, MOVED, CHANGED, MISSING = "ok", "moved", "changed", "missing"

# "> — [2] Title, § Section, p. 3, ¶12, line 40  [file.txt], characters 4250–4461, text sha256 0123abcd…"
_MARKDOWN_CITATION = re.compile(r"^> — \[(\d+)\] (.*), characters (\d+)–(\d+)(?:, text sha256 ([0-9a-f]+))?\s*$")
_SOURCE_IN_BRACKETS = re.compile(r"  \[([^\]]+)\]$")
_WHERE = re.compile(r", (?:§ |p\. \d|¶\d)")


class VerifyError(AssistantError):
    """The saved answer cannot be read."""


@dataclass(frozen=True)
class SavedQuote:
    number: int
    source: str
    start: int
    end: int
    quote: str  # as saved (Markdown: shown safely, the short answer in bold)
    checksum: str | None  # the document text's SHA-256 then (Markdown: its first 16 hex digits)
    verbatim: bool  # JSON keeps quotes verbatim; Markdown shows them


@dataclass(frozen=True)
class Verdict:
    quote: SavedQuote
    status: str
    document_changed: bool | None = None  # None: no hash was saved to tell
    found_at: tuple[int, int] | None = None  # where a moved quote is now


def saved_quotes(path: Path) -> list[SavedQuote]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from error
    stripped = content.lstrip()
    if stripped.startswith("{"):
        return _from_json(content, path)
    quotes = _from_markdown(content)
    if not quotes:
        raise VerifyError(f"{path} holds no saved answer (JSON from --json or --report, or Markdown from /save)")
    return quotes


def _from_json(content: str, path: Path) -> list[SavedQuote]:
    try:
        objects = [json.loads(content)]
    except json.JSONDecodeError:
        try:
            objects = [json.loads(line) for line in content.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise VerifyError(f"{path} is not JSON ({error.msg}, line {error.lineno})") from error
    quotes: list[SavedQuote] = []
    for answer in _answers(objects):
        for number, excerpt in enumerate(answer.get("excerpts") or (), 1):
            try:
                quotes.append(SavedQuote(number, str(excerpt["source"]), int(excerpt["start"]), int(excerpt["end"]),
                                         str(excerpt["quote"]), excerpt.get("document_sha256"), True))
            except (KeyError, TypeError, ValueError) as error:
                raise VerifyError(f"{path}: an excerpt without its quote, source or offsets ({error})") from error
    if not quotes:
        raise VerifyError(f"{path} holds no quotes")
    return quotes


def _answers(objects):
    """Every answer object in what was saved: one a line, or inside an
    evaluation report's results."""
    for data in objects:
        if isinstance(data, dict) and "excerpts" in data:
            yield data
        elif isinstance(data, dict) and isinstance(data.get("results"), list):
            for result in data["results"]:
                answer = result.get("answer") if isinstance(result, dict) else None
                if isinstance(answer, dict):
                    yield answer


def _from_markdown(content: str) -> list[SavedQuote]:
    quotes: list[SavedQuote] = []
    block: list[str] = []
    for line in content.splitlines():
        citation = _MARKDOWN_CITATION.match(line)
        if citation:
            number, where, start, end, checksum = citation.groups()
            bracketed = _SOURCE_IN_BRACKETS.search(where)
            source = bracketed.group(1) if bracketed else _WHERE.split(where, 1)[0]
            text = "\n".join(part[2:] if part.startswith("> ") else part[1:] for part in block).rstrip("> \n")
            quotes.append(SavedQuote(int(number), source, int(start), int(end), text, checksum, False))
            block = []
        elif line.startswith(">"):
            block.append(line)
        else:
            block = []
    return quotes


def verify(quotes: list[SavedQuote], root: Path) -> list[Verdict]:
    documents: dict[str, Document | None] = {}
    verdicts = []
    for quote in quotes:
        if quote.source not in documents:
            documents[quote.source] = _read(root, quote.source)
        document = documents[quote.source]
        verdicts.append(_verdict(quote, document))
    return verdicts


def _read(root: Path, source: str) -> Document | None:
    path = root if root.is_file() and root.name == source else root / source
    try:
        return read_path(path, source)
    except (OSError, UnreadableFile):
        return None


def _verdict(quote: SavedQuote, document: Document | None) -> Verdict:
    if document is None:
        return Verdict(quote, MISSING)
    changed = None if not quote.checksum else not document.checksum.startswith(quote.checksum)
    if _same(document.text[quote.start:quote.end], quote):
        return Verdict(quote, OK, changed)
    found = _find(document.text, quote)
    if found is not None:
        return Verdict(quote, MOVED, True if changed is None else changed, found)
    return Verdict(quote, CHANGED, True if changed is None else changed)


def _comparable(text: str) -> str:
    # Markdown shows a quote safely, lines prefixed, the short answer in bold.
    return " ".join(visible(text).replace("**", "").split())


def _same(text: str, quote: SavedQuote) -> bool:
    if quote.verbatim:
        return text == quote.quote
    return _comparable(text) == _comparable(quote.quote) and bool(text)


def _find(text: str, quote: SavedQuote) -> tuple[int, int] | None:
    if quote.verbatim:
        at = text.find(quote.quote) if quote.quote else -1
        return (at, at + len(quote.quote)) if at >= 0 else None
    words = _comparable(quote.quote).split()
    if not words:
        return None
    # The quote's words in order, with any white space between them.
    match = re.search(r"\s+".join(re.escape(word) for word in words), text)
    return match.span() if match else None


def describe(verdict: Verdict) -> str:
    quote = verdict.quote
    where = f"{quote.source}, characters {quote.start}–{quote.end}"
    if verdict.status == OK:
        note = "" if verdict.document_changed is not True else " (the document changed elsewhere)"
        return f"[{quote.number}] ok: {where}{note}"
    if verdict.status == MOVED:
        start, end = verdict.found_at
        return f"[{quote.number}] moved: {where} is now at characters {start}–{end}"
    if verdict.status == CHANGED:
        return f"[{quote.number}] changed: {where} no longer holds the quote"
    return f"[{quote.number}] missing: {quote.source} is gone or cannot be read"
