"""HTML and XHTML: the text a person reads on the page, without its furniture.

A page is read one of two ways:
- a page that says it is an article (Open Graph `og:type` "article",
  `article:*` properties, a schema.org Article or BlogPosting: what news sites
  and blogs declare) is read by trafilatura, chosen by measurement on the
  article extraction benchmark (`eval/extraction.py`): it keeps the article's
  body and drops menus, related links, comments and cookie notices;
- any other page (documentation, manuals, plain pages) is read whole, by a
  walk over its body that leaves out only what its markup says is furniture
  (navigation, banners, footers, sidebars, scripts, form controls, hidden
  elements): such pages have no "article", and an article extractor drops
  their notes, signatures, footnotes and lists.

The text is laid out one block a paragraph, blocks separated by a blank line
(and no blank line anywhere else), each block's white space collapsed to single
spaces except in code, so that sentences can be cut downstream; headings, list
items, code and table rows are blocks of their own, mapped as spans.

No input hangs or exhausts the stack: the walk is iterative, pages too large
for the article extractor are walked, and pages nested deeper than libxml2
goes (2,048 levels) are read flat by a streaming parser."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from .structure import (CELL_SEPARATOR, CODE, DEFINITION, DESCRIBED, HEADING, LIST_ITEM, PARAGRAPH, TABLE_ROW, Layout,
                        UnreadableDocument, joined_blocks)

_TERM = "term"  # a definition list's term, while blocks are gathered: joined to its definition after

__all__ = ["read_html", "UnreadableDocument"]

# A page of more elements or characters than this is no article (the
# benchmark's largest has 1,600 elements and 1.5 million characters; Python's
# whole table of contents 49,000 elements): it is read by the page walk alone,
# with the metadata its head declares, as trafilatura reads 8,000 elements a
# second and its metadata search reads 2 MB of text a second.
ARTICLE_MAX_ELEMENTS = 50_000
ARTICLE_MAX_CHARS = 5_000_000

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form header hgroup hr html legend li listing main menu nav ol p plaintext pre section summary "
    "table tbody td tfoot th thead tr ul xmp h1 h2 h3 h4 h5 h6".split()
)
# Never text a reader sees.
SKIPPED_TAGS = frozenset(
    "head title script style noscript template svg math canvas iframe object embed audio video map area "
    "button input select option optgroup textarea datalist dialog".split()
)
# Furniture by its element.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer"})
FURNITURE_ROLES = frozenset(
    "navigation banner contentinfo complementary search menu menubar toolbar dialog alertdialog tooltip".split()
)
# Furniture by its class or id: one of these words as a whole class name or a
# dash- or underscore-separated part of one ("sphinxsidebar", "nav-panel",
# "site-footer", "cookie_notice"), as readability's list of unlikely candidates.
_FURNITURE_NAME = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|navheader|navfooter|menu|menubar|breadcrumbs?|sidebar|sphinxsidebar"
    r"(?:wrapper)?|footer|related|cookies?|consent|gdpr|skip(?:link)?|share|sharing|social|toc|newsletter"
    r"|sr-only|screen-reader-text|visually-hidden|visuallyhidden)(?:$|[-_])"
    r"|^(?:header|masthead|site-header|banner)$",
    re.IGNORECASE,
)
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "cookieBanner" is "cookie-Banner"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A permalink beside a heading or a definition (Sphinx's "¶", "#", "§").
_PERMALINK_TEXT = frozenset({"", "¶", "#", "§", "🔗", "⚓"})
# A note, tip or warning is a box with a label: in DocBook's HTML a table of
# two rows (an icon and "Tip", then the text) in a <div class="tip">, in
# Sphinx's a <p class="admonition-title">Note</p>. The label is no sentence,
# and the box no data table: its text is read as the page's own.
ADMONITIONS = frozenset("note tip warning caution important hint attention danger error".split())
# A table row whose cells hold these is the page's layout, not data.
_LAYOUT_IN_CELL = ("table", "pre", "h1", "h2", "h3", "h4", "h5", "h6")
_LAYOUT_ROW_CHARS = 2_000

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"\n *(?:\n *)+")  # two <br> or more: a paragraph ends
_SPACES = re.compile(r"\s+")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)


def read_html(data: bytes, title_only: bool = False) -> Layout:
    """The page's text and block map, with its title, date and author from
    its metadata when it has them. An empty page gives an empty text;
    `UnreadableDocument` for bytes that are not text.

    `title_only` reads the title alone of the metadata, the same title, and
    leaves the date and author None: all a corpus document keeps of them
    (`corpus.make_document`), without htmldate's search of the whole page
    for a date (three quarters of the time of reading a page without article
    markup) or trafilatura's for an author."""
    text, encoding = decode_html(data)
    if not text.strip():
        return Layout("", (), encoding=encoding)
    tree = _parse(text)
    if tree is None:  # nested deeper than the tree parser goes
        return _laid_out(_flat_blocks(text), encoding=encoding)
    _drop_permalinks(tree)
    if len(text) > ARTICLE_MAX_CHARS or sum(1 for _ in tree.iter()) > ARTICLE_MAX_ELEMENTS:
        metadata = _declared_metadata(tree)
        if title_only:
            metadata.update(date=None, author=None)
    elif declares_article(tree):
        article = _article(tree)
        metadata = _metadata(tree, title_only)
        if article:
            return _laid_out(_without_cross_links(_with_continuations(tree, article)), encoding=encoding, **metadata)
    else:
        metadata = _metadata(tree, title_only)
    return _laid_out(_page_blocks(tree), encoding=encoding, **metadata)


