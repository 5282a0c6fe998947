"""Follow-up questions: "Where was it stationed?" after a question about a
battalion means the battalion. Rules only: a pronoun or an elliptical question
borrows the topic of the turns before it, and "And under the MPL?" asks the
last question again of another thing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..index import STOP_WORDS
from .entities import CAPITAL
from .question import AUX_PATTERN, ORGANISATION, PERSON, PLACE, THING, analyze_question
from .types import Answer
from .words import ANSWER_KIND_WORDS, AUXILIARIES, COUNTRY_OF_PEOPLE, QUESTION_WORDS, content_terms, in_full

_PRONOUN = re.compile(
    r"\b(it|its|it's|he|him|his|she|her|hers|they|them|their|theirs|this|that|these|those|there|the same|the former|the latter)\b",
    re.I,
)
_SINGULAR = re.compile(r"\b(it|its|it's|it’s)\b", re.I)  # not "them", "those", "there": people, or no one thing
_PERSONAL = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
_ELLIPSIS = re.compile(r"^(and|what about|how about|and what about|also|what of)\b", re.I)
# Words that open a question as the next step of the last one: "what if"
# asks it again under another condition, "then" and "so" go on from its
# answer, "but" objects to it. It borrows the last question's words, but
# points at no thing of it unless a pronoun does.
_GOES_ON = re.compile(r"^(what if|then|so|but)\b", re.I)

# The asker and the one asked: "How do I upgrade it?" asks about "it", and
# "I" is never what a pronoun means nor a thing a question is about.
_ASKER = frozenset(
    """i i'm i've i'd i'll me my mine myself we we're we've we'd we'll us our ours ourselves
    you you're you've you'd you'll your yours yourself yourselves one""".split()
)


MAX_REFERENT_CHARS = 200  # the longest name a follow-up's pronoun is taken to mean


@dataclass
class Turn:
    question: str  # as asked
    answer: Answer
    subject: str | None = None  # what it was about: "pip" for "How do I install pip?"
    restated: str | None = None  # written out in full: "What does the MPL allow?" for "And under the MPL?"
    replacing: bool = False  # it named another thing for the last question ("And under the MPL?")


@dataclass
class Conversation:
    """The turns so far; `/new` in the console starts a fresh one."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, question: str, answer: Answer) -> None:
        # The question read as the assistant read it, against the turns
        # before it: what it was about is what the next "it" means.
        followup = resolve(in_full(question), self)
        self.turns.append(Turn(question, answer, followup.subject, followup.restated, followup.replacing))
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
    subject: str | None = None  # what the question is about, once resolved
    restated: str | None = None  # the question written out in full, for the turns after it
    replacing: bool = False  # it asks the last question again of another thing ("And under the MPL?")
    # The document the last answer quoted first: a conversation mostly stays
    # in one ("what if what I have is a tuple?" after an answer from random.html).
    last_source: str | None = None


def resolve(question: str, conversation: Conversation | None) -> Followup:
    followup = _resolve(question, conversation)
    if conversation and conversation.turns:
        last = conversation.turns[-1].answer
        if last.excerpts:  # (declined, its closest passage still says what was asked about)
            return replace(followup, last_source=last.excerpts[0].source)
    return followup


