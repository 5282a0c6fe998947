"""The console's special commands, in the manner of litecli's and pgcli's
`special` package: each is one small function registered with its usage and a
one-line summary; `/help` and Tab completion are generated from the registry.

A command takes the session and the rest of its line, and returns True when
the console should end. Failures it expects are one-line messages; an
AssistantError it lets through becomes one at the loop."""

from __future__ import annotations

import difflib
import inspect
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .answerer import Excerpt
from .console_blocks import more_block, paragraph_block
from .console_clipboard import copy_text
from .console_session import Session, welcome_line
from .corpus import skipped_summary
from .errors import AssistantError
from .render import answer_to_dict, answer_to_markdown, counted
from .safe_text import json_text

NOTHING_YET = "No answer yet: ask a question first."
MAX_K = 20
SOURCES_LISTED = 50

NOTES = (
    "Ask a question in plain words. Each question is a turn of one conversation, so a follow-up",
    "(\"What does he guarantee?\") leans on the turns before it; /new starts a fresh one.",
    "A pasted block of several lines is asked one line at a time, in order, when you press Enter.",
)
KEYS = ("Tab completes commands, file names and citation numbers; Up/Down recall earlier lines,",
        "Ctrl-R searches them, Right arrow takes the grey suggestion; Ctrl-C clears the line;",
        "Ctrl-D (or /quit) leaves.")


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    run: Callable[[Session, str], bool | None]
    aliases: tuple[str, ...] = ()
    argument: str | None = None  # what Tab completes after it: "path", "citation" or "command"

    @property
    def details(self) -> str:
        return inspect.getdoc(self.run) or self.summary


COMMANDS: dict[str, Command] = {}  # by name, in the order /help lists them
_ALIASES: dict[str, str] = {}


def special(name: str, usage: str, summary: str, aliases: tuple[str, ...] = (), argument: str | None = None):
    """Register a function as the command `name`."""

    def register(function: Callable[[Session, str], bool | None]):
        COMMANDS[name] = Command(name, usage, summary, function, aliases, argument)
        for alias in aliases:
            _ALIASES[alias] = name
        return function

    return register


def find(name: str) -> Command | None:
    name = name.lower()
    return COMMANDS.get(_ALIASES.get(name, name))


def all_names() -> list[str]:
    return [*COMMANDS, *_ALIASES]


def suggest(name: str) -> str | None:
    """The command a mistyped name most likely meant, if any is close."""
    # Compared without the slash, which every name shares and would make
    # "/bogus" look like "/corpus".
    close = difflib.get_close_matches(name.lower().lstrip("/"), [n[1:] for n in all_names()], n=1, cutoff=0.6)
    return "/" + close[0] if close else None


def run_command(session: Session, line: str) -> bool:
    """Run one `/command argument` line; True when the console should end."""
    name, _, argument = line.strip().partition(" ")
    command = find(name)
    if command is None:
        close = suggest(name)
        hint = f" Did you mean {close}?" if close else ""
        session.error(f"Unknown command {name}.{hint} (/help lists the commands)")
        return False
    return bool(command.run(session, argument.strip()))


# --- the commands ---------------------------------------------------------------


@special("/help", "/help [COMMAND]", "list the commands, or tell more about one", argument="command")
def show_help(session: Session, argument: str) -> None:
    """/help alone lists every command and key; /help open (or /help /open)
    tells more about one command."""
    if argument:
        command = find(argument if argument.startswith("/") else "/" + argument)
        if command is None:
            session.error(f"No command {argument}. /help lists them.")
            return
        session.out([("class:command", command.usage), ("", f" — {command.summary}\n")])
        session.say(command.details)
        return
    for line in NOTES:
        session.say(line)
    session.say("")
    for command in COMMANDS.values():
        also = f"  (also {', '.join(command.aliases)})" if command.aliases else ""
        session.out([("class:command", f"  {command.usage:<17}"), ("", f" {command.summary}"), ("class:dim", also + "\n")])
    session.say("")
    for line in KEYS:
        session.say(line, "class:dim")


@special("/quit", "/quit", "leave the console (Ctrl-D too)", aliases=("/exit", "/q"))
def quit_console(session: Session, argument: str) -> bool:
    return True


