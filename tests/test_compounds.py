"""A word the documents never write, but write the parts of, is asked as its
parts: "Apache-licensed", "GPLv3". One they do write stays whole."""

import pytest

from assistant.answerer import Assistant
from assistant.corpus import document_from_paragraphs

LICENCES = [
    document_from_paragraphs("apache", "Apache License", [
        "Licensed under the Apache License, Version 2.0. You must cause any modified files to carry "
        "prominent notices stating that You changed the files.",
        "This License does not grant permission to use the trade names of the Licensor.",
    ]),
    document_from_paragraphs("gpl", "GNU General Public License", [
        "The GNU GPL version 3 lets you charge any price or no price for each copy that you convey.",
        "The procps-ng project keeps the process tools.",
    ]),
]


def _assistant() -> Assistant:
    return Assistant.from_documents("memory", LICENCES)


def test_a_compound_the_documents_never_write_is_asked_as_its_parts():
    answer = _assistant().ask("What must an Apache-licensed project do to files it changed?")
    assert answer.answered
    assert answer.resolved_question == "What must an Apache licensed project do to files it changed?"
    assert "prominent notices" in answer.excerpts[0].quote


def test_letters_glued_to_a_version_are_asked_apart():
    answer = _assistant().ask("May I charge a price for copies of GPLv3 code?")
    assert answer.resolved_question == "May I charge a price for copies of GPL 3 code?"
    assert answer.answered and "any price" in answer.excerpts[0].quote


def test_a_compound_the_documents_write_stays_whole():
    answer = _assistant().ask("What does the procps-ng project keep?")
    assert answer.resolved_question is None
    assert "process tools" in answer.excerpts[0].quote


MANUALS = [
    document_from_paragraphs("users", "Users and groups", [
        "Each account has a user name and a numeric user ID.",
        "The web server keeps its files under /var/www.",
    ]),
    document_from_paragraphs("random", "random", [
        "The generator is fast and threadsafe.",
        "The seed is taken from the system clock.",
        "A generator seeded twice gives the same numbers again, which is safe for tests.",
    ]),
]


def test_two_words_run_together_are_asked_as_the_documents_write_them():
    assistant = Assistant.from_documents("memory", MANUALS)
    answer = assistant.ask("How long may a username be?")
    assert answer.resolved_question == "How long may a user name be?"
    assert assistant.ask("Which webserver keeps the files?").resolved_question == "Which web server keeps the files?"
    # A word the documents write stays whole; so does one whose parts they never write side by side.
    assert assistant.ask("Is the generator threadsafe?").resolved_question is None
    assert assistant.ask("Where are the userfiles kept?").resolved_question is None


def test_a_compound_the_documents_write_joined_is_the_same_word():
    answer = Assistant.from_documents("memory", MANUALS).ask("Is the generator thread-safe?")
    assert answer.answered
    assert answer.excerpts[0].quote == "The generator is fast and threadsafe."


# A sentence's compounds hold their parts: "royalty-free" says "royalty",
# "DictReader" says "reader", "ensure_ascii" says "ascii". A compound English
# has as a word of its own ("long-run", "so-called") says only itself.
LICENCE_TERMS = [
    document_from_paragraphs("terms", "Licence terms", [
        "The Licensor may charge a fee for warranty or support. "
        "Each Contributor grants You a perpetual, worldwide, royalty-free copyright license.",
    ]),
    document_from_paragraphs("csvdoc", "csv", [
        "Use csv.writer for output. Use csv.DictReader when each row should come back as a mapping. "
        "Pass ensure_ascii=False to keep accented letters.",
    ]),
    document_from_paragraphs("plans", "Plans", [
        "Paying defectors may be cheaper in the long-run. The committee runs the programme from the capital.",
    ]),
]


def _terms(assistant: Assistant, *words: str):
    from assistant.answerer.matching import expand

    return expand(list(words), assistant.library.index)


