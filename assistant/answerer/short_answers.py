"""The short answer of a quoted sentence, picked by learned weights. The
rules propose spans (their own answer: the typed name, date or number
answer_entity finds, else the phrase phrase_answer finds; each name, date
and number of the sentence; each run of words between the question's own
and its parts), each span gets facts saying what it is and where it stands,
and a conditional logit learned from SQuAD v1.1 train and the studied eval
sets (assistant/train_spans.py, span-model.json) says which span the
question asks for.

Every fact is a plain one about the span ("it follows 'is'", "it is two
words long", "WordNet knows it as a kind of the thing asked"), so a pick
is explained by the weights of the facts it has. The rules still say
whether there is a short answer at all, and a clause they find by its cue
("because...", "by doing...") stays theirs."""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..index import STOP_WORDS
from ..lexicon import is_a, kind_of, weighted_senses
from ..readers.structure import CELL_SEPARATOR
from .. import text as _text
from ..text import Span
from .entities import (
    DATE,
    NAME,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACE,
    Entity,
    capitalised_by_position,
    entity_matches,
    find_entities,
    in_quotation_marks,
    names_a_thing,
)
from .matching import PART_SHARE, QueryTerm, SentenceMatch
from .question import (
    ACRONYM,
    ADDRESS,
    CONSEQUENCE,
    DEFINITION,
    DURATION,
    MANNER,
    MEASURE,
    MONEY,
    OPTION,
    PERCENT,
    REASON,
    Question,
)
from .spans import (
    CLAUSE_END,
    EDGE_WORDS,
    PHRASE_TOKEN,
    WORD_PART,
    another_name_of_the_asked,
    closeness_of,
    named_as,
    phrase_answer,
    phrase_tokens,
    runs_between,
    tokens_and_clauses,
    weighted_anchors,
    without_edge_words,
    without_question_words,
)
from .words import stem

SPAN_MODEL_FILE = Path(__file__).with_name("span-model.json")

_DIGIT = re.compile(r"\d")
_COPULA = {"is", "was", "are", "were", "be", "been", "being", "become", "became", "becomes", "remains", "remained"}
_NAMING = {"called", "named", "known", "titled", "dubbed", "nicknamed", "termed"}
_ARTICLES = {"the", "a", "an"}
MAX_DISTANCE = 20  # tokens from the nearest question word beyond which a span is not proposed
MAX_RUN = 12  # tokens: a longer run of words is no short answer, only its parts may be
# The mark of a list item or clause opening a line ("v. The shell saves...",
# "(b) You must...", "3.1. Each"): never part of a short answer. Its number
# or letter is the one the sentence splitter knows; a number without its
# stop ("127 soldiers surrendered.") is no mark.
_ITEM_MARK = re.compile(rf"(?:\([a-zA-Z0-9]{{1,4}}\)|(?:{_text._ITEM_NUMBER.pattern}|[ivxlc]{{1,5}})[.)])[ \t]+(?=\w)")
# The question's families: how much a fact counts depends on what is asked.
FAMILIES = {"who": "who", "when": "when", "where": "where", "how many": "count", "how much": "count",
            "how long": "count", "why": "why", "how": "how", "definition": "definition"}
# The rules' typed answers, kept whole: "Infantry Battalion (IB) 129", "over 14,000".
_WHOLE = frozenset({PERSON, PLACE, ORGANISATION, NAME, NUMBER, DATE, MONEY, PERCENT, DURATION, MEASURE, ACRONYM,
                    ADDRESS, OPTION})
_KINDS = {PERSON: "person", PLACE: "place", ORGANISATION: "organisation", NAME: "name", NUMBER: "number",
          DATE: "date"}


def family(parsed: Question) -> str:
    return FAMILIES.get(parsed.kind, "what")


