"""The sharded index served by Ray (assistant/cluster): answers identical to
the in-process index's, excerpts and scores; a shard killed mid-conversation
comes back; one that stays down is named in the answer; an update recounts
only the shard it touches; and without --cluster Ray is never imported.

One local Ray instance (2 CPUs) for the module, started and shut down here.
The tests that need Ray skip when it is not installed (pip install '.[cluster]').
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from assistant import cli
from assistant.answerer import Assistant, Conversation
from assistant.library import open_library

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_50fe43ddfa67b07d.txt"


def seed_questions() -> list[str]:
    lines = (ROOT / "eval" / "seed.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def seed_conversations() -> list[list[str]]:
    lines = (ROOT / "eval" / "seed-conversations.jsonl").read_text(encoding="utf-8").splitlines()
    return [[turn["question"] for turn in json.loads(line)["turns"]] for line in lines if line.strip()]


def write_corpus(folder: Path) -> Path:
    """The seed article and five documents of its words shuffled (fixed seed):
    the seed lands in one shard, the generated ones mostly in the other."""
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / SEED.name)
    words = SEED.read_text(encoding="utf-8").split()
    rng = random.Random(20)
    for number in range(5):
        paragraphs = [" ".join(rng.choice(words) for _ in range(50)) + "." for _ in range(8)]
        (folder / f"gen-{number:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ray():
    ray = pytest.importorskip("ray")
    # A short path: Ray's sockets live under its temporary folder.
    temporary = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))
    ray.init(num_cpus=2, namespace="assistant", include_dashboard=False, log_to_driver=False,
             _temp_dir=str(temporary / "ray"))
    yield ray
    ray.shutdown()
    shutil.rmtree(temporary, ignore_errors=True)


@pytest.fixture(scope="module")
def place(ray, tmp_path_factory):
    """A corpus and a cluster index folder of the module's own."""
    base = tmp_path_factory.mktemp("cluster")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_CLUSTER_DIR", str(base / "index"))
        patch.setenv("XDG_CACHE_HOME", str(base / "cache"))
        yield write_corpus(base / "corpus")


@pytest.fixture(scope="module")
def both(ray, place):
    """(in-process assistant, cluster assistant with 2 shards) on the corpus."""
    from assistant.cluster.attach import open_cluster_assistant, open_cluster_library

    open_cluster_library(place, None, shards=2)  # built with 2 shards; then opened as a command would
    cluster = open_cluster_assistant(place, None)
    return Assistant(open_library(place, use_cache=False)), cluster


def test_idf_formula_is_scikit_learns():
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    from assistant.cluster.weights import global_idf

    rng = np.random.default_rng(3)
    structure = sp.random(500, 300, density=0.05, random_state=4, format="csc", dtype=np.float32)
    structure.data[:] = 1
    expected = TfidfTransformer(sublinear_tf=True).fit(structure).idf_.astype(np.float32)
    assert np.array_equal(global_idf(np.diff(structure.indptr), 500), expected)
    assert rng is not None


def test_two_shards_hold_the_corpus(both):
    _, cluster = both
    shards = cluster.library.index.shards
    assert len(shards) == 2 and all(s.passages for s in shards)
    assert sum(s.passages for s in shards) == len(cluster.library.index.passages)


def test_cluster_answers_equal_the_in_process_answers(both):
    """Every excerpt, its offsets and its score: the same, question by question."""
    local, cluster = both
    for question in seed_questions():
        assert cluster.ask(question, k=5) == local.ask(question, k=5), question
    for turns in seed_conversations():
        local_conversation, cluster_conversation = Conversation(), Conversation()
        for question in turns:
            expected = local.ask(question, conversation=local_conversation)
            assert cluster.ask(question, conversation=cluster_conversation) == expected, question
            local_conversation.add(question, expected)
            cluster_conversation.add(question, expected)


def test_cluster_hits_and_weights_equal_the_in_process_index(both):
    from assistant.cluster.layout import Manifest, index_folder
    from assistant.cluster.shard import load_index

    local, cluster = both
    for question in seed_questions()[:30] + ["defectors", "battalion Laukkai surrendered", "zzz unknown"]:
        assert cluster.library.index.search(question, 25) == local.library.index.search(question, 25)
    folder = index_folder(Path(cluster.library.root))
    whole = local.library.index.postings.tocsr()
    vocabulary = list(local.library.index.vocabulary)
    for shard in Manifest.load(folder).shards:
        part = load_index(folder / shard.counts, shard.weights)
        columns = [vocabulary.index(term) for term in part.vocabulary]
        expected = whole[shard.first_passage:shard.last_passage][:, columns]
        got = part.postings.tocsr()
        assert np.array_equal(expected.indptr, got.indptr) and np.array_equal(expected.indices, got.indices)
        assert np.array_equal(expected.data, got.data)  # bit for bit


def test_replies_carry_passage_text_and_offsets(both):
    _, cluster = both
    index = cluster.library.index
    hits = index.search("defectors military coup", 4)
    assert hits and set(index.last_texts) == {h.passage for h in hits}
    for hit in hits:
        document = cluster.library.document(int(index.passages.document[hit.passage]))
        start, end = int(index.passages.start[hit.passage]), int(index.passages.end[hit.passage])
        assert document.text[start:end] in index.last_texts[hit.passage]


