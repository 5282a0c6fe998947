"""One shard on disk and in memory: its raw term counts, passages and
documents (written when it is counted), its weights (written for each global
idf), and the server a Ray actor runs over them.

Everything is a plain .npy array, loaded memory-mapped: a shard actor that
Ray restarts (max_restarts) is serving again as soon as its files are mapped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..index import PassageTable, TfidfIndex
from ..postings import Postings

TABLE = ("passage_document", "passage_paragraph", "passage_start", "passage_end")  # document: the shard's own number
DOCUMENTS = "documents.json"  # written last: a counts folder with it is whole


@dataclass(frozen=True)
class ShardReply:
    """A shard's best passages for one query, best first in the one total
    order (score descending, passage ascending); passage numbers are the
    whole corpus's, and each comes with its text and offsets."""

    passages: np.ndarray  # int64
    scores: np.ndarray  # float64 holding the float32 scores exactly
    documents: np.ndarray  # int64, the whole corpus's document numbers
    paragraphs: np.ndarray  # int64
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    texts: tuple[str, ...]


def save_counts(folder: Path, found: Postings, rows: list[tuple[int, int, int, int]], texts: list[str],
                documents: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    arrays = {
        "terms": found.terms,
        "counts_indptr": found.indptr,
        "counts_indices": found.passages,
        "counts_data": found.counts,
        "texts_data": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "texts_offsets": offsets,
        **{name: table[:, i] for i, name in enumerate(TABLE)},
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    (folder / DOCUMENTS).write_text(json.dumps(documents))


def is_counted(folder: Path) -> bool:
    return (folder / DOCUMENTS).exists()


def _array(folder: Path, name: str) -> np.ndarray:
    return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)


def load_counts(folder: Path) -> tuple[sp.csc_matrix, np.ndarray]:
    """(passages x terms raw counts, CSC; the shard's sorted terms)."""
    terms, indptr = _array(folder, "terms"), _array(folder, "counts_indptr")
    passages = len(_array(folder, "passage_document"))
    counts = sp.csc_matrix((_array(folder, "counts_data"), _array(folder, "counts_indices"), indptr),
                           shape=(passages, len(terms)))
    return counts, terms


def document_frequencies(folder: Path) -> tuple[np.ndarray, np.ndarray, int]:
    """(the shard's terms, each one's document frequency, its passages)."""
    indptr = _array(folder, "counts_indptr")
    return np.asarray(_array(folder, "terms")), np.diff(indptr), len(_array(folder, "passage_document"))


def read_documents_note(folder: Path) -> dict:
    return json.loads((folder / DOCUMENTS).read_text())


def save_weights(folder: Path, name: str, weights: np.ndarray, idf: np.ndarray) -> None:
    np.save(folder / f"idf-{name}", idf, allow_pickle=False)
    np.save(folder / f"weights-{name}", weights, allow_pickle=False)  # the weights last: with them the pair is whole


def load_index(folder: Path, weights: str) -> TfidfIndex:
    """The shard as an in-process index over its own passages (numbered from
    0), searched by the very code the in-process index runs."""
    counts, terms = load_counts(folder)
    postings = sp.csc_matrix((_array(folder, f"weights-{weights}"), counts.indices, counts.indptr), shape=counts.shape)
    table = PassageTable(*(_array(folder, name) for name in TABLE))
    return TfidfIndex(postings, _array(folder, f"idf-{weights}"), terms, table)


class ShardServer:
    """What a shard actor runs: its files loaded, queries answered."""

    def __init__(self, folder: str, weights: str, first_passage: int, first_document: int):
        self.folder = Path(folder)
        self.index = load_index(self.folder, weights)
        self.first_passage = first_passage
        self.first_document = first_document
        self.texts = _array(self.folder, "texts_data")
        self.text_offsets = _array(self.folder, "texts_offsets")

    def ping(self) -> int:
        return len(self.index.passages)

    def resident_mb(self) -> float:
        """The actor process's resident memory (its mapped files' pages read so far included)."""
        try:
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
        except OSError:
            return float("nan")

    def first_mentions(self, term: str, per_document: int) -> tuple[np.ndarray, np.ndarray]:
        """(passages, the term's weight in each), the whole corpus's numbers:
        the first passages of each of the shard's documents holding `term`."""
        hits = self.index.first_mentions(term, per_document)
        return (np.array([h.passage for h in hits], dtype=np.int64) + self.first_passage,
                np.array([h.score for h in hits], dtype=np.float64))

    def search(self, weighted_terms: dict[str, float], k: int) -> ShardReply:
        hits = self.index.search_terms(weighted_terms, k)
        local = np.array([h.passage for h in hits], dtype=np.int64)
        table = self.index.passages
        texts = tuple(bytes(self.texts[self.text_offsets[i]:self.text_offsets[i + 1]]).decode("utf-8", "surrogatepass")
                      for i in local.tolist())
        return ShardReply(local + self.first_passage, np.array([h.score for h in hits], dtype=np.float64),
                          np.asarray(table.document[local], dtype=np.int64) + self.first_document,
                          np.asarray(table.paragraph[local], dtype=np.int64),
                          np.asarray(table.start[local], dtype=np.int64), np.asarray(table.end[local], dtype=np.int64),
                          texts)
