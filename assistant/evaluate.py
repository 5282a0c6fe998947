"""`assistant eval`: run question sets through the same Assistant the console
uses, judge every answer, and report metrics (data first, formatting last).
eval/README.md defines the metrics and verdicts."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .answerer import Assistant, Conversation
from .answerer.types import Answer
from .errors import AssistantError, QuestionError
from .metrics import best_exact, best_f1, harmonic_mean, percentile, quote_holds, ratio
from .questionsets import EvalQuestion, QuestionSet, load_question_set, load_squad_documents, relocate
from .render import answer_to_dict, progress_bar
from .safe_text import json_text, visible

# What happened to one question.
CORRECT = "correct"  # answered, and the first quote holds a gold answer
WRONG = "wrong"  # answered, but the first quote holds no gold answer
MISSED = "missed"  # declined a question the documents answer
DECLINED = "declined"  # rightly declined a question the documents do not answer
FALSE_ANSWER = "false_answer"  # answered a question the documents do not answer
MISSES = (WRONG, MISSED, FALSE_ANSWER)

# The contract's keys, plus abstain_f1. Every one is a number (or null).
METRIC_KEYS = (
    "questions", "answerable", "unanswerable", "accuracy_at_1", "accuracy_at_3", "citation_accuracy",
    "span_exact", "span_f1", "answered_rate", "abstain_precision", "abstain_recall", "abstain_f1",
    "overall_accuracy", "latency_p50_ms", "latency_p95_ms",
)


@dataclass(frozen=True)
class Result:
    question: EvalQuestion
    answer: Answer | None  # None when the question itself was refused (QuestionError)
    verdict: str
    at_3: bool
    cited_right: bool | None  # None when the set gives no citation to check
    exact: int
    f1: float
    seconds: float

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.answered


def judge(question: EvalQuestion, answer: Answer | None, seconds: float) -> Result:
    """The verdict and the per-question scores the metrics add up."""
    answered = answer is not None and answer.answered
    excerpts = answer.excerpts if answered else ()
    first = excerpts[0] if excerpts else None
    at_3, cited, exact, f1 = False, None, 0, 0.0
    if not question.answerable:
        verdict = FALSE_ANSWER if answered else DECLINED
    else:
        right = first is not None and quote_holds(first.quote, question.answers)
        verdict = CORRECT if right else WRONG if answered else MISSED
        at_3 = any(quote_holds(e.quote, question.answers) for e in excerpts[:3])
        short = first.answer.text if first is not None and first.answer is not None else ""
        if short:  # no short span scores 0, as an empty prediction does in SQuAD
            exact, f1 = best_exact(question.answers, short), best_f1(question.answers, short)
        if question.source is not None or question.paragraph is not None:
            # A declined answer cites nothing, so it cannot cite right.
            cited = first is not None and (
                (question.source is None or first.source == question.source)
                and (question.paragraph is None or first.paragraph == question.paragraph)
            )
    return Result(question, answer, verdict, at_3, cited, exact, f1, seconds)


def ask_item(assistant: Assistant, item: tuple[EvalQuestion, ...], k: int) -> list[Result]:
    """One single question, or a conversation's turns in order."""
    conversation = Conversation()
    results = []
    for question in item:
        started = time.perf_counter()
        try:
            answer = assistant.ask(question.question, k=k, conversation=conversation)
        except QuestionError:  # empty or far too long: the assistant refuses it
            answer = None
        seconds = time.perf_counter() - started
        if answer is not None:
            conversation.add(question.question, answer)
        results.append(judge(question, answer, seconds))
    return results


# --- metrics -----------------------------------------------------------------------