def _resolve(question: str, conversation: Conversation | None) -> Followup:
    if not conversation or not conversation.turns:
        return Followup(question, (), None, subject=_subject(question), restated=question)
    own_terms = content_terms(question)
    has_pronoun = bool(_PRONOUN.search(question))
    last = conversation.turns[-1]
    said = tuple((e.source, e.start, e.end) for e in last.answer.excerpts[:1]) if last.answer.answered else ()
    before = last.restated or last.question
    # "And under the MPL?", "What about IB 129?": the last question again,
    # of another thing.
    replaced = None if has_pronoun else _replacing(question, before)
    if replaced is not None:
        text, entity = replaced
        # Asked as a whole question: the thing named weighs as much as what
        # is asked of it.
        return Followup(text, (), None, None, said, subject=entity or last.subject, restated=text,
                        replacing=entity is not None)
    # "When?", "And each family member?", "What about IB 129?" lean on the last question.
    short = question.split()
    names_nothing = not any(w[:1].isupper() or w[:1].isdigit() for w in short[1:])
    goes_on = bool(_GOES_ON.search(question.strip()))
    elliptical = goes_on or bool(_ELLIPSIS.search(question.strip())) or not own_terms or (
        # "From which country?", "How many?": too short to stand alone
        len(short) <= 3 and names_nothing and not has_pronoun
    )
    if not (has_pronoun or elliptical):
        return Followup(question, (), None, subject=_subject(question), restated=question)
    code = _code_named(question, last)
    if code:
        # "since which version does that option exist?" after an answer on
        # ignore_cleanup_errors asks it of ignore_cleanup_errors: a whole
        # question, the option named in it weighing as its own words do.
        text = _CODE_KIND.sub(lambda m: f"the {code} {m.group(1)}", question, count=1)
        return Followup(text, (), code, None, said, subject=code, restated=text)
    referent = _referent(question, conversation.turns) if has_pronoun or not goes_on else None
    if referent is not None and len(referent) > MAX_REFERENT_CHARS:
        # A pronoun stands for a name or a few words, not for a whole clause
        # of a document; and the question analysed stays near its own limit.
        referent = None
    # A pronoun borrows only what it points to ("What does he advocate?" is
    # not about where he lives); an elliptical question ("When?", "And each
    # family member?") borrows the whole of the last question.
    carried = [] if (has_pronoun and referent and not elliptical) else [
        t for t in content_terms(before) if t not in own_terms
    ]
    if referent:
        carried = [t for t in content_terms(referent) if t not in own_terms] + carried
    # De-duplicate, keep order.
    seen: set[str] = set()
    carried = [t for t in carried if not (t in seen or seen.add(t))]
    text = question
    restated = question
    if referent and has_pronoun:
        text = f"{question} ({referent})"
        restated = _PRONOUN_FOR_A_THING.sub(lambda m: _named_for(m, referent), question, count=1)
    return Followup(text, tuple(carried), referent, before if elliptical else None, said,
                    # (A question that goes on keeps the topic it went on from.)
                    subject=referent or (goes_on and last.subject) or _subject(question), restated=restated)


def _referent(question: str, turns: list[Turn]) -> str | None:
    """What a pronoun points back to. "He"/"she" mean the last person named:
    the last answer's short span if it is a name, else the person the last
    follow-up was about, else a name in the last question. Other pronouns
    mean the subject of the last answered turn ("pip" after "How do I
    install pip?"), or the name its answer gave when it asked for one;
    else the names of the last question, else its words."""
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
    topic = _topic_first(question)
    if topic:
        return topic  # "and pw_passwd — does it hold the hash?": pw_passwd
    # (A turn the documents did not answer leaves the topic where it was;
    # unless it named the thing itself: "And under the MPL?" moves the topic
    # to the MPL, answered or not.)
    answered = next((turn for turn in reversed(turns) if turn.answer.answered or turn.replacing), last)
    named = _named_answer(answered) if _SINGULAR.search(question) or _points_back(question, answered) else None
    if named:
        return named
    if answered.subject:
        return answered.subject
    if last.answer.referent:
        return last.answer.referent
    names = _names(last.question)
    if names:
        return max(names, key=len)
    terms = [t for t in content_terms(last.question) if t not in _ASKER]
    return " ".join(terms) if terms else None


def _code_named(question: str, last: Turn) -> str | None:
    """The code word the last answer gave, when the question points at a
    thing of code by its kind ("that option", "this function"): in "If
    ignore_cleanup_errors is true, any unhandled exceptions during cleanup
    (such as a PermissionError...) will be ignored", asked after "can I tell
    it to ignore a PermissionError?", the option is ignore_cleanup_errors,
    the one code word the question did not write."""
    if not (_CODE_KIND.search(question) and last.answer.answered and last.answer.excerpts):
        return None
    asked = last.question.lower()
    for match in _CODE_WORD.finditer(last.answer.excerpts[0].quote):
        word = match.group(0).rstrip(".")
        if word.lower() not in asked:
            return word
    return None


# A thing of code pointed at by its kind, and the words that name one: an
# option ("--sort-keys"), a dotted or snake_case name ("json.dumps",
# "include_hidden"), a CamelCase one ("SameFileError").
_CODE_KIND = re.compile(
    r"\b(?:that|this|the same)\s+(option|parameter|argument|flag|switch|setting|keyword|function|method|class"
    r"|exception|attribute|field|variable|constant)\b", re.I)
