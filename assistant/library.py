"""A corpus together with its TF-IDF index: built once, saved under the cache
folder keyed by a fingerprint of the corpus files and the index settings, and
loaded on the next start. The corpus folder itself is never written to."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

try:
    import fcntl
except ImportError:  # Windows: no flock, and no lock
    fcntl = None

from . import index as index_module
from .corpus import (
    BODY,
    READING_VERSION,
    CorpusFile,
    Document,
    Limits,
    UnreadableFile,
    UnsettledFile,
    discover,
    read_file,
    read_stable,
    sort_out,
    within_limits,
)
from .errors import AssistantError, CorpusError, IndexCacheError
from .index import PassageTable, TfidfIndex, count_terms

Progress = Callable[[int, int], None]

# How long a second process waits for the one already indexing the same
# corpus before it indexes (without saving) by itself: longer than the
# largest build measured, 69 s at 1,000,000 passages.
LOCK_WAIT = 120.0
HELD, UNLOCKED, BUSY = "held", "unlocked", "busy"


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
    size: int = -1  # the file's size and modification time when indexed:
    mtime_ns: int = -1  # an incremental refresh reuses the passages of files that kept both


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
        limits: Limits | None = None,
    ):
        self.root = root
        self.entries = list(entries)
        self.index = index
        self.files = list(files) if files is not None else None
        self._documents: dict[int, Document] = dict(enumerate(documents)) if documents is not None else {}
        self.warnings = list(warnings)
        self.from_cache = from_cache
        self.files_read: int | None = None  # set when an incremental refresh read only some files
        self.limits = limits or Limits()
        self.unsettled: set[str] = set()  # files that changed or vanished while read: read again next time

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def paragraph_count(self) -> int:
        return sum(e.paragraphs for e in self.entries)

    @cached_property
    def text_numbers(self) -> tuple[int, ...]:
        """Each document's text as a number that the documents of the same
        text share (a file and its copy, GPL and its symlink GPL-3), told by
        length and checksum without reading any."""
        numbers: dict[tuple[int, int], int] = {}
        return tuple(numbers.setdefault((e.length, e.checksum), len(numbers)) for e in self.entries)

    @cached_property
    def _numbers_by_source(self) -> dict[str, int]:
        return {entry.source: number for number, entry in enumerate(self.entries)}

    def number_of(self, source: str) -> int | None:
        """The number of the document read from `source`, if the library has it."""
        return self._numbers_by_source.get(source)

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
            document = read_file(self.files[number], self.limits.max_file_size)
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
    texts, rows = [], []
    for doc_id, document in enumerate(documents):
        more_texts, more_rows = passage_rows(doc_id, document)
        texts += more_texts
        rows += more_rows
    index = TfidfIndex.build(texts, _table(rows))
    entries = [document_entry(d, files[i] if files is not None else None) for i, d in enumerate(documents)]
    return Library(root, entries, index, files, documents, warnings)


def document_entry(document: Document, file: CorpusFile | None) -> DocumentEntry:
    return DocumentEntry(document.source, document.display_title, len(document.text), _checksum(document.text),
                         len(document.paragraphs), file.size if file else -1, file.mtime_ns if file else -1)


def passage_rows(document_number: int, document: Document) -> tuple[list[str], list[tuple[int, int, int, int]]]:
    """The body paragraphs of a document: their texts, and (document,
    paragraph, start, end) for the passage table. The words of the headings
    above a paragraph are counted as its own: a section titled
    "Anti-Circumvention Law" is found by those words."""
    texts, rows = [], []
    for paragraph in document.paragraphs:
        if paragraph.role == BODY:
            heading = document.heading_text(paragraph.number)
            texts.append(f"{heading}\n{paragraph.span.of(document.text)}" if heading else paragraph.span.of(document.text))
            rows.append((document_number, paragraph.number, paragraph.span.start, paragraph.span.end))
    return texts, rows


def _table(rows: list[tuple[int, int, int, int]]) -> PassageTable:
    columns = list(zip(*rows)) if rows else [(), (), (), ()]
    return PassageTable(*(np.array(c, dtype=t) for c, t in zip(columns, (np.int32, np.int32, np.int64, np.int64))))


def read_documents(files: Sequence[CorpusFile], progress: Progress | None = None,
                   max_file_size: int | None = None) -> tuple[list, list, list, set]:
    """The documents read, their files as read (size and modification time of
    the bytes read), warnings for the files skipped, and the sources of those
    that changed or vanished while read."""
    documents, kept, warnings, unsettled = [], [], [], set()
    for done, file in enumerate(files, 1):
        try:
            document, as_read = read_stable(file, max_file_size)
            documents.append(document)
            kept.append(as_read)
        except UnreadableFile as error:
            warnings.append(f"skipped {file.source}: {error}")
            if isinstance(error, UnsettledFile):
                unsettled.add(file.source)
        if progress:
            progress(done, len(files))
    return documents, kept, warnings, unsettled


def _build(root: str, files: Sequence[CorpusFile], progress: Progress | None, limits: Limits) -> Library:
    documents, kept, warnings, unsettled = read_documents(files, progress, limits.max_file_size)
    if not documents:
        raise CorpusError(f"no readable documents in {root}")
    library = build_library(root, documents, kept, warnings)
    library.limits, library.unsettled = limits, unsettled
    return library


# --- the cache --------------------------------------------------------------------


SETTINGS_KEY_LENGTH = 8


def index_settings() -> str:
    """How an index is read, cut and counted: an index made under other
    settings is never reused, nor refreshed."""
    return (f"format {index_module.FORMAT_VERSION} reading {READING_VERSION} {index_module.TOKEN_PATTERN} "
            f"{sorted(index_module.STOP_WORDS)} readers {_reader_versions()} code {_reading_code_digest()}")


# The project's own code that turns a file into a document's text and
# paragraphs: changed without READING_VERSION raised, an index made before
# would point at paragraphs the document no longer has.
READING_CODE = ("corpus.py", "text.py", "readers")


@lru_cache(maxsize=1)
def _reading_code_digest() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in READING_CODE:
        path = package / name
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


# The libraries that turn files into text: another version may read a page or
# a PDF into other text, which an index made before must not be trusted for.
READER_LIBRARIES = ("trafilatura", "lxml", "charset-normalizer", "pypdfium2", "python-docx", "olefile", "markdown-it-py",
                    "docutils")


@lru_cache(maxsize=1)
def _reader_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def version_of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    return " ".join(f"{name}={version_of(name)}" for name in READER_LIBRARIES)


def location_key(root: Path) -> str:
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def fingerprint(root: Path, files: Sequence[CorpusFile]) -> tuple[str, str]:
    """(key of the corpus location, key of its settings and exact content).
    The second begins with the settings' own key (SETTINGS_KEY_LENGTH
    characters), so that only an index read and counted the same way is
    refreshed: a saved index of the same folder made by another reading
    version holds passages this version would not make."""
    settings = hashlib.sha256(index_settings().encode())
    what = settings.copy()
    for file in files:
        what.update(f"\0{file.source}\0{file.size}\0{file.mtime_ns}".encode())
    return location_key(root), settings.hexdigest()[:SETTINGS_KEY_LENGTH] + what.hexdigest()[:24 - SETTINGS_KEY_LENGTH]


def open_library(
    path: str | os.PathLike,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    limits: Limits | None = None,
    rebuild: bool = False,
) -> Library:
    """Load the saved index of a corpus when it matches the files, or build and
    save it. A damaged or stale cache is rebuilt, never trusted. Files past
    the limits are left out, with one warning for each kind. `rebuild`: the
    saved index was found stale; build and save it afresh."""
    root = Path(path).expanduser()
    limits = limits or Limits()
    files, not_documents = sort_out(discover(root))
    if not files:
        raise CorpusError(f"no documents in {path}: {not_documents[0]}")
    files, left_out = within_limits(files, limits)
    left_out[:0] = not_documents
    if not files:
        raise CorpusError(f"nothing to read in {path}: {'; '.join(left_out)}")
    if use_cache:
        library = _open_saved(root, str(path), files, cache_dir or cache_root(), progress, limits, rebuild)
    else:
        library = _build(str(path), files, progress, limits)
    library.warnings[:0] = left_out
    return library


def _open_saved(root: Path, name: str, files: list[CorpusFile], cache: Path, progress: Progress | None,
                limits: Limits, rebuild: bool = False) -> Library:
    where, what = fingerprint(root, files)
    folder = cache / f"{where}-{what}"
    if folder.exists() and not rebuild:  # the usual start, without the lock: a saved index only ever appears whole
        try:
            library = _load(folder, name, files, limits)
        except IndexCacheError:
            pass  # looked at again under the lock
        else:
            _retire_stale(cache, where, folder)
            return library
    with writer_lock(cache, where, LOCK_WAIT) as lock:
        warnings: list[str] = []
        if rebuild:  # found stale by a question: neither loaded nor refreshed from
            warnings.append("the saved index no longer matched the files: indexed them again")
            _retire(folder)
        elif folder.exists():  # saved by the process waited for, or damaged
            try:
                return _load(folder, name, files, limits)
            except IndexCacheError as error:
                warnings.append(f"rebuilt the index: {error}")
                _retire(folder)
        library = None
        reusable = [] if rebuild else sorted(cache.glob(f"{where}-{what[:SETTINGS_KEY_LENGTH]}*"))  # read the same way
        for older in reusable:
            try:
                library = refresh_library(older, name, files, progress, limits)
                break
            except IndexCacheError:
                continue  # not reusable: build afresh
        if library is None:
            library = _build(name, files, progress, limits)
        library.warnings[:0] = warnings
        if lock == BUSY:
            library.warnings.append("the index was not saved: another assistant is still indexing this corpus")
            return library
        try:
            _save(library, cache, where, fingerprint(root, _as_read(files, library))[1], sweep=lock == HELD)
        except OSError as error:
            library.warnings.append(f"could not save the index in {cache} ({error.strerror or error}); "
                                    "answering from memory, the next start indexes again")
    return library


@contextmanager
def writer_lock(cache: Path, where: str, wait: float) -> Iterator[str]:
    """One process at a time builds and saves the index of a corpus location:
    an exclusive flock on a file in the cache folder, waited for at most
    `wait` seconds, let go by the kernel however its holder ends (SIGKILL
    too). Yields HELD; UNLOCKED where no lock can be had (no cache folder,
    no flock on that file system); BUSY when the holder kept it too long."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(cache / f".{where}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        descriptor = None
    if descriptor is None or fcntl is None:
        yield UNLOCKED
        return
    try:
        yield _acquire(descriptor, wait)
    finally:
        os.close(descriptor)  # lets the lock go


