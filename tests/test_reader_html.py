"""The HTML reader on real documentation pages (Python's and the Debian
Reference's, as Debian installs them) and on small made-up pages: the text a
person reads, laid out one block a paragraph, with the page's furniture left
out, and never a hang or a crash on bad input."""

from __future__ import annotations

import re
import time
from pathlib import Path

import lxml.html
import pytest
from documents import blocks, document_path
from trafilatura.metadata import extract_metadata

from assistant.readers.html import UnreadableDocument, _title, read_html
from assistant.readers.structure import BLOCK_KINDS, CODE, DEFINITION, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout


def assert_laid_out(layout: Layout) -> None:
    """Blocks cover the text in order, separated by exactly one blank line; a
    blank line is nowhere else; prose is on one line with single spaces."""
    assert all(b.kind in BLOCK_KINDS for b in layout.blocks)
    assert "\n\n".join(blocks(layout)) == layout.text
    for block in layout.blocks:
        quoted = block.span.of(layout.text)
        assert quoted and quoted == quoted.strip() and "\n\n" not in quoted
        if block.kind == DEFINITION:  # the term on a line of its own, over its definition
            assert quoted.count("\n") == 1 and "  " not in quoted
        elif block.kind != CODE:
            assert "\n" not in quoted and "  " not in quoted


def article_page(body: str, head: str = "") -> bytes:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour seals return to the estuary | The Coastal Courier</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Harbour seals return to the estuary">
<meta name="author" content="Maria Lindqvist">
<meta property="article:published_time" content="2024-03-18T09:30:00Z">{head}
</head><body>
<header class="site-header"><a href="/">The Coastal Courier</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
</header>
<div id="cookie-banner"><p>We use cookies to improve your experience. By continuing to browse you accept our cookie policy.</p></div>
<main><article>{body}</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Otters seen near the old mill</a></li>
<li><a href="/b">Council approves new sea wall</a></li></ul></aside></main>
<footer><p>© 2024 The Coastal Courier. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


ARTICLE = """<h1>Harbour seals return to the estuary</h1>
<p>For the first time in more than a decade, a colony of harbour seals has settled on the sandbanks at the mouth of the
estuary, volunteers counting the animals said on Monday.</p>
<p>The group counted forty-two seals resting on the banks at low tide, including several pups born this winter, which
suggests that the colony is breeding there rather than merely passing through.</p>
<h2>Cleaner water</h2>
<p>Biologists at the regional water authority credit the return of the seals to a cleaner river: since the treatment
works upstream were rebuilt, the fish the seals feed on have come back in numbers not seen since the nineteen-eighties.</p>
<p>The authority asks walkers to keep their dogs on a lead along the shore and to stay at least fifty metres from the
animals, which are easily frightened and may abandon their pups if disturbed.</p>"""


def test_an_article_keeps_its_body_and_drops_the_furniture():
    layout = read_html(article_page(ARTICLE))
    assert_laid_out(layout)
    text = layout.text
    assert "a colony of harbour seals has settled on the sandbanks at the mouth of the estuary" in text
    assert "may abandon their pups if disturbed." in text
    for furniture in ("Sport", "We use cookies", "Related stories", "Otters seen", "All rights reserved", "Privacy"):
        assert furniture not in text
    assert "Cleaner water" in blocks(layout, HEADING)
    assert (layout.title, layout.author, layout.date) == ("Harbour seals return to the estuary", "Maria Lindqvist", "2024-03-18")


def test_an_articles_lines_leading_to_other_articles_are_left_out():
    # As the benchmark's pages write them inside the body: a headline quoted
    # from one answers nothing in this article.
    links = ('<p><strong>Read more:</strong> <a href="/x">Otters return to the old mill stream</a></p>'
             '<p>READ MORE: <a href="/y">Council approves a new sea wall</a></p>'
             '<p>Related: <a href="/z">The 15 weirdest seals in the world</a></p>')
    paragraphs = re.findall(r"<p>.*?</p>", ARTICLE, re.S)
    layout = read_html(article_page("<h1>Harbour seals return to the estuary</h1>" + paragraphs[0] + links
                                    + "".join(paragraphs[1:])))
    assert_laid_out(layout)
    for link in ("Otters return", "sea wall", "weirdest seals", "Read more", "READ MORE", "Related:"):
        assert link not in layout.text
    assert "including several pups born this winter" in layout.text


