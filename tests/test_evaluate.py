"""Metrics against hand-computed cases (SQuAD's normalisation included),
every question-set format, and `assistant eval` end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import QuestionSetError
from assistant.metrics import compute_exact, compute_f1, normalize_answer, percentile, quote_holds
from assistant.questionsets import load_question_set

CONTRACT_METRICS = {
    "questions", "answerable", "unanswerable", "accuracy_at_1", "accuracy_at_3", "citation_accuracy",
    "span_exact", "span_f1", "answered_rate", "abstain_precision", "abstain_recall", "overall_accuracy",
    "latency_p50_ms", "latency_p95_ms",
}


@pytest.mark.parametrize("raw, normal", [
    ("The Denver Broncos!", "denver broncos"),
    ("  an   apple,  a pear ", "apple pear"),
    ("“Loyalty Shift”", "loyalty shift"),
    ("Theatre and the arts", "theatre and arts"),
])
def test_normalisation_follows_squad(raw, normal):
    assert normalize_answer(raw) == normal


def test_exact_and_f1_by_hand():
    assert compute_exact("the Broncos", "Broncos.") == 1
    assert compute_exact("Broncos", "Denver Broncos") == 0
    # gold "denver broncos" vs predicted "broncos won": 1 common token,
    # precision 1/2, recall 1/2, F1 1/2.
    assert compute_f1("Denver Broncos", "Broncos won") == pytest.approx(0.5)
    # gold "one million kyat" vs "one million kyat 480 usd": P 3/5, R 1, F1 0.75
    assert compute_f1("one million kyat", "one million kyat ($480 USD)") == pytest.approx(0.75)
    assert compute_f1("", "") == 1.0 and compute_f1("x", "") == 0.0 and compute_f1("the", "") == 1.0


def test_a_quote_holds_an_answer_on_word_boundaries():
    assert quote_holds("On Nov. 14, all 127 members surrendered.", ["127"])
    assert not quote_holds("In 19634 nothing happened.", ["1963"])
    assert quote_holds("called the “Loyalty Shift” program", ["Loyalty Shift"])


def test_percentiles_by_hand():
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95) == pytest.approx(4.8)
    assert percentile([], 0.5) is None


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


def test_jsonl_sets_single_unanswerable_and_conversation(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "What is the capital of Kenya?", "answers": ["Nairobi"], "source": "kenya.txt", "paragraph": 2},
        {"id": "q2", "question": "When did Kenya become independent?", "answers": ["December 1963"], "source": "kenya.txt", "paragraph": 3},
        {"id": "u1", "question": "Who won the 2018 FIFA World Cup?", "answers": []},
        {"id": "d1", "turns": [{"question": "When did Kenya become independent?", "answers": ["1963"]},
                               {"question": "From which country?", "answers": ["Britain"]}]},
    ])
    report = tmp_path / "report.json"
    status = main(["eval", str(questions), "--corpus", str(corpus), "--json", "--report", str(report)])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert CONTRACT_METRICS <= set(data["metrics"])
    m = data["metrics"]
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (5, 4, 1)
    assert m["accuracy_at_1"] == 1.0 and m["citation_accuracy"] == 1.0
    assert m["abstain_recall"] == 1.0 and m["abstain_precision"] == 1.0 and m["overall_accuracy"] == 1.0
    ids = [r["id"] for r in data["results"]]
    assert ids == ["q1", "q2", "u1", "d1#1", "d1#2"]
    assert data["results"][2]["verdict"] == "declined"
    assert data["results"][4]["answer"]["excerpts"][0]["quote"].startswith("Kenya became independent from Britain")
    saved = json.loads(report.read_text(encoding="utf-8"))
    assert saved["results"][0]["answer"]["answered"] is True and "by_type" in saved


def test_fail_under_exits_1_naming_the_metric(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "What is the capital of Kenya?", "answers": ["Mombasa"]},
    ])
    assert main(["eval", str(questions), "--corpus", str(corpus), "--fail-under", "accuracy_at_1=0.5"]) == 1
    err = capsys.readouterr().err
    assert "accuracy_at_1 = 0.0 is below 0.5" in err
    assert main(["eval", str(questions), "--corpus", str(corpus), "--fail-under", "answered_rate=0.5"]) == 0
    assert main(["eval", str(questions), "--corpus", str(corpus), "--fail-under", "nonsense=1"]) == 2


SQUAD = {
    "version": "v2.0",
    "data": [{"title": "Kenya", "paragraphs": [
        {"context": "Nairobi is the capital of Kenya. Mombasa is its main port.",
         "qas": [{"id": "a", "question": "What is the capital of Kenya?", "answers": [{"text": "Nairobi", "answer_start": 0}], "is_impossible": False},
                 {"id": "b", "question": "Who founded the Kenyan space agency?", "answers": [], "is_impossible": True}]},
        {"context": "Kenya became independent in December 1963.",
         "qas": [{"id": "c", "question": "When did Kenya become independent?", "answers": [{"text": "December 1963", "answer_start": 28}]}]},
    ]}],
}


def test_squad_files_bring_their_articles_as_the_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    question_set = load_question_set(path)
    assert [q.id for q in question_set.questions] == ["a", "b", "c"]
    assert question_set.questions[1].answers == () and question_set.questions[2].paragraph == 2
    assert main(["eval", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    verdicts = {r["id"]: r["verdict"] for r in data["results"]}
    assert verdicts == {"a": "correct", "b": "declined", "c": "correct"}
    assert data["results"][2]["answer"]["excerpts"][0]["paragraph"] == 2


@pytest.mark.parametrize("content, message", [
    ('{"id": "q1", "question": "Why?", "answers": ["x"]}\n{"id": "q2", "question": ', "set.jsonl:2: not valid JSON"),
    ('{"id": "q1", "answers": ["x"]}\n', "set.jsonl:1: missing 'question'"),
    ('{"id": "q1", "question": "Why?", "answers": "x"}\n', "set.jsonl:1: 'answers' must be a list"),
    ('{"id": "q1", "question": "Why?", "answers": []}\n{"id": "q1", "question": "Who?", "answers": []}\n', "set.jsonl:2: the id 'q1' is used twice"),
    ("\n\n", "the question set is empty"),
    ('[1, 2]\n', "set.jsonl:1: each line must be a JSON object"),
])
def test_malformed_sets_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "set.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_question_set(path)


def test_malformed_input_through_the_program_is_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": 3}', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "assistant", "eval", str(bad), str(tmp_path / "missing.jsonl")],
                            capture_output=True, text=True, timeout=60,
                            env={"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "bad.json: not a SQuAD file" in result.stderr and "Traceback" not in result.stderr


def test_the_table_lists_types_and_misses(tmp_path, corpus, capsys):
    questions = write(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "What is the capital of Kenya?", "answers": ["Nairobi"]},
        {"id": "q2", "question": "When did Kenya become independent?", "answers": ["1999"]},
    ])
    assert main(["eval", str(questions), "--corpus", str(corpus), "--show-misses", "5"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["n", "acc@1", "acc@3"]
    assert "  when" in out and "[wrong] q2: When did Kenya become independent?" in out
