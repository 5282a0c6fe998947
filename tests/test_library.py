"""The saved index: reused when the corpus is unchanged, rebuilt when a file
changes or the cache is damaged, never written into the corpus folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from assistant.library import open_library


def make_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kenya.txt").write_text("Kenya\n\nNairobi is the capital of Kenya.\n\nKenya became independent in 1963.\n", encoding="utf-8")
    (folder / "tesla.txt").write_text("Tesla\n\nNikola Tesla was born in Smiljan in 1856.\n", encoding="utf-8")
    return folder


def hits(library, query):
    return [(h.passage, round(h.score, 6)) for h in library.index.search(query, 5)]


def test_a_second_open_reuses_the_saved_index(tmp_path):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    first = open_library(corpus, cache_dir=cache)
    second = open_library(corpus, cache_dir=cache)
    assert not first.from_cache and second.from_cache
    assert hits(first, "capital of Kenya") == hits(second, "capital of Kenya")
    assert second.document(0).text == first.document(0).text


def test_a_changed_added_or_removed_file_rebuilds_and_old_entries_go(tmp_path):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    open_library(corpus, cache_dir=cache)
    (corpus / "kenya.txt").write_text("Kenya\n\nMombasa is a port city of Kenya.\n", encoding="utf-8")
    changed = open_library(corpus, cache_dir=cache)
    assert not changed.from_cache
    assert "Mombasa" in changed.document(0).text
    (corpus / "tesla.txt").unlink()
    removed = open_library(corpus, cache_dir=cache)
    assert not removed.from_cache and len(removed) == 1
    assert len([p for p in cache.iterdir() if not p.name.startswith(".")]) == 1


@pytest.mark.parametrize("damage", ["truncate-array", "garbage-json", "delete-file"])
def test_a_damaged_cache_is_rebuilt_with_a_warning_never_trusted(tmp_path, damage):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    good = open_library(corpus, cache_dir=cache)
    (folder,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    arrays = sorted(folder.glob("*.npy"))
    if damage == "truncate-array":
        arrays[0].write_bytes(arrays[0].read_bytes()[:20])
    elif damage == "garbage-json":
        for path in folder.glob("*.json"):
            path.write_text("{not json", encoding="utf-8")
    else:
        arrays[-1].unlink()
    rebuilt = open_library(corpus, cache_dir=cache)
    assert not rebuilt.from_cache
    assert any("rebuilt the index" in w for w in rebuilt.warnings)
    assert hits(rebuilt, "Tesla born") == hits(good, "Tesla born")
    assert open_library(corpus, cache_dir=cache).from_cache  # and saved afresh


def test_a_file_edited_after_loading_is_noticed(tmp_path):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    open_library(corpus, cache_dir=cache)
    library = open_library(corpus, cache_dir=cache)
    (corpus / "kenya.txt").write_text("Something else entirely, and longer than before.\n", encoding="utf-8")
    from assistant.library import CorpusChangedError

    with pytest.raises(CorpusChangedError):
        library.document(0)


def test_a_saved_index_that_no_longer_matches_unchanged_looking_files_is_built_again(tmp_path):
    # The file rewritten with its size and time kept (or read otherwise by a
    # newer reader): the saved index is stale though its key still matches.
    import os

    from assistant.answerer import Assistant

    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    path = corpus / "kenya.txt"
    before = path.stat()
    open_library(corpus, cache_dir=cache)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Nairobi", "Mombasa"), encoding="utf-8")  # the same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assistant = Assistant.open(corpus, cache_dir=cache)
    answer = assistant.ask("What is the capital of Kenya?")
    assert answer.answered and "Mombasa" in answer.excerpts[0].quote
    again = open_library(corpus, cache_dir=cache)  # saved afresh
    assert again.from_cache and "Mombasa" in again.document(0).text + again.document(1).text


def test_an_unwritable_cache_still_answers_with_a_warning(tmp_path):
    corpus = make_corpus(tmp_path / "docs")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    library = open_library(corpus, cache_dir=blocked / "assistant")
    assert any("could not save the index" in w for w in library.warnings)
    assert hits(library, "capital of Kenya")


def test_the_corpus_folder_is_never_written_to(tmp_path):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    before = sorted((p.name, p.stat().st_mtime_ns) for p in corpus.iterdir())
    corpus.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        open_library(corpus, cache_dir=cache)
        open_library(corpus, cache_dir=cache)
    finally:
        corpus.chmod(stat.S_IRWXU)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in corpus.iterdir()) == before


def test_ctrl_c_while_indexing_leaves_the_previous_index_and_no_debris(tmp_path):
    corpus, cache = make_corpus(tmp_path / "docs"), tmp_path / "cache"
    open_library(corpus, cache_dir=cache)
    before = sorted(p.name for p in cache.iterdir())
    (corpus / "kenya.txt").write_text("Kenya\n\nMombasa is a port city.\n", encoding="utf-8")

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_library(corpus, cache_dir=cache, progress=interrupt)
    assert sorted(p.name for p in cache.iterdir()) == before
