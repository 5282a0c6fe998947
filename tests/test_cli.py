"""The outside contract (../shared/CONTRACT.md) through the real program:
JSON Lines output, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXCERPT_KEYS = {"quote", "source", "title", "paragraph", "start", "end", "score", "answer"}


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"))


def run(args, env, stdin="", cwd=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=60)


def test_ask_json_prints_one_contract_object_per_question(env, tmp_path):
    result = run(["ask", "--json", "Who is the MNDAA spokesperson?", "Who won the 2018 FIFA World Cup?"], env,
                 cwd=tmp_path)  # the seed corpus is found from anywhere
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert set(first) == {"question", "answered", "excerpts", "message"}
    assert first["answered"] is True and first["message"] is None
    assert 1 <= len(first["excerpts"]) <= 3
    for excerpt in first["excerpts"]:
        assert set(excerpt) == EXCERPT_KEYS
        assert excerpt["source"] == "000_50fe43ddfa67b07d.txt"
    top = first["excerpts"][0]
    assert top["answer"] == {"text": "Li Kyar Win", "start": top["start"], "end": top["start"] + 11}
    text = (ROOT / "seeds" / top["source"]).read_text(encoding="utf-8")
    assert text[top["start"] : top["end"]] == top["quote"]
    assert second["answered"] is False and second["message"].endswith(".")


def test_ask_reads_questions_from_standard_input_and_k_limits_excerpts(env):
    result = run(["ask", "--json", "-k", "1", "-"], env, stdin="Where was IB 129 stationed?\n\nWho wrote the article?\n")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [len(a["excerpts"]) for a in answers] == [1, 1]
    assert answers[0]["excerpts"][0]["answer"]["text"] == "Laukkai"
    assert answers[1]["excerpts"][0]["quote"] == "James Shwe"


def test_plain_ask_shows_quote_citation_and_answer(env, capsys):
    assert main(["ask", "How many soldiers have defected since the coup?"]) == 0
    out = capsys.readouterr().out
    assert "“It states that over 14,000 have laid down their weapons" in out
    assert "Soldiers of Conscience: Myanmar’s military defectors, ¶13" in out


def test_a_single_file_corpus_cites_its_file_name(env, tmp_path):
    doc = tmp_path / "report.md"
    doc.write_text("# Harbour report\n\nThe harbour reopened on 3 May 2024 after repairs.\n", encoding="utf-8")
    result = run(["ask", "--json", "--corpus", str(doc), "When did the harbour reopen?"], env)
    excerpt = json.loads(result.stdout)["excerpts"][0]
    assert excerpt["source"] == "report.md" and excerpt["title"] == "Harbour report"
    assert excerpt["paragraph"] == 2 and excerpt["answer"]["text"] == "3 May 2024"


def test_index_says_what_it_holds_and_reuses_the_saved_index(env):
    first = run(["index"], env)
    second = run(["index"], env)
    assert first.returncode == second.returncode == 0
    assert first.stdout.startswith("built the index") and "1 documents, 33 paragraphs" in first.stdout
    assert second.stdout.startswith("loaded the saved index")


@pytest.mark.parametrize("args, message", [
    (["ask", "--corpus", "/no/such/folder", "Who?"], "corpus not found"),
    (["ask", ""], "the question is empty"),
    (["ask", "   "], "the question is empty"),
    (["ask", "x" * 5000], "too long"),
    (["ask", "-k", "0", "Who?"], "-k must be at least 1"),
    (["frobnicate"], "invalid choice"),
    (["ask", "--bogus", "Who?"], "unrecognized arguments"),
])
def test_bad_usage_is_one_line_on_stderr_and_exit_2(env, args, message):
    result = run(args, env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("assistant: ")
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_empty_and_binary_only_folders_are_unusable(env, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / "blob.txt").write_bytes(b"\x00\xff" * 100)
    for folder, message in ((empty, "no .txt or .md documents"), (binary, "no readable documents")):
        result = run(["ask", "--corpus", str(folder), "Anything?"], env)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_skipped_file_is_a_warning_and_the_rest_answers(env, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "blob.txt").write_bytes(b"\x00\xff" * 100)
    (folder / "note.txt").write_text("The bridge opened in 1932.", encoding="utf-8")
    result = run(["ask", "--json", "--corpus", str(folder), "When did the bridge open?"], env)
    assert result.returncode == 0
    assert "warning: skipped blob.txt: binary file" in result.stderr
    assert json.loads(result.stdout)["excerpts"][0]["answer"]["text"] == "1932"
