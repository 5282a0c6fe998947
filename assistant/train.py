"""Rebuild the ranking model (answerer/ranking-model.json) from data:

    python -m assistant.train              # writes the shipped model file
    python -m assistant.train --check      # trains again; exit 1 unless it gives the shipped file

1. Pairs: SQuAD v1.1 train questions (one in EVERY) are asked of their
   articles, in corpora of GROUP articles so that other articles' passages
   compete; and the studied eval sets (STUDIED: never a never-studied one)
   are asked of their own corpora, conversations turn by turn (a SQuAD
   question's word associations, answerer/associations.py, are the ones
   learned from the other half of the train articles). Every
   candidate sentence's features are kept with its label: does it hold a
   gold answer (the eval's own `quote_holds`)?
2. Ranking: the rules' prior weights (the file's "prior", set by hand when
   the rules were written) are scaled and corrected so that each question's
   answering sentences win the softmax over its candidates (a conditional
   logit; ListNet's top-one loss), fitted with scipy's L-BFGS; an L2
   penalty keeps the corrections small unless the data insists.
3. Probability: the score of each question's best sentence is scaled into
   the log-odds that it answers (Platt scaling), on the same pairs.
4. Abstention: a second logistic regression (scikit-learn) learns whether
   the best sentence answers at all, from its features, score and lead over
   the next, on the SQuAD v2.0 tune articles (eval/squad2-tune-articles.txt,
   searched among all 48 v1.1 dev articles: half their questions have no
   answer) and the studied sets; the probability under which it declines is
   the one with the best overall accuracy on them, from cross-validated
   probabilities, declining at most MAX_DECLINED_MORE more answerable
   questions of the studied sets. The SQuAD test articles and the
   never-studied sets are never read.

Deterministic: the same data gives the same file, byte for byte."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .answerer import Assistant, Conversation
from .answerer.associations import learned_elsewhere, table_of
from .answerer.features import ANSWERABILITY_FEATURES, FEATURES, answerability_features
from .answerer.model import MODEL_FILE, RankingModel, model_from_json
from .answerer.pipeline import MORE_EXCERPTS
from .errors import QuestionError
from .metrics import quote_holds
from .questionsets import EvalQuestion, load_question_set, load_squad_documents
from .train_associations import associations, question_sentence_pairs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "squad"
GROUP = 24  # articles searched together, as half the 48 dev articles are
EVERY = 16  # one question in EVERY of the train set is asked (5,682 of 87,599: about two minutes)
REGULARISATION = 0.1  # the L2 penalty on corrections to the prior: chosen on held-out halves of the pairs
# How much a studied set's question counts against a SQuAD one. Measured:
# 4.0 lifted the studied sets and lowered the never-studied ones and SQuAD
# test (acc@1 0.750 -> 0.744), so they count the same.
STUDIED_WEIGHT = 1.0
KEEP = 10_000  # every candidate's answer span is looked for: no pruning while learning
THRESHOLDS = np.round(np.arange(0.0, 0.81, 0.01), 2)
ANSWERABILITY_REGULARISATION = 1.0  # scikit-learn's C
# The studied sets' answerable questions the threshold may decline beyond
# what the rules decline: the issue allows 5 % in all.
MAX_DECLINED_MORE = 0.01
# The studied sets and their corpora (eval/README.md): what the rules were written on.
STUDIED = {
    "seeds": ["seed.jsonl", "seed-conversations.jsonl", "reader.jsonl", "reader-conversations.jsonl", "fresh.jsonl",
              "blind-study.jsonl"] + [f"blind-study-{n}.jsonl" for n in range(2, 12)],
    "eval/mixed-folder/corpus": ["mixed-folder/study.jsonl", "mixed-folder/conversations-study.jsonl"],
    "eval/reference-folder/corpus": ["reference-folder/study.jsonl", "reference-folder/conversations-study.jsonl"],
    "eval/manual-folder/corpus": ["manual-folder/study.jsonl"],
    "eval/howto-folder/corpus": ["howto-folder/study.jsonl", "howto-folder/conversations-study.jsonl"],
    "eval/releases-folder/corpus": ["releases-folder/study.jsonl", "releases-folder/conversations-study.jsonl"],
    "eval/history-folder/corpus": ["history-folder/study.jsonl", "history-folder/conversations-study.jsonl"],
    "eval/pip-folder/corpus": ["pip-folder/study.jsonl", "pip-folder/conversations-study.jsonl"],
}


@dataclass(frozen=True)
class Pairs:
    features: np.ndarray  # one row per candidate sentence, columns in FEATURES order
    labels: np.ndarray  # whether it holds a gold answer
    groups: np.ndarray  # the question it is a candidate for
    weight: float | np.ndarray = 1.0  # how much each of its questions counts in the ranking loss (per row)

    def __add__(self, other: Pairs) -> Pairs:
        shift = int(self.groups.max()) + 1 if len(self.groups) else 0
        return Pairs(np.vstack([self.features, other.features]), np.r_[self.labels, other.labels],
                     np.r_[self.groups, other.groups + shift],
                     np.r_[self.row_weights(), other.row_weights()])

    def row_weights(self) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.weight, dtype=np.float64), self.labels.shape)


class _Collector:
    def __init__(self) -> None:
        self.rows: list[list[float]] = []
        self.labels: list[bool] = []
        self.groups: list[int] = []
        self.asked = 0

    def add(self, assistant: Assistant, candidates, answers: tuple[str, ...]) -> None:
        for candidate in candidates:
            text = assistant.library.document(candidate.document).text
            self.rows.append([candidate.features.get(name, 0.0) for name in FEATURES])
            self.labels.append(bool(answers) and quote_holds(candidate.span.of(text), answers))
            self.groups.append(self.asked)
        self.asked += 1

    def pairs(self) -> Pairs:
        return Pairs(np.array(self.rows, dtype=np.float64).reshape(-1, len(FEATURES)),
                     np.array(self.labels, dtype=bool), np.array(self.groups, dtype=np.int64))


def prior_model(shipped: RankingModel) -> RankingModel:
    """The shipped file's prior alone: what the pairs are collected with, so
    that they (and so training) do not depend on the weights being trained."""
    return RankingModel(shipped.prior, 0.0, 0.0, shipped.prior_holding_margin, shipped.prior,
                        shipped.prior_holding_margin, "prior")


def squad_pairs(squad_file: Path, model: RankingModel, every: int = EVERY, progress=None) -> Pairs:
    """The candidates of one question in `every` of a SQuAD file."""
    question_set = load_question_set(squad_file)
    documents = question_set.documents
    by_article: dict[str, list[EvalQuestion]] = {}
    for item in question_set.items:
        by_article.setdefault(item[0].source, []).append(item[0])
    # Each article's questions see the word associations learned from the
    # other half of the articles (cross-fitting), not from themselves.
    pairs = question_sentence_pairs(squad_file)
    halves = [table_of(associations([p for p in pairs if p[2] % 2 == half])) for half in (0, 1)]
    collector = _Collector()
    for first in range(0, len(documents), GROUP):
        group = documents[first : first + GROUP]
        assistant = Assistant(Assistant.from_documents(f"{squad_file}#{first}", group).library, model=model)
        for article, document in enumerate(group, start=first):
            with learned_elsewhere(halves[1 - article % 2]):
                for number, question in enumerate(by_article.get(document.source, [])):
                    if number % every == 0:
                        collector.add(assistant, assistant.ranked(question.question, KEEP)[2], question.answers)
        if progress:
            progress(f"SQuAD train: articles {min(first + GROUP, len(documents))}/{len(documents)}, "
                     f"questions {collector.asked}")
    return collector.pairs()


def studied_pairs(model: RankingModel, root: Path = ROOT) -> Pairs:
    """The candidates of the studied sets' questions, conversations asked in order."""
    collector = _Collector()
    for corpus, files in STUDIED.items():
        assistant = Assistant(Assistant.open(str(root / corpus)).library, model=model)
        for file in files:
            for question, (_, _, candidates), _ in asked(assistant, load_question_set(root / "eval" / file).items, KEEP):
                collector.add(assistant, candidates, question.answers)
    return replace(collector.pairs(), weight=STUDIED_WEIGHT)


