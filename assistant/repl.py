"""`assistant chat`: the interactive prompt on a terminal (prompt-toolkit),
or one question a line when standard input is a pipe. Every question is a
turn of one conversation; `/new` starts another."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .answerer import Assistant, Conversation
from .answerer.types import Answer, Excerpt
from .errors import AssistantError
from .render import answer_to_json, answer_to_markdown, answer_to_text, citation

WELCOME_HELP = "Type a question, or /help for commands. Ctrl-D quits."


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "assistant"


# --- the session: state shared by the loop and the commands ----------------------


@dataclass
class Session:
    assistant: Assistant
    open_assistant: Callable
    corpus: str | None
    k: int = 3
    conversation: Conversation = field(default_factory=Conversation)
    last: Answer | None = None
    shown: list[Excerpt] = field(default_factory=list)  # excerpts of the last answer, as numbered
    more_offset: int = 0
    questions: list[str] = field(default_factory=list)
    last_ms: float | None = None
    out: Callable[[list[tuple[str, str]]], None] = print
    color: bool = False
    width: int = 88

    def say(self, text: str, style: str = "") -> None:
        self.out([(style, text + "\n")])


# --- commands: one function each, registered with its help -----------------------


@dataclass(frozen=True)
class Command:
    name: str
    run: Callable[[Session, str], bool | None]  # returns True to quit
    usage: str
    help: str


COMMANDS: dict[str, Command] = {}


def command(name: str, usage: str, help: str, aliases: tuple[str, ...] = ()):
    def register(function):
        for alias in (name, *aliases):
            COMMANDS[alias] = Command(alias, function, usage if alias == name else usage.replace(name, alias, 1), help)
        return function

    return register


@command("/help", "/help", "list the commands")
def show_help(session: Session, argument: str) -> None:
    seen = set()
    session.say("Ask a question in plain words; follow-ups may lean on earlier ones (\"Where was it stationed?\").")
    session.say("A pasted block of several lines is asked one line at a time.")
    for cmd in COMMANDS.values():
        if cmd.run in seen:
            continue
        seen.add(cmd.run)
        names = [c.name for c in COMMANDS.values() if c.run is cmd.run]
        label = cmd.usage + (f"  (also {', '.join(names[1:])})" if len(names) > 1 else "")
        session.out([("class:command", f"  {label:<34}"), ("", f"{cmd.help}\n")])


@command("/quit", "/quit", "leave (Ctrl-D also quits)", aliases=("/exit",))
def quit_session(session: Session, argument: str) -> bool:
    return True


@command("/new", "/new", "start a new conversation (follow-ups forget earlier turns)")
def new_conversation(session: Session, argument: str) -> None:
    session.conversation.clear()
    session.say("New conversation.", "class:dim")


@command("/sources", "/sources", "the documents of the corpus, with titles and sizes")
def show_sources(session: Session, argument: str) -> None:
    library = session.assistant.library
    session.say(f"{len(library)} documents, {library.paragraph_count} paragraphs in {library.root}")
    for number, entry in enumerate(library.entries, 1):
        title = f" — {entry.title}" if entry.title and entry.title != entry.source else ""
        session.out([("", f"  {number:>3}. "), ("class:source", entry.source), ("", f"{title}"),
                     ("class:dim", f"  ({entry.length:,} characters, {entry.paragraphs} paragraphs)\n")])


@command("/open", "/open N", "show the whole paragraph around citation N of the last answer")
def open_citation(session: Session, argument: str) -> None:
    excerpt = _numbered(session, argument)
    if excerpt is None:
        return
    library = session.assistant.library
    number = next((i for i, e in enumerate(library.entries) if e.source == excerpt.source), None)
    if number is None:
        session.say(f"{excerpt.source} is no longer in the corpus.", "class:error")
        return
    document = library.document(number)
    paragraph = document.paragraph_at(excerpt.start)
    text = document.text
    a, b = paragraph.span.start, paragraph.span.end
    session.say(f"[{argument.strip()}] {citation(excerpt)}", "class:citation")
    before, quote, after = text[a : excerpt.start], text[excerpt.start : excerpt.end], text[excerpt.end : b]
    if session.color:
        session.out([("", before), ("class:quote-marked", quote), ("", after + "\n")])
    else:
        session.out([("", f"{before}»{quote}«{after}\n")])


@command("/more", "/more", "the next excerpts for the last question")
def show_more(session: Session, argument: str) -> None:
    if session.last is None:
        session.say("Nothing asked yet.", "class:dim")
        return
    extra = list(session.last.more)[session.more_offset : session.more_offset + session.k]
    if not extra:
        session.say("No more excerpts for this question.", "class:dim")
        return
    session.more_offset += len(extra)
    start = len(session.shown) + 1
    session.shown.extend(extra)
    for number, excerpt in enumerate(extra, start):
        render_excerpt(session, number, excerpt, dim=False, short=False)


@command("/k", "/k N", "show N excerpts per answer")
def set_k(session: Session, argument: str) -> None:
    try:
        value = int(argument)
        if not 1 <= value <= 20:
            raise ValueError
    except ValueError:
        session.say(f"/k wants a number from 1 to 20 (now {session.k}).", "class:error")
        return
    session.k = value
    session.say(f"Showing {value} excerpt{'s' if value > 1 else ''} per answer.", "class:dim")


@command("/corpus", "/corpus PATH", "switch to another folder or file of documents")
def switch_corpus(session: Session, argument: str) -> None:
    path = argument.strip()
    if not path:
        session.say(f"Now on {session.assistant.library.root}. Usage: /corpus PATH", "class:dim")
        return
    path = os.path.expanduser(path)
    try:
        assistant = session.open_assistant(path)
    except KeyboardInterrupt:
        session.say("Indexing interrupted; still on the previous corpus.", "class:error")
        return
    except AssistantError as error:
        session.say(f"{error}; still on the previous corpus.", "class:error")
        return
    session.assistant, session.corpus = assistant, path
    session.conversation.clear()
    session.last, session.shown = None, []
    session.say(welcome_line(assistant))


@command("/history", "/history", "the questions asked in this session")
def show_history(session: Session, argument: str) -> None:
    if not session.questions:
        session.say("No questions yet.", "class:dim")
    for number, question in enumerate(session.questions, 1):
        session.say(f"  {number:>3}. {question}")


@command("/json", "/json", "the last answer as JSON (as `ask --json` prints it)")
def show_json(session: Session, argument: str) -> None:
    if session.last is None:
        session.say("Nothing asked yet.", "class:dim")
        return
    session.say(json.dumps(json.loads(answer_to_json(session.last)), ensure_ascii=False, indent=2))


@command("/copy", "/copy", "copy the last answer as Markdown to the clipboard (via the terminal)")
def copy_answer(session: Session, argument: str) -> None:
    if session.last is None:
        session.say("Nothing asked yet.", "class:dim")
        return
    if not sys.stdout.isatty():
        session.say("Cannot copy: the output is not a terminal. Use /save FILE.", "class:error")
        return
    # OSC 52: the terminal puts the text on the clipboard (most modern
    # terminals and tmux with set-clipboard on); no helper program needed.
    data = base64.b64encode(answer_to_markdown(session.last).encode("utf-8")).decode("ascii")
    sys.stdout.write(f"\033]52;c;{data}\a")
    sys.stdout.flush()
    session.say("Sent the answer (Markdown) to the clipboard through the terminal (OSC 52); "
                "if your terminal does not support it, use /save FILE.", "class:dim")


@command("/save", "/save FILE", "save the last answer as Markdown with citations (never overwrites)")
def save_answer(session: Session, argument: str) -> None:
    if session.last is None:
        session.say("Nothing asked yet.", "class:dim")
        return
    name = argument.strip()
    if not name:
        session.say("Usage: /save FILE", "class:error")
        return
    path = Path(os.path.expanduser(name))
    try:
        save_new_file(path, answer_to_markdown(session.last))
    except FileExistsError:
        session.say(f"{path} already exists; not overwritten. Choose another name.", "class:error")
        return
    except OSError as error:
        session.say(f"Cannot save to {path}: {error.strerror or error}", "class:error")
        return
    session.say(f"Saved to {path}.", "class:dim")


def save_new_file(path: Path, text: str) -> None:
    """Write a new file whole or not at all: written beside it under a
    temporary name, then linked into place, which fails if the name exists."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _numbered(session: Session, argument: str) -> Excerpt | None:
    if not session.shown:
        session.say("Nothing to open: ask a question first.", "class:dim")
        return None
    try:
        number = int(argument)
        return session.shown[number - 1] if number >= 1 else None
    except (ValueError, IndexError):
        pass
    session.say(f"/open wants a citation number from 1 to {len(session.shown)}.", "class:error")
    return None


