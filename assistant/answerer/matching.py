"""How well a sentence matches a question's terms: each question term is
expanded into the forms it may take in the text (stems, synonyms, a typo
correction), and weighted by how rare it is in the corpus."""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..index import MAX_TERM_LENGTH, TfidfIndex, analyze
from .words import (
    ANSWER_KIND_WORDS,
    COUNTRY_BY_OTHER_NAME,
    COUNTRY_OF_PEOPLE,
    LIGHT_WORDS,
    NAME_HOMOGRAPHS,
    edits1,
    stem,
    synonyms,
    words,
)

LIGHT_SHARE = 0.3
NAME_MARK = "#name"  # on a name homograph written as a name ("Shan State"), which no synonym matches
_HOMOGRAPH_SIGNS = tuple(w.capitalize() for w in sorted(NAME_HOMOGRAPHS))  # (plain substrings: cheap to look for first)
# One of them with a capital after a sentence's first character.
_HOMOGRAPH_AS_NAME = re.compile(r"(?<=.)\b(?:" + "|".join(_HOMOGRAPH_SIGNS) + r")\b", re.S)
_HOMOGRAPH_IN_LOWER_CASE = re.compile(r"\b(?:" + "|".join(sorted(NAME_HOMOGRAPHS)) + r")\b")


@dataclass(frozen=True)
class QueryTerm:
    word: str  # as the question has it (lower case)
    forms: frozenset[str]  # surface forms that count as this word
    stems: frozenset[str]  # stems that count as this word
    weight: float  # idf, times a share when borrowed from an earlier turn
    in_corpus: bool
    # Words that may say the same thing less surely (WordNet's synonyms and
    # derived forms, weighted by how common the sense is): a sentence with
    # one of them holds the word for that share of its weight.
    related: tuple[tuple[str, float], ...] = ()


def correct_typo(word: str, index: TfidfIndex) -> str | None:
    """The corpus word one edit away from an unknown word, the most common
    such word; for an English word (WordNet's), only another form of it.
    None when there is none."""
    if len(word) < 5 or not word.isalpha() or index.has_term(word) or not len(index.vocabulary):
        return None
    if len(word) > MAX_TERM_LENGTH + 1:
        return None  # one edit away from no term: a 1,000-letter word's 54,000 edits are not made
    candidates = sorted(edits1(word))
    keys = np.array([c.encode() for c in candidates])
    positions = np.searchsorted(index.vocabulary, keys)
    positions = np.minimum(positions, len(index.vocabulary) - 1)
    hits = [c for c, p, k in zip(candidates, positions, keys) if index.vocabulary[p] == k]
    if not hits:
        return None
    from ..lexicon import lemmas, spellings

    english = lemmas(word)
    if english:
        # An English word is no typo: "folder" is not "older", though the
        # documents never say it. Another form or spelling of it is itself
        # ("negotiated", "negotiate"; "favor", "favour").
        spelt = spellings(word)
        hits = [c for c in hits if stem(c) == stem(word) or c in spelt or (english | spelt) & lemmas(c)]
    if not hits:
        return None
    return max(hits, key=lambda c: (index.document_frequency(c), c))


def _correct_compound(word: str, index: TfidfIndex) -> str | None:
    """A hyphenated word one edit away from one whose parts the corpus
    all has ("Kha-La-Yaa" for "Kha-La-Ya"), or None."""
    parts = word.split("-")
    if len(word) < 6 or not all(p.isalpha() for p in parts):
        return None
    # One edit changes one part, or two side by side (a letter moved across a
    # hyphen): the parts the corpus lacks must be one, or two together, and
    # only the edits of the parts around them are made and looked up, not all
    # of a long word's (quadratic in a word of hundreds of parts).
    unknown = [i for i, part in enumerate(parts) if not index.has_term(part)]
    if len(unknown) > 2 or len(unknown) == 2 and unknown[1] != unknown[0] + 1:
        return None
    first, last = (max(0, unknown[0] - 1), min(len(parts), unknown[-1] + 2)) if unknown else (0, len(parts))
    before = "".join(part + "-" for part in parts[:first])
    after = "".join("-" + part for part in parts[last:])
    for candidate, edit in sorted((before + edit + after, edit) for edit in edits1("-".join(parts[first:last]))):
        pieces = edit.split("-")  # (the parts outside it are the corpus's)
        if len(pieces) == last - first and all(pieces) and all(index.has_term(p) for p in pieces):
            return candidate
    return None