@special("/new", "/new", "start a new conversation: follow-ups forget the earlier turns")
def new_conversation(session: Session, argument: str) -> None:
    session.conversation.clear()
    session.say("New conversation: follow-ups start afresh.", "class:dim")


@special("/sources", "/sources [WORD]", "the documents of the corpus, with titles and sizes")
def show_sources(session: Session, argument: str) -> None:
    """Lists the documents: file, title, size in characters and paragraphs.
    With a WORD, only those whose file name or title contains it."""
    library = session.assistant.library
    word = argument.lower()
    entries = [(n, e) for n, e in enumerate(library.entries, 1)
               if not word or word in e.source.lower() or word in (e.title or "").lower()]
    matching = f", {len(entries)} matching “{argument}”" if word else ""
    session.say(f"{counted(len(library), 'document')}, {counted(library.paragraph_count, 'paragraph')} in "
                f"{library.root}{matching}")
    for number, entry in entries[:SOURCES_LISTED]:
        title = f" — {entry.title}" if entry.title and entry.title != entry.source else ""
        session.out([("", f"  {number:>3}. "), ("class:source", entry.source), ("", title),
                     ("class:dim", f"  ({counted(entry.length, 'character')}, {counted(entry.paragraphs, 'paragraph')})\n")])
    if len(entries) > SOURCES_LISTED:
        session.say(f"  … and {len(entries) - SOURCES_LISTED} more; /sources WORD lists those matching WORD.", "class:dim")
    skipped = [w for w in library.warnings if w.startswith("skipped ")]
    if skipped and not word:
        session.say(f"Left out: {skipped_summary(skipped)}.", "class:warning")
        for warning in skipped:
            session.say(f"  {warning}", "class:dim")


@special("/open", "/open N", "the whole paragraph around citation N of the last answer", argument="citation")
def open_citation(session: Session, argument: str) -> None:
    """Shows the paragraph that citation [N] of the last answer (or of /more)
    was quoted from, with the quote marked. /open alone opens [1]."""
    number, excerpt = _citation(session, argument or "1", "/open")
    if excerpt is None:
        return
    library = session.assistant.library
    position = library.number_of(excerpt.source)
    if position is None:
        session.error(f"{excerpt.source} is no longer in the corpus.")
        return
    session.out(paragraph_block(library.document(position), excerpt, number, session.width(), session.plain))


@special("/why", "/why", "why the last answer quoted what it quoted first, or declined")
def show_why(session: Session, argument: str) -> None:
    """Says what the ranking model weighed: the probability that the first
    quote answers, the question's words it holds and lacks, and what put it
    ahead of the next sentence; or why the assistant declined."""
    if session.last is None:
        session.say(NOTHING_YET, "class:dim")
        return
    if not session.last.why:
        session.say("Nothing was weighed for the last question: no passage matched it.", "class:dim")
        return
    for line in session.last.why:
        session.say(line)


@special("/more", "/more", "the next excerpts for the last question")
def show_more(session: Session, argument: str) -> None:
    """Shows the next excerpts (as many as /k) that the last question found
    beyond those shown, numbered on so /open N reaches them."""
    if session.last is None:
        session.say(NOTHING_YET, "class:dim")
        return
    extra = list(session.last.more[session.more_shown : session.more_shown + session.k])
    if not extra:
        session.say("No further excerpts for this question.", "class:dim")
        return
    first = len(session.shown) + 1
    session.more_shown += len(extra)
    session.shown.extend(extra)
    session.out(more_block(extra, first, session.width(), session.plain))
    left = len(session.last.more) - session.more_shown
    if left:
        session.say(f"/more shows {left} further excerpts.", "class:dim")


@special("/k", "/k N", "show N excerpts per answer (1 to 20)")
def set_k(session: Session, argument: str) -> None:
    if not argument:
        session.say(f"Showing {session.k} excerpts per answer; /k N changes it.", "class:dim")
        return
    try:
        value = int(argument)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_K:
        session.error(f"/k wants a number from 1 to {MAX_K} (now {session.k}).")
        return
    session.k = value
    session.say(f"Showing {value} excerpt{'s' if value > 1 else ''} per answer from the next question on.", "class:dim")


