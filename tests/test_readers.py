"""The readers of plain text, Markdown and reStructuredText, on real
documents: the text stays the file's own, and the blocks (headings,
paragraphs, list items, code, table rows) are spans over it that leave the
markup around them out."""

from __future__ import annotations

import gzip

import pytest
from documents import document_path

from assistant.readers.code import read_code
from assistant.readers.markdown import read_markdown
from assistant.readers.plain import hanging_term, read_plain
from assistant.readers.rst import read_rst
from assistant.readers.structure import (BLOCK_KINDS, CODE, DEFINITION, DESCRIBED, HEADING, LABEL, LIST_ITEM, PARAGRAPH,
                                         TABLE_ROW, Layout)


def shown(layout: Layout, kind: str) -> list[str]:
    return [" ".join(b.span.of(layout.text).split()) for b in layout.blocks if b.kind == kind]


def assert_well_formed(layout: Layout, text: str) -> None:
    assert layout.text == text  # offsets index the file itself
    end = 0
    for block in layout.blocks:
        assert block.kind in BLOCK_KINDS
        assert end <= block.span.start < block.span.end <= len(text)
        quoted = block.span.of(text)
        assert quoted == quoted.strip()
        end = block.span.end


def test_a_hard_wrapped_licence_has_its_section_titles_as_headings():
    text = (document_path("GPL-3")).read_text(encoding="utf-8")
    layout = read_plain(text)
    assert_well_formed(layout, text)
    headings = shown(layout, HEADING)
    assert headings[:3] == ["Preamble", "0. Definitions.", "1. Source Code."]
    assert "3. Protecting Users' Legal Rights From Anti-Circumvention Law." in headings
    assert "15. Disclaimer of Warranty." in headings and "END OF TERMS AND CONDITIONS" in headings
    paragraphs = shown(layout, PARAGRAPH)
    assert "The GNU General Public License is a free, copyleft license for software and other kinds of works." \
        in paragraphs[2]
    # A sentence that ends its line is prose, not a heading.
    assert all(not h.endswith(",") and len(h) <= 80 for h in headings)
    # The title centred over its subtitle is no term hanging a description.
    assert not shown(layout, DEFINITION)


def test_a_licences_clauses_are_cited_under_their_own_run_in_titles():
    from assistant.corpus import document_from_bytes

    apache = document_from_bytes("Apache-2.0", document_path("Apache-2.0").read_bytes())
    number = next(p.number for p in apache.paragraphs if "You must cause any modified files" in p.span.of(apache.text))
    assert apache.section_of(number) == "4. Redistribution."  # not "1. Definitions.", the last title on a line of its own
    sentences = [" ".join(s.of(apache.text).split()) for p in apache.paragraphs if p.role == "body"
                 for s in apache.sentences_in(p.number)]
    assert "2. Grant of Copyright License." not in sentences  # a title is never a quote of its own
    assert any(s.startswith("Subject to the terms and conditions of this License, each Contributor hereby grants")
               for s in sentences)


def test_numbered_titles_carry_their_depth():
    text = (document_path("MPL-2.0")).read_text(encoding="utf-8")
    layout = read_plain(text)
    assert_well_formed(layout, text)
    levels = {" ".join(b.span.of(text).split()): b.level for b in layout.blocks if b.kind == HEADING}
    assert levels["1. Definitions"] == 1 and levels["2.1. Grants"] == 2 and levels["10.3. Modified Versions"] == 2


def test_outline_headings_nest_by_their_stars_under_an_underlined_title():
    # As Git's release notes write them: the stars' groups are sections of the release's.
    text = ("GIT v1.5.0.1 Release Notes\n==========================\n\nFixes since v1.5.0\n------------------\n\n"
            "* Documentation updates\n\n  - The main documentation did not link to git-remote documentation.\n\n"
            "* Bugfixes\n\n  - git-daemon marks the listening sockets with FD_CLOEXEC so that it won't leak.\n\n"
            "** Tweaks\n\n  - sliding mmap() inefficiently mmaped the same region of a file twice.\n")
    layout = read_plain(text)
    assert_well_formed(layout, text)
    assert [(b.span.of(text), b.level) for b in layout.blocks if b.kind == HEADING] == [
        ("GIT v1.5.0.1 Release Notes", 1), ("Fixes since v1.5.0", 1), ("Documentation updates", 2), ("Bugfixes", 2),
        ("Tweaks", 3)]


