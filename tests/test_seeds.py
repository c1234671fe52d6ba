"""core.demos.seeds: claims over many seeds, counted and summarised by hand-checkable numbers."""
import math
import re

import numpy as np
import pytest

from core.demos import seeds


def test_draw_seeds_come_from_one_rng():
    first = seeds.draw_seeds(20, 0)
    assert first == seeds.draw_seeds(20, 0) == seeds.draw_seeds(20, np.random.default_rng(0))
    assert first != seeds.draw_seeds(20, 1)
    assert len(set(first)) == 20 and all(isinstance(s, int) and 0 <= s < 2**31 - 1 for s in first)
    assert seeds.draw_seeds(5, 0) == first[:5]  # a longer study extends a shorter one


def test_draw_seeds_ignore_numpy_global_state():
    np.random.seed(1)
    a = seeds.draw_seeds(10, 3)
    np.random.seed(2)
    np.random.rand(100)
    assert seeds.draw_seeds(10, 3) == a


def fixed_pairs(pairs):
    """A run whose result for the i-th drawn seed is pairs[i] (whatever the seed's value)."""
    order = {s: i for i, s in enumerate(seeds.draw_seeds(len(pairs), 0))}
    return lambda seed: pairs[order[seed]]


def test_compare_counts_wins_ties_losses_and_the_spread_by_hand():
    pairs = [(0.90, 0.88), (0.91, 0.91), (0.85, 0.87), (0.95, 0.90)]  # diffs +2, 0, -2, +5 points
    result = seeds.compare(fixed_pairs(pairs), 4, 0, names=("A", "B"))
    assert (result.wins, result.ties, result.losses) == (2, 1, 1)
    np.testing.assert_allclose(result.differences, [2, 0, -2, 5], atol=1e-9)
    assert result.mean == pytest.approx(1.25)
    assert result.std == pytest.approx(np.std([2, 0, -2, 5], ddof=1))
    assert result.sentence() == "A beats B in 2 of 4 seeds (1 tie); difference +1.2 +- 3.0 points"
    np.testing.assert_array_equal(result.a, [p[0] for p in pairs])


def test_compare_lower_is_better_and_other_units():
    pairs = [(0.1, 1.0), (0.2, 0.9), (0.05, 1.1)]  # A's cost is lower every time
    result = seeds.compare(fixed_pairs(pairs), 3, 0, names=("momentum", "SGD"), higher_is_better=False, scale=1,
                           unit="", verb="ends below")
    assert result.wins == 3 and result.losses == 0
    assert result.mean == pytest.approx(np.mean([0.9, 0.7, 1.05]))
    assert result.sentence(2) == "momentum ends below SGD in 3 of 3 seeds; difference +0.88 +- 0.18"


def test_compare_sentence_with_fixed_words_names_the_ties_always():
    """With fixed_words the words do not depend on the numbers: '(ties: 0)', '(ties: 1)', '(ties: 2)'."""
    masked = set()
    for pairs in ([(0.9, 0.8), (0.9, 0.8)], [(0.9, 0.9), (0.9, 0.8)], [(0.9, 0.9), (0.8, 0.8)]):
        sentence = seeds.compare(fixed_pairs(pairs), 2, 0, names=("A", "B")).sentence(fixed_words=True)
        assert "(ties: " in sentence
        masked.add(re.sub(r"[-+]?\d+(\.\d+)?", "N", sentence))
    assert masked == {"A beats B in N of N seeds (ties: N); difference N +- N points"}
    assert seeds.compare(fixed_pairs([(0.9, 0.9), (0.9, 0.8)]), 2, 0).sentence() == \
        "A beats B in 1 of 2 seeds (1 tie); difference +5.0 +- 7.1 points"


def test_compare_tie_tolerance():
    pairs = [(0.500, 0.499), (0.600, 0.580), (0.400, 0.4005)]
    strict = seeds.compare(fixed_pairs(pairs), 3, 0)
    loose = seeds.compare(fixed_pairs(pairs), 3, 0, tie=0.002)
    assert (strict.wins, strict.ties, strict.losses) == (2, 0, 1)
    assert (loose.wins, loose.ties, loose.losses) == (1, 2, 0)
    assert loose.differences[0] == 0 and loose.differences[1] == pytest.approx(2.0)


