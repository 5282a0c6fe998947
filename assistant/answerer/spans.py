"""The short answer inside a quoted sentence: the span of the kind the
question asks for (a date, a number with its unit, a name, the clause after
"because", what follows "X is a"), closest to the question's own words and
without the words the question already says; or, when no pattern answers,
the phrase next to the question's words."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..index import STOP_WORDS
from ..lexicon import is_a
from ..text import Span, strip_span, token_spans
from .entities import (
    ACRONYM_IN_BRACKETS,
    COMMAND_OPTION,
    LINK_OR_PATH,
    NAME_KINDS,
    Entity,
    acronym_of,
    capitalised_by_position,
    entity_matches,
    find_entities,
    in_quotation_marks,
    name_kind,
    names_a_thing,
)
from .matching import QueryTerm, SentenceMatch
from .question import (
    ACRONYM,
    ADDRESS,
    CONSEQUENCE,
    DATE,
    DEFINITION,
    DURATION,
    MANNER,
    MEASURE,
    NAME,
    NUMBER,
    PERSON,
    REASON,
    THING,
    YESNO,
    Question,
)
from .words import AUXILIARIES, stem, words


def question_stems(parsed: Question, terms: list[QueryTerm]) -> set[str]:
    """Stems of the question's words and of their forms: what a span must not
    be made of alone. Made once a question, for all its sentences."""
    return {s for t in terms for s in t.stems} | {stem(w) for w in parsed.terms}


def names_after(text: str, entity: Entity, term: QueryTerm) -> list[str] | None:
    """The words right after a number, or None when they name `term`
    ("272 people" for "how many people")."""
    following = words(text[entity.end : entity.end + 30])[:3]
    if any(w in term.forms or stem(w) in term.stems for w in following):
        return None
    return following


# A date says how long only as a bound ("since 2021", "until May") or a
# range ("1939–1945").
_BOUNDS_A_TIME = re.compile(r"\b(?:since|until|till|from|through|to|between|by)\s+(?:the\s+)?$", re.IGNORECASE)
_SPANS_DATES = re.compile(r"\d\s?[–-]\s?\d|\bto\b|\band\b")


def answer_entity(text: str, span: Span, parsed: Question, match: SentenceMatch, terms: list[QueryTerm],
                  said_stems: set[str], entry: tuple[int, bool] | None = None) -> Entity | None:
    """The span of the expected type that is not part of the question (whose
    stems are `said_stems`), closest to the words the question and sentence
    share. `entry`: where the term's line ends, when the sentence opens a
    definition entry ("shutil.copyfile(src, dst)⏎ Copy the contents..."),
    and whether that term is the one the question asks about."""
    if parsed.expects[0] == REASON:
        # "because of its advantages", "due to a malfunction": the cue nearest
        # after the question's words, else the last one.
        return _clause_after_cue(text, span, match, _REASON_CUE, REASON, any_cue=True)
    if parsed.expects[0] == DEFINITION:
        return _definition(text, span, match, entry)
    if parsed.expects[0] == CONSEQUENCE:
        # "fraught with risks, including potential jail sentences": what follows the cue.
        return _clause_after_cue(text, span, match, _CONSEQUENCE_CUE, CONSEQUENCE, any_cue=True)
    if parsed.expects[0] == MANNER:
        # "by withholding legitimacy": only a cue after the question's words.
        return _clause_after_cue(text, span, match, _MANNER_CUE, MANNER, any_cue=False)
    if parsed.other_name:
        # "also called the “Loyalty Shift” program": the name after the cue.
        for named in _NAMED_AS.finditer(text, span.start, span.end):
            after = next((e for e in find_entities(text, named.end(), span.end) if e.start == named.end()), None)
            if after is not None:
                return after
        # “Deserter Program”: a name in quotation marks is what the thing is
        # called, though the question may describe it in the same words.
        quoted = next((e for e in find_entities(text, span.start, span.end) if e.kind in NAME_KINDS
                       and in_quotation_marks(text, e.start, e.end)
                       and e.of(text).lower().replace("’", "'") not in parsed.text.lower().replace("’", "'")), None)
        if quoted is not None:
            return quoted
    wanted = [w for w in parsed.expects if w not in (THING, REASON, YESNO, MANNER, DEFINITION, CONSEQUENCE)]
    if not wanted:
        return None
    token_starts, clause_of = tokens_and_clauses(text, span)
    anchors = weighted_anchors(match, terms, parsed)
    if not token_starts:
        anchors = []
    best, best_key = None, None
    said: dict[str, bool] = {}
    # "Along with 100 family members, 272 people in total": the number that
    # counts what the question counts answers it, however near the others stand.
    focus = next((t for t in terms if t.word == parsed.focus), None) if parsed.focus else None
    head = parsed.head
    for entity in find_entities(text, span.start, span.end):
        if not any(entity_matches(kind, w) for kind in _KINDS_AFTER_TRIM.get(entity.kind, (entity.kind,)) for w in wanted):
            continue
        if names_a_thing(text, entity):
            continue  # "Operation 1027" counts nothing
        if (parsed.kind == "how long" and entity.kind == DATE and not _SPANS_DATES.search(entity.of(text))
                and not _BOUNDS_A_TIME.search(text, max(span.start, entity.start - 12), entity.start)):
            continue  # "the 2024 Appropriations Bill" says no length of time; "since 2021" does
        if parsed.expects[0] != PERSON and capitalised_by_position(text, span.start, entity):
            # "Military and police personnel who...", "International sanctions
            # are...": no country, no name. A person may be "Nurses".
            continue
        if entity.kind == ADDRESS and entity.of(text).lower() not in parsed.text.lower():
            # A path or link is one thing, however many of the question's
            # words it is made of: "~/.cache/pip" says where pip's cache is.
            answer = entity
        else:
            answer = without_question_words(text, entity, said_stems, span.start, said)
        if answer is None:
            continue  # the question already says this ("the Victoria and Albert Museum")
        if another_name_of_the_asked(text, span, entity, said_stems):
            continue  # "the No. 125 Infantry Regiment, known as Kha-La-Ya 125" asked about the regiment
        # The type asked for beats a looser one: a place before a mere name.
        rank = next((2 * i + (answer.kind != w) for i, w in enumerate(wanted) if entity_matches(answer.kind, w)), None)
        if rank is None:
            continue
        defined = ACRONYM_IN_BRACKETS.search(text, entity.start, entity.end)
        if entity.kind != ACRONYM and defined and defined.group(1).lower() in parsed.terms:
            continue  # "the Federal Communications Commission (FCC)" when the question names the FCC
        if entity.kind == ACRONYM:
            if parsed.expects[0] != ACRONYM:
                continue
            acronym = acronym_of(text, entity)
            if not acronym or acronym.lower().rstrip("s") not in {t.rstrip("s") for t in parsed.terms}:
                continue  # it spells out another acronym
        # Closeness is measured from the whole span as found, so that the
        # question's words it holds still place it.
        first = bisect_left(token_starts, entity.start)
        last = max(first, bisect_left(token_starts, entity.end) - 1)
        closeness = closeness_of(anchors, first, last, clause_of)
        counts = focus is not None and answer.kind == NUMBER and names_after(text, answer, focus) is None
        # "What Philadelphia institution...?": "the Franklin Institute", "the
        # comedy The Love Boat", "Paris" for "which city": a name of the kind
        # of thing asked for.
        headed = head is not None and named_as(text, entity, head, span.start)
        key = (not headed, rank, not counts, -closeness)
        if best_key is None or key < best_key:
            best, best_key = answer, key
    if head is not None and parsed.expects[0] == THING and (best is None or best_key[0]):
        # "What subatomic particle...?": "electron", a kind of particle,
        # before a name that is no particle.
        kind = _kind_asked(text, span, head, said_stems, anchors, token_starts, clause_of)
        if kind is not None:
            return kind
    if parsed.expects[0] == ACRONYM and (best is None or best.kind != ACRONYM):
        return None  # only the spelled-out form answers "what does X stand for"
    if best is not None and parsed.expects[0] == NAME and best.kind not in NAME_KINDS:
        return None
    return best


def another_name_of_the_asked(text: str, span: Span, entity: Entity, said_stems: set[str]) -> bool:
    """Whether the text gives the name as another name of a thing the
    question names ("the No. 125 Infantry Regiment, known as Kha-La-Ya 125"
    asked who holds the regiment): it is that thing, not what is said of it.
    (Asking for another name, "What is it known as?", takes it before this.)"""
    window = max(span.start, entity.start - NAMED_AS_WINDOW)
    cue = next((m for m in _NAMED_AS.finditer(text, window, entity.start) if m.end() == entity.start), None)
    before = _name_ending_at(text, span.start, cue.start()) if cue else None
    if before is None:
        return False
    # Named by the question when most of its words are the question's ("No.
    # 125 Infantry Regiment" for "the 125 Infantry Regiment").
    named = [w.lower().strip(".'’") for w in _ENTITY_WORD.findall(text, before.start, before.end)]
    named = [w for w in named if w and w not in STOP_WORDS]
    return 2 * sum(stem(w) in said_stems or w in said_stems for w in named) > len(named)


def _name_ending_at(text: str, sentence_start: int, end: int) -> Entity | None:
    """The name that ends just before a cue ("the No. 125 Infantry Regiment"
    before ", known as")."""
    return next((e for e in find_entities(text, sentence_start, end) if e.end == end), None)


def named_as(text: str, entity: Entity, head: str, sentence_start: int) -> bool:
    """Whether the name is of the kind of thing asked for (`head`, a noun):
    it holds the noun ("the Franklin Institute" for "institution"), follows
    it closely ("the locomotive Catch Me Who Can"), is followed by it ("St.
    Elizabeth's flood"), or WordNet knows it as one ("Paris" is a city)."""
    wanted = stem(head)
    before = text[max(sentence_start, entity.start - HEAD_BEFORE_CHARS) : entity.start]
    after = _HEAD_AFTER.match(text, entity.end)
    words = _WORD.findall(text, entity.start, entity.end) + _WORD.findall(before)[-HEAD_BEFORE_WORDS:] \
        + ([after.group(1)] if after else [])
    return any(_same_stem(stem(word.lower()), wanted) for word in words) or is_a(entity.of(text).lower(), head)


def _kind_asked(text: str, span: Span, head: str, said_stems: set[str], anchors, token_starts: list[int],
                clause_of) -> Entity | None:
    """The word of the sentence that WordNet knows as a kind of the thing
    asked for, nearest the question's words: "electron" for "What subatomic
    particle...?"; not a word the question says."""
    best, best_key = None, None
    for match in _WORD.finditer(text, span.start, span.end):
        word = match.group().lower()
        if len(word) < 3 or word in STOP_WORDS or stem(word) in said_stems or word == head or not is_a(word, head):
            continue
        at = bisect_left(token_starts, match.start())
        closeness = closeness_of(anchors, at, at, clause_of)
        if best_key is None or -closeness < best_key:
            best, best_key = Entity(THING, match.start(), match.end()), -closeness
    return best


def _same_stem(one: str, other: str) -> bool:
    """"institut" (institute) and "institution", "mount" and "mountain": one
    stem opens the other. (Looser than matching's first seven letters: a
    name need only be of the kind asked, "Mount Kenya" for "which mountain".)"""
    short, long = sorted((one, other), key=len)
    return short == long or (len(short) >= MIN_SHARED_STEM and long.startswith(short))


def weighted_anchors(match: SentenceMatch, terms: list[QueryTerm], parsed: Question):
    """Where the question's words stand in the sentence (token positions),
    each with its weight. The question's own words anchor the answer; words
    borrowed from earlier turns only where none of its own are found. A rare
    word weighs more than a common one: in "first proved in 1962, and first
    sequenced in 1986", "When was it first sequenced?" is answered next to
    "sequenced"."""
    weight_of = {t.word: t.weight for t in terms}
    anchors = [(hits, weight_of.get(word, 1.0)) for word, hits in match.term_positions if word in parsed.terms]
    return anchors or [(hits, weight_of.get(word, 1.0)) for word, hits in match.term_positions]


def closeness_of(anchors, first: int, last: int, clause_of) -> float:
    """How near tokens first..last stand to the question's words (`anchors`:
    their positions and weights), a rare word counting more."""
    return sum(weight / (1 + min(_distance(i, first, last, clause_of) for i in hits)) for hits, weight in anchors)


_WORD = re.compile(r"[^\W\d_]+")
# The word right after a name, one space on: "St. Elizabeth's flood". (One
# space, not a run: a run of white space tried at each of its places is quadratic.)
_HEAD_AFTER = re.compile(r"(?:['’]s)?[ \u00a0]([^\W\d_]+)")
HEAD_BEFORE_CHARS, HEAD_BEFORE_WORDS = 40, 2
MIN_SHARED_STEM = 5


# Words that introduce a cause or a purpose: what follows them says why.
_REASON_CUE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|thanks\s+to|as\s+a\s+result\s+of|in\s+order\s+to|so\s+as\s+to"
    r"|so\s+that|for\s+fear\s+(?:of|that)|on\s+the\s+grounds?\s+(?:of|that))\s+",
    re.IGNORECASE,
)


