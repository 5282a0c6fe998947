"""Speed and memory of this project's retriever and whole answer against
tantivy, bm25s and rank_bm25, each engine measured in its own process.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python eval/benchmark.py                      # 10k passages, a few minutes
    .venv/bin/python eval/benchmark.py --sizes 10k,100k,1m  # the full run (about an hour)

Passages are 5 real English sentences drawn at random (fixed seed) from the
SQuAD paragraphs in ../shared/data; questions are 1,000 real SQuAD questions.
For every engine and size: index build time, saved index size, load time,
peak memory (the worker process's maximum resident set) and query latency
p50/p95 (one query a call, top 10). Build and load are medians of --repeats
runs. One table with ratios to tantivy measured in the same run is printed
and written as JSON (--out). No timing is asserted anywhere in the tests.

    .venv/bin/python eval/benchmark.py --hostile            # hostile questions, 10k passages

--hostile measures instead the whole answer to hostile questions of 1,000
characters (the longest a question may be), family by family (long runs of
one character, nested brackets, thousands of capitalised words, "a.a.a...",
"1,000,000,...", dates, URLs, question words), on the same corpus as the
assistant-answer engine: the median and the slowest question of each family,
in ms (target: under 100 ms each). Written as JSON to --hostile-out.

    .venv/bin/python eval/benchmark.py --cluster                       # 1M passages, 1/2/4 shards

--cluster measures instead the sharded index served by Ray (eval/cluster_speed.py):
build time, query p50/p95 and queries per second with 8 in flight at 1M passages
(--sizes 1m,5m for both), 1, 2 and 4 shards (--cluster-shards) on a local Ray
instance, against the in-process index measured in the same run; also the bytes a
query moves, the shards' memory and an update's cost. Written to --cluster-out.

    .venv/bin/python eval/benchmark.py --formats                       # a few minutes
    .venv/bin/python eval/benchmark.py --formats --formats-scale 0.1   # a tenth of the inputs
    .venv/bin/python eval/benchmark.py --formats pdf,text              # some formats only

--formats measures instead indexing throughput per format (eval/format_speed.py):
inputs made in a temporary folder, the same every run, from real text (a PDF of
1,000 pages and 300 Word, 1,000 Markdown and 5,000 plain-text documents of SQuAD
paragraphs, 1,000 documentation-style HTML pages of the same, and 5,000 real news
pages, the article extraction benchmark's 181 cycled); for each format, in fresh
processes, the extraction library alone on the files and the project's `assistant
index` on the folder (its reading and its whole build): files/s, pages/s, MB/s and
the project's time as a multiple of the library's; on plain text, tantivy's build
(`tantivy_build`) on the same files, and the ratio (target: at most 2x). Written
as JSON to --formats-out; --formats-repeats N reports medians of N runs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "squad"
ENGINES = ("tantivy", "assistant-retriever", "assistant-answer", "bm25s", "rank_bm25")
HOSTILE_LENGTH = 1000  # characters: the longest question the assistant takes (MAX_QUESTION_CHARS)
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
SENTENCES_PER_PASSAGE = 5
PASSAGES_PER_DOCUMENT = 20  # the whole-answer engine groups passages into documents


# --- the data ----------------------------------------------------------------------


def squad_files() -> list[Path]:
    return [p for p in (DATA / "dev-v1.1.json", DATA / "dev-v2.0.reconstructed.json") if p.exists()]


def real_sentences() -> list[str]:
    from assistant.text import sentence_spans

    seen, sentences = set(), []
    for path in squad_files():
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                context = paragraph["context"]
                for span in sentence_spans(context):
                    sentence = span.of(context).replace("\n", " ")
                    if len(sentence) > 20 and sentence not in seen:
                        seen.add(sentence)
                        sentences.append(sentence)
    return sentences


def real_questions(count: int, seed: int) -> list[str]:
    questions = []
    for path in squad_files():
        for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
            for paragraph in article["paragraphs"]:
                questions.extend(qa["question"].strip() for qa in paragraph["qas"])
    questions = sorted(set(questions))
    random.Random(seed).shuffle(questions)
    return questions[:count]


def write_corpus(path: Path, size: int, sentences: list[str], seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(size):
            out.write(" ".join(rng.choice(sentences) for _ in range(SENTENCES_PER_PASSAGE)) + "\n")


# --- one engine in its own process --------------------------------------------------


def peak_memory_mb() -> float:
    """The worker's peak resident set plus the largest of its children's (an
    engine that counts on a second core pays for that process too)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # kilobytes on Linux


