"""The values an answer is made of. A quote is never stored apart from its
document: `quote == document.text[start:end]`, checked when it is made."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ShortAnswer:
    """The entity, number, date or phrase that answers, inside the quote."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Excerpt:
    quote: str
    source: str
    title: str
    paragraph: int
    start: int
    end: int
    score: float
    answer: ShortAnswer | None = None
    line: int = 1
    section: str | None = None  # the heading path above the quote: "5. Termination › 5.1"
    page: int | None = None  # a PDF's page on which the quote starts, 1-based
    checksum: str | None = None  # SHA-256 of the document's text: `assistant verify` tells a changed one by it
    markup: str | None = None  # "markdown" or "rst": the quote's inline markup may be rendered for display
    # Where a code block starts in the quote (an offset in `start`..`end`), when
    # it holds one: quoted whole, to the quote's end; shown line by line as
    # written, its characters not read as markup.
    code_start: int | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    excerpts: tuple[Excerpt, ...]
    message: str | None = None
    # Not part of the JSON contract: what the answerer understood, for the
    # console, the evaluation report and debugging.
    question_type: str = "other"
    resolved_question: str | None = None
    more: tuple[Excerpt, ...] = field(default=(), repr=False)
    referent: str | None = None  # what a pronoun of the question was taken to mean
    # Why the first quote came first, or why the assistant declined: a few
    # plain sentences from what the ranking model weighed (console /why,
    # the JSON's optional "why").
    why: tuple[str, ...] = ()
