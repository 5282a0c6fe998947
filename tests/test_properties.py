"""Invariants that hold for any input, checked on random ones (hypothesis):
segmentation covers a text with ordered, non-overlapping spans that are the
text itself; reading any bytes gives a document or a one-line refusal;
any question gets an answer or a QuestionError, and every quote is the
document's text at its offsets; the metrics equal a reimplementation written
here from SQuAD's definitions. The patterns restructured against
catastrophic backtracking (tests/test_hostile_input.py) match exactly what
they matched before."""

from __future__ import annotations

import collections
import re
import string
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.answerer import Assistant
from assistant.answerer.pipeline import MAX_QUESTION_CHARS
from assistant.answerer.types import Answer, Excerpt
from assistant.corpus import UnreadableFile, decode, document_from_bytes, make_document
from assistant.errors import QuestionError
from assistant.evaluate import judge, summarize
from assistant.metrics import (
    best_exact,
    best_f1,
    compute_exact,
    compute_f1,
    harmonic_mean,
    normalize_answer,
    percentile,
    quote_holds,
)
from assistant.questionsets import EvalQuestion
from assistant.text import Span, paragraph_spans, sentence_spans, token_spans

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as documents write it: words, numbers, every kind of white space and
# line end, sentence marks, abbreviations, bullets, headings, quotes and
# brackets, invisible characters; and any character at all now and then.
_PIECES = st.sampled_from([
    "a", "The", "U.S.", "No.", "Mr.", "3.5", "1,000", "2021", " ", "  ", "\t", "\n", "\n\n", "\n \n", "\u00a0",
    "\u200b", "\ufeff", ".", "!", "?", "…", ":", ";", ",", "\"", "“", "”", "’", "'", "(", ")", "[3]", ":110",
    "• ", "* ", "- ", "# ", "## ", "> ", "1. ", "a) ", "–", "—", "e.g.", "Nov.", "J.", "\f", "\v", "\r", "\r\n",
])
TEXTS = st.one_of(
    st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=60).map("".join),
    st.text(max_size=200),
)
# Characters a segment may leave out: white space, the invisible ones, and
# the bullets and Markdown marks a quote drops.
_INVISIBLE = "\ufeff\u200b"
_MARKERS = set("•\u2022\u25cf\u25aa\u2023\u2043*+-–#>")


def _ordered_within(spans: list[Span], start: int, end: int) -> None:
    for span in spans:
        assert start <= span.start < span.end <= end, (span, start, end)
    for before, after in zip(spans, spans[1:]):
        assert before.end <= after.start, (before, after)


def _outside(spans: list[Span], start: int, end: int) -> list[int]:
    inside = set()
    for span in spans:
        inside.update(range(span.start, span.end))
    return [i for i in range(start, end) if i not in inside]


@MANY
@given(TEXTS)
def test_paragraphs_cover_the_text(text):
    spans = paragraph_spans(text)
    _ordered_within(spans, 0, len(text))
    for span in spans:
        quote = text[span.start : span.end]
        assert quote == span.of(text) and quote.strip() and not quote[0].isspace() and not quote[-1].isspace()
    # Only white space (and invisible characters) is left between paragraphs.
    assert all(text[i].isspace() or text[i] in _INVISIBLE for i in _outside(spans, 0, len(text)))


@MANY
@given(TEXTS)
def test_sentences_cover_each_paragraph(text):
    for paragraph in paragraph_spans(text):
        spans = sentence_spans(text, paragraph)
        _ordered_within(spans, paragraph.start, paragraph.end)
        left_out = _outside(spans, paragraph.start, paragraph.end)
        # White space, and the bullet or list number a sentence starts after.
        assert all(text[i].isspace() or text[i] in _INVISIBLE or text[i] in _MARKERS for i in left_out), [
            text[i] for i in left_out]
        for span in spans:
            assert not text[span.start].isspace() and not text[span.end - 1].isspace()


@MANY
@given(TEXTS)
def test_tokens_are_every_word_of_the_text(text):
    spans = token_spans(text)
    _ordered_within(spans, 0, len(text))
    for span in spans:
        assert re.fullmatch(r"\w+(?:[-'’.]\w+)*", span.of(text))
    # Every word character is in a token.
    assert not any(re.match(r"\w", text[i]) for i in _outside(spans, 0, len(text)))


@MANY
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_are_refused(data):
    try:
        text, encoding = decode(data)
    except UnreadableFile as refusal:
        assert str(refusal)  # a one-line reason
        return
    assert isinstance(text, str) and "\r" not in text
    assert encoding in ("utf-8", "utf-16", "cp1252", "latin-1")