def without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_ACCENTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def accented_forms(word: str, index: TfidfIndex) -> set[str]:
    """Corpus words that differ from the question's only by accents: a reader
    types "Gospic" for "Gospić", or "Gospić" for "Gospic"."""
    plain = without_accents(word)
    found = {plain} if plain != word and index.has_term(plain) else set()
    if index not in _ACCENTED:
        # Built once per index, and only when a question word is unknown.
        raw = index.vocabulary
        wide = raw.view(np.uint8).reshape(len(raw), -1) if len(raw) else np.zeros((0, 1), np.uint8)
        by_plain: dict[str, set[str]] = {}
        for term in raw[(wide >= 128).any(axis=1)]:
            text = term.decode("utf-8")
            by_plain.setdefault(without_accents(text), set()).add(text)
        _ACCENTED[index] = by_plain
    return (found | _ACCENTED[index].get(plain, set())) - {word}


def related_forms(word: str, index: TfidfIndex) -> set[str]:
    """Corpus words built on the question's word: the same stem ("weak",
    "weakness"), or the word plus a short ending ("loyal", "loyalty";
    "propose", "proposal"). Found by a binary search of the sorted terms."""
    base = stem(word)
    if not word.isalpha() or not len(index.vocabulary):
        return set()
    if len(base) < 4:
        # A short word or acronym only as its plural: "ERO", "EROs".
        return {plural for plural in (word + "s", word + "es") if index.has_term(plural)}
    found = set()
    for term in _terms_starting(index, base[: max(4, min(len(base), len(word)) - 1)], 200):
        # The stem itself may be a word the stemmer cuts further ("covered"
        # -> "cover" -> "cov").
        if stem(term) == base or term == base or (len(word) >= 5 and term.startswith(word) and len(term) - len(word) <= 4):
            found.add(term)
    if len(word) > PREFIX_LENGTH:
        # The rule match_sentence applies: long words that share their first
        # letters share their root ("territory", "territorial").
        found |= {t for t in _terms_starting(index, word[:PREFIX_LENGTH], 50) if len(t) > PREFIX_LENGTH}
    return found


def _terms_starting(index: TfidfIndex, prefix: str, limit: int) -> list[str]:
    """The first `limit` corpus terms that begin with `prefix`, found by a
    binary search of the sorted vocabulary."""
    key = prefix.encode()
    low = int(np.searchsorted(index.vocabulary, key))
    high = int(np.searchsorted(index.vocabulary, key + b"\xff"))
    return [raw.decode("utf-8") for raw in index.vocabulary[low : min(high, low + limit)]]


MIN_RELATED_SHARE = 0.45  # WordNet relations weaker than this are not looked for
RETRIEVED_RELATED_SHARE = 0.6  # nor searched for passages, nor taken as the word being in the corpus


# What stands between a verb and its particle ("give me back", "turn that off").
_OBJECT_WORDS = frozenset("me it them him her us you this that these those".split())