@dataclass(frozen=True)
class SpanModel:
    """Each fact's weight, alone ("near") and for a family of question
    ("who:near") and a kind of answer asked ("person>near")."""

    weights: dict[str, float]
    _combined: dict = field(default_factory=dict, compare=False, repr=False)

    def score(self, features: dict[str, float]) -> float:
        """The score of crossed facts (as training sees them)."""
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def weights_for(self, kind: str, expected: str) -> dict[str, float]:
        """Each plain fact's whole weight for this family and kind of answer:
        the same score as `score` of the crossed facts, a third of the sums."""
        found = self._combined.get((kind, expected))
        if found is None:
            names = {name.split(":", 1)[-1].split(">", 1)[-1] for name in self.weights}
            found = self._combined[(kind, expected)] = {
                name: self.weights.get(name, 0.0) + self.weights.get(f"{kind}:{name}", 0.0)
                + self.weights.get(f"{expected}>{name}", 0.0) for name in names}
        return found


@lru_cache(maxsize=1)
def shipped_span_model() -> SpanModel | None:
    """The weights shipped in the package; None without the file (the rules' picks stand)."""
    try:
        data = json.loads(SPAN_MODEL_FILE.read_text(encoding="utf-8"))
    except OSError:
        return None
    return SpanModel(data["weights"])


# The rules' answers that are clauses found by their cue ("because...", "by
# doing...", "X is a..."): what such a question asks, kept as the rules find them.
CLAUSE_KINDS = frozenset({REASON, MANNER, CONSEQUENCE, DEFINITION})


# A question asking how to do a thing: "How do I...?", "how can we...", "how to...".
_ASKS_HOW_TO = re.compile(r"\bhow\s+(?:do|can|could|should|would|may|might|must|shall)\s+(?:i|you|we|one)\b"
                          r"|\bhow\s+to\b", re.IGNORECASE)
# A command, option, path, call or file name: "-0", "--null", "/etc/default/grub",
# "CFLAGS=-ggdb", "copy2()", "json.tool", "`make`".
_LOOKS_LIKE_CODE = re.compile(r"(?:^|\s)--?\w|[/=`$~_(]|[A-Za-z*]\.[A-Za-z]")


def cut_from_steps(text: str, entity: Entity, parsed: Question) -> bool:
    """Whether a short answer is a phrase cut out of the steps that answer a
    question asking how to do a thing ("pressing", "packages using
    APT-system"): that question is answered by the steps the sentence gives,
    or by a command, option or path in it ("-0", "/etc/default/grub")."""
    return (parsed.kind == "how" and bool(_ASKS_HOW_TO.search(parsed.text))
            and not _LOOKS_LIKE_CODE.search(text, entity.start, entity.end))


# The words a short answer does not end on: those its runs are cut at, and
# those that open a clause or ask ("...in the crust or ocean where").
_HANGING = EDGE_WORDS | {"where", "when", "whereas", "whether", "why", "how", "because", "unless", "although",
                         "though", "must", "may", "might", "shall"}
_TOKEN = re.compile(r"\S+")  # whole tokens: not "t" of "doesn’t", nor "i" of "-i"


def without_hanging_words(text: str, entity: Entity) -> Entity | None:
    """The short answer without the small words left hanging at its end,
    where a quote mark or bracket cut its clause ("by setting
    GRUB_BACKGROUND variable in" before "/etc/default/grub"); none when
    nothing else is left."""
    tokens = [m.span() for m in _TOKEN.finditer(text, entity.start, entity.end)]
    kept = len(tokens)
    while kept and text[tokens[kept - 1][0] : tokens[kept - 1][1]] in _HANGING:  # as written: not "WHO", "US"
        kept -= 1
    if kept == len(tokens):
        return entity
    return Entity(entity.kind, entity.start, tokens[kept - 1][1]) if kept else None


# A place in a document named as such: "Section 3.4", "Table 12.2", "Chapter 1.2", "Examples".
_DOCUMENT_PART = re.compile(
    r"(?:see\s+)?(?:the\s+)?(section|chapter|appendix|figure|fig\.|table|page|exhibit|example|paragraph|footnote|§)s?"
    r"(?:\s*(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z]))?",
    re.IGNORECASE,
)


