"""Counting terms fast: passages in, posting lists out (for each term, the
passages that have it and how often), computed with numpy over chunks of
about a million characters rather than token by token in Python.

A token is a run of word characters: what the regular expression `\\w+`
finds in the lower-cased passage, exactly (tests/test_postings.py keeps the
plain reference counter). Tokens of up to 12 characters from [0-9_a-z]
(about 99% of English text) are numbered with no dictionary: their base-39
numeral fits in 64 bits and is computed for every token at once from prefix
sums over the characters, capitals folded by a table on the way. Other
tokens (longer, or with other letters) are few and go through a Python
dictionary. Where lower-casing is not one character for one ("İ") or
depends on the neighbours (a final "Σ"), the chunk is lower-cased first.
Stop words are dropped with a perfect hash, then tokens are grouped by term
with two sorts of packed 64-bit numbers. Chunks are counted on two threads
(numpy releases the GIL) and their postings concatenated term by term.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import queue
import re
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

CHUNK_CHARS = 1 << 20  # characters counted at once: 15 MB of work arrays a thread
IN_FLIGHT = 3  # chunks queued for the threads at a time (bounds the memory)
SIMPLE = "0123456789_abcdefghijklmnopqrstuvwxyz"  # digits 1..37, in code point order
BASE = 39
SIMPLE_LENGTH = 12  # 39**12 < 2**64: a numeral of up to 12 digits is exact
OTHER = 38  # digit of a word character outside SIMPLE
SPECIAL = 255  # a character whose lower case is not one character of the same kind
ODD_BASE = np.uint64(BASE**SIMPLE_LENGTH)  # keys of other tokens: ODD_BASE + their number
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier: hashes a key into its high bits
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Postings:
    """Posting lists: column j (term `terms[j]`, sorted utf-8 bytes) lists the
    passages `passages[indptr[j]:indptr[j+1]]`, ascending, with how often the
    term occurs in each (`counts`)."""

    terms: np.ndarray  # "S": sorted utf-8 bytes
    indptr: np.ndarray  # int64, len(terms) + 1
    passages: np.ndarray  # int32
    counts: np.ndarray  # the narrowest of uint8, uint16, uint32 that holds them
    n_passages: int


# --- tables, made once ---------------------------------------------------------

_tables_lock = threading.Lock()
_tables: dict[str, tuple] = {}


def _digit_tables() -> tuple[np.ndarray, np.ndarray, bytes, bytes]:
    """For each code point of the basic plane, its digit: 0 if not a word
    character, 1..37 for SIMPLE, OTHER for any other word character. The
    first table classifies the character itself; the second its lower case,
    or says SPECIAL where lower-casing changes the length or the word-ness
    (as "İ" does), so that most text needs no lower-casing pass at all.
    Then both again for the first 256 code points, as bytes.translate tables."""
    with _tables_lock:
        tables = _tables.get("digits")
        if tables is None:
            every = "".join(map(chr, range(0x10000)))
            plain = _classify(every)
            lowered = [c.lower() for c in every]
            simple_lower = np.array([len(c) == 1 for c in lowered])
            folded = np.full(0x10000, SPECIAL, dtype=np.uint8)
            single = np.flatnonzero(simple_lower)
            folded_chars = _classify("".join(lowered[i] for i in single.tolist()))
            same = (folded_chars != 0) == (plain[single] != 0)
            folded[single[same]] = folded_chars[same]
            # Python lower-cases "Σ" by its context (final sigma: "ΟΔΟΣ" gives
            # "οδος" but "ΟΔΟΣ'Α" "οδοσ'α"), across token boundaries: only
            # lower-casing the whole passage gives the same tokens.
            folded[ord("Σ")] = SPECIAL
            tables = _tables["digits"] = (plain, folded, folded[:256].tobytes(), plain[:256].tobytes())
        return tables


def _classify(text: str) -> np.ndarray:
    marked = _WORD.sub("\x01", text.replace("\x01", "\x02"))  # \x01: a word character, as re sees it
    digits = np.where(np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), np.uint32) == 1, OTHER, 0)
    digits = digits.astype(np.uint8)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    for value, char in enumerate(SIMPLE, 1):
        digits[codes == ord(char)] = value
    return digits


class _Powers:
    """BASE**i and its inverse modulo 2**64 for i below a chunk's length:
    shared by a builder's threads, grown on demand, dropped with the builder
    (tens of MB: not worth keeping between builds)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.power = self.inverse = np.ones(0, dtype=np.uint64)

    def upto(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if len(self.power) < length:
                size = max(length, CHUNK_CHARS + (CHUNK_CHARS >> 2), 2 * len(self.power))
                self.power = _geometric(BASE, size)
                self.inverse = _geometric(pow(BASE, -1, 2**64), size)
            return self.power, self.inverse


def _geometric(ratio: int, size: int) -> np.ndarray:
    """ratio**i modulo 2**64 for i < size, by doubling: numpy's cumprod
    takes 20 ns an element, a fifth of the time of a whole chunk."""
    series = np.ones(size, dtype=np.uint64)
    done = 1
    while done < size:
        step = min(done, size - done)
        np.multiply(series[:step], np.uint64(pow(ratio, done, 2**64)), out=series[done : done + step])
        done += step
    return series


def _simple_key(term: str) -> int | None:
    """The exact number of a short [0-9_a-z] term, as counted; None for others."""
    if len(term) > SIMPLE_LENGTH or any(c not in SIMPLE for c in term):
        return None
    return sum((SIMPLE.index(c) + 1) * BASE**i for i, c in enumerate(term))


def _decode_simple(keys: np.ndarray) -> np.ndarray:
    """The terms (bytes) of simple keys: their base-39 digits, lowest first."""
    letters = np.frombuffer(b"\0" + SIMPLE.encode("ascii") + b"\0", dtype=np.uint8)
    chars = np.zeros((len(keys), SIMPLE_LENGTH), dtype=np.uint8)
    rest = keys.copy()
    for position in range(SIMPLE_LENGTH):
        chars[:, position] = letters[(rest % np.uint64(BASE)).astype(np.intp)]
        rest //= np.uint64(BASE)
    return chars.view(f"S{SIMPLE_LENGTH}").ravel()  # numpy drops the trailing NULs


class _StopTable:
    """Which keys are stop words: a perfect hash (each stop word alone in
    its slot), two arithmetic operations and one look-up a token."""

    BITS = 16

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        for attempt in range(1, 1000):
            self.multiplier = np.uint64((0xD6E8FEB86659FD93 * (2 * attempt + 1)) % 2**64)
            slots = self._slots(keys)
            if len(np.unique(slots)) == len(keys):
                break
        else:  # never seen: a hundred words in 65,536 slots
            raise ValueError("no perfect hash for the stop words")
        self.table = np.zeros(1 << self.BITS, dtype=np.uint64)  # 0 is no token's key
        self.table[slots] = keys

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self.multiplier) >> np.uint64(64 - self.BITS)).astype(np.intp)

    def has(self, keys: np.ndarray) -> np.ndarray:
        return self.table[self._slots(keys)] == keys