def phrasal_verbs(question: str, terms: list[str]) -> dict[str, str]:
    """The multiword verbs WordNet knows in a question ("give me back",
    "turn it off", "get rid of"), under the question word that carries
    each (the first of its words among `terms` that is no light verb): the
    verb says in one phrase what a text says in one word ("return",
    "switch off", "remove")."""
    from ..lexicon import phrase_lemma, weighted_senses

    tokens = words(question)
    found: dict[str, str] = {}
    i = 0
    while i < len(tokens) - 1:
        if not weighted_senses(tokens[i], "v"):
            i += 1  # (no verb opens here: the phrases of "in", "the", "a" are thousands)
            continue
        skip = 1 if tokens[i + 1] in _OBJECT_WORDS else 0
        trial = tokens[: i + 1] + tokens[i + 1 + skip :]
        match = phrase_lemma(trial, i)
        if match is None or not weighted_senses(match.lemma, "v"):
            i += 1
            continue
        carriers = [t for t in trial[i : i + match.length] if t in terms]
        # A light verb ("get" of "get rid of") weighs little: the phrase's other word carries it.
        carrier = next((t for t in carriers if t not in LIGHT_WORDS), carriers[0] if carriers else None)
        if carrier is not None:
            found.setdefault(carrier, match.lemma)
        i += match.length + skip
    return found


def lexical_relations(word: str, index: TfidfIndex, forms: frozenset[str], stems: frozenset[str],
                      phrase: str | None = None) -> tuple[tuple[str, float], ...]:
    """The corpus words WordNet relates to a question word (or to the
    multiword verb it carries, `phrase`), with their weights, strongest
    first: none that its own `forms` or `stems` already match, and none for
    what is not a plain word."""
    if not word.isalpha() or len(word) < 3:
        return ()
    from ..lexicon import related

    found = {}
    relations = related(word)
    if phrase is not None:
        relations = {**relations, **{other: share for other, share in related(phrase).items()
                                     if share > relations.get(other, 0.0)}}
    for other, share in relations.items():
        if (share >= MIN_RELATED_SHARE and " " not in other and other not in forms and stem(other) not in stems
                and _written_forms(other, index)):
            found[other] = share
    return tuple(sorted(found.items(), key=lambda pair: (-pair[1], pair[0])))


def _written_forms(word: str, index: TfidfIndex) -> list[str]:
    """The forms the corpus writes a word in that a sentence is matched by
    (its stem): the word itself, else "returns" for "return"."""
    if index.has_term(word):
        return [word]
    return [form for form in _inflections(word) if index.has_term(form) and stem(form) == stem(word)]


