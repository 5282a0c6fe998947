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
file and its copy are one). Only the
titles and the vocabulary are read, never the postings, so that a sharded
index (assistant/cluster) scopes a question as one process does."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from ..corpus import aliases_of
from ..index import TfidfIndex
from ..lexicon import weighted_senses
from .matching import QueryTerm, sentence_vocabulary

_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class DocumentNames:
    """Each word and stem of the documents' titles and aliases, with the
    documents whose titles hold it; and each document's text number
    (Library.text_numbers: a file and its copy share one)."""

    documents_by_word: dict[str, frozenset[int]]
    text_of: tuple[int, ...]


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
        names = DocumentNames({word: frozenset(numbers) for word, numbers in by_word.items()}, library.text_numbers)
        _NAMES[library] = names
    return names


def named_documents(terms: list[QueryTerm], names: DocumentNames, index: TfidfIndex) -> frozenset[int]:
    """The documents of the one text the question's terms name; empty when
    they name none, or several. A name several titles hold ("MPL" in
    "Mozilla Public License Version 1.1" and "... Version 2.0") names the
    one whose title holds the most of the question's other words ("MPL
    2.0")."""
    coined, others = [], []
    for term in terms:
        (coined if _a_coined_name(term.word, index) else others).append(_holding(term, names))
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


def _texts(documents: frozenset[int], names: DocumentNames) -> set[int]:
    return {names.text_of[number] for number in documents}


def _a_coined_name(word: str, index: TfidfIndex) -> bool:
    """A word of the documents' own (the word itself in the corpus, not a typo
    of one), neither an English word a title may use for its own ends nor an
    abbreviation the question was read into ("u.k" for "UK")."""
    return word.isalnum() and index.has_term(word) and not weighted_senses(word)
