"""What a question asks: its type, the kind of answer it expects, and the
terms it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..index import STOP_WORDS
from ..lexicon import weighted_senses
from .words import ANSWER_KIND_WORDS, AUXILIARIES, content_terms, stem, synonyms

# Expected answer types.
PERSON, ORGANISATION, PLACE, DATE, NUMBER, MONEY, PERCENT, DURATION = (
    "person", "organisation", "place", "date", "number", "money", "percent", "duration",
)
ACRONYM, REASON, NAME, THING, YESNO, MANNER, DEFINITION = (
    "acronym", "reason", "name", "thing", "yesno", "manner", "definition",
)
MEASURE = "measure"  # a number with its unit: "720 feet", "about 40 nanometers"
CONSEQUENCE = "consequence"  # what happens to someone: "potential jail sentences"
ADDRESS = "address"  # where a thing is found online or on disk: a link, an e-mail address, a file path
OPTION = "option"  # a command's option: "-t", "--null", "--max-procs=N"


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # who, when, where, how many, how much, what, which, why, how, yes/no, definition, list, other
    expects: tuple[str, ...]  # acceptable answer types, best first
    terms: tuple[str, ...]  # content terms (lower case), in question order
    about_document: str | None = None  # "author", "date", "title", "credit", "publisher": about the document itself;
    # "writer": asked of its writer and answered from the text ("Who wrote it, and where is he from?")
    names: tuple[str, ...] = ()  # terms the question writes as names or numbers ("Laukkai", "NUG", "1027")
    unit: str | None = None  # the noun that names the answer's kind ("which country" -> "country")
    focus: str | None = None  # what a count counts ("how many civilians" -> "civilians")
    attribute: str | None = None  # what is asked of something ("what is the population of Laukkai" -> "population")
    # What a sentence must hold to answer at all: "time" for "When did X
    # happen?", "amount" for "How many...?". ("When do X...?" asks for a
    # circumstance, "how long" and "how often" may be answered in words.)
    # "name" for "What are the names of...?".
    must_hold: str | None = None
    # The verb a who-question asks about ("Who commanded...?" -> "commanded");
    # not in "Who acts as spokesperson?", which asks who is one.
    asked_verb: str | None = None
    # Another name is asked for ("What is X also known as?", "its nickname"):
    # the name the text gives after "known as", "also called".
    other_name: bool = False
    # The name that does what is asked ("How did China react...?", "What
    # has Beijing said...?"): an answer must be about it.
    actor: str | None = None
    # The choice a question offers ("doing good or bad?", "going up or
    # down?"): the text need say only one of them, in its own words; and a
    # word read into the question that it does not write ("default").
    alternatives: tuple[str, ...] = ()
    # The names that describe the thing asked for, in the question's
    # "which..." phrase ("Which famous Italian Renaissance polymath...?",
    # "What Denver player...?"): the text may name it without them.
    described: tuple[str, ...] = ()
    # The head noun of that phrase: what kind of thing answers ("What
    # Philadelphia institution...?" -> "institution": "the Franklin Institute").
    head: str | None = None


# An auxiliary verb, as a pattern (dialogue.py reads questions with it too).
AUX_PATTERN = "(?:" + "|".join(sorted(AUXILIARIES)) + ")"
_WH = r"(?:what|which|who|whom|whose|when|where|why|how)"
# Who wrote it, asked as who ("Who is the author of this piece?", "Whose
# byline...?") or as the bare noun ("Author?"); "Where does the writer of this
# piece live?" asks about the writer, from the text.
_DOC_AUTHOR = re.compile(
    r"\bwho\b.*\b(wrote|write|writes|authored|penned)\b"
    r"|^(?:and\s+)?(?:who(?:'s| is| was)|whose|what(?:'s| is| was) the name of|name)\s+(?:the\s+)?(?:[\w-]+\s+)?(author|writer|byline)\b"
    r"|^(?:(?:what|who)(?:'s| is| was)\s+)?(?:the\s+)?(author|writer|byline)"
    r"(?:\s+of\s+(?:the|this)\s+(?:article|piece|op-?ed|text|column|story))?$",
    re.I,
)
_SECOND_PART = re.compile(r",?\s+and\s+(?=(?:what|what's|where|how|who|when|why|which|is|was|does|did|his|her)\b)")
_DOC_DATE = re.compile(
    r"\bwhen (was|is|were) (it|(the|this) ([\w-]+ )?(article|piece|story|op-?ed|column|text|document|commentary|editorial))\s+(first\s+)?(published|written|posted|dated)\b|\b(publication|published|pub)\s+(date|day)\b|\bwhat (date|day) (is|was) (the|this) (article|piece|story)\b"
    # "What date is displayed at the top of the page?", "the date on this piece"
    r"|\bwhat (date|day)\b[^?]*\b(article|piece|story|op-?ed|column|page|header|dateline)\b"
    r"|\bdate (of|on) (the|this) (article|piece|story|op-?ed|column|page)\b"
    r"|\bwhen did (it|this|the) ((article|piece|story|op-?ed|column) )?(come out|appear|run)\b",
    re.I,
)
# "Is the author a staff reporter or a guest writer?", "How is he credited?"
_DOC_CREDIT = re.compile(
    r"\b(author|writer|columnist|journalist)\b.*\b(staff|guest|freelance|freelancer|contributor|contributing|credited)\b"
    r"|\bhow (is|was) (he|she) credited\b"
    r"|\b(staff|guest|freelance|contributing)\b.*\b(author|writer|reporter|columnist|contributor)\b.*\b(article|piece|op-?ed|column|this)\b",
    re.I,
)
# "Who publishes this?", "Which outlet ran it?", "Does it reflect the
# publisher's editorial policy?": a web page says so in its header or footer.
_DOC_PUBLISHER = re.compile(
    r"\b(publisher|publishers|published by|who (?:publishes|published)|editorial (policy|policies|line|stance|view|views))\b"
    r"|\b(which|what) (outlet|publication|newspaper|news (site|outlet|organi[sz]ation|agency)|media)\b"
    # "what site posted this": a site, paper or magazine that published it
    r"|\b(which|what) (site|website|web site|paper|magazine|platform) (posted|published|ran|carried|put out|printed)\b"
    r"|^(?:and\s+)?who\s+(?:is\s+|was\s+)?publish"
    r"|\bpublish(?:es|ed|ing)?\s+(?:this|the)\s+(?:\w+\s+)?(?:article|piece|op-?ed|column|story)\b",
    re.I,
)
_DOC_TITLE = re.compile(
    r"\b(what|which)\b[^?]*\b(headline|title)\b[^?]*\b(article|piece|story|op-?ed|column|it)\b"
    r"|^(?:what(?:'s| is| was)\s+)?(?:the\s+)?(?:(?:article|piece|story|op-?ed|column)(?:'s)?\s+)?(headline|title)$"
    r"|\b(title|headline) of (the|this) (article|piece|story|document|text)\b|\bwhat is (the|this) (article|piece|story|document|text|op-?ed) (about|called|titled)\b"
    r"|\bwhat('s| is) (it|the article|this) about\b"
    # "What does the title call the soldiers who left?": its words are the answer.
    r"|\bwhat (does|did) (the|its|this) (title|headline) (call|say|name)\b",
    re.I,
)

_UNIT_TYPES = {
    "year": DATE, "years": DATE, "date": DATE, "day": DATE, "month": DATE, "decade": DATE, "century": DATE,
    "time": DATE, "era": DATE, "period": DATE,
    "country": PLACE, "city": PLACE, "town": PLACE, "state": PLACE, "region": PLACE, "place": PLACE,
    "location": PLACE, "area": PLACE, "province": PLACE, "village": PLACE, "continent": PLACE, "border": PLACE,
    "river": PLACE, "county": PLACE, "district": PLACE, "zone": PLACE, "island": PLACE, "nation": PLACE,
    "organization": ORGANISATION, "organisation": ORGANISATION, "group": ORGANISATION, "company": ORGANISATION,
    "party": ORGANISATION, "army": ORGANISATION, "government": ORGANISATION, "agency": ORGANISATION,
    "alliance": ORGANISATION, "team": ORGANISATION, "university": ORGANISATION, "department": ORGANISATION,
    "unit": ORGANISATION, "battalion": ORGANISATION, "regiment": ORGANISATION, "brigade": ORGANISATION,
    "outfit": ORGANISATION, "faction": ORGANISATION, "militia": ORGANISATION, "coalition": ORGANISATION,
    "person": PERSON, "man": PERSON, "woman": PERSON, "leader": PERSON, "spokesperson": PERSON,
    "spokesman": PERSON, "president": PERSON, "author": PERSON, "writer": PERSON, "name": NAME,
    "url": ADDRESS, "website": ADDRESS, "email": ADDRESS, "e-mail": ADDRESS, "directory": ADDRESS, "folder": ADDRESS,
    "option": OPTION, "flag": OPTION, "switch": OPTION,
    **dict.fromkeys(
        "member player king queen emperor ruler general commander officer minister official founder director "
        "scientist inventor artist architect composer poet philosopher actor actress singer coach quarterback "
        "pope bishop priest prince princess son daughter wife husband brother sister father mother".split(),
        PERSON,
    ),
    "percentage": PERCENT, "percent": PERCENT, "proportion": PERCENT, "share": PERCENT,
    "amount": MONEY, "cost": MONEY, "price": MONEY, "sum": MONEY, "salary": MONEY, "payment": MONEY,
    "number": NUMBER, "total": NUMBER, "population": NUMBER, "figure": NUMBER, "toll": NUMBER,
    "budget": MONEY, "fee": MONEY, "fine": MONEY, "duration": DURATION,
}


# A guess the asker tacks on ("Who took custody of them — the NUG?", "When
# did that happen, early December?", "...? like a fifth or so?"): what they
# think the answer may be, not what a passage must say.
_GUESS_MARK = r"(?:like|maybe|perhaps|say|possibly|probably|roughly|around|about|something\s+like|early|late|mid)\s+"
_GUESS = re.compile(
    # after a comma, only a word that marks a guess ("..., the ones in
    # Laukkai?" says which soldiers); after a dash or a question mark, an
    # article, a name or a number too ("— the NUG?"; "— took them in?" is
    # the question going on).
    rf"(?:,\s*({_GUESS_MARK}[^,;:?—–]*)|(?:\s[—–]+\s*|\?\s*)((?:{_GUESS_MARK}|(?:the|a|an)\s+|(?-i:[A-Z0-9]))[^,;:?—–]*))\??$",
    re.I,
)
_OPENS_WITH_AUXILIARY = re.compile(rf"{AUX_PATTERN}\b")  # "Is...", "Does...": yes or no
_QUESTION_OPENING = re.compile(rf"^(?:and\s+)?(?:{_WH}|{AUX_PATTERN})\b", re.I)


def without_guess(question: str) -> str:
    """The question without a guess tacked on at its end (`_GUESS`), when
    what is left still asks it."""
    guess = _GUESS.search(question)
    said = guess and (guess.group(1) or guess.group(2))
    if not said or len(said.split()) > 5:
        return question
    head = question[: guess.start()].rstrip(" ,—–-?")
    if len(head.split()) < 3 or not _QUESTION_OPENING.match(head) or _QUESTION_OPENING.match(said):
        return question
    return head + "?"


def analyze_question(text: str) -> Question:
    asked = " ".join(text.strip().split())
    q = without_guess(asked)  # what is analysed; the Question keeps the text as asked
    lower = q.lower().rstrip("?!. ")
    terms = tuple(content_terms(q))
    about = None
    if _DOC_AUTHOR.search(lower):
        # "Who wrote this piece, and where is he from?": the second part is
        # asked of the writer, and answered from the text.
        second = _SECOND_PART.search(lower)
        # ("Who wrote it and when?" asks one thing.)
        about = "writer" if second and len(lower[second.end():].split()) > 1 else "author"
        if about == "writer":
            terms = tuple(content_terms(q[second.start():]))
    elif _DOC_DATE.search(lower):
        about = "date"
    elif _DOC_TITLE.search(lower):
        about = "title"
    elif _DOC_CREDIT.search(lower):
        about = "credit"
    elif _DOC_PUBLISHER.search(lower):
        about = "publisher"
    # "My JSON has money amounts ... when I read them. Can I get exact
    # decimal numbers?": the sentence with the question mark asks; the ones
    # before it say what about ("when I read them" asks no date).
    asking = _asking_sentence(q).lower().rstrip("?!. ")
    keyword = _keyword_query(asking)
    kind, expects = keyword[:2] if keyword else _classify(asking)
    if kind == "definition" and expects[0] != ACRONYM and re.fullmatch(
        r"(?i:and\s+)?(?i:what)\s+(?i:is|are|was|were)\s+(?:(?i:an?|the)\s+)?[A-Z][A-Za-z]*[A-Z]s?\??", q.strip()
    ):
        # "What is the NUG?", "And what are EROs?": a spelled-out name answers.
        expects = (ACRONYM, DEFINITION, THING)
    if kind == "who" and _WHO_IS_NAMED.fullmatch(q.strip()):
        # "Who is Li Kyar Win?" asks what the text says he is ("the MNDAA
        # spokesperson"), not for another name beside his.
        expects = (DEFINITION, PERSON, ORGANISATION, NAME)
    if (kind == "definition" and expects[0] == ACRONYM and re.search(r"\bmean[st]?\b", lower)
            and not re.search(r"\b[A-Z][A-Za-z&]*[A-Z]", q)):
        # "What does rhodophyte mean?" asks what a word means, not what
        # letters stand for.
        expects = (DEFINITION, THING)
    elif kind == "definition" and expects[0] == ACRONYM:
        # "What does NUG stand for?": the acronym is all the question is about.
        acronyms = tuple(w.lower() for w in re.findall(r"\b[A-Z][A-Za-z]*[A-Z]s?\b", q) if w.lower() in terms)
        terms = acronyms or tuple(t for t in terms if t not in _DEFINITION_WORDS)
    if keyword is None and _ASKS_FOR_NAMES.search(lower) and kind in ("what", "list", "other"):
        # "What are the names of the organizations...?": a name answers, and
        # a sentence that gives none ("founding organizations") cannot.
        kind, expects = "what", (NAME,)
    other_name = kind in ("what", "which", "definition") and bool(_ASKS_ANOTHER_NAME.search(lower))
    if other_name:
        # "What is the scheme nicknamed?", "What is X also known as?": a
        # name answers, not what the thing is; "a second name" is looked
        # for where the text gives one, as a nickname is.
        kind, expects = "what", (NAME, THING)
        if not any(synonyms(t) & _NAMING_WORDS for t in terms):
            terms += ("nickname",)
    left_out = _ASKS_WHEN_LEFT_OUT.search(lower) is not None and "default" not in terms
    if left_out:
        # "What level does it use when compresslevel isn't given?", "how
        # many bytes if I don't say?": what holds when nothing is given is
        # what the documents call the default (a word the question does
        # not write, so no reason to decline where they never do).
        terms += ("default",)
    unit = next((w for w in re.findall(r"\b(?:what|which)\s+(\w+)", lower)
                 if w in terms and _unit_type(w)), None)
    counted = re.search(r"\b(?:how many|number of)\s+(?:of\s+)?(?:(?:the|their|its|his|her|these|those)\s+)?([a-z][\w'-]*)", lower)
    focus = counted.group(1) if counted and counted.group(1) in terms and kind not in ("how", "why") else None
    attribute = _attribute(lower, terms, kind)
    if keyword:
        must_hold = keyword[2]
    else:
        must_hold = "time" if _ASKS_FOR_A_TIME.match(lower) else "amount" if _ASKS_FOR_AN_AMOUNT.search(lower) else None
        if expects == (NAME,):
            must_hold = "name"
        if must_hold is None and _NAMES_AN_AMOUNT.match(lower):
            # "What is the estimated cost of the fund?", "What specific
            # duration...?": the sum or span asked for, not the words.
            # ("What costs are covered?" asks which ones; "For how long...?"
            # may be answered "for a defined period".)
            must_hold = "amount"
        if must_hold is None and unit in _CALENDAR_UNITS and expects[0] == DATE \
                and re.search(rf"\b(?:what|which)\s+{unit}\b{_ENDS_A_UNIT}", lower):
            # "In what year was the MPL released?" asks when, as "When was it
            # released?" does: a sentence with no date cannot say.
            must_hold = "time"
    verb = _ASKED_VERB.match(lower) if kind == "who" else None
    verb = verb and (verb.group(1) or verb.group(2))
    asked_verb = verb if verb in terms else None
    names = _names(q, terms)
    actor = _ACTOR.match(lower)
    # (An acronym stands for words the passages may write instead.)
    actor = actor.group(1) if actor and actor.group(1) in names and not re.search(
        rf"\b{actor.group(1).upper()}\b", q) else None
    alternatives = (_alternatives(lower, terms) if kind == "yes/no" else ()) + (("default",) if left_out else ())
    described, head = _which_phrase(q, names)
    return Question(asked, kind, expects, terms, about, names, unit, focus, attribute, must_hold, asked_verb,
                    other_name, actor, alternatives, described, head)


_CHOICE = re.compile(r"\b([a-z][\w-]*)\s+or\s+(?:just\s+|only\s+|still\s+)?([a-z][\w-]*)$")
# "...stable enough for production, or is it experimental?": a second
# question offered as the other answer.
_CHOICE_CLAUSE = re.compile(r"\bor\s+(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|must)"
                            r"\s+(?:it|they|he|she|this|that|these|those|there|we|you|i)((?:\s+[a-z][\w-]*){1,4})$")


def _alternatives(lower: str, terms: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the choice a yes/no question offers: both sides of "X or
    Y", or the words of an "or is it Y" clause."""
    choice = _CHOICE.search(lower)
    clause = _CHOICE_CLAUSE.search(lower)
    words = (choice.groups() if choice else ()) + (tuple(clause.group(1).split()) if clause else ())
    return tuple(dict.fromkeys(w for w in words if w in terms))


