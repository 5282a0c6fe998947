"""The Word 97-2003 reader on real .doc files, written by LibreOffice 7.4 from
the two Word documents of tests/data/docx (the w3m manual: headings, a
definition list, preformatted text, tables, hyperlinks; Debian's "Users and
Groups": title, headings, a table, bulleted and numbered lists, a running
header and footer, summary information), read block for block as the .docx
reader reads the same documents; damage, passwords and other OLE files."""

from __future__ import annotations

import functools
import random
import shutil

import pytest
from documents import asked, assert_blocks_in_order, blocks, document_path, headings, section_of, text_printed

olefile = pytest.importorskip("olefile")

from assistant.corpus import UnreadableFile, document_format, document_from_bytes  # noqa: E402
from assistant.readers.doc import read_doc  # noqa: E402
from assistant.readers.docx import read_docx  # noqa: E402
from assistant.readers.structure import CODE, LIST_ITEM, TABLE_ROW, UnreadableDocument  # noqa: E402

FIXTURES = ("w3m-manual", "users-and-groups")


@functools.cache
def layout(name: str):
    return read_doc(document_path(f"{name}.doc").read_bytes())


@pytest.mark.parametrize("name", FIXTURES)
def test_a_doc_reads_block_for_block_as_the_same_document_saved_as_docx(name):
    found = layout(name)
    assert found.page_starts == ()
    assert_blocks_in_order(found)
    word = read_docx(document_path(f"{name}.docx").read_bytes())
    assert [(b.kind, b.level, b.span.of(found.text)) for b in found.blocks] == \
        [(b.kind, b.level, b.span.of(word.text)) for b in word.blocks]
    assert (found.title, found.author, found.date) == (word.title, word.author, word.date)


def test_headings_tables_lists_and_code():
    manual, report = layout("w3m-manual"), layout("users-and-groups")
    assert headings(manual)[:4] == [("w3m MANUAL", 1), ("Index", 2), ("Introduction", 2), ("Options", 2)]
    assert "NEXT_PAGE | SPC, C-v, +, PGDN | SPC, C-v, + | Scroll one page downwards" in blocks(manual, TABLE_ROW)
    assert "w3m [option]... [file|URL]..." in blocks(manual, CODE)
    assert blocks(report, TABLE_ROW)[:2] == ["Name | Purpose", "root | Root is (typically) the superuser."]
    assert any(item.startswith("adm: Group adm is used for system monitoring tasks.") for item in blocks(report, LIST_ITEM))
    assert (report.title, report.author, report.date) == (
        "Users and Groups in the Debian System", "Joey Hess, Colin Watson, David Mandelberg", "2022-09-20")


def test_headers_footers_and_field_instructions_are_left_out():
    assert "Page " not in layout("users-and-groups").text  # the running footer "Page N of M"
    assert "HYPERLINK" not in layout("w3m-manual").text and "PAGE" not in layout("users-and-groups").text


def test_a_doc_is_a_document_of_the_corpus_whatever_its_name_and_quotes_hold():
    data = document_path("users-and-groups.doc").read_bytes()
    assert document_format("users-and-groups.doc", data) == "doc"
    assert document_format("MINUTES", data) == "doc"  # by its first bytes
    document = document_from_bytes("users-and-groups.doc", data)
    assert document.display_title == "Users and Groups in the Debian System"
    assert section_of(document, "Some web servers run as www-data.") == [
        "Chapter 2. Users and Groups", "www-data"]


def test_a_document_saved_with_a_password_is_said_so(tmp_path):
    locked = tmp_path / "locked.doc"
    shutil.copy(document_path("users-and-groups.doc"), locked)
    with olefile.OleFileIO(str(locked), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[11] |= 0x01  # the FIB's fEncrypted flag: 0x0100 of the little-endian flags at offset 10
        ole.write_stream("WordDocument", bytes(stream))
    with pytest.raises(UnreadableDocument, match="encrypted Word file"):
        read_doc(locked.read_bytes())
    with pytest.raises(UnreadableFile, match="encrypted Word file"):
        document_from_bytes("locked.doc", locked.read_bytes())


def test_another_kind_of_ole_file_is_said_so(monkeypatch):
    # An Excel 97 workbook holds a "Workbook" stream and no "WordDocument".
    monkeypatch.setattr(olefile.OleFileIO, "exists", lambda self, name: name == "Workbook")
    with pytest.raises(UnreadableDocument, match=r"not a Word document \(an Excel workbook\)"):
        read_doc(document_path("users-and-groups.doc").read_bytes())


def test_damaged_files_are_one_line_of_reason_or_read_never_a_traceback():
    good = document_path("users-and-groups.doc").read_bytes()
    with pytest.raises(UnreadableDocument, match="broken Word 97-2003 file"):
        read_doc(good[:3000])
    with pytest.raises(UnreadableDocument, match="not an OLE file"):
        read_doc(b"plain text")
    rng = random.Random(7)
    for _ in range(60):
        damaged = bytearray(good)
        for _ in range(rng.choice((1, 8, 64))):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            read_doc(bytes(damaged))
        except UnreadableDocument as error:
            assert "\n" not in str(error)


def test_quotes_from_a_doc_are_its_text_as_assistant_text_prints_it(tmp_path):
    shutil.copy(document_path("users-and-groups.doc"), tmp_path / "users.doc")
    answer = asked(tmp_path, "Which user do web servers run as?", tmp_path / "cache")
    text = text_printed(tmp_path / "users.doc", tmp_path / "cache")
    assert answer["answered"] and "www-data" in answer["excerpts"][0]["quote"]
    for excerpt in answer["excerpts"]:
        assert excerpt["quote"] == text[excerpt["start"]:excerpt["end"]]