def names_only_a_place(text: str, entity: Entity, question: str) -> bool:
    """Whether the short answer only points to a place in a document
    ("Section 3.4", "Table 12.2", "example"): no answer, unless the question
    asks for such a place ("Which exhibit...?")."""
    found = _DOCUMENT_PART.fullmatch(text, entity.start, entity.end)
    if found is None:
        return False
    part = found.group(1).lower().rstrip(".")
    return re.search(rf"(?<!\w){re.escape(part)}", question, re.IGNORECASE) is None


def rule_answer(text: str, span: Span, entity: Entity | None, parsed: Question, terms: list[QueryTerm]) -> Entity | None:
    """The rules' short answer: the typed span answer_entity found, else the
    phrase next to the question's words; none for a yes/no question, nor for
    "Who is X?" (what a sentence says next to a name is not who X is)."""
    if entity is None and parsed.kind != "yes/no" and not (parsed.kind == "who" and parsed.expects[0] == DEFINITION):
        return phrase_answer(text, span, terms)
    return entity


@dataclass(frozen=True)
class Proposal:
    """A span the rules propose as the short answer."""

    start: int
    end: int
    origin: str  # "rule", "entity", "run" (between the question's words) or "chunk" (a run's part)
    kind: str | None  # the entity's kind, for a name, date or number


def proposals(text: str, start: int, end: int, terms: list[QueryTerm], said_stems: set[str],
              rule: Entity | None, other_name: bool = False) -> list[Proposal]:
    """The spans of text[start:end] that could answer: the rules' own
    answer, each typed name, date or number (without the question's words
    at its edges), each run of words between the question's words and
    clause punctuation, and each run's parts between small words. Not
    another name the text gives a thing the question names, unless
    `other_name` is asked for."""
    found: dict[tuple[int, int], Proposal] = {}
    aliases: set[tuple[int, int]] = set()
    whole: tuple[int, int] | None = None
    if rule is not None:
        found[(rule.start, rule.end)] = Proposal(rule.start, rule.end, "rule", rule.kind)
        if rule.kind in _WHOLE:
            whole = (rule.start, rule.end)  # a name or number the rules found is not cut into pieces

    def add(a: int, b: int, origin: str, kind: str | None) -> None:
        if (a, b) in found or (a, b) in aliases:
            return
        if whole and (whole[0] <= a and b <= whole[1] or origin != "entity" and a < whole[1] and whole[0] < b):
            return  # not a piece of it, nor a run of words around it ("stacks about 300–600 nanometers across")
        found[(a, b)] = Proposal(a, b, origin, kind)

    said: dict[str, bool] = {}
    for entity in find_entities(text, start, end):
        if names_a_thing(text, entity) or capitalised_by_position(text, start, entity):
            continue  # as answer_entity: "Operation 1027" counts nothing; "Military and police personnel..."
        answer = without_question_words(text, entity, said_stems, start, said)
        if answer is None:
            continue
        if not other_name and another_name_of_the_asked(text, Span(start, end), entity, said_stems):
            # "the 9th Rifle Company, known as Red Wolves" asked about the company
            aliases.add((answer.start, answer.end))
        else:
            add(answer.start, answer.end, "entity", answer.kind)
    tokens, matched = phrase_tokens(text, start, end, terms)
    for run in runs_between(text, tokens, matched, CLAUSE_END):
        trimmed = without_edge_words(run, tokens)
        if trimmed and len(trimmed) <= MAX_RUN:
            add(tokens[trimmed[0]][0], tokens[trimmed[-1]][1], "run", None)
        chunk: list[int] = []
        for i in trimmed + [None]:
            if i is None or tokens[i][2] in EDGE_WORDS:
                if chunk and chunk != trimmed:
                    add(tokens[chunk[0]][0], tokens[chunk[-1]][1], "chunk", None)
                chunk = []
            else:
                chunk.append(i)
    line_start = text.rfind("\n", 0, start) + 1
    marked = _ITEM_MARK.match(text, start, end) if not text[line_start:start].strip() else None
    if marked is None:
        return list(found.values())
    return [p if p.start >= marked.end() else Proposal(marked.end(), p.end, p.origin, p.kind)
            for p in found.values() if p.end > marked.end()]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return 2 * shared / ((a[1] - a[0]) + (b[1] - b[0]))