# --- bytes to a tree ---------------------------------------------------------------


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in: a byte-order mark,
    then UTF-8 if the bytes are valid UTF-8, then the charset the page
    declares, then a guess."""
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(mark):
            return _checked(data.decode(encoding, errors="replace")), encoding
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a mark
        encoding = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return _checked(data.decode(encoding, errors="replace")), encoding
    try:
        return _checked(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _declared_charset(head) or _guessed_charset(data) or "cp1252"
    return _checked(data.decode(encoding, errors="replace")), encoding


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET.search(head)
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # Pages declaring Latin-1 are written in its Windows superset (as browsers read them).
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _guessed_charset(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best else None


def _checked(text: str) -> str:
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise UnreadableDocument("binary data, not an HTML page")
    return text


def _parse(text: str):
    """The page's tree, or None when it nests deeper than libxml2 goes (its
    content below that depth would be silently lost)."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True)
    # libxml2 stops reading at "</html>", though pages (and pages saved one
    # after another into a file) go on after it; browsers read on.
    text = _HTML_END.sub("", _CONTROL.sub("", text))
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing but markup
        return lxml.html.document_fromstring("<html><body></body></html>")
    if any("depth" in entry.message for entry in parser.error_log):
        return None
    return tree


def _drop_permalinks(tree) -> None:
    for anchor in list(tree.iter("a")):
        if anchor.get("href", "").startswith("#") and anchor.text_content().strip() in _PERMALINK_TEXT:
            anchor.drop_tree()


# --- the article reading -------------------------------------------------------------

def declares_article(tree) -> bool:
    """Whether the page says it is an article, as news sites and blogs do for
    search engines and social networks: Open Graph's `og:type` "article" or
    `article:*` properties, or a schema.org Article or BlogPosting (JSON-LD
    or microdata). Documentation, manuals and plain pages do not."""
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").strip().lower()
        if name.startswith("article:") or (name == "og:type" and meta.get("content", "").strip().lower() == "article"):
            return True
    for script in tree.iter("script"):
        if script.get("type", "").strip().lower() == "application/ld+json" and _ARTICLE_TYPE.search(script.text or ""):
            return True
    return any(_ARTICLE_ITEMTYPE.search(itemtype) for itemtype in tree.xpath("//@itemtype"))


_ARTICLE_KINDS = r"(?:News|Blog|Reportage|Opinion|Analysis|Review|Scholarly|Tech|Satirical|Report)?(?:Article|Posting)"
_ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:https?://schema\.org/)?' + _ARTICLE_KINDS + '"', re.IGNORECASE)
_ARTICLE_ITEMTYPE = re.compile(r"schema\.org/" + _ARTICLE_KINDS + r"\b", re.IGNORECASE)

