"""Reading documents: finding files, picking the reader for each (plain text,
Markdown, reStructuredText, HTML, PDF, Word, gzip-compressed text), and
turning what it read into paragraphs with roles: the article's own text, its
title, date line and byline, the web page's furniture, and the headings that
name the sections below them."""

from __future__ import annotations

import bisect
import hashlib
import importlib
import os
import re
import stat
import zlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .errors import CorpusError
from .inline_markup import MARKDOWN, RST, shown
from .readers.structure import (CODE, DEFINITION, DESCRIBED, HEADING, LABEL, LIST_ITEM, PARAGRAPH, TABLE_ROW, Block,
                               Layout, UnreadableDocument, trimmed)
from .readers.copyright import is_debian_copyright
from .readers.info import is_info, read_info
from .readers.mail import is_mail
from .readers.man import is_man, read_man
from .readers.plain import hanging_term
from .text import Span, sentence_spans

# Paragraph roles. Only "body" paragraphs are searched for ordinary answers; a
# heading is never an answer on its own, but its words belong to the
# paragraphs of its section.
BODY, HEADER, FURNITURE, HEADING_ROLE = "body", "header", "furniture", "heading"
# How files are read into paragraphs: part of a saved index's key, so that
# an index read another way is never reused. 2: readers per format, headings;
# 3: a table's first row counted with its rows; 4: a FAQ's questions are headings;
# 5: a definition list's term is one block with its definition; 6: a clause's run-in
# heading opens its first sentence; 7: a command-line option or command set as a heading
# is a term opening the paragraph after it; 8: a definition's later paragraphs are under its term;
# 9: so is an option on a paragraph of its own; 10: a clause's title run in before its
# text ("4. Redistribution. You may...") is a heading of its own, the section cited;
# 11: a PDF's line in capitals in the body's type ("10. FUTURE REVISIONS") is a heading;
# 12: plain text's headings nest by indentation ("Note" inside "1.4.7. ..."); 13: an
# HTML table of contents is navigation however much of its page it fills; 14: a table's
# caption on a line of its own is a heading over the table; 15: also one naming a file
# ("... /boot/grub/grub.cfg"). (The reader libraries' versions are part of the key
# too: library.index_settings.)
# 16: a caption before any section opens heads only its table. 17: a note's,
# tip's or warning's label is no sentence, its box no table (HTML). 18:
# PostScript is skipped, not read as text. 19: MyST directives read as Markdown,
# a tab's or admonition's title a LABEL heading. 20: a reST directive's parameter
# is no paragraph. 21: an article's "Read more: ..." lines left out. 22: source
# code and configuration read as code. 23: a Markdown or reST file of headings alone
# quotes none of them. 24: PDF paragraphs set in as TeX sets them, chapter/section
# running headers, footnote numbers, contents and index pages; Sphinx's
# "NAME.rst.txt" sources read as reST. 25: a footer is among the last 40
# paragraphs; lines repeating the document's headings are its contents. 26: GNU
# Info manuals; plain text's terms with their descriptions hanging under them. 27:
# manual pages (troff, the man macros) set as text. 28: OpenDocument text (.odt).
# 29: Rich Text Format (.rtf). 30: Word 97-2003 (.doc). 31: presentations
# (.pptx, .odp), a slide a page. 32: e-mail (.eml, mailboxes), MIME decoded. 33:
# .csv and .tsv records as table rows. 34: spreadsheets (.xlsx, .ods), a row a table row.
# 35: a man page's own strings (.ds) set; help2man's .HP term over an untagged .IP.
# 36: plain text's outline headings ("* INTRODUCTION", "** Bug fixes"); a line with
# a web address or a commit's hash is no heading; an Emacs mode line is no title;
# a one-word first heading that is the file's name is its title.
# 37: Debian copyright files (DEP-5): a stanza's fields a table of their own.
READING_VERSION = 37
# Words written with a capital, one after another: "Mozilla Public License".
_CAPITALISED_RUN = re.compile(r"(?<![\w’'-])(?:[A-Z][\w’'-]*(?:\s+|$)){3,}")
MAX_HEADER_LINES = 40
# A title's initials are read from its first characters only: no name is longer.
MAX_TITLE_CHARS = 200
# A list no longer than this, with the sentence that introduces it, is quoted
# whole ("pip works on: • Windows • Linux • macOS"); a longer one item by item.
# So is a definition's entry (its term and the first block of what it says:
# "Dialect.delimiter⏎A one-character string used to separate fields. It
# defaults to ','."), and each later paragraph of what it says ("The
# compresslevel argument is an integer from 0 to 9... 0 is no compression.
# The default is 9."), as a reference page's reader takes them in; a longer
# one is cut into sentences (an entry's after its term's line).
WHOLE_UNIT_CHARS = 400


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, as cited
    span: Span
    role: str = BODY
    kind: str = PARAGRAPH  # what the reader saw: paragraph, heading, list_item, code, table_row, definition
    level: int = 0  # a heading's depth
    section: tuple[int, ...] = ()  # numbers of the headings above it, outermost first
    parts: tuple[Span, ...] = ()  # the blocks it joins: a list's items (and its introduction), a table's rows


def _term_end(text: str, span: Span) -> int:
    """Where a definition block's term ends: after the lines its indented
    description hangs from, or else its first line."""
    hanging = hanging_term(text, span)
    if hanging is not None:
        return hanging[0]
    line_end = text.find("\n", span.start, span.end)
    return line_end if line_end >= 0 else span.end


