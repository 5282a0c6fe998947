"""The OpenDocument reader on real files: the w3m manual as LibreOffice
Writer saves it (headings set as styles, a definition list, preformatted
text, tables, a list), NumPy's masked-array guide as docutils writes ODF (a
title style, a table of contents, bulleted lists, code) and the same guide as
LibreOffice's flat XML (.fodt); small documents made in the tests for the
corners (spaces, footnotes, comments, tracked deletions, other kinds of
OpenDocument, encryption, damage)."""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from documents import assert_blocks_in_order, blocks, document_path, headings, section_of

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers import odt
from assistant.readers.odt import read_odt
from assistant.readers.structure import (CODE, DEFINITION, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW,
                                         UnreadableDocument)

FIXTURES = ("w3m-manual.odt", "numpy-ma.odt", "numpy-ma.fodt")


@functools.cache
def layout(name: str):
    return read_odt(document_path(name).read_bytes())



_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
               'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
               'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def made(body: str, styles: str = "", mimetype: str = "application/vnd.oasis.opendocument.text",
         extra: dict[str, bytes] | None = None, content: str | None = None) -> bytes:
    """An .odt as Writer zips one: its mimetype first and stored, then content.xml."""
    content = content or (f'<office:document-content {_NAMESPACES}><office:automatic-styles>{styles}</office:automatic-styles>'
               f'<office:body><office:text>{body}</office:text></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", FIXTURES)
def test_blocks_are_in_order_apart_inside_the_text_and_trimmed(name):
    found = layout(name)
    assert found.page_starts == ()
    assert_blocks_in_order(found)


def test_headings_with_their_levels_from_text_h_and_from_heading_styles():
    found = layout("w3m-manual.odt")
    levels = headings(found)
    # "w3m MANUAL" is a paragraph in the style "Heading 1", not a text:h.
    assert levels[:4] == [("w3m MANUAL", 1), ("Index", 2), ("Introduction", 2), ("Options", 2)]
    assert ("General options", 3) in levels
    guide = layout("numpy-ma.odt")
    levels = headings(guide)
    assert levels[:3] == [("A guide to masked arrays in NumPy", 1), ("History", 1), ("Main differences", 1)]


def test_the_flat_xml_file_reads_as_the_zipped_one():
    assert layout("numpy-ma.fodt").text == layout("numpy-ma.odt").text
    assert [b.kind for b in layout("numpy-ma.fodt").blocks] == [b.kind for b in layout("numpy-ma.odt").blocks]
    assert layout("numpy-ma.fodt").title == "A guide to masked arrays in NumPy"


def test_a_table_of_contents_is_left_out():
    found = layout("numpy-ma.odt")
    assert "\t9999" not in found.text and "Contents" not in found.text  # docutils' contents, page numbers and all
    assert blocks(found).count("History") == 1  # the heading, not its line in the contents


def test_paragraphs_whole_list_items_definitions_code_and_table_rows():
    guide = layout("numpy-ma.odt")
    assert "fill_value is now a property, not a function." in blocks(guide, LIST_ITEM)
    assert any(p.startswith("As a regular user of MaskedArray, I (Pierre G.F. Gerard-Marchant) became increasingly "
                            "frustrated") for p in blocks(guide, PARAGRAPH))  # the XML's line ends are spaces
    assert any(c.startswith(">>> import numpy.core.ma as old_ma\n>>> import maskedarray as new_ma\n")
               for c in blocks(guide, CODE))
    manual = layout("w3m-manual.odt")
    assert "-B\nwith no other target defined, use the bookmark page for startup" in blocks(manual, DEFINITION)
    assert "w3m [option]... [file|URL]..." in blocks(manual, CODE)
    assert "Hyperlinks | blue | underline" in blocks(manual, TABLE_ROW)
    assert "Akinori Ito aito@fw.ipsj.or.jp" in blocks(manual, PARAGRAPH)  # a line break inside


def test_metadata_from_meta_xml_and_the_title_style():
    guide = layout("numpy-ma.odt")
    assert (guide.title, guide.date) == ("A guide to masked arrays in NumPy", "2026-12-07")
    untitled = read_odt(made('<text:p text:style-name="P1">The Handbook</text:p><text:p>Body.</text:p>',
                             '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>'))
    assert untitled.title == "The Handbook"
    assert [(b.kind, b.level) for b in untitled.blocks] == [(HEADING, 1), (PARAGRAPH, 0)]


def test_spaces_tabs_and_breaks_as_opendocument_means_them():
    found = read_odt(made(
        '<text:p>One\n   two<text:s text:c="3"/>three<text:tab/>four<text:line-break/>five '
        '<text:span>six</text:span> <text:a>seven</text:a></text:p>'
        '<text:p text:style-name="Preformatted_20_Text">if x:<text:line-break/><text:s text:c="4"/>return 1</text:p>'
        '<text:p text:style-name="Preformatted_20_Text">done</text:p>'))
    assert blocks(found) == ["One two three four five six seven", "if x:\n    return 1\ndone"]
    assert [b.kind for b in found.blocks] == [PARAGRAPH, CODE]


def test_footnotes_comments_frames_and_deleted_text_are_left_out():
    found = read_odt(made(
        '<text:tracked-changes><text:changed-region><text:deletion><text:p>Struck out.</text:p>'
        '</text:deletion></text:changed-region></text:tracked-changes>'
        '<text:p>Kept<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.'
        '</text:p></text:note-body></text:note> text<office:annotation><text:p>A comment.</text:p>'
        '</office:annotation> here.<draw:frame><draw:text-box><text:p>A text box.</text:p></draw:text-box>'
        '</draw:frame></text:p>'))
    assert blocks(found) == ["Kept text here."]


def test_nested_lists_and_sections_and_row_groups():
    found = read_odt(made(
        '<text:section><text:list><text:list-item><text:p>first</text:p><text:list><text:list-item>'
        '<text:p>inner</text:p></text:list-item></text:list></text:list-item></text:list></text:section>'
        '<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Name</text:p>'
        '</table:table-cell><table:table-cell><text:p>Use</text:p></table:table-cell></table:table-row>'
        '</table:table-header-rows><table:table-row><table:table-cell><text:p>ls</text:p></table:table-cell>'
        '<table:table-cell><text:p>lists</text:p></table:table-cell></table:table-row></table:table>'))
    assert [(b.kind, b.span.of(found.text)) for b in found.blocks] == [
        (LIST_ITEM, "first"), (LIST_ITEM, "inner"), (TABLE_ROW, "Name | Use"), (TABLE_ROW, "ls | lists")]


def test_an_odt_is_a_document_of_the_corpus_whatever_its_name_and_quotes_hold():
    data = document_path("w3m-manual.odt").read_bytes()
    assert document_format("w3m-manual.odt", data) == "odt"
    assert document_format("MANUAL", data) == "odt"  # by its mimetype, without a suffix
    assert document_format("numpy-ma.fodt", document_path("numpy-ma.fodt").read_bytes()) == "odt"
    document = document_from_bytes("w3m-manual.odt", data)
    assert document.display_title == "w3m manual"
    assert section_of(document, "w3m is a pager/text-based WWW browser.") == ["w3m MANUAL", "Introduction"]


@pytest.mark.parametrize("data, reason", [
    (made("<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.chart"),
     "an OpenDocument chart, not a text document"),
    (made("<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.graphics"),
     "an OpenDocument drawing, not a text document"),
    (made("<text:p>x</text:p>", extra={"META-INF/manifest.xml": (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        b'</manifest:manifest>')}), "encrypted OpenDocument file"),
    (made("<text:p>x</text:p>")[:60], "broken OpenDocument file"),
    (made("", content="<office:document-content><office:body>"), "broken OpenDocument file"),
    (b'<?xml version="1.0"?><office:document ' + _NAMESPACES.encode()
     + b' office:mimetype="application/vnd.oasis.opendocument.text"><office:body></office:body></office:document>',
     "without a text body"),
])
def test_what_is_no_readable_text_document_is_one_line_of_reason(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_odt(data)
    with pytest.raises(UnreadableFile, match=reason):
        document_from_bytes("report.odt", data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(odt, "MAX_UNPACKED", 1000)
    with pytest.raises(UnreadableDocument, match="unpacks to"):
        read_odt(document_path("w3m-manual.odt").read_bytes())


def test_a_manifest_without_its_namespace_declared_is_no_reason_to_refuse_the_file():
    # As LibreOffice's own report templates write it (share/template/common/wizard/report/cnt-05.ott).
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest>\n'
                b' <manifest:file-entry manifest:media-type="text/xml" manifest:full-path="content.xml"/>\n'
                b'</manifest:manifest>')
    assert blocks(read_odt(made("<text:p>Kept.</text:p>", extra={"META-INF/manifest.xml": manifest}))) == ["Kept."]
