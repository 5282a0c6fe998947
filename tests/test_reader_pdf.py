"""The PDF reader on real PDFs: a GNU manual page set by groff (running
headers, footers, page numbers, hyphenation), the GPL set in two columns by
groff, and a Word-style report printed by LibreOffice (title, headings, lists,
a table, "Page N of M" footers). tests/data/pdf/README.md says how each was made."""

from __future__ import annotations

import bisect
import functools
import io
from collections import Counter

import pytest
from documents import document_path

pdfium = pytest.importorskip("pypdfium2")


from assistant.readers import pdf  # noqa: E402
from assistant.readers.pdf import read_pdf  # noqa: E402
from assistant.readers.structure import CODE, HEADING, LIST_ITEM, PARAGRAPH, UnreadableDocument  # noqa: E402

FIXTURES = (
    "xargs.pdf", "users-and-groups.pdf", "gpl-3-two-columns.pdf", "restricted.pdf", "debian-faq-pages.pdf", "fhs-pages.pdf",
)


@functools.cache
def layout(name: str):
    return read_pdf((document_path(name)).read_bytes())


def block_texts(name: str, kind: str | None = None) -> list[str]:
    found = layout(name)
    return [block.span.of(found.text) for block in found.blocks if kind is None or block.kind == kind]


def page_of(found, offset: int) -> int:
    """1 for the first page."""
    return bisect.bisect_right(found.page_starts, offset)


@pytest.mark.parametrize("name", FIXTURES)
def test_blocks_are_in_order_apart_inside_the_text_and_trimmed(name):
    found = layout(name)
    assert found.blocks
    previous_end = 0
    for block in found.blocks:
        text = block.span.of(found.text)
        assert previous_end <= block.span.start < block.span.end <= len(found.text)
        assert text == text.strip()
        assert "\ufffe" not in text
        previous_end = block.span.end
    # Between blocks there is only the blank line that separates them.
    for before, after in zip(found.blocks, found.blocks[1:]):
        assert found.text[before.span.end : after.span.start] == "\n\n"


@pytest.mark.parametrize("name", FIXTURES)
def test_page_starts_rise_and_stay_inside_the_text(name):
    found = layout(name)
    assert found.page_starts[0] == 0
    assert list(found.page_starts) == sorted(found.page_starts)
    assert all(0 <= start <= len(found.text) for start in found.page_starts)


def test_manual_page_has_its_five_pages_and_a_sentence_is_on_its_own_page():
    found = layout("xargs.pdf")
    assert len(found.page_starts) == 5
    # Checked against `pdftotext -f 2 -l 2 xargs.pdf -`: on the second page.
    offset = found.text.index("Prompt the user about whether to run each command line")
    assert page_of(found, offset) == 2
    assert page_of(found, found.text.index("As of GNU xargs version 4.2.9")) == 4
    assert page_of(found, found.text.index("find(1), kill(1), locate(1)")) == 5


def test_running_headers_footers_and_page_numbers_are_left_out():
    text = layout("xargs.pdf").text
    assert "General Commands Manual" not in text
    assert "XARGS(1)" not in text
    assert not [block for block in block_texts("xargs.pdf") if block.isdigit()]
    report = layout("users-and-groups.pdf").text
    assert "Page 2 of 7" not in report and "of 7" not in report
    # The running header is the document's title: kept once, as the title.
    assert report.count("Users and Groups in the Debian System") == 1


def test_lines_of_a_paragraph_are_one_flowing_text():
    assert (
        "If any invocation of the command exits with a status of 255, xargs will stop immediately without "
        "reading any further input. An error message is issued on stderr when this happens."
    ) in block_texts("xargs.pdf", PARAGRAPH)


def test_words_hyphenated_at_line_ends_are_joined_and_real_hyphens_kept():
    text = layout("xargs.pdf").text
    # "initial-argu-⏎ments", "automati-⏎cally", "Addi-⏎tionally" in the PDF.
    assert "the command and initial-arguments and the terminating nulls" in text
    assert "automatically" in text and "Additionally" in text
    assert "automati-" not in text and "argu-" not in text
    # "--no-⏎run-if-empty" and "--max-⏎args" break at real hyphens.
    assert "perhaps specify --no-run-if-empty" in text
    assert "--max-args=max-args" in text


