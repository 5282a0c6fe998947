"""The real console through a pseudo-terminal, as a person uses it: a
question shows the quote and its citation; Tab completes /he into /help;
/open 1 shows the paragraph; Up recalls a line and Ctrl-C clears it; the
toolbar shows the corpus and the answer time; Ctrl-D leaves with status 0."""

from __future__ import annotations

import os
import re
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = "ask> "
CPR_REQUEST = "\x1b[6n"  # prompt-toolkit asks where the cursor is before it draws


def words(*parts: str) -> str:
    """A pattern for pieces of text as the terminal shows them: wrapped, maybe
    with colour codes between them."""
    return r"(?:\s|\x1b\[[0-9;?]*[a-zA-Z])*".join(re.escape(p) for p in parts)


def spawn(tmp_path, *args, **extra_env):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"),
               HOME=str(tmp_path), TERM="xterm-256color", COLUMNS="100", LINES="40", **extra_env)
    env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
    return pexpect.spawn(sys.executable, ["-m", "assistant", *args], cwd=str(tmp_path), env=env,
                         dimensions=(40, 100), encoding="utf-8", timeout=20)


def expect_prompt(child) -> None:
    """Wait for the prompt, answering its cursor-position request as a real
    terminal does (without an answer prompt-toolkit hides the toolbar)."""
    child.expect_exact(CPR_REQUEST)
    child.send("\x1b[20;1R")
    child.expect_exact(PROMPT)


def test_a_person_asks_completes_opens_recalls_interrupts_and_quits(tmp_path):
    child = spawn(tmp_path)
    try:
        child.expect_exact("seeds: 1 document, 33 paragraphs. Ask a question, or /help for commands.")
        expect_prompt(child)

        child.send("Who is the MNDAA spokesperson?\r")
        child.expect(words("[1]", "“", "Li Kyar Win", ", the MNDAA spokesperson,"))
        child.expect(words("Soldiers of Conscience: Myanmar’s military defectors, ¶20, line 44"))
        expect_prompt(child)
        child.expect(words("seeds · 1 doc, 33 paragraphs · k=3 · turn 1 · answered in"))  # the toolbar

        child.send("/he")
        child.expect_exact("list the commands, or tell more about one")  # the completion menu
        child.send("\t")
        child.expect_exact("/help")
        child.send("\r")
        child.expect_exact("/open N")
        child.expect_exact("Ctrl-C clears the line")
        expect_prompt(child)

        child.send("/open 1\r")
        child.expect(words("They", "reportedly", "provide", "medical", "assistance"))
        expect_prompt(child)

        child.send("\x1b[A")  # Up: the last line comes back...
        child.expect_exact("/open 1")
        child.send("\x03")  # ...Ctrl-C clears it, and the console stays
        expect_prompt(child)
        child.send("/history\r")
        child.expect_exact("1. Who is the MNDAA spokesperson?")
        expect_prompt(child)

        child.sendeof()  # Ctrl-D
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        assert "Traceback" not in child.before
    finally:
        if child.isalive():
            child.terminate(force=True)
    history = (tmp_path / "state" / "assistant" / "history").read_text(encoding="utf-8")
    assert "+Who is the MNDAA spokesperson?\n" in history and "+/open 1\n" in history


def plain_answer(tmp_path, question: str, until: str, *args) -> tuple[str, int]:
    """A console without colours asked one question: what it showed up to
    `until`, and its exit status after /quit."""
    child = spawn(tmp_path, *args, NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
    try:
        child.expect_exact(PROMPT)
        child.send(f"{question}\r")
        child.expect_exact(until)
        block = child.before
        child.expect_exact(PROMPT)
        child.send("/quit\r")
        child.expect(pexpect.EOF)
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    return block, child.exitstatus


def test_no_color_means_no_colour_and_the_answer_spelled_out(tmp_path):
    block, status = plain_answer(tmp_path, "Where was IB 129 stationed?", "answer: Laukkai", "chat")
    assert status == 0
    assert "¶18, line 40" in block
    assert not re.search(r"\x1b\[[0-9;]*m", block.split("[1] “On Nov. 14", 1)[1])  # no colour codes at all


def test_a_code_quote_is_shown_line_by_line_as_written(tmp_path):
    # A command and what it prints, reflowed onto one line, read as one
    # garbled command; and "*.pyc" in code is no emphasis.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "clean.md").write_text(
        "# Cleaning up\n\nHow to remove compiled files:\n\n```\n$ find . -name '*.pyc' -delete\n"
        "$ ls build/\nnothing left\n```\n", encoding="utf-8")
    block, _ = plain_answer(tmp_path, "How do I remove compiled files with find?", "— Cleaning up", "--corpus", str(docs))
    lines = [line.strip() for line in block.replace("\r", "").split("\n")]
    at = next(i for i, line in enumerate(lines) if line.endswith("“How to remove compiled files:"))
    assert lines[at + 1 : at + 4] == ["$ find . -name '*.pyc' -delete", "$ ls build/", "nothing left”"]
