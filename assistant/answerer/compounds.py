"""Words of a question that the documents write otherwise: apart
("Apache-licensed" where a licence says "Licensed under the Apache
License", "GPLv3" where it says "GNU GPL ... version 3", "username" where a
manual says "user name"). Such a word, never written so in the documents,
is asked as its parts; a word the documents do write stays whole
("procps-ng", "www-data"). (A compound they write joined, "thread-safe"
as "threadsafe", is one word in two spellings: matching.expand.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ..index import STOP_WORDS
from ..lexicon import lemmas

_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_]{2,}(?:-[^\W\d_]{2,})+)(?![\w-])")
# Letters glued to a version or number: "GPLv3", "gpl3", "Python3.12".
_GLUED = re.compile(r"(?<![\w.-])([A-Za-z]{2,}?)([vV]?)(\d+(?:\.\d+)?)(?![\w-])")
# A word long enough to be two words run together ("username", "webserver").
_RUN_TOGETHER = re.compile(r"(?<![\w-])[a-z]{6,}(?![\w-])")
MIN_PART = 3  # letters of each part a run-together word is split into


def written_apart(question: str, has_term: Callable[[str], bool],
                  passages_with: Callable[[list[str]], Iterable[str]]) -> str:
    """The question with each word the documents never write, but write
    the parts of, as those parts. `has_term` says whether the index holds a
    (lower-case) word; `passages_with` gives, one at a time, the texts of
    the passages that best match all the words given."""
    def glued(match: re.Match[str]) -> str:
        word, letters, number = match.group(0), match.group(1), match.group(3)
        known = letters.lower()
        if has_term(word.lower()) or not has_term(known) or known in STOP_WORDS:
            return word
        return f"{letters} {number}"

    def written(parts: list[str]) -> bool:
        """Whether the passages that best match the parts write them side by
        side (apart, hyphenated or joined)."""
        pattern = re.compile(r"(?<!\w)" + r"[\s‐-]?".join(re.escape(p) for p in parts) + r"(?!\w)", re.IGNORECASE)
        return any(pattern.search(text) for text in passages_with([p.lower() for p in parts]))

    def compound(match: re.Match[str]) -> str:
        word = match.group(1)
        parts = word.split("-")
        known = [p.lower() for p in parts]
        if not all(has_term(p) for p in known) or any(p in STOP_WORDS for p in known):
            return word
        if written(parts):
            return word
        return " ".join(parts)

    def run_together(match: re.Match[str]) -> str:
        word = match.group(0)
        if has_term(word) or lemmas(word):
            return word  # a word the documents or the language know ("goalkeeper")
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            parts = [word[:cut], word[cut:]]
            if all(has_term(p) and p not in STOP_WORDS for p in parts) and written(parts):
                return " ".join(parts)  # "username" where the documents write "user name"
        return word

    if "-" in question:
        question = _COMPOUND.sub(compound, question)
    question = _RUN_TOGETHER.sub(run_together, question)
    return _GLUED.sub(glued, question)
