"""Reading question sets: the project's JSON Lines (single questions,
unanswerable ones, conversations) and SQuAD v1.1 / v2.0 files, whose articles
become a corpus. Malformed input is a QuestionSetError naming file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .corpus import Document, document_from_paragraphs
from .errors import QuestionSetError


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty: the documents do not answer it
    file: str
    source: str | None = None  # expected document, for the citation check
    paragraph: int | None = None  # expected paragraph number
    conversation: str | None = None  # the conversation it is a turn of

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class QuestionSet:
    path: str
    # Each item is asked as one conversation: a single question, or the turns
    # of a dialogue in order.
    items: tuple[tuple[EvalQuestion, ...], ...]
    documents: tuple[Document, ...] | None = None  # a SQuAD file's own articles

    @property
    def questions(self) -> list[EvalQuestion]:
        return [q for item in self.items for q in item]


def load_question_set(path: str | Path, articles: set[str] | None = None, limit: int = 0) -> QuestionSet:
    """A question set from a file: SQuAD JSON when it ends in .json, JSON
    Lines otherwise. `articles` keeps only the SQuAD articles named; `limit`
    keeps the first N questions (a conversation counts as its turns)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise QuestionSetError(f"{path}: cannot read the question set ({error.strerror or error})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuestionSetError(f"{path}: not UTF-8 text") from error
    if not text.strip():
        raise QuestionSetError(f"{path}: the question set is empty")
    if path.suffix.lower() == ".json":
        question_set = _load_squad(path, text, articles)
    else:
        question_set = QuestionSet(str(path), tuple(_load_jsonl(path, text)))
    if limit > 0:
        question_set = _first(question_set, limit)
    if not question_set.items:
        raise QuestionSetError(f"{path}: no questions in the set")
    return question_set


def _first(question_set: QuestionSet, limit: int) -> QuestionSet:
    kept, count = [], 0
    for item in question_set.items:
        if count >= limit:
            break
        kept.append(item)
        count += len(item)
    return QuestionSet(question_set.path, tuple(kept), question_set.documents)


# --- JSON Lines ------------------------------------------------------------------


def _load_jsonl(path: Path, text: str) -> list[tuple[EvalQuestion, ...]]:
    items, seen = [], set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionSetError(f"{where}: not valid JSON ({error.msg})") from error
        if not isinstance(record, dict):
            raise QuestionSetError(f"{where}: each line must be a JSON object")
        identifier = str(record.get("id") or f"line{number}")
        if identifier in seen:
            raise QuestionSetError(f"{where}: the id {identifier!r} is used twice")
        seen.add(identifier)
        if "turns" in record:
            turns = record["turns"]
            if not isinstance(turns, list) or not turns:
                raise QuestionSetError(f"{where}: 'turns' must be a non-empty list")
            items.append(tuple(
                _question(turn, f"{identifier}#{i}", str(path), where, conversation=identifier)
                for i, turn in enumerate(turns, 1)
            ))
        else:
            items.append((_question(record, identifier, str(path), where),))
    return items


def _question(record, identifier: str, file: str, where: str, conversation: str | None = None) -> EvalQuestion:
    if not isinstance(record, dict):
        raise QuestionSetError(f"{where}: a turn must be a JSON object")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise QuestionSetError(f"{where}: missing 'question' (a non-empty string)")
    answers = record.get("answers")
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise QuestionSetError(f"{where}: 'answers' must be a list of strings ([] when the documents do not answer)")
    source = record.get("source")
    paragraph = record.get("paragraph")
    if source is not None and not isinstance(source, str):
        raise QuestionSetError(f"{where}: 'source' must be a string")
    if paragraph is not None and (not isinstance(paragraph, int) or isinstance(paragraph, bool) or paragraph < 1):
        raise QuestionSetError(f"{where}: 'paragraph' must be a positive whole number")
    return EvalQuestion(identifier, question, tuple(answers), file, source, paragraph, conversation)


# --- SQuAD -----------------------------------------------------------------------


def _load_squad(path: Path, text: str, articles: set[str] | None) -> QuestionSet:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise QuestionSetError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise QuestionSetError(f"{path}: not a SQuAD file (expected an object with a 'data' list of articles)")
    documents, items = [], []
    for number, article in enumerate(data["data"], 1):
        where = f"{path}: article {number}"
        try:
            title = str(article["title"])
            paragraphs = article["paragraphs"]
            contexts = [p["context"] for p in paragraphs]
        except (KeyError, TypeError) as error:
            raise QuestionSetError(f"{where}: not in SQuAD shape (missing {error})") from error
        documents.append(document_from_paragraphs(title, title.replace("_", " "), contexts))
        if articles is not None and title not in articles:
            continue
        for paragraph_number, paragraph in enumerate(paragraphs, 1):
            for qa in paragraph.get("qas", []):
                try:
                    impossible = bool(qa.get("is_impossible", False))
                    answers = () if impossible else tuple(a["text"] for a in qa["answers"])
                    question = EvalQuestion(
                        str(qa["id"]), qa["question"], answers, str(path), title, paragraph_number
                    )
                except (KeyError, TypeError) as error:
                    raise QuestionSetError(f"{where}, paragraph {paragraph_number}: a question is not in SQuAD shape") from error
                items.append((question,))
    if articles is not None:
        unknown = articles - {d.source for d in documents}
        if unknown:
            raise QuestionSetError(f"{path}: no article named {sorted(unknown)[0]!r}")
    return QuestionSet(str(path), tuple(items), tuple(documents))
