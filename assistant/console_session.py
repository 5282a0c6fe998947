"""What the console remembers between lines: the assistant, the conversation,
the last answer and its numbered excerpts, and where output goes. Shared by
the interactive loop, the piped loop and the special commands."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .answerer import Answer, Assistant, Conversation, Excerpt
from .console_blocks import Fragments
from .corpus import skipped_summary
from .render import counted
from .safe_text import visible

MAX_WIDTH = 100  # quotes read better in a column than across a wide screen


def terminal_width() -> int:
    # -1: a line exactly as wide as the terminal makes some terminals wrap early.
    return min(shutil.get_terminal_size((88, 24)).columns, MAX_WIDTH) - 1


def plain_printer(stream=None) -> Callable[[Fragments], None]:
    """Fragments without their styles, to a stream (standard output by
    default), control characters shown, not obeyed."""

    def out(fragments: Fragments) -> None:
        target = stream or sys.stdout
        target.write(visible("".join(text for _, text in fragments)))
        target.flush()

    return out


def visible_fragments(fragments: Fragments) -> Fragments:
    """The fragments with their text's control characters shown, not obeyed;
    the styles (the console's own colours) untouched."""
    return [(style, visible(text)) for style, text in fragments]


@dataclass
class Session:
    assistant: Assistant
    open_assistant: Callable[..., Assistant]  # cli.open_assistant: a path (or None) -> Assistant
    k: int = 3
    conversation: Conversation = field(default_factory=Conversation)
    last: Answer | None = None
    shown: list[Excerpt] = field(default_factory=list)  # the last answer's excerpts as numbered, /more included
    more_shown: int = 0
    questions: list[str] = field(default_factory=list)
    answer_ms: float | None = None
    out: Callable[[Fragments], None] = field(default_factory=plain_printer)
    plain: bool = True  # no colours: marks are spelled out
    width: Callable[[], int] = terminal_width
    # Writes an escape sequence straight to the terminal (the clipboard's
    # OSC 52); None when the output is not a terminal.
    terminal: Callable[[str], None] | None = None

    def say(self, text: str, style: str = "") -> None:
        self.out([(style, text + "\n")])

    def error(self, text: str) -> None:
        self.say(text, "class:error")

    def ask(self, question: str) -> Answer:
        """Answer a question as the next turn of the conversation and remember
        it; raises AssistantError (QuestionError for a bad question)."""
        started = time.perf_counter()
        answer = self.assistant.ask(question, k=self.k, conversation=self.conversation)
        self.answer_ms = (time.perf_counter() - started) * 1000
        self.conversation.add(question, answer)
        self.questions.append(question)
        self.last, self.shown, self.more_shown = answer, list(answer.excerpts), 0
        return answer

    def switch(self, assistant: Assistant) -> None:
        """A new corpus: nothing said about the old one carries over."""
        self.assistant = assistant
        self.conversation.clear()
        self.last, self.shown, self.more_shown = None, [], 0

    @property
    def corpus_name(self) -> str:
        root = self.assistant.library.root
        return Path(root).name or str(root)


def welcome_line(session: Session) -> str:
    library = session.assistant.library
    skipped = skipped_summary(library.warnings)
    left_out = f" ({skipped}; /sources lists them)" if skipped else ""
    return (f"{session.corpus_name}: {counted(len(library), 'document')}, {counted(library.paragraph_count, 'paragraph')}"
            f"{left_out}. Ask a question, or /help for commands.")