_CODE_WORD = re.compile(
    r"(?<![\w.-])(?:--?[A-Za-z][\w-]*|[A-Za-z_]\w+(?:\.[A-Za-z_]\w*)+|[a-z][a-z0-9]*_\w*[a-z0-9]"
    r"|[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+)(?![\w-])")


def _topic_first(question: str) -> str | None:
    """The thing a question sets apart before asking about it as "it"
    ("and pw_passwd — does it actually hold the password hash?"), if any."""
    apart = _SET_APART.search(question)
    if apart is None:
        return None
    topic, rest = question[:apart.start()].split(), question[apart.end():].lstrip()
    while True:  # "and what about the GPL v3 — can I sublicense under that one?"
        if topic and _lower(topic[0]) in ("and", "so", "but", "also", "then", "ok", "okay"):
            topic = topic[1:]
        elif len(topic) > 1 and _lower(topic[0]) in ("what", "how") and _lower(topic[1]) == "about":
            topic = topic[2:]
        else:
            break
    if not topic or len(topic) > 6 or _lower(topic[0]) in _NOT_A_TOPIC or _PRONOUN.search(" ".join(topic)):
        return None
    if not (_ASKING.match(rest) and _FOR_A_THING.search(rest)):
        return None
    return _bare(" ".join(topic))


def _named_answer(turn: Turn) -> str | None:
    """The name that answered a question asking for an organisation or a
    place ("Which group took them into custody?" -> "Myanmar National
    Democratic Alliance Army"): the next "it" or "its" means it. A name asked
    for by "What is X called?" is X's other name: the text goes on about X."""
    if not (turn.answer.answered and turn.answer.excerpts and turn.answer.excerpts[0].answer):
        return None
    short = turn.answer.excerpts[0].answer.text
    if _NOT_A_NAME.search(short):
        return None  # "$W3M_DIR/config", "pw_dir": a path or a code word, not a body or a place
    asked = analyze_question(turn.question).expects[0]
    # "Who has them in custody?" asks for a person or a body: "its" means a
    # body. "Which Debian release was the first to get a code name?" asks
    # for a thing of a kind, by its name: "it" means "Debian 1.1 Buzz"; but
    # "Which bill is it part of?" asks about "it", which stays the topic.
    one_of_a_kind = (asked == THING and bool(_ASKS_FOR_ONE_OF_A_KIND.match(turn.question))
                     and not _PRONOUN_FOR_A_THING.search(turn.question))
    if ((asked in (PERSON, ORGANISATION, PLACE) or one_of_a_kind)
            and short[:1].isupper() and not _looks_like_person(short)):
        # "Myanmar National Democratic Alliance Army (MNDAA)": the text goes
        # on with the acronym, and five words would outweigh the question's own.
        defined = _DEFINED_ACRONYM.fullmatch(short)
        return defined.group(1) if defined else short
    return None


_NOT_A_NAME = re.compile(r"[/\\_$~=@<>{}\[\]|]")
# "Which release...?", "Which was the first...?": one thing of a kind is
# asked for (not "Which is better?"; "what" asks as often for a kind as for
# an explanation: "What about...?", "What happens...?").
_ASKS_FOR_ONE_OF_A_KIND = re.compile(
    rf"\A\W*(?:and\s+|so\s+)?which\s+(?:(?:was|is)\s+the\b|(?!{AUX_PATTERN}\b)[a-z])", re.I)


def _points_back(question: str, turn: Turn) -> bool:
    """Whether "that" or "this" opens a phrase naming something of the turn
    before ("where did that name come from" after "...had a code name"):
    the thing it answered with, as "it" would."""
    pointed = [m.group(1).lower() for m in _DEMONSTRATIVE_PHRASE.finditer(question)]
    if not pointed:
        return False  # (most questions: the last turn's text is not read)
    before = f"{turn.question} {turn.answer.excerpts[0].quote if turn.answer.excerpts else ''}".lower()
    return any(re.search(rf"\b{re.escape(word)}\b", before) for word in pointed)


