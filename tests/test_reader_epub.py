"""The EPUB reader on a real book (A Brief History of Debian as Debian ships
it; tests/data/epub/README.md) and on broken, encrypted and oversized ones
made from it."""

from __future__ import annotations

import functools
import io
import zipfile

import pytest
from documents import document_path, section_of

from assistant.corpus import UnreadableFile, document_format, document_from_bytes
from assistant.readers import epub
from assistant.readers.epub import read_epub
from assistant.readers.structure import HEADING, UnreadableDocument

BOOK = "project-history.en.epub"


@functools.cache
def book_bytes() -> bytes:
    return document_path(BOOK).read_bytes()


@functools.cache
def layout():
    return read_epub(book_bytes())


def rebuilt(change) -> bytes:
    """The book zipped again, `change(name, data)` giving each file's new
    bytes (None to leave it out); change returns extra files under ""."""
    source = zipfile.ZipFile(io.BytesIO(book_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data)
        for name, data in (change("", b"") or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def test_the_book_is_its_pages_in_reading_order_with_its_title():
    found = layout()
    assert found.title == "A Brief History of Debian"
    text = found.text
    # index.html (the copyright page) comes before chapter 1, chapter 1 before 4, 4 before the appendix.
    order = [text.index(words) for words in (
        "This document may be freely redistributed",
        "The Debian Project is a worldwide group of volunteers",
        "Ian Murdock founded Debian in August 1993",
        "Debian 2.0 (Hamm) was released July 1998",
    )]
    assert order == sorted(order)
    # The book's own table of contents (bk01-toc.html, the guide's "toc") is not read.
    assert "Table of Contents" not in text


def test_blocks_are_in_order_inside_the_text_and_headings_kept():
    found = layout()
    previous = 0
    for block in found.blocks:
        quote = block.span.of(found.text)
        assert previous <= block.span.start < block.span.end <= len(found.text)
        assert quote == quote.strip()
        previous = block.span.end
    headings = [block.span.of(found.text) for block in found.blocks if block.kind == HEADING]
    assert any("The 1.x Releases" in heading for heading in headings)


def test_an_epub_is_a_document_of_the_corpus_and_quotes_hold():
    assert document_format("book.epub", book_bytes()) == "epub"
    assert document_format("renamed.zip", book_bytes()) == "epub"  # by its mimetype file, whatever its name
    document = document_from_bytes(BOOK, book_bytes())
    assert document.display_title == "A Brief History of Debian"
    for paragraph in document.paragraphs:
        assert paragraph.span.of(document.text) == document.text[paragraph.span.start:paragraph.span.end]


def test_an_encrypted_book_is_unreadable_and_said_so():
    encryption = (b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                  b'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>'
                  b'<enc:CipherReference URI="OEBPS/ch01.html"/></enc:CipherData></enc:EncryptedData></encryption>')
    locked = rebuilt(lambda name, data: {"META-INF/encryption.xml": encryption} if name == "" else data)
    with pytest.raises(UnreadableDocument, match="encrypted EPUB"):
        read_epub(locked)
    with pytest.raises(UnreadableFile, match="encrypted EPUB"):
        document_from_bytes("locked.epub", locked)


@pytest.mark.parametrize("change, reason", [
    (lambda name, data: None if name == "META-INF/container.xml" else data, "not an EPUB"),
    (lambda name, data: None if name == "OEBPS/ch02.html" else data, "listed but missing"),
    (lambda name, data: b"<package" if name == "OEBPS/content.opf" else data, "broken EPUB"),
    (lambda name, data: data.replace(b"<spine", b"<spinal").replace(b"</spine", b"</spinal")
     if name == "OEBPS/content.opf" else data, "no manifest or spine"),
])
def test_a_broken_book_is_one_line_of_reason(change, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_epub(rebuilt(change))


def test_truncated_and_oversized_books_are_unreadable(monkeypatch):
    with pytest.raises(UnreadableDocument, match="not a zip"):
        read_epub(book_bytes()[: len(book_bytes()) // 2])
    monkeypatch.setattr(epub, "MAX_UNPACKED", 1000)
    with pytest.raises(UnreadableDocument, match="unpacks to"):
        read_epub(book_bytes())


def test_numbered_headings_set_in_one_size_nest_by_their_numbers():
    # DocBook's EPUB sets "Chapter 4." and "4.2." both as h1: the numbers say which is under which.
    found = layout()
    levels = {found.text[b.span.start:b.span.end]: b.level for b in found.blocks if b.kind == HEADING}
    assert levels["Chapter 4. A Detailed History"] == 1
    assert levels["4.2. The 1.x Releases"] == 2
    assert levels["4.1.1. The Early Debian Packaging System"] == 3
    document = document_from_bytes(BOOK, book_bytes())
    assert section_of(document, "Debian 2.0 (Hamm) was released July 1998") == [
        "Chapter 4. A Detailed History", "4.3. The 2.x Releases"]
