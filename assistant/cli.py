"""The command line: parse what the person typed, run it, and turn every
failure into one line on standard error and an exit code (0 ok, 1 a check
failed, 2 bad usage or unusable input)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from .errors import AssistantError
from .render import counted, progress_bar
from .safe_text import visible

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


def default_corpus() -> Path:
    """The seed article. `pip install .` copies seeds/ into the package as
    assistant/seeds (see pyproject.toml); a checkout or an editable install
    keeps it at the top of the source tree, next to the package."""
    package = Path(__file__).resolve().parent
    for folder in (package / "seeds", package.parent / "seeds"):
        if folder.is_dir():
            return folder
    return package.parent / "seeds"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as the contract says
        self.exit(EXIT_USAGE, f"assistant: {message} (see 'assistant --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="assistant",
        description="Answers questions about a folder of documents with verbatim, cited quotes.",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    def corpus_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--corpus", metavar="PATH", help="folder (searched recursively) or file; default: the seed article")

    chat = commands.add_parser("chat", help="ask questions at an interactive prompt (the default)")
    corpus_option(chat)
    chat.add_argument("--json", action="store_true", help="one JSON object per answer (JSON Lines)")
    chat.add_argument("-k", type=int, default=3, metavar="N", help="excerpts per answer (default 3)")

    ask = commands.add_parser("ask", help="answer questions given on the command line, each on its own")
    corpus_option(ask)
    ask.add_argument("--json", action="store_true", help="one JSON object per answer (JSON Lines)")
    ask.add_argument("-k", type=int, default=3, metavar="N", help="excerpts per answer (default 3)")
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="a question; '-' reads one a line from standard input")

    evaluate = commands.add_parser("eval", help="run question sets and report how good the answers are")
    corpus_option(evaluate)
    evaluate.add_argument("files", nargs="+", metavar="FILE", help="question sets: JSON Lines, or SQuAD v1.1/v2.0 JSON")
    evaluate.add_argument("--json", action="store_true", help="print the results as one JSON object")
    evaluate.add_argument("--report", metavar="PATH", help="write every question's answer and verdict as JSON")
    evaluate.add_argument("--fail-under", nargs="+", default=[], metavar="METRIC=VALUE", help="exit 1 when a metric is below VALUE")
    evaluate.add_argument("--show-misses", type=int, default=0, metavar="N", help="list the first N questions answered wrongly")
    evaluate.add_argument("-k", type=int, default=3, metavar="N", help="excerpts per answer (default 3)")
    evaluate.add_argument("--limit", type=int, default=0, metavar="N", help="only the first N questions of each file")
    evaluate.add_argument("--articles", metavar="TITLE,...|@FILE", help="SQuAD files: ask only the questions of these "
                          "articles, comma-separated or one a line in FILE (the corpus stays every article)")

    index = commands.add_parser("index", help="build or refresh the saved index of a corpus")
    corpus_option(index)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "chat"
    if args.command is None:
        args.corpus, args.json, args.k = None, False, 3
    try:
        if getattr(args, "k", 3) < 1:
            raise AssistantError("-k must be at least 1")
        return COMMANDS[command](args)
    except AssistantError as error:
        print(f"assistant: {visible(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("assistant: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def open_assistant(corpus: str | None, quiet: bool = False):
    from .answerer import Assistant

    path = Path(corpus) if corpus else default_corpus()
    assistant = Assistant.open(path, progress=None if quiet else progress_bar("indexing", "files"))
    for warning in assistant.library.warnings:
        print(f"assistant: warning: {visible(warning)}", file=sys.stderr)
    return assistant


def run_ask(args: argparse.Namespace) -> int:
    from .render import answer_to_json, answer_to_text, reading_note

    questions = args.questions
    if questions == ["-"]:
        questions = [line.strip() for line in sys.stdin if line.strip()]
    assistant = open_assistant(args.corpus)
    width = min(shutil.get_terminal_size((88, 24)).columns, 100)
    failed = False
    for number, question in enumerate(questions):
        try:
            answer = assistant.ask(question, k=args.k)
        except AssistantError as error:
            if len(questions) == 1:
                raise
            print(f"assistant: {visible(str(error))}", file=sys.stderr)
            failed = True
            continue
        if args.json:
            print(answer_to_json(answer), flush=True)
        else:
            if number:
                print()
            print(f"Q: {visible(question)}")
            note = reading_note(answer)
            if note:
                print(visible(note))
            print(answer_to_text(answer, width), flush=True)
    return EXIT_USAGE if failed else EXIT_OK


def run_index(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    assistant = open_assistant(args.corpus)
    library = assistant.library
    elapsed = time.perf_counter() - started
    if library.from_cache:
        how = "loaded the saved index"
    elif library.files_read is not None:
        how = f"refreshed the index ({library.files_read} changed or new files read)"
    else:
        how = "built the index"
    print(
        f"{how} of {visible(library.root)}: {counted(len(library), 'document')}, "
        f"{counted(library.paragraph_count, 'paragraph')}, {counted(len(library.index.passages), 'passage')}, "
        f"{counted(len(library.index.vocabulary), 'term')} ({elapsed * 1000:.0f} ms)"
    )
    return EXIT_OK


def run_chat(args: argparse.Namespace) -> int:
    from .repl import run_chat as chat

    return chat(args, open_assistant)


def run_eval(args: argparse.Namespace) -> int:
    from .evaluate import run_eval_command

    return run_eval_command(args)


COMMANDS = {"ask": run_ask, "index": run_index, "chat": run_chat, "eval": run_eval}
