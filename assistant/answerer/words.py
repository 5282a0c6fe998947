"""Word-level normalisation for matching a question to a sentence: light
stemming, a small table of synonyms, and tolerance for typos in rare words."""

from __future__ import annotations

import re
from functools import lru_cache

from ..index import STOP_WORDS

QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how many much long old does do did
    is are was were according name kind type sort whats
    tell know would please according roughly approximately
    alongside along besides apart aside toward towards via amid amongst upon within
    curious wondering wonder understand correctly opinion exactly really
    incl excl approx etc counting including""".split()
)

# Words a reader uses for what the text says otherwise. Small on purpose: each
# line is a group whose members count as the same word.
_SYNONYM_GROUPS = [
    "spokesman spokesperson spokeswoman spokespeople representative speak speaks",
    "kill killed die died dead death deaths killing",
    "soldier soldiers troop troops servicemen personnel",
    "begin began begun start started launch launched initiate initiated establish established found founded create created set",
    "end ended stop stopped finish finished",
    "defect defected defection defections defector defectors desert deserted deserter deserters",
    "surrender surrendered capitulate capitulated",
    "pay paid receive receives received payment money cash give gives given provide provides provided offer offers offered",
    "help assist assistance aid support supports supported",
    "hurt hurts hurting harm harms harming injure injures injured",
    "country nation",
    "military army armed",
    "coup takeover seize seized overthrow overthrew overthrown oust ousted ousting",
    "propose proposed suggest suggested recommend recommended",
    "write wrote written author",
    "big large",
    "buy bought purchase purchased",
    "leader head chief",
    "live lives living lived reside resides",
    "people persons",
    "job work occupation profession",
    "begin beginning start",
    "car automobile vehicle",
    "famous known renowned",
    "city town",
    "ask request requested asks",
    # "What does the writer want the U.S. to do?": "I request that the U.S...", "I urge the U.N..."
    "want wants wanted request requests requested urge urges urged",
    "urge urged call",
    "get gets got obtain obtains obtained earn earns earned receive receives received",
    "stay stays stayed remain remains remained",
    "quit quits leave leaves left resign resigned abandon abandoned",
    "say says said state states stated describe describes described claim claims claimed assert asserts portray portrays portrayed depict depicts depicted characterize characterizes characterized characterise characterises characterised",
    "run runs ran manage manages managed operate operates operated administer administers",
    "guarantee guarantees guaranteed promise promises promised vow vows vowed pledge pledged",
    "hold holds held keep keeps kept custody",
    "custody care",  # "Who took custody of them?": "placed under the care of"
    "demand demands demanded request",
    "reason reasons cause causes caused",
    "enough sufficient adequate",
    "total overall altogether",
    "scheme schemes program programs programme programmes plan initiative",
    "junta regime generals",
    "frontier frontiers border borders",
    "benefit benefits advantage advantages",
    "dollar dollars usd",
    "expert experts analyst analysts specialist specialists observer observers",
    "offensive offensives operation",
    "incentive incentives inducement inducements",
    "dialogue talks negotiation negotiations negotiate",
    "cheap cheaper cheapest cost-effective inexpensive",
    "see sees seeing saw seen witness witnesses witnessing witnessed observe observes observed",
    "relative relatives family families dependent dependents dependant dependants kin",
    "likely unlikely probable",
    "danger dangerous dangers risk risks risky perilous hazard hazards hazardous",
    "want wants wanted wish wishes wished desire desires",
    # Asking for another name ("What is its nickname?") finds where the text gives one ("known as").
    "nickname nicknames nicknamed alias aliases moniker dubbed called known",
    "effective effectiveness efficacy efficacious efficient efficiency",
    "obligation obligations responsibility responsibilities duty duties",
    "popular public",
    "interlocutor interlocutors partner partners counterpart counterparts",
    "expenditure expenditures spending",
    "base based headquartered station stationed locate located",
    "contribute contributes contributed contribution contributions donate donates donated donation donations",
    "maintain maintains maintained sustain sustains sustained preserve preserves preserved keep keeps kept",
    # Months as news text abbreviates them ("Nov. 14").
    "jan january", "feb february", "mar march", "apr april", "aug august", "sep sept september",
    "oct october", "nov november", "dec december",
]

# Words that name the kind of answer wanted ("What percentage...", "In what
# year...", "What is it called?"): the answering sentence shows the answer,
# not the word, and their synonyms ("call" ~ "urge") are beside the point.
ANSWER_KIND_WORDS = frozenset(
    """percentage proportion fraction number amount year years date day month kind type sort name
    called""".split()
)

# Words that carry little of a question's meaning ("When did the coup
# happen?"): matched like any word, but weighed lightly.
LIGHT_WORDS = frozenset(
    """happen happens happened occur occurs occurred take takes took taken place make makes made do does did
    go goes went come comes came become becomes became get gets got have has had be been being
    still currently now ever actually exactly face faces faced include includes included
    look looks seem seems appear appears like try tries tried trying attempt attempts attempted""".split()
) | ANSWER_KIND_WORDS

# The auxiliary verbs: a question opening with one asks yes or no; after
# "and" in a phrase one begins a second clause ("...adding pressure and could
# become...").
AUXILIARIES = frozenset("is are was were do does did can could will would has have had should shall may might must".split())

# Places in a sequence: "Was it the first...?" is answered by "the second...".
ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth last".split())

# Irregular forms a suffix stemmer cannot join to their base.
_IRREGULAR = {
    "led": "lead", "won": "win", "began": "begin", "begun": "begin", "took": "take", "taken": "take",
    "made": "make", "paid": "pay", "said": "say", "held": "hold", "gave": "give", "given": "give",
    "got": "get", "gotten": "get", "went": "go", "gone": "go", "came": "come", "became": "become",
    "fought": "fight", "bought": "buy", "sold": "sell", "built": "build", "sent": "send", "spent": "spend",
    "left": "leave", "lost": "lose", "met": "meet", "told": "tell", "thought": "think", "brought": "bring",
    "wrote": "write", "written": "write", "knew": "know", "known": "know", "grew": "grow", "grown": "grow",
    "chose": "choose", "chosen": "choose", "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall",
    "drove": "drive", "driven": "drive", "ran": "run", "saw": "see", "seen": "see", "stood": "stand",
    "struck": "strike", "taught": "teach", "caught": "catch", "kept": "keep", "felt": "feel", "meant": "mean",
    "fled": "flee", "shot": "shoot", "spoke": "speak", "spoken": "speak", "broke": "break", "broken": "break",
    "forgot": "forget", "forgotten": "forget", "hid": "hide", "hidden": "hide", "sought": "seek",
    "children": "child", "men": "man", "women": "woman", "people": "person", "died": "die", "dying": "die",
    "lay": "lie", "laid": "lay", "wore": "wear", "worn": "wear", "drew": "draw", "drawn": "draw",
    "flew": "fly", "flown": "fly", "threw": "throw", "thrown": "throw", "ate": "eat", "eaten": "eat",
}
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in _SYNONYM_GROUPS:
    _members = _group.split()
    for _word in _members:
        SYNONYMS[_word] = SYNONYMS.get(_word, frozenset()) | frozenset(_members)

# "U.S." is one word, and the same word as "United States".
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[-'’]\w+)*")
_ROUGHLY = re.compile(r"(\d)-(?:odd|plus|some|ish)\b", re.IGNORECASE)
_SPELLED_OUT = {
    "united states": "u.s", "united nations": "u.n", "european union": "e.u", "united kingdom": "u.k",
}
_UNDOTTED = {dotted.replace(".", "").upper(): dotted for dotted in _SPELLED_OUT.values()}  # "UN" -> "u.n"
_SPELLED_OUT_PATTERN = re.compile(r"\b(" + "|".join(_SPELLED_OUT) + r")\b", re.I)


# Phrasal verbs, and a few set phrases ("the rest of the world"), and the
# one word a text may use instead ("gave themselves up" / "surrendered").
# Every form of the first word counts; a reflexive or "it" may stand between
# it and the rest.
_PHRASAL_VERBS = {
    ("give gives gave given giving", "up"): "surrender",
    ("lay lays laid laying", "down arms|down weapons|down their arms|down their weapons|down its arms"): "surrender",
    ("set sets setting", "up"): "establish",
    ("keep keeps kept keeping", "up"): "sustain",
    ("carry carries carried carrying", "out"): "conduct",
    ("take takes took taken taking", "over"): "seize",
    ("step steps stepped stepping", "down"): "resign",
    ("find finds found finding", "out"): "discover",
    ("put puts putting", "forward"): "propose",
    ("bring brings brought bringing", "down"): "topple",
    ("turn turns turned turning", "down"): "reject",
    ("walk walks walked walking", "away"): "leave",
    # "the rest of the world", "other countries": the international community
    ("rest", "of the world"): "international",
    ("other", "countries|nations|governments"): "international",
    ("chip chips chipped chipping pitch pitches pitched pitching", "in"): "contribute",
    ("come comes came coming", "over"): "defect",
    ("switch switches switched switching change changes changed changing", "sides|side"): "defect",
    ("hand hands handed handing", "over"): "transfer",
    ("call calls called calling", "off"): "cancel",
    ("go goes went gone going", "up"): "grow",
    # "Who took them in?", "Who is looking after them?": "placed under the care of".
    ("look looks looked looking", "after"): "care",
    ("take takes took taken taking", "in|charge of|care of"): "care",
    # "When did the military take power?": the text says it staged a coup.
    ("take takes took taken taking seize seizes seized seizing grab grabs grabbed", "power"): "seize",
    ("come comes came coming", "to power"): "seize",
}
_BETWEEN = r"\s+(?:(?:themselves|itself|himself|herself|it|them)\s+)?"


def _phrasal_pattern(verbs: str, particle: str) -> str:
    return "(?:" + "|".join(verbs.split()) + ")" + _BETWEEN + "(?:" + particle.replace(" ", r"\s+") + ")"


_PHRASAL_WORDS = list(_PHRASAL_VERBS.values())
# The last word of each phrase: a text without any of them has no phrasal verb.
_PARTICLE = re.compile(
    r"\s(?:" + "|".join(sorted({p.split()[-1] for _, ps in _PHRASAL_VERBS for p in ps.split("|")})) + r")\b", re.I
)

# And the first: the phrases' pattern is slow to try on every sentence that
# has an "in" or an "up" (about 50 microseconds a sentence), a set is not.
_OPENERS = frozenset(verb for verbs, _ in _PHRASAL_VERBS for verb in verbs.split())
_WORD_RUN = re.compile(r"\w+")
_OPENED_BY = {verb: tuple(i for i, (verbs, _) in enumerate(_PHRASAL_VERBS) if verb in verbs.split()) for verb in _OPENERS}


# What words() must match as is all the phrases in one alternation, in
# their order (tests/test_properties.py holds it). Tried at every position it
# takes 51 us a sentence; compiled anew for each set of phrases a text opens,
# 1.7 ms whenever a new set comes up (on a large corpus, often). So each
# phrase has its own pattern, tried only where a word that opens it stands,
# in that order (`_with_phrases`).
_PHRASE_AT = [re.compile(rf"(?:{_phrasal_pattern(*key)})\b", re.I) for key in _PHRASAL_VERBS]


def _with_phrases(text: str) -> str:
    """The text with each phrase written as its one word, as the whole
    alternation would write it: a phrase starts where a word opening it
    stands, the first phrase (in the alternation's order) that matches there
    wins, and the search goes on after it."""
    parts: list[str] = []
    done = 0
    for word in _WORD_RUN.finditer(text):
        start = word.start()
        groups = _OPENED_BY.get(word.group().lower()) if start >= done else None
        for i in groups or ():
            match = _PHRASE_AT[i].match(text, start)
            if match:
                parts += (text[done:start], _PHRASAL_WORDS[i])
                done = match.end()
                break
    return "".join(parts) + text[done:] if parts else text


# Words a name writes with a capital that a verb of saying shares ("Shan
# State", "the State Department" / "to state"): written so in a sentence that
# never writes them in lower case, only the word itself matches them.
NAME_HOMOGRAPHS = frozenset({"state", "states"})


# What a question typed in haste writes for a common word ("how many ppl",
# "what happens if u desert n get caught"): only in lower case, so that "U"
# or "N" in a name stay letters.
_CHAT_WORDS = {
    "u": "you", "ur": "your", "r": "are", "n": "and", "y": "why", "wat": "what", "wut": "what", "wht": "what",
    "hw": "how", "ppl": "people", "ppls": "people", "ppl's": "people's", "guys": "people", "folks": "people",
    "govt": "government", "gov't": "government", "intl": "international", "abt": "about", "bc": "because",
    "cuz": "because", "coz": "because", "thru": "through", "w/": "with", "w/o": "without", "yrs": "years",
    "yr": "year", "info": "information", "pls": "please", "plz": "please", "tho": "though", "bn": "been",
}
# A letter alone is a chat word only where the word would stand: "y"
# opening the question, "n" and "r" between two words ("the x and y axes",
# "the letter r" stay letters).
_CHAT_WORD = re.compile(
    r"(?<![\w'’.-])("
    + "|".join(re.escape(w) for w in sorted(_CHAT_WORDS, key=len, reverse=True) if w not in ("y", "n", "r"))
    + r")(?![\w'’-])|^\s*(y)(?=\s)|(?<=[a-z]\s)([nr])(?=\s+[a-z])"
)


def in_full(question: str) -> str:
    """The question with chat spellings written out, but an "n" that cannot
    be "and" ("if n is omitted", "the first n": no "and" follows a function
    word or a determiner, or stands before "is")."""
    def spelled_out(match: re.Match[str]) -> str:
        word = match.group(match.lastindex)
        if word == "n":
            before = question[: match.start()].split()
            after = question[match.end() :].split()
            if (before and before[-1].lower() in _NO_AND_AFTER) or (after and after[0].lower() in _LINKING_VERBS):
                return word
        return _CHAT_WORDS[word]

    return _CHAT_WORD.sub(spelled_out, question)


_LINKING_VERBS = frozenset({"is", "are", "was", "were", "be", "has", "have", "equals"})
# Function words, and determiners besides ("the first n items"): no "and" follows one.
_NO_AND_AFTER = STOP_WORDS | {"first", "last", "next", "top", "every"}


def words(text: str) -> list[str]:
    if "nited" in text or "uropean" in text:
        text = _SPELLED_OUT_PATTERN.sub(lambda m: _SPELLED_OUT[m.group(1).lower()] + ".", text)
    found: list[str] | None = _WORD.findall(text)
    opened = _opened(text, found)
    if opened:
        phrased = _with_phrases(text)
        if phrased != text:
            text, found = phrased, None
    if "-" in text:
        rounded = _ROUGHLY.sub(r"\1", text)  # "the 14,000-odd defectors" gives the 14,000
        if rounded != text:
            text, found = rounded, None
    if found is None:  # (the words are cut again only where a phrase or an amount rewrote the text)
        found = _WORD.findall(text)
    # "US" in capitals is the country, not the pronoun; "UN" is the "U.N.".
    return [_UNDOTTED.get(w) or w.lower().replace("’", "'").rstrip(".") for w in found]


def _opened(text: str, found: list[str]) -> frozenset[str]:
    """The first words of phrasal verbs the text writes before a particle.
    Without a hyphen or an apostrophe, the text's word runs are the words
    already found (a dotted "U.S." only adds single letters, no phrasal
    verb's first word): a set looks through them faster than the particles'
    pattern through the text."""
    if "-" in text or "'" in text or "’" in text:
        return _OPENERS.intersection(_WORD_RUN.findall(text.lower())) if _PARTICLE.search(text) else _NONE_OPENED
    opened = _OPENERS.intersection(map(str.lower, found))
    return opened if opened and _PARTICLE.search(text) else _NONE_OPENED


_NONE_OPENED: frozenset[str] = frozenset()


@lru_cache(maxsize=200_000)  # the same words come back question after question
def stem(word: str) -> str:
    """A light stemmer: plurals, possessives and the commonest verb endings.
    Good enough to match "defectors" with "defector" and "stationed" with
    "station"; not a linguist."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    ordinal = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    if ordinal:
        return ordinal.group(1)  # "the 125th regiment" is regiment No. 125
    if len(w) <= 3 or not w.isalpha():
        return w
    for suffix, replacement in (
        ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("iveness", "ive"),
        ("fulness", "ful"), ("ousness", "ous"), ("nesses", ""), ("ness", ""), ("ements", "e"), ("ement", "e"), ("ments", ""), ("ment", ""),
        ("ations", "ate"), ("ation", "ate"), ("ities", "ity"), ("ies", "y"), ("ied", "y"),
        ("sses", "ss"), ("ing", ""), ("ed", ""), ("ers", ""), ("er", ""), ("ors", ""), ("or", ""),
        ("es", "e"), ("s", ""), ("ly", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                return w
            w = w[: len(w) - len(suffix)] + replacement
            break
    # "stationed" -> "station", "planned" -> "plan", "hoped" -> "hope"
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    w = w.rstrip("e") if len(w) > 4 else w
    # British and American spellings: "minimise" / "minimize", "analyse" / "analyze".
    if len(w) > 5 and w.endswith(("is", "ys")):
        w = w[:-1] + "z"
    return w


_EMPTY_PHRASES = re.compile(r"\b(?:so|thus)\s+far\b|\bat\s+all\b|\bin\s+general\b|\bby\s+now\b", re.I)


def content_terms(text: str) -> list[str]:
    """The words of a question that say what it is about."""
    terms = []
    # "Defectors so far?", "at all", "in general": idioms that ask nothing.
    text = _EMPTY_PHRASES.sub(" ", text)
    said = words(text)
    for at, w in enumerate(said):
        if w.endswith("'s"):
            w = w[:-2]  # "the NUG's budget" is about the NUG
        if w.endswith("n't"):
            continue  # "don't", "doesn't", "won't": a negated auxiliary asks nothing
        if w and w not in STOP_WORDS and not _asks(w, said, at) and w not in terms:
            terms.append(w)
    return terms


# The question words that say what kind of answer is asked ("name", "kind",
# "type", "sort") do so where a wh-word asks for it ("What is the name
# of...?", "what sort of", "which type"); anywhere else they are words of the
# question ("put the name and logo on...", "how do I sort a list?").
_KIND_WORDS = QUESTION_WORDS & ANSWER_KIND_WORDS
_ASKING_FOR_A_KIND = frozenset({"what", "which", "whats", "what's"})


def _asks(word: str, said: list[str], at: int) -> bool:
    """Whether `word` (the question's word at `at`) only asks, and says nothing of what about."""
    if word not in _KIND_WORDS:
        return word in QUESTION_WORDS
    return any(w in _ASKING_FOR_A_KIND for w in said[max(0, at - 3) : at]) or said[at + 1 : at + 2] == ["of"]


# News writing names a government by its capital ("Washington urged...",
# "Beijing said..."), and readers a country by its everyday name ("America").
# Used only for a name the documents never write.
COUNTRY_BY_OTHER_NAME = {
    "washington": "u.s", "beijing": "china", "moscow": "russia", "london": "britain", "tokyo": "japan",
    "paris": "france", "berlin": "germany", "brussels": "e.u", "delhi": "india", "bangkok": "thailand",
    "naypyitaw": "myanmar", "naypyidaw": "myanmar", "kremlin": "russia",
    # and a country by its everyday name
    "america": "u.s", "britain": "u.k", "england": "u.k", "burma": "myanmar", "europe": "e.u",
}


# A people's adjective names its country ("the American initiative" is the
# U.S. one, "Chinese pressure" China's). Added whether or not the documents
# write the adjective: "Burmese-American" does not make "American" a name.
COUNTRY_OF_PEOPLE = {
    "american": "u.s", "americans": "u.s", "british": "u.k", "chinese": "china", "russian": "russia",
    "russians": "russia", "japanese": "japan", "french": "france", "german": "germany", "germans": "germany",
    "indian": "india", "indians": "india", "thai": "thailand", "burmese": "myanmar", "bangladeshi": "bangladesh",
    "european": "e.u", "australian": "australia", "canadian": "canada", "korean": "korea",
    "italian": "italy", "spanish": "spain", "mexican": "mexico", "brazilian": "brazil",
}


def synonyms(word: str) -> frozenset[str]:
    return SYNONYMS.get(word, frozenset())


def edits1(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + transposes + replaces + inserts)
