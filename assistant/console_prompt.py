"""The prompt-toolkit side of the console: the completer, the saved history,
the bottom toolbar, the colours, and the PromptSession made of them (what
pgcli keeps in its completer, clitoolbar and key_bindings modules)."""

from __future__ import annotations

import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.styles import Style

from . import commands
from .console_session import Session
from .render import citation, counted
from .safe_text import visible

PROMPT = [("class:prompt", "ask> ")]
CONTINUATION = "   … "  # before the further lines of a pasted block

STYLE = {
    "prompt": "bold",
    "number": "bold",
    "quote": "",
    "quote-dim": "#8a8a8a",
    "answer": "bold reverse",
    "citation": "#5f87af",
    "paragraph": "",
    "quote-marked": "underline",
    "source": "bold",
    "dim": "#8a8a8a",
    "warning": "bold #d78700",
    "error": "#d75f5f",
    "command": "bold",
    "placeholder": "#6c6c6c",
    "bottom-toolbar": "noreverse #c6c6c6 bg:#303030",
}


def history_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "assistant" / "history"


class SavedHistory(FileHistory):
    """FileHistory that survives a file it can no longer write (a full disk,
    a folder gone): the line stays in memory and `failure` says why."""

    failure: str | None = None

    def store_string(self, string: str) -> None:
        try:
            super().store_string(string)
        except OSError as error:
            self.failure = error.strerror or str(error)


def open_history(session: Session) -> History:
    """The history file under $XDG_STATE_HOME, or history in memory (with a
    one-line warning) when that cannot be written."""
    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a+", encoding="utf-8"):
            pass
    except OSError as error:
        session.say(f"warning: cannot keep the history in {path} ({error.strerror or error}); "
                    "this session's lines are kept in memory only.", "class:warning")
        return InMemoryHistory()
    return SavedHistory(str(path))


class ConsoleCompleter(Completer):
    """Command names (with their summaries) after a slash; then what the
    command takes: a path, a citation number of the last answer, a command."""

    def __init__(self, session: Session):
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        if not text.startswith("/") or "\n" in text:
            return
        name, space, argument = text.partition(" ")
        if not space:
            for candidate in commands.all_names():
                if candidate.startswith(name.lower()):
                    command = commands.find(candidate)
                    yield Completion(candidate, start_position=-len(text), display_meta=command.summary)
            return
        command = commands.find(name)
        argument = argument.lstrip()
        if command is None or command.argument is None:
            return
        if command.argument == "path":
            yield from self.paths.get_completions(Document(argument, len(argument)), complete_event)
        elif command.argument == "citation":
            for number, excerpt in enumerate(self.session.shown, 1):
                if str(number).startswith(argument):
                    yield Completion(str(number), start_position=-len(argument), display_meta=citation(excerpt))
        elif command.argument == "command":
            for candidate in commands.COMMANDS:
                if candidate[1:].startswith(argument.lstrip("/")):
                    yield Completion(candidate[1:], start_position=-len(argument), display_meta=commands.COMMANDS[candidate].summary)


def toolbar_text(session: Session) -> list[tuple[str, str]]:
    library = session.assistant.library
    parts = [session.corpus_name, f"{counted(len(library), 'doc')}, {counted(library.paragraph_count, 'paragraph')}",
             f"k={session.k}"]
    if session.conversation.turns:
        parts.append(f"turn {len(session.conversation.turns)}")
    if session.answer_ms is not None:
        parts.append(f"answered in {session.answer_ms:.0f} ms")
    parts.append("/help · Ctrl-D quits")
    return [("class:bottom-toolbar", visible(" " + " · ".join(parts) + " "))]


def make_prompt_session(session: Session, input=None, output=None, color: bool = True) -> PromptSession:
    """The prompt: history with auto-suggestion, Tab completion (the menu
    opens as soon as a slash is typed), a toolbar, Ctrl-Z to suspend."""
    return PromptSession(
        message=PROMPT,
        history=open_history(session),
        auto_suggest=AutoSuggestFromHistory(),
        completer=ConsoleCompleter(session),
        complete_while_typing=True,
        bottom_toolbar=lambda: toolbar_text(session),
        # A callable, so that the hint is gone from the lines left on the screen.
        placeholder=lambda: [] if get_app().is_done else [("class:placeholder", "a question about the documents, or /help")],
        prompt_continuation=CONTINUATION,
        style=Style.from_dict(STYLE) if color else None,
        enable_suspend=True,
        input=input,
        output=output,
    )