def test_a_heading_indented_into_a_numbered_section_belongs_to_it():
    # As the Debian Reference's text edition lays out its admonitions: "Note"
    # in the body's margin under "1.4.7. ..." at the left one. The last item
    # of a numbered list ("5. Run postrm script") over a paragraph is no heading.
    text = ("1.4.6. Editors\n\n    Vim and Emacs are the editors most people use on Debian.\n\n"
            "    Note\n\n    Good editors can handle UTF-8 and other exotic encoding texts correctly.\n\n"
            "1.4.7. Setting a default text editor\n\n    Debian comes with a number of different editors.\n\n"
            "         4. Remove installed files\n\n         5. Run postrm script\n\n"
            "    Here, I intentionally skipped technical details for the sake of the big picture.\n\n"
            "         3. Restart the network manager by the following\n\n"
            "    The new settings take effect for every connection made after the restart.\n\n"
            "    Tip\n\n    Keep a copy of the old settings in case the new ones do not work.\n")
    layout = read_plain(text)
    assert_well_formed(layout, text)
    levels = [(" ".join(b.span.of(text).split()), b.level) for b in layout.blocks if b.kind == HEADING]
    assert levels == [("1.4.6. Editors", 3), ("Note", 4), ("1.4.7. Setting a default text editor", 3), ("Tip", 4)]
    assert "5. Run postrm script" in shown(layout, PARAGRAPH)
    # A numbered line standing deeper in than its section's title is an item too.
    assert "3. Restart the network manager by the following" in shown(layout, PARAGRAPH)
    # A title set in the middle of the line stays at the top, as licences set them.
    licence = (document_path("GPL-3")).read_text(encoding="utf-8")
    levels = {" ".join(b.span.of(licence).split()): b.level for b in read_plain(licence).blocks if b.kind == HEADING}
    assert levels["END OF TERMS AND CONDITIONS"] == 1 and levels["17. Interpretation of Sections 15 and 16."] == 1


