"""Which files each shard holds, and the manifest that says so on disk.

A shard holds a contiguous run of the corpus's files in their order, so the
concatenation of the shards numbers documents and passages exactly as the
in-process index does. The ranges are cut where the files' sizes balance and
kept on later builds (a new file joins the shard of the file before it),
so that adding or changing documents recounts only the shards holding them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..corpus import CorpusFile
from ..library import cache_root, index_settings, location_key
from . import ClusterError

MANIFEST_VERSION = 1
MANIFEST = "cluster.json"


@dataclass(frozen=True)
class Shard:
    number: int
    counts: str  # folder (in the index folder) of its raw term counts, passages and documents
    weights: str  # name of its weights file in that folder, for the current global idf
    first_document: int
    documents: int
    first_passage: int
    passages: int
    actor: str  # name of the Ray actor that serves it

    @property
    def last_passage(self) -> int:
        return self.first_passage + self.passages


@dataclass(frozen=True)
class Manifest:
    root: str
    shards: tuple[Shard, ...]
    files: tuple[tuple[str, int, int, int], ...]  # (source, size, mtime_ns, shard): whether the index is current
    global_folder: str  # the whole corpus's vocabulary, idf, document frequencies and passage table
    idf_formula: str
    warnings: tuple[str, ...] = ()
    version: int = MANIFEST_VERSION

    @property
    def passages(self) -> int:
        return sum(s.passages for s in self.shards)

    def save(self, folder: Path) -> None:
        """Written beside and renamed into place: a reader sees the old
        manifest or the new one, never half of one."""
        temporary = folder / f".{MANIFEST}.{os.getpid()}"
        temporary.write_text(json.dumps(asdict(self)))
        os.replace(temporary, folder / MANIFEST)

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise ClusterError(f"the cluster index in {folder} is damaged ({error.__class__.__name__})") from None
        if data.get("version") != MANIFEST_VERSION:
            return None
        return cls(data["root"], tuple(Shard(**s) for s in data["shards"]),
                   tuple(tuple(f) for f in data["files"]), data["global_folder"], data["idf_formula"],
                   tuple(data.get("warnings", ())), data["version"])


def cluster_root() -> Path:
    """Where sharded indexes live: $ASSISTANT_CLUSTER_DIR, else the cache
    folder. On a cluster of several machines, a file system every node
    mounts at the same path (the shard actors load their files from it)."""
    configured = os.environ.get("ASSISTANT_CLUSTER_DIR")
    return Path(configured) if configured else cache_root() / "cluster"


def index_folder(root: Path) -> Path:
    return cluster_root() / location_key(root)


def counts_key(files: list[CorpusFile], max_file_size: int | None) -> str:
    """Names a shard's counts by what they were counted from: the same files
    (paths, sizes, modification times), reading and tokenising."""
    key = hashlib.sha256(f"{index_settings()} {max_file_size}".encode())
    for file in files:
        key.update(f"\0{file.source}\0{file.size}\0{file.mtime_ns}".encode())
    return key.hexdigest()[:20]


def split(files: list[CorpusFile], shards: int, previous: dict[str, int] | None = None) -> list[list[CorpusFile]]:
    """The files of each shard, contiguous runs of the corpus's file order.
    First cut where the sizes balance; then (`previous`: each known file's
    shard) a known file stays in its shard and a new one joins the shard of
    the file before it, so an update touches only the shards it changes."""
    parts: list[list[CorpusFile]] = [[] for _ in range(max(1, shards))]
    if previous is not None:
        current = 0
        for file in files:
            current = min(max(current, previous.get(file.source, current)), len(parts) - 1)
            parts[current].append(file)
        return parts
    total, done = sum(max(f.size, 1) for f in files), 0
    for file in files:
        parts[min(len(parts) - 1, done * len(parts) // total)].append(file)
        done += max(file.size, 1)
    return [part for part in parts if part]
