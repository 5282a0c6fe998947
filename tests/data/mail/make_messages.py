"""Writes masked-arrays.eml and masked-arrays.mbox from the real text of NumPy's
"A guide to masked arrays in NumPy" (numpy/ma/README.rst, BSD-3-Clause; see
README.md), as a mail program sends it: Python's email package makes the MIME.

    python tests/data/mail/make_messages.py PATH/TO/numpy/ma/README.rst

The words are the guide's own; only the shape is a mail's: the "Main
differences" section sent as a message with a plain-text part (quoted-
printable, a curly apostrophe, lines wrapped at 72 columns), its HTML
alternative and the guide attached; and a mailbox of that message and a
reply quoting the "New features" section, its "From " line escaped.
"""

from __future__ import annotations

import sys
import textwrap
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import docutils.core
import docutils.nodes

HERE = Path(__file__).resolve().parent


def section(document, title: str) -> tuple[list[str], list[str]]:
    """A section's paragraphs and list items, each on one line."""
    for node in document.findall(docutils.nodes.section):
        if " ".join(node.next_node(docutils.nodes.title).astext().split()) == title:
            paragraphs = [" ".join(p.astext().split()) for p in node.children if isinstance(p, docutils.nodes.paragraph)]
            items = [" ".join(i.astext().split()) for i in node.findall(docutils.nodes.list_item)]
            return paragraphs, items
    raise SystemExit(f"no section {title!r}")


def wrapped(paragraphs: list[str], items: list[str]) -> str:
    lines = [textwrap.fill(p, 72) for p in paragraphs]
    lines += [textwrap.fill(item, 72, initial_indent="* ", subsequent_indent="  ") for item in items]
    return "\n\n".join(lines) + "\n"


def main(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    document = docutils.core.publish_doctree(text, settings_overrides={"report_level": 5})
    paragraphs, items = section(document, "Main differences")
    first = EmailMessage()
    first["From"] = "Pierre G.F. Gerard-Marchant <pgm@example.org>"
    first["To"] = "NumPy Discussion <numpy-discussion@example.org>"
    first["Date"] = "Sat, 25 Aug 2007 10:04:00 -0400"
    first["Subject"] = "Main differences of the new maskedarray"
    first["Message-ID"] = "<maskedarray-1@example.org>"
    body = "Hi all,\n\nHere\u2019s what changed in maskedarray.\n\n" + wrapped(paragraphs, items)
    first.set_content(body, cte="quoted-printable")
    html = "<p>Hi all,</p><p>Here\u2019s what changed in maskedarray.</p>" + "".join(
        f"<p>{p}</p>" for p in paragraphs) + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    first.add_alternative(html, subtype="html")
    first.add_attachment(text.encode("utf-8"), maintype="text", subtype="x-rst", filename="README.rst")
    (HERE / "masked-arrays.eml").write_bytes(first.as_bytes(policy=SMTP))
    paragraphs, items = section(document, "New features")
    reply = EmailMessage()
    reply["From"] = "Pierre G.F. Gerard-Marchant <pgm@example.org>"
    reply["To"] = "NumPy Discussion <numpy-discussion@example.org>"
    reply["Date"] = "Sun, 26 Aug 2007 09:12:00 -0400"
    reply["Subject"] = "Re: Main differences of the new maskedarray"
    reply["In-Reply-To"] = "<maskedarray-1@example.org>"
    reply.set_content("And the new features.\n\n" + wrapped(paragraphs, items)
                      + "\nFrom the sandbox, as ever.\n")
    box = b""
    for number, message in enumerate((first, reply)):
        raw = message.as_bytes(policy=SMTP).replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
        box += b"From pgm@example.org Sat Aug 25 10:04:00 2007\n" + raw + b"\n"
    (HERE / "masked-arrays.mbox").write_bytes(box)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
