"""The RTF reader on a real file, Debian's "Users and Groups" as LibreOffice
saves it in Rich Text Format (title, headings, a table, bulleted and numbered
lists, a running header and footer, the document's information), read as
the Word reader reads the same document saved as .docx; small RTF written in
the tests for the corners (code pages, Unicode escapes, fields, footnotes,
unknown destinations, tables, damage)."""

from __future__ import annotations

import functools

import pytest
from documents import assert_blocks_in_order, blocks, document_path, headings, section_of

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers.docx import read_docx
from assistant.readers.rtf import MAX_DEPTH, read_rtf
from assistant.readers.structure import CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, UnreadableDocument


@functools.cache
def layout():
    return read_rtf(document_path("users-and-groups.rtf").read_bytes())


def rtf(body: str, styles: str = "") -> bytes:
    """A small RTF as WordPad writes one, with a style sheet when given."""
    sheet = "{\\stylesheet{\\s0 Normal;}" + styles + "}" if styles else ""
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}" + sheet
            + "\\pard " + body + "}").encode("latin-1")


def test_blocks_are_in_order_and_read_as_the_same_document_saved_as_docx():
    found = layout()
    assert found.page_starts == ()
    assert_blocks_in_order(found)
    word = read_docx(document_path("users-and-groups.docx").read_bytes())
    assert [(b.kind, b.level, b.span.of(found.text)) for b in found.blocks] == \
        [(b.kind, b.level, b.span.of(word.text)) for b in word.blocks]


def test_headings_lists_tables_and_the_information_group():
    found = layout()
    assert headings(found)[:2] == [("Users and Groups in the Debian System", 1), ("Chapter 1. Introduction", 1)]
    assert ("www-data", 2) in headings(found)
    assert blocks(found, TABLE_ROW)[:2] == ["Name | Purpose", "root | Root is (typically) the superuser."]
    assert any(item.startswith("adm: Group adm is used for system monitoring tasks.") for item in blocks(found, LIST_ITEM))
    assert (found.title, found.author, found.date) == (
        "Users and Groups in the Debian System", "Joey Hess, Colin Watson, David Mandelberg", "2022-09-20")


def test_the_running_header_and_footer_are_left_out():
    assert "Page " not in layout().text


def test_code_pages_unicode_escapes_and_symbols():
    found = read_rtf(rtf("caf\\'e9 \\u8220\\'93quoted\\u8221\\'94 a\\~b \\emdash\\par "
                         "\\uc2\\u12354\\'82\\'a0 two skipped\\par"))
    # (A no-break space is white space, collapsed with the rest in prose.)
    assert blocks(found) == ["café \u201cquoted\u201d a b \u2014", "\u3042 two skipped"]
    cyrillic = read_rtf(rtf("\\'cf\\'f0\\'e8\\'e2\\'e5\\'f2\\par").replace(b"ansicpg1252", b"ansicpg1251"))
    assert blocks(cyrillic) == ["Привет"]


def test_fields_keep_their_result_and_destinations_are_left_out():
    found = read_rtf(rtf(
        "See {\\field{\\*\\fldinst HYPERLINK \"https://example.org\"}{\\fldrslt the site}} now."
        "{\\footnote \\pard A footnote.}{\\*\\unknowndestination hidden}{\\pict\\pngblip 89504e47}"
        "{\\header \\pard Running head\\par}\\par"))
    assert blocks(found) == ["See the site now."]


def test_styles_and_outline_levels_make_headings_code_and_list_items():
    found = read_rtf(rtf(
        "\\s1 Setup\\par\\pard\\s2 To install it:\\par"
        "\\pard\\s3 make\\line    make install\\par\\pard\\s3 done\\par"
        "\\pard{\\listtext\\'95\\tab}\\ls1 first item\\par"
        "\\pard\\outlinelevel1 Details\\par",
        styles="{\\s1\\sbasedon0 heading 1;}{\\s2 Body Text;}{\\s3 Preformatted Text;}"))
    assert [(b.kind, b.level, b.span.of(found.text)) for b in found.blocks] == [
        (HEADING, 1, "Setup"), (PARAGRAPH, 0, "To install it:"), (CODE, 0, "make\n   make install\ndone"),
        (LIST_ITEM, 0, "first item"), (HEADING, 2, "Details")]


def test_table_cells_of_several_paragraphs_are_one_cell():
    found = read_rtf(rtf("\\trowd\\cellx1000\\cellx2000\\pard\\intbl Name\\cell\\pard\\intbl One\\par two\\cell\\row"
                         "\\pard After.\\par"))
    assert [(b.kind, b.span.of(found.text)) for b in found.blocks] == [(TABLE_ROW, "Name | One two"),
                                                                        (PARAGRAPH, "After.")]


def test_an_rtf_is_a_document_of_the_corpus_whatever_its_name_and_quotes_hold():
    data = document_path("users-and-groups.rtf").read_bytes()
    assert document_format("users-and-groups.rtf", data) == "rtf"
    assert document_format("press-release", data) == "rtf"  # by its first bytes
    document = document_from_bytes("users-and-groups.rtf", data)
    assert document.display_title == "Users and Groups in the Debian System"
    assert section_of(document, "The Debian base-passwd package contains") == [
        "Chapter 1. Introduction"]


@pytest.mark.parametrize("data, reason", [
    (b"Just text, no RTF.", "not an RTF file"),
    (b"{\\rtf1 " + b"{" * (MAX_DEPTH + 1) + b"deep" + b"}" * (MAX_DEPTH + 1) + b"}", "nested more than"),
])
def test_what_is_no_rtf_is_one_line_of_reason(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_rtf(data)
    if data.startswith(b"{"):
        with pytest.raises(UnreadableFile, match=reason):
            document_from_bytes("deep.rtf", data)


def test_a_truncated_rtf_keeps_what_it_holds():
    data = document_path("users-and-groups.rtf").read_bytes()
    cut = read_rtf(data[: len(data) // 2])
    assert blocks(cut)[:2] == blocks(layout())[:2] and len(cut.blocks) < len(layout().blocks)