# --- one chunk -------------------------------------------------------------------


@dataclass
class _Chunk:
    first: int  # global number of its first passage
    term_keys: np.ndarray  # uint64, one per term of the chunk
    term_starts: np.ndarray  # int64: where each term's pairs begin
    passages: np.ndarray  # int32, chunk-local passage of each (term, passage) pair
    counts: np.ndarray  # uint8, uint16 or uint32: the narrowest that holds them


class _Workspace:
    """Work arrays of one thread, reused from chunk to chunk: fresh arrays of
    tens of megabytes would cost a page fault every 4 KB each time, and
    memory freed by a thread is not always given back."""

    def __init__(self, powers: _Powers):
        self.powers = powers
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype) -> np.ndarray:
        array = self._arrays.get(name)
        if array is None or len(array) < size:
            array = self._arrays[name] = np.empty(max(size, CHUNK_CHARS + (CHUNK_CHARS >> 2)), dtype=dtype)
        return array[:size]


def _count_chunk(first: int, texts: list[str], others: dict[str, int], numbering, stop: _StopTable,
                 space: _Workspace) -> _Chunk:
    # One separator before, between and after the passages: no token crosses them.
    joined = "\n".join(["", *texts, ""])
    digits = _digits_of(joined, True, space)
    if digits.max(initial=0) == SPECIAL:  # rare ("İ"): lower-case the text itself
        texts = [t.lower() for t in texts]
        joined = "\n".join(["", *texts, ""])
        digits = _digits_of(joined, False, space)
    size = len(digits)
    word = space.get("word", size, bool)
    np.not_equal(digits, 0, out=word)
    change = space.get("change", size - 1, bool)
    np.not_equal(word[1:], word[:-1], out=change)
    edges = np.flatnonzero(change)
    edges += 1
    starts, ends = edges[0::2], edges[1::2]
    if not len(starts):
        return _empty_chunk(first)
    power, inverse = space.powers.upto(size)
    prefix = space.get("prefix", size, np.uint64)
    np.copyto(prefix, digits)
    np.multiply(prefix, power[:size], out=prefix)
    np.cumsum(prefix, out=prefix)
    # sum of digit * BASE**position over [start, end), shifted down to start
    keys = prefix.take(ends - 1)
    keys -= prefix.take(starts - 1)
    keys *= inverse.take(starts)
    odd = (ends - starts) > SIMPLE_LENGTH
    other_chars = np.flatnonzero(np.equal(digits, OTHER, out=word))
    if len(other_chars):
        odd[np.searchsorted(starts, other_chars, side="right") - 1] = True
    if odd.any():
        where = np.flatnonzero(odd)
        tokens = [joined[a:b].lower() for a, b in zip(starts[where].tolist(), ends[where].tolist())]
        numbers = np.fromiter(map(others.setdefault, tokens, numbering), dtype=np.uint64, count=len(tokens))
        keys[where] = ODD_BASE + numbers
    # Passage of each token: how many separators lie before it.
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    separators = np.cumsum(lengths + 1)
    per_passage = np.diff(np.searchsorted(starts, separators), prepend=0)
    passage = np.repeat(np.arange(len(texts), dtype=np.uint64), per_passage)
    # Stop words are nearly half the tokens: dropped before the sorts, not after.
    kept = ~stop.has(keys)
    keys, passage = keys[kept], passage[kept]
    if not len(keys):
        return _empty_chunk(first)
    return _Chunk(first, *_group(keys, passage, len(texts)))


