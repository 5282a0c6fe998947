"""The short answer: the spans a sentence proposes, the facts each has, the
learned weights that pick one, and their training
(answerer/short_answers.py, assistant/train_spans.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from assistant import train_spans
from assistant.answerer import Assistant
from assistant.answerer.entities import Entity
from assistant.answerer.short_answers import (
    SAID,
    SPAN_MODEL_FILE,
    SpanModel,
    asked_at,
    candidates_with_facts,
    pick,
    proposals,
    shipped_span_model,
)
from assistant.answerer.spans import question_stems

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "data" / "squad"

SENTENCE = ("The station was launched in 1960 by the Canadian investor John Bassett, "
            "who had sought the network's help for two years.")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("station")
    (root / "station.txt").write_text(
        "Toronto television\n\n" + SENTENCE + "\n\n"
        "Its first programme was a news bulletin read by Fred Davis, and the station later joined CTV.\n",
        encoding="utf-8")
    return Assistant.open(root, cache_dir=tmp_path_factory.mktemp("cache"))


def _read(assistant: Assistant, question: str):
    parsed, terms, candidates = assistant.ranked(question, 5)
    return parsed, terms, candidates


def test_the_shipped_model_is_small_says_where_it_comes_from_and_weighs_only_facts_spans_can_have():
    data = json.loads(SPAN_MODEL_FILE.read_text(encoding="utf-8"))
    assert SPAN_MODEL_FILE.stat().st_size < 200_000
    assert "SQuAD v1.1 train" in data["about"] and "assistant.train_spans" in data["about"]
    assert data["weights"] and all(math.isfinite(w) for w in data["weights"].values())
    model = shipped_span_model()
    assert model is not None and model.weights == data["weights"]
    # Every weight is of a fact the rules can state, alone or for a kind of question.
    plain = {name.split(":")[-1].split(">")[-1] for name in data["weights"]}
    assert {"rule", "near", "said", "headed", "quoted", "after_copula", "length_1"} <= plain
    assert any(name.startswith("who:") for name in data["weights"])
    assert any(name.startswith("date>") for name in data["weights"])


def test_proposals_are_spans_of_the_sentence_and_keep_the_rules_name_whole(folder):
    parsed, terms, candidates = _read(folder, "What Canadian investor sought the network's help?")
    document = folder.library.document(candidates[0].document)
    text, span = document.text, candidates[0].span
    assert span.of(text) == SENTENCE
    rule = Entity("person", text.index("John Bassett"), text.index("John Bassett") + len("John Bassett"))
    found = proposals(text, span.start, span.end, terms, question_stems(parsed, terms), rule)
    spans = {text[p.start : p.end]: p.origin for p in found}
    assert spans["John Bassett"] == "rule"
    assert all(span.start <= p.start < p.end <= span.end for p in found)
    assert "John" not in spans and "Bassett" not in spans  # the name the rules found is not cut up
    assert "1960" in spans  # every name, date and number of the sentence is proposed
    assert "investor" not in spans and "Canadian" not in spans  # the question's own words answer nothing


def test_no_proposal_holds_the_mark_of_a_list_item_opening_its_line():
    from assistant.answerer.question import analyze_question
    from assistant.answerer.matching import expand
    from assistant.index import PassageTable, TfidfIndex

    # Release notes letter their items: "v." is no part of "The shell".
    text = "Changes:\n\nv. The shell saves the command history in any shell with HISTFILE set.\n"
    start = text.index("v. The")
    index = TfidfIndex.build([text], PassageTable(np.zeros(1, np.int32), np.ones(1, np.int32),
                                                   np.zeros(1, np.int64), np.zeros(1, np.int64)))
    parsed = analyze_question("What saves the command history?")
    terms = expand(list(parsed.terms), index)
    rule = Entity("phrase", start, text.index(" saves"))
    found = proposals(text, start, len(text) - 1, terms, question_stems(parsed, terms), rule)
    assert found and all(p.start >= text.index("The shell") for p in found)
    assert "The shell" in {text[p.start : p.end] for p in found}
    # A number opening its line without a stop is the answer, not a mark.
    text = "Totals:\n\n127 soldiers surrendered in the town.\n"
    found = proposals(text, text.index("127"), len(text) - 1, terms, set(), Entity("number", text.index("127"),
                                                                                   text.index(" soldiers")))
    assert "127" in {text[p.start : p.end] for p in found}
    # Mid-line, "J. Smith" keeps his initial.
    text = "He left. J. Smith stayed in the town all winter.\n"
    found = proposals(text, text.index("J."), len(text) - 1, terms, set(), Entity("person", text.index("J."),
                                                                                   text.index(" stayed")))
    assert "J. Smith" in {text[p.start : p.end] for p in found}


def test_facts_say_what_a_span_is_and_where_it_stands_for_each_kind_of_question(folder):
    parsed, terms, candidates = _read(folder, "In what year was the station launched?")
    text, span = folder.library.document(candidates[0].document).text, candidates[0].span
    facts = dict((text[p.start : p.end], f) for p, f in
                 candidates_with_facts(text, span, candidates[0].match, parsed, terms, question_stems(parsed, terms),
                                       None))
    year = facts["1960"]
    assert year["kind_date"] == 1.0 and year["after_asked_preposition"] == 1.0  # "in what year" / "in 1960"
    assert year["digit"] == 1.0 and year["length_1"] == 1.0
    assert year[f"{parsed.expects[0]}>kind_date"] == 1.0  # and again for the kind of answer asked
    assert "kind_date" not in facts["John Bassett"]
    assert facts["John Bassett"]["capital"] == 1.0


def test_the_words_around_the_wh_word_are_read():
    asked = asked_at("Harrogate market is in the local what?", None)
    assert asked.before == "local" and asked.after is None
    asked = asked_at("What developmental network was discontinued?", "network")
    assert asked.after == "discontinu" or asked.after.startswith("discontinu")
    assert asked_at("In what season did it end?", None).preposition == "in"


def test_the_model_scores_plain_facts_as_it_scores_them_crossed():
    model = SpanModel({"near": 1.0, "who:near": 0.5, "person>near": 0.25, "what:near": 8.0, "quoted": -1.0})
    weights = model.weights_for("who", "person")
    assert weights["near"] == 1.75 and weights["quoted"] == -1.0
    crossed = {"near": 1.0, "who:near": 1.0, "person>near": 1.0, "quoted": 1.0, "who:quoted": 1.0, "person>quoted": 1.0}
    assert model.score(crossed) == pytest.approx(weights["near"] + weights["quoted"])


def test_the_learned_weights_pick_the_span_and_the_answer_quotes_it_exactly(folder):
    answer = folder.ask("What Canadian investor sought the network's help?")
    first = answer.excerpts[0]
    assert first.answer is not None and first.answer.text == "John Bassett"
    text = folder.library.document(0).text
    assert text[first.answer.start : first.answer.end] == first.answer.text


def test_the_pick_follows_the_weights_not_a_fixed_rule(folder):
    parsed, terms, candidates = _read(folder, "Who read the first news bulletin?")
    text, span = folder.library.document(candidates[0].document).text, candidates[0].span
    said = question_stems(parsed, terms)
    people = SpanModel({"kind_person": 5.0})
    numbers = SpanModel({"kind_person": -5.0, "capital": -5.0, "length_1": 1.0})
    match = candidates[0].match
    assert pick(text, span, match, parsed, terms, said, None, people).of(text) == "Fred Davis"
    assert pick(text, span, match, parsed, terms, said, None, numbers).of(text) != "Fred Davis"


def test_no_short_answer_where_the_rules_give_none(folder):
    answer = folder.ask("Was the station launched in 1960?")
    assert answer.excerpts and all(e.answer is None for e in answer.excerpts)


def test_fitting_learns_the_fact_that_marks_the_best_span_and_is_deterministic():
    rng = np.random.default_rng(0)
    facts, targets, starts = [], [], []
    for _ in range(200):
        starts.append(len(facts))
        best = int(rng.integers(4))
        for i in range(4):
            facts.append({"near": float(rng.random()), **({"quoted": 1.0} if i == best else {})})
            targets.append(1.0 if i == best else 0.0)
    proposals_ = train_spans.Proposals(facts, np.array(targets), np.array(starts))
    weights = train_spans.fit(proposals_)
    assert weights["quoted"] > 2.0 and abs(weights.get("near", 0.0)) < weights["quoted"] / 4
    assert train_spans.fit(proposals_) == weights


def test_model_differences_names_the_weights_that_moved():
    a = SpanModel({"near": 1.0, "quoted": 0.5})
    assert train_spans.model_differences(a, SpanModel({"near": 1.0, "quoted": 0.5})) == []
    moved = train_spans.model_differences(a, SpanModel({"near": 1.2}))
    assert len(moved) == 2 and moved[0].startswith("near") and moved[1].startswith("quoted")


@pytest.mark.skipif(not (SQUAD / "train-v1.1.json").exists(), reason="needs ../shared/data/squad")
def test_the_shipped_span_model_is_what_training_produces(capsys):
    # The whole training run (about two minutes): the file in the package
    # must be the one `python -m assistant.train_spans` writes from the data.
    assert train_spans.main(["--check"]) == 0
    assert "the shipped span model is what training produces" in capsys.readouterr().out


def test_why_says_what_counted_most_for_the_short_answer(folder):
    answer = folder.ask("What Canadian investor sought the network's help?")
    line = next(line for line in answer.why if line.startswith("Its short answer"))
    assert line.startswith("Its short answer, “John Bassett”: ")
    reasons = line.split(": ", 1)[1].rstrip(".").split("; ")
    assert 1 <= len(reasons) <= 3 and all(reason in SAID.values() or reason.startswith("WordNet files") for reason in reasons)
    # A declined answer says why it declined, not why a short answer it does not give.
    declined = folder.ask("What is the population of Toronto?")
    assert not declined.answered and not any(line.startswith("Its short answer") for line in declined.why)


# --- links, paths and entries: the layouts of manuals and reference pages ---------------


@pytest.fixture(scope="module")
def manual(tmp_path_factory):
    root = tmp_path_factory.mktemp("manual")
    (root / "manual.txt").write_text(
        "Configuration\n\n"
        "The user config file is located at $W3M_DIR/config (~/.w3m/config by default).\n\n"
        "The shell of user sync is /bin/sync.\n\n"
        "If a copy of the licence was not distributed with this file, you can obtain one at "
        "http://mozilla.org/MPL/2.0/.\n\n"
        "Groups\n\n"
        "lpadmin: Allows a user to add, modify, and remove printers. Another group allows it too.\n\n"
        "adm: Group adm is used for system monitoring tasks. Members of this group can read many log files. "
        "The members are listed in a file.\n\n"
        "The museum's collections hold works from the countries of East Asia: China, Japan and Korea.\n",
        encoding="utf-8")
    return Assistant.open(root, cache_dir=tmp_path_factory.mktemp("cache"))


def _short(assistant: Assistant, question: str) -> str | None:
    answer = assistant.ask(question)
    first = answer.excerpts[0]
    if first.answer is None:
        return None
    assert first.quote[first.answer.start - first.start : first.answer.end - first.start] == first.answer.text
    return first.answer.text


def test_a_link_an_address_or_a_path_is_one_thing_with_no_name_or_number_inside():
    from assistant.answerer.entities import find_entities
    from assistant.answerer.question import ADDRESS

    text = ("Write to procps@freelists.org or see http://mozilla.org/MPL/2.0/, and keep $W3M_DIR/config "
            "and ~/.w3m/config; and/or 1/2 are not paths.")
    found = [(e.kind, text[e.start:e.end]) for e in find_entities(text)]
    assert (ADDRESS, "procps@freelists.org") in found
    assert (ADDRESS, "http://mozilla.org/MPL/2.0/") in found  # the full stop after it is the sentence's
    assert (ADDRESS, "$W3M_DIR/config") in found and (ADDRESS, "~/.w3m/config") in found
    assert not any(span in ("2.0", "W3M_DIR", "and/or", "or", "1/2") for _, span in found)
    text = "The stream was on CBSSports.com, and procps moved to procps.sourceforge.net in 2002."
    found = [(e.kind, text[e.start:e.end]) for e in find_entities(text)]
    assert (ADDRESS, "CBSSports.com") in found and (ADDRESS, "procps.sourceforge.net") in found


def test_a_windows_path_is_an_address_from_a_drive_a_variable_or_a_server():
    from assistant.answerer.entities import find_entities
    from assistant.answerer.question import ADDRESS

    text = ("Put it in C:\\ProgramData\\pip\\pip.ini, %LocalAppData%\\pip\\Cache or \\\\server\\share\\pip; "
            "C:\\Program Files\\Python holds it. C:\\Temp and then, a\\b and \\n are no paths.")
    found = [text[e.start:e.end] for e in find_entities(text) if e.kind == ADDRESS]
    assert found == ["C:\\ProgramData\\pip\\pip.ini", "%LocalAppData%\\pip\\Cache", "\\\\server\\share\\pip",
                     "C:\\Program Files\\Python", "C:\\Temp"]


def test_a_path_on_a_line_of_its_own_answers_where_even_made_of_the_questions_words(tmp_path):
    # pip's caching page: each system's path is a code block under a tab.
    (tmp_path / "caching.md").write_text(
        "# Caching\n\npip caches what it downloads, to save time.\n\n## Default paths\n\n"
        "````{tab} Linux\n```\n~/.cache/pip\n```\n\npip will also respect `XDG_CACHE_HOME`.\n````\n\n"
        "````{tab} Windows\n```\n%LocalAppData%\\pip\\Cache\n```\n````\n\n"
        "## Avoiding caching\n\nRun it like this:\n\n```\n$ pip install --no-cache-dir x\ndone\n```\n",
        encoding="utf-8")
    assistant = Assistant.open(tmp_path, cache_dir=tmp_path / "cache")
    linux = assistant.ask("where does pip put its cache on linux?")
    assert linux.answered and linux.excerpts[0].quote == "~/.cache/pip"  # (code is its own answer, whole)
    assert assistant.ask("Where is the cache on Windows?").excerpts[0].quote == "%LocalAppData%\\pip\\Cache"
    # Code of several lines shows how; it does not say where.
    assert all("--no-cache-dir" not in e.quote for e in assistant.ask("Where does pip keep its downloads?").excerpts)


def test_a_path_or_a_link_is_the_short_answer_where_one_is_asked_for(manual):
    assert _short(manual, "Where is the user config file?") == "$W3M_DIR/config"
    assert _short(manual, "What is the shell of user sync?") == "/bin/sync"  # not "bin"
    assert _short(manual, "What URL can I obtain the licence from?") == "http://mozilla.org/MPL/2.0/"


def test_asking_for_a_url_or_an_option_asks_for_one_and_needs_no_name_for_it(tmp_path):
    from assistant.answerer.question import ADDRESS, OPTION, analyze_question

    assert analyze_question("What URL goes in the header of my source files?").expects == (ADDRESS,)
    assert analyze_question("Which website hosts the code?").expects == (ADDRESS,)
    assert analyze_question("Which other option does it imply?").expects == (OPTION,)
    (tmp_path / "licence.txt").write_text(
        "How to apply the licence\n\n"
        "Attach the following notice to the header of your source files, with the fields filled in.\n\n"
        "The full text of the Example Licence is kept at http://www.example.org/licenses/LICENSE-2.0 for all.\n\n"
        "Unless required by applicable law, the work is distributed on an \"AS IS\" basis.\n", encoding="utf-8")
    assistant = Assistant.open(tmp_path, cache_dir=tmp_path / "cache")
    # "URL", written in capitals, is the kind of answer asked, not a name
    # the passage must write.
    answer = assistant.ask("What URL is the full text of the Example Licence kept at?")
    assert answer.answered, answer.message
    assert answer.excerpts[0].answer.text == "http://www.example.org/licenses/LICENSE-2.0"


def test_a_word_capitalised_after_an_entrys_term_or_a_full_stop_is_no_name(manual):
    # "Allows" after "lpadmin:" and "Members" after "tasks." open their
    # clause; the text writes both in lower case too.
    from assistant.answerer.short_answers import rule_answer

    for question, junk in (("Which group can add and remove printers?", "Allows"),
                           ("Which group can read the log files?", "Members")):
        parsed, terms, candidates = _read(manual, question)
        text = manual.library.document(candidates[0].document).text
        assert junk in candidates[0].span.of(text)
        rule = rule_answer(text, candidates[0].span, candidates[0].entity, parsed, terms)
        assert rule is None or (rule.of(text) != junk and ". " not in rule.of(text))
        short = _short(manual, question)
        assert short is None or ". " not in short
    # A colon further into a sentence introduces names: "China" stays one.
    from assistant.answerer.entities import capitalised_by_position, find_entities
    text = "The museum holds works from the countries of East Asia: China, Japan and china cups."
    china = next(e for e in find_entities(text) if text[e.start:e.end] == "China")
    assert not capitalised_by_position(text, 0, china)
    entry = "lpadmin: Allows a user to add printers, and allows them to remove printers."
    allows = next(e for e in find_entities(entry) if entry[e.start:e.end] == "Allows")
    assert capitalised_by_position(entry, 0, allows)


def test_a_short_answer_never_runs_across_a_full_stop_inside_a_unit():
    from assistant.answerer.spans import CLAUSE_END, PHRASE_TOKEN, runs_between

    text = "Group adm is used for system monitoring tasks. Members of this group can read many log files."
    tokens = [(m.start(), m.end(), m.group().lower()) for m in PHRASE_TOKEN.finditer(text)]
    matched = [w in ("group", "read") for _, _, w in tokens]
    runs = [text[tokens[r[0]][0] : tokens[r[-1]][1]] for r in runs_between(text, tokens, matched, CLAUSE_END)]
    assert "adm is used for system monitoring tasks" in runs and "Members of this" in runs
    # ... but an abbreviation's full stop is no end: "pp. 384", "Nov. 14", "U.S. Army".
    for text in ("see pp. 384 of Table 12.2", "On Nov. 14 the unit left", "the U.S. Army left"):
        tokens = [(m.start(), m.end(), m.group().lower()) for m in PHRASE_TOKEN.finditer(text)]
        assert len(runs_between(text, tokens, [False] * len(tokens), CLAUSE_END)) == 1


def test_a_compound_that_holds_a_question_word_is_said_for_a_share_and_is_not_the_answer():
    from assistant.answerer.matching import PART_SHARE
    from assistant.corpus import document_from_paragraphs

    assistant = Assistant.from_documents("memory", [document_from_paragraphs("war", "The war", [
        "On Nov. 14, all 127 members of Infantry Battalion (IB) 129 stationed in Laukkai, near the "
        "Myanmar-China border, surrendered.",
    ])])
    question = "What was the name of the battalion that gave up near the Chinese border?"
    parsed, terms, candidates = _read(assistant, question)
    text, span = assistant.library.document(candidates[0].document).text, candidates[0].span
    facts = dict((text[p.start : p.end], f) for p, f in
                 candidates_with_facts(text, span, candidates[0].match, parsed, terms, question_stems(parsed, terms),
                                       None))
    assert facts["Myanmar-China"]["said"] == pytest.approx(PART_SHARE)  # "China" is the question's "Chinese"
    assert facts["Laukkai"].get("said", 0.0) == 0.0
    assert assistant.ask(question).excerpts[0].answer.text == "Infantry Battalion (IB) 129"
