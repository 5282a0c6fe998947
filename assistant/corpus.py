"""Reading documents: finding files, decoding them, cutting paragraphs and
sentences, and telling the article's own text from its title, date line,
byline and the web page's furniture."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import CorpusError
from .text import Span, paragraph_spans, sentence_spans

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

# Paragraph roles. Only "body" paragraphs are searched for ordinary answers.
BODY, HEADER, FURNITURE = "body", "header", "furniture"


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, as cited
    span: Span
    role: str = BODY


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the corpus root, or the article's name
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: Span | None = None
    date: Span | None = None
    byline: Span | None = None
    encoding: str = "utf-8"
    name: str | None = None  # a title given from outside the text (a SQuAD article's)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title.of(self.text)
        return self.name or self.source

    @cached_property
    def sentences(self) -> tuple[tuple[Span, ...], ...]:
        """Sentence spans of each paragraph, in paragraph order."""
        return tuple(self.sentences_in(p.number) for p in self.paragraphs)

    def sentences_in(self, number: int) -> tuple[Span, ...]:
        """Sentence spans of paragraph `number` (1-based), cut on first use: a
        question reads a few paragraphs of a long document, not all of them."""
        spans = self._cut_paragraphs.get(number)
        if spans is None:
            spans = self._cut_paragraphs[number] = tuple(sentence_spans(self.text, self.paragraphs[number - 1].span))
        return spans

    @cached_property
    def _cut_paragraphs(self) -> dict[int, tuple[Span, ...]]:
        return {}

    def paragraph_at(self, offset: int) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.span.start <= offset < max(paragraph.span.end, paragraph.span.start + 1):
                return paragraph
        raise ValueError(f"offset {offset} is in no paragraph of {self.source}")

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    source: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Corpus:
    root: str
    documents: tuple[Document, ...]
    warnings: tuple[str, ...] = field(default=())

    @cached_property
    def paragraph_count(self) -> int:
        return sum(len(d.paragraphs) for d in self.documents)


# --- finding and decoding files -------------------------------------------------


def discover(path: str | os.PathLike) -> list[CorpusFile]:
    """The text files of a corpus: the file itself, or every .txt/.md file below a
    folder (hidden files and folders left out), in a stable order."""
    root = Path(path).expanduser()
    if not root.exists():
        raise CorpusError(f"corpus not found: {path}")
    if root.is_file():
        stat = root.stat()
        return [CorpusFile(root, root.name, stat.st_size, stat.st_mtime_ns)]
    if not root.is_dir():
        raise CorpusError(f"corpus is neither a file nor a folder: {path}")
    found = []
    for folder, dirs, files in os.walk(root, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            file_path = Path(folder) / name
            try:
                stat = file_path.stat()
            except OSError:
                continue
            source = file_path.relative_to(root).as_posix()
            found.append(CorpusFile(file_path, source, stat.st_size, stat.st_mtime_ns))
    if not found:
        raise CorpusError(f"no .txt or .md documents in {path}")
    return found


class UnreadableFile(Exception):
    """A file that is binary or cannot be read; skipped with a warning."""


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name. UTF-8 first, then cp1252, then latin-1 (which
    never fails); UTF-16 when a byte-order mark says so. Line ends become "\\n",
    as Python's own text files do, so offsets match `open(path).read()`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:  # cut short, or binary that happens to start like a BOM
            raise UnreadableFile("not valid UTF-16") from error
    else:
        if b"\x00" in data[:8192]:
            raise UnreadableFile("binary file")
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if sample and controls / len(sample) > 0.05:
        raise UnreadableFile("binary file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_file(file: CorpusFile) -> Document:
    try:
        data = file.path.read_bytes()
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from error
    text, encoding = decode(data)
    document = make_document(file.source, text, encoding)
    if not document.paragraphs:  # nothing but white space (or a byte-order mark)
        raise UnreadableFile("empty file")
    return document


def load_corpus(path: str | os.PathLike) -> Corpus:
    """Every readable document of a corpus; unreadable ones become warnings."""
    documents, warnings = [], []
    for file in discover(path):
        try:
            documents.append(read_file(file))
        except UnreadableFile as error:
            warnings.append(f"skipped {file.source}: {error}")
    if not documents:
        raise CorpusError(f"no readable documents in {path}")
    return Corpus(str(path), tuple(documents), tuple(warnings))


# --- what a document's paragraphs are ----------------------------------------------

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?"
_DATE_LINE = re.compile(
    rf"^(?:(?:Published|Updated|Posted|Date)\s*:?\s*(?:on\s+)?)?(?:{_WEEKDAY}\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:[\s,|\-–]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:By|Written by|Author:)\s+(.+)$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|bin|al|da)){1,3}$")
_HEADING = re.compile(r"^#{1,6}\s+\S")

# Web-page furniture: what a reader of the page skips. The strong ones also
# mark where the page's footer begins.
_FOOTER_MARKS = re.compile(
    r"\[email[\s\u00a0]*protected\]|editorial policy|all rights reserved|©|lost password|"
    r"newsletter|subscribe to|sign up for",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^(?:home|menu|search|share|tweet|print|log ?in|sign (?:in|up)|register|advertisement|"
    r"read more|related(?: articles| posts)?|follow us.*|join us\b.*|cookies?.*|skip to content)\W*$",
    re.IGNORECASE,
)


def _normal(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("’", "'").replace("‘", "'")).strip().lower()


def make_document(source: str, text: str, encoding: str = "utf-8") -> Document:
    """A document with its paragraphs numbered and given roles, and the title,
    date line and byline found where the text has them."""
    spans = paragraph_spans(text)
    header_count = _header_length(text, spans)
    lines = [
        (i, line)
        for i in range(header_count)
        for line in sentence_spans(text, spans[i])
    ]
    title = date = byline = None
    breadcrumbs: set[int] = set()
    line_texts = [_normal(s.of(text)) for _, s in lines]
    for position, (i, line) in enumerate(lines):
        raw = line.of(text)
        stripped = raw.lstrip("# ").strip()
        if date is None and _DATE_LINE.match(stripped):
            date = line
            continue
        if any(
            other != line_texts[position] and line_texts[position].endswith(other) and len(other) > 10
            for other in line_texts
        ):
            breadcrumbs.add(position)  # "HomeOpinionTitle" repeats a later title
            continue
        by = _BYLINE.match(stripped)
        if by and byline is None:
            byline = Span(line.end - len(by.group(1)), line.end)
            continue
        if title is None and (_HEADING.match(raw) or len(stripped.split()) >= 2) and not _FURNITURE.match(stripped):
            title = Span(line.end - len(stripped), line.end) if stripped != raw else line
            continue
        if title is not None and byline is None and _NAME_LINE.match(stripped):
            byline = line
    if title is None and not header_count:
        title = None
    footer = _footer_start(text, spans)
    paragraphs = []
    for i, span in enumerate(spans):
        if i < header_count:
            role = HEADER
        elif i >= footer or _FURNITURE.match(span.of(text)):
            role = FURNITURE
        else:
            role = BODY
        paragraphs.append(Paragraph(i + 1, span, role))
    if all(p.role != BODY for p in paragraphs):
        paragraphs = [Paragraph(p.number, p.span, BODY) for p in paragraphs]
    return Document(source, text, tuple(paragraphs), title, date, byline, encoding)


def document_from_paragraphs(source: str, name: str, paragraphs: list[str]) -> Document:
    """A document whose paragraphs are given (a SQuAD article): joined by blank
    lines, every one of them body text, numbered in the order given."""
    text, spans = "", []
    for number, paragraph in enumerate(paragraphs):
        if number:
            text += "\n\n"
        spans.append(Paragraph(number + 1, Span(len(text), len(text) + len(paragraph)), BODY))
        text += paragraph
    return Document(source, text, tuple(spans), name=name)


def _header_length(text: str, spans: list[Span]) -> int:
    """How many leading paragraphs are the page's header: short lines with no
    sentence punctuation (title, date, byline, breadcrumbs), before the first
    paragraph of prose. A text that starts with prose has no header."""
    count = 0
    for span in spans[:8]:
        block = span.of(text)
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if all(len(line) <= 120 and not re.search(r"[.!?]['\"”’)]*$", line) or _DATE_LINE.match(line) for line in lines):
            count += 1
        else:
            break
    if count == len(spans):
        return 0  # nothing but short lines: a list, not a header
    return count


def _footer_start(text: str, spans: list[Span]) -> int:
    """Index of the first paragraph of the page footer: the first paragraph past
    the middle of the document that carries a strong furniture mark."""
    for i, span in enumerate(spans):
        if i >= len(spans) // 2 and _FOOTER_MARKS.search(span.of(text)):
            return i
    return len(spans)