def expand(terms: list[str], index: TfidfIndex, share: float = 1.0, plain: frozenset[str] = frozenset(),
           phrases: dict[str, str] | None = None) -> list[QueryTerm]:
    """The question's words with the forms that count as each; those in
    `plain` (common words, not names) with the words WordNet relates to them,
    or to the multiword verb `phrases` says they carry."""
    from ..lexicon import spellings  # as lexical_relations: the table loads on first use

    expanded = []
    for word in terms:
        forms = {word}
        # "u.s" is "u" and "s" to the index, which may keep only "u".
        pieces = analyze(word)
        known = (
            index.has_term(word)
            # "16-10", "game-themed"; "here-documents", "day-to-day", of which
            # the index keeps the parts that are not small words
            or ((len(pieces) > 1 or "-" in word) and bool(pieces) and all(index.has_term(p) for p in pieces))
            or ("." in word and any(index.has_term(p) for p in pieces))
        )
        related = related_forms(word, index) | accented_forms(word, index) if not known else set()
        # "IPs", "IDs", "VMs": two letters and a plural's "s", too short for
        # the stemmer, are the word the documents write without it.
        if not known and len(word) == 3 and word.endswith("s") and word.isalpha() and index.has_term(word[:-1]):
            fixed = word[:-1]
        else:
            fixed = correct_typo(word, index) if not known and not related else None
        if not known and not fixed and "-" in word:
            fixed = _correct_compound(word, index)
        if fixed:
            forms.add(fixed)
        forms |= related
        if not known and word in COUNTRY_BY_OTHER_NAME:
            forms.add(COUNTRY_BY_OTHER_NAME[word])  # "Washington" for "the U.S."
        if word in COUNTRY_OF_PEOPLE:
            forms.add(COUNTRY_OF_PEOPLE[word])
        if "-" in word and not known:
            # "ex-soldiers" are soldiers: the last part of an unknown compound counts.
            forms.add(word.rsplit("-", 1)[1])
        joined = word.replace("-", "")
        if joined != word and index.has_term(joined):
            forms.add(joined)  # "thread-safe" is "threadsafe" written apart
        if word in NAME_HOMOGRAPHS:
            forms.add(word + NAME_MARK)  # "Which state...?" finds "Shan State"
        for base in list(forms) if word not in ANSWER_KIND_WORDS else ():
            forms |= synonyms(base)
            forms |= synonyms(stem(base))
        if word in plain and word.isalpha():
            # "licence" is "license" spelt another way: the word itself, not a paraphrase.
            forms |= {other for other in spellings(word) if index.has_term(other)}
        stems = frozenset(stem(f) for f in forms)
        in_corpus = known or bool(fixed) or bool(related) or any(
            index.has_term(f) or ("." in f and any(index.has_term(p) for p in analyze(f))) for f in forms
        )
        relations = lexical_relations(word, index, frozenset(forms), stems, (phrases or {}).get(word)) \
            if word in plain and word not in ANSWER_KIND_WORDS else ()
        in_corpus = in_corpus or any(s >= RETRIEVED_RELATED_SHARE for _, s in relations)
        if known and not index.has_term(word) and pieces:
            idf = max(index.idf_of(p) for p in pieces if index.has_term(p))
        else:
            idf = index.idf_of(fixed or word)
        weight = max(idf, 1.0) * share
        if word in LIGHT_WORDS:
            weight *= LIGHT_SHARE
        expanded.append(QueryTerm(word, frozenset(forms), stems, weight, in_corpus, relations))
    return expanded


def with_joined_forms(terms: list[QueryTerm], question: str, index: TfidfIndex) -> list[QueryTerm]:
    """Two words the question writes side by side that the documents write as
    one ("IP address" where they say "ipaddress", "data base", "file name"):
    the joined word is a form of each, so a sentence or title that has it
    holds both. (The other way round, compounds.written_apart.)"""
    joined: dict[str, set[str]] = {}
    for first, second in zip(terms, terms[1:]):
        word = first.word + second.word
        if not (first.word.isalpha() and second.word.isalpha()) or not index.has_term(word):
            continue
        if re.search(rf"(?<!\w){re.escape(first.word)}[\s‐-]+{re.escape(second.word)}(?!\w)", question, re.IGNORECASE):
            joined.setdefault(first.word, set()).add(word)
            joined.setdefault(second.word, set()).add(word)
    if not joined:
        return terms
    return [replace(t, forms=t.forms | joined[t.word], stems=t.stems | {stem(w) for w in joined[t.word]})
            if t.word in joined else t for t in terms]


def retrieval_terms(query_terms: list[QueryTerm], index: TfidfIndex) -> dict[str, float]:
    """Weighted index terms for the passage search: the word itself, then its
    other forms found in the corpus vocabulary at a lower weight (its
    inflections, by the stemmer's endings and through its WordNet lemmas:
    "removing" is searched for as "remove" too), then the words WordNet
    relates to it closely enough."""
    from ..lexicon import inflections

    weights: dict[str, float] = {}
    for term in query_terms:
        for form in term.forms:
            for token in analyze(form):
                if not index.has_term(token):
                    continue
                share = 1.0 if form == term.word else 0.7  # the word itself, or what the index keeps of it
                weight = term.weight * share * index.idf_of(token) / max(index.idf_of(term.word), 1.0)
                weights[token] = max(weights.get(token, 0.0), weight)
        for variant in _inflections(term.word) | inflections(term.word):
            if variant not in weights and index.has_term(variant):
                weights[variant] = term.weight * 0.7
        root = stem(term.word)
        for other, share in term.related:
            # A word built on the question's own ("deletion" for "deleted",
            # "compression" for "compress") is searched for as readily as a
            # close synonym.
            if share >= RETRIEVED_RELATED_SHARE or (share >= MIN_RELATED_SHARE and _built_on(other, root)):
                for form in _written_forms(other, index):
                    if form not in weights:
                        weights[form] = term.weight * share * 0.7
    norm = float(np.sqrt(sum(w * w for w in weights.values()))) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _built_on(other: str, root: str) -> bool:
    """Whether a related word is built on a word's root (its stem): it
    begins with the root's letters but the last ("compress", "compression")."""
    return len(root) >= 4 and other.startswith(root[:-1])