def test_two_columns_are_read_column_by_column_and_a_paragraph_goes_on_across_them():
    found = layout("gpl-3-two-columns.pdf")
    paragraphs = block_texts("gpl-3-two-columns.pdf", PARAGRAPH)
    # Cut after "assert copyright on" at the foot of the first column.
    assert (
        "Developers that use the GNU GPL protect your rights with two steps: (1) assert copyright on the "
        "software, and (2) offer you this License giving you legal permission to copy, distribute and/or modify it."
    ) in paragraphs
    # Cut by a page break, in capitals.
    assert "FAILURE OF THE PROGRAM TO OPERATE WITH ANY OTHER PROGRAMS), EVEN IF SUCH HOLDER" in found.text
    assert len(found.page_starts) == 8
    assert page_of(found, found.text.index("15. Disclaimer of Warranty.")) == 7
    assert not [block for block in block_texts("gpl-3-two-columns.pdf") if block.strip("-").isdigit()]  # "-2-"


def test_hyphens_in_capitals_compounds_and_addresses():
    text = layout("gpl-3-two-columns.pdf").text
    assert "WITHOUT WARRANTY OF ANY KIND, EITHER EXPRESSED OR IMPLIED" in text  # "EI-⏎THER"
    assert "INCLUDING ANY GENERAL, SPECIAL, INCIDENTAL OR CONSEQUENTIAL DAMAGES" in text
    assert "Convey the object code using peer-to-peer transmission" in text  # "peer-to-⏎peer"
    assert "<https://www.gnu.org/licenses/why-not-lgpl.html>" in text  # "why-not-⏎lgpl"


def block_holding(name: str, words: str) -> str:
    found = layout(name)
    offset = found.text.index(words)
    return next(block.span.of(found.text) for block in found.blocks if block.span.start <= offset < block.span.end)


def test_a_first_line_set_in_opens_a_paragraph_that_goes_on_at_the_margin():
    # TeX sets a paragraph's first line in, with no space above it. Where the
    # paragraph before ends on a full line, the set-in line was read as part
    # of it and the paragraph cut after its first line ("Alpha sys-" / "tems)").
    name = "debian-faq-pages.pdf"
    assert block_holding(name, "Support for the hppa") == (
        "Support for the hppa (Hewlett-Packard’s PA-RISC machines) and alpha (Compaq/Digital’s Alpha systems) "
        "were dropped in the Squeeze (Debian 6.0) release for similar reasons. The arm was dropped too in this "
        "release, as it was superseded by the armel architecture."
    )
    assert block_holding(name, "might be reactivated for future releases.").endswith(
        "might be reactivated for future releases.")
    # Set in after a line with no full stop (a file name shown on its own line).
    assert block_holding(name, "Note that foo is supposed to be the package name.").startswith(
        "Note that foo is supposed to be the package name. Checking the package name associated with a "
        "particular Debian archive file (.deb file) can be done in one of these ways:")
    assert block_holding(name, "In these cases,").startswith("In these cases,")
    assert "it will not get automatically removed by most package management tools" in block_holding(
        name, "In these cases,")


def test_a_line_set_in_under_a_hanging_indent_is_no_new_paragraph():
    # In the manual page, an address set in under "Report ... tracker:" and the
    # next item back at the left: the address stays with the line it ends.
    assert block_holding("xargs.pdf", "GNU Savannah bug tracker:").endswith(
        "GNU Savannah bug tracker: <https://savannah.gnu.org/bugs/?group=findutils>")


def test_running_headers_naming_chapter_and_section_are_left_out():
    found = layout("debian-faq-pages.pdf")
    # Each page's header names its own section: no two are the same line.
    assert "CHAPTER" not in found.text
    assert "WHAT KERNELS DOES DEBIAN" not in found.text
    # The chapter's own title, at the top of its first page, stays.
    assert "Compatibility issues" in block_texts("debian-faq-pages.pdf", HEADING)


def test_footnote_numbers_after_words_are_left_out():
    text = layout("debian-faq-pages.pdf").text
    assert "after downloading the .deb archives from the configured sources." in text  # "archives1 from"
    assert "Within each of the major directory trees, there are three sets" in text  # "trees2 ,"
    # Digits that belong to words stay: "gcc4", "i386", "s390x".
    assert "hurd-i386" in text and "s390x" in text


def test_footnote_numbers_set_apart_by_a_space_and_opening_the_note_are_left_out():
    # The FHS sets its marks after a space ("filesystem. 6 The setup").
    assert block_holding("fhs-pages.pdf", "/home is a fairly standard concept") == (
        "/home is a fairly standard concept, but it is clearly a site-specific filesystem. The setup will "
        "differ from host to host. Therefore, no program should assume any specific location for a home "
        "directory, rather it should query for it.")  # "... filesystem. 6 The setup ... for it. 7"
    # The note at the page's foot, "1When the present-day sid did not exist", opens with its words.
    notes = [block for block in block_texts("debian-faq-pages.pdf") if "present-day sid did not exist" in block]
    assert notes and all(block.startswith("When the present-day sid did not exist") for block in notes)


