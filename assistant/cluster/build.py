"""Building and updating a sharded index as Ray tasks, one shard a range of
the corpus's files:

1. each shard reads its files, cuts passages and counts their terms (saved:
   the raw counts, the passages' table and texts, the documents);
2. the driver sums the document frequencies and computes the global idf
   (weights.py), and saves the corpus's vocabulary, idf and passage table;
3. each shard weighs its counts with that idf and saves the weights.

An update recounts only the shards whose files changed (a shard's counts are
named by its files' paths, sizes and modification times); since every idf
depends on the number of passages, every shard is then weighed again from its
saved raw counts (see docs/cluster.md for what that costs, measured).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..corpus import CorpusFile, Limits, discover, sort_out, within_limits
from ..errors import AssistantError, CorpusError
from ..index import MAX_TERM_LENGTH, STOP_WORDS
from ..library import BUSY, LOCK_WAIT, document_entry, passage_rows, read_documents, writer_lock
from ..postings import count_postings
from . import ClusterError
from . import shard as shard_files
from .layout import Manifest, Shard, counts_key, index_folder, split
from .weights import IDF_FORMULA, global_blocks, global_idf, merged_vocabulary, weigh_shard

GLOBAL_ARRAYS = ("vocabulary", "idf", "document_frequency", "passage_document", "passage_paragraph",
                 "passage_start", "passage_end")


# --- the tasks (run by Ray workers; plain functions, so tests can call them) ----------


def count_shard(folder: str, files: Sequence[CorpusFile], max_file_size: int | None) -> tuple[int, int]:
    """Step 1: read, cut and count one shard's files into `folder` (unless
    counted before). Returns (documents, passages)."""
    path = Path(folder)
    if not shard_files.is_counted(path):
        documents, kept, warnings, unsettled = read_documents(list(files), None, max_file_size)
        texts, rows = [], []
        for number, document in enumerate(documents):
            more_texts, more_rows = passage_rows(number, document)
            texts += more_texts
            rows += more_rows
        # One thread: the shards' tasks already fill the cores (two threads
        # a task measured no faster, 2.7 against 2.8 s for 250k passages).
        found = count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH, threads=1)
        temporary = path.with_name(f".{path.name}-{np.random.default_rng().integers(1 << 62):x}")
        note = {"documents": [asdict(document_entry(d, f)) for d, f in zip(documents, kept)], "warnings": warnings,
                "unsettled": sorted(unsettled)}
        shard_files.save_counts(temporary, found, rows, texts, note)
        try:
            temporary.rename(path)
        except OSError:  # counted meanwhile by another build: the same content
            shutil.rmtree(temporary, ignore_errors=True)
    note = shard_files.read_documents_note(path)
    return len(note["documents"]), len(np.load(path / "passage_document.npy", mmap_mode="r"))


def shard_frequencies(folder: str) -> tuple[np.ndarray, np.ndarray]:
    """A shard's terms and their document frequencies (sent to the driver)."""
    terms, frequency, _ = shard_files.document_frequencies(Path(folder))
    return terms, frequency


def weigh(folder: str, name: str, vocabulary: np.ndarray, idf: np.ndarray, blocks: list[tuple[int, int]]) -> None:
    """Step 3: weigh one shard's counts with the global idf."""
    path = Path(folder)
    if (path / f"weights-{name}.npy").exists():
        return
    counts, terms = shard_files.load_counts(path)
    weights, own_idf = weigh_shard(counts, terms, vocabulary, idf, blocks)
    shard_files.save_weights(path, name, weights, own_idf)


# --- the driver ----------------------------------------------------------------------


def corpus_files(root: Path, limits: Limits) -> tuple[list[CorpusFile], list[str]]:
    """The files an index of `root` reads, and the warnings for those left out."""
    files, not_documents = sort_out(discover(root))
    if not files:
        raise CorpusError(f"no documents in {root}: {not_documents[0]}")
    files, left_out = within_limits(files, limits)
    if not files:
        raise CorpusError(f"nothing to read in {root}: {'; '.join(left_out)}")
    return files, not_documents + left_out


def is_current(manifest: Manifest | None, files: list[CorpusFile], shards: int | None) -> bool:
    if manifest is None or (shards is not None and shards != len(manifest.shards)):
        return False
    if manifest.idf_formula != IDF_FORMULA:  # the counts still serve: weighed again
        return False
    return [f[:3] for f in manifest.files] == [(f.source, f.size, f.mtime_ns) for f in files]


def is_whole(folder: Path, manifest: Manifest) -> bool:
    """Every file the manifest names is there (a cache cleaned by hand is not)."""
    return (folder / manifest.global_folder).is_dir() and all(
        (folder / s.counts / f"weights-{s.weights}.npy").exists() for s in manifest.shards)


def build_index(ray, root: Path, shards: int | None, limits: Limits, warnings: list[str]) -> tuple[Manifest, bool]:
    """The current sharded index of `root`: (its manifest, whether anything
    was built). Reuses every shard whose files did not change. One process
    at a time builds a corpus's sharded index (the in-process index's lock)."""
    folder = index_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    files, left_out = corpus_files(root, limits)
    warnings += left_out
    old = Manifest.load(folder)
    if is_current(old, files, shards) and is_whole(folder, old):
        return old, False
    with writer_lock(folder.parent, folder.name, LOCK_WAIT) as lock:
        if lock == BUSY:
            raise ClusterError(f"another assistant is still indexing {root}: try again when it is done")
        old = Manifest.load(folder)  # perhaps built meanwhile by the process waited for
        if is_current(old, files, shards) and is_whole(folder, old):
            return old, False
        return _build(ray, root, folder, files, old, shards, limits), True