def asked(assistant: Assistant, items, keep: int):
    """Each question of the items (conversations turn by turn, as `assistant
    eval` asks them) with what `Assistant.ranked` gives for it (the question
    read, its terms and its first `keep` candidates) and its answer; a
    question the assistant refuses is left out."""
    for item in items:
        conversation = Conversation()
        for question in item:
            try:
                ranked = assistant.ranked(question.question, keep, conversation)
                answer = assistant.ask(question.question, conversation=conversation)
            except QuestionError:
                continue
            conversation.add(question.question, answer)
            yield question, ranked, answer


def _grouped(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows in question order, and where each question's rows start in it."""
    order = np.argsort(groups, kind="stable")
    return order, np.r_[0, np.flatnonzero(np.diff(groups[order])) + 1]


def _by_question(pairs: Pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The rows of the questions that have both an answering and another
    sentence, grouped together: (features, labels, where each question
    starts, row weights)."""
    order, starts = _grouped(pairs.groups)
    answering = np.add.reduceat(pairs.labels[order].astype(np.int64), starts)
    sizes = np.diff(np.r_[starts, len(order)])
    kept = np.repeat((answering > 0) & (answering < sizes), sizes)
    rows = order[kept]
    kept_sizes = sizes[(answering > 0) & (answering < sizes)]
    return pairs.features[rows], pairs.labels[rows], np.r_[0, np.cumsum(kept_sizes)[:-1]], pairs.row_weights()[rows]


def ranking_weights(pairs: Pairs, prior: dict[str, float], regularisation: float = REGULARISATION) -> dict[str, float]:
    """Weights that put an answering sentence first: each question's
    candidates compete in a softmax (a conditional logit, ListNet's top-one
    loss), whose log-likelihood of the answering ones is maximised. The
    weights are the prior's, scaled freely, plus corrections held small by
    an L2 penalty."""
    from scipy.optimize import minimize

    features, labels, starts, row_weights = _by_question(pairs)
    question_weights = row_weights[starts]
    prior_weights = np.array([prior[name] for name in FEATURES])
    sizes = np.diff(np.r_[starts, len(labels)])

    def loss(parameters: np.ndarray) -> tuple[float, np.ndarray]:
        scale, corrections = parameters[0], parameters[1:]
        scores = features @ (scale * prior_weights + corrections)
        top = np.repeat(np.maximum.reduceat(scores, starts), sizes)
        exps = np.exp(scores - top)
        every = np.add.reduceat(exps, starts)
        right = np.add.reduceat(exps * labels, starts)
        value = -np.sum(question_weights * (np.log(right) - np.log(every))) + regularisation * corrections @ corrections
        gradient_scores = row_weights * (exps / np.repeat(every, sizes) - labels * exps / np.repeat(right, sizes))
        gradient = features.T @ gradient_scores
        return value, np.r_[gradient @ prior_weights, gradient + 2 * regularisation * corrections]

    start = np.r_[1.0, np.zeros(len(FEATURES))]
    # Solved tightly: the loss is convex, and set iteration order (hash
    # seeds) moves its data in the last bits from run to run.
    found = minimize(loss, start, jac=True, method="L-BFGS-B",
                     options={"maxiter": 10_000, "gtol": 1e-10, "ftol": 1e-15})
    weights = found.x[0] * prior_weights + found.x[1:]
    return {name: float(w) for name, w in zip(FEATURES, weights)}


def best_of_each(pairs: Pairs, weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Each question's best score, and whether that sentence answers."""
    scores = pairs.features @ np.array([weights[name] for name in FEATURES])
    order, starts = _grouped(pairs.groups)
    best, right = [], []
    for mine in np.split(order, starts[1:]):
        top = mine[int(np.argmax(scores[mine]))]
        best.append(scores[top])
        right.append(pairs.labels[top])
    return np.array(best), np.array(right)


def calibrated(weights: dict[str, float], pairs: Pairs) -> tuple[dict[str, float], float]:
    """Weights and intercept whose logistic is the probability that a best sentence answers."""
    from sklearn.linear_model import LogisticRegression

    best, right = best_of_each(pairs, weights)
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(best[:, None], right)
    scale = float(platt.coef_[0][0])
    return {name: w * scale for name, w in weights.items()}, float(platt.intercept_[0])


def first_right(pairs, weights: dict[str, float]) -> float:
    """Of the questions with an answering sentence among their candidates,
    the share whose best-scored sentence answers."""
    answerable = np.unique(pairs.groups[pairs.labels])
    kept = np.isin(pairs.groups, answerable)
    _, right = best_of_each(Pairs(pairs.features[kept], pairs.labels[kept], pairs.groups[kept]), weights)
    return float(right.mean()) if len(right) else 0.0


@dataclass(frozen=True)
class Outcome:
    values: dict[str, float]  # the best sentence's answerability features
    declined: bool  # by the rules, whatever the model says
    right: bool  # the first quote holds an answer
    answerable: bool


def _outcomes(assistant: Assistant, items) -> list[Outcome]:
    """What the assistant does with each question, conversations in order."""
    outcomes = []
    for question, (_, _, candidates), answer in asked(assistant, items, MORE_EXCERPTS):
        first = answer.excerpts[0] if answer.excerpts else None
        right = first is not None and question.answerable and quote_holds(first.quote, question.answers)
        values = answerability_features(candidates[0].features, candidates[0].score,
                                        candidates[1].score if len(candidates) > 1 else None) if candidates else {}
        outcomes.append(Outcome(values, not answer.answered or not candidates, right, question.answerable))
    return outcomes


def _overall(outcomes: list[Outcome], probabilities: np.ndarray, threshold: float) -> float:
    correct = sum((o.answerable and o.right and not o.declined and p >= threshold)
                  or (not o.answerable and (o.declined or p < threshold))
                  for o, p in zip(outcomes, probabilities))
    return correct / len(outcomes) if outcomes else 0.0


def _declined_answerable(outcomes: list[Outcome], probabilities: np.ndarray, threshold: float) -> float:
    answerable = [(o, p) for o, p in zip(outcomes, probabilities) if o.answerable]
    return sum(o.declined or p < threshold for o, p in answerable) / len(answerable) if answerable else 0.0


def _abstention(outcomes: list[Outcome], probabilities: np.ndarray, threshold: float) -> tuple[float, float]:
    """Of the unanswerable questions, the share declined (recall); of the
    declined questions, the share unanswerable (precision)."""
    declined = [o for o, p in zip(outcomes, probabilities) if o.declined or p < threshold]
    unanswerable = sum(not o.answerable for o in outcomes)
    right = sum(not o.answerable for o in declined)
    return (right / unanswerable if unanswerable else 0.0), (right / len(declined) if declined else 1.0)


def calibration_outcomes(model: RankingModel, squad_dir: Path, root: Path = ROOT) -> dict[str, list[Outcome]]:
    """The outcomes of the SQuAD v2.0 tune articles and of each studied set, with nothing declined by the model."""
    undeclining = replace(model, decline_below=0.0)
    corpus = squad_dir / "dev-v1.1.json"
    squad = Assistant(Assistant.from_documents(str(corpus), load_squad_documents(corpus)).library, model=undeclining)
    articles = [line.strip() for line in (root / "eval" / "squad2-tune-articles.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    sets = {"squad2-tune": _outcomes(squad, load_question_set(squad_dir / "dev-v2.0.reconstructed.json",
                                                               articles=articles).items)}
    for corpus_dir, files in STUDIED.items():
        assistant = Assistant(Assistant.open(str(root / corpus_dir)).library, model=undeclining)
        for file in files:
            sets[file] = _outcomes(assistant, load_question_set(root / "eval" / file).items)
    return sets


def answerability(sets: dict[str, list[Outcome]]) -> tuple[dict[str, float], float, float, dict]:
    """A logistic regression of whether the first quote is right, on the
    best sentence's answerability features, over every question the rules
    let through; and the threshold on its probability with the best overall
    accuracy (averaged between SQuAD v2.0 tune and the studied sets) among
    those that decline at most MAX_DECLINED_MORE more of the studied sets'
    answerable questions, judged on cross-validated probabilities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    outcomes = [o for name in sorted(sets) for o in sets[name]]
    through = [o for o in outcomes if not o.declined]
    inputs = np.array([[o.values[n] for n in ANSWERABILITY_FEATURES] for o in through])
    labels = np.array([o.right for o in through])
    fitted = LogisticRegression(C=ANSWERABILITY_REGULARISATION, max_iter=20_000, tol=1e-10)
    held_out = cross_val_predict(fitted, inputs, labels, cv=5, method="predict_proba")[:, 1]
    fitted.fit(inputs, labels)
    probability_of = {id(o): p for o, p in zip(through, held_out)}
    per_set = {name: np.array([probability_of.get(id(o), 0.0) for o in sets[name]]) for name in sets}
    studied = [name for name in sets if name != "squad2-tune"]
    base_declined = np.mean([_declined_answerable(sets[n], per_set[n], 0.0) for n in studied])
    table, allowed = {}, []
    for threshold in THRESHOLDS:
        v2 = _overall(sets["squad2-tune"], per_set["squad2-tune"], threshold)
        mean = float(np.mean([_overall(sets[n], per_set[n], threshold) for n in studied]))
        declined = float(np.mean([_declined_answerable(sets[n], per_set[n], threshold) for n in studied]))
        recall, precision = _abstention(sets["squad2-tune"], per_set["squad2-tune"], threshold)
        table[str(float(threshold))] = {"squad2_tune_overall": round(v2, 4), "studied_overall": round(mean, 4),
                                        "studied_answerable_declined": round(declined, 4),
                                        "squad2_tune_decline_recall": round(recall, 4),
                                        "squad2_tune_decline_precision": round(precision, 4)}
        if declined <= base_declined + MAX_DECLINED_MORE:
            allowed.append((v2 + mean, -float(threshold)))
    best = -max(allowed)[1]
    weights = {n: float(w) for n, w in zip(ANSWERABILITY_FEATURES, fitted.coef_[0])}
    return weights, float(fitted.intercept_[0]), best, table


def train(squad_dir: Path = DATA, every: int = EVERY, progress=None) -> tuple[RankingModel, dict]:
    started = time.monotonic()
    shipped = model_from_json(MODEL_FILE.read_text(encoding="utf-8"))
    prior = shipped.prior
    collecting = prior_model(shipped)
    pairs = squad_pairs(squad_dir / "train-v1.1.json", collecting, every, progress)
    studied = studied_pairs(collecting)
    every_pair = pairs + studied
    weights, intercept = calibrated(ranking_weights(every_pair, prior), every_pair)
    report = {
        "questions": int(len(np.unique(every_pair.groups))),
        "sentence_pairs": int(len(every_pair.labels)),
        "first_right": {"squad_train": {"prior": round(first_right(pairs, prior), 4),
                                        "learned": round(first_right(pairs, weights), 4)},
                        "studied": {"prior": round(first_right(studied, prior), 4),
                                    "learned": round(first_right(studied, weights), 4)}},
    }
    # The margin scales as the weights do (least squares: weights ~ scale * prior).
    scale = sum(weights[n] * prior[n] for n in FEATURES) / sum(prior[n] ** 2 for n in FEATURES)
    model = RankingModel(weights, intercept, 0.0, shipped.prior_holding_margin * scale, prior,
                         shipped.prior_holding_margin,
                         f"SQuAD v1.1 train (one question in {every}) and the studied eval sets: "
                         f"{report['questions']} questions, {report['sentence_pairs']} candidate sentences; "
                         f"softmax over each question's candidates around the prior, L2 {REGULARISATION}; Platt-scaled; "
                         "decline threshold from the SQuAD v2.0 tune articles and the studied sets")
    if progress:
        progress("learning when to decline")
    weights, intercept, threshold, table = answerability(calibration_outcomes(model, squad_dir))
    model = replace(model, answerability=weights, answerability_intercept=intercept)
    report["by_threshold"] = table
    report["decline_below"] = threshold
    report["seconds"] = round(time.monotonic() - started, 1)
    return replace(model, decline_below=threshold), report


TOLERANCE = 0.01  # weights may differ this much between runs: set order moves sums in their last bits


def model_differences(trained: RankingModel, shipped: RankingModel) -> list[str]:
    """Where two models differ by more than TOLERANCE (the threshold: at all)."""
    differences = []
    pairs = [(f"weight {n}", trained.weights[n], shipped.weights[n]) for n in FEATURES]
    pairs += [(f"answerability {n}", trained.answerability.get(n, 0.0), shipped.answerability.get(n, 0.0))
              for n in ANSWERABILITY_FEATURES]
    pairs += [("intercept", trained.intercept, shipped.intercept),
              ("answerability intercept", trained.answerability_intercept, shipped.answerability_intercept),
              ("holding margin", trained.holding_margin, shipped.holding_margin)]
    differences += [f"{name}: trained {a:.4f}, shipped {b:.4f}" for name, a, b in pairs if abs(a - b) > TOLERANCE]
    if trained.decline_below != shipped.decline_below or trained.prior != shipped.prior:
        differences.append(f"decline_below: trained {trained.decline_below}, shipped {shipped.decline_below}")
    return differences


def training_arguments(module: str, doc: str, every: int, out: Path) -> argparse.ArgumentParser:
    """The options every training command takes (assistant.train, assistant.train_spans)."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=doc.split("\n\n")[0])
    parser.add_argument("--squad", default=str(DATA), help="folder of the SQuAD files (default ../shared/data/squad)")
    parser.add_argument("--every", type=int, default=every, help="ask one train question in N (default %(default)s)")
    parser.add_argument("--out", default=str(out), help="model file to write (default: the shipped one)")
    parser.add_argument("--check", action="store_true", help="train, and compare with the shipped model instead of writing")
    return parser


def progress(message: str) -> None:
    """A training command's progress, on one line of stderr."""
    print(f"\r  {message}\033[K", end="", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments("assistant.train", __doc__, EVERY, MODEL_FILE)
    parser.add_argument("--report", help="write the training figures as JSON here")
    args = parser.parse_args(argv)
    if not (Path(args.squad) / "train-v1.1.json").exists():
        print(f"assistant.train: no train-v1.1.json in {args.squad}", file=sys.stderr)
        return 2
    model, report = train(Path(args.squad), args.every, progress)
    print(file=sys.stderr)
    summary = json.dumps(report, indent=1)
    if args.report:
        Path(args.report).write_text(summary + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "by_threshold"}, indent=1))
    if args.check:
        differences = model_differences(model, model_from_json(MODEL_FILE.read_text(encoding="utf-8")))
        for line in differences:
            print(line)
        print("the shipped model is what training produces" if not differences
              else "the shipped model differs from what training produces")
        return 0 if not differences else 1
    Path(args.out).write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