def test_compare_gives_both_sides_the_same_seed():
    """Paired: A and B see the same seed, so a run that is identical on both sides only ties."""
    result = seeds.compare(lambda s: (s % 97 / 100, s % 97 / 100), 10, 5)
    assert result.ties == 10 and result.mean == 0 and result.std == 0
    assert result.p_value == 1.0


def test_compare_is_deterministic_and_reports_its_cost():
    run = lambda s: (np.random.default_rng(s).random(), np.random.default_rng(s + 1).random())
    a, b = seeds.compare(run, 20, 7), seeds.compare(run, 20, 7)
    assert a.sentence() == b.sentence() and a.seeds == b.seeds
    assert a.seconds >= 0 and a.cpu_seconds >= 0


@pytest.mark.parametrize("wins, losses, p", [(10, 0, 2 / 1024), (0, 10, 2 / 1024), (5, 5, 1.0), (0, 0, 1.0),
                                             (19, 1, 2 * 21 / 2**20), (12, 8, None)])
def test_sign_test_by_hand(wins, losses, p):
    if p is None:  # 12 of 20: P(X <= 8) = sum C(20, i) for i <= 8, over 2**20, doubled
        p = 2 * sum(math.comb(20, i) for i in range(9)) / 2**20
    assert seeds.sign_test_p(wins, losses) == pytest.approx(p)


def test_compare_rejects_bad_runs_and_arguments_with_clear_messages():
    with pytest.raises(ValueError, match="pair"):
        seeds.compare(lambda s: 0.5, 3, 0)
    with pytest.raises(ValueError, match="returned nan for B"):
        seeds.compare(lambda s: (0.5, float("nan")), 3, 0)
    with pytest.raises(ValueError, match="numbers for A"):
        seeds.compare(lambda s: ("high", 0.5), 3, 0)
    with pytest.raises(ValueError, match="num_seeds"):
        seeds.compare(lambda s: (1.0, 0.0), 1, 0)  # one seed has no spread
    with pytest.raises(ValueError, match="names"):
        seeds.compare(lambda s: (1.0, 0.0), 3, 0, names="AB")
    with pytest.raises(ValueError, match="run must be a function"):
        seeds.compare([(1, 0)], 3, 0)
    with pytest.raises(ValueError, match="rng"):
        seeds.compare(lambda s: (1.0, 0.0), 3, -1)
    with pytest.raises(ValueError, match="scale"):
        seeds.compare(lambda s: (1.0, 0.0), 3, 0, scale=0)


def test_count_and_its_sentence():
    drawn = seeds.draw_seeds(8, 0)
    holds = {s: i % 4 != 0 for i, s in enumerate(drawn)}  # false for seeds 0 and 4 of the draw
    result = seeds.count(lambda s: holds[s], 8, 0)
    assert (result.k, result.n) == (6, 8)
    assert result.sentence("the run explodes after the first epoch") == \
        "the run explodes after the first epoch: in 6 of 8 seeds"
    with pytest.raises(ValueError, match="True or False"):
        seeds.count(lambda s: 1, 3, 0)  # a number is not a verdict


def test_spread_and_its_sentence():
    values = [0.95, 0.97, 0.96, 0.98]
    order = {s: i for i, s in enumerate(seeds.draw_seeds(4, 0))}
    result = seeds.spread(lambda s: values[order[s]], 4, 0)
    assert result.mean == pytest.approx(0.965) and result.std == pytest.approx(np.std(values, ddof=1))
    assert result.sentence("val accuracy") == "val accuracy 0.96 +- 0.01 (0.95 .. 0.98) over 4 seeds"
    assert result.sentence("val accuracy", 1, scale=100, unit="%") == \
        "val accuracy 96.5 +- 1.3 % (95.0 .. 98.0) over 4 seeds"
    with pytest.raises(ValueError, match="finite"):
        seeds.spread(lambda s: float("inf"), 3, 0)
