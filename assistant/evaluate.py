"""`assistant eval`: run question sets through the same Assistant the console
uses, judge every answer, and report metrics (data first, formatting last)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .answerer import Assistant, Conversation
from .answerer.types import Answer
from .errors import AssistantError, QuestionError
from .metrics import best_exact, best_f1, harmonic_mean, percentile, quote_holds, ratio
from .questionsets import EvalQuestion, QuestionSet, load_question_set
from .render import answer_to_dict, progress_bar

# What happened to one question.
CORRECT = "correct"  # answered, and the first quote holds a gold answer
WRONG = "wrong"  # answered, but the first quote holds no gold answer
MISSED = "missed"  # declined a question the documents answer
DECLINED = "declined"  # rightly declined a question the documents do not answer
FALSE_ANSWER = "false_answer"  # answered a question the documents do not answer

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
    answered = answer is not None and answer.answered
    excerpts = answer.excerpts if answer is not None else ()
    first = excerpts[0] if excerpts else None
    if question.answerable:
        holds = answered and first is not None and quote_holds(first.quote, question.answers)
        verdict = CORRECT if holds else WRONG if answered else MISSED
        at_3 = answered and any(quote_holds(e.quote, question.answers) for e in excerpts[:3])
        short = first.answer.text if answered and first is not None and first.answer else ""
        exact = best_exact(question.answers, short) if short else 0
        f1 = best_f1(question.answers, short) if short else 0.0
    else:
        verdict = FALSE_ANSWER if answered else DECLINED
        at_3, exact, f1 = False, 0, 0.0
    cited = None
    if question.answerable and (question.source is not None or question.paragraph is not None):
        cited = answered and first is not None and (
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
        except QuestionError:
            answer = None
        seconds = time.perf_counter() - started
        if answer is not None:
            conversation.add(question.question, answer)
        results.append(judge(question, answer, seconds))
    return results


# --- metrics -----------------------------------------------------------------------


def summarize(results: list[Result]) -> dict:
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]
    declined = [r for r in results if not r.answered]
    cited = [r for r in answerable if r.cited_right is not None]
    latencies = [r.seconds * 1000 for r in results]
    precision = ratio(sum(1 for r in declined if not r.question.answerable), len(declined)) if unanswerable else None
    recall = ratio(sum(1 for r in unanswerable if not r.answered), len(unanswerable))
    right = sum(1 for r in results if r.verdict in (CORRECT, DECLINED))
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
        "overall_accuracy": ratio(right, len(results)),
        "latency_p50_ms": _round(percentile(latencies, 0.5)),
        "latency_p95_ms": _round(percentile(latencies, 0.95)),
    }
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def breakdown(results: list[Result], key) -> dict[str, dict]:
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
        "first_quote_holds_answer": result.verdict == CORRECT,
        "in_first_three": result.at_3,
        "citation_right": result.cited_right,
        "span_exact": result.exact,
        "span_f1": round(result.f1, 4),
        "latency_ms": round(result.seconds * 1000, 2),
        "question_type": question_type(result),
        "answer": answer_to_dict(result.answer) if result.answer else None,
    }


def report(results: list[Result]) -> dict:
    return {
        "metrics": summarize(results),
        "by_type": breakdown(results, question_type),
        "by_file": breakdown(results, lambda r: r.question.file),
        "results": [result_record(r) for r in results],
    }


# --- running -----------------------------------------------------------------------


def run_sets(question_sets: list[QuestionSet], corpus: str | None, k: int, open_assistant, progress=None) -> list[Result]:
    """Every question of every set. JSON Lines sets share the corpus given (or
    the default one); a SQuAD file brings its own articles unless a corpus is
    given."""
    shared: Assistant | None = None
    total = sum(len(s.questions) for s in question_sets)
    done = 0
    results: list[Result] = []
    for question_set in question_sets:
        if question_set.documents is not None and corpus is None:
            assistant = Assistant.from_documents(question_set.path, question_set.documents)
        else:
            shared = shared or open_assistant(corpus)
            assistant = shared
        for item in question_set.items:
            results.extend(ask_item(assistant, item, k))
            done += len(item)
            if progress:
                progress(done, total)
    return results


def parse_bounds(specs: list[str]) -> dict[str, float]:
    bounds = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        name = name.strip()
        if name not in METRIC_KEYS or name in ("questions", "answerable", "unanswerable"):
            raise AssistantError(f"--fail-under: unknown metric {name!r} (one of: {', '.join(METRIC_KEYS[3:])})")
        try:
            bounds[name] = float(value)
        except ValueError:
            raise AssistantError(f"--fail-under: {spec!r} is not METRIC=NUMBER") from None
    return bounds


def parse_articles(spec: str) -> set[str]:
    """Titles separated by commas, or @FILE with one title a line (titles such
    as "Fresno,_California" hold commas)."""
    if spec.startswith("@"):
        try:
            lines = Path(spec[1:]).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise AssistantError(f"--articles: cannot read {spec[1:]} ({error.strerror or error})") from error
        return {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return {a.strip() for a in spec.split(",") if a.strip()}


def missed_bounds(metrics: dict, bounds: dict[str, float]) -> list[str]:
    missed = []
    for name, floor in bounds.items():
        value = metrics.get(name)
        # Latencies are ceilings, every other metric a floor.
        if name.startswith("latency"):
            if value is not None and value > floor:
                missed.append(f"{name} = {value} is above {floor}")
        elif value is None or value < floor:
            missed.append(f"{name} = {value} is below {floor}")
    return missed


def run_eval_command(args) -> int:
    from .cli import open_assistant

    bounds = parse_bounds(args.fail_under)
    articles = parse_articles(args.articles) if getattr(args, "articles", None) else None
    question_sets = [load_question_set(path, articles, args.limit) for path in args.files]
    progress = progress_bar("evaluating", "questions", delay=0.0)
    results = run_sets(question_sets, args.corpus, args.k, lambda corpus: open_assistant(corpus, quiet=args.json), progress)
    data = report(results)
    if args.report:
        write_json_atomically(Path(args.report), data)
    if args.json:
        print(json.dumps({"metrics": data["metrics"], "by_type": data["by_type"], "by_file": data["by_file"],
                          "results": data["results"]}, ensure_ascii=False), flush=True)
    else:
        print(format_table(data))
        if args.show_misses:
            print(format_misses(results, args.show_misses))
        if args.report:
            print(f"report: {args.report}")
    missed = missed_bounds(data["metrics"], bounds)
    for line in missed:
        print(f"assistant: eval: {line}", file=sys.stderr)
    return 1 if missed else 0


def write_json_atomically(path: Path, data: dict) -> None:
    """Write to a temporary file beside the target and rename it into place:
    a reader never sees half a report, and an interruption leaves the old one."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise AssistantError(f"cannot write the report to {path} ({error.strerror or error})") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
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
    rows = [("all", data["metrics"])]
    rows += [(f"  {name}", m) for name, m in data["by_type"].items()]
    if len(data["by_file"]) > 1:
        rows += [(f"  {Path(name).name}", m) for name, m in data["by_file"].items()]
    header = ["", *(label for _, label, _ in _TABLE_COLUMNS)]
    body = [[name, *(_cell(m.get(key), fmt) for key, _, fmt in _TABLE_COLUMNS)] for name, m in rows]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in [header, *body]]
    return "\n".join(lines)


def _cell(value, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def format_misses(results: list[Result], limit: int) -> str:
    misses = [r for r in results if r.verdict in (WRONG, MISSED, FALSE_ANSWER)][:limit]
    out = [f"\nmisses (first {len(misses)}):"]
    for r in misses:
        first = r.answer.excerpts[0] if r.answer and r.answer.excerpts else None
        quoted = f"“{first.quote[:160]}”" if first else "(nothing)"
        out.append(f"- [{r.verdict}] {r.question.id}: {r.question.question}")
        out.append(f"    gold: {list(r.question.answers) or '(unanswerable)'}")
        out.append(f"    quoted: {quoted}" + (f"  ¶{first.paragraph}" if first else ""))
        if r.answer is not None and not r.answer.answered and r.answer.message:
            out.append(f"    why declined: {r.answer.message}")
    return "\n".join(out)
