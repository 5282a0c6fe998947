"""Segmentation keeps offsets into the original text: paragraphs, sentences
(abbreviation-aware) and tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus import BODY, discover, read_file
from assistant.text import Span, paragraph_spans, sentence_spans, token_spans, tokens

SEED = Path(__file__).resolve().parent.parent / "seeds"

# Every sentence of the seed article's body, paragraph by paragraph, written
# out by reading the article (not by running the code). Paragraph numbers count
# the article's blank-line-separated blocks from 1; 1-4 are its header (date
# line and breadcrumb, title, "Guest contributor", byline), 30-33 its footer.
EXPECTED = {
    5: [
        "International and regional efforts to address the crisis in Myanmar have primarily focused on advocating "
        "for negotiations.",
        "However, it’s now clear that meaningful talks with this new military regime is unlikely unless the "
        "opposition surrenders, or the military is totally defeated.",
    ],
    6: [
        "There should be no half measures.",
        "The people’s desire in the face of repression remains unwavering, and the military’s grip on the nation "
        "is weakening.",
        "This uprising against a return to military rule is like no other in Myanmar’s history.",
    ],
    7: [
        "The military’s weakness has become glaringly evident.",
        "No nation has recognized it as Myanmar’s legitimate government.",
        "The economy has been in shambles since it staged a 2021 military coup by ousting Aung San Suu Kyi’s "
        "democratically-elected National League for Democracy (NLD) government replacing it with a regime led by "
        "Min Aung Hlaing.",
    ],
    8: [
        "The military’s territorial control now barely extends to 17 percent of the country and is contracting "
        "further as the Brotherhood Alliance’s Operation 1027 gains momentum and spreads nationwide, and as "
        "anti-coup forces unite with it to end military rule for once and all.",
    ],
    9: [
        "In central Myanmar, areas are slipping out of military control.",
        "In terms of public support and respect, it has none.",
        "Loyalty to the military appears to be sustained only through force, coercion, financial incentives, "
        "criminal partnerships, and blackmail.",
    ],
    10: [
        "The international community has played a crucial role by withholding legitimacy and condemning the "
        "military’s atrocities against civilians.",
        "International sanctions are gradually adding pressure and could become even more effective with enhanced "
        "international coordination and enforcement.",
    ],
    11: [
        "One strategy deserving greater attention is providing incentives for defections among the civil servants, "
        "military, and security personnel.",
        "The proposed “Deserter Program” in the 2024 U.S. State Department Appropriations Bill, aimed at supporting "
        "military personnel who have defected represents a positive step forward.",
    ],
    12: [
        "Leaving the military is fraught with risks, including potential jail sentences and threats to soldiers’ "
        "families.",
        "The journey to safety can be perilous, involving multiple hideouts before reaching liberated areas.",
    ],
    13: [
        "Despite these formidable challenges, records from the National Unity Government (NUG) indicate that a "
        "significant number of military personnel and police officers have defected.",
        "It states that over 14,000 have laid down their weapons since the 2021 military coup.",
    ],
    14: [
        "These defectors describe the military as demoralized, fatigued, and panicked.",
        "Many soldiers wish to leave the army, but their families, held hostage to ensure loyalty, compel them to "
        "remain.",
    ],
    15: [
        "The “People’s Embrace” program of the NUG, also called the “Loyalty Shift” program, was initiated in "
        "August 2021 to assist defectors from the military.",
        "Under this program:",
    ],
    16: [
        "Military and police personnel who have defected from the military regime and joined the peoples’ cause "
        "are celebrated as true sons and daughters of the nation.",
        "The NUG formally acknowledges their service, rank, and entitlements, including pensions, ensuring these "
        "are duly recognized and provided.",
        "The NUG takes responsibility for addressing their immediate security and livelihood needs, ensuring their "
        "safety and well-being during their transition to civilian life.",
        "The NUG actively engages in negotiations with the People’s Defense Force (PDF) and allied groups to create "
        "an environment of trust and support, urging them not to harm or punish defectors.",
        "In recognition of their bravery, defectors are promised significant and equitable roles within the future "
        "Federal Army and Police, ensuring their contributions are honoured.",
    ],
    17: [
        "Recent reports indicate that soldiers who surrendered to the resistance were being treated humanely, "
        "following these guidelines.",
    ],
    18: [
        "On Nov. 14, all 127 members of Infantry Battalion (IB) 129 stationed in Laukkai, located in the Kokang "
        "Self-Administered Zone of northern Shan State near the Myanmar-China border, surrendered.",
        "Along with their family members, 262 people in total were placed under the care of the Brotherhood "
        "Alliance.",
    ],
    19: [
        "On Nov. 28, all 172 troops with the No. 125 Infantry Regiment, known as Kha-La-Ya 125, surrendered.",
        "Along with 100 family members, 272 people in total surrendered.",
        "It marks the second major battalion to capitulate in the Kokang region.",
        "The Myanmar National Democratic Alliance Army (MNDAA) stated it has all 534 in its custody.",
    ],
    20: [
        "Li Kyar Win, the MNDAA spokesperson, said that he guarantees the safety of soldiers and their families, "
        "vowing to respect the human rights of those who lay down their weapons.",
        "They reportedly provide medical assistance and cover travel expenses to reunite soldiers with their "
        "families.",
        "Each soldier receives one million kyat ($480 USD), and each family member receives 100,000 kyat ($48 USD), "
        "to surrender.",
    ],
    21: [
        "These developments signify a significant shift in the dynamics of the conflict, indicating growing unrest "
        "within the military ranks and a shift in the balance of power in northern Shan State.",
        "The NUG has established camps for defectors in liberated areas, with some former soldiers founding "
        "organizations to assist with the transition.",
    ],
    22: [
        "These programs provide defectors with sanctuary and financial support, offering hope and a fresh start.",
        "While the number of military defectors isn’t yet sufficient to topple the regime in Naypyidaw, it’s "
        "steadily growing.",
        "International support for this crucial area remains limited.",
    ],
    23: [
        "I propose that many nations advocating a negotiated solution contribute to a fund designed to support the "
        "livelihood and security of military defectors and their families for a defined period.",
    ],
    24: [
        "This approach could weaken the military and compel them to engage in negotiations, while also minimizing "
        "death and displacement.",
        "It might be more cost effective in the long-run than just long-term humanitarian assistance to Internally "
        "Displaced Persons (IDPs).",
    ],
    25: [
        "I request that the U.S. expand its support program for military defectors who prioritize conscience over "
        "coercion and urge the rest of the international community to endorse such an initiative.",
    ],
    26: [
        "I urge the U.N. and the E.U. to consider this approach and adopt a locally-led humanitarian aid strategy, "
        "including this program.",
        "If and when it’s properly implemented, it will maximize aid effectiveness, promote community well-being, "
        "and contribute to sustainable solutions in Myanmar.",
    ],
    27: [
        "I believe that the Myanmar people are best positioned to address the support of this kind of effort "
        "through locally-led organizations, especially those working closely with the NUG and Ethnic Resistance "
        "Organizations (EROs).",
        "The NUG and EROs must be included as dialogue partners in this process.",
    ],
    28: [
        "Many security analysts state that they are witnessing the beginning of the end of the Myanmar military.",
        "Momentum has been building at a steady pace since late October, and with the right international support, "
        "Myanmar’s end of military rule may be closer than we may think.",
    ],
    29: [
        "James Shwe is a Burmese-American living in the U.S.",
        "He has actively championed Myanmar’s democracy movement following the 2021 military coup.",
        "He advocates on behalf of both the U.S. government and the National Unity Government (NUG).",
    ],
}


@pytest.fixture(scope="module")
def seed():
    return read_file(discover(SEED)[0])


@pytest.fixture(scope="module")
def seed_text():
    return (SEED / "000_50fe43ddfa67b07d.txt").read_text(encoding="utf-8")


def test_every_sentence_of_the_seed_article_body(seed, seed_text):
    assert seed.text == seed_text
    body = {p.number: p.span for p in seed.paragraphs if p.role == BODY}
    assert sorted(body) == sorted(EXPECTED)
    for number, expected in EXPECTED.items():
        assert [s.of(seed_text) for s in sentence_spans(seed_text, body[number])] == expected, number


def test_the_documents_cached_sentences_are_the_same(seed):
    for paragraph, sentences in zip(seed.paragraphs, seed.sentences):
        assert list(sentences) == sentence_spans(seed.text, paragraph.span)


def test_the_seed_header_lines_are_sentences_of_their_own(seed_text):
    first = paragraph_spans(seed_text)[0]
    assert [s.of(seed_text) for s in sentence_spans(seed_text, first)] == [
        "Monday, March 4, 2024",
        "HomeOpinionSoldiers of Conscience: Myanmar's military defectors",
    ]


def test_sentences_cover_each_paragraph_in_order_leaving_out_only_space_and_bullets(seed_text):
    for paragraph in paragraph_spans(seed_text):
        position = paragraph.start
        for sentence in sentence_spans(seed_text, paragraph):
            assert paragraph.contains(sentence) and sentence.start >= position
            assert re.fullmatch(r"[\s•]*", seed_text[position : sentence.start])
            assert sentence.of(seed_text) == sentence.of(seed_text).strip()
            position = sentence.end
        assert seed_text[position : paragraph.end].strip() == ""


def test_the_seed_bullets_are_sentences_without_their_marker(seed_text):
    bullets = paragraph_spans(seed_text)[15]
    sentences = sentence_spans(seed_text, bullets)
    assert len(sentences) == 5
    for sentence in sentences:
        assert seed_text[sentence.start - 4 : sentence.start] == "  • "


def test_the_seed_paragraphs_are_its_blank_line_blocks(seed_text):
    blocks = [b.strip() for b in re.split(r"\n\s*\n", seed_text) if b.strip()]
    spans = paragraph_spans(seed_text)
    assert [s.of(seed_text) for s in spans] == blocks
    assert len(spans) == 33


def split(text: str) -> list[str]:
    return [s.of(text) for s in sentence_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Abbreviations before a number or a name never end a sentence.
        ("On Nov. 14 they surrendered. Later more came.", ["On Nov. 14 they surrendered.", "Later more came."]),
        ("On Nov. 28, all 172 troops left.", ["On Nov. 28, all 172 troops left."]),
        ("The No. 125 Infantry Regiment surrendered.", ["The No. 125 Infantry Regiment surrendered."]),
        ("Mr. Smith met Dr. Jones and Gen. Min Aung Hlaing.", ["Mr. Smith met Dr. Jones and Gen. Min Aung Hlaing."]),
        ("See Fig. 3 for details. It is clear.", ["See Fig. 3 for details.", "It is clear."]),
        ("Dr. Lee, e.g. a doctor, came.", ["Dr. Lee, e.g. a doctor, came."]),
        # "eg." and "ie." written without their inner stop, as Valgrind's manual writes them.
        ("Your program will run much slower (eg. 20 to 30 times) than normal.",
         ["Your program will run much slower (eg. 20 to 30 times) than normal."]),
        ("Use one tool, ie. Memcheck, at a time.", ["Use one tool, ie. Memcheck, at a time."]),
        # A dotted acronym ends a sentence only where a new sentence begins.
        ("He lives in the U.S. He has a job.", ["He lives in the U.S.", "He has a job."]),
        ("He lives in the U.S.", ["He lives in the U.S."]),
        ("The U.S. Army left. Then it rained.", ["The U.S. Army left.", "Then it rained."]),
        ("The U.S.-led coalition won.", ["The U.S.-led coalition won."]),
        ("I urge the U.N. and the E.U. to act. They did.", ["I urge the U.N. and the E.U. to act.", "They did."]),
        ("He moved to the U.K. in 1990.", ["He moved to the U.K. in 1990."]),
        ("He moved to the U.K. In 1990 he left.", ["He moved to the U.K.", "In 1990 he left."]),
        ("It was 5 p.m. The sun set.", ["It was 5 p.m.", "The sun set."]),
        ("At 5 p.m. he left.", ["At 5 p.m. he left."]),
        ("She works at Acme Inc. The firm is big.", ["She works at Acme Inc.", "The firm is big."]),
        ("Acme Inc. announced profits.", ["Acme Inc. announced profits."]),
        ("I live on Main St. It is quiet.", ["I live on Main St.", "It is quiet."]),
        ("He prayed at St. Paul's.", ["He prayed at St. Paul's."]),
        # Initials.
        ("J. R. R. Tolkien wrote it. Mr. Smith read it.", ["J. R. R. Tolkien wrote it.", "Mr. Smith read it."]),
        ("J.R.R. Tolkien wrote it.", ["J.R.R. Tolkien wrote it."]),
        ("A. Smith and B. Jones wrote it.", ["A. Smith and B. Jones wrote it."]),
        # Numbers.
        ("It grew by 3.5 million people. Prices rose.", ["It grew by 3.5 million people.", "Prices rose."]),
        ("It costs $4.50 today. Fine.", ["It costs $4.50 today.", "Fine."]),
        ("The war ended in 1945. 1946 was calm.", ["The war ended in 1945.", "1946 was calm."]),
        ("Version 2.0 is out. Try it.", ["Version 2.0 is out.", "Try it."]),
        # Ellipses.
        ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
        ("He paused… Then he spoke.", ["He paused…", "Then he spoke."]),
        ("Wait... what happened?", ["Wait... what happened?"]),
        # Quotes and brackets closing a sentence stay with it.
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        ("He said “stop.” Then he left.", ["He said “stop.”", "Then he left."]),
        ("He asked ‘why?’ Nobody knew.", ["He asked ‘why?’", "Nobody knew."]),
        ("(This is an aside.) The text goes on.", ["(This is an aside.)", "The text goes on."]),
        # Question and exclamation marks.
        ("Is it? Yes! It is.", ["Is it?", "Yes!", "It is."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        # White space between sentences is left out.
        ("One.  Two spaces.\tA tab.", ["One.", "Two spaces.", "A tab."]),
        # A reference mark after the full stop (text from Wikipedia) stays with its sentence.
        ("She was fired.:110 He was harsh.", ["She was fired.:110", "He was harsh."]),
        ("It began in 1905.[3] It ended.", ["It began in 1905.[3]", "It ended."]),
        ("See pages 10:110 and 12.", ["See pages 10:110 and 12."]),
        # A numbered title's label is no sentence of its own; a sentence naming one still ends.
        ("Chapter\u00a02.\u00a0Debian package management", ["Chapter\u00a02.\u00a0Debian package management"]),
        ("Table 2.1. List of tools", ["Table 2.1. List of tools"]),
        ("Appendix A. Tips for users", ["Appendix A. Tips for users"]),
        ("See Chapter 2. It says more.", ["See Chapter 2.", "It says more."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert split(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Under this plan:\n• First point here\n• Second point here", ["Under this plan:", "First point here",
                                                                     "Second point here"]),
        ("Under this plan:\n  • First point.\n  • Second point.", ["Under this plan:", "First point.", "Second point."]),
        ("Items:\n- alpha beta\n- gamma delta", ["Items:", "alpha beta", "gamma delta"]),
        ("Items:\n* star item\n+ plus item\n– dash item", ["Items:", "star item", "plus item", "dash item"]),
        # An item's number is kept: it is how the text refers to the item.
        ("Steps:\n1. Do this.\n2. Do that.", ["Steps:", "1. Do this.", "2. Do that."]),
        ("Steps:\n1. Do this\n2. Do that", ["Steps:", "1. Do this", "2. Do that"]),
        ("a) first item\nb) second item", ["a) first item", "b) second item"]),
        # A list flattened onto one line.
        ("Under this program: • First thing. • Second thing.", ["Under this program:", "First thing.",
                                                                "Second thing."]),
        # A Markdown heading is a line of its own, without its marks.
        ("## Heading here\nText follows. More text.", ["Heading here", "Text follows.", "More text."]),
    ],
)
def test_list_items_and_headings_are_sentences_of_their_own(text, expected):
    assert split(text) == expected


def test_a_bullet_marker_is_outside_the_span_but_the_offsets_are_the_texts():
    text = "Intro:\n• First point here\n- Second point here"
    spans = sentence_spans(text)
    assert [(s.start, s.end) for s in spans] == [(0, 6), (9, 25), (28, 45)]
    assert text[7:9] == "• " and text[26:28] == "- "


def test_hard_wrapped_prose_is_joined_but_a_short_line_before_a_capital_is_cut():
    wrapped = ("This is a long hard-wrapped paragraph of prose that goes on\nand on across a line break. "
               "Then another\nsentence follows here.")
    assert split(wrapped) == [
        "This is a long hard-wrapped paragraph of prose that goes on\nand on across a line break.",
        "Then another\nsentence follows here.",
    ]
    assert split("A para\nwrapped over\nthree lines of prose here.") == ["A para\nwrapped over\nthree lines of prose here."]
    assert split("Monday, March 4, 2024\nThe text of the article begins here, well past the date.") == [
        "Monday, March 4, 2024", "The text of the article begins here, well past the date."]


def test_a_numbered_clause_and_its_quoted_term_open_their_definition():
    # The MPL's definitions: the clause number and the term on a short line,
    # the definition running on in lower case below them.
    text = '1.7. "Larger Work"\n    means a work that combines Covered Software with other material, in\n' \
           '    a separate file or files, that is not Covered Software.'
    assert split(text) == [text]
    assert split("3.1.2. Each contributor grants a licence. It is royalty-free.") == [
        "3.1.2. Each contributor grants a licence.", "It is royalty-free."]
    # A number ending a sentence still ends it.
    assert split("It ended in version 2.0. Then came 3.0.") == ["It ended in version 2.0.", "Then came 3.0."]


def test_sentences_of_one_paragraph_are_offsets_into_the_whole_text():
    text = "First one. Still first.\n\nSecond one. Still second."
    second = paragraph_spans(text)[1]
    spans = sentence_spans(text, second)
    assert spans == [Span(25, 36), Span(37, 50)]
    assert [s.of(text) for s in spans] == ["Second one.", "Still second."]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("First para\nstill first.\n\n\nSecond para.\n  \nThird.", ["First para\nstill first.", "Second para.",
                                                                   "Third."]),
        ("\n\n  Leading blank lines.\n\nTrailing ones.\n\n\n", ["Leading blank lines.", "Trailing ones."]),
        ("x\n\u00a0\ny", ["x", "y"]),  # a line of no-break spaces is blank
        ("a\r\n\r\nb", ["a", "b"]),  # text not yet read through universal newlines
        ("\ufeffStarts with a byte-order mark.\n\nSecond.", ["Starts with a byte-order mark.", "Second."]),
        # No blank line anywhere: one line a paragraph...
        ("Line one is here.\nLine two is here.\nLine three.", ["Line one is here.", "Line two is here.",
                                                               "Line three."]),
        # ...except where a line runs on in lower case (hard-wrapped prose).
        ("The river rose in\nthe night. Farms flooded.\nThe town rebuilt.", ["The river rose in\nthe night. Farms "
                                                                           "flooded.", "The town rebuilt."]),
        ("", []),
        ("  \n\n \n", []),
    ],
)
def test_paragraphs(text, expected):
    spans = paragraph_spans(text)
    assert [s.of(text) for s in spans] == expected
    assert all(text[s.start : s.end] == s.of(text) for s in spans)


def test_paragraph_offsets_are_exact():
    text = "Alpha beta.\n\n  Gamma delta.  \n\nEpsilon."
    assert paragraph_spans(text) == [Span(0, 11), Span(15, 27), Span(31, 39)]


def test_token_offsets_are_the_text():
    text = "Li Kyar Win’s troops—well-paid, Kha-La-Ya 125 ($480 USD)."
    spans = token_spans(text)
    assert [s.of(text) for s in spans] == ["Li", "Kyar", "Win’s", "troops", "well-paid", "Kha-La-Ya", "125", "480",
                                           "USD"]
    assert spans[0] == Span(0, 2) and spans[2] == Span(8, 13)


def test_tokens_of_a_span_only_and_lowered_tokens():
    text = "Alpha Beta. Gamma’s delta."
    assert [s.of(text) for s in token_spans(text, Span(12, 26))] == ["Gamma’s", "delta"]
    assert tokens(text) == ["alpha", "beta", "gamma's", "delta"]


def test_span_helpers():
    span = Span(2, 5)
    assert span.of("abcdefg") == "cde" and len(span) == 3
    assert span.contains(Span(3, 5)) and not span.contains(Span(1, 4))
