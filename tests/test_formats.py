"""A folder of every format a person keeps, read and quoted through the
command line: each file goes to its reader (by content first, then by name),
what is not a document is counted by kind, headings never answer alone but
name the sections under them, a PDF quote carries its page, and every quote
is exactly `assistant text PATH` at its offsets. `assistant verify` checks a
saved answer against the documents as they are now."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from documents import document_path

from assistant.corpus import HEADING_ROLE, UnreadableFile, discover, document_from_bytes, gunzipped, sort_out


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    (root / "licences").mkdir()
    shutil.copy(document_path("GPL-3"), root / "licences" / "GPL-3")  # no extension
    shutil.copy(document_path("python-pwd.html"), root / "pwd.html")
    shutil.copy(document_path("python-builtins.html"), root / "saved-page.txt")  # HTML named .txt
    shutil.copy(document_path("xargs.pdf"), root / "xargs.pdf")
    shutil.copy(document_path("encrypted.pdf"), root / "locked.pdf")
    shutil.copy(document_path("w3m-manual.docx"), root / "w3m.docx")
    shutil.copy(document_path("numpy-ma.odt"), root / "masked-arrays.odt")
    shutil.copy(document_path("users-and-groups.rtf"), root / "users.rtf")
    shutil.copy(document_path("project-history.en.epub"), root / "history.epub")
    shutil.copy(document_path("email-architecture.rst"), root / "email.rst")
    (root / "zstd-README.md.gz").write_bytes(gzip.compress((document_path("zstd-README.md")).read_bytes()))
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "page_files").mkdir()
    (root / "page_files" / "style.css").write_text("p { color: red }", encoding="utf-8")
    (root / "cut.txt.gz").write_bytes(gzip.compress(b"Some text. " * 100)[:-20])
    return root


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return dict(os.environ, XDG_CACHE_HOME=str(cache), COLUMNS="100")


def run(env, *args, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, input=stdin, timeout=180)


def text_of(env, path: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "assistant", "text", str(path)], capture_output=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def test_index_reads_every_format_and_counts_what_it_leaves_out(folder, env):
    done = run(env, "index", "--corpus", str(folder))
    assert done.returncode == 0, done.stderr
    assert "built the index of" in done.stdout and "10 documents" in done.stdout
    assert "skipped 4 files: 1 image, 1 web page resource, 1 truncated .gz file, 1 encrypted PDF" in done.stdout
    assert "skipped locked.pdf: encrypted PDF" in done.stderr
    assert "logo.png" in done.stderr and "page_files/style.css" in done.stderr
    assert "Traceback" not in done.stderr


QUESTIONS = [
    # (question, source, words the first quote holds)
    ("What does the licence say about anti-circumvention law?", "licences/GPL-3", "technological measure"),
    ("How do I get the password database entry for a given user name?", "pwd.html", "given user name"),
    ("What does xargs do with the --version option?", "xargs.pdf", "version number"),
    ("What are the three major components of the email package?", "email.rst", "three major components"),
    ("What does the builtins module provide access to?", "saved-page.txt", "built-in"),
    ("When was the Hamm release?", "history.epub", "July 1998"),
    ("Is fill_value still a function?", "masked-arrays.odt", "property, not a function"),
    ("Which user do web servers run as?", "users.rtf", "www-data"),
]


def test_each_format_answers_with_an_exact_quote_its_section_and_page(folder, env):
    done = run(env, "ask", "--json", "--corpus", str(folder), *(q for q, _, _ in QUESTIONS))
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    texts: dict[str, str] = {}
    for (question, source, words), answer in zip(QUESTIONS, answers):
        first = answer["excerpts"][0]
        assert answer["answered"] and first["source"] == source, (question, first)
        assert words in " ".join(first["quote"].split()), (question, first["quote"])
        for excerpt in answer["excerpts"]:
            path = folder / excerpt["source"]
            text = texts.setdefault(excerpt["source"], text_of(env, path))
            assert excerpt["quote"] == text[excerpt["start"]:excerpt["end"]]  # checked through `assistant text`
            assert "<p" not in excerpt["quote"] and "```" not in excerpt["quote"]
    gpl = answers[0]["excerpts"][0]
    assert gpl["section"] == "3. Protecting Users' Legal Rights From Anti-Circumvention Law."
    assert gpl["title"] == "GNU GENERAL PUBLIC LICENSE Version 3, 29 June 2007"  # one line
    xargs = answers[2]["excerpts"][0]
    # The option's bold line is the term its text defines, quoted with it, under OPTIONS.
    assert xargs["page"] == 3 and xargs["section"] == "OPTIONS" and xargs["quote"].startswith("--version")
    assert answers[3]["excerpts"][0]["section"] == "email Package Architecture › Overview"
    assert answers[6]["excerpts"][0]["section"] == "Main differences"  # an .odt's heading over its list
    assert answers[7]["excerpts"][0]["section"] == "Chapter 2. Users and Groups › www-data"  # an RTF's headings


def test_the_console_line_of_a_citation_shows_section_and_page(folder, env):
    done = run(env, "ask", "--corpus", str(folder), "-k", "1", QUESTIONS[2][0])
    assert "xargs.pdf, § OPTIONS, p. 3, ¶" in done.stdout
    # The top heading that is the document's title is said once, as its title (the JSON keeps the path).
    done = run(env, "ask", "--corpus", str(folder), "-k", "1", QUESTIONS[3][0])
    assert "email Package Architecture, § Overview, ¶" in done.stdout


def test_a_headings_words_find_the_section_under_it(tmp_path, env):
    (tmp_path / "shop.txt").write_text(
        "Our shop\n\nWe sell handmade furniture from our workshop in the valley.\n\nRefunds\n\n"
        "You may return any item within 30 days for a full credit to your card.\n\nShipping\n\n"
        "Parcels leave our warehouse every Monday and arrive within five days.\n", encoding="utf-8")
    done = run(env, "ask", "--json", "--corpus", str(tmp_path / "shop.txt"), "What is the refund policy?")
    first = json.loads(done.stdout)["excerpts"][0]
    assert first["quote"].startswith("You may return any item") and first["section"] == "Refunds"


def test_headings_are_never_answers_but_their_words_find_the_section():
    document = document_from_bytes("GPL-3", document_path("GPL-3").read_bytes())
    headings = [p for p in document.paragraphs if p.role == HEADING_ROLE]
    assert "15. Disclaimer of Warranty." in [h.span.of(document.text) for h in headings]
    body = next(p for p in document.paragraphs if "THERE IS NO WARRANTY FOR THE PROGRAM" in p.span.of(document.text))
    assert document.section_of(body.number) == "15. Disclaimer of Warranty."
    assert "Disclaimer of Warranty" in document.heading_text(body.number)


def test_a_short_list_is_one_unit_with_the_sentence_that_introduces_it():
    text = "# Install\n\npip works on:\n\n- Windows\n- Linux\n- macOS\n\nIt needs Python 3.9 or newer to run.\n"
    document = document_from_bytes("notes.md", text.encode())
    unit = next(p for p in document.paragraphs if "pip works on" in p.span.of(text))
    assert document.sentences_in(unit.number) == (unit.span,)
    assert unit.span.of(text) == "pip works on:\n\n- Windows\n- Linux\n- macOS"


def test_code_is_one_unit_never_cut_into_sentences():
    text = "Run this:\n\n```\nmake all. Then\nmake install.\n```\n\nThe end of the guide is here for all readers.\n"
    document = document_from_bytes("guide.md", text.encode())
    code = next(p for p in document.paragraphs if p.kind == "code")
    assert document.sentences_in(code.number) == (code.span,)
    assert code.span.of(text) == "make all. Then\nmake install."


def test_plain_text_is_recognised_by_content_and_binary_refused():
    assert document_from_bytes("README", b"Plain words here.\n\nMore plain words.\n").paragraphs
    with pytest.raises(UnreadableFile, match="binary"):
        document_from_bytes("blob", bytes(range(256)) * 10)
    page = b"<!DOCTYPE html><html><head><title>A page</title></head><body><p>Hello there, reader.</p></body></html>"
    document = document_from_bytes("saved.txt", page)
    assert "<p>" not in document.text and "Hello there, reader." in document.text


def test_a_gzip_bomb_and_a_truncated_gz_are_refused_with_a_reason():
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="unpacks to more than 1 MB"):
        gunzipped(bomb, 1024 * 1024)
    with pytest.raises(UnreadableFile, match="truncated"):
        gunzipped(gzip.compress(b"words " * 1000)[:-30], 1024 * 1024)
    two_members = gzip.compress(b"First part.\n\n") + gzip.compress(b"Second part.\n")
    assert gunzipped(two_members, 1024) == b"First part.\n\nSecond part.\n"


def test_text_prints_exactly_what_is_indexed_and_refuses_what_it_cannot_read(folder, env):
    assert text_of(env, folder / "licences" / "GPL-3") == (document_path("GPL-3")).read_text(encoding="utf-8")
    done = run(env, "text", str(folder / "locked.pdf"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "encrypted PDF" in done.stderr
    missing = run(env, "text", str(folder / "nope.txt"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_verify_confirms_quotes_and_names_those_whose_document_changed(tmp_path, env):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    shutil.copy(document_path("GPL-3"), corpus / "GPL-3")
    (corpus / "notes.txt").write_text("Alpha beta gamma.\n\nThe river flooded the town of Marlow in 1998.\n",
                                      encoding="utf-8")
    saved = run(env, "ask", "--json", "--corpus", str(corpus), "When did the river flood Marlow?",
                "What does the GPL say about anti-circumvention law?")
    answers = tmp_path / "answers.jsonl"
    answers.write_text(saved.stdout, encoding="utf-8")
    ok = run(env, "verify", str(answers), "--corpus", str(corpus))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "[1] ok: notes.txt" in ok.stdout
    # The note gains a paragraph before the quote: the quote moved.
    (corpus / "notes.txt").write_text("New first line.\n\nAlpha beta gamma.\n\nThe river flooded the town of Marlow "
                                      "in 1998.\n", encoding="utf-8")
    moved = run(env, "verify", str(answers), "--corpus", str(corpus))
    assert moved.returncode == 1 and "moved: notes.txt" in moved.stdout
    assert "ok: GPL-3" in moved.stdout
    (corpus / "notes.txt").write_text("The river flooded the town of Marlow in 1999.\n", encoding="utf-8")
    changed = run(env, "verify", str(answers), "--corpus", str(corpus))
    assert changed.returncode == 1 and "changed: notes.txt" in changed.stdout


def test_verify_reads_the_markdown_that_save_writes(tmp_path, env):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    shutil.copy(document_path("GPL-3"), corpus / "GPL-3")
    script = "What does the licence say about anti-circumvention law?\n/save answer.md\n"
    done = subprocess.run([sys.executable, "-m", "assistant", "chat", "--corpus", str(corpus)], input=script,
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    saved = (tmp_path / "answer.md").read_text(encoding="utf-8")
    assert "text sha256 " in saved
    ok = run(env, "verify", str(tmp_path / "answer.md"), "--corpus", str(corpus))
    assert ok.returncode == 0 and ok.stdout.count(" ok: GPL-3") >= 1, ok.stdout
    edited = (corpus / "GPL-3").read_text(encoding="utf-8").replace("technological", "technical")
    (corpus / "GPL-3").write_text(edited, encoding="utf-8")
    assert run(env, "verify", str(tmp_path / "answer.md"), "--corpus", str(corpus)).returncode == 1


def test_no_subcommand_with_corpus_opens_the_console_on_it(folder, env):
    done = run(env, "--corpus", str(folder / "licences"), stdin="What does the GPL say about anti-circumvention law?\n")
    assert done.returncode == 0, done.stderr
    assert "[licences" not in done.stdout and "GPL-3" in done.stdout


def test_sort_out_names_non_documents_by_kind(folder):
    kept, warnings = sort_out(discover(folder))
    assert "logo.png" not in [f.source for f in kept]
    assert warnings == ["skipped 2 files that are not documents: 1 image, 1 web page resource "
                        "(logo.png, page_files/style.css)"]


def test_a_document_goes_by_its_files_name_and_its_titles_initials(tmp_path, env):
    mpl = document_from_bytes("licences/MPL-2.0", (document_path("MPL-2.0")).read_bytes())
    assert mpl.aliases.split()[:2] == ["MPL-2.0", "MPL"]
    gpl = document_from_bytes("GPL-3", document_path("GPL-3").read_bytes())
    assert "GPL" in gpl.aliases.split()  # "GENERAL PUBLIC LICENSE"
    # A number in a file's name would match every question giving a number.
    assert document_from_bytes("000_50fe43ddfa67b07d.txt", b"Words of a note here.\n").aliases == ""
    (tmp_path / "licences").mkdir()
    for name in ("GPL-3", "MPL-2.0"):
        shutil.copy(document_path(name), tmp_path / "licences" / name)
    done = run(env, "ask", "--json", "--corpus", str(tmp_path / "licences"), "Does the MPL grant patent rights?")
    answer = json.loads(done.stdout)  # without the name "MPL", declined: no passage writes it
    assert answer["answered"] and answer["excerpts"][0]["source"] == "MPL-2.0"


def test_a_name_run_together_with_its_version_names_the_document(tmp_path):
    """"GPLv3" and "MPL2" are how people write "GPL-3" and "MPL-2.0": the
    question is asked of that licence, not of the ones beside it."""
    from assistant.answerer import Assistant

    assert {"GPL3", "GPLv3"} <= set(document_from_bytes("GPL-3", document_path("GPL-3").read_bytes()).aliases.split())
    # Only a short version: a year in a file's name is no version ("report-2024").
    assert document_from_bytes("report-2024.txt", b"Words of a report here.\n").aliases == "report-2024 report"
    # xargs' manual writes "License GPLv3+": the word alone does not name the licence.
    for name in ("GPL-3", "MPL-2.0", "Apache-2.0", "xargs.pdf"):
        shutil.copy(document_path(name), tmp_path / name)
    assistant = Assistant.open(tmp_path, cache_dir=tmp_path / "cache")
    for question in ("When are my rights terminated under GPLv3?", "Does GPLv3 grant patent rights?",
                     "Under GPLv3 can I sublicense?"):
        _, _, candidates = assistant.ranked(question, 5)
        assert {assistant.library.document(c.document).source for c in candidates} == {"GPL-3"}


def test_a_tables_first_row_names_its_columns_and_is_not_quoted_alone():
    page = (b"<html><body><h1>Users</h1><p>The fields of each entry are listed in the table below.</p><table>"
            b"<tr><th>Index</th><th>Attribute</th><th>Meaning</th></tr>"
            b"<tr><td>0</td><td>pw_name</td><td>Login name</td></tr>"
            b"<tr><td>5</td><td>pw_dir</td><td>User home directory</td></tr></table></body></html>")
    document = document_from_bytes("pwd.html", page)
    table = next(p for p in document.paragraphs if p.kind == "table_row")
    rows = [span.of(document.text) for span in document.sentences_in(table.number)]
    assert rows == ["0 | pw_name | Login name", "5 | pw_dir | User home directory"]
    assert "Index | Attribute | Meaning" in document.heading_text(table.number)


def test_inline_markup_is_rendered_on_screen_and_kept_in_the_json(folder, env):
    question = "How does the email package fold headers?"
    shown = run(env, "ask", "--corpus", str(folder), "-k", "1", question).stdout
    raw = json.loads(run(env, "ask", "--json", "--corpus", str(folder), "-k", "1", question).stdout)
    assert ":class:`~email.header.Header`'s folding" in raw["excerpts"][0]["quote"]
    assert "Uses Header's folding" in shown and ":class:" not in shown


def test_inline_markup_rendering_leaves_plain_text_and_identifiers_alone():
    from assistant.inline_markup import shown

    assert shown("Uses :class:`~email.header.Header`'s folding, :keyword:`!pass`, ``x = 1``", "rst") == \
        "Uses Header's folding, pass, x = 1"
    assert shown("__Zstandard__, or `zstd`, see [RFC8878](https://x) for snake_case_name", "markdown") == \
        "Zstandard, or zstd, see RFC8878 for snake_case_name"
    assert shown("a *literal* :class:`x` in plain text", None) == "a *literal* :class:`x` in plain text"
    # A quote running from a sentence into the code block it introduces shows no fence.
    assert shown("One could use the 'line' event:\n\n```mjs\nrl.on('line', show);", "markdown") == \
        "One could use the 'line' event:\n\nrl.on('line', show);"
    assert shown("```mjs in a sentence", None) == "```mjs in a sentence"


def test_a_sphinx_source_named_rst_txt_is_read_as_rst():
    # Sphinx copies each page's source beside it as "_sources/NAME.rst.txt":
    # read as its page's source, not as plain text with markup in it.
    data = document_path("email-architecture.rst").read_bytes()
    source = document_from_bytes("_sources/email-architecture.rst.txt", data)
    assert source.markup == "rst" and source.name == "email Package Architecture"
    assert source.paragraphs == document_from_bytes("email-architecture.rst", data).paragraphs
    assert document_from_bytes("notes.txt", data).markup is None  # a .txt alone stays plain text


def test_a_markdown_pages_title_is_its_top_heading_not_a_note_under_it():
    page = b"# Readline\n\n<!--introduced_in=v0.10.0-->\n\n> Stability: 2 - Stable\n\nThe module reads a stream a line at a time.\n"
    document = document_from_bytes("readline.md", page)
    assert document.display_title == "Readline"
    assert document.title.of(document.text) == "Readline"  # a span of the text, as a quote of it


def test_a_title_is_shown_without_its_markup():
    for name, page in (("inspect.md", b"# `pip inspect` JSON output *spec*\n\nThe command reports what is installed.\n"),
                       ("email.rst", b"=============================\n:mod:`email` Package Layout\n"
                                     b"=============================\n\nThe package has three parts.\n")):
        document = document_from_bytes(name, page)
        assert document.display_title in ("pip inspect JSON output spec", "email Package Layout")
        assert "`" not in document.display_title and "*" not in document.display_title


def test_a_reader_whose_library_is_missing_skips_its_files_not_the_run(monkeypatch):
    monkeypatch.setitem(sys.modules, "assistant.readers.html", None)  # as if its library failed to import
    with pytest.raises(UnreadableFile, match="cannot read HTML here"):
        document_from_bytes("page.html", b"<html><body><p>Words of a page here.</p></body></html>")
    assert document_from_bytes("notes.txt", b"Plain words still read.\n").paragraphs


@pytest.mark.parametrize("name, page, question, raw, seen", [
    ("guide.rst", b"Upgrading\n=========\n\nFor the whole list of options, see the :ref:`pip install` reference.\n",
     "Where is the whole list of options?", ":ref:`pip install` reference", "pip install reference"),
    ("guide.md", b"# Upgrading\n\nFor the whole list of options, see the `pip install` reference.\n",
     "Where is the whole list of options?", "`pip install` reference", "pip install reference"),
])
def test_a_short_answer_never_cuts_a_code_mark_and_shows_as_its_quote_does(name, page, question, raw, seen):
    from assistant.answerer import Assistant
    from assistant.render import answer_shown, answer_to_text

    document = document_from_bytes(name, page)
    answer = Assistant.from_documents("memory", [document]).ask(question)
    excerpt = answer.excerpts[0]
    assert excerpt.answer is not None and excerpt.answer.text == raw  # the JSON keeps the text as written
    assert document.text[excerpt.answer.start : excerpt.answer.end] == raw
    assert answer_shown(excerpt) == seen
    assert f"answer: {seen}" in answer_to_text(answer)