def _asked_share(token: str, said_stems: set[str]) -> float:
    """Whether a span's token is the question's word: itself, or a part of a
    compound ("Myanmar-China" for "near the Chinese border") for a share."""
    if stem(token) in said_stems:
        return 1.0
    parts = WORD_PART.findall(token) if "-" in token or "_" in token else ()
    return PART_SHARE if len(parts) > 1 and any(stem(p) in said_stems for p in parts) else 0.0


def span_facts(text: str, start: int, end: int, proposal: Proposal, parsed: Question, said_stems: set[str],
               anchors: list[int], token_starts: list[int], breaks: list[int], rule: Entity | None,
               asked: AskedAt) -> dict[str, float]:
    """What a proposed span is and where it stands, as named numbers."""
    facts: dict[str, float] = {}
    tokens = [m.group().lower() for m in PHRASE_TOKEN.finditer(text, proposal.start, proposal.end)]
    n = len(tokens)
    facts["origin_" + proposal.origin] = 1.0
    if rule is not None:
        overlap = _overlap((proposal.start, proposal.end), (rule.start, rule.end))
        if proposal.start == rule.start and proposal.end == rule.end:
            facts["rule"] = 1.0
        elif overlap:
            facts["rule_overlap"] = overlap
    if proposal.kind is not None:
        kind = _KINDS.get(proposal.kind, "other")
        facts["kind_" + kind] = 1.0
        if entity_matches(proposal.kind, parsed.expects[0]):
            facts["kind_asked"] = 1.0
    facts["length_" + ("1" if n <= 1 else "2" if n == 2 else "3" if n == 3 else "4-5" if n <= 5 else "6-8" if n <= 8
                       else "9+")] = 1.0
    if tokens:
        facts["said"] = sum(_asked_share(t, said_stems) for t in tokens) / n
    if tokens:
        # What the words are (WordNet's commonest part of speech): an answer
        # is more often a noun than a verb.
        first_pos, last_pos = _part_of_speech(tokens[0]), _part_of_speech(tokens[-1])
        if first_pos in ("v", "r"):
            facts["first_" + first_pos] = 1.0
        facts["last_" + (last_pos or "unknown")] = 1.0
        if last_pos == "n":
            lexfiles = kind_of(tokens[-1])
            for lexfile in lexfiles:
                facts[lexfile] = 1.0
            if parsed.head is not None and lexfiles & kind_of(parsed.head):
                facts["head_lexfile"] = 1.0  # "network" asked, "ABC" a group too
    head = parsed.head
    if head is not None:
        if named_as(text, Entity(proposal.kind or NAME, proposal.start, proposal.end), head, start):
            facts["headed"] = 1.0
        if tokens and len(tokens[-1]) >= 3 and tokens[-1] not in STOP_WORDS and is_a(tokens[-1], head):
            facts["kind_of_head"] = 1.0
    first = bisect_left(token_starts, proposal.start)
    last = max(first, bisect_left(token_starts, proposal.end) - 1)
    if anchors:
        # (anchors are sorted: the nearest on each side by bisection, not by
        # a look at every one for each span)
        at, past = bisect_left(anchors, first), bisect_right(anchors, last)
        left = first - anchors[at - 1] if at > 0 else None
        right = anchors[past] - last if past < len(anchors) else None
        distance = 0 if past > at else min(d for d in (left, right) if d is not None)
        facts["near"] = 1.0 / (1.0 + distance)
        if distance > 8:
            facts["far"] = 1.0
        if last < anchors[0]:
            facts["before_all"] = 1.0
        elif first > anchors[-1]:
            facts["after_all"] = 1.0
        else:
            facts["between"] = 1.0  # the question's words on both sides
        if left:
            facts["near_left"] = 1.0 / left
        if right:
            facts["near_right"] = 1.0 / right
        if past == at:  # no question word inside: is the nearest across clause punctuation?
            low, high = (first - left, first) if right is None or (left is not None and left <= right) else (last, last + right)
            if any(low < b <= high for b in breaks):
                facts["other_clause"] = 1.0
    else:
        facts["no_anchor"] = 1.0
    opening = text[proposal.start]
    if opening.isupper() and proposal.start > start:
        facts["capital"] = 1.0
    if _DIGIT.search(text, proposal.start, proposal.end):
        facts["digit"] = 1.0
    if in_quotation_marks(text, proposal.start, proposal.end):
        facts["quoted"] = 1.0
    if text[proposal.start - 1 : proposal.start] == "(" or text[proposal.end : proposal.end + 1] == ")":
        facts["bracketed"] = 1.0
    before = PHRASE_TOKEN.findall(text, max(start, proposal.start - 40), proposal.start)
    previous = before[-1].lower() if before else ""
    if previous in _ARTICLES:
        previous = before[-2].lower() if len(before) > 1 else ""
        facts["after_article"] = 1.0
    if previous in _COPULA:
        facts["after_copula"] = 1.0
    elif previous in _NAMING or previous == "as":
        facts["after_naming"] = 1.0
    elif previous == "of":
        facts["after_of"] = 1.0
    elif previous == "by":
        facts["after_by"] = 1.0
    if asked.preposition and previous == asked.preposition:
        facts["after_asked_preposition"] = 1.0
    # The words around the answer are often the words around the question's
    # wh-word: "in the local what?" against "...in the local authorities".
    before_word = _content_word(reversed(before))
    after = PHRASE_TOKEN.findall(text, proposal.end, min(end, proposal.end + 60))
    after_word = _content_word(after)
    # Right next to a question word, nothing between: a word that qualifies
    # it ("Many analysts", "International sanctions") or that it qualifies.
    if before and stem(before[-1].lower()) in said_stems:
        facts["right_after_said"] = 1.0
    if after and stem(after[0].lower()) in said_stems and not CLAUSE_END.match(text, proposal.end):
        facts["right_before_said"] = 1.0
    if before_word is not None:
        if stem(before_word) in said_stems:
            facts["after_said"] = 1.0
        if asked.before is not None and stem(before_word) == asked.before:
            facts["after_word_before_wh"] = 1.0
    if after_word is not None:
        if stem(after_word) in said_stems:
            facts["before_said"] = 1.0
        if asked.after is not None and stem(after_word) == asked.after:
            facts["before_word_after_wh"] = 1.0
    following = text[proposal.end : proposal.end + 2]
    if proposal.end >= end - 1:
        facts["sentence_end"] = 1.0
    elif following[:1] in (",", ";", ")"):
        facts["before_comma"] = 1.0
    # What a fact is worth depends on what is asked: each also counts for the question's family.
    return facts


