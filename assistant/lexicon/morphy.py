"""A word's WordNet lemmas, the way WordNet's own morphy finds them: the
irregular forms of the exception lists first ("threw" -> "throw", "fled" ->
"flee"), otherwise the word itself and what the detachment rules leave of it
("stationed" -> "station"), each kept only where the table has it in that part
of speech."""

from __future__ import annotations

import os.path
from functools import lru_cache

from .table import load_table

# morphy(7WN): suffix -> ending, tried for each part of speech.
DETACHMENT_RULES = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}


def normal_form(word: str) -> str:
    """How the table spells a lemma: lower case, words separated by one space."""
    return " ".join(word.lower().replace("’", "'").replace("_", " ").split())


def _single_word_bases(word: str, pos: str) -> list[str]:
    table = load_table()
    irregular = table.exceptions[pos].get(word)
    if irregular is not None:
        candidates = [word, *irregular]
    else:
        candidates = [word] + [word[: -len(suffix)] + ending for suffix, ending in DETACHMENT_RULES[pos]
                               if word.endswith(suffix) and len(word) > len(suffix)]
    return [c for c in dict.fromkeys(candidates) if _has_pos(c, pos)]


def _has_pos(lemma: str, pos: str) -> bool:
    return any(sense.pos == pos for sense in load_table().senses(lemma))


def _collocation_bases(words: list[str], pos: str) -> list[str]:
    """A multiword expression inflects in its first word ("gave up") or its last
    ("prime ministers"); the exception lists also hold some whole ("attorneys general")."""
    phrase = " ".join(words)
    table = load_table()
    candidates = [phrase, *table.exceptions[pos].get(phrase, ())]
    for base in _word_forms(words[0]):
        candidates.append(" ".join([base, *words[1:]]))
    for base in _word_forms(words[-1]):
        candidates.append(" ".join([*words[:-1], base]))
    return [c for c in dict.fromkeys(candidates) if _has_pos(c, pos)]


def _word_forms(word: str) -> list[str]:
    """Base forms of a word in any part of speech, the word itself first."""
    forms = [word]
    for pos in "nvar":
        irregular = load_table().exceptions[pos].get(word)
        if irregular is not None:
            forms.extend(irregular)
        else:
            forms.extend(word[: -len(s)] + e for s, e in DETACHMENT_RULES[pos] if word.endswith(s) and len(word) > len(s))
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=65536)
def lemma_forms(word: str) -> tuple[tuple[str, str], ...]:
    """The (lemma, part of speech) pairs a word or multiword expression can be an
    inflection of, in the order n, v, a, r; empty if WordNet knows none."""
    text = normal_form(word)
    if not text:
        return ()
    words = text.split(" ")
    found = []
    for pos in "nvar":
        bases = _single_word_bases(text, pos) if len(words) == 1 else _collocation_bases(words, pos)
        found.extend((base, pos) for base in bases)
    return tuple(found)


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """The lemmas a word can be an inflection of, in any part of speech."""
    return frozenset(lemma for lemma, _ in lemma_forms(word))


@lru_cache(maxsize=65536)
def inflections(word: str) -> frozenset[str]:
    """The same word in its other regular inflections, through the noun and
    verb lemmas it is one of ("used" -> use, uses, using; "removing" ->
    remove, removes, removed): each form spelt by the regular rules and kept
    only where morphy reads it back as that lemma. Lemmas spelt otherwise
    than the word ("left" -> leave, "found" -> find, "better" -> good) and
    lemmas of fewer than three letters ("uses" -> us) are another word."""
    word = normal_form(word)
    if not word.isalpha():
        return frozenset()
    found = set()
    for lemma, pos in lemma_forms(word):
        shared = len(os.path.commonprefix([word, lemma]))
        if pos not in "nv" or len(lemma) < 3 or shared < 2 or shared < len(lemma) - 1:
            continue
        found.add(lemma)
        forms = [_plural(lemma)] if pos == "n" else [_plural(lemma), *_past_and_participle(lemma)]
        found.update(form for form in forms if (lemma, pos) in lemma_forms(form))
    return frozenset(found - {word})


_VOWELS = "aeiou"


def _plural(lemma: str) -> str:
    """A noun's plural, a verb's third person: "boxes", "copies", "uses"."""
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ies"
    return lemma + "s"


def _past_and_participle(lemma: str) -> list[str]:
    """A verb's past and -ing forms: "used", "using"; "tried", "trying";
    "stopped", "stopping" (a final consonant after one vowel may double)."""
    if lemma.endswith("e"):
        return [lemma + "d", lemma[:-2] + "ying" if lemma.endswith("ie") else
                lemma + "ing" if lemma.endswith(("ee", "ye", "oe")) else lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2] not in _VOWELS:
        return [lemma[:-1] + "ied", lemma + "ing"]
    forms = [lemma + "ed", lemma + "ing"]
    if lemma[-1] not in _VOWELS + "wxy" and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS:
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms

