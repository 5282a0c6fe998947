"""Which document a question names, if it names one: "in w3m which key exits
straight away?" asks the w3m manual, not the xargs page beside it that says
"exits", however well that page's sentences match the rest of the question.

A question word names a document when it is a name of the document's own
making, not an English word (WordNet does not know it: "xargs", "MPL", "w3m",
"Debian"; not "system", "parliament" or "Tesla", which other documents use
for their own ends), and the title (or, for a document without a title of its
own, the file's name and the initials people use, its aliases) of that
document holds it and no other document's does. A question that names
documents is asked of them alone when it names exactly one. Only the
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
    documents whose titles hold it."""

    documents_by_word: dict[str, frozenset[int]]


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
        names = DocumentNames({word: frozenset(numbers) for word, numbers in by_word.items()})
        _NAMES[library] = names
    return names


def named_document(terms: list[QueryTerm], names: DocumentNames, index: TfidfIndex) -> int | None:
    """The one document the question's terms name, or None when they name
    none, or several."""
    named: set[int] = set()
    for term in terms:
        if not _a_coined_name(term.word, index):
            continue
        holding: set[int] = set()
        for form in term.forms | term.stems:
            holding |= names.documents_by_word.get(form, frozenset())
        if len(holding) == 1:
            named |= holding
    return next(iter(named)) if len(named) == 1 else None


def _a_coined_name(word: str, index: TfidfIndex) -> bool:
    """A word of the documents' own (the word itself in the corpus, not a typo
    of one), neither an English word a title may use for its own ends nor an
    abbreviation the question was read into ("u.k" for "UK")."""
    return word.isalnum() and index.has_term(word) and not weighted_senses(word)
