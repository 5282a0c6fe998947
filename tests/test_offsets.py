"""Every quote is the document's text at its offsets, read independently of
the program: `quote == text[start:end]` where `text` is what Python's own
`open(path, encoding=..., newline=None).read()` gives; the short answer lies
inside the quote; the cited paragraph is the blank-line block holding the
quote; and header or page furniture is quoted only to say who wrote a
document, when, or what it is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answerer import Answer, Assistant, Conversation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_SOURCE = "000_50fe43ddfa67b07d.txt"

# Paragraphs of the seed article that are not its text, by reading it: date
# line and breadcrumb, title, "Guest contributor", byline; the footer.
SEED_NOT_BODY = {1, 2, 3, 4, 30, 31, 32, 33}

SEED_QUESTIONS = [
    "Who is the MNDAA spokesperson?",
    "Where was IB 129 stationed?",
    "When did IB 129 surrender?",
    "How many members of IB 129 surrendered?",
    "How many people in total were placed under the care of the Brotherhood Alliance?",
    "When was the People's Embrace program initiated?",
    "What is the People's Embrace program also called?",
    "How many soldiers have defected since the coup?",
    "What percent of the country does the military control?",
    "How much does each soldier receive to surrender?",
    "How much does each family member receive?",
    "Who led the regime after the coup?",
    "Whose government was ousted in 2021?",
    "What does NLD stand for?",
    "What does NUG stand for?",
    "What is Kha-La-Ya 125?",
    "How many troops of the No. 125 Infantry Regiment surrendered?",
    "How many people does the MNDAA have in custody?",
    "What is the Deserter Program?",
    "Which bill proposes the Deserter Program?",
    "Why do many soldiers stay in the army?",
    "How do defectors describe the military?",
    "What risks do soldiers face when leaving the military?",
    "What does the author propose?",
    "What does the author urge the U.N. and the E.U. to do?",
    "Where is Laukkai?",
    "Where did the NUG establish camps for defectors?",
    "Is the number of defectors enough to topple the regime?",
    "Has any nation recognized the military as Myanmar's legitimate government?",
    "What is Operation 1027?",
    "Since when has momentum been building?",
    "Who is James Shwe?",
    "What does PDF stand for?",
    "Which region did the second battalion capitulate in?",
    # Typos and loose wording.
    "Who is the MNDAA spokesman?",
    "wher was ib 129 statoined",
    "how mnay soldiers defected",
    "WHAT DOES THE NUG PROMISE DEFECTORS?",
    "  Li   Kyar   Win?  ",
    "kyat",
    # Not in the article.
    "Who won the 2018 FIFA World Cup?",
    "What is the capital of France?",
    "How many moons does Jupiter have?",
    "asdf qwerty zxcv",
    "What?",
    "Why?",
    "Who is the president of Myanmar's football federation?",
    "What happened on Nov. 30?",
    # About the document itself: the header may be quoted.
    "Who wrote the article?",
    "Who is the author?",
    "When was the article published?",
    "What is the title of the article?",
]
SEED_ABOUT_DOCUMENT = {
    "Who wrote the article?", "Who is the author?", "When was the article published?",
    "What is the title of the article?",
}
SEED_CONVERSATIONS = [
    ["Where was IB 129 stationed?", "When did it surrender?", "How many people were with them in total?",
     "Who took care of them?"],
    ["Who is the MNDAA spokesperson?", "What did he guarantee?", "How much does each soldier receive?",
     "And each family member?"],
    ["What is the People's Embrace program?", "When was it initiated?", "What is it also called?",
     "Who won the 2018 FIFA World Cup?", "What does it promise defectors?"],
    ["Who wrote the article?", "Where does he live?", "What does he advocate?"],
]


def paragraph_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of non-blank lines, counted without the
    program's code: the paragraphs the contract numbers from 1."""
    blocks, offset, current, last_end = [], 0, None, 0
    for line in text.split("\n"):
        if line.strip():
            if current is None:
                current = offset
            last_end = offset + len(line)
        elif current is not None:
            blocks.append((current, last_end))
            current = None
        offset += len(line) + 1
    if current is not None:
        blocks.append((current, last_end))
    return blocks


