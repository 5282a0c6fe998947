"""Typed spans found with patterns: dates, money, percents, durations,
numbers, capitalised names (people, organisations, places) and acronym
definitions. Offsets are into the text given."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .question import (
    ACRONYM,
    ADDRESS,
    DATE,
    DURATION,
    MEASURE,
    MONEY,
    NAME,
    NUMBER,
    OPTION,
    ORGANISATION,
    PERCENT,
    PERSON,
    PLACE,
)
from .words import content_terms, words

# A capital letter, accented ones too: "Ögedei Khan", "Émile Zola", "Łódź".
CAPITAL = "[A-ZÀ-ÖØ-ÞĀ-Ž]"
_MONTHS = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"dozens?|hundreds|thousands|millions|billions)"
)
# Every repeat in a number is bounded or starts where a run of digits
# starts, so that a pattern failing after it ("1,000,000,..." or "one one
# one..." with no unit) costs a few steps at each place it is tried, not a
# scan to the end of the run: at most 8 thousands groups (10**27) and 12
# number words.
_NUM = (rf"(?:\d{{1,3}}(?:,\d{{3}}){{1,8}}(?:\.\d+)?|(?<!\d)\d+(?:\.\d+)?"
        rf"|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD}){{0,11}})")
# "over 14,000" is what the text claims; "14,000" alone would overstate it.
_QUALIFIER = (
    r"(?:(?:over|about|around|nearly|almost|approximately|roughly|some|more than|less than|fewer than|at least"
    r"|at most|up to)\s+)?"
)
_SCALE = r"(?:\s+(?:million|billion|trillion|thousand|hundred))?"
# A sum's scale as news writes it after a currency sign: "$12.9bn", "£4m", "$10K".
_MONEY_SCALE = rf"(?:(?:bn|mn|m|k|tn|trn)\b|{_SCALE})"
_CURRENCY_WORDS = r"(?:dollars?|USD|US\$|euros?|EUR|pounds?|GBP|yen|yuan|rupees?|kyat|baht|francs?|marks?|cents?|pesos?)"
_DURATION_UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)"
# Units of measure: "720 feet" answers "how long is the façade", not "720".
_MEASURE_UNITS = (
    r"(?:(?:square\s+|cubic\s+|nautical\s+)?(?:kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?|centimet(?:er|re)s?|cm"
    r"|millimet(?:er|re)s?|mm|nanomet(?:er|re)s?|nm|micromet(?:er|re)s?|µm|feet|foot|ft|inch(?:es)?|yards?|acres?|hectares?)"
    r"|kilograms?|kg|grams?|tonnes?|tons?|lb|ounces?|litres?|liters?|gallons?|degrees?|°[CF]?|mph|km/h|knots"
    r"|volts?|watts?|kilowatts?|megawatts?|MW|kW|hertz|Hz|kHz|MHz|horsepower|hp|calories|bytes|megabytes|gigabytes|pixels)"
)
_ERA = r"(?-i:AD|BC|BCE|CE)"
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
# "2–3 years", "300–600 nanometers", "20 to 25": a range is one answer.
_RANGE = rf"(?:\s?[–-]\s?{_NUM}|\s+to\s+{_NUM})?"

# What a span cannot do without, where its pattern is slow (numbers,
# qualifiers, number words at every position): looked for first.
_NEEDS_MONEY = re.compile(rf"[$€£¥]|\b{_CURRENCY_WORDS}\b", re.I)
_NEEDS_PERCENT = re.compile(r"%|\bper\s?cent\b", re.I)
_NEEDS_TIME_OF_DAY = re.compile(r"\d:\d\d|\d\s?[ap]\.?m\b|o['’]clock|\bat\s+(?:noon|midnight|dawn|dusk)", re.I)
_NEEDS_DURATION = re.compile(rf"\b{_DURATION_UNITS}\b", re.I)
# (A unit follows its number: no letter stands before it, as in "after" or "program".)
_NEEDS_MEASURE = re.compile(rf"(?<![^\W\d]){_MEASURE_UNITS}(?![\w/])", re.I)


@dataclass(frozen=True)
class _Sign:
    """Words one of which a text must hold (case-blind, anywhere, even inside
    another word) for a pattern to match it, or a digit where `digit`: looked
    for as plain substrings of the text case-folded once, which costs a few
    microseconds where the patterns' own case-blind alternations, tried at
    every position, cost tens."""

    words: tuple[str, ...]
    digit: bool = False

    def held_by(self, folded: str, has_digit: bool) -> bool:
        return (self.digit and has_digit) or any(word in folded for word in self.words)


# Every number a pattern takes has a digit or one of these words in it
# ("fourteen" holds "four", "ninety" "nine").
_A_NUMBER = _Sign(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                   "thirteen", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "dozen",
                   "million", "billion"), digit=True)
_DIGIT = re.compile(r"\d")

# (kind, pattern, what a text must hold for it to match, or None, and the
# signs it must hold before that is looked for). A date may be written in
# figures ("2019-03-12", "12/03/2019"), and a season or fiscal year across two
# ("the 2022/23 season" is no number 23).
_YEAR = r"(?:1[0-9]|20)\d{2}"
_PATTERNS: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, tuple[_Sign, ...]]] = [
    (MONEY, re.compile(rf"(?:[$€£¥]\s?{_NUM}{_MONEY_SCALE}(?:\s+{_CURRENCY_WORDS}\b)?|{_NUM}{_SCALE}\s+{_CURRENCY_WORDS}\b)(?:\s+\([^)]{{1,30}}\))?", re.I), _NEEDS_MONEY,
     (_A_NUMBER, _Sign(("$", "€", "£", "¥", "dollar", "usd", "eur", "pound", "gbp", "yen", "yuan", "rupee", "kyat",
                       "baht", "franc", "mark", "cent", "peso")))),
    (PERCENT, re.compile(rf"{_QUALIFIER}{_NUM}\s?(?:%|percent\b|per cent\b)", re.I), _NEEDS_PERCENT, (_A_NUMBER, _Sign(("%", "cent")))),
    (DATE, re.compile(
        rf"\b(?:(?:early|mid|late)[-\s])?(?:{_YEAR}-[01]\d-[0-3]\d|[0-3]?\d/[0-3]?\d/(?:\d{{4}}|\d{{2}})(?![\d/])"
        rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:,?\s+\d{{4}})?"
        rf"|{_MONTHS}\s+(?:of\s+)?\d{{4}}|(?:early|mid|late)[-\s]+{_MONTHS}|\d{{4}}s|{_YEAR}(?:\s?[-–]\s?\d{{2,4}}|/(?:1[0-9]|20)?\d{{2}})?"
        rf"|{_ORDINAL}(?:\s+and\s+{_ORDINAL})?[\s-]+(?:century|centuries|millennium)(?:\s+{_ERA})?"
        rf"|\d{{1,4}}\s?{_ERA}|(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?\d{{4}}"
        rf"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
        rf"|(?:c|c\.\s?|ca\.\s?|circa\s)\d{{3,4}}(?:\s?[-–]\s?\d{{2,4}})?)\b",  # "c1600", "circa 1180": a year, roughly
        re.I,
    ), None, (_Sign(("day", "centur", "millenn", "early", "mid", "late"), digit=True),)),
    (DATE, re.compile(rf"\b{_MONTHS}(?=[\s,.])"), None,
     (_Sign(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),)),
    # A time of day: "8:10 p.m.", "at 1 a.m.", "eight o'clock", "noon".
    (DATE, re.compile(
        rf"\b(?:\d{{1,2}}(?::\d{{2}})?\s?(?:[ap]\.m\.|[ap]m\b)|\d{{1,2}}:\d{{2}}\b|(?:{_NUMBER_WORD}|\d{{1,2}})\s+o['’]clock\b"
        r"|(?<=at )(?:noon|midnight|dawn|dusk)\b)",
        re.I,
    ), _NEEDS_TIME_OF_DAY, (_Sign(("clock", "noon", "midnight", "dawn", "dusk"), digit=True),)),
    (DURATION, re.compile(rf"\b{_QUALIFIER}{_NUM}{_RANGE}(?:\s+|-){_DURATION_UNITS}\b", re.I), _NEEDS_DURATION,
     (_A_NUMBER, _Sign(("second", "minute", "hour", "day", "week", "month", "year", "decade", "centur")))),
    (MEASURE, re.compile(rf"(?<![\w$€£¥]){_QUALIFIER}{_NUM}{_SCALE}{_RANGE}(?:\s?|-){_MEASURE_UNITS}(?![\w/])", re.I), _NEEDS_MEASURE, (_A_NUMBER,)),
    # "in liberated areas", "near the border": a place without a proper name.
    (PLACE, re.compile(
        r"\b(?:in|at|near|across|throughout|inside|outside|along)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}"
        r"(?:areas?|regions?|zones?|territor(?:y|ies)|camps?|border|borders|countryside|capital|cities|city|towns?|"
        r"villages?|provinces?|states?|districts?|frontier|jungle|mountains|hills|coast|islands?)\b"
    ), None, ()),
    (NAME, _NAME := re.compile(
        # A number joins a name only straight after a word of it ("Super Bowl
        # 50", "Patent 1,655,114"), never after "and" ("British and 650 European");
        # a version whole ("Python 3.11", "Debian 1.1 Buzz", not "Python 3").
        rf"(?:{CAPITAL}[\w'’.-]*)(?:\s+(?:(?:of|the|and|de|da|van|von|der|al|bin|for|on)\s+)*(?:{CAPITAL}[\w'’.-]*|\(?[A-Z]{{2,}}\)?)|\s+\d{{1,3}}(?:,\d{{3}})+\b|\s+\d+(?:\.\d+)*\b)*"
    ), None, ()),
    (NUMBER, re.compile(rf"(?<![\w$€£¥]){_QUALIFIER}{_NUM}{_SCALE}{_RANGE}\b", re.I), None, (_A_NUMBER,)),
    # A count of none: "No nation has recognized it" answers "how many countries".
    (NUMBER, re.compile(r"\b[Nn]o\s+[a-z]+(?=\s+(?:has|have|had|is|was|were|are|will|would|can|could|did|does)\b)"), None, (_Sign(("no",)),)),
]


_ORG_WORDS = re.compile(
    r"\b(?:Army|Alliance|Government|Party|Council|Company|University|College|Department|Committee|Force|Forces|League|"
    r"Association|Organi[sz]ation|Organi[sz]ations|Bank|Corporation|Inc|Ltd|Institute|Agency|Ministry|Union|Front|Movement|"
    r"Regiment|Battalion|Brigade|Group|Society|Church|Museum|Network|Office|Commission|Court|Assembly|Parliament|Congress|"
    r"Foundation|Federation|Club|Team|Board|Service|Services|School|Academy|Times|News|Post|Press|DVB|BBC|NUG|UN|EU)\b"
)
_PLACE_WORDS = re.compile(
    r"\b(?:State|City|Province|Region|Zone|River|County|District|Island|Islands|Mountains?|Lake|Sea|Ocean|Valley|Street|"
    r"Road|Square|Park|Bay|Coast|Border|Kingdom|Republic|Township|Village|Peninsula|Desert|Territory)\b"
)
# Words that are capitalised only because a sentence or title starts with them.
_NOT_NAMES = frozenset(
    """The A An In On At For From By With Of To And But Or If As It Its This That These Those There Their They
    He She His Her We Our I You Your My When Where Why How What Which Who While After Before During Despite
    Under Many Some Most Each Every All Both Other Such Recent Also However Although Though Since Until Because
    Along Among Between Through Into Over Than Then Here Now One Two Three Four Five Six Seven Eight Nine Ten
    Nor Not No Yes Together Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday""".split()
)
# (The spelled-out words start at a word's start: tried inside "AAAA..." at
# every capital, each try ran to the word's end.)
_ACRONYM_DEF = re.compile(rf"(?<![\w'’-])((?:{CAPITAL}[\w'’-]*\s+(?:(?:of|the|and|for|on|in|de)\s+)*){{1,8}})\(([A-Z][A-Za-z&.-]{{1,10}})\)")
_PLACE_PREP = re.compile(r"\b(?:in|at|near|from|to|into|across|throughout|outside|inside|around|towards?)\s+(?:the\s+)?$")


# Amounts in words that no number pattern takes: "around half", "several".
_VAGUE_AMOUNT = re.compile(r"\b(?:several|half|quarter|dozen|twice|thrice|few|couple)\b", re.I)
_AMOUNT_KINDS = frozenset({NUMBER, MONEY, PERCENT, MEASURE, DURATION})


# A number that follows a name inside a sentence is part of the name:
# "Operation 1027", "Infantry Battalion (IB) 129", "Super Bowl 50".
_NAME_BEFORE = re.compile(rf"(?<=[\w,;:’'\)] ){CAPITAL}[\w’'.-]*\)? $|(?<=[\w,;:’'\)] )\([A-Z]{{2,}}\) $")


def names_a_thing(text: str, entity: Entity) -> bool:
    """Whether a number is part of a name ("Operation 1027"), not an amount."""
    return (entity.kind == NUMBER and text[entity.start : entity.start + 1].isdigit()  # "the Scots three times" counts
            and _NAME_BEFORE.search(text, max(0, entity.start - 40), entity.start) is not None)


def holds_a_quantity(text: str, start: int, end: int, asked: str = "") -> bool:
    """Whether text[start:end] gives any amount, in figures or words, other
    than the years, the numbers of names ("Operation 1027") and the numbers
    the question `asked` itself names ("How many of the 14,000 defectors...")."""
    asked_digits = set(re.findall(r"\d+", asked.replace(",", "")))
    for entity in find_entities(text, start, end):
        if entity.kind in _AMOUNT_KINDS and not names_a_thing(text, entity):
            digits = re.findall(r"\d+", entity.of(text).replace(",", ""))
            if not digits or not set(digits) <= asked_digits:
                return True
    return _VAGUE_AMOUNT.search(text, start, end) is not None


# A year in figures ("the 1906 season", "by 2100", "the 1990s") or a century
# ("the early nineteenth century", "the 5th century"), which the entity
# patterns may read as a plain number or not at all.
_ORDINAL_WORDS = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
                  "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first")
_YEAR_OR_CENTURY = re.compile(
    rf"(?<![\d.,])[12]\d{{3}}(?:s|['’]s)?(?![\d.,]\d)|\b(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_WORDS})[\s-]+century\b",
    re.IGNORECASE)


def holds_a_date(text: str, start: int, end: int, asked: str = "") -> bool:
    """Whether text[start:end] gives a date, a year or a century other than
    the numbers the question `asked` itself names ("When did Operation 1027
    end?" is not answered by "Operation 1027")."""
    asked_digits = set(re.findall(r"\d+", asked))
    return any(not set(re.findall(r"\d+", found.group())) & asked_digits
               for found in _YEAR_OR_CENTURY.finditer(text, start, end)) \
        or any(entity.kind == DATE and not set(re.findall(r"\d+", entity.of(text))) & asked_digits
               for entity in find_entities(text, start, end))


@dataclass(frozen=True)
class Entity:
    kind: str
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]