_SNIFFED = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"<!DOCTYPE html><html><body>", b"<p>", b"# Title\n\n",
                            b"Title\n=====\n\n.. note::\n\n", b"\x1f\x8b\x08\x00", b"%PDF-1.4\n", b"PK\x03\x04"])
_NAMES = st.sampled_from(["a.txt", "a.md", "a.rst", "a.html", "a.htm", "a.text", "a.gz", "README", "a.pdf", "a.docx"])


@FEW
@given(_NAMES, _SNIFFED, st.one_of(st.binary(max_size=300), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_any_file_is_read_or_refused_in_one_line(name, opening, body):
    """Whatever a file holds, reading it gives a document whose paragraphs
    and sentences are spans of its text, or UnreadableFile: never another
    exception (which would stop indexing the whole folder)."""
    try:
        document = document_from_bytes(name, opening + body)
    except UnreadableFile as refusal:
        assert str(refusal) and "\n" not in str(refusal)
        return
    for paragraph in document.paragraphs:
        _ordered_within([paragraph.span], 0, len(document.text))
        _ordered_within(list(document.sentences_in(paragraph.number)), 0, len(document.text))


@MANY
@given(TEXTS)
def test_any_text_makes_a_document(text):
    document = make_document("any.txt", text)
    _ordered_within([p.span for p in document.paragraphs], 0, len(document.text))
    for paragraph in document.paragraphs:
        assert paragraph.span.of(document.text).strip()
        for sentence in document.sentences_in(paragraph.number):
            assert paragraph.span.contains(sentence) or paragraph.parts, (paragraph, sentence)
    for line in (document.title, document.date, document.byline):
        assert line is None or 0 <= line.start <= line.end <= len(document.text)


# --- whole questions -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Assistant:
    return Assistant.open(SEEDS, cache_dir=tmp_path_factory.mktemp("cache"))


_QUESTION_WORDS = st.sampled_from(["Who", "What", "When", "Where", "How many", "Why", "Is", "the", "NUG", "soldiers",
                                   "defected", "?", " ", "it", "he", "2021", "14,000", "Laukkai", "(", "’s", "U.S."])
QUESTIONS = st.one_of(
    st.text(max_size=MAX_QUESTION_CHARS + 40),
    st.lists(st.one_of(_QUESTION_WORDS, st.text(max_size=4)), max_size=40).map(" ".join),
)


def _check_quotes(assistant: Assistant, answer: Answer) -> None:
    texts = {document.source: document.text for document in assistant.library.documents()}
    for excerpt in (*answer.excerpts, *answer.more):
        text = texts[excerpt.source]
        assert excerpt.quote == text[excerpt.start : excerpt.end]
        if excerpt.answer is not None:
            assert excerpt.answer.text == text[excerpt.answer.start : excerpt.answer.end]
            assert excerpt.start <= excerpt.answer.start <= excerpt.answer.end <= excerpt.end


@FEW
@given(QUESTIONS)
def test_any_question_gets_an_answer_or_a_refusal(seed, question):
    try:
        answer = seed.ask(question)
    except QuestionError as refusal:
        assert str(refusal) and "\n" not in str(refusal)
        return
    assert isinstance(answer, Answer) and answer.question
    assert answer.answered == bool(answer.excerpts) or not answer.answered
    _check_quotes(seed, answer)


# --- the metrics, written again from their definitions --------------------------------


def squad_normalize(text: str) -> str:
    """SQuAD evaluate-v2.0.py's normalize_answer, with punctuation meaning any
    Unicode punctuation (the project's one extension, "“Loyalty Shift”")."""
    text = text.lower()
    text = "".join(ch for ch in text if not (ch in string.punctuation or unicodedata.category(ch).startswith("P")))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def squad_f1(gold: str, predicted: str) -> float:
    gold_tokens, predicted_tokens = squad_normalize(gold).split(), squad_normalize(predicted).split()
    if not gold_tokens or not predicted_tokens:
        return float(gold_tokens == predicted_tokens)
    same = sum((collections.Counter(gold_tokens) & collections.Counter(predicted_tokens)).values())
    if not same:
        return 0.0
    precision, recall = same / len(predicted_tokens), same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def holds(quote: str, gold: str) -> bool:
    """The gold answer's words, in order, as whole words of the quote, with
    punctuation as a space."""
    def words(text: str) -> list[str]:
        text = "".join(" " if ch in string.punctuation or unicodedata.category(ch).startswith("P") else ch
                       for ch in text.lower())
        return [w for w in text.split() if w not in ("a", "an", "the")]

    needle, haystack = words(gold), words(quote)
    return bool(needle) and any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


ANSWER_TEXT = st.one_of(
    st.lists(st.sampled_from(["The", "a", "an", "Denver", "Broncos", "broncos", "won", "14,000", "“Loyalty", "Shift”",
                              "U.S.", "-", "’s", " ", "  ", "\t", ".", "the"]), max_size=8).map(" ".join),
    st.text(max_size=30),
)


@MANY
@given(ANSWER_TEXT, ANSWER_TEXT)
def test_exact_match_and_f1_equal_squads(gold, predicted):
    assert normalize_answer(gold) == squad_normalize(gold)
    assert compute_exact(gold, predicted) == int(squad_normalize(gold) == squad_normalize(predicted))
    assert compute_f1(gold, predicted) == pytest.approx(squad_f1(gold, predicted))


@MANY
@given(st.lists(ANSWER_TEXT, max_size=4), ANSWER_TEXT)
def test_best_of_several_golds(golds, predicted):
    assert best_exact(golds, predicted) == max((int(squad_normalize(g) == squad_normalize(predicted)) for g in golds),
                                               default=0)
    assert best_f1(golds, predicted) == pytest.approx(max((squad_f1(g, predicted) for g in golds), default=0.0))


@MANY
@given(ANSWER_TEXT, st.lists(ANSWER_TEXT, max_size=3))
def test_a_quote_holds_a_gold_answer_as_whole_words(quote, golds):
    assert quote_holds(quote, golds) == any(holds(quote, gold) for gold in golds)


@MANY
@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50), st.floats(min_value=0, max_value=1))
def test_percentile_is_numpys_linear_one(values, fraction):
    assert percentile(values, fraction) == pytest.approx(float(np.percentile(values, 100 * fraction)), rel=1e-9, abs=1e-9)


