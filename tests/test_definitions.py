""""What does X do?" asks what X is for, and a definition entry for X (a man
page's "xargs - build and execute...", a reference's term line over its
description) answers it with the description."""

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