def test_cli_with_cluster_prints_the_same_json(both, place, capsys):
    question = "How many soldiers have defected since the coup?"
    assert cli.main(["ask", "--corpus", str(place), "--json", question]) == 0
    plain = capsys.readouterr().out
    assert cli.main(["ask", "--cluster", "--corpus", str(place), "--json", question]) == 0
    assert capsys.readouterr().out == plain
    assert cli.main(["index", "--cluster", "--corpus", str(place)]) == 0
    assert "found the sharded index" in capsys.readouterr().out


def test_a_shard_killed_mid_conversation_comes_back(both, ray):
    """Killed between two turns (Ray restarts it from its files) and again
    while asked: the conversation goes on with the same answers."""
    local, cluster = both
    turns = seed_conversations()[0]
    local_conversation, cluster_conversation = Conversation(), Conversation()
    retries = cluster.library.index.retries
    for number, question in enumerate(turns):
        if number in (1, 2):
            ray.kill(cluster.library.index.actors[number % 2], no_restart=False)
        expected = local.ask(question, conversation=local_conversation)
        answer = cluster.ask(question, conversation=cluster_conversation)
        assert answer == expected, question
        local_conversation.add(question, expected)
        cluster_conversation.add(question, answer)
    assert cluster.library.index.retries > retries  # the killed shards were asked again


def test_update_recounts_only_the_shard_it_touches(ray, place, tmp_path):
    from assistant.cluster.attach import open_cluster_assistant
    from assistant.cluster.layout import Manifest, index_folder

    corpus = tmp_path / "corpus"
    shutil.copytree(place, corpus)
    open_cluster_assistant(corpus, None)
    before = Manifest.load(index_folder(corpus))
    changed = corpus / "gen-004.txt"
    changed.write_text("The defectors met in Laukkai in 2023.\n\nThey crossed the border at night.\n", encoding="utf-8")
    (corpus / "gen-005.txt").write_text("A new document about the People's Embrace program.\n", encoding="utf-8")
    cluster = open_cluster_assistant(corpus, None)
    after = Manifest.load(index_folder(corpus))
    assert before.shards[0].counts == after.shards[0].counts  # not recounted
    assert before.shards[1].counts != after.shards[1].counts
    assert before.shards[0].weights != after.shards[0].weights  # but weighed again: the idf changed
    local = Assistant(open_library(corpus, use_cache=False))
    for question in seed_questions()[:20] + ["Where did the defectors meet?", "What is the People's Embrace program?"]:
        assert cluster.ask(question) == local.ask(question), question


def test_a_shard_that_stays_down_is_named_in_the_answer(both, ray):
    """Run last: the shard is killed for good."""
    local, cluster = both
    question = "How many soldiers have defected since the coup?"
    index = cluster.library.index
    down = next(n for n, s in enumerate(index.shards) if s.first_document > 0)  # the shard without the seed
    ray.kill(index.actors[down], no_restart=True)
    _wait_until_dead(ray, index.actors[down])  # ray.kill returns before the actor stops serving
    answer = cluster.ask(question)
    assert answer.excerpts == local.ask(question).excerpts  # the seed article's shard still answers
    assert answer.message.startswith(f"Not searched: shard {down + 1} of 2 (")
    shard = index.shards[down]
    first = cluster.library.entries[shard.first_document].source
    last = cluster.library.entries[shard.first_document + shard.documents - 1].source
    assert f"{first} … {last}) did not answer" in answer.message
    from assistant.render import answer_to_dict, answer_to_text

    assert answer.message in answer_to_text(answer) and answer_to_dict(answer)["message"] == answer.message
    again = cluster.ask("Who is the MNDAA spokesperson?")
    assert again.message and "Not searched" in again.message


def _wait_until_dead(ray, actor, seconds: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            ray.get(actor.ping.remote(), timeout=5)
        except ray.exceptions.RayActorError:
            return
        time.sleep(0.1)
    raise AssertionError("the killed shard actor still answers")


# --- without Ray, or without --cluster -------------------------------------------------


def test_without_cluster_ray_is_never_imported():
    program = (
        "import sys, assistant.cli as cli\n"
        f"code = cli.main(['ask', '--corpus', {str(SEED)!r}, 'Where was IB 129 stationed?'])\n"
        "print(code, 'ray' in sys.modules, 'assistant.cluster' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-")})
    assert done.stdout.strip().splitlines()[-1] == "0 False False"


def test_cluster_options_parse():
    parser = cli.build_parser()
    assert parser.parse_args(["ask", "q", "--cluster"]).cluster == "local"
    assert parser.parse_args(["chat", "--cluster", "auto"]).cluster == "auto"
    assert parser.parse_args(["eval", "f.jsonl", "--cluster", "ray://head:10001"]).cluster == "ray://head:10001"
    arguments = parser.parse_args(["index", "--cluster", "--shards", "4"])
    assert (arguments.cluster, arguments.shards) == ("local", 4)
    assert parser.parse_args(["chat"]).cluster is None


def test_shards_without_cluster_is_a_one_line_error(capsys):
    assert cli.main(["index", "--shards", "2", "--corpus", str(SEED)]) == 2
    assert capsys.readouterr().err == "assistant: --shards needs --cluster and must be at least 1\n"


def test_cluster_without_ray_installed_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    assert cli.main(["ask", "--cluster", "--corpus", str(SEED), "--", "Where?"]) == 2
    assert capsys.readouterr().err == "assistant: --cluster needs Ray: pip install 'assistant[cluster]'\n"