def folder_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def worker(engine: str, corpus_path: Path, questions_path: Path, store: Path) -> dict:
    passages = corpus_path.read_text(encoding="utf-8").splitlines()
    questions = json.loads(questions_path.read_text(encoding="utf-8"))
    build, load, search = ENGINE_FUNCTIONS[engine]
    started = time.perf_counter()
    built = build(passages, store)
    build_seconds = time.perf_counter() - started
    del built
    size = folder_size_mb(store)
    started = time.perf_counter()
    searcher = load(store, passages)
    load_seconds = time.perf_counter() - started
    latencies = []
    for question in questions:
        started = time.perf_counter()
        search(searcher, question)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "engine": engine,
        "passages": len(passages),
        "build_s": build_seconds,
        "index_mb": size,
        "load_s": load_seconds,
        "peak_mb": peak_memory_mb(),
        "query_p50_ms": statistics.median(latencies),
        "query_p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
    }


# assistant: the retriever alone, and the whole answer (retrieve + rules)

def assistant_build(passages, store):
    import numpy as np

    from assistant.index import PassageTable, TfidfIndex

    count = len(passages)
    table = PassageTable(np.arange(count, dtype=np.int32) // PASSAGES_PER_DOCUMENT,
                         np.arange(count, dtype=np.int32) % PASSAGES_PER_DOCUMENT + 1,
                         np.zeros(count, np.int64), np.zeros(count, np.int64))
    index = TfidfIndex.build(passages, table)
    index.save(store)
    return index


def assistant_load(store, passages):
    from assistant.index import TfidfIndex

    return TfidfIndex.load(store)


def assistant_search(index, question):
    return index.search(question, 10)


def answer_build(passages, store):
    from assistant.library import build_library

    library = build_library("bench", _documents(passages))
    library.index.save(store)
    return library


def answer_load(store, passages):
    from assistant.answerer import Assistant
    from assistant.index import TfidfIndex
    from assistant.library import DocumentEntry, Library

    documents = _documents(passages)
    entries = [DocumentEntry(d.source, d.source, len(d.text), 0, len(d.paragraphs)) for d in documents]
    return Assistant(Library("bench", entries, TfidfIndex.load(store), None, documents))


def answer_search(assistant, question):
    return assistant.ask(question, k=3)


def _documents(passages):
    from assistant.corpus import document_from_paragraphs

    return [
        document_from_paragraphs(f"doc{i // PASSAGES_PER_DOCUMENT}", f"doc{i // PASSAGES_PER_DOCUMENT}",
                                 passages[i : i + PASSAGES_PER_DOCUMENT])
        for i in range(0, len(passages), PASSAGES_PER_DOCUMENT)
    ]


# tantivy

def tantivy_build(passages, store):
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False)
    builder.add_unsigned_field("id", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema, path=str(store))
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for number, text in enumerate(passages):
        writer.add_document(tantivy.Document(body=text, id=number))
    writer.commit()
    writer.wait_merging_threads()
    return index


def tantivy_load(store, passages):
    import tantivy

    index = tantivy.Index.open(str(store))
    index.reload()
    return index, index.searcher()


_QUERY_WORD = re.compile(r"\w+")


def tantivy_search(loaded, question):
    index, searcher = loaded
    query = index.parse_query(" ".join(_QUERY_WORD.findall(question)) or "x", ["body"])
    return searcher.search(query, 10).hits


# bm25s

def bm25s_build(passages, store):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(passages, stopwords="en", show_progress=False), show_progress=False)
    retriever.save(str(store))
    return retriever


def bm25s_load(store, passages):
    import bm25s

    return bm25s.BM25.load(str(store), mmap=True)