def run_command(session: Session, line: str) -> bool:
    """Run a /command; True when the session should end."""
    name, _, argument = line.strip().partition(" ")
    cmd = COMMANDS.get(name.lower())
    if cmd is None:
        close = [c for c in COMMANDS if c.startswith(name.lower()[:3])] or ["/help"]
        session.say(f"Unknown command {name}. Did you mean {close[0]}? (/help lists them)", "class:error")
        return False
    return bool(cmd.run(session, argument))


# --- answering and showing answers ------------------------------------------------


def ask(session: Session, question: str) -> None:
    session.questions.append(question)
    started = time.perf_counter()
    try:
        answer = session.assistant.ask(question, k=session.k, conversation=session.conversation)
    except AssistantError as error:
        session.say(str(error), "class:error")
        return
    session.last_ms = (time.perf_counter() - started) * 1000
    session.conversation.add(question, answer)
    session.last, session.shown, session.more_offset = answer, list(answer.excerpts), 0
    render_answer(session, answer)


def render_answer(session: Session, answer: Answer) -> None:
    if answer.resolved_question and answer.referent:
        session.say(f"(taking it to mean: {answer.referent})", "class:dim")
    if not answer.answered:
        session.say("I could not find this in the documents.", "class:warning")
        if answer.message:
            session.say(answer.message, "class:dim")
        if answer.excerpts:
            session.say("Nearest passages:", "class:dim")
    for number, excerpt in enumerate(answer.excerpts, 1):
        render_excerpt(session, number, excerpt, dim=number > 1 or not answer.answered, short=answer.answered and number == 1)
    if answer.more:
        session.say(f"/more for {len(answer.more)} further excerpts; /open N shows the paragraph around [N].", "class:dim")