def _build(ray, root: Path, folder: Path, files: list[CorpusFile], old: Manifest | None, shards: int | None,
           limits: Limits) -> Manifest:
    count = shards or (len(old.shards) if old else _default_shards(ray))
    previous = {f[0]: f[3] for f in old.files} if old and len(old.shards) == count else None
    parts = [part for part in split(files, count, previous) if part]
    keys = [counts_key(part, limits.max_file_size) for part in parts]
    count_task = ray.remote(num_cpus=1)(count_shard)
    sizes = _gather(ray, [count_task.remote(str(folder / f"counts-{key}"), part, limits.max_file_size)
                     for key, part in zip(keys, parts)])
    if not sum(documents for documents, _ in sizes):
        raise CorpusError(f"no readable documents in {root}")
    frequency_task = ray.remote(num_cpus=1)(shard_frequencies)
    found = _gather(ray, [frequency_task.remote(str(folder / f"counts-{key}")) for key in keys])
    vocabulary, frequency = merged_vocabulary([t for t, _ in found], [f for _, f in found])
    passages = sum(p for _, p in sizes)
    idf = global_idf(frequency, passages)
    name = _idf_name(vocabulary, frequency, passages)
    weigh_task = ray.remote(num_cpus=1)(weigh)
    shared = ray.put(vocabulary), ray.put(idf)  # one copy in the object store for every shard
    pending = [weigh_task.remote(str(folder / f"counts-{key}"), name, *shared, global_blocks(frequency))
               for key in keys]
    table = _passage_table(folder, keys, sizes)  # meanwhile, the whole corpus's passage table
    global_folder = folder / f"global-{name}"
    _save_global(global_folder, {"vocabulary": vocabulary, "idf": idf, "document_frequency": frequency, **table})
    _gather(ray, pending)
    manifest = _manifest(root, folder, files, parts, keys, sizes, name, global_folder.name)
    manifest.save(folder)
    _remove_unused(folder, manifest)
    return manifest


def _gather(ray, references: list) -> list:
    """The tasks' results; a task that failed is one line naming why (Ray's
    error carries the worker's whole traceback)."""
    try:
        return ray.get(references)
    except ray.exceptions.RayTaskError as error:
        cause = error.cause if isinstance(error.cause, BaseException) else error
        message = str(cause).splitlines()[0] if str(cause) else cause.__class__.__name__
        if isinstance(cause, AssistantError):
            raise ClusterError(message) from None
        raise ClusterError(f"a shard's build task failed: {cause.__class__.__name__}: {message}") from None
    except ray.exceptions.RayError as error:
        raise ClusterError(f"a shard's build task failed: {str(error).splitlines()[0]}") from None


def _default_shards(ray) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _idf_name(vocabulary: np.ndarray, frequency: np.ndarray, passages: int) -> str:
    digest = hashlib.sha256(f"{IDF_FORMULA} {passages}".encode())
    digest.update(np.ascontiguousarray(vocabulary).tobytes())
    digest.update(np.ascontiguousarray(frequency).tobytes())
    return digest.hexdigest()[:20]


def _passage_table(folder: Path, keys: list[str], sizes: list[tuple[int, int]]) -> dict[str, np.ndarray]:
    """The shards' passage tables end to end, documents numbered for the whole corpus."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name in shard_files.TABLE}
    first_document = 0
    for key, (documents, _) in zip(keys, sizes):
        for name in shard_files.TABLE:
            column = np.load(folder / f"counts-{key}" / f"{name}.npy")
            parts[name].append(column + first_document if name == "passage_document" else column)
        first_document += documents
    types = {"passage_document": np.int32, "passage_paragraph": np.int32}
    return {name: np.concatenate(columns).astype(types.get(name, np.int64)) for name, columns in parts.items()}


def _save_global(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    if folder.exists():
        return
    temporary = folder.with_name(f".{folder.name}-{np.random.default_rng().integers(1 << 62):x}")
    temporary.mkdir()
    for name, array in arrays.items():
        np.save(temporary / f"{name}.npy", array, allow_pickle=False)
    try:
        temporary.rename(folder)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)


def _manifest(root: Path, folder: Path, files: list[CorpusFile], parts: list[list[CorpusFile]], keys: list[str],
              sizes: list[tuple[int, int]], name: str, global_folder: str) -> Manifest:
    shards, states, warnings = [], [], []
    first_document = first_passage = 0
    where = folder.name
    for number, (part, key, (documents, passages)) in enumerate(zip(parts, keys, sizes)):
        shards.append(Shard(number, f"counts-{key}", name, first_document, documents, first_passage, passages,
                            f"shard-{where}-{key}-{name}"))
        note = shard_files.read_documents_note(folder / f"counts-{key}")
        warnings += note["warnings"]
        unsettled = set(note["unsettled"])
        # A file that changed while read is recorded as unknown: the next build reads it again.
        states += [(f.source, -1 if f.source in unsettled else f.size, -1 if f.source in unsettled else f.mtime_ns,
                    number) for f in part]
        first_document += documents
        first_passage += passages
    return Manifest(str(root), tuple(shards), tuple(states), global_folder, IDF_FORMULA, tuple(warnings))


def _remove_unused(folder: Path, manifest: Manifest) -> None:
    """Counts, weights and global folders no shard of the manifest uses. A
    shard actor still serving them keeps its memory maps of the files."""
    used = {s.counts for s in manifest.shards} | {manifest.global_folder}
    for path in folder.iterdir():
        if path.is_dir() and path.name not in used:
            shutil.rmtree(path, ignore_errors=True)
    for shard in manifest.shards:
        for path in (folder / shard.counts).glob("*-*.npy"):
            if path.name.startswith(("weights-", "idf-")) and shard.weights not in path.name:
                path.unlink(missing_ok=True)
