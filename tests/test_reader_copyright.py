"""Debian's machine-readable copyright files (DEP-5): each stanza a table of
its fields, the files it is about its first row; a licence's text headed by
its name; the upstream name as the title."""

from __future__ import annotations

from documents import document_path

from assistant.corpus import read_path
from assistant.readers.copyright import is_debian_copyright, read_debian_copyright
from assistant.readers.structure import HEADING, PARAGRAPH, TABLE_ROW


def test_a_real_copyright_file_reads_as_stanzas_of_fields():
    path = document_path("curl-copyright")
    text = path.read_text(encoding="utf-8")
    assert is_debian_copyright(text)
    layout = read_debian_copyright(text)
    assert layout.text == text and layout.title == "curl"
    rows = [b.span.of(text) for b in layout.blocks if b.kind == TABLE_ROW]
    assert rows[:4] == ["Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
                        "Upstream-Name: curl", "Source: https://curl.se/", "Files: *"]
    assert "License: curl" in rows
    headings = [b.span.of(text) for b in layout.blocks if b.kind == HEADING]
    assert "License: curl" in headings and all(h.startswith("License: ") for h in headings)
    paragraphs = [b.span.of(text) for b in layout.blocks if b.kind == PARAGRAPH]
    assert "All rights reserved." in paragraphs  # a licence's text parted at its " ." lines
    assert not any(p.strip() == "." or p.startswith(". ") for p in paragraphs)


def test_a_stanza_is_one_unit_the_files_row_naming_what_its_rows_are_about():
    document = read_path(document_path("curl-copyright"))
    assert document.display_title == "curl"
    text = document.text
    stanza = next(p for p in document.paragraphs if p.span.of(text).startswith("Files: *\n"))
    assert [s.of(text) for s in document.sentences_in(stanza.number)] == [
        "Copyright: 1997-2022, Daniel Stenberg, <daniel@haxx.se>, et al.", "License: curl"]
    assert document.heading_text(stanza.number) == "Files: *"
    # The next stanza is a table of its own.
    following = document.paragraphs[stanza.number]
    assert following.span.of(text).startswith("Files: debian/*")
    licence = next(p for p in document.paragraphs if p.span.of(text) == "All rights reserved.")
    assert document.section_of(licence.number) == "License: curl"


def test_without_an_upstream_name_the_file_is_titled_copyright_not_by_a_licence():
    text = ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            "Source: https://www.kernel.org/pub/software/scm/git/\n\n"
            "Files: *\nCopyright: © 2005-2022, Linus Torvalds and others.\nLicense: GPL-2\n\n"
            "License: GPL-2\n You can redistribute this software under the terms of the GNU General Public License.\n")
    layout = read_debian_copyright(text)
    assert layout.title == "Copyright"
    assert not is_debian_copyright("Format: plain text\n\nA note.\n")