def render_excerpt(session: Session, number: int, excerpt: Excerpt, dim: bool, short: bool) -> None:
    label = f"[{number}] "
    indent = " " * len(label)
    text = f"“{excerpt.quote}”"
    # The short answer's place in `text` (shifted by the opening quote mark).
    answer = excerpt.answer if short else None
    low, high = (answer.start - excerpt.start + 1, answer.end - excerpt.start + 1) if answer else (-1, -1)
    base = "class:quote-dim" if dim else "class:quote"
    fragments: list[tuple[str, str]] = [("class:number", label)]
    for line_number, line in enumerate(wrap_with_offsets(text, session.width - len(label))):
        if line_number:
            fragments.append(("", "\n" + indent))
        for word_number, (a, b) in enumerate(line):
            if word_number:
                inside = low <= line[word_number - 1][1] and a <= high and low < a
                fragments.append(("class:answer" if inside else base, " "))
            if a < high and b > low:  # a word partly in the answer: split it
                for x, y, style in ((a, max(a, low), base), (max(a, low), min(b, high), "class:answer"), (min(b, high), b, base)):
                    if y > x:
                        fragments.append((style, text[x:y]))
            else:
                fragments.append((base, text[a:b]))
    fragments.append(("", "\n"))
    fragments.append(("class:citation", f"{indent}— {citation(excerpt)}\n"))
    session.out(fragments)


def wrap_with_offsets(text: str, width: int) -> list[list[tuple[int, int]]]:
    """Greedy word wrap that keeps each word's offsets into `text` (to mark
    the short answer across line ends); the text's own line breaks stay."""
    width = max(width, 24)
    lines: list[list[tuple[int, int]]] = []
    offset = 0
    for raw_line in text.split("\n"):
        current: list[tuple[int, int]] = []
        length = 0
        cursor = offset
        for word in raw_line.split():
            start = text.index(word, cursor)
            cursor = start + len(word)
            if current and length + 1 + len(word) > width:
                lines.append(current)
                current, length = [], 0
            length += len(word) + (1 if current else 0)
            current.append((start, start + len(word)))
        if current:
            lines.append(current)
        offset += len(raw_line) + 1
    return lines


def welcome_line(assistant: Assistant) -> str:
    library = assistant.library
    name = Path(library.root).name or library.root
    return (f"assistant — {len(library)} document{'s' if len(library) != 1 else ''}, "
            f"{library.paragraph_count} paragraphs from {name}. {WELCOME_HELP}")