def _digits_of(text: str, folded: bool, space: _Workspace) -> np.ndarray:
    tables = _digit_tables()
    if text.isascii():  # bytes.translate: a table look-up at memcpy speed
        return np.frombuffer(text.encode("ascii").translate(tables[2 if folded else 3]), dtype=np.uint8)
    table = tables[1 if folded else 0]
    digits = space.get("digits", len(text), np.uint8)
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):  # no character beyond the basic plane
        np.take(table, np.frombuffer(data, dtype=np.uint16), out=digits, mode="clip")
        return digits
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    np.take(table, codes, out=digits, mode="clip")
    for position in np.flatnonzero(codes > 0xFFFF).tolist():
        char = text[position]
        lower = char.lower()
        if folded and (len(lower) != 1 or bool(_WORD.match(lower)) != bool(_WORD.match(char))):
            digits[position] = SPECIAL
        else:
            digits[position] = OTHER if _WORD.match(char) else 0
    return digits


def _group(keys: np.ndarray, passage: np.ndarray, n_passages: int):
    """Tokens grouped by term, then by passage: each term's (passage, count)
    pairs, with no gather over the tokens. Each token becomes one 64-bit
    number, (hash of its term, passage), and one sort of those numbers lines
    up the pairs. The hash is checked to be one-to-one on the chunk's terms
    (a first sort finds them); where it is not, the terms' ranks are used
    instead (slower, exact)."""
    passage_bits = max(1, int(n_passages - 1).bit_length())
    unique = _sorted_unique(keys)
    shift = np.uint64(passage_bits)
    hashed = (unique * _MIX) >> shift
    order = np.argsort(hashed)
    hashed = hashed[order]
    if np.any(hashed[1:] == hashed[:-1]):  # two terms share a hash
        term_keys = unique
        codes = np.searchsorted(unique, keys).astype(np.uint64)
    else:
        term_keys = unique[order]
        codes = keys * _MIX
        codes >>= shift
    codes <<= shift
    codes |= passage
    codes.sort()
    count = len(codes)
    new_pair = np.empty(count, dtype=bool)
    new_pair[0] = True
    np.not_equal(codes[1:], codes[:-1], out=new_pair[1:])
    pair_starts = np.flatnonzero(new_pair)
    pair_counts = narrowest(np.diff(pair_starts, append=count))
    values = codes[pair_starts]
    pair_passages = (values & np.uint64((1 << passage_bits) - 1)).astype(np.int32)
    values >>= shift
    new_term = np.empty(len(values), dtype=bool)
    new_term[0] = True
    np.not_equal(values[1:], values[:-1], out=new_term[1:])
    return term_keys, np.flatnonzero(new_term), pair_passages, pair_counts