@lru_cache(maxsize=65536)
def _part_of_speech(word: str) -> str | None:
    """The part of speech (n, v, a, r) most of a word's tagged uses are in;
    None for a word WordNet does not know (a name, a number)."""
    shares: dict[str, float] = {}
    for sense in weighted_senses(word, min_share=0.0):
        pos = "a" if sense.sense.pos == "s" else sense.sense.pos
        shares[pos] = shares.get(pos, 0.0) + sense.share
    return max(shares, key=shares.get) if shares else None


def _content_word(tokens) -> str | None:
    """The first of the tokens (within three) that is not a small word."""
    for i, token in enumerate(tokens):
        if i == 3:
            return None
        word = token.lower()
        if word not in STOP_WORDS and word not in _COPULA:
            return word
    return None


_WH = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
_PREPOSITIONS = {"in", "on", "at", "by", "from", "to", "for", "of", "with", "during", "since", "until", "after",
                 "before", "into", "than"}


@dataclass(frozen=True)
class AskedAt:
    """What stands around the question's wh-word: the preposition before it
    ("in what season"), and the stems of the content words just before it
    and just after its phrase ("the local what?", "What network was
    discontinued?")."""

    preposition: str | None
    before: str | None
    after: str | None


def asked_at(question: str, head: str | None) -> AskedAt:
    tokens = PHRASE_TOKEN.findall(question)
    lowered = [t.lower() for t in tokens]
    at = next((i for i, t in enumerate(lowered) if t in _WH), None)
    if at is None:
        return AskedAt(None, None, None)
    preposition = lowered[at - 1] if at > 0 and lowered[at - 1] in _PREPOSITIONS else None
    before = _content_word(reversed(tokens[:at]))
    rest = at + 1
    if head is not None and head in lowered[rest:]:
        rest = lowered.index(head, rest) + 1  # past "what developmental network"
    after = _content_word(tokens[rest:])
    return AskedAt(preposition, stem(before) if before else None, stem(after) if after else None)