_DEMONSTRATIVE_PHRASE = re.compile(r"\b(?:that|this)\s+(?:same\s+)?([a-z][\w-]+)", re.I)


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
    # ("Should I...?": "I" after it is the asker, not the rest of a name.)
    first = re.match(r"\s*[A-Z][a-z][\w'’-]*(?=[\s?,.!]|$)(?!\s+(?!I(?:['’][a-z]+)?\b)[A-Z0-9(])", question)
    if first:
        question = question[first.end():]
    # (A name is whole words, "Git 2.39" and "1,000": not the "192" of
    # "192.0.2.0/24" nor the "Node" of "Node.js".)
    names = _NAME.findall(question)
    # "the NUG's program" names the NUG: the text writes "the NUG", "of the NUG".
    names = [_POSSESSIVE.sub("", n) for n in names]
    # "What's the NUG's program...": the question word, not a name.
    # "near the Chinese border": a people's adjective describes, it is not what "that" means.
    # "How do I upgrade it?": "I" is the asker, written with a capital.
    return [n for n in names if _POSSESSIVE.sub("", n.split()[0].lower()) not in _QUESTION_START
            and n.lower() not in COUNTRY_OF_PEOPLE and n.split()[0].lower().replace("’", "'") not in _ASKER]


_POSSESSIVE = re.compile(r"['’]s?$")
_NUMBER = r"\d+(?:[.,]\d+)*"
_NAME = re.compile(rf"(?<![\w'’./-])(?:{CAPITAL}[\w'’-]*|{_NUMBER})"
                   rf"(?:\s+(?:of\s+|the\s+)?(?:{CAPITAL}[\w'’-]*|\(?[A-Z]{{2,}}\)?|{_NUMBER}))*(?![\w'’-]|[./:]\w)")


def _looks_like_person(text: str) -> bool:
    """Two to four capitalised words, none of them all capitals or a number:
    "Li Kyar Win", not "MNDAA" or "Infantry Battalion 129"."""
    parts = text.split()
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() and not p.isupper() and p.isalpha() for p in parts)


# --- what a question is about, and asking it again of another thing -----------------

# "And under the MPL?", "What about IB 129?", "How about cmake?", "And spwd?":
# a thing (with the preposition it is asked under), and nothing else.
_REPLACING = re.compile(
    r"(?:(?:and|but|so|ok|okay|also|then)\s*,?\s+)?(?:(?:and\s+)?(?:what|how)\s+about|what\s+of|and)\s+"
    r"(?:(?P<preposition>under|for|with|about|in|on|at|from|by|during|after|before|within|without|into|over|via|through)\s+)?"
    r"(?P<entity>\S.*)",
    re.I,
)
_WH = frozenset("what which who whom whose when where why how".split())
_DETERMINERS = frozenset("the a an this that these those each every my your our its their his her some any all no both".split())
# Words that end a noun phrase: function words, question words, auxiliaries.
_BOUNDARY = (STOP_WORDS | AUXILIARIES | _WH | _ASKER) - _DETERMINERS
# A thing set before the question that then calls it "it": "and pw_passwd —
# does it actually hold the password hash?", "The MPL, does it allow that?".
_SET_APART = re.compile(r"—|–|--| - |,")
_ASKING = re.compile(r"(?:(?:and|so|but|then)\s+)?(?:does|do|did|is|are|was|were|can|could|will|would|should|has|have"
                     r"|what|how|why|where|when|who|which)\b", re.I)
_FOR_A_THING = re.compile(r"\b(?:it|its|they|them|their|th(?:is|at) one)\b", re.I)
# "OK, does it...?", "Besides the cash, what else do they...?": no thing set first.
_NOT_A_TOPIC = _BOUNDARY | QUESTION_WORDS | frozenset(
    "ok okay well right yes yeah hmm um uh great thanks sure except unlike like regarding concerning".split())


# Not a thing but an aspect of the last one ("And the date?", "What about
# the cost?"): such a question asks about the same thing, the old way.
_ASPECTS = ANSWER_KIND_WORDS | frozenset(
    """time times place location reason reasons cause cost costs price size length age purpose result results
    default defaults version versions difference deadline duration limit limits total rest others""".split()
)
# Verbs a question puts after its subject ("What does the Apache License
# allow...?"): where the thing it is about ends. A few common ones; the last
# word of the phrase is taken for the verb otherwise.
_VERBS = frozenset(
    """allow allows let lets permit give gives get gets take takes use uses need needs mean means hold holds
    keep keeps run runs make makes say says want wants require requires provide provides support supports
    work works contain contains store stores send sends return returns produce produces show shows display
    displays print prints cover covers call calls grant grants mention mentions include includes offer offers
    handle handles cost costs belong belongs stand stands come comes go goes start starts stop stops begin
    begins end ends happen happens live lives own owns pay pays receive receives""".split()
)
_DO = frozenset("do does did can could will would shall should may might must".split())
_VERB_AUXILIARIES = AUXILIARIES | frozenset({"be", "been", "being", "doing", "having", "get", "got"})
_PARTICIPLE = re.compile(r"(?:ed|en|wn)$")
_TOKEN = re.compile(r"[^\s?!,;:\"“”()\[\]]+")
# A pronoun that stands for a thing, written out in a restated question.
_PRONOUN_FOR_A_THING = re.compile(r"\b(?:(its)|(it|they|them|their))\b", re.I)


