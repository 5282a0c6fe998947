"""A corpus together with its TF-IDF index: built once, saved under the cache
folder keyed by a fingerprint of the corpus files and the index settings, and
loaded on the next start. The corpus folder itself is never written to."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import index as index_module
from .corpus import BODY, CorpusFile, Document, UnreadableFile, discover, read_file
from .errors import AssistantError, CorpusError, IndexCacheError
from .index import PassageTable, TfidfIndex

Progress = Callable[[int, int], None]


class CorpusChangedError(AssistantError):
    """A document differs from the one the index was built from."""


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "assistant"


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class DocumentEntry:
    source: str
    title: str
    length: int
    checksum: int
    paragraphs: int


class Library:
    """Documents (read lazily from disk when loaded from the cache) and the
    index over their body paragraphs."""

    def __init__(
        self,
        root: str,
        entries: Sequence[DocumentEntry],
        index: TfidfIndex,
        files: Sequence[CorpusFile] | None = None,
        documents: Sequence[Document] | None = None,
        warnings: Sequence[str] = (),
        from_cache: bool = False,
    ):
        self.root = root
        self.entries = list(entries)
        self.index = index
        self.files = list(files) if files is not None else None
        self._documents: dict[int, Document] = dict(enumerate(documents)) if documents is not None else {}
        self.warnings = list(warnings)
        self.from_cache = from_cache

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def paragraph_count(self) -> int:
        return sum(e.paragraphs for e in self.entries)

    def document(self, number: int) -> Document:
        """The document, read from disk on first use and checked against the
        one the index was built from."""
        cached = self._documents.get(number)
        if cached is not None:
            return cached
        if self.files is None:
            raise CorpusChangedError("document not available")
        entry = self.entries[number]
        try:
            document = read_file(self.files[number])
        except UnreadableFile as error:
            raise CorpusChangedError(f"{entry.source} can no longer be read ({error})") from error
        if len(document.text) != entry.length or _checksum(document.text) != entry.checksum:
            raise CorpusChangedError(f"{entry.source} changed since it was indexed")
        self._documents[number] = document
        return document

    def documents(self) -> list[Document]:
        return [self.document(i) for i in range(len(self.entries))]


# --- building -------------------------------------------------------------------


def build_library(
    root: str,
    documents: Sequence[Document],
    files: Sequence[CorpusFile] | None = None,
    warnings: Sequence[str] = (),
) -> Library:
    """Index the body paragraphs of documents already read."""
    texts, doc_ids, numbers, starts, ends = [], [], [], [], []
    for doc_id, document in enumerate(documents):
        for paragraph in document.paragraphs:
            if paragraph.role != BODY:
                continue
            texts.append(paragraph.span.of(document.text))
            doc_ids.append(doc_id)
            numbers.append(paragraph.number)
            starts.append(paragraph.span.start)
            ends.append(paragraph.span.end)
    table = PassageTable(
        np.array(doc_ids, dtype=np.int32),
        np.array(numbers, dtype=np.int32),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
    )
    index = TfidfIndex.build(texts, table)
    entries = [
        DocumentEntry(d.source, d.display_title, len(d.text), _checksum(d.text), len(d.paragraphs))
        for d in documents
    ]
    return Library(root, entries, index, files, documents, warnings)


def read_documents(files: Sequence[CorpusFile], progress: Progress | None = None) -> tuple[list, list, list]:
    documents, kept, warnings = [], [], []
    for done, file in enumerate(files, 1):
        try:
            documents.append(read_file(file))
            kept.append(file)
        except UnreadableFile as error:
            warnings.append(f"skipped {file.source}: {error}")
        if progress:
            progress(done, len(files))
    return documents, kept, warnings


# --- the cache --------------------------------------------------------------------


def fingerprint(root: Path, files: Sequence[CorpusFile]) -> tuple[str, str]:
    """(key of the corpus location, key of its exact content and settings)."""
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    what = hashlib.sha256()
    what.update(f"format {index_module.FORMAT_VERSION} {index_module.TOKEN_PATTERN} {sorted(index_module.STOP_WORDS)}".encode())
    for file in files:
        what.update(f"\0{file.source}\0{file.size}\0{file.mtime_ns}".encode())
    return where, what.hexdigest()[:24]


def open_library(
    path: str | os.PathLike,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> Library:
    """Load the saved index of a corpus when it matches the files, or build and
    save it. A damaged or stale cache is rebuilt, never trusted."""
    root = Path(path).expanduser()
    files = discover(root)
    cache = (cache_dir or cache_root()) if use_cache else None
    where, what = fingerprint(root, files)
    warnings: list[str] = []
    if cache is not None:
        folder = cache / f"{where}-{what}"
        if folder.exists():
            try:
                return _load(folder, str(path), files)
            except IndexCacheError as error:
                warnings.append(f"rebuilt the index: {error}")
                shutil.rmtree(folder, ignore_errors=True)
    documents, kept, skipped = read_documents(files, progress)
    warnings.extend(skipped)
    if not documents:
        raise CorpusError(f"no readable documents in {path}")
    library = build_library(str(path), documents, kept, warnings)
    if cache is not None:
        try:
            _save(library, cache, where, what, [f.source for f in files])
        except OSError as error:
            library.warnings.append(f"could not save the index in {cache} ({error.strerror or error})")
    return library


def _save(library: Library, cache: Path, where: str, what: str, all_sources: list[str]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{where}-", dir=cache))
    try:
        library.index.save(temporary)
        meta = {
            "root": library.root,
            "documents": [e.__dict__ for e in library.entries],
            "warnings": [w for w in library.warnings if w.startswith("skipped ")],
        }
        (temporary / "documents.json").write_text(json.dumps(meta))
        final = cache / f"{where}-{what}"
        index_module.replace_folder(temporary, final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    # Older indexes of the same corpus location are stale now.
    for old in cache.glob(f"{where}-*"):
        if old.name != f"{where}-{what}":
            shutil.rmtree(old, ignore_errors=True)


def _load(folder: Path, root: str, files: Sequence[CorpusFile]) -> Library:
    index = TfidfIndex.load(folder)
    try:
        meta = json.loads((folder / "documents.json").read_text())
        entries = [DocumentEntry(**e) for e in meta["documents"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexCacheError(f"saved index is damaged ({error.__class__.__name__})") from error
    by_source = {f.source: f for f in files}
    try:
        kept = [by_source[e.source] for e in entries]
    except KeyError as error:
        raise IndexCacheError("saved index names a file the corpus lacks") from error
    if len(index.passages) and int(np.max(index.passages.document)) >= len(entries):
        raise IndexCacheError("saved index is inconsistent")
    return Library(root, entries, index, kept, None, meta.get("warnings", []), from_cache=True)
