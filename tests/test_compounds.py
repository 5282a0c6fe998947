"""A word the documents never write, but write the parts of, is asked as its
parts: "Apache-licensed", "GPLv3". One they do write stays whole."""

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
