"""The saved index under faults: a process killed (SIGKILL) while saving, a
full disk, two processes indexing the same corpus at once, a file edited or
removed while it is read. Whatever happens, the next start answers as a clean
build does, from the previous whole index or a new one, never a torn one, and
nothing the user had is lost."""

from __future__ import annotations

import builtins
import errno
import fcntl
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from assistant import library as library_module
from assistant.answerer import Assistant
from assistant.corpus import discover
from assistant.errors import IndexCacheError
from assistant.index import TfidfIndex
from assistant.library import open_library

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["What is the capital of Kenya?", "When was Tesla born?", "Where does the Rhine rise?"]
ARTICLES = {
    "kenya.txt": "Kenya\n\nNairobi is the capital of Kenya.\n\nKenya became independent from Britain in 1963.\n",
    "tesla.txt": "Tesla\n\nNikola Tesla was born in Smiljan in 1856.\n\nHe moved to New York in 1884.\n",
    "rivers/rhine.txt": "Rhine\n\nThe Rhine rises in the Swiss Alps and flows to the North Sea.\n",
}
# The file the rounds edit, in turn one way and the other.
MOVING = "kenya.txt"
STATES = {
    "a": ARTICLES[MOVING],
    "b": "Kenya\n\nMombasa is the main port of Kenya, and Nairobi its capital since 1907.\n",
}


def write_corpus(folder: Path, filler_documents: int = 0, paragraphs: int = 0) -> Path:
    """The articles, and filler documents of random words to give the
    index some weight (a save of tens of milliseconds)."""
    for name, text in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    rng = random.Random(7)
    words = [f"w{n}" for n in range(4000)]
    for number in range(filler_documents):
        text = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(paragraphs))
        (folder / f"filler-{number:03d}.txt").write_text(f"Filler {number}\n\n{text}\n", encoding="utf-8")
    return folder


def answers(library) -> list:
    assistant = Assistant(library)
    return [[(e.source, e.paragraph, e.quote, e.answer) for e in assistant.ask(q).excerpts] for q in QUESTIONS]


def clean_answers(corpus: Path) -> dict[str, list]:
    """What a clean build answers in each state of the moving file."""
    expected = {}
    for state, text in STATES.items():
        (corpus / MOVING).write_text(text, encoding="utf-8")
        expected[state] = answers(open_library(corpus, use_cache=False))
    return expected


def saved_indexes(cache: Path) -> list[Path]:
    """The folders a start may load (hidden names are work in progress or debris)."""
    return sorted(p for p in cache.iterdir() if not p.name.startswith(".")) if cache.exists() else []


def debris(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock"))


def assert_whole(folder: Path) -> None:
    """A saved index that loads completely: never torn."""
    try:
        TfidfIndex.load(folder, mmap=False)
        library_module._read_meta(folder)
    except IndexCacheError as error:
        pytest.fail(f"torn index {folder.name}: {error}")


def next_start(corpus: Path, cache: Path, expected: list) -> None:
    """The next start answers as a clean build does, with no warning, and
    leaves whole indexes and at most one piece of debris (swept by the next
    save)."""
    library = open_library(corpus, cache_dir=cache)
    assert library.warnings == []
    assert answers(library) == expected
    # The index loaded, whole; any it replaced that a killed process left
    # behind are retired.
    assert len(saved_indexes(cache)) == 1
    for folder in saved_indexes(cache):
        assert_whole(folder)
    assert len(debris(cache)) <= 1, [p.name for p in debris(cache)]


# --- killed while saving ------------------------------------------------------------

_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT
_CHANGES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "shutil.rmtree", "tempfile.mkdtemp"}


def _changes_files(event: str, args: tuple) -> bool:
    if event == "open":
        return isinstance(args[2], int) and bool(args[2] & _WRITES)
    return event in _CHANGES


def _indexing_child(corpus: Path, cache: Path, kill_at: int | None, report: int) -> None:
    """Runs in the forked child: open the corpus; before its kill_at-th step
    that changes the file system (an audit event), SIGKILL itself. Reports
    when the save starts, and at the end the steps taken and the save's time."""
    steps, saving_since = 0, None

    def hook(event: str, args: tuple) -> None:
        nonlocal steps, saving_since
        if event == "tempfile.mkdtemp" and saving_since is None:
            saving_since = time.perf_counter()
            os.write(report, b"saving\n")
        if _changes_files(event, args):
            steps += 1
            if steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)
    open_library(corpus, cache_dir=cache)
    os.write(report, f"done {steps} {time.perf_counter() - (saving_since or 0)}\n".encode())