@pytest.mark.parametrize("text, headings, paragraphs", [
    ("Install\n=======\n\nRun the installer and wait.\n", ["Install"], ["Run the installer and wait."]),
    ("NO WARRANTY\n\n  11. BECAUSE THE PROGRAM IS LICENSED FREE OF CHARGE, THERE IS NO WARRANTY.\n",
     ["NO WARRANTY"], ["11. BECAUSE THE PROGRAM IS LICENSED FREE OF CHARGE, THERE IS NO WARRANTY."]),
    ("The login shell\n\nWhen bash is invoked as a login shell, it first reads /etc/profile.\n",
     ["The login shell"], ["When bash is invoked as a login shell, it first reads /etc/profile."]),
    # Short lines one after another are a list or an address, not headings.
    ("Alice\n\nBob\n\nCarol\n", [], ["Alice", "Bob", "Carol"]),
    # A short sentence is a sentence.
    ("It rained.\n\nThe river rose over the banks of the town overnight.\n", [],
     ["It rained.", "The river rose over the banks of the town overnight."]),
    # A FAQ's question over its indented answer heads the answer.
    ("Why do long usernames get printed as numbers?\n\n\tThe standards require that user names be printed\n"
     "\tas decimal integers when there is not enough room.\n",
     ["Why do long usernames get printed as numbers?"],
     ["The standards require that user names be printed as decimal integers when there is not enough room."]),
    # A question in the prose's own margin is prose.
    ("Why did the river rise?\n\nThe rain had fallen for three days on the hills above the town.\n", [],
     ["Why did the river rise?", "The rain had fallen for three days on the hills above the town."]),
    # A clause's title run in before its text is a heading of its own.
    ("   2. Grant of Copyright License. Subject to the terms of this License,\n   each Contributor grants a license.\n",
     ["2. Grant of Copyright License."], ["Subject to the terms of this License, each Contributor grants a license."]),
    ("1. Copyright and Related Rights. A Work may be protected by copyright.\n",
     ["1. Copyright and Related Rights."], ["A Work may be protected by copyright."]),
    # A numbered sentence is not a title: not every long word is capitalised.
    ("  0. This License applies to any program. It says so.\n", [], ["0. This License applies to any program. It says so."]),
    ("1. Install the package. Then run it from the shell.\n", [], ["1. Install the package. Then run it from the shell."]),
    # Outline headings, as GNU's NEWS and README files and Org mode write them: stars left out.
    ("* INTRODUCTION\n\n  GnuPG is a complete and free implementation of the OpenPGP standard.\n\n"
     "** Key management\n\n  Keys are kept in a keyring of their own, in the home directory.\n",
     ["INTRODUCTION", "Key management"],
     ["GnuPG is a complete and free implementation of the OpenPGP standard.",
      "Keys are kept in a keyring of their own, in the home directory."]),
    # Org mode runs a heading and its subheading together; its text may start at the margin.
    ("* Windows\n** How to build an installer for Windows\n\nYour best bet is to use a decent Debian system.\n\n"
     "* Debug hints\n\n  See the manual for some hints.\n",
     ["Windows", "How to build an installer for Windows", "Debug hints"],
     ["Your best bet is to use a decent Debian system.", "See the manual for some hints."]),
    # ... but not a list with items under its items.
    ("* Removed obsolete command line options:\n** --absolute-paths superseded by --absolute-names\n"
     "** --block-size superseded by --blocking-factor\n\nThe rmt command can be set at runtime by an option.\n", [],
     ["* Removed obsolete command line options: ** --absolute-paths superseded by --absolute-names "
      "** --block-size superseded by --blocking-factor", "The rmt command can be set at runtime by an option."]),
    # Under a line of stars, text at the margin goes on a list's item ...
    ("* Fix the --no-overwrite-dir option\n\nGiven this option, previous versions of tar failed to keep permissions.\n",
     [], ["* Fix the --no-overwrite-dir option",
          "Given this option, previous versions of tar failed to keep permissions."]),
    # ... unless the text's mode line says it is an outline.
    ("HACKING    -*- org -*-\n\n** No more ChangeLog files\n\nDo not modify any of the ChangeLog files in GnuPG.\n",
     ["No more ChangeLog files"], ["HACKING -*- org -*-", "Do not modify any of the ChangeLog files in GnuPG."]),
    # A bulleted list at the margin is no outline: its next item has as many stars.
    ("* Fix the build on old systems\n\n* The option --foo now prints the bar of every file it reads.\n", [],
     ["* Fix the build on old systems", "* The option --foo now prints the bar of every file it reads."]),
    # A text that heads its sections with stars, levels and all, heads none with a bare line.
    ("* BUILD INSTRUCTIONS\n\n  GnuPG 2.2 depends on the packages named below, built in order.\n\n"
     "  As with all packages, you just have to do\n\n    ./configure && make && make check && make install\n\n"
     "** Specific build problems\n\n  Some systems lack a full C99 compiler and need an older release.\n",
     ["BUILD INSTRUCTIONS", "Specific build problems"],
     ["GnuPG 2.2 depends on the packages named below, built in order.", "As with all packages, you just have to do",
      "./configure && make && make check && make install",
      "Some systems lack a full C99 compiler and need an older release."]),
    # A line with a web address or a commit's hash is a link or a reference, not a title.
    ("Release-info: https://dev.gnupg.org/T6181\n\nThe release fixes a crash in the agent when keys are long.\n",
     [], ["Release-info: https://dev.gnupg.org/T6181", "The release fixes a crash in the agent when keys are long."]),
    ("Fixes: a55393cb5f4b331cb3a715c7d9a8b91f7606f337\n\nThe release fixes a crash in the agent when keys are long.\n",
     [], ["Fixes: a55393cb5f4b331cb3a715c7d9a8b91f7606f337",
          "The release fixes a crash in the agent when keys are long."]),
])
def test_headings_of_plain_text(text, headings, paragraphs):
    layout = read_plain(text)
    assert_well_formed(layout, text)
    assert shown(layout, HEADING) == headings
    assert shown(layout, PARAGRAPH) == paragraphs