def summarize(results: list[Result]) -> dict:
    """The metrics of eval/README.md; None where there is nothing to count."""
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]
    declined = [r for r in results if not r.answered]
    cited = [r for r in answerable if r.cited_right is not None]
    latencies = [r.seconds * 1000 for r in results]
    # Without unanswerable questions there is nothing abstention could get
    # right: precision stays None even when some questions were declined.
    precision = ratio(sum(not r.question.answerable for r in declined), len(declined)) if unanswerable else None
    recall = ratio(sum(not r.answered for r in unanswerable), len(unanswerable))
    metrics = {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "accuracy_at_1": ratio(sum(r.verdict == CORRECT for r in answerable), len(answerable)),
        "accuracy_at_3": ratio(sum(r.at_3 for r in answerable), len(answerable)),
        "citation_accuracy": ratio(sum(bool(r.cited_right) for r in cited), len(cited)),
        "span_exact": ratio(sum(r.exact for r in answerable), len(answerable)),
        "span_f1": ratio(sum(r.f1 for r in answerable), len(answerable)),
        "answered_rate": ratio(sum(r.answered for r in results), len(results)),
        "abstain_precision": precision,
        "abstain_recall": recall,
        "abstain_f1": harmonic_mean(precision, recall),
        "overall_accuracy": ratio(sum(r.verdict in (CORRECT, DECLINED) for r in results), len(results)),
        "latency_p50_ms": _rounded(percentile(latencies, 0.5), 2),
        "latency_p95_ms": _rounded(percentile(latencies, 0.95), 2),
    }
    return {key: _rounded(value, 4) if isinstance(value, float) else value for key, value in metrics.items()}


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def breakdown(results: list[Result], key: Callable[[Result], str]) -> dict[str, dict]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return {name: summarize(group) for name, group in sorted(groups.items())}


def question_type(result: Result) -> str:
    return result.answer.question_type if result.answer is not None else "refused"


def result_record(result: Result) -> dict:
    q = result.question
    return {
        "id": q.id,
        "file": q.file,
        "question": q.question,
        "resolved_question": result.answer.resolved_question if result.answer else None,
        "answers": list(q.answers),
        "source": q.source,
        "paragraph": q.paragraph,
        "verdict": result.verdict,
        "in_first_three": result.at_3,
        "citation_right": result.cited_right,
        "span_exact": result.exact,
        "span_f1": round(result.f1, 4),
        "latency_ms": round(result.seconds * 1000, 2),
        "question_type": question_type(result),
        "answer": answer_to_dict(result.answer) if result.answer else None,
    }


def report(results: list[Result]) -> dict:
    """The contract's eval object (metrics, by_type, results) plus by_file."""
    return {
        "metrics": summarize(results),
        "by_type": breakdown(results, question_type),
        "by_file": breakdown(results, lambda r: r.question.file),
        "results": [result_record(r) for r in results],
    }


# --- running -----------------------------------------------------------------------


def run_sets(
    question_sets: list[QuestionSet], corpus: str | None, k: int, open_assistant, progress=None
) -> list[Result]:
    """Every question of every set. JSON Lines sets share the corpus given (or
    the default one); a SQuAD file brings its own articles unless a corpus is
    given."""
    shared: tuple[Assistant, Callable] | None = None
    total = sum(len(s.questions) for s in question_sets)
    done = 0
    results: list[Result] = []
    for question_set in question_sets:
        if question_set.is_squad and corpus is None:
            assistant, place = Assistant.from_documents(question_set.path, question_set.documents), None
        else:
            if shared is None:
                assistant = open_corpus(corpus, open_assistant)
                shared = assistant, paragraph_finder(assistant)
            assistant, place = shared
        for item in question_set.items:
            if place is not None:
                item = tuple(place(q) for q in item)
            results.extend(ask_item(assistant, item, k))
            done += len(item)
            if progress:
                progress(done, total)
    return results


def open_corpus(corpus: str | None, open_assistant) -> Assistant:
    """The corpus named by --corpus: a SQuAD .json file's articles (so that,
    say, v2.0 questions search all the v1.1 articles), else a folder or file
    read as the console reads it."""
    if corpus and corpus.lower().endswith(".json") and Path(corpus).is_file():
        return Assistant.from_documents(corpus, load_squad_documents(corpus))
    return open_assistant(corpus)


def paragraph_finder(assistant: Assistant) -> Callable[[EvalQuestion], EvalQuestion]:
    """Renumbers a SQuAD question's expected paragraph after the corpus: the
    same article in another SQuAD file may lack paragraphs or order them
    differently (v2.0 against v1.1)."""
    library = assistant.library
    sources = {entry.source: number for number, entry in enumerate(library.entries)}
    numbers_by_source: dict[str, dict[str, int]] = {}

    def place(question: EvalQuestion) -> EvalQuestion:
        if question.context is None or question.source not in sources:
            return question
        if question.source not in numbers_by_source:
            document = library.document(sources[question.source])
            numbers: dict[str, int] = {}
            for paragraph in document.paragraphs:
                numbers.setdefault(paragraph.span.of(document.text), paragraph.number)
            numbers_by_source[question.source] = numbers
        return relocate(question, numbers_by_source[question.source])

    return place


