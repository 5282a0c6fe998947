"""Reading EPUB books: the chapters in reading order, each read as the HTML
page it is, one after another as one document.

An EPUB is a zip of XHTML pages with a package file (`content.opf`) that
lists them in reading order (the spine) and gives the book's title, author
and date. Each page of the spine is read by the HTML reader (its prose,
headings, lists, code and tables; its furniture left out), except the
book's own table of contents (the EPUB 3 navigation page, or the page the
guide names as the table of contents): its lines repeat the headings. The
standard library's zipfile opens the package, lxml (already read for HTML)
parses its XML, without entities or the network. A book whose pages are
encrypted (DRM, `META-INF/encryption.xml`) is unreadable, said so.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import replace
from urllib.parse import unquote

from .package import member, open_package, parsed_xml
from .plain import numbered_title_depth
from .structure import HEADING, Block, Joiner, Layout, UnreadableDocument

MAX_UNPACKED = 256 * 1024 * 1024  # bytes, all files of the book together
MAX_PARTS = 10_000
MAX_PART = 64 * 1024 * 1024  # one page of it

_CONTAINER = "META-INF/container.xml"
_PAGE_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def read_epub(data: bytes) -> Layout:
    """The book's text, its pages' blocks one after another, with its title,
    author and date from its package file; `UnreadableDocument` for a file
    that is no readable EPUB (broken, encrypted, a zip bomb, no text)."""
    book = _open(data)
    package_path = _package_path(book)
    package = _xml(book, package_path)
    metadata = package.find(f"{_OPF}metadata")
    pages = _pages_in_reading_order(package, posixpath.dirname(package_path))
    if "META-INF/encryption.xml" in book.namelist() and _encrypted(book, pages):
        raise UnreadableDocument("encrypted EPUB (DRM)")
    from .html import read_html

    joiner = Joiner()
    for path in pages:
        joiner.add_layout(read_html(_member(book, path), title_only=True))
    blocks, text = joiner.blocks, joiner.text()
    if not blocks:
        raise UnreadableDocument("EPUB without text")
    return Layout(text, _nested_by_number(text, blocks), title=_first(metadata, "title"),
                  author=_first(metadata, "creator"), date=_first(metadata, "date"))


def _nested_by_number(text: str, blocks: list[Block]) -> tuple[Block, ...]:
    """The blocks, a numbered heading's level read from its number as plain
    text nests them, where the book's pages set headings of different depths
    in one size (DocBook's EPUB sets "Chapter 4." and "4.2." both as h1):
    "Chapter 4." is level 1, "4.2." level 2, "4.1.1." level 3. Elsewhere the
    pages' own levels stand."""
    depths = {}
    for at, block in enumerate(blocks):
        if block.kind == HEADING:
            depth = numbered_title_depth(block.span.of(text))
            if depth is not None:
                depths[at] = depth
    by_level: dict[int, set[int]] = {}
    for at, depth in depths.items():
        by_level.setdefault(blocks[at].level, set()).add(depth)
    if not any(len(found) > 1 for found in by_level.values()):
        return tuple(blocks)  # the levels already tell depths apart
    return tuple(replace(block, level=depths[at]) if at in depths else block for at, block in enumerate(blocks))


def _open(data: bytes) -> zipfile.ZipFile:
    book = open_package(data, "EPUB", "files", "broken EPUB (not a zip archive)", MAX_PARTS, MAX_UNPACKED)
    if _CONTAINER not in book.namelist():
        raise UnreadableDocument("not an EPUB (a zip archive without META-INF/container.xml)")
    return book


def _member(book: zipfile.ZipFile, path: str) -> bytes:
    return member(book, path, "EPUB", MAX_PART)


def _xml(book: zipfile.ZipFile, path: str):
    return parsed_xml(_member(book, path), "EPUB", path)


def _package_path(book: zipfile.ZipFile) -> str:
    container = _xml(book, _CONTAINER)
    for rootfile in container.iter("{*}rootfile"):
        if rootfile.get("full-path"):
            return rootfile.get("full-path")
    raise UnreadableDocument("broken EPUB (its container names no package file)")


def _pages_in_reading_order(package, folder: str) -> list[str]:
    """The paths in the zip of the spine's pages, without the book's own
    table of contents."""
    manifest = package.find(f"{_OPF}manifest")
    spine = package.find(f"{_OPF}spine")
    if manifest is None or spine is None:
        raise UnreadableDocument("broken EPUB (its package file has no manifest or spine)")
    items = {item.get("id"): item for item in manifest.iter(f"{_OPF}item")}
    contents = {unquote(reference.get("href", "")).split("#")[0]
                for reference in package.iter(f"{_OPF}reference") if reference.get("type") == "toc"}
    pages = []
    for reference in spine.iter(f"{_OPF}itemref"):
        item = items.get(reference.get("idref"))
        if item is None or item.get("media-type") not in _PAGE_TYPES:
            continue
        href = unquote(item.get("href", ""))
        if "nav" in (item.get("properties") or "").split() or href in contents:
            continue
        pages.append(posixpath.normpath(posixpath.join(folder, href)))
    return list(dict.fromkeys(pages))


def _encrypted(book: zipfile.ZipFile, pages: list[str]) -> bool:
    """Whether META-INF/encryption.xml names one of the pages (fonts alone
    are often obfuscated, which leaves the text readable)."""
    encryption = _xml(book, "META-INF/encryption.xml")
    named = {unquote(reference.get("URI", "")) for reference in encryption.iter("{*}CipherReference")}
    return bool(named & set(pages))


def _first(metadata, name: str) -> str | None:
    if metadata is None:
        return None
    element = metadata.find(f"{_DC}{name}")
    text = " ".join((element.text or "").split()) if element is not None else ""
    return text or None
