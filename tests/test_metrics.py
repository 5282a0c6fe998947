"""The metric functions against cases computed by hand, after SQuAD's official
evaluate-v2.0.py (normalize_answer, compute_exact, compute_f1)."""

from __future__ import annotations

import pytest

from assistant.metrics import (
    best_exact,
    best_f1,
    compute_exact,
    compute_f1,
    harmonic_mean,
    normalize_answer,
    percentile,
    quote_holds,
    ratio,
)


@pytest.mark.parametrize("raw, normal", [
    ("Denver Broncos", "denver broncos"),  # case
    ("The Denver Broncos!", "denver broncos"),  # leading article, punctuation
    ("  an   apple,\ta pear\n", "apple pear"),  # every article, any white space
    ("A.B.C. and the U.S.", "abc and us"),  # punctuation goes before articles are looked for
    ("Theatre, another anthem", "theatre another anthem"),  # articles only as whole words
    ("rock 'n' roll", "rock n roll"),
    ("“Loyalty Shift”", "loyalty shift"),  # Unicode punctuation too (our one extension)
    ("2001–02", "200102"),
    ("the", ""),
    ("", ""),
])
def test_normalisation_follows_squad(raw, normal):
    assert normalize_answer(raw) == normal


def test_exact_match_after_normalisation():
    assert compute_exact("the Broncos", "Broncos.") == 1
    assert compute_exact("Denver  Broncos", "denver broncos") == 1
    assert compute_exact("Broncos", "Denver Broncos") == 0
    assert compute_exact("", "") == 1


def test_f1_partial_overlap_by_hand():
    # gold {denver, broncos}, predicted {broncos, won}: 1 common token,
    # precision 1/2, recall 1/2, F1 1/2.
    assert compute_f1("Denver Broncos", "Broncos won") == pytest.approx(0.5)
    # gold "one million kyat", predicted "one million kyat 480 usd":
    # 3 common, precision 3/5, recall 3/3, F1 2*(3/5)/(3/5+1) = 0.75.
    assert compute_f1("one million kyat", "one million kyat ($480 USD)") == pytest.approx(0.75)
    # gold "li kyar win", predicted "kyar win": precision 1, recall 2/3, F1 0.8.
    assert compute_f1("Li Kyar Win", "Kyar Win") == pytest.approx(0.8)
    # Tokens count with multiplicity: gold "new new york", predicted "new york york":
    # common new×1 + york×1 = 2, precision 2/3, recall 2/3, F1 2/3.
    assert compute_f1("new new york", "new york york") == pytest.approx(2 / 3)
    assert compute_f1("Broncos", "Panthers") == 0.0


def test_f1_empty_answer_rule():
    # SQuAD: when either side is empty after normalisation, 1 if both are, else 0.
    assert compute_f1("", "") == 1.0
    assert compute_f1("the", "a") == 1.0
    assert compute_f1("Broncos", "") == 0.0
    assert compute_f1("", "Broncos") == 0.0


def test_best_over_gold_answers():
    golds = ["Denver Broncos", "Broncos", "the Broncos of Denver"]
    assert best_exact(golds, "broncos") == 1
    # predicted {broncos, team}: against "Denver Broncos" P 1/2 R 1/2 → 1/2; against
    # "Broncos" P 1/2 R 1 → 2/3; against "broncos of denver" P 1/2 R 1/3 → 2/5. Best 2/3.
    assert best_f1(golds, "Broncos team") == pytest.approx(2 / 3)
    assert best_exact([], "x") == 0 and best_f1([], "x") == 0.0


def test_a_quote_holds_a_gold_answer_on_word_boundaries():
    assert quote_holds("On Nov. 14, all 127 members surrendered.", ["127"])
    assert quote_holds("called the “Loyalty Shift” program", ["Loyalty Shift"])
    assert quote_holds("The Denver Broncos defeated them.", ["the denver broncos"])
    # A possessive ending does not hide the name it follows.
    assert quote_holds("by ousting Aung San Suu Kyi’s government", ["Aung San Suu Kyi"])
    assert quote_holds("the Brotherhood Alliance's Operation 1027", ["Brotherhood Alliance’s"])
    assert not quote_holds("the Brotherhood Alliances", ["Brotherhood Alliance"])
    # Punctuation parts words: a hyphen, a reference mark, a dash.
    assert quote_holds("including a week-long event at the centre", ["a week"])
    assert quote_holds("because of her weight.:110 He was quick", ["her weight"])
    assert quote_holds("Jochi (1185–1226) was born", ["1185"])
    assert not quote_holds("a weeklong event", ["a week"])
    assert quote_holds("It ended in 1963.", ["1999", "1963"])
    assert not quote_holds("In 19634 nothing happened.", ["1963"])
    assert not quote_holds("Brittany is in France.", ["Britain"])
    assert not quote_holds("Anything at all.", ["the"])  # an answer empty once normalised holds nowhere
    assert not quote_holds("Anything at all.", [])


def test_percentiles_interpolate_between_ranks():
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    # rank (5-1)*0.95 = 3.8: 4 + 0.8*(5-4)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95) == pytest.approx(4.8)
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None


def test_ratio_and_harmonic_mean_without_denominator():
    assert ratio(1, 4) == 0.25 and ratio(0, 0) is None
    assert harmonic_mean(0.5, 1.0) == pytest.approx(2 / 3)
    assert harmonic_mean(0.0, 0.0) == 0.0
    assert harmonic_mean(None, 1.0) is None