@MANY
@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_harmonic_mean(a, b):
    assume(a + b > 0)
    assert harmonic_mean(a, b) == pytest.approx(2 * a * b / (a + b))


_GOLD_WORDS = ["Laukkai", "14,000", "the NUG", "August 2021", "Li Kyar Win"]
_QUOTE_WORDS = ["Laukkai", "14,000", "NUG", "August", "2021", "Li", "Kyar", "Win", "soldiers", "the", "in"]


@st.composite
def judged_questions(draw):
    """A question (answerable or not) and what the assistant said to it."""
    golds = tuple(draw(st.lists(st.sampled_from(_GOLD_WORDS), max_size=2, unique=True)))
    question = EvalQuestion(f"q{draw(st.integers(0, 10**6))}", "Q?", golds, "set.jsonl")
    quotes = draw(st.lists(st.lists(st.sampled_from(_QUOTE_WORDS), min_size=1, max_size=6).map(" ".join), max_size=4))
    excerpts = tuple(Excerpt(q, "d.txt", "T", 1, 0, len(q), 1.0) for q in quotes)
    answered = bool(excerpts) and draw(st.booleans())
    return question, Answer("Q?", answered, excerpts)


@MANY
@given(st.lists(judged_questions(), min_size=1, max_size=12))
def test_accuracy_at_1_and_3_are_counted_as_defined(items):
    results = [judge(question, answer, 0.001) for question, answer in items]
    metrics = summarize(results)
    answerable = [(q, a) for q, a in items if q.answers]

    def correct_within(k, question, answer):
        return answer.answered and any(holds(e.quote, g) for e in answer.excerpts[:k] for g in question.answers)

    if not answerable:
        assert metrics["accuracy_at_1"] is None and metrics["accuracy_at_3"] is None
        return
    at_1 = sum(correct_within(1, q, a) for q, a in answerable) / len(answerable)
    at_3 = sum(correct_within(3, q, a) for q, a in answerable) / len(answerable)
    assert metrics["accuracy_at_1"] == pytest.approx(round(at_1, 4))
    assert metrics["accuracy_at_3"] == pytest.approx(round(at_3, 4))
    declined_right = sum(not q.answers and not a.answered for q, a in items)
    assert metrics["overall_accuracy"] == pytest.approx(round(
        (sum(correct_within(1, q, a) for q, a in answerable) + declined_right) / len(items), 4))


