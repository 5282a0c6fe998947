"""GNU Info manuals, as /usr/share/info holds them (tests/data/info/README.md):
recognised by their first line whatever their name, the nodes' text read with
what only navigates left out (node lines, menus, the index, the directory
entry, the tag table), headings nested as Texinfo underlines them, options
and functions read as definitions whose term opens their first sentence, and
quotes exact through `assistant text`."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys

import pytest
from documents import document_of, document_path, paragraph_holding, unpacked

from assistant.corpus import DEFINITION, UnreadableFile, document_format, document_from_bytes, load_corpus
from assistant.readers.info import read_info
from assistant.readers.structure import DESCRIBED


def test_an_info_file_is_recognised_by_its_first_line_whatever_its_name():
    data = unpacked("grep.info.gz")
    assert document_format("grep.info", data) == "info"
    assert document_format("manual", data) == "info"  # no extension
    assert document_format("notes.txt", b"This is a note, produced by hand.\n") == "text"
    # The index's NUL marks make no binary file of it.
    assert b"\x00" in data
    assert document_from_bytes("grep", data).display_title == "grep"


def test_only_the_nodes_text_is_read():
    doc = document_of("grep.info.gz")
    text = doc.text
    for navigation in ("File: grep.info", "Node: Top", "* Menu:", "* Introduction::", "START-INFO-DIR-ENTRY",
                       "Tag Table", "End Tag Table", "Local Variables", "produced by makeinfo", "[index"):
        assert navigation not in text, navigation
    assert "\x00" not in text and "\x1f" not in text and "\x7f" not in text
    assert "Given one or more patterns, ‘grep’ searches input files for matches to" in text
    # The index node is left out whole; the licence, a node of its own, is read.
    assert "* -c: " not in text and "GNU Free Documentation License" in text


def test_headings_nest_as_texinfo_underlines_them():
    doc = document_of("grep.info.gz")
    option = paragraph_holding(doc, "‘--count’")
    headings = [doc.paragraphs[n - 1].span.of(doc.text) for n in option.section]
    assert headings == ["2 Invoking ‘grep’", "2.1 Command-line Options", "2.1.3 General Output Control"]


def test_an_option_is_a_definition_whose_terms_open_its_first_sentence():
    doc = document_of("grep.info.gz")
    option = paragraph_holding(doc, "‘--count’")
    assert option.kind == DEFINITION
    assert doc.term(option.number) == "‘-c’\n‘--count’"
    first = doc.sentences_in(option.number)[0].of(doc.text)
    assert first.startswith("‘-c’\n‘--count’\n     Suppress normal output; instead print a count of matching lines")
    # A later paragraph set at the description's column is under the option's term.
    under = paragraph_holding(doc, "If the input is standard input from a regular file, and NUM")
    term = paragraph_holding(doc, "‘--max-count=NUM’")
    assert under.level == DESCRIBED and under.section[-1] == term.number


def test_a_function_definition_hangs_from_its_whole_signature():
    doc = document_of("libffi.info.gz")
    function = paragraph_holding(doc, "This initializes CIF according to the given parameters.")
    assert function.kind == DEFINITION
    term = doc.term(function.number)
    assert term.lstrip().startswith("-- Function: ffi_status ffi_prep_cif (ffi_cif *CIF")
    assert term.endswith("ffi_type **ARGTYPES)")
    assert doc.display_title == "libffi"


def test_a_split_manuals_index_part_is_skipped_with_its_reason(tmp_path):
    grep = unpacked("grep.info.gz").decode("utf-8")
    index = grep[grep.index("\x1f\nFile: grep.info,  Node: Index"):grep.index("\x1f\nTag Table:")]
    part = "This is grep.info, produced by makeinfo version 6.8 from grep.texi.\n\n" + index
    with pytest.raises(UnreadableFile, match="Info file holding only its index"):
        document_from_bytes("grep.info-2", part.encode("utf-8"))
    (tmp_path / "grep.info-2.gz").write_bytes(gzip.compress(part.encode("utf-8")))
    (tmp_path / "grep.info.gz").write_bytes(document_path("grep.info.gz").read_bytes())
    corpus = load_corpus(tmp_path)
    assert [d.source for d in corpus.documents] == ["grep.info.gz"]
    assert any("grep.info-2.gz: Info file holding only its index" in w for w in corpus.warnings)


def test_read_info_keeps_the_preamble_of_a_file_without_nodes():
    # The first file of a split manual: its preamble, then the tables.
    layout = read_info("This is find.info, produced by makeinfo version 6.8 from find.texi.\n\n"
                       "This manual documents version 4.9.0 of the GNU utilities for finding files.\n"
                       "INFO-DIR-SECTION Basics\nSTART-INFO-DIR-ENTRY\n* Finding files: (find).  Operating.\n"
                       "END-INFO-DIR-ENTRY\n\n\x1f\nIndirect:\nfind.info-1: 1201\n\x1f\nTag Table:\n(Indirect)\n"
                       "Node: Top\x7f1201\n\x1f\nEnd Tag Table\n")
    assert layout.text == "This manual documents version 4.9.0 of the GNU utilities for finding files."


def test_asked_through_the_command_line_the_option_is_quoted_with_its_terms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("info")
    for name in ("grep.info.gz", "libffi.info.gz"):
        (folder / name).write_bytes(document_path(name).read_bytes())
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path_factory.mktemp("cache")), COLUMNS="100")
    done = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "--corpus", str(folder),
                           "How do I count matching lines with grep?", "What does ffi_prep_cif do?"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    grep, ffi = (json.loads(line) for line in done.stdout.splitlines())
    first = grep["excerpts"][0]
    assert first["source"] == "grep.info.gz" and first["quote"].startswith("‘-c’\n‘--count’")
    assert first["section"] == "2 Invoking ‘grep’ › 2.1 Command-line Options › 2.1.3 General Output Control"
    assert ffi["excerpts"][0]["quote"].lstrip().startswith("-- Function: ffi_status ffi_prep_cif")
    text = subprocess.run([sys.executable, "-m", "assistant", "text", str(folder / "grep.info.gz")],
                          capture_output=True, env=env, timeout=60).stdout.decode("utf-8")
    for excerpt in grep["excerpts"]:
        assert excerpt["quote"] == text[excerpt["start"]:excerpt["end"]]