def bm25s_search(retriever, question):
    tokens = __import__("bm25s").tokenize([question], stopwords="en", show_progress=False)
    return retriever.retrieve(tokens, k=10, show_progress=False, n_threads=1)


# rank_bm25 (no saved form: "load" rebuilds, so only the 10k size is run)

def rank_build(passages, store):
    from rank_bm25 import BM25Okapi

    store.mkdir(exist_ok=True)
    return BM25Okapi([_QUERY_WORD.findall(p.lower()) for p in passages])


def rank_load(store, passages):
    return rank_build(passages, store)


def rank_search(bm25, question):
    scores = bm25.get_scores(_QUERY_WORD.findall(question.lower()))
    return sorted(range(len(scores)), key=scores.__getitem__)[-10:]


ENGINE_FUNCTIONS = {
    "tantivy": (tantivy_build, tantivy_load, tantivy_search),
    "assistant-retriever": (assistant_build, assistant_load, assistant_search),
    "assistant-answer": (answer_build, answer_load, answer_search),
    "bm25s": (bm25s_build, bm25s_load, bm25s_search),
    "rank_bm25": (rank_build, rank_load, rank_search),
}


# --- hostile questions --------------------------------------------------------------

# What a question is made of, repeated to the length limit: the inputs that
# make a backtracking pattern run away (the families of tests/test_hostile_input.py).
HOSTILE_UNITS = {
    "letters": "a", "capitals": "A", "digits": "1", "dots": ".", "commas": ",", "hyphens": "-", "apostrophes": "'",
    "spaces": " ", "capitalised words": None, "a.a.a.": "a.", "A.B.C.": "A.", "1,1,1,": "1,", "1,000,000,": ",000",
    "hyphenated": "a-", "compound": "people-", "number words": "one ", "dates": "January 1, 2020, ", "URL": "https://example.com/a/b?c=1&d=", "nested brackets": None,
    "nested quotes": None, "question words": "who what when ", "of the": "of the ", "initials": "A. B. ",
}
HOSTILE_OPENINGS = ("", "Who ", "How many ", "What is the ", "When did ")


