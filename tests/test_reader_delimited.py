"""Delimited data: Debian's own table of its releases (.csv, as
distro-info-data ships it), and small files for quoting, other delimiters,
tabs and damage; each record a table row whose first names the columns."""

from __future__ import annotations

import shutil

import pytest
from documents import asked, blocks, document_path, text_printed

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers import delimited
from assistant.readers.delimited import read_delimited
from assistant.readers.structure import TABLE_ROW, UnreadableDocument


def test_each_record_is_a_row_and_the_first_names_the_columns():
    data = document_path("debian.csv").read_bytes()
    assert document_format("debian.csv", data) == "delimited"
    document = document_from_bytes("debian.csv", data)
    rows = [p for p in document.paragraphs if p.kind == "table_row"]
    assert len(rows) == 1  # one table
    said = [span.of(document.text) for span in document.sentences_in(rows[0].number)]
    assert "11 | Bullseye | bullseye | 2019-07-06 | 2021-08-14 | 2024-08-14 | 2026-08-31 | 2031-06-30" in said
    assert "version | codename | series | created | release | eol | eol-lts | eol-elts" in \
        document.heading_text(rows[0].number)  # not a row of its own: the columns' names


def test_quoted_fields_other_delimiters_and_tabs():
    found = read_delimited('name,notes\n"Smith, J.","said ""no""\nthen left"\n,\n')
    assert blocks(found, TABLE_ROW) == ["name | notes", 'Smith, J. | said "no" then left']
    assert blocks(read_delimited("Region;Sales 2024\nNorth;12,5\n")) == ["Region | Sales 2024", "North | 12,5"]
    assert blocks(read_delimited("a b\tc, d\n1\t2\n", tab_separated=True)) == ["a b | c, d", "1 | 2"]


def test_a_field_too_large_is_one_line_of_reason(monkeypatch):
    monkeypatch.setattr(delimited, "MAX_FIELD", 100)
    with pytest.raises(UnreadableDocument, match="malformed CSV file"):
        read_delimited("a,b\n" + "x" * 200 + ",y\n")
    with pytest.raises(UnreadableFile, match="malformed CSV file"):
        document_from_bytes("big.csv", b"a,b\n" + b"x" * 200 + b",y\n")


def test_a_row_answers_and_its_quote_holds(tmp_path):
    shutil.copy(document_path("debian.csv"), tmp_path / "releases.csv")
    answer = asked(tmp_path, "What is the codename of Debian 11?", tmp_path / "cache")
    first = answer["excerpts"][0]
    assert answer["answered"] and first["quote"].startswith("11 | Bullseye")
    text = text_printed(tmp_path / "releases.csv", tmp_path / "cache")
    assert first["quote"] == text[first["start"]:first["end"]]


def test_a_short_answer_in_a_row_is_one_cell(tmp_path):
    # A short answer never runs from one cell into the next ("blue |
    # underline", "1993-08-16 | 1996-06-17 | 1997-06-05"): it is a cell.
    shutil.copy(document_path("debian.csv"), tmp_path / "releases.csv")
    (tmp_path / "colors.csv").write_text("Element,Color mode,Monochrome mode\nHyperlinks,blue,underline\n"
                                         "Inline images,green,reverse\nForm input,red,reverse\n")
    for question, row, cell in [("What colour are hyperlinks?", "Hyperlinks | blue", "blue"),
                                ("Which Debian release was code named Buzz?", "1.1 | Buzz", "1.1")]:
        answer = asked(tmp_path, question, tmp_path / "cache")
        first = answer["excerpts"][0]
        assert first["quote"].startswith(row)
        assert first["answer"]["text"] == cell
        assert " | " not in first["answer"]["text"]