def index_in_child(corpus: Path, cache: Path, kill_at: int | None = None,
                   kill_after: float | None = None) -> tuple[bool, str]:
    """A real process (forked, so it starts in milliseconds with everything
    imported) indexes the corpus and is SIGKILLed: by itself before its
    kill_at-th step, or by this process kill_after seconds into the save.
    Returns whether it was killed, and its last report."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        status = 1
        try:
            os.close(read_end)
            _indexing_child(corpus, cache, kill_at, write_end)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as reports:
        if kill_after is not None and reports.readline().startswith("saving"):
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        last = (reports.read().strip().splitlines() or [""])[-1]
    assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, "the child failed (see its traceback above)"
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, last


def test_killed_at_every_step_of_saving_the_next_start_is_whole(tmp_path):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)  # leaves the moving file in state "b"
    open_library(corpus, cache_dir=cache)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    killed, report = index_in_child(corpus, cache)  # a whole refresh and save, counted
    assert not killed and report.startswith("done")
    steps = int(report.split()[1])
    assert steps >= 15  # the lock, the temporary folder, every file, the rename, the old index retired
    state, kills = "a", 0
    for kill_at in range(1, steps + 1):
        state = "b" if state == "a" else "a"
        (corpus / MOVING).write_text(STATES[state], encoding="utf-8")
        killed, _ = index_in_child(corpus, cache, kill_at=kill_at)
        assert killed
        kills += 1
        for folder in saved_indexes(cache):  # the previous index, or the new one, whole
            assert_whole(folder)
        next_start(corpus, cache, expected[state])
    # The same on a first start, with no cache folder yet.
    shutil.rmtree(cache)
    _, report = index_in_child(corpus, cache)
    first_steps = int(report.split()[1])
    for kill_at in random.Random(1).sample(range(1, first_steps + 1), 4):
        shutil.rmtree(cache)
        killed, _ = index_in_child(corpus, cache, kill_at=kill_at)
        assert killed
        kills += 1
        next_start(corpus, cache, expected[state])
    # Debris does not pile up: the next save sweeps it.
    state = "b" if state == "a" else "a"
    (corpus / MOVING).write_text(STATES[state], encoding="utf-8")
    next_start(corpus, cache, expected[state])
    assert debris(cache) == []


def test_killed_at_random_moments_while_saving_the_next_start_is_whole(tmp_path):
    corpus, cache = write_corpus(tmp_path / "docs", filler_documents=40, paragraphs=40), tmp_path / "cache"
    expected = clean_answers(corpus)
    open_library(corpus, cache_dir=cache)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    _, report = index_in_child(corpus, cache)
    saving = float(report.split()[2])  # seconds the save took (about 10 ms)
    moments = [saving * n / 12 for n in range(12)]  # from its start across the save, in a random order
    random.Random(11).shuffle(moments)
    state, kills = "a", 0
    for moment in moments:
        state = "b" if state == "a" else "a"
        (corpus / MOVING).write_text(STATES[state], encoding="utf-8")
        killed, _ = index_in_child(corpus, cache, kill_after=moment)
        kills += killed
        for folder in saved_indexes(cache):
            assert_whole(folder)
        next_start(corpus, cache, expected[state])
    assert kills >= 1  # the later moments may come after a quicker save has ended



def test_indexes_left_by_kills_between_saving_and_retiring_do_not_pile_up(tmp_path):
    """Killed twice after putting its index in place and before retiring the
    one before, a process leaves three indexes of one corpus; the next start
    loads the newest and retires the others."""
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)  # leaves the moving file in state "b"
    kept = tmp_path / "kept"
    kept.mkdir()
    for state in ("a", "b", "a"):
        (corpus / MOVING).write_text(STATES[state] + state * 3, encoding="utf-8")  # a new key each round
        open_library(corpus, cache_dir=cache)
        for folder in saved_indexes(cache):  # kept aside, as the kill would have left it
            if not (kept / folder.name).exists():
                shutil.copytree(folder, kept / folder.name)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    open_library(corpus, cache_dir=cache)
    for folder in kept.iterdir():
        if not (cache / folder.name).exists():
            shutil.copytree(folder, cache / folder.name)
    assert len(saved_indexes(cache)) == 4
    next_start(corpus, cache, expected["a"])
    assert len(saved_indexes(cache)) == 1

# --- a full disk ----------------------------------------------------------------------


class _Handle:
    """A real file handle passed through, its methods replaced in subclasses."""

    def __init__(self, handle):
        self._handle = handle

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


class _FullDiskFile(_Handle):
    """A file on a disk that fills up: the first write stores half its data
    and raises ENOSPC."""

    def write(self, data):
        self._handle.write(data[: len(data) // 2] if isinstance(data, str) else memoryview(data).cast("B")[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def disk_fills_at(monkeypatch):
    """fills(folder, n): the n-th file opened for writing under folder hits a full disk."""
    real_open = builtins.open

    def fills(folder: Path, n: int) -> None:
        count = 0

        def open_(file, mode="r", *args, **kwargs):
            nonlocal count
            handle = real_open(file, mode, *args, **kwargs)
            if isinstance(file, (str, os.PathLike)) and str(folder) in os.fspath(file) and "w" in mode:
                count += 1
                if count == n:
                    return _FullDiskFile(handle)
            return handle

        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(io, "open", open_)

    yield fills
    monkeypatch.undo()


def _snapshot(cache: Path) -> dict[str, bytes]:
    return {str(p.relative_to(cache)): p.read_bytes() for p in cache.rglob("*") if p.is_file()}


def test_a_full_disk_while_saving_keeps_the_old_index_and_says_so_in_one_line(tmp_path, disk_fills_at):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    open_library(corpus, cache_dir=cache)
    before = _snapshot(cache)
    (corpus / MOVING).write_text(STATES["b"], encoding="utf-8")
    files_written = 12  # 10 arrays, index.json, documents.json
    for n in range(1, files_written + 1):
        disk_fills_at(cache, n)
        library = open_library(corpus, cache_dir=cache)
        (warning,) = library.warnings
        assert warning.startswith(f"could not save the index in {cache} (No space left on device); answering from memory")
        assert "\n" not in warning
        assert answers(library) == expected["b"]  # answering still works
        assert _snapshot(cache) == before  # the old index intact, no partial folder left
    disk_fills_at(cache, 0)
    next_start(corpus, cache, expected["b"])


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 256 KB tmpfs, where this machine lets us mount one (root, with
    the right to mount); skipped elsewhere."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        if subprocess.run(["umount", str(disk)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_really_full_disk_says_why_in_one_line_and_keeps_the_old_index(tmp_path, tiny_disk):
    corpus, cache = write_corpus(tmp_path / "docs"), tiny_disk / "assistant"
    open_library(corpus, cache_dir=cache)  # about 60 KB
    before = _snapshot(cache)
    run = [sys.executable, "-m", "assistant", "index", "--corpus", str(corpus)]
    environment = {**os.environ, "XDG_CACHE_HOME": str(tiny_disk)}
    write_corpus(corpus, filler_documents=30, paragraphs=30)  # an index of about 0.5 MB: it cannot fit
    done = subprocess.run(run, env=environment, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0
    assert done.stdout.startswith("built the index of") or done.stdout.startswith("refreshed the index of")
    assert done.stderr.splitlines() == [
        f"assistant: warning: could not save the index in {cache} (No space left on device); "
        "answering from memory, the next start indexes again"
    ]
    assert _snapshot(cache) == before  # the old index intact, nothing half-written left taking the space


# --- two processes at once --------------------------------------------------------------


def test_two_processes_indexing_the_same_corpus_at_once_make_one_index_once(tmp_path):
    corpus, cache_home = write_corpus(tmp_path / "docs", filler_documents=10, paragraphs=20), tmp_path / "home"
    cache = cache_home / "assistant"
    expected = clean_answers(corpus)
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    run = [sys.executable, "-m", "assistant", "index", "--corpus", str(corpus)]

    def damage() -> None:
        (folder,) = saved_indexes(cache)
        (folder / "postings_data.npy").write_bytes(b"torn")

    # A first start; then the moving file edited (a refresh); then the index
    # found damaged by both.
    for state, prepare in (("a", lambda: None), ("b", lambda: None), ("b", damage)):
        if prepare is not damage:
            (corpus / MOVING).write_text(STATES[state], encoding="utf-8")
        prepare()
        both = [subprocess.Popen(run, env=environment, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
        outputs = [process.communicate(timeout=60) + (process.returncode,) for process in both]
        assert [code for _, _, code in outputs] == [0, 0], outputs
        # One built (or refreshed) the index; the other waited for it and loaded it.
        hows = sorted(out.split(" of ")[0].split(" (")[0] for out, _, _ in outputs)
        assert hows in (["built the index", "loaded the saved index"], ["loaded the saved index", "refreshed the index"])
        assert len({out.split(": ", 1)[1].split(" (")[0] for out, _, _ in outputs}) == 1  # same documents, terms
        warnings = [line for _, err, _ in outputs for line in err.splitlines()]
        assert warnings == ([] if prepare is not damage else
                            ["assistant: warning: rebuilt the index: saved index is damaged (ValueError)"])
        (saved,) = saved_indexes(cache)
        assert_whole(saved)
        assert debris(cache) == []
        next_start(corpus, cache, expected[state])


def test_a_process_that_waits_too_long_for_the_lock_answers_without_saving(tmp_path, monkeypatch):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)
    where, _ = library_module.fingerprint(corpus, discover(corpus))
    cache.mkdir()
    with open(cache / f".{where}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another assistant, stuck
        monkeypatch.setattr(library_module, "LOCK_WAIT", 0.2)
        library = open_library(corpus, cache_dir=cache)
    assert library.warnings == ["the index was not saved: another assistant is still indexing this corpus"]
    assert answers(library) == expected["b"]
    assert saved_indexes(cache) == []
    next_start(corpus, cache, expected["b"])


# --- a file edited or removed while it is read ------------------------------------------------


@pytest.fixture
def reading_disturbed(monkeypatch):
    """disturb(path, action, times): while `path` is read (through any open
    file of it), `action(path)` is done halfway through the read — the first
    `times` reads."""
    real_open = builtins.open

    def disturb(path: Path, action, times: int = 1) -> None:
        target = path.stat().st_ino
        left = times

        class Disturbed(_Handle):
            def read(self, size=-1):
                nonlocal left
                if left <= 0:
                    return self._handle.read(size)
                left -= 1
                # Unbuffered, as a large file is read: a read system call
                # for the first half, the action, one for the rest.
                whole = os.fstat(self._handle.fileno()).st_size
                first = self._handle.raw.read(whole // 2)
                action(path)
                rest = self._handle.raw.read(-1 if size < 0 else size - len(first))
                return first + rest

        def open_(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            if "r" in mode and "b" in mode and os.fstat(handle.fileno()).st_ino == target:
                return Disturbed(handle)
            return handle

        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(io, "open", open_)

    yield disturb
    monkeypatch.undo()


def _rewritten(text: str):
    def action(path: Path) -> None:
        path.write_text(text, encoding="utf-8")  # in place: the reader's open file sees it

    return action


def test_a_file_rewritten_while_read_is_read_again_never_torn(tmp_path, reading_disturbed):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    reading_disturbed(corpus / MOVING, _rewritten(STATES["b"]))
    library = open_library(corpus, cache_dir=cache)
    assert library.document(0).text == STATES["b"]  # as it is now, not half of each
    assert library.warnings == []
    assert answers(library) == expected["b"]
    # What was saved says what was read: the next start loads it as it is.
    again = open_library(corpus, cache_dir=cache)
    assert again.from_cache and answers(again) == expected["b"]


def test_a_file_edited_between_finding_and_reading_is_saved_as_read(tmp_path, monkeypatch):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    found = discover(corpus)
    (corpus / MOVING).write_text(STATES["b"], encoding="utf-8")  # after it was found, before it is read
    monkeypatch.setattr(library_module, "discover", lambda root: found)
    assert answers(open_library(corpus, cache_dir=cache)) == expected["b"]
    monkeypatch.undo()
    again = open_library(corpus, cache_dir=cache)
    assert again.from_cache and answers(again) == expected["b"]


def test_a_file_that_keeps_changing_is_skipped_with_a_warning_and_read_next_time(tmp_path, reading_disturbed):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    expected = clean_answers(corpus)
    (corpus / MOVING).write_text(STATES["a"], encoding="utf-8")
    others = write_corpus(tmp_path / "others")
    (others / MOVING).unlink()
    edits = iter([STATES["a"] + "Nairobi has a national park.\n", STATES["b"]])
    reading_disturbed(corpus / MOVING, lambda path: _rewritten(next(edits))(path), times=2)
    library = open_library(corpus, cache_dir=cache)
    assert library.warnings == [f"skipped {MOVING}: changed while being read"]
    assert answers(library) == answers(open_library(others, use_cache=False))  # the other documents answer
    # The saved index does not claim the file: the next start reads it.
    next_start(corpus, cache, expected["b"])


def test_a_file_removed_while_read_is_skipped_or_kept_whole_and_the_next_start_drops_it(tmp_path, reading_disturbed):
    corpus, cache = write_corpus(tmp_path / "docs"), tmp_path / "cache"
    reading_disturbed(corpus / "tesla.txt", lambda path: path.unlink())
    library = open_library(corpus, cache_dir=cache)
    sources = [e.source for e in library.entries]
    if "tesla.txt" in sources:
        assert library.document(sources.index("tesla.txt")).text == ARTICLES["tesla.txt"]
    else:
        assert library.warnings == ["skipped tesla.txt: removed while being indexed"]
    again = open_library(corpus, cache_dir=cache)
    assert "tesla.txt" not in [e.source for e in again.entries]
    assert answers(again) == answers(open_library(corpus, use_cache=False))


def test_a_fifo_named_like_a_document_does_not_hang_indexing(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    os.mkfifo(corpus / "pipe.txt")
    assert "pipe.txt" not in [f.source for f in discover(corpus)]
    assert len(open_library(corpus, use_cache=False)) == len(ARTICLES)
