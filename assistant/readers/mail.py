"""Reading e-mail: a message saved as .eml, or a mailbox (.mbox) of many.

The standard library's email package parses each message (MIME parts,
quoted-printable and base64, encoded headers, character sets), so that a
quote is the message's words, never "=E2=80=99" or a line of base64. Each
message is read as:
  - its subject, a heading of level 1;
  - its sender, recipients and date, each a line of its own ("From: ...");
  - its body: the plain-text part when it has one, read as plain text is
    (paragraphs between blank lines, hard-wrapped lines flowing), else its
    HTML part, read as a web page is; attachments are left out.
A mailbox's messages follow one another, each under its subject. The
document's title, author and date are its (first) message's subject,
sender and date. A file that parses as no message is said so.
"""

from __future__ import annotations

import re
import email.errors
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from .structure import HEADING, PARAGRAPH, Joiner, Layout, UnreadableDocument

MAX_MESSAGES = 100_000
_HEADERS_SHOWN = ("From", "To", "Cc", "Date")
# A mailbox's separator line ("From alice@example.org Mon Jan  1 00:00:00 2024"), at its start or after a blank line.
_SEPARATOR = re.compile(rb"(?:\A|(?<=\n\n))From [^\n]*\n")
# The header names a saved message may open with (the first lines of an .eml).
_FIRST_HEADER = re.compile(rb"(?:Return-Path|Received|Delivered-To|Message-ID|MIME-Version|From|Date|Subject|To|"
                           rb"X-[A-Za-z0-9-]{1,60}|DKIM-Signature|Authentication-Results|ARC-Seal):[ \t]", re.IGNORECASE)
_HEADER_LINE = re.compile(rb"[A-Za-z0-9-]{1,76}:|[ \t]")  # a header, or its continuation
_NEEDED = re.compile(rb"^(?:From|Subject):", re.IGNORECASE | re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)  # a body line that began "From ", as mbox escapes it


def is_mail(data: bytes) -> bool:
    """Whether a file's bytes are a message or a mailbox: a mailbox's "From "
    line, or header lines from the first up to a blank line that include a
    sender or a subject."""
    head = data[:16384]
    if head.startswith(b"From "):
        head = head[head.find(b"\n") + 1 :]
    elif not _FIRST_HEADER.match(head):
        return False
    end = head.find(b"\n\n")
    if end < 0:
        end = head.find(b"\r\n\r\n")
    if end <= 0:
        return False
    lines = head[:end].split(b"\n")
    return all(_HEADER_LINE.match(line) for line in lines if line.strip()) and bool(_NEEDED.search(head[:end]))


def read_mail(data: bytes) -> Layout:
    """The text of every message of the file, one after another."""
    from .html import read_html
    from .plain import read_plain

    joiner = Joiner()
    title = author = date = None
    messages = _messages(data)
    for raw in messages:
        try:
            message = BytesParser(policy=policy.default).parsebytes(raw)
            subject = _header(message, "Subject")
            shown = [(name, _header(message, name)) for name in _HEADERS_SHOWN]
        except Exception:  # a header the parser cannot make sense of: the message is skipped, not the file
            continue
        if subject:
            joiner.add(HEADING, subject, 1)
        for name, value in shown:
            if value:
                joiner.add(PARAGRAPH, f"{name}: {value}")
        if title is None and (subject or shown[0][1]):
            title, author, date = subject or None, shown[0][1] or None, _day(message.get("Date"))
        body = _body(message)
        if body is None:
            continue
        kind, content = body
        try:
            joiner.add_layout(read_html(content.encode("utf-8")) if kind == "html" else read_plain(content))
        except UnreadableDocument:
            continue
    if not joiner.blocks:
        raise UnreadableDocument("e-mail without a message that could be read")
    return Layout(joiner.text(), tuple(joiner.blocks), title=title, author=author, date=date)


def _messages(data: bytes) -> list[bytes]:
    """The messages of a mailbox, each without its "From " line; or the one message."""
    if not data.startswith(b"From "):
        return [data]
    separators = list(_SEPARATOR.finditer(data))
    if len(separators) > MAX_MESSAGES:
        raise UnreadableDocument(f"mailbox of more than {MAX_MESSAGES:,} messages")
    starts = [match.end() for match in separators]
    ends = [match.start() for match in separators[1:]] + [len(data)]
    return [_ESCAPED_FROM.sub(rb"\1", data[start:end]) for start, end in zip(starts, ends)]


def _header(message, name: str) -> str:
    """A header's value as the message writes it, on one line, its encoded
    words ("=?utf-8?q?...?=") decoded; "" when it has none."""
    for found, value in message.raw_items():
        if found.lower() == name.lower():
            try:
                value = str(make_header(decode_header(value)))
            except (LookupError, ValueError, UnicodeError, email.errors.HeaderParseError):
                pass  # an unknown charset or a broken encoded word: the header as written
            return " ".join(str(value).split())
    return ""


def _day(value) -> str | None:
    try:
        return parsedate_to_datetime(str(value)).date().isoformat() if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _body(message) -> tuple[str, str] | None:
    """("plain" or "html", the text) of the message's body, or None."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # a structure the parser cannot walk
        return None
    if part is None:
        return None
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError, KeyError, AttributeError, TypeError):
        # An unknown charset, a broken transfer encoding: the part's bytes as best they decode.
        try:
            content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
        except Exception:
            return None
    if not isinstance(content, str) or not content.strip():
        return None
    return ("html" if part.get_content_subtype() == "html" else "plain"), content.replace("\r\n", "\n")