def load_sets(files: list[str], articles: set[str] | None, limit: int) -> list[QuestionSet]:
    question_sets = [load_question_set(path, articles, limit) for path in files]
    if articles is not None:
        squad = [s for s in question_sets if s.is_squad]
        if not squad:
            raise AssistantError("--articles applies to SQuAD files, and none was given")
        known = {d.source.replace(" ", "_") for s in squad for d in s.documents}
        unknown = sorted(a for a in articles if a.replace(" ", "_") not in known)
        if unknown:
            raise AssistantError(f"--articles: no article named {unknown[0]!r} in {', '.join(s.path for s in squad)}")
    if not any(s.items for s in question_sets):
        raise AssistantError("no questions to ask")
    return question_sets


def files_and_bounds(files: list[str], specs: list[str]) -> tuple[list[str], list[str]]:
    """argparse gives `--fail-under M=V FILE` the file too (both take one or
    more words): a word there that is neither METRIC=VALUE nor a metric name
    is a question file."""
    strays = [s for s in specs if "=" not in s and s.strip() not in METRIC_KEYS]
    files = [*files, *strays]
    if not files:
        raise AssistantError("eval needs at least one question file")
    return files, [s for s in specs if s not in strays]


def parse_bounds(specs: list[str]) -> dict[str, float]:
    bounds = {}
    for spec in specs:
        name, equals, value = spec.partition("=")
        name = name.strip()
        if name not in METRIC_KEYS:
            raise AssistantError(f"--fail-under: unknown metric {name!r} (one of: {', '.join(METRIC_KEYS)})")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not equals or not math.isfinite(number):
            raise AssistantError(f"--fail-under: {spec!r} is not METRIC=NUMBER")
        bounds[name] = number
    return bounds