def test_a_table_of_contents_page_and_an_index_page_are_left_out():
    name = "debian-faq-pages.pdf"
    text = layout(name).text
    # Entries without dot leaders, and the first line of an entry set on two.
    assert "1 Definitions and overview 1" not in text
    assert "3.1.12 I am currently tracking testing" not in text
    # The entry of 4.5 is gone; its section's heading stays, once.
    assert [block for block in block_texts(name) if block.startswith("4.5 Can I use Debian packages")] == [
        block for block in block_texts(name, HEADING) if block.startswith("4.5 Can I use Debian packages")]
    assert len([block for block in block_texts(name) if block.startswith("4.5 Can I use")]) == 1
    # The book's index: "googleearth-package, 20", the letters over its groups.
    assert "googleearth-package" not in text and "libpaper1, 47" not in text


def test_a_web_address_broken_at_a_line_end_is_one_word():
    text = layout("debian-faq-pages.pdf").text
    assert "(https://www.debian.org/ports/)" in text  # "https://www.⏎debian.org/ports/"
    assert "www. debian" not in text


def test_a_paragraph_cut_by_a_page_break_is_one_block():
    found = layout("users-and-groups.pdf")
    offset = found.text.index("but this was obsoleted long ago")
    block = next(block for block in found.blocks if block.span.start <= offset < block.span.end)
    assert block.span.of(found.text).startswith("sys Historically, the sys user and group owned the kernel sources")
    assert page_of(found, block.span.start) == 2 and page_of(found, offset) == 3
    assert found.page_starts[2] == offset


def test_headings_by_size_and_by_bold():
    found = layout("users-and-groups.pdf")
    headings = [(block.span.of(found.text), block.level) for block in found.blocks if block.kind == HEADING]
    assert headings[:3] == [
        ("Users and Groups in the Debian System", 1),  # the title, set on two lines
        ("Chapter 1. Introduction", 2),
        ("Chapter 2. Users and Groups", 2),
    ]
    assert ("www-data", 3) in headings
    assert {"NAME", "DESCRIPTION", "EXAMPLES", "SEE ALSO"} <= set(block_texts("xargs.pdf", HEADING))
    # A line in capitals in the body's type is a title too; a sentence in capitals is not.
    gpl = block_texts("gpl-3-two-columns.pdf", HEADING)
    assert {"TERMS AND CONDITIONS", "END OF TERMS AND CONDITIONS"} <= set(gpl)
    assert not [heading for heading in gpl if heading.startswith("THERE IS NO WARRANTY")]


@pytest.mark.parametrize("line, capitals", [
    ("10. FUTURE REVISIONS OF THIS LICENSE", True), ("NO WARRANTY", True), ("SEE ALSO", True),
    ("4 CARD32 FIRST_MATCHLET_OFFSET", False), ("NO", False), ("Future Revisions", False),
])
def test_a_title_in_capitals(line, capitals):
    assert pdf._in_capitals(line) == capitals


def test_list_items_keep_their_marks():
    items = block_texts("users-and-groups.pdf", LIST_ITEM)
    assert "• fax: Allows members to use fax software to send or receive faxes." in items
    assert "2. fetchmail: Used by the fetchmail program." in items


def test_metadata_from_the_document_information():
    found = layout("users-and-groups.pdf")
    assert found.title == "Users and Groups in the Debian System"
    assert found.author == "Joey Hess, Colin Watson, David Mandelberg"
    assert found.date and found.date[:4].isdigit()


def test_a_pdf_that_needs_a_password_is_unreadable_one_that_only_restricts_is_read():
    with pytest.raises(UnreadableDocument, match="^encrypted PDF$"):
        read_pdf((document_path("encrypted.pdf")).read_bytes())
    assert "xargs - build and execute command lines from standard input" in layout("restricted.pdf").text
    assert len(layout("restricted.pdf").page_starts) == 1


@pytest.mark.parametrize(
    "data",
    [b"", b"not a PDF at all", b"%PDF-1.4\n" + b"\0" * 200, (document_path("xargs.pdf")).read_bytes()[:4000]],
    ids=["empty", "text", "header only", "truncated"],
)
def test_broken_pdfs_are_unreadable(data):
    with pytest.raises(UnreadableDocument, match="PDF"):
        read_pdf(data)


