"""What the rules find about a candidate sentence, as named numbers: the
features a ranking model weighs (answerer/model.py). The rules say what a
sentence has; the model says how much each thing counts.

A candidate is scored in two stages, because finding its answer span is the
costly part: the sentence features first, the span features once its span is
looked for. Each feature is a number near [0, 1] (a share, a count capped and
scaled, or a yes/no as 1.0/0.0), so that a weight reads as "what having it
all is worth"."""

from __future__ import annotations

from dataclasses import dataclass

# The sentence: how much of the question it and its surroundings hold.
SENTENCE_FEATURES = (
    "coverage",  # share of the question's weight the sentence holds (words it borrows counting in part)
    "related",  # the part of it held only through related words (WordNet), not the words themselves
    "context",  # the same, counting its neighbours', paragraph's and title's words in part
    "passage",  # its passage's retrieval score, relative to the best passage found
    "bigrams",  # question words found side by side, of at most 3
    "position",  # its place in its paragraph, of at most 5
    "spread",  # how far apart its question words lie, beyond a few tokens between each
    "title",  # share of the question's weight in the document's title, aliases and headings above
    "local",  # question words rare among the paragraph's sentences, weighted
    "asked_missing",  # a follow-up's own words all absent: only the borrowed ones are there
    "names_absent",  # share of the question's names absent from the paragraph and title
    "referent_absent",  # share of a follow-up's referent's name words absent from the paragraph
    "length",  # the sentence's words, of at most 60: a long sentence says more
    "unmatched",  # the weight of the question's weightiest own word the sentence lacks, as a share
    "unmatched_nearby",  # the same, for a word its paragraph and title lack too
    "antonym",  # the sentence holds the opposite of a question word it lacks ("smallest" for "largest")
    "negation_mismatch",  # one of question and sentence is negated ("not", "never"), the other not
    "associated",  # the weight of the words it lacks, times how often its words answer for them (SQuAD train)
    "last_document",  # it is in the document the conversation's last answer quoted first
    "names_elsewhere",  # share of the question's names absent from it and its paragraph that its document writes elsewhere
)
# The answer span found in it, or not.
SPAN_FEATURES = (
    "pattern_missing",  # a date, number or sum asked, and the sentence shows none
    "name_missing",  # a name asked (person, place, ...), and none is found
    "typed_exact",  # a span of the very kind asked
    "typed_loose",  # a span of a kind near the one asked (a year for a date)
    "name_found",  # the span asked for is a name, found less surely than a date or number
    "counted",  # the number counts what the question counts ("272 people" for "how many people")
    "miscounted",  # the number counts something else ("172 troops" for "how many people")
    "cue",  # a cue of the kind asked before the span: "because", "X is a", "by doing"
    "consequence_cue",  # a cue of what befalls someone ("fraught with risks, including")
    "restated",  # the sentence a why-question follows, quoted again without a reason
)
FEATURES = SENTENCE_FEATURES + SPAN_FEATURES
# How /why says what a feature is, when it counted for or against a sentence.
SAID = {
    "coverage": "it holds the question's words",
    "related": "it says some of them in other words",
    "context": "its neighbours, paragraph or title hold the question's words",
    "passage": "its passage matched the question best",
    "bigrams": "it has the question's words side by side",
    "position": "it comes late in its paragraph",
    "spread": "its question words lie far apart",
    "title": "the document's title or the headings above hold the question's words",
    "local": "its question words are rare in its paragraph",
    "asked_missing": "it has only the words borrowed from earlier turns",
    "names_absent": "a name the question gives is not near it",
    "referent_absent": "what the follow-up's pronoun means is not named near it",
    "length": "it is long",
    "unmatched": "it lacks one of the question's weightiest words",
    "unmatched_nearby": "its paragraph lacks one of the question's weightiest words too",
    "antonym": "it says the opposite of a question word",
    "negation_mismatch": "one of question and sentence is negated, the other not",
    "associated": "it says what the question asks in words often used for it",
    "last_document": "it is in the document the last answer quoted",
    "names_elsewhere": "its document names what the question names, elsewhere",
    "pattern_missing": "it gives no date, number or sum of the kind asked",
    "name_missing": "it gives no name of the kind asked",
    "typed_exact": "it gives an answer of the very kind asked",
    "typed_loose": "it gives an answer of a kind near the one asked",
    "name_found": "the answer asked for is a name",
    "counted": "its number counts what the question counts",
    "miscounted": "its number counts something else",
    "cue": "a word before its answer says it is of the kind asked (because, by, is a)",
    "consequence_cue": "it says what befalls someone",
    "restated": "it was quoted already for the question before",
}
# Whether the best sentence answers at all, beside how it ranks: its features,
# its score, and how far ahead of the next one it is.
ANSWERABILITY_FEATURES = FEATURES + ("score", "lead")


def answerability_features(features: dict[str, float], score: float, next_score: float | None) -> dict[str, float]:
    lead = min(score - next_score, 5.0) if next_score is not None else 5.0
    return {**dict.fromkeys(FEATURES, 0.0), **features, "score": score, "lead": lead}


@dataclass(frozen=True)
class SpanFacts:
    """What looking for the answer span found, as the span features read it."""

    typed: bool  # the question asks for a typed span (a name, date, number...)
    pattern: bool  # ... found by a pattern (a date, number, sum), not a name
    found: bool  # a span was found
    exact: bool  # of the very kind asked
    counted: int  # 1: counts what is asked; -1: counts something else; 0: cannot tell
    cue: str | None  # "cue" or "consequence_cue" when the question's kind has a cue and a span was found
    restated: bool  # the sentence was quoted already for the question a why-question follows


def span_features(facts: SpanFacts) -> dict[str, float]:
    values = dict.fromkeys(SPAN_FEATURES, 0.0)
    if facts.typed:
        if not facts.found:
            values["pattern_missing" if facts.pattern else "name_missing"] = 1.0
        else:
            values["typed_exact" if facts.exact else "typed_loose"] = 1.0
            values["name_found"] = 0.0 if facts.pattern else 1.0
            if facts.counted > 0:
                values["counted"] = 1.0
            elif facts.counted < 0:
                values["miscounted"] = 1.0
    elif facts.found and facts.cue:
        values[facts.cue] = 1.0
    if facts.restated and not facts.found:
        values["restated"] = 1.0
    return values


def possible_span_features(typed: bool, pattern: bool, counts: bool, cue: str | None) -> list[dict[str, float]]:
    """Every set of span features a candidate of this question could earn:
    the most a span can add is the best of them."""
    outcomes = []
    for found in (False, True):
        for exact in (False, True) if typed and found else (False,):
            for counted in (-1, 0, 1) if typed and found and counts else (0,):
                for restated in (False, True):
                    outcomes.append(span_features(SpanFacts(typed, pattern, found, exact, counted, cue, restated)))
    return outcomes
