"""Real documents the tests read. Most are the mixed folder's (eval/mixed-folder/corpus,
where their licences are listed) or pip's documentation (eval/pip-folder, its SOURCES.md);
tests/data holds the others, each folder with a README
saying where its files came from."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "tests" / "data", ROOT / "eval" / "mixed-folder" / "corpus", ROOT / "eval" / "pip-folder" / "corpus")


def document_path(name: str) -> Path:
    """The one file of that name in either folder."""
    for folder in FOLDERS:
        found = sorted(folder.rglob(name))
        if found:
            return found[0]
    raise FileNotFoundError(name)


@functools.cache
def unpacked(name: str) -> bytes:
    """A gzip-compressed file's bytes, as its reader gets them."""
    return gzip.decompress(document_path(name).read_bytes())


@functools.cache
def document_of(name: str):
    """The file read as the corpus reads it (by its reader, through corpus.document_from_bytes)."""
    from assistant.corpus import document_from_bytes

    return document_from_bytes(name, document_path(name).read_bytes())


def paragraph_holding(document, words: str):
    """The first paragraph of the document whose text holds `words`."""
    return next(p for p in document.paragraphs if words in p.span.of(document.text))


def assert_blocks_in_order(layout) -> None:
    """A reader's blocks: in text order, parted by one blank line, trimmed,
    the first at the text's start and the last at its end."""
    assert layout.blocks
    for before, after in zip(layout.blocks, layout.blocks[1:]):
        assert layout.text[before.span.end : after.span.start] == "\n\n"
    for block in layout.blocks:
        text = block.span.of(layout.text)
        assert text and text == text.strip()
    assert layout.blocks[0].span.start == 0 and layout.blocks[-1].span.end == len(layout.text)


def blocks(layout, kind: str | None = None) -> list[str]:
    """The texts of a reader's blocks, of one kind or all."""
    return [block.span.of(layout.text) for block in layout.blocks if kind is None or block.kind == kind]


def headings(layout) -> list[tuple[str, int]]:
    """A reader's headings with their levels, in order."""
    return [(block.span.of(layout.text), block.level) for block in layout.blocks if block.kind == "heading"]


def asked(folder: Path, question: str, cache: Path) -> dict:
    """`assistant ask --json` on a folder, as a user runs it: the answer's JSON."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    done = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "--corpus", str(folder), question],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def text_printed(path: Path, cache: Path) -> str:
    """What `assistant text` prints of a file: the text its quotes' offsets index."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    done = subprocess.run([sys.executable, "-m", "assistant", "text", str(path)], capture_output=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def section_of(document, words: str) -> list[str]:
    """The headings over the paragraph that holds `words`, outermost first."""
    paragraph = document.paragraph_at(document.text.index(words))
    return [document.paragraphs[n - 1].span.of(document.text) for n in paragraph.section]