_ASKS_WHAT_HAPPENS = re.compile(
    r"^(?:and\s+)?what\s+(?:(?:could|would|will|might|may|can|does|did|is\s+going\s+to)\s+)?happens?\s+(?:to|if|when|once)\b"
    r"|\bwhat\s+(?:are|were)\s+the\s+(?:consequences|risks|dangers|penalties|punishments)\s+(?:of|for)\b"
)
_ACTOR = re.compile(r"(?:how|what|why|when|where)\s+(?:did|does|do|has|have|had|is|was|will|would)\s+(?:the\s+)?([a-z]\w*)\s+(?!of\b)")
_ASKS_FOR_NAMES = re.compile(r"^(?:and\s+)?(?:what(?:\s+are|\s+were)\s+the\s+)?names\s+of\b")
# (Capitalised words with white space between them: "(?:[A-Z][\w...]*\s*)+"
# could also cut "AAAA" into words at every capital, and tried every way,
# exponentially, when the question went on after them.)
_WHO_IS_NAMED = re.compile(r"(?i:and\s+)?(?i:who)(?:\s+(?i:is|was)|['’]s)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*\s*\??")
_NAMING_WORDS = synonyms("nickname")  # the synonym table's group of words that give another name
_ASKS_WHEN_LEFT_OUT = re.compile(
    r"\b(?:if|when|unless|without)\b[^?.;]*?\b(?:(?:do|does|did|is|are|was|were)\s*n[’']?t|not|never|no)\s+"
    r"(?:\w+\s+){0,3}?(?:give|given|pass|passed|specify|specified|supply|supplied|provide|provided|say|said|set"
    r"|include|included|choose|chosen|pick|picked)\b"
    r"|\b(?:if|when)\b[^?.;]*?\b(?:omit|omits|omitted|leave\s+(?:it\s+)?out|left\s+out)\b"
    r"|\bwithout\s+(?:giving|passing|specifying|supplying|providing|saying|setting)\b")