# trafilatura's output vocabulary, as the HTML the page walk reads.
_TRAFILATURA_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "row": "tr", "cell": "td", "lb": "br",
                     "hi": "span", "ref": "span", "del": "span", "graphic": "span"}
# A precision extraction this short may have kept a notice instead of the
# article: the balanced one is tried too (as trafilatura rescues its own short
# results in balanced mode).
SHORT_ARTICLE_CHARS = 500


def _article(tree) -> list[tuple[str, str, int]]:
    """The article trafilatura finds in the page, as blocks (before its
    continuations). Its metadata is read apart (`_metadata`), once for
    both extractions: trafilatura reads it from a copy of the same tree and
    its extraction does not depend on it (links are not kept)."""
    import trafilatura

    options = dict(include_comments=False, include_tables=True)
    document = trafilatura.bare_extraction(tree, favor_precision=True, **options)
    if document is None or len(document.text or "") < SHORT_ARTICLE_CHARS:
        balanced = trafilatura.bare_extraction(tree, **options)
        if balanced is not None and (document is None or len(balanced.text or "") >= 2 * len(document.text or "")):
            document = balanced
    if document is None:
        return []
    return _walk(_as_html(document.body))


# A line of an article's body that leads to another article: "Read more:
# Alibaba poised to launch record-breaking $13.4bn Hong Kong listing",
# "Related: The 15 Weirdest Galaxies in Our Universe", "Click here to get more
# information or download this game." A headline quoted from it answers
# nothing in this one (the benchmark's true article bodies hold none).
_CROSS_LINK = re.compile(
    r"(?:(?:read|see|watch)\s+(?:more|also|next)|also\s+(?:read|see)|related(?:\s+(?:posts?|articles?|stories|story"
    r"|coverage|content|reading|links?))?|more\s+on\s+this(?:\s+story)?|recommended(?:\s+(?:reading|for\s+you))?"
    r"|don[’']t\s+miss|must\s+read)\s*:[^\n]{1,200}"
    r"|click\s+here\b[^\n]{0,120}",
    re.IGNORECASE,
)


