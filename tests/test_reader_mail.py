"""E-mail: a message saved as .eml (quoted-printable plain text, its HTML
alternative, an attachment) and a mailbox of it and a reply, made by
Python's email package from the real text of NumPy's masked-array guide
(make_messages.py beside them); CPython's own test messages for MIME's
corners; detection by content; damage."""

from __future__ import annotations

import functools
from email.message import EmailMessage
from pathlib import Path

import pytest
from documents import assert_blocks_in_order, blocks, document_path, headings, section_of

from assistant.corpus import document_format, document_from_bytes
from assistant.readers.mail import is_mail, read_mail
from assistant.readers.structure import PARAGRAPH, UnreadableDocument


@functools.cache
def mail(name: str):
    return read_mail(document_path(name).read_bytes())


def test_a_message_is_its_subject_its_senders_lines_and_its_body_decoded():
    found = mail("masked-arrays.eml")
    assert_blocks_in_order(found)
    assert blocks(found)[:6] == [
        "Main differences of the new maskedarray",
        "From: Pierre G.F. Gerard-Marchant <pgm@example.org>",  # as the message writes it
        "To: NumPy Discussion <numpy-discussion@example.org>",
        "Date: Sat, 25 Aug 2007 10:04:00 -0400",
        "Hi all,",
        "Here\u2019s what changed in maskedarray.",  # quoted-printable "=E2=80=99" decoded
    ]
    assert "* fill_value is now a property, not a function." in blocks(found, PARAGRAPH)
    assert "=E2" not in found.text and "Content-Type" not in found.text and "<p>" not in found.text
    assert ".. contents::" not in found.text  # the attached README.rst is left out
    assert (found.title, found.author, found.date) == (
        "Main differences of the new maskedarray", "Pierre G.F. Gerard-Marchant <pgm@example.org>", "2007-08-25")


def test_a_mailbox_is_its_messages_one_after_another():
    found = mail("masked-arrays.mbox")
    assert_blocks_in_order(found)
    assert headings(found) == [("Main differences of the new maskedarray", 1),
                               ("Re: Main differences of the new maskedarray", 1)]
    assert "* the mr_ function mimics r_ for masked arrays." in blocks(found)
    assert "From the sandbox, as ever." in blocks(found)  # ">From " unescaped
    assert blocks(mail("masked-arrays.eml")) == blocks(found)[: len(blocks(mail("masked-arrays.eml")))]


def test_an_html_only_message_is_read_as_a_page_and_headers_are_decoded():
    message = EmailMessage()
    message["Subject"] = "=?utf-8?q?Caf=C3=A9_r=C3=A9sum=C3=A9?="
    message["From"] = "Jos\u00e9 <jose@example.org>"
    message.set_content("<html><body><h1>Minutes</h1><p>The board met on Monday.</p></body></html>", subtype="html")
    found = read_mail(bytes(message))
    assert blocks(found) == ["Café résumé", "From: José <jose@example.org>", "Minutes", "The board met on Monday."]


@pytest.mark.parametrize("name", ["msg_15.txt", "msg_33.txt", "msg_16.txt"])
def test_cpythons_test_messages_read_without_markup(name):
    folder = Path(__import__("email").__file__).parent.parent / "test" / "test_email" / "data"
    if not (folder / name).exists():
        pytest.skip("CPython's test data is not installed")
    data = (folder / name).read_bytes()
    assert is_mail(data) and document_format(name, data) == "mail"
    found = read_mail(data)
    # (A plain body keeps its own white space between paragraphs, as a plain text file does.)
    assert all(a.span.end < b.span.start for a, b in zip(found.blocks, found.blocks[1:]))
    assert all(b.span.of(found.text) == b.span.of(found.text).strip() != "" for b in found.blocks)
    assert "Content-" not in found.text and "boundary=" not in found.text


def test_mail_is_told_by_its_content_whatever_its_name():
    eml, mbox = (document_path(name).read_bytes() for name in ("masked-arrays.eml", "masked-arrays.mbox"))
    assert document_format("Inbox", mbox) == "mail"  # Thunderbird keeps its mailboxes without a suffix
    assert document_format("message", eml) == "mail"
    assert not is_mail(b"From the start of this file, prose.\n\nMore prose.")
    assert not is_mail(b"Subject matter: physics\nThis line is no header at all\n\nBody")
    document = document_from_bytes("masked-arrays.mbox", mbox)
    assert document.display_title == "Main differences of the new maskedarray"
    assert section_of(document, "* the mr_ function mimics r_") == [
        "Re: Main differences of the new maskedarray"]


def test_a_file_with_no_readable_message_is_said_so():
    with pytest.raises(UnreadableDocument, match="e-mail without a message"):
        read_mail(b"From someone Mon Jan  1 00:00:00 2024\n")