def in_quotation_marks(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between quotation marks (“People’s
    Embrace”, "Deserter Program")."""
    return text[start - 1 : start] in ("“", '"') and text[end : end + 1] in ("”", '"')


def find_entities(text: str, start: int = 0, end: int | None = None) -> list[Entity]:
    """Every typed span of text[start:end], longest first where they overlap."""
    end = len(text) if end is None else end
    # Patterns look at most 30 characters before a span (the place
    # prepositions); the same sentence found again costs nothing.
    margin = max(0, start - 30)
    return [
        Entity(e.kind, e.start + margin, e.end + margin)
        for e in _entities_of(text[margin:end], start - margin)
    ]


NAME_KINDS = frozenset({NAME, PERSON, ORGANISATION, PLACE})
# A link, an e-mail address, a domain name, a file path: one thing, with no name or number
# of its own inside ("$W3M_DIR/config" names no "W3M_DIR"; the "2.0" of
# "http://mozilla.org/MPL/2.0/" counts nothing).
# (Each starts where no word character stands before it, and a scheme or an
# address's name is bounded: tried from inside a long word, they went
# through the rest of it each time.)
_DOMAINS = ("com", "org", "net", "edu", "gov", "io", "info")
LINK_OR_PATH = re.compile(r"(?<![\w+.-])[A-Za-z][\w+.-]{0,15}://[^\s<>\"“”]*[^\s<>\"“”.,;:!?)\]]"
                          r"|(?<![\w.+-])[\w.+-]{1,64}@\w[\w-]*(?:\.[\w-]+)+"
                          r"|(?<![\w.@/-])(?:[A-Za-z0-9-]{1,63}\.){1,4}(?:" + "|".join(_DOMAINS) + r")(?![\w-])"
                          r"(?:/[^\s<>\"“”]*[^\s<>\"“”.,;:!?)\]])?"
                          r"|(?<![\w/])(?:~|\$\w+|\.{1,2})?(?:/[A-Za-z0-9_.+@-]*[A-Za-z0-9_+@-])+/?(?![^\W\d_])"
                          # Windows writes its paths with backslashes, from a drive, a
                          # variable or a server: "C:\ProgramData\pip\pip.ini",
                          # "%LocalAppData%\pip\Cache", "\\server\share" (a space only inside the path:
                          # "C:\Program Files\Python", not "C:\Temp and then").
                          r"|(?<![\w%\\])(?:[A-Za-z]:|%\w{1,64}%|\\\\\w[\w.-]*)(?:\\[\w.+@ -]*[\w+@-](?=\\))*\\[\w.+@-]*[\w+@-]\\?(?![^\W\d_])",
                          re.ASCII)
# A command's option, as manuals write it: "-t", "--null", "--max-procs=max-procs".
COMMAND_OPTION = re.compile(r"(?<![^\s(\[,;“\"'])--?[A-Za-z][A-Za-z0-9-]*(?:=[^\s,;)\]]+)?(?<!-)")
# Each pattern is tried only on a text holding one of its signs.
_SIGNED_PATTERNS = ((ADDRESS, LINK_OR_PATH, ("/", "@", "\\") + tuple("." + domain for domain in _DOMAINS)),
                    (OPTION, COMMAND_OPTION, ("-",)))
_OPENING_MARKS = r"[\s•*“\"‘'(\-–—]*"  # what may stand before a clause's first word
_SENTENCE_OPENING = re.compile(_OPENING_MARKS)
# Where a unit's text opens again inside it: after an entry's term and its
# colon ("lpadmin: Allows a user..."), at a line's start, or after a full
# stop closing a lower-case word ("...monitoring tasks. Members of this
# group..."), not an abbreviation's ("the U.S. Army"). A colon further on
# introduces what follows, names included ("...of East Asia: China, Japan").
_OPENING_INSIDE = re.compile(r"(?:(:)|[;!?]|(?<![^\W\d_])[a-z]{2,}[.]|\n)" + _OPENING_MARKS + r"\Z")
ENTRY_TERM_WORDS = 3  # the most words an entry's term before its colon has


def _opens_a_clause(text: str, start: int, at: int) -> bool:
    """Whether the word at `at` opens the unit starting at `start`, or a
    clause or line inside it: where any word is written capitalised."""
    if _SENTENCE_OPENING.fullmatch(text, start, at) is not None:
        return True
    before = max(start, at - 40)
    opening = _OPENING_INSIDE.search(text, before, at)
    if opening is None:
        return False
    return opening.group(1) is None or len(text[start : opening.start()].split()) <= ENTRY_TERM_WORDS


def capitalised_by_position(text: str, start: int, entity: Entity) -> bool:
    """Whether a one-word name is only capitalised because it opens the
    sentence ("Military and police personnel who..."): the text writes the
    same word in lower case elsewhere. "Kenya" never is."""
    if entity.kind not in NAME_KINDS or not _opens_a_clause(text, start, entity.start):
        return False
    word = text[entity.start : entity.end]
    if not word.isalpha() or not word[0].isupper() or not word[1:].islower():
        return False
    # The text around the sentence is enough to tell, and a long book costs
    # no more than a short article.
    return _written_as_a_word(text, word.lower(), max(0, start - LOWER_CASE_WINDOW), start + LOWER_CASE_WINDOW)


def _written_as_a_word(text: str, word: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` writes `word` as a word of its own, not
    inside another or a compound. (str.find: a pattern with look-arounds
    took a quarter of a millisecond over the window.)"""
    end = min(end, len(text))
    at = text.find(word, start, end)
    while at >= 0:
        after = at + len(word)
        if not (at > 0 and _joins(text[at - 1])) and not (after < end and _joins(text[after])):
            return True
        at = text.find(word, at + 1, end)
    return False


def _joins(character: str) -> bool:
    """A character that joins what stands beside it into one word."""
    return character.isalnum() or character in "_’'-"


LOWER_CASE_WINDOW = 10_000  # characters each side of the sentence


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether a number stands in brackets joined to the word before it, as
    manuals name a page of a section ("df(1)", "update-alternatives(8)")."""
    return (start >= 2 and text[start - 1] == "(" and text[start - 2].isalnum()
            and text[end : end + 1] == ")")


@lru_cache(maxsize=50_000)
def _entities_of(text: str, start: int) -> tuple[Entity, ...]:
    return tuple(_find_entities(text, start, len(text)))


_OWNER = re.compile(r"[’']s\s")  # a possessive inside a run of capitalised words


def _find_entities(text: str, start: int, end: int) -> list[Entity]:
    found: list[Entity] = []
    # Characters already in a span, marked: a list of the spans taken, looked
    # through for each new one, was quadratic in a text of thousands of them.
    taken = bytearray(len(text))

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def take(kind: str, a: int, b: int) -> None:
        found.append(Entity(kind, a, b))
        taken[a:b] = b"\x01" * (b - a)

    for kind, pattern, signs in _SIGNED_PATTERNS:
        if any(text.find(sign, start, end) >= 0 for sign in signs):
            for match in pattern.finditer(text, start, end):
                if free(*match.span()):
                    take(kind, *match.span())

    folded = text[start:end].casefold()
    has_digit = _DIGIT.search(text, start, end) is not None
    for kind, pattern, need, signs in _PATTERNS:
        if not all(sign.held_by(folded, has_digit) for sign in signs):
            continue
        if need is not None and not need.search(text, start, end):
            continue  # no currency, "%", clock or time unit: the costly pattern cannot match
        for match in pattern.finditer(text, start, end):
            if kind == NAME:
                if match.group() in _NOT_NAMES:
                    continue  # "The", "In": a sentence's first word, alone (what _trim_name would leave of it)
                # "Brotherhood Alliance’s Operation 1027" is two names; the
                # quoted “People’s Embrace” is one.
                quoted = in_quotation_marks(text, match.start(), match.end())
                owner = None if quoted else _OWNER.search(text, match.start(), match.end())
                b = owner.start() if owner else match.end()
                a, b = _trim_name(text, match.start(), b)
                kind_here = name_kind(text, a, b, start) if b > a else None
            else:
                (a, b), kind_here = _trim(text, *match.span()), kind
                if kind == DATE and _is_name_number(text, a, b):
                    continue
                if kind == NUMBER and text[a:b] == "One" and (a == start or text[max(start, a - 2) : a].strip() in "“\"("):
                    continue  # "One strategy deserving attention..." counts nothing
                if kind == NUMBER and _in_a_name(text, a, b):
                    continue  # "df(1)", "printf(3)": a manual's section, part of the name
            if kind_here and b > a and free(a, b):
                take(kind_here, a, b)
    defined = set()
    for match in _ACRONYM_DEF.finditer(text, start, end):
        a, b = _trim_name(text, match.start(1), match.end(1))
        a = _spelled_out_start(text, a, b, match.group(2))
        if b > a:
            found.append(Entity(ACRONYM, a, b))
            defined.add(match.start(2))
    for match in _BRACKETED_ACRONYM.finditer(text, start, end):
        if match.start(1) not in defined:
            # "alternating current (AC)", "chloroplast DNA (cpDNA)": words
            # in lower case, found by the letters of the acronym.
            long_form = _long_form(text, max(start, match.start() - 120), match.start(), match.group(1))
            if long_form is not None:
                found.append(Entity(ACRONYM, *long_form))
    return sorted(found, key=lambda e: (e.start, -(e.end - e.start)))


_BRACKETED_ACRONYM = re.compile(r"\s\(([A-Za-z][A-Za-z&.-]{0,9}[A-Z][A-Za-z&.-]{0,9})\)")


def _long_form(text: str, a: int, b: int, acronym: str) -> tuple[int, int] | None:
    """Where the words an acronym stands for begin and end, within text[a:b]
    (the text before its bracket): the shortest run of words, ending at b,
    that holds the acronym's letters in order, the first letter starting a
    word. Schwartz & Hearst's rule (PSB 2003)."""
    letters = [c.lower() for c in acronym if c.isalnum()]
    words = list(re.finditer(r"[\w'’-]+", text[a:b]))[-min(len(letters) + 5, 2 * len(letters)):]
    if len(letters) < 2 or not words:
        return None
    first = a + words[0].start()
    end = a + words[-1].end()
    low = text[first:end].lower()
    i = len(low) - 1
    for position, letter in reversed(list(enumerate(letters))):
        # The first letter must start a word; the others may be anywhere.
        while i >= 0 and (low[i] != letter or (position == 0 and i > 0 and low[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    begin = first + i + 1
    if len(text[begin:end].split()) > len(letters) + 2 or text[begin:end] == acronym:
        return None
    return begin, end


def acronym_definitions(text: str, initials: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The acronyms the text defines whose letters are among `initials`
    (lower case, as the initials of runs of a question's words), with the
    words each stands for: "National Unity Government (NUG)" -> ("nug",
    ("national", "unity", "government")). Only brackets holding those
    letters are looked at, so a long text costs one scan."""
    wanted = [m for m in ACRONYM_IN_BRACKETS.finditer(text)
              if m.group(1).lower() in initials or m.group(1).lower().removesuffix("s") in initials]
    found = []
    for match in wanted:
        acronym = match.group(1)
        where = _long_form(text, max(0, match.start() - 150), match.start(), acronym)
        if where is None:
            continue
        spelled = tuple(content_terms(text[where[0] : where[1]]))
        if len(spelled) >= 2:
            found.append((words(acronym)[0], spelled))
    return tuple(dict.fromkeys(found))


def spelled_out(acronym: str, text: str) -> tuple[str, ...] | None:
    """The words of a run of capitalised words in `text` whose initials are
    the acronym's letters ("AGPL" -> "Affero General Public License"), for
    an acronym a question writes that the documents never do; None when
    the text has no such run. Each letter takes one word of three letters or
    more: "AGPL" is not read into "A Go Plan Later"."""
    letters = acronym.upper()
    if not (2 <= len(letters) <= 6 and letters.isalpha()):
        return None
    run = r"\s+".join(rf"{letter}[a-z]{{2,20}}" for letter in letters)
    match = re.search(rf"(?<![\w-]){run}(?![\w-])", text)
    return tuple(match.group().lower().split()) if match else None


# Acronyms are written with a capital first: "(NUG)", "(IDPs)".
# (Looked for from the bracket: a pattern opening on white space is tried
# at every space of a long text.)
ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Za-z&.-]{1,10})\)")


def _spelled_out_start(text: str, a: int, b: int, acronym: str) -> int:
    """Where the words an acronym stands for begin: as many capitalised words
    back from the bracket as the acronym has capitals ("the NUG and Ethnic
    Resistance Organizations (EROs)" -> "Ethnic Resistance Organizations")."""
    letters = [c for c in acronym if c.isupper()]
    words = list(re.finditer(r"[\w'’-]+", text[a:b]))
    capitalised = [w for w in words if w.group()[:1].isupper()]
    if len(capitalised) <= len(letters):
        return a
    first = capitalised[-len(letters)]
    initials = "".join(w.group()[0] for w in capitalised[-len(letters):])
    return a + first.start() if initials.upper() == "".join(letters) else a


def _is_name_number(text: str, a: int, b: int) -> bool:
    """A bare number after a capitalised word names a thing ("Operation 1027",
    "Boeing 747"), it is not a year."""
    if not text[a:b].isdigit():
        return False
    before = text[max(0, a - 30) : a].split()
    return bool(before) and before[-1][:1].isupper() and before[-1].isalpha() and before[-1] not in _NOT_NAMES \
        and not _AMOUNT_OPENING.fullmatch(before[-1]) \
        and not _MONTH_WORD.fullmatch(before[-1])


_MONTH_WORD = re.compile(_MONTHS, re.I)


def acronym_of(text: str, entity: Entity) -> str | None:
    """The acronym an ACRONYM entity spells out: "National Unity Government
    (NUG)" -> "NUG"."""
    match = re.match(r"\s*\(([A-Za-z][A-Za-z&.-]{1,10})\)", text[entity.end : entity.end + 16])
    return match.group(1) if match else None


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1] in " ,.;:":
        if text[b - 1] == "." and _ends_in_initials(text, a, b):
            break  # "the U.S." keeps its last full stop
        b -= 1
    while a < b and text[a] in " ,(":
        a += 1
    return a, b


def _ends_in_initials(text: str, a: int, b: int) -> bool:
    r"""Whether text[a:b] ends in dotted capitals ("U.S.") that open it or
    follow a space or a bracket: what r"(?:^|[\s(])(?:[A-Z]\.)+$" finds, read
    back from the end (searched from the start, it was tried once for each
    full stop trimmed, quadratic in a name ending in a run of them)."""
    while b - 2 >= a and text[b - 1] == "." and "A" <= text[b - 2] <= "Z":
        b -= 2
        if b == a or text[b - 1].isspace() or text[b - 1] == "(":
            return True
    return False


_CONNECTORS = frozenset({"of", "the", "and", "de", "for", "on", "al", "bin", "van", "von"})
_AMOUNT_OPENING = re.compile(
    rf"(?:{_NUMBER_WORD}(?:-[a-z]+)*|More|Less|Fewer|Nearly|Almost|About|Around|Approximately|Roughly|Only|Just"
    r"|Half|Several|Few|Dozens)", re.I)


def _trim_name(text: str, a: int, b: int) -> tuple[int, int]:
    a, b = _trim(text, a, b)
    words = text[a:b].split()
    # A gerund opening a sentence ("Leaving the military is...") is no name.
    if words and words[0].endswith("ing") and len(words) == 1:
        return a, a
    # Drop leading sentence-start words ("The", "In") and trailing connectors.
    # ("Six-time Grammy winner...", "More than 1 million people...": an
    # amount opens the sentence, not a name.)
    first = 0  # (counted, not sliced off one by one: a name of thousands of "The")
    while first < len(words) and (words[first] in _NOT_NAMES or words[first].isdigit()
                                  or _AMOUNT_OPENING.fullmatch(words[first]) or words[first] in _CONNECTORS):
        a = text.index(words[first], a) + len(words[first])
        first += 1
        while a < b and text[a] == " ":
            a += 1
    words = words[first:]
    while words and words[-1] in _CONNECTORS:
        b = text.rindex(words[-1], a, b)
        words = words[:-1]
        while b > a and text[b - 1] == " ":
            b -= 1
    if text[a:b].endswith("’s") or text[a:b].endswith("'s"):
        b -= 2
    if text[a:b].startswith("(") and text[a:b].endswith(")"):
        a, b = a + 1, b - 1
    return a, b


_ACRONYM_LETTERS = 6  # at most: "UNESCO" is an acronym, "PYTHONPATH" a variable

def name_kind(text: str, a: int, b: int, sentence_start: int) -> str | None:
    name = text[a:b]
    if not name or not name[0].isupper() or name.isdigit():
        return None
    words = name.split()
    if "_" in name or any(w.isupper() and sum(c.isalpha() for c in w) > _ACRONYM_LETTERS for w in words):
        # "BASH_COMMAND", "LC_ALL", "Set PYTHONPATH": a name in code (a
        # variable, a constant), or a word in capitals longer than an
        # acronym: no one's name, nor a body's or a place's.
        return None
    if _ORG_WORDS.search(name):
        return ORGANISATION
    if _PLACE_WORDS.search(name) or _PLACE_PREP.search(text[max(sentence_start, a - 30) : a]):
        return PLACE  # "living in the U.S."
    if name.isupper() and 2 <= len(name) <= _ACRONYM_LETTERS:
        return ORGANISATION
    if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words) and not name.isupper():
        return PERSON  # (not "NO WARRANTY", a heading in capitals)
    return NAME


def entity_matches(kind: str, wanted: str) -> bool:
    """Whether an entity of `kind` can answer a question expecting `wanted`."""
    if kind == wanted:
        return True
    loose = {
        NAME: {PERSON, ORGANISATION, PLACE, ACRONYM},
        PERSON: {NAME},
        ORGANISATION: {NAME, ACRONYM},
        PLACE: {NAME, ADDRESS},  # "Where is the config file?": at "~/.w3m/config"
        NUMBER: {DURATION, MEASURE},  # a count; a sum of money or a percent is not one
        MEASURE: {NUMBER},
        MONEY: {NUMBER},
        PERCENT: set(),
        DATE: set(),
        DURATION: set(),
        ACRONYM: set(),  # only a spelled-out form answers "what does X stand for"
    }
    return kind in loose.get(wanted, set())