def _without_cross_links(blocks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    return [block for block in blocks if block[0] == CODE or not _CROSS_LINK.fullmatch(block[1])]


def _as_html(body):
    for element in body.iter():
        if element.tag == "head":
            rend = element.get("rend", "")
            element.tag = rend if rend in HEADINGS else "h2"
        elif element.tag == "code":
            parent = element.getparent()
            element.tag = "code" if parent is not None and parent.tag in ("p", "head", "hi", "ref", "del", "cell") else "pre"
        elif element.tag in _TRAFILATURA_TAGS:
            element.tag = _TRAFILATURA_TAGS[element.tag]
        element.attrib.clear()
    return body


def _with_continuations(tree, blocks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """The article with the parts of it that follow in containers of the same
    kind beside its own (siblings, or children of its parent's siblings of the
    same kind): pages that cut an article into chunks between advertisements
    lose all but the first chunk to an extractor that picks one container."""
    kept = {text for kind, text, _ in blocks if kind == PARAGRAPH}
    sources: dict = {}
    for paragraph in tree.iter("p"):
        if _one_line(paragraph.text_content()) in kept:
            parent = paragraph.getparent()
            sources[parent] = sources.get(parent, 0) + 1
    if not sources:
        return blocks
    container = max(sources, key=sources.get)
    parent = container.getparent()
    if not container.get("class", "").strip() or parent is None:
        return blocks
    grandparent = parent.getparent()
    group = [parent] if grandparent is None else [uncle for uncle in grandparent if _same_kind(uncle, parent)]
    chunks = [child for uncle in group for child in uncle if _same_kind(child, container)]
    later = [chunk for chunk in chunks[chunks.index(container) + 1 :] if chunk not in sources]
    if not later:
        return blocks
    furniture = _Furniture(tree)
    extra = [block for chunk in later for block in _walk(chunk, furniture, in_main=True)]
    if _words(extra) < CONTINUATION_MIN_WORDS:
        return blocks
    own = {_one_line(paragraph.text_content()) for paragraph in container.iter("p")}
    last = max((i for i, (_, text, _) in enumerate(blocks) if text in own), default=len(blocks) - 1)
    return blocks[: last + 1] + extra + blocks[last + 1 :]


def _same_kind(element, other) -> bool:
    return element.tag == other.tag and element.get("class", "") == other.get("class", "")


CONTINUATION_MIN_WORDS = 50


def _metadata(tree, title_only: bool = False) -> dict:
    """The page's title, date and author as trafilatura's `extract_metadata`
    finds them; with `title_only`, the same title alone (`_title`)."""
    if title_only:
        return {"title": _one_line(_title(tree)), "date": None, "author": None}
    from trafilatura.metadata import extract_metadata

    found = extract_metadata(tree)
    return {"title": _one_line(found.title), "date": found.date, "author": _one_line(found.author)}


def _title(tree) -> str | None:
    """The title `extract_metadata(tree).title` gives, by its own steps for
    the title (the head's meta tags and Open Graph, JSON-LD over them, the
    page's headings and <title> when neither gives one, the trimming), not
    by its others: the date (htmldate searches the whole page), the author,
    the site name, categories, tags and licence. Kept in step with it by
    tests/test_reader_html.py."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    found = examine_meta(tree)
    if found.author and " " not in found.author:  # as extract_metadata, before the JSON-LD
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 - as extract_metadata: bugs in trafilatura's JSON-LD reading
        pass
    if not found.title:
        found.title = extract_title(tree)
    found.clean_and_trim()
    return found.title


_AUTHOR_NAMES = ("author", "article:author", "dc.creator", "dcterms.creator")
_DATE_NAMES = ("article:published_time", "date", "dc.date", "dcterms.date", "dcterms.created", "dc.date.issued")


def _declared_metadata(tree) -> dict:
    """Title, date and author as the page's head declares them, without
    searching its body: for pages too large to search."""
    metas = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name and meta.get("content") and name not in metas:
            metas[name] = meta.get("content")
    title = tree.find(".//title")
    heading = next(tree.iter("h1"), None)
    title_text = metas.get("og:title") or (title.text_content() if title is not None else None)
    if not _one_line(title_text) and heading is not None:
        title_text = heading.text_content()
    date = next((metas[name] for name in _DATE_NAMES if name in metas), None)
    return {
        "title": _one_line(title_text),
        "date": date[:10] if date and re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
        "author": _one_line(next((metas[name] for name in _AUTHOR_NAMES if name in metas), None)),
    }


def _one_line(value: str | None) -> str | None:
    """A title or name on one line; without the space that joining a
    heading's pieces put before its punctuation ("6.2. <code>aptitude</code>,
    <code>apt-get</code>" read "6.2. aptitude , apt-get ,")."""
    value = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join((value or "").split()))
    return value or None


_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\w) ([,;:)](?=\s|$))")


# --- the page walk -------------------------------------------------------------------


def _page_blocks(tree) -> list[tuple[str, str, int]]:
    # Pages saved one after another into one file have a body each.
    return [block for root in tree.findall("body") or [tree] for block in _walk(root, _Furniture(root))]


class _Furniture:
    """Which elements of a page are furniture by their markup. A page's
    wrapper can carry a furniture-like name ("one-sidebar", "has-nav",
    "menu-open") or be hidden until a script shows it: a name or a hiding
    attribute never drops an element holding a large share of the page's
    prose (paragraphs, preformatted text, definitions, quotations), nor the
    page's body, main part or article."""

    LARGE_SHARE = 0.4
    NEVER = frozenset({"html", "body", "main", "article"})

    def __init__(self, root) -> None:
        self.prose = _prose_lengths(root)
        self.total = max(1, self.prose.get(root, 0))

    def __call__(self, element, in_main: bool = False) -> bool:
        """Whether `element` is furniture; `in_main` when it lies inside the
        page's main part or article, where only a hiding attribute or a
        navigation landmark makes it so (a footnote is an <aside> there, and a
        section's id, made from its title, can read "related-functions")."""
        tag = element.tag
        if tag in SKIPPED_TAGS or tag in FURNITURE_TAGS - ({"aside"} if in_main else set()):
            return True
        attributes = element.attrib
        if attributes.get("role") in FURNITURE_ROLES:
            return True
        if tag in self.NEVER or attributes.get("role") == "main":
            return False
        if tag == "header" and not in_main and next(element.iter(*HEADINGS), None) is None:
            return True
        if not attributes or not _marked_as_furniture(attributes, by_name=not in_main):
            return False
        return self.prose.get(element, 0) < self.LARGE_SHARE * self.total