def check(answer: Answer, texts: dict[str, str], titles: dict[str, str], not_body: set[tuple[str, int]],
          about_document: bool = False) -> None:
    assert isinstance(answer.answered, bool)
    if not answer.answered:
        assert answer.message and answer.message.strip()
    else:
        assert answer.excerpts and answer.message is None
    for excerpt in (*answer.excerpts, *answer.more):
        text = texts[excerpt.source]
        assert 0 <= excerpt.start < excerpt.end <= len(text)
        assert excerpt.quote == text[excerpt.start : excerpt.end]
        assert excerpt.quote == excerpt.quote.strip()
        blocks = paragraph_blocks(text)
        number = next(n for n, (a, b) in enumerate(blocks, 1) if a <= excerpt.start < b)
        assert excerpt.paragraph == number, excerpt
        # A quote stays inside its paragraph, except that a paragraph ending in
        # a colon ("Under this program:") is quoted with the list that follows it.
        last = number + 1 if text[: blocks[number - 1][1]].endswith(":") and number < len(blocks) else number
        assert excerpt.end <= blocks[last - 1][1], "a quote stays inside its paragraph"
        assert excerpt.line == text.count("\n", 0, excerpt.start) + 1
        assert excerpt.title == titles[excerpt.source]
        if not about_document:
            assert (excerpt.source, excerpt.paragraph) not in not_body, excerpt
        short = excerpt.answer
        if short is not None:
            assert excerpt.start <= short.start < short.end <= excerpt.end
            assert short.text == text[short.start : short.end]
            assert short.text == short.text.strip()


# --- the seed article -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    assistant = Assistant.open(SEEDS, cache_dir=tmp_path_factory.mktemp("cache"))
    with open(SEEDS / SEED_SOURCE, encoding="utf-8", newline=None) as handle:
        texts = {SEED_SOURCE: handle.read()}
    titles = {SEED_SOURCE: "Soldiers of Conscience: Myanmar’s military defectors"}
    not_body = {(SEED_SOURCE, n) for n in SEED_NOT_BODY}
    return assistant, texts, titles, not_body


def test_the_independent_paragraph_count_of_the_seed():
    text = (SEEDS / SEED_SOURCE).read_text(encoding="utf-8")
    blocks = paragraph_blocks(text)
    assert len(blocks) == 33
    assert text[slice(*blocks[19])].startswith("Li Kyar Win, the MNDAA spokesperson")
    assert text[slice(*blocks[32])] == "Lost Password?"


@pytest.mark.parametrize("question", SEED_QUESTIONS)
def test_seed_quotes_are_the_text_at_their_offsets(seed, question):
    assistant, texts, titles, not_body = seed
    answer = assistant.ask(question, k=5)
    assert answer.question == " ".join(question.split())
    assert len(answer.excerpts) <= 5
    check(answer, texts, titles, not_body, question in SEED_ABOUT_DOCUMENT)


@pytest.mark.parametrize("turns", SEED_CONVERSATIONS, ids=lambda turns: turns[0])
def test_seed_follow_ups_keep_exact_offsets(seed, turns):
    assistant, texts, titles, not_body = seed
    conversation = Conversation()
    for question in turns:
        answer = assistant.ask(question, k=3, conversation=conversation)
        check(answer, texts, titles, not_body, question in SEED_ABOUT_DOCUMENT)
        conversation.add(question, answer)


def test_a_robust_fact_of_the_seed_is_quoted_with_its_paragraph(seed):
    assistant, texts, _, _ = seed
    answer = assistant.ask("Who is the MNDAA spokesperson?")
    top = answer.excerpts[0]
    assert answer.answered and top.paragraph == 20 and "Li Kyar Win" in top.quote
    assert top.answer is not None and top.answer.text == "Li Kyar Win"
    assert texts[SEED_SOURCE][top.answer.start : top.answer.end] == "Li Kyar Win"


# --- a small corpus of several files, encodings and line ends ----------------------------------