_ASKS_ANOTHER_NAME = re.compile(
    r"\b(?:called|nicknamed|dubbed|known\s+as|named)$|\b(?:nicknames?|alias|aliases|moniker|(?:other|another|second|alternative|alternate|different)\s+name)\b"
    # "By what name is X also known?", "...otherwise known?"
    r"|\b(?:also|otherwise|better|commonly|alternatively)\s+(?:known|called|named|referred\s+to)\b"
    r"|^by\s+what\s+(?:name|designation|title)\b"
)


# "What is the NUG's annual budget for the program?", "Who is the president of
# the NUG?", "who's the leader of the NUG", "What is the name of the commander
# of IB 129?": the noun before
# "of"/"for" names what is asked of the thing after it.
_ATTRIBUTE = re.compile(
    r"\b(?:what|who)(?:\s+(?:is|was|are|were)|['’]s)\s+the\s+(?:name\s+of\s+the\s+)?(?:[\w'’.-]+\s+){0,3}?"
    r"([a-z][a-z-]*[a-z])(?:'s|’s)?\s+(?:of|for|in|at)\s+\w"
)


def _unit_type(word: str) -> str | None:
    """The answer type a unit noun names, in the singular or the plural
    ("countries", "cities", "years", "cases")."""
    for singular in (word, word[:-3] + "y" if word.endswith("ies") else None, word[:-1] if word.endswith("s") else None):
        if singular and singular in _UNIT_TYPES:
            return _UNIT_TYPES[singular]
    return None