def _named_for(match: re.Match, referent: str) -> str:
    return f"{referent}'s" if match.group(1) or match.group(2).lower() == "their" else referent


def _tokens(text: str) -> list[tuple[str, int, int]]:
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if tokens and tokens[-1][0].endswith(".") and tokens[-1][0].count(".") == 1 and len(tokens[-1][0]) > 1:
        word, start, end = tokens[-1]  # "Tell me about Infantry Battalion 129."
        tokens[-1] = (word[:-1], start, end - 1)
    return tokens


def _lower(word: str) -> str:
    return word.lower().replace("’", "'")


def _plain(word: str) -> str:
    """A word to compare: "modules" is "module", "Python's" is "python"."""
    word = _POSSESSIVE.sub("", _lower(word))
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _noun_phrase(words: list[str], i: int) -> tuple[int, int] | None:
    """The noun phrase starting at word i ("the -0 option of xargs"), as word
    positions [start, end); None if a function word stands there."""
    j = i
    while j < len(words) and words[j] in _DETERMINERS:
        j += 1
    k = j
    while k < len(words) and words[k] not in _BOUNDARY and words[k] not in _DETERMINERS:
        k += 1
    if k == j:
        return None
    if k + 1 < len(words) and words[k] == "of":
        rest = _noun_phrase(words, k + 1)
        if rest is not None:
            k = rest[1]
    return i, k


def _subject_slot(question: str, strict: bool = False) -> tuple[int, int] | None:
    """Where in the question the thing it asks about is written, as
    character offsets: "pip" in "How do I install pip?", "the Apache
    License" in "What does the Apache License allow?", "the sudo group" in
    "What is the sudo group for?". None when the question has no such shape;
    `strict`, also when it has one only doubtfully: a question that asks for
    a thing ("Which offensive has driven...?") is about what it describes,
    and a phrase whose verb is not known ("What does the author propose
    nations...?") may run on into it."""
    tokens = _tokens(question)
    words = [_lower(t[0]) for t in tokens]
    n = len(words)
    i = 0
    while i < n and words[i] in ("and", "so", "but", "ok", "okay", "then", "also", "now", "well"):
        i += 1
    if i < n and words[i] not in _WH and words[i] not in AUXILIARIES:
        # "In the pwd module, what does pw_dir hold?": the question starts at its question word.
        later = next((j for j in range(i, n) if words[j] in _WH), None)
        if later is not None:
            i = later
        elif words[i] in ("tell", "describe", "explain", "define", "show"):
            # "Tell me about Infantry Battalion 129."
            about = next((j for j in range(i, n) if words[j] in ("about", "on", "of")), None)
            found = _noun_phrase(words, about + 1 if about is not None else i + 1 + (i + 1 < n and words[i + 1] in _ASKER))
            return _offsets(tokens, found)
    found: tuple[int, int] | None = None
    if i < n and words[i] in _WH:
        wh = words[i]
        i += 1
        if wh == "how" and i < n and words[i] in ("many", "much", "long", "old", "far", "often", "big", "large", "soon"):
            i += 1
        if i < n and words[i] not in AUXILIARIES and words[i] not in _BOUNDARY:
            k = i
            while k < n and words[k] not in _BOUNDARY:
                k += 1
            if wh in ("what", "which", "whose", "how") and k < n and words[k] in AUXILIARIES:
                # "What colour are hyperlinks...", "How many troops did the
                # regiment have?": the thing asked for, then the subject.
                found = (i, k)
                i = k
            elif wh in ("who", "whom") or not strict:
                # "Who wrote the Linux User's Guide?", "What causes it?": a
                # verb, then what it is done to. (After "what" or "which"
                # the word may as well be the thing asked for: "What program
                # pays soldiers...?")
                return _offsets(tokens, _noun_phrase(words, i + 1))
            else:
                return None
    doubtful = None if strict else found
    if i >= n or words[i] not in AUXILIARIES:
        return _offsets(tokens, doubtful)
    aux = words[i]
    i += 1
    if i < n and words[i] in ("i", "we", "you", "one"):
        # "How do I install pip?", "How long do I have to cure a violation?":
        # the asker and their verb, then the thing.
        i += 2
        while i + 1 < n and words[i] == "to":
            i += 2
        return _offsets(tokens, _noun_phrase(words, i) or doubtful)
    phrase = _noun_phrase(words, i)
    if phrase is None:
        return _offsets(tokens, doubtful)
    start, end = phrase
    first = start
    while first < end and words[first] in _DETERMINERS:
        first += 1
    of = words.index("of", first, end) if "of" in words[first:end] else end
    if end - first >= 2 and of == end and not (end < n and words[end] in _VERB_AUXILIARIES):
        # (Not in "What uid did the operator user have?": "have" is the verb.)
        if _PARTICIPLE.search(words[end - 1]) and aux not in _DO:
            # "Where was IB 129 stationed?", "How has the community helped?"
            end -= 1
        elif aux in _DO:
            # "What does the Apache License allow me...?", "When did
            # People's Embrace start?": the subject ends at its verb.
            verb = next((j for j in range(first + 1, end) if words[j] in _VERBS), None)
            if verb is None and strict and end - first > 2:
                return None  # "What does the author propose nations...?": which word is the verb?
            end = verb if verb is not None else end - 1
    elif aux in ("has", "have", "had") and _PARTICIPLE.search(words[first]):
        return _offsets(tokens, doubtful)  # "How many soldiers have defected...?"
    return _offsets(tokens, (start, end))


