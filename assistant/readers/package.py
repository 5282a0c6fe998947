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


_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DC = "{http://purl.org/dc/elements/1.1/}"
_TERMS = "{http://purl.org/dc/terms/}"


def relationships(package: zipfile.ZipFile, part: str, names: set[str], kind: str,
                  max_part: int) -> dict[str, tuple[str, str]]:
    """An Office Open XML part's relationships (its `_rels/NAME.rels`): id ->
    (the target's path in the package, the relationship's type)."""
    import posixpath

    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in names:
        return {}
    found = {}
    for relation in parsed_xml(member(package, rels, kind, max_part), kind, rels).iter(_RELATIONSHIP):
        target = relation.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[relation.get("Id")] = (path, relation.get("Type") or "")
    return found


def core_properties(package: zipfile.ZipFile, names: set[str], kind: str,
                    max_part: int) -> tuple[str | None, str | None, str | None]:
    """Title, author and creation date (YYYY-MM-DD) from an Office Open XML
    package's docProps/core.xml; damaged properties lose the metadata, not the document."""
    if "docProps/core.xml" not in names:
        return None, None, None
    try:
        core = parsed_xml(member(package, "docProps/core.xml", kind, max_part), kind, "docProps/core.xml")
    except UnreadableDocument:
        return None, None, None

    def first(tag: str) -> str | None:
        element = core.find(tag)
        return " ".join((element.text or "").split()) or None if element is not None else None

    created = first(f"{_TERMS}created")
    return first(f"{_DC}title"), first(f"{_DC}creator"), created[:10] if created and len(created) >= 10 else None
