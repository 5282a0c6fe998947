"""The sharded index served by Ray against the in-process index, in one run
(`eval/benchmark.py --cluster`; issue 20).

    .venv/bin/pip install -e '.[bench,cluster]'
    .venv/bin/python eval/benchmark.py --cluster                                  # 1M passages: 1, 2, 4 shards
    .venv/bin/python eval/benchmark.py --cluster --sizes 100k --cluster-shards 2  # to try it

The corpus is the benchmark's passages (5 real SQuAD sentences each, fixed
seed) written as plain-text files of 1,000 passages, a blank line between
them, so that a shard is a range of files as in use. Each engine runs in a
fresh worker process (benchmark.run_in_worker):
- in-process: `open_library` into an empty cache folder, what `assistant
  index` does (read, count, weigh, save): the serial build;
- cluster-N: a local Ray instance of all the machine's cores, `index_cluster`
  with N shards (read and count as Ray tasks, global idf on the driver,
  weigh and save as Ray tasks): the sharded build; then the shard actors
  started and the console's library opened over them (attach).
Then for each, the retriever alone, `library.index.search(question, 10)` on
1,000 real SQuAD questions: p50/p95 one at a time, and queries per second
with 8 in flight (8 threads). For the cluster also: the bytes a query sends
and receives (pickled), each shard's files and its actor's resident memory,
and an update (one file changed): re-indexing as built (that shard recounted,
every shard weighed again from its saved raw counts) against the other
strategy, raw counts kept and weights made at query time, whose update needs
each passage's norm again (the first pass of the weighing, measured as Ray
tasks over the same shards). Written as JSON to --cluster-out.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PASSAGES_PER_FILE = 1000
IN_FLIGHT = 8


def write_corpus_files(folder: Path, size: int, sentences: list[str], seed: int, per_passage: int) -> None:
    """`size` passages in files of PASSAGES_PER_FILE. Sentences holding what
    plain text's reader takes for a web page's footer ("subscribe", "©"...)
    are left out: past the middle of a file, it would leave the rest of the
    file out of the index, and every passage written is to be indexed."""
    from assistant.corpus import _FOOTER_MARKS

    sentences = [s for s in sentences if not _FOOTER_MARKS.search(s)]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(0, size, PASSAGES_PER_FILE):
        count = min(PASSAGES_PER_FILE, size - first)
        passages = [" ".join(rng.choice(sentences) for _ in range(per_passage)) for _ in range(count)]
        (folder / f"part-{first // PASSAGES_PER_FILE:06d}.txt").write_text("\n\n".join(passages) + "\n", encoding="utf-8")


def _unlimited():
    from assistant.corpus import Limits

    # The corpus limit (1 GB by default) would leave most of 5M passages (3.9 GB) out.
    return Limits(max_file_size=1 << 40, max_corpus_size=1 << 40)


def _latencies(search, questions: list[str]) -> dict:
    for question in questions[:20]:  # warm: first touches of the mapped files
        search(question)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        search(question)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    started = time.perf_counter()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        list(pool.map(search, questions))
    return {"query_p50_ms": statistics.median(latencies), "query_p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
            "qps_8_in_flight": len(questions) / (time.perf_counter() - started)}


def worker(engine: str, corpus: Path, questions_path: Path, store: Path) -> dict:
    questions = json.loads(questions_path.read_text(encoding="utf-8"))
    if engine == "in-process":
        from assistant.library import open_library

        started = time.perf_counter()
        library = open_library(corpus, cache_dir=store, limits=_unlimited())
        build = time.perf_counter() - started
        index = library.index
        result = {"engine": engine, "passages": len(index.passages), "build_s": build}
        result.update(_latencies(lambda q: index.search(q, 10), questions))
        return result
    shards = int(engine.removeprefix("cluster-"))
    os.environ["ASSISTANT_CLUSTER_DIR"] = str(store / "index")
    import ray

    ray_folder = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's sockets live under it
    ray.init(num_cpus=os.cpu_count(), namespace="assistant", include_dashboard=False, log_to_driver=False,
             _temp_dir=ray_folder)
    try:
        return _cluster(ray, engine, shards, corpus, questions, store)
    finally:
        ray.shutdown()
        shutil.rmtree(ray_folder, ignore_errors=True)


def _cluster(ray, engine: str, shards: int, corpus: Path, questions: list[str], store: Path) -> dict:
    from assistant.cluster.attach import index_cluster, open_cluster_library
    from assistant.cluster.layout import index_folder

    started = time.perf_counter()
    manifest, _, _, _ = index_cluster(corpus, None, shards, _unlimited())
    build = time.perf_counter() - started
    started = time.perf_counter()
    library = open_cluster_library(corpus, None, _unlimited())
    attach = time.perf_counter() - started
    started = time.perf_counter()
    library = open_cluster_library(corpus, None, _unlimited())  # as a later console: the shard actors run already
    reattach = time.perf_counter() - started
    index = library.index
    result = {"engine": engine, "shards": len(manifest.shards), "passages": len(index.passages), "build_s": build,
              "attach_s": attach, "attach_again_s": reattach}
    result.update(_latencies(lambda q: index.search(q, 10), questions))
    result.update(_network_bytes(ray, index, questions[:200]))
    folder = index_folder(corpus)
    result["shard_files_mb"] = [round(sum(p.stat().st_size for p in (folder / s.counts).iterdir()) / 1e6, 1)
                                for s in manifest.shards]
    result["shard_resident_mb"] = [round(x, 1) for x in ray.get([a.resident_mb.remote() for a in index.actors])]
    result.update(_update(ray, corpus, manifest))
    return result


def _network_bytes(ray, index, questions: list[str]) -> dict:
    """What a query sends to each shard (its weighted terms, k) and what
    comes back from all of them, as pickled (Ray's serialisation is
    pickle protocol 5)."""
    from assistant.index import analyze

    sent, received = [], []
    for question in questions:
        terms = index.query_weights(analyze(question))
        replies = ray.get([a.search.remote(terms, 10) for a in index.actors])
        sent.append(len(pickle.dumps((terms, 10), protocol=5)) * len(index.actors))
        received.append(sum(len(pickle.dumps(r, protocol=5)) for r in replies))
    return {"bytes_sent_per_query": statistics.median(sent), "bytes_received_per_query": statistics.median(received)}


def _update(ray, corpus: Path, manifest) -> dict:
    """One file changed: the update as built, and the other strategy's cost."""
    import numpy as np

    from assistant.cluster import shard
    from assistant.cluster.attach import index_cluster
    from assistant.cluster.layout import index_folder
    from assistant.cluster.weights import global_blocks, weigh_shard

    changed = sorted(corpus.iterdir())[0]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original + "\nThe benchmark added this paragraph about the Laukkai defectors.\n",
                       encoding="utf-8")
    started = time.perf_counter()
    after, _, _, _ = index_cluster(corpus, None, None, _unlimited())
    update = time.perf_counter() - started
    recounted = sum(a.counts != b.counts for a, b in zip(manifest.shards, after.shards))
    folder = index_folder(corpus)
    globals_ = folder / after.global_folder
    vocabulary, idf = np.load(globals_ / "vocabulary.npy"), np.load(globals_ / "idf.npy")
    blocks = global_blocks(np.load(globals_ / "document_frequency.npy"))

    def weigh_again(counts_folder: str) -> float:  # strategy A's step 3 alone
        started = time.perf_counter()
        counts, terms = shard.load_counts(Path(counts_folder))
        weights, _ = weigh_shard(counts, terms, vocabulary, idf, blocks)
        np.save(Path(counts_folder) / "weights-benchmark.npy", weights)
        return time.perf_counter() - started

    def norms_only(counts_folder: str) -> float:  # strategy B: each passage's norm for the new idf
        started = time.perf_counter()
        counts, terms = shard.load_counts(Path(counts_folder))
        own_idf = idf[np.searchsorted(vocabulary, terms)]
        tf = np.ones(len(counts.data), dtype=np.float32)
        repeated = np.flatnonzero(counts.data > 1)
        tf[repeated] += np.log(counts.data[repeated].astype(np.float32))
        tf *= np.repeat(own_idf, np.diff(counts.indptr))
        squares = np.bincount(counts.indices, weights=tf * tf, minlength=counts.shape[0])
        np.save(Path(counts_folder) / "norms-benchmark.npy", (1 / np.sqrt(squares)).astype(np.float32))
        return time.perf_counter() - started

    folders = [str(folder / s.counts) for s in after.shards]
    started = time.perf_counter()
    ray.get([ray.remote(num_cpus=1)(weigh_again).remote(f) for f in folders])
    weigh_all = time.perf_counter() - started
    started = time.perf_counter()
    ray.get([ray.remote(num_cpus=1)(norms_only).remote(f) for f in folders])
    norms_all = time.perf_counter() - started
    for f in folders:
        for name in ("weights-benchmark.npy", "norms-benchmark.npy"):
            (Path(f) / name).unlink(missing_ok=True)
    changed.write_text(original, encoding="utf-8")  # the corpus as made, for the next engine
    return {"update_one_file_s": update, "update_shards_recounted": recounted,
            "update_reweigh_all_s": weigh_all, "update_norms_only_s": norms_all,
            "update_query_time_weights_s": update - weigh_all + norms_all}