@pytest.mark.parametrize("text, terms", [
    # A manual page as `man` sets it in plain text: the option, its description hanging under it.
    ("       -c, --count\n              Suppress normal output; instead print a count of matching  lines\n"
     "              for  each  input  file.\n\n       -v, --invert-match\n"
     "              Invert the sense of matching, to select non-matching lines.\n", ["-c, --count", "-v, --invert-match"]),
    # Info: several names of one option, one a line; a function's signature over two lines.
    ("‘-i’\n‘-y’\n‘--ignore-case’\n     Ignore case distinctions in patterns and input data.\n",
     ["‘-i’\n‘-y’\n‘--ignore-case’"]),
    (" -- Function: void ffi_call (ffi_cif *CIF, void *FN, void *RVALUE, void\n          **AVALUES)\n"
     "     This calls the function FN according to the description given in\n     CIF.\n",
     [" -- Function: void ffi_call (ffi_cif *CIF, void *FN, void *RVALUE, void\n          **AVALUES)".strip()]),
    # Not terms: a list's item, a line introducing an example, prose wrapped with a hanging indent.
    ("  1. Install the package from the archive\n     with the package manager of the system.\n", []),
    ("For example:\n     grep -c pattern file\n", []),
    ("Smith, J. The history of the valley and of the people who\n    lived in it for three hundred years.\n", []),
])
def test_a_term_with_its_description_hanging_under_it_is_a_definition(text, terms):
    text += "\nThat is all the section says of it.\n"  # (blank lines part the blocks)
    layout = read_plain(text)
    assert_well_formed(layout, text)
    found = [layout.text[b.span.start:hanging_term(text, b.span)[0]] for b in layout.blocks if b.kind == DEFINITION]
    assert found == terms


def test_markdown_blocks_leave_their_markers_out():
    text = ("# Getting *started*\n\nIntro para\nwrapped line.\n\npip works on:\n\n- Windows\n- Linux\n  too\n\n"
            "Setext\n------\n\n```python\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n    indented code\n")
    layout = read_markdown(text)
    assert_well_formed(layout, text)
    assert layout.title == "Getting started"
    assert [(b.kind, b.level, " ".join(b.span.of(text).split())) for b in layout.blocks] == [
        (HEADING, 1, "Getting *started*"), (PARAGRAPH, 0, "Intro para wrapped line."),
        (PARAGRAPH, 0, "pip works on:"), (LIST_ITEM, 0, "Windows"), (LIST_ITEM, 0, "Linux too"),
        (HEADING, 2, "Setext"), (CODE, 0, "print(1)"), (TABLE_ROW, 0, "| a | b |"), (TABLE_ROW, 0, "| 1 | 2 |"),
        (CODE, 0, "indented code"),
    ]


def test_a_real_readme_without_a_top_heading_has_no_title_from_a_subheading():
    text = (document_path("zstd-README.md")).read_text(encoding="utf-8")
    layout = read_markdown(text)
    assert_well_formed(layout, text)
    assert layout.title is None
    assert "Benchmarks" in shown(layout, HEADING)
    assert any(row.startswith("| Compressor name") for row in shown(layout, TABLE_ROW))
    assert not any("```" in b for kind in BLOCK_KINDS for b in shown(layout, kind))


def blocks_of(layout: Layout) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, " ".join(b.span.of(layout.text).split())) for b in layout.blocks]