def _marked_as_furniture(attributes, by_name: bool = True) -> bool:
    if "hidden" in attributes or attributes.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(attributes.get("style", "")):
        return True
    if not by_name:
        return False
    names = f"{attributes.get('class', '')} {attributes.get('id', '')}"
    return any(_FURNITURE_NAME.search(_CAMEL_CASE.sub("-", name)) for name in names.split())


PROSE_TAGS = frozenset({"p", "pre", "dd", "blockquote"})


def _prose_lengths(root) -> dict:
    """Characters of prose under the root and under each element that has
    attributes (those that could be furniture by them), counted in one pass
    over the tree: no element's subtree is read twice."""
    from lxml import etree

    lengths: dict = {}
    stack = [[0, 0]]  # per open element: characters of text, characters of prose
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            stack.append([len((element.text or "").strip()), 0])  # (not the markup's indentation)
            continue
        text, prose = stack.pop()
        if element.tag in SKIPPED_TAGS:  # a script's text is no one's to read
            text = prose = 0
        elif element.tag == "a" and element.get("href") is not None:
            # A link's words lead elsewhere: a table of contents, all links in
            # <dd> elements, is no page's prose, however long.
            text = prose = 0
        elif element.tag in PROSE_TAGS:
            prose = text
        if element.attrib:
            lengths[element] = prose
        stack[-1][0] += text + (len((element.tail or "").strip()) if element is not root else 0)
        stack[-1][1] += prose
    lengths[root] = stack[0][1]
    return lengths


def _admonition_table(element) -> bool:
    """Whether `element` is a table a note, tip or warning is drawn with."""
    if element is None or element.tag != "table":
        return False
    parent = element.getparent()
    classes = (parent.get("class") or "").lower().split() if parent is not None else []
    return (element.get("summary") or "").strip().lower() in ADMONITIONS or not ADMONITIONS.isdisjoint(classes)


def _table_of(cell_or_row):
    return next(cell_or_row.iterancestors("table"), None)


def _admonition_label(element) -> bool:
    """Whether `element` is the label of a note, tip or warning ("Tip")."""
    if element.tag == "th":
        return _admonition_table(_table_of(element))
    return element.tag == "p" and "admonition-title" in (element.get("class") or "").split()


def _is_data_row(row) -> bool:
    if _admonition_table(_table_of(row)):
        return False
    if next(row.iter(*_LAYOUT_IN_CELL), None) is not None:
        return False
    return sum(len(piece) for piece in row.itertext()) <= _LAYOUT_ROW_CHARS