# --- piped input ------------------------------------------------------------------


def run_piped(session: Session, as_json: bool, lines) -> int:
    """One question a line, every one a turn of the same conversation; plain
    text, or one JSON object a line with --json."""
    width = min(shutil.get_terminal_size((88, 24)).columns, 100)
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("/"):
            name = line.split()[0].lower()
            if name == "/new":
                session.conversation.clear()
            elif name in ("/quit", "/exit"):
                break
            else:
                print(f"assistant: {name} works only at the interactive prompt; skipped", file=sys.stderr)
            continue
        try:
            answer = session.assistant.ask(line, k=session.k, conversation=session.conversation)
        except AssistantError as error:
            print(f"assistant: {error}", file=sys.stderr, flush=True)
            continue
        session.conversation.add(line, answer)
        if as_json:
            print(answer_to_json(answer), flush=True)
        else:
            print(f"Q: {line}\n{answer_to_text(answer, width)}\n", flush=True)
    return 0


# --- the interactive prompt --------------------------------------------------------


STYLE_RULES = {
    "number": "bold",
    "quote": "",
    "quote-dim": "#888888",
    "answer": "bold reverse",
    "citation": "#5f87af",
    "source": "bold",
    "dim": "#888888",
    "warning": "bold #d78700",
    "error": "#d75f5f",
    "command": "bold",
    "quote-marked": "reverse",
    "bottom-toolbar": "noreverse #bcbcbc bg:#303030",
}


def make_prompt_session(session: Session, input=None, output=None):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.styles import Style

    class CommandCompleter(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            if not text.startswith("/") or " " in text:
                return
            for name, cmd in COMMANDS.items():
                if name.startswith(text):
                    yield Completion(name, start_position=-len(text), display_meta=cmd.help)

    history = InMemoryHistory()
    try:
        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        history_file = folder / "history"
        with open(history_file, "a", encoding="utf-8"):
            pass
        history = FileHistory(str(history_file))
    except OSError as error:
        session.say(f"warning: history not saved ({error.strerror or error})", "class:warning")

    def toolbar():
        library = session.assistant.library
        timing = f" · answered in {session.last_ms:.0f} ms" if session.last_ms is not None else ""
        return (f" {Path(library.root).name or library.root} · {len(library)} documents · "
                f"{library.paragraph_count} paragraphs · k={session.k}{timing} · /help ")

    return PromptSession(
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=CommandCompleter(),
        complete_while_typing=True,
        bottom_toolbar=toolbar,
        style=Style.from_dict(STYLE_RULES),
        input=input,
        output=output,
    )


def interactive_loop(session: Session, prompt_session) -> int:
    while True:
        try:
            text = prompt_session.prompt("ask> ")
        except KeyboardInterrupt:
            continue  # Ctrl-C clears the line, as in a shell
        except EOFError:
            return 0
        # A pasted block arrives as several lines: each is asked in turn.
        for line in (part.strip() for part in text.splitlines()):
            if not line:
                continue
            try:
                if line.startswith("/"):
                    if run_command(session, line):
                        return 0
                else:
                    ask(session, line)
            except KeyboardInterrupt:
                session.say("Interrupted.", "class:dim")
                break
            except AssistantError as error:
                session.say(str(error), "class:error")


def formatted_printer(output=None, style=None):
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText

    def out(fragments: list[tuple[str, str]]) -> None:
        print_formatted_text(FormattedText(fragments), end="", style=style, output=output)

    return out


def use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def run_chat(args, open_assistant) -> int:
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    assistant = open_assistant(args.corpus, quiet=getattr(args, "json", False))
    session = Session(assistant, open_assistant, args.corpus, k=getattr(args, "k", 3))
    if not interactive:
        return run_piped(session, getattr(args, "json", False), sys.stdin)
    from prompt_toolkit.styles import Style

    session.color = use_color()
    session.width = min(shutil.get_terminal_size((88, 24)).columns, 100) - 1
    style = Style.from_dict(STYLE_RULES) if session.color else Style.from_dict({})
    session.out = formatted_printer(style=style) if session.color else _plain_printer
    session.say(welcome_line(assistant))
    prompt_session = make_prompt_session(session)
    return interactive_loop(session, prompt_session)


def _plain_printer(fragments: list[tuple[str, str]]) -> None:
    sys.stdout.write("".join(text for _, text in fragments))
    sys.stdout.flush()
