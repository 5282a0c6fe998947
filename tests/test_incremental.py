"""Incremental refresh: after files are added, changed or removed, the saved
index is brought up to date by reading only those files, and it is the index
a full rebuild gives — same terms, weights, passages and answers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from assistant import library as library_module
from assistant.answerer import Assistant
from assistant.library import open_library

ARTICLES = {
    "kenya.txt": "Kenya\n\nNairobi is the capital of Kenya.\n\nKenya became independent from Britain in December 1963.\n",
    "tesla.txt": "Tesla\n\nNikola Tesla was born in Smiljan in 1856.\n\nHe moved to New York in 1884.\n",
    "nile.md": "# The Nile\n\nThe Nile flows north through Egypt into the Mediterranean Sea.\n",
    "sub/rhine.txt": "Rhine\n\nThe Rhine rises in the Swiss Alps and flows to the North Sea.\n",
    "sub/volga.txt": "Volga\n\nThe Volga is the longest river in Europe, flowing into the Caspian Sea.\n",
}
QUESTIONS = ["What is the capital of Kenya?", "When was Tesla born?", "Where does the Rhine rise?",
             "Which river is the longest in Europe?", "Where does the Danube flow?", "When did Kenya become independent?"]


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def same_index(a, b) -> None:
    assert list(a.vocabulary) == list(b.vocabulary)
    assert np.allclose(a.idf, b.idf)
    assert abs(a.postings - b.postings).max() < 1e-6 if a.postings.nnz else b.postings.nnz == 0
    for field in ("document", "paragraph", "start", "end"):
        assert list(getattr(a.passages, field)) == list(getattr(b.passages, field))


def answers(library):
    assistant = Assistant(library)
    return [[(e.source, e.paragraph, e.quote, e.answer) for e in assistant.ask(q).excerpts] for q in QUESTIONS]


def test_added_changed_and_removed_files_are_refreshed_as_a_full_build_would(tmp_path, monkeypatch):
    corpus, cache = tmp_path / "docs", tmp_path / "cache"
    write(corpus, ARTICLES)
    open_library(corpus, cache_dir=cache)
    write(corpus, {"tesla.txt": "Tesla\n\nNikola Tesla was born in Smiljan in 1856 and died in 1943.\n"})
    os.utime(corpus / "tesla.txt", ns=(1, 1))  # a clearly different modification time
    write(corpus, {"sub/danube.txt": "Danube\n\nThe Danube flows east into the Black Sea.\n"})
    (corpus / "nile.md").unlink()

    read = []
    real_read = library_module.read_stable
    monkeypatch.setattr(library_module, "read_stable", lambda f, *limit: read.append(f.source) or real_read(f, *limit))
    refreshed = open_library(corpus, cache_dir=cache)
    assert sorted(read) == ["sub/danube.txt", "tesla.txt"]  # only what changed was read
    assert refreshed.files_read == 2
    monkeypatch.undo()

    full = open_library(corpus, use_cache=False)
    same_index(refreshed.index, full.index)
    assert [e.source for e in refreshed.entries] == [e.source for e in full.entries]
    assert answers(refreshed) == answers(full)
    # And the refreshed index was saved: the next start loads it.
    assert open_library(corpus, cache_dir=cache).from_cache


def test_a_term_only_a_removed_file_had_leaves_the_vocabulary(tmp_path):
    corpus, cache = tmp_path / "docs", tmp_path / "cache"
    write(corpus, ARTICLES)
    open_library(corpus, cache_dir=cache)
    (corpus / "sub" / "volga.txt").unlink()
    refreshed = open_library(corpus, cache_dir=cache)
    assert not refreshed.index.has_term("caspian")
    same_index(refreshed.index, open_library(corpus, use_cache=False).index)


def test_a_refresh_from_a_damaged_old_index_falls_back_to_a_full_build(tmp_path):
    corpus, cache = tmp_path / "docs", tmp_path / "cache"
    write(corpus, ARTICLES)
    open_library(corpus, cache_dir=cache)
    (folder,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    (folder / "counts_data.npy").write_bytes(b"broken")
    write(corpus, {"kenya.txt": "Kenya\n\nMombasa is the main port of Kenya.\n"})
    rebuilt = open_library(corpus, cache_dir=cache)
    same_index(rebuilt.index, open_library(corpus, use_cache=False).index)


def test_an_index_read_by_other_reading_code_is_never_reused(tmp_path, monkeypatch):
    """A reader changed without READING_VERSION raised: the index saved
    before points at paragraphs the documents may no longer have."""
    corpus, cache = tmp_path / "docs", tmp_path / "cache"
    write(corpus, ARTICLES)
    monkeypatch.setattr(library_module, "_reading_code_digest", lambda: "another")
    open_library(corpus, cache_dir=cache)
    monkeypatch.undo()
    read = []
    real_read = library_module.read_stable
    monkeypatch.setattr(library_module, "read_stable", lambda f, *limit: read.append(f.source) or real_read(f, *limit))
    open_library(corpus, cache_dir=cache)
    assert len(read) == len(ARTICLES)  # read again, not taken from the cache
    read.clear()
    open_library(corpus, cache_dir=cache)
    assert read == []  # and saved under this code


def test_an_index_read_by_another_reading_version_is_never_refreshed(tmp_path, monkeypatch):
    corpus, cache = tmp_path / "docs", tmp_path / "cache"
    write(corpus, ARTICLES)
    monkeypatch.setattr(library_module, "READING_VERSION", -1)  # an index saved by another version of the readers
    open_library(corpus, cache_dir=cache)
    monkeypatch.undo()
    write(corpus, {"sub/danube.txt": "Danube\n\nThe Danube flows east into the Black Sea.\n"})
    read = []
    real_read = library_module.read_stable
    monkeypatch.setattr(library_module, "read_stable", lambda f, *limit: read.append(f.source) or real_read(f, *limit))
    rebuilt = open_library(corpus, cache_dir=cache)
    assert len(read) == len(ARTICLES) + 1  # every file read again, none of the old passages kept
    assert rebuilt.files_read is None
