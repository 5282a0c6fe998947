"""Limits a user can set on what is read: the largest file and the whole
corpus, from the command line or the environment, with defaults that
protect a laptop. What is left out is named in one warning line; a bad
value is a one-line usage error."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import EXIT_OK, EXIT_USAGE, build_parser, main
from assistant.corpus import (
    DEFAULT_MAX_CORPUS_SIZE,
    DEFAULT_MAX_FILE_SIZE,
    Limits,
    discover,
    format_size,
    parse_size,
    within_limits,
)
from assistant.errors import CorpusError
from assistant.library import open_library

SMALL = "Kenya\n\nNairobi is the capital of Kenya, and its largest city by far.\n"  # 68 bytes


def corpus_of(folder: Path, sizes: dict[str, int]) -> Path:
    """Files of prose of about the sizes given."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in sizes.items():
        sentence = f"The {name.split('.')[0]} river is long and flows to the sea. "
        (folder / name).write_text("Title\n\n" + sentence * max(1, size // len(sentence)), encoding="utf-8")
    return folder


@pytest.mark.parametrize("text, size", [
    ("4096", 4096), ("500K", 500 * 1024), ("50MB", 50 * 1024**2), ("1.5G", 3 * 1024**3 // 2),
    ("2GiB", 2 * 1024**3), (" 7 kb ", 7 * 1024), ("100b", 100), ("1T", 1024**4),
])
def test_sizes_are_read_with_k_m_g_suffixes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "12X", "-5M", "1e9", "M", "0", "0.1", "1,000", "5 M B", "inf"])
def test_a_bad_size_is_refused_in_one_line(text):
    with pytest.raises(ValueError) as refused:
        parse_size(text)
    assert "\n" not in str(refused.value) and repr(text)[1:-1] in str(refused.value)


def test_sizes_are_shown_as_they_are_read():
    assert [format_size(s) for s in (100 * 1024**2, 1024**3, 1536, 512, 2 * 1024**4)] == [
        "100 MB", "1 GB", "1.5 KB", "512 bytes", "2 TB"]


def test_the_defaults_protect_a_laptop():
    assert Limits() == Limits(DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_CORPUS_SIZE) == Limits(100 * 1024**2, 1024**3)


def test_files_past_the_limits_are_left_out_with_one_warning_for_each_kind(tmp_path):
    corpus = corpus_of(tmp_path / "docs", {"a.txt": 600, "big1.txt": 5000, "big2.txt": 6000, "c.txt": 600,
                                           "d.txt": 1200, "e.txt": 1000, "f.txt": 100})
    sizes = {f.source: f.size for f in discover(corpus)}
    kept, warnings = within_limits(discover(corpus), Limits(max_file_size=2048, max_corpus_size=2 * 1024))
    # Taken in order while they fit: a, c, then d does not fit, e does not, f does.
    assert [f.source for f in kept] == ["a.txt", "c.txt", "f.txt"]
    assert sum(sizes[f.source] for f in kept) <= 2048
    assert warnings == [
        "skipped 2 files larger than 2 KB (--max-file-size): big1.txt, big2.txt",
        "skipped 2 files past the 2 KB corpus limit (--max-corpus-size): d.txt, e.txt",
    ]


def test_a_long_list_of_files_left_out_names_the_first_few(tmp_path):
    corpus = corpus_of(tmp_path / "docs", {f"big{n}.txt": 3000 for n in range(6)} | {"small.txt": 100})
    _, warnings = within_limits(discover(corpus), Limits(max_file_size=1024))
    assert warnings == ["skipped 6 files larger than 1 KB (--max-file-size): big0.txt, big1.txt, big2.txt and 3 more"]


def test_the_saved_index_keeps_to_the_limits_and_a_higher_limit_reads_the_rest(tmp_path):
    corpus, cache = corpus_of(tmp_path / "docs", {"big.txt": 5000, "small.txt": 100}), tmp_path / "cache"
    limits = Limits(max_file_size=1024)
    first = open_library(corpus, cache_dir=cache, limits=limits)
    warning = "skipped 1 file larger than 1 KB (--max-file-size): big.txt"
    assert [e.source for e in first.entries] == ["small.txt"] and first.warnings == [warning]
    again = open_library(corpus, cache_dir=cache, limits=limits)
    assert again.from_cache and again.warnings == [warning]  # said once, not once more from the cache
    everything = open_library(corpus, cache_dir=cache)
    assert [e.source for e in everything.entries] == ["big.txt", "small.txt"] and everything.warnings == []
    assert everything.files_read == 1  # only the file now let in was read


def test_a_corpus_with_nothing_within_the_limits_is_a_one_line_error(tmp_path):
    corpus = corpus_of(tmp_path / "docs", {"big.txt": 5000})
    with pytest.raises(CorpusError) as refused:
        open_library(corpus, use_cache=False, limits=Limits(max_file_size=1024))
    assert str(refused.value) == f"nothing to read in {corpus}: skipped 1 file larger than 1 KB (--max-file-size): big.txt"


def test_a_file_that_grew_past_the_limit_after_it_was_found_is_skipped(tmp_path):
    corpus = corpus_of(tmp_path / "docs", {"a.txt": 100, "b.txt": 100})
    found = discover(corpus)
    (corpus / "b.txt").write_text(SMALL * 100, encoding="utf-8")
    from assistant.library import read_documents

    documents, _, warnings, _ = read_documents(found, max_file_size=1024)
    assert [d.source for d in documents] == ["a.txt"]
    assert warnings == ["skipped b.txt: larger than 1 KB"]


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ASSISTANT_MAX_FILE_SIZE", raising=False)
    monkeypatch.delenv("ASSISTANT_MAX_CORPUS_SIZE", raising=False)
    return tmp_path / "cache"


@pytest.mark.parametrize("command", [["chat"], ["ask", "a question"], ["eval", "set.jsonl"], ["index"]])
def test_every_command_that_reads_a_corpus_takes_the_limits(command):
    args = build_parser().parse_args([command[0], "--max-file-size", "50MB", "--max-corpus-size", "1G", *command[1:]])
    assert (args.max_file_size, args.max_corpus_size) == (50 * 1024**2, 1024**3)


def test_the_limits_from_the_command_line_warn_in_one_line(tmp_path, cache_home, capsys):
    corpus = corpus_of(tmp_path / "docs", {"big.txt": 5000, "small.txt": 100})
    assert main(["index", "--corpus", str(corpus), "--max-file-size", "1K"]) == EXIT_OK
    assert capsys.readouterr().err.splitlines() == [
        "assistant: warning: skipped 1 file larger than 1 KB (--max-file-size): big.txt"]
    assert main(["ask", "--corpus", str(corpus), "--max-corpus-size", "1K", "Where does the small river flow?"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "assistant: warning: skipped 1 file past the 1 KB corpus limit (--max-corpus-size): big.txt"]


def test_the_limits_from_the_environment_and_the_option_first(tmp_path, cache_home, capsys, monkeypatch):
    corpus = corpus_of(tmp_path / "docs", {"big.txt": 5000, "small.txt": 100})
    monkeypatch.setenv("ASSISTANT_MAX_FILE_SIZE", "1K")
    assert main(["index", "--corpus", str(corpus)]) == EXIT_OK
    assert capsys.readouterr().err.splitlines() == [
        "assistant: warning: skipped 1 file larger than 1 KB (--max-file-size): big.txt"]
    assert main(["index", "--corpus", str(corpus), "--max-file-size", "1M"]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_a_bad_limit_is_a_one_line_usage_error(tmp_path, cache_home, capsys, monkeypatch):
    corpus = corpus_of(tmp_path / "docs", {"small.txt": 100})
    with pytest.raises(SystemExit) as exited:
        main(["index", "--corpus", str(corpus), "--max-file-size", "12X"])
    assert exited.value.code == EXIT_USAGE
    assert capsys.readouterr().err == ("assistant: argument --max-file-size: '12X' is not a size (bytes, or with "
                                       "K, M, G: 500K, 50M, 2G) (see 'assistant --help')\n")
    monkeypatch.setenv("ASSISTANT_MAX_CORPUS_SIZE", "2 lots")
    assert main(["index", "--corpus", str(corpus)]) == EXIT_USAGE
    assert capsys.readouterr().err == ("assistant: ASSISTANT_MAX_CORPUS_SIZE: '2 lots' is not a size (bytes, or "
                                       "with K, M, G: 500K, 50M, 2G)\n")
