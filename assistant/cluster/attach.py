"""Connecting to Ray and to the shard actors, and the library and assistant a
command answers from with --cluster.

`--cluster` alone starts an in-process Ray instance for the command (its
actors end with it); `--cluster auto` or an address joins a running cluster
(`ray start --head`, KubeRay), where the shard actors are named and
detached: the first command creates them, later ones attach in milliseconds.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..answerer import Assistant
from ..corpus import Limits
from ..index import PassageTable
from ..library import DocumentEntry, Library
from . import NAMESPACE, ClusterError, import_ray
from .build import build_index, corpus_files
from .layout import Manifest, index_folder
from .shard import ShardServer, read_documents_note
from .sharded_index import ShardedIndex

LOCAL = "local"  # --cluster with no address: a Ray instance of this process's own
MAX_RESTARTS = 4  # a shard actor killed (or its worker lost) is restarted this often, from its files
START_TIMEOUT = 120.0  # seconds for the shard actors to map their files
CONNECT_TIMEOUT = 5.0  # seconds for a cluster's address to answer at all


def connect(address: str | None):
    """The ray module, connected: to the instance this process already runs
    (a test's), else a new local one (`address` None or "local"), else the
    cluster at `address` ("auto", "host:port", "ray://host:port")."""
    ray = import_ray()
    if ray.is_initialized():
        return ray
    options = {"namespace": NAMESPACE, "logging_level": logging.ERROR, "log_to_driver": False}
    if address not in (None, LOCAL, "auto"):
        _check_reachable(address)
    try:
        if address in (None, LOCAL):
            ray.init(include_dashboard=False, **options)
        else:
            ray.init(address=address, **options)
    except ConnectionError as error:
        if address == "auto":
            raise ClusterError("--cluster auto: no running Ray cluster found (start one with 'ray start --head', "
                               "or give --cluster alone for one of this command's own)") from None
        raise ClusterError(f"cannot reach the Ray cluster at {address}: {str(error).splitlines()[0]}") from None
    except (RuntimeError, ValueError) as error:
        where = "a local Ray instance" if address in (None, LOCAL) else f"the Ray cluster at {address}"
        raise ClusterError(f"cannot start or reach {where}: {str(error).splitlines()[0] if str(error) else error}") \
            from None
    return ray


def _check_reachable(address: str) -> None:
    """Ray keeps trying an address that does not answer for minutes, logging
    as it goes: a plain connection is tried first, for a few seconds."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "localhost", int(port)), timeout=CONNECT_TIMEOUT):
            pass
    except ValueError:
        raise ClusterError(f"--cluster {address}: not an address (HOST:PORT, ray://HOST:PORT or auto)") from None
    except OSError as error:
        raise ClusterError(f"cannot reach the Ray cluster at {address}: {error.strerror or error}") from None


def shard_actors(ray, folder: Path, manifest: Manifest) -> list:
    """The named, detached actors serving the manifest's shards: found when
    running, created (from their files) when not."""
    server = ray.remote(ShardServer)
    actors = [
        server.options(name=shard.actor, namespace=NAMESPACE, lifetime="detached", get_if_exists=True,
                       max_restarts=MAX_RESTARTS, num_cpus=0, scheduling_strategy="SPREAD")
        .remote(str(folder / shard.counts), shard.weights, shard.first_passage, shard.first_document)
        for shard in manifest.shards
    ]
    try:
        ray.get([actor.ping.remote() for actor in actors], timeout=START_TIMEOUT)
    except (ray.exceptions.RayError, TimeoutError) as error:
        raise ClusterError(f"the shard actors did not start: {str(error).splitlines()[0]}") from None
    return actors


def retire_actors(ray, names: set[str]) -> None:
    """Stop the actors of shards an update replaced."""
    for name in names:
        try:
            ray.kill(ray.get_actor(name, namespace=NAMESPACE), no_restart=True)
        except (ValueError, ray.exceptions.RayError):
            pass  # gone already


def index_cluster(root: Path, address: str | None, shards: int | None, limits: Limits
                  ) -> tuple[Manifest, bool, list[str], object]:
    """Build or update the sharded index of `root` (`assistant index
    --cluster`): (manifest, whether anything was built, warnings, ray)."""
    ray = connect(address)
    warnings: list[str] = []
    old = Manifest.load(index_folder(root))
    manifest, built = build_index(ray, root, shards, limits, warnings)
    if old is not None and built:
        retire_actors(ray, {s.actor for s in old.shards} - {s.actor for s in manifest.shards})
    return manifest, built, warnings + list(manifest.warnings), ray


def serve_cluster(root: Path, address: str | None, shards: int | None, limits: Limits
                  ) -> tuple[Manifest, bool, list[str]]:
    """`assistant index --cluster ADDRESS`: the index built or updated, and on
    a running cluster its shard actors started, for later commands to attach
    to (an in-process instance's actors would end with the command)."""
    manifest, built, warnings, ray = index_cluster(root, address, shards, limits)
    if address not in (None, LOCAL):
        shard_actors(ray, index_folder(root), manifest)
    return manifest, built, warnings


def open_cluster_library(root: Path, address: str | None, limits: Limits | None = None,
                         shards: int | None = None) -> Library:
    """The library of `root` over its shard actors (its index built or
    brought up to date first, as the in-process library is)."""
    limits = limits or Limits()
    manifest, _, warnings, ray = index_cluster(root, address, shards, limits)
    folder = index_folder(root)
    actors = shard_actors(ray, folder, manifest)
    files, _ = corpus_files(root, limits)
    entries = [DocumentEntry(**e) for s in manifest.shards for e in read_documents_note(folder / s.counts)["documents"]]
    by_source = {f.source: f for f in files}
    missing = [e.source for e in entries if e.source not in by_source]
    if missing:  # removed since the index was brought up to date, a moment ago
        raise ClusterError(f"{missing[0]} left the corpus while it was indexed: run the command again")
    kept = [by_source[e.source] for e in entries]

    def array(name: str) -> np.ndarray:
        return np.load(folder / manifest.global_folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

    table = PassageTable(array("passage_document"), array("passage_paragraph"), array("passage_start"),
                         array("passage_end"))
    index = ShardedIndex(ray, actors, manifest.shards, array("vocabulary"), array("idf"), array("document_frequency"),
                         table, [e.source for e in entries])
    return Library(str(root), entries, index, kept, None, warnings, from_cache=True, limits=limits)


class ClusterAssistant(Assistant):
    """The assistant over a sharded index. When a shard stayed down through
    a question, the answer says which part of the corpus was not searched."""

    def ask(self, question: str, k: int = 3, conversation=None):
        index = self.library.index
        index.take_unsearched()
        answer = super().ask(question, k, conversation)
        missing = index.take_unsearched()
        if not missing:
            return answer
        note = ("Not searched: " + "; ".join(m.describe() for m in missing)
                + ". This answer comes from the rest of the documents.")
        return replace(answer, message=f"{answer.message} {note}" if answer.message else note)


def open_cluster_assistant(root: Path, address: str | None, limits: Limits | None = None) -> ClusterAssistant:
    return ClusterAssistant(open_cluster_library(root, address, limits))
