"""Reading question sets: every format, and malformed input named by file and line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.errors import QuestionSetError
from assistant.questionsets import (
    EvalQuestion,
    first_questions,
    load_question_set,
    load_squad_documents,
    relocate,
)


def write_lines(path: Path, records) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_single_unanswerable_and_conversation_questions(tmp_path):
    path = write_lines(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "Who?", "answers": ["Li Kyar Win"], "source": "a.txt", "paragraph": 20},
        {"id": "u1", "question": "Why?", "answers": []},
        {"id": "d1", "turns": [{"question": "Where?", "answers": ["Laukkai"]}, {"question": "When?", "answers": ["Nov. 14"]}]},
        {"question": "No id?", "answers": ["x"]},
    ])
    question_set = load_question_set(path)
    assert not question_set.is_squad and question_set.documents is None
    assert [len(item) for item in question_set.items] == [1, 1, 2, 1]
    q1, u1, d1, d2, anonymous = question_set.questions
    assert q1 == EvalQuestion("q1", "Who?", ("Li Kyar Win",), str(path), "a.txt", 20)
    assert q1.answerable and not u1.answerable and u1.answers == ()
    assert (d1.id, d2.id, d1.conversation, d2.answers) == ("d1#1", "d1#2", "d1", ("Nov. 14",))
    assert anonymous.id == "line4"


def test_limit_takes_the_first_questions_cutting_a_conversation(tmp_path):
    path = write_lines(tmp_path / "set.jsonl", [
        {"id": "q1", "question": "Who?", "answers": ["x"]},
        {"id": "d1", "turns": [{"question": "A?", "answers": ["x"]}, {"question": "B?", "answers": ["y"]},
                               {"question": "C?", "answers": ["z"]}]},
        {"id": "q2", "question": "What?", "answers": ["y"]},
    ])
    assert [q.id for q in load_question_set(path, limit=3).questions] == ["q1", "d1#1", "d1#2"]
    assert [q.id for q in load_question_set(path, limit=1).questions] == ["q1"]
    assert len(load_question_set(path, limit=0).questions) == 5
    assert len(first_questions(load_question_set(path), 99).questions) == 5


def line(text: str) -> str:
    return re.escape(text)


@pytest.mark.parametrize("content, message", [
    ('{"id": "q1", "question": "Why?", "answers": ["x"]}\n{"id": "q2", "question": ', "set.jsonl:2: not valid JSON"),
    ('\n{"id": "q1", "answers": ["x"]}\n', "set.jsonl:2: missing 'question'"),
    ('{"id": "q1", "question": "  ", "answers": ["x"]}\n', "set.jsonl:1: missing 'question'"),
    ('{"id": "q1", "question": "Why?", "answers": "x"}\n', "set.jsonl:1: 'answers' must be a list"),
    ('{"id": "q1", "question": "Why?"}\n', "set.jsonl:1: 'answers' must be a list"),
    ('{"id": "q1", "question": "Why?", "answers": [3]}\n', "set.jsonl:1: 'answers' must be a list of strings"),
    ('{"id": "q1", "question": "Why?", "answers": ["The"]}\n', "set.jsonl:1: the answer 'The' is empty once normalised"),
    ('{"id": "q1", "question": "Why?", "answers": []}\n{"id": "q1", "question": "Who?", "answers": []}\n',
     "set.jsonl:2: the id 'q1' is used twice"),
    ('{"id": "q1", "question": "Why?", "answers": [], "paragraph": 0}\n', "set.jsonl:1: 'paragraph' must be a positive"),
    ('{"id": "q1", "question": "Why?", "answers": [], "source": 3}\n', "set.jsonl:1: 'source' must be a string"),
    ('{"id": "d1", "turns": []}\n', "set.jsonl:1: 'turns' must be a non-empty list"),
    ('{"id": "d1", "turns": [{"question": "A?", "answers": []}, {"question": "B?"}]}\n',
     "set.jsonl:1: turn 2: 'answers' must be a list"),
    ('[1, 2]\n', "set.jsonl:1: each line must be a JSON object"),
    ("\n  \n", "set.jsonl: the question set is empty"),
    ("", "set.jsonl: the question set is empty"),
])
def test_malformed_json_lines_name_file_and_line(tmp_path, content, message):
    assert_refused(tmp_path / "set.jsonl", content, message)


def assert_refused(path, content: str, message: str) -> None:
    """Loading `content` from `path` fails with exactly `message` on one line."""
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=line(message)):
        load_question_set(path)


def test_line_numbers_count_newlines_only(tmp_path):
    # U+2028 is legal inside a JSON string; it must not shift the line count.
    assert_refused(tmp_path / "set.jsonl", '{"id": "q1", "question": "Why\u2028?", "answers": []}\n{"id": "q2"}\n',
                   "set.jsonl:2: missing 'question'")


def test_unreadable_and_undecodable_files(tmp_path):
    with pytest.raises(QuestionSetError, match=line("missing.jsonl: cannot read the question set")):
        load_question_set(tmp_path / "missing.jsonl")
    with pytest.raises(QuestionSetError, match="cannot read the question set"):
        load_question_set(tmp_path)  # a folder
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"question": "Caf\xe9?", "answers": []}\n')
    with pytest.raises(QuestionSetError, match=line("latin1.jsonl: not UTF-8 text")):
        load_question_set(path)


def squad(version: str, impossible: bool) -> dict:
    maybe = {"is_impossible": False} if impossible else {}
    return {"version": version, "data": [
        {"title": "Super_Bowl_50", "paragraphs": [
            {"context": "Super Bowl 50 was played in 2016.",
             "qas": [{"id": "s1", "question": "When was Super Bowl 50?", "answers": [
                 {"text": "2016", "answer_start": 28}, {"text": "in 2016", "answer_start": 25}], **maybe}]},
            {"context": "The Denver Broncos won.",
             "qas": [{"id": "s2", "question": "Who won?", "answers": [{"text": "Denver Broncos", "answer_start": 4}], **maybe}]
             + ([{"id": "s3", "question": "Who lost?", "answers": [], "is_impossible": True}] if impossible else [])},
        ]},
        {"title": "Kenya", "paragraphs": [
            {"context": "Nairobi is the capital.",
             "qas": [{"id": "k1", "question": "What is the capital?", "answers": [{"text": "Nairobi", "answer_start": 0}], **maybe}]},
        ]},
    ]}


def test_squad_v1_questions_and_articles(tmp_path):
    path = tmp_path / "dev-v1.1.json"
    path.write_text(json.dumps(squad("1.1", impossible=False)), encoding="utf-8")
    question_set = load_question_set(path)
    assert question_set.is_squad
    s1, s2, k1 = question_set.questions
    assert s1 == EvalQuestion("s1", "When was Super Bowl 50?", ("2016", "in 2016"), str(path), "Super_Bowl_50", 1,
                              context="Super Bowl 50 was played in 2016.")
    assert (s2.source, s2.paragraph, k1.source, k1.paragraph) == ("Super_Bowl_50", 2, "Kenya", 1)
    first, second = question_set.documents
    assert (first.source, first.name, len(first.paragraphs)) == ("Super_Bowl_50", "Super Bowl 50", 2)
    assert first.paragraphs[1].span.of(first.text) == "The Denver Broncos won."


def test_squad_v2_impossible_questions_expect_a_decline(tmp_path):
    path = tmp_path / "dev-v2.0.json"
    path.write_text(json.dumps(squad("v2.0", impossible=True)), encoding="utf-8")
    questions = {q.id: q for q in load_question_set(path).questions}
    assert questions["s3"].answers == () and not questions["s3"].answerable
    assert questions["s2"].answers == ("Denver Broncos",)


def test_articles_keep_some_questions_and_every_document(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(squad("1.1", impossible=False)), encoding="utf-8")
    kept = load_question_set(path, articles={"Kenya"})
    assert [q.id for q in kept.questions] == ["k1"] and len(kept.documents) == 2
    assert [q.id for q in load_question_set(path, articles={"Super Bowl 50"}).questions] == ["s1", "s2"]
    assert load_question_set(path, articles={"Nowhere"}).items == ()
    assert [q.id for q in load_question_set(path, limit=2).questions] == ["s1", "s2"]


def test_a_json_lines_set_named_json_is_read_as_json_lines(tmp_path):
    path = write_lines(tmp_path / "set.json", [{"id": "q1", "question": "Who?", "answers": ["x"]},
                                               {"id": "q2", "question": "What?", "answers": []}])
    assert [q.id for q in load_question_set(path).questions] == ["q1", "q2"]
    one = write_lines(tmp_path / "one.json", [{"id": "q1", "question": "Who?", "answers": ["x"]}])
    assert [q.id for q in load_question_set(one).questions] == ["q1"]


@pytest.mark.parametrize("content, message", [
    ('{"data": 3}', "bad.json: not a SQuAD file"),
    ('[1, 2]', "bad.json: not a SQuAD file"),
    ('{"data": []}', "bad.json: the SQuAD file has no articles"),
    ('{"version": "1.1",\n "data": [\n', "bad.json:3: not valid JSON"),
    ('{"data": [{"paragraphs": []}]}', "bad.json: article 1: not in SQuAD shape (no 'title')"),
    ('{"data": [{"title": "T", "paragraphs": [{"qas": []}]}]}', "bad.json: article 1 (T), paragraph 1: not in SQuAD shape (no 'context')"),
    ('{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": 3}]}]}', "paragraph 1: not in SQuAD shape ('qas' must be a list)"),
    ('{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "x", "answers": []}]}]}]}',
     "article 1 (T), paragraph 1, question 1: not in SQuAD shape (no 'question')"),
    ('{"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "x", "question": "q?", "answers": [{}]}]}]}]}',
     "question 1, an answer: not in SQuAD shape (no 'text')"),
    ('{"data": ["T"]}', "article 1: not in SQuAD shape (expected a JSON object)"),
])
def test_malformed_squad_files_name_the_place(tmp_path, content, message):
    assert_refused(tmp_path / "bad.json", content, message)


def test_squad_documents_for_a_corpus(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(squad("1.1", impossible=False)), encoding="utf-8")
    assert [d.source for d in load_squad_documents(path)] == ["Super_Bowl_50", "Kenya"]
    jsonl = write_lines(tmp_path / "set.json", [{"question": "Who?", "answers": []}])
    with pytest.raises(QuestionSetError, match="not a SQuAD file"):
        load_squad_documents(jsonl)


def test_relocate_renumbers_the_expected_paragraph_by_its_text():
    question = EvalQuestion("s1", "Who won?", ("Broncos",), "v2.json", "Super_Bowl_50", 1, context="The Broncos won.")
    assert relocate(question, {"Intro.": 1, "The Broncos won.": 3}).paragraph == 3
    assert relocate(question, {"Something else.": 1}) is question
    no_context = EvalQuestion("q1", "Who?", ("x",), "set.jsonl", "a.txt", 2)
    assert relocate(no_context, {"": 5}) is no_context