def _read_whole(paragraph: Paragraph) -> bool:
    """Whether a paragraph is one unit when short: a list, a definition's
    entry, a later paragraph of what a definition says."""
    return paragraph.kind in (LIST_ITEM, DEFINITION) or (paragraph.kind == PARAGRAPH and paragraph.level == DESCRIBED)


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the corpus root, or the article's name
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: Span | None = None
    date: Span | None = None
    byline: Span | None = None
    encoding: str = "utf-8"
    name: str | None = None  # a title given from outside the text (a SQuAD article's, a web page's)
    page_starts: tuple[int, ...] = ()  # a PDF: where each page's text begins
    markup: str | None = None  # "markdown" or "rst": inline markup the console may render in a quote

    @property
    def display_title(self) -> str:
        """The title on one line ("GNU GENERAL PUBLIC LICENSE Version 3, 29
        June 2007"), whatever line breaks it has in the text, its inline
        markup rendered ("`pip inspect` JSON output" reads "pip inspect JSON
        output")."""
        if self.title:
            return heading_words(self.title.of(self.text), self.markup)
        return self.name or self.source

    @cached_property
    def aliases(self) -> str:
        """Other names the document goes by, as words: its file's name ("GPL-3",
        "Apache-2.0", "zstd-README") and the initials of its title's runs of
        capitalised words ("Mozilla Public License" is "MPL", "GNU General
        Public License" "GPL"), as people name a licence or a manual."""
        return aliases_of(self.source, self.display_title)

    @cached_property
    def checksum(self) -> str:
        """SHA-256 of the text, in hex: tells whether a quote's document changed."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    def page_of(self, offset: int) -> int | None:
        """The 1-based page of a PDF's text that `offset` is on."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def section_of(self, number: int) -> str | None:
        """The heading path above paragraph `number`: "5. Termination › 5.1"."""
        headings = self.paragraphs[number - 1].section
        if not headings:
            return None
        return " › ".join(heading_words(self._heading_line(h), self.markup) for h in headings)

    def heading_text(self, number: int) -> str:
        """The words of the headings above paragraph `number`, and of a
        table's first row (its columns' names), for search."""
        paragraph = self.paragraphs[number - 1]
        headings = [self._heading_line(h) for h in paragraph.section]
        if paragraph.kind == TABLE_ROW and len(paragraph.parts) > 1:
            headings.append(paragraph.parts[0].of(self.text))
        return " ".join(headings)

    def _heading_line(self, number: int) -> str:
        """A heading's text; a definition block's term, when its description
        goes on below it."""
        return self.term(number) or self.paragraphs[number - 1].span.of(self.text)

    def term(self, number: int) -> str | None:
        """The term a definition paragraph defines: its first line, or the
        lines its indented description hangs from ("‘-c’⏎‘--count’")."""
        paragraph = self.paragraphs[number - 1]
        if paragraph.kind != DEFINITION:
            return None
        return self.text[paragraph.span.start : _term_end(self.text, paragraph.span)]

    @cached_property
    def sentences(self) -> tuple[tuple[Span, ...], ...]:
        """Sentence spans of each paragraph, in paragraph order."""
        return tuple(self.sentences_in(p.number) for p in self.paragraphs)

    def sentences_in(self, number: int) -> tuple[Span, ...]:
        """Sentence spans of paragraph `number` (1-based), cut on first use: a
        question reads a few paragraphs of a long document, not all of them.
        Code is one unit, never cut; so is a short list with the sentence
        introducing it, a short definition's entry and each short later
        paragraph of it; a longer list or a table is cut item by item."""
        spans = self._cut_paragraphs.get(number)
        if spans is None:
            spans = self._cut_paragraphs[number] = tuple(self._units_of(self.paragraphs[number - 1]))
        return spans

    def _units_of(self, paragraph: Paragraph) -> list[Span]:
        if paragraph.kind == CODE or (_read_whole(paragraph) and len(paragraph.span) <= WHOLE_UNIT_CHARS):
            return [paragraph.span]
        if paragraph.kind == TABLE_ROW:
            # A table's first row names its columns: never an answer on its own.
            return list(paragraph.parts[1:] if len(paragraph.parts) > 1 else paragraph.parts)
        if paragraph.parts:
            return [s for part in paragraph.parts for s in sentence_spans(self.text, part)]
        spans = sentence_spans(self.text, paragraph.span)
        if len(spans) > 1 and paragraph.kind == DEFINITION:
            # A term's lines are not a sentence: they open the first.
            term_end = _term_end(self.text, paragraph.span)
            opening = next((i for i, s in enumerate(spans) if s.start >= term_end), len(spans) - 1)
            spans[: opening + 1] = [Span(spans[0].start, spans[opening].end)]
        elif len(spans) > 1 and _RUN_IN_HEADING.fullmatch(spans[0].of(self.text)):
            # A clause's run-in heading ("3. Grant of Patent License. Subject
            # to...") is not a sentence either.
            spans[:2] = [Span(spans[0].start, spans[1].end)]
        return spans

    @cached_property
    def _cut_paragraphs(self) -> dict[int, tuple[Span, ...]]:
        return {}

    def writes_name(self, name: str) -> bool:
        """Whether the body or headings (what is searched: no page furniture)
        write `name` anywhere, as a word of its own, in any case. Read from
        the text, not an index's postings, so that a sharded index decides
        alike; remembered, as a name comes back question after question."""
        found = self._names_written.get(name)
        if found is None:
            found = self._names_written[name] = self._find_name(name)
        return found

    def _find_name(self, name: str) -> bool:
        # Most often written nowhere: a plain search of the lowered text says
        # so at once (a pattern with look-arounds walks every character);
        # else the pattern starts where the name is first written.
        lowered = self._lowered_text
        first = lowered.find(name.lower())
        if first < 0:
            return False
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        start = first if len(lowered) == len(self.text) else 0  # (lowering may lengthen a letter)
        return any(self._searched_at(found.start()) for found in pattern.finditer(self.text, start))

    def _searched_at(self, offset: int) -> bool:
        at = bisect.bisect_right(self.paragraphs, offset, key=lambda p: p.span.start) - 1
        return at >= 0 and offset < self.paragraphs[at].span.end and self.paragraphs[at].role in (BODY, HEADING_ROLE)

    @cached_property
    def _names_written(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _lowered_text(self) -> str:
        return self.text.lower()  # (made once, not for each name looked for)

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


# --- how much may be read -------------------------------------------------------

# Indexing takes about 7 bytes of memory per byte of text (measured: 50 MB of
# text in 100 files, 0.37 GB at the peak, 6.7 s; 100 MB in one file, 0.56 GB).
# 1 GB in all is then about 7 GB and two minutes' work, and holds the largest
# corpus the benchmark measures (1,000,000 passages, 0.78 GB); no document worth
# quoting is a 100 MB text (a long book is 2 to 5 MB): past that it is a log or
# a dump named .txt.
DEFAULT_MAX_FILE_SIZE = 100 * 1024**2
DEFAULT_MAX_CORPUS_SIZE = 1024**3
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """How much of a corpus is read: the largest file, and all files together
    (bytes on disk, files taken in order while they fit)."""

    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_corpus_size: int = DEFAULT_MAX_CORPUS_SIZE


def parse_size(text: str) -> int:
    """Bytes from "500K", "50MB", "1.5G", "2GiB" or "4096" (K, M, G, T are
    powers of 1024); ValueError with a one-line reason otherwise."""
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a size (bytes, or with K, M, G: 500K, 50M, 2G)")
    size = int(float(match.group(1)) * _UNITS[(match.group(2) or "").lower()])
    if size < 1:
        raise ValueError(f"'{text}' is not a size of at least one byte")
    return size


def format_size(size: int) -> str:
    """"100 MB", "1.5 GB", "512 bytes" (powers of 1024, as parse_size reads them)."""
    for unit, label in ((1024**4, "TB"), (1024**3, "GB"), (1024**2, "MB"), (1024, "KB")):
        if size >= unit:
            return f"{size / unit:.1f}".removesuffix(".0") + f" {label}"
    return f"{size} bytes"


def within_limits(files: list[CorpusFile], limits: Limits) -> tuple[list[CorpusFile], list[str]]:
    """The files the limits let be read, and one warning for each kind left
    out: files larger than the file limit, and files that no longer fit in
    the corpus limit (later smaller files still may)."""
    kept, too_large, no_room, total = [], [], [], 0
    for file in files:
        if file.size > limits.max_file_size:
            too_large.append(file.source)
        elif total + file.size > limits.max_corpus_size:
            no_room.append(file.source)
        else:
            kept.append(file)
            total += file.size
    warnings = []
    if too_large:
        warnings.append(_skipped(too_large, f"larger than {format_size(limits.max_file_size)} (--max-file-size)"))
    if no_room:
        warnings.append(_skipped(no_room, f"past the {format_size(limits.max_corpus_size)} corpus limit (--max-corpus-size)"))
    return kept, warnings


def _skipped(sources: list[str], why: str) -> str:
    """"skipped 2 files larger than 100 MB (--max-file-size): a.txt, b.txt"."""
    return f"skipped {len(sources)} file{'s' if len(sources) > 1 else ''} {why}: {_first_names(sources)}"


def _first_names(sources: list[str], shown: int = 3) -> str:
    """The first few names and how many more: "a.txt, b.txt, c.txt and 4 more"."""
    return ", ".join(sources[:shown]) + (f" and {len(sources) - shown} more" if len(sources) > shown else "")


_GROUPED = re.compile(r"skipped (\d+) files? (?:that (?:is|are) not (?:a )?documents?: (.*) \(|(larger than .*?|past the .*?) \()")
_ONE = re.compile(r"skipped [^\n]+?: (.+)$")


def skipped_summary(warnings: list[str]) -> str | None:
    """The files left out, counted by reason, for a start line or /sources:
    "skipped 4 files: 2 images, 1 encrypted PDF, 1 binary file"."""
    counts: dict[str, int] = {}
    for warning in warnings:
        grouped = _GROUPED.match(warning)
        if grouped and grouped.group(2):
            for part in grouped.group(2).split(", "):
                number, _, kind = part.partition(" ")
                counts[kind] = counts.get(kind, 0) + int(number)
        elif grouped:
            kind = f"files {grouped.group(3)}"
            counts[kind] = counts.get(kind, 0) + int(grouped.group(1))
        elif (one := _ONE.match(warning)) and warning.startswith("skipped "):
            counts[one.group(1)] = counts.get(one.group(1), 0) + 1
    if not counts:
        return None
    total = sum(counts.values())
    return f"skipped {total} file{'s' if total > 1 else ''}: " + ", ".join(
        f"{n} {_plural(kind) if n > 1 else kind}" for kind, n in counts.items())


# A reason a file is skipped, said of several: "2 empty files", "3 encrypted PDFs".
_COUNTED_NOUN = re.compile(r"\b(file|PDF|page|document)(?=$|\s+with(?:out)?\b)")


def _plural(reason: str) -> str:
    return _COUNTED_NOUN.sub(lambda m: m.group(1) + "s", reason)


# --- finding and decoding files -------------------------------------------------


def discover(path: str | os.PathLike) -> list[CorpusFile]:
    """The files of a corpus: the file itself, or every regular file below a
    folder (hidden files and folders left out), in a stable order. Which of
    them are documents is `sort_out`'s to say, and their readers'."""
    root = Path(path).expanduser()
    if not root.exists():
        raise CorpusError(f"corpus not found: {path}")
    if root.is_file():
        status = root.stat()
        return [CorpusFile(root, root.name, status.st_size, status.st_mtime_ns)]
    if not root.is_dir():
        raise CorpusError(f"corpus is neither a file nor a folder: {path}")
    found = []
    # Folders linked into the corpus are read too (Debian's documentation links
    # its "docs" folder), each real folder once, so a link loop ends.
    seen = {os.path.realpath(root)}
    for folder, dirs, files in os.walk(root, onerror=None, followlinks=True):
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            real = os.path.realpath(os.path.join(folder, name))
            if real not in seen:
                seen.add(real)
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            file_path = Path(folder) / name
            try:
                status = file_path.stat()
            except OSError:
                continue
            if not stat.S_ISREG(status.st_mode):
                continue  # a FIFO or device named .txt would block or never end
            source = file_path.relative_to(root).as_posix()
            found.append(CorpusFile(file_path, source, status.st_size, status.st_mtime_ns))
    if not found:
        raise CorpusError(f"no files in {path}")
    return found


# What a file's name says it is when it is no document (singular, plural):
# counted by kind when skipped, and never read (a folder of photos is not
# read to be told so).
_NOT_DOCUMENTS = {
    ("image", "images"): "png jpg jpeg gif bmp tif tiff webp ico svg heic psd xcf",
    ("audio or video file", "audio or video files"): "mp3 wav flac ogg oga m4a aac opus mp4 m4v mkv avi mov webm "
                                                    "wmv mpg mpeg",
    ("archive", "archives"): "zip tar tgz tbz2 txz bz2 xz 7z rar zst lz4 lzma jar war deb rpm apk iso dmg cab",
    ("program or library", "programs or libraries"): "exe dll so o a lib obj pyc pyo pyd class bin dylib wasm elc",
    ("font", "fonts"): "ttf otf woff woff2 eot pfb",
    # JSON is data for programs: read as text, its quotes would be '"textRaw": "...",'.
    ("data file", "data files"): "sqlite sqlite3 db mdb parquet npy npz pkl pickle h5 hdf5 dat json jsonl ndjson "
                                 "geojson",
    ("web page resource", "web page resources"): "css js mjs map",
    ("file in a format not read", "files in formats not read"): "xls ppt",
}
_KIND_OF_SUFFIX = {suffix: kind for kind, suffixes in _NOT_DOCUMENTS.items() for suffix in suffixes.split()}


def kind_of_non_document(name: str) -> tuple[str, str] | None:
    """("image", "images"), ("archive", "archives")... for a file whose name
    says it is no document; None for any other."""
    lower = name.lower()
    if lower.endswith((".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst")):
        return ("archive", "archives")
    name = lower.rsplit("/", 1)[-1]
    if name.endswith(".gz"):
        name = name[:-3]  # "all.json.gz" is data, as "all.json" is; "NEWS.gz" may be text
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    return _KIND_OF_SUFFIX.get(suffix)


def sort_out(files: list[CorpusFile]) -> tuple[list[CorpusFile], list[str]]:
    """The files that may be documents, and one warning counting those that
    are not, by kind: "skipped 5 files that are not documents: 3 images,
    2 archives (a.png, b.png, c.jpg and 2 more)"."""
    kept: list[CorpusFile] = []
    skipped: dict[tuple[str, str], list[str]] = {}
    for file in files:
        kind = kind_of_non_document(file.source)
        if kind is None:
            kept.append(file)
        else:
            skipped.setdefault(kind, []).append(file.source)
    if not skipped:
        return kept, []
    names = [source for sources in skipped.values() for source in sources]
    kinds = ", ".join(f"{len(sources)} {kind[0] if len(sources) == 1 else kind[1]}" for kind, sources in skipped.items())
    noun = "file that is not a document" if len(names) == 1 else "files that are not documents"
    return kept, [f"skipped {len(names)} {noun}: {kinds} ({_first_names(names)})"]


class UnreadableFile(Exception):
    """A file that is binary or cannot be read; skipped with a warning."""


class UnsettledFile(UnreadableFile):
    """A file that changed or vanished while it was read: skipped with a
    warning this time, read again the next time."""


# Characters below 32 that are not white space ("\t\n\v\f\r"): a text with many is binary.
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20)])