# --- the restructured patterns match what the old ones matched --------------------------

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?"
_HYPHENS = "-\u00ad\u2010\ufffe"
# (site, the pattern as it was, flags, the pieces random text is made of, how it is used)
BEFORE = [
    ("assistant.corpus._FURNITURE",
     r"^(?:home|menu|search|share|tweet|print|log ?in|sign (?:in|up)|register|advertisement|read more|"
     r"related(?: articles| posts)?|follow us.*|join us\b.*|cookies?.*|skip to content)\W*$", re.I,
     ["follow us", "join us", "cookie", "s", "home", " ", "!", "\n", "x", "Cookies", ".", "é", "_"], "match"),
    ("assistant.corpus._BYLINE", r"^(?:By|Written by|Author:)\s+(.+)$", re.I,
     ["By", "by", " ", "\n", "x", "Author:", "\t", "é", "."], "match stripped"),
    ("assistant.corpus._DATE_LINE",
     rf"^(?:(?:Published|Updated|Posted|Date)\s*:?\s*(?:on\s+)?)?(?:{_WEEKDAY}\s+)?"
     rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
     r"(?:[\s,|\-–]+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$", re.I,
     ["Published", "Date", " ", ":", "on ", "Monday", "May", "12", "2021", ",", "\n", "-", "10:30", "pm"], "match"),
    ("assistant.answerer.spans._NAMED_AS",
     r",?\s*(?:also\s+|better\s+|commonly\s+)?(?:known\s+as|called|nicknamed|dubbed|referred\s+to\s+as)\s+(?:the\s+)?[\"“‘']?",
     0, [",", " ", "\n", "called", "also", "known", "as", "x", "the", "“", "X"], "finditer from a word"),
    ("assistant.answerer.dialogue._DEFINED_ACRONYM", r".+?\s*\(([A-Z][A-Za-z]*[A-Z]s?)\)?", 0,
     ["(", ")", " ", "\n", "NUG", "Ns", "x", "A", "a", "\t"], "fullmatch"),
    ("assistant.readers.pdf._CONTENTS_ENTRY", r"(?:\.\s*){5,}(?:\d+|[ivxlc]+)$", re.I,
     [".", " ", "1", "i", "x", "\t", "V", "\n"], "search found"),  # (used as a yes or no: it now starts at the spaces before the dots)
    ("assistant.answerer.question._WHO_IS_NAMED", r"(?i:and\s+)?(?i:who)(?:\s+(?i:is|was)|['’]s)\s+(?:[A-Z][\w’'.-]*\s*)+\??",
     0, ["Who is ", "who's ", "And ", "A", "a", " ", "?", "!", "\n", "Li", "’", ".", "1", "-"], "fullmatch"),
]


def _compiled(site: str) -> re.Pattern:
    module, name = site.rsplit(".", 1)
    return getattr(__import__(module, fromlist=[name]), name)


def _matches(pattern: re.Pattern, text: str, how: str):
    if how == "finditer from a word":
        # as spans.py searches a sentence: from its first character, never white space
        starts = [0] + [i for i, ch in enumerate(text) if not ch.isspace()]
        return [[(m.span(), m.groups()) for m in pattern.finditer(text, start)] for start in starts]
    method = how.split()[0]
    if how == "match stripped":
        text = text.strip()
    found = getattr(pattern, method)(text)
    if how == "search found":
        return found is not None
    return found and (found.span(), found.groups())


@pytest.mark.parametrize("site, before, flags, pieces, how", BEFORE, ids=[b[0].rsplit(".", 2)[-2] + "." + b[0].rsplit(".", 1)[-1] for b in BEFORE])
def test_restructured_patterns_match_as_before(site, before, flags, pieces, how):
    old, new = re.compile(before, flags), _compiled(site)

    @MANY
    @given(st.lists(st.sampled_from(pieces), max_size=10).map("".join))
    def same(text):
        assert _matches(new, text, how) == _matches(old, text, how)

    same()


@MANY
@given(st.lists(st.sampled_from(["A.", "B", ".", " ", "\n", "a", "_", "é", "A", "(", "\u00a0"]), min_size=1, max_size=10)
       .map("".join), st.data())
def test_initials_read_back_from_the_end_as_the_patterns_did(text, data):
    from assistant.answerer.entities import _ends_in_initials
    from assistant.answerer.spans import _INITIALISM_END, _ends_in_initialism

    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert _ends_in_initialism(text, start, end) == (_INITIALISM_END.search(text, start, end) is not None)
    if text[end - 1] == ".":
        assert _ends_in_initials(text, start, end) == (re.search(r"(?:^|[\s(])(?:[A-Z]\.)+$", text[start:end]) is not None)


_AMOUNT_PIECES = ["3", "٣", "14,000", "0.5", " ", "-", "–", ",", ".", "one", "Fourteen", "NINETY", "hundred", "millions",
                  "dozen", "billions", "$", "US$", "€", "dollars", "Euros", "cents", "Percent", "per cent", "%", "May", "Sept.",
                  "Nov.", "late", "March", "Mondays", "4th", "first", "century", "millennium", "c", "ca.", "circa",
                  "1600", "AD", "BCE", "at", "noon", "o’clock", "o'clock", "p.m.", "AM", "days", "YEARS", "decade",
                  "km", "feet", "square", "°C", "bytes", "No", "nation", "has", "to", "about", "ſecond", "of"]