def sentence_layout(text: str, start: int, end: int, terms: list[QueryTerm], parsed: Question):
    """The sentence's token starts, the tokens that are the question's own
    words (its anchors), and the tokens that follow clause punctuation."""
    tokens = list(PHRASE_TOKEN.finditer(text, start, end))
    token_starts = [m.start() for m in tokens]
    own = {stem(t.word) for t in terms if t.word in parsed.terms} or {stem(t.word) for t in terms}
    lowered = [m.group().lower() for m in tokens]
    stemmed = [stem(w) for w in lowered]
    anchors: set[int] = set()
    for term in terms:
        if stem(term.word) not in own:
            continue
        # The word itself where the sentence says it; its other forms only
        # where it does not ("stationed in Laukkai, located in the Kokang
        # Zone": "stationed" is asked, "located" only stands for it).
        said = [i for i, s in enumerate(stemmed) if s == stem(term.word)]
        anchors.update(said or (i for i, (w, s) in enumerate(zip(lowered, stemmed))
                                if w in term.forms or s in term.stems))
    anchors = sorted(anchors)
    breaks = [i for i in range(1, len(tokens)) if CLAUSE_END.search(text, tokens[i - 1].end(), tokens[i].start())]
    return token_starts, anchors, breaks


def candidates_with_facts(text: str, span: Span, match: SentenceMatch, parsed: Question, terms: list[QueryTerm],
                          said_stems: set[str], rule: Entity | None) -> list[tuple[Proposal, dict[str, float]]]:
    """The proposed spans with their facts, each fact also crossed with the
    question's family and the kind of answer it asks for (what training
    weighs)."""
    kind, expected = family(parsed), parsed.expects[0]
    return [(p, {**f, **{f"{kind}:{name}": v for name, v in f.items()}, **{f"{expected}>{name}": v for name, v in f.items()}})
            for p, f in plain_facts(text, span, match, parsed, terms, said_stems, rule)]


def plain_facts(text: str, span: Span, match: SentenceMatch, parsed: Question, terms: list[QueryTerm],
                said_stems: set[str], rule: Entity | None, cells: bool = False) -> list[tuple[Proposal, dict[str, float]]]:
    """The proposed spans with their facts. In a table's row (`cells`), none
    that runs from one cell into the next ("blue | underline")."""
    start, end = span.start, span.end
    token_starts, anchors, breaks = sentence_layout(text, start, end, terms, parsed)
    asked = asked_at(parsed.text, parsed.head)
    found = proposals(text, start, end, terms, said_stems, rule, bool(parsed.other_name))
    if cells:
        found = [p for p in found if CELL_SEPARATOR not in text[p.start : p.end]]
    if anchors and len(token_starts) > 2 * MAX_DISTANCE:
        # In a long sentence, a span far from every question word is no
        # answer (and its facts would cost the most): the rules' own stays.
        near_enough = []
        for p in found:
            first = bisect_left(token_starts, p.start)
            last = max(first, bisect_left(token_starts, p.end) - 1)
            at, past = bisect_left(anchors, first - MAX_DISTANCE), bisect_right(anchors, last + MAX_DISTANCE)
            if p.origin == "rule" or past > at:
                near_enough.append(p)
        found = near_enough
    facts = [span_facts(text, start, end, p, parsed, said_stems, anchors, token_starts, breaks, rule, asked)
             for p in found]
    # How near the question's words each span stands, a rare word counting
    # more (the rules' closeness), against the closest span of the sentence.
    starts, clause_of = tokens_and_clauses(text, span)
    weighted = weighted_anchors(match, terms, parsed)
    if starts and weighted and found:
        near = []
        for p in found:
            first = bisect_left(starts, p.start)
            last = max(first, bisect_left(starts, p.end) - 1)
            near.append(closeness_of(weighted, first, last, clause_of))
        top = max(near)
        if top > 0:
            for f, value in zip(facts, near):
                f["closeness"] = value / top
                if value == top:
                    f["closest"] = 1.0
    return list(zip(found, facts))


