"""A zip package (Word's .docx, an EPUB) opened within limits: a broken
archive, one of too many files or one that unpacks to too much (a zip bomb)
is refused with a one-line reason before any of it is read."""

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
