"""The global idf and the weighing of one shard's counts with it.

Each shard counts its own passages; the driver sums the document frequencies
over the shards (as Elasticsearch's dfs_query_then_fetch does) and computes
one idf for the whole corpus. Weighed with it, a shard's postings are bit for
bit those the in-process index holds for the same passages: the same idf, the
same sublinear tf, each passage's squares summed over the same column runs.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..index import column_blocks, weigh_counts

# scikit-learn's TfidfTransformer(smooth_idf=True).fit on float32 counts, as
# the in-process index fits it (index._fitted_idf), written out because the
# driver has only the summed frequencies, not a matrix to fit. The name is
# stored with each sharded index; tests/test_cluster.py checks the formula
# against scikit-learn's.
IDF_FORMULA = "sklearn-smooth-idf-float32: ln((1 + n) / (1 + df)) + 1"


def global_idf(document_frequency: np.ndarray, passages: int) -> np.ndarray:
    """ln((1 + n) / (1 + df)) + 1 in float32, in scikit-learn's order of operations."""
    df = document_frequency.astype(np.float32) + np.float32(1.0)
    idf = np.full_like(df, fill_value=passages + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += np.float32(1.0)
    return idf


def merged_vocabulary(shard_terms: list[np.ndarray], shard_frequencies: list[np.ndarray]
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The sorted union of the shards' terms and each one's document
    frequency summed over the shards."""
    nonempty = [t for t in shard_terms if len(t)]
    if not nonempty:
        return np.zeros(0, "S1"), np.zeros(0, np.int64)
    vocabulary = np.unique(np.concatenate(nonempty))
    frequency = np.zeros(len(vocabulary), dtype=np.int64)
    for terms, counts in zip(shard_terms, shard_frequencies):
        if len(terms):
            frequency[np.searchsorted(vocabulary, terms)] += counts  # a shard lists each term once
    return vocabulary, frequency


def global_blocks(document_frequency: np.ndarray) -> list[tuple[int, int]]:
    """The column runs the in-process index would weigh the whole corpus in
    (its postings' indptr is the running sum of the frequencies)."""
    indptr = np.concatenate([[0], np.cumsum(document_frequency, dtype=np.int64)])
    return column_blocks(indptr)


def weigh_shard(counts: sp.csc_matrix, terms: np.ndarray, vocabulary: np.ndarray, idf: np.ndarray,
                blocks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(weights aligned with counts.data, the idf of the shard's terms)."""
    if not len(terms):
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    columns = np.searchsorted(vocabulary, terms)
    own_idf = idf[columns]
    # A global run of columns [first, last) is the shard's columns lying in it.
    cuts = [(int(np.searchsorted(columns, first)), int(np.searchsorted(columns, last))) for first, last in blocks]
    own_blocks = [(a, b) for a, b in cuts if b > a]
    return weigh_counts(counts, own_idf, own_blocks), own_idf
