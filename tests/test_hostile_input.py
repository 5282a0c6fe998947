"""Hostile questions and documents cost time in proportion to their length.

No regular expression, no segmentation step, no question analysis may
backtrack its way into quadratic (or worse) time on text an attacker writes:
long runs of one character, nested brackets, thousands of capitalised words,
"a.a.a.a...", "1,000,000,...", dates, URLs, question words. Every compiled
pattern of the package is found by itself (module constants, and patterns
written inline where they can be compiled), so a new pattern is tried too.
Where a pattern only ever sees a bounded piece of text (a question, a window
of a few characters) it is tried on that much; docs/patterns.md says why for
each.

Every call runs under an alarm (SIGALRM): a runaway pattern fails its test
instead of hanging CI. The bounds are generous, for a loaded two-core
machine: they catch what runs away, they do not measure speed (the
benchmark does, in eval/benchmark.py).
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import pkgutil
import re
import signal
import time
from pathlib import Path

import pytest

import assistant
from assistant.answerer import Assistant, Conversation
from assistant.answerer.dialogue import MAX_REFERENT_CHARS, resolve
from assistant.answerer.pipeline import MAX_QUESTION_CHARS
from assistant.answerer.question import analyze_question
from assistant.answerer.types import Answer, Excerpt, ShortAnswer
from assistant.corpus import make_document
from assistant.errors import QuestionError
from assistant.text import paragraph_spans, sentence_spans, token_spans

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM (POSIX)")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# What question analysis can be given: a question (white space made single
# spaces) and, for a follow-up, a referent in brackets.
QUESTION_TEXT_CHARS = MAX_QUESTION_CHARS + MAX_REFERENT_CHARS + 3
LONG = 16_000  # characters of a long document line for the linearity checks
PATTERN_TEXT = 8_000  # characters of the longer text a pattern is tried on
FLOOR_SECONDS = 0.02  # below this a call is too fast to be told from noise: linear enough
GROWTH_LIMIT = 8  # 4 times the text may take at most 8 times as long (linear: 4, quadratic: 16)


class Runaway(Exception):
    """A call ran past its time bound."""


@contextlib.contextmanager
def time_bound(seconds: float, what: str):
    """Fail (not hang) when the block runs longer than `seconds`."""

    def expire(signum, frame):
        raise Runaway(f"{what}: still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(call, seconds: float, what: str, runs: int = 2) -> float:
    """The best of `runs` runs of `call`, in seconds, each under the bound.
    (The garbage collector waits: its sweeps over the many small objects a
    long text makes are not what is measured.)"""
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(runs):
            with time_bound(seconds, what):
                start = time.perf_counter()
                call()
                best = min(best, time.perf_counter() - start)
            if best < FLOOR_SECONDS / 4:
                break  # fast: a second run tells nothing more
    finally:
        if collecting:
            gc.enable()
    return best


def assert_linear(run, make_text, what: str, n: int = LONG // 4, seconds: float = 5.0) -> None:
    """`run(text)` on texts of n and 4n characters: either fast at 4n, or
    growing less than quadratically."""
    small_text, large_text = make_text(n), make_text(4 * n)
    large = timed(lambda: run(large_text), seconds, what)
    if large < FLOOR_SECONDS:
        return
    small = timed(lambda: run(small_text), seconds, what)
    if large / max(small, 1e-6) >= GROWTH_LIMIT:
        # Measured again, more carefully, before it counts: a busy machine
        # (the other tests, another process) can slow one run of a few ms.
        small = timed(lambda: run(small_text), seconds, what, runs=5)
        large = timed(lambda: run(large_text), seconds, what, runs=5)
    growth = large / max(small, 1e-6)
    assert growth < GROWTH_LIMIT, f"{what}: {n} characters {small * 1000:.1f} ms, {4 * n}: {large * 1000:.1f} ms"


# --- hostile texts -------------------------------------------------------------


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _capitalised_words(n: int) -> str:
    return " ".join(chr(65 + i % 26) + chr(97 + (i // 26) % 26) for i in range(n // 3 + 1))[:n]


def _nested(opening: str, closing: str, n: int) -> str:
    half = n // (2 * len(opening))
    return opening * half + "a" + closing * half


# A run of a character or a unit repeated: what a pattern with a repeat
# inside a repeat, or two repeats that can share characters, chokes on.
RUNS = {
    **{f"run of {c!r}": c for c in "aA1.,-'’ \t\n(\"“%$:"},
    "a.a.a.": "a.", "A.B.C.": "A.", "a. a. ": "a. ", "A. A. ": "A. ", "1. 1. ": "1. ", "Mr. Mr. ": "Mr. ",
    "1,1,1,": "1,", "1,000,000,": ",000", "1 1 1 ": "1 ", "1.1.1.": "1.", ":1:1": ":1",
    "one one ": "one ", "of the of the ": "of the ", "Aa of Aa of ": "Aa of ", "a, a, ": "a, ",
    "aAaA": "aA", "A-A-": "A-", "a-a-": "a-", "soldier-soldier-": "soldier-", "a'a'": "a'", "a’a’": "a’", "Aa.Aa.": "Aa.",
    "dates": "January 1, 2020, ", "iso dates": "2020-01-01 ", "May May ": "May ", "10:30 pm ": "10:30 pm ",
    "url": "https://example.com/a/b?c=1&d=2#", "path": "a/", "[email protected] ": "[email protected] ",
    "who who ": "who ", "what what ": "what ", "is is ": "is ", "by by ": "by ", "called called ": "called ",
    "# # ": "# ", "* * ": "* ", "• • ": "• ", "\\n \\n": "\n ", " \\n \\n": " \n", "a\\na\\n": "a\n", "A\\nA\\n": "A\n",
    "a.\\n": "a.\n", "(a(a": "(a", "\"a\"a": '"a', "[[": "[[", "<!---->": "<!---->", "-->": "-->",
}
# Words a pattern looks for before a run ("Published", "By", "follow us",
# "Who", "called"...), and what follows the run so that the pattern fails
# at its end and must give back what the run took.
LEADS = ["Published ", "By ", "follow us", "cookies", "Who ", "Who is ", "What is the ", "How many ", "When ", "The ",
         "because ", "called ", "Date:", "in the ", "$", "1", "January ", "(", "Aa ", "<!--"]
FILLINGS = {"spaces": " ", "punctuation": "!", "capitalised words": "Aa ", "capitals": "A", "digits": "1",
            "number words": "one ", "words": "a ", "comments": "--><!--"}
ENDINGS = ["x", "\nx\ny"]


def hostile_texts() -> dict[str, callable]:
    """Name -> a function giving that hostile text at any length."""
    texts = {name: (lambda n, unit=unit: _repeat(unit, n)) for name, unit in RUNS.items()}
    texts["capitalised words"] = _capitalised_words
    texts["nested brackets"] = lambda n: _nested("(", ")", n)
    texts["nested square brackets"] = lambda n: _nested("[", "]", n)
    texts["nested quotes"] = lambda n: _nested("“‘\"", "\"’”", n)
    texts["question of capitalised words"] = lambda n: ("Who is " + _capitalised_words(n))[: n - 1] + "?"
    texts["question of number words"] = lambda n: ("How many " + _repeat("one ", n))[: n - 1] + "?"
    for lead in LEADS:
        for filling, unit in FILLINGS.items():
            for ending in ENDINGS:
                texts[f"{lead!r} + {filling} + {ending!r}"] = (
                    lambda n, lead=lead, unit=unit, ending=ending: lead + _repeat(unit, n - len(lead) - len(ending)) + ending
                )
    return texts


HOSTILE = hostile_texts()
# The families each pattern is tried on (all of them, for every pattern, is
# too slow for one test file): every run, and every lead before the fillings
# most patterns repeat over, failing at a second line.
PATTERN_FAMILIES = [name for name in HOSTILE if " + " not in name] + [
    f"{lead!r} + {filling} + {ending!r}" for lead in LEADS
    for filling in ("spaces", "capitalised words", "capitals", "digits", "comments") for ending in ENDINGS[1:]]


# --- every pattern of the package ----------------------------------------------

_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}
_FLAGS_ARGUMENT = {"compile": 1, "sub": 4, "subn": 4, "split": 3}  # else re.search(pattern, string, flags)


def _modules():
    for info in pkgutil.walk_packages(assistant.__path__, "assistant."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _site_name(module) -> str:
    return module.__name__.removeprefix("assistant.")


def _constant_patterns(module):
    """(site, pattern) for each compiled pattern a module keeps, in a name or
    in a table of them ("answerer.entities._PATTERNS[3]")."""
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            yield f"{_site_name(module)}.{name}", value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, re.Pattern):
                        yield f"{_site_name(module)}.{name}[{i}]", part


def _inline_patterns(module):
    """(site, pattern) for each re.search(r"...", ...)-like call written in a
    module whose pattern can be built from constants; the site is the
    function it is in ("answerer.question._classify()"). Patterns built from
    what a function is given (re.escape of a word) are audited in
    docs/patterns.md instead."""
    if not (module.__file__ or "").endswith(".py"):
        return
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    functions = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                functions.setdefault(id(inner), node.name)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in _RE_FUNCTIONS and node.args):
            continue
        try:
            source = eval(compile(ast.Expression(node.args[0]), module.__name__, "eval"), vars(module))
            flags = next((k.value for k in node.keywords if k.arg == "flags"), None)
            position = _FLAGS_ARGUMENT.get(node.func.attr, 2)
            if flags is None and len(node.args) > position:
                flags = node.args[position]
            flags = 0 if flags is None else eval(compile(ast.Expression(flags), module.__name__, "eval"), vars(module))
            pattern = re.compile(source, flags)
        except Exception:  # built from a function's own values: not a constant pattern
            continue
        where = functions.get(id(node))
        yield f"{_site_name(module)}.{where}()" if where else _site_name(module), pattern


def all_patterns() -> list[tuple[str, re.Pattern]]:
    seen, found = set(), []
    for module in _modules():
        for site, pattern in (*_constant_patterns(module), *_inline_patterns(module)):
            key = (pattern.pattern, pattern.flags)
            if key not in seen:
                seen.add(key)
                found.append((site, pattern))
    return found


# Where a pattern sees a bounded piece of text, how much (characters), and
# the methods it is used with. Everything else is tried on long text with
# search, finditer, match and fullmatch, and must stay linear.
QUESTION_ONLY = {
    # The question room reads questions, never documents.
    "answerer.question": QUESTION_TEXT_CHARS,
    "answerer.dialogue._PRONOUN": QUESTION_TEXT_CHARS,
    "answerer.dialogue._SINGULAR": QUESTION_TEXT_CHARS,
    "answerer.dialogue._PERSONAL": QUESTION_TEXT_CHARS,
    "answerer.dialogue._ELLIPSIS": QUESTION_TEXT_CHARS,
    "answerer.dialogue._names()": QUESTION_TEXT_CHARS,
    "answerer.words._CHAT_WORD": QUESTION_TEXT_CHARS,  # in_full(question)
}
WINDOWED = {
    "text._WORD_BEFORE": 20,  # the 20 characters before a full stop
    "text._NEXT_WORD": 40,  # the 40 characters after a sentence's end
    "answerer.entities._NAME_BEFORE": 40,  # the 40 characters before a number
    "answerer.entities.acronym_of()": 16,  # the 16 characters after a spelled-out name
    "answerer.entities._PLACE_PREP": 30,  # the 30 characters before a name
    "answerer.spans._BOUNDS_A_TIME": 12,  # the 12 characters before a date
    "readers.html._CHARSET": 4096,  # the first 4 KB of a page
    "inline_markup._role_text()": 200,  # a role's text, at most 200 characters (_RST_ROLE)
}
ANCHORED = {
    # Used only with match / fullmatch (one try, at the start), never searched.
    "answerer.words.stem()": ("fullmatch",),  # one word
    "answerer.entities._MONTH_WORD": ("fullmatch",),
    "answerer.entities._AMOUNT_OPENING": ("fullmatch",),
    "answerer.entities._SENTENCE_OPENING": ("fullmatch",),
    "answerer.pipeline._OPENS_LEANING": ("match",),
    "answerer.pipeline._PUBLISHER_NAME": ("match",),
    "answerer.dialogue._DEFINED_ACRONYM": ("fullmatch",),
    "answerer.dialogue._POSSESSIVE": ("search",),  # "['’]s?$": one or two characters at the end
    "corpus._DATE_LINE": ("match",),
    "corpus._BYLINE": ("match",),
    "corpus._NAME_LINE": ("match",),
    "corpus._HEADING": ("match",),
    "corpus._FURNITURE": ("match",),
    "corpus._MORE_THAN_ENTRY_WORDS": ("match",),
    "text._ITEM_NUMBER": ("fullmatch",),
    "text._INDENT": ("match",),
    "text._SYMBOL_BULLET": ("match",),
    "text._BULLET": ("match",),
    "readers.markdown._FENCE_LINE": ("match",),
    "readers.pdf._PAGE_NUMBER": ("fullmatch",),
    "readers.pdf._URL_GOES_ON": ("match",),
    "readers.pdf._SECTION_NUMBER": ("match",),
    "readers.man._COMMENT_OR_REQUEST": ("match",),
    "readers.man._REQUEST": ("match",),
    "readers.man._NUMBERED": ("fullmatch",),
    "readers.plain._UNDERLINE": ("match", "fullmatch"),
    "readers.plain._NUMBERED_TITLE": ("match",),
    "readers.plain._level()": ("match",),
    "readers.copyright._FIELD": ("match",),  # at a line's start
    "readers.copyright._PARAGRAPH_BREAK": ("fullmatch",),  # one line
}
# Found quadratic and reported, not yet restructured: each fails its test
# (strict xfail) until it is, and then says to take it off this list.
KNOWN_QUADRATIC: dict[str, str] = {}


def _bound_of(site: str) -> int | None:
    for table in (QUESTION_ONLY, WINDOWED):
        for prefix, bound in table.items():
            if site == prefix or site.startswith(prefix + "."):
                return bound
    return None


def _run_method(pattern: re.Pattern, method: str, text: str) -> None:
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")
    if method == "finditer":
        for _ in pattern.finditer(text):
            pass
    elif method == "sub":
        pattern.sub("", text)
    else:
        getattr(pattern, method)(text)


PATTERNS = all_patterns()


def test_the_patterns_are_found():
    sites = {site for site, _ in PATTERNS}
    assert len(PATTERNS) > 150
    # constants, tables of them and inline patterns alike
    assert {"text._TERMINAL", "answerer.entities._PATTERNS[0]", "answerer.question._classify()", "corpus._FURNITURE"} <= sites


def _pattern_cases():
    for site, pattern in PATTERNS:
        known = KNOWN_QUADRATIC.get(site)
        marks = pytest.mark.xfail(strict=True, raises=(AssertionError, Runaway), reason=known) if known else ()
        yield pytest.param(site, pattern, id=site, marks=marks)


@pytest.mark.parametrize("site, pattern", list(_pattern_cases()))
def test_no_pattern_backtracks_catastrophically(site, pattern):
    bound = _bound_of(site)
    anchored = next((methods for prefix, methods in ANCHORED.items() if site == prefix), None)
    if bound is not None:
        # A bounded piece of text: every method, on that much of every hostile text.
        for name in HOSTILE:
            text = HOSTILE[name](bound)
            for method in ("finditer", "fullmatch"):
                elapsed = timed(lambda: _run_method(pattern, method, text), 2.0, f"{site} {method} on {name}")
                assert elapsed < 0.5, f"{site} {method} on {name} ({bound} characters): {elapsed:.2f} s"
        return
    methods = anchored or ("finditer", "fullmatch")  # (finditer makes every try search makes, and more)
    for name in PATTERN_FAMILIES:
        for method in methods:
            assert_linear(lambda text: _run_method(pattern, method, text), HOSTILE[name], f"{site} {method} on {name}",
                          n=PATTERN_TEXT // 4)


def test_the_tables_name_patterns_that_exist():
    """A renamed or removed pattern leaves no stale exception behind."""
    sites = {site for site, _ in PATTERNS}
    for name in (*QUESTION_ONLY, *WINDOWED, *ANCHORED, *KNOWN_QUADRATIC):
        assert name in sites or any(s.startswith(name + ".") for s in sites), name


# --- question analysis, segmentation, documents ------------------------------------


def hostile_questions(length: int) -> dict[str, str]:
    """Questions of `length` characters (or less) made of each hostile text,
    as the assistant sees them: words joined by single spaces."""
    questions = {}
    for name, make in HOSTILE.items():
        for opening in ("", "Who ", "How many "):
            text = " ".join((opening + make(length)).split())[: length - 1] + "?"
            if any(c.isalnum() for c in text):
                questions[f"{opening!r} + {name}"] = text
    return questions


QUESTIONS = hostile_questions(MAX_QUESTION_CHARS)


def test_question_analysis_is_bounded():
    """Every hostile question up to the length limit is analysed in well
    under a second, and a follow-up's referent cannot lengthen it much."""
    slowest = 0.0
    for name, question in QUESTIONS.items():
        elapsed = timed(lambda: analyze_question(question), 2.0, f"analyze_question({name})")
        slowest = max(slowest, elapsed)
    assert slowest < 0.5, slowest
    analyze_question(QUESTIONS["'Who ' + capitalised words"] + " (" + "Aa " * (MAX_REFERENT_CHARS // 3) + ")")


def test_a_referent_longer_than_a_name_is_not_carried():
    long_name = " ".join(["Who"] * 10_000) + " Army"
    quote = f"The soldiers went to the {long_name}."
    short = ShortAnswer(long_name, 25, 25 + len(long_name))
    answer = Answer("Which group took them?", True, (Excerpt(quote, "d.txt", "Title", 1, 0, len(quote), 1.0, short),), None)
    conversation = Conversation()
    conversation.add("Which group took them in?", answer)
    followup = resolve("Where is it based?", conversation)
    assert followup.referent is None and len(followup.text) <= QUESTION_TEXT_CHARS


@pytest.mark.parametrize("cut", [paragraph_spans, sentence_spans, token_spans], ids=lambda f: f.__name__)
def test_segmentation_is_linear(cut):
    for name, make in HOSTILE.items():
        assert_linear(cut, make, f"{cut.__name__} on {name}", n=LONG // 2)


def _as_document(make):
    """A web page around a hostile line: header lines, prose, a footer."""
    return lambda n: (f"Published {make(n // 8)}\n\nBy {make(n // 8)}\n\n{make(n // 4)}\n\n"
                      f"Prose about it. {make(n // 4)}\n\nFollow us {make(n // 8)}\n\n{make(n // 8)}")


def test_documents_are_read_in_linear_time():
    for name, make in HOSTILE.items():
        assert_linear(lambda text: make_document("hostile.txt", text), _as_document(make), f"make_document of {name}",
                      n=LONG)


def test_a_header_of_thousands_of_lines_is_read_in_linear_time():
    def header_page(n):
        return "\n".join(f"Line {i} of the header;" for i in range(n // 24)) + "\n\nProse. More prose.\n\nThe end."

    assert_linear(lambda text: make_document("header.txt", text), header_page, "make_document of a long header",
                  n=LONG // 2)


def test_info_manuals_and_man_pages_are_read_in_linear_time():
    from assistant.readers import info, man
    from assistant.readers.structure import UnreadableDocument

    def reading(reader):
        def read(text):
            try:
                reader(text)
            except UnreadableDocument:
                pass  # nothing left to read is an answer too, as long as it comes fast
        return read

    read_info, read_man = reading(info.read_info), reading(man.read_man)

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_info(text), lambda n: (
            "This is x.info, produced by makeinfo version 6.8 from x.texi.\n\x1f\nFile: x.info,  Node: Top\n\n"
            f"{make(n // 2)}\n\n* Menu:\n\n{make(n // 2)}"), f"read_info of {name}")
        assert_linear(lambda text: read_man(text), lambda n: (
            f".TH X 1\n.SH NAME\n{make(n // 4)}\n.TP\n{make(n // 4)}\n.TS\n{make(n // 4)}\n.TE\n.B {make(n // 4)}\n"),
            f"read_man of {name}")
    # Thousands of lines: one paragraph filled from them, a table's format lines, conditionals.
    for shape in ("word\n", "l\n", ".if n \\{\\\n", "START-INFO-DIR-ENTRY\n"):
        assert_linear(lambda text: read_man(text), lambda n: f".TH X 1\n.TS\n{shape * (n // len(shape))}.TE\nend\n",
                      f"read_man of lines {shape!r}", n=8 * LONG)
        assert_linear(lambda text: read_info(text), lambda n: "This is x.info, produced by makeinfo 6.8.\n" + shape * (n // len(shape)),
                      f"read_info of lines {shape!r}", n=8 * LONG)
    assert_linear(lambda text: read_man(text), lambda n: ".TH X 1\n.PP\n" + "word\n" * (n // 5), "read_man of a long paragraph",
                  n=8 * LONG)



def test_opendocument_text_is_read_in_linear_time():
    from assistant.readers.odt import read_odt

    def flat(body: str, styles: str = "") -> str:
        return ('<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
                f'office:mimetype="application/vnd.oasis.opendocument.text"><office:styles>{styles}</office:styles>'
                f'<office:body><office:text>{body}</office:text></office:body></office:document>')

    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;")

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_odt(text.encode()), lambda n: flat(
            f"<text:h>{escaped(make(n // 4))}</text:h><text:p>{escaped(make(n // 4))}</text:p>"
            f'<text:p text:style-name="Preformatted_20_Text">{escaped(make(n // 4))}</text:p>'
            f"<text:list><text:list-item><text:p>{escaped(make(n // 4))}</text:p></text:list-item></text:list>"),
            f"read_odt of {name}")
    # Thousands of spaces, spans and paragraphs; thousands of styles with long names, each based on the next.
    for piece in ('<text:s text:c="9"/>', "<text:span>a</text:span>", "<text:p>a b</text:p>"):
        assert_linear(lambda text: read_odt(text.encode()), lambda n: flat(f"<text:p>{piece * (n // len(piece))}</text:p>"),
                      f"read_odt of {piece!r} repeated", n=8 * LONG)
    assert_linear(lambda text: read_odt(text.encode()), lambda n: flat(
        '<text:p text:style-name="s0">x</text:p>',
        "".join(f'<style:style style:name="s{i}" style:family="paragraph" style:parent-style-name="s{i + 1}" '
                f'style:display-name="{"heading " * 30}"/>' for i in range(n // 300))),
        "read_odt of a long chain of styles", n=8 * LONG)



def test_presentations_are_read_in_linear_time():
    import io
    import zipfile

    from assistant.readers.odt import read_odt
    from assistant.readers.pptx import read_pptx

    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;")

    def pptx(slide: str) -> bytes:
        namespaces = ('xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
                      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("ppt/presentation.xml", f'<p:presentation {namespaces}><p:sldIdLst>'
                             '<p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>')
            package.writestr("ppt/_rels/presentation.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org'
                             '/package/2006/relationships"><Relationship Id="rId1" Target="slides/slide1.xml" '
                             'Type="slide"/></Relationships>')
            package.writestr("ppt/slides/slide1.xml", f"<p:sld {namespaces}><p:cSld><p:spTree>{slide}"
                             "</p:spTree></p:cSld></p:sld>")
        return buffer.getvalue()

    def shape(body: str, placeholder: str = "") -> str:
        return f"<p:sp><p:nvSpPr><p:nvPr>{placeholder}</p:nvPr></p:nvSpPr><p:txBody>{body}</p:txBody></p:sp>"

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_pptx(pptx(text)), lambda n: (
            shape(f"<a:p><a:r><a:t>{escaped(make(n // 2))}</a:t></a:r></a:p>", '<p:ph type="title"/>')
            + shape(f'<a:p><a:r><a:rPr><a:latin typeface="Courier New"/></a:rPr><a:t>{escaped(make(n // 2))}</a:t></a:r></a:p>')),
            f"read_pptx of {name}")
        assert_linear(lambda text: read_odt(text.encode()), lambda n: (
            '<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
            'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
            'office:mimetype="application/vnd.oasis.opendocument.presentation"><office:body><office:presentation>'
            f'<draw:page><draw:frame presentation:class="title"><draw:text-box><text:p>{escaped(make(n // 2))}</text:p>'
            f'</draw:text-box></draw:frame><draw:g><draw:frame><draw:text-box><text:list><text:list-item><text:p>'
            f'{escaped(make(n // 2))}</text:p></text:list-item></text:list></draw:text-box></draw:frame></draw:g>'
            '</draw:page></office:presentation></office:body></office:document>'), f"read_odt of a slide of {name}")
    # Thousands of shapes, runs and paragraphs on one slide.
    for piece in (shape("<a:p><a:r><a:t>a</a:t></a:r></a:p>"), "<a:p><a:r><a:t>a b</a:t></a:r><a:br/></a:p>"):
        assert_linear(lambda text: read_pptx(pptx(text)), lambda n: piece * (n // len(piece)) if piece.startswith("<p:sp")
                      else shape(piece * (n // len(piece))), f"read_pptx of {piece[:20]!r} repeated", n=8 * LONG)


def test_mail_is_read_in_linear_time():
    from assistant.readers.mail import is_mail, read_mail
    from assistant.readers.structure import UnreadableDocument

    def reading(text: str) -> None:
        data = text.encode("utf-8")
        is_mail(data)
        try:
            read_mail(data)
        except UnreadableDocument:
            pass  # nothing to read is an answer too, as long as it comes fast

    for name, make in HOSTILE.items():
        one_line = " ".join(make(LONG).split())
        assert_linear(reading, lambda n: (f"From: {one_line[: n // 4]}\nSubject: {one_line[: n // 4]}\n"
                                          f"To: {one_line[: n // 4]}\n\n{make(n // 4)}"), f"read_mail of {name}")
    # Thousands of messages in a mailbox, of header lines, of MIME parts.
    for piece in ("From a@b Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n\n", "X-Header: value\n",
                  "--b\nContent-Type: text/plain\n\npart\n"):
        assert_linear(reading, lambda n: ("Subject: many\nContent-Type: multipart/mixed; boundary=b\n"
                                          + piece * (n // len(piece)) + "\n\nbody\n"), f"read_mail of {piece[:16]!r} repeated",
                      n=2 * LONG)


def test_delimited_data_is_read_in_linear_time():
    from assistant.readers.delimited import read_delimited

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_delimited(text), lambda n: make(n), f"read_delimited of {name}")
    for piece in ('"a,b",', "x,", "\n", '"', ";|\t"):
        assert_linear(lambda text: read_delimited(text), lambda n: "h1,h2\n" + piece * (n // len(piece)),
                      f"read_delimited of {piece!r} repeated", n=8 * LONG)


def test_spreadsheets_are_read_in_linear_time():
    import io
    import zipfile

    from assistant.readers.odt import read_odt
    from assistant.readers.xlsx import read_xlsx

    namespace = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def xlsx(rows: str, strings: str = "", code: str = "General") -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("xl/workbook.xml", f'<workbook {namespace} xmlns:r="http://schemas.openxmlformats.org/'
                             'officeDocument/2006/relationships"><sheets><sheet name="s" r:id="rId1"/></sheets></workbook>')
            package.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                             'package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                             '</Relationships>')
            package.writestr("xl/sharedStrings.xml", f"<sst {namespace}>{strings}</sst>")
            package.writestr("xl/styles.xml", f'<styleSheet {namespace}><numFmts><numFmt numFmtId="164" '
                             f'formatCode="{code}"/></numFmts><cellXfs><xf numFmtId="164"/></cellXfs></styleSheet>')
            package.writestr("xl/worksheets/sheet1.xml", f"<worksheet {namespace}><sheetData>{rows}</sheetData></worksheet>")
        return buffer.getvalue()

    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_xlsx(xlsx('<row><c t="s"><v>0</v></c><c s="0"><v>1</v></c></row>',
                                                  f"<si><t>{escaped(text)}</t></si>", escaped(text[:5000]))),
                      lambda n: make(n), f"read_xlsx of {name}")
    for piece in ('<row><c t="s"><v>0</v></c><c><v>1.5</v></c></row>', '<c t="inlineStr"><is><t>a</t></is></c>'):
        assert_linear(lambda text: read_xlsx(xlsx(text if text.startswith("<row") else f"<row>{text}</row>",
                                                  "<si><t>x</t></si>")),
                      lambda n: piece * (n // len(piece)), f"read_xlsx of {piece[:20]!r} repeated", n=8 * LONG)
    # A Calc sheet: cells and rows repeated by the thousand (kept to a hundred each), thousands of rows.
    for piece in ('<table:table-row table:number-rows-repeated="100000"><table:table-cell '
                  'table:number-columns-repeated="100000"><text:p>x</text:p></table:table-cell></table:table-row>',
                  "<table:table-row><table:table-cell><text:p>a b</text:p></table:table-cell></table:table-row>"):
        assert_linear(lambda text: read_odt(text.encode()), lambda n: (
            '<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>'
            '<table:table table:name="s">' + piece * max(1, n // len(piece)) + "</table:table></office:spreadsheet>"
            "</office:body></office:document>"), f"read_odt of a sheet of {piece[:30]!r}", n=2 * LONG)


def test_rich_text_is_read_in_linear_time():
    from assistant.readers.rtf import read_rtf

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")

    for name, make in HOSTILE.items():
        assert_linear(lambda text: read_rtf(text.encode("utf-8")), lambda n: (
            "{\\rtf1\\ansi{\\stylesheet{\\s1 " + escaped(make(n // 4)) + ";}}\\pard\\s1 " + escaped(make(n // 4))
            + "\\par\\pard\\intbl " + escaped(make(n // 4)) + "\\cell\\row{\\info{\\title " + escaped(make(n // 4)) + "}}}"),
            f"read_rtf of {name}")
    # Thousands of groups, control words, escapes, cells and unknown destinations.
    for piece in ("{\\b x}", "\\par ", "\\'e9", "\\u8220?", "\\intbl a\\cell ", "{\\*\\x y}", "\\" + "a" * 40):
        assert_linear(lambda text: read_rtf(text.encode("utf-8")),
                      lambda n: "{\\rtf1 " + piece * (n // len(piece)) + "}", f"read_rtf of {piece!r} repeated", n=8 * LONG)


# --- whole questions ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Assistant:
    return Assistant.open(SEEDS, cache_dir=tmp_path_factory.mktemp("cache"))


def test_hostile_questions_on_the_seed_article(seed):
    """Every hostile question at the length limit is answered (or refused
    with a QuestionError) in well under a second."""
    slowest, slowest_name = 0.0, None
    for name, question in QUESTIONS.items():
        start = time.perf_counter()
        with time_bound(5.0, f"ask({name})"):
            try:
                seed.ask(question)
            except QuestionError:
                pass
        elapsed = time.perf_counter() - start
        if elapsed > slowest:
            slowest, slowest_name = elapsed, name
    assert slowest < 1.0, f"{slowest_name}: {slowest:.2f} s"


HOSTILE_DOCUMENT_QUESTIONS = [
    "Who is the spokesperson?", "What is the army called?", "Why did the soldiers defect?",
    "How many soldiers defected?", "When did the soldiers defect?", "What is the army?",
    "How did the soldiers defect?", "How much did the army pay?", "Where did the soldiers go?",
    "Who publishes this?", "What does NUG stand for?", "What happens to soldiers who defect?",
    "Is the army winning?", "What is the title?", "Who wrote it?", "Where is it based?", "What did he say?",
]


def _hostile_page(line: str) -> str:
    """A page whose sentences carry a hostile line where the questions above
    look for their answers: names, numbers, cues, apposition, the header and
    the footer."""
    return (f"Soldiers Report\n\nBy Aa Bb\n\nThe soldiers defected {line} because the army is called {line}. "
            f"The spokesperson, {line}, said {line} in 2021. The army (NUG) paid {line} dollars.\n\n"
            f"It marks {line} near the border. The National Unity Government (NUG) is {line}.\n\n"
            f"Follow us {line}\n\nNewsletter: Aa publishes {line}")


@pytest.mark.parametrize("name", ["run of ' '", "run of 'A'", "run of '1'", "capitalised words", "a.a.a.", "A. A. ",
                                  "1,000,000,", "one one ", "nested brackets", "(a(a", "dates",
                                  "'called ' + spaces + '\\nx\\ny'", "'Published ' + spaces + 'x'", "a\\na\\n"])
def test_hostile_documents_are_answered_in_linear_time(name):
    """A conversation of questions over a tiny corpus made of hostile lines:
    the time grows with the document, not with its square."""
    make = HOSTILE[name]

    def converse(text):
        assistant_ = Assistant.from_documents("memory", [make_document("hostile.txt", text)])
        conversation = Conversation()
        for question in HOSTILE_DOCUMENT_QUESTIONS:
            answer = assistant_.ask(question, conversation=conversation)
            conversation.add(question, answer)

    assert_linear(converse, lambda n: _hostile_page(make(n)), f"questions on a page of {name}", n=1000, seconds=20.0)
