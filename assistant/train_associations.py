"""Rebuild the word associations (answerer/associations.tsv.gz) from SQuAD
v1.1 train:

    python -m assistant.train_associations           # writes the shipped file
    python -m assistant.train_associations --check   # exit 1 unless it gives the shipped file

Which words of the sentence that answers a question stand for a question
word the sentence does not write: "posted" asked, "stationed" written; "die"
asked, "death" written. Each question is paired with the sentence of its
paragraph that holds its answer, both read as stems without stop words, and
IBM Model 1 (Brown et al. 1993; used for question answering by Berger &
Lafferty 1999, Echihabi & Marcu 2003) learns t(q | s), how likely sentence
stem s is to be asked as question stem q, by expectation-maximisation. The
sentence's own stems explain most question words (a word is asked as
itself); what is left over is learned as associations. A NULL word takes
the question words no sentence word explains.

Only pairs seen often enough and likely enough are kept, so the file is
small and every entry can be read: "q<TAB>s<TAB>t(q|s)". Deterministic: the
same data gives the same file, byte for byte."""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

import numpy as np

from .answerer.associations import ASSOCIATIONS_FILE, load_associations
from .answerer.words import QUESTION_WORDS, stem, words
from .index import STOP_WORDS

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "data" / "squad" / "train-v1.1.json"
ITERATIONS = 8  # EM rounds: pairs kept after 6, 8, 10 rounds: 9,237, 9,093, 9,036
MIN_COUNT = 5  # a stem must be seen in this many questions (q) or answering sentences (s)
# A pair of stems must meet in this many articles: one article's questions
# share its topic words ("station" asked of every sentence about Televisa),
# which is no association of meaning.
MIN_ARTICLES = 3
MIN_PROBABILITY = 0.02  # t(q | s) below this is noise at this data size
NULL = 0
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def _stems(text: str) -> list[str]:
    """The distinct content stems of a text, in order: no stop or question
    words, no numbers (a number is matched as itself, never by association)."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word in STOP_WORDS or word in QUESTION_WORDS or not word.isalpha() or len(word) < 3:
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


def answering_sentence(context: str, answer_start: int) -> str:
    """The sentence of `context` that holds the character at answer_start."""
    start = 0
    for match in _SENTENCE_END.finditer(context):
        if match.start() > answer_start:
            return context[start:match.start()]
        start = match.end()
    return context[start:]


def question_sentence_pairs(train_file: Path) -> list[tuple[list[str], list[str], int]]:
    """(question stems, answering sentence stems, article number) of each question."""
    data = json.loads(train_file.read_text(encoding="utf-8"))["data"]
    pairs = []
    for number, article in enumerate(data):
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                sentence = answering_sentence(context, qa["answers"][0]["answer_start"])
                question, said = _stems(qa["question"]), _stems(sentence)
                if question and said:
                    pairs.append((question, said, number))
    return pairs


def model_one(pairs: list[tuple[list[str], list[str], int]], iterations: int = ITERATIONS
              ) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """t(q | s) by EM over every (question word, sentence word) meeting,
    the sentence's NULL word included. Returns the question and sentence
    vocabularies, each meeting pair's (q, s) ids, t, and the number of
    articles it met in."""
    q_count: dict[str, int] = {}
    s_count: dict[str, int] = {}
    for question, said, _ in pairs:
        for q in question:
            q_count[q] = q_count.get(q, 0) + 1
        for s in said:
            s_count[s] = s_count.get(s, 0) + 1
    q_vocabulary = sorted(q for q, n in q_count.items() if n >= MIN_COUNT)
    s_vocabulary = ["<null>"] + sorted(s for s, n in s_count.items() if n >= MIN_COUNT)
    q_id = {q: i for i, q in enumerate(q_vocabulary)}
    s_id = {s: i for i, s in enumerate(s_vocabulary)}
    q_rows, s_rows, slots, articles = [], [], [], []  # one row per (question word of a pair, sentence word of it)
    slot = 0
    for question, said, article in pairs:
        s_ids = [NULL] + [s_id[s] for s in said if s in s_id]
        for q in question:
            if q not in q_id:
                continue
            q_rows.extend([q_id[q]] * len(s_ids))
            s_rows.extend(s_ids)
            slots.extend([slot] * len(s_ids))
            articles.extend([article] * len(s_ids))
            slot += 1
    q_rows, s_rows, slots, articles = (np.asarray(a, dtype=np.int64) for a in (q_rows, s_rows, slots, articles))
    keys = q_rows * len(s_vocabulary) + s_rows
    unique, pair_of_row = np.unique(keys, return_inverse=True)
    met_in = np.unique(pair_of_row * (int(articles.max()) + 1) + articles) // (int(articles.max()) + 1)
    met = np.bincount(met_in, minlength=len(unique))
    pair_q, pair_s = unique // len(s_vocabulary), unique % len(s_vocabulary)
    t = np.full(len(unique), 1.0 / len(q_vocabulary))
    for _ in range(iterations):
        values = t[pair_of_row]
        share = values / np.bincount(slots, weights=values)[slots]  # how much each sentence word explains the question word
        counts = np.bincount(pair_of_row, weights=share, minlength=len(unique))
        t = counts / np.bincount(pair_s, weights=counts, minlength=len(s_vocabulary))[pair_s]
    return q_vocabulary, s_vocabulary, pair_q, pair_s, t, met


def associations(pairs: list[tuple[list[str], list[str], int]]) -> list[tuple[str, str, float]]:
    """The kept (question stem, sentence stem, t) triples of these pairs,
    sorted. Training learns them from half the articles' pairs at a time
    (cross-fitting: assistant/answerer/associations.learned_elsewhere)."""
    q_vocabulary, s_vocabulary, pair_q, pair_s, t, met = model_one(pairs)
    kept = []
    for q, s, p, n in zip(pair_q.tolist(), pair_s.tolist(), t.tolist(), met.tolist()):
        q_word, s_word = q_vocabulary[q], s_vocabulary[s]
        if s == NULL or q_word == s_word or p < MIN_PROBABILITY or n < MIN_ARTICLES:
            continue  # a word asked as itself is matched as itself
        kept.append((q_word, s_word, round(p, 4)))
    return sorted(kept)


def render(triples: list[tuple[str, str, float]]) -> bytes:
    text = "".join(f"{q}\t{s}\t{p}\n" for q, s, p in triples)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.train_associations", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 unless training gives the shipped file")
    parser.add_argument("--train", type=Path, default=TRAIN, help="SQuAD v1.1 train JSON")
    options = parser.parse_args(argv)
    if not options.train.is_file():
        print(f"assistant: no SQuAD train file at {options.train}", file=sys.stderr)
        return 2
    data = render(associations(question_sentence_pairs(options.train)))
    if options.check:
        same = ASSOCIATIONS_FILE.is_file() and ASSOCIATIONS_FILE.read_bytes() == data
        print("associations match the shipped file" if same else "associations differ from the shipped file")
        return 0 if same else 1
    ASSOCIATIONS_FILE.write_bytes(data)
    load_associations.cache_clear()
    print(f"wrote {ASSOCIATIONS_FILE} ({len(data):,} bytes, {len(load_associations()):,} question stems)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
