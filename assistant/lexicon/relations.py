"""What WordNet says of a word: the words that can say the same thing, its
antonyms, the kinds of thing it names. Each answer uses only the word's
frequent senses, so that a rare sense ("bank" as a slope in a text about money)
does not bring its synonyms in at full weight."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ..index import STOP_WORDS
from .morphy import lemma_forms, normal_form
from .table import Sense, load_table


@dataclass(frozen=True)
class RelatedWeights:
    """How much each relation counts, times the square root of the sense's share.

    A synonym in the word's most frequent sense, when that sense has (nearly) all
    the word's uses, weighs 0.8; a sense with a quarter of the uses gives 0.4.
    Derivations (defect -> defector) say nearly the same thing in another part of
    speech: 0.7, and 0.5 one step further (defector -> defect -> defection). A
    narrower word in the text entails the question's word (question "surrender",
    text "capitulated"): 0.5, taken only from synsets with few hyponyms, since a
    long list (city -> 600 kinds of city) is a category, not a paraphrase. A
    broader word is implied but says less (question "fled", text "escaped"): 0.4.
    """

    synonym: float = 0.8
    derived: float = 0.7
    derived_further: float = 0.5
    narrower: float = 0.5
    broader: float = 0.4
    narrower_limit: int = 12  # a synset with more hyponyms gives none
    # Senses with less of the word's uses are left out. Low enough that "give up"
    # (twelve tagged senses) still reaches "surrender" (3 of its 38 tagged uses),
    # at a weight of 0.22; the square root keeps such senses light.
    min_share: float = 0.05
    min_length: int = 3  # shorter targets ("ad", "go") match too much by accident


WEIGHTS = RelatedWeights()
# Antonyms and kinds of thing answer yes-or-no questions, where a rare sense does
# more harm than good: only senses with a tenth of the word's uses count.
FREQUENT_SHARE = 0.1


@dataclass(frozen=True)
class WeightedSense:
    lemma: str
    sense: Sense
    share: float  # estimated part of the word's uses that are in this sense


@lru_cache(maxsize=65536)
def weighted_senses(word: str, parts_of_speech: str = "nvar", min_share: float = FREQUENT_SHARE
                    ) -> tuple[WeightedSense, ...]:
    """The frequent senses of a word (inflected or not), each with its share.

    The share is the sense's tagged count among the counts of all the senses the
    word can have, plus one pseudo-count spread over the senses 1/rank in
    index.POS order: an untagged word keeps WordNet's order (its first sense
    first), and a word with many untagged senses gives each little.
    """
    table = load_table()
    blocks = []
    for lemma, pos in lemma_forms(word):
        if pos in parts_of_speech:
            blocks.append((lemma, [s for s in table.senses(lemma) if s.pos == pos]))
    if not blocks:
        return ()
    total = sum(s.count for _, senses in blocks for s in senses) + 1.0
    found = []
    for lemma, senses in blocks:
        harmonic = sum(1.0 / rank for rank in range(1, len(senses) + 1))
        for rank, sense in enumerate(senses, 1):
            prior = (1.0 / rank) / harmonic / len(blocks)
            share = (sense.count + prior) / total
            if share >= min_share:
                found.append(WeightedSense(lemma, sense, share))
    return tuple(found)


def _is_target(word: str, sources: frozenset[str]) -> bool:
    return (
        word not in sources
        and word not in STOP_WORDS
        and len(word) >= WEIGHTS.min_length
        and any(c.isalpha() for c in word)
    )


@lru_cache(maxsize=16384)
def _related(word: str) -> tuple[tuple[str, float], ...]:
    table = load_table()
    senses = weighted_senses(word, min_share=WEIGHTS.min_share)
    sources = frozenset({normal_form(word)} | {s.lemma for s in senses})
    weights: dict[str, float] = {}

    def add(targets, weight: float) -> None:
        for target in targets:
            if weight > weights.get(target, 0.0) and _is_target(target, sources):
                weights[target] = weight

    for found in senses:
        strength = math.sqrt(found.share)
        synset = table.synset(found.sense.synset)
        add(synset.members, WEIGHTS.synonym * strength)
        add(found.sense.derived, WEIGHTS.derived * strength)
        add(found.sense.derived_further, WEIGHTS.derived_further * strength)
        for broader in synset.broader:
            add(table.synset(broader).members, WEIGHTS.broader * strength)
        narrower = table.narrower(found.sense.synset)
        if len(narrower) <= WEIGHTS.narrower_limit:
            for number in narrower:
                add(table.synset(number).members, WEIGHTS.narrower * strength)
    return tuple(sorted(((w, round(v, 3)) for w, v in weights.items()), key=lambda item: (-item[1], item[0])))


def related(word: str) -> dict[str, float]:
    """Other lemmas that can say what `word` says in a text, each with a weight
    in (0, 1), highest first. `word` may be inflected ("stationed") or a
    multiword lemma ("give up"); lemmas with a space are multiword, to be found
    in a text with phrase_lemma. Stop words and words shorter than three letters
    are left out. Empty for a word WordNet does not know."""
    return dict(_related(word))


MIN_SPELLING_LENGTH = 4  # "gray"/"grey"; shorter synonyms one letter apart are other words
LONG_SPELLING_LENGTH = 6  # from here two letters may differ ("theatre"/"theater"), below only one ("post" is no "spot")


@lru_cache(maxsize=16384)
def spellings(word: str) -> frozenset[str]:
    """Other spellings of the word: members of one of its senses' synsets a
    letter or two away from its lemma ("licence" -> "license", "colour" ->
    "color", "catalogue" -> "catalog"), with the same first letter. Synonyms
    that close are the same word spelt another way ("hustle" and "bustle"
    differ in their first letter), and count as the word itself, not as a
    paraphrase."""
    table = load_table()
    found = set()
    for sense in weighted_senses(word, min_share=WEIGHTS.min_share):
        if len(sense.lemma) < MIN_SPELLING_LENGTH:
            continue
        for member in table.synset(sense.sense.synset).members:
            if (member != sense.lemma and " " not in member and len(member) >= MIN_SPELLING_LENGTH
                    and member[0] == sense.lemma[0] and _edits(member, sense.lemma) <= _allowed_edits(member)):
                found.add(member)
    return frozenset(found - {normal_form(word)})


def _allowed_edits(word: str) -> int:
    return 2 if len(word) >= LONG_SPELLING_LENGTH else 1


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (edits and swaps of neighbours), 3 for any over 2."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return min(previous[-1], 3)


@lru_cache(maxsize=16384)
def antonyms(word: str) -> frozenset[str]:
    """WordNet's antonyms of the word in its frequent senses ("increase" -> "decrease")."""
    return frozenset(a for found in weighted_senses(word) for a in found.sense.antonyms)


@lru_cache(maxsize=16384)
def kind_of(word: str) -> frozenset[str]:
    """Lexicographer file names of the word's frequent noun senses, such as
    noun.location, noun.person, noun.time, noun.quantity, noun.group."""
    table = load_table()
    return frozenset(table.synset(found.sense.synset).lexfile for found in weighted_senses(word, "n"))


@lru_cache(maxsize=65536)
def _ancestors(synset: int) -> frozenset[int]:
    """The synset and every hypernym and instance hypernym above it."""
    table = load_table()
    found = {synset}
    for parent in table.synset(synset).broader + table.synset(synset).instance_of:
        found |= _ancestors(parent)
    return frozenset(found)


@lru_cache(maxsize=65536)
def is_a(word: str, category: str) -> bool:
    """Whether a frequent noun sense of `word` is, or is a kind or an instance of,
    a frequent noun sense of `category`: is_a("paris", "city") is true,
    is_a("bank", "city") false. A word is a kind of itself."""
    categories = {found.sense.synset for found in weighted_senses(category, "n")}
    return any(categories & _ancestors(found.sense.synset) for found in weighted_senses(word, "n"))
