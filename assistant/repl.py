"""`assistant chat`: the interactive prompt on a terminal, or one question a
line when standard input is not one. Every question is a turn of one
conversation; `/new` starts another.

The pieces, in pgcli's manner: this loop; `commands` (the special commands
and their registry); `console_prompt` (prompt-toolkit: completer, history,
toolbar, colours); `console_blocks` (how an answer is laid out);
`console_session` (what is remembered between lines)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from . import commands
from .console_blocks import answer_block
from .console_session import Session, plain_printer, terminal_width, visible_fragments, welcome_line
from .errors import AssistantError
from .render import answer_to_json, answer_to_text, reading_note
from .safe_text import one_line, visible

# Typed alone, these mean what they mean in every other console.
BARE_WORDS = {"quit": "/quit", "exit": "/quit", "help": "/help"}


def run_chat(args, open_assistant) -> int:
    """The `chat` command. `open_assistant(path_or_None)` opens a corpus and
    prints its warnings; AssistantError from opening the first corpus is left
    to the command line (one line, exit 2)."""
    as_json = bool(getattr(args, "json", False))
    assistant = open_assistant(args.corpus, quiet=as_json)
    session = Session(assistant, open_assistant, k=getattr(args, "k", 3))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return run_piped(session, sys.stdin, as_json)
    return run_interactive(session)


# --- on a terminal ----------------------------------------------------------------


def use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def run_interactive(session: Session) -> int:
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.styles import Style

    from .console_prompt import STYLE, make_prompt_session

    color = use_color()
    if color:
        style = Style.from_dict(STYLE)
        session.out = lambda fragments: print_formatted_text(FormattedText(visible_fragments(fragments)), end="",
                                                             style=style)
    session.plain = not color
    session.terminal = _write_to_terminal
    session.say(welcome_line(session))
    return interactive_loop(session, make_prompt_session(session, color=color))


def interactive_loop(session: Session, prompt_session) -> int:
    """Prompt until Ctrl-D or /quit; 0 then. Ctrl-C at the prompt clears the
    line, and during an answer or a command stops it; neither ends the loop."""
    history = prompt_session.history
    history_warned = False
    while True:
        try:
            text = prompt_session.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        if getattr(history, "failure", None) and not history_warned:
            session.say(f"warning: history not saved ({history.failure}); kept in memory only.", "class:warning")
            history_warned = True
        if handle_lines(session, text.splitlines()):
            return 0


def handle_lines(session: Session, lines: Iterable[str]) -> bool:
    """Each non-empty line in turn (a pasted block is several): a command or
    a question. True when the console should end."""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        line = BARE_WORDS.get(line.lower(), line)
        try:
            if line.startswith("/"):
                if commands.run_command(session, line):
                    return True
            else:
                session.out(answer_block(session.ask(line), session.width(), session.plain) + [("", "\n")])
        except KeyboardInterrupt:
            session.error("Interrupted.")
            return False  # the rest of a pasted block too
        except AssistantError as error:
            session.error(str(error))
        except Exception as error:  # noqa: BLE001 - a console must outlive its bugs
            session.error(f"Unexpected error ({type(error).__name__}: {error}); the console goes on.")
    return False


def _write_to_terminal(sequence: str) -> None:
    sys.stdout.write(sequence)
    sys.stdout.flush()


# --- standard input not a terminal ------------------------------------------------


def run_piped(session: Session, lines: Iterable[str], as_json: bool) -> int:
    """One question a line, each a turn of the same conversation: plain text,
    or with --json exactly one JSON object a line and nothing else on
    standard output. A bad question is one line on standard error and the
    next one is read; /commands work too (their output goes to standard
    error with --json). Exit 0 at the end of the input."""
    if hasattr(lines, "reconfigure"):
        lines.reconfigure(errors="replace")  # a stray byte must not end the run with a traceback
    session.out = plain_printer(sys.stderr if as_json else None)
    width = terminal_width()
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("/"):
            try:
                if commands.run_command(session, line):
                    break
            except AssistantError as error:
                print(f"assistant: {one_line(str(error))}", file=sys.stderr, flush=True)
            continue
        try:
            answer = session.ask(line)
        except AssistantError as error:
            print(f"assistant: {one_line(str(error))}", file=sys.stderr, flush=True)
            continue
        if as_json:
            print(answer_to_json(answer), flush=True)
        else:
            note = reading_note(answer)
            shown = f"{note}\n" if note else ""
            print(visible(f"Q: {line}\n{shown}{answer_to_text(answer, width)}\n"), flush=True)
    return 0
