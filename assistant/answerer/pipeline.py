"""From a question to an answer: retrieve passages, score their sentences with
rules, pick the short answer, or decline."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from ..corpus import BODY, CODE, HEADER, TABLE_ROW, Document, Paragraph
from ..corpus import DEFINITION as DEFINITION_ENTRY
from ..errors import QuestionError
from ..index import STOP_WORDS, Hit
from ..readers.structure import CELL_SEPARATOR
from ..inline_markup import over_whole_code
from ..lexicon import weighted_senses
from ..library import CorpusChangedError, Library, open_library
from ..text import Span
from .associations import association
from .compounds import written_apart
from .dialogue import Conversation, resolve
from .entities import NAME_KINDS, Entity, acronym_definitions, entity_matches, holds_a_date, holds_a_quantity, spelled_out
from .features import SAID, SpanFacts, answerability_features, possible_span_features, span_features
from .matching import (
    LIGHT_SHARE,
    QueryTerm,
    SentenceMatch,
    expand,
    match_sentence,
    matched_window,
    phrasal_verbs,
    question_weight,
    retrieval_terms,
    sentence_stems,
    sentence_vocabulary,
    with_joined_forms,
)
from .model import RankingModel, shipped_model
from .question import (
    ACRONYM,
    ADDRESS,
    CONSEQUENCE,
    DATE,
    DEFINITION,
    DURATION,
    MANNER,
    MEASURE,
    MONEY,
    NUMBER,
    OPTION,
    PERCENT,
    PLACE,
    REASON,
    THING,
    Question,
    analyze_question,
)
from .scope import document_names, named_documents
from .short_answers import (SpanModel, cut_from_steps, pick_and_why, rule_answer, shipped_span_model,
                            names_only_a_place, without_hanging_words)
from .spans import answer_entity, names_after, question_stems
from .types import Answer, Excerpt, ShortAnswer
from .words import LIGHT_WORDS, ORDINALS, content_terms, in_full, stem

MAX_QUESTION_CHARS = 1000
PASSAGES_SEARCHED = 24
MAX_ACRONYM_TYPED_LOWER = 5  # letters of a lower-case word that may be an acronym
SCOPE_WIDENING = 10  # passages searched, times PASSAGES_SEARCHED, for those of the document a question names
MORE_EXCERPTS = 10
LAST_DOCUMENT_PASSAGES = 8  # passages of the last answer's document a follow-up searches besides
FIRST_MENTIONS = 2  # passages a document first writes a thing in, searched besides for what it is
FIRST_MENTION_DOCUMENTS = 12  # ... in so many documents at most
FIRST_MENTION_TERMS = 3  # ... for a question of so many words at most ("What is the Debian Social Contract?")
# Settings of the rules, tuned on the eval/ seed sets and the SQuAD tune
# articles (never on the SQuAD test articles). How much each thing the rules
# find counts is the ranking model's (answerer/model.py), not set here.
NEIGHBOUR_SHARE = 0.5
COMPOUND_PASSAGES = 200  # passages looked at for a question's hyphenated word as written (compounds.py)
LEANED_SHARE = 0.9
TITLE_SHARE = 0.7
CARRIED_SHARE = 0.4  # words a follow-up borrows from earlier turns
PARAGRAPH_SHARE = 0.25
MIN_CONTEXT_COVERAGE = 0.35
NAMES_MISSING_COVERAGE = 0.6
FOCUS_MISSING_COVERAGE = 0.7
ABSENT_TERM_COVERAGE = 0.4
TYPED_MISSING_COVERAGE = 0.6
PATTERN_MISSING_COVERAGE = 0.9
SPREAD_SLACK, SPREAD_TOKENS = 2, 20  # tokens between two words that cost nothing; the spread that costs all
TERMED_QUOTE_CHARS = 400  # the most a definition's later sentence is quoted with its term
LEANS_BACK_SENTENCES = 2  # how far back "It marks..." may look for the name it is about
# The kinds whose answer a cue before the span shows: "because..." says why;
# "X is a..." what X is; "by doing..." how; "risks, including..." what befalls someone.
_CUE_FEATURES = {REASON: "cue", DEFINITION: "cue", MANNER: "cue", CONSEQUENCE: "consequence_cue"}
_PATTERN_TYPES = {DATE, NUMBER, MONEY, PERCENT, DURATION, ACRONYM, MEASURE, ADDRESS, OPTION}
_TYPED = NAME_KINDS | _PATTERN_TYPES


@dataclass(frozen=True)
class Candidate:
    document: int
    paragraph: int  # 1-based
    span: Span
    position: int  # sentence number in its paragraph, 0-based
    passage_score: float
    match: SentenceMatch
    entity: Entity | None
    score: float
    context: float  # question weight found in the sentence and, for part, around it
    nearby: frozenset[str] = frozenset()  # question words in the paragraph or the document's title
    leaned: frozenset[str] = frozenset()  # question words it borrows from the sentence it leans on
    quote_from: int | None = None  # where the quote starts, when before the sentence ("On Nov. 28... It marks...")
    features: dict[str, float] = field(default_factory=dict, compare=False)  # what the model weighed (features.py)


class Assistant:
    """Answers questions about one corpus, as the console and `ask` use it."""

    def __init__(self, library: Library, reopen=None, model: RankingModel | None = None,
                 span_model: SpanModel | None = None):
        self.library = library
        self.model = model or shipped_model()
        self.span_model = span_model or shipped_span_model()
        self._reopen = reopen
        self._bylines_read: tuple[Library, list[str]] | None = None  # for the library they were read from

    @classmethod
    def open(cls, path, cache_dir=None, progress=None, use_cache: bool = True, limits=None) -> Assistant:
        def reopen(rebuild: bool = False) -> Library:
            return open_library(path, cache_dir=cache_dir, progress=progress, use_cache=use_cache, limits=limits,
                                rebuild=rebuild)

        return cls(reopen(), reopen)

    @classmethod
    def from_documents(cls, root: str, documents) -> Assistant:
        """An assistant over documents already in memory (a SQuAD file's
        articles): indexed on the spot, nothing saved."""
        from ..library import build_library

        return cls(build_library(root, documents))

    def ask(self, question: str, k: int = 3, conversation: Conversation | None = None) -> Answer:
        question = check_question(question)
        try:
            return self._answer(question, k, conversation)
        except CorpusChangedError:
            if self._reopen is None:
                raise
        self.library = self._reopen()  # a file changed under us: index again
        try:
            return self._answer(question, k, conversation)
        except CorpusChangedError:
            pass
        # The saved index itself no longer matches files it says are unchanged
        # (touched within one clock tick, or read otherwise now): built afresh.
        self.library = self._reopen(rebuild=True)
        return self._answer(question, k, conversation)

    # --- the steps ---------------------------------------------------------------

    def _answer(self, question: str, k: int, conversation: Conversation | None) -> Answer:
        written_out = self._written_out(question)
        followup = resolve(written_out, conversation)
        answer = self._answer_followup(written_out, k, followup)
        if written_out != question:
            answer = replace(answer, question=question, resolved_question=answer.resolved_question or written_out)
        return replace(answer, referent=followup.referent) if followup.referent else answer

    def ranked(self, question: str, keep: int, conversation: Conversation | None = None,
               ) -> tuple[Question, list[QueryTerm], list[Candidate]]:
        """A question's candidate sentences, scored and best first, with the
        features the model weighed (the first `keep` with their answer spans
        looked for): what training learns from. None found: an empty list."""
        question = self._written_out(check_question(question))
        found = self._search(question, keep, resolve(question, conversation))
        if isinstance(found, Answer):
            return analyze_question(question), [], []
        parsed, terms, candidates, _, _ = found
        return parsed, terms, candidates

    def _written_out(self, question: str) -> str:
        """The question in the documents' words: "how many ppl..." is "how
        many people...", and "GPLv3" is "GPL 3" to documents that never write "GPLv3"."""
        return written_apart(in_full(question), self.library.index.has_term, self._passages_with)

    def _passages_with(self, words: list[str]) -> Iterator[str]:
        """The texts of the passages that best match all these words, one at
        a time: a compound found written in the first is looked for no further."""
        index = self.library.index
        passages = index.passages
        for hit in index.search_terms(dict.fromkeys(words, 1.0), COMPOUND_PASSAGES):
            document = self.library.document(int(passages.document[hit.passage]))
            yield document.text[int(passages.start[hit.passage]):int(passages.end[hit.passage])]

    def _answer_followup(self, question: str, k: int, followup) -> Answer:
        found = self._search(question, max(k, MORE_EXCERPTS), followup)
        if isinstance(found, Answer):
            return found
        parsed, terms, candidates, resolved, writer = found
        best = candidates[0]
        probability = self.answer_probability(candidates)
        reason = (self._why_not(parsed, terms, best) or self._about_another(followup.referent, best, writer)
                  or self._unlikely(probability))
        excerpts: list[Excerpt] = []
        said: list[str] = []  # the excerpts' words (_word_run)
        short_why: tuple[str, ...] = ()
        for candidate in _distinct(candidates, self.library.text_numbers):
            if len(excerpts) == max(k, MORE_EXCERPTS):
                break
            source = self.library.document(candidate.document).source
            if any(e.source == source and e.start <= candidate.span.start and candidate.span.end <= e.end for e in excerpts):
                continue  # quoted already, inside a longer quote above
            span, entity = self._quote_span(candidate, parsed, excerpts)
            quote = span.of(self.library.document(candidate.document).text)
            if _said_in(quote, said):
                # The same sentence in another place or file (NEWS and CHANGES;
                # a book's PDF, web pages and text edition, whose quotation
                # marks and hyphens differ), or inside a longer quote above:
                # said once (and its short answer never looked for).
                continue
            excerpt, picked_because = self._excerpt(candidate, parsed, terms, span, entity, learned_span=not excerpts)
            if not excerpts and excerpt.answer and picked_because:
                short_why = (f"Its short answer, “{' '.join(excerpt.answer.text.split())}”: "
                             + "; ".join(picked_because) + ".",)
            excerpts.append(excerpt)
            said.append(_word_run(excerpt.quote))
        why = self._explain(parsed, terms, candidates, probability, reason) + (short_why if not reason else ())
        if reason:
            return Answer(question, False, tuple(excerpts[:k]), reason, parsed.kind, resolved, tuple(excerpts[k:]),
                          why=why)
        return Answer(question, True, tuple(excerpts[:k]), None, parsed.kind, resolved, tuple(excerpts[k:]), why=why)

    def _search(self, question: str, keep: int, followup):
        """The question read, its terms, and the candidate sentences best
        first (with whether the follow-up's referent is the writer); or the
        Answer that declines when nothing is found."""
        parsed = analyze_question(followup.text if not followup.carried else question)
        parsed = self._without_author_words(parsed)
        if followup.previous and parsed.kind == "other":
            # "And each family member?" asks what the last question asked.
            before = analyze_question(followup.previous)
            parsed = replace(parsed, kind=before.kind, expects=before.expects)
        index = self.library.index
        plain = frozenset(parsed.terms) - frozenset(parsed.names)
        terms = expand(list(parsed.terms), index, plain=plain, phrases=phrasal_verbs(parsed.text, list(plain)))
        terms += expand([t for t in followup.carried if t not in parsed.terms], index, share=CARRIED_SHARE)
        terms = with_joined_forms(terms, parsed.text, index)
        resolved = followup.text if followup.carried or followup.text != question else None
        if parsed.about_document:
            answer = self._about_document(parsed, terms, keep)
            if answer:
                return answer
        if not terms or not any(t.in_corpus for t in terms):
            return self._decline(question, parsed, [], resolved, "None of the question's words appear in the documents' searched text.")
        if parsed.kind == "yes/no":
            # "Was it the first battalion to give up?" is answered "no" by
            # "the second major battalion to capitulate": any place in a
            # sequence bears on it.
            terms = [replace(t, forms=t.forms | ORDINALS, stems=t.stems | ORDINALS) if t.word in ORDINALS else t
                     for t in terms]
        if parsed.unit:
            # "Which country...": the answer shows a country, not the word.
            terms = [replace(t, weight=t.weight * LIGHT_SHARE) if t.word == parsed.unit else t for t in terms]
        last = self._documents_of(followup.last_source)
        hits, named = self._scoped(index.search_terms, retrieval_terms(terms, index), terms, parsed, last)
        if named:
            last = frozenset()  # a question that names its document is about that one
        if not hits:
            return self._decline(question, parsed, [], resolved, "No passage of the documents matches the question.")
        if parsed.kind == "definition":
            hits += self._first_mentions(parsed, retrieval_terms(terms, index), hits)
        hits += self._leaning_on(hits)
        terms = self._with_acronyms(terms, hits, parsed)
        typed_lower = not any(c.isupper() for c in question)
        spelled = self._with_spelled_out(terms, hits, question, typed_lower)
        if spelled != terms:
            # The acronym's word is searched for too: the passage that
            # answers may be one the acronym alone could not find.
            terms = spelled
            found, _ = self._scoped(index.search_terms, retrieval_terms(terms, index), terms, parsed, last)
            hits = found + self._leaning_on(found) if found else hits
        # A word the documents never write, found only as another form of it
        # ("winning" as "win"): when the question writes it in lower case.
        inflected = [] if typed_lower else [t for t in terms if t.word in parsed.terms and not index.has_term(t.word)
                                            and re.search(rf"\b{re.escape(t.word)}\b", question)]
        texts = self._texts_of(hits) if parsed.actor or typed_lower or inflected else []
        if inflected:
            # Names do not inflect: "Is the army winning?" is not asked of Li
            # Kyar Win. The word's stem is dropped where the passages found
            # write it only as a name; its synonyms stay ("dollars" is "USD").
            named = _stems_only_in_names({stem(t.word) for t in inflected}, texts)
            terms = [replace(t, stems=t.stems - {stem(t.word)}) if t in inflected and stem(t.word) in named else t for t in terms]
        if parsed.actor and _written_alone(next(t for t in terms if t.word == parsed.actor), texts):
            # The passages found write the name as a word of its own: whether
            # they say what it did is for the scores to tell. Only a name
            # they never write alone ("Myanmar-China border") is held to it.
            parsed = replace(parsed, actor=None)
        if typed_lower:
            # "how many ppl does the mndaa hold": typed in lower case, a name
            # is known by how the passages found write it.
            parsed = replace(parsed, names=parsed.names + _written_as_names(parsed, texts))
        # "Why?" after an answer asks for its reason, not for the quote again.
        stated = followup.said if parsed.expects[0] == REASON else ()
        # The writer is named in a paragraph that says "I" ("I request that
        # the U.S....") as in one that gives his name.
        writer = self._is_a_writer(followup.referent)
        candidates = self._candidates(hits, parsed, terms, keep, stated,
                                      _named_words(followup.referent) or _replacing_words(followup), writer,
                                      last)  # best first
        if not candidates:
            return self._decline(question, parsed, [], resolved, "No passage of the documents matches the question.")
        if parsed.must_hold and not self._answers_with(candidates[0], parsed):
            # "How many have defected?": the best match that gives no number
            # yields to a near one that does.
            holding = next((c for c in candidates[1:MORE_EXCERPTS] if self._answers_with(c, parsed)
                            and c.score >= candidates[0].score - self.model.holding_margin), None)
            if holding is not None:
                candidates = [holding] + [c for c in candidates if c is not holding]
        return parsed, terms, candidates, resolved, writer

    def _scoped(self, search, weights: dict[str, float], terms: list[QueryTerm], parsed: Question,
                last: frozenset[int] = frozenset()) -> tuple[list[Hit], bool]:
        """The passages found, from the one document (or its copies) the
        question names when it names one (by its own words, else by those a
        follow-up carries) and that document has any. A question that names
        none, in a conversation, also gets the best passages of the documents
        the last answer quoted (`last`) that the search did not bring: a
        follow-up ("what if what I have is a tuple?") is most likely about
        what was being talked of. With whether it names a document."""
        if len(self.library) < 2:
            return search(weights, PASSAGES_SEARCHED), False
        names = document_names(self.library)
        index = self.library.index
        named = named_documents([t for t in terms if t.word in parsed.terms], names, self.library) \
            or named_documents(terms, names, self.library)
        if not named and not last:
            return search(weights, PASSAGES_SEARCHED), False
        # The first of the wider search are the plain search's: one search serves both.
        wider = search(weights, PASSAGES_SEARCHED * SCOPE_WIDENING)
        if not named:
            return wider[:PASSAGES_SEARCHED] + [hit for hit in wider[PASSAGES_SEARCHED:]
                                                if int(index.passages.document[hit.passage]) in last][:LAST_DOCUMENT_PASSAGES], False
        within = [hit for hit in wider if int(index.passages.document[hit.passage]) in named]
        return within[:PASSAGES_SEARCHED] or wider[:PASSAGES_SEARCHED], True

    def _first_mentions(self, parsed: Question, weights: dict[str, float], hits: list[Hit]) -> list[Hit]:
        """Where the documents first write the thing a definition question
        asks about ("What is Memcheck?"): a document says what a thing is as
        it first names it ("Memcheck is a memory error detector."), in a
        passage that the search for the one name ranks below every short
        line holding it. The thing is the question's rarest word, in a
        question of a few words (a long one asks about more); the
        documents, those whose first passage with it weighs it most; each
        passage counts as near the question as the best one found."""
        index = self.library.index
        known = [t for t in parsed.terms if t in weights]
        if not known or len(parsed.terms) > FIRST_MENTION_TERMS:
            return []  # a long question asks about more than one thing
        word = max(known, key=index.idf_of)
        seen = {hit.passage for hit in hits}
        by_document: dict[int, list[Hit]] = {}
        for hit in index.first_mentions(word, FIRST_MENTIONS):
            by_document.setdefault(int(index.passages.document[hit.passage]), []).append(hit)
        documents = sorted(by_document.values(), key=lambda found: -found[0].score)[:FIRST_MENTION_DOCUMENTS]
        best = max((hit.score for hit in hits), default=0.0)
        return [Hit(hit.passage, best) for found in documents for hit in found if hit.passage not in seen]

    def _documents_of(self, source: str | None) -> frozenset[int]:
        """The documents of the text a source holds (a file and its copies),
        when the library has others: none when it is the library's one text."""
        found = self.library.number_of(source) if source is not None else None
        if found is None:
            return frozenset()
        numbers = self.library.text_numbers
        documents = frozenset(n for n, text in enumerate(numbers) if text == numbers[found])
        return documents if len(documents) < len(numbers) else frozenset()

    def _with_acronyms(self, terms: list[QueryTerm], hits: list[Hit], parsed: Question) -> list[QueryTerm]:
        """A question that spells out what a document found abbreviates
        ("the National Unity Government's programme") finds the acronym
        ("the People's Embrace program of the NUG") as each of those words."""
        asked = {t.word for t in terms}
        # The acronyms the question could be spelling out: the initials of
        # each run of two to eight of its words.
        own = [w for w in parsed.terms if w[:1].isalpha()]
        initials = frozenset(
            "".join(w[0] for w in own[i:j]) for i in range(len(own)) for j in range(i + 2, min(i + 8, len(own)) + 1)
        )
        stands_for: dict[str, set[str]] = {}
        for document in self._documents_found(hits):
            for acronym, spelled in acronym_definitions(document.text, initials):
                if acronym not in asked and all(w in asked for w in spelled):
                    for w in spelled:
                        stands_for.setdefault(w, set()).add(acronym)
        if not stands_for:
            return terms
        # As a stem too, so that the short answer is not the acronym itself.
        return [replace(t, forms=t.forms | stands_for[t.word], stems=t.stems | stands_for[t.word])
                if t.word in stands_for else t for t in terms]

    def _with_spelled_out(self, terms: list[QueryTerm], hits: list[Hit], question: str,
                          typed_lower: bool) -> list[QueryTerm]:
        """An acronym the question writes in capitals and the documents never
        do ("AGPL"), found spelled out in the passages found ("GNU Affero
        General Public License"), else in the rest of their documents ("DPL":
        a history writes "Debian Project Leader" once, the constitution found
        "Project Leader" throughout): its rarest word stands for it there. A
        question typed all in lower case writes an acronym so too ("how long
        does a dpl stay in office"): a word neither the documents nor English
        have may be one."""
        index = self.library.index
        wanted = [t for t in terms if t.word.isalpha() and not index.has_term(t.word)
                  and (re.search(rf"\b{re.escape(t.word.upper())}\b", question)
                       or typed_lower and len(t.word) <= MAX_ACRONYM_TYPED_LOWER and not weighted_senses(t.word))]
        if not wanted:
            return terms
        texts = " ".join(self._texts_of(hits))
        standing: dict[str, str] = {}
        for term in wanted:
            spelled = spelled_out(term.word, texts) or next(
                filter(None, (spelled_out(term.word, d.text) for d in self._documents_found(hits))), None)
            if spelled:
                standing[term.word] = max(spelled, key=index.idf_of)
        return [replace(t, forms=t.forms | {standing[t.word]}, stems=t.stems | {stem(standing[t.word])})
                if t.word in standing else t for t in terms]

    def _documents_found(self, hits: list[Hit]) -> Iterator[Document]:
        """The documents of the passages found, each once, in order."""
        passages = self.library.index.passages
        for number in dict.fromkeys(int(passages.document[hit.passage]) for hit in hits):
            yield self.library.document(number)

    def _texts_of(self, hits: list[Hit]) -> list[str]:
        """The sentences of the passages found, as text: how they write a
        question's word is read from them."""
        passages = self.library.index.passages
        texts = []
        for hit in hits:
            document = self.library.document(int(passages.document[hit.passage]))
            sentences = document.sentences_in(int(passages.paragraph[hit.passage]))
            texts += [span.of(document.text) for span in sentences]
        return texts

    def _leaning_on(self, hits: list[Hit]) -> list[Hit]:
        """Paragraphs that open by leaning on a paragraph found ("This approach
        could weaken the military..." after the proposal): what they say is
        about it, though they may share none of the question's words."""
        passages = self.library.index.passages
        found = {hit.passage for hit in hits}
        leaning = []
        for hit in hits:
            following = hit.passage + 1
            if following in found or following >= len(passages):
                continue
            if passages.document[following] != passages.document[hit.passage]:
                continue
            document = self.library.document(int(passages.document[following]))
            if _OPENS_LEANING.match(document.text, int(passages.start[following])):
                leaning.append(Hit(following, hit.score))  # as near the question as the one it leans on
                found.add(following)
        return leaning

    def _candidates(self, hits, parsed: Question, terms: list[QueryTerm], keep: int = MORE_EXCERPTS,
                    stated: tuple[tuple[str, int, int], ...] = (), referent: tuple[str, ...] = (),
                    writer: bool = False, last: frozenset[int] = frozenset()) -> list[Candidate]:
        """The sentences of the passages found, scored. `referent` holds the
        name words a follow-up's pronoun stands for ("Laukkai" for "And
        counting their families, how many people?"); `writer`, that they
        name the writer, whom a paragraph in the first person names too;
        `last`, the documents the last answer of a conversation quoted."""
        passages = self.library.index.passages
        top = hits[0].score or 1.0
        total = question_weight([t.weight for t in terms])
        focus_term = next((t for t in terms if t.word == parsed.focus), None)
        weight_of = {t.word: t.weight for t in terms}
        # A follow-up's own words say what it asks; the rest are borrowed.
        borrowing = any(t.word not in parsed.terms for t in terms)
        asked = {t.word for t in terms if t.word in parsed.terms and t.word not in LIGHT_WORDS} if borrowing else set()
        own_asked = [t.word for t in terms if t.word in parsed.terms and t.word not in LIGHT_WORDS]
        negated = bool(_NEGATION.search(parsed.text))
        opposites = _opposites(own_asked)  # looked up once, not for each sentence
        asked_stems = {w: stem(w) for w in own_asked}  # (the associations' keys)
        candidates = []
        for hit in hits:
            doc_id = int(passages.document[hit.passage])
            number = int(passages.paragraph[hit.passage])
            document = self.library.document(doc_id)
            if not _may_answer(document, document.paragraphs[number - 1], parsed):
                continue  # code shows how to do a thing; it does not say who, what or when
            sentences = document.sentences_in(number)
            matches = [match_sentence(span.of(document.text), terms) for span in sentences]
            title_words = match_sentence(f"{document.display_title} {document.aliases}", terms).matched \
                if _titled(document) else match_sentence(document.aliases, terms).matched
            # The headings above a paragraph say what each of its sentences is
            # about: "You may return any item..." under "Refunds".
            heading = document.heading_text(number)
            term = document.term(number)
            if term:
                # A definition's term heads its own later sentences too ("The
                # user is prompted using the string prompt..." under
                # "getpass.getpass(prompt='Password: ')"), for scoring; the
                # index has its words already, in the passage.
                heading = f"{heading} {term}"
            headed = match_sentence(heading, terms).matched if heading else frozenset()
            title_words |= headed
            title = sum(weight_of[w] for w in title_words) / total
            in_paragraph = frozenset().union(*(m.matched for m in matches)) if matches else frozenset()
            # What the paragraph writes, not only inside a compound: "China"
            # is not written by "the Myanmar-China border" (the declining rules).
            written = frozenset().union(*(m.matched - m.in_compounds for m in matches)) if matches else frozenset()
            # A question word in every sentence of the paragraph (its topic)
            # says less about which sentence answers than one in a single one.
            sentences_with = Counter(w for m in matches for w in m.matched)
            # A sentence that opens with a pronoun ("He advocates...") is about
            # what the sentences before it named: their words count almost
            # as its own.
            introduced = _introduced_by(document, number, terms)
            # A paragraph in the writer's own voice names him, when he is the referent.
            voiced = writer and bool(referent) and _in_first_person(document, number)
            inherited: list[frozenset[str]] = []
            for position, (span, match) in enumerate(zip(sentences, matches)):
                if _LEANS_BACK.match(document.text, span.start):
                    before = inherited[-1] | matches[position - 1].matched if position else introduced.last
                else:
                    before = frozenset()
                inherited.append(before | introduced.whole | headed)
            # A last sentence that only introduces what a heading follows
            # ("Options include:" over "General options"): nothing to quote.
            introduces_nothing = bool(sentences) and _introduces_nothing(document, number, sentences[-1])
            for position, (span, match) in enumerate(zip(sentences, matches)):
                if not match.matched and not inherited[position]:
                    continue  # ("It states that over 14,000..." is about what the sentence before named)
                if introduces_nothing and position == len(sentences) - 1:
                    continue
                # Words the sentence lacks but its neighbours have count for part:
                # "He needed the revenue..." follows the sentence naming Albrecht.
                own_words = match.matched
                leaned = inherited[position] - own_words
                near = set()
                for other in (position - 1, position + 1):
                    if 0 <= other < len(matches):
                        near |= matches[other].matched
                near -= own_words | leaned
                rest = in_paragraph - own_words - near - leaned
                # A titled document is about its title throughout: "He died
                # in 1943" in the article "Nikola Tesla" names Tesla too.
                titled = title_words - own_words - leaned
                # Borrowed words count in the sentence's own coverage too.
                borrowed = LEANED_SHARE * sum(weight_of[w] for w in leaned) + TITLE_SHARE * sum(weight_of[w] for w in titled)
                context = (
                    sum(weight_of[w] for w in own_words)
                    + borrowed
                    + NEIGHBOUR_SHARE * sum(weight_of[w] for w in near)
                    + PARAGRAPH_SHARE * sum(weight_of[w] for w in rest)
                ) / total
                if borrowed:
                    match = replace(match, coverage=match.coverage + borrowed / total)
                features = _sentence_features(match, hit.score / top, position, context)
                features["title"] = title
                features["local"] = sum(weight_of[w] / sentences_with[w] for w in own_words) / total
                # "Who holds them now?": a sentence with only the words
                # borrowed from earlier turns does not say who holds them.
                features["asked_missing"] = float(bool(asked) and not asked & (own_words | leaned))
                absent_names = [n for n in parsed.names if n not in match.matched and n not in in_paragraph
                                and n not in title_words]
                # A passage about another place or body.
                features["names_absent"] = len(absent_names) / len(parsed.names) if absent_names else 0.0
                # Unless its document names them elsewhere: "Python" in the
                # Sorting HOWTO, said once of the whole text.
                features["names_elsewhere"] = sum(document.writes_name(n) for n in absent_names) \
                    / len(parsed.names) if absent_names else 0.0
                # So is one that never names what the follow-up's pronoun means.
                unnamed = [n for n in referent if n not in in_paragraph and n not in title_words]
                features["referent_absent"] = len(unnamed) / len(referent) if unnamed and not voiced else 0.0
                features["length"] = min(match.length, 60) / 60
                features["last_document"] = float(doc_id in last)
                lacking = [w for w in own_asked if w not in own_words and w not in leaned]
                features["unmatched"] = max((weight_of[w] for w in lacking), default=0.0) / total
                features["unmatched_nearby"] = max((weight_of[w] for w in lacking if w not in in_paragraph
                                                    and w not in title_words), default=0.0) / total
                # A word it lacks may be said in words that often answer for
                # it ("death" for "die"): learned from SQuAD train.
                sentence = span.of(document.text)
                if lacking:
                    said = sentence_stems(sentence)
                    features["associated"] = min(1.0, sum(weight_of[w] * association(asked_stems[w], said)[0]
                                                          for w in lacking) / total)
                else:
                    features["associated"] = 0.0
                features["antonym"] = float(_opposite_in(sentence, opposites, own_words))
                features["negation_mismatch"] = float(negated != bool(_NEGATION.search(sentence)))
                candidates.append(
                    Candidate(doc_id, number, span, position, hit.score, match, None, self.model.score(features),
                              context, written | title_words, leaned, features=features)
                )
        return self._with_answer_spans(candidates, parsed, terms, focus_term, keep, stated)

    def _with_answer_spans(self, candidates: list[Candidate], parsed: Question, terms: list[QueryTerm],
                           focus_term: QueryTerm | None, keep: int,
                           stated: tuple[tuple[str, int, int], ...] = ()) -> list[Candidate]:
        """Each candidate's answer span and its final score, best first.
        Finding spans is the costly part, so it is done in order of the best
        score a candidate could still reach, and stops once no candidate
        left could enter the first `keep`: the ranking of those is the same
        as if every span had been found. A sentence in `stated` ((source,
        start, end) of the quote a why-question follows) scores less unless
        its span gives a reason."""
        candidates.sort(key=lambda c: -c.score)
        typed = parsed.expects[0] in _TYPED
        pattern = parsed.expects[0] in _PATTERN_TYPES
        cue = _CUE_FEATURES.get(parsed.expects[0])
        most = self.model.best_of(possible_span_features(typed, pattern, bool(parsed.focus), cue))
        said_stems = question_stems(parsed, terms)
        done: list[Candidate] = []
        best_scores: list[float] = []  # a min-heap of the `keep` best final scores

        def scored(c: Candidate, entity: Entity | None, counted: int = 0) -> Candidate:
            restated = bool(stated) and _overlaps(self.library.document(c.document).source, c.span, stated)
            exact = entity is not None and entity_matches(entity.kind, parsed.expects[0])
            facts = SpanFacts(typed, pattern, entity is not None, exact, counted, cue, restated)
            values = span_features(facts)
            return replace(c, entity=entity, score=c.score + self.model.score(values), features=c.features | values)

        for position, candidate in enumerate(candidates):
            if len(best_scores) == keep and candidate.score + most < best_scores[0]:
                done.extend(scored(c, None) for c in candidates[position:])
                break
            document = self.library.document(candidate.document)
            text = document.text
            entry = _term_end(document, candidate, terms) if parsed.expects[0] == DEFINITION else None
            entity = answer_entity(text, candidate.span, parsed, candidate.match, terms, said_stems, entry)
            if entity is None and parsed.expects[0] in NAME_KINDS and candidate.position > 0 and _LEANS_BACK.match(text, candidate.span.start):
                leaned_on = self._answer_leaned_on(candidate, parsed, terms, said_stems)
                if leaned_on is not None:
                    # "It marks the second major battalion to capitulate..." is
                    # about the regiment two sentences before: quote from there.
                    candidate, entity = leaned_on
            # Only a number counts: "Deserter Program in..." counts nothing.
            counted = (_counted(text, entity, focus_term, candidate.leaned | candidate.nearby)
                       if parsed.focus and entity and entity.kind == NUMBER else 0)
            final = scored(candidate, entity, counted)
            done.append(final)
            if len(best_scores) < keep:
                heapq.heappush(best_scores, final.score)
            elif final.score > best_scores[0]:
                heapq.heapreplace(best_scores, final.score)
        done.sort(key=lambda c: -c.score)
        return done

    def _answer_leaned_on(self, candidate: Candidate, parsed: Question, terms: list[QueryTerm],
                          said_stems: set[str]) -> tuple[Candidate, Entity] | None:
        """The name a sentence that opens with "It" or "They" leans on, in
        the one or two sentences before it, with the span from there."""
        document = self.library.document(candidate.document)
        sentences = document.sentences_in(candidate.paragraph)
        for back in range(1, min(LEANS_BACK_SENTENCES, candidate.position) + 1):
            before = sentences[candidate.position - back]
            match = match_sentence(before.of(document.text), terms)
            entity = answer_entity(document.text, before, parsed, match, terms, said_stems)
            if entity is not None:
                return replace(candidate, quote_from=before.start), entity
        return None

    def _why_not(self, parsed: Question, terms: list[QueryTerm], best: Candidate) -> str | None:
        """One sentence saying why the best candidate does not answer, or None."""
        if best.context < MIN_CONTEXT_COVERAGE:
            return "The documents do not seem to answer this: the closest passages share too few of its words."
        # (The kind of answer a pattern finds is no name the passage must
        # write: "What URL goes in the header?" is answered by
        # "http://www.apache.org/...". "What King...?" is answered by a king.)
        asked_kind = parsed.unit if parsed.expects[0] in _PATTERN_TYPES else None
        missing = [n for n in parsed.names if n not in best.match.matched - best.match.in_compounds
                   and n not in best.nearby and _telling(n)
                   and n not in parsed.described and n != asked_kind
                   and not (n in best.match.in_compounds
                            and _in_an_identifier(best.span.of(self.library.document(best.document).text), n))]
        actor = parsed.actor  # (left only when no passage found writes it as a word of its own)
        if actor in parsed.names and actor not in parsed.described and actor != asked_kind and _telling(actor):
            # "How did China react to the surrenders near its border?" against
            # "...near the Myanmar-China border": the text says nothing China
            # did, though the compound holds the name (matching.py).
            return f"The documents do not seem to answer this: nothing near the closest passages mentions “{parsed.actor}”."
        # (A word held only inside a compound counts toward neither: "the
        # Myanmar-China border" writes nothing about China.)
        if missing and best.match.coverage - best.match.compound < NAMES_MISSING_COVERAGE:
            return f"The documents do not seem to answer this: nothing near the closest passages mentions “{missing[0]}”."
        own = [t for t in terms if t.word in parsed.terms]
        absent = [t.word for t in own if not t.in_corpus and t.word not in LIGHT_WORDS and t.word != parsed.unit
                  and t.word not in parsed.alternatives]
        if absent and best.match.coverage < ABSENT_TERM_COVERAGE:
            return f"The documents do not seem to answer this: they never mention “{absent[0]}”."
        if parsed.asked_verb in absent and parsed.asked_verb not in best.match.matched | best.nearby:
            # "Who commanded the battalion?": a text that never says
            # "command" in any form cannot say who did.
            return f"The documents do not seem to answer this: they never mention “{parsed.asked_verb}”."
        if parsed.attribute in absent and parsed.attribute not in best.match.matched | best.nearby:
            # "What is the population of Laukkai?": a text that gives it
            # names it; one that never does cannot say.
            return f"The documents do not seem to answer this: they never mention a “{parsed.attribute}”."
        if (parsed.focus and parsed.focus not in best.match.matched and parsed.focus not in best.nearby
                and best.match.coverage < FOCUS_MISSING_COVERAGE):
            return f"The documents do not seem to answer this: nothing near the closest passages counts “{parsed.focus}”."
        said_of = [t.word for t in own if t.word not in parsed.names and t.word not in LIGHT_WORDS]
        if said_of and not set(said_of) & (best.match.matched | best.leaned | best.nearby) and (
                parsed.kind == "yes/no" or parsed.expects[0] in _TYPED
                and not (best.entity and entity_matches(best.entity.kind, parsed.expects[0]))):
            # "Where is Aung San Suu Kyi being held?", "Is she still in
            # detention?" against "...ousting Aung San Suu Kyi's government":
            # a sentence that shares only the names says nothing of what is asked.
            return f"The documents do not seem to answer this: nothing near the closest passages says “{said_of[0]}”."
        if parsed.must_hold == "name" and not (best.entity and self.library.document(best.document).text[best.entity.start].isupper()):
            # "What are the names of the organizations former soldiers
            # founded?" against "...some former soldiers founding organizations".
            return "The closest passages mention the question's words but give no name that answers it."
        # "How much international backing is there?" may be answered "limited".
        wants_type = parsed.expects[0] in _TYPED and THING not in parsed.expects
        # Dates, numbers and sums are found reliably by their patterns: a
        # sentence without one does not say when or how many. Names are found
        # less reliably, so a close enough match may stand without one.
        needed = PATTERN_MISSING_COVERAGE if parsed.expects[0] in _PATTERN_TYPES else TYPED_MISSING_COVERAGE
        if parsed.must_hold and best.entity is None and not self._holds(best, parsed):
            # "When did X happen?" is not answered by a sentence with no date,
            # time or clause of time, however many of the question's words it
            # has ("When did Operation 1027 end?" against "...unite with it to
            # end military rule"); "How many...?" not by one with no amount.
            needed = math.inf
        only_names = bool(parsed.terms) and set(parsed.terms) <= set(parsed.names)
        if wants_type and best.entity is None and (best.match.coverage < needed or only_names):
            # "How old is James Shwe?": a sentence that merely names him
            # does not say.
            return f"The closest passages mention the question's words but give no {parsed.expects[0]} that answers it."
        return None

    def _unlikely(self, probability: float) -> str | None:
        """Declines when the model finds even the best sentence unlikely to answer."""
        if probability >= self.model.decline_below:
            return None
        return "The documents do not seem to answer this: no sentence of the closest passages is likely to say it."

    def _explain(self, parsed: Question, terms: list[QueryTerm], candidates: list[Candidate], probability: float,
                 reason: str | None) -> tuple[str, ...]:
        """Why the first sentence came first (what the model weighed in it
        against the next best), or why the assistant declined."""
        best = candidates[0]
        matched = sorted(best.match.matched | best.leaned)
        lacking = [t.word for t in terms if t.word in parsed.terms and t.word not in best.match.matched | best.leaned]
        lines = []
        if reason:
            lines.append(f"Declined: {reason[0].lower()}{reason[1:]}")
        lines.append(f"The best sentence answers with probability {probability:.2f} "
                     f"(the assistant declines under {self.model.decline_below:.2f}).")
        if matched:
            lines.append("It holds: " + ", ".join(f"“{w}”" for w in matched) + ".")
        if lacking:
            lines.append("It lacks: " + ", ".join(f"“{w}”" for w in lacking) + ".")
        if len(candidates) > 1:
            runner = candidates[1]
            weights = self.model.weights
            margins = {n: weights[n] * (best.features.get(n, 0.0) - runner.features.get(n, 0.0)) for n in weights}
            ahead = [n for n, m in sorted(margins.items(), key=lambda p: -p[1]) if m > 0.05][:3]
            behind = [n for n, m in sorted(margins.items(), key=lambda p: p[1]) if m < -0.05][:2]
            if ahead:
                lines.append("First, ahead of the next sentence, because " + "; ".join(SAID[n] for n in ahead) + ".")
            if behind:
                lines.append("Though " + "; ".join(SAID[n] for n in behind) + ".")
        return tuple(lines)

    def answer_probability(self, candidates: list[Candidate]) -> float:
        """The probability that the first of these candidates answers the question."""
        best = candidates[0]
        following = candidates[1].score if len(candidates) > 1 else None
        return self.model.answers(answerability_features(best.features, best.score, following))

    def _answers_with(self, candidate: Candidate, parsed: Question) -> bool:
        return candidate.entity is not None or self._holds(candidate, parsed)

    def _holds(self, candidate: Candidate, parsed: Question) -> bool:
        """Whether the sentence holds what the question must be answered
        with (`Question.must_hold`): a clause of time, or any amount."""
        text = self.library.document(candidate.document).text
        if parsed.must_hold == "name":
            return False  # only a name found as the answer span holds one
        if parsed.must_hold == "time":
            return (_TIME_CLAUSE.search(text, candidate.span.start, candidate.span.end) is not None
                    or holds_a_date(text, candidate.span.start, candidate.span.end, parsed.text))
        return holds_a_quantity(text, candidate.span.start, candidate.span.end, parsed.text)

    def _about_another(self, referent: str | None, best: Candidate, writer: bool = False) -> str | None:
        """"How much money does it provide?" after the Deserter Program: a
        paragraph that never writes the program's name, however well it
        matches the rest ("Each soldier receives one million kyat"), speaks
        of something else. Only a referent with a name is held to this, and
        the name must be written out: "deserters" is not the Deserter Program."""
        named = _named_words(referent, lower=False)
        if not named:
            return None
        document = self.library.document(best.document)
        if writer and _in_first_person(document, best.paragraph):
            return None
        paragraph = document.paragraph_at(best.span.start).span.of(document.text)
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", paragraph, re.IGNORECASE) for w in named):
            return None
        # A document that is the thing ("GNU GENERAL PUBLIC LICENSE", the
        # file "MPL-2.0") speaks of it in every paragraph without naming it.
        title = f"{document.display_title} {document.aliases}"
        if all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", title, re.IGNORECASE) for w in named):
            return None
        return f"The documents do not seem to answer this: nothing near the closest passages mentions “{referent}”."

    def _bylines(self) -> list[str]:
        """The writers' names of a small library's documents (a large one is
        a collection, not a piece with a writer)."""
        if self._bylines_read is None or self._bylines_read[0] is not self.library:
            bylines = [] if len(self.library) > 50 else [
                d.byline.of(d.text).strip() for d in self.library.documents() if d.byline is not None]
            self._bylines_read = (self.library, bylines)
        return self._bylines_read[1]

    def _is_a_writer(self, name: str | None) -> bool:
        """Whether `name` is the byline of a document searched."""
        return name is not None and name.strip() in self._bylines()

    def _without_author_words(self, parsed: Question) -> Question:
        """"What does the author propose?": in a document with a byline the
        author is its writer ("I propose..."), not a word to look for."""
        if parsed.about_document == "writer":
            # "Who wrote it, and what's his background?": the text says it of
            # the writer by name.
            names = tuple(w for byline in self._bylines() for w in content_terms(byline) if w not in parsed.terms)
            return replace(parsed, about_document=None, terms=names + parsed.terms)
        author_words = {"author", "writer", "columnist", "journalist", "contributor"} & set(parsed.terms)
        if not author_words or parsed.about_document:
            return parsed
        bylines = self._bylines()
        if not bylines:
            return parsed
        rest = tuple(t for t in parsed.terms if t not in author_words)
        if not any(t.in_corpus for t in expand(list(rest), self.library.index)):
            # "What is the author's background?": the text says it of the
            # writer by name ("James Shwe is a Burmese-American...").
            rest += tuple(w for byline in bylines for w in content_terms(byline) if w not in rest)
        return replace(parsed, terms=rest)

    def _decline(self, question, parsed, excerpts, resolved, message) -> Answer:
        return Answer(question, False, tuple(excerpts), message, parsed.kind, resolved)

    def _quote_span(self, candidate: Candidate, parsed: Question, shown: list[Excerpt]) -> tuple[Span, Entity | None]:
        """What a candidate's quote covers (the sentence, or with the one it
        leans on or the lines it introduces), and the answer found in it."""
        document = self.library.document(candidate.document)
        span = _extend(document, candidate, parsed)
        entity = candidate.entity
        if span != candidate.span and _overlaps(document.source, span, [(e.source, e.start, e.end) for e in shown]):
            span = candidate.span  # the sentence it leans on is quoted already, above
            if entity is not None and entity.start < span.start:
                entity = None  # and so is the name it leaned on for
        return span, entity

    def _excerpt(self, candidate: Candidate, parsed: Question, terms: list[QueryTerm], span: Span,
                 entity: Entity | None, learned_span: bool = True) -> tuple[Excerpt, tuple[str, ...]]:
        """The quote of a candidate sentence over `span` (`_quote_span`), with
        its short answer: picked by the learned weights for the first quote
        (`learned_span`), whose short answer the console shows and a
        follow-up may lean on; by the rules alone for the others (the learned
        pick costs about half a millisecond a sentence, and the others' short
        answers are only marked in their quotes). With it, what counted most
        for the learned pick."""
        document = self.library.document(candidate.document)
        short = None
        leaned_on = entity is not None and entity.start < candidate.span.start
        entity = rule_answer(document.text, candidate.span, entity, parsed, terms)
        picked_because: tuple[str, ...] = ()
        cells = document.paragraphs[candidate.paragraph - 1].kind == TABLE_ROW
        if entity is not None and not leaned_on and learned_span and self.span_model is not None:
            # The rules say whether there is a short answer; the learned
            # weights say which of the sentence's spans it is.
            entity, picked_because = pick_and_why(document.text, candidate.span, candidate.match, parsed, terms,
                                                  question_stems(parsed, terms), entity, self.span_model, cells)
        if entity is not None and cells and CELL_SEPARATOR in entity.of(document.text):
            # A table row's cells answer one by one: "blue", not "blue | underline".
            entity = replace(entity, end=document.text.index(CELL_SEPARATOR, entity.start))
        if entity is not None and (cut_from_steps(document.text, entity, parsed)
                                   or _across_the_term(document, candidate.paragraph, entity)):
            entity = None
        if entity is not None:
            entity = without_hanging_words(document.text, entity)
        if entity is not None and names_only_a_place(document.text, entity, parsed.text):
            entity = None
        if entity is None:
            picked_because = ()
        else:
            start, end = entity.start, entity.end
            if document.markup:
                start, end = over_whole_code(document.text, start, end, candidate.span.start, candidate.span.end)
            short = ShortAnswer(document.text[start:end], start, end)
        return (make_excerpt(document, span, candidate.paragraph, self.model.probability(candidate.score), short),
                picked_because)

    def _about_document(self, parsed: Question, terms, k: int) -> Answer | None:
        """Who wrote it, when it was published, what it is called, who
        publishes it."""
        documents = self.library.documents() if len(self.library) <= 50 else []
        for document in documents:
            if parsed.about_document == "publisher":
                span, short_span = _publisher_line(document)
                if parsed.kind == "yes/no":
                    short_span = None  # "Does it reflect the publisher's policy?": the line answers, not a name
            else:
                span = _credit_line(document) if parsed.about_document == "credit" else {
                    "author": document.byline, "date": document.date, "title": document.title}[parsed.about_document]
                short_span = span  # the line is the answer: the byline, the date, the title
            if span is None:
                continue
            paragraph = document.paragraph_at(span.start).number
            short = ShortAnswer(short_span.of(document.text), short_span.start, short_span.end) if short_span else None
            excerpt = make_excerpt(document, span, paragraph, 1.0, short)
            return Answer(parsed.text, True, (excerpt,), None, parsed.kind, None)
        return None