@special("/corpus", "/corpus PATH", "switch to another folder or file of documents", argument="path")
def switch_corpus(session: Session, argument: str) -> None:
    """Opens another folder (searched recursively) or file and starts a new
    conversation on it; indexing shows a progress bar when it takes more than
    a moment, and Ctrl-C stops it and stays on the current corpus."""
    current = session.assistant.library.root
    if not argument:
        session.say(f"On {current}. /corpus PATH switches to another folder or file.", "class:dim")
        return
    try:
        assistant = session.open_assistant(os.path.expanduser(argument))
    except KeyboardInterrupt:
        _clear_progress_line()
        session.error(f"Indexing interrupted; still on {current}.")
        return
    except AssistantError as error:
        session.error(f"{error}; still on {current}.")
        return
    session.switch(assistant)
    session.say(welcome_line(session))


@special("/history", "/history [N]", "the questions asked in this session (the last N)")
def show_history(session: Session, argument: str) -> None:
    """Lists this session's questions; Up/Down and Ctrl-R also reach those of
    earlier sessions, kept in $XDG_STATE_HOME/assistant/history."""
    if not session.questions:
        session.say("No questions yet.", "class:dim")
        return
    count = int(argument) if argument.isdigit() and int(argument) > 0 else len(session.questions)
    first = len(session.questions) - min(count, len(session.questions))
    for number, question in enumerate(session.questions[first:], first + 1):
        session.say(f"  {number:>3}. {question}")


@special("/json", "/json", "the last answer as JSON, as `assistant ask --json` prints it")
def show_json(session: Session, argument: str) -> None:
    if session.last is None:
        session.say(NOTHING_YET, "class:dim")
        return
    session.say(json_text(answer_to_dict(session.last), indent=2))


@special("/copy", "/copy", "copy the last answer, as Markdown with citations, to the clipboard")
def copy_answer(session: Session, argument: str) -> None:
    """Uses the desktop's clipboard tool when there is one (wl-copy, xclip,
    xsel, pbcopy, clip.exe), else the terminal's OSC 52 sequence, and says
    which; /save FILE is the sure way."""
    if session.last is None:
        session.say(NOTHING_YET, "class:dim")
        return
    copied, message = copy_text(answer_to_markdown(session.last), session.terminal)
    session.say(message, "class:dim" if copied else "class:error")


@special("/save", "/save FILE", "save the last answer as Markdown with citations (never overwrites)",
         argument="path")
def save_answer(session: Session, argument: str) -> None:
    """Writes the last answer as Markdown to a new FILE, whole or not at all;
    an existing file is never overwritten: choose another name."""
    if session.last is None:
        session.say(NOTHING_YET, "class:dim")
        return
    if not argument:
        session.error("Usage: /save FILE")
        return
    path = Path(os.path.expanduser(argument))
    if path.is_dir():
        session.error(f"{path} is a folder; /save wants a file name.")
        return
    try:
        save_new_file(path, answer_to_markdown(session.last))
    except FileExistsError:
        session.error(f"{path} already exists; not overwritten. Choose another name.")
        return
    except OSError as error:
        session.error(f"Cannot save to {path}: {error.strerror or error}.")
        return
    session.say(f"Saved the answer to {path}.", "class:dim")


# --- helpers ----------------------------------------------------------------------


def save_new_file(path: Path, text: str) -> None:
    """Create `path` holding `text`, whole or not at all, and never replace
    an existing file: written under a temporary name beside it, then linked
    into place, which fails when the name is taken."""
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:
            # A file system without hard links: exclusive creation still never
            # overwrites, though a crash mid-write could leave part of the file.
            with open(path, "x", encoding="utf-8") as out:
                out.write(text)
    finally:
        os.unlink(temporary)


def _citation(session: Session, argument: str, command: str) -> tuple[int, Excerpt | None]:
    if not session.shown:
        session.say(NOTHING_YET, "class:dim")
        return 0, None
    if argument.strip("[]").isdigit() and 1 <= int(argument.strip("[]")) <= len(session.shown):
        number = int(argument.strip("[]"))
        return number, session.shown[number - 1]
    session.error(f"{command} wants a citation number from 1 to {len(session.shown)}.")
    return 0, None


def _clear_progress_line() -> None:
    # The indexing progress bar leaves its line open; Ctrl-C's "^C" lands on it.
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