def _inflections(word: str) -> set[str]:
    base = stem(word)
    out = {base, base + "s", base + "es", base + "ed", base + "ing", base + "er", base + "ers", base + "ion", base + "ions"}
    if word.endswith("y"):
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        out |= {word + "d", word + "s", word[:-1] + "ing"}
    return out - {word}


@dataclass(frozen=True)
class SentenceMatch:
    coverage: float  # share of the question's weight found in the sentence
    matched: frozenset[str]  # question words found
    positions: tuple[int, ...]  # token positions in the sentence that matched
    bigrams: int  # consecutive question words found consecutively
    term_positions: tuple[tuple[str, tuple[int, ...]], ...] = ()  # where each question word was found
    length: int = 0  # the sentence's words
    related: float = 0.0  # the share of the question's weight held only through related words
    in_compounds: frozenset[str] = frozenset()  # question words held only as a compound's part ("Myanmar-China")
    compound: float = 0.0  # the share of the question's weight held only through them


WEIGHT_POWER = 1.0
COVERED_TERMS = 4


def question_weight(weights: list[float]) -> float:
    """What a sentence must match to cover a question: the weight of its
    heaviest few terms. A long, chatty question ("Could you please tell me,
    going by what ... roughly how many...") is not expected to be matched
    word for word; a short one is, as before."""
    return sum(sorted(weights, reverse=True)[:COVERED_TERMS]) or 1.0
PREFIX_LENGTH = 7


# A compound's parts: "royalty-free", "ensure_ascii", "DictReader". The words
# of a hyphenated phrase and of a program's names are words of the sentence
# too ("royalties" asked, "royalty-free" written); the compound stays one
# token, so positions and phrases are the same.
_COMPOUND_BREAK = re.compile(r"[-_]")
_CAMEL_CASE = re.compile(r"\b[A-Za-z][a-z]*(?:[A-Z][a-z]+|[A-Z]+(?=[A-Z][a-z]|\b))+\b")
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")  # (a sentence without one has no CamelCase word)
_NO_PARTS: frozenset[str] = frozenset()
_CAMEL_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
MIN_PART_LENGTH = 3
PART_SHARE = 0.7  # what a word counts when only a compound's part writes it


def _parts(token: str, camel: dict[str, list[str]]) -> frozenset[str]:
    """The words and stems of a compound token's parts; empty for a plain word."""
    pieces = camel.get(token)
    return _words_and_stems(pieces) if pieces else _joined_parts(token)


@lru_cache(maxsize=50_000)
def _joined_parts(token: str) -> frozenset[str]:
    """The parts of a word joined by hyphens or underscores, unless English
    has the compound as a word of its own."""
    if "-" in token and _a_word_of_its_own(token):
        return _NO_PARTS
    return _words_and_stems(_COMPOUND_BREAK.split(token))


def _words_and_stems(pieces: list[str]) -> frozenset[str]:
    parts = [p for p in pieces if len(p) >= MIN_PART_LENGTH and p.isalpha()]
    if not parts or len(pieces) < 2:
        return _NO_PARTS
    return frozenset(parts) | frozenset(stem(p) for p in parts)


