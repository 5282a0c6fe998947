""""What does X do?" asks what X is for, and a definition entry for X (a man
page's "xargs - build and execute...", a reference's term line over its
description) answers it with the description."""

from pathlib import Path

from assistant.answerer import Assistant
from assistant.answerer.question import analyze_question
from assistant.corpus import document_from_paragraphs

REFERENCE = """<!DOCTYPE html>
<html><head><title>shutil - High-level file operations</title></head><body>
<h1>shutil - High-level file operations</h1>
<p>The shutil module offers a number of high-level operations on files and collections of files.</p>
<dl><dt>shutil.copyfile(src, dst, *, follow_symlinks=True)</dt>
<dd><p>Copy the contents of the file named src to a file named dst and return dst.</p></dd></dl>
<dl><dt>exception shutil.SameFileError</dt>
<dd><p>This exception is raised if source and destination in copyfile() are the same file.</p></dd></dl>
<dl><dt>shutil.rmtree(path)</dt>
<dd><p>Delete an entire directory tree; path must point to a directory.</p></dd></dl>
</body></html>
"""


def test_what_a_thing_does_is_asked_as_what_it_is():
    assert analyze_question("What does xargs do?").kind == "definition"
    assert analyze_question("What does the Parser in the email package do?").kind == "definition"
    # An activity at a time, a negation, an infinitive: not what the thing is.
    assert analyze_question("What did Tesla do at his old school in 1879?").kind != "definition"
    assert analyze_question("What do these teachers not do?").kind != "definition"
    assert analyze_question("What does chlorophyll use light energy to do?").kind != "definition"


def test_a_term_set_off_by_a_dash_is_defined_by_what_follows():
    manual = document_from_paragraphs("xargs", "xargs", [
        "xargs - build and execute command lines from standard input",
        "--version Print the version number of xargs and exit.",
        "xargs exits with the following status: 0 if it succeeds.",
    ])
    answer = Assistant.from_documents("memory", [manual]).ask("What does xargs do?")
    assert answer.answered
    excerpt = answer.excerpts[0]
    assert excerpt.quote.startswith("xargs - build")
    assert excerpt.answer is not None and excerpt.answer.text == "build and execute command lines from standard input"


def test_a_reference_entry_answers_for_its_term_not_for_a_term_it_mentions(tmp_path):
    (tmp_path / "shutil.html").write_text(REFERENCE, encoding="utf-8")
    assistant = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache")
    answer = assistant.ask("What does shutil.copyfile do?")
    assert answer.answered
    excerpt = answer.excerpts[0]
    assert excerpt.quote.startswith("shutil.copyfile(src, dst")
    assert excerpt.answer is not None and excerpt.answer.text.startswith("Copy the contents of the file named src")
    document = assistant.library.document(0)
    assert document.text[excerpt.start : excerpt.end] == excerpt.quote


ENTRY = """<!DOCTYPE html>
<html><head><title>gzip - Support for gzip files</title></head><body>
<h1>gzip - Support for gzip files</h1>
<p>This module provides a simple interface to compress and decompress files.</p>
<dl><dt>class gzip.GzipFile(filename=None, mode=None, compresslevel=9)</dt>
<dd><p>Constructor for the GzipFile class, which simulates most of the methods of a file object.</p>
<p>The compresslevel argument is an integer from 0 to 9 controlling the level of compression. The default is 9.</p>
</dd></dl>
<p>Examples of usage follow.</p>
<dl><dt>gzip.decompress(data)</dt>
<dd><p>Decompress the data, returning a bytes object.</p></dd></dl>
</body></html>
"""


