"""The console's side of a sharded index: the whole corpus's vocabulary, idf,
document frequencies and passage table (small, memory-mapped), and a search
that sends a query's terms to every shard at once and merges their best.

It is a TfidfIndex to the answerer: the same `search_terms`,
`first_mentions`, `has_term`, `idf_of`, `vocabulary` and `passages`, so the
answerer runs unchanged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..index import Hit, PassageTable, TfidfIndex
from .layout import Shard

SEARCH_TIMEOUT = 30.0  # seconds a shard may take to answer, restarts included
RETRY_TIMEOUT = 60.0  # a restarted shard maps its files again: seconds allowed for it to come back
RETRY_PAUSE = 0.2  # seconds between calls to a shard that is still restarting


@dataclass(frozen=True)
class Unsearched:
    """A part of the corpus a question was not searched in."""

    shard: int
    shards: int
    first_document: int
    last_document: int  # exclusive
    first_source: str
    last_source: str

    def describe(self) -> str:
        documents = self.last_document - self.first_document
        which = (self.first_source if documents == 1
                 else f"{self.first_source} … {self.last_source}")
        return (f"shard {self.shard + 1} of {self.shards} ({documents:,} document{'s' if documents != 1 else ''}: "
                f"{which}) did not answer")


class ShardedIndex(TfidfIndex):
    def __init__(self, ray, actors: list, shards: tuple[Shard, ...], vocabulary: np.ndarray, idf: np.ndarray,
                 document_frequency: np.ndarray, passages: PassageTable, sources: list[str]):
        super().__init__(None, idf, vocabulary, passages)
        self._ray = ray
        self.actors = actors
        self.shards = shards
        self.frequency = document_frequency
        self._sources = sources
        self.unsearched: dict[int, Unsearched] = {}  # since the last `take_unsearched`
        self.retries = 0  # shard calls asked a second time, since opened
        self.last_texts: dict[int, str] = {}  # the last search's passages' texts, as the shards sent them

    def document_frequency(self, term: str) -> int:
        column = self.column(term)
        return 0 if column is None else int(self.frequency[column])

    def counts(self):
        raise NotImplementedError("a sharded index keeps its counts in its shards")

    def search_terms(self, weighted_terms: dict[str, float], k: int) -> list[Hit]:
        """The best k passages over every shard, in the in-process index's
        order (score descending, passage ascending). A shard that fails is
        asked again while Ray restarts it from its files; one that is dead
        for good, or not back in time, is left out and recorded in `unsearched`."""
        # Only the terms some shard holds travel; the order is kept (scores
        # are summed term by term, as in-process).
        terms = {t: w for t, w in weighted_terms.items() if w != 0 and self.column(t) is not None}
        if not terms or k < 1:
            return []
        replies = self._ask_all(lambda actor: actor.search.remote(terms, k))
        if not replies:
            return []
        passages = np.concatenate([r.passages for r in replies])
        scores = np.concatenate([r.scores for r in replies])
        order = np.lexsort((passages, -scores))[:k]
        texts = {int(p): t for r in replies for p, t in zip(r.passages.tolist(), r.texts)}
        self.last_texts = {int(passages[i]): texts[int(passages[i])] for i in order}
        return [Hit(int(passages[i]), float(scores[i])) for i in order]

    def first_mentions(self, term: str, per_document: int) -> list[Hit]:
        """Each shard's documents' first passages holding `term`, as the
        in-process index gives them (a shard holds whole documents)."""
        if self.column(term) is None:
            return []
        replies = self._ask_all(lambda actor: actor.first_mentions.remote(term, per_document))
        if not replies:
            return []
        passages = np.concatenate([passages for passages, _ in replies])
        scores = np.concatenate([scores for _, scores in replies])
        order = np.argsort(passages, kind="stable")
        return [Hit(int(passages[i]), float(scores[i])) for i in order]

    def _ask_all(self, call) -> list:
        """Every shard's reply to `call(actor)` (a remote call)."""
        ray = self._ray
        pending = {number: call(actor) for number, actor in enumerate(self.actors)}
        replies, failed = [], []
        for number, reference in pending.items():
            try:
                replies.append(ray.get(reference, timeout=SEARCH_TIMEOUT))
            except (ray.exceptions.RayError, TimeoutError):
                failed.append(number)
        for number in failed:  # asked again: Ray restarts a killed shard (max_restarts)
            self.retries += 1
            reply = self._ask_restarted(number, call)
            if reply is None:
                self.unsearched[number] = self._part(number)
            else:
                replies.append(reply)
        return replies

    def _ask_restarted(self, number: int, call):
        """The shard's reply once it is back, or None when it is dead for
        good or not back within RETRY_TIMEOUT. A call that reaches a shard
        while it is still restarting fails at once (ActorUnavailableError),
        so it is asked again until the deadline; a dead one is not waited for."""
        ray = self._ray
        dead = getattr(ray.exceptions, "ActorDiedError", ())  # Ray >= 2.11; before, every failure is waited on
        deadline = time.monotonic() + RETRY_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                return ray.get(call(self.actors[number]), timeout=left)
            except dead:
                return None
            except (ray.exceptions.RayError, TimeoutError):
                time.sleep(RETRY_PAUSE)
        return None

    def _part(self, number: int) -> Unsearched:
        shard = self.shards[number]
        last = shard.first_document + shard.documents
        sources = self._sources[shard.first_document:last] or ["(no documents)"]
        return Unsearched(number, len(self.shards), shard.first_document, last, sources[0], sources[-1])

    def take_unsearched(self) -> list[Unsearched]:
        found, self.unsearched = sorted(self.unsearched.values(), key=lambda u: u.shard), {}
        return found