def _acquire(descriptor: int, wait: float) -> str:
    deadline, pause = time.monotonic() + wait, 0.005
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return HELD
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return BUSY
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        except OSError:
            return UNLOCKED


def _as_read(files: Sequence[CorpusFile], library: Library) -> list[CorpusFile]:
    """The corpus files as the index saw them, for the key it is saved
    under: the size and modification time of the bytes read, and none for a
    file that changed or vanished while read, so the next start reads it."""
    read = {f.source: f for f in library.files or ()}
    unknown = {"size": -1, "mtime_ns": -1}
    return [read.get(f.source) or (replace(f, **unknown) if f.source in library.unsettled else f) for f in files]


def refresh_library(folder: Path, root: str, files: Sequence[CorpusFile], progress: Progress | None = None,
                    limits: Limits | None = None) -> Library:
    """The index of an earlier state of the same corpus brought up to date:
    passages of files with the same size and modification time are kept with
    their term counts, changed and new files are read and counted, removed
    ones dropped; then every weight is recomputed over the whole corpus, so
    the result is the index a full build would give. Raises IndexCacheError
    when the old index cannot serve."""
    # scikit-learn takes about a second to import: meanwhile the files are read.
    with ThreadPoolExecutor(1, thread_name_prefix="import") as pool:
        transformer_class = pool.submit(index_module.import_transformer)
        return _refresh(folder, root, files, progress, transformer_class, limits or Limits())


