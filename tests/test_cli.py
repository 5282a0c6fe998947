"""The outside contract (../shared/CONTRACT.md) through the real program:
JSON Lines output, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import EXIT_OK, EXIT_USAGE, default_corpus, main

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCE = "000_50fe43ddfa67b07d.txt"
SEED_TEXT = (ROOT / "seeds" / SEED_SOURCE).open(encoding="utf-8").read()
SEED_TITLE = "Soldiers of Conscience: Myanmar’s military defectors"
ANSWER_KEYS = {"question", "answered", "excerpts", "message"}  # and, optional, "why" (an extension)
EXCERPT_KEYS = {"quote", "source", "title", "paragraph", "start", "end", "score", "answer"}
# Extensions of the contract: always the document's hash; a section and a page where they apply.
OPTIONAL_KEYS = {"document_sha256", "section", "page"}


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    # One cache for the module: a saved index spares each run building it.
    return tmp_path_factory.mktemp("cache")


@pytest.fixture()
def env(tmp_path, monkeypatch, shared_cache):
    """Cache and state kept out of the home folder, for the subprocesses and for main()."""
    cache, state = str(shared_cache), str(tmp_path / "state")
    monkeypatch.setenv("XDG_CACHE_HOME", cache)
    monkeypatch.setenv("XDG_STATE_HOME", state)
    return dict(os.environ, XDG_CACHE_HOME=cache, XDG_STATE_HOME=state)


def run(args, env, stdin="", cwd=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=60)


def check_contract_object(answer: dict, question: str, k: int = 3) -> None:
    assert set(answer) - {"why"} == ANSWER_KEYS
    assert answer["question"] == question and isinstance(answer["answered"], bool)
    assert len(answer["excerpts"]) <= k
    if answer["answered"]:
        assert answer["message"] is None and answer["excerpts"]
    else:
        assert isinstance(answer["message"], str) and answer["message"].endswith(".")
    for excerpt in answer["excerpts"]:
        assert EXCERPT_KEYS <= set(excerpt) <= EXCERPT_KEYS | OPTIONAL_KEYS and "document_sha256" in excerpt
        assert isinstance(excerpt["paragraph"], int) and isinstance(excerpt["score"], (int, float))
        if excerpt["source"] == SEED_SOURCE:
            assert excerpt["title"] == SEED_TITLE
            assert SEED_TEXT[excerpt["start"] : excerpt["end"]] == excerpt["quote"]
        short = excerpt["answer"]
        if short is not None:
            assert set(short) == {"text", "start", "end"}
            assert excerpt["start"] <= short["start"] < short["end"] <= excerpt["end"]
            offset = short["start"] - excerpt["start"]
            assert excerpt["quote"][offset : offset + len(short["text"])] == short["text"]


# --- ask ------------------------------------------------------------------------------


def test_ask_json_prints_one_contract_object_per_question_and_nothing_else(env, tmp_path):
    questions = ["Who is the MNDAA spokesperson?", "Who won the 2018 FIFA World Cup?", "Where was IB 129 stationed?"]
    result = run(["ask", "--json", *questions], env, cwd=tmp_path)  # the seed corpus is found from anywhere
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.endswith("\n")
    lines = result.stdout.split("\n")[:-1]
    assert len(lines) == 3  # every line a JSON object: nothing else on standard output
    answers = [json.loads(line) for line in lines]
    for answer, question in zip(answers, questions):
        check_contract_object(answer, question)
    spokesperson, world_cup, _ = answers
    assert spokesperson["answered"] is True
    top = spokesperson["excerpts"][0]
    assert top["source"] == SEED_SOURCE and "Li Kyar Win" in top["quote"]
    assert top["answer"] == {"text": "Li Kyar Win", "start": top["start"], "end": top["start"] + 11}
    assert world_cup["answered"] is False
    assert world_cup["message"][:1].isupper() and world_cup["message"].endswith(".")


def test_main_prints_the_same_json(env, capsys):
    assert main(["ask", "--json", "Who is the MNDAA spokesperson?"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == ""
    (line,) = captured.out.splitlines()
    answer = json.loads(line)
    check_contract_object(answer, "Who is the MNDAA spokesperson?")
    assert answer["excerpts"][0]["answer"]["text"] == "Li Kyar Win"


def test_an_off_topic_question_declines_with_a_sentence_and_exit_0(env, capsys):
    assert main(["ask", "--json", "Who won the 2018 FIFA World Cup?"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    check_contract_object(answer, "Who won the 2018 FIFA World Cup?")
    assert answer["answered"] is False
    assert answer["message"][:1].isupper() and answer["message"].endswith(".") and len(answer["message"]) > 10


def test_ask_shows_how_a_question_with_chat_spellings_was_read_and_json_keeps_it_as_typed(env, capsys):
    assert main(["ask", "how many ppl does the mndaa hold in custody"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Q: how many ppl does the mndaa hold in custody\n(read as: how many people does the mndaa hold in custody)\n")
    assert "answer: 534" in out
    assert main(["ask", "--json", "how many ppl does the mndaa hold in custody"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    check_contract_object(answer, "how many ppl does the mndaa hold in custody")


def test_ask_reads_questions_from_standard_input_and_k_limits_excerpts(env):
    result = run(["ask", "--json", "-k", "1", "-"], env,
                 stdin="Where was IB 129 stationed?\n\n   \nWho is the MNDAA spokesperson?\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == ["Where was IB 129 stationed?", "Who is the MNDAA spokesperson?"]
    assert [len(a["excerpts"]) for a in answers] == [1, 1]
    for answer in answers:
        check_contract_object(answer, answer["question"], k=1)
    assert "Laukkai" in answers[0]["excerpts"][0]["quote"]
    assert answers[1]["excerpts"][0]["answer"]["text"] == "Li Kyar Win"


@pytest.mark.parametrize("k", [1, 2, 5])
def test_k_bounds_the_excerpts(env, capsys, k):
    assert main(["ask", "--json", "-k", str(k), "What does the NUG promise defectors?"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    check_contract_object(answer, "What does the NUG promise defectors?", k=k)
    assert 1 <= len(answer["excerpts"]) <= k


def test_plain_ask_shows_quote_citation_and_answer(env, capsys):
    assert main(["ask", "Who is the MNDAA spokesperson?"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "“Li Kyar Win, the MNDAA spokesperson" in out
    assert f"{SEED_TITLE}, ¶20" in out
    assert "answer: Li Kyar Win" in out


def test_a_single_file_corpus_cites_its_file_name(env, tmp_path):
    folder = tmp_path / "deep" / "folder"
    folder.mkdir(parents=True)
    doc = folder / "report.md"
    doc.write_text("# Harbour report\n\nThe harbour reopened on 3 May 2024 after repairs.\n", encoding="utf-8")
    result = run(["ask", "--json", "--corpus", str(doc), "When did the harbour reopen?"], env)
    assert result.returncode == 0, result.stderr
    excerpt = json.loads(result.stdout)["excerpts"][0]
    assert excerpt["source"] == "report.md" and excerpt["title"] == "Harbour report"
    assert excerpt["paragraph"] == 2 and excerpt["answer"]["text"] == "3 May 2024"
    assert doc.read_text(encoding="utf-8")[excerpt["start"] : excerpt["end"]] == excerpt["quote"]


def test_a_folder_corpus_cites_paths_relative_to_it(env, tmp_path, capsys):
    folder = tmp_path / "docs"
    (folder / "ports").mkdir(parents=True)
    (folder / "ports" / "harbour.txt").write_bytes("The harbour reopened on 3 May 2024.\r\n".encode("cp1252"))
    (folder / "bridge.txt").write_text("The bridge opened in 1932.", encoding="utf-8")
    assert main(["ask", "--json", "--corpus", str(folder), "When did the harbour reopen?"]) == EXIT_OK
    excerpt = json.loads(capsys.readouterr().out)["excerpts"][0]
    assert excerpt["source"] == "ports/harbour.txt"
    text = (folder / "ports" / "harbour.txt").open(encoding="cp1252", newline=None).read()
    assert text[excerpt["start"] : excerpt["end"]] == excerpt["quote"]


def test_a_skipped_file_is_a_warning_and_the_rest_answers(env, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "blob.txt").write_bytes(b"\x00\xff" * 100)
    (folder / "note.txt").write_text("The bridge opened in 1932.", encoding="utf-8")
    result = run(["ask", "--json", "--corpus", str(folder), "When did the bridge open?"], env)
    assert result.returncode == 0
    assert result.stderr == "assistant: warning: skipped blob.txt: binary file\n"
    assert json.loads(result.stdout)["excerpts"][0]["answer"]["text"] == "1932"


def test_a_corpus_given_before_the_command_is_the_commands_corpus(env, tmp_path, capsys):
    # "assistant --corpus DIR ask ..." as a new user types it: answered from
    # DIR, not from the seed article.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bridge.txt").write_text("The bridge opened in 1932.", encoding="utf-8")
    assert main(["--corpus", str(folder), "ask", "--json", "When did the bridge open?"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    assert answer["excerpts"][0]["source"] == "bridge.txt" and answer["excerpts"][0]["answer"]["text"] == "1932"
    assert main(["--corpus", str(folder), "index"]) == EXIT_OK
    assert "1 document," in capsys.readouterr().out


def test_a_quote_holding_code_says_where_the_code_starts_and_shows_its_lines(env, tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = ("# Cleaning up\n\nHow to remove compiled files:\n\n```\n$ find . -name '*.pyc' -delete\n"
            "$ ls build/\nnothing left\n```\n")
    (folder / "clean.md").write_text(text, encoding="utf-8")
    question = "How do I remove compiled files with find?"
    assert main(["ask", "--json", "--corpus", str(folder), question]) == EXIT_OK
    excerpt = json.loads(capsys.readouterr().out)["excerpts"][0]
    assert text[excerpt["start"] : excerpt["end"]] == excerpt["quote"]
    assert text[excerpt["code_start"] :].startswith("$ find") and excerpt["start"] < excerpt["code_start"]
    assert main(["ask", "--corpus", str(folder), question]) == EXIT_OK
    shown = capsys.readouterr().out.splitlines()
    at = shown.index("[1] “How to remove compiled files:")
    assert [line.strip() for line in shown[at + 1 : at + 4]] == [
        "$ find . -name '*.pyc' -delete", "$ ls build/", "nothing left”"]


def test_source_code_in_a_folder_is_quoted_as_code_only_for_how_questions(env, tmp_path, capsys):
    # A comment in a conf.py is the program's, not the documentation's prose.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "conf.py").write_text("# The version number comes from __init__.py.\nversion = read('__init__.py')\n\n"
                                    "extensions = ['sphinx.ext.autodoc']\n", encoding="utf-8")
    (folder / "guide.md").write_text("# Guide\n\nThe version number is printed by pip --version.\n", encoding="utf-8")
    assert main(["ask", "--json", "--corpus", str(folder), "Where does the version number come from?"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    assert all(e["source"] != "conf.py" for e in answer["excerpts"])
    assert main(["ask", "--json", "--corpus", str(folder), "How do I read the version from __init__.py?"]) == EXIT_OK
    excerpt = json.loads(capsys.readouterr().out)["excerpts"][0]
    assert excerpt["source"] == "conf.py" and excerpt["code_start"] == excerpt["start"]
    assert excerpt["quote"].endswith("version = read('__init__.py')")  # the block whole


def test_one_bad_question_among_several_is_reported_and_the_rest_answered(env):
    result = run(["ask", "--json", "Who is the MNDAA spokesperson?", "   "], env)
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == 1 and json.loads(result.stdout)["answered"] is True
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("assistant: the question is empty")


# --- index ----------------------------------------------------------------------------


def test_index_says_what_it_holds_and_reuses_the_saved_index(env, tmp_path):
    env = dict(env, XDG_CACHE_HOME=str(tmp_path / "cache"))
    first = run(["index"], env)
    second = run(["index"], env)
    assert first.returncode == second.returncode == 0
    assert first.stdout.startswith("built the index") and "1 document, 33 paragraphs, 25 passages" in first.stdout
    assert second.stdout.startswith("loaded the saved index") and "1 document, 33 paragraphs" in second.stdout
    assert len(first.stdout.splitlines()) == 1 and first.stderr == ""
    assert any((tmp_path / "cache").rglob("*")), "the index is saved under XDG_CACHE_HOME"


def test_index_of_a_small_folder_counts_its_documents(env, tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha one.\n\nAlpha two.", encoding="utf-8")
    (folder / "b.md").write_text("# Beta\n\nBeta text.", encoding="utf-8")
    assert main(["index", "--corpus", str(folder)]) == EXIT_OK
    out = capsys.readouterr().out
    # 4 paragraphs, 3 of them body text (the Markdown title is a header).
    assert "2 documents, 4 paragraphs, 3 passages" in out
    # The folder as a new user types it, without --corpus: the same index.
    assert main(["index", str(folder)]) == EXIT_OK
    assert "loaded the saved index" in capsys.readouterr().out


# --- errors ---------------------------------------------------------------------------


def assert_one_line_error(result, message: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert result.stderr.startswith("assistant: ")
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["ask", "--corpus", "/no/such/folder", "Who?"], "corpus not found"),
    (["index", "--corpus", "/no/such/file.txt"], "corpus not found"),
    (["ask", ""], "the question is empty"),
    (["ask", "   "], "the question is empty"),
    (["ask", "\t\n"], "the question is empty"),
    (["ask", "x" * 5000], "too long"),
    (["ask", "what " * 1000], "too long"),
    (["ask", "?!"], "no words"),
    (["ask", "-k", "0", "Who?"], "-k must be at least 1"),
    (["ask", "-k", "-3", "Who?"], "-k must be at least 1"),
    (["ask", "-k", "many", "Who?"], "invalid int value"),
    (["ask"], "required"),
    (["frobnicate"], "invalid choice"),
    (["ask", "--bogus", "Who?"], "unrecognized arguments"),
    (["--bogus"], "unrecognized arguments"),
    (["index", "/tmp", "--corpus", "/usr"], "two corpora given"),
    (["--corpus", "/tmp", "ask", "--corpus", "/usr", "Who?"], "two corpora given"),
    (["--corpus", "/tmp", "text", "/tmp/a.txt"], "takes no --corpus"),
])
def test_bad_usage_is_one_line_on_stderr_and_exit_2(env, args, message):
    assert_one_line_error(run(args, env), message)


def test_main_turns_errors_into_exit_2_and_one_line(env, capsys):
    assert main(["ask", "   "]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "assistant: the question is empty: type a question about the documents\n"
    with pytest.raises(SystemExit) as exit_info:
        main(["ask", "--bogus", "Who?"])
    assert exit_info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("assistant: ") and err.count("\n") == 1


def test_empty_and_unreadable_folders_are_unusable(env, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "picture.png").write_bytes(b"\x89PNG")
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / "blob.txt").write_bytes(b"\x00\xff" * 100)
    (binary / "cut.md").write_bytes(b"\xff\xfeA")  # a UTF-16 mark and half a character
    (binary / "blank.txt").write_text("\n\n", encoding="utf-8")
    for folder, message in ((empty, "no documents in"), (binary, "no readable documents")):
        assert_one_line_error(run(["ask", "--json", "--corpus", str(folder), "Anything?"], env), message)
        assert main(["index", "--corpus", str(folder)]) == EXIT_USAGE
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("assistant: ") and captured.err.count("\n") == 1
        assert message in captured.err


# --- the corpus is read, never written ------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


def test_a_read_only_corpus_is_never_written_to(env, tmp_path):
    folder = tmp_path / "readonly"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("The bridge opened in 1932.\n\nIt is 300 metres long.", encoding="utf-8")
    (folder / "b.txt").write_bytes("Smart “quotes” in 1999.\r\n".encode("cp1252"))
    for path in (folder / "sub" / "a.txt", folder / "b.txt", folder / "sub", folder):
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        before = snapshot(folder)
        for args in (["index", "--corpus", str(folder)], ["ask", "--json", "--corpus", str(folder), "How long is it?"],
                     ["ask", "--corpus", str(folder / "b.txt"), "When?"]):
            result = run(args, env, cwd=tmp_path)
            assert result.returncode == 0, result.stderr
        assert snapshot(folder) == before
        assert (folder / "sub").stat().st_mode & 0o777 == 0o555
    finally:
        for path in (folder, folder / "sub"):
            path.chmod(stat.S_IRWXU)


def test_the_default_corpus_is_the_seed_folder_from_any_working_directory(env, tmp_path):
    assert default_corpus() == ROOT / "seeds"
    result = run(["ask", "--json", "Where was IB 129 stationed?"], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    excerpt = json.loads(result.stdout)["excerpts"][0]
    assert excerpt["source"] == SEED_SOURCE and "Laukkai" in excerpt["quote"]
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory


def test_help_and_the_console_script(env):
    result = run(["--help"], env)
    assert result.returncode == 0 and "ask" in result.stdout and "index" in result.stdout
    script = Path(sys.executable).parent / "assistant"
    if script.exists():
        version = subprocess.run([str(script), "ask", "--json", "Who is the MNDAA spokesperson?"],
                                 capture_output=True, text=True, env=env, timeout=60)
        assert version.returncode == 0 and json.loads(version.stdout)["answered"] is True