# source: (bytes on disk, the encoding to read them back with, title, paragraphs that are not body)
FILES = {
    "harbour.txt": (
        "Harbour works\r\n\r\nThe harbour of Port Elm reopened on 3 May 2024 after repairs costing €2.5 million. "
        "The engineer said “it was long overdue.”\r\n\r\nFishing boats returned the following week; about 40 "
        "crews now use the quay.\r\n".encode("cp1252"),
        "cp1252", "Harbour works", {1},
    ),
    "river/flood.md": (
        "# Flood report\r\n\r\nBy Jane Doe\r\n\r\nThe Elm river rose two metres in March. Some 300 homes were "
        "flooded in Lowtown.\r\n\r\n## Aftermath\r\n\r\nVolunteers from the Red Cross cleared the streets. The "
        "mayor, Ana López, promised new levees — “by 2026”.\r\n".encode(),
        "utf-8", "Flood report", {1, 2},
    ),
    "school.txt": (
        "\ufeffThe school in Hillview was founded in 1872 by Mary Carter.\n\nIt has 450 pupils today, and its "
        "headmaster is Tom Reyes.\n".encode("utf-8"),
        "utf-8", "school.txt", set(),
    ),
    "notes/cafe.txt": (
        "Caf\xe9 Rouge opened in 1998 on Station Road.\r\n\r\nIts owner, Pierre Martin, came from Lyon in "
        "1995.".encode("latin-1"),
        "latin-1", "notes/cafe.txt", set(),
    ),
    "mac.txt": (
        b"The lighthouse at Cape Verity was built in 1850.\r\rIt is 30 metres tall and its lamp can be seen "
        b"from 20 miles away.",
        "utf-8", "mac.txt", set(),
    ),
}

SMALL_QUESTIONS = [
    "When did the harbour reopen?",
    "How much did the repairs cost?",
    "What did the engineer say?",
    "How many crews use the quay?",
    "How high did the Elm river rise?",
    "How many homes were flooded?",
    "Who promised new levees?",
    "Who is the mayor?",
    "Who founded the school in Hillview?",
    "When was the school founded?",
    "How many pupils does the school have?",
    "Who is the headmaster?",
    "Where did Pierre Martin come from?",
    "When did Café Rouge open?",
    "Where is Café Rouge?",
    "How tall is the lighthouse?",
    "How far can the lamp be seen?",
    "Wen did the harbor reopen?",
    "Who won the 2018 FIFA World Cup?",
    "Who wrote the flood report?",
]
SMALL_ABOUT_DOCUMENT = {"Who wrote the flood report?"}
SMALL_CONVERSATIONS = [
    ["Who founded the school in Hillview?", "When?", "How many pupils does it have?"],
    ["Who is the mayor of Lowtown?", "What did she promise?", "How many homes were flooded?"],
    ["When did the harbour reopen?", "How much did the repairs cost?", "What did the engineer say about it?"],
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    texts, titles, not_body = {}, {}, set()
    for source, (data, encoding, title, header) in FILES.items():
        path = root / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        with open(path, encoding=encoding, newline=None) as handle:
            texts[source] = handle.read()
        titles[source] = title
        not_body |= {(source, n) for n in header}
    (root / "blob.txt").write_bytes(b"\x00\x01binary")
    assistant = Assistant.open(root, cache_dir=tmp_path_factory.mktemp("cache"))
    return assistant, texts, titles, not_body


def test_the_small_corpus_is_read_whole(small):
    assistant, texts, _, _ = small
    library = assistant.library
    assert sorted(e.source for e in library.entries) == sorted(FILES)
    assert library.warnings == ["skipped blob.txt: binary file"]
    for number, entry in enumerate(library.entries):
        assert library.document(number).text == texts[entry.source]


@pytest.mark.parametrize("question", SMALL_QUESTIONS)
def test_small_corpus_quotes_are_the_text_at_their_offsets(small, question):
    assistant, texts, titles, not_body = small
    check(assistant.ask(question, k=5), texts, titles, not_body, question in SMALL_ABOUT_DOCUMENT)


@pytest.mark.parametrize("turns", SMALL_CONVERSATIONS, ids=lambda turns: turns[0])
def test_small_corpus_follow_ups_keep_exact_offsets(small, turns):
    assistant, texts, titles, not_body = small
    conversation = Conversation()
    for question in turns:
        answer = assistant.ask(question, conversation=conversation)
        check(answer, texts, titles, not_body)
        conversation.add(question, answer)


def test_offsets_survive_a_reload_from_the_saved_index(small, tmp_path):
    assistant, texts, titles, not_body = small
    root = assistant.library.root
    first = Assistant.open(root, cache_dir=tmp_path)
    again = Assistant.open(root, cache_dir=tmp_path)
    assert not first.library.from_cache and again.library.from_cache
    for question in ("How tall is the lighthouse?", "When did Café Rouge open?", "How much did the repairs cost?"):
        answer = again.ask(question, k=5)
        check(answer, texts, titles, not_body)
        assert answer == first.ask(question, k=5)
