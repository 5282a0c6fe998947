"""Judging answers and adding up the metrics (on answers made by hand), and
`assistant eval` end to end on tiny corpora."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answerer.types import Answer, Excerpt, ShortAnswer
from assistant.cli import main
from assistant.errors import AssistantError, QuestionError
from assistant.evaluate import (
    ask_item,
    files_and_bounds,
    format_table,
    judge,
    missed_bounds,
    parse_bounds,
    report,
    summarize,
    write_json_atomically,
)
from assistant.questionsets import EvalQuestion

CONTRACT_METRICS = {
    "questions", "answerable", "unanswerable", "accuracy_at_1", "accuracy_at_3", "citation_accuracy",
    "span_exact", "span_f1", "answered_rate", "abstain_precision", "abstain_recall", "overall_accuracy",
    "latency_p50_ms", "latency_p95_ms",
}
OUR_METRICS = CONTRACT_METRICS | {"abstain_f1"}


def excerpt(quote: str, paragraph: int = 1, short: str | None = None, source: str = "a.txt") -> Excerpt:
    answer = ShortAnswer(short, quote.index(short), quote.index(short) + len(short)) if short else None
    return Excerpt(quote, source, "A", paragraph, 0, len(quote), 0.5, answer)


def question(identifier: str, answers, source=None, paragraph=None) -> EvalQuestion:
    return EvalQuestion(identifier, f"question {identifier}?", tuple(answers), "set.jsonl", source, paragraph)


def hand_made_results():
    cases = [
        # right, cited right, exact short answer
        (question("q1", ["Denver Broncos"], "a.txt", 2),
         Answer("?", True, (excerpt("The Denver Broncos won.", 2, "Denver Broncos"),), question_type="who")),
        # first quote wrong ("19634" is not "1963"), second right; cited the wrong paragraph
        (question("q2", ["1963"], "a.txt", 3),
         Answer("?", True, (excerpt("In 19634 it rained.", 1, "19634"), excerpt("It ended in 1963.", 3)),
                question_type="when")),
        # right, short answer partial: F1 0.8, no citation to check
        (question("q3", ["Li Kyar Win"]),
         Answer("?", True, (excerpt("Li Kyar Win said so.", 4, "Kyar Win"),), question_type="who")),
        # declined although the nearest passage holds the answer: missed
        (question("q4", ["Nairobi"], "a.txt", 5),
         Answer("?", False, (excerpt("Nairobi is the capital.", 5, "Nairobi"),), "too weak", "what")),
        (question("u1", []), Answer("?", False, (), "no match", "who")),  # rightly declined
        (question("u2", []), Answer("?", True, (excerpt("Something.", 1),), question_type="what")),  # false answer
    ]
    return [judge(q, a, seconds=(n + 1) / 1000) for n, (q, a) in enumerate(cases)]


def test_verdicts_and_per_question_scores():
    results = hand_made_results()
    assert [r.verdict for r in results] == ["correct", "wrong", "correct", "missed", "declined", "false_answer"]
    assert [r.at_3 for r in results] == [True, True, True, False, False, False]
    assert [r.cited_right for r in results] == [True, False, None, False, None, None]
    assert [r.exact for r in results] == [1, 0, 0, 0, 0, 0]
    assert [r.f1 for r in results] == pytest.approx([1.0, 0.0, 0.8, 0.0, 0.0, 0.0])


def test_metrics_computed_by_hand():
    metrics = summarize(hand_made_results())
    assert set(metrics) == OUR_METRICS
    assert metrics == {
        "questions": 6, "answerable": 4, "unanswerable": 2,
        "accuracy_at_1": 0.5,  # q1, q3 of 4
        "accuracy_at_3": 0.75,  # q1, q2, q3 of 4
        "citation_accuracy": 0.3333,  # q1 of q1, q2, q4 (q3 gives no citation)
        "span_exact": 0.25,  # 1 of 4
        "span_f1": 0.45,  # (1 + 0 + 0.8 + 0) / 4
        "answered_rate": 0.6667,  # q1, q2, q3, u2 of 6
        "abstain_precision": 0.5,  # declined q4, u1: u1 right
        "abstain_recall": 0.5,  # u1 of u1, u2
        "abstain_f1": 0.5,
        "overall_accuracy": 0.5,  # q1, q3, u1 of 6
        "latency_p50_ms": 3.5,  # 1..6 ms
        "latency_p95_ms": 5.75,  # rank 4.75: 5 + 0.75
    }


def test_metrics_without_a_denominator_are_none_and_dashes():
    answerable_only = [r for r in hand_made_results() if r.question.answerable]
    metrics = summarize(answerable_only)
    assert metrics["abstain_precision"] is None and metrics["abstain_recall"] is None and metrics["abstain_f1"] is None
    data = report(answerable_only)
    assert set(data) == {"metrics", "by_type", "by_file", "results"}
    assert data["by_type"]["when"]["questions"] == 1 and data["by_type"]["when"]["accuracy_at_1"] == 0.0
    row = next(line for line in format_table(data).splitlines() if line.startswith("all"))
    # latencies 1..4 ms: p50 2.5, p95 at rank 2.85 = 3.85
    assert row.split() == ["all", "4", "0.500", "0.750", "0.333", "0.250", "0.450", "0.750", "—", "—", "0.500",
                           "2.5", "3.9"]
    assert summarize([])["accuracy_at_1"] is None and summarize([])["latency_p50_ms"] is None


class RecordingAssistant:
    """Stands in for Assistant: records what each call saw of its conversation."""

    def __init__(self, refuse: str = ""):
        self.calls: list[tuple[str, int, int]] = []
        self.refuse = refuse

    def ask(self, question, k=3, conversation=None):
        self.calls.append((question, k, len(conversation.turns)))
        if question == self.refuse:
            raise QuestionError("too long")
        return Answer(question, True, (excerpt(f"Answer to {question}", 1),), question_type="what")


def test_conversation_turns_are_asked_in_order_in_one_conversation():
    assistant = RecordingAssistant(refuse="Refused?")
    turns = tuple(EvalQuestion(f"d1#{n}", text, ("Kenya",), "set.jsonl", conversation="d1")
                  for n, text in enumerate(["Kenya?", "Refused?", "Nairobi?"], 1))
    results = ask_item(assistant, turns, k=2)
    # the refused turn is not added to the conversation
    assert assistant.calls == [("Kenya?", 2, 0), ("Refused?", 2, 1), ("Nairobi?", 2, 1)]
    assert [r.verdict for r in results] == ["correct", "missed", "wrong"]
    assert results[1].answer is None and report(results)["results"][1]["question_type"] == "refused"
    ask_item(assistant, (turns[0],), k=2)
    assert assistant.calls[-1] == ("Kenya?", 2, 0)  # each item starts a fresh conversation


def test_bounds_are_floors_and_latencies_ceilings():
    assert parse_bounds(["accuracy_at_1=0.9", "latency_p95_ms=20", "questions=5"]) == {
        "accuracy_at_1": 0.9, "latency_p95_ms": 20.0, "questions": 5.0}
    metrics = {"accuracy_at_1": 0.85, "latency_p95_ms": 25.0, "questions": 6, "abstain_recall": None}
    assert missed_bounds(metrics, {"accuracy_at_1": 0.85, "questions": 6, "latency_p95_ms": 30}) == []
    assert missed_bounds(metrics, {"accuracy_at_1": 0.9, "latency_p95_ms": 20, "abstain_recall": 0.1}) == [
        "accuracy_at_1 = 0.85 is below 0.9",
        "latency_p95_ms = 25.0 is above 20",
        "abstain_recall has no value (nothing to count), bound 0.1",
    ]
    for bad in (["nonsense=1"], ["accuracy_at_1"], ["accuracy_at_1=high"], ["accuracy_at_1=nan"]):
        with pytest.raises(AssistantError, match="--fail-under"):
            parse_bounds(bad)


def test_a_report_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "report.json"
    write_json_atomically(path, {"old": 1})
    with pytest.raises(TypeError):
        write_json_atomically(path, {"new": object()})  # fails half-way through writing
    assert json.loads(path.read_text(encoding="utf-8")) == {"old": 1}
    assert os.listdir(tmp_path) == ["report.json"]
    mode = path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


# --- end to end ----------------------------------------------------------------------


def write(path: Path, lines) -> Path:
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kenya.txt").write_text(
        "Kenya\n\nNairobi is the capital of Kenya.\n\nKenya became independent from Britain in December 1963.\n",
        encoding="utf-8")
    return folder


# Questions whose right answer does not hang on the answerer's tuning: each
# names the only paragraph that could answer it, or no word of the corpus.
EASY = [
    {"id": "q1", "question": "What is the capital of Kenya?", "answers": ["Nairobi"], "source": "kenya.txt", "paragraph": 2},
    {"id": "q2", "question": "When did Kenya become independent?", "answers": ["December 1963"], "source": "kenya.txt", "paragraph": 3},
    {"id": "u1", "question": "Who painted the Mona Lisa?", "answers": []},
    {"id": "d1", "turns": [{"question": "When did Kenya become independent?", "answers": ["1963"]},
                           {"question": "Who painted the Mona Lisa?", "answers": []}]},
]


def test_json_lines_set_end_to_end(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", EASY)
    report_path = tmp_path / "report.json"
    status = main(["eval", str(questions), "--corpus", str(corpus), "--json", "--report", str(report_path)])
    captured = capsys.readouterr()
    assert status == 0 and captured.err == ""  # no progress bar when standard error is not a terminal
    data = json.loads(captured.out)  # one JSON object and nothing else
    assert set(data) == {"metrics", "by_type", "by_file", "results"}
    assert set(data["metrics"]) == OUR_METRICS and set(data["by_type"]["when"]) == OUR_METRICS
    m = data["metrics"]
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (5, 3, 2)
    assert (m["accuracy_at_1"], m["citation_accuracy"], m["abstain_recall"], m["overall_accuracy"]) == (1.0, 1.0, 1.0, 1.0)
    assert [r["id"] for r in data["results"]] == ["q1", "q2", "u1", "d1#1", "d1#2"]
    assert [r["verdict"] for r in data["results"]] == ["correct", "correct", "declined", "correct", "declined"]
    first = data["results"][1]
    assert first["answer"]["excerpts"][0]["quote"] == "Kenya became independent from Britain in December 1963."
    assert first["answer"]["excerpts"][0]["paragraph"] == 3 and first["file"] == str(questions)
    saved = json.loads(report_path.read_text(encoding="utf-8"))
    assert saved == data | {"results": saved["results"]}  # the same metrics and breakdowns
    assert [r["id"] for r in saved["results"]] == [r["id"] for r in data["results"]]
    assert {"id", "file", "question", "resolved_question", "answers", "verdict", "answer"} <= set(saved["results"][0])
    assert saved["results"][0]["answer"]["answered"] is True


def test_fail_under_passes_fails_and_rejects_unknown_metrics(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "What is the capital of Kenya?", "answers": ["Mombasa"]},  # not in the corpus
    ])
    base = ["eval", str(questions), "--corpus", str(corpus)]
    assert main(base + ["--fail-under", "questions=1"]) == 0
    assert capsys.readouterr().err == ""
    assert main(base + ["--fail-under", "accuracy_at_1=0.5", "questions=1"]) == 1
    assert capsys.readouterr().err == "assistant: eval: accuracy_at_1 = 0.0 is below 0.5\n"
    assert main(base + ["--fail-under", "abstain_recall=0.5"]) == 1  # no unanswerable question: no value
    assert "abstain_recall has no value" in capsys.readouterr().err
    assert main(base + ["--fail-under", "nonsense=1"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("assistant: --fail-under: unknown metric 'nonsense'") and captured.out == ""


SQUAD = {
    "version": "v2.0",
    "data": [{"title": "Kenya", "paragraphs": [
        {"context": "Nairobi is the capital of Kenya. Mombasa is its main port.",
         "qas": [{"id": "a", "question": "What is the capital of Kenya?", "answers": [{"text": "Nairobi", "answer_start": 0}],
                  "is_impossible": False},
                 {"id": "b", "question": "Who painted the Mona Lisa?", "answers": [], "is_impossible": True}]},
        {"context": "Kenya became independent in December 1963.",
         "qas": [{"id": "c", "question": "When did Kenya become independent?",
                  "answers": [{"text": "December 1963", "answer_start": 28}], "is_impossible": False}]},
    ]}, {"title": "Super_Bowl_50", "paragraphs": [
        {"context": "The Denver Broncos defeated the Carolina Panthers in Super Bowl 50.",
         "qas": [{"id": "s", "question": "Who defeated the Carolina Panthers in Super Bowl 50?",
                  "answers": [{"text": "Denver Broncos", "answer_start": 4}], "is_impossible": False}]},
    ]}],
}


def test_squad_files_bring_their_articles_as_the_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    assert main(["eval", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["id"]: r["verdict"] for r in data["results"]} == {"a": "correct", "b": "declined", "c": "correct", "s": "correct"}
    assert [(r["source"], r["paragraph"]) for r in data["results"]] == [("Kenya", 1), ("Kenya", 1), ("Kenya", 2),
                                                                       ("Super_Bowl_50", 1)]
    assert data["metrics"]["citation_accuracy"] == 1.0
    assert data["results"][2]["answer"]["excerpts"][0]["title"] == "Kenya"
    assert not (tmp_path / "cache").exists()  # an in-memory corpus saves no index


def test_articles_and_limit_choose_the_questions(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    assert main(["eval", str(path), "--json", "--articles", "Super Bowl 50"]) == 0
    data = json.loads(capsys.readouterr().out)
    # one question asked, yet found among every article's paragraphs
    assert [r["id"] for r in data["results"]] == ["s"] and data["results"][0]["verdict"] == "correct"
    titles = tmp_path / "titles.txt"
    titles.write_text("# tune\nKenya\n", encoding="utf-8")
    assert main(["eval", str(path), "--json", "--articles", f"@{titles}", "--limit", "2"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["results"]] == ["a", "b"]
    assert main(["eval", str(path), "--articles", "Atlantis"]) == 2
    assert "no article named 'Atlantis'" in capsys.readouterr().err


def test_a_squad_corpus_renumbers_the_expected_paragraphs(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    whole = tmp_path / "v1.json"  # the article with one more paragraph, first
    whole.write_text(json.dumps({"data": [{"title": "Kenya", "paragraphs": [
        {"context": "Kenya is a country in East Africa.", "qas": []}, *SQUAD["data"][0]["paragraphs"]]}]}), encoding="utf-8")
    part = tmp_path / "v2.json"
    part.write_text(json.dumps({"data": [SQUAD["data"][0]]}), encoding="utf-8")
    assert main(["eval", str(part), "--corpus", str(whole), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert [(r["id"], r["paragraph"]) for r in results] == [("a", 2), ("b", 2), ("c", 3)]
    assert results[2]["answer"]["excerpts"][0]["paragraph"] == 3 and results[2]["citation_right"] is True


def test_the_table_lists_types_files_and_misses(tmp_path, corpus, capsys):
    first = write(tmp_path / "one.jsonl", EASY[:2])
    second = write(tmp_path / "two.jsonl", [
        {"id": "w1", "question": "When did Kenya become independent?", "answers": ["1999"]},
        {"id": "u1", "question": "Who painted the Mona Lisa?", "answers": []},
    ])
    report_path = tmp_path / "report.json"
    assert main(["eval", str(first), str(second), "--corpus", str(corpus), "--show-misses", "5",
                 "--report", str(report_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["n", "acc@1", "acc@3"]
    assert lines[1].split()[:3] == ["all", "4", "0.667"]
    assert "by question type" in lines and "by file" in lines
    assert any(line.split()[:2] == ["two.jsonl", "2"] for line in lines)
    assert "- [wrong] w1 (two.jsonl): When did Kenya become independent?" in lines
    assert "    gold: 1999" in lines
    assert "misses (1 of 1):" in lines and lines[-1] == f"report: {report_path}"
    assert json.loads(report_path.read_text(encoding="utf-8"))["metrics"]["questions"] == 4


def test_usage_errors_exit_2_before_any_question(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", EASY)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "q1", "question": "Why?", "answers": ["x"]}\n{"id": "q2", "answers": []}\n', encoding="utf-8")
    for argv, message in [
        ([str(questions), str(bad)], f"assistant: {bad}:2: missing 'question'"),
        ([str(questions), "--report", str(tmp_path / "no" / "report.json")], "assistant: --report: no folder"),
        ([str(questions), "--articles", "Kenya"], "assistant: --articles applies to SQuAD files"),
        ([str(questions), "--limit", "-1"], "assistant: --limit must be"),
    ]:
        assert main(["eval", *argv, "--corpus", str(corpus)]) == 2
        captured = capsys.readouterr()
        assert captured.err.startswith(message) and captured.out == ""


def run_program(*argv: str, home: Path) -> subprocess.CompletedProcess:
    env = {"XDG_CACHE_HOME": str(home / "cache"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run([sys.executable, "-m", "assistant", *argv], capture_output=True, text=True, timeout=60, env=env)


def test_the_program_runs_a_set_and_fails_a_bound(tmp_path, corpus):
    questions = write(tmp_path / "set.jsonl", EASY[:3])
    result = run_program("eval", str(questions), "--corpus", str(corpus), "--json",
                         "--fail-under", "accuracy_at_1=1", "overall_accuracy=1.01", home=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["metrics"]["overall_accuracy"] == 1.0
    assert result.stderr == "assistant: eval: overall_accuracy = 1.0 is below 1.01\n"


def test_the_program_names_malformed_input_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": 3}', encoding="utf-8")
    result = run_program("eval", str(bad), home=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"assistant: {bad}: not a SQuAD file ('data' must be a list of articles)\n"


def test_words_after_fail_under_that_are_not_bounds_are_files():
    # `eval --fail-under accuracy_at_1=0.9 set.jsonl`: argparse hands set.jsonl to --fail-under
    assert files_and_bounds([], ["accuracy_at_1=0.9", "set.jsonl"]) == (["set.jsonl"], ["accuracy_at_1=0.9"])
    assert files_and_bounds(["a.jsonl"], ["accuracy_at_1"]) == (["a.jsonl"], ["accuracy_at_1"])  # a bad bound stays one
    with pytest.raises(AssistantError, match="at least one question file"):
        files_and_bounds([], ["questions=1"])
