"""The command line: parse what the person typed, run it, and turn every
failure into one line on standard error and an exit code (0 ok, 1 a check
failed, 2 bad usage or unusable input)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from functools import partial
from pathlib import Path

from .corpus import Limits, parse_size, skipped_summary
from .errors import AssistantError
from .render import counted, progress_bar
from .safe_text import one_line, visible

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
    # `assistant --corpus DIR` opens the console on DIR, as `assistant chat --corpus DIR` does;
    # before a command ("assistant --corpus DIR ask ...") it is that command's corpus.
    parser.add_argument("--corpus", dest="console_corpus", metavar="PATH",
                        help="the folder or file: with no command, open the console on it; before a command, "
                             "the same as the command's --corpus")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    def corpus_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--corpus", metavar="PATH", help="folder (searched recursively) or file; default: the seed article")
        p.add_argument("--max-file-size", type=size_argument, metavar="SIZE",
                       help=f"skip files larger than SIZE (K, M, G; default 100M, or ${LIMIT_VARIABLES['max_file_size']})")
        p.add_argument("--max-corpus-size", type=size_argument, metavar="SIZE",
                       help=f"read at most SIZE of files in all (default 1G, or ${LIMIT_VARIABLES['max_corpus_size']})")

    def cluster_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--cluster", nargs="?", const="local", metavar="ADDRESS",
                       help="answer from a sharded index served by Ray: alone, an in-process Ray instance; "
                            "'auto' or an address, a running cluster (needs pip install 'assistant[cluster]')")

    def folder_argument(p: argparse.ArgumentParser) -> None:
        # "assistant index ~/docs" as a new user types it: the same as --corpus.
        p.add_argument("folder", nargs="?", metavar="PATH", help="the same as --corpus PATH")

    chat = commands.add_parser("chat", help="ask questions at an interactive prompt (the default)")
    corpus_option(chat)
    folder_argument(chat)
    cluster_option(chat)
    chat.add_argument("--json", action="store_true", help="one JSON object per answer (JSON Lines)")
    chat.add_argument("-k", type=int, default=3, metavar="N", help="excerpts per answer (default 3)")

    ask = commands.add_parser("ask", help="answer questions given on the command line, each on its own")
    corpus_option(ask)
    cluster_option(ask)
    ask.add_argument("--json", action="store_true", help="one JSON object per answer (JSON Lines)")
    ask.add_argument("-k", type=int, default=3, metavar="N", help="excerpts per answer (default 3)")
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="a question; '-' reads one a line from standard input")

    evaluate = commands.add_parser("eval", help="run question sets and report how good the answers are")
    corpus_option(evaluate)
    cluster_option(evaluate)
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
    folder_argument(index)
    cluster_option(index)
    index.add_argument("--shards", type=int, metavar="N",
                       help="with --cluster: shards to build (default: as before, else the cluster's CPUs)")

    text = commands.add_parser("text", help="print a document's text exactly as it is indexed and quoted")
    text.add_argument("path", metavar="PATH", help="one document (any format the assistant reads)")
    text.add_argument("--max-file-size", type=size_argument, metavar="SIZE", help="refuse files larger than SIZE")

    verify = commands.add_parser("verify", help="check a saved answer's quotes against the documents as they are now")
    verify.add_argument("file", metavar="FILE", help="JSON from --json or eval --report, or Markdown from /save")
    verify.add_argument("--corpus", metavar="PATH", help="the folder or file the answer quoted; default: the seed article")
    return parser


LIMIT_VARIABLES = {"max_file_size": "ASSISTANT_MAX_FILE_SIZE", "max_corpus_size": "ASSISTANT_MAX_CORPUS_SIZE"}


def size_argument(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def limits_of(args: argparse.Namespace) -> Limits:
    """--max-file-size and --max-corpus-size, else their environment
    variables, else the defaults."""
    sizes = {}
    for field, variable in LIMIT_VARIABLES.items():
        size = getattr(args, field, None)
        if size is None and os.environ.get(variable, "").strip():
            try:
                size = parse_size(os.environ[variable])
            except ValueError as error:
                raise AssistantError(f"{variable}: {error}") from None
        if size is not None:
            sizes[field] = size
    return Limits(**sizes)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "chat"
    if args.command is None:
        args.corpus, args.json, args.k = args.console_corpus, False, 3
    try:
        # A corpus may be given before the command, after it, or as `index`'s
        # folder: all say one corpus, never silently the seed instead of one.
        if args.command and args.console_corpus is not None and not hasattr(args, "corpus"):
            raise AssistantError(f"'{args.command}' takes no --corpus: give the document's path")
        for given in (args.console_corpus if args.command else None, getattr(args, "folder", None)):
            if given is None:
                continue
            if args.corpus is not None and args.corpus != given:
                raise AssistantError(f"two corpora given, {given} and --corpus {args.corpus}: give one")
            args.corpus = given
        args.limits = limits_of(args)
        if getattr(args, "k", 3) < 1:
            raise AssistantError("-k must be at least 1")
        if getattr(args, "shards", None) is not None and (args.shards < 1 or not args.cluster):
            raise AssistantError("--shards needs --cluster and must be at least 1")
        return COMMANDS[command](args)
    except AssistantError as error:
        print(f"assistant: {one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("assistant: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def open_assistant(corpus: str | None, quiet: bool = False, limits: Limits | None = None, cluster: str | None = None):
    path = Path(corpus) if corpus else default_corpus()
    if cluster:  # only here is Ray imported (assistant/cluster)
        from .cluster.attach import open_cluster_assistant

        assistant = open_cluster_assistant(path, cluster, limits)
    else:
        from .answerer import Assistant

        assistant = Assistant.open(path, progress=None if quiet else progress_bar("indexing", "files"), limits=limits)
    for warning in assistant.library.warnings:
        print(f"assistant: warning: {one_line(warning)}", file=sys.stderr)
    return assistant


def run_ask(args: argparse.Namespace) -> int:
    from .render import answer_to_json, answer_to_text, reading_note

    questions = args.questions
    if questions == ["-"]:
        questions = [line.strip() for line in sys.stdin if line.strip()]
    assistant = open_assistant(args.corpus, limits=args.limits, cluster=args.cluster)
    width = min(shutil.get_terminal_size((88, 24)).columns, 100)
    failed = False
    for number, question in enumerate(questions):
        try:
            answer = assistant.ask(question, k=args.k)
        except AssistantError as error:
            if len(questions) == 1:
                raise
            print(f"assistant: {one_line(str(error))}", file=sys.stderr)
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
    if args.cluster:
        return run_index_cluster(args)
    started = time.perf_counter()
    assistant = open_assistant(args.corpus, limits=args.limits)
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
    skipped = skipped_summary(library.warnings)
    if skipped:
        print(visible(skipped))
    return EXIT_OK


def run_index_cluster(args: argparse.Namespace) -> int:
    from .cluster.attach import serve_cluster

    started = time.perf_counter()
    root = Path(args.corpus) if args.corpus else default_corpus()
    manifest, built, warnings = serve_cluster(root, args.cluster, args.shards, args.limits)
    elapsed = time.perf_counter() - started
    for warning in warnings:
        print(f"assistant: warning: {one_line(warning)}", file=sys.stderr)
    shards = manifest.shards
    print(
        f"{'built' if built else 'found'} the sharded index of {visible(str(root))}: "
        f"{counted(sum(s.documents for s in shards), 'document')}, {counted(manifest.passages, 'passage')} "
        f"in {counted(len(shards), 'shard')} ({', '.join(f'{s.passages:,}' for s in shards)} passages) "
        f"({elapsed * 1000:.0f} ms)"
    )
    skipped = skipped_summary(warnings)
    if skipped:
        print(visible(skipped))
    return EXIT_OK


def run_chat(args: argparse.Namespace) -> int:
    from .repl import run_chat as chat

    return chat(args, partial(open_assistant, limits=args.limits, cluster=getattr(args, "cluster", None)))


def run_eval(args: argparse.Namespace) -> int:
    from .evaluate import run_eval_command

    return run_eval_command(args)


def run_text(args: argparse.Namespace) -> int:
    """The text offsets index, written as it is (to a terminal its control
    characters are shown, not obeyed: the bytes are for a file or a pipe)."""
    from .corpus import UnreadableFile, read_path

    path = Path(args.path).expanduser()
    if path.is_dir():
        raise AssistantError(f"{args.path} is a folder; 'assistant text' reads one document")
    try:
        document = read_path(path, max_size=args.limits.max_file_size)
    except FileNotFoundError:
        raise AssistantError(f"no such file: {args.path}") from None
    except OSError as error:
        raise AssistantError(f"cannot read {args.path}: {error.strerror or error}") from None
    except UnreadableFile as error:
        raise AssistantError(f"cannot read {args.path}: {error}") from None
    out = sys.stdout
    if out.isatty():
        out.write(visible(document.text))
    else:
        out.buffer.write(document.text.encode("utf-8", "surrogatepass"))
    out.flush()
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    from .verify import OK, describe, saved_quotes, verify

    root = Path(args.corpus).expanduser() if args.corpus else default_corpus()
    if not root.exists():
        raise AssistantError(f"corpus not found: {root}")
    verdicts = verify(saved_quotes(Path(args.file)), root)
    for verdict in verdicts:
        print(visible(describe(verdict)))
    wrong = sum(v.status != OK for v in verdicts)
    print(f"{counted(len(verdicts) - wrong, 'quote')} of {len(verdicts)} as saved"
          + (f"; {wrong} not" if wrong else ""))
    return EXIT_CHECK_FAILED if wrong else EXIT_OK


COMMANDS = {"ask": run_ask, "index": run_index, "chat": run_chat, "eval": run_eval, "text": run_text,
            "verify": run_verify}