# How /why says what a fact is, when it counted for the short answer picked.
SAID = {
    "rule": "the rules found it",
    "rule_overlap": "it overlaps what the rules found",
    "kind_asked": "it is of the kind asked",
    "kind_person": "it names a person",
    "kind_place": "it names a place",
    "kind_organisation": "it names an organisation",
    "kind_date": "it is a date",
    "kind_number": "it is a number",
    "headed": "it is named as the thing asked",
    "kind_of_head": "WordNet knows it as a kind of the thing asked",
    "head_lexfile": "WordNet files it with the thing asked",
    "closeness": "it stands near the question's rarer words",
    "closest": "it stands nearest the question's rarer words",
    "near": "it stands next to the question's words",
    "after_all": "it comes after the question's words",
    "between": "it stands between the question's words",
    "after_copula": "it follows \"is\"",
    "after_naming": "it follows \"called\" or \"as\"",
    "after_of": "it follows \"of\"",
    "after_by": "it follows \"by\"",
    "after_asked_preposition": "it follows the preposition the question puts before its wh-word",
    "after_word_before_wh": "the word before it is the one before the question's wh-word",
    "before_word_after_wh": "the word after it is the one after the question's wh-word",
    "after_said": "it follows one of the question's words",
    "before_said": "one of the question's words follows it",
    "quoted": "it stands in quotation marks",
    "bracketed": "it stands in brackets",
    "capital": "it is capitalised",
    "digit": "it holds a number",
    "sentence_end": "it ends the sentence",
    "before_comma": "a comma closes it",
    "last_n": "it ends in a noun",
    "last_unknown": "it ends in a name",
}


def pick(text: str, span: Span, match: SentenceMatch, parsed: Question, terms: list[QueryTerm],
         said_stems: set[str], rule: Entity | None, model: SpanModel) -> Entity | None:
    """The proposed span the model scores best; the rules' own when none is
    proposed, or when it is a clause found by its cue."""
    return pick_and_why(text, span, match, parsed, terms, said_stems, rule, model)[0]


def pick_and_why(text: str, span: Span, match: SentenceMatch, parsed: Question, terms: list[QueryTerm],
                 said_stems: set[str], rule: Entity | None, model: SpanModel,
                 cells: bool = False) -> tuple[Entity | None, tuple[str, ...]]:
    """The pick, and what counted most for it (the facts of most weight, said
    in words); `cells`: the span is a table's row."""
    if rule is not None and rule.kind in CLAUSE_KINDS:
        return rule, ("the rules found it after its cue",)
    best, best_score, best_facts = None, -math.inf, {}
    weights = model.weights_for(family(parsed), parsed.expects[0])
    for proposal, facts in plain_facts(text, span, match, parsed, terms, said_stems, rule, cells):
        score = sum(weights.get(name, 0.0) * value for name, value in facts.items())
        if score > best_score:
            best, best_score, best_facts = proposal, score, facts
    if best is None:
        return rule, ()
    counted = sorted(((weights.get(name, 0.0) * value, name) for name, value in best_facts.items()), reverse=True)
    reasons = [_said(name) for weight, name in counted if weight > WHY_WEIGHT]
    return Entity(best.kind or "phrase", best.start, best.end), tuple(r for r in reasons if r)[:WHY_FACTS]


WHY_WEIGHT, WHY_FACTS = 0.1, 3  # /why names at most three facts, each worth this much at least


def _said(name: str) -> str | None:
    if name.startswith("noun."):
        return f"WordNet files its last word under {name}"
    return SAID.get(name)