def _a_word_of_its_own(compound: str) -> bool:
    """Whether English has the compound as a word, meaning more than its
    parts ("long-run", "so-called", "built-in"; not "royalty-free")."""
    from ..lexicon import lemmas

    return bool(lemmas(compound))


@lru_cache(maxsize=20_000)
def _tokens_and_stems(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], tuple[frozenset[str], ...]]:
    """A sentence's words, their stems, and both as one set (with the parts
    of its compounds), and each word's parts: the same sentences come back
    question after question."""
    tokens = tuple(words(sentence))
    if (any(sign in sentence for sign in _HOMOGRAPH_SIGNS) and _HOMOGRAPH_AS_NAME.search(sentence)
            and not _HOMOGRAPH_IN_LOWER_CASE.search(sentence)):
        # "Shan State", "the State Department": a name, not "to state".
        tokens = tuple(t + NAME_MARK if t in NAME_HOMOGRAPHS else t for t in tokens)
    stems = tuple(map(stem, tokens))
    present = set(tokens)
    present.update(stems)
    present.update(t[:PREFIX_LENGTH] + "…" for t in tokens if len(t) > PREFIX_LENGTH)
    parts: tuple[frozenset[str], ...] = ()  # none: the sentence has no compound
    camel = {m.group().lower(): [p.lower() for p in _CAMEL_BREAK.split(m.group())]
             for m in _CAMEL_CASE.finditer(sentence)} if _LOWER_UPPER.search(sentence) else {}
    if camel or "-" in sentence or "_" in sentence:
        parts = tuple(_parts(t, camel) if t in camel or "-" in t or "_" in t else _NO_PARTS for t in tokens)
        present.update(*parts)
    return tokens, stems, frozenset(present), parts


def sentence_stems(sentence: str) -> tuple[str, ...]:
    """A sentence's words' stems, in order."""
    return _tokens_and_stems(sentence)[1]


def sentence_vocabulary(sentence: str) -> frozenset[str]:
    """A sentence's words and their stems (and long words' first letters)."""
    return _tokens_and_stems(sentence)[2]


@dataclass(frozen=True)
class _Prepared:
    """What match_sentence needs of a question's terms, worked out once for
    all the sentences it is matched against."""

    total: float
    terms: tuple[tuple[QueryTerm, float, str | None, tuple[tuple[str, str, float], ...]], ...]
    # (term, its weight, its 'prefix…' key when long, its related words with their stems and shares)
    wanted: frozenset[str]  # every form, stem, key and related word any term is found by


_last_prepared: tuple[tuple[int, ...], tuple[QueryTerm, ...], _Prepared | None] = ((), (), None)


def _prepared(query_terms: list[QueryTerm]) -> _Prepared:
    """The terms prepared, remembered for the last list of terms: a question's
    sentences are matched one after the other against the same terms. (Known
    by the terms' identities, which the terms kept here hold; hashing them
    costs as much as preparing them.)"""
    global _last_prepared
    ids = tuple(map(id, query_terms))
    if _last_prepared[0] == ids:
        return _last_prepared[2]
    prepared = _prepare(query_terms)
    _last_prepared = (ids, tuple(query_terms), prepared)
    return prepared


def _prepare(query_terms: list[QueryTerm]) -> _Prepared:
    terms = tuple((t, t.weight ** WEIGHT_POWER,
                   t.word[:PREFIX_LENGTH] + "…" if len(t.word) >= PREFIX_LENGTH + 1 and t.word.isalpha() else None,
                   tuple((other, stem(other), share) for other, share in t.related))
                  for t in query_terms)
    wanted = set()
    for term, _, prefix_key, related in terms:
        wanted |= term.forms | term.stems
        wanted.update(word for other, wanted_stem, _ in related for word in (other, wanted_stem))
        if prefix_key is not None:
            wanted.add(prefix_key)
    return _Prepared(question_weight([t.weight ** WEIGHT_POWER for t in query_terms]), terms, frozenset(wanted))


