"""Rebuild the short-answer model (answerer/span-model.json) from data:

    python -m assistant.train_spans              # writes the shipped model file
    python -m assistant.train_spans --check      # trains again; exit 1 unless it gives the shipped file

1. Proposals: SQuAD v1.1 train questions (one in EVERY) are asked of their
   articles, in corpora of GROUP articles, and the studied eval sets'
   answerable questions of their own corpora (conversations turn by turn;
   never a never-studied set), with the ranking model's hand-set prior (so
   that this model does not move when that one is retrained). Among each
   question's first KEEP sentences, the first that holds a gold answer
   proposes its spans (answerer/short_answers.py), each with its facts and
   its SQuAD F1 against the gold answers. (SQuAD alone: never-studied seed
   sets' span F1 0.627 -> 0.615 on the questions answered right; with the
   studied sets 0.626, and SQuAD tune 0.471 either way.)
2. Weights: a conditional logit (softmax over each question's proposals),
   fitted with scipy's L-BFGS, puts the proposals of best F1 first; a
   question none of whose proposals reaches MIN_F1 teaches nothing and is
   left out. An L2 penalty keeps weights of rare facts small.

The SQuAD dev articles (tune and test) and the eval sets are never read.
Deterministic: the same data gives the same file."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.feature_extraction import DictVectorizer

from .answerer import Assistant
from .answerer.model import MODEL_FILE, RankingModel, model_from_json
from .answerer.short_answers import CLAUSE_KINDS, SPAN_MODEL_FILE, SpanModel, candidates_with_facts, rule_answer
from .answerer.spans import question_stems
from .metrics import best_f1, quote_holds
from .questionsets import load_question_set
from .train import DATA, GROUP, ROOT, STUDIED, asked, prior_model, progress, training_arguments

EVERY = 8  # one question in EVERY of the train set (10,950 of 87,599: about two minutes)
KEEP = 10  # sentences looked at for one that holds a gold answer
MIN_F1 = 0.5  # a question whose best proposal is further off than this teaches nothing
REGULARISATION = 10.0  # L2 penalty per question: chosen on the SQuAD tune articles (1, 10 and 100 tried)
DIGITS = 4  # weights are written rounded
TOLERANCE = 0.01  # weights may differ this much between runs


@dataclass(frozen=True)
class Proposals:
    facts: list[dict[str, float]]  # one per proposed span
    targets: np.ndarray  # each span's share of the question's best F1 (1/n for each of n best spans)
    starts: np.ndarray  # where each question's spans start in `facts`


class _Collector:
    """Each question's proposals, facts and targets, question after question."""

    def __init__(self) -> None:
        self.facts: list[dict[str, float]] = []
        self.targets: list[float] = []
        self.starts: list[int] = []
        self.asked = 0

    def add(self, assistant: Assistant, parsed, terms, candidates, answers) -> None:
        """The spans the first of the question's first KEEP sentences that
        holds a gold answer proposes, the best of them (by F1) its targets."""
        self.asked += 1
        for candidate in candidates[:KEEP]:
            text = assistant.library.document(candidate.document).text
            if quote_holds(candidate.span.of(text), answers):
                break
        else:
            return
        rule = rule_answer(text, candidate.span, candidate.entity, parsed, terms)
        if rule is not None and rule.kind in CLAUSE_KINDS:
            return  # kept as the rules find it: nothing to learn
        proposed = candidates_with_facts(text, candidate.span, candidate.match, parsed, terms,
                                         question_stems(parsed, terms), rule)
        f1 = np.array([best_f1(answers, text[p.start : p.end]) for p, _ in proposed])
        if not len(f1) or f1.max() < MIN_F1:
            return
        best = (f1 == f1.max()).astype(float)
        self.starts.append(len(self.facts))
        self.facts.extend(f for _, f in proposed)
        self.targets.extend(best / best.sum())

    def proposals(self) -> Proposals:
        return Proposals(self.facts, np.array(self.targets), np.array(self.starts))


def squad_proposals(squad_file: Path, collector: _Collector, collecting: RankingModel, every: int = EVERY,
                    progress=None) -> None:
    question_set = load_question_set(squad_file)
    documents = question_set.documents
    by_article: dict[str, list] = {}
    for item in question_set.items:
        by_article.setdefault(item[0].source, []).append(item[0])
    for first in range(0, len(documents), GROUP):
        group = documents[first : first + GROUP]
        assistant = Assistant(Assistant.from_documents(f"{squad_file}#{first}", group).library, model=collecting)
        for document in group:
            for number, question in enumerate(by_article.get(document.source, [])):
                if number % every == 0:
                    collector.add(assistant, *assistant.ranked(question.question, KEEP), question.answers)
        if progress:
            progress(f"SQuAD train: articles {min(first + GROUP, len(documents))}/{len(documents)}, "
                     f"questions {collector.asked}, kept {len(collector.starts)}")