def test_myst_directives_hold_markdown_and_a_title_labels_its_content_only():
    text = ("# Page\n\n(page-target)=\n\n```{note}\n:class: tip\nA note *body*.\n\n- one\n```\n\n"
            "```{versionadded} 22.2\nThe flag.\n```\n\n```{code-block} shell\n$ pip --version\n```\n\n"
            "````{admonition} Example\nSome text.\n\n```\ncode in it\n```\n````\n\nAfter.\n")
    layout = read_markdown(text)
    assert_well_formed(layout, text)
    assert blocks_of(layout) == [
        (HEADING, 1, "Page"),  # ("(page-target)=" is a name to link to, no text)
        (PARAGRAPH, 0, "A note *body*."), (LIST_ITEM, 0, "one"),  # a note is prose, its ":class:" an option
        (PARAGRAPH, 0, "The flag."),  # a version is no title
        (CODE, 0, "$ pip --version"),
        (HEADING, LABEL, "Example"), (PARAGRAPH, DESCRIBED, "Some text."), (CODE, DESCRIBED, "code in it"),
        (PARAGRAPH, 0, "After."),
    ]


def test_a_real_myst_page_labels_its_tabs():
    text = gzip.decompress(document_path("caching.md.gz").read_bytes()).decode("utf-8")
    layout = read_markdown(text)
    assert_well_formed(layout, text)
    blocks = blocks_of(layout)
    mac = blocks.index((HEADING, LABEL, "MacOS"))
    assert blocks[mac + 1] == (CODE, DESCRIBED, "~/Library/Caches/pip")
    assert (PARAGRAPH, DESCRIBED, "pip will also respect `XDG_CACHE_HOME`.") in blocks  # prose in a tab
    assert not any("```" in shown or "{tab}" in shown or shown.endswith(")=") for _, _, shown in blocks)


def test_rst_tabs_label_their_content_and_a_rubric_is_a_heading(tmp_path):
    text = ("Guide\n=====\n\nInstall it:\n\n.. tab:: Unix/macOS\n\n   .. code-block:: shell\n\n"
            "      python -m pip install x\n\n.. tab:: Windows\n\n   .. code-block:: shell\n\n      py -m pip install x\n\n"
            "Then run it.\n\n.. rubric:: Examples\n\nAn example.\n\n.. pip-command-usage:: cache \"py -m pip\"\n\n"
            ".. versionadded:: 3.2\n\n.. deprecated:: 4.0 Use the newer tool from now on\n")
    layout = read_rst(text)
    assert_well_formed(layout, text)
    assert blocks_of(layout) == [
        (HEADING, 1, "Guide"), (PARAGRAPH, 0, "Install it:"),
        (HEADING, LABEL, "Unix/macOS"), (CODE, DESCRIBED, "python -m pip install x"),
        (HEADING, LABEL, "Windows"), (CODE, DESCRIBED, "py -m pip install x"),
        (PARAGRAPH, 0, "Then run it."), (HEADING, 2, "Examples"), (PARAGRAPH, 0, "An example."),
        # A directive's parameter ('cache "py -m pip"', "3.2") is no paragraph; a sentence is.
        (PARAGRAPH, 0, "4.0 Use the newer tool from now on"),
    ]
    from assistant.answerer import Assistant

    (tmp_path / "guide.rst").write_text(text, encoding="utf-8")
    document = Assistant.open(tmp_path, cache_dir=tmp_path / "cache").library.document(0)
    sections = {document.paragraphs[n - 1].span.of(text): document.section_of(n)
                for n in range(1, len(document.paragraphs) + 1)}
    # A label heads its tab's content, and nothing after the tabs.
    assert sections["py -m pip install x"] == "Guide › Windows"
    assert sections["Then run it."] == "Guide"
    assert sections["An example."] == "Guide › Examples"


def test_rst_sections_lists_code_and_sphinx_directives():
    text = ("=====\nTitle\n=====\n\nIntro with a :keyword:`!pass` role\nand a second line.\n\nSection one\n"
            "-----------\n\n- item one\n- item two\n  wrapped\n\nExample::\n\n    code here\n    more\n\n"
            ".. note::\n\n   A note body.\n\n.. versionadded:: 3.2\n   The thing was added.\n\n"
            ".. code-block:: python\n\n   print(1)\n\nSub\n~~~\n\n+-----+-----+\n| a   | b   |\n+-----+-----+\n")
    layout = read_rst(text)
    assert_well_formed(layout, text)
    assert layout.title == "Title"
    assert [(b.kind, b.level, " ".join(b.span.of(text).split())) for b in layout.blocks] == [
        (HEADING, 1, "Title"), (PARAGRAPH, 0, "Intro with a :keyword:`!pass` role and a second line."),
        (HEADING, 2, "Section one"), (LIST_ITEM, 0, "item one"), (LIST_ITEM, 0, "item two wrapped"),
        (PARAGRAPH, 0, "Example::"), (CODE, 0, "code here more"), (PARAGRAPH, 0, "A note body."),
        (PARAGRAPH, 0, "3.2 The thing was added."), (CODE, 0, "print(1)"), (HEADING, 3, "Sub"),
        (TABLE_ROW, 0, "| a | b |"),
    ]


