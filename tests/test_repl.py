"""The chat console: the session loop and every command driven through
prompt-toolkit's pipe input and a dummy output; the layout of an answer; and
piped (non-terminal) chat through a real process."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from assistant import commands, repl
from assistant.answerer import Assistant
from assistant.cli import open_assistant
from assistant.console_blocks import answer_block, wrap_ranges, wrapped
from assistant.console_clipboard import osc52
from assistant.console_prompt import ConsoleCompleter, make_prompt_session, toolbar_text
from assistant.console_session import Session
from assistant.errors import AssistantError
from assistant.render import answer_to_markdown

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TEXT = (SEEDS / "000_50fe43ddfa67b07d.txt").read_text(encoding="utf-8")
SPOKESPERSON = "Who is the MNDAA spokesperson?"
CTRL_D, CTRL_C, UP = "\x04", "\x03", "\x1b[A"


@pytest.fixture(scope="module")
def seed_assistant(tmp_path_factory):
    return Assistant.open(SEEDS, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "WSL_DISTRO_NAME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


class Console:
    """A session whose output is collected as style fragments."""

    def __init__(self, assistant, opener=None):
        self.fragments: list[tuple[str, str]] = []
        self.session = Session(assistant, opener or (lambda corpus, quiet=False: open_assistant(corpus, quiet=True)))
        self.session.out = self.fragments.extend
        self.session.width = lambda: 88
        self.session.plain = False  # as on a colour terminal: the marks are styles

    def type(self, *keys: str) -> int:
        """Type at the real prompt (Enter is \\r): each string as a prompt
        starts, then Ctrl-D. Keys that must wait for the prompt to be ready
        (Up needs the history loaded) go in a string of their own."""
        pending = list(keys)
        with create_pipe_input() as pipe:
            prompt = make_prompt_session(self.session, input=pipe, output=DummyOutput())
            ask = prompt.prompt

            def prompt_with_keys(*args, **kwargs):
                return ask(*args, pre_run=lambda: pipe.send_text(pending.pop(0) if pending else CTRL_D), **kwargs)

            prompt.prompt = prompt_with_keys
            return repl.interactive_loop(self.session, prompt)

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.fragments)

    def styled(self, style: str) -> list[str]:
        return [text for s, text in self.fragments if s == style]

    def clear(self) -> None:
        self.fragments.clear()


def marked_runs(fragments, style: str = "class:answer") -> list[str]:
    """The stretches of text in `style`, a line break inside one read as a space."""
    joined = "".join(t if s == style else (" " if t.startswith("\n") else "|") for s, t in fragments)
    return [" ".join(run.split()) for run in joined.split("|") if run.strip()]


@pytest.fixture()
def console(env, seed_assistant):
    return Console(seed_assistant)


# --- asking ------------------------------------------------------------------------


def test_a_question_shows_the_quote_the_short_answer_and_the_citation_and_ctrl_d_quits_with_0(console):
    assert console.type(SPOKESPERSON + "\r" + CTRL_D) == 0
    assert "[1] “Li Kyar Win, the MNDAA spokesperson, said that he guarantees" in console.text
    assert "— Soldiers of Conscience: Myanmar’s military defectors, ¶20, line 44" in console.text
    assert "".join(console.styled("class:answer")) == "Li Kyar Win"
    # the first quote is the answer; the others are dimmed
    assert console.styled("class:quote-dim") and SEED_TEXT.count("Li Kyar Win") == 1


def test_a_question_with_chat_spellings_shows_how_it_was_read(console):
    console.type("how many ppl does the mndaa hold in custody\r" + CTRL_D)
    assert "(read as: how many people does the mndaa hold in custody)" in console.text
    assert "534" in console.styled("class:answer")


def test_follow_ups_are_turns_of_one_conversation_and_new_forgets_them(console):
    console.type("Tell me about Infantry Battalion 129\rWhere was it stationed?\r" + CTRL_D)
    assert "taking it to mean: Infantry Battalion 129" in console.text
    assert "Laukkai" in console.styled("class:answer")
    assert len(console.session.conversation.turns) == 2
    console.clear()
    console.type("/new\rWhere was it stationed?\r" + CTRL_D)
    assert "New conversation" in console.text
    assert "taking it to mean" not in console.text
    assert console.session.last.referent is None


def test_an_abstention_says_so_and_shows_the_nearest_passages(console):
    console.type("What is the capital of France?\r" + CTRL_D)
    assert console.styled("class:warning") == ["I could not find this in the documents.\n"]
    assert console.session.last.answered is False
    assert console.session.last.message in console.text


def test_a_bad_question_and_an_unknown_command_are_one_line_and_the_loop_goes_on(console):
    assert console.type("/opne 1\r" + "x" * 1200 + "\r" + SPOKESPERSON + "\r/quit\r") == 0
    errors = console.styled("class:error")
    assert errors[0] == "Unknown command /opne. Did you mean /open? (/help lists the commands)\n"
    assert "too long" in errors[1] and errors[1].count("\n") == 1
    assert "Li Kyar Win" in console.styled("class:answer")


def test_an_unknown_command_far_from_any_is_not_given_a_wrong_suggestion(console):
    console.type("/bogus\r" + CTRL_D)
    assert console.styled("class:error") == ["Unknown command /bogus. (/help lists the commands)\n"]


def test_bare_quit_and_help_work_as_in_other_consoles(console):
    assert console.type("help\rexit\rWho is the MNDAA spokesperson?\r") == 0
    assert "/sources [WORD]" in console.text
    assert console.session.questions == []  # "exit" ended it before the question


def test_a_pasted_block_is_asked_line_by_line(console):
    console.type(f"\x1b[200~{SPOKESPERSON}\n\nWhat does he guarantee?\n/history\x1b[201~\r" + CTRL_D)
    assert console.session.questions == [SPOKESPERSON, "What does he guarantee?"]
    assert "safety of soldiers and their families" in marked_runs(console.fragments)
    assert "  2. What does he guarantee?" in console.text


# --- keys ---------------------------------------------------------------------------


def test_ctrl_c_clears_the_line_and_the_console_stays(console):
    assert console.type("Where was IB 129 stationed" + CTRL_C + "/history\r" + CTRL_D) == 0
    assert console.session.questions == []
    assert "No questions yet." in console.text


def test_up_recalls_the_last_line(console):
    console.type(SPOKESPERSON + "\r", UP + "\r")
    assert console.session.questions == [SPOKESPERSON, SPOKESPERSON]


def test_the_completer_offers_commands_citations_and_paths(console, env):
    completer = ConsoleCompleter(console.session)

    def offered(text):
        return [c.text for c in completer.get_completions(Document(text, len(text)), CompleteEvent())]

    assert offered("/s") == ["/sources", "/save"]
    assert offered("/ex") == ["/exit"]
    assert offered("Who is") == []
    (env / "notes-a.md").write_text("x", encoding="utf-8")
    assert offered(f"/save {env}/notes-") == ["a.md"]
    assert offered("/open ") == []  # nothing answered yet
    console.session.ask(SPOKESPERSON)
    assert offered("/open ") == ["1", "2", "3"]
    assert offered("/help op") == ["open"]


def test_ctrl_c_while_answering_returns_to_the_prompt(env, seed_assistant):
    class Interrupted:
        library = seed_assistant.library

        def ask(self, question, k=3, conversation=None):
            if question == "slow question":
                raise KeyboardInterrupt
            return seed_assistant.ask(question, k=k, conversation=conversation)

    console = Console(Interrupted())
    # The rest of a pasted block is dropped with the interrupted line.
    assert console.type("\x1b[200~slow question\nnever asked\x1b[201~\r" + SPOKESPERSON + "\r" + CTRL_D) == 0
    assert console.styled("class:error") == ["Interrupted.\n"]
    assert console.session.questions == [SPOKESPERSON]


def test_an_unexpected_error_in_a_command_is_one_line(console, monkeypatch):
    def broken(session, argument):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(commands.COMMANDS, "/json", commands.Command("/json", "/json", "x", broken))
    assert console.type("/json\r/history\r" + CTRL_D) == 0
    assert console.styled("class:error") == ["Unexpected error (RuntimeError: disk on fire); the console goes on.\n"]
    assert "No questions yet." in console.text


# --- history and toolbar -------------------------------------------------------------


def test_history_is_saved_under_xdg_state_home(console, env):
    console.type(SPOKESPERSON + "\r" + CTRL_D)
    saved = (env / "state" / "assistant" / "history").read_text(encoding="utf-8")
    assert f"+{SPOKESPERSON}\n" in saved


def test_history_falls_back_to_memory_when_it_cannot_be_written(console, env, monkeypatch):
    blocker = env / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    assert console.type(SPOKESPERSON + "\r", UP + "\r") == 0
    warnings = console.styled("class:warning")
    assert len(warnings) == 1 and warnings[0].startswith("warning: cannot keep the history in")
    assert console.session.questions == [SPOKESPERSON, SPOKESPERSON]  # Up still works, from memory


def test_the_toolbar_shows_the_corpus_and_the_answer_time(console):
    before = "".join(text for _, text in toolbar_text(console.session))
    assert "seeds · 1 doc, 33 paragraphs · k=3" in before and "answered in" not in before
    console.session.ask(SPOKESPERSON)
    after = "".join(text for _, text in toolbar_text(console.session))
    assert "turn 1" in after and "answered in" in after and " ms" in after


# --- the commands ------------------------------------------------------------------


def test_help_is_generated_from_the_registry(console, monkeypatch):
    monkeypatch.setitem(commands.COMMANDS, "/zap", commands.Command("/zap", "/zap", "a command added for this test",
                                                                    lambda s, a: None))
    console.type("/help\r" + CTRL_D)
    for command in commands.COMMANDS.values():
        assert command.usage in console.text and command.summary in console.text
    assert "a command added for this test" in console.text
    assert "(also /exit, /q)" in console.text
    assert "pasted block" in console.text and "Ctrl-C clears the line" in console.text


def test_help_about_one_command_gives_its_details(console):
    console.type("/help save\r/help nosuch\r" + CTRL_D)
    assert "never overwritten" in console.text
    assert console.styled("class:error") == ["No command nosuch. /help lists them.\n"]


def test_open_shows_the_whole_paragraph_with_the_quote_marked(console):
    console.type("/open 1\r" + SPOKESPERSON + "\r")
    assert console.text.startswith("No answer yet")
    console.clear()
    console.type("/open 1\r/open 9\r/open x\r")
    answer = console.session.last.excerpts[0]
    assert console.styled("class:answer") == ["Li Kyar Win"]  # the short answer, inside the marked quote
    opened = [(("mark" if s in ("class:quote-marked", "class:answer") else s), t) for s, t in console.fragments]
    assert marked_runs(opened, "mark") == [" ".join(answer.quote.split())]
    assert "Each soldier receives one million kyat" in " ".join(console.text.split())  # the rest of ¶20
    assert console.styled("class:error") == ["/open wants a citation number from 1 to 3.\n"] * 2


def test_open_without_colours_marks_the_quote_with_guillemets(console):
    console.session.plain = True
    console.type("Where was IB 129 stationed?\r/open\r" + CTRL_D)
    flat = " ".join(console.text.split())
    assert "»On Nov. 14, all 127 members" in flat and "border, surrendered.« Along with their family members" in flat
    assert "answer: Laukkai" in console.text


def test_more_continues_the_numbering_and_k_sets_how_many(console):
    console.type("/k 0\r/k 1\r/k\rWhat is the People's Embrace program?\r/more\r/open 2\r" + CTRL_D)
    assert console.styled("class:error") == ["/k wants a number from 1 to 20 (now 3).\n"]
    assert "Showing 1 excerpt per answer from the next question on." in console.text
    assert len(console.session.last.excerpts) == 1
    extra = console.session.last.more[0]
    assert console.session.shown[1] == extra
    assert "[2] “" in console.text
    assert f"¶{extra.paragraph}, line {extra.line}" in console.text.split("[2] ")[-1]


def test_why_says_what_put_the_first_quote_first_or_why_it_declined(console):
    console.type("/why\r" + SPOKESPERSON + "\r/why\rWhat is the population of Myanmar?\r/why\r" + CTRL_D)
    assert console.text.startswith("No answer yet")
    first, declined = console.text.split("The best sentence answers with probability ")[1:3]
    assert "It holds: “mndaa”" in first and "First, ahead of the next sentence, because " in first
    assert "It lacks: “population”" in declined
    assert "Declined: the documents do not seem to answer this" in console.text


def test_more_says_when_there_is_nothing_more(console):
    # With /k 20 every excerpt found is shown at once: none is left for /more.
    console.type("/more\r/k 20\rWhere was IB 129 stationed?\r/more\r" + CTRL_D)
    assert console.text.startswith("No answer yet")
    assert console.session.last.more == ()
    assert console.text.endswith("No further excerpts for this question.\n")


def test_history_json_and_sources(console):
    console.type(SPOKESPERSON + "\rWhere was IB 129 stationed?\r/history 1\r/json\r/sources\r/sources nothing\r" + CTRL_D)
    assert "  2. Where was IB 129 stationed?" in console.text
    assert "  1. Who is" not in console.text
    shown = console.text[console.text.index('{\n  "question"'):]
    answer = json.loads(shown[: shown.index("\n}\n") + 2])
    assert answer["question"] == "Where was IB 129 stationed?" and answer["answered"] is True
    assert SEED_TEXT[answer["excerpts"][0]["start"] : answer["excerpts"][0]["end"]] == answer["excerpts"][0]["quote"]
    assert "000_50fe43ddfa67b07d.txt — Soldiers of Conscience: Myanmar’s military defectors" in console.text
    assert f"({len(SEED_TEXT):,} characters, 33 paragraphs)" in console.text
    assert "0 matching “nothing”" in console.text


def test_corpus_switches_and_keeps_the_old_one_when_the_new_one_fails(console, env):
    other = env / "docs"
    other.mkdir()
    (other / "kenya.txt").write_text("Kenya\n\nNairobi is the capital of Kenya.\n", encoding="utf-8")
    console.type(f"/corpus {env / 'missing'}\r/corpus\r{SPOKESPERSON}\r/corpus {other}\r"
                 "What is the capital of Kenya?\r" + CTRL_D)
    errors = console.styled("class:error")
    assert len(errors) == 1 and errors[0].endswith(f"; still on {SEEDS}.\n")
    assert f"On {SEEDS}." in console.text
    paragraphs = console.session.assistant.library.paragraph_count
    assert f"docs: 1 document, {paragraphs} paragraph{'s' if paragraphs > 1 else ''}. Ask a question" in console.text
    assert "Nairobi" in console.styled("class:answer")
    assert len(console.session.conversation.turns) == 1  # the new corpus started a new conversation


def test_ctrl_c_while_indexing_stays_on_the_current_corpus(env, seed_assistant):
    def interrupted(corpus, quiet=False):
        raise KeyboardInterrupt

    console = Console(seed_assistant, interrupted)
    assert console.type("/corpus /somewhere/big\r" + SPOKESPERSON + "\r" + CTRL_D) == 0
    assert console.styled("class:error") == [f"Indexing interrupted; still on {SEEDS}.\n"]
    assert console.session.assistant is seed_assistant and "Li Kyar Win" in console.styled("class:answer")


def test_save_writes_markdown_atomically_and_never_overwrites(console, env):
    target = env / "answer.md"
    console.type(f"/save {target}\r{SPOKESPERSON}\r/save {target}\r/save {target}\r/save {env}\r"
                 f"/save {env / 'no' / 'such.md'}\r/save\r" + CTRL_D)
    saved = target.read_text(encoding="utf-8")
    assert saved == answer_to_markdown(console.session.last)
    assert "**Li Kyar Win**" in saved and "¶20" in saved
    errors = console.styled("class:error")
    assert errors[0] == f"{target} already exists; not overwritten. Choose another name.\n"
    assert errors[1] == f"{env} is a folder; /save wants a file name.\n"
    assert errors[2].startswith(f"Cannot save to {env / 'no' / 'such.md'}: No such file or directory")
    assert errors[3] == "Usage: /save FILE\n"
    assert sorted(p.name for p in env.iterdir() if p.is_file()) == ["answer.md"]  # no temporary file left


def test_copy_uses_a_clipboard_tool_when_there_is_a_desktop(console, env, monkeypatch):
    tools = env / "bin"
    tools.mkdir()
    clip = tools / "xclip"
    clip.write_text(f"#!/bin/sh\nexec /bin/cat > {env / 'clipboard'}\n", encoding="utf-8")
    clip.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    console.type(SPOKESPERSON + "\r/copy\r" + CTRL_D)
    assert (env / "clipboard").read_text(encoding="utf-8") == answer_to_markdown(console.session.last)
    assert "Copied to the clipboard with xclip." in console.text


def test_copy_falls_back_to_osc_52_on_a_terminal_and_says_so(console, env, monkeypatch):
    monkeypatch.setenv("PATH", str(env / "empty"))
    sent: list[str] = []
    console.session.terminal = sent.append
    console.type("/copy\r" + SPOKESPERSON + "\r/copy\r" + CTRL_D)
    assert console.text.startswith("No answer yet")
    assert len(sent) == 1 and sent[0] == osc52(answer_to_markdown(console.session.last))
    payload = sent[0][len("\033]52;c;") : -1]
    assert base64.b64decode(payload).decode("utf-8") == answer_to_markdown(console.session.last)
    assert "(OSC 52)" in console.text and "/save FILE" in console.text


def test_copy_says_when_it_cannot(console, env, monkeypatch):
    monkeypatch.setenv("PATH", str(env / "empty"))
    console.type(SPOKESPERSON + "\r/copy\r" + CTRL_D)
    assert console.styled("class:error") == [
        "Cannot copy: no clipboard tool found and the output is not a terminal. Use /save FILE.\n"]


# --- layout -------------------------------------------------------------------------


def test_wrapping_keeps_offsets_width_paragraph_breaks_and_list_items():
    text = "one two three four five six seven eight nine ten eleven twelve\nthirteen\n\nNew paragraph here\n- item one\n- item two"
    lines = [text[a:b] for a, b in wrap_ranges(text, 20)]
    assert lines == ["one two three four", "five six seven eight", "nine ten eleven", "twelve\nthirteen", "",
                     "New paragraph here", "- item one", "- item two"]
    shown = "".join(t for _, t in wrapped(text, 24, label=("", "[1] ")))
    assert "twelve thirteen" in shown and "\n\n    New paragraph here\n    - item one\n" in shown


def test_the_short_answer_stays_marked_across_line_ends(console):
    answer = console.session.assistant.ask("What does he guarantee? (Li Kyar Win)")
    short = answer.excerpts[0].answer
    for width in (24, 40, 60, 88):
        fragments = answer_block(answer, width)
        assert marked_runs(fragments) == [short.text]
        for line in "".join(t for _, t in fragments).splitlines():
            assert len(line) <= max(width, 20) or " " not in line.strip()


def test_plain_output_spells_out_the_short_answer(console):
    answer = console.session.assistant.ask("Where was IB 129 stationed?")
    assert "    answer: Laukkai\n" in "".join(t for _, t in answer_block(answer, 88, plain=True))
    assert "answer: Laukkai" not in "".join(t for _, t in answer_block(answer, 88, plain=False))


# --- piped chat ---------------------------------------------------------------------


def chat_process(args, env_dir):
    env = dict(os.environ, XDG_CACHE_HOME=str(env_dir / "c"), XDG_STATE_HOME=str(env_dir / "s"))
    return [sys.executable, "-m", "assistant", "chat", *args], env


def run_piped(args, text, env_dir):
    command, env = chat_process(args, env_dir)
    return subprocess.run(command, input=text, capture_output=True, text=True, env=env, timeout=60)


def test_piped_json_is_one_flushed_object_per_question_and_follow_ups_are_turns(env):
    command, environment = chat_process(["--json"], env)
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=environment) as process:
        # Each answer arrives before the next question is written: flushed per line.
        process.stdin.write(SPOKESPERSON + "\n\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())
        process.stdin.write("What does he guarantee?\n/help\n")
        process.stdin.flush()
        second = json.loads(process.stdout.readline())
        process.stdin.close()
        rest = process.stdout.read()
        errors = process.stderr.read()
        assert process.wait(timeout=30) == 0
    assert set(first) == {"question", "answered", "excerpts", "message", "why"}
    assert first["answered"] and first["excerpts"][0]["answer"]["text"] == "Li Kyar Win"
    assert second["question"] == "What does he guarantee?"
    assert "guarantees the safety of soldiers" in second["excerpts"][0]["quote"]
    assert rest == ""  # /help printed nothing on standard output...
    assert "/open N" in errors  # ...its text went to standard error


def test_piped_plain_text_skips_bad_lines_and_new_starts_afresh(env):
    result = run_piped([], "x" * 1500 + "\n" + SPOKESPERSON + "\nWhat does he guarantee?\n/new\nWhat does he guarantee?\n", env)
    assert result.returncode == 0
    assert "too long" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    blocks = result.stdout.split("Q: ")[1:]
    assert [b.splitlines()[0] for b in blocks] == [SPOKESPERSON, "What does he guarantee?", "What does he guarantee?"]
    assert "¶20" in blocks[0] and "answer: Li Kyar Win" in blocks[0]
    assert "(taking it to mean: Li Kyar Win)" in blocks[1]
    assert "taking it to mean" not in blocks[2]


def test_piped_chat_survives_undecodable_bytes(env):
    command, environment = chat_process(["--json"], env)
    result = subprocess.run(command, input=b"\xff\xfe bad \xc3\n" + SPOKESPERSON.encode() + b"\n",
                            capture_output=True, env=environment, timeout=60)
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["question"] == SPOKESPERSON


def test_a_missing_corpus_is_one_line_and_exit_2(env):
    result = run_piped(["--corpus", str(env / "missing")], SPOKESPERSON + "\n", env)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("assistant: ")


def test_assistant_errors_from_commands_in_a_pipe_are_one_line(env, seed_assistant, monkeypatch, capsys):
    def broken(session, argument):
        raise AssistantError("the corpus changed under us")

    monkeypatch.setitem(commands.COMMANDS, "/sources", commands.Command("/sources", "/sources", "x", broken))
    session = Session(seed_assistant, open_assistant)
    assert repl.run_piped(session, ["/sources", SPOKESPERSON], as_json=True) == 0
    out, err = capsys.readouterr()
    assert err == "assistant: the corpus changed under us\n"
    assert json.loads(out)["question"] == SPOKESPERSON
