"""Follow-up questions: "Where was it stationed?" after a question about a
battalion means the battalion. Rules only: a pronoun or an elliptical question
borrows the topic of the turns before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .entities import CAPITAL
from .question import ORGANISATION, PERSON, PLACE, analyze_question
from .types import Answer
from .words import COUNTRY_OF_PEOPLE, content_terms

_PRONOUN = re.compile(
    r"\b(it|its|it's|he|him|his|she|her|hers|they|them|their|theirs|this|that|these|those|there|the same|the former|the latter)\b",
    re.I,
)
_SINGULAR = re.compile(r"\b(it|its|it's|it’s)\b", re.I)  # not "them", "those", "there": people, or no one thing
_PERSONAL = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
_ELLIPSIS = re.compile(r"^(and|what about|how about|and what about|also|what of)\b", re.I)


MAX_REFERENT_CHARS = 200  # the longest name a follow-up's pronoun is taken to mean


@dataclass
class Turn:
    question: str  # as resolved
    answer: Answer


@dataclass
class Conversation:
    """The turns so far; `/new` in the console starts a fresh one."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, question: str, answer: Answer) -> None:
        self.turns.append(Turn(question, answer))
        del self.turns[:-5]  # only recent turns carry a topic

    def clear(self) -> None:
        self.turns.clear()


@dataclass(frozen=True)
class Followup:
    text: str  # the question as it will be answered
    carried: tuple[str, ...]  # terms borrowed from earlier turns
    referent: str | None  # what a pronoun was taken to mean
    previous: str | None = None  # the question an elliptical one leans on ("And each family member?")
    said: tuple[tuple[str, int, int], ...] = ()  # (source, start, end) of the last answer's first quote


def resolve(question: str, conversation: Conversation | None) -> Followup:
    if not conversation or not conversation.turns:
        return Followup(question, (), None)
    own_terms = content_terms(question)
    has_pronoun = bool(_PRONOUN.search(question))
    # "When?", "And each family member?", "What about IB 129?" lean on the last question.
    short = question.split()
    names_nothing = not any(w[:1].isupper() or w[:1].isdigit() for w in short[1:])
    elliptical = bool(_ELLIPSIS.search(question.strip())) or not own_terms or (
        # "From which country?", "How many?": too short to stand alone
        len(short) <= 3 and names_nothing and not has_pronoun
    )
    if not (has_pronoun or elliptical):
        return Followup(question, (), None)
    last = conversation.turns[-1]
    referent = _referent(question, conversation.turns)
    if referent is not None and len(referent) > MAX_REFERENT_CHARS:
        # A pronoun stands for a name or a few words, not for a whole clause
        # of a document; and the question analysed stays near its own limit.
        referent = None
    # A pronoun borrows only what it points to ("What does he advocate?" is
    # not about where he lives); an elliptical question ("When?", "And each
    # family member?") borrows the whole of the last question.
    carried = [] if (has_pronoun and referent and not elliptical) else [
        t for t in content_terms(last.question) if t not in own_terms
    ]
    if referent:
        carried = [t for t in content_terms(referent) if t not in own_terms] + carried
    # De-duplicate, keep order.
    seen: set[str] = set()
    carried = [t for t in carried if not (t in seen or seen.add(t))]
    text = question
    if referent and has_pronoun:
        text = f"{question} ({referent})"
    said = tuple((e.source, e.start, e.end) for e in last.answer.excerpts[:1]) if last.answer.answered else ()
    return Followup(text, tuple(carried), referent, last.question if elliptical else None, said)


def _referent(question: str, turns: list[Turn]) -> str | None:
    """What a pronoun points back to. "He"/"she" mean the last person named:
    the last answer's short span if it is a name, else the person the last
    follow-up was about, else a name in the last question. Other pronouns
    mean the topic: the one the last follow-up kept, else the names of the
    last question, else its words."""
    last = turns[-1]
    if _PERSONAL.search(question):
        short = last.answer.excerpts[0].answer if last.answer.answered and last.answer.excerpts else None
        if short and _looks_like_person(short.text):
            return short.text
        for turn in reversed(turns):
            if turn.answer.referent and _looks_like_person(turn.answer.referent):
                return turn.answer.referent
            people = [n for n in _names(turn.question) if _looks_like_person(n)]
            if people:
                return people[0]
    # (A turn the documents did not answer leaves the topic where it was.)
    answered = next((turn for turn in reversed(turns) if turn.answer.answered), last)
    named = _named_answer(answered) if _SINGULAR.search(question) else None
    if named:
        return named
    if last.answer.referent:
        return last.answer.referent
    names = _names(last.question)
    if names:
        return max(names, key=len)
    terms = content_terms(last.question)
    return " ".join(terms) if terms else None


def _named_answer(turn: Turn) -> str | None:
    """The name that answered a question asking for an organisation or a
    place ("Which group took them into custody?" -> "Myanmar National
    Democratic Alliance Army"): the next "it" or "its" means it. A name asked
    for by "What is X called?" is X's other name: the text goes on about X."""
    if not (turn.answer.answered and turn.answer.excerpts and turn.answer.excerpts[0].answer):
        return None
    short = turn.answer.excerpts[0].answer.text
    asked = analyze_question(turn.question).expects[0]
    # "Who has them in custody?" asks for a person or a body: "its" means a body.
    if asked in (PERSON, ORGANISATION, PLACE) and short[:1].isupper() and not _looks_like_person(short):
        # "Myanmar National Democratic Alliance Army (MNDAA)": the text goes
        # on with the acronym, and five words would outweigh the question's own.
        defined = _DEFINED_ACRONYM.fullmatch(short)
        return defined.group(1) if defined else short
    return None


# A name ending in its acronym in brackets. (What r".+?\s*\(...\)?" matches,
# without a lazy ".+?" and a "\s*" that share a run of white space: each
# step of the one scanned the run again.)
_DEFINED_ACRONYM = re.compile(r"(?:[^\n]*\S|[^\S\n])\s*\(([A-Z][A-Za-z]*[A-Z]s?)\)?")


_QUESTION_START = {"what", "who", "when", "where", "why", "how", "which", "is", "are", "was", "were", "do", "does",
                   "did", "the", "and", "in", "tell", "can", "could"}


def _names(question: str) -> list[str]:
    # A single word opening the question is capitalised as its first word
    # ("Expected effect on the military?"), not as a name, unless it is an
    # acronym or a number.
    first = re.match(r"\s*[A-Z][a-z][\w'’-]*(?=[\s?,.!]|$)(?!\s+[A-Z0-9(])", question)
    if first:
        question = question[first.end():]
    names = re.findall(rf"(?:{CAPITAL}[\w'’-]*|\d+)(?:\s+(?:of\s+|the\s+)?(?:{CAPITAL}[\w'’-]*|\(?[A-Z]{{2,}}\)?|\d+))*", question)
    # "the NUG's program" names the NUG: the text writes "the NUG", "of the NUG".
    names = [_POSSESSIVE.sub("", n) for n in names]
    # "What's the NUG's program...": the question word, not a name.
    # "near the Chinese border": a people's adjective describes, it is not what "that" means.
    return [n for n in names if _POSSESSIVE.sub("", n.split()[0].lower()) not in _QUESTION_START
            and n.lower() not in COUNTRY_OF_PEOPLE]


_POSSESSIVE = re.compile(r"['’]s?$")


def _looks_like_person(text: str) -> bool:
    """Two to four capitalised words, none of them all capitals or a number:
    "Li Kyar Win", not "MNDAA" or "Infantry Battalion 129"."""
    parts = text.split()
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() and not p.isupper() and p.isalpha() for p in parts)