def _offsets(tokens: list[tuple[str, int, int]], found: tuple[int, int] | None) -> tuple[int, int] | None:
    if found is None or found[0] >= found[1]:
        return None
    return tokens[found[0]][1], tokens[found[1] - 1][2]


def _bare(phrase: str) -> str:
    """A noun phrase without its determiners: "the MPL" is "MPL"."""
    words = phrase.split()
    while len(words) > 1 and _lower(words[0]) in _DETERMINERS:
        words = words[1:]
    return _POSSESSIVE.sub("", " ".join(words)) if words and words[-1].endswith(("'s", "’s")) else " ".join(words)


def _subject(question: str) -> str | None:
    """What a question is about, for the next turn's "it": its longest name
    ("Infantry Battalion 129"); else the thing it asks about ("pip" for "How
    do I install pip?"); else its words."""
    names = _names(question)
    marked = _MARKED.search(question)
    slot = _subject_slot(question, strict=True) if marked or not names else None
    if marked and slot is None:
        # No clear subject, but the asker wrote one thing as code or in
        # quotes: the question is about it, not about the program or release
        # named around it ("What does the push.useBitmaps setting introduced
        # in Git 2.38 do?", "What's this 'scalar' thing that got folded into Git?").
        return next(group for group in marked.groups() if group)
    if names:
        return max(names, key=len)
    if slot is not None:
        # Named by no name: its capitals open the question or describe
        # ("the American initiative"), and the text need not repeat them.
        subject = _bare(question[slot[0]:slot[1]]).lower()
        if subject not in _ASKER and len(subject) <= MAX_REFERENT_CHARS:
            return subject
    terms = [t for t in content_terms(question) if t not in _ASKER]
    return " ".join(terms) if terms else None


# A code word, or a few words in quotes (not an apostrophe: "What's").
_MARKED = re.compile(rf"({_CODE_WORD.pattern})|(?<!\w)['‘\"“`]([^'‘’\"“”`]{{1,40}})['’\"”`](?!\w)")