IN_PROCESS_MAX = 1_000_000


def run_cluster(sizes: list[int], shard_counts: list[int], sentences: list[str], questions: list[str], seed: int,
                per_passage: int, timeout: int, out: Path) -> int:
    import benchmark

    load_before = os.getloadavg()
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="assistant-cluster-bench-", dir="/tmp") as folder:
        work = Path(folder)
        questions_path = work / "questions.json"
        questions_path.write_text(json.dumps(questions), encoding="utf-8")
        for size in sizes:
            corpus = work / f"corpus-{size}"
            write_corpus_files(corpus, size, sentences, seed, per_passage)
            # The in-process build holds about 4-5 GB a million passages (eval/benchmark-results.json):
            # past IN_PROCESS_MAX it does not fit in this machine's 24 GiB, and the shards are measured alone.
            reference = ["in-process"] if size <= IN_PROCESS_MAX else []
            for engine in [*reference, *(f"cluster-{n}" for n in shard_counts)]:
                result = benchmark.run_in_worker(["--worker", engine, "--corpus", str(corpus),
                                                  "--questions-file", str(questions_path)], engine, work, timeout)
                if result and result["passages"] != size:
                    print(f"  {size:,} {engine}: built {result['passages']:,} passages, not {size:,}", file=sys.stderr)
                    return 1
                if result:
                    rows.append({"size": size, **result, "load_after": round(os.getloadavg()[0], 2)})
                    print(f"  {size:,} {engine}: build {result['build_s']:.1f} s, p50 {result['query_p50_ms']:.2f} ms, "
                          f"p95 {result['query_p95_ms']:.2f} ms", file=sys.stderr)
            shutil.rmtree(corpus)
    report = {"cores": os.cpu_count(), "questions": len(questions), "passages_per_file": PASSAGES_PER_FILE,
              "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
              "run_s": round(time.perf_counter() - started, 1), "rows": rows}
    print(format_cluster(report))
    benchmark.save_report(report, out)
    return 0


def format_cluster(report: dict) -> str:
    header = ["passages", "engine", "build s", "× serial", "p50 ms", "p95 ms", "× in-process", "qps (8)"]
    lines = []
    for row in report["rows"]:
        reference = next((r for r in report["rows"] if r["engine"] == "in-process" and r["size"] == row["size"]), None)
        build = f"{row['build_s'] / reference['build_s']:.2f}" if reference else "—"
        p95 = f"{row['query_p95_ms'] / reference['query_p95_ms']:.2f}" if reference else "—"
        lines.append([f"{row['size']:,}", row["engine"], f"{row['build_s']:.1f}", build, f"{row['query_p50_ms']:.2f}",
                      f"{row['query_p95_ms']:.2f}", p95, f"{row['qps_8_in_flight']:.0f}"])
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(len(header))]
    return "\n".join("  ".join(str(c).rjust(w) for c, w in zip(line, widths)) for line in [header, *lines])