def parse_articles(spec: str) -> set[str]:
    """Titles separated by commas, or @FILE with one title a line (titles such
    as "Fresno,_California" hold commas); lines starting with # are comments."""
    if spec.startswith("@"):
        try:
            lines = Path(spec[1:]).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise AssistantError(f"--articles: cannot read {spec[1:]} ({getattr(error, 'strerror', None) or error})") from error
        titles = {line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")}
    else:
        titles = {a.strip() for a in spec.split(",") if a.strip()}
    if not titles:
        raise AssistantError("--articles: no article named")
    return titles


def missed_bounds(metrics: dict, bounds: dict[str, float]) -> list[str]:
    """One line for each bound not met. Latencies are ceilings (a run slower
    than the bound fails); every other metric is a floor."""
    missed = []
    for name, bound in bounds.items():
        value = metrics.get(name)
        if value is None:
            missed.append(f"{name} has no value (nothing to count), bound {bound:g}")
        elif name.startswith("latency") and value > bound:
            missed.append(f"{name} = {value} is above {bound:g}")
        elif not name.startswith("latency") and value < bound:
            missed.append(f"{name} = {value} is below {bound:g}")
    return missed


def check_report_path(path: Path) -> None:
    """Fail before a long run, not after it, when the report cannot be written."""
    folder = path.parent
    if path.is_dir():
        raise AssistantError(f"--report: {path} is a folder")
    if not folder.is_dir():
        raise AssistantError(f"--report: no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise AssistantError(f"--report: cannot write in {folder}")


def run_eval_command(args) -> int:
    from .cli import open_assistant

    files, specs = files_and_bounds(args.files, args.fail_under)
    bounds = parse_bounds(specs)
    if args.limit < 0:
        raise AssistantError("--limit must be 0 (every question) or more")
    if args.report:
        check_report_path(Path(args.report))
    articles = parse_articles(args.articles) if getattr(args, "articles", None) else None
    question_sets = load_sets(files, articles, args.limit)
    progress = throttled(progress_bar("evaluating", "questions", delay=0.0))
    limits = getattr(args, "limits", None)  # set by cli.main from --max-file-size and --max-corpus-size
    results = run_sets(question_sets, args.corpus, args.k,
                       lambda corpus: open_assistant(corpus, quiet=args.json, limits=limits,
                                                     cluster=getattr(args, "cluster", None)), progress)
    data = report(results)
    if args.report:
        write_json_atomically(Path(args.report), data)
    if args.json:
        print(json_text(data), flush=True)
    else:
        print(visible(format_table(data)))
        if args.show_misses > 0:
            print(visible(format_misses(results, args.show_misses)))
        if args.report:
            print(f"\nreport: {args.report}")
    missed = missed_bounds(data["metrics"], bounds)
    for line in missed:
        print(f"assistant: eval: {line}", file=sys.stderr)
    return 1 if missed else 0


def throttled(progress, interval: float = 0.1):
    """The progress callback, redrawn at most every `interval` seconds and at the end."""
    if progress is None:
        return None
    last = -math.inf

    def show(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done >= total or now - last >= interval:
            last = now
            progress(done, total)

    return show


def write_json_atomically(path: Path, data: dict) -> None:
    """Write to a temporary file beside the target and rename it into place:
    a reader never sees half a report, and a failure leaves the old one."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise AssistantError(f"cannot write the report to {path} ({error.strerror or error})") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise AssistantError(f"cannot write the report to {path} ({error.strerror or error})") from error
        raise


# --- formatting ------------------------------------------------------------------


_TABLE_COLUMNS = [
    ("questions", "n", "{:d}"), ("accuracy_at_1", "acc@1", "{:.3f}"), ("accuracy_at_3", "acc@3", "{:.3f}"),
    ("citation_accuracy", "cite", "{:.3f}"), ("span_exact", "EM", "{:.3f}"), ("span_f1", "F1", "{:.3f}"),
    ("answered_rate", "answered", "{:.3f}"), ("abstain_precision", "abst.P", "{:.3f}"),
    ("abstain_recall", "abst.R", "{:.3f}"), ("overall_accuracy", "overall", "{:.3f}"),
    ("latency_p50_ms", "p50 ms", "{:.1f}"), ("latency_p95_ms", "p95 ms", "{:.1f}"),
]


def format_table(data: dict) -> str:
    """All questions, then one row a question type and, with several files,
    one row a file; "—" where a metric has nothing to count."""
    rows: list[tuple[str, dict | None]] = [("all", data["metrics"]), ("by question type", None)]
    rows += [(f"  {name}", m) for name, m in data["by_type"].items()]
    if len(data["by_file"]) > 1:
        rows += [("by file", None)] + [(f"  {Path(name).name}", m) for name, m in data["by_file"].items()]
    header = ["", *(label for _, label, _ in _TABLE_COLUMNS)]
    body = [[name, *(_cell(m.get(key), fmt) for key, _, fmt in _TABLE_COLUMNS)] if m else [name]
            for name, m in rows]
    first = max(len(row[0]) for row in [header, *body] if len(row) > 1)
    widths = [first] + [max(len(row[i]) for row in [header, *body] if len(row) > 1) for i in range(1, len(header))]
    lines = []
    for row in [header, *body]:
        if len(row) == 1:
            lines.append(row[0])
        else:
            cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _cell(value, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def format_misses(results: list[Result], limit: int) -> str:
    """The first `limit` questions not judged right: question, gold, what was quoted."""
    misses = [r for r in results if r.verdict in MISSES]
    out = [f"\nmisses ({min(limit, len(misses))} of {len(misses)}):"]
    for r in misses[:limit]:
        q = r.question
        out.append(f"- [{r.verdict}] {q.id} ({Path(q.file).name}): {q.question}")
        if r.answer is not None and r.answer.resolved_question:
            out.append(f"    understood as: {r.answer.resolved_question}")
        gold = " | ".join(q.answers) if q.answers else "(none: the documents do not answer it)"
        where = f"  [{q.source or ''}{f' ¶{q.paragraph}' if q.paragraph else ''}]" if q.source or q.paragraph else ""
        out.append(f"    gold: {gold}{where}")
        first = r.answer.excerpts[0] if r.answer is not None and r.answer.excerpts else None
        if r.answer is None:
            out.append("    refused: the question cannot be asked (empty or too long)")
        elif first is not None:
            quote = first.quote if len(first.quote) <= 200 else first.quote[:199] + "…"
            short = f"; short answer: {first.answer.text}" if first.answer else ""
            label = "quoted" if r.answer.answered else "nearest"
            out.append(f"    {label}: “{quote}”  [{first.source} ¶{first.paragraph}]{short}")
        if r.answer is not None and not r.answer.answered:
            out.append(f"    declined: {r.answer.message or '(no reason given)'}")
    return "\n".join(out)