def _replacing(question: str, before: str) -> tuple[str, str | None] | None:
    """"And under the MPL?" after "What does the Apache License allow?":
    ("What does the MPL allow?", "MPL"). The thing the last question was
    about gives way to the one named, and the rest of it is asked again.
    None when the question is not of that shape or names an aspect of the
    last thing rather than another thing ("And the date?"). "And decompress?"
    puts its verb for the last one's, and the thing stays (None)."""
    match = _REPLACING.fullmatch(question.strip().rstrip("?.! \t"))
    if match is None:
        return None
    entity = match.group("entity").strip()
    words = [_lower(w) for w in entity.split()]
    if not words or len(words) > 8 or words[0] in _BOUNDARY - {"each", "every"} or any(w in _ASKER for w in words):
        return None  # "And if the command fails?", "And to decompress it?", "And for me?"
    if _PRONOUN.search(entity) or _plain(words[-1]) in _ASPECTS or words[-1] in _ASPECTS:
        return None  # "And its patent grant?", "And the date?"
    if any(w in _DETERMINERS and words[j - 1] not in _BOUNDARY for j, w in enumerate(words) if j):
        return None  # "And uninstall a package?": a verb and its object, not a thing
    if len(words) == 1 and not match.group("preposition"):
        # "And decompress?" after "How do I compress a file?": the verb's opposite.
        tokens = _tokens(before)
        verb = next((t for t in tokens if t[0].islower() and _undone(words[0], t[0])), None)
        if verb is not None:
            return before[:verb[1]] + entity + before[verb[2]:], None
    slot = _slot(before, entity, match.group("preposition"))
    if slot is None:
        return None
    start, end = slot
    replacing = before[start:end]
    if _lower(replacing.split()[0]) not in _DETERMINERS and _lower(entity.split()[0]) in _DETERMINERS \
            and start > 0 and _lower(before[:start].split()[-1]) in _DETERMINERS:
        entity = _bare(entity)  # "a GPL violation" -> "a MPL violation", not "a the MPL violation"
    text = before[:start] + entity + before[end:]
    return text, _bare(entity)


def _undone(word: str, other: str) -> bool:
    """Whether one word undoes or redoes the other: "decompress" and
    "compress", "uninstall" and "install", "reinstall"."""
    longer, shorter = (word, other) if len(word) > len(other) else (other, word)
    return len(shorter) >= 4 and any(longer == prefix + shorter for prefix in ("de", "un", "re", "dis"))


def _slot(before: str, entity: str, preposition: str | None) -> tuple[int, int] | None:
    """Where in the last question the thing that `entity` takes the place of
    is written, as character offsets."""
    tokens = _tokens(before)
    words = [_lower(t[0]) for t in tokens]
    own = entity.split()
    if preposition:
        # "Where did he move it in 2002?" + "And in 2011?"
        at = next((j for j in range(len(words) - 1, -1, -1) if words[j] == preposition.lower()), None)
        if at is not None:
            phrase = _noun_phrase(words, at + 1)
            if phrase is not None:
                return _narrowed(tokens, phrase, own)
    if all(w.isdigit() for w in own):
        # "What about 2011?": the number the last question gave.
        at = next((j for j in range(len(words) - 1, -1, -1) if words[j].isdigit()), None)
        if at is not None:
            return tokens[at][1], tokens[at][2]
    # "the staff group" for "the sudo group", "the grp module" for "Python's pwd module".
    head = _plain(own[-1])
    at = next((j for j in range(len(words) - 1, -1, -1) if _plain(words[j]) == head), None)
    if at is not None:
        start = at  # back over its modifiers and determiner
        while start > 0 and words[start - 1] not in _BOUNDARY:
            start -= 1
        return tokens[start][1], tokens[at][2]
    slot = _subject_slot(before)
    if slot is not None:
        inside = [j for j, t in enumerate(tokens) if slot[0] <= t[1] and t[2] <= slot[1]]
        return _narrowed(tokens, (inside[0], inside[-1] + 1), own)
    names = _names(before)
    if names:
        name = max(names, key=len)
        at = before.rfind(name)
        return at, at + len(name)
    return None


def _narrowed(tokens: list[tuple[str, int, int]], phrase: tuple[int, int], own: list[str]) -> tuple[int, int]:
    """A name put for a name inside a longer phrase ("a GPL violation",
    "What about under the MPL?") takes the place of that name alone."""
    start, end = phrase
    inside = [j for j in range(start, end) if _lower(tokens[j][0]) not in _DETERMINERS]
    if _is_name(own[-1]):
        named = [j for j in inside if _is_name(tokens[j][0])]
        if named and len(named) < len(inside) and named == list(range(named[0], named[-1] + 1)):
            return tokens[named[0]][1], tokens[named[-1]][2]
    return tokens[start][1], tokens[end - 1][2]


def _is_name(word: str) -> bool:
    """Written as a name: "MPL", "Meson", "IB", "129" (not "the", "module")."""
    return bool(word) and (word[:1].isupper() or word[:1].isdigit())
