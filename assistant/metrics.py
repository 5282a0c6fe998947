"""Answer-quality metrics as small pure functions, after SQuAD's official
evaluate-v2.0.py: normalise, compare, count. Nothing here asks questions."""

from __future__ import annotations

import collections
import re
import string
import unicodedata
from collections.abc import Iterable, Sequence

_PUNCTUATION = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)


class _PunctuationTable(dict):
    """A str.translate table that maps punctuation to `replacement`, filled
    in as characters are met. SQuAD removes ASCII punctuation only;
    typographic quotes and dashes (“Loyalty Shift”, 2001–02) are punctuation
    too, or a quote in curly quotes could never match its answer."""

    def __init__(self, replacement: str | None):
        super().__init__()
        self.replacement = replacement

    def __missing__(self, code: int) -> str | int | None:
        ch = chr(code)
        punctuation = ch in _PUNCTUATION or unicodedata.category(ch).startswith("P")
        self[code] = self.replacement if punctuation else code
        return self[code]


_WITHOUT_PUNCTUATION = _PunctuationTable(None)
_PUNCTUATION_AS_SPACE = _PunctuationTable(" ")


def _normalised(text: str, punctuation: _PunctuationTable) -> str:
    text = text.lower().translate(punctuation)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def normalize_answer(text: str) -> str:
    """Lower case, punctuation removed, articles removed, white space collapsed
    (SQuAD's rule, with Unicode punctuation counted as punctuation)."""
    return _normalised(text, _WITHOUT_PUNCTUATION)


def compute_exact(gold: str, predicted: str) -> int:
    """1 when both normalise to the same text, else 0."""
    return int(normalize_answer(gold) == normalize_answer(predicted))


def compute_f1(gold: str, predicted: str) -> float:
    """Harmonic mean of token precision and recall (tokens counted with
    multiplicity, as in SQuAD)."""
    gold_tokens = normalize_answer(gold).split()
    predicted_tokens = normalize_answer(predicted).split()
    if not gold_tokens or not predicted_tokens:
        # SQuAD: an empty answer scores 1 against an empty answer, else 0.
        return float(gold_tokens == predicted_tokens)
    common = collections.Counter(gold_tokens) & collections.Counter(predicted_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def best_exact(golds: Sequence[str], predicted: str) -> int:
    return max((compute_exact(g, predicted) for g in golds), default=0)


def best_f1(golds: Sequence[str], predicted: str) -> float:
    return max((compute_f1(g, predicted) for g in golds), default=0.0)


def quote_holds(quote: str, golds: Iterable[str]) -> bool:
    """Whether the quote contains a gold answer, on word boundaries ("1963"
    is not in "19634"), with case, articles and punctuation set aside.
    Punctuation parts words here, where SQuAD's normalising deletes it: so
    "Aung San Suu Kyi’s government" holds "Aung San Suu Kyi" (not "kyis"),
    "a week-long event" holds "a week" and "her weight.:110" "her weight"."""
    haystack = f" {_normalised(quote, _PUNCTUATION_AS_SPACE)} "
    return any(f" {n} " in haystack for n in (_normalised(g, _PUNCTUATION_AS_SPACE) for g in golds) if n)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The value below which `fraction` of the values lie (linear
    interpolation between ranks, as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float, denominator: float) -> float | None:
    """A fraction, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def harmonic_mean(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return 2 * a * b / (a + b) if a + b else 0.0
