"""Counting terms with numpy (postings.py): exactly the terms and counts of
the plain reference below — `\\w+` over the lower-cased passage, stop words
and overlong tokens left out — whatever the script, chunking or threads."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from assistant import postings
from assistant.index import MAX_TERM_LENGTH, STOP_WORDS, TOKEN_PATTERN, analyze, count_terms
from assistant.postings import PostingsBuilder, count_postings

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "data" / "squad" / "dev-v1.1.json"

# Each one alone, then all together: "İ" and "Σ" send their whole chunk down
# the lower-case-first path, so alone they must not hide the others.
EDGE_CASES = [
    "",
    "the of and to in",  # stop words only
    "It’s THE End’s end",  # ’ and ', capitals folded onto ASCII
    "Café CAFÉ café Ünïcödé naïve",
    "Straße STRASSE straße ß ẞ",  # ẞ lower-cases to ß
    "İstanbul İİ ıI iİ",  # İ lower-cases to two characters
    "ΟΔΟΣ ΟΔΟΣ'Α Α'Σ Σ σ ς ΣΑΣ.Β Ὀδυσσεύς",  # final sigma depends on the neighbours
    "東京都 日本語のテキスト 中文",
    "😀 x😀y 👍🏽 𝐀𝐁𝐂 𝐚 𐐀𐐁 𐐨",  # beyond the basic plane; 𝐀 is a word character, 😀 is not
    "١٢٣ ٤٥ ०१२ ௧௨ Ⅻ ½ ²³ 3²",  # digits and numbers of other scripts
    "snake_case __init__ _ __ a_b_c_d_e_f_g_h_i_j",
    "abcdefghijkl abcdefghijklm ABCDEFGHIJKLM 0123456789ab 0123456789abc",  # 12 and 13 characters
    "x" * 40 + " " + "y" * 41 + " " + "é" * 40 + " " + "É" * 41 + " " + "Z" * 45,  # around the maximum length
    "Kelvin \u212a ﬁne ǅemal ǈ \u0345 e\u0301 co\u0308operate",  # Kelvin sign, ligature, titlecase, combining marks
    "tab\tnew\nline\r\nform\x0cfeed\x00nul\u2028sep\u00a0nbsp",
    "\ud800 lone \udfff surrogates",
    "1,000.5 3.14 2024-01-01 e-mail",
]


def _count_terms_reference(texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    """The counter this project had before postings.py: one regular
    expression and one Counter a passage."""
    token = re.compile(TOKEN_PATTERN)
    rows = [
        Counter(t for t in token.findall(text.lower().replace("’", "'"))
                if t not in STOP_WORDS and len(t) <= MAX_TERM_LENGTH)
        for text in texts
    ]
    terms = sorted(set().union(*rows))
    column = {t: j for j, t in enumerate(terms)}
    indptr, indices, data = [0], [], []
    for row in rows:
        for term, count in sorted(row.items(), key=lambda item: column[item[0]]):
            indices.append(column[term])
            data.append(count)
        indptr.append(len(indices))
    matrix = sp.csr_matrix((np.array(data, np.float32), np.array(indices, np.int32), np.array(indptr, np.int64)),
                           shape=(len(texts), len(terms)))
    return matrix, terms


def assert_same_counts(texts: list[str]) -> None:
    expected, expected_terms = _count_terms_reference(texts)
    counts, terms = count_terms(texts)
    assert terms == expected_terms
    assert counts.shape == expected.shape and counts.dtype == np.float32
    counts.sort_indices()
    assert counts.indptr.tolist() == expected.indptr.tolist()
    assert counts.indices.tolist() == expected.indices.tolist()
    assert counts.data.tolist() == expected.data.tolist()


def postings_tuple(found) -> tuple:
    return (found.terms.tolist(), found.indptr.tolist(), found.passages.tolist(), found.counts.tolist(),
            found.n_passages)


def seed_paragraphs() -> list[str]:
    (seed,) = sorted((ROOT / "seeds").glob("*.txt"))
    return seed.read_text(encoding="utf-8").split("\n\n")


@pytest.fixture(scope="module")
def squad_paragraphs() -> list[str]:
    if not SQUAD.exists():
        pytest.skip("SQuAD dev-v1.1.json is not in ../shared/data")
    articles = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    return [p["context"] for a in articles for p in a["paragraphs"]][:3000]


def test_the_seed_article_is_counted_as_the_reference_counts_it():
    paragraphs = seed_paragraphs()
    assert len(paragraphs) > 10
    assert_same_counts(paragraphs)


def test_squad_paragraphs_are_counted_as_the_reference_counts_them(squad_paragraphs):
    assert_same_counts(squad_paragraphs)
    # Upper and title case: every letter folded, and Greek capitals on the way.
    assert_same_counts([p.upper() for p in squad_paragraphs[:500]] + [p.title() for p in squad_paragraphs[:500]])


@pytest.mark.parametrize("text", EDGE_CASES)
def test_an_edge_case_alone_is_counted_as_the_reference_counts_it(text):
    assert_same_counts([text])
    assert_same_counts(["plain words first", text, "", text.upper()])


def test_all_edge_cases_together_are_counted_as_the_reference_counts_them():
    assert_same_counts(EDGE_CASES + [t.upper() for t in EDGE_CASES] + [t.title() for t in EDGE_CASES])


def test_random_text_of_tricky_characters_is_counted_as_the_reference_counts_it(monkeypatch):
    alphabet = list("aAbBzZ09_ ’'.-\n") + list("éÉßẞİıΣσςΑωΩ東😀𝐀𐐀١०\u0301\u0345\u212aﬁǅ\u00a0")
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(400)]
    texts += ["".join(rng.choice("abcxyz_09") for _ in range(rng.randint(1, 20))) for _ in range(400)]
    assert_same_counts(texts)
    monkeypatch.setattr(postings, "CHUNK_CHARS", 97)
    assert_same_counts(texts)
    assert_same_counts([t for t in texts if "İ" not in t and "Σ" not in t])  # the usual, folded path


def test_no_passages_empty_passages_and_stop_words_only():
    for texts in ([], [""], ["", "", ""], ["the", "of and", ""], ["   ", "\n\n"]):
        counts, terms = count_terms(texts)
        assert terms == [] and counts.shape == (len(texts), 0) and counts.nnz == 0
        assert_same_counts(texts)


def test_counts_beyond_sixteen_bits_are_exact():
    texts = ["ab " * 70_000 + "cd", "ab"]
    counts, terms = count_terms(texts)
    assert terms == ["ab", "cd"]
    assert counts.toarray().tolist() == [[70_000, 1], [1, 0]]


def test_the_counted_terms_are_the_terms_analyze_gives_a_query():
    paragraphs = seed_paragraphs()
    counts, terms = count_terms(paragraphs)
    for row, paragraph in enumerate(paragraphs):
        expected = Counter(analyze(paragraph))
        found = counts.getrow(row).tocoo()
        assert {terms[j]: int(c) for j, c in zip(found.col, found.data)} == expected


@pytest.mark.parametrize("chunk_chars", [1, 64, 1000, 50_000])
def test_chunk_boundaries_change_nothing(monkeypatch, squad_paragraphs, chunk_chars):
    texts = squad_paragraphs[:300] + EDGE_CASES
    whole = postings_tuple(count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH))
    monkeypatch.setattr(postings, "CHUNK_CHARS", chunk_chars)
    assert postings_tuple(count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH)) == whole


def test_one_thread_or_two_give_the_same_postings(monkeypatch, squad_paragraphs):
    monkeypatch.setattr(postings, "CHUNK_CHARS", 20_000)  # many chunks, several in flight
    texts = squad_paragraphs + EDGE_CASES * 3
    one = count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH, threads=1)
    two = count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH, threads=2)
    assert postings_tuple(one) == postings_tuple(two)


def test_passages_added_in_several_calls_are_counted_as_in_one(monkeypatch):
    monkeypatch.setattr(postings, "CHUNK_CHARS", 200)
    texts = seed_paragraphs() + EDGE_CASES
    builder = PostingsBuilder(STOP_WORDS, MAX_TERM_LENGTH, threads=2)
    for start in range(0, len(texts), 7):
        builder.add(texts[start : start + 7])
    assert builder.passages == len(texts)
    assert postings_tuple(builder.finish()) == postings_tuple(count_postings(texts, STOP_WORDS, MAX_TERM_LENGTH))


def test_terms_sharing_a_hash_are_still_counted_apart(monkeypatch):
    # With a zero multiplier every term hashes alike: the exact (rank) path.
    monkeypatch.setattr(postings, "_MIX", np.uint64(0))
    assert_same_counts(seed_paragraphs() + EDGE_CASES)