def test_an_article_cut_into_chunks_between_advertisements_is_read_whole():
    chunk = '<div class="article-chunk">{}</div><div class="advert"><p>Advertisement</p></div>'
    paragraphs = re.findall(r"<p>.*?</p>", ARTICLE, re.S)
    body = "<h1>Harbour seals return to the estuary</h1>" + "".join(
        chunk.format(p + p.replace("seals", "grey seals")) for p in paragraphs
    )
    layout = read_html(article_page(f'<div class="article-body">{body}</div>'))
    text = layout.text
    assert text.count("grey seals") == 4  # one from each chunk
    assert "at least fifty metres from the animals" in text


DOCUMENTATION = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Backups — Example Manual</title></head>
<body>
<div class="cookie-consent">This site stores a cookie to remember your theme.</div>
<div id="header"><a href="/">Example Manual</a> <a href="/search">Search</a></div>
<div class="sidebar"><h3>Contents</h3><ul><li><a href="#a">Backups</a></li><li><a href="#b">Restoring</a></li></ul></div>
<div class="body">
<h1>Backups<a class="headerlink" href="#backups" title="Permalink">¶</a></h1>
<p>Back up the   whole home folder
   once a week.</p>
<div class="note"><p class="admonition-title">Note</p><p>Backups of an encrypted folder stay encrypted.</p></div>
<p>The tool writes:</p>
<ul><li>one archive a day,</li><li>a list of the files in it,
<ul><li>sorted by name.</li></ul></li></ul>
<h2>Restoring</h2>
<dl><dt>restore ARCHIVE</dt><dd>Puts every file of ARCHIVE back in place.</dd></dl>
<pre>restore --dry-run home.tar
  # prints what it would do</pre>