def _hostile_filling(family: str, length: int) -> str:
    if family == "capitalised words":
        return " ".join(chr(65 + i % 26) + chr(97 + (i // 26) % 26) for i in range(length // 3 + 1))
    if family in ("nested brackets", "nested quotes"):
        opening, closing = ("(", ")") if family == "nested brackets" else ("“‘\"", "\"’”")
        return opening * (length // (2 * len(opening))) + "a" + closing * (length // (2 * len(closing)))
    unit = HOSTILE_UNITS[family]
    return unit * (length // len(unit) + 1)


def hostile_questions(length: int = HOSTILE_LENGTH) -> dict[str, list[str]]:
    """Family -> questions of at most `length` characters, one per opening,
    written as the assistant reads them (white space made single spaces)."""
    questions = {}
    for family in HOSTILE_UNITS:
        made = (" ".join((opening + _hostile_filling(family, length)).split())[: length - 1] + "?"
                for opening in HOSTILE_OPENINGS)
        questions[family] = [q for q in dict.fromkeys(made) if any(c.isalnum() for c in q)]
    return questions


def hostile_worker(corpus_path: Path, store: Path) -> dict:
    """The whole answer's time for each hostile question, on the corpus the
    assistant-answer engine is measured on; each question asked three times,
    its best time kept (a correctness guard against runaway patterns, not a
    test of the machine's noise)."""
    passages = corpus_path.read_text(encoding="utf-8").splitlines()
    answer_build(passages, store)
    assistant = answer_load(store, passages)
    for question in real_questions(20, 1):  # warm: the first questions fill caches
        assistant.ask(question, k=3)
    families = {}
    for family, questions in hostile_questions().items():
        times = []
        for question in questions:
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                assistant.ask(question, k=3)
                best = min(best, (time.perf_counter() - started) * 1000)
            times.append((best, question))
        slowest = max(times)
        families[family] = {"questions": len(times), "median_ms": statistics.median(t for t, _ in times),
                            "slowest_ms": slowest[0], "slowest": slowest[1][:60]}
    return {"passages": len(passages), "length": HOSTILE_LENGTH, "families": families}


def format_hostile(results: list[dict]) -> str:
    header = ["size", "family", "questions", "median ms", "slowest ms", "slowest question (start)"]
    lines = [[f"{result['passages']:,}", family, str(row["questions"]), f"{row['median_ms']:.1f}",
              f"{row['slowest_ms']:.1f}", repr(row["slowest"])]
             for result in results for family, row in result["families"].items()]
    widths = [max(len(x[i]) for x in [header, *lines]) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i in (1, 5) else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
                     for line in [header, *lines])


def run_hostile(sizes: list[int], sentences: list[str], seed: int, timeout: int, out: Path) -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            corpus = work / f"corpus-{size}.txt"
            write_corpus(corpus, size, sentences, seed)
            result = run_engine("hostile", corpus, work / "unused.json", work, timeout)
            if result:
                results.append(result)
                print(f"  {size:,} hostile questions: done", file=sys.stderr)
    print(format_hostile(results))
    slowest = max((row["slowest_ms"], family) for result in results for family, row in result["families"].items())
    print(f"slowest: {slowest[1]}, {slowest[0]:.1f} ms (target: under 100 ms)")
    save_report({"results": results}, out)
    return 0


# --- the run -----------------------------------------------------------------------


def run_engine(engine: str, corpus: Path, questions: Path, work: Path, timeout: int) -> dict | None:
    return run_in_worker(["--worker", engine, "--corpus", str(corpus), "--questions-file", str(questions)],
                         engine, work, timeout)


def save_report(data: dict, out: Path) -> None:
    """A run's figures as JSON, for eval/README.md and the next run to compare with."""
    Path(out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out}")


def run_in_worker(arguments: list[str], label: str, work: Path, timeout: int) -> dict | None:
    """This script run as a worker process with `arguments` and a store
    folder of its own (removed after): the JSON object of its last line, or
    None (said on stderr) when it fails or takes over `timeout` seconds."""
    store = Path(tempfile.mkdtemp(prefix=label.replace(" ", "-") + "-", dir=work))
    command = [sys.executable, str(Path(__file__).resolve()), *arguments, "--store", str(store)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        print(f"  {label}: over {timeout} s, skipped", file=sys.stderr)
        return None
    finally:
        shutil.rmtree(store, ignore_errors=True)
    if done.returncode != 0:
        print(f"  {label}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_result(results: list[dict]) -> dict:
    merged = dict(results[0])
    for key in ("build_s", "index_mb", "load_s", "peak_mb", "query_p50_ms", "query_p95_ms"):
        merged[key] = statistics.median(r[key] for r in results)
    merged["runs"] = len(results)
    return merged


def format_table(rows: list[dict]) -> str:
    header = ["size", "engine", "build s", "×tv", "index MB", "load s", "peak MB", "×tv", "p50 ms", "×tv", "p95 ms"]
    lines = []
    for row in rows:
        reference = next((r for r in rows if r["engine"] == "tantivy" and r["passages"] == row["passages"]), None)

        def ratio(key):
            return f"{row[key] / reference[key]:.2f}" if reference and reference[key] else "—"

        lines.append([f"{row['passages']:,}", row["engine"], f"{row['build_s']:.2f}", ratio("build_s"),
                      f"{row['index_mb']:.0f}", f"{row['load_s']:.3f}", f"{row['peak_mb']:.0f}", ratio("peak_mb"),
                      f"{row['query_p50_ms']:.2f}", ratio("query_p50_ms"), f"{row['query_p95_ms']:.2f}"])
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(len(header))]
    return "\n".join("  ".join(str(c).rjust(w) for c, w in zip(line, widths)) for line in [header, *lines])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated: 10k, 100k, 1m, 5m (default 10k; with --cluster 1m)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3, help="runs per engine and size; medians reported")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one engine may take at one size")
    parser.add_argument("--out", default=str(ROOT / "eval" / "benchmark-results.json"))
    parser.add_argument("--hostile", action="store_true",
                        help="time the whole answer to hostile 1,000-character questions, family by family, instead")
    parser.add_argument("--hostile-out", default=str(ROOT / "eval" / "benchmark-hostile.json"))
    parser.add_argument("--formats", nargs="?", const="all", metavar="LIST",
                        help="instead, indexing throughput per format against each extraction library alone "
                             "(eval/format_speed.py): all formats, or a comma-separated list of "
                             "pdf, html, html-docs, docx, markdown, text")
    parser.add_argument("--formats-scale", type=float, default=1.0,
                        help="share of the full inputs to make (1: a 1,000-page PDF, 5,000 HTML pages, ...)")
    parser.add_argument("--formats-repeats", type=int, default=1, help="runs of each measurement; medians reported")
    parser.add_argument("--formats-out", default=str(ROOT / "eval" / "benchmark-formats.json"))
    parser.add_argument("--cluster", action="store_true",
                        help="instead, the sharded index served by Ray against the in-process index "
                             "(eval/cluster_speed.py)")
    parser.add_argument("--cluster-shards", default="1,2,4", help="comma-separated shard counts (default 1,2,4)")
    parser.add_argument("--cluster-out", default=str(ROOT / "eval" / "benchmark-cluster.json"))
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--questions-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker and args.worker.startswith("format-"):
        import format_speed

        print(json.dumps(format_speed.worker(args.worker.removeprefix("format-"), args.format, Path(args.corpus),
                                             Path(args.store))))
        return 0
    if args.formats:
        import format_speed

        formats = list(format_speed.FORMATS) if args.formats == "all" else [f.strip() for f in args.formats.split(",")]
        if args.formats_scale <= 0 or args.formats_repeats < 1:
            sys.exit("benchmark: --formats-scale must be above 0 and --formats-repeats at least 1")
        return format_speed.run_formats(formats, args.formats_scale, args.seed, args.formats_repeats, args.timeout,
                                        Path(args.formats_out))
    if args.worker and (args.worker == "in-process" or args.worker.startswith("cluster-")):
        import cluster_speed

        print(json.dumps(cluster_speed.worker(args.worker, Path(args.corpus), Path(args.questions_file),
                                              Path(args.store))))
        return 0
    if args.worker == "hostile":
        print(json.dumps(hostile_worker(Path(args.corpus), Path(args.store))))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.corpus), Path(args.questions_file), Path(args.store))))
        return 0
    sizes = [SIZES[s.strip().lower()] for s in (args.sizes or ("1m" if args.cluster else "10k")).split(",")]
    engines = [e.strip() for e in args.engines.split(",")]
    if not squad_files():
        sys.exit(f"benchmark: no SQuAD files in {DATA} (the passages and questions are drawn from them)")
    sentences = real_sentences()
    if args.cluster:
        import cluster_speed

        return cluster_speed.run_cluster(sizes, [int(n) for n in args.cluster_shards.split(",")], sentences,
                                         real_questions(args.questions, args.seed), args.seed, SENTENCES_PER_PASSAGE,
                                         args.timeout, Path(args.cluster_out))
    if args.hostile:
        return run_hostile(sizes, sentences, args.seed, args.timeout, Path(args.hostile_out))
    rows = []
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as folder:
        work = Path(folder)
        questions = work / "questions.json"
        questions.write_text(json.dumps(real_questions(args.questions, args.seed)), encoding="utf-8")
        for size in sizes:
            corpus = work / f"corpus-{size}.txt"
            write_corpus(corpus, size, sentences, args.seed)
            for engine in engines:
                if engine == "rank_bm25" and size > 10_000:
                    continue  # pure Python: minutes per query batch at 100k
                repeats = args.repeats if size <= 100_000 else 1
                results = []
                for _ in range(repeats):
                    result = run_engine(engine, corpus, questions, work, args.timeout)
                    if result:
                        results.append(result)
                if results:
                    rows.append(median_result(results))
                    print(f"  {size:,} {engine}: done ({len(results)} runs)", file=sys.stderr)
            corpus.unlink()
    table = format_table(rows)
    print(table)
    save_report({"sentences_per_passage": SENTENCES_PER_PASSAGE, "questions": args.questions, "rows": rows},
                Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
