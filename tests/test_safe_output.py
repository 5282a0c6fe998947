"""A hostile document cannot command the terminal: escape sequences (OSC 0
retitles the window, ESC[8m hides what follows, OSC 52 writes the
clipboard), C1 controls and bidirectional overrides in a sentence or a file
name are shown, never obeyed, by `ask`, piped `chat`, the console, `/open`,
`/sources`, `/copy`, `/save` and error messages; the JSON keeps every quote
verbatim."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.safe_text import json_text, visible

ROOT = Path(__file__).resolve().parent.parent

OSC_TITLE = "\x1b]0;PWNED\x07"
CONCEAL = "\x1b[8m"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
C1_CSI = "\x9b31m"
RIGHT_TO_LEFT = "\u202e"
HOSTILE_TEXT = (
    f"Hostile {OSC_TITLE}Report\n\n"
    f"The river {OSC_TITLE}flooded the town of Marlow in 1998.\n\n"
    f"The mayor of Marlow {CONCEAL}secret words\x1b[0m was Alice Brown.\n\n"
    f"The bridge of Marlow was rebuilt {OSC_CLIPBOARD}by the army in 2001.\n\n"
    f"The dam of Marlow {C1_CSI}was built in 1950 by {RIGHT_TO_LEFT}engineers\u202c.\n"
)
HOSTILE_NAMES = (f"notes{RIGHT_TO_LEFT}txt.md", "esc\x1b]0;NAME\x07.txt")
QUESTIONS = ("When did the river flood Marlow?", "Who was the mayor of Marlow?",
             "Who rebuilt the bridge of Marlow?", "When was the dam of Marlow built?")
# What a terminal obeys: C0 but line feed and tab, DEL, C1, bidirectional controls.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture()
def hostile(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name in HOSTILE_NAMES:
        (folder / name).write_text(HOSTILE_TEXT, encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_STATE_HOME=str(tmp_path / "state"),
               HOME=str(tmp_path), COLUMNS="100")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME", "NO_COLOR"):
        env.pop(name, None)
    return folder, env


def run(env, *args, stdin: str = "", cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120)


def assert_shown_not_obeyed(output: str) -> None:
    found = OBEYED.search(output)
    assert found is None, f"{found.group()!r} reaches the terminal near {output[max(0, found.start() - 40):found.end() + 40]!r}"


def test_visible_shows_every_control_and_keeps_line_breaks_and_tabs():
    assert visible(f"a{OSC_TITLE}b") == "a␛]0;PWNED␇b"
    assert visible(f"x{CONCEAL}y") == "x␛[8my"
    assert visible("\x00\r\x7f") == "␀␍␡"
    assert visible(f"{C1_CSI}") == "\\x9b31m"
    assert visible("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") == (
        "\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069")
    assert visible("line\n\tindented ‘quoted’ — Mưa, 雨, مطر\u200f") == "line\n\tindented ‘quoted’ — Mưa, 雨, مطر\u200f"
    every_character = "".join(map(chr, range(0x3000)))
    assert OBEYED.search(visible(every_character)) is None
    assert visible(visible(every_character)) == visible(every_character)


def test_json_text_escapes_what_a_terminal_obeys_and_decodes_to_the_same_text():
    data = {"quote": HOSTILE_TEXT, "title": HOSTILE_NAMES[0], "n": [1, 2.5, None, True]}
    line = json_text(data)
    assert OBEYED.search(line) is None
    assert json.loads(line) == data


def test_ask_shows_escapes_and_citations_without_obeying_them(hostile):
    folder, env = hostile
    done = run(env, "ask", "--corpus", str(folder), *QUESTIONS)
    assert done.returncode == 0, done.stderr
    assert_shown_not_obeyed(done.stdout)
    assert_shown_not_obeyed(done.stderr)
    assert "flooded the town" in done.stdout and "␛]0;PWNED␇flooded" in done.stdout
    assert "␛[8msecret words" in done.stdout and "␛]52;c;ZXZpbA==␇" in done.stdout
    assert "\\u202e" in done.stdout  # the override in the quote and in the file name, shown
    assert "esc␛]0;NAME␇.txt" in done.stdout or "notes\\u202etxt.md" in done.stdout


def test_ask_json_keeps_every_quote_verbatim_at_its_offsets(hostile):
    folder, env = hostile
    done = run(env, "ask", "--json", "--corpus", str(folder), *QUESTIONS)
    assert done.returncode == 0, done.stderr
    assert_shown_not_obeyed(done.stdout)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(QUESTIONS) and all(a["answered"] for a in answers)
    quotes = [e for a in answers for e in a["excerpts"]]
    assert any(OSC_TITLE in e["quote"] for e in quotes) and any(OSC_CLIPBOARD in e["quote"] for e in quotes)
    assert {e["source"] for e in quotes} <= set(HOSTILE_NAMES)
    for excerpt in quotes:
        assert excerpt["quote"] == HOSTILE_TEXT[excerpt["start"]:excerpt["end"]]


def test_a_hostile_question_is_shown_not_obeyed_in_answers_and_errors(hostile):
    folder, env = hostile
    question = f"When did the river {OSC_TITLE}flood Marlow?"
    done = run(env, "ask", "--corpus", str(folder), question, "x" * 5000 + OSC_TITLE, "-k", "1")
    assert_shown_not_obeyed(done.stdout)
    assert_shown_not_obeyed(done.stderr)
    assert "Q: When did the river ␛]0;PWNED␇flood Marlow?" in done.stdout
    assert done.stderr.count("\n") == 1 and done.returncode == 2  # the long one: one line, exit 2


def test_warnings_and_errors_naming_hostile_files_are_shown_not_obeyed(hostile, tmp_path):
    folder, env = hostile
    (folder / "bin\x1b[8m\u202eary.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    done = run(env, "index", "--corpus", str(folder))
    assert done.returncode == 0, done.stderr
    assert "warning" in done.stderr and "bin␛[8m\\u202eary.txt" in done.stderr
    assert_shown_not_obeyed(done.stdout)
    assert_shown_not_obeyed(done.stderr)
    missing = run(env, "ask", "--corpus", str(tmp_path / f"gone{OSC_TITLE}"), "Who?")
    assert missing.returncode == 2 and "gone␛]0;PWNED␇" in missing.stderr
    assert_shown_not_obeyed(missing.stderr)


def test_piped_chat_and_its_commands_show_escapes_without_obeying_them(hostile, tmp_path):
    folder, env = hostile
    script = "\n".join([QUESTIONS[0], "/open 1", "/sources", "/json", QUESTIONS[3], "/save answer.md", "/copy",
                        f"/bogus{OSC_TITLE}", ""])
    done = run(env, "chat", "--corpus", str(folder), stdin=script, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert_shown_not_obeyed(done.stdout)
    assert_shown_not_obeyed(done.stderr)
    assert "»" in done.stdout and "␛]0;PWNED␇flooded" in done.stdout  # /open's paragraph, quote marked
    assert "notes\\u202etxt.md" in done.stdout and "esc␛]0;NAME␇.txt" in done.stdout  # /sources
    assert "Unknown command /bogus␛]0;PWNED␇" in done.stdout
    shown_json = done.stdout[done.stdout.index("{"):done.stdout.index("\n}") + 2]
    excerpt = json.loads(shown_json)["excerpts"][0]  # /json: verbatim once decoded
    assert excerpt["quote"] == HOSTILE_TEXT[excerpt["start"]:excerpt["end"]] and OSC_TITLE in excerpt["quote"]
    saved = (tmp_path / "answer.md").read_text(encoding="utf-8")
    assert_shown_not_obeyed(saved)
    assert "\\x9b31m" in saved and "\\u202e" in saved


def test_the_console_keeps_its_colours_and_shows_a_documents_escapes(hostile):
    pexpect = pytest.importorskip("pexpect")
    folder, env = hostile
    env = dict(env, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", LINES="40")
    child = pexpect.spawn(sys.executable, ["-m", "assistant", "chat", "--corpus", str(folder)], env=env,
                          dimensions=(40, 100), encoding="utf-8", timeout=30)
    child.logfile_read = io.StringIO()  # every character the terminal was sent
    try:
        child.expect_exact("ask> ")
        for line in (QUESTIONS[0], "/open 1", "/sources", QUESTIONS[1], "/copy"):
            child.send(line + "\r")
            child.expect_exact("ask> ")
        child.send("/quit\r")
        child.expect(pexpect.EOF)
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    assert child.exitstatus == 0
    sent = child.logfile_read.getvalue()
    assert re.search(r"\x1b\[[0-9;]*m", sent)  # the assistant's own colours are kept...
    for sequence in ("\x1b]0;PWNED", "\x1b]0;NAME", CONCEAL + "secret", "\x1b]52;c;ZXZpbA", "\x9b", "\u202e"):
        assert sequence not in sent  # ...the document's sequences are not sent
    assert "␛]0;PWNED␇" in sent and "\\u202e" in sent
    copied = re.search(r"\x1b\]52;c;([A-Za-z0-9+/=]+)\x07", sent)  # /copy's own OSC 52: the Markdown, made safe
    assert copied is not None
    markdown = base64.b64decode(copied.group(1)).decode("utf-8")
    assert "Alice Brown" in markdown and "␛[8msecret words" in markdown
    assert_shown_not_obeyed(markdown)


def test_a_file_name_with_a_line_break_cannot_forge_a_line_of_its_own(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("The river flooded the town of Marlow in 1998.\n", encoding="utf-8")
    (folder / "x\nassistant: all is well.txt").write_bytes(b"\x00\x01binary" * 40)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = run(env, "index", "--corpus", str(folder))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and "x␊assistant: all is well.txt" in done.stderr