<p>First line<br>second line<br><br>A paragraph of its own.</p>
<table><tr><th>Option</th><th>Meaning</th></tr><tr><td>-n</td><td>dry run</td></tr></table>
<h3>Hidden</h3><p style="display: none">Shown only to scripts.</p>
</div>
<div class="footer">© 2024 Example. Last updated on Mar 18, 2024.</div>
</body></html>""".encode()


def test_a_documentation_page_is_read_whole_with_its_structure():
    layout = read_html(DOCUMENTATION)
    assert_laid_out(layout)
    assert [(b.kind, b.level, b.span.of(layout.text)) for b in layout.blocks] == [
        (HEADING, 1, "Backups"),
        (PARAGRAPH, 0, "Back up the whole home folder once a week."),
        (PARAGRAPH, 0, "Backups of an encrypted folder stay encrypted."),  # the note's label is no sentence
        (PARAGRAPH, 0, "The tool writes:"),
        (LIST_ITEM, 0, "one archive a day,"),
        (LIST_ITEM, 0, "a list of the files in it,"),
        (LIST_ITEM, 0, "sorted by name."),
        (HEADING, 2, "Restoring"),
        (DEFINITION, 0, "restore ARCHIVE\nPuts every file of ARCHIVE back in place."),  # the term with its definition
        (CODE, 0, "restore --dry-run home.tar\n  # prints what it would do"),
        (PARAGRAPH, 0, "First line second line"),
        (PARAGRAPH, 0, "A paragraph of its own."),
        (TABLE_ROW, 0, "Option | Meaning"),
        (TABLE_ROW, 0, "-n | dry run"),
        (HEADING, 3, "Hidden"),
    ]
    assert layout.title == "Backups"  # the site's name taken off the <title>


def test_a_note_drawn_as_a_table_is_read_as_the_pages_text():
    # DocBook draws a tip as a table: an icon and its label, then the text.
    # Read as table rows after a data table, the tip ran into the table (its
    # sentence quoted as the table's last row) and "Tip" became a sentence.
    page = """<html><body><h1>Filesystems</h1>
    <table summary="tools"><tr><th>package</th><th>description</th></tr>
    <tr><td>e2fsprogs</td><td>utilities for the ext4 filesystem</td></tr></table>
    <div class="tip"><table border="0" summary="Tip"><tr><td rowspan="2"><img alt="[Tip]" src="tip.png"/></td>
    <th align="left">Tip</th></tr><tr><td><p>Ext4 is the default filesystem.</p></td></tr></table></div>
    <div class="warning"><table border="0"><tr><th>Warning</th></tr>
    <tr><td><p>Do not run fsck on a mounted filesystem.</p></td></tr></table></div>
    </body></html>""".encode()
    layout = read_html(page)
    assert_laid_out(layout)
    assert [(b.kind, b.span.of(layout.text)) for b in layout.blocks] == [
        (HEADING, "Filesystems"),
        (TABLE_ROW, "package | description"),
        (TABLE_ROW, "e2fsprogs | utilities for the ext4 filesystem"),
        (PARAGRAPH, "Ext4 is the default filesystem."),
        (PARAGRAPH, "Do not run fsck on a mounted filesystem."),
    ]


def innermost_prose(path: Path, root_xpath: str, leave_out: str = "nav") -> list[str]:
    """Texts of the page's innermost paragraphs, list items, definitions and
    table cells under `root_xpath` and not under `leave_out`, white space
    removed; a note's label ("Note") is no prose."""
    tree = lxml.html.parse(str(path))
    units = []
    for root in tree.xpath(root_xpath):
        for element in root.iter("p", "li", "dt", "dd", "td", "th"):
            if element.xpath(f"ancestor::{leave_out}") or "admonition-title" in (element.get("class") or ""):
                continue
            if next(element.iterdescendants("p", "li", "dt", "dd", "td", "th"), None) is None:
                text = "".join("".join(element.itertext()).split()).replace("¶", "")
                if text:
                    units.append(text)
    return units


def kept(units: list[str], layout: Layout) -> list[str]:
    flat = "".join(layout.text.split())
    return [unit for unit in units if unit in flat]


@pytest.mark.parametrize("name", ["python-pwd.html", "python-builtins.html"])
def test_python_documentation_keeps_every_paragraph_and_drops_the_sidebar(name):
    layout = read_html((document_path(name)).read_bytes())
    assert_laid_out(layout)
    units = innermost_prose(document_path(name), "//div[@role='main']")
    assert units and kept(units, layout) == units
    for furniture in ("Previous topic", "Report a Bug", "Show Source", "Copyright", "Python Software Foundation"):
        assert furniture not in layout.text
    assert "¶" not in layout.text


def test_python_documentation_structure():
    layout = read_html((document_path("python-pwd.html")).read_bytes())
    assert layout.title == "pwd — The password database"
    assert layout.blocks[0].kind == HEADING and blocks(layout)[0] == "pwd — The password database"
    assert "0 | pw_name | Login name" in blocks(layout, TABLE_ROW)
    assert "pwd.getpwuid(uid)\nReturn the password database entry for the given numeric user ID." \
        in blocks(layout, DEFINITION)
    code = blocks(read_html((document_path("python-builtins.html")).read_bytes()), CODE)
    assert code[0].startswith("import builtins\ndef open(path):\n    f = builtins.open(path, 'r')\n")


