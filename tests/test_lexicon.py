"""The WordNet lexicon: the shipped table, lemmas of inflected words, related
words, multiword lemmas in a token list, antonyms and kinds of thing."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import lexicon
from assistant.lexicon import derive, table
from assistant.text import tokens

ROOT = Path(__file__).resolve().parent.parent
WORDNET = ROOT.parent / "shared" / "data" / "wordnet" / "wordnet-3.0-dict.tar.gz"
SHIPPED = ROOT / "assistant" / "lexicon" / table.TABLE_NAME


def test_the_shipped_table_is_small_says_where_it_comes_from_and_loads():
    assert SHIPPED.stat().st_size < 3_000_000
    text = gzip.decompress(SHIPPED.read_bytes()).decode("utf-8")
    assert text.startswith("# Derived from WordNet 3.0")
    assert "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved." in text
    notice = (ROOT / "assistant" / "lexicon" / "NOTICE").read_text(encoding="utf-8")
    assert "derived from WordNet 3.0" in notice
    assert "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved." in notice
    loaded = table.load_table()
    assert len(loaded) == 147306  # every lemma of the four index files
    assert loaded.synset_count == 117659
    lemmas = loaded.lemmas()
    assert lemmas == sorted(lemmas)  # the loader bisects the rows
    assert "throw in the towel" in loaded and "a" in loaded and "zymurgy" in loaded and "zz" not in loaded


def test_the_shipped_table_is_the_one_derive_writes(tmp_path):
    if not WORDNET.exists():
        pytest.skip("wordnet-3.0-dict.tar.gz is not in ../shared/data/wordnet")
    written = derive.write_table(WORDNET, tmp_path).read_bytes()
    # The table's bytes, not the gzip stream's: another zlib may compress the same text otherwise.
    assert gzip.decompress(written) == gzip.decompress(SHIPPED.read_bytes())
    # No time stamp (bytes 4-7) and no file name (flag 8) in the header: same text, same file.
    assert written[4:8] == bytes(4) and not written[3] & 0x08


def test_derive_runs_as_a_module_and_refuses_a_missing_archive(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "assistant.lexicon.derive", "--wordnet", str(tmp_path / "none.tar.gz"),
         "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert finished.returncode == 2
    assert "no WordNet archive" in finished.stderr
    assert not (tmp_path / table.TABLE_NAME).exists()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("threw", {"throw"}),
        ("fled", {"flee"}),
        ("stationed", {"station"}),
        ("defectors", {"defector"}),
        ("Cities", {"city"}),
        ("gave up", {"give up"}),
        ("prime ministers", {"prime minister"}),
        ("xqzzy", set()),
    ],
)
def test_lemmas_of_inflected_words_follow_the_exception_lists_and_detachment_rules(word, expected):
    assert lexicon.lemmas(word) == expected


def test_lemma_forms_say_the_part_of_speech():
    assert lexicon.lemma_forms("posted") == (("post", "v"), ("posted", "a"))
    assert lexicon.lemma_forms("station") == (("station", "n"), ("station", "v"))


@pytest.mark.parametrize(
    ("word", "expected", "not_expected"),
    [
        ("used", {"use", "uses", "using"}, {"user", "usage"}),
        ("removing", {"remove", "removes", "removed"}, {"removal"}),
        ("tried", {"try", "tries", "trying"}, set()),
        ("boxes", {"box"}, {"boxer"}),
        ("stopped", {"stop", "stops", "stopping"}, set()),
        ("cities", {"city"}, set()),
        # A lemma spelt otherwise is another word: "left" is not "leave",
        # "found" not "find", "better" not "good"; "uses" is not "us".
        ("left", set(), {"leave", "leaving"}),
        ("found", set(), {"find", "finding"}),
        ("better", set(), {"good"}),
        ("uses", {"use"}, {"us"}),
    ],
)
def test_a_word_s_other_inflections_come_through_its_own_lemma(word, expected, not_expected):
    forms = lexicon.inflections(word)
    assert expected <= forms
    assert not forms & not_expected
    assert word not in forms


def test_surrender_is_said_as_capitulate_or_give_up():
    related = lexicon.related("surrender")
    assert "capitulate" in related
    assert "give up" in related
    assert related["give up"] > related["capitulate"]  # a synonym above a narrower word
    assert "surrender" not in related


def test_stationed_troops_are_posted():
    related = lexicon.related("stationed")
    assert related["post"] == 0.8  # the only sense of the verb: full synonym weight
    assert related["garrison"] == 0.5
    assert "station" in lexicon.related("posted")


def test_defector_defect_and_defection_are_one_family():
    defector = lexicon.related("defector")
    assert defector["deserter"] == 0.8
    assert defector["defect"] == 0.7
    assert defector["defection"] == 0.5
    assert {"defection", "defector"} <= lexicon.related("defected").keys()


def test_every_weight_is_between_zero_and_one_and_highest_come_first():
    for word in ("surrender", "hold", "bank", "fled", "november", "junta", "quickly"):
        weights = list(lexicon.related(word).values())
        assert weights and all(0 < w < 1 for w in weights)
        assert weights == sorted(weights, reverse=True)


def test_a_word_of_many_senses_brings_each_in_at_less_weight():
    bank = lexicon.related("bank")
    assert 0.3 < bank["depository financial institution"] < 0.6
    assert 0.2 < bank["slope"] < 0.4
    assert max(lexicon.related("hold").values()) < 0.4


def test_stop_words_short_words_and_unknown_words_are_left_out():
    assert not {"in", "out", "up", "the", "go"} & lexicon.related("leave").keys()
    assert lexicon.related("xqzzy") == {}


def test_multiword_lemmas_are_found_in_a_token_list_inflected():
    words = tokens("The rebels threw in the towel after a week.")
    assert lexicon.phrase_lemma(words, 2) == (4, "throw in the towel")
    assert lexicon.phrase_lemma(words, 1) is None
    assert lexicon.phrase_lemma(words, 99) is None
    assert lexicon.related("throw in the towel")["give up"] == 0.8
    assert "quit" in lexicon.related("throw in the towel")


def test_gave_up_and_gives_up_are_give_up_which_can_be_surrender():
    words = tokens("He gave up; she gives up")
    assert lexicon.find_phrases(words) == [(1, (2, "give up")), (4, (2, "give up"))]
    related = lexicon.related("give up")
    assert {"surrender", "quit", "abandon", "relinquish"} <= related.keys()


def test_a_possessive_stands_for_ones_in_a_multiword_lemma():
    words = tokens("She lost her temper")
    assert lexicon.phrase_lemma(words, 1) == lexicon.PhraseMatch(length=3, lemma="lose one's temper")


def test_the_longest_multiword_lemma_wins():
    words = tokens("the heads of state met in New York City")
    assert lexicon.find_phrases(words) == [(1, (3, "head of state")), (6, (3, "new york city"))]


def test_antonyms_for_negation_mismatches():
    assert lexicon.antonyms("increase") == {"decrease"}
    assert "decrease" in lexicon.antonyms("increased")  # the verb's, and the adjective's "decreased"
    assert "lose" in lexicon.antonyms("win")
    assert lexicon.antonyms("paris") == frozenset()


def test_kind_of_names_the_lexicographer_files_of_frequent_noun_senses():
    assert lexicon.kind_of("november") == {"noun.time"}
    assert lexicon.kind_of("paris") == {"noun.location"}  # the Trojan prince is a rare sense
    assert lexicon.kind_of("junta") == {"noun.group"}
    assert lexicon.kind_of("defector") == {"noun.person"}
    assert lexicon.kind_of("miles") == {"noun.quantity"}
    assert lexicon.kind_of("quickly") == frozenset()


@pytest.mark.parametrize(
    ("word", "category", "expected"),
    [
        ("paris", "city", True),  # an instance of a national capital, a kind of city
        ("Chicago", "city", True),
        ("new york", "city", True),
        ("france", "country", True),
        ("france", "city", False),
        ("bank", "city", False),
        ("lincoln", "person", True),
        ("president", "person", True),
        ("dog", "animal", True),
        ("november", "month", True),
        ("city", "city", True),
        ("xqzzy", "city", False),
    ],
)
def test_is_a_follows_hypernyms_of_frequent_senses(word, category, expected):
    assert lexicon.is_a(word, category) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("licence", {"license"}),
        ("licences", {"license"}),
        ("colour", {"color"}),
        ("catalogue", {"catalog"}),  # two letters apart, in a long word
        ("post", set()),  # "spot" is a synonym two letters away, but another word
        ("hustle", set()),  # "bustle": another first letter
        ("xqzzy", set()),
    ],
)
def test_spellings_are_close_synonyms_with_the_same_first_letter(word, expected):
    assert lexicon.spellings(word) == expected