def narrowest(counts: np.ndarray) -> np.ndarray:
    """Counts as uint8, uint16 or uint32, the narrowest that holds them all
    (nearly always uint8: a quarter of the memory and disk of float32)."""
    top = int(counts.max()) if len(counts) else 0
    return counts.astype(np.uint8 if top <= 0xFF else np.uint16 if top <= 0xFFFF else np.uint32, copy=False)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """np.unique by one sort: numpy 2's np.unique hashes, 30 times slower here."""
    ordered = np.sort(keys)
    distinct = np.empty(len(ordered), dtype=bool)
    distinct[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=distinct[1:])
    return ordered[distinct]


def _empty_chunk(first: int) -> _Chunk:
    return _Chunk(first, np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint8))


# --- many chunks -------------------------------------------------------------------


class PostingsBuilder:
    """Takes passages in order (in as many calls as convenient) and counts
    them chunk by chunk, on `threads` threads; `finish()` gives the postings.
    Only the chunks' posting lists are kept, never the texts."""

    def __init__(self, stop_words=frozenset(), max_term_length: int = 40, threads: int | None = None):
        self.stop_words = stop_words
        self.max_term_length = max_term_length
        self.threads = threads if threads is not None else min(2, os.cpu_count() or 1)
        self._stop = _StopTable(np.array([k for k in map(_simple_key, stop_words) if k is not None], dtype=np.uint64))
        self._others: dict[str, int] = {}  # tokens outside SIMPLE: their numbers
        self._numbering = itertools.count()
        self._pending: list[str] = []
        self._pending_chars = 0
        self._passages = 0
        self._chunks: list[_Chunk] = []
        self._futures: deque = deque()
        self._pool: ThreadPoolExecutor | None = None
        self._spaces: queue.SimpleQueue = queue.SimpleQueue()  # one a thread
        powers = _Powers()
        for _ in range(max(1, self.threads)):
            self._spaces.put(_Workspace(powers))

    @property
    def passages(self) -> int:
        return self._passages + len(self._pending)

    def add(self, texts: list[str]) -> None:
        for text in texts:
            self._pending.append(text)
            self._pending_chars += len(text) + 1
            if self._pending_chars >= CHUNK_CHARS:
                self._submit()

    def _submit(self) -> None:
        if not self._pending:
            return
        texts, first = self._pending, self._passages
        self._passages += len(texts)
        self._pending, self._pending_chars = [], 0
        if self.threads < 2:
            self._chunks.append(self._count(first, texts))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="count")
        self._futures.append(self._pool.submit(self._count, first, texts))
        while len(self._futures) > IN_FLIGHT:
            self._chunks.append(self._futures.popleft().result())

    def _count(self, first: int, texts: list[str]) -> _Chunk:
        space = self._spaces.get()
        try:
            return _count_chunk(first, texts, self._others, self._numbering, self._stop, space)
        finally:
            self._spaces.put(space)

    def close(self) -> None:
        """Stop the threads (also when interrupted: queued chunks are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._spaces = queue.SimpleQueue()  # the work arrays can go

    def finish(self) -> Postings:
        try:
            if self._pool is None and len(self._pending) and not self._chunks:
                self.threads = 1  # one chunk: no thread to start
            self._submit()
            while self._futures:
                self._chunks.append(self._futures.popleft().result())
        finally:
            self.close()
        chunks, self._chunks = self._chunks, []
        _give_back_memory()
        merged = _merge_chunks(chunks, self._passages, self._others, self.stop_words, self.max_term_length)
        _give_back_memory()
        return merged


def _give_back_memory() -> None:
    """Hand freed heap memory back to the system. The threads' arrays of a
    few MB each are freed into glibc's per-thread arenas, which keep them:
    at 100k passages 70 MB (measured) that would count in the process's
    peak long after the counting."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to do
        pass


