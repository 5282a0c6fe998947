"""The chat console's loop and commands, driven through prompt-toolkit's pipe
input and a dummy output; and piped (non-terminal) chat through a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from assistant import repl
from assistant.answerer import Assistant
from assistant.cli import open_assistant

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


@pytest.fixture()
def session(env):
    printed: list[str] = []
    assistant = Assistant.open(SEEDS)
    s = repl.Session(assistant, lambda corpus, quiet=False: open_assistant(corpus, quiet=True), None)
    s.out = lambda fragments: printed.append("".join(text for _, text in fragments))
    s.printed = printed
    return s


def run_lines(session, keys: str) -> int:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompt = repl.make_prompt_session(session, input=pipe, output=DummyOutput())
        return repl.interactive_loop(session, prompt)


def text_of(session) -> str:
    return "".join(session.printed)


def test_a_question_prints_the_quote_with_its_citation_and_ctrl_d_quits(session):
    status = run_lines(session, "Who is the MNDAA spokesperson?\r\x04")
    out = text_of(session)
    assert status == 0
    assert "Li Kyar Win, the MNDAA spokesperson" in out
    assert "¶20" in out and "000_50fe43ddfa67b07d.txt" in out


def test_follow_ups_are_turns_of_one_conversation_and_new_forgets_them(session):
    run_lines(session, "Tell me about Infantry Battalion 129\rWhere was it stationed?\r/new\rWhere was it stationed?\r\x04")
    assert session.questions[-1] == "Where was it stationed?"
    out = text_of(session)
    assert "taking it to mean: Infantry Battalion 129" in out
    assert "New conversation." in out
    assert session.last.resolved_question is None  # after /new nothing to lean on


def test_help_lists_every_command(session):
    run_lines(session, "/help\r\x04")
    out = text_of(session)
    for name in ("/help", "/quit", "/exit", "/sources", "/open N", "/more", "/k N", "/corpus PATH", "/history",
                 "/json", "/copy", "/save FILE", "/new"):
        assert name in out


def test_open_shows_the_whole_paragraph_with_the_quote_marked(session):
    run_lines(session, "Who is the MNDAA spokesperson?\r/open 1\r/open 9\r\x04")
    out = text_of(session)
    assert "»Li Kyar Win, the MNDAA spokesperson" in out
    assert "They reportedly provide medical assistance" in out  # the rest of ¶20
    assert "/open wants a citation number from 1 to" in out


def test_more_k_history_json_and_sources(session):
    run_lines(session, "/k 1\rWho is the MNDAA spokesperson?\r/more\r/history\r/json\r/sources\r\x04")
    out = text_of(session)
    assert "Showing 1 excerpt per answer." in out
    assert "[2]" in out  # /more numbered on from the one shown
    assert "1. Who is the MNDAA spokesperson?" in out
    shown = out[out.index('{\n  "question"') :]
    assert json.loads(shown[: shown.index("\n}\n") + 2])["answered"] is True
    assert "Soldiers of Conscience" in out and "paragraphs)" in out


def test_save_writes_markdown_and_never_overwrites(session, env):
    target = env / "answer.md"
    run_lines(session, f"Who is the MNDAA spokesperson?\r/save {target}\r/save {target}\r\x04")
    saved = target.read_text(encoding="utf-8")
    assert "**Li Kyar Win**" in saved and "¶20" in saved
    assert "already exists; not overwritten" in text_of(session)
    assert target.read_text(encoding="utf-8") == saved
    assert [p.name for p in env.iterdir() if p.name.startswith(".answer")] == []


def test_unknown_command_and_bad_question_get_one_line_and_the_loop_goes_on(session):
    status = run_lines(session, "/opne 1\r" + "x" * 1200 + "\rWho is the MNDAA spokesperson?\r/quit\r")
    out = text_of(session)
    assert status == 0
    assert "Unknown command /opne. Did you mean /open?" in out
    assert "too long" in out
    assert "Li Kyar Win" in out


def test_corpus_switch_keeps_the_old_corpus_when_the_new_one_fails(session, env):
    other = env / "docs"
    other.mkdir()
    (other / "kenya.txt").write_text("Kenya\n\nNairobi is the capital of Kenya.\n", encoding="utf-8")
    run_lines(session, f"/corpus {env / 'missing'}\r/corpus {other}\rWhat is the capital of Kenya?\r\x04")
    out = text_of(session)
    assert "still on the previous corpus" in out
    assert "1 document" in out and "Nairobi" in out


def test_history_is_saved_under_xdg_state_home(session, env):
    run_lines(session, "Who is the MNDAA spokesperson?\r\x04")
    assert "Who is the MNDAA spokesperson?" in (env / "state" / "assistant" / "history").read_text(encoding="utf-8")


def test_a_pasted_block_is_asked_line_by_line(session):
    run_lines(session, "\x1b[200~Who is the MNDAA spokesperson?\nWhere was IB 129 stationed?\x1b[201~\r\x04")
    assert session.questions == ["Who is the MNDAA spokesperson?", "Where was IB 129 stationed?"]


def test_the_short_answer_is_marked_in_the_wrapped_quote(session):
    fragments = []
    session.out = fragments.extend
    session.width = 40
    answer = session.assistant.ask("Where was IB 129 stationed?")
    repl.render_answer(session, answer)
    marked = "".join(text for style, text in fragments if style == "class:answer")
    assert marked == "Laukkai"


def run_piped(args, text, env_dir):
    env = dict(os.environ, XDG_CACHE_HOME=str(env_dir / "c"), XDG_STATE_HOME=str(env_dir / "s"))
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=text, capture_output=True,
                          text=True, env=env, timeout=60)


def test_piped_chat_answers_each_line_as_a_turn_in_json(env):
    result = run_piped(["chat", "--json"], "Who is the MNDAA spokesperson?\n\nWhat does he guarantee?\n", env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"question", "answered", "excerpts", "message"}
    assert "Li Kyar Win" in first["excerpts"][0]["quote"]
    assert "guarantees the safety" in second["excerpts"][0]["quote"]


def test_piped_chat_in_plain_text_and_bad_lines_do_not_stop_it(env):
    result = run_piped(["chat"], "x" * 1500 + "\nWhere was IB 129 stationed?\n", env)
    assert result.returncode == 0
    assert "too long" in result.stderr and "Traceback" not in result.stderr
    assert "Laukkai" in result.stdout and "¶18" in result.stdout