def test_debian_reference_keeps_its_sections_lists_and_drops_its_navigation():
    layout = read_html((document_path("debian-reference-appendix.en.html")).read_bytes())
    assert_laid_out(layout)
    assert layout.title == "Appendix A. Appendix"
    headings = [(b.level, b.span.of(layout.text)) for b in layout.blocks if b.kind == HEADING]
    assert headings == [(1, "Appendix A. Appendix"), (2, "A.1. The Debian maze"), (2, "A.2. Copyright history"),
                        (2, "A.3. Document format")]
    items = blocks(layout, LIST_ITEM)
    assert '"Debian Tutorial" by Havoc Pennington. (11 December, 1998)' in items
    assert "extensive proofreading by David Sewell" in items
    # Everything but the chapter's table of contents, whose entries are the headings above.
    units = innermost_prose(document_path("debian-reference-appendix.en.html"), "//div[@class='appendix']", "div[@class='toc']")
    assert units and kept(units, layout) == units
    assert "Table of Contents" not in layout.text
    assert "Chapter 12. Programming" not in layout.text  # the "previous chapter" link of the navigation footer


def test_a_table_of_contents_that_is_most_of_its_page_is_still_navigation():
    # The Debian Reference's index page: a short abstract, then a contents
    # list of hundreds of links laid out on indented lines. Neither the
    # markup's indentation nor the links' words are the page's prose.
    entries = "".join(f"""
              <dt>
                <span class="section">
                  <a href="ch09.en.html#_s{i}">9.6.{i}. Disk space usage of the system number {i}</a>
                </span>
              </dt>""" for i in range(200))
    page = f"""<html><head><title>Debian Reference</title></head><body><div class="book">
      <h1>Debian Reference</h1>
      <div class="abstract"><p>This book is free; you may redistribute it under the terms of the GPL.</p>
      <p>This Debian Reference is intended to provide a broad overview of Debian system administration.</p></div>
      <div class="toc">
        <p><b>Table of Contents</b></p>
        <dl>
          <dt><span class="chapter"><a href="ch09.en.html">9. System tips</a></span></dt>
          <dd>
            <dl>{entries}
            </dl>
          </dd>
        </dl>
      </div></div></body></html>""".encode()
    layout = read_html(page)
    assert_laid_out(layout)
    assert "intended to provide a broad overview" in layout.text
    assert "Disk space usage" not in layout.text and "Table of Contents" not in layout.text


# --- the title alone, as a corpus document keeps it -------------------------------------

JSON_LD = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Seals &amp; otters   return", "author": {"@type": "Person", "name": "Per Holm"},
"datePublished": "2024-03-19"}</script>"""
TITLED_PAGES = {
    "article": article_page(ARTICLE),
    "article with JSON-LD": article_page(ARTICLE, JSON_LD),
    "article with a one-word author": article_page(ARTICLE, '<meta name="author" content="admin">' + JSON_LD),
    "article too short to extract": article_page("<p>Seals.</p>"),
    "JSON-LD headline over <title>": f"""<html><head><title>Site page | Example</title>{JSON_LD}</head><body>
<h1>A</h1><h1>B</h1><p>Seals.</p></body></html>""".encode(),
    "documentation": DOCUMENTATION,
    "meta title and itemprop headline": b"""<html><head><meta name="title" content="Meta title">
<meta itemprop="headline" content="Headline"><title>Page | Site</title></head><body><h1>One</h1><h1>Two</h1>
<p>Published on 12 March 2021 by the team.</p></body></html>""",
    "no head title, two headings": b"""<html><body><h2>Second level</h2><h1>First</h1><h1>Again</h1>
<p>Last updated 2020-05-06.</p></body></html>""",
    "title with a site name": b"""<html><head><title>Restoring backups - The Handbook</title></head>