def test_an_rst_definition_list_term_opens_its_definitions_first_sentence(tmp_path):
    text = ("Parts\n=====\n\nParser\n    Takes bytes and produces a model of the\n    message.  It never fails.\n\n"
            "    A second paragraph of the definition.\n\nGenerator\n    Turns a model into bytes.\n\n"
            "Lonely term\n    ::\n\n        code only\n")
    layout = read_rst(text)
    assert_well_formed(layout, text)
    assert [(b.kind, " ".join(b.span.of(text).split())) for b in layout.blocks] == [
        (HEADING, "Parts"),
        (DEFINITION, "Parser Takes bytes and produces a model of the message. It never fails."),
        (PARAGRAPH, "A second paragraph of the definition."),
        (DEFINITION, "Generator Turns a model into bytes."),
        (PARAGRAPH, "Lonely term"),  # no paragraph opens its definition: the term stays alone
        (CODE, "code only"),
    ]
    from assistant.answerer import Assistant

    (tmp_path / "parts.rst").write_text(text, encoding="utf-8")
    document = Assistant.open(tmp_path, cache_dir=tmp_path / "cache").library.document(0)
    parser = next(p for p in document.paragraphs if p.kind == DEFINITION)
    sentences = [" ".join(s.of(document.text).split()) for s in document.sentences_in(parser.number)]
    assert sentences == ["Parser Takes bytes and produces a model of the message. It never fails."]  # short: one unit
    (tmp_path / "parts.rst").write_text(text.replace("It never fails.", "It never fails. " * 30), encoding="utf-8")
    document = Assistant.open(tmp_path, cache_dir=tmp_path / "cache").library.document(0)
    parser = next(p for p in document.paragraphs if p.kind == DEFINITION)
    sentences = [" ".join(s.of(document.text).split()) for s in document.sentences_in(parser.number)]
    assert sentences[:2] == ["Parser Takes bytes and produces a model of the message.", "It never fails."]


def test_a_real_rst_page_keeps_every_paragraph():
    text = (document_path("email-architecture.rst")).read_text(encoding="utf-8")
    layout = read_rst(text)
    assert_well_formed(layout, text)
    assert layout.title == "email Package Architecture"  # the role's markup gone from the title
    assert shown(layout, HEADING)[:2] == [":mod:`email` Package Architecture", "Overview"]
    prose = " ".join(shown(layout, PARAGRAPH))
    for sentence in ("The email package consists of three major components:",
                     "Conceptually the package is organized around the model."):
        assert sentence in prose


def test_source_code_is_read_as_code_blocks_between_blank_lines():
    text = gzip.decompress(document_path("conf.py.gz").read_bytes()).decode("utf-8")  # pip's Sphinx configuration
    layout = read_code(text)
    assert_well_formed(layout, text)
    assert {b.kind for b in layout.blocks} == {CODE}
    assert blocks_of(layout)[0] == (CODE, 0, '"""Sphinx configuration file for pip\'s documentation."""')
    assert any(block.startswith("# Add the docs/ directory to sys.path") for _, _, block in blocks_of(layout))
    assert read_code("\n\n").blocks == ()


def test_broken_markup_is_still_read():
    for text in ("Title\n===\n\n.. broken:: \n  :x\n\n`unclosed *markup\n", "=" * 5000, "*" * 3000 + "\n" + "-" * 3000):
        assert_well_formed(read_rst(text), text)
        assert_well_formed(read_markdown(text), text)
        assert_well_formed(read_plain(text), text)
        assert_well_formed(read_code(text), text)
