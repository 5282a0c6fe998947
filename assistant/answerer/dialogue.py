"""Follow-up questions: "Where was it stationed?" after a question about a
battalion means the battalion. Rules only: a pronoun or an elliptical question
borrows the topic of the turns before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .types import Answer
from .words import content_terms

_PRONOUN = re.compile(
    r"\b(it|its|it's|he|him|his|she|her|hers|they|them|their|theirs|this|that|these|those|there|the same|the former|the latter)\b",
    re.I,
)
_PERSONAL = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
_ELLIPSIS = re.compile(r"^(and|what about|how about|and what about|also|what of)\b", re.I)


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


def resolve(question: str, conversation: Conversation | None) -> Followup:
    if not conversation or not conversation.turns:
        return Followup(question, (), None)
    own_terms = content_terms(question)
    has_pronoun = bool(_PRONOUN.search(question))
    elliptical = bool(_ELLIPSIS.search(question.strip())) or len(own_terms) <= 1
    if not (has_pronoun or elliptical):
        return Followup(question, (), None)
    last = conversation.turns[-1]
    referent = _referent(question, last)
    carried = [t for t in content_terms(last.question) if t not in own_terms]
    if referent:
        carried = [t for t in content_terms(referent) if t not in own_terms] + carried
    # De-duplicate, keep order.
    seen: set[str] = set()
    carried = [t for t in carried if not (t in seen or seen.add(t))]
    text = question
    if referent and has_pronoun:
        text = f"{question} ({referent})"
    return Followup(text, tuple(carried), referent)


def _referent(question: str, last: Turn) -> str | None:
    """A person pronoun means the person the last answer named, if it named
    one; otherwise the topic is the names the last question mentioned."""
    answer = last.answer
    short = answer.excerpts[0].answer if answer.answered and answer.excerpts else None
    if short and _PERSONAL.search(question) and short.text[:1].isupper():
        return short.text
    names = re.findall(r"(?:[A-Z][\w'’-]*|\d+)(?:\s+(?:of\s+|the\s+)?(?:[A-Z][\w'’-]*|\(?[A-Z]{2,}\)?|\d+))*", last.question)
    names = [n for n in names if n.split()[0].lower() not in {"what", "who", "when", "where", "why", "how", "which", "is", "are", "was", "were", "do", "does", "did", "the", "and", "in"}]
    if names:
        return max(names, key=len)
    terms = content_terms(last.question)
    return " ".join(terms) if terms else None
