"""Derive the lexicon's table from the WordNet 3.0 database files.

    python -m assistant.lexicon.derive [--wordnet PATH.tar.gz] [--out DIR]

reads the archive of the Princeton WordNet 3.0 `dict/` folder (data.*, index.*,
*.exc, cntlist.rev; see wndb(5WN)) and writes `wordnet.tsv.gz` into DIR, by
default this package's folder. The same archive always gives the same bytes: the
rows are sorted, and gzip is written without a file name or time stamp.

The table is plain text in four sections, each opened by a line `@name`:

    @lexfiles    one lexicographer file name a line, numbered from 0 (lexnames(5WN))
    @exceptions  POS <tab> inflected form <tab> base form [<tab> base form ...]
    @synsets     lexfile <tab> members <tab> broader synsets [<tab> instance of]
    @words       lemma <tab> sense <tab> sense ...

A synset is named by its row number in @synsets (base 36). Its members are its
lower-cased lemmas, `|`-joined, a space where WordNet has an underscore. "Broader"
holds the hypernyms (@) of a noun or verb synset, and the head adjective a
satellite is similar to (&); "instance of" the instance hypernyms (@i) of a proper
noun's synset (Paris -> national capital). A sense is
`<pos><synset>,count,derived,derived further,antonyms`, e.g. `v1vix,5,surrenderer,,resist`:
count is the tagged count of the sense in cntlist.rev (0 if none), the word lists
are `|`-joined lemmas: "derived" are the targets of the sense's own lexical
pointers for derivation (+), pertainym (\\) and participle (<); "derived further"
one such step on from each of those (defector -> defect -> defection); antonyms the
targets of its antonym pointers (!). Senses come in the order of index.POS, which
lists a lemma's senses most frequent first. Trailing empty fields are left out.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .table import TABLE_NAME

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_ARCHIVE = PACKAGE_DIR.parents[2] / "shared" / "data" / "wordnet" / "wordnet-3.0-dict.tar.gz"

# lexnames(5WN): the lexicographer file of a synset is its number in this list.
# The Debian archive does not ship the `lexnames` file, so the list is spelled out.
LEXICOGRAPHER_FILES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()

PARTS_OF_SPEECH = ("n", "v", "a", "r")  # the order synsets are numbered in
FILE_NAMES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SENSE_KEY_TYPE = {"n": 1, "v": 2, "a": 3, "r": 4, "s": 5}  # ss_type as written in a sense key
DERIVATION_POINTERS = frozenset({"+", "\\", "<"})
BROADER_POINTERS = frozenset({"@", "@i"})
# Only these pointers are read; the rest (hyponyms, meronyms, domains...) are most of data.noun.
USED_POINTERS = DERIVATION_POINTERS | BROADER_POINTERS | {"!", "&"}

NOTICE_LINES = (
    "# Derived from WordNet 3.0 by assistant/lexicon/derive.py (see NOTICE beside this file).",
    "# WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.",
    "# THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\" AND PRINCETON UNIVERSITY MAKES NO",
    "# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED; the licence in full is in NOTICE.",
)

SynsetKey = tuple[str, int]  # (n | v | a | r, byte offset in data.POS); satellites are "a"


@dataclass(frozen=True)
class Pointer:
    symbol: str
    target: SynsetKey
    source_word: int  # 1-based; 0 for a pointer from the whole synset
    target_word: int


@dataclass(frozen=True)
class Synset:
    key: SynsetKey
    satellite: bool
    lexfile: int
    words: tuple[str, ...]  # as in data.POS: case kept, underscores for spaces, markers such as (a) removed
    lex_ids: tuple[int, ...]
    pointers: tuple[Pointer, ...]


def read_database(archive: Path) -> dict[str, str]:
    """The text of each database file in the archive, by its base name."""
    wanted = {f"{kind}.{FILE_NAMES[pos]}" for pos in PARTS_OF_SPEECH for kind in ("data", "index")}
    wanted |= {f"{FILE_NAMES[pos]}.exc" for pos in PARTS_OF_SPEECH} | {"cntlist.rev"}
    files = {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and name in wanted:
                files[name] = tar.extractfile(member).read().decode("latin-1")
    missing = wanted - files.keys()
    if missing:
        raise SystemExit(f"{archive}: not a WordNet 3.0 dict archive (no {', '.join(sorted(missing))})")
    return files


def _pointer_key(pos: str, offset: str) -> SynsetKey:
    return ("a" if pos == "s" else pos, int(offset))


def parse_data(text: str, pos: str) -> list[Synset]:
    """The synsets of one data.POS file (its licence header lines start with spaces)."""
    synsets = []
    for line in text.splitlines():
        if not line or line.startswith(" "):
            continue
        fields = line.split(" | ", 1)[0].split()
        offset, lexfile, ss_type, word_count = fields[0], int(fields[1]), fields[2], int(fields[3], 16)
        words, lex_ids = [], []
        at = 4
        for _ in range(word_count):
            word = fields[at]
            if word.endswith(")") and "(" in word:  # adjective position markers: (a), (p), (ip)
                word = word[: word.index("(")]
            words.append(word)
            lex_ids.append(int(fields[at + 1], 16))
            at += 2
        pointers = []
        for _ in range(int(fields[at])):
            symbol, target, target_pos, source_target = fields[at + 1 : at + 5]
            at += 4
            if symbol not in USED_POINTERS:
                continue
            pointers.append(
                Pointer(symbol, _pointer_key(target_pos, target), int(source_target[:2], 16), int(source_target[2:], 16))
            )
        synsets.append(
            Synset(_pointer_key(pos, offset), ss_type == "s", lexfile, tuple(words), tuple(lex_ids), tuple(pointers))
        )
    return synsets


def parse_index(text: str, pos: str) -> dict[str, list[SynsetKey]]:
    """Each lemma's synsets in index.POS order, which is most frequent sense first."""
    senses = {}
    for line in text.splitlines():
        if not line or line.startswith(" "):
            continue
        fields = line.split()
        lemma, synset_count = fields[0], int(fields[2])
        senses[lemma] = [(pos, int(offset)) for offset in fields[len(fields) - synset_count :]]
    return senses


