"""Manual pages as /usr/share/man holds them (tests/data/man/README.md): troff
written with the man(7) macros, recognised by content, set as text (fonts,
escapes and requests rendered or left out), headings and option tags kept as
structure, tbl tables a row a line; a page in mdoc and a page that only
sources another are skipped, said so; quotes exact through `assistant text`."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys

import pytest
from documents import document_of, document_path, paragraph_holding, unpacked

from assistant.corpus import (DEFINITION, HEADING, TABLE_ROW, UnreadableFile, document_format, document_from_bytes,
                              load_corpus)
from assistant.readers.man import render


def test_a_man_page_is_recognised_by_its_requests_whatever_its_name():
    data = unpacked("grep.1.gz")
    assert document_format("grep.1", data) == "man"
    assert document_format("grep-manual", data) == "man"
    assert document_format("notes.txt", b".. and then the text went on.\n") == "text"
    assert document_of("grep.1.gz").display_title == "GREP(1)"


def test_the_page_is_set_as_text_without_troff():
    doc = document_of("grep.1.gz")
    text = doc.text
    assert not re.search(r"^[.'][A-Za-z]", text, re.MULTILINE)  # no request left
    assert not re.search(r"\\f[BIRP]|\\-|\\\((?:em|aq|dq|lq|rq)|\\\*\(|\\&", text)  # no escape left
    assert "the backslashed versions \\?, \\+, \\{, \\|, \\(, and \\)." in text  # ("\\e": the backslash itself)
    assert "grep searches for PATTERNS in each FILE." in text  # fonts set, the lines filled
    headings = [p.span.of(text) for p in doc.paragraphs if p.kind == HEADING]
    assert headings[:5] == ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "Generic Program Information"]


def test_an_options_tag_is_the_term_of_its_description():
    doc = document_of("grep.1.gz")
    option = paragraph_holding(doc, "--count")
    assert option.kind == DEFINITION and doc.term(option.number) == "-c, --count"
    first = doc.sentences_in(option.number)[0].of(doc.text)
    assert first.startswith("-c, --count\nSuppress normal output; instead print a count of matching lines")
    headings = [doc.paragraphs[n - 1].span.of(doc.text) for n in option.section]
    assert headings == ["OPTIONS", "General Output Control"]


def test_a_hanging_paragraph_is_the_term_an_untagged_indented_one_describes():
    # help2man writes options as ".HP⏎\fB\-n\fR, ...⏎.IP⏎suppress ...":
    # the option and what it does are one entry, as .TP's tag and text are.
    doc = document_of("sed.1.gz")
    option = paragraph_holding(doc, "suppress automatic printing")
    assert option.kind == DEFINITION and doc.term(option.number) == "-n, --quiet, --silent"
    assert option.span.of(doc.text) == "-n, --quiet, --silent\nsuppress automatic printing of pattern space"
    # A synopsis set with .HP and no .IP after it stays a paragraph of its own.
    synopsis = paragraph_holding(doc, "[--regexp-extended]")
    assert synopsis.kind != DEFINITION


def test_the_strings_a_page_defines_are_set_where_it_uses_them():
    # ".ds sd \fIsed\fP" and "\*(Sd is a stream editor.": the name is
    # written where the page uses it, not left out.
    text = document_of("sed.1.gz").text
    assert "Sed is a stream editor." in text
    assert "sed works by making only one pass over the input(s)" in text
    assert "But it is sed's ability to filter text" in text


def test_a_tbl_table_is_a_row_a_line():
    doc = document_of("strnlen.3.gz")
    table = next(p for p in doc.paragraphs if p.kind == TABLE_ROW)
    # One paragraph, a row a part; the text block's font macro set ("T{⏎.BR strnlen ()⏎T}").
    assert [row.of(doc.text) for row in table.parts] == ["Interface | Attribute | Value",
                                                         "strnlen() | Thread safety | MT-Safe"]
    assert doc.display_title == "strnlen(3)"


def test_escapes_are_set_as_man_sets_them():
    assert render(r"\fB\-c\fR, \(em \[u00E9] \*(lqx\*(rq \e \&. \s-1GNU\s0 a\ b") == "-c, — é “x” \\ . GNU a b"
    assert render(r"text \" a comment") == "text "


def test_mdoc_pages_and_pages_that_only_source_another_are_skipped_with_their_reason(tmp_path):
    with pytest.raises(UnreadableFile, match="manual page in the mdoc macros"):
        document_from_bytes("ssh.1.gz", document_path("ssh.1.gz").read_bytes())
    with pytest.raises(UnreadableFile, match="only points to another"):
        document_from_bytes("init.1", b".so man1/systemd.1\n")
    (tmp_path / "grep.1.gz").write_bytes(document_path("grep.1.gz").read_bytes())
    (tmp_path / "ssh.1.gz").write_bytes(document_path("ssh.1.gz").read_bytes())
    (tmp_path / "init.1.gz").write_bytes(gzip.compress(b".so man1/systemd.1\n"))
    corpus = load_corpus(tmp_path)
    assert [d.source for d in corpus.documents] == ["grep.1.gz"]
    assert any("ssh.1.gz: manual page in the mdoc macros" in w for w in corpus.warnings)
    assert any("init.1.gz: manual page that only points to another" in w for w in corpus.warnings)


def test_asked_through_the_command_line_the_option_is_quoted_with_its_tag(tmp_path_factory):
    folder = tmp_path_factory.mktemp("man")
    for name in ("grep.1.gz", "strnlen.3.gz"):
        (folder / name).write_bytes(document_path(name).read_bytes())
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path_factory.mktemp("cache")), COLUMNS="100")
    done = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "--corpus", str(folder),
                           "How do I count matching lines with grep?"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)["excerpts"][0]
    assert first["source"] == "grep.1.gz" and first["quote"].startswith("-c, --count\nSuppress normal output")
    assert first["title"] == "GREP(1)" and first["section"] == "OPTIONS › General Output Control"
    text = subprocess.run([sys.executable, "-m", "assistant", "text", str(folder / "grep.1.gz")],
                          capture_output=True, env=env, timeout=60).stdout.decode("utf-8")
    for excerpt in json.loads(done.stdout)["excerpts"]:
        assert excerpt["quote"] == text[excerpt["start"]:excerpt["end"]]


def test_numbered_and_bulleted_items_are_list_items_and_tags_terms():
    from assistant.readers.man import read_man

    layout = read_man(".TH T 1\n.SH STEPS\n.IP 1. 4\nFirst step\ngoes on.\n.IP 2. 4\nSecond.\n"
                      ".IP \\(bu 2\nA bullet.\n.IP \\fB\\-n\\fR 4\nA tag.\n")
    blocks = [(b.kind, b.span.of(layout.text)) for b in layout.blocks]
    assert blocks == [(HEADING, "STEPS"), ("list_item", "1. First step goes on."), ("list_item", "2. Second."),
                      ("list_item", "A bullet."), (DEFINITION, "-n\nA tag.")]


def test_a_macros_argument_is_read_as_troff_copies_it():
    # xargs(1): '.B "\-\-show\\-limits"' sets "--show-limits" (in an argument "\\" is one backslash).
    from assistant.readers.man import read_man

    layout = read_man('.TH XARGS 1\n.TP\n.B "\\-\\-show\\\\-limits"\nDisplay the limits.\n')
    assert layout.text == "--show-limits\nDisplay the limits."