# Words that introduce what befalls someone: what follows them says what happens.
_CONSEQUENCE_CUE = re.compile(
    r"\b(?:(?:fraught\s+with|fac(?:es?|ed|ing)|risk(?:s|ing)?)(?:\s+(?:risks?|dangers?))?(?:,?\s+(?:including|such\s+as|of))?"
    r"|(?:is|are|was|were|be|being)\s+(?=(?:punished|jailed|imprisoned|arrested|executed|killed|detained|sentenced)\b)"
    r"|punishable\s+by|results?\s+in|resulted\s+in|leads?\s+to|led\s+to)\s+",
    re.IGNORECASE,
)


# "by withholding legitimacy", "through sanctions": how something is done.
_MANNER_CUE = re.compile(r"\b(?:by\s+(?=\w+ing\b)|by\s+means\s+of\s+|through\s+)", re.IGNORECASE)


def _clause_after_cue(text: str, span: Span, match: SentenceMatch, cue: re.Pattern[str], kind: str,
                      any_cue: bool) -> Entity | None:
    """For "why" and "how": the words after a cue (`_REASON_CUE`,
    `_MANNER_CUE`) to the end of their clause, the first cue after the
    question's first word in the sentence. With `any_cue`, the last cue
    serves when none follows, and a sentence without the question's words
    still has one."""
    cues = list(cue.finditer(text, span.start, span.end))
    if not cues or not (match.positions or any_cue):
        return None
    starts, _ = tokens_and_clauses(text, span)
    anchor = starts[match.positions[0]] if match.positions and match.positions[0] < len(starts) else span.start
    chosen = next((c for c in cues if c.start() >= anchor), cues[-1] if any_cue else None)
    return _clause_after(text, chosen.end(), span.end, kind) if chosen else None