def decode(data: bytes, nul_allowed: bool = False) -> tuple[str, str]:
    """Text and encoding name. UTF-8 first, then cp1252, then latin-1 (which
    never fails); UTF-16 when a byte-order mark says so. Line ends become "\\n",
    as Python's own text files do, so offsets match `open(path).read()`.
    A NUL byte makes a file binary unless `nul_allowed` (a format that marks
    with them, as Info marks its index)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:  # cut short, or binary that happens to start like a BOM
            raise UnreadableFile("not valid UTF-16") from error
    else:
        if not nul_allowed and b"\x00" in data[:8192]:
            raise UnreadableFile("binary file")
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    sample = text[:8192]
    # Control characters other than white space, counted as bytes of the
    # sample's UTF-8 (every byte below 32 there is the character itself):
    # one C pass, not a Python loop over 8,192 characters.
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > 0.05:
        raise UnreadableFile("binary file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_file(file: CorpusFile, max_size: int | None = None) -> Document:
    return read_stable(file, max_size)[0]


def read_path(path: Path, source: str | None = None, max_size: int | None = None) -> Document:
    """One file, outside any corpus, as its document (named `source`, its
    file name by default); OSError when it cannot be found or opened."""
    status = path.stat()
    return read_file(CorpusFile(path, source or path.name, status.st_size, status.st_mtime_ns), max_size)


def read_stable(file: CorpusFile, max_size: int | None = None) -> tuple[Document, CorpusFile]:
    """The document, and the file as it was read: the size and modification
    time of the bytes read, not of an earlier look at the file."""
    data, as_read = read_bytes_stable(file, max_size)
    document = document_from_bytes(file.source, data, max_size)
    if not document.paragraphs:
        # Nothing but white space (or a byte-order mark); or only markup
        # ("..  include:: README.rst", an HTML page of scripts).
        raise UnreadableFile("empty file" if not document.text.strip("\ufeff \t\n\r\f\v") else "file without text")
    return document, as_read


# --- picking the reader ------------------------------------------------------------

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
RST_SUFFIXES = (".rst", ".rest")
OPENDOCUMENT_SUFFIXES = (".odt", ".ott", ".fodt", ".odp", ".otp", ".fodp", ".ods", ".ots", ".fods")
DELIMITED_SUFFIXES = (".csv", ".tsv")
# Source code and configuration: read as code (`readers/code.py`), not as prose.
CODE_SUFFIXES = (".py", ".pyw", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".java", ".kt", ".go", ".rs", ".rb",
                 ".pl", ".pm", ".php", ".sh", ".bash", ".zsh", ".ps1", ".bat", ".lua", ".swift", ".scala", ".cs",
                 ".sql", ".dot", ".gv", ".cmake", ".toml", ".yaml", ".yml", ".ini", ".cfg")
# Text that is an HTML page whatever its name says (a page saved as .txt).
# A comment ends at its first "-->", as HTML reads it: a lazy ".{0,2000}?-->"
# could also end at any later one, and a run of comments was tried every way
# (exponential: 40 "<!---->" took minutes).
_LOOKS_LIKE_HTML = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--(?:(?!-->).){0,2000}-->\s*)*"
                              r"(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)


# A suffix that names a format read, left out of a document's other names.
_READ_SUFFIX = "(?:" + "|".join(re.escape(s) for s in (
    ".gz", ".txt", ".text", ".pdf", ".docx", ".doc", ".rtf", ".epub", *OPENDOCUMENT_SUFFIXES, ".pptx", ".xlsx", ".eml", ".mbox", *DELIMITED_SUFFIXES, *HTML_SUFFIXES, *MARKDOWN_SUFFIXES, *RST_SUFFIXES)) + ")$"


def document_format(name: str, data: bytes) -> str:
    """"pdf", "docx", "doc", "pptx", "xlsx", "rtf", "epub", "odt" (OpenDocument text, presentation or spreadsheet), "mail", "delimited", "postscript", "info", "man", "html", "markdown", "rst", "code" or "text": by
    what the bytes begin with, then by the name's suffix; anything else is
    read as text if it decodes as text."""
    lower = name.lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"%!"):
        return "postscript"
    if data[:64].lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE2 file: the Word 97-2003 reader says which kind when it is no Word document
    if data.startswith(b"PK\x03\x04"):
        # An EPUB: its "mimetype" file, first and stored as is, or its container in the zip's directory.
        if lower.endswith(".epub") or b"application/epub+zip" in data[:4096] \
                or b"META-INF/container.xml" in data[-65536:]:
            return "epub"
        # OpenDocument: its "mimetype" file likewise, or the name (the reader
        # says so when an .odt holds a spreadsheet).
        if b"application/vnd.oasis.opendocument." in data[:4096] or lower.endswith(OPENDOCUMENT_SUFFIXES):
            return "odt"
        # PowerPoint: its presentation part, named in the zip's directory at its end.
        if lower.endswith(".pptx") or b"ppt/presentation.xml" in data[-65536:]:
            return "pptx"
        if lower.endswith(".xlsx") or b"xl/workbook.xml" in data[-65536:]:
            return "xlsx"
        return "docx"  # a zip: the Word reader says which zip it is when it is none of its
    if lower.endswith((".fodt", ".fodp", ".fods")) or (data[:5] == b"<?xml" and b"application/vnd.oasis.opendocument." in data[:4096]):
        return "odt"  # OpenDocument's flat XML
    if is_info(data):
        return "info"
    if is_man(data):
        return "man"
    if is_mail(data) or lower.endswith((".eml", ".mbox")):
        return "mail"
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    if lower.endswith(".txt") and lower[:-4].endswith((*MARKDOWN_SUFFIXES, *RST_SUFFIXES)):
        lower = lower[:-4]  # a source Sphinx copies beside its pages: "_sources/install.rst.txt"
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if lower.endswith(RST_SUFFIXES):
        return "rst"
    if lower.endswith(CODE_SUFFIXES):
        return "code"
    if lower.endswith(DELIMITED_SUFFIXES):
        return "delimited"
    return "text"


# The readers that take a file's bytes and make its text themselves: its kind ->
# (module of readers/, function), imported on first use (a folder of text never
# loads the PDF or Office libraries).
_BYTES_READERS = {"pdf": ("pdf", "read_pdf"), "docx": ("docx", "read_docx"), "epub": ("epub", "read_epub"),
                  "odt": ("odt", "read_odt"), "rtf": ("rtf", "read_rtf"), "doc": ("doc", "read_doc"),
                  "pptx": ("pptx", "read_pptx"), "xlsx": ("xlsx", "read_xlsx"), "mail": ("mail", "read_mail")}


def document_from_bytes(source: str, data: bytes, max_size: int | None = None) -> Document:
    """The document a file's bytes hold, read by the reader of its format;
    UnreadableFile with a one-line reason when it cannot be read."""
    name = source.rsplit("/", 1)[-1]
    if name.lower().endswith(".gz") or data.startswith(b"\x1f\x8b"):
        data = gunzipped(data, max_size or DEFAULT_MAX_FILE_SIZE)
        name = name[:-3] if name.lower().endswith(".gz") else name
    kind = document_format(name, data)
    if kind == "postscript":
        # A program that draws pages ("%!PS-Adobe-2.0", a manual.ps.gz beside
        # its HTML): it decodes as text, but its words are drawing commands
        # and strings cut at every kerning, nothing to quote.
        raise UnreadableFile("PostScript file")
    try:
        if kind in _BYTES_READERS:
            module, function = _BYTES_READERS[kind]
            read = getattr(importlib.import_module(f".readers.{module}", __package__), function)
            return make_document(source, layout=read(data), headed=False)
        if kind == "html":
            return _html_document(source, data)
        if kind in ("info", "man"):
            # Text the reader sets anew (an Info index's NUL marks taken out).
            text, encoding = decode(data, nul_allowed=kind == "info")
            layout = (read_info if kind == "info" else read_man)(text)
            return make_document(source, layout=replace(layout, encoding=encoding), headed=False)
        text, encoding = decode(data)
        if _LOOKS_LIKE_HTML.match(text[:4096]):
            return _html_document(source, data)
        if kind == "markdown":
            from .readers.markdown import read_markdown

            return make_document(source, text, encoding, read_markdown(text), markup=MARKDOWN)
        if kind == "delimited":
            from .readers.delimited import read_delimited

            layout = read_delimited(text, tab_separated=name.lower().endswith(".tsv"))
            return make_document(source, layout=replace(layout, encoding=encoding), headed=False)
        if kind == "rst":
            from .readers.rst import read_rst

            return make_document(source, text, encoding, read_rst(text), headed=False, markup=RST)
        if kind == "text" and is_debian_copyright(text):
            from .readers.copyright import read_debian_copyright

            layout = read_debian_copyright(text)
            return make_document(source, layout=replace(layout, encoding=encoding), headed=False)
        if kind == "code":
            from .readers.code import read_code

            return make_document(source, text, encoding, read_code(text), headed=False)
        return make_document(source, text, encoding)
    except UnreadableDocument as error:
        raise UnreadableFile(str(error)) from error
    except ImportError as error:  # a reader's library missing or broken: that file is skipped, not the run
        raise UnreadableFile(f"cannot read {kind.upper()} here ({error.msg.splitlines()[0]})") from error


def _html_document(source: str, data: bytes) -> Document:
    from .readers.html import read_html

    # A document keeps the page's title (its name), not the date and author
    # its metadata gives: they are not searched for.
    return make_document(source, layout=read_html(data, title_only=True), headed=False)


def gunzipped(data: bytes, max_size: int) -> bytes:
    """A gzip file's contents, at most `max_size` bytes of them: a file that
    unpacks to more (a gzip bomb) is refused, as is a truncated one."""
    parts: list[bytes] = []
    size = 0
    try:
        while data:  # a .gz file may hold several members, one after another
            unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            part = unpacker.decompress(data, max_size + 1 - size)
            size += len(part)
            if size > max_size or unpacker.unconsumed_tail:
                raise UnreadableFile(f"unpacks to more than {format_size(max_size)}")
            if not unpacker.eof:
                raise UnreadableFile("truncated .gz file")
            parts.append(part)
            data = unpacker.unused_data.lstrip(b"\x00")
    except zlib.error as error:
        raise UnreadableFile("broken .gz file") from error
    return b"".join(parts)


def read_bytes_stable(file: CorpusFile, max_size: int | None = None) -> tuple[bytes, CorpusFile]:
    """The file's bytes, read while it held still: its size and modification
    time the same before and after the read, and still linked where it was
    found. A file edited meanwhile is read once more; edited again, or
    removed, it raises UnsettledFile. Larger than max_size: UnreadableFile."""
    for _ in range(2):
        try:
            data, before, after = _read_once(file.path, max_size)
        except FileNotFoundError as error:
            raise UnsettledFile("removed while being indexed") from error
        except OSError as error:
            raise UnreadableFile(error.strerror or str(error)) from error
        held_still = before.st_size == after.st_size == len(data) and before.st_mtime_ns == after.st_mtime_ns
        if held_still and after.st_nlink > 0:
            return data, replace(file, size=after.st_size, mtime_ns=after.st_mtime_ns)
    raise UnsettledFile("changed while being read")


def _read_once(path: Path, max_size: int | None) -> tuple[bytes, os.stat_result, os.stat_result]:
    # O_NONBLOCK: a FIFO put in a file's place must not hang the assistant.
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        before = os.fstat(handle.fileno())
        if not stat.S_ISREG(before.st_mode):
            raise UnreadableFile("not a regular file")
        if max_size is not None and before.st_size > max_size:
            raise UnreadableFile(f"larger than {format_size(max_size)}")
        data = handle.read(before.st_size + 1)  # a byte more than it had shows it growing
        return data, before, os.fstat(handle.fileno())


def load_corpus(path: str | os.PathLike, limits: Limits | None = None) -> Corpus:
    """Every readable document of a corpus within the limits; unreadable ones
    and those left out become warnings."""
    limits = limits or Limits()
    documents = []
    files, warnings = sort_out(discover(path))
    if not files:
        raise CorpusError(f"no documents in {path}: {warnings[0]}")
    files, left_out = within_limits(files, limits)
    warnings += left_out
    for file in files:
        try:
            documents.append(read_file(file, limits.max_file_size))
        except UnreadableFile as error:
            warnings.append(f"skipped {file.source}: {error}")
    if not documents:
        raise CorpusError(f"no readable documents in {path}")
    return Corpus(str(path), tuple(documents), tuple(warnings))


# --- what a document's paragraphs are ----------------------------------------------

# A numbered clause's title on the line its text begins, as licences and
# contracts write them: "3. Grant of Patent License.", "(b) Notices.", up to
# six words, each capitalised but for the small ones.
_RUN_IN_HEADING = re.compile(
    r"(?:\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)]|\(?[a-zA-Z]\))\s+"
    r"[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|and|or|the|to|for|in|on|with|a|an|by|from)){0,5}\."
)
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?"
_DATE_LINE = re.compile(
    # (One white-space run around the colon, not "\s*:?\s*": two runs that can
    # share the spaces try every split of them, quadratic in a long run.)
    rf"^(?:(?:Published|Updated|Posted|Date)\s*(?::\s*)?(?:on\s+)?)?(?:{_WEEKDAY}\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:[\s,|\-–]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)
# The name starts where the white space ends ("\s+(.+)" would try every split
# of a long run between them; the same match on a line with no trailing space).
_BYLINE = re.compile(r"^(?:By|Written by|Author:)\s+(\S.*)$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|bin|al|da)){1,3}$")
_HEADING = re.compile(r"^#{1,6}\s+\S")
# A command-line option ("-0, --null", "--show-limits") or a command line
# with options ("find /tmp -name core | xargs rm"), as a whole line.
_COMMAND_TERM = re.compile(r"-{1,2}[A-Za-z0-9?][^\n]{0,80}\Z")
_COMMAND_LINE = re.compile(r"[a-z][\w.+-]{0,40} [^\n]{0,200}\Z")
_OPTION_IN_LINE = re.compile(r" -{1,2}[A-Za-z0-9]")

# Web-page furniture: what a reader of the page skips. The strong ones also
# mark where the page's footer begins.
_FOOTER_MARKS = re.compile(
    r"\[email[\s\u00a0]*protected\]|editorial policy|all rights reserved|©|lost password|"
    r"newsletter|subscribe to|sign up for",
    re.IGNORECASE,
)
# What every match of _FOOTER_MARKS begins with, lowercased: candidates found
# fast (see _footer_start). IGNORECASE also takes "İ" and "ı" for "i" and "ſ"
# for "s", which str.lower() leaves as they are ("İ" becomes two characters).
_FOOTER_MARK_STARTS = ("[email", "editorial policy", "all rights reserved", "©", "lost password", "newsletter",
                       "subscribe to", "sign up for")
_UNFOLDED_MARK_LETTERS = "\u0130\u0131\u017f"  # (looked for with `in`: forty times a character class's speed)
# ("follow us.*\W*$" is written "follow us.*(?:\n\W*)?$", the same lines: the
# ".*" and "\W*" could share a long run of punctuation and try every split.)
_FURNITURE = re.compile(
    r"^(?:(?:home|menu|search|share|tweet|print|log ?in|sign (?:in|up)|register|advertisement|"
    r"read more|related(?: articles| posts)?|skip to content)\W*"
    r"|(?:follow us|join us\b|cookies?).*(?:\n\W*)?)$",
    re.IGNORECASE,
)


# "Table 2.12: The log files for package activities", "Figure 3. Layout",
# "Example 4-1 A minimal configuration": a caption on a line of its own.
_CAPTION = re.compile(
    r"(?:Table|Figure|Fig\.|Example|Listing|Chart|Exhibit)\s+[A-Z]?\d{1,3}(?:[.-]\d{1,3}){0,3}[.:]?"
    r"\s+(?:[^\n.!?]|[.](?=\w)){1,100}")  # (a stop only inside a word: "/boot/grub/grub.cfg")


CAPTION_LEVEL = 99  # deeper than any heading's level (HTML's six, "1.2.3.4.5")

# The line Emacs reads a file's mode from, written beside its title
# ("GNU coreutils NEWS      -*- outline -*-", "HACKING  -*- org -*-"):
# for the editor, not part of the title.
_MODE_LINE = re.compile(r"-\*-[^\n]*?-\*-")  # (the spaces around it are trimmed off the title)


def _without_mode_line(text: str, title: Span | None) -> Span | None:
    """The title without an Emacs mode line at its end or start; None when
    the mode line is all it was."""
    if title is None:
        return None
    mode = _MODE_LINE.search(text, title.start, title.end)
    if mode is None:
        return title
    if not text[mode.end() : title.end].strip():
        return trimmed(text, title.start, mode.start())
    return trimmed(text, mode.end(), title.end) if mode.start() == title.start else title


def _normal(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("’", "'").replace("‘", "'")).strip().lower()


def make_document(source: str, text: str | None = None, encoding: str = "utf-8", layout: Layout | None = None,
                  headed: bool = True, markup: str | None = None) -> Document:
    """A document with its paragraphs numbered and given roles. `layout` is
    what a reader made of the file (plain text's by default); `headed` says to
    look for a news page's title, date line, byline and furniture in the text
    itself, as plain text and Markdown write them (other formats give their
    title as metadata, or as their first heading); `markup`, the inline markup
    its text holds (Markdown's or reST's)."""
    if layout is None:
        from .readers.plain import read_plain

        layout = read_plain(text or "")
    text = layout.text
    units = _units(text, layout.blocks)
    spans = [unit.span for unit in units]
    header_count = _header_length(text, spans) if headed else 0
    title, date, byline = _header_lines(text, spans, header_count)
    title = _without_mode_line(text, title)
    footer = _footer_start(text, spans) if headed else len(spans)
    paragraphs, section = [], []
    entry = None  # the definition block whose description goes on, if any
    for i, unit in enumerate(units):
        if i >= header_count and unit.kind in (PARAGRAPH, HEADING) and _CAPTION.fullmatch(unit.span.of(text)):
            # A table's or figure's caption ("Table 3.4. List of kernel error
            # levels") titles what follows it within its section, as a heading
            # deeper than any, which the next heading closes (not at the top,
            # over every later section, when no section has opened yet).
            unit = replace(unit, kind=HEADING, level=CAPTION_LEVEL)
        if i < header_count:
            role = HEADER
        elif headed and (i >= footer or _FURNITURE.match(unit.span.of(text))):
            role = FURNITURE
        elif unit.kind == HEADING:
            role = HEADING_ROLE
        else:
            role = BODY
        if unit.kind == DEFINITION:
            entry = i + 1
        elif unit.level != DESCRIBED:
            entry = None
        if unit.level != DESCRIBED and unit.kind != HEADING:
            # The directive a label heads has ended ("And then install them:"
            # after the tabs is under the section, not under "Windows").
            section = [s for s in section if s[0] != LABEL]
        # A <dd>'s second paragraph, its example, its "Changed in version 3.8"
        # are under its term as under a heading: "The default is 9." is
        # about "class gzip.GzipFile(..., compresslevel=9, ...)".
        under = (entry,) if unit.level == DESCRIBED and entry is not None else ()
        paragraphs.append(Paragraph(i + 1, unit.span, role, unit.kind, unit.level,
                                    tuple(n for _, n in section) + under, unit.parts))
        if role == HEADING_ROLE:  # the sections below it, until a heading as high or higher
            while section and section[-1][0] >= unit.level:
                section.pop()
            section.append((unit.level, i + 1))
    paragraphs = _without_contents_entries(paragraphs, text, markup)
    if all(p.role != BODY for p in paragraphs):
        # A short note of a few lines is its own text, though it reads as
        # headings; the headings Markdown or reST mark as such are not (a
        # page of a tool's options, all written by directives, is "Usage",
        # "Windows", "Description": nothing a quote could answer with).
        paragraphs = [p if markup is not None and p.kind == HEADING else replace(p, role=BODY) for p in paragraphs]
    if layout.title is not None and title is not None and heading_words(title.of(text), markup) != layout.title:
        # The reader knows the title (a Markdown page's "# Readline"): a header
        # line after it ("> Stability: 2 - Stable") is no title.
        title = next((p.span for p in paragraphs if p.kind == HEADING
                      and heading_words(p.span.of(text), markup) == layout.title), None)
    name = layout.title
    if name is None and not headed:
        first = next((p for p in paragraphs if p.role == HEADING_ROLE), None)
        words = heading_words(first.span.of(text), markup) if first else ""
        # "NAME", "Introduction", "Contents": a one-word first heading is a
        # section's, not the document's, unless it is the file's own name
        # ("Libtasn1" heading libtasn1.pdf).
        name = words if len(words.split()) > 1 or _names_file(words, source) else None
    return Document(source, text, tuple(paragraphs), title, date, byline, layout.encoding if not headed else encoding,
                    name=name if title is None else None, page_starts=layout.page_starts, markup=markup)


def _names_file(words: str, source: str) -> bool:
    """Whether a heading's words are the file's name without its extensions
    ("Libtasn1" for docs/libtasn1.pdf.gz), written in any case."""
    stem = source.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    return bool(words) and words.casefold() == stem.casefold()


def _units(text: str, blocks: tuple[Block, ...]) -> list[Paragraph]:
    """The reader's blocks as paragraphs (numbered later): a run of list
    items is one paragraph, with the sentence ending in a colon that
    introduces it; a run of table rows is one."""
    units: list[Paragraph] = []
    for block in blocks:
        last = units[-1] if units else None
        if block.kind == PARAGRAPH and last is not None and _opens_definition(last, text):
            units[-1] = replace(last, span=Span(last.span.start, block.span.end), kind=DEFINITION, level=0)
        elif block.kind in (LIST_ITEM, TABLE_ROW) and last is not None and last.kind == block.kind \
                and (block.kind == LIST_ITEM or last.level == block.level):
            units[-1] = replace(last, span=Span(last.span.start, block.span.end), parts=(*last.parts, block.span))
        elif (block.kind == LIST_ITEM and last is not None and last.kind == PARAGRAPH and not last.parts
              and last.span.of(text).rstrip().endswith(":")):
            units[-1] = replace(last, span=Span(last.span.start, block.span.end), kind=LIST_ITEM,
                                parts=(last.span, block.span))
        else:
            parts = (block.span,) if block.kind in (LIST_ITEM, TABLE_ROW) else ()
            units.append(Paragraph(0, block.span, BODY, block.kind, block.level, (), parts))
    return units


def _opens_definition(unit: Paragraph, text: str) -> bool:
    """Whether a unit is a term that opens the paragraph after it: a man
    page's option or example set as a heading ("-p, --interactive", "find
    /tmp -print0 | xargs -0 rm"), which is no section, or an option on a
    paragraph of its own ("-num", then "display each line's number"), as a
    word processor's manual sets it."""
    if unit.kind == HEADING:
        return _is_command_term(unit.span.of(text))
    if unit.kind != PARAGRAPH or unit.parts or not text.startswith("-", unit.span.start):
        return False  # (told before the paragraph is copied out: most of a text is such paragraphs)
    line = unit.span.of(text)
    return bool(_COMMAND_TERM.match(line)) and not line.rstrip().endswith(".")


def _is_command_term(line: str) -> bool:
    """Whether a heading's line is an option or a command line with options."""
    return bool(_COMMAND_TERM.match(line) or (_COMMAND_LINE.match(line) and _OPTION_IN_LINE.search(line)))


def _header_lines(text: str, spans: list[Span], header_count: int) -> tuple[Span | None, Span | None, Span | None]:
    """The title, date line and byline among the header's lines."""
    lines = [
        (i, line)
        for i in range(header_count)
        for line in sentence_spans(text, spans[i])
    ]
    title = date = byline = None
    # A header is a few lines (title, date, byline, breadcrumbs); past the first
    # ones it is no header, and comparing every line with every other is quadratic.
    lines = lines[:MAX_HEADER_LINES]
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
            continue  # breadcrumbs: "HomeOpinionTitle" repeats a later title
        by = _BYLINE.match(stripped)
        if by and byline is None:
            byline = Span(line.end - len(by.group(1)), line.end)
            continue
        if title is None and (_HEADING.match(raw) or len(stripped.split()) >= 2) and not _FURNITURE.match(stripped):
            title = Span(line.end - len(stripped), line.end) if stripped != raw else line
            continue
        if title is not None and byline is None and _NAME_LINE.match(stripped):
            byline = line
    return title, date, byline


MIN_CONTENTS_ENTRIES = 3  # list items that repeat the document's headings: a table of contents
MAX_CONTENTS_ENTRY_WORDS = 16
_MORE_THAN_ENTRY_WORDS = re.compile(rf"\s*(?:\S+\s+){{{MAX_CONTENTS_ENTRY_WORDS}}}\S")
_ENTRY_NUMBER = re.compile(r"^[\s*•◦▪‣+-]*(?:(?:\d{1,3}|[A-Z])(?:\.\d{1,3})*\.?\s+)?")


def _without_contents_entries(paragraphs: list[Paragraph], text: str, markup: str | None) -> list[Paragraph]:
    """The paragraphs, with the short list items and lines that only repeat
    the document's own headings ("* 3.1. The package name" over the section
    "3.1. The package name", as Sphinx's text pages and many READMEs open)
    made furniture: a table of contents, no answer."""
    def key(paragraph: Paragraph) -> str:
        return _ENTRY_NUMBER.sub("", heading_words(paragraph.span.of(text), markup)).lower()

    headings = {key(p) for p in paragraphs if p.kind == HEADING}
    if not headings:
        return paragraphs
    # (The short ones only rendered and compared: the others are most of a
    # document. Their words are counted in place, only as far as one past the most.)
    entries = {p.number for p in paragraphs
               if p.kind in (LIST_ITEM, PARAGRAPH) and p.role == BODY
               and not _MORE_THAN_ENTRY_WORDS.match(text, p.span.start, p.span.end) and key(p) in headings}
    if len(entries) < MIN_CONTENTS_ENTRIES:
        return paragraphs
    return [replace(p, role=FURNITURE) if p.number in entries else p for p in paragraphs]


def heading_words(heading: str, markup: str | None) -> str:
    """A heading on one line, its inline markup rendered: ":mod:`email`
    Package" reads "email Package", "Getting *started*" "Getting started"."""
    return " ".join(shown(heading, markup).split())


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


MAX_FOOTER_PARAGRAPHS = 40


def _footer_start(text: str, spans: list[Span]) -> int:
    """Index of the first paragraph of the page footer: the first paragraph past
    the middle of the document, and among its last MAX_FOOTER_PARAGRAPHS, that
    carries a strong furniture mark.

    `_FOOTER_MARKS` (case-insensitive, no literal prefix) reads about 17 MB a
    second; the second half is first searched lowercased for the marks' fixed
    beginnings (`str.find`, hundreds of MB a second), and only a paragraph
    holding or following one is searched with it. Every mark begins with one
    of them in the lowercased text, as long as lowercasing keeps each
    character's place and turns every character the expression takes for a
    letter of a mark into that letter: not so for the three in
    `_UNFOLDED_MARK_LETTERS`, and a text holding one is searched the slow way."""
    # (A page's footer is its last few paragraphs: a manual's "subscribe to
    # policy mailing lists" two thirds in is no footer over the rest.)
    first = max(len(spans) // 2, len(spans) - MAX_FOOTER_PARAGRAPHS)
    if first >= len(spans):
        return len(spans)
    offset = spans[first].start
    tail = text[offset:]
    if not tail.isascii() and any(letter in tail for letter in _UNFOLDED_MARK_LETTERS):
        for i in range(first, len(spans)):
            if _FOOTER_MARKS.search(spans[i].of(text)):
                return i
        return len(spans)
    lowered = tail.lower()
    # Where each mark's beginning is next found, searched again only once the
    # paragraphs have passed it: every stretch of the text is searched once
    # for each, however many candidates turn out to be no mark.
    nexts = [lowered.find(mark) for mark in _FOOTER_MARK_STARTS]
    i = first
    while i < len(spans):
        start = spans[i].start - offset
        for k, at in enumerate(nexts):
            if 0 <= at < start:
                nexts[k] = lowered.find(_FOOTER_MARK_STARTS[k], start)
        found = [at for at in nexts if at >= 0]
        if not found:
            return len(spans)
        candidate = min(found) + offset
        while spans[i].end <= candidate:  # no mark in a paragraph that ends before the first candidate
            i += 1
            if i == len(spans):
                return i
        if _FOOTER_MARKS.search(spans[i].of(text)):
            return i
        i += 1
    return len(spans)


def aliases_of(source: str, title: str) -> str:
    """The other names of a document with this source and (one-line) title,
    as words: see Document.aliases."""
    stem = source.rsplit("/", 1)[-1]
    for _ in range(2):  # "README.md.gz"
        stem = re.sub(_READ_SUFFIX, "", stem, flags=re.IGNORECASE)
    # Words that start with a letter: a number in a file's name ("000_50fe43...",
    # "report-2024") would match every question that gives a number.
    pieces = re.split(r"[-_.\s]+", stem)
    words = [w for w in (stem, *pieces) if w[:1].isalpha()]
    # A name and its version run together, as people write them: "GPL-3" is
    # "GPLv3" and "GPL3", "MPL-2.0" "MPLv2".
    for name, version in zip(pieces, pieces[1:]):
        if name.isalpha() and version.isdigit() and len(version) <= 2:
            words += [f"{name}{version}", f"{name}v{version}"]
    for run in _CAPITALISED_RUN.finditer(title[:MAX_TITLE_CHARS]):
        names = run.group().split()[:8]
        for first in range(len(names) - 2):  # every stretch of three words or more
            for last in range(first + 3, len(names) + 1):
                words.append("".join(name[0] for name in names[first:last]).upper())
    return " ".join(dict.fromkeys(w for w in words if w))
