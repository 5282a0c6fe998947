"""The real console through a pseudo-terminal: a person types a question,
reads the quote and citation, uses /help and /open, recalls a line with Up,
clears one with Ctrl-C and leaves with Ctrl-D."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "ask>"


@pytest.fixture()
def console(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"),
               HOME=str(tmp_path), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "assistant"], cwd=str(tmp_path), env=env,
                          dimensions=(40, 100), encoding="utf-8", timeout=20)
    child.expect("1 document, 33 paragraphs")
    child.expect(PROMPT)
    yield child, tmp_path
    if child.isalive():
        child.terminate(force=True)


def test_a_person_asks_inspects_recalls_interrupts_and_quits(console):
    child, home = console
    child.sendline("Who is the MNDAA spokesperson?")
    child.expect("Li Kyar Win")
    child.expect("¶20")
    child.expect(PROMPT)

    child.sendline("/help")
    child.expect("/open N")
    child.expect(PROMPT)

    child.sendline("/open 1")
    child.expect("They reportedly provide medical assistance")
    child.expect(PROMPT)

    child.send("\x1b[A")  # Up: the last line comes back
    child.expect("/open 1")
    child.send("\x03")  # Ctrl-C clears it and the console stays
    child.expect(PROMPT)
    child.sendline("/history")
    child.expect("Who is the MNDAA spokesperson")
    child.expect(PROMPT)

    child.sendeof()  # Ctrl-D
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    history = (home / "state" / "assistant" / "history").read_text(encoding="utf-8")
    assert "+Who is the MNDAA spokesperson?" in history


def test_no_color_means_no_colour_codes(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "c"), XDG_STATE_HOME=str(tmp_path / "s"),
               HOME=str(tmp_path), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1")
    child = pexpect.spawn(sys.executable, ["-m", "assistant", "chat"], env=env, dimensions=(40, 100),
                          encoding="utf-8", timeout=20)
    child.expect(PROMPT)
    child.sendline("Where was IB 129 stationed?")
    child.expect("¶18")
    answer_block = child.before
    child.expect(PROMPT)
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    assert "Laukkai" in answer_block
    assert "\x1b[0;1;7m" not in answer_block  # the short answer is not painted
