"""Presentations: the PowerPoint reader on a real deck, NumPy's masked-array
guide set as slides by python-pptx (make_masked_arrays.py beside the file:
a title slide, a slide a section with bullets, speaker notes, a listing in a
fixed-width text box, a table), and the OpenDocument reader on the same deck
as LibreOffice Impress saves it (.odp), which must read the same; each
slide a page; damage and other files."""

from __future__ import annotations

import functools
import io
import shutil
import zipfile

import pytest
from documents import asked, assert_blocks_in_order, blocks, document_path, headings, text_printed

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers.odt import read_odt
from assistant.readers.pptx import read_pptx
from assistant.readers.structure import CODE, LIST_ITEM, PARAGRAPH, TABLE_ROW, UnreadableDocument

SLIDE_TITLES = ["A guide to masked arrays in NumPy", "History", "Main differences", "New features",
                "Using the new package with numpy.core.ma", "Using maskedarray with matplotlib", "Masked records",
                "Optimizing maskedarray", "Should masked arrays be filled before processing or not?", "Thanks",
                "Revision notes"]


@functools.cache
def deck():
    return read_pptx(document_path("masked-arrays.pptx").read_bytes())


def test_each_slide_is_a_page_opening_with_its_title():
    found = deck()
    assert_blocks_in_order(found)
    assert headings(found) == [(title, 1) for title in SLIDE_TITLES]
    starts = {block.span.start: block.span.of(found.text) for block in found.blocks}
    assert [starts[at] for at in found.page_starts] == SLIDE_TITLES  # each page begins at its slide's title


def test_bullets_notes_listings_and_tables():
    found = deck()
    assert "fill_value is now a property, not a function." in blocks(found, LIST_ITEM)
    # The speaker's notes are paragraphs of their slide's page.
    notes = next(p for p in blocks(found, PARAGRAPH) if p.startswith("I started to implement such a class"))
    assert found.text.index(notes) < found.page_starts[2]
    assert any(code.startswith("import numpy\nimport maskedarray as ma\n") for code in blocks(found, CODE))
    assert blocks(found, TABLE_ROW) == ["Date | Note", "08/25/2007 | Creation of this page",
                                        "01/23/2007 | The package has been moved to the SciPy sandbox, and is "
                                        "regularly updated: please check out your SVN version!"]
    assert (found.title, found.author, found.date) == ("A guide to masked arrays in NumPy",
                                                       "Pierre G.F. Gerard-Marchant", "2007-08-25")


def test_the_deck_as_impress_saves_it_reads_the_same():
    odp = read_odt(document_path("masked-arrays.odp").read_bytes())
    assert odp.text == deck().text and odp.page_starts == deck().page_starts
    assert [(b.kind, b.level) for b in odp.blocks] == [(b.kind, b.level) for b in deck().blocks]
    assert (odp.title, odp.author, odp.date) == (deck().title, deck().author, deck().date)


def test_a_presentation_is_a_document_of_the_corpus_whatever_its_name():
    pptx, odp = (document_path(name).read_bytes() for name in ("masked-arrays.pptx", "masked-arrays.odp"))
    assert document_format("masked-arrays.pptx", pptx) == "pptx"
    assert document_format("slides", pptx) == "pptx"  # by the presentation part its zip names
    assert document_format("slides", odp) == "odt"  # by its mimetype
    document = document_from_bytes("masked-arrays.pptx", pptx)
    assert document.page_of(document.text.index("fill_value is now a property")) == 3


def test_quotes_are_cited_with_their_slide_and_hold(tmp_path):
    shutil.copy(document_path("masked-arrays.pptx"), tmp_path / "deck.pptx")
    first = asked(tmp_path, "Is fill_value still a function?", tmp_path / "cache")["excerpts"][0]
    assert first["page"] == 3 and first["section"] == "Main differences"
    text = text_printed(tmp_path / "deck.pptx", tmp_path / "cache")
    assert first["quote"] == text[first["start"]:first["end"]] == "fill_value is now a property, not a function."


def rezipped(change) -> bytes:
    """The deck with `change(name, data)` applied to each part (None drops it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document_path("masked-arrays.pptx").read_bytes())) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("data, reason", [
    (rezipped(lambda name, data: None if name == "ppt/presentation.xml" else data), "not a PowerPoint .pptx file"),
    (rezipped(lambda name, data: data[:200] if name == "ppt/slides/slide2.xml" else data), "broken PowerPoint file"),
    (document_path("masked-arrays.pptx").read_bytes()[:5000], "broken PowerPoint file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "encrypted PowerPoint file"),
])
def test_what_is_no_readable_presentation_is_one_line_of_reason(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_pptx(data)
    if data.startswith(b"PK"):
        with pytest.raises(UnreadableFile, match=reason):
            document_from_bytes("deck.pptx", data)
