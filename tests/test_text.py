"""Segmentation keeps offsets into the original text: paragraphs, sentences
(abbreviation-aware) and tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import discover, read_file
from assistant.text import Span, paragraph_spans, sentence_spans, token_spans

SEED = Path(__file__).resolve().parent.parent / "seeds"

# Every sentence of the seed article's body, paragraph by paragraph, as it
# begins and ends (written by reading the article, not by running the code).
EXPECTED = {
    5: [("International and regional efforts", "advocating for negotiations."),
        ("However, it’s now clear", "totally defeated.")],
    6: [("There should be no half measures.", "no half measures."),
        ("The people’s desire", "is weakening."),
        ("This uprising against", "in Myanmar’s history.")],
    7: [("The military’s weakness", "glaringly evident."),
        ("No nation has recognized", "legitimate government."),
        ("The economy has been in shambles", "led by Min Aung Hlaing.")],
    8: [("The military’s territorial control", "for once and all.")],
    9: [("In central Myanmar,", "out of military control."),
        ("In terms of public support", "it has none."),
        ("Loyalty to the military", "and blackmail.")],
    10: [("The international community", "against civilians."),
         ("International sanctions", "coordination and enforcement.")],
    11: [("One strategy deserving", "security personnel."),
         ("The proposed “Deserter Program” in the 2024 U.S. State Department", "a positive step forward.")],
    12: [("Leaving the military", "threats to soldiers’ families."),
         ("The journey to safety", "reaching liberated areas.")],
    13: [("Despite these formidable challenges", "police officers have defected."),
         ("It states that over 14,000", "since the 2021 military coup.")],
    14: [("These defectors describe", "fatigued, and panicked."),
         ("Many soldiers wish to leave", "compel them to remain.")],
    15: [("The “People’s Embrace” program", "defectors from the military."),
         ("Under this program:", "Under this program:")],
    16: [("Military and police personnel", "daughters of the nation."),
         ("The NUG formally acknowledges", "recognized and provided."),
         ("The NUG takes responsibility", "transition to civilian life."),
         ("The NUG actively engages", "harm or punish defectors."),
         ("In recognition of their bravery", "contributions are honoured.")],
    17: [("Recent reports indicate", "following these guidelines.")],
    18: [("On Nov. 14, all 127 members of Infantry Battalion (IB) 129", "Myanmar-China border, surrendered."),
         ("Along with their family members, 262", "care of the Brotherhood Alliance.")],
    19: [("On Nov. 28, all 172 troops with the No. 125 Infantry Regiment", "Kha-La-Ya 125, surrendered."),
         ("Along with 100 family members", "272 people in total surrendered."),
         ("It marks the second", "in the Kokang region."),
         ("The Myanmar National Democratic Alliance Army (MNDAA)", "all 534 in its custody.")],
    20: [("Li Kyar Win, the MNDAA spokesperson", "lay down their weapons."),
         ("They reportedly provide", "with their families."),
         ("Each soldier receives one million kyat ($480 USD)", "($48 USD), to surrender.")],
    21: [("These developments signify", "northern Shan State."),
         ("The NUG has established camps", "assist with the transition.")],
    22: [("These programs provide defectors", "a fresh start."),
         ("While the number of military defectors", "it’s steadily growing."),
         ("International support for this crucial area", "remains limited.")],
    23: [("I propose that many nations", "for a defined period.")],
    24: [("This approach could weaken", "death and displacement."),
         ("It might be more cost effective", "Internally Displaced Persons (IDPs).")],
    25: [("I request that the U.S. expand", "endorse such an initiative.")],
    26: [("I urge the U.N. and the E.U. to consider", "including this program."),
         ("If and when it’s properly implemented", "sustainable solutions in Myanmar.")],
    27: [("I believe that the Myanmar people", "Ethnic Resistance Organizations (EROs)."),
         ("The NUG and EROs must be included", "in this process.")],
    28: [("Many security analysts state", "end of the Myanmar military."),
         ("Momentum has been building", "closer than we may think.")],
    29: [("James Shwe is a Burmese-American", "living in the U.S."),
         ("He has actively championed", "following the 2021 military coup."),
         ("He advocates on behalf of both", "National Unity Government (NUG).")],
}


@pytest.fixture(scope="module")
def seed():
    return read_file(discover(SEED)[0])


def test_every_sentence_boundary_of_the_seed_article(seed):
    body = {p.number: sentences for p, sentences in zip(seed.paragraphs, seed.sentences) if p.role == "body"}
    assert sorted(body) == sorted(EXPECTED)
    for number, expected in EXPECTED.items():
        got = [s.of(seed.text) for s in body[number]]
        assert len(got) == len(expected), (number, got)
        for sentence, (start, end) in zip(got, expected):
            assert sentence.startswith(start) and sentence.endswith(end), (number, sentence)


def test_bullets_are_sentences_without_their_marker(seed):
    bullets = seed.sentences[15]
    assert all(not s.of(seed.text).startswith("•") for s in bullets)
    assert seed.text[bullets[0].start - 2 : bullets[0].start] == "• "


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He lives in the U.S. He has a job.", ["He lives in the U.S.", "He has a job."]),
        ("The U.S. Army left. Then it rained.", ["The U.S. Army left.", "Then it rained."]),
        ("On Nov. 14 it ended. On Dec. 2 it began.", ["On Nov. 14 it ended.", "On Dec. 2 it began."]),
        ("The No. 125 regiment left.", ["The No. 125 regiment left."]),
        ("I urge the U.N. and the E.U. to act. They did.", ["I urge the U.N. and the E.U. to act.", "They did."]),
        ("J. R. R. Tolkien wrote it. Mr. Smith read it.", ["J. R. R. Tolkien wrote it.", "Mr. Smith read it."]),
        ("It grew 3.5 percent. Prices rose.", ["It grew 3.5 percent.", "Prices rose."]),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("Is it? Yes! It is.", ["Is it?", "Yes!", "It is."]),
        ("Dr. Lee, e.g. a doctor, came.", ["Dr. Lee, e.g. a doctor, came."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert [s.of(text) for s in sentence_spans(text)] == expected


def test_bulleted_and_numbered_lines_are_sentences_of_their_own():
    # A bullet symbol is left out of the quote; an item's number is kept (it is
    # how the text refers to the item).
    text = "Under this plan:\n• First point here\n• Second point here\n1. Numbered one\n2. Numbered two"
    got = [s.of(text) for s in sentence_spans(text)]
    assert got == ["Under this plan:", "First point here", "Second point here", "1. Numbered one", "2. Numbered two"]


def test_paragraphs_are_blank_line_blocks_with_exact_offsets():
    text = "First para\nstill first.\n\n\nSecond para.\n  \nThird."
    spans = paragraph_spans(text)
    assert [s.of(text) for s in spans] == ["First para\nstill first.", "Second para.", "Third."]


def test_text_without_blank_lines_has_a_paragraph_per_line():
    text = "Line one is here.\nLine two is here.\nLine three."
    assert [s.of(text) for s in paragraph_spans(text)] == ["Line one is here.", "Line two is here.", "Line three."]


def test_token_offsets_are_the_text():
    text = "Li Kyar Win’s 14,000 troops—U.S.-backed."
    spans = token_spans(text)
    assert all(isinstance(s, Span) for s in spans)
    assert [s.of(text) for s in spans][:3] == ["Li", "Kyar", "Win’s"]
    assert all(text[s.start : s.end] == s.of(text) for s in spans)