def _written_alone(term: QueryTerm, texts: list[str]) -> bool:
    """Whether the sentences write one of the term's forms as a word of its
    own, not inside a compound ("Myanmar-China")."""
    pattern = re.compile(r"(?<![\w’'-])(?:" + "|".join(re.escape(f) for f in term.forms) + r")\.?(?![\w’'-])", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _stems_only_in_names(stems: set[str], texts: list[str]) -> set[str]:
    """Those of `stems` whose words the sentences write, where they write
    them, only as names: read in one pass over the sentences."""
    seen: dict[str, list[re.Match[str]]] = {}
    for text in texts:
        for match in _WORD.finditer(text):
            word_stem = stem(match.group().lower())
            if word_stem in stems:
                seen.setdefault(word_stem, []).append(match)
    return {word_stem for word_stem, matches in seen.items() if _capitalised_only(matches)}


def _capitalised_only(seen: list[re.Match[str]]) -> bool:
    """Whether words found in sentences were found, and always with a capital
    after a sentence's first word."""
    return bool(seen) and all(m.group()[0].isupper() and m.start() > 0 for m in seen)


_WORD = re.compile(r"(?<![\w’'-])[A-Za-z]+(?![\w-])")


def _written_as_names(parsed: Question, texts: list[str]) -> tuple[str, ...]:
    """The question's words that the sentences write only with a capital
    after a sentence's first word ("Laukkai", "MNDAA")."""
    names = []
    for word in parsed.terms:
        if word in parsed.names or not word.isalpha():
            continue
        pattern = re.compile(rf"(?<![\w’'-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        if _capitalised_only([m for text in texts for m in pattern.finditer(text)]):
            names.append(word)
    return tuple(names)


_FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|I’ve|I've|[Mm]y|[Mm]e|[Mm]yself)\b")


def _in_first_person(document: Document, number: int) -> bool:
    """Whether paragraph `number` is in the writer's own voice."""
    return _FIRST_PERSON.search(document.paragraphs[number - 1].span.of(document.text)) is not None


def _replacing_words(followup) -> tuple[str, ...]:
    """The words of the thing a follow-up asks about instead of the last
    one ("grp module" in "What about the grp module?"): a passage that never
    names it answers the last question again, as a pronoun's referent."""
    return tuple(content_terms(followup.subject)) if followup.replacing and followup.subject else ()


def _named_words(referent: str | None, lower: bool = True) -> tuple[str, ...]:
    """The words of a referent that name it ("Infantry Battalion 129", the
    "useBitmaps" and "pw_passwd" of code), not its common words ("the
    battalion", "push")."""
    if referent is None:
        return ()
    named = [w for w in re.findall(r"[\w’'-]+", referent) if (w[:1].isupper() or w[:1].isdigit() or _CODE_SHAPED.search(w))
             and w.lower() not in STOP_WORDS]
    return tuple(w.lower() for w in named) if lower else tuple(named)


_CODE_SHAPED = re.compile(r"\w[A-Z]|\w_\w|[A-Za-z]{2}\d")  # written as code, not as a word: "useBitmaps", "pw_dir", "uuid5"

_PUBLISHES = re.compile(r"\b(?:publish(?:es|ed)?|editorial)\b", re.I)
_PUBLISHER_NAME = re.compile(r"([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)\s+(?:publishes|is\s+published|published)\b")


def _publisher_line(document: Document) -> tuple[Span | None, Span | None]:
    """The page's own sentence about who publishes it ("DVB publishes a
    diversity of opinions that does not reflect DVB editorial policy."),
    found in its header and footer, which are not searched otherwise; and
    the publisher's name in it, when the sentence opens with it."""
    for paragraph in document.paragraphs:
        if paragraph.role == BODY:
            continue
        for sentence in document.sentences_in(paragraph.number):
            text = sentence.of(document.text)
            if _PUBLISHES.search(text):
                name = _PUBLISHER_NAME.match(text)
                short = Span(sentence.start, sentence.start + name.end(1)) if name else None
                return sentence, short
    return None, None


def _credit_line(document: Document) -> Span | None:
    """The short header line next to the byline that says how the writer is
    credited ("Guest contributor", "Staff reporter"), if there is one."""
    if document.byline is None:
        return None
    named = {s for s in (document.title, document.date, document.byline) if s is not None}
    at = document.paragraph_at(document.byline.start).number
    for paragraph in document.paragraphs:
        if paragraph.role != HEADER or abs(paragraph.number - at) != 1:
            continue
        line = paragraph.span
        holds_another = any(line.start <= s.start and s.end <= line.end for s in named)
        if not holds_another and 1 <= len(line.of(document.text).split()) <= 4:
            return line
    return None


@dataclass(frozen=True)
class _Introduced:
    whole: frozenset[str]  # question words of a paragraph that ends with a colon, carried into the list it opens
    last: frozenset[str]  # question words of the paragraph's last sentence, for a paragraph opening "This approach..."


def _introduced_by(document: Document, number: int, terms: list[QueryTerm]) -> _Introduced:
    """What the paragraph before says that this one leans on: a list's
    bullets are about what the line ending in a colon introduced ("The
    People's Embrace program ... Under this program:"), and a paragraph that
    opens with "This approach could..." is about the one before."""
    nothing = _Introduced(frozenset(), frozenset())
    if number < 2 or document.paragraphs[number - 2].role != BODY:
        return nothing
    # Most paragraphs neither open by leaning back nor follow a colon: that
    # is told from a few characters, without cutting the one before into sentences.
    before = document.paragraphs[number - 2].span
    introduces = document.text[before.start : before.end].rstrip().endswith(":")
    if not (introduces or _OPENS_LEANING.match(document.text, document.paragraphs[number - 1].span.start)):
        return nothing
    previous = document.sentences_in(number - 1)
    if not previous:
        return nothing
    last = match_sentence(previous[-1].of(document.text), terms).matched
    if not introduces:
        return _Introduced(frozenset(), last)
    whole = frozenset().union(*(match_sentence(span.of(document.text), terms).matched for span in previous))
    return _Introduced(whole, last)


def _counted(text: str, entity: Entity, term: QueryTerm | None, around: frozenset[str]) -> int:
    """Whether a number counts what the question counts: 1 when the words
    right after it name it ("272 people"), or name nothing and the words
    `around` it (those of the sentence it leans on, and of its paragraph)
    do ("...soldiers have defected. It states that over 14,000 have laid
    down their weapons", "all 534 in its custody"); -1 when they name
    something else ("172 troops" for "how many people"); 0 when it cannot
    be told."""
    if term is None:
        return 0
    following = names_after(text, entity, term)
    if following is None:
        return 1
    if not following or following[0] in STOP_WORDS or not following[0].isalpha():
        return 1 if term.word in around else 0
    return -1


def _overlaps(source: str, span: Span, quotes) -> bool:
    """Whether `span` of document `source` shares text with any of `quotes`,
    given as (source, start, end)."""
    return any(source == s and start < span.end and span.start < end for s, start, end in quotes)


_JOINED = re.compile(r"[\w-]+")


def _in_an_identifier(sentence: str, name: str) -> bool:
    """Whether the sentence writes the name as a part of an identifier
    (joined with underscores or to a number), which names the thing itself,
    unlike two names joined ("the Myanmar-China border" says nothing China
    did)."""
    return any(name in re.split(r"[-_\d]+", token.lower()) for token in _JOINED.findall(sentence)
               if name in token.lower() and ("_" in token or any(c.isdigit() for c in token)))


def _telling(name: str) -> bool:
    """Whether a name the question gives tells passages apart: a letter or a
    small number cut from "V&A", "1/2" or "80,000" does not."""
    return len(name) > 1 and not (name.isdigit() and len(name) < 3)


def _term_end(document: Document, candidate: Candidate, terms: list[QueryTerm]) -> tuple[int, bool] | None:
    """Where the term's line ends, when the candidate opens a definition
    entry (its first unit holds the term's line and the first sentence), and
    whether the term is what the question asks about: whether the line holds
    the weightiest question word the sentence has ("copyfile" is not in
    "exception shutil.SameFileError", though "shutil" is)."""
    term = document.term(candidate.paragraph) if not candidate.position and candidate.match.matched else None
    if term is None or candidate.span.start + len(term) >= candidate.span.end:
        return None
    weight_of = {t.word: t.weight for t in terms}
    weightiest = max(sorted(candidate.match.matched), key=lambda word: weight_of.get(word, 0.0))
    return candidate.span.start + len(term), weightiest in match_sentence(term, terms).matched


def _across_the_term(document: Document, number: int, entity: Entity) -> bool:
    """Whether a span runs from a definition's term into what it says
    ("Dialect.delimiter⏎A one-character string..." gives no name
    "Dialect.delimiter A"): no short answer."""
    term = document.term(number)
    if term is None:
        return False
    term_end = document.paragraphs[number - 1].span.start + len(term)
    return entity.start < term_end < entity.end


def _titled(document: Document) -> bool:
    """Whether the document has a title of its own (not just a file name): a
    paragraph about "the game" belongs to the article "Super Bowl 50"."""
    return document.title is not None or document.name is not None


def check_question(question: str) -> str:
    text = " ".join((question or "").split())
    if not text:
        raise QuestionError("the question is empty: type a question about the documents")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question is too long ({len(text)} characters; at most {MAX_QUESTION_CHARS})")
    if not re.search(r"\w", text):
        raise QuestionError("the question has no words in it")
    return text


def make_excerpt(document: Document, span: Span, paragraph: int, score: float, short: ShortAnswer | None) -> Excerpt:
    quote = span.of(document.text)
    if short is not None and not (span.start <= short.start and short.end <= span.end):
        short = None
    if document.paragraphs[paragraph - 1].kind == CODE:
        short = None  # a piece of code is the answer whole
    return Excerpt(
        quote=quote,
        source=document.source,
        title=document.display_title,
        paragraph=paragraph,
        start=span.start,
        end=span.end,
        score=round(float(score), 4),
        answer=short,
        line=document.line_of(span.start),
        section=document.section_of(paragraph),
        page=document.page_of(span.start),
        checksum=document.checksum,
        markup=document.markup,
        code_start=_code_start(document, span, paragraph),
    )


def _may_answer(document: Document, paragraph: Paragraph, parsed: Question) -> bool:
    """Whether a paragraph may answer the question: prose may; a code block
    says how to do a thing, or, written on one line, where a thing is
    ("~/.cache/pip" under "Linux")."""
    if paragraph.kind != CODE or parsed.expects[0] == MANNER:
        return True
    return parsed.expects[0] in (PLACE, ADDRESS) and document.text.find("\n", paragraph.span.start, paragraph.span.end) < 0


def _code_start(document: Document, span: Span, paragraph: int) -> int | None:
    """Where the first code block the quote holds starts (its own paragraph,
    or the one a sentence introducing it runs into)."""
    for number in range(paragraph, len(document.paragraphs) + 1):
        block = document.paragraphs[number - 1]
        if block.span.start >= span.end:
            break
        if block.kind == CODE:
            return max(block.span.start, span.start)
    return None


def _sentence_features(match: SentenceMatch, passage: float, position: int, context: float) -> dict[str, float]:
    """The features of a sentence that need nothing but its match."""
    features = {
        "coverage": match.coverage,
        "related": match.related,
        "context": context,
        "passage": passage,
        "bigrams": min(match.bigrams, 3) / 3,
        "position": min(position, 5) / 5,
        "spread": 0.0,
    }
    # Question words close together say one thing about one subject; spread
    # over a long sentence they may belong to different clauses ("...expand
    # its support program ... urge the rest of the international community").
    words_matched = len(match.term_positions)
    if words_matched > 1 and match.positions[-1] - match.positions[0] > SPREAD_SLACK * (words_matched - 1):
        window, _ = matched_window(match.term_positions)  # (the costly part, for spread sentences only)
        features["spread"] = min(1.0, max(0, window - SPREAD_SLACK * (words_matched - 1)) / SPREAD_TOKENS)
    return features


def _extend(document: Document, candidate: Candidate, parsed: Question) -> Span:
    """One sentence is the quote, unless it is a definition's later sentence
    ("Only run the command line if the response starts with 'y'" under "-p,
    --interactive"), when it is quoted from the term it is said of, if that
    is near; or it only introduces what follows
    ("Under this program:"), when the list it introduces is quoted too, or it
    leans on the sentence before for what it is about ("It has been
    characterized as...") and holds no answer span of its own, when that
    sentence is quoted with it."""
    span = candidate.span
    text = document.text
    if candidate.quote_from is not None:
        return Span(candidate.quote_from, span.end)
    sentences = document.sentences_in(candidate.paragraph)
    start = span.start
    if candidate.entity is None and candidate.position > 0 and _LEANS_BACK.match(text, span.start):
        # (and still quoted with what it introduces: "They can be listed with
        # their size by the following." is followed by the command)
        start = sentences[candidate.position - 1].start
    paragraph = document.paragraphs[candidate.paragraph - 1]
    if start == span.start and paragraph.kind == DEFINITION_ENTRY and candidate.position > 0 \
            and span.end - paragraph.span.start <= TERMED_QUOTE_CHARS:
        return Span(paragraph.span.start, span.end)
    # A list is quoted with its every item; a question ("5.2. What's the
    # difference between...?" in a FAQ) with the sentence after it, its answer.
    answering = text[span.start : span.end].rstrip().endswith("?")
    if not answering and not _introduces(text, span):
        return Span(start, span.end)
    if candidate.position + 1 < len(sentences):
        return Span(start, sentences[candidate.position + 1 if answering else -1].end)
    following = _next_body(document, candidate.paragraph)
    if following is not None:
        quoted = document.sentences_in(following.number)
        return Span(start, quoted[0 if answering else -1].end if quoted else following.span.end)
    return Span(start, span.end)


# Words that open a clause or phrase of time: "during one hunting
# excursion", "after the war", "when the dam broke".
_TIME_CLAUSE = re.compile(r"\b(?:[Dd]uring|[Aa]fter|[Bb]efore|[Ww]hen|[Ww]henever|[Ww]hile|[Uu]ntil|[Tt]ill|[Ss]ince|[Uu]pon)\b")
_LEANS_BACK = re.compile(r"(?:It|Its|He|His|She|Her|They|Their|This|These|Those|That|Such)\b")
_OPENS_LEANING = re.compile(r"[\s•*“\"‘'(-]*" + _LEANS_BACK.pattern)


_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|neither|without)\b|n[’']t\b", re.IGNORECASE)
# The same words as the word tokens _word_run makes of a quote ("don't" is "don" and "t").
NEGATIONS = frozenset({"not", "no", "never", "nor", "without", "t", "cannot", "none"})


def _opposites(asked: list[str]) -> dict[str, frozenset[str]]:
    """The question words that have opposites (WordNet's antonyms, single
    words), with them. An opposite the question asks too is no mismatch:
    "big or little endian?" offers both."""
    from ..lexicon import antonyms

    offered = set(asked) | {stem(w) for w in asked}
    found = {w: frozenset(a for a in antonyms(w) if " " not in a and a not in offered and stem(a) not in offered)
             for w in asked if w.isalpha()}
    return {w: opposite for w, opposite in found.items() if opposite}


def _opposite_in(sentence: str, opposites: dict[str, frozenset[str]], found: frozenset[str]) -> bool:
    """Whether the sentence holds the opposite of a question word it lacks:
    "the smallest" asked of "the largest"."""
    wanted = {a for w, opposite in opposites.items() if w not in found for a in opposite}
    if not wanted:
        return False
    present = sentence_vocabulary(sentence)
    return any(a in present or stem(a) in present for a in wanted)


def _next_body(document: Document, number: int) -> Paragraph | None:
    """The paragraph after paragraph `number`, if it is body text (not a
    heading, the header or furniture)."""
    following = document.paragraphs[number] if number < len(document.paragraphs) else None
    return following if following is not None and following.role == BODY else None


def _introduces_nothing(document: Document, number: int, last: Span) -> bool:
    """Whether the paragraph's last sentence ends in a colon with no body
    text after it to quote with it (a heading comes next, or nothing)."""
    return _introduces(document.text, last) and _next_body(document, number) is None


# A sentence that introduces what follows it without a colon: "You can
# change it by the following.", "The options are as follows."
_INTRODUCES = re.compile(r"\b(?:the\s+following|as\s+follows)\s*[.:]\s*$", re.IGNORECASE)


def _introduces(text: str, sentence: Span) -> bool:
    """Whether a sentence ends by introducing what follows it (a colon, "the following.")."""
    return (text[sentence.start : sentence.end].rstrip().endswith(":")
            or bool(_INTRODUCES.search(text, sentence.start, sentence.end)))


_QUOTE_WORD = re.compile(r"\w+")
NEAR_DUPLICATE_WORDS = 12  # a shorter quote is the same only word for word
NEAR_DUPLICATE_SHARE = 0.85  # of the two quotes' words, counted together


def _said_in(quote: str, others: list[str]) -> bool:
    """Whether `quote`'s words, punctuation aside, are a run of one of the
    others' (each as `_word_run` gives it), or a long quote is nearly one of
    them: the same sentence in a page and in its source or PDF, where a
    cross-reference reads otherwise ("see s-copyrightfile" and "see Copyright
    information"): 85 % of the two quotes' words shared, and no word of
    negation among the words that differ."""
    words = _word_run(quote)
    if words == "  ":
        return False
    if any(words in other for other in others):
        return True
    counted = Counter(words.split())
    size = sum(counted.values())
    if size < NEAR_DUPLICATE_WORDS:
        return False
    for other in others:
        other_counted = Counter(other.split())
        other_size = sum(other_counted.values())
        # (Words shared counted as a multiset, not in order: linear in the
        # quotes' length, however long a quote of a hostile page is.)
        shared = sum((counted & other_counted).values())
        if 2 * shared >= NEAR_DUPLICATE_SHARE * (size + other_size):
            differing = set((counted - other_counted) | (other_counted - counted))
            if differing.isdisjoint(NEGATIONS):
                return True
    return False


def _word_run(text: str) -> str:
    """A text's words, lower case, between spaces: a run of another's words is in it."""
    return f" {' '.join(_QUOTE_WORD.findall(text.lower()))} "


def _distinct(candidates: list[Candidate], text_numbers: tuple[int, ...]) -> list[Candidate]:
    """The candidates, each sentence once: once for all documents of the same
    text too (GPL and GPL-3 in /usr/share/common-licenses, a file and its
    copy), whose identical quotes would fill the first places."""
    seen: set[tuple[int, int]] = set()
    out = []
    for c in candidates:
        key = (text_numbers[c.document], c.span.start)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


__all__ = ["Assistant", "Conversation", "check_question"]