# "X is a ...", "X (UMC) is a mainline Protestant denomination": a sentence
# that defines its subject.
_INITIALISM_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "the U.S." keeps its last stop
_APPOSITION = re.compile(r",\s+((?:the|an?)\s+)", re.IGNORECASE)
_ARTICLE = re.compile(r"(?i:the|an?)\s+")
_TERM_SET_OFF = re.compile(r"[\"”’']?[ \t]{0,3}[-–—:][ \t]{1,3}")  # bounded: never a run's whole length from each of its spaces
_DEFINES = re.compile(
    r"\s(?:is|are|was|were)\s+(?:an?|the|one\s+of\s+the)\s+"
    # The words of definitions in licences, contracts and standards:
    # '"Contribution" shall mean any work...', '"Contributor" means each
    # individual...', 'The "Invariant Sections" are certain Secondary Sections...'.
    r"|\s(?:means|shall\s+mean|refers\s+to|(?:is|are)\s+defined\s+as|denotes)\s+"
    r"|[\"”]\s+(?:is|are)\s+",
    re.IGNORECASE,
)


def _definition(text: str, span: Span, match: SentenceMatch, entry: tuple[int, bool] | None = None) -> Entity | None:
    """For "What is X?": the words after "is a" when the question's words
    come before it, to the end of their clause; in a definition entry whose
    term holds them, the definition."""
    if not match.positions:
        return None
    if entry is not None:
        # "shutil.copyfile(src, dst)⏎ Copy the contents of the file named
        # src...", "Parser⏎ Takes a sequence of characters...": the entry
        # for the term asked about says what it is or does; an entry for
        # another term ("exception shutil.SameFileError⏎ ...in copyfile()
        # are the same file") says what that one is.
        term_end, asked = entry
        definition = strip_span(text, term_end, span.end)
        return _clause_after(text, definition.start, span.end, DEFINITION) if asked and len(definition) else None
    starts, _ = tokens_and_clauses(text, span)
    first_word = starts[match.positions[0]] if match.positions[0] < len(starts) else span.end
    matched_starts = {starts[i] for i in match.positions if i < len(starts)}
    for named in _NAMED_AS.finditer(text, span.start, span.end):
        # "the No. 125 Infantry Regiment, known as Kha-La-Ya 125": the name
        # just before says what it is.
        if named.end() in matched_starts:
            before = _name_ending_at(text, span.start, named.start())
            if before:
                return Entity(DEFINITION, before.start, before.end)
    # "Li Kyar Win, the MNDAA spokesperson, said...": what stands in
    # apposition right after the question's words.
    apposition = matched_starts and _APPOSITION.match(text, _ENTITY_WORD.match(text, max(matched_starts)).end())
    if apposition and apposition.end() < span.end:
        return _clause_after(text, apposition.start(1), span.end, DEFINITION)
    # "xargs - build and execute command lines from standard input": a term
    # opening its sentence, set off by a dash or a colon, is defined by what
    # follows it.
    if match.positions[0] == 0 or match.positions[0] == 1 and len(starts) > 1 and _ARTICLE.fullmatch(text, starts[0], starts[1]):
        term_end = first_word
        for position in range(match.positions[0], len(starts)):
            if starts[position] not in matched_starts:
                break
            term_end = _ENTITY_WORD.match(text, starts[position]).end()
        set_off = _TERM_SET_OFF.match(text, term_end, span.end)
        if set_off and set_off.end() < span.end:
            return _clause_after(text, set_off.end(), span.end, DEFINITION)
    copula = _DEFINES.search(text, span.start, span.end)
    if copula is None or copula.start() < first_word:
        return None
    return _clause_after(text, copula.end(), span.end, DEFINITION)


