"""The Word reader on real .docx files: the w3m manual converted by
LibreOffice (headings, lists, preformatted text, tables) and Debian's "Users
and Groups" written with python-docx (title, headings, a table, bulleted and
numbered lists, header and footer, core properties); small documents made in
the tests for the corners."""

from __future__ import annotations

import functools
import io
import re
import zipfile

import pytest
from documents import assert_blocks_in_order, blocks, document_path, headings

docx = pytest.importorskip("docx")


from assistant.readers import docx as docx_reader  # noqa: E402
from assistant.readers.docx import read_docx  # noqa: E402
from assistant.readers.structure import CODE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, UnreadableDocument  # noqa: E402

FIXTURES = ("w3m-manual.docx", "users-and-groups.docx")


@functools.cache
def layout(name: str):
    return read_docx((document_path(name)).read_bytes())



def made(build) -> bytes:
    """A .docx written by python-docx: `build(document)` fills it."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", FIXTURES)
def test_blocks_are_in_order_apart_inside_the_text_and_trimmed(name):
    found = layout(name)
    assert found.page_starts == ()
    assert_blocks_in_order(found)


def test_headings_with_their_levels():
    found = layout("w3m-manual.docx")
    levels = headings(found)
    assert levels[:4] == [("w3m MANUAL", 1), ("Index", 2), ("Introduction", 2), ("Options", 2)]
    assert ("General options", 3) in levels
    report = layout("users-and-groups.docx")
    levels = headings(report)
    assert levels[:3] == [
        ("Users and Groups in the Debian System", 1),  # style "Title"
        ("Chapter 1. Introduction", 1),
        ("Chapter 2. Users and Groups", 1),
    ]
    assert ("www-data", 2) in levels


def test_paragraphs_are_whole_with_white_space_collapsed():
    found = layout("w3m-manual.docx")
    assert (
        "w3m is a pager/text-based WWW browser. You can browse local documents and/or documents on the WWW "
        "using a terminal emulator."
    ) in blocks(found, PARAGRAPH)
    assert "Akinori Ito aito@fw.ipsj.or.jp" in blocks(found, PARAGRAPH)  # a line break inside


def test_numbered_and_bulleted_paragraphs_are_list_items():
    found = layout("w3m-manual.docx")
    assert blocks(found, LIST_ITEM)[:3] == ["Introduction", "Options", "Document Colors"]  # numbered by LibreOffice
    report = layout("users-and-groups.docx")
    items = blocks(report, LIST_ITEM)
    assert "fax: Allows members to use fax software to send or receive faxes." in items  # List Bullet
    assert "fetchmail: Used by the fetchmail program." in items  # List Number
    # A "List Continue" paragraph goes on with its item; it is not an item itself.
    assert "Historically, /var/log was /usr/adm (and later /var/adm), thus the name of the group." in blocks(
        report, PARAGRAPH
    )


def test_table_rows_are_cells_joined():
    found = layout("w3m-manual.docx")
    rows = blocks(found, TABLE_ROW)
    assert "Hyperlinks | blue | underline" in rows
    assert "NEXT_PAGE | SPC, C-v, +, PGDN | SPC, C-v, + | Scroll one page downwards" in rows
    report = blocks(layout("users-and-groups.docx"), TABLE_ROW)
    assert report[:2] == ["Name | Purpose", "root | Root is (typically) the superuser."]


def test_preformatted_paragraphs_are_one_code_block_line_by_line():
    code = blocks(layout("w3m-manual.docx"), CODE)
    assert "w3m [option]... [file|URL]..." in code
    assert "Content-Type: text/plain\nW3m-control: BACK" in code


def test_metadata_from_core_properties():
    report = layout("users-and-groups.docx")
    assert (report.title, report.author, report.date) == (
        "Users and Groups in the Debian System",
        "Joey Hess, Colin Watson, David Mandelberg",
        "2022-09-20",
    )
    assert layout("w3m-manual.docx").title == "w3m manual"


def test_headers_and_footers_are_left_out():
    text = layout("users-and-groups.docx").text
    assert "Page" not in text.split("\n\n")[-1] and "of 1" not in text
    assert text.count("Users and Groups in the Debian System") == 1


def test_title_paragraph_names_a_document_without_a_title_property():
    def build(document):
        document.core_properties.title = ""
        document.add_paragraph("Quarterly figures", style="Title")
        document.add_paragraph("Sales rose.")

    found = read_docx(made(build))
    assert found.title == "Quarterly figures"
    assert [(block.kind, block.level) for block in found.blocks] == [(HEADING, 1), (PARAGRAPH, 0)]


def test_text_of_links_and_insertions_is_kept_deleted_text_and_tables_of_contents_are_not():
    def build(document):
        paragraph = document.add_paragraph("See ")
        paragraph._p.append(
            docx.oxml.parse_xml(
                f'<w:hyperlink {docx.oxml.ns.nsdecls("w", "r")} r:id="rId99"><w:r><w:t>the manual</w:t></w:r></w:hyperlink>'
            )
        )
        paragraph._p.append(
            docx.oxml.parse_xml(
                f'<w:del {docx.oxml.ns.nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText> (old)</w:delText></w:r></w:del>'
            )
        )
        paragraph._p.append(
            docx.oxml.parse_xml(f'<w:ins {docx.oxml.ns.nsdecls("w")} w:id="2" w:author="a"><w:r><w:t> now.</w:t></w:r></w:ins>')
        )
        document.add_paragraph("Introduction\t3", style=document.styles.add_style("TOC 1", 1))
        document.add_paragraph("   ")
        document.add_paragraph("The\tend.")

    found = read_docx(made(build))
    assert blocks(found) == ["See the manual now.", "The end."]


def test_a_style_based_on_a_heading_is_a_heading():
    def build(document):
        style = document.styles.add_style("Chapter Heading", 1)
        style.base_style = document.styles["Heading 2"]
        document.add_paragraph("Results", style="Chapter Heading")
        document.add_paragraph("Numbers went up.")

    found = read_docx(made(build))
    assert [(block.kind, block.level) for block in found.blocks] == [(HEADING, 2), (PARAGRAPH, 0)]


def test_merged_and_empty_cells_are_not_repeated():
    def build(document):
        table = document.add_table(rows=2, cols=3)
        top = table.rows[0].cells
        top[0].text = "Region"
        merged = top[1].merge(top[2])
        merged.text = "Sales 2024"
        bottom = table.rows[1].cells
        bottom[0].text, bottom[2].text = "North", "12"

    found = read_docx(made(build))
    assert blocks(found, TABLE_ROW) == ["Region | Sales 2024", "North | 12"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a zip"),
        (b"plain text, not a Word file", "not a zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old-format"),
    ],
    ids=["empty", "text", "ole (.doc or encrypted)"],
)
def test_what_is_not_a_docx_is_unreadable(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_docx(data)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_that_is_no_word_document_is_unreadable():
    with pytest.raises(UnreadableDocument, match="a zip archive of other files"):
        read_docx(zipped({"hello.txt": b"hello"}))
    good = (document_path("users-and-groups.docx")).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", spreadsheet.encode()
    )
    with pytest.raises(UnreadableDocument, match=re.escape(f"not a Word .docx document ({spreadsheet})")):
        read_docx(zipped(files))


def test_a_damaged_word_document_is_unreadable():
    good = (document_path("users-and-groups.docx")).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/document.xml"] = files["word/document.xml"][:5000]  # cut off mid-element
    with pytest.raises(UnreadableDocument, match="broken Word file"):
        read_docx(zipped(files))
    with pytest.raises(UnreadableDocument):
        read_docx(good[: len(good) // 2])  # a truncated download


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 8 * 2**20)
    bomb = zipped({"word/document.xml": b"<" + b"a" * (9 * 2**20), "[Content_Types].xml": b""})
    assert len(bomb) < 100_000
    with pytest.raises(UnreadableDocument, match="unpacks to 9 MB, more than 8 MB"):
        read_docx(bomb)