def test_a_definitions_later_paragraphs_are_under_its_term(tmp_path):
    (tmp_path / "gzip.html").write_text(ENTRY, encoding="utf-8")
    assistant = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache")
    document = assistant.library.document(0)
    by_text = {p.span.of(document.text).split("\n")[0]: p for p in document.paragraphs}
    later = by_text["The compresslevel argument is an integer from 0 to 9 controlling the level of compression. The default is 9."]
    assert document.section_of(later.number).endswith("› class gzip.GzipFile(filename=None, mode=None, compresslevel=9)")
    assert "GzipFile" in document.heading_text(later.number)
    # Prose after the list is no longer the term's; neither is the next entry.
    after = by_text["Examples of usage follow."]
    assert document.section_of(after.number) == "gzip - Support for gzip files"
    assert "GzipFile" not in document.heading_text(by_text["gzip.decompress(data)"].number)
    # The citation names the term; the quote is the paragraph's own text.
    answer = assistant.ask("What compression level does GzipFile use by default?")
    assert answer.answered and answer.excerpts[0].paragraph == later.number
    assert answer.excerpts[0].section.endswith("class gzip.GzipFile(filename=None, mode=None, compresslevel=9)")
    assert document.text[answer.excerpts[0].start : answer.excerpts[0].end] == answer.excerpts[0].quote


GETPASS = """<!DOCTYPE html>
<html><head><title>getpass - Portable password input</title></head><body>
<h1>getpass - Portable password input</h1>
<dl><dt>getpass.getpass(prompt='Password: ', stream=None)</dt>
<dd><p>Prompt the user for a password without echoing. The user is prompted using the string prompt, which defaults to 'Password: '.</p></dd></dl>
<dl><dt>getpass.getuser()</dt>
<dd><p>Return the login name of the user. The prompt of a terminal defaults to the shell's own.</p></dd></dl>
</body></html>
"""


_LONG_ENTRIES = GETPASS.replace("without echoing.", "without echoing. " + "It reads from the terminal. " * 15).replace(
    "login name of the user.", "login name of the user. " + "It reads the environment. " * 15)


def test_a_short_definitions_entry_is_one_unit(tmp_path):
    (tmp_path / "getpass.html").write_text(GETPASS, encoding="utf-8")
    assistant = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache")
    document = assistant.library.document(0)
    entries = [p for p in document.paragraphs if p.kind == "definition"]
    # The term, what it does and what it defaults to: read as one, as a reference page's reader does.
    assert [[s.of(document.text) for s in document.sentences_in(p.number)] for p in entries] == [
        [p.span.of(document.text)] for p in entries]
    answer = assistant.ask("What does getpass.getpass default the prompt to?")
    assert answer.excerpts[0].quote.startswith("getpass.getpass(prompt='Password: ', stream=None)")
    assert answer.excerpts[0].quote.endswith("which defaults to 'Password: '.")
    long_document = Assistant.open(_write(tmp_path / "long", _LONG_ENTRIES), cache_dir=tmp_path / "cache2").library.document(0)
    long_entry = next(p for p in long_document.paragraphs if p.kind == "definition")
    assert len(long_document.sentences_in(long_entry.number)) > 2  # a long one is cut into sentences


def test_a_short_later_paragraph_of_a_definition_is_one_unit(tmp_path):
    html = GETPASS.replace("which defaults to 'Password: '.</p>",
                           "which defaults to 'Password: '.</p><p>The stream argument is where the prompt goes. "
                           "It defaults to the controlling terminal.</p>"
                           "<p>" + "The input is read without echo. " * 20 + "</p>")
    (tmp_path / "getpass.html").write_text(html, encoding="utf-8")
    document = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache").library.document(0)
    later = [p for p in document.paragraphs if p.span.of(document.text).startswith(("The stream", "The input"))]
    short, long = ([s.of(document.text) for s in document.sentences_in(p.number)] for p in later)
    # What the entry says of its stream argument, read as one, as the entry itself is; a long paragraph sentence by sentence.
    assert short == ["The stream argument is where the prompt goes. It defaults to the controlling terminal."]
    assert len(long) == 20
    # A paragraph of the page's own, under no term, is cut into sentences as ever.
    plain = "<html><body><p>The stream argument is where the prompt goes. It defaults to the terminal.</p></body></html>"
    (tmp_path / "getpass.html").write_text(plain, encoding="utf-8")
    page = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache2").library.document(0)
    assert len(page.sentences_in(page.paragraphs[0].number)) == 2