def _clause_after(text: str, start: int, sentence_end: int, kind: str) -> Entity | None:
    """The words from `start` to the end of their clause (comma, bracket,
    quote mark or dash), without trailing punctuation."""
    stop = CLAUSE_END.search(text, start, sentence_end)
    end = stop.start() if stop else sentence_end
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:") and not _ends_in_initialism(text, start, end):
        end -= 1
    return Entity(kind, start, end) if end > start else None


def _ends_in_initialism(text: str, start: int, end: int) -> bool:
    """Whether `_INITIALISM_END` is found in text[start:end], read back from
    the end: searched from `start` once for each character trimmed, it was
    quadratic in a clause ending in a long run of full stops and spaces."""
    for stop in (end, end - 1) if text[end - 1] == "\n" else (end,):  # ("$" also matches before a last newline)
        at, pairs = stop, 0
        while at - 2 >= start and text[at - 1] == "." and "A" <= text[at - 2] <= "Z":
            at, pairs = at - 2, pairs + 1
            if pairs >= 2 and (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")):
                return True
    return False


_NAMED_AS_WORDS = r"(?:also\s+|better\s+|commonly\s+)?(?:known\s+as|called|nicknamed|dubbed|referred\s+to\s+as)"
# ",?\s*" before the words, tried where a run of white space starts (or at a
# comma), not inside it: from every space of a long run each try ran to its
# end. (The words themselves may follow white space only where a search starts.)
_NAMED_AS = re.compile(rf"(?:,|(?<![\s,])|(?={_NAMED_AS_WORDS}))\s*{_NAMED_AS_WORDS}\s+(?:the\s+)?[\"“‘']?")
# How far before a name its cue is looked for.
NAMED_AS_WINDOW = 40  # characters: ", also commonly referred to as the “" and more
# A full stop after a lower-case word, where a unit of two sentences goes on
# ("...monitoring tasks. Members of this group..."): not an abbreviation's
# ("U.S.", "Nov. 14", "e.g.", "pp. 384").
SENTENCE_END_INSIDE = r"(?<=[a-z]{3})[.!?](?=\s)"
_CLAUSE_MARKS = r"[;:()\[\]—]|\s[–-]\s|" + SENTENCE_END_INSIDE  # clause punctuation, the comma aside
_CLAUSE_PUNCTUATION = re.compile(r",|" + _CLAUSE_MARKS)
CLAUSE_END = re.compile(r"[\"“”]|" + _CLAUSE_PUNCTUATION.pattern)  # the same, and quote marks
BEFORE_PENALTY = 1  # tokens a phrase standing before the question's words counts as further off
CLAUSE_PENALTY = 3  # tokens a comma or bracket between two words counts for


def _distance(i: int, first: int, last: int, clause_of: list[int]) -> int:
    """Tokens from token i to the span [first, last], and more across clause
    punctuation: in "first mapped in 1962, and first sequenced in 1986" the
    second "first" belongs with 1986."""
    if first <= i <= last:
        return 0
    j = first if i < first else last
    top = len(clause_of) - 1
    return abs(i - j) + CLAUSE_PENALTY * abs(clause_of[min(i, top)] - clause_of[min(j, top)])


_ENTITY_WORD = re.compile(r"[\w'’.-]+")


# The kinds an entity may have once the question's words are cut from it.
_KINDS_AFTER_TRIM = {
    **{kind: NAME_KINDS for kind in NAME_KINDS},
    MEASURE: (MEASURE, NUMBER),
    DURATION: (DURATION, NUMBER),
}


def tokens_and_clauses(text: str, span: Span) -> tuple[list[int], tuple[int, ...]]:
    """Where the sentence's tokens start in `text`, and the clause of each."""
    relative, clause_of = _layout(text[span.start : span.end])
    return [span.start + start for start in relative], clause_of


@lru_cache(maxsize=20_000)
def _layout(sentence: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where a sentence's tokens start (relative to it) and the clause each
    is in (commas and brackets counted): the same sentences come back
    question after question."""
    starts = tuple(t.start for t in token_spans(sentence))
    breaks = [m.start() for m in _CLAUSE_PUNCTUATION.finditer(sentence)]
    return starts, tuple(bisect_left(breaks, start) for start in starts)


def without_question_words(text: str, entity: Entity, said_stems: set[str], sentence_start: int,
                            said_cache: dict[str, bool]) -> Entity | None:
    """The entity without the question's own words at its edges; None when
    nothing else is left ("the Victoria and Albert Museum" asked about the
    Victoria and Albert Museum)."""
    tokens = list(_ENTITY_WORD.finditer(text, entity.start, entity.end))

    def small(token) -> bool:
        return token.group().lower() in STOP_WORDS

    def plain_said(token) -> bool:
        word = token.group().lower()
        known = said_cache.get(word)
        if known is None:
            bare = word.strip(".'’")
            written = words(token.group())  # "UK" is the question's "U.K."
            known = said_cache[word] = (word in STOP_WORDS or stem(bare) in said_stems or bare in said_stems
                                        or bool(written) and written[0] in said_stems)
        return known

    # "Infantry Battalion (IB) 129" asked about Infantry Battalion 129: the
    # acronym of words the question gives is given too.
    given_initials = "".join(t.group()[0] for t in tokens if t.group()[:1].isupper() and plain_said(t) and not small(t))

    def said(token) -> bool:
        word = token.group()
        return plain_said(token) or (len(word) >= 2 and word.isupper() and word.isalpha() and word in given_initials)

    if entity.kind == NUMBER and tokens and tokens[0].group().lower() == "no":
        return entity  # "No nation" answers "how many countries", though it names them
    if not tokens or all(said(t) for t in tokens):
        return None
    if entity.kind in (MEASURE, DURATION) and said(tokens[-1]) and len(tokens) > 1:
        # "How many miles...?" asks for the number: the unit is the question's.
        last = len(tokens) - 1
        while last > 0 and said(tokens[last]) and not tokens[last].group()[:1].isdigit():
            last -= 1
        return Entity(NUMBER, entity.start, tokens[last].end())
    if entity.kind not in NAME_KINDS:
        return entity  # "over 5,100", "more than 20 million years" keep their words
    first, last = 0, len(tokens) - 1
    while said(tokens[first]):
        first += 1
    while said(tokens[last]):
        last -= 1
    # What goes: a title before a person's name ("NFL Commissioner Roger
    # Goodell"), a name the question gave joined on with "and" ("Jim Nantz and
    # Phil Simms"). What stays: the head noun a name shares with the question
    # ("Shan State", "Super Bowl XLIV", "Party of National Unity").
    coordinated = first > 0 and tokens[first - 1].group().lower() in ("and", "or", "&")
    if last - first < 1 or not tokens[first].group()[:1].isupper() or (first > 0 and small(tokens[first - 1]) and not coordinated):
        first = 0
    while last < len(tokens) - 1 and tokens[last + 1].group().lower() not in ("and", "or", "&"):
        last += 1
    if first == 0 and last == len(tokens) - 1:
        return entity
    a, b = tokens[first].start(), tokens[last].end()
    return Entity(name_kind(text, a, b, sentence_start) or entity.kind, a, b)


# A link, an e-mail address, a file path or a command's option is one token, as a word is
# ("The shell of user sync is /bin/sync", "...at http://mozilla.org/MPL/2.0/"):
# cut into its words it gave "bin" as the answer.
PHRASE_TOKEN = re.compile(LINK_OR_PATH.pattern + "|" + COMMAND_OPTION.pattern + r"|(?:[A-Za-z]\.){2,}|\w+(?:[-'’.,]\w+)*")
WORD_PART = re.compile(r"[^\W_]+")  # the words of a path, a link or a compound ("Myanmar-China", "ensure_ascii")
_CLAUSE_BREAK = re.compile(r"[\"“”]|" + _CLAUSE_MARKS)  # where a phrase ends: not at a comma
EDGE_WORDS = STOP_WORDS | {"also", "then", "which", "who", "whom", "whose", "that", "was", "were", "is", "are"}
MAX_PHRASE_TOKENS = 8
_JOINS = {"but", "while", "whereas", "which", "who", "because"}


def phrase_answer(text: str, span: Span, terms: list[QueryTerm]) -> Entity | None:
    """For a question no pattern answers ("What did Luther try to avoid?"):
    the words of the sentence next to the question's own words that the
    question does not already say, cut at clause punctuation."""
    tokens, matched = phrase_tokens(text, span.start, span.end, terms)
    if not any(matched):
        return None
    # The question's own words anchor the phrase before their synonyms do:
    # "he guarantees the safety of soldiers..., vowing to respect...".
    own = {stem(t.word) for t in terms}
    anchors = [m and stem(w) in own for m, (_, _, w) in zip(matched, tokens)]
    if not any(anchors):
        anchors = matched
    first_anchor = anchors.index(True)
    runs = runs_between(text, tokens, matched, _CLAUSE_BREAK)
    best, best_key = None, None
    # (The nearest anchor is looked up, not looked for among all the
    # sentence's tokens for each run: quadratic in a sentence of thousands.)
    anchored_at = [j for j, m in enumerate(anchors) if m]
    for run in runs:
        # Distance is counted from the run as found: "that they are
        # witnessing..." is next to "state", however many small words open it.
        near = min(_distance_to(anchored_at, run[0]), _distance_to(anchored_at, run[-1]))
        run = without_edge_words(run, tokens)
        if not run:
            continue
        length = len(run)
        if len(run) > MAX_PHRASE_TOKENS:
            # Too long to be a short answer: cut where a clause or a
            # coordinated part begins ("gradually adding pressure | and could
            # become even more effective"), not in the middle of one.
            cuts = [i for i in range(2, MAX_PHRASE_TOKENS + 1)
                    if tokens[run[i]][2] in _JOINS or "," in text[tokens[run[i - 1]][1] : tokens[run[i]][0]]
                    or tokens[run[i]][2] in ("and", "or") and i + 1 < len(run) and tokens[run[i + 1]][2] in AUXILIARIES]
            run = run[: cuts[-1]] if cuts else run[:MAX_PHRASE_TOKENS]
            while len(run) > 1 and tokens[run[-1]][2] in EDGE_WORDS:
                run = run[:-1]
        # What is said of the question's words follows them more often than
        # it stands before them ("International sanctions are adding pressure").
        before = run[-1] < first_anchor
        key = (near + BEFORE_PENALTY * before, -length)
        if best_key is None or key < best_key:
            best, best_key = run, key
    if best is None:
        return None
    return Entity("phrase", tokens[best[0]][0], tokens[best[-1]][1])


def phrase_tokens(text: str, start: int, end: int, terms: list[QueryTerm]) -> tuple[list[tuple[int, int, str]], list[bool]]:
    """The words of text[start:end] (start, end, lower case), and whether
    each is one of the question's (in any of its forms)."""
    forms = {f for t in terms for f in t.forms}
    stems = {s for t in terms for s in t.stems}
    tokens = [(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in PHRASE_TOKEN.finditer(text, start, end)]
    return tokens, [_is_asked(w, forms, stems) for _, _, w in tokens]


def _is_asked(word: str, forms: set[str], stems: set[str]) -> bool:
    """Whether a token is one of the question's words; a path or link is
    when all its words are ("/var/log" for "the logs under /var/log"), not
    when one is ("/bin/sync" answers "the shell of user sync")."""
    if word in forms or stem(word) in stems:
        return True
    if word[0].isalnum() and "/" not in word and "@" not in word:
        return False
    parts = WORD_PART.findall(word)
    return bool(parts) and all(p in forms or stem(p) in stems for p in parts)


def without_edge_words(run: list[int], tokens: list[tuple[int, int, str]]) -> list[int]:
    """A run of tokens without the small words at its edges."""
    first, last = 0, len(run)  # (counted, not sliced off one word at a time)
    while first < last and tokens[run[first]][2] in EDGE_WORDS:
        first += 1
    while last > first and tokens[run[last - 1]][2] in EDGE_WORDS:
        last -= 1
    return run[first:last]


def runs_between(text: str, tokens: list[tuple[int, int, str]], matched: list[bool],
                 breaks: re.Pattern[str]) -> list[list[int]]:
    """The runs of tokens (start, end, word) between the question's words
    (`matched`) and the clause punctuation `breaks` finds between tokens."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, (a, _, _) in enumerate(tokens):
        broken = i > 0 and breaks.search(text, tokens[i - 1][1], a) is not None
        if matched[i] or broken:
            if run:
                runs.append(run)
            run = [] if matched[i] else [i]
        else:
            run.append(i)
    if run:
        runs.append(run)
    return runs


def _distance_to(positions: list[int], i: int) -> int:
    """How far token i is from the nearest of `positions` (sorted, not empty)."""
    at = bisect_left(positions, i)
    return min(abs(positions[j] - i) for j in (at - 1, at) if 0 <= j < len(positions))