def _with_looser(unit: str) -> tuple[str, ...]:
    """The kinds of answer a question naming its unit takes, best first:
    a bare number may give a count or a sum, but a day or a year asked for
    is a date ("14,000" does not say on what day), or a span of time."""
    if unit == DATE:
        return (DATE, DURATION)
    if unit in (ADDRESS, OPTION):
        return (unit,)  # a name is no link, no path, no option
    return (unit, NUMBER) if unit in _PATTERN_UNITS or unit == DURATION else (unit, NAME)


# "the dollar equivalent of the payment", "the total of...": the figure
# asked for, which a text gives without the word.
_FIGURE_WORDS = frozenset({"equivalent", "value", "amount", "total", "sum", "figure", "number"})


def _attribute(lower: str, terms: tuple[str, ...], kind: str) -> str | None:
    match = _ATTRIBUTE.search(lower)
    if not match or match.group(1) not in terms or match.group(1) in _DEFINITION_WORDS or match.group(1) in _FIGURE_WORDS:
        return None
    if stem(match.group(1)) in ANSWER_KIND_WORDS:
        return None  # "What are the names of...?" asks for names: the text need not say "names"
    # A value is named where it is given: "the population of Laukkai" by the
    # word, "the leader of the NUG" as a role. A quality is described
    # without its name: "the morale of the troops" is "demoralized", "the
    # situation of the economy" is "in shambles".
    if kind != "who" and _unit_type(match.group(1)) is None:
        return None
    return match.group(1)


