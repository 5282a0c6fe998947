"""The TF-IDF index: the same weights and idf scikit-learn's TfidfVectorizer
gives, counted in one chunk or many (on two threads); searches that agree
with brute-force cosine; a save/load round trip through plain arrays."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from assistant import index as index_module
from assistant import postings
from assistant.index import STOP_WORDS, TOKEN_PATTERN, PassageTable, TfidfIndex

WORDS = "soldiers defect army coup battalion surrender family kyat border alliance the of and to in It’s".split()


def corpus(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))) + f" w{i % 97}" for i in range(n)]


def table(n: int) -> PassageTable:
    return PassageTable(np.zeros(n, np.int32), np.arange(1, n + 1, dtype=np.int32), np.zeros(n, np.int64), np.zeros(n, np.int64))


def vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(preprocessor=lambda t: t.lower().replace("’", "'"), token_pattern=TOKEN_PATTERN,
                           stop_words=sorted(STOP_WORDS), sublinear_tf=True, dtype=np.float32)


def reference(texts):
    fitted = vectorizer()
    return fitted.fit_transform(texts), fitted.get_feature_names_out()


@pytest.mark.parametrize("chunk_chars", [1 << 21, 300])
def test_weights_equal_tfidf_vectorizer_in_one_chunk_or_many(monkeypatch, chunk_chars):
    monkeypatch.setattr(postings, "CHUNK_CHARS", chunk_chars)
    texts = corpus(400)
    built = TfidfIndex.build(texts, table(len(texts)))
    matrix, terms = reference(texts)
    assert [t.decode() for t in built.vocabulary] == list(terms)
    assert abs(built.postings - matrix.tocsc()).max() < 1e-6
    assert np.allclose(built.idf, vectorizer().fit(texts).idf_)


def test_search_agrees_with_brute_force_cosine():
    texts = corpus(300, seed=5)
    built = TfidfIndex.build(texts, table(len(texts)))
    matrix, terms = reference(texts)
    for query in ["soldiers surrender", "kyat border w5", "coup"]:
        weights = built.query_weights(index_module.analyze(query))
        vector = np.zeros(len(terms), np.float32)
        for term, weight in weights.items():
            vector[list(terms).index(term)] = weight
        scores = matrix @ vector
        best = np.lexsort((np.arange(len(scores)), -scores))[:5]
        hits = built.search(query, 5)
        assert [h.passage for h in hits] == [int(i) for i in best if scores[i] > 0][:5]
        assert [round(h.score, 5) for h in hits] == [round(float(scores[i]), 5) for i in best if scores[i] > 0][:5]


def test_unknown_words_empty_queries_and_stop_words_only():
    built = TfidfIndex.build(["the and of", "soldiers surrender"], table(2))
    assert built.search("zzz unknown", 5) == []
    assert built.search("", 5) == []
    assert built.has_term("soldiers") and not built.has_term("the")
    assert built.idf_of("never-seen") == pytest.approx(float(built.idf.max()))
    empty = TfidfIndex.build(["the", "of and"], table(2))
    assert empty.search("the", 3) == [] and len(empty.vocabulary) == 0


def test_save_and_load_round_trip_without_pickle(tmp_path):
    texts = corpus(50)
    built = TfidfIndex.build(texts, table(len(texts)))
    built.save(tmp_path / "ix")
    loaded = TfidfIndex.load(tmp_path / "ix")
    for name in (tmp_path / "ix").glob("*.npy"):
        np.load(name, allow_pickle=False)  # plain arrays only
    assert [(h.passage, h.score) for h in loaded.search("army coup", 5)] == [
        (h.passage, h.score) for h in built.search("army coup", 5)]
    # The raw counts (for incremental refreshes) come back exactly, as small integers.
    assert loaded.counts().dtype == np.uint8
    assert (loaded.counts() != built.counts()).nnz == 0


def test_first_mentions_are_each_documents_first_passages_holding_the_word():
    texts = ["coup news", "army border", "army coup", "coup coup", "border", "coup", "army", "coup army"]
    documents = np.array([0, 0, 0, 1, 1, 1, 2, 2], np.int32)
    passages = PassageTable(documents, np.arange(1, 9, dtype=np.int32), np.zeros(8, np.int64), np.zeros(8, np.int64))
    built = TfidfIndex.build(texts, passages)
    assert [h.passage for h in built.first_mentions("coup", 1)] == [0, 3, 7]
    assert [h.passage for h in built.first_mentions("coup", 2)] == [0, 2, 3, 5, 7]
    column = built.column("coup")
    weight = {int(p): float(w) for p, w in zip(built.postings.indices[built.postings.indptr[column]:
                                                                       built.postings.indptr[column + 1]],
                                               built.postings.data[built.postings.indptr[column]:
                                                                   built.postings.indptr[column + 1]])}
    assert [h.score for h in built.first_mentions("coup", 1)] == [weight[0], weight[3], weight[7]]
    assert built.first_mentions("never-seen", 2) == []