def test_no_short_answer_runs_from_a_term_into_what_it_says(tmp_path):
    reference = Assistant.open(Path(__file__).parent.parent / "eval" / "reference-folder" / "corpus", cache_dir=tmp_path)
    answer = reference.ask("What does the csv writer use as its default delimiter?")
    excerpt = answer.excerpts[0]
    assert excerpt.quote.startswith("Dialect.delimiter") and excerpt.quote.endswith("It defaults to ','.")
    # "Dialect.delimiter⏎A one-character string" holds no name "Dialect.delimiter A".
    assert excerpt.answer is None or "\n" not in excerpt.answer.text


def _write(folder, html: str):
    folder.mkdir()
    (folder / "getpass.html").write_text(html, encoding="utf-8")
    return str(folder)


def test_a_definitions_term_heads_its_own_later_sentences(tmp_path):
    (tmp_path / "getpass.html").write_text(_LONG_ENTRIES, encoding="utf-8")
    assistant = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache")
    _, _, candidates = assistant.ranked("What does getpass.getpass default the prompt to?", 30)
    document = assistant.library.document(0)
    later = next(c for c in candidates if c.span.of(document.text).startswith("The user is prompted"))
    other = next(c for c in candidates if c.span.of(document.text).startswith("The prompt of a terminal"))
    # The term "getpass.getpass(...)" holds the question's name for the sentence under it, not for the other entry's.
    assert later.features["title"] > other.features["title"]
    assert candidates[0] is later


def test_a_definitions_later_sentence_is_quoted_from_its_term(tmp_path):
    (tmp_path / "getpass.html").write_text(GETPASS, encoding="utf-8")
    assistant = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache")
    answer = assistant.ask("What does getpass.getpass default the prompt to?")
    assert answer.answered
    excerpt = answer.excerpts[0]
    # The sentence that answers says "The user is prompted...": what it is
    # said of is the term above it, quoted with it.
    assert excerpt.quote.startswith("getpass.getpass(prompt='Password: ', stream=None)")
    assert excerpt.quote.endswith("which defaults to 'Password: '.")
    document = assistant.library.document(0)
    assert document.text[excerpt.start : excerpt.end] == excerpt.quote
    # A definition's first sentence holds its term already; a long entry's
    # far sentence is quoted alone (no quote of the whole entry).
    long_entry = GETPASS.replace("without echoing.", "without echoing. " + "It reads from the terminal. " * 20)
    (tmp_path / "getpass.html").write_text(long_entry, encoding="utf-8")
    far = Assistant.open(str(tmp_path), cache_dir=tmp_path / "cache").ask("What does getpass.getpass default the prompt to?")
    quoted = next(e.quote for e in far.excerpts if "The user is prompted" in e.quote)
    assert quoted.startswith("The user is prompted")


def test_a_phrase_saying_where_it_is_asked_leaves_what_is_a_definition_question():
    for question in ("Under the GFDL, what is an Invariant Section?", "In the MPL 2.0, what is a Larger Work?",
                     "What is a Contribution under the Apache License?"):
        assert analyze_question(question).kind == "definition", question
    # A phrase of place is no scope: "the largest city in Poland" is asked where.
    assert analyze_question("What is the largest city in Poland?").kind != "definition"


def test_a_licences_defined_term_is_defined_by_means_or_by_a_quoted_term_and_are():
    licence = document_from_paragraphs("licence", "Documentation Licence", [
        'The Document may contain zero Invariant Sections, and a Document may name Secondary Sections.',
        'The "Invariant Sections" are certain Secondary Sections whose titles are designated in the notice.',
        '"Contribution" shall mean any work of authorship submitted to the Licensor for inclusion.',
        'Each Contribution may carry an Invariant Section.',
    ])
    assistant = Assistant.from_documents("memory", [licence])
    answer = assistant.ask("Under the licence, what is an Invariant Section?")
    assert answer.answered and answer.excerpts[0].quote.startswith('The "Invariant Sections" are certain')
    answer = assistant.ask("What is a Contribution?")
    assert answer.answered and answer.excerpts[0].quote.startswith('"Contribution" shall mean any work')