_FIRST_PERSON_I = {"i", "i'm", "i've", "i'd", "i'll"}


def _names(question: str, terms: tuple[str, ...]) -> tuple[str, ...]:
    """Capitalised words past the first, acronyms and numbers: what a passage
    must mention to be about the same thing."""
    found = []
    for position, match in enumerate(re.finditer(r"[\w’'.-]+", question)):
        word = match.group().strip(".’'")
        lower = word.lower().replace("’", "'")
        if lower.endswith("'s"):
            lower = lower[:-2]
        if lower not in terms or lower in found:
            continue
        if "." in lower:
            continue  # "U.S." sets the scene more often than it names the subject
        if lower in _FIRST_PERSON_I:
            continue  # "I'm" is written with a capital by the rule for "I", not as a name
        if (position > 0 and word[:1].isupper()) or word.isupper() and len(word) > 1 or word.isdigit():
            found.append(lower)
    return tuple(found)


def _usual_use(word: str) -> str | None:
    """The part of speech of a word's commonest sense (WordNet): n, v, a, s
    or r; None for a word WordNet does not know."""
    senses = weighted_senses(word)
    return max(senses, key=lambda sense: sense.share).sense.pos if senses else None


def _which_phrase(question: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """The phrase a "which" or "what" opens: the names before its head noun,
    which describe the thing asked for ("Italian" and "Renaissance" in
    "Which famous Italian Renaissance polymath wrote...?", "Denver" in "What
    Denver player caught...?"), and the head noun ("polymath", "player")."""
    opened = _WHICH_PHRASE.search(question)
    if opened is None:
        return (), None
    found = []
    kind_of = False  # "What kind of...": the noun after "of" is the head
    words = re.findall(r"[\w’'-]+", question[opened.end():])
    # "What is the largest city...?" asks for a city too; but the names
    # after "is the" are what it is asked of ("What is the Apache License about?").
    asked_of = len(words) > 2 and words[0].lower() in _COPULAS and words[1].lower() == "the"
    if asked_of:
        words = words[2:]
    for at, word in enumerate(words[:MAX_DESCRIBING_WORDS]):
        lower = word.lower().strip("’'")
        if lower.endswith("'s") or lower.endswith("’s"):
            break  # "Which Apache's clause...": a name that owns the thing is given, not described
        if lower == "of" and kind_of:
            kind_of = False
            continue
        if lower in AUXILIARIES or lower in STOP_WORDS:
            break
        if word[:1].isupper() or word.isupper():
            if lower in names:
                found.append(lower)
            continue
        if lower in _KIND_NOUNS and not found:
            kind_of = True
            continue  # "What kind of organism...?": the kind is the organism's
        usual = _usual_use(lower)
        if usual is None:
            break
        if usual == "n":
            if asked_of and at + 1 < len(words) and _usual_use(words[at + 1].lower()) == "v":
                # "What are the analysts saying?": the noun does what is
                # asked, it is not the kind of answer.
                return (), None
            # the head noun: "player", "polymath" (not "say", a verb first;
            # not "number" or "name", which the answer's kind says already)
            return (() if asked_of else tuple(found)), (None if stem(lower) in _KIND_STEMS else lower)
        if usual in "asr":
            continue  # "famous", "other", "first", "major"
        break  # a verb: "What China say...?" asks what China did
    # No head noun: the name is what is asked for ("Which Pope sought...?")
    # after "which"; after "what", the one asked about ("What China said...").
    return (tuple(found) if opened.group(0).lower().startswith("which") and not asked_of else ()), None


_WHICH_PHRASE = re.compile(r"\b(?:[Ww]hich|[Ww]hat)\s+")
_COPULAS = frozenset("is was are were".split())
_KIND_STEMS = frozenset(stem(word) for word in ANSWER_KIND_WORDS | {"total", "count", "percent", "share", "time"})
_KIND_NOUNS = frozenset("kind kinds type types sort sorts form forms variety category class".split())
MAX_DESCRIBING_WORDS = 6


_PATTERN_UNITS = {DATE, NUMBER, PERCENT, MONEY}
# Units a date is given in ("time", "period" and "era" may be answered in words).
_CALENDAR_UNITS = frozenset("year years date dates day days month months decade decades century centuries".split())
# The unit is the thing asked, not a word describing the next ("What date
# format...?"): a verb, preposition or article follows it, or nothing.
_ENDS_A_UNIT = (r"(?:\s+(?:did|does|do|was|were|is|are|will|would|had|has|have|can|could|should|of|in|on|for|"
                r"to|the|a|an|it|its|they|their|he|his|she|her|this|that|these|those|we|i|you)\b|\s*[?,.;:]|\s*$)")
_NAMES_AN_AMOUNT = re.compile(
    r"(?:what|which)\s+(?:(?:is|was|are|were)\s+the\s+)?(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(w for w, kind in _UNIT_TYPES.items() if kind in (NUMBER, PERCENT, MONEY, DURATION))
    + r")\b(?!-)"
)
# "Who commanded...?", and the verb in a role: "Who was the commanding officer...?"
# ("Who actually took...?": the verb past an adverb.)
_ASKED_VERB = re.compile(
    r"\s*who\s+(?:(?:is|was|are|were)\s+the\s+([a-z]{3,}ing)\s+[a-z]+"
    r"|(?:(?:actually|really|first|originally|eventually|finally|then|now|later|currently|still)\s+)?([a-z]+)\b(?!\s+as\b))"
)
_ASKS_FOR_A_TIME = re.compile(r"\s*when\s+(?:did|was|were|will|had|has|have)\b")
# "when" inside a question, opening a clause of condition ("Does xargs stop
# when a command fails?", "...the 2nd part starts with a slash, is that a
# bug?"): a conjunction, not the question word. It asks a time when first,
# last ("It was set up when?"), after "since"/"until" or before an auxiliary
# ("..., and when was it adopted?").
_WHEN_AS_CONJUNCTION = re.compile(
    rf"(?<=[a-z0-9'’)] )(?<!\bsince )(?<!\buntil )(?<!\btill )(?<!\bfrom )(?<!\bby )(?<!\band )(?<!\bor )"
    rf"when(?= (?!{AUX_PATTERN}\b)[a-z0-9'’])"
)
_ASKS_FOR_A_CIRCUMSTANCE = re.compile(r"\s*when\s+(?:do|does|can|could|might|may|would|should|must)\b")
_ASKS_FOR_AN_AMOUNT = re.compile(r"\bhow\s+(?:many|much|old|far|big|large|high|tall|deep|wide|heavy|fast)\b")
# A sentence's end: a full stop, question or exclamation mark after a word
# in lower case or a digit (not "U.S.", not "Mr."), before a capital.
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)\"'”’][.!?])(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
                             r"(?<!\bNo\.)(?<!\bvs\.)(?<!\betc\.)\s+(?=[A-Z])")