<body><p>Text. Copyright 2019.</p></body></html>""",
    "long title": b"<html><head><title>" + b"Word &amp; word   " * 1200 + b"</title></head><body><p>x</p></body></html>",
}


@pytest.mark.parametrize("name", [*TITLED_PAGES, "python-pwd.html", "python-builtins.html",
                                  "debian-reference-appendix.en.html"])
def test_the_title_alone_is_the_same_title_and_the_same_text(name):
    data = TITLED_PAGES[name] if name in TITLED_PAGES else document_path(name).read_bytes()
    full, titled = read_html(data), read_html(data, title_only=True)
    assert (titled.text, titled.blocks, titled.title, titled.encoding) == (full.text, full.blocks, full.title,
                                                                           full.encoding)
    assert titled.date is None and titled.author is None
    tree = lxml.html.document_fromstring(data)
    assert _title(tree) == extract_metadata(tree).title


def test_the_title_alone_leaves_out_the_date_and_author_the_page_has():
    full, titled = read_html(article_page(ARTICLE)), read_html(article_page(ARTICLE), title_only=True)
    assert (full.title, full.author, full.date) == ("Harbour seals return to the estuary", "Maria Lindqvist", "2024-03-18")
    assert (titled.title, titled.author, titled.date) == ("Harbour seals return to the estuary", None, None)


# --- bad input ------------------------------------------------------------------------


def test_empty_and_markup_only_pages_give_an_empty_text():
    for data in (b"", b"  \n", b"<html><head><title></title></head><body></body></html>"):
        layout = read_html(data)
        assert (layout.text, layout.blocks) == ("", ())


def test_binary_data_is_unreadable():
    with pytest.raises(UnreadableDocument):
        read_html(bytes(range(256)) * 64)
    with pytest.raises(UnreadableDocument):
        read_html(b"\x89PNG\r\n\x1a\n" + bytes(4096))


def test_malformed_html_is_read_as_a_browser_would():
    layout = read_html(b"<p>One <b>two <i>three</p><div>four</span></td></table><p>five &amp; &bogus; six")
    assert blocks(layout) == ["One two three", "four", "five & &bogus; six"]
    assert_laid_out(layout)


def test_text_after_the_closing_html_tag_is_kept():
    layout = read_html(b"<html><body><p>First page.</p></body></html>\n<html><body><p>Second page.</p></body></html>")
    assert blocks(layout) == ["First page.", "Second page."]


def test_legacy_encodings_are_decoded():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 cr\u00e8me \u2013 5 \u20ac</p></body></html>'
    assert read_html(page.encode("cp1252")).text == "Caf\u00e9 cr\u00e8me \u2013 5 \u20ac"
    assert read_html(page.encode("utf-16")).text == "Caf\u00e9 cr\u00e8me \u2013 5 \u20ac"
    japanese = "日本語の文書です。文字コードが書かれていなくても、読めるはずです。" * 4
    assert read_html(f"<p>{japanese}</p>".encode("euc-jp")).text == japanese
    assert read_html(f"<p>{japanese}</p>".encode("shift_jis")).text == japanese


@pytest.mark.parametrize("depth", [1_000, 5_000, 100_000])
def test_deeply_nested_pages_are_read_in_linear_time(depth):
    for page in (
        b"<html><body>" + b"<div>" * depth + b"<p>Deep text.</p>" + b"</div>" * depth + b"</body></html>",
        b"<ul><li>" * depth + b"deep item",
        b"<table><tr><td>" * (depth // 5) + b"deep cell",
    ):
        start = time.perf_counter()
        layout = read_html(page)
        assert time.perf_counter() - start < 10
        assert layout.text.startswith("Deep text.") or layout.text.startswith("deep")


def test_a_nested_article_page_does_not_exhaust_the_stack():
    body = "<div>" * 1_500 + ARTICLE + "</div>" * 1_500
    layout = read_html(article_page(body))
    assert "forty-two seals" in layout.text


def test_a_title_made_of_a_heading_with_code_in_it_has_no_space_before_its_commas():
    # DocBook's (the Debian Handbook's): "6.2. <code>aptitude</code>, <code>apt-get</code>, ...".
    heading = ('<h2 class="title">6.2. <code class="command">aptitude</code>, <code class="command">apt-get</code>, '
               'and <code class="command">apt</code> Commands</h2>')
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>6.2. aptitude, apt-get, and apt Commands"
            "</title></head><body><div class='section'>" + heading + "<p>"
            + "The apt command line is the one most people use. " * 5 + "</p></div></body></html>").encode()
    assert read_html(page).title == "6.2. aptitude, apt-get, and apt Commands"
    assert read_html(page, title_only=True).title == "6.2. aptitude, apt-get, and apt Commands"