def test_damaged_pdfs_never_raise_anything_else():
    original = (document_path("xargs.pdf")).read_bytes()
    for position in range(500, len(original), len(original) // 25):
        damaged = original[:position] + b"\xff garbage \x00" + original[position + 12 :]
        try:
            found = read_pdf(damaged)
        except UnreadableDocument:
            continue
        assert all(block.span.end <= len(found.text) for block in found.blocks)


def test_too_many_pages_is_said():
    with pytest.raises(UnreadableDocument, match="PDF of 5 pages, more than the 2 read"):
        read_pdf((document_path("xargs.pdf")).read_bytes(), max_pages=2)


def test_a_page_of_thousands_of_lines_is_read_as_one(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_LINES_PER_PAGE", 20)  # the first four pages of xargs.pdf have more
    found = read_pdf((document_path("xargs.pdf")).read_bytes())
    first = found.blocks[0].span.of(found.text)
    assert "NAME xargs - build and execute command lines from standard input" in first
    assert first.endswith("no end of file string is used. 1")  # the page number too: no lines, no furniture
    assert len(found.page_starts) == 5 and found.page_starts[1] == found.blocks[1].span.start


def test_pages_without_text_begin_where_the_next_text_does():
    source = pdfium.PdfDocument((document_path("xargs.pdf")).read_bytes())
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)  # a blank page first
    document.import_pages(source, [0, 1])
    document.new_page(595, 842)  # and one last
    buffer = io.BytesIO()
    document.save(buffer)
    found = read_pdf(buffer.getvalue())
    assert found.page_starts[0] == found.page_starts[1] == 0
    assert found.text.startswith("NAME")
    assert found.page_starts[3] == len(found.text)
    assert page_of(found, found.text.index("-I replace-str")) == 3


def test_a_pdf_without_text_is_unreadable():
    document = pdfium.PdfDocument.new()
    document.new_page(200, 200)  # as a scan is, to a reader of text
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(UnreadableDocument, match="PDF without text"):
        read_pdf(buffer.getvalue())


def line(text: str, page: int, baseline: float, size: float = 10.0, bold: bool = False, left: float = 72.0) -> pdf._Line:
    return pdf._Line(text, page, left, left + 6 * len(text), baseline, size, bold, False)


def test_furniture_is_what_comes_back_at_a_page_end_nearby():
    pages = [
        [
            line(f"Annual report {2024}", page, 800),
            line(f"Body text that differs on page {'one two three four'.split()[page]}.", page, 700),
            line("Body text the same on every page.", page, 680),
            line(f"Page {page + 1} of 4", page, 40),
        ]
        for page in range(4)
    ]
    pages[2].append(line("17", 2, 20))  # a bare page number at the foot
    kept = pdf._drop_furniture(pages)
    assert [[item.text for item in page] for page in kept][2] == [
        "Body text that differs on page three.",
        "Body text the same on every page.",
    ]


@pytest.mark.parametrize(
    ("left", "right", "counts", "joined"),
    [
        ("infor", "mation", {}, True),  # no evidence, "infor" is no word: a typesetter's break
        ("well", "known", {"well": 3, "known": 2}, False),  # two words of the document: a compound
        ("some", "thing", {"some": 3, "thing": 2, "something": 1}, True),  # written whole elsewhere
        ("self", "contained", {"self-contained": 2, "selfcontained": 1}, False),  # more often with it
        ("GNU", "Linux", {}, False),  # a capital after the break: a real hyphen
    ],
)
def test_hyphen_rule(left, right, counts, joined):
    assert pdf._joins_hyphen(left, right, Counter(counts)) is joined


def test_code_blocks_keep_their_lines():
    lines = [
        pdf._Line("for x in items:", 0, 72, 180, 700, 10, False, True),
        pdf._Line("print(x)", 0, 96, 150, 688, 10, False, True),
    ]
    drafts = pdf._drafts(lines, 10.0, 12.0, [])
    assert [draft.kind for draft in drafts] == [CODE]
    assert "".join(piece for _, piece in pdf._join(drafts[0].lines, CODE, Counter())) == "for x in items:\n    print(x)"


def test_the_lines_of_a_cover_after_its_title_are_no_sections():
    # The FAQ's cover: its title, then its date set large. The date is no
    # heading over the whole book ("§ May 31, 2022 › ..." in every citation).
    found = layout("debian-faq-pages.pdf")
    first = [(block.kind, block.span.of(found.text)) for block in found.blocks[:2]]
    assert first == [(HEADING, "The Debian GNU/Linux FAQ"), (PARAGRAPH, "May 31, 2022")]
    # A first page with prose on it is no cover: its headings stay.
    assert block_texts("users-and-groups.pdf", HEADING)[:2] == [
        "Users and Groups in the Debian System", "Chapter 1. Introduction"]
