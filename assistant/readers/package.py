"""A zip package (Word's .docx, an EPUB, an OpenDocument file) opened within
limits: a broken archive, one of too many files or one that unpacks to too
much (a zip bomb) is refused with a one-line reason before any of it is read;
so is a part too large, or XML that does not parse (read by lxml without
entities, a DTD or the network)."""

from __future__ import annotations

import io
import zipfile

from .structure import UnreadableDocument


def open_package(data: bytes, kind: str, parts_word: str, not_a_zip: str, max_parts: int,
                 max_unpacked: int) -> zipfile.ZipFile:
    """The archive; `kind` ("Word file", "EPUB") and `parts_word` ("parts",
    "files") name it in the reasons, `not_a_zip` is the reason for bytes
    that are no zip archive."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableDocument(not_a_zip) from None
    if len(parts) > max_parts:
        raise UnreadableDocument(f"{kind} of {len(parts)} {parts_word}, more than {max_parts}")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        raise UnreadableDocument(f"{kind} that unpacks to {unpacked / 2**20:,.0f} MB, more than {max_unpacked // 2**20} MB")
    return package


def member(package: zipfile.ZipFile, path: str, kind: str, max_part: int) -> bytes:
    """One file of the archive, its size checked before it is unpacked; `kind`
    ("EPUB", "OpenDocument file") names the package in the reasons."""
    try:
        info = package.getinfo(path)
        if info.file_size > max_part:
            raise UnreadableDocument(f"{kind} part {path} of more than {max_part // 2**20} MB")
        return package.read(info)
    except KeyError:
        raise UnreadableDocument(f"broken {kind} ({path} is listed but missing)") from None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as error:  # RuntimeError: a password
        raise UnreadableDocument(f"broken {kind} ({path}: {str(error)[:60]})") from None


def parsed_xml(data: bytes, kind: str, path: str):
    """The XML's root element; a one-line reason when it does not parse."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(f"broken {kind} ({path}: {str(error)[:60]})") from None
    if root is None:
        raise UnreadableDocument(f"broken {kind} ({path} is empty)")
    return root