def _asking_sentence(question: str) -> str:
    """Of a question written in several sentences, the first that ends
    with a question mark; else the whole."""
    sentences = _SENTENCE_BREAK.split(question)
    if len(sentences) < 2:
        return question
    asking = next((s for s in sentences if s.rstrip().endswith("?") and len(s.split()) > 1), None)
    return asking or question


# Words opening a phrase that says where a question is asked: "Under the
# GFDL, what is...?", "What is a Contribution under the Apache License?". At
# the end only these two: "in Poland" after "the largest city" is no scope.
_SCOPE_WORDS = r"under|according\s+to"
_SCOPE_AFTER = re.compile(rf"\s+(?:{_SCOPE_WORDS})\s+[^,]+$")
_OPENING_CLAUSE = re.compile(
    rf"^(?:when|where|if|once|after|before|while"
    # ("In w3m, which key...": at the start, any phrase of place or scope.)
    rf"|{_SCOPE_WORDS}|in|within|for|with|per|on|at|from|during|regarding|as\s+for)\s[^,]+,\s*(?={_WH}\b)"
)
# A question that is only a clause of condition: "when" or "if" followed by
# its subject, not by a verb ("When was it...?" asks a time), and no
# question after it ("When it rains, does the roof leak?").
_ONLY_A_CONDITION = re.compile(
    r"^(?:(?:and|but|so|or)\s+)?(?:when|if|once|whenever)\s+"
    r"(?:it|it's|it’s|its|they|they're|he|she|i|i'm|you|you're|we|the|a|an|my|your|our|their|there|this|that|these|those)\s"
    r"(?![^?]*(?:,|\b(?:what|which|who|whom|whose|where|why|how)\b))"
)
_DEFINITION_WORDS = {"stand", "stands", "mean", "means", "meant", "short", "abbreviation", "acronym", "full", "form", "name"}


