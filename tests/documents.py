"""Real documents the tests read. Most are the mixed folder's (eval/mixed-folder/corpus,
where their licences are listed) or pip's documentation (eval/pip-folder, its SOURCES.md);
tests/data holds the others, each folder with a README
saying where its files came from."""

from __future__ import annotations

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