def parse_counts(text: str) -> dict[str, int]:
    """Tagged count of each sense key (cntlist.rev: sense_key sense_number tag_cnt)."""
    counts = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3:
            counts[fields[0]] = int(fields[2])
    return counts


def parse_exceptions(text: str) -> dict[str, list[str]]:
    """Irregular forms and their base forms (POS.exc: inflected base [base ...])."""
    exceptions = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            exceptions[fields[0]] = fields[1:]
    return exceptions


def sense_key(synset: Synset, word_number: int, synsets: dict[SynsetKey, Synset]) -> str:
    """The sense key of a synset's word (senseidx(5WN)); a satellite names its head adjective."""
    at = word_number - 1
    head_word, head_id = "", ""
    if synset.satellite:
        head = next(synsets[p.target] for p in synset.pointers if p.symbol == "&")
        head_word, head_id = head.words[0].lower(), f"{head.lex_ids[0]:02d}"
    ss_type = SENSE_KEY_TYPE["s" if synset.satellite else synset.key[0]]
    return f"{synset.words[at].lower()}%{ss_type}:{synset.lexfile:02d}:{synset.lex_ids[at]:02d}:{head_word}:{head_id}"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def _lemma(word: str) -> str:
    return word.lower().replace("_", " ")


def _dedupe(words) -> list[str]:
    return list(dict.fromkeys(words))