def studied_proposals(collector: _Collector, collecting: RankingModel, root: Path = ROOT) -> None:
    """The studied sets' answerable questions, conversations turn by turn."""
    for corpus, files in STUDIED.items():
        assistant = Assistant(Assistant.open(str(root / corpus)).library, model=collecting)
        for file in files:
            for question, ranked, _ in asked(assistant, load_question_set(root / "eval" / file).items, KEEP):
                if question.answers:
                    collector.add(assistant, *ranked, question.answers)


def fit(proposals: Proposals, regularisation: float = REGULARISATION) -> dict[str, float]:
    """The weights that give each question's best spans the most of the
    softmax over its proposals, less the L2 penalty."""
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(proposals.facts).tocsr()
    starts = proposals.starts
    questions = len(starts)
    group = np.repeat(np.arange(questions), np.diff(np.r_[starts, matrix.shape[0]]))
    target = proposals.targets

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ weights
        top = np.maximum.reduceat(scores, starts)
        exp = np.exp(scores - top[group])
        total = np.add.reduceat(exp, starts)
        log_p = scores - top[group] - np.log(total)[group]
        value = -(target * log_p).sum() / questions + regularisation * (weights @ weights) / 2 / questions
        gradient = matrix.T @ (exp / total[group] - target) / questions + regularisation * weights / questions
        return value, gradient

    found = minimize(loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return {name: round(float(w), DIGITS) for name, w in zip(vectorizer.feature_names_, found.x)
            if round(float(w), DIGITS) != 0.0}


def train(squad_dir: Path = DATA, every: int = EVERY, progress=None) -> tuple[SpanModel, dict]:
    started = time.monotonic()
    collector = _Collector()
    # Asked with the ranking model's hand-set prior, so that this model does
    # not move when that one is retrained.
    collecting = prior_model(model_from_json(MODEL_FILE.read_text(encoding="utf-8")))
    squad_proposals(squad_dir / "train-v1.1.json", collector, collecting, every, progress)
    studied_proposals(collector, collecting)
    proposals = collector.proposals()
    weights = fit(proposals)
    report = {"questions": int(len(proposals.starts)), "spans": len(proposals.facts), "facts": len(weights),
              "seconds": round(time.monotonic() - started, 1)}
    return SpanModel(weights), report


def model_json(model: SpanModel, report: dict, every: int) -> str:
    return json.dumps({
        "about": "Short-answer weights: a conditional logit over the spans a sentence proposes "
                 "(assistant/answerer/short_answers.py), learned by python -m assistant.train_spans from "
                 f"SQuAD v1.1 train (one question in {every}) and the studied eval sets: "
                 f"{report['questions']} questions, {report['spans']} spans; L2 {REGULARISATION}.",
        "weights": dict(sorted(model.weights.items())),
    }, indent=0, ensure_ascii=False) + "\n"


def model_differences(trained: SpanModel, shipped: SpanModel) -> list[str]:
    names = sorted(set(trained.weights) | set(shipped.weights))
    return [f"{name}: trained {trained.weights.get(name, 0.0):.4f}, shipped {shipped.weights.get(name, 0.0):.4f}"
            for name in names if abs(trained.weights.get(name, 0.0) - shipped.weights.get(name, 0.0)) > TOLERANCE]


def main(argv: list[str] | None = None) -> int:
    args = training_arguments("assistant.train_spans", __doc__, EVERY, SPAN_MODEL_FILE).parse_args(argv)
    if not (Path(args.squad) / "train-v1.1.json").exists():
        print(f"assistant.train_spans: no train-v1.1.json in {args.squad}", file=sys.stderr)
        return 2
    model, report = train(Path(args.squad), args.every, progress)
    print(file=sys.stderr)
    print(json.dumps(report, indent=1))
    if args.check:
        shipped = json.loads(SPAN_MODEL_FILE.read_text(encoding="utf-8"))
        differences = model_differences(model, SpanModel(shipped["weights"]))
        for line in differences[:20]:
            print(line)
        print("the shipped span model is what training produces" if not differences
              else f"the shipped span model differs from what training produces ({len(differences)} weights)")
        return 0 if not differences else 1
    Path(args.out).write_text(model_json(model, report, args.every), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
