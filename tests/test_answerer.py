"""The rule-based answerer on the seed article and on tiny corpora: the
quote that answers comes first, its short answer is the asked-for span, and
questions the documents do not answer are declined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answerer import Assistant, Conversation
from assistant.answerer.entities import find_entities, holds_a_date
from assistant.answerer.question import analyze_question
from assistant.answerer.words import in_full
from assistant.corpus import document_from_paragraphs
from assistant.errors import QuestionError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


# Seed-article behaviours the hand-weighted rules had and the learned model
# does not (yet): kept, strict, so that they say when they come back.
SPAN_LEARNED = ("lost with the learned short-answer pick (stop 23): \"Many\", next to the question's word, outweighs "
                "the phrase after the verb; measured better on SQuAD test and the never-studied sets, see eval/README.md")
LEARNED = "lost with the learned ranking model and WordNet matching (stop 17): measured flat on the never-studied sets, see eval/README.md"

@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Assistant:
    return Assistant.open(SEEDS, cache_dir=tmp_path_factory.mktemp("cache"))


def first(answer):
    assert answer.excerpts, answer
    return answer.excerpts[0]


def ask_paragraphs(question: str, title: str, paragraphs: list[str]):
    """The answer from one small titled document of these paragraphs,
    indexed in memory."""
    documents = [document_from_paragraphs("doc", title, paragraphs)]
    return Assistant.from_documents("memory", documents).ask(question)


def conversing(assistant: Assistant):
    """A function that asks `assistant` the next turn of one conversation."""
    conversation = Conversation()

    def turn(question):
        answer = assistant.ask(question, conversation=conversation)
        conversation.add(question, answer)
        return answer

    return turn


@pytest.mark.parametrize(
    "question, in_quote, short",
    [
        ("Who is the MNDAA spokesperson?", "Li Kyar Win, the MNDAA spokesperson", "Li Kyar Win"),
        ("Where was IB 129 stationed?", "stationed in Laukkai", "Laukkai"),
        ("When was the People's Embrace program initiated?", "initiated in August 2021", "August 2021"),
        ("How many soldiers have defected since the coup?", "over 14,000 have laid down", "over 14,000"),
        ("What does NUG stand for?", "National Unity Government (NUG)", "National Unity Government"),
        ("How much does each family member receive?", "each family member receives", None),
        ("What percentage of the country does the military still control?", "17 percent", "17 percent"),
        ("How many troops of the No. 125 Infantry Regiment surrendered?", "all 172 troops", "172"),
        # "How many of their relatives" counts relatives, past the possessive.
        ("How many of their relatives came along?", "Along with 100 family members", "100"),
        # Dependents are family.
        ("How many dependents came with the second battalion?", "Along with 100 family members", "100"),
        ("Who leads the regime?", "led by Min Aung Hlaing", "Min Aung Hlaing"),
        ("Who heads the regime?", "led by Min Aung Hlaing", "Min Aung Hlaing"),
        # "X, known as Y": what Y is, is the name before.
        ("What is Kha-La-Ya 125?", "known as Kha-La-Ya 125", "No. 125 Infantry Regiment"),
        ("Why do many soldiers stay in the army?", "compel them to remain", None),
        # "take power" is the coup the text names; "like" in "what is X like" asks nothing.
        ("When did the generals take power?", "staged a 2021 military coup", "2021"),
        ("What is the economy like?", "economy has been in shambles", None),
        # The text writes the acronym only in the plural: "(EROs)".
        ("What does ERO stand for?", "Ethnic Resistance Organizations (EROs)", "Ethnic Resistance Organizations"),
        # "The author" is the writer the byline names, when nothing else asked is written.
        ("What is the author's background?", "James Shwe is a Burmese-American", None),
        # A government named by its capital, which the text never names.
        ("What is the writer asking Washington to do?", "I request that the U.S. expand", None),
        ("Where does the writer of this piece live?", "living in the U.S.", "U.S."),
        # "Who acts as X?" asks who is X: "acts" is not a word to find.
        ("Who acts as spokesperson for the MNDAA?", "Li Kyar Win, the MNDAA spokesperson", "Li Kyar Win"),
        ("Spell out PDF.", "People’s Defense Force (PDF)", "People’s Defense Force"),
        ("What hazards does a soldier who quits face?", "fraught with risks", None),
        ("How do defectors portray the army?", "describe the military as", "demoralized, fatigued, and panicked"),
        # "Switching sides" is defecting.
        ("Who should be offered inducements to switch sides?", "providing incentives for defections", None),
        # The best match gives no number ("incentives for defections"): a near one that does answers.
        ("How many have defected?", "over 14,000 have laid down", "over 14,000"),
        ("What is he asking America to do?", "I request that the U.S. expand", None),
        # A people's adjective names its country, though "Burmese-American" is in the text.
        ("What does the writer request of the Americans?", "I request that the U.S. expand", None),
        ("What does the author urge American officials to do?", "I request that the U.S. expand", None),
        ("What did the writer want the UN and Europe to do?", "I urge the U.N. and the E.U.", None),
        # Another name is asked for where the text gives one: "known as", "also called".
        pytest.param("What was the nickname of the second unit that gave up?", "known as Kha-La-Ya 125", "Kha-La-Ya 125",
                     marks=pytest.mark.xfail(reason=LEARNED, strict=True)),
        ("What is the opposition's scheme nicknamed?", "also called the “Loyalty Shift” program", "Loyalty Shift"),
        ("What was the second name of the NUG's program?", "also called the “Loyalty Shift” program", "Loyalty Shift"),
        # Either of its two names answers "what are the names of...".
        ("What are the names of the NUG's program for defectors?", "The “People’s Embrace” program",
         ("People’s Embrace", "Loyalty Shift")),
        # "Hurting" is "harming"; "coming over" is defecting.
        ("How does the NUG stop fighters from hurting soldiers who come over?", "not to harm or punish defectors", None),
        # "The generals" are the regime; an "offensive" is an operation.
        ("Why won't real talks with the generals happen?", "meaningful talks with this new military regime", None),
        ("What's the name of the offensive that's pushing the army back?", "Operation 1027", None),
        ("Defector count since coup", "over 14,000 have laid down", "over 14,000"),
        # "Leader" is what "led by" says, though the text never writes the word.
        ("Who is the leader of the regime that came after the coup?", "led by Min Aung Hlaing", "Min Aung Hlaing"),
        ("How much cash does the MNDAA hand each surrendering soldier?", "Each soldier receives", "one million kyat ($480 USD)"),
        # What one "gets" the text says one "receives".
        ("How much does a soldier get for giving up?", "Each soldier receives", "one million kyat ($480 USD)"),
        # "State" in a name ("the State Department", "Shan State") is not "to state".
        ("How do defectors characterise the condition of the armed forces?", "These defectors describe the military", None),
        ("Which state is Laukkai in?", "northern Shan State", "Shan State"),
        # What the writer "wants" others to do, he "requests" or "urges".
        ("What does the writer want the U.S. to do?", "I request that the U.S. expand", None),
        ("What does the author want the US government to do?", "I request that the U.S. expand", None),
        # "Popular" support is "public" support; "efficacy" is being "effective".
        ("How popular is the regime?", "In terms of public support and respect, it has none.", None),
        ("What would raise the efficacy of the sanctions?", "more effective with enhanced international coordination", None),
        # "What could happen to X?" asks what befalls X: what follows "fraught with risks, including".
        ("What could happen to a soldier who tries to quit?", "fraught with risks",
         "potential jail sentences and threats to soldiers’ families"),  # back at stop 29
        ("What are the dangers of deserting?", "fraught with risks", "potential jail sentences and threats to soldiers’ families"),
    ],
)
def test_seed_questions_in_other_words_get_the_answering_sentence_first(seed, question, in_quote, short):
    answer = seed.ask(question)
    assert answer.answered, answer.message
    excerpt = first(answer)
    assert in_quote in excerpt.quote
    if short is not None:
        assert excerpt.answer is not None and excerpt.answer.text in ((short,) if isinstance(short, str) else short)


def test_what_keeps_something_up_is_what_sustains_it(seed):
    # "keep" is "hold" ("held hostage") and also "sustain": both sentences
    # say what keeps the soldiers loyal.
    quotes = [e.quote for e in seed.ask("What keeps soldiers loyal to the military?").excerpts]
    assert any(q.startswith("Loyalty to the military appears to be sustained") for q in quotes)


def test_a_typo_in_a_rare_word_is_forgiven(seed):
    answer = seed.ask("How many soliders have quit since the coup?")
    assert answer.answered
    assert "14,000" in first(answer).quote
    # In a hyphenated name too: "Kha-La-Yaa" is "Kha-La-Ya".
    regiment = seed.ask("What is Kha-La-Yaa 125?")
    assert regiment.answered and first(regiment).answer.text == "No. 125 Infantry Regiment"


def test_an_english_word_is_no_typo():
    # "folder" is one edit from "older", but a word of the language the
    # documents never use is not misspelt: it is matched as itself, or not at all.
    documents = [document_from_paragraphs("doc", "Ages", ["The older records are kept in the archive.",
                                                          "A temporary directory is removed when closed."])]
    assistant = Assistant.from_documents("memory", documents)
    _, terms, _ = assistant.ranked("Where is the folder kept?", 5)
    assert next(t for t in terms if t.word == "folder").forms == frozenset({"folder"})
    _, terms, _ = assistant.ranked("Where are the oldre records?", 5)
    assert "older" in next(t for t in terms if t.word == "oldre").forms


def test_a_question_word_finds_the_passages_that_write_it_in_another_inflection():
    # "removing" finds "remove": the same word, though the documents write
    # "removing" elsewhere (so it is no unknown word looked for by its stem)
    # and the passage search looks for words as written; eighty short
    # passages hold "package".
    paragraphs = [f"Package {n} notes." for n in range(80)]
    paragraphs += ["Removing old kernels frees the boot partition."]
    paragraphs.insert(17, "To remove a package, run apt remove.")
    assistant = Assistant.from_documents("memory", [document_from_paragraphs("doc", "Packages", paragraphs)])
    assert "apt remove" in first(assistant.ask("How do I go about removing a package?")).quote


def test_a_question_word_finds_the_passages_that_write_a_word_built_on_it():
    # "failed" finds "failure" (WordNet's derivation, weaker than a synonym):
    # a word built on the question's own root is searched for, and the
    # passage that writes it is among the candidates weighed.
    paragraphs = [f"Disk {n} notes." for n in range(80)] + ["Failed jobs are listed in the log."]
    paragraphs.insert(75, "A failure of the disk is reported by smartd.")
    assistant = Assistant.from_documents("memory", [document_from_paragraphs("doc", "Disks", paragraphs)])
    _, _, candidates = assistant.ranked("What happens when a disk has failed?", 30)
    quotes = [assistant.library.document(c.document).text[c.span.start : c.span.end] for c in candidates]
    assert any("reported by smartd" in quote for quote in quotes)


def test_a_definition_question_reads_where_a_document_first_names_the_thing():
    # "What is libfoo?": a document says what a thing is as it first names it,
    # in a long passage that the search for the one name ranks below eighty
    # short lines holding it.
    opening = ("This manual is for GNU Libfoo, version 4.19, which is a library for abstract syntax notation "
               "and distinguished encoding rules, written in portable C for every Unix system and for Windows.")
    paragraphs = [opening] + [f"Step {n} calls libfoo." for n in range(80)]
    manual = document_from_paragraphs("libfoo.txt", "Libfoo", paragraphs)
    other = document_from_paragraphs("notes.txt", "Release notes", ["The build now needs a C99 compiler."])
    assistant = Assistant.from_documents("memory", [manual, other])
    assert "which is a library" in first(assistant.ask("What is libfoo?")).quote


@pytest.mark.parametrize(
    "question",
    [
        "How many defectors were women?",
        "What is the population of Myanmar?",
        "Who won the 2018 FIFA World Cup?",
        "How many soldiers died in Operation 1027?",
        "When was the Brotherhood Alliance founded?",
        "What is the capital of Thailand?",
        # The number found counts those who laid down their weapons, not civilians.
        "How many civilians have been killed by the military since the coup?",
        "How many civilians have died since the army seized power?",
        "People’s Embrace program — annual budget",
        # The text never says "command" in any form: it cannot say who did.
        "Who commanded the No. 125 Infantry Regiment?",
        # What a name did, where the text writes the name only inside another ("the Myanmar-China border").
        "How did China react to the surrenders near its border?",
        "What has Beijing said about the fighting near its frontier?",
        "what China say about fighting near its border with Myanmar?",  # (the compound holds "China": matching.py)
        # Names asked for where the text names none ("some former soldiers founding organizations").
        "What are the names of the organizations that former soldiers set up?",
        "What are the names of the groups in the Brotherhood Alliance?",
        # Nor the verb of a role: "commanding officer".
        "Who was the commanding officer of Infantry Battalion 129 when it surrendered?",
        # A sum or span asked for by name: the sentences only repeat the words.
        "What is the estimated cost of the proposed fund for defectors?",
        "What exact duration does the author propose for the fund's support?",
    ],
)
def test_questions_the_article_does_not_answer_are_declined_with_a_reason(seed, question):
    answer = seed.ask(question)
    assert not answer.answered
    assert answer.message and answer.message.endswith(".")


def test_a_question_asking_for_something_the_documents_never_name_is_declined():
    # Every other word of the question is in the paragraph; the one it asks
    # for ("population", "commander") is nowhere in the documents.
    documents = [document_from_paragraphs("town", "Laukkai", [
        "Laukkai is the main town of the Kokang zone of Shan State, near the border with China.",
        "Infantry Battalion 129 was stationed in Laukkai until it surrendered in November.",
    ])]
    assistant = Assistant.from_documents("memory", documents)
    for question, word in [("What is the population of Laukkai?", "population"),
                           ("What is the name of the commander of Infantry Battalion 129?", "commander"),
                           ("Who is the commander-in-chief of Infantry Battalion 129?", "commander-in-chief")]:
        answer = assistant.ask(question)
        assert not answer.answered and word in answer.message
    assert analyze_question("What is the NUG's annual budget for the program?").attribute == "budget"
    assert analyze_question("What is the name of the program?").attribute is None
    # What the question asks for is there: answered.
    assert assistant.ask("Where was Infantry Battalion 129 stationed?").answered
    # Said with a contraction, it asks the same.
    assert analyze_question("who's the leader of the national unity government").attribute == "leader"
    assert analyze_question("What's the population of Laukkai?").attribute == "population"


def test_name_kind_type_and_sort_ask_for_a_kind_only_after_a_wh_word():
    # "What is the name of...?", "what sort of...", "which type...": the kind
    # of answer, not a word to look for. Anywhere else, a word of the question.
    assert "name" not in analyze_question("What is the name of the program?").terms
    assert "name" not in analyze_question("the spokesperson, whats his name").terms
    assert "sort" not in analyze_question("What sort of lock does it take?").terms
    assert "type" not in analyze_question("Which type hint do I use?").terms
    assert {"put", "name", "logo"} <= set(analyze_question("Can we put the name and logo on our packaging?").terms)
    assert "sort" in analyze_question("How do I sort a list in Python?").terms
    assert "type" in analyze_question("What is its default build type?").terms
    documents = [document_from_paragraphs("lists", "Lists", [
        "A list can be reversed in place with its reverse() method.",
        "A list can be sorted in place with its sort() method, or copied in order with sorted().",
    ])]
    answer = Assistant.from_documents("memory", documents).ask("How do I sort a list?")
    assert answer.answered and "sort() method" in first(answer).quote


def test_a_quality_asked_of_something_is_described_not_named(seed):
    # "morale", "mood", "situation" are nowhere in the article; what it says
    # of the economy and of the army answers all the same.
    assert analyze_question("What is the morale of the troops?").attribute is None
    for question, paragraph in [("What is the situation of the economy?", 7), ("What is the mood in the army?", 14)]:
        answer = seed.ask(question)
        assert answer.answered and first(answer).paragraph == paragraph


def test_words_a_paragraph_repeats_say_less_about_which_sentence_answers():
    # Both first sentences hold two of the question's words; "pilots" and
    # "plane" come back in the third, "river" and "storm" are the second's alone.
    answer = ask_paragraphs("When did the storm catch the pilots' plane over the river?", "Flight", [
        "The pilots and the plane were ready in 1990. The river rose in the storm of 1994. Later the pilots sold the plane."])
    assert first(answer).answer.text == "1994"


def test_a_sentence_with_no_time_does_not_say_when_something_happened():
    # Every word of the question is in the first sentence; it gives no time.
    paragraphs = [
        "The offensive grows as rebel forces unite to end military rule.",
        "Chloroplasts turn sideways under intense light, when the sun is high.",
    ]
    answer = ask_paragraphs("When did the offensive end?", "War", paragraphs)
    assert not answer.answered and "date" in answer.message
    # A clause of time may say when; "When do...?" asks for a circumstance.
    assert ask_paragraphs("When was the offensive ended?", "War", [
        "The offensive was ended after the rebel forces united."]).answered
    assert ask_paragraphs("When do chloroplasts turn sideways?", "War", paragraphs).answered


def test_a_sentence_with_no_amount_does_not_say_how_many():
    paragraphs = ["The camps shelter internally displaced persons and the families of defectors."]
    answer = ask_paragraphs("How many internally displaced persons live in the camps?", "Camps", paragraphs)
    assert not answer.answered and "number" in answer.message
    # A year is no amount, nor is the number the question itself names.
    assert not ask_paragraphs("How much money does the 2024 bill give the camps?", "Camps", [
        "The 2024 bill gives the camps money for internally displaced persons."]).answered
    assert not ask_paragraphs("How many of the 14,000 defectors were police officers?", "Camps", [
        "Over 14,000 defectors, police officers among them, have left the army."]).answered
    # An amount in words still answers; "how long" may be answered in words.
    assert ask_paragraphs("How many internally displaced persons live in the camps?", "Camps", [
        "The camps shelter several internally displaced persons."]).answered
    assert ask_paragraphs("How long do the camps shelter internally displaced persons?", "Camps", [
        "The camps shelter internally displaced persons for a defined period."]).answered


@pytest.mark.xfail(reason=LEARNED, strict=True)
def test_a_word_capitalised_only_because_it_opens_a_sentence_is_no_place(seed):
    # "Military and police personnel who have defected..." names no country;
    # "Kenya became independent..." does, as the text never writes "kenya".
    assert not seed.ask("Which country is supplying weapons to the junta?").answered
    answer = ask_paragraphs("Which country has a coastline on the Indian Ocean?", "Kenya", [
        "Kenya has a long coastline on the Indian Ocean. The country is in East Africa.",
    ])
    assert answer.answered and first(answer).answer.text == "Kenya"


@pytest.mark.parametrize(
    "question, count",
    [
        # "over 14,000 have laid down their weapons" leans on the sentence
        # before for what it counts: the soldiers who defected.
        ("How many soldiers have deserted so far?", "over 14,000"),
        # "172 troops" counts troops; "272 people" counts what is asked.
        pytest.param("How many people surrendered in all with the 125th regiment?", "272",
                     marks=pytest.mark.xfail(reason=LEARNED, strict=True)),
        ("What was the overall number of people who gave themselves up on Nov. 28?", "272"),
        # "all 534 in its custody" names nothing after it: it counts what its paragraph counts.
        ("How many people in total is the MNDAA holding?", "534"),
        # A count of none.
        ("How many countries recognise the junta as Myanmar's rightful government?", "No nation"),
    ],
)
def test_a_number_counts_what_the_question_counts(seed, question, count):
    assert first(seed.ask(question)).answer.text == count


@pytest.mark.parametrize("question", ["How big is the Brotherhood Alliance?", "How many fighters does the Brotherhood Alliance have?"])
def test_the_number_of_a_name_is_no_amount(seed, question):
    # "the Brotherhood Alliance’s Operation 1027": 1027 names the operation.
    for excerpt in seed.ask(question).excerpts:
        assert excerpt.answer is None or excerpt.answer.text != "1027"


def test_a_letter_or_small_number_cut_from_a_name_does_not_decline_a_question():
    from assistant.answerer.pipeline import _telling

    # "V&A" gives "v", "1/2" gives "1" and "2", "80,000" gives "80".
    assert [n for n in ["v", "1", "80", "125", "nug", "1027"] if _telling(n)] == ["125", "nug", "1027"]


def test_a_name_describing_the_thing_asked_for_need_not_be_written_near_the_answer():
    from assistant.answerer.question import analyze_question
    from assistant.corpus import document_from_paragraphs

    # The names before a "which" phrase's head noun describe what is asked for ...
    assert analyze_question("By which famous Italian Renaissance polymath is the Codex Forster?").described == (
        "italian", "renaissance")
    assert analyze_question("What Denver player caught the ball 76 times?").described == ("denver",)
    # ... not one asked about, nor one the phrase owns.
    assert analyze_question("What did China say about the fighting?").described == ()
    assert analyze_question("what China say about the fighting?").described == ()
    notebooks = document_from_paragraphs("codices.txt", "Codices", [
        "The Codex Forster is a collection of notebooks by Leonardo da Vinci, bound in three volumes.",
        "The museum bought the Codex Leicester in 1980 at an auction held in London.",
        "The Renaissance sculpture galleries fill the east wing.",
    ])
    assistant = Assistant.from_documents("memory", [notebooks])
    answer = assistant.ask("Which famous Renaissance polymath wrote the Codex Forster?")
    assert answer.answered, answer.message
    assert answer.excerpts[0].quote.startswith("The Codex Forster is a collection of notebooks by Leonardo")
    # A name the question gives as context is still looked for.
    assert not assistant.ask("When did the Louvre buy the Codex Leicester?").answered


@pytest.mark.parametrize(
    "question, short",
    [
        # What is said of the question's words follows them; a word capitalised
        # only because it opens the sentence is no name.
        pytest.param("What are the analysts saying?", "witnessing the beginning of the end",
                     marks=pytest.mark.xfail(reason=SPAN_LEARNED, strict=True)),
        ("What are the sanctions doing?", "gradually adding pressure"),
    ],
)
def test_the_short_answer_of_a_what_question_is_what_the_sentence_says_of_its_words(question, short):
    answer = ask_paragraphs(question, "News", [
        "Many analysts state that they are witnessing the beginning of the end. International sanctions are "
        "gradually adding pressure on the regime. The international community has withheld legitimacy.",
    ])
    assert first(answer).answer.text.startswith(short)


def test_questions_about_the_document_are_answered_from_its_header(seed):
    author = seed.ask("Who wrote this article?")
    assert author.answered and first(author).quote == "James Shwe"
    for question in ["When was the article published?", "What date is shown at the top of the page?",
                     "When did this piece come out?", "Pub date?"]:
        date = seed.ask(question)
        assert date.answered and "March 4, 2024" in first(date).quote, question
    # How the writer is credited is the header line by the byline.
    credit = seed.ask("Is the author a staff reporter or a guest writer?")
    assert credit.answered and first(credit).quote == "Guest contributor"
    assert analyze_question("What did he say about guest workers?").about_document is None
    headline = seed.ask("What headline does the piece run under?")
    assert headline.answered and first(headline).quote.startswith("Soldiers of Conscience")
    assert analyze_question("Piece title").about_document == "title"
    assert analyze_question("What does the title call the soldiers who left?").about_document == "title"
    assert analyze_question("Which media is publish this opinion piece?").about_document == "publisher"
    assert analyze_question("In what year was the book published?").about_document is None
    # About the writer, not who wrote it: answered from the text.
    assert analyze_question("Where does the writer of this piece live?").about_document is None
    assert analyze_question("Who does the writer think should be dialogue partners?").about_document is None
    # Who publishes it is said in the page's footer, which is not searched otherwise.
    for question in ["Who publishes this?", "Which news outlet ran the piece?", "what site posted this"]:
        publisher = seed.ask(question)
        assert publisher.answered and first(publisher).answer.text == "DVB", question
        assert first(publisher).quote.startswith("DVB publishes a diversity of opinions")
    policy = seed.ask("Does the column reflect the publisher's editorial line?")
    assert "does not reflect DVB editorial policy" in first(policy).quote and first(policy).answer is None
    # A date asked of the events is not the document's date.
    assert analyze_question("What date did the battalion surrender?").about_document is None


def test_a_sentence_that_introduces_a_list_is_quoted_with_the_list(seed):
    answer = seed.ask("What does the People's Embrace program do for defectors?")
    quote = first(answer).quote
    assert "Under this program:" in quote or "•" in quote or "NUG" in quote


def test_every_quote_and_short_answer_is_the_text_at_its_offsets(seed):
    document = seed.library.document(0)
    for question in [
        "Who is the MNDAA spokesperson?",
        "Where is Laukkai?",
        "What does the author propose?",
        "What should the U.N. and the E.U. do?",
        "How many defectors were women?",
    ]:
        for excerpt in seed.ask(question, k=5).excerpts:
            assert document.text[excerpt.start : excerpt.end] == excerpt.quote
            if excerpt.answer:
                assert excerpt.start <= excerpt.answer.start < excerpt.answer.end <= excerpt.end
                assert document.text[excerpt.answer.start : excerpt.answer.end] == excerpt.answer.text


@pytest.mark.xfail(reason=LEARNED, strict=True)
def test_follow_ups_resolve_pronouns_and_ellipsis_against_earlier_turns(seed):
    turn = conversing(seed)

    turn("Tell me about Infantry Battalion 129")
    where = turn("Where was it stationed?")
    assert first(where).answer.text == "Laukkai"
    when = turn("When?")
    assert first(when).answer.text == "Nov. 14"
    turn = conversing(seed)
    turn("Who is the MNDAA spokesperson?")
    guarantee = turn("What does he guarantee?")
    assert "guarantees the safety" in first(guarantee).quote
    turn = conversing(seed)
    turn("How much does each soldier receive?")
    family = turn("And each family member?")
    assert first(family).answer.text.startswith("100,000 kyat")
    turn = conversing(seed)
    # The follow-up asks who has them in custody: the sentence that says
    # "custody" answers, not the one that only names the regiment again.
    turn("How many troops of the 125 Infantry Regiment surrendered?")
    custody = turn("Who has them in custody?")
    assert "MNDAA" in first(custody).answer.text
    # "Its" after a question that asked for a group means the group named
    # in the answer, by the acronym the text goes on with.
    spokesperson = turn("Who is its spokesperson?")
    assert spokesperson.referent == "MNDAA"
    assert first(spokesperson).answer.text == "Li Kyar Win"
    turn = conversing(seed)
    # "Why?" asks for the reason of what was just quoted, not for the quote
    # again: the paragraph after the proposal ("This approach could weaken
    # the military...") is about it, though it shares none of its words.
    proposal = turn("What is the writer proposing?")
    assert "contribute to a fund" in first(proposal).quote
    why = turn("Why?")
    assert first(why).quote.startswith("This approach could weaken the military")
    turn = conversing(seed)
    # "The NUG's program": "it" is about the NUG, which the text writes
    # without the possessive.
    turn("What is the NUG's program for defectors called?")
    began = turn("When did it begin?")
    assert began.answered and first(began).answer.text == "August 2021"
    turn = conversing(seed)
    # A word capitalised only because it opens the question is not what "it" means.
    turn("Expected effect of the fund on the military?")
    urged = turn("Bodies urged to adopt it?")
    assert urged.answered and "(Expected)" not in urged.resolved_question
    assert first(urged).quote.startswith("I urge the U.N. and the E.U.")
    turn = conversing(seed)
    # "Dollars" are what the text writes "USD".
    turn("What does the MNDAA pay each soldier?")
    dollars = turn("What is that in US dollars?")
    assert dollars.answered and "($480 USD)" in first(dollars).quote
    turn = conversing(seed)
    # "He" is the writer: a paragraph in his own voice ("I urge...") names him.
    turn("Who is the author?")
    urge = turn("What does he urge the U.N. to do?")
    assert urge.answered and first(urge).quote.startswith("I urge the U.N. and the E.U.")
    turn = conversing(seed)
    # "Their families" are the regiment's: the paragraph that names it
    # answers, not the like sentence about the battalion before it, and of
    # "100 family members, 272 people in total" the number of people.
    turn("What did the No. 125 Infantry Regiment do?")
    total = turn("And with their families, how many people in all?")
    assert first(total).answer.text == "272" and "272 people in total surrendered" in first(total).quote


def test_a_follow_up_about_a_named_thing_is_not_answered_from_a_passage_about_another(seed):
    conversation = Conversation()
    for question in ["What is the Deserter Program?", "Which bill is it part of?"]:
        answer = seed.ask(question, conversation=conversation)
        assert answer.answered
        conversation.add(question, answer)
    # The payments the article gives are the MNDAA's, in a paragraph that
    # never names the program.
    answer = seed.ask("How much money does it provide?", conversation=conversation)
    assert not answer.answered and "Deserter Program" in answer.message
    # The same question of the MNDAA is answered.
    conversation.clear()
    first_turn = seed.ask("Who is the MNDAA spokesperson?", conversation=conversation)
    conversation.add("Who is the MNDAA spokesperson?", first_turn)
    assert seed.ask("How much money does each soldier get from them?", conversation=conversation).answered


def test_without_a_conversation_a_pronoun_question_stands_alone(seed):
    answer = seed.ask("Where was it stationed?")
    assert answer.resolved_question is None


@pytest.mark.parametrize("question", ["", "   ", "?!", "x" * 1001])
def test_empty_or_huge_questions_raise_a_question_error(seed, question):
    with pytest.raises(QuestionError):
        seed.ask(question)


def test_question_types_and_expected_answers():
    assert analyze_question("When did it start?").kind == "when"
    assert analyze_question("How many troops surrendered?").expects == ("number",)
    assert analyze_question("How much does a soldier receive?").expects[0] == "money"
    assert analyze_question("How much cash is each soldier handed?").expects[0] == "money"
    assert analyze_question("What does NUG stand for?").terms == ("nug",)
    assert analyze_question("Who is the MNDAA spokesperson?").names == ("mndaa",)
    assert analyze_question("Who wrote the article?").about_document == "author"
    # A clause set before the question does not ask: the word after it does.
    assert analyze_question("When a plant is injured, what can become proplastids?").kind == "what"
    assert analyze_question("When, if ever, did the operation end?").kind == "when"
    # "the number of X", "the cost of X": the noun after "the" names the answer's kind.
    counted = analyze_question("What was the overall number of people who gave up?")
    assert (counted.expects[0], counted.focus) == ("number", "people")
    assert analyze_question("What was the cost of the program?").expects[0] == "money"
    assert analyze_question("What was the date of the battle?").kind == "when"
    assert analyze_question("How much of the country does the army control?").expects[0] == "percent"
    # "Which player", "what coach", "which son": a person.
    assert analyze_question("Which player broke his arm before the game?").kind == "who"
    assert analyze_question("What coach left the team?").expects[0] == "person"
    # A query without a question word names what it wants by its head noun.
    assert analyze_question("Min Aung Hlaing — age").expects[0] == "duration"
    assert analyze_question("Junta recognition — number of states granting it").kind == "how many"
    assert analyze_question("NUG defector scheme start date").must_hold == "time"
    assert analyze_question("Soldiers who surrendered in Laukkai").kind != "how many"
    # A unit in the plural, "-ies" too.
    assert analyze_question("Which countries have imposed sanctions?").expects[0] == "place"
    assert analyze_question("Which cities did the army lose?").unit == "cities"
    # The noun after a determiner is a clause's subject, not the kind asked for.
    assert analyze_question("Can you tell me what the author asks the U.S. to do?").kind == "what"
    assert analyze_question("Which armed groups make up the alliance?").expects[0] == "organisation"
    assert analyze_question("Which outfit is holding the troops?").expects[0] == "organisation"
    # A question opening with "is"/"does" asks yes or no, whatever relative
    # clause it holds; a verb of telling keeps the question word asking.
    assert analyze_question("Is cash given to soldiers who surrender?").kind == "yes/no"
    assert analyze_question("Does the program which the NUG runs pay pensions?").kind == "yes/no"
    assert analyze_question("Can you tell me who wrote it?").kind == "who"
    # Any auxiliary opens a yes/no question, not a query named by its last noun.
    assert analyze_question("May I charge a price for copies?").kind == "yes/no"
    assert analyze_question("Must we pay a fee per copy?").kind == "yes/no"
    # A day or year asked for is a date or a span of time, never a bare count.
    assert analyze_question("On what exact day did the coup take place?").expects == ("date", "duration")
    assert analyze_question("In what years did the show see its largest audiences?").expects[0] == "date"
    assert analyze_question("What was the date of the battle?").expects == ("date", "duration")
    assert analyze_question("What was the cost of the program?").expects == ("money", "number")
    # Nor are negated auxiliaries: "Why doesn't the army collapse?" is about the army.
    assert analyze_question("Why doesn't the army collapse?").terms == ("army", "collapse")
    # Idioms that ask nothing are no terms to look for.
    assert analyze_question("How many have defected so far?").terms == ("defected",)
    assert analyze_question("Is there any support at all?").terms == ("support",)


@pytest.mark.parametrize(
    "sentence, date",
    [("The house front, c1600, is carved.", "c1600"), ("Dalekmania, circa 1964–1965, swept Britain.", "circa 1964–1965"),
     ("The casket is dated c. 1180 by its style.", "c. 1180"),
     ("They were ignored in the 18th and 19th centuries.", "18th and 19th centuries"),
     ("The rare 15th-century tapestries hang here.", "15th-century"),
     ("By the first millennium AD farming had spread.", "first millennium AD"), ("Rome was founded in 753 BC.", "753 BC"),
     # In figures, and across two years: "the 2022/23 season" gives no number 23.
     ("He stays until the end of the 2022/23 season.", "2022/23"), ("It was released 2019-03-12 at last.", "2019-03-12"),
     ("The deadline was 12/03/2019, they said.", "12/03/2019")],
)
def test_a_rough_year_a_century_or_an_era_is_a_date(sentence, date):
    assert [sentence[e.start : e.end] for e in find_entities(sentence) if e.kind == "date"] == [date]


@pytest.mark.parametrize(
    "sentence, kind, span",
    [("At 1 a.m. he awoke with more chest pain.", "date", "1 a.m"),
     ("Dinner was served from exactly 8:10 p.m. at the hotel.", "date", "8:10 p.m"),
     ("The meal was ready at eight o'clock sharp.", "date", "eight o'clock"),
     ("Six-time Grammy winner Lady Gaga sang the anthem.", "number", "Six"),
     ("More than 1 million people are expected to attend.", "number", "More than 1 million"),
     ("The museum holds British and 650 European oil paintings.", "number", "650"),
     ("Around 1954, ABC agreed to finance Disneyland.", "date", "1954"),
     ("The show moved to Sundays.", "date", "Sundays")],
)
def test_a_time_of_day_is_a_date_and_an_amount_opening_a_sentence_is_no_name(sentence, kind, span):
    assert [e.of(sentence) for e in find_entities(sentence) if e.kind == kind] == [span]
    assert not [e for e in find_entities(sentence) if e.of(sentence) in ("Six-time Grammy", "More", "British and 650 European")]


@pytest.mark.parametrize("sentence, sum_", [
    ("Alibaba is set to raise up to $12.9bn from its second listing.", "$12.9bn"),
    ("The club paid £71.6m for the goalkeeper.", "£71.6m"),
    ("Seed funding of $10K came first, then $5 million.", "$10K"),
])
def test_a_sum_keeps_its_scale_as_news_writes_it(sentence, sum_):
    assert sum_ in [e.of(sentence) for e in find_entities(sentence) if e.kind == "money"]


def test_how_much_is_answered_with_the_whole_sum():
    answer = ask_paragraphs("How much is Alibaba raising in Hong Kong?", "Alibaba listing", [
        "Alibaba is set to raise up to $12.9bn from its record-breaking second listing in Hong Kong.",
        "The Chinese e-commerce giant will announce the terms later on Wednesday."])
    assert first(answer).answer.text == "$12.9bn"


def test_a_number_joins_a_name_only_straight_after_it():
    sentence = "His last was U.S. Patent 1,655,114; Super Bowl 50 came later, after Operation 1027. Half of Kenyans agree."
    names = [e.of(sentence) for e in find_entities(sentence) if e.kind not in ("number", "date")]
    assert names == ["U.S. Patent 1,655,114", "Super Bowl 50", "Operation 1027", "Kenyans"]


@pytest.mark.parametrize("sentence, code", [
    ("j. BASH_COMMAND now preserves its value when a DEBUG trap is executed.", "BASH_COMMAND"),
    ("Set PYTHONPATH before running the tests.", "Set PYTHONPATH"),
    ("The value of LC_ALL overrides every other locale setting.", "LC_ALL"),
    ("NO WARRANTY is given, as the licence says.", "NO WARRANTY"),
])
def test_a_name_in_code_or_in_capitals_is_no_ones_name(sentence, code):
    """A variable, a constant or a heading in capitals is not a person, a
    body or a place: "Who maintains bash?" is not answered "BASH_COMMAND"."""
    kinds = {e.of(sentence): e.kind for e in find_entities(sentence)}
    assert kinds.get(code) not in ("person", "organisation", "place", "name")


def test_an_acronym_in_brackets_stays_a_bodys_name():
    sentence = "The Myanmar National Democratic Alliance Army (MNDAA) stated it has all 534 in its custody."
    assert "organisation" in [e.kind for e in find_entities(sentence)]


@pytest.mark.parametrize("sentence, name", [
    ("Python 3.11 is faster than any release before it.", "Python 3.11"),
    ("Debian 1.1 Buzz (June 17th, 1996): This was the first Debian release with a code name.", "Debian 1.1 Buzz"),
    ("This Source Code Form is subject to the terms of MPL 2.0.", "MPL 2.0"),
])
def test_a_version_joins_a_name_whole(sentence, name):
    """Not "Python 3" of "Python 3.11"; and the full stop after a version ends the sentence."""
    assert name in [e.of(sentence) for e in find_entities(sentence)]


def test_which_release_is_answered_with_its_whole_name():
    documents = [document_from_paragraphs("releases", "Debian releases", [
        "Debian 0.93 Release 6 (March 1995): the last of the early test releases.",
        "Debian 1.1 Buzz (June 17th, 1996): This was the first Debian release with a code name.",
        "Debian 1.2 Rex (December 12th, 1996): 848 packages maintained by 120 developers.",
    ])]
    answer = Assistant.from_documents("memory", documents).ask("Which Debian release was the first to get a code name?")
    assert first(answer).answer is not None and first(answer).answer.text == "Debian 1.1 Buzz"


def test_what_time_is_answered_with_a_clock_time():
    documents = [document_from_paragraphs("tesla", "Nikola Tesla", [
        "Tesla was born in Smiljan. He worked every day until late, with dinner from exactly 8:10 p.m. at Delmonico's.",
        "He later moved to the Hotel New Yorker.",
    ])]
    answer = Assistant.from_documents("memory", documents).ask("At what time did Tesla have dinner?")
    assert answer.answered and first(answer).answer.text == "8:10 p.m"


def test_a_small_corpus_of_given_paragraphs_is_answered_and_cited():
    documents = [
        document_from_paragraphs("kenya", "Kenya", [
            "Kenya is a country in East Africa. Its capital and largest city is Nairobi.",
            "Kenya became independent from Britain in December 1963.",
        ]),
        document_from_paragraphs("tesla", "Nikola Tesla", [
            "Nikola Tesla was born in 1856 in Smiljan.",
            "Tesla moved to New York in 1884 to work for Thomas Edison.",
        ]),
    ]
    assistant = Assistant.from_documents("memory", documents)
    capital = assistant.ask("What is the capital of Kenya?")
    assert capital.answered and first(capital).source == "kenya" and "Nairobi" in first(capital).quote
    moved = assistant.ask("When did Tesla move to New York?")
    assert moved.answered and first(moved).paragraph == 2 and first(moved).answer.text == "1884"
    assert first(moved).title == "Nikola Tesla"


@pytest.fixture(scope="module")
def small_corpus() -> Assistant:
    documents = [
        document_from_paragraphs("plastids", "Plastids", [
            "The chloroplast genome was first mapped in 1962, and first sequenced in 1986 by two teams.",
            "Its size varies between species.",
        ]),
        document_from_paragraphs("league", "League", [
            "The season opened in August. NFL Commissioner Roger Goodell announced the schedule.",
            "The broadcast team was Jim Nantz and Phil Simms, with Tracy Wolfson on the sideline.",
            "The Victoria and Albert Museum opened a gallery sponsored by the Department for Culture.",
            "Complaints went to the Federal Communications Commission (FCC) from the Mutual network.",
        ]),
    ]
    return Assistant.from_documents("memory", documents)


@pytest.mark.parametrize(
    "question, short",
    [
        # the date next to the question's rarest word, not its commonest
        ("When was the chloroplast genome first sequenced?", "1986"),
        # a title before a name is the question's own word
        ("Who is the NFL commissioner?", "Roger Goodell"),
        # a name joined on with "and" is the one the question already gave
        ("Who was on the broadcast team with Jim Nantz?", "Phil Simms"),
        # a name made of the question's words and small words is no answer
        ("Which department sponsored the Victoria and Albert Museum gallery?", "Department for Culture"),
    ],
)
def test_the_short_answer_leaves_out_what_the_question_already_says(small_corpus, question, short):
    answer = small_corpus.ask(question)
    assert answer.answered, answer.message
    assert first(answer).answer is not None and first(answer).answer.text == short


def test_a_spelled_out_name_of_the_questions_acronym_is_not_the_answer(small_corpus):
    excerpt = first(small_corpus.ask("Which network complained to the FCC?"))
    assert excerpt.answer is None or "Federal Communications" not in excerpt.answer.text


@pytest.mark.parametrize(
    "question, title, paragraphs, short",
    [
        # Why: the clause after a cause.
        ("Why did the station close?", "Radio", [
            "The station opened in 1950 with three presenters. It closed in 1962, due to a shortage of funds, and was sold.",
            "Its tower still stands near the river."], "a shortage of funds"),
        # How: the clause after "by doing".
        ("How did the farm survive the drought?", "Farm", [
            "The family farm survived the drought of 1921 by selling half of its cattle, and it still stands.",
            "The farm grows wheat and barley."], "selling half of its cattle"),
        # A name typed without its accents is the same name.
        ("When was he returned to Gospic?", "Nikola Tesla", [
            "Tesla was brought back to Gospić by the police in 1879.",
            "He had spent the year before in Maribor."], "1879"),
        # A name opening with an accented capital is a name.
        ("Who did Genghis Khan name as his successor?", "Genghis Khan", [
            "He died in 1227 after defeating the Western Xia.",
            "Before Genghis Khan died, he named Ögedei Khan as his successor."], "Ögedei Khan"),
        # What kind of thing: a name of that kind, before a name nearer the question's words ...
        ("What Philadelphia institution did Tesla lecture at?", "Nikola Tesla", [
            "In Pennsylvania, Tesla lectured at the Franklin Institute in Philadelphia in 1893.",
            "He later moved to New York."], "Franklin Institute"),
        # ... or a word WordNet knows as one ("an electron" is a particle).
        ("What subatomic particle did Tesla deny the existence of?", "Nikola Tesla", [
            "Tesla disagreed with the theory of atoms being composed of smaller subatomic particles, "
            "stating there was no such thing as an electron creating an electric charge.",
            "He later moved to New York."], "electron"),
        # "What kind of X": the kind is X's; a name the kind follows is of it.
        ("What kind of flood hit the town?", "Floods", [
            "In 1421 the town was hit by the St. Elizabeth's flood, which drowned the fields near Dordrecht.",
            "The dikes were rebuilt."], "St. Elizabeth"),
        # A city WordNet knows, before a direction that merely stands near.
        ("What is the first major city on the course of the Rhine?", "Rhine", [
            "The Rhine turns West at the first major city on its course, Basel, and then flows north.",
            "It ends in the North Sea."], "Basel"),
    ],
    ids=["why-cause", "how-by-doing", "accents-typed-without", "accented-capital", "name-of-the-kind",
         "word-of-the-kind", "kind-of", "city-wordnet-knows"],
)
def test_the_short_answer_of_a_small_document(question, title, paragraphs, short):
    answer = ask_paragraphs(question, title, paragraphs)
    assert answer.answered and first(answer).answer is not None
    assert first(answer).answer.text == short


def test_un_eu_uk_and_us_are_the_dotted_abbreviations(seed):
    answer = seed.ask("What does the author want the UN and EU to do?")
    assert answer.answered and "I urge the U.N. and the E.U." in first(answer).quote


def test_a_question_spelling_out_an_acronym_finds_the_acronym():
    answer = ask_paragraphs("What is the National Unity Government's programme for defectors called?", "Defectors", [
        "The National Unity Government (NUG) was formed after the coup.",
        "The “People’s Embrace” program of the NUG helps defectors.",
    ])
    assert answer.answered and first(answer).answer.text == "People’s Embrace"
    # A quoted name keeps its possessive; an unquoted one is two names.
    text = "The “People’s Embrace” program, and the Brotherhood Alliance’s Operation 1027."
    names = [e.of(text) for e in find_entities(text)]
    assert "People’s Embrace" in names and "Brotherhood Alliance" in names


def test_what_a_word_means_is_not_asked_as_an_acronym():
    assert analyze_question("What does rhodophyte mean?").expects[0] == "definition"
    assert analyze_question("What does NUG stand for?").expects[0] == "acronym"
    assert analyze_question("What does ATP mean?").expects[0] == "acronym"


@pytest.mark.parametrize(
    "sentence, acronym, long_form",
    [("He designed the alternating current (AC) supply system.", "AC", "alternating current"),
     ("The replication of chloroplast DNA (cpDNA) is not known.", "cpDNA", "chloroplast DNA"),
     ("Both phases use adenosine triphosphate (ATP) as a carrier.", "ATP", "adenosine triphosphate"),
     ("Records from the National Unity Government (NUG) show it.", "NUG", "National Unity Government")],
)
def test_an_acronym_is_spelled_out_by_the_words_its_letters_begin(sentence, acronym, long_form):
    documents = [document_from_paragraphs("a", "Acronyms", [sentence])]
    answer = Assistant.from_documents("memory", documents).ask(f"What does {acronym} stand for?")
    assert answer.answered and first(answer).answer.text == long_form


def test_a_paragraph_that_leans_on_one_found_is_searched_too():
    answer = ask_paragraphs("What could the fund for deserters achieve?", "Opinion", [
        "I propose that donors pay into a fund for deserters and their families.",
        "This approach could shorten the war and save lives.",
        "The war began in 2021.",
    ])
    assert any(e.quote.startswith("This approach") for e in answer.excerpts)


def test_british_and_american_spellings_are_the_same_word():
    answer = ask_paragraphs("What would the plan minimise?", "Plan", [
        "The plan would weaken the army while minimizing death and displacement.",
        "The plan was drafted in 2023.",
    ])
    assert answer.answered and "minimizing death" in first(answer).quote


@pytest.mark.parametrize("question, in_quote", [
    # Asked by name, yet answered in words: "which costs", "for how long".
    ("Apart from medical care, what costs are covered so defectors can be reunited with relatives?", "travel expenses"),
    ("For how long should the proposed fund support defectors?", "for a defined period"),
])
def test_a_question_naming_an_amount_in_the_plural_or_how_long_may_be_answered_in_words(seed, question, in_quote):
    answer = seed.ask(question)
    assert answer.answered, answer.message
    assert in_quote in first(answer).quote


def test_a_question_a_plain_phrase_may_answer_is_not_declined_for_want_of_a_typed_span():
    # The letters are spelled out after a dash, not before a bracket: no
    # acronym pattern finds them, yet the sentence answers.
    answer = ask_paragraphs("What does TARDIS stand for?", "Show", [
        "He travels in a stolen TARDIS – \"Time and Relative Dimension in Space\" – a time machine.",
        "The show began in 1963.",
    ])
    assert answer.answered and "Time and Relative Dimension in Space" in first(answer).quote


def test_a_long_word_finds_passages_with_words_of_the_same_root():
    # Fifteen short paragraphs match "army" and "control" better than the
    # answering one does: only "territory" -> "territorial" brings it back
    # among the passages searched.
    distractors = [f"The army control post {n} opened." for n in range(15)]
    answer = ask_paragraphs("How much territory does the army control?", "Map", [
        "Since the offensive began in the spring of that year, the army's territorial control has shrunk to a fifth.",
        *distractors,
    ])
    assert answer.answered and "territorial control" in first(answer).quote


def test_a_sentence_of_a_titled_document_is_about_its_title_even_when_it_says_he():
    documents = [
        document_from_paragraphs("tesla", "Nikola Tesla", [
            "Tesla was born in Smiljan in 1856. His father was a priest in the village church and his mother"
            " invented tools for the farm and the household, which he later said was where his talent came from.",
            "Tesla moved to New York in 1884 and worked for Edison on dynamos, motors and street lighting for"
            " several months before leaving after a quarrel about pay for the redesign of the generators.",
            "In January 1943 he died in his hotel room, aged 86.",
        ]),
        # "died" is common in this corpus and "Tesla" rare: only the title
        # says the third paragraph is about Tesla.
        *(document_from_paragraphs(name, name.title(), [f"{name.title()} died in {year}."])
          for name, year in [("edison", 1931), ("marconi", 1937), ("westinghouse", 1914), ("morgan", 1913),
                             ("ferraris", 1897), ("steinmetz", 1923)]),
    ]
    answer = Assistant.from_documents("memory", documents).ask("When did Tesla die?")
    assert answer.answered and first(answer).source == "tesla"
    assert first(answer).answer is not None and first(answer).answer.text == "January 1943"


def test_a_what_is_question_is_answered_by_the_sentence_that_defines_it():
    answer = ask_paragraphs("What is the Harbour Chapel?", "Churches", [
        "The Harbour Chapel was rebuilt after the storm. The Harbour Chapel (HC) is a small Anglican parish church,"
        " and it seats sixty.",
    ])
    assert answer.answered and "is a small Anglican parish church" in first(answer).quote
    assert first(answer).answer is not None and first(answer).answer.text == "small Anglican parish church"


@pytest.mark.parametrize(
    "question, in_quote",
    [
        ("How is the blockade kept up?", "sustained by patrol boats"),
        ("When did the rebels take over the port?", "seized the port in 1991"),
        ("Who stepped down in 1995?", "resigned in 1995"),
    ],
)
def test_a_phrasal_verb_matches_the_one_word_the_text_uses(question, in_quote):
    answer = ask_paragraphs(question, "Port", [
        "The blockade is sustained by patrol boats from the navy.",
        "The rebels seized the port in 1991. The blockade started the same year.",
        "The governor of the port resigned in 1995.",
        "The rebels and the navy met in 1994 to talk about the port and the blockade.",
    ])
    assert answer.answered and in_quote in first(answer).quote


@pytest.mark.parametrize(
    "question, short",
    [
        ("How long is the main façade?", "720 feet"),  # a length keeps its unit
        ("How many feet long is the main façade?", "720"),  # unless the question names it
        ("How large are the grana?", "about 300–600 nanometers"),  # a range is one answer
    ],
)
def test_a_measure_keeps_its_unit_unless_the_question_gives_it(question, short):
    answer = ask_paragraphs(question, "Museum", [
        "The main façade is 720 feet long and faces the gardens.",
        "In the leaf cells, the grana are stacks about 300–600 nanometers across.",
    ])
    assert answer.answered and first(answer).answer is not None and first(answer).answer.text == short


@pytest.mark.parametrize(
    "question",
    ["How many soldiers have defected since the coup?", "Who is the MNDAA spokesperson?",
     "When was the People's Embrace program initiated?", "Why do many soldiers stay in the army?",
     "What does the NUG acknowledge about former soldiers?", "Where was IB 129 stationed?"],
)
def test_answer_spans_found_lazily_rank_as_if_all_were_found(seed, question):
    # k=200 makes the answerer find the span of every candidate sentence;
    # k=3 stops once no other candidate could enter the first ten.
    every = seed.ask(question, k=200).excerpts[:3]
    lazy = seed.ask(question, k=3).excerpts
    assert [(e.start, e.end, e.score, e.answer) for e in lazy] == [(e.start, e.end, e.score, e.answer) for e in every]


@pytest.mark.parametrize(
    "question",
    ["Who is the MNDAA spokesperson?", "What does the NUG promise defectors?", "Why do many soldiers stay in the army?",
     "How many people surrendered with IB 129?", "What does the author propose?"],
)
def test_no_two_excerpts_quote_the_same_text(seed, question):
    excerpts = seed.ask(question, k=10).excerpts
    for i, a in enumerate(excerpts):
        for b in excerpts[i + 1 :]:
            assert a.source != b.source or a.end <= b.start or b.end <= a.start, (a.quote, b.quote)


def test_a_question_typed_in_haste_is_read_in_full_and_shown_so(seed):
    answer = seed.ask("how many ppl does the mndaa hold in custody")
    assert answer.answered and first(answer).answer.text == "534"
    assert answer.question == "how many ppl does the mndaa hold in custody"
    assert answer.resolved_question == "how many people does the mndaa hold in custody"
    assert in_full("what happens if u desert n get caught") == "what happens if you desert and get caught"
    assert in_full("y r they loyal") == "why are they loyal"
    # Written in capitals, or where no word would stand, letters stay letters.
    assert in_full("Is the U N on the x and y axes, by the letter r?") == "Is the U N on the x and y axes, by the letter r?"
    # An "n" no "and" could stand for is a letter: after a function word, or before "is".
    assert in_full("What does most_common return if n is omitted?") == "What does most_common return if n is omitted?"
    assert in_full("return the first n items") == "return the first n items"


def test_a_letter_in_a_reference_question_is_not_read_as_a_chat_word(tmp_path):
    (tmp_path / "counter.txt").write_text(
        "most_common([n])\n\nReturn a list of the n most common elements and their counts. If n is omitted or "
        "None, most_common() returns all elements in the counter.\n", encoding="utf-8")
    answer = Assistant.open(tmp_path, cache_dir=tmp_path / "cache").ask("What does most_common return if n is omitted?")
    assert answer.resolved_question is None  # read as asked: no "(read as: ... if and is omitted?)"
    assert answer.answered and "If n is omitted" in first(answer).quote


def test_a_name_typed_in_lower_case_is_known_by_how_the_passages_write_it(seed):
    # "laukkai" is a name: a count in a paragraph that never writes it
    # (the 272 of the second battalion) is about another place.
    answer = seed.ask("how many guys gave up in laukkai")
    assert answer.answered and first(answer).answer.text == "127"
    # "army" is written "Army" in names, and "the army" elsewhere: a common word.
    mood = seed.ask("how do the guys who deserted describe the mood inside the army?")
    assert mood.answered and first(mood).quote.startswith("These defectors describe the military")


def test_a_peoples_adjective_is_not_what_a_follow_up_points_back_to(seed):
    turn = conversing(seed)
    turn("remember that battalion that surrendered near the Chinese border, which town was it in?")
    when = turn("when did that happen?")
    assert when.referent and "Chinese" not in when.referent
    assert when.answered and first(when).answer.text == "Nov. 14"


def test_who_wrote_it_with_a_second_question_about_the_writer_is_answered_from_the_text(seed):
    for question in ["Who wrote this piece and where is he from?", "Who wrote this opinion piece, and what's his background?"]:
        answer = seed.ask(question)
        assert answer.answered and first(answer).quote == "James Shwe is a Burmese-American living in the U.S.", question
    # One question only: the byline answers.
    assert first(seed.ask("Who wrote the article and when?")).quote == "James Shwe"


def test_what_a_name_the_passages_write_did_is_answered(seed):
    answer = seed.ask("What did Li Kyar Win say about the soldiers?")
    assert answer.answered and "he guarantees the safety of soldiers" in first(answer).quote


def test_a_sentence_that_leans_back_is_quoted_with_the_name_it_is_about(seed):
    # "It marks the second major battalion to capitulate in the Kokang
    # region." is about the regiment named two sentences before: the quote
    # runs from there, one exact span.
    answer = seed.ask("What was the second big unit in the Kokang region to capitulate?")
    excerpt = first(answer)
    assert excerpt.answer.text == "No. 125 Infantry Regiment"
    assert excerpt.quote.startswith("On Nov. 28, all 172 troops") and excerpt.quote.endswith("in the Kokang region.")
    text = (SEEDS / excerpt.source).read_text(encoding="utf-8")
    assert text[excerpt.start:excerpt.end] == excerpt.quote


@pytest.mark.parametrize("question", [
    "What was the second big unit in the Kokang region to capitulate?",
    "who was the spokesman for the Kokang rebel army that promised the soldiers would be kept safe?",
    "Who is the MNDAA spokesperson?",
])
def test_no_quote_repeats_text_another_quote_shows(seed, question):
    excerpts = seed.ask(question).excerpts
    assert len(excerpts) == 3
    for i, a in enumerate(excerpts):
        for b in excerpts[i + 1:]:
            assert a.source != b.source or a.end <= b.start or b.end <= a.start, (a.quote, b.quote)


def test_taking_someone_in_or_looking_after_them_is_having_them_in_ones_care(seed):
    turn = conversing(seed)
    turn("Which army unit gave itself up in Laukkai?")
    turn("And counting their families?")
    answer = turn("Who took them in?")
    assert answer.answered and first(answer).answer.text == "Brotherhood Alliance"
    assert "placed under the care of the Brotherhood Alliance" in first(answer).quote


def test_a_question_asking_what_a_thing_is_called_is_answered_by_a_name_in_quotation_marks(seed):
    # The hub sentence ("I request that the U.S. expand its support program
    # for military defectors...") shares as many words but names nothing.
    answer = seed.ask("What is the American initiative for defectors called?")
    assert answer.answered and first(answer).paragraph == 11 and first(answer).answer.text == "Deserter Program"
    # The name after "also called the" is the other name, not the one asked about.
    other = seed.ask("What is the People's Embrace program also called?")
    assert first(other).answer.text == "Loyalty Shift"


def test_the_window_holding_each_matched_question_word_once_is_measured():
    from assistant.answerer.matching import matched_window

    assert matched_window((("army", (3, 20)), ("pay", (5, 30)))) == (2, 2)
    assert matched_window((("army", (0,)), ("pay", (9,)), ("kyat", (4, 12)))) == (9, 3)
    assert matched_window((("army", (7,)),)) == (0, 1)


def test_question_words_close_together_outrank_the_same_words_spread_over_a_sentence():
    documents = [document_from_paragraphs("notes", "Notes", [
        # The same words, each as far from the next, no bigram in either: the
        # first sentence wins by its place unless spread words cost.
        "The council met in May, in the old hall, after a long winter of quarrels about roads, schools and the harbour "
        "that nobody in the town had wanted to settle, and the budget of the port was finally passed. "
        "In March the council, at last, passed the new budget of the schools.",
    ])]
    answer = Assistant.from_documents("memory", documents).ask("When did the council pass the budget?")
    assert answer.answered and first(answer).answer.text == "March"


@pytest.mark.parametrize(
    "asked, meant",
    [("Who actually took custody of the Laukkai battalion — the NUG?", "Who actually took custody of the Laukkai battalion?"),
     ("when did that happen, early December?", "when did that happen?"),
     ("how much of the country does the army still control? like a fifth or so?",
      "how much of the country does the army still control?"),
     # a comma before what says which, a dash before the question going on, a second question: kept
     ("Why did the soldiers surrender, the ones in Laukkai?", "Why did the soldiers surrender, the ones in Laukkai?"),
     ("Which group — the MNDAA or the NUG — took them in?", "Which group — the MNDAA or the NUG — took them in?"),
     ("Who wrote it, and where is he from?", "Who wrote it, and where is he from?")],
)
def test_a_guess_tacked_on_to_a_question_is_not_part_of_what_it_asks(asked, meant):
    from assistant.answerer.question import without_guess

    assert without_guess(asked) == meant
    assert analyze_question(asked).terms == analyze_question(meant).terms


def test_a_wrong_guess_does_not_make_the_assistant_decline(seed):
    answer = seed.ask("Who took custody of the Laukkai battalion — the NUG?")
    assert answer.answered and first(answer).paragraph == 18


@pytest.mark.parametrize(
    "question, paragraph",
    [("When was this opinion piece published?", 1),
     # "equivalent" names the figure asked for, which the text gives without the word
     ("What is the U.S. dollar equivalent of the cash payment each surrendering soldier receives?", 20),
     # "chipping in" is contributing
     ("Who does he think should be chipping in to that fund?", 23)],
)
def test_questions_in_a_readers_own_words_find_their_paragraph(seed, question, paragraph):
    answer = seed.ask(question)
    assert answer.answered and first(answer).paragraph == paragraph


def test_the_verb_a_who_question_asks_about_is_read_past_an_adverb():
    assert analyze_question("Who actually took custody of the Laukkai battalion?").asked_verb == "took"
    assert analyze_question("Who first proposed the fund?").asked_verb == "proposed"


def test_custody_is_care(seed):
    answer = seed.ask("Who has custody of the Laukkai soldiers and their families?")
    assert answer.answered and first(answer).answer.text == "Brotherhood Alliance"


@pytest.mark.parametrize(
    "question",
    ["Which was the second battalion to capitulate in Kokang?", "What was that second army unit that surrendered up in Kokang?"],
)
def test_the_noun_a_relative_clause_follows_names_the_kind_of_answer(seed, question):
    assert analyze_question(question).expects[0] == "organisation"
    answer = seed.ask(question)
    assert answer.answered and first(answer).answer.text == "No. 125 Infantry Regiment"


def test_when_in_the_present_asks_for_a_circumstance_as_often_as_a_date():
    documents = [document_from_paragraphs("plastids", "Plastids", [
        "Under low-light conditions, chloroplasts spread out flat to catch as much light as possible.",
        "Chloroplasts were first described by botanists studying leaves.",
    ])]
    assistant = Assistant.from_documents("memory", documents)
    assert analyze_question("When do chloroplasts spread out flat?").expects == ("date", "duration", "thing")
    answer = assistant.ask("When do chloroplasts spread out flat?")
    assert answer.answered and "low-light conditions" in first(answer).quote
    # In the past it asks for a date, and a text without one cannot say.
    assert analyze_question("When did chloroplasts spread out flat?").expects == ("date", "duration")


def test_a_yes_no_question_about_a_place_in_a_sequence_finds_the_sentence_giving_another(seed):
    answer = seed.ask("Was Kha-La-Ya 125 the first battalion to give up in Kokang?")
    assert answer.answered and "the second major battalion to capitulate" in first(answer).quote


@pytest.mark.parametrize(
    "query, kind",
    [("Total incl. families?", "how many"), ("Date of the surrender?", "when"), ("Reason for the surrender?", "why")],
)
def test_a_terse_query_may_open_with_the_noun_naming_what_it_wants(query, kind):
    assert analyze_question(query).kind == kind


def test_a_terse_follow_up_asking_for_a_total_is_answered_with_a_count(seed):
    turn = conversing(seed)
    turn("IB 129 surrender — date?")
    answer = turn("Total incl. families?")
    assert answer.answered and first(answer).answer.text.startswith("262")


@pytest.mark.parametrize("sentence, short", [
    # Eight words past "council" would end on "could soon": the short answer
    # stops where "and could..." begins a second clause, and keeps "farmers
    # and traders", which "and" only joins.
    ("The council is slowly gaining support among farmers and traders and could soon win the vote.",
     "slowly gaining support among farmers and traders"),
    ("The council is slowly gaining support, mostly among farmers and traders in the hills.", "slowly gaining support"),
])
def test_a_long_phrase_answer_is_cut_where_a_clause_begins_not_inside_one(sentence, short):
    answer = ask_paragraphs("What does the report say of the council?", "Town", ["The town grew quickly. " + sentence])
    assert first(answer).answer.text == short


@pytest.mark.parametrize("question, sentence, short", [
    ("Who is Maria Lopez?", "Maria Lopez, the city's chief engineer, said it was safe.", "the city's chief engineer"),
    ("Who was Tom Reed?", "Tom Reed is a retired architect living in the U.S.", "retired architect living in the U.S."),
    # Another name in the sentence is not who he is.
    ("Who is Tom Reed?", "The council, chaired by Tom Reed, thanked Anna Reed Smith for the design.", None),
])
def test_who_is_a_named_person_is_answered_by_what_the_text_says_they_are(question, sentence, short):
    answer = ask_paragraphs(question, "Bridge", ["The bridge opened in May. " + sentence])
    assert (first(answer).answer and first(answer).answer.text) == short


def test_a_lowercase_word_does_not_match_a_name_that_shares_its_stem(seed):
    # "winning" is nowhere in the article; its stem is, only as the name
    # "Li Kyar Win". Names do not inflect: his words do not answer.
    answer = seed.ask("Is the army winning the war?")
    assert not answer.excerpts or "Li Kyar Win" not in first(answer).quote
    # Written as a name in the question, it still finds him.
    assert "Li Kyar Win" in first(seed.ask("What did Win promise?")).quote


def test_a_choice_the_question_offers_need_not_be_in_the_text(seed):
    # Neither "good" nor "bad" is in the article: it answers in its own
    # words ("in shambles"), and the question is not declined for them.
    answer = seed.ask("is Myanmar's economy doing good or bad?")
    assert answer.answered and "shambles" in first(answer).quote
    assert analyze_question("Is the army getting stronger or weaker?").alternatives == ("stronger", "weaker")
    assert analyze_question("Who is stronger, the army or the rebels?").alternatives == ()
    # The other answer may be a clause of its own: "..., or is it experimental?"
    assert analyze_question("Is the format stable, or is it still experimental?").alternatives == ("still", "experimental")


def test_the_other_answer_a_question_offers_as_a_clause_need_not_be_in_the_documents(tmp_path):
    # "experimental" is in no document of the mixed folder; "or is it ...?"
    # offers it as the answer the text may deny, so it is no reason to decline.
    mixed = Assistant.open(ROOT / "eval" / "mixed-folder" / "corpus", cache_dir=tmp_path)
    answer = mixed.ask("Can zstd be trusted for production backups, or is it still experimental?")
    assert answer.answered and "safe for production" in first(answer).quote


def test_a_rough_number_the_question_gives_is_not_its_answer(seed):
    # "14,000-odd" is the article's 14,000: the question says it, so a
    # sentence giving only that number does not say how many were officers.
    answer = seed.ask("Of the 14,000-odd defectors, how many were officers versus enlisted men?")
    assert not answer.answered
    assert "000-odd" not in analyze_question("Of the 14,000-odd defectors, how many were officers?").terms


def test_a_turn_left_unanswered_does_not_move_what_it_means(seed):
    turn = conversing(seed)

    assert "MNDAA" in first(turn("Which group has the 534 soldiers in custody?")).answer.text
    assert not turn("How many tanks does the 534 have?").answered
    # "it" is still the group the last answer named, not "534".
    spokesman = turn("Who speaks for it?")
    assert spokesman.referent == "MNDAA" and "Li Kyar Win" in first(spokesman).quote


def test_a_sentence_sharing_only_the_names_does_not_answer_what_is_asked_of_them(seed):
    # "...ousting Aung San Suu Kyi's democratically-elected ... government"
    # names her; it says nothing of where she is held or of detention.
    for question in ["Where is Aung San Suu Kyi being held now?", "Is Aung San Suu Kyi still in detention?"]:
        answer = seed.ask(question)
        assert not answer.answered and "nothing near the closest passages says" in answer.message, question
    # Where the sentence gives a place of the kind asked, the name is enough.
    answer = seed.ask("Where was IB 129 garrisoned?")
    assert answer.answered and first(answer).answer.text == "Laukkai"


def test_the_pronoun_i_is_no_name_of_a_question():
    question = analyze_question("Is there any way to use xargs securely? I'm writing about shell tools")
    assert "i'm" not in question.names and "i" not in question.names


def test_a_word_spelt_the_british_way_is_the_word_itself():
    paragraphs = [
        "The licensor grants you a worldwide, royalty-free license to copy the work.",
        "You may charge a fee for support, warranty or liability obligations you offer.",
        "Each contributor keeps the copyright in the parts they wrote.",
        "A driving licence is not needed.",  # the corpus knows "licence": no typo to correct
    ]
    assistant = Assistant.from_documents("memory", [document_from_paragraphs("doc", "Terms", paragraphs)])
    _, _, candidates = assistant.ranked("Is the licence royalty-free worldwide?", keep=3)
    best = candidates[0]
    assert "royalty-free license" in best.span.of(assistant.library.document(best.document).text)
    # "licence" is held as the word itself, not as a paraphrase at part of its weight.
    assert "licence" in best.match.matched and best.features["related"] == 0.0


def _two_licences() -> Assistant:
    """Two licences: the question's other words match the second one's sentences best."""
    first = document_from_paragraphs("licences/Frobnitz-1.0", "Frobnitz Licence", [
        "The Frobnitz grant ends thirty days after you bring a claim against a contributor.",
        "Frobnitz code may be sold with or without its source.",
        "A Frobnitz notice names every contributor of the work.",
    ])
    second = document_from_paragraphs("licences/Public-Licence", "Public Licence", [
        "Your rights under this licence terminate sixty days after you bring a patent claim against any contributor.",
        "You may charge a fee for the physical act of transferring a copy of the source.",
        "Each contributor keeps the copyright in the parts they wrote.",
    ])
    return Assistant.from_documents("memory", [first, second])


def test_a_question_that_names_a_document_by_its_own_name_is_asked_of_it_alone():
    assistant = _two_licences()
    answer = assistant.ask("Under Frobnitz, when do my rights terminate if I bring a patent claim?")
    assert first(answer).source == "licences/Frobnitz-1.0"
    assert "thirty days" in first(answer).quote
    # Unnamed, the same question goes to the licence that says it in its words.
    unnamed = assistant.ask("When do my rights terminate if I bring a patent claim?")
    assert first(unnamed).source == "licences/Public-Licence"


def test_an_english_word_in_one_title_names_no_document():
    # "public" is in one title only, yet an English word: it does not narrow the search.
    answer = _two_licences().ask("Can public code be sold with or without its source?")
    assert first(answer).source == "licences/Frobnitz-1.0"
    answer = _two_licences().ask("Is there a public fee for transferring a copy?")
    assert first(answer).source == "licences/Public-Licence"


def test_a_document_and_its_copy_are_quoted_once():
    paragraphs = [
        "You must cure the violation within 30 days of the notice.",
        "The licence ends when the violation is not cured.",
    ]
    other = ["A violation of the rules is reported to the editor within a week."]
    documents = [document_from_paragraphs("GPL", "Terms", paragraphs),
                 document_from_paragraphs("GPL-3", "Terms", paragraphs),  # the same text under another name
                 document_from_paragraphs("rules", "Rules", other)]
    answer = Assistant.from_documents("memory", documents).ask("How long to cure a violation?")
    quoted = [(e.quote, e.start) for e in answer.excerpts + answer.more]
    assert len(quoted) == len(set(quoted)), quoted
    assert "30 days" in first(answer).quote


def test_a_question_in_the_text_is_quoted_with_the_answer_after_it():
    # A FAQ's question matches every word asked; what answers it follows it.
    faq = document_from_paragraphs("faq.html", "Frequently Asked Questions", [
        "5.2. What is the difference between a hard link and a soft link?",
        "A hard link names the file's inode itself. A soft link names a path, which may not exist.",
        "5.3. Why is my disk full? Deleted files stay open in running programs until they exit.",
    ])
    assistant = Assistant.from_documents("memory", [faq])
    quote = " ".join(first(assistant.ask("What is the difference between a hard link and a soft link?")).quote.split())
    assert quote == ("5.2. What is the difference between a hard link and a soft link? "
                     "A hard link names the file's inode itself.")
    quote = " ".join(first(assistant.ask("Why is my disk full?")).quote.split())
    assert quote.endswith("Deleted files stay open in running programs until they exit.")


def test_a_sentence_introducing_what_follows_without_a_colon_is_quoted_with_it():
    from assistant.corpus import make_document

    # As the Debian Reference writes it: "...by the following." over the command.
    text = ("Setting a default text editor\n\nDebian provides the system default editor as /usr/bin/editor. "
            "You can change the default editor by the following.\n\n"
            "    $ sudo update-alternatives --config editor\n\n"
            "The choice of vim.basic is my recommendation for newbies.\n")
    document = make_document("reference.txt", text)
    answer = Assistant.from_documents("memory", [document]).ask("How do I change the default editor?")
    quote = " ".join(first(answer).quote.split())
    assert quote.endswith("by the following. $ sudo update-alternatives --config editor"), quote
    # So is one quoted with the sentence it leans on ("They can be listed...").
    text = ("Disk space\n\nThe disk space usage can be evaluated by several programs of the system.\n\n"
            "All deleted but open files consume disk space although du does not show them. "
            "They can be listed with their size by the following.\n\n    # lsof -s -X / |grep deleted\n\n"
            "Then restart the programs that hold them open.\n")
    answer = Assistant.from_documents("memory", [make_document("tips.txt", text)]).ask(
        "How do I list the deleted but open files with their size?")
    quote = " ".join(first(answer).quote.split())
    assert quote.startswith("All deleted") and quote.endswith("# lsof -s -X / |grep deleted"), quote


def test_a_sentence_that_only_introduces_a_section_is_never_a_quote():
    from assistant.corpus import make_document

    text = ("The pager\n\nThe pager shows a text one screen at a time, from a file or from its standard input.\n\n"
            "You can change how the pager behaves with command-line options. Options include:\n\n"
            "General options\n\nThe -B option starts the pager on the bookmark page instead of a blank screen.\n")
    document = make_document("pager.txt", text)
    answer = Assistant.from_documents("memory", [document]).ask("What options are included?")
    quoted = [e.quote for e in answer.excerpts + answer.more]
    assert quoted and not [q for q in quoted if q.rstrip().endswith("Options include:")], quoted


def test_a_sentence_two_files_share_is_quoted_once():
    # Release notes say the same line in NEWS and in CHANGES, among others of their own.
    shared = "The shell saves the command history whenever the history file is set."
    documents = [document_from_paragraphs("NEWS", "News", [shared, "The cd builtin takes a new option."]),
                 document_from_paragraphs("CHANGES", "Changes", ["Fixed a bug in the history code.",
                                                                 "  ".join(shared.split(" ", 3)),  # wrapped otherwise
                                                                 "The history list keeps multi-line commands."])]
    answer = Assistant.from_documents("memory", documents).ask("When does the shell save the command history?")
    quoted = [" ".join(e.quote.split()) for e in answer.excerpts + answer.more]
    assert quoted.count(" ".join(shared.split())) == 1, quoted
    assert len(quoted) == len(set(quoted))


def test_a_book_in_several_editions_is_quoted_once_whatever_its_quotation_marks():
    # The Debian Reference's PDF and its text edition: the same sentence with
    # curly and straight quotation marks.
    straight = 'Debian provides access to the default editor via command "/usr/bin/editor" so programs can invoke it.'
    curly = straight.replace('"/', "\u201d/").replace('r" ', "r\u201d ")
    documents = [document_from_paragraphs("book.txt", "Book", [straight, "The vim package is recommended."]),
                 document_from_paragraphs("book.pdf", "Book", [curly, "Emacs is another editor."])]
    answer = Assistant.from_documents("memory", documents).ask("Which command gives access to the default editor?")
    quoted = [e.quote for e in answer.excerpts + answer.more]
    assert sum("/usr/bin/editor" in q for q in quoted) == 1, quoted


def test_a_name_two_titles_share_names_the_one_whose_title_holds_more_of_the_question():
    older = document_from_paragraphs("licences/Frobnitz-1.1", "Frobnitz Licence Version 1.1", [
        "Under this licence your rights terminate sixty days after you bring a patent claim.",
        "The Frobnitz licence may be revised by its steward.",
    ])
    newer = document_from_paragraphs("licences/Frobnitz-2.0", "Frobnitz Licence Version 2.0", [
        "The grant ends thirty days after any claim you bring against a contributor.",
        "The Frobnitz licence may be revised by its steward.",
    ])
    copy = document_from_paragraphs("licences/Frobnitz-2", "Frobnitz Licence Version 2.0", [  # the same text again
        "The grant ends thirty days after any claim you bring against a contributor.",
        "The Frobnitz licence may be revised by its steward.",
    ])
    assistant = Assistant.from_documents("memory", [older, newer, copy])
    question = "Under Frobnitz 2.0, when do my rights terminate if I bring a patent claim?"
    assert first(assistant.ask(question)).source in ("licences/Frobnitz-2.0", "licences/Frobnitz-2")
    # Without the version, both texts are named: the words decide.
    unversioned = assistant.ask("Under Frobnitz, when do my rights terminate if I bring a patent claim?")
    assert first(unversioned).source == "licences/Frobnitz-1.1"


def test_a_word_of_one_file_name_that_every_document_writes_names_none_of_them():
    # Three chapters of one manual: the file name of the first says "Frobix",
    # but the other two write it throughout: it is their subject, not its name.
    # (The chapter named by it writes it in few of its own many passages.)
    packages = document_from_paragraphs("frobix-ref-ch02.txt", "frobix-ref-ch02.txt", [
        f"{'Frobix package' if n < 2 else 'Package'} tool number {n} keeps its state in a file of its own."
        for n in range(20)])
    boot = document_from_paragraphs("ch03.txt", "Chapter 3. Start up", [
        "A Frobix computer boots in four stages, like a four-stage rocket.",
        "Each stage hands the control of the Frobix system to the next stage.",
        "The Frobix kernel mounts the root filesystem.", "Frobix starts the init program."])
    assistant = Assistant.from_documents("memory", [packages, boot])
    answer = assistant.ask("How does a Frobix computer go from power-on to a working system in stages?")
    assert first(answer).source == "ch03.txt"
    # A name the other document writes only in passing still names its file.
    packages_named = document_from_paragraphs("frobix-ref-ch02.txt", "frobix-ref-ch02.txt", [
        f"Package tool number {n} keeps its state in a file of its own, with stages." for n in range(8)])
    boot_mentioning = document_from_paragraphs("ch03.txt", "Chapter 3. Start up", [
        "A computer boots in four stages, like a four-stage rocket.", "Frobix is used for packages.",
        "Each stage hands the control of the system to the next stage.", "The kernel mounts the root filesystem."])
    named = Assistant.from_documents("memory", [packages_named, boot_mentioning]).ask(
        "How many stages does a Frobix package tool keep?")
    assert first(named).source == "frobix-ref-ch02.txt"


def test_the_sentence_with_the_question_mark_says_what_is_asked():
    # "when I read them" in the sentence before asks no date.
    parsed = analyze_question("My JSON has money amounts and I don't want rounding errors when I read them. "
                              "Can I get exact decimal numbers?")
    assert parsed.kind == "yes/no"
    assert {"json", "money", "decimal"} <= set(parsed.terms)  # the sentence before says what about
    # Abbreviations do not end a sentence.
    assert analyze_question("What did Mr. Smith say about the U.S. Congress?").kind == "what"
    assert analyze_question("When did the NUG start? And why?").kind == "when"


@pytest.mark.parametrize("question, kind, focus", [
    ("How do I add a verbosity option that counts how many times -v is given?", "how", None),
    ("Why is it hard to know how many soldiers defected?", "why", None),
    ("How many times is -v given?", "how many", "times"),
    ("Can you tell me how many soldiers defected?", "how many", "soldiers"),
    ("Of the 14,000 who have defected, how many were police officers?", "how many", None),
])
def test_a_count_in_a_clause_after_another_question_word_is_not_what_is_asked(question, kind, focus):
    parsed = analyze_question(question)
    assert (parsed.kind, parsed.focus) == (kind, focus)


@pytest.mark.parametrize("question, reads_default", [
    ("What compression level does GzipFile use when compresslevel isn't given?", True),
    ("How many bytes does it use if I don't say?", True),
    ("What happens if the option is omitted?", True),
    ("What happens if the soldiers do not surrender?", False),
    ("What compression level does GzipFile use by default?", False),  # written: read once
])
def test_what_holds_when_nothing_is_given_is_asked_as_the_default(question, reads_default):
    parsed = analyze_question(question)
    assert (parsed.terms.count("default") == 1) == ("default" in question or reads_default)
    assert ("default" in parsed.alternatives) == reads_default  # read in: no reason to decline where never written


def test_a_default_read_into_a_question_finds_the_sentence_that_states_it(tmp_path):
    # Reference pages say what holds when nothing is given as "the default".
    reference = Assistant.open(ROOT / "eval" / "reference-folder" / "corpus", cache_dir=tmp_path)
    answer = reference.ask("What does gzip.compress use for the compression level when it isn't given?")
    # ("The default is 9." under GzipFile, whose meaning gzip.compress shares)
    assert answer.answered and re.search(r"\b[Tt]he default\b", first(answer).quote)


def test_when_inside_a_question_is_a_condition_not_a_time_asked():
    # "Does xargs stop when a command fails?" asks yes or no; its "when"
    # opens a clause of condition. First, last, after "since" or before an
    # auxiliary, "when" still asks a time.
    date = ("date", "duration")
    assert analyze_question("Does xargs stop when a command fails?").expects == ("yesno",)
    assert analyze_question("Is the password echoed when I type it?").expects == ("yesno",)
    assert analyze_question("My script crashes when the file is empty, why?").expects == ("reason",)
    assert analyze_question("join drops my folder when the 2nd part starts with a slash, is that a bug?").expects != date
    assert analyze_question("When did the battalion surrender?").expects == date
    assert analyze_question("The NUG was set up when?").expects == date
    assert analyze_question("Since when has the momentum been building?").expects == date
    assert analyze_question("So when did it happen?").expects == date


def test_a_manual_pages_section_number_is_part_of_its_name_not_a_number():
    # "df(1)", "dpkg-statoverride(8)": no count to give for "how much disk space".
    text = "df(1) reports the disk space usage for the file system, in blocks of 1024 bytes."
    numbers = [text[e.start : e.end] for e in find_entities(text) if e.kind == "number"]
    assert "1" not in numbers
    assert [text[e.start : e.end] for e in find_entities("He counted (1) tent and 3 (2) boats.") if e.kind == "number"]


def test_a_question_asking_how_to_do_a_thing_gets_no_phrase_cut_from_the_steps():
    # "How do I leave the pager?" is answered by the sentence's steps; a short
    # answer cut out of them ("pressing", "packages using APT-system" on real
    # manuals) is none. A question asking what or which still gets one.
    documents = [document_from_paragraphs("pager", "Pager", [
        "The pager shows a long text one screen at a time on the terminal.",
        "You can leave the pager at any time by pressing the Q key twice in a row."])]
    assistant = Assistant.from_documents("memory", documents)
    how = first(assistant.ask("How do I leave the pager?"))
    assert "pressing the Q key" in how.quote and how.answer is None
    which = first(assistant.ask("What key leaves the pager?"))
    assert which.answer is not None and which.answer.text == "Q"


def test_an_acronym_the_documents_only_spell_out_is_found_spelled_out():
    # "AGPL" in the question; the licence writes "GNU Affero General Public License".
    documents = [document_from_paragraphs("licences/GPL-3", "GNU General Public License", [
        "You may convey a covered work if you keep intact all notices stating that this License applies to it.",
        "You have permission to link or combine any covered work with a work licensed under version 3 of the "
        "GNU Affero General Public License into a single combined work.",
        "A Good Plan Lasts for years, and every plan needs a licence."])]
    answer = Assistant.from_documents("memory", documents).ask("Am I allowed to combine my code with AGPL code?")
    assert answer.answered, answer.message
    assert "Affero General Public License" in first(answer).quote
    from assistant.answerer.entities import spelled_out

    assert spelled_out("agpl", "under the GNU Affero General Public License.") == ("affero", "general", "public", "license")
    assert spelled_out("agpl", "A Go Plan Later") is None  # each letter a word of three letters or more


@pytest.mark.parametrize("question", ["How long does the DPL serve?", "how long does a dpl stay"])
def test_an_acronym_spelled_out_elsewhere_in_a_document_found_finds_its_passage(question):
    """"DPL": the history spells out "Debian Project Leader" once, far from
    the passages the question finds; the constitution says "Project Leader"
    throughout. Typed in lower case, "dpl" is no English word: an acronym too."""
    documents = [
        document_from_paragraphs("constitution.txt", "Constitution for the Debian Project", [
            "The Project Secretary's term of office is one year.",
            "The Project Leader serves for one year from their election.",
            "The Technical Committee decides on technical matters.",
        ]),
        document_from_paragraphs("history.html", "A Brief History of Debian", [
            "The Debian Project Leader is elected by the developers every spring.",
            *[f"In Debian release {n} the archive grew and new mirrors were opened across the world." for n in range(2, 30)],
            "Many developers serve on teams and stay for years.",
        ]),
    ]
    answer = Assistant.from_documents("memory", documents).ask(question)
    assert answer.answered, answer.message
    assert "Project Leader serves for one year" in first(answer).quote


def test_a_name_its_document_writes_elsewhere_counts_less_against_a_sentence():
    """"Is sorting stable in Python?": the Sorting HOWTO names Python once,
    in another paragraph; the sentence that says it is stable is still the
    answer, not the one that happens to name Python."""
    sorting = document_from_paragraphs("sorting.html", "Sorting HOW TO", [
        "In this document, we explore the various techniques for sorting data using Python.",
        "The Timsort algorithm used in Python does multiple sorts efficiently because it can take "
        "advantage of any ordering already present in a dataset.",
        "Sorts are guaranteed to be stable. That means that when multiple records have the same key, "
        "their original order is preserved.",
    ])
    unicode = document_from_paragraphs("unicode.html", "Unicode HOWTO", [
        "Python's string type uses the Unicode Standard for representing characters.",
        "Since Python 3.0, the language's str type contains Unicode characters.",
    ])
    answer = Assistant.from_documents("memory", [sorting, unicode]).ask("Is sorting stable in Python?")
    assert answer.answered and answer.excerpts[0].quote.startswith("Sorts are guaranteed to be stable.")


def test_a_question_offering_both_opposites_is_not_contradicted_by_either():
    # "big or little endian?" asks which: the sentence saying "big-endian"
    # lacks "little" but does not contradict the question.
    from assistant.answerer.pipeline import _opposites

    assert "big" not in _opposites(["big", "little"]).get("little", frozenset())
    assert "big" in _opposites(["little", "endian"])["little"]
    document = document_from_paragraphs("bytes.txt", "Byte order", [
        "Most desktop processors store numbers with the least significant byte first, which is called "
        "little-endian.",
        "Network protocols agree on one order so that machines can talk. The network byte order is "
        "big-endian, with the most significant byte first. A 16 bit integer with the value 1 is sent as "
        "the two bytes 00 01.",
        "Python's socket module has functions that convert between the two orders.",
    ])
    answer = Assistant.from_documents("memory", [document]).ask("Is network byte order big or little endian?")
    assert answer.answered and "network byte order is big-endian" in first(answer).quote


def test_a_multiword_verb_is_matched_by_the_one_word_a_text_uses():
    # WordNet's multiword verbs, with an object between verb and particle:
    # "give me back" is said "returns", "get rid of" "remove".
    from assistant.answerer.matching import phrasal_verbs

    assert phrasal_verbs("Does it give me back the list?", ["give", "back", "list"]) == {"give": "give back"}
    assert phrasal_verbs("how to get rid of the indentation", ["get", "rid", "indentation"]) == {"rid": "get rid of"}
    assert phrasal_verbs("How do I turn that off?", ["turn"]) == {"turn": "turn off"}
    assert phrasal_verbs("How long is the list?", ["long", "list"]) == {}
    document = document_from_paragraphs("lists.txt", "Lists", [
        "A list keeps its items in the order they were added. The append() method adds an item at the end.",
        "The sort() method sorts the list in place, and the value it will return is None. The sorted() function "
        "builds a new list.",
        "The clear() method empties the list.",
    ])
    answer = Assistant.from_documents("memory", [document]).ask("What does the sort() method give back?")
    assert answer.answered and "return is None" in first(answer).quote


def test_another_name_of_the_thing_asked_about_is_not_what_answers_who():
    """"the 9th Rifle Company, known as Red Wolves" asked who holds the 9th
    Rifle Company: Red Wolves is the company, not its keeper."""
    documents = [document_from_paragraphs("front", "The northern front", [
        "On May 3, all 80 soldiers of the 9th Rifle Company, known as Red Wolves, surrendered.",
        "The Northern Alliance stated it has all of them in its custody.",
    ])]
    assistant = Assistant.from_documents("memory", documents)
    answer = assistant.ask("Who has the 9th Rifle Company in custody now?")
    assert answer.answered
    assert all(e.answer is None or e.answer.text != "Red Wolves" for e in answer.excerpts)
    assert any(e.answer is not None and e.answer.text == "Northern Alliance" for e in answer.excerpts)
    for asked in ("What is the 9th Rifle Company also known as?",
                  "By what name is the 9th Rifle Company otherwise known?"):
        called = assistant.ask(asked)
        assert first(called).answer is not None and first(called).answer.text == "Red Wolves", asked


@pytest.mark.parametrize("question, sentence", [
    ("How do I change the boot image?",
     'You can change the boot image by setting the GRUB_BACKGROUND variable in "/etc/default/grub".'),
    ("Why was the server moved?",
     'The server was moved because of a fire in the building where "klecker" stood.'),
])
def test_a_short_answer_never_ends_on_a_small_word_its_clause_was_cut_at(question, sentence):
    answer = ask_paragraphs(question, "notes", [sentence])
    short = first(answer).answer
    assert short is not None and short.text.split()[-1] not in ("in", "where", "the", "of")
    assert sentence[short.start : short.end] == short.text


def test_a_short_answer_that_only_points_to_a_place_in_the_document_is_none():
    """"see Section 6.3" answers nothing asked of sid; asked which section, it does."""
    sentences = ["unstable is a permanent symbolic link to sid, as sid is always the unstable distribution "
                 "(see Section 6.3).",
                 "Packages enter testing after they have spent some time in unstable."]
    answer = ask_paragraphs("What is the sid distribution?", "archives", sentences)
    assert answer.answered and "permanent symbolic link to sid" in first(answer).quote
    assert first(answer).answer is None or "Section" not in first(answer).answer.text
    asked = ask_paragraphs("Which section tells more about sid?", "archives", sentences)
    assert first(asked).answer is not None and first(asked).answer.text == "Section 6.3"


def test_the_same_sentence_in_a_page_and_in_its_source_is_quoted_once():
    """A manual kept as web pages and as their reST sources: the sentence
    each writes with its cross-reference read otherwise is one quote."""
    page = document_from_paragraphs("ch-source.html", "Source packages", [
        "This file is often required to contain a verbatim copy of the package's copyright information, too; "
        "see Copyright information and Copyright considerations for details, and for further considerations "
        "related to copyrights for packages.",
        "All copyright files must be encoded in UTF-8.",
    ])
    source = document_from_paragraphs("_sources/ch-source.rst.txt", "Source packages", [
        "This file is often required to contain a verbatim copy of the package's copyright information, too; "
        "see s-copyrightfile and s-pkgcopyright for details, and for further considerations related to "
        "copyrights for packages.",
        "All copyright files must be encoded in UTF-8.",
    ])
    answer = Assistant.from_documents("memory", [page, source]).ask("What must the copyright file contain?")
    quotes = [e.quote for e in answer.excerpts + answer.more]
    assert sum("verbatim copy of the package's copyright" in q for q in quotes) == 1
    # Sentences alike but for a "not" are both quoted.
    rules = document_from_paragraphs("rules.txt", "Upload rules", [
        "A sponsored upload of a new package must be checked by the sponsor against the archive's rules first.",
        "A sponsored upload of a new package must not be checked by the sponsor against the archive's rules first.",
    ])
    both = Assistant.from_documents("memory", [rules]).ask("Who checks a sponsored upload of a new package?")
    assert sum("sponsored upload of a new package" in e.quote for e in both.excerpts + both.more) == 2


def test_a_question_asking_in_what_year_needs_a_date_as_a_when_question_does():
    # "In what year...?" asks when: the sentence that only names the thing
    # ("...the Mozilla Public License, v. 2.0") does not say, however many
    # of the question's words it holds; a sentence with a year does.
    notice = document_from_paragraphs("notice", "Exhibit B", [
        'This Source Code Form is "Incompatible With Secondary Licenses", as defined by the Mozilla Public License, v. 2.0.',
        "The Mozilla Foundation is the license steward of the Mozilla Public License.",
    ])
    asked = "In what year was the Mozilla Public License 2.0 released?"
    assert analyze_question(asked).must_hold == "time"
    answer = Assistant.from_documents("memory", [notice]).ask(asked)
    assert not answer.answered and "date" in answer.message
    history = document_from_paragraphs("history", "History", [
        "The Mozilla Public License 2.0 was released in 2012, after two years of public drafts.",
    ])
    answer = Assistant.from_documents("memory", [notice, history]).ask(asked)
    assert answer.answered and "2012" in answer.excerpts[0].quote
    # A unit that describes the next word is not what is asked.
    assert analyze_question("What date format does git log use?").must_hold is None
    assert analyze_question("Which day of the week is the meeting?").must_hold == "time"


def test_a_date_is_a_date_a_year_or_a_century_but_not_a_number_the_question_names():
    for held in ["Camp supported new rules for the 1906 season.", "It was built in the early nineteenth century.",
                 "It could become a savanna by 2100.", "It was released in January 2004.", "Bands of the 1990s.",
                 "A 5th-century church."]:
        assert holds_a_date(held, 0, len(held)), held
    for not_held in ["They won 24–10 to earn a third title.", "It is defined by the License, v. 2.0.",
                     "It costs 1,500 dollars.", "Open port 80."]:
        assert not holds_a_date(not_held, 0, len(not_held)), not_held
    # "When did Operation 1027 end?" is not answered by "Operation 1027".
    said = "Operation 1027 made the army retreat."
    assert holds_a_date(said, 0, len(said)) and not holds_a_date(said, 0, len(said), "When did Operation 1027 end?")


def test_a_name_joined_into_an_identifier_is_written_there():
    # "wasm32-emscripten" and "http_proxy" name Emscripten and HTTP
    # themselves; two names joined ("the Myanmar-China border") still say
    # nothing China did.
    documents = [document_from_paragraphs("pwd", "pwd - The password database", [
        "This module provides access to the Unix user account and password database. It is available on all Unix versions.",
        "This module does not work or is not available on WebAssembly platforms wasm32-emscripten and wasm32-wasi.",
        "Password database entries are reported as a tuple-like object, whose attributes correspond to the members "
        "of the passwd structure.",
    ])]
    answer = Assistant.from_documents("memory", documents).ask("Is pwd available under Emscripten?")
    assert answer.answered and "wasm32-emscripten" in answer.excerpts[0].quote
    border = [document_from_paragraphs("laukkai", "Laukkai", [
        "Infantry Battalion 129 surrendered in Laukkai, near the Myanmar-China border, in November.",
    ])]
    assert not Assistant.from_documents("memory", border).ask("How did China react to the surrender?").answered
