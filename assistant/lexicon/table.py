"""The WordNet table shipped in this package (`wordnet.tsv.gz`, written by
derive.py, whose docstring describes the format), read once and parsed a row at a
time as rows are asked for."""

from __future__ import annotations

import gzip
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TABLE_NAME = "wordnet.tsv.gz"


@dataclass(frozen=True)
class Sense:
    """One sense of a lemma: a synset, and what WordNet says of the lemma in it."""

    pos: str  # n, v, a (adjectives and satellites) or r
    synset: int  # row number in the table's @synsets
    count: int  # tagged count in the semantic concordance (cntlist.rev), 0 if none
    derived: tuple[str, ...]  # derivationally related forms, pertainyms, participle's verb
    derived_further: tuple[str, ...]  # one derivation step on from those
    antonyms: tuple[str, ...]


@dataclass(frozen=True)
class Synset:
    lexfile: str  # lexicographer file name, e.g. noun.location
    members: tuple[str, ...]  # lemmas, lower-case, words separated by spaces
    broader: tuple[int, ...]  # hypernyms; for a satellite adjective its head
    instance_of: tuple[int, ...]  # instance hypernyms of a proper noun's synset


class Table:
    """Rows of the table kept as text until asked for: parsing all 150,000
    lemmas up front would cost more than reading the file. The @words rows are
    sorted by lemma, and since a lemma never holds a character below the tab
    that ends it, by the row's text too: a lemma is found by bisection, with no
    dictionary to build at load time."""

    def __init__(self, text: str):
        sections = {}
        for section in text.split("\n@")[1:]:
            name, _, body = section.partition("\n")
            sections[name] = body.rstrip("\n")
        self.lexfiles = tuple(sections["lexfiles"].split("\n"))
        self.exceptions: dict[str, dict[str, tuple[str, ...]]] = {pos: {} for pos in "nvar"}
        for line in sections["exceptions"].split("\n"):
            pos, inflected, *bases = line.split("\t")
            self.exceptions[pos][inflected] = tuple(bases)
        self._synset_rows = sections["synsets"].split("\n")
        self._word_rows = sections["words"].split("\n")
        self._senses: dict[str, tuple[Sense, ...]] = {}
        self._synsets: dict[int, Synset] = {}
        self._narrower: dict[int, tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self._word_rows)

    def __contains__(self, lemma: str) -> bool:
        return self._word_row(lemma) is not None

    def lemmas(self) -> list[str]:
        """Every lemma, multiword ones with spaces, in sorted order."""
        return [row[: row.index("\t")] for row in self._word_rows]

    def multiword_lemmas(self) -> list[str]:
        """The lemmas of more than one word."""
        keys = (row[: row.index("\t")] for row in self._word_rows)
        return [key for key in keys if " " in key]

    def _word_row(self, lemma: str) -> str | None:
        """The senses part of a lemma's row."""
        key = lemma + "\t"
        at = bisect_left(self._word_rows, key)
        if at < len(self._word_rows) and self._word_rows[at].startswith(key):
            return self._word_rows[at][len(key) :]
        return None

    def senses(self, lemma: str) -> tuple[Sense, ...]:
        """A lemma's senses, most frequent first within each part of speech."""
        found = self._senses.get(lemma)
        if found is None:
            row = self._word_row(lemma)
            found = () if row is None else tuple(_sense(field) for field in row.split("\t"))
            self._senses[lemma] = found
        return found

    def synset(self, number: int) -> Synset:
        found = self._synsets.get(number)
        if found is None:
            lexfile, members, broader, *instance_of = self._synset_rows[number].split("\t")
            found = Synset(
                self.lexfiles[int(lexfile)],
                tuple(members.split("|")),
                tuple(int(n, 36) for n in broader.split()),
                tuple(int(n, 36) for n in instance_of[0].split()) if instance_of else (),
            )
            self._synsets[number] = found
        return found

    def narrower(self, number: int) -> tuple[int, ...]:
        """The synsets whose hypernym (or satellites whose head) this one is."""
        if self._narrower is None:
            # Inverted on first use (~50 ms) rather than stored: the table stays smaller.
            inverse: dict[int, list[int]] = {}
            for row_number, row in enumerate(self._synset_rows):
                for name in row.split("\t", 3)[2].split():
                    inverse.setdefault(int(name, 36), []).append(row_number)
            self._narrower = {n: tuple(found) for n, found in inverse.items()}
        return self._narrower.get(number, ())

    @property
    def synset_count(self) -> int:
        return len(self._synset_rows)


def _words(field: str) -> tuple[str, ...]:
    return tuple(field.split("|")) if field else ()


def _sense(field: str) -> Sense:
    name, count, derived, further, antonyms = (field.split(",") + ["", "", "", ""])[:5]
    return Sense(name[0], int(name[1:], 36), int(count or 0), _words(derived), _words(further), _words(antonyms))


@lru_cache(maxsize=1)
def load_table() -> Table:
    """The package's table, read on first use and kept."""
    data = resources.files(__package__).joinpath(TABLE_NAME).read_bytes()
    return Table(gzip.decompress(data).decode("utf-8"))
