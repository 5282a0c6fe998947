"""The ranking model: one weight per feature (answerer/features.py), read
once from a small JSON file shipped beside this module. A candidate's score
is the weighted sum of its features plus the intercept: a logit, whose
logistic is the probability that the sentence answers the question.

The file says how it was made (`trained_on`); `python -m assistant.train`
rebuilds it from data, and it can be read by eye: feature -> weight."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .features import ANSWERABILITY_FEATURES, FEATURES

MODEL_FILE = Path(__file__).with_name("ranking-model.json")


@dataclass(frozen=True)
class RankingModel:
    weights: dict[str, float]  # feature -> weight; every feature of FEATURES
    intercept: float
    decline_below: float  # the probability under which the best sentence is not taken as an answer
    holding_margin: float  # how much lower a sentence that gives what must be given may score and still go first
    prior: dict[str, float]  # the weights set by hand with the rules, which training corrects
    prior_holding_margin: float  # the holding margin in the prior's units
    trained_on: str
    # Whether the best sentence answers at all: a logistic regression on its
    # features, score and lead (features.ANSWERABILITY_FEATURES).
    answerability: dict[str, float] = field(default_factory=dict)
    answerability_intercept: float = 0.0

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights[name] * value for name, value in features.items())

    def probability(self, score: float) -> float:
        return _logistic(score + self.intercept)

    def answers(self, values: dict[str, float]) -> float:
        """The probability that the best sentence, with these answerability features, answers."""
        if not self.answerability:
            return self.probability(values["score"])
        return _logistic(self.answerability_intercept + sum(self.answerability[n] * values[n]
                                                            for n in ANSWERABILITY_FEATURES))

    def best_of(self, outcomes: list[dict[str, float]]) -> float:
        return max(self.score(values) for values in outcomes)

    def to_json(self) -> str:
        return json.dumps({
            "trained_on": self.trained_on,
            "intercept": round(self.intercept, 6),
            "decline_below": round(self.decline_below, 6),
            "holding_margin": round(self.holding_margin, 6),
            "weights": {name: round(self.weights[name], 6) for name in FEATURES},
            "answerability": {"intercept": round(self.answerability_intercept, 6),
                              "weights": {n: round(self.answerability[n], 6) for n in self.answerability}},
            "prior": {"holding_margin": self.prior_holding_margin,
                      "weights": {name: self.prior[name] for name in FEATURES}},
        }, indent=1) + "\n"


def _logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit)) if logit > -700 else 0.0


def model_from_json(text: str) -> RankingModel:
    data = json.loads(text)
    weights = {name: float(data["weights"].get(name, 0.0)) for name in FEATURES}
    prior = data.get("prior", {})
    prior_weights = {name: float(prior.get("weights", {}).get(name, 0.0)) for name in FEATURES}
    answerability = data.get("answerability", {})
    answerability_weights = {n: float(answerability["weights"].get(n, 0.0)) for n in ANSWERABILITY_FEATURES} \
        if answerability.get("weights") else {}
    return RankingModel(weights, float(data["intercept"]), float(data["decline_below"]),
                        float(data["holding_margin"]), prior_weights, float(prior.get("holding_margin", 0.0)),
                        str(data.get("trained_on", "")), answerability_weights,
                        float(answerability.get("intercept", 0.0)))


@lru_cache(maxsize=1)
def shipped_model() -> RankingModel:
    return model_from_json(MODEL_FILE.read_text(encoding="utf-8"))
