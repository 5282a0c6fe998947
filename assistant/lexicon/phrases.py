"""WordNet's multiword lemmas ("give up", "throw in the towel", "in charge")
found in a list of tokens, inflected words and all ("threw in the towel", "gave
up", "lost his temper" for "lose one's temper")."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from .morphy import lemmas, normal_form
from .table import load_table

# Words WordNet writes in place of any possessive, reflexive or noun phrase of one word.
POSSESSIVES = frozenset("my your his her its our their one's".split())
REFLEXIVES = frozenset("myself yourself himself herself itself ourselves yourselves themselves oneself".split())
PLACEHOLDERS = {
    "one's": lambda token: token in POSSESSIVES or token.endswith("'s"),
    "someone's": lambda token: token in POSSESSIVES or token.endswith("'s"),
    "somebody's": lambda token: token in POSSESSIVES or token.endswith("'s"),
    "oneself": lambda token: token in REFLEXIVES,
    "someone": lambda token: True,
    "somebody": lambda token: True,
    "something": lambda token: True,
}


class PhraseMatch(NamedTuple):
    """A multiword lemma found at a token: how many tokens it covers, and the
    lemma as the table spells it (a key for related())."""

    length: int
    lemma: str


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, tuple[str, ...]]:
    """Every multiword lemma under its first word, the ones of most words first.
    Lemmas stay whole strings here (split only when tried): splitting all 64,000
    would double the time this takes."""
    found: dict[str, list[str]] = {}
    for lemma in load_table().multiword_lemmas():
        found.setdefault(lemma[: lemma.index(" ")], []).append(lemma)
    for placeholder in PLACEHOLDERS:
        found.pop(placeholder, None)
    return {first: tuple(sorted(group, key=lambda lemma: -lemma.count(" "))) for first, group in found.items()}


def _token_matches(token: str, word: str) -> bool:
    if token == word or word in lemmas(token):
        return True
    placeholder = PLACEHOLDERS.get(word)
    return placeholder is not None and placeholder(token)


def phrase_lemma(tokens: Sequence[str], i: int) -> PhraseMatch | None:
    """The longest multiword lemma that starts at tokens[i], or None. Tokens are
    words as text.tokens() gives them (case does not matter); each may be
    inflected ("threw in the towel" -> "throw in the towel")."""
    if not 0 <= i < len(tokens):
        return None
    index = _phrases_by_first_word()
    first_word = normal_form(tokens[i])
    openings = [first for first in dict.fromkeys([first_word, *sorted(lemmas(first_word))]) if first in index]
    if not openings:
        return None  # (most words open no phrase: the words after are not looked at)
    longest = max(index[first][0].count(" ") + 1 for first in openings)  # (each group is longest first)
    words = [first_word] + [normal_form(token) for token in tokens[i + 1 : i + longest]]
    best: PhraseMatch | None = None
    for first in openings:
        for lemma in index[first]:
            phrase = lemma.split(" ")
            if best is not None and len(phrase) <= best.length:
                break
            if len(phrase) <= len(words) and all(_token_matches(t, w) for t, w in zip(words[1:], phrase[1:])):
                best = PhraseMatch(len(phrase), lemma)
                break
    return best


def find_phrases(tokens: Sequence[str]) -> list[tuple[int, PhraseMatch]]:
    """Multiword lemmas in a token list, left to right, the longest at each
    start, none overlapping: [(start, match), ...]."""
    found = []
    i = 0
    while i < len(tokens):
        match = phrase_lemma(tokens, i)
        if match is None:
            i += 1
        else:
            found.append((i, match))
            i += match.length
    return found