# A query without a question word names what it wants by its last noun,
# often after a dash or colon: "Defector count since coup", "Min Aung Hlaing
# — age", "Deserter Program: funding source?". (kind, expects, must_hold)
_KEYWORD_HEADS = [
    (r"count|number|total|tally|figures?|how many", ("how many", (NUMBER,), "amount")),
    (r"percentage|percent|share|proportion", ("how many", (PERCENT, NUMBER), "amount")),
    (r"budget|cost|costs|funding|price|amount|sum|salary|pay", ("how much", (MONEY, NUMBER), "amount")),
    (r"age", ("how long", (DURATION, NUMBER), "amount")),
    (r"length|duration|in years|how long", ("how long", (DURATION, MEASURE, NUMBER, DATE), None)),
    (r"date|year|day|month|when|start date|start|began|timing", ("when", (DATE, DURATION), "time")),
    (r"location|place|where|town|city|country|base", ("where", (PLACE, ORGANISATION, NAME), None)),
    (r"reason|reasons|why|cause|causes|motive|motives", ("why", (REASON,), None)),
    (r"name|names|who|spokesperson|spokesman|leader|head|commander", ("who", (PERSON, ORGANISATION, NAME), None)),
]
_NOT_KEYWORDS = re.compile(
    rf"(?:{_WH}|{AUX_PATTERN}"  # ("May I charge a price for copies?" asks yes or no)
    r"|tell|give|names?|list|describe|explain|spell|quote|and|please|i|in|on|at|by|for|from)\b"
)
# The head noun ends the query, or a qualifier follows it ("count since the
# coup", "number of states granting it").
# It may open the query too: "Total incl. families?", "Date of the surrender?"
_KEYWORD_HEAD = re.compile(
    r"(?:^|(?<=[\w)’'])(?:\s*[—–:-]+\s*|\s+))(?P<head>" + "|".join(h for h, _ in _KEYWORD_HEADS) + r")"
    r"(?=\s*\??\s*$|\s+(?:since|in|of|for|per|by|at|to|under|during|after|before|incl\.?|including|with|among)(?!\w))"
)


def _keyword_query(lower: str) -> tuple[str, tuple[str, ...], str | None] | None:
    if _NOT_KEYWORDS.match(lower) or len(lower.split()) > 12:
        return None
    match = _KEYWORD_HEAD.search(lower)
    if not match:
        return None
    head = match.group("head")
    return next(value for pattern, value in _KEYWORD_HEADS if re.fullmatch(pattern, head))


_RELATIVE = re.compile(
    r"\b(?!(?:know|knows|tell|told|me|us|say|says|said|ask|asked|explain|wonder|show|remember|sure|idea|about|of)\b)"
    r"([a-z][\w'’-]*)\s+(?:who|whom|which)\b"
)


