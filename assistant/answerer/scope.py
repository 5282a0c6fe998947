"""Which document a question names, if it names one: "in w3m which key exits
straight away?" asks the w3m manual, not the xargs page beside it that says
"exits", however well that page's sentences match the rest of the question.

A question word names a document when it is a name of the document's own
making, not an English word (WordNet does not know it: "xargs", "MPL", "w3m",
"Debian"; not "system", "parliament" or "Tesla", which other documents use
for their own ends), and the title (or, for a document without a title of its
own, the file's name and the initials people use, its aliases) of that
document holds it and no other document's does. A question that names
documents is asked of them alone when it names exactly one (one text: a
file and its copy are one). A title's word that the other documents write
throughout ("Debian" beside chapters of the Debian Reference) is their
common subject, no name. The titles, the vocabulary and the titled
documents themselves are read, never the postings, so that a sharded index
(assistant/cluster) scopes a question as one process does."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from ..corpus import aliases_of
from ..index import TfidfIndex, analyze
from ..library import passage_rows
from ..lexicon import weighted_senses
from .matching import QueryTerm, sentence_vocabulary

# The share of the other documents' passages that must write a title's word
# for it to be their subject too rather than one document's name (a README
# listing the folder's files, another page citing it, mention it in passing).
WRITTEN_ELSEWHERE = 0.05

_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class DocumentNames:
    """Each word and stem of the documents' titles and aliases, with the
    documents whose titles hold it; and each document's text number
    (Library.text_numbers: a file and its copy share one)."""

    documents_by_word: dict[str, frozenset[int]]
    text_of: tuple[int, ...]
    passages_of: tuple[int, ...]  # how many passages each document has
    # (word, the documents whose titles hold it): how many of their passages
    # write it, counted when first asked
    held_counts: dict[tuple[str, frozenset[int]], int]


def document_names(library) -> DocumentNames:
    """The names of a library's documents, made once per library from its
    entries (no document is read)."""
    names = _NAMES.get(library)
    if names is None:
        by_word: dict[str, set[int]] = {}
        for number, entry in enumerate(library.entries):
            titled = entry.title != entry.source  # a document without a title shows its file's name
            naming = f"{entry.title} {aliases_of(entry.source, entry.title)}" if titled \
                else aliases_of(entry.source, entry.title)
            for word in sentence_vocabulary(naming):
                by_word.setdefault(word, set()).add(number)
        passages = np.bincount(library.index.passages.document, minlength=len(library.entries))
        names = DocumentNames({word: frozenset(numbers) for word, numbers in by_word.items()}, library.text_numbers,
                              tuple(int(n) for n in passages), {})
        _NAMES[library] = names
    return names


def named_documents(terms: list[QueryTerm], names: DocumentNames, library) -> frozenset[int]:
    """The documents of the one text the question's terms name; empty when
    they name none, or several. A name several titles hold ("MPL" in
    "Mozilla Public License Version 1.1" and "... Version 2.0") names the
    one whose title holds the most of the question's other words ("MPL
    2.0")."""
    index = library.index
    coined, others = [], []
    for term in terms:
        held = _holding(term, names)
        # (A word no title holds names nothing: not looked into further.)
        named = bool(held) and _a_coined_name(term.word, index) \
            and not _written_elsewhere(term.word, held, names, library)
        (coined if named else others).append(held)
    naming = [held for held in coined if held]
    if not naming:
        return frozenset()
    alone = [held for held in naming if len(_texts(held, names)) == 1]
    if alone:  # a name one text alone has: "w3m", though "Debian" is in two titles
        named = frozenset().union(*alone)
        return named if len(_texts(named, names)) == 1 else frozenset()
    shared = frozenset.intersection(*naming)
    if not shared:
        return frozenset()  # "MPL code under the GPL": two texts named
    held_by = {number: sum(number in held for held in others) for number in shared}
    most = max(held_by.values())
    named = frozenset(number for number, held in held_by.items() if held == most)
    return named if most and len(_texts(named, names)) == 1 else frozenset()


def _holding(term: QueryTerm, names: DocumentNames) -> frozenset[int]:
    """The documents whose titles hold the term, as any of its forms."""
    return frozenset().union(*(names.documents_by_word.get(form, frozenset()) for form in term.forms | term.stems))


def _written_elsewhere(word: str, held: frozenset[int], names: DocumentNames, library) -> bool:
    """Whether the other documents, those whose titles do not hold the word,
    write it too, in a share of their passages. "Debian" in the title of one
    chapter of the Debian Reference, beside two other chapters that write it
    in 64 of their 500 passages, is the subject of them all, not one's name;
    "gzip", which shutil's page writes in 3 of its 166 passages, is gzip's
    page's name. Counted from the document frequency less the titled
    documents' own passages that write it (read from those documents, as
    they were indexed): no postings are read, so that a sharded index
    scopes a question as one process does."""
    index = library.index
    key = (word, held)
    if key not in names.held_counts:
        names.held_counts[key] = sum(word in analyze(text) for number in held
                                     for text in passage_rows(number, library.document(number))[0])
    elsewhere = index.document_frequency(word) - names.held_counts[key]
    others = len(index.passages) - sum(names.passages_of[n] for n in held)
    return elsewhere > 0 and elsewhere >= WRITTEN_ELSEWHERE * others


def _texts(documents: frozenset[int], names: DocumentNames) -> set[int]:
    return {names.text_of[number] for number in documents}


def _a_coined_name(word: str, index: TfidfIndex) -> bool:
    """A word of the documents' own (the word itself in the corpus, not a typo
    of one), neither an English word a title may use for its own ends nor an
    abbreviation the question was read into ("u.k" for "UK")."""
    return word.isalnum() and index.has_term(word) and not weighted_senses(word)