class _Blocks:
    """Text gathered in reading order and cut into blocks at block boundaries."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, int]] = []
        self.parts: list[str] = []
        self.context: list[tuple[str, int]] = [(PARAGRAPH, 0)]
        self.describing = 0  # open <dd> elements: their blocks describe the term above

    @property
    def in_code(self) -> bool:
        return self.context[-1][0] == CODE

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text if self.in_code else _SPACES.sub(" ", text))

    def line_break(self) -> None:
        self.parts.append("\n")

    def flush(self) -> None:
        if not self.parts:
            return
        raw, self.parts = "".join(self.parts), []
        kind, level = self.context[-1]
        if self.describing and kind != HEADING:
            level = DESCRIBED
        if kind == CODE:
            # Blank lines inside code are dropped: in the laid-out text a blank
            # line always separates two blocks.
            code = "\n".join(line.rstrip() for line in raw.split("\n") if line.strip())
            if code:
                self.blocks.append((CODE, code, level))
            return
        for piece in _BREAKS.split(raw):
            words = " ".join(piece.split())
            if words:
                self.blocks.append((kind, words, level))

    def row(self, cells: list[str]) -> None:
        cells = [cell for cell in cells if cell]
        if cells:
            self.blocks.append((TABLE_ROW, CELL_SEPARATOR.join(cells), DESCRIBED if self.describing else 0))


def _walk(root, furniture: _Furniture | None = None, in_main: bool = False) -> list[tuple[str, str, int]]:
    """Blocks of the text under `root`, read in document order without
    recursion (a page may nest thousands of levels deep); elements that are
    `furniture` are left out with their content."""
    from lxml import etree

    out = _Blocks()
    opened: list[tuple[bool, bool]] = []  # per open element: pushed a context, opened the main part
    main_depth = 1 if in_main else 0
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped = None
    for event, element in walker:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "end":
            if element is skipped:
                skipped = None
            else:
                if tag in BLOCK_TAGS:
                    out.flush()
                pushed, main = opened.pop()
                if pushed:
                    out.context.pop()
                if tag == "dd":
                    out.describing -= 1
                main_depth -= main
            if element is not root:
                out.add(element.tail)
            continue
        if (tag in SKIPPED_TAGS or (furniture is not None and furniture(element, main_depth > 0))
                or _admonition_label(element)):
            if tag in BLOCK_TAGS:
                out.flush()
            walker.skip_subtree()
            skipped = element
            continue
        if tag == "tr" and _is_data_row(element):
            out.flush()
            out.row([_cell_text(cell, furniture, main_depth > 0) for cell in element if cell.tag in ("td", "th")])
            walker.skip_subtree()
            skipped = element
            continue
        if tag == "br":
            out.line_break()
        elif tag in BLOCK_TAGS:
            out.flush()
        if tag == "dd":
            out.describing += 1
        pushed = _context_of(element)
        if pushed:
            out.context.append(pushed)
        main = tag in ("main", "article") or element.get("role") == "main"
        main_depth += main
        opened.append((bool(pushed), main))
        out.add(element.text)
    out.flush()
    return out.blocks


def _context_of(element) -> tuple[str, int] | None:
    tag = element.tag
    if tag in HEADINGS:
        return HEADING, HEADINGS[tag]
    if tag in ("pre", "listing", "xmp", "plaintext"):
        return CODE, 0
    if tag == "li":
        return LIST_ITEM, 0
    if tag == "dt":
        return _TERM, 0
    return None


def _cell_text(cell, furniture: _Furniture | None, in_main: bool) -> str:
    return " ".join(text for _, text, _ in _walk(cell, furniture, in_main))


# --- the flat reading, for pages too deep for a tree ---------------------------------


class _FlatReader(HTMLParser):
    """Text between block tags, headings as headings, without scripts and
    styles; linear in the page's size whatever its depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Blocks()
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template", "head", "title", "svg"):
            self.skipping += 1
        elif tag == "br":
            self.out.line_break()
        elif tag in BLOCK_TAGS:
            self.out.flush()
            if tag in HEADINGS:
                self.out.context[1:] = [(HEADING, HEADINGS[tag])]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template", "head", "title", "svg"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.out.flush()
            self.out.context[1:] = []

    def handle_data(self, data):
        if not self.skipping:
            self.out.add(data)


def _flat_blocks(text: str) -> list[tuple[str, str, int]]:
    reader = _FlatReader()
    reader.feed(text)
    reader.close()
    reader.out.flush()
    return reader.out.blocks


# --- blocks to text ----------------------------------------------------------------


def _words(blocks: list[tuple[str, str, int]]) -> int:
    return sum(len(text.split()) for _, text, _ in blocks)


def _with_terms_defined(blocks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """A definition list's term ("Module grp", "pwd.getpwnam(name)") joined
    to the first block of its definition, on a line above it: a term says
    nothing on its own, and the definition is what it is asked about. A
    term with no text block after it stays a paragraph of its own. The
    description's later blocks keep the level DESCRIBED: the term is their
    heading."""
    joined: list[tuple[str, str, int]] = []
    for kind, text, level in blocks:
        if joined and joined[-1][0] == _TERM and kind in (PARAGRAPH, LIST_ITEM):
            joined[-1] = (DEFINITION, f"{joined[-1][1]}\n{text}", 0)
        else:
            joined.append((kind, text, level))
    return [(PARAGRAPH if kind == _TERM else kind, text, level) for kind, text, level in joined]


def _laid_out(blocks, encoding: str, title: str | None = None, date: str | None = None,
              author: str | None = None) -> Layout:
    text, spans = joined_blocks(_with_terms_defined(blocks))
    return Layout(text, spans, title=title, date=date, author=author, encoding=encoding)