class TableBuilder:
    """Turns the parsed database into the rows of the table."""

    def __init__(self, files: dict[str, str]):
        self.synsets: dict[SynsetKey, Synset] = {}
        self.index: dict[str, list[SynsetKey]] = defaultdict(list)
        for pos in PARTS_OF_SPEECH:
            for synset in parse_data(files[f"data.{FILE_NAMES[pos]}"], pos):
                self.synsets[synset.key] = synset
            for lemma, keys in parse_index(files[f"index.{FILE_NAMES[pos]}"], pos).items():
                self.index[_lemma(lemma)].extend(keys)
        self.counts = parse_counts(files["cntlist.rev"])
        self.exceptions = {pos: parse_exceptions(files[f"{FILE_NAMES[pos]}.exc"]) for pos in PARTS_OF_SPEECH}
        order = sorted(self.synsets, key=lambda key: (PARTS_OF_SPEECH.index(key[0]), key[1]))
        self.number = {key: _base36(n) for n, key in enumerate(order)}
        self.order = order

    def word_number(self, synset: Synset, lemma: str) -> int:
        return next(n for n, word in enumerate(synset.words, 1) if _lemma(word) == lemma)

    def lexical_targets(self, key: SynsetKey, word_number: int, symbols: frozenset[str]) -> list[tuple[SynsetKey, int]]:
        return [
            (p.target, p.target_word)
            for p in self.synsets[key].pointers
            if p.symbol in symbols and p.source_word == word_number and p.target_word
        ]

    def target_lemma(self, target: tuple[SynsetKey, int]) -> str:
        key, word_number = target
        return _lemma(self.synsets[key].words[word_number - 1])

    def sense_field(self, lemma: str, key: SynsetKey) -> str:
        synset = self.synsets[key]
        number = self.word_number(synset, lemma)
        count = self.counts.get(sense_key(synset, number, self.synsets), 0)
        derived_targets = self.lexical_targets(key, number, DERIVATION_POINTERS)
        # A step to the same spelling in another part of speech (surrender n -> surrender v)
        # is no step: what that sense derives counts as derived from this one.
        same_spelling = [t for t in derived_targets if self.target_lemma(t) == lemma]
        derived_targets += [
            t2 for t in same_spelling for t2 in self.lexical_targets(t[0], t[1], DERIVATION_POINTERS)
        ]
        derived = [w for w in _dedupe(self.target_lemma(t) for t in derived_targets) if w != lemma]
        further = _dedupe(
            self.target_lemma(t2)
            for t in derived_targets
            for t2 in self.lexical_targets(t[0], t[1], DERIVATION_POINTERS)
        )
        further = [w for w in further if w != lemma and w not in derived]
        antonyms = _dedupe(self.target_lemma(t) for t in self.lexical_targets(key, number, frozenset("!")))
        fields = [f"{key[0]}{self.number[key]}", str(count), "|".join(derived), "|".join(further), "|".join(antonyms)]
        while fields[-1] in ("", "0"):
            fields.pop()
        return ",".join(fields)

    def synset_row(self, key: SynsetKey) -> str:
        synset = self.synsets[key]
        members = _dedupe(_lemma(w) for w in synset.words)
        if synset.satellite:
            broader = [p.target for p in synset.pointers if p.symbol == "&"]
        else:
            broader = [p.target for p in synset.pointers if p.symbol == "@"]
        instance_of = [p.target for p in synset.pointers if p.symbol == "@i"]
        fields = [str(synset.lexfile), "|".join(members), " ".join(self.number[k] for k in broader)]
        if instance_of:
            fields.append(" ".join(self.number[k] for k in instance_of))
        return "\t".join(fields)

    def rows(self) -> list[str]:
        lines = list(NOTICE_LINES)
        lines.append("@lexfiles")
        lines.extend(LEXICOGRAPHER_FILES)
        lines.append("@exceptions")
        for pos in PARTS_OF_SPEECH:
            for inflected, bases in sorted(self.exceptions[pos].items()):
                lines.append("\t".join([pos, _lemma(inflected), *(_lemma(b) for b in bases)]))
        lines.append("@synsets")
        lines.extend(self.synset_row(key) for key in self.order)
        lines.append("@words")
        # The loader finds a lemma's row by bisecting the rows' text, which is in
        # the lemmas' order only while no lemma holds a character below the tab.
        if any(min(lemma) <= "\t" for lemma in self.index):
            raise SystemExit("a lemma holds a control character: the rows would not be in lemma order")
        for lemma in sorted(self.index):
            lines.append("\t".join([lemma, *(self.sense_field(lemma, key) for key in self.index[lemma])]))
        return lines


def table_bytes(archive: Path) -> bytes:
    """The gzip-compressed table, the same bytes for the same archive."""
    text = "\n".join(TableBuilder(read_database(archive)).rows()) + "\n"
    buffer = io.BytesIO()
    # No file name and mtime=0 in the gzip header, so that only the content decides the bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()


def write_table(archive: Path, out_dir: Path) -> Path:
    data = table_bytes(archive)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / TABLE_NAME
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.lexicon.derive", description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_ARCHIVE, help="the WordNet 3.0 dict .tar.gz")
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR, help="folder to write wordnet.tsv.gz into")
    arguments = parser.parse_args(argv)
    if not arguments.wordnet.is_file():
        parser.error(f"no WordNet archive at {arguments.wordnet}")
    target = write_table(arguments.wordnet, arguments.out)
    print(f"{target}: {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
