"""Reading question sets: the project's JSON Lines (single questions,
unanswerable ones, conversations) and SQuAD v1.1 / v2.0 files, whose articles
become a corpus. Malformed input is a QuestionSetError naming file and line."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from .corpus import Document, document_from_paragraphs
from .errors import QuestionSetError
from .metrics import normalize_answer


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty: the documents do not answer it
    file: str
    source: str | None = None  # expected document, for the citation check
    paragraph: int | None = None  # expected paragraph number
    conversation: str | None = None  # the conversation it is a turn of
    # A SQuAD question's paragraph text: another SQuAD file used as the corpus
    # may number the article's paragraphs differently, so the expected
    # paragraph is found again by its text (see `relocate`).
    context: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class QuestionSet:
    path: str
    # Each item is asked as one conversation: a single question, or the turns
    # of a dialogue in order.
    items: tuple[tuple[EvalQuestion, ...], ...]
    documents: tuple[Document, ...] | None = None  # a SQuAD file's articles, all of them

    @property
    def questions(self) -> list[EvalQuestion]:
        return [q for item in self.items for q in item]

    @property
    def is_squad(self) -> bool:
        return self.documents is not None


def load_question_set(path: str | Path, articles: Collection[str] | None = None, limit: int = 0) -> QuestionSet:
    """A question set from a file: SQuAD when the file holds one JSON object
    with a "data" list (or ends in .json), JSON Lines otherwise. `articles`
    keeps only the questions of the SQuAD articles named (the documents stay
    all of them; JSON Lines sets ignore it); `limit` keeps the first N
    questions, cutting a conversation after its Nth turn if need be."""
    path = Path(path)
    text = _read(path)
    whole = _parse_whole(text)
    if isinstance(whole, dict) and "data" in whole:
        question_set = _squad_set(path, whole, articles)
    elif path.suffix.lower() == ".json" and not _looks_like_json_lines(whole):
        if isinstance(whole, json.JSONDecodeError):
            raise QuestionSetError(f"{path}:{whole.lineno}: not valid JSON ({whole.msg})")
        raise QuestionSetError(f"{path}: not a SQuAD file (expected an object with a 'data' list of articles)")
    else:
        question_set = QuestionSet(str(path), tuple(_load_jsonl(path, text)))
    if not question_set.items and articles is None:
        raise QuestionSetError(f"{path}: no questions in the set")
    if limit > 0:
        question_set = first_questions(question_set, limit)
    return question_set


def load_squad_documents(path: str | Path) -> tuple[Document, ...]:
    """The articles of a SQuAD file as documents, for `--corpus FILE.json`."""
    path = Path(path)
    whole = _parse_whole(_read(path))
    if isinstance(whole, json.JSONDecodeError):
        raise QuestionSetError(f"{path}:{whole.lineno}: not valid JSON ({whole.msg})")
    if not isinstance(whole, dict) or "data" not in whole:
        raise QuestionSetError(f"{path}: not a SQuAD file (expected an object with a 'data' list of articles)")
    return _squad_set(path, whole, None).documents


def first_questions(question_set: QuestionSet, limit: int) -> QuestionSet:
    """The first `limit` questions; a conversation cut short keeps its first turns."""
    kept, count = [], 0
    for item in question_set.items:
        if count >= limit:
            break
        kept.append(item[: limit - count])
        count += len(kept[-1])
    return replace(question_set, items=tuple(kept))


def relocate(question: EvalQuestion, paragraph_numbers: dict[str, int]) -> EvalQuestion:
    """The question with its expected paragraph renumbered after the corpus
    document of its article (`paragraph_numbers` maps paragraph text to
    number); unchanged when the paragraph is not found."""
    number = paragraph_numbers.get(question.context) if question.context is not None else None
    return question if number is None or number == question.paragraph else replace(question, paragraph=number)


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise QuestionSetError(f"{path}: cannot read the question set ({error.strerror or error})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise QuestionSetError(f"{path}: not UTF-8 text (byte {error.start})") from error
    if not text.strip():
        raise QuestionSetError(f"{path}: the question set is empty")
    return text


def _parse_whole(text: str):
    """The file as one JSON value, or the error that stopped it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return error


def _looks_like_json_lines(whole) -> bool:
    # A .json file that is really JSON Lines: one question object, or several
    # lines of them (the parser stops at the second with "Extra data").
    if isinstance(whole, json.JSONDecodeError):
        return whole.msg == "Extra data" and whole.lineno > 1
    return isinstance(whole, dict) and ("question" in whole or "turns" in whole)


# --- JSON Lines ------------------------------------------------------------------