def test_the_parts_of_a_compound_are_words_of_the_sentence():
    from assistant.answerer.matching import PART_SHARE, match_sentence

    assistant = Assistant.from_documents("memory", LICENCE_TERMS)
    royalties = match_sentence("It is a royalty-free copyright license.", _terms(assistant, "royalties"))
    assert royalties.matched == {"royalties"} and royalties.coverage == pytest.approx(PART_SHARE)
    assert royalties.in_compounds == {"royalties"}  # held, but not written as a word of its own
    assert match_sentence("Use csv.DictReader here.", _terms(assistant, "reader")).matched == {"reader"}
    assert match_sentence("Pass ensure_ascii=False.", _terms(assistant, "ascii")).matched == {"ascii"}
    # English has "long-run" as a word: no running is said.
    assert not match_sentence("It may be cheaper in the long-run.", _terms(assistant, "runs")).matched


def test_a_question_finds_the_sentence_whose_compound_holds_its_word():
    assistant = Assistant.from_documents("memory", LICENCE_TERMS)
    answer = assistant.ask("Do I owe royalties to the Licensor?")
    assert answer.answered and "royalty-free" in answer.excerpts[0].quote
    answer = assistant.ask("Which reader gives each row as a mapping?")
    assert "DictReader" in answer.excerpts[0].quote
    answer = assistant.ask("Who runs the programme?")
    assert "committee runs" in answer.excerpts[0].quote


def test_a_name_written_only_inside_a_compound_is_not_mentioned_for_declining():
    assistant = Assistant.from_documents("memory", [
        document_from_paragraphs("tools", "Tools", [
            "Zstandard can be used in commercial products at no cost. Its test data are GPL-3.0-or-later.",
        ]),
    ])
    answer = assistant.ask("How much does a commercial licence for the GPL version of zstd cost?")
    assert not answer.answered and "mentions “gpl”" in answer.message


def test_two_words_the_documents_write_as_one_find_it():
    """"IP address" asked where the documents write "ipaddress": the joined
    word counts for both of the question's words."""
    module = document_from_paragraphs("ipaddress.html", "An introduction to the ipaddress module", [
        "The ipaddress module provides the capabilities to create, manipulate and operate on IPv4 and IPv6 "
        "addresses and networks.",
        "Strings are parsed with the ipaddress.ip_network() factory function.",
    ])
    notes = document_from_paragraphs("notes.txt", "Networking notes", [
        "Every host gets an IP address from the router, and the lease is renewed daily.",
        "A network is written in dotted form with its prefix length.",
    ])
    assistant = Assistant.from_documents("memory", [notes, module])
    answer = assistant.ask("Can I create an IP address object?")
    assert answer.answered and answer.excerpts[0].source == "ipaddress.html"


def test_a_compound_with_a_small_word_is_known_by_the_parts_the_index_keeps():
    """"here-documents" is "documents" to the index ("here" is a small word it
    drops): a word the documents write, asked as itself, with its full weight,
    and not taken for a typing slip ("where-documents")."""
    from assistant.answerer.matching import expand, retrieval_terms

    shell = Assistant.from_documents("memory", [document_from_paragraphs("compat", "Compatibility", [
        "Bash-5.1 and later use pipes for here-documents if they are small.",
        "The shell can work without a terminal.",
        "Scripts work the same way in every mode.",
        "Aliases work only in interactive shells.",
        "The history list may be of unlimited size.",
    ])])
    index = shell.library.index
    (term,) = expand(["here-documents"], index)
    assert term.in_corpus and term.forms == {"here-documents"}
    assert term.weight == pytest.approx(index.idf_of("documents"))
    weights = retrieval_terms([term], index)
    assert set(weights) == {"documents"}
    answer = shell.ask("How do here-documents work?")
    assert answer.answered and "pipes for here-documents" in answer.excerpts[0].quote


@pytest.mark.parametrize("question, written", [("Which setting takes pre-resolved IPs?", "IP addresses"),
                                               ("Where are the user IDs kept?", "user ID")])
def test_a_two_letter_word_with_a_plurals_s_is_the_word_the_documents_write(question, written):
    """"IPs", "IDs": too short for the stemmer, the plural of what the
    documents write as "IP", "ID"."""
    notes = Assistant.from_documents("memory", [document_from_paragraphs("notes", "Release notes", [
        "The new http.curloptResolve setting passes pre-resolved IP addresses to cURL.",
        "Each account has a user ID, kept in /etc/passwd with the account's name.",
        "The pack bitmap gained a lookup table. The setting takes effect at once.",
    ])])
    answer = notes.ask(question)
    assert answer.answered and written in answer.excerpts[0].quote