def _merge_chunks(chunks: list[_Chunk], n_passages: int, others: dict[str, int], stop_words,
                  max_term_length: int) -> Postings:
    """One posting list a term, the chunks' pairs concatenated in passage order."""
    unique = _sorted_unique(np.concatenate([c.term_keys for c in chunks] or [np.zeros(0, np.uint64)]))
    terms, keep = _terms_of(unique, others, stop_words, max_term_length)
    # Columns: the kept terms alphabetically (utf-8 bytes sort as code points),
    # then the dropped ones, whose pairs are written and cut off at the end:
    # cheaper than filtering every chunk.
    alphabetical = np.flatnonzero(keep)[np.argsort(terms[keep], kind="stable")]
    column = np.empty(len(unique), dtype=np.int64)
    column[np.concatenate([alphabetical, np.flatnonzero(~keep)])] = np.arange(len(unique))
    chunk_columns = [column[np.searchsorted(unique, c.term_keys)] for c in chunks]
    sizes = np.zeros(len(unique), dtype=np.int64)
    for chunk, columns in zip(chunks, chunk_columns):
        sizes[columns] += np.diff(chunk.term_starts, append=len(chunk.passages))  # a term once a chunk
    indptr = np.zeros(len(unique) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    passages = np.empty(int(indptr[-1]), dtype=np.int32)
    counts = np.empty(int(indptr[-1]), dtype=np.result_type(np.uint8, *(c.counts.dtype for c in chunks)))
    fill = indptr[:-1].copy()
    for number, columns in enumerate(chunk_columns):
        chunk, chunks[number] = chunks[number], None  # its memory can go once copied
        lengths = np.diff(chunk.term_starts, append=len(chunk.passages))
        destination = np.repeat(fill[columns] - chunk.term_starts, lengths)
        destination += np.arange(len(destination))
        fill[columns] += lengths
        passages[destination] = chunk.passages + np.int32(chunk.first)
        counts[destination] = chunk.counts
    kept = len(alphabetical)
    end = int(indptr[kept])
    vocabulary = terms[alphabetical] if kept else np.zeros(0, "S1")
    return Postings(vocabulary, indptr[: kept + 1], passages[:end], counts[:end], n_passages)


def _terms_of(unique: np.ndarray, others: dict[str, int], stop_words, max_term_length: int):
    """The terms (utf-8 bytes) of sorted keys, and which of them to keep."""
    simple = unique < ODD_BASE
    keep = np.ones(len(unique), dtype=bool)
    if simple.all():
        return _decode_simple(unique), keep
    terms = np.empty(len(unique), dtype=object)
    terms[simple] = list(_decode_simple(unique[simple]))
    name_of = {number: token for token, number in others.items()}
    for position in np.flatnonzero(~simple).tolist():
        token = name_of[int(unique[position] - ODD_BASE)]
        keep[position] = len(token) <= max_term_length and token not in stop_words
        terms[position] = token.encode("utf-8")
    return np.array(terms.tolist()) if len(terms) else np.zeros(0, "S1"), keep


def count_postings(texts: list[str], stop_words=frozenset(), max_term_length: int = 40,
                   threads: int | None = None) -> Postings:
    """The posting lists of `texts` (passage numbers are their positions):
    `\\w+` tokens of each lower-cased text, less stop words and tokens longer
    than max_term_length, on `threads` threads (default: two if the machine
    has them)."""
    builder = PostingsBuilder(stop_words, max_term_length, threads)
    try:
        builder.add(texts)
        return builder.finish()
    finally:
        builder.close()