def _refresh(folder: Path, root: str, files: Sequence[CorpusFile], progress: Progress | None,
             transformer_class: Future, limits: Limits) -> Library:
    old_index = TfidfIndex.load(folder)
    old_entries, _ = _read_meta(folder)
    old_counts = old_index.counts()
    old_table = old_index.passages
    by_source = {e.source: (number, e) for number, e in enumerate(old_entries)}
    # Rows of each old document: the table lists documents in order.
    bounds = np.searchsorted(old_table.document, np.arange(len(old_entries) + 1))
    fresh = [f for f in files if not _unchanged(by_source.get(f.source), f)]
    if len(fresh) == len(files):
        raise IndexCacheError("nothing to reuse")
    new_documents, read_ok, warnings, unsettled = read_documents(fresh, progress, limits.max_file_size)
    read_by_source = {d.source: (d, f) for d, f in zip(new_documents, read_ok)}
    entries, kept_files, documents_read, texts, new_rows, pieces = [], [], {}, [], [], []
    for file in files:
        old = by_source.get(file.source)
        number = len(entries)
        if _unchanged(old, file):
            old_number, entry = old
            lo, hi = int(bounds[old_number]), int(bounds[old_number + 1])
            pieces.append(("old", lo, hi, number))
        elif file.source in read_by_source:
            document, file = read_by_source[file.source]  # the file as read
            more_texts, more_rows = passage_rows(number, document)
            pieces.append(("new", len(texts), len(texts) + len(more_texts), number))
            texts += more_texts
            new_rows += more_rows
            entry = document_entry(document, file)
            documents_read[number] = document
        else:
            continue  # unreadable now: its warning is in `warnings`
        entries.append(entry)
        kept_files.append(file)
    if not entries:
        raise CorpusError(f"no readable documents in {root}")
    new_counts, new_terms = count_terms(texts)
    old_terms = [t.decode("utf-8") for t in old_index.vocabulary]
    terms = sorted(set(old_terms).union(new_terms))
    position = {t: i for i, t in enumerate(terms)}
    old_columns = np.fromiter((position[t] for t in old_terms), dtype=np.int64, count=len(old_terms))
    new_columns = np.fromiter((position[t] for t in new_terms), dtype=np.int64, count=len(new_terms))
    # Which old and which new passage rows make up the refreshed table, in
    # the order a full build would list them; gathered with array indexing
    # (1M passages: one fancy index, not a slice a document).
    takes: dict[str, list[np.ndarray]] = {"old": [], "new": []}
    places: dict[str, list[np.ndarray]] = {"old": [], "new": []}
    numbers, place = [], 0
    for kind, lo, hi, number in pieces:
        takes[kind].append(np.arange(lo, hi))
        places[kind].append(np.arange(place, place + hi - lo))
        numbers.append(np.full(hi - lo, number, dtype=np.int32))
        place += hi - lo

    def joined(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    old_take, new_take = joined(takes["old"]), joined(takes["new"])
    old_part = old_counts[old_take].tocoo()
    new_part = new_counts[new_take].tocoo() if len(new_take) else sp.coo_matrix((0, len(new_terms)))
    stacked = sp.vstack([
        sp.csr_matrix((old_part.data, (old_part.row, old_columns[old_part.col])), shape=(len(old_take), len(terms))),
        sp.csr_matrix((new_part.data, (new_part.row, new_columns[new_part.col].astype(np.int64))),
                      shape=(len(new_take), len(terms))),
    ], format="csr")
    order = np.empty(place, dtype=np.int64)
    order[joined(places["old"])] = np.arange(len(old_take))
    order[joined(places["new"])] = len(old_take) + np.arange(len(new_take))
    counts = stacked[order]
    new_table = np.array(new_rows, dtype=np.int64).reshape(-1, 4)

    def column(old_values: np.ndarray, new_values: np.ndarray, dtype) -> np.ndarray:
        return np.concatenate([np.asarray(old_values[old_take]), new_values[new_take]]).astype(dtype)[order]

    table = PassageTable(
        joined(numbers).astype(np.int32),
        column(old_table.paragraph, new_table[:, 1], np.int32),
        column(old_table.start, new_table[:, 2], np.int64),
        column(old_table.end, new_table[:, 3], np.int64),
    )
    # Terms only the removed passages had are not in a full build's vocabulary.
    present = np.flatnonzero(np.diff(counts.tocsc().indptr) > 0)
    counts = counts[:, present].tocsr()
    vocabulary = np.array([terms[i].encode("utf-8") for i in present])
    index = TfidfIndex.from_counts(counts.astype(np.float32), vocabulary, table, transformer_class.result())
    library = Library(root, entries, index, kept_files, None, warnings, limits=limits)
    library._documents.update(documents_read)
    library.files_read = len(fresh)
    library.unsettled = unsettled
    return library


def _unchanged(old: tuple[int, DocumentEntry] | None, file: CorpusFile) -> bool:
    return old is not None and old[1].size == file.size and old[1].mtime_ns == file.mtime_ns and file.size >= 0


def _save(library: Library, cache: Path, where: str, what: str, sweep: bool) -> None:
    """Write the index in a hidden folder and rename it into place, so that a
    saved index only ever appears whole; then retire the older ones. With
    `sweep` (the lock held: nobody else writes here) first remove what a
    process killed while saving left behind."""
    cache.mkdir(parents=True, exist_ok=True)
    if sweep:
        for debris in cache.glob(f".{where}-*"):
            shutil.rmtree(debris, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{where}-", dir=cache))
    final = cache / f"{where}-{what}"
    try:
        library.index.save(temporary)
        meta = {
            "root": library.root,
            "documents": [e.__dict__ for e in library.entries],
            "warnings": [w for w in library.warnings if w.startswith("skipped ")],
        }
        (temporary / "documents.json").write_text(json.dumps(meta))
        index_module.replace_folder(temporary, final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    # Older indexes of the same corpus location are stale now.
    for old in _older_indexes(cache, where, final):
        _retire(old)


def _older_indexes(cache: Path, where: str, current: Path) -> list[Path]:
    """The saved indexes of a corpus location other than `current`."""
    return [old for old in cache.glob(f"{where}-*") if old.name != current.name]


def _retire_stale(cache: Path, where: str, current: Path) -> None:
    """Retire the older indexes of a corpus location found beside the one
    loaded: left when a process was killed between putting its index in place
    and retiring the one before, they would pile up over such kills. Only with
    the lock had at once; else its holder's save retires them."""
    stale = _older_indexes(cache, where, current)
    if not stale:
        return
    with writer_lock(cache, where, 0.0) as lock:
        if lock == HELD:
            for old in stale:
                _retire(old)


def _retire(folder: Path) -> None:
    """Remove a saved index at once: renamed to a hidden name (which the next
    save sweeps), then deleted, so that a process killed meanwhile leaves
    debris, never a torn index under a name that is loaded."""
    where = folder.name.split("-")[0]
    hidden = folder.with_name(f".{where}-retired-{os.urandom(4).hex()}")
    try:
        os.rename(folder, hidden)
    except FileNotFoundError:
        return
    except OSError:
        hidden = folder
    shutil.rmtree(hidden, ignore_errors=True)


def _read_meta(folder: Path) -> tuple[list[DocumentEntry], dict]:
    """The documents a saved index was built from, and the rest of its notes."""
    try:
        meta = json.loads((folder / "documents.json").read_text())
        return [DocumentEntry(**e) for e in meta["documents"]], meta
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexCacheError(f"saved index is damaged ({error.__class__.__name__})") from error


def _load(folder: Path, root: str, files: Sequence[CorpusFile], limits: Limits | None = None) -> Library:
    index = TfidfIndex.load(folder)
    entries, meta = _read_meta(folder)
    by_source = {f.source: f for f in files}
    try:
        kept = [by_source[e.source] for e in entries]
    except KeyError as error:
        raise IndexCacheError("saved index names a file the corpus lacks") from error
    if len(index.passages) and int(np.max(index.passages.document)) >= len(entries):
        raise IndexCacheError("saved index is inconsistent")
    return Library(root, entries, index, kept, None, meta.get("warnings", []), from_cache=True, limits=limits)