@MANY
@given(st.lists(st.sampled_from(_AMOUNT_PIECES), min_size=1, max_size=12).map("".join))
def test_an_amount_pattern_matches_only_a_text_holding_its_signs(text):
    """Each pattern is tried only on a text holding its signs (a digit, a
    number word, a unit), looked for as plain substrings because the
    patterns' own case-blind alternations cost ten times more: a sign
    missing from a text the pattern matches would lose an amount."""
    from assistant.answerer.entities import _DIGIT, _PATTERNS

    folded, has_digit = text.casefold(), _DIGIT.search(text) is not None
    for kind, pattern, need, signs in _PATTERNS:
        if pattern.search(text):
            assert all(sign.held_by(folded, has_digit) for sign in signs), (kind, pattern.search(text).group())


@MANY
@given(st.lists(st.sampled_from(["gave", "Give", "TAKE", "took", "take", " ", "  ", "themselves", "it", "up", "over",
                                 "power", "rest", "of the world", "other", "countries", "laid", "down", "arms", "came",
                                 "to power", "switched", "sides", "x", ".", "find", "out", "charge of", "in"]),
                max_size=8).map(" ".join))
def test_the_phrases_a_text_can_hold_substitute_as_all_of_them_do(text):
    """words() tries each phrasal verb only where a word opening it stands
    (the whole alternation, tried at every position, took 51 us a
    sentence): the text it gives is the one all the phrases give."""
    from assistant.answerer.words import _PHRASAL_VERBS, _PHRASAL_WORDS, _phrasal_pattern, _with_phrases

    alternation = re.compile(r"\b(?:" + "|".join(f"(?P<v{i}>{_phrasal_pattern(*key)})"
                                                 for i, key in enumerate(_PHRASAL_VERBS)) + r")\b", re.I)
    assert _with_phrases(text) == alternation.sub(lambda m: _PHRASAL_WORDS[int(m.lastgroup[1:])], text)


@MANY
@given(st.lists(st.sampled_from(["gave", "Give", "TAKE", "took", "U.S.", "e.g.", "a.", " ", "-", "'", "’", ".", ",", "up",
                                 "well", "set", "don't", "Setting", "come", "x1", "_", "give-up", "É", "Ǆ", " in", " off"]),
                max_size=10).map("".join))
def test_the_first_words_of_phrases_are_found_from_the_words_already_cut(text):
    """words() looks for phrasal verbs' first words among the words it cut
    anyway, rather than cutting the case-folded text again into word runs:
    the same first words are found."""
    from assistant.answerer.words import _OPENERS, _PARTICLE, _WORD, _WORD_RUN, _opened

    written = _OPENERS.intersection(_WORD_RUN.findall(text.lower())) if _PARTICLE.search(text) else frozenset()
    assert _opened(text, _WORD.findall(text)) == written


def _looks_like_html(text: str) -> bool:
    """HTML's own reading: an optional XML declaration, comments each ending
    at their first "-->" (at most 2,000 characters inside), then a doctype or
    an <html> tag."""
    at = re.match(r"\A\ufeff?\s*(?:<\?xml[^>]{0,200}>\s*)?", text, re.I | re.S).end()
    while text.startswith("<!--", at):
        end = text.find("-->", at + 4)
        if end < 0 or end - (at + 4) > 2000:
            return False
        at = end + 3
        while at < len(text) and text[at].isspace():
            at += 1
    return re.match(r"<!doctype\s+html|<html[\s>]", text[at:], re.I) is not None


@MANY
@given(st.lists(st.sampled_from(["<!--", "-->", " ", "x", "<html>", "<!doctype html>", "\n", "-", "<?xml ?>", ">",
                                 "<html ", "\ufeff"]), max_size=10).map("".join))
def test_a_page_saved_as_text_is_told_by_html_rules(text):
    """corpus._LOOKS_LIKE_HTML once let a comment run on past its "-->"
    (".{0,2000}?-->"), exponential in a run of comments: now a comment ends
    where HTML ends it, and what it finds is what the old pattern found
    whenever the page's comments are well formed."""
    from assistant.corpus import _LOOKS_LIKE_HTML

    old = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
                     re.I | re.S)
    found = _LOOKS_LIKE_HTML.match(text) is not None
    assert found == _looks_like_html(text)
    assert not found or old.match(text) is not None
