"""The ranking model: its file, the features the rules hand it, the
probability and /why it gives, and training (answerer/model.py,
answerer/features.py, assistant/train.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from assistant import train
from assistant.answerer import Assistant
from assistant.answerer.features import ANSWERABILITY_FEATURES, FEATURES, SAID
from assistant.answerer.model import MODEL_FILE, model_from_json, shipped_model
from assistant.render import answer_to_dict

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "data" / "squad"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return Assistant.open(ROOT / "seeds", cache_dir=tmp_path_factory.mktemp("cache"))


def test_the_shipped_model_names_every_feature_and_reads_back_as_written():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert list(data["weights"]) == list(FEATURES)
    assert list(data["prior"]["weights"]) == list(FEATURES)
    assert list(data["answerability"]["weights"]) == list(ANSWERABILITY_FEATURES)
    assert 0.0 < data["decline_below"] < 1.0
    assert set(SAID) == set(FEATURES)  # /why can say what each one is
    assert model_from_json(MODEL_FILE.read_text(encoding="utf-8")).to_json() == MODEL_FILE.read_text(encoding="utf-8")
    assert MODEL_FILE.stat().st_size < 5_000_000


def test_a_candidates_score_is_its_features_weighed_and_the_excerpt_shows_its_probability(seed):
    model = shipped_model()
    _, _, candidates = seed.ranked("How many people surrendered in total?", 10)
    assert len(candidates) > 3
    for candidate in candidates:
        assert set(candidate.features) == set(FEATURES)
        assert candidate.score == pytest.approx(sum(model.weights[n] * v for n, v in candidate.features.items()))
    answer = seed.ask("How many people surrendered in total?")
    first = answer.excerpts[0]
    assert first.score == round(1 / (1 + math.exp(-(candidates[0].score + model.intercept))), 4)


def test_the_answer_says_why_it_quoted_first_what_it_did(seed):
    answer = seed.ask("Who is the MNDAA spokesperson?")
    assert answer.answered
    assert answer.why[0].startswith("The best sentence answers with probability ")
    assert any(line.startswith("It holds: ") and "“mndaa”" in line for line in answer.why)
    assert any(line.startswith("First, ahead of the next sentence, because ") for line in answer.why)
    assert answer_to_dict(answer)["why"] == list(answer.why)


def test_a_declined_answer_says_why_and_what_the_passages_lack(seed):
    answer = seed.ask("What is the population of Myanmar?")
    assert not answer.answered
    assert answer.why[0] == "Declined: " + answer.message[0].lower() + answer.message[1:]
    assert any(line.startswith("It lacks: ") and "“population”" in line for line in answer.why)


def _pairs(rows, labels, groups):
    return train.Pairs(np.array(rows, dtype=float), np.array(labels, dtype=bool), np.array(groups))


def test_ranking_weights_learn_what_tells_the_answering_sentence_apart():
    # Synthetic questions: the answering sentence alone has "typed_exact";
    # the others have more "coverage". Learning must raise the first and
    # lower the second against the prior.
    prior = shipped_model().prior
    rows, labels, groups = [], [], []
    rng = np.random.default_rng(0)
    for question in range(200):
        for position in range(5):
            row = dict.fromkeys(FEATURES, 0.0)
            row["passage"] = rng.random()
            answering = position == 0
            row["typed_exact"] = 1.0 if answering else 0.0
            row["coverage"] = 0.3 if answering else 0.9
            rows.append([row[n] for n in FEATURES])
            labels.append(answering)
            groups.append(question)
    pairs = _pairs(rows, labels, groups)
    learned = train.ranking_weights(pairs, prior, regularisation=0.01)
    assert train.first_right(pairs, learned) == 1.0
    assert train.first_right(pairs, prior) < 0.5
    # A heavy penalty keeps the prior's direction, scaled.
    kept = train.ranking_weights(pairs, prior, regularisation=1e9)
    scale = kept["coverage"] / prior["coverage"]
    assert all(kept[n] == pytest.approx(scale * prior[n], abs=1e-6) for n in FEATURES)
    # And the same data gives the same weights.
    assert train.ranking_weights(pairs, prior, regularisation=0.01) == learned


@pytest.mark.skipif(not (SQUAD / "train-v1.1.json").exists(), reason="needs ../shared/data/squad")
def test_the_shipped_model_is_what_training_produces(capsys):
    # The whole training run (about two minutes): the file in the package
    # must be the one `python -m assistant.train` writes from the data.
    assert train.main(["--check"]) == 0
    assert "the shipped model is what training produces" in capsys.readouterr().out
