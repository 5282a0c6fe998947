"""Word associations learned from SQuAD train (assistant/train_associations.py,
answerer/associations.py): how they are learned, what the shipped table
holds, and the sentence feature they give the ranking model."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from assistant import train_associations
from assistant.answerer import Assistant
from assistant.answerer.associations import (
    ASSOCIATIONS_FILE,
    association,
    learned_elsewhere,
    load_associations,
)
from assistant.answerer.words import stem

ROOT = Path(__file__).resolve().parent.parent
SQUAD_TRAIN = ROOT.parent / "shared" / "data" / "squad" / "train-v1.1.json"


def _pairs():
    """Questions asking "posted" of sentences saying "stationed", in five
    articles; "army" asked and written alike; "televisa" always beside
    "station" but in one article only."""
    pairs = []
    for article in range(5):
        pairs.append((["post", "army"], ["station", "army", "border"], article))
        pairs.append((["army", "border"], ["army", "border", "night"], article))
        pairs.append((["post"], ["station", "town"], article))
        pairs.append((["army"], ["army", "town"], article))
    for _ in range(6):
        pairs.append((["station"], ["televisa", "network"], 9))
    return pairs


def test_model_one_learns_a_word_asked_for_another_and_lets_a_word_explain_itself():
    q_vocabulary, s_vocabulary, pair_q, pair_s, t, met = train_associations.model_one(_pairs())
    learned = {(q_vocabulary[q], s_vocabulary[s]): (p, n) for q, s, p, n in
               zip(pair_q.tolist(), pair_s.tolist(), t.tolist(), met.tolist())}
    assert learned[("post", "station")][0] > 0.5  # "posted" is asked of "stationed"
    assert learned[("army", "army")][0] > learned[("army", "border")][0]  # a word written is the word asked
    assert learned[("post", "station")][1] == 5  # met in five articles
    assert learned[("station", "televisa")][1] == 1  # one article's topic, however often


def test_the_table_keeps_no_word_for_itself_and_no_one_article_topic():
    triples = train_associations.associations(_pairs())
    kept = {(q, s) for q, s, _ in triples}
    assert ("post", "station") in kept
    assert not any(q == s for q, s in kept)
    assert ("station", "televisa") not in kept  # fewer than MIN_ARTICLES articles
    assert triples == sorted(triples)
    lines = gzip.decompress(train_associations.render(triples)).decode().splitlines()
    assert lines[0].count("\t") == 2


def test_the_answering_sentence_is_the_one_holding_the_answer():
    context = "The fort was built in 1820. It fell in 1864 after a siege. Nobody lives there now."
    assert train_associations.answering_sentence(context, context.index("1864")) == "It fell in 1864 after a siege."
    assert train_associations.answering_sentence(context, 0) == "The fort was built in 1820."


def test_the_shipped_table_knows_words_people_ask_for_others():
    table = load_associations()
    assert ASSOCIATIONS_FILE.stat().st_size < 1_000_000
    assert association(stem("die"), [stem("death")])[0] > 0.1
    assert association(stem("born"), [stem("birth")])[0] > 0.1
    assert association(stem("die"), [stem("river"), stem("bank")]) == (0.0, None)
    assert all(q not in row for q, row in table.items())  # a word asked as itself is matched, not associated


def test_training_sees_the_table_learned_elsewhere_and_then_the_shipped_one_again():
    shipped = association(stem("die"), [stem("death")])
    with learned_elsewhere({"die": {"death": 0.5}}):
        assert association("die", ["death"]) == (0.5, "death")
        assert association(stem("born"), [stem("birth")]) == (0.0, None)
    assert association(stem("die"), [stem("death")]) == shipped


def test_a_sentence_saying_the_asked_word_in_another_gets_the_feature(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "charity.txt").write_text(
        "The Charity\n\n"
        "The charity raised its profile in Leeds with a street festival.\n\n"
        "In its first year the charity raised 2 million for the hospital.\n\n"
        "Its founder had worked as a nurse in Bradford.\n",
        encoding="utf-8")
    assistant = Assistant.open(corpus, cache_dir=tmp_path / "cache")
    _, _, candidates = assistant.ranked("How much money did the charity raise?", keep=10)
    by_text = {c.span.of(assistant.library.document(c.document).text): c for c in candidates}
    million = next(c for text, c in by_text.items() if "million" in text)
    profile = next(c for text, c in by_text.items() if "profile" in text)
    assert million.features["associated"] > 0.0  # "money" asked, "million" written
    assert profile.features["associated"] == 0.0
    assert candidates[0] is million


@pytest.mark.skipif(not SQUAD_TRAIN.exists(), reason="needs ../shared/data/squad")
def test_the_shipped_table_is_what_learning_produces(capsys):
    assert train_associations.main(["--check"]) == 0
    assert "match the shipped file" in capsys.readouterr().out