def _classify(lower: str) -> tuple[str, tuple[str, ...]]:
    # "When a plant is injured, what can become proplastids?": a clause set
    # before the question does not ask; the question word after it does.
    lower = _OPENING_CLAUSE.sub("", lower, count=1)
    lower = _WHEN_AS_CONJUNCTION.sub("if", lower)
    if _ONLY_A_CONDITION.match(lower):
        # "And when it's a URL?", "What if it's a tuple" asks the last
        # question again under another condition: no time is asked.
        return "other", (THING,)
    if _OPENS_WITH_AUXILIARY.match(lower):
        # "Is cash given to soldiers who surrender?" asks yes or no: "who"
        # after a noun opens a relative clause. After a verb of telling or
        # knowing it still asks ("Can you tell me who wrote it?").
        lower = _RELATIVE.sub(r"\1 that", lower)
    words = re.findall(r"[a-z0-9']+", lower)
    if not words:
        return "other", (THING,)
    # The wh-word may not be first: "In what year ...", "The NUG was set up when?"
    if re.search(r"\bwhat (does|do|did) (\w+\s){0,6}(stand for|mean)\b|\bstands? for\b|\bfull (name|form)\b|\babbreviat|\bwhat is meant by\b|\bspell(?:s|ed)? out\b|\bacronym\b", lower):
        return "definition", (ACRONYM, NAME, THING)
    counted = re.search(r"\bhow (many|much)\b", lower)
    lead = re.match(rf"(?:(?:and|so|but|also|then|well|ok|okay)\W+)?({_WH})\b", lower)
    if counted and lead and lead.start(1) < counted.start() and lead.group(1) not in ("what", "which"):
        # "How do I add an option that counts how many times -v is given?"
        # asks how; "Why is it hard to know how many defected?" why: a
        # count in a clause after the question word it opens with is what
        # is asked of. ("Of the 14,000 who defected, how many...?": "who"
        # opens no question there.)
        counted = None
    if counted:
        if re.search(r"\bhow much\b.*\b(money|cash|cost|paid|pay|receive|receives|get|gets|spend|spent|worth|price|fund|funding|budget|earn|salary|wage|wages|dollars?)\b|\bhow much money\b", lower):
            return "how much", (MONEY, NUMBER)
        if re.search(r"\bhow much of\b", lower):
            # "How much of the country...?" asks for a share.
            return "how much", (PERCENT, NUMBER)
        if re.search(r"\bhow many (percent|per cent)\b", lower):
            return "how many", (PERCENT, NUMBER)
        if re.search(r"\bhow much\s+(?!of\b|is\b|are\b|was\b|were\b|does\b|do\b|did\b|will\b|would\b|has\b|have\b)[a-z]+", lower):
            # "How much international backing is there?" asks for a degree, not a sum.
            return "how much", (NUMBER, PERCENT, THING)
        if "how much" in lower:
            return "how much", (MONEY, NUMBER, PERCENT)
        if re.search(r"\bhow many\s+(dollars?|euros?|pounds?|kyat|yen|yuan|rupees?)\b", lower):
            return "how many", (MONEY, NUMBER)
        # A count: "17 percent" does not say how many soldiers died.
        return "how many", (NUMBER,)
    if re.search(r"\bhow old\b", lower):
        return "how long", (DURATION, NUMBER)  # an age, not a date
    if re.search(r"\bhow long\b", lower):
        return "how long", (DURATION, MEASURE, NUMBER, DATE)  # a time, or a length
    if re.search(r"\bhow (far|big|large|high|tall|deep|wide|heavy|fast)\b", lower):
        return "how many", (MEASURE, NUMBER, PERCENT, DURATION)
    if re.search(r"\bhow often\b", lower):
        return "how many", (NUMBER, PERCENT, DURATION)
    if re.search(r"\bwhat (percent|percentage|proportion|share|fraction)\b", lower):
        return "how many", (PERCENT, NUMBER)
    first = re.search(rf"\b({_WH})\b", lower)
    lead = first.group(1) if first else None
    # "What risks do soldiers face when leaving?" asks what, not when: the
    # first question word decides.
    if lead not in (None, "when", "what", "which") or (lead in ("what", "which") and not re.search(
        r"\b(what|which|in what|by what) (year|date|day|month|decade|century|time)\b", lower)):
        pass
    elif re.search(r"\bwhen\b", lower) or re.search(r"\b(what|which|in what|by what) (year|date|day|month|decade|century|time)\b", lower):
        if _ASKS_FOR_A_CIRCUMSTANCE.match(lower):
            # "When do chloroplasts spread out flat?": "in low light", as often as a date.
            return "when", (DATE, DURATION, THING)
        return "when", (DATE, DURATION)
    if re.search(r"\bwhere\b", lower) and lead in (None, "where"):
        return "where", (PLACE, ORGANISATION, NAME)
    if re.search(r"\bwh(o|om|ose)\b", lower) and lead in (None, "who", "whom", "whose"):
        return "who", (PERSON, ORGANISATION, NAME)
    if re.search(r"\bwhy\b|\bfor what reason\b|\bwhat (is|was) the reason\b|\bwhat (caused|causes)\b", lower):
        return "why", (REASON,)
    if _ASKS_WHAT_HAPPENS.search(lower):
        # "What could happen to a soldier who quits?", "What happens if you
        # desert and get caught?", "What are the consequences of leaving?"
        return "what", (CONSEQUENCE, THING)
    # ("what armed groups", not "what the author asks": after a determiner
    # the noun is the subject of a clause, not the kind of answer.)
    match = re.search(r"\b(what|which)\s+(?:(?!(?:the|a|an|this|that|these|those|his|her|its|their|my|your|our)\b)\w+\s+)?(\w+)", lower)
    if match:
        for word in (match.group(2), *re.findall(r"\b(?:what|which)\s+(\w+)", lower)):
            unit = _unit_type(word)
            if unit:
                kind = "when" if unit == DATE else "where" if unit == PLACE else "who" if unit in (PERSON,) else "what"
                return kind, _with_looser(unit)
    # "What was the overall number of people...?", "What is the cost of...?":
    # the noun after "the" names the kind of answer.
    # So does the noun a relative clause follows: "Which was the second
    # battalion to capitulate?", "What was that army unit that surrendered?"
    # ("What is the sudo group for?" asks what it is for, not for a group.)
    head = re.match(r"(?:what|which)\s+(?:is|was|are|were)\s+(?:the|that|this)\s+(?:[\w-]+\s+){0,2}?(\w+)\s+"
                    r"(?:of|for|in|that|which|who|to)\s+\w", lower)
    unit = _UNIT_TYPES.get(head.group(1)) if head else None
    if unit in _PATTERN_UNITS:
        return "when" if unit == DATE else "how many", _with_looser(unit)
    if unit in (PERSON, ORGANISATION, PLACE):
        # "What was the second big unit in the Kokang region...?", "What is the largest city in...?"
        return {PERSON: "who", PLACE: "where"}.get(unit, "what"), _with_looser(unit)
    if re.search(r"\bhow\b", lower):
        return "how", (MANNER, THING)
    # "List the...", "Can you list...": the verb asks for a list; "an empty
    # list" in a question about one does not.
    if re.search(r"(?:^|\b(?:please|you)\s+)list\b|\b(name (the|all|some)|what are (the|some)|which are)\b", lower):
        return "list", (THING,)
    if _OPENS_WITH_AUXILIARY.match(lower) and not re.search(r"\b(what|which|who)\b", lower):
        return "yes/no", (YESNO,)
    scoped = _SCOPE_AFTER.sub("", lower)  # (the phrase saying where it is asked does not count)
    if re.search(r"\bwhat (is|are|was|were) (a |an |the )?[\w' -]+$", scoped) and len(scoped.split()) <= 6:
        return "definition", (DEFINITION, THING)
    if re.fullmatch(r"what (does|do) (a |an |the )?[\w' .-]+(?<!\bto)(?<!\bnot)(?<!n't) do\??", lower) and len(words) <= 10:
        # "What does xargs do?", "What does the Parser do?": its work is what
        # it is, as a man page's "xargs - build and execute..." says.
        return "definition", (DEFINITION, THING)
    if re.match(r"what (does|do|did|will|would|should|can|could) ", lower):
        # "What does he guarantee?" asks for what follows the verb, rarely a name.
        return "what", (THING,)
    if re.search(r"\b(what|which)\b", lower):
        return "what", (THING, NAME)
    return "other", (THING,)


def is_stop(word: str) -> bool:
    return word in STOP_WORDS