def _load_jsonl(path: Path, text: str) -> list[tuple[EvalQuestion, ...]]:
    items, seen = [], set()
    # Split on "\n" only: str.splitlines would also break at U+2028 and other
    # separators that JSON allows inside strings, and misnumber the lines.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise QuestionSetError(f"{where}: not valid JSON ({error.msg}, column {error.colno})") from error
        if not isinstance(record, dict):
            raise QuestionSetError(f"{where}: each line must be a JSON object")
        identifier = record.get("id")
        if isinstance(identifier, bool) or not isinstance(identifier, (str, int, type(None))):
            raise QuestionSetError(f"{where}: 'id' must be a string")
        identifier = f"line{number}" if identifier in (None, "") else str(identifier)
        if identifier in seen:
            raise QuestionSetError(f"{where}: the id {identifier!r} is used twice")
        seen.add(identifier)
        if "turns" in record:
            turns = record["turns"]
            if not isinstance(turns, list) or not turns:
                raise QuestionSetError(f"{where}: 'turns' must be a non-empty list")
            items.append(tuple(
                _question(turn, f"{identifier}#{i}", str(path), f"{where}: turn {i}", conversation=identifier)
                for i, turn in enumerate(turns, 1)
            ))
        else:
            items.append((_question(record, identifier, str(path), where),))
    if not items:
        raise QuestionSetError(f"{path}: the question set is empty")
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
    for answer in answers:
        # "" or "the" would normalise to nothing and could never be matched.
        if not normalize_answer(answer):
            raise QuestionSetError(f"{where}: the answer {answer!r} is empty once normalised")
    source = record.get("source")
    paragraph = record.get("paragraph")
    if source is not None and not isinstance(source, str):
        raise QuestionSetError(f"{where}: 'source' must be a string")
    if paragraph is not None and (not isinstance(paragraph, int) or isinstance(paragraph, bool) or paragraph < 1):
        raise QuestionSetError(f"{where}: 'paragraph' must be a positive whole number")
    return EvalQuestion(identifier, question, tuple(answers), file, source, paragraph, conversation)


# --- SQuAD -----------------------------------------------------------------------


def _squad_set(path: Path, data: dict, articles: Collection[str] | None) -> QuestionSet:
    if not isinstance(data.get("data"), list):
        raise QuestionSetError(f"{path}: not a SQuAD file ('data' must be a list of articles)")
    if not data["data"]:
        raise QuestionSetError(f"{path}: the SQuAD file has no articles")
    wanted = None if articles is None else {a.replace(" ", "_") for a in articles}
    documents, items = [], []
    for number, article in enumerate(data["data"], 1):
        where = f"{path}: article {number}"
        title, paragraphs = _article(article, where)
        where = f"{path}: article {number} ({title})"
        contexts = [_field(p, "context", str, f"{where}, paragraph {i}") for i, p in enumerate(paragraphs, 1)]
        documents.append(document_from_paragraphs(title, title.replace("_", " "), contexts))
        if wanted is not None and title.replace(" ", "_") not in wanted:
            continue
        for paragraph_number, paragraph in enumerate(paragraphs, 1):
            qas = _field(paragraph, "qas", list, f"{where}, paragraph {paragraph_number}")
            for question_number, qa in enumerate(qas, 1):
                here = f"{where}, paragraph {paragraph_number}, question {question_number}"
                items.append((_squad_question(qa, here, str(path), title, paragraph_number, contexts[paragraph_number - 1]),))
    return QuestionSet(str(path), tuple(items), tuple(documents))


def _article(article, where: str) -> tuple[str, list]:
    title = _field(article, "title", str, where)
    paragraphs = _field(article, "paragraphs", list, where)
    return title, paragraphs


def _squad_question(qa, where: str, file: str, title: str, paragraph: int, context: str) -> EvalQuestion:
    identifier = _field(qa, "id", str, where)
    question = _field(qa, "question", str, where)
    impossible = qa.get("is_impossible", False)
    answers = _field(qa, "answers", list, where)
    texts = []
    for answer in answers:
        texts.append(_field(answer, "text", str, f"{where}, an answer"))
    if impossible is True:
        texts = []  # v2.0: the paragraph does not answer it (its "answers" is [] anyway)
    return EvalQuestion(identifier, question, tuple(texts), file, title, paragraph, context=context)


def _field(record, name: str, kind: type, where: str):
    if not isinstance(record, dict):
        raise QuestionSetError(f"{where}: not in SQuAD shape (expected a JSON object)")
    if name not in record:
        raise QuestionSetError(f"{where}: not in SQuAD shape (no {name!r})")
    value = record[name]
    if not isinstance(value, kind):
        raise QuestionSetError(f"{where}: not in SQuAD shape ({name!r} must be a {_KIND_NAMES[kind]})")
    return value


_KIND_NAMES = {str: "string", list: "list", dict: "object"}
