"""Lexical knowledge from WordNet 3.0, read from a table shipped in this package.

The table (`wordnet.tsv.gz`) is derived from the WordNet 3.0 database files by
`python -m assistant.lexicon.derive`; see NOTICE for the licence and how. Nothing
outside the package is read at run time. The table is loaded on the first call
(about 0.1 s) and kept; answers are cached per word.

    related("stationed")   -> {"place": 0.8, "post": 0.8, "send": 0.8, "fort": 0.5, "garrison": 0.5, ...}
    phrase_lemma(["they", "threw", "in", "the", "towel"], 1)
                           -> PhraseMatch(length=4, lemma="throw in the towel")
    related("throw in the towel") -> {..., "give up": 0.8, "quit": 0.8, "throw in": 0.8}
    antonyms("increase")   -> frozenset({"decrease"})
    kind_of("november")    -> frozenset({"noun.time"})
    is_a("paris", "city")  -> True
    lemmas("threw")        -> frozenset({"throw"})
    inflections("used")    -> frozenset({"use", "uses", "using"})
    spellings("licences")  -> frozenset({"license"})

Every function takes a word as typed or as text.tokens() gives it, inflected or
not, any case; multiword lemmas are written with spaces ("give up").
"""

from .morphy import inflections, lemma_forms, lemmas
from .phrases import PhraseMatch, find_phrases, phrase_lemma
from .relations import WEIGHTS, RelatedWeights, antonyms, is_a, kind_of, related, spellings, weighted_senses
from .table import load_table

__all__ = [
    "WEIGHTS",
    "PhraseMatch",
    "RelatedWeights",
    "antonyms",
    "find_phrases",
    "inflections",
    "is_a",
    "kind_of",
    "lemma_forms",
    "lemmas",
    "load_table",
    "phrase_lemma",
    "related",
    "spellings",
    "weighted_senses",
]