def match_sentence(sentence: str, query_terms: list[QueryTerm]) -> SentenceMatch:
    tokens, stems, present, parts = _tokens_and_stems(sentence)  # present: words, stems, parts and 'prefix…' of long words
    prepared = _prepared(query_terms)
    if prepared.terms and present.isdisjoint(prepared.wanted):
        return SentenceMatch(0.0, frozenset(), (), 0, (), len(tokens))  # most sentences of a passage: nothing to look for
    total = prepared.total
    found_weight = related_weight = compound_weight = 0.0
    matched: set[str] = set()
    in_compounds: set[str] = set()
    positions: list[int] = []
    where: dict[str, set[int]] = {}
    for term, weight, prefix_key, related in prepared.terms:
        held = not (present.isdisjoint(term.forms) and present.isdisjoint(term.stems))
        if not held:
            hits = set()  # most terms are in few sentences: no scan
        else:
            hits = {i for i, (tok, st) in enumerate(zip(tokens, stems)) if tok in term.forms or st in term.stems}
        if not hits and prefix_key is not None and prefix_key in present:
            # "territory" and "territorial", "president" and "presidential":
            # long words that share their first letters share their root.
            prefix = prefix_key[:-1]
            hits = {i for i, tok in enumerate(tokens) if len(tok) > PREFIX_LENGTH and tok.startswith(prefix)}
        share = 1.0
        if not hits and held and parts:
            # Only a compound holds it ("royalty-free" for "royalties"): the
            # compound may mean something else ("long-run" is no running).
            share, hits = PART_SHARE, {i for i, part in enumerate(parts)
                                       if part and not (part.isdisjoint(term.forms) and part.isdisjoint(term.stems))}
            if hits:
                in_compounds.add(term.word)
                compound_weight += share * weight
        if not hits and related:
            share, hits = _related_hits(related, tokens, stems, present)
        if hits:
            found_weight += share * weight
            if share < 1.0:
                related_weight += share * weight
            matched.add(term.word)
            positions.extend(sorted(hits))
            where[term.word] = hits
    bigrams = 0
    for first, second in zip(query_terms, query_terms[1:]):
        if any(i + 1 in where.get(second.word, ()) or i + 2 in where.get(second.word, ()) for i in where.get(first.word, ())):
            bigrams += 1
    term_positions = tuple((word, tuple(sorted(hits))) for word, hits in where.items())
    return SentenceMatch(found_weight / total, frozenset(matched), tuple(sorted(set(positions))), bigrams, term_positions,
                         len(tokens), related_weight / total, frozenset(in_compounds), compound_weight / total)


def _related_hits(related: tuple[tuple[str, str, float], ...], tokens, stems, present) -> tuple[float, set[int]]:
    """The strongest related word the sentence holds, as (its share, its places)."""
    for other, wanted, share in related:  # strongest first
        if other in present or wanted in present:
            return share, {i for i, (tok, st) in enumerate(zip(tokens, stems)) if tok == other or st == wanted}
    return 1.0, set()


def matched_window(term_positions: tuple[tuple[str, tuple[int, ...]], ...]) -> tuple[int, int]:
    """The fewest tokens from the first to the last of a run that holds one
    place of each question word a sentence matched, and how many words
    that is: (0, n) when fewer than two matched."""
    places = sorted((at, word) for word, hits in term_positions for at in hits)
    wanted = len(term_positions)
    if wanted < 2:
        return 0, wanted
    seen: dict[str, int] = {}
    best = places[-1][0] - places[0][0]
    left = 0
    for at, word in places:  # a sliding window over the places, in order
        seen[word] = seen.get(word, 0) + 1
        while len(seen) == wanted:
            first, first_word = places[left]
            best = min(best, at - first)
            seen[first_word] -= 1
            if not seen[first_word]:
                del seen[first_word]
            left += 1
    return best, wanted
