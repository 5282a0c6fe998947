"""Words that answer for a question word the sentence does not write,
learned from SQuAD v1.1 train (assistant/train_associations.py): t(q | s),
how likely a sentence that says s is to be asked about with q. "posted" is
asked of a sentence that says "stationed"; "die" of one that says "death".

Read once from the package (associations.tsv.gz: question stem, sentence
stem, probability); nothing outside the package is read at run time."""

from __future__ import annotations

import gzip
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

ASSOCIATIONS_FILE = Path(__file__).with_name("associations.tsv.gz")


@lru_cache(maxsize=1)
def load_associations() -> dict[str, dict[str, float]]:
    """question stem -> {sentence stem: t(q | s)}; empty without the file."""
    try:
        text = gzip.decompress(ASSOCIATIONS_FILE.read_bytes()).decode("utf-8")
    except FileNotFoundError:
        return {}
    return table_of(line.split("\t") for line in text.splitlines())


def table_of(triples) -> dict[str, dict[str, float]]:
    """question stem -> {sentence stem: t(q | s)}, from (q, s, t) triples."""
    table: dict[str, dict[str, float]] = {}
    for q, s, p in triples:
        table.setdefault(q, {})[s] = float(p)
    return table


_table_in_training: list[dict[str, dict[str, float]]] = []  # set by `learned_elsewhere`, while training


@contextmanager
def learned_elsewhere(table: dict[str, dict[str, float]]):
    """Training's view (assistant/train.py): a SQuAD train question is
    scored with the table learned from the other half of the articles, not
    from itself and its article's other questions, so that the ranking
    model learns what the feature is worth on questions it never saw."""
    _table_in_training.append(table)
    try:
        yield
    finally:
        _table_in_training.pop()


def association(question_stem: str, sentence_stems) -> tuple[float, str | None]:
    """The strongest t(q | s) over the sentence's stems, and that stem."""
    table = _table_in_training[-1] if _table_in_training else load_associations()
    row = table.get(question_stem)
    if not row:
        return 0.0, None
    best, said = 0.0, None
    for s in sentence_stems:
        p = row.get(s, 0.0)
        if p > best:
            best, said = p, s
    return best, said
