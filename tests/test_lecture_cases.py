"""core.demos.lecture_cases: the babysitting cases measured on the loaded data show the lecture's phenomena,
on standardized digits and on raw digits (pixels 0 .. 16, only centred), whose scale differs."""
import numpy as np
import pytest

import core
from core.demos import lecture_cases as lc


def load(name):
    return core.preprocess.preprocess(core.data.load_dataset(name, rng=0), core.data.PREPROCESSING[name])


@pytest.fixture(scope="module")
def digits():
    return load("digits")


@pytest.fixture(scope="module")
def digits_raw():
    return load("digits_raw")


@pytest.fixture(scope="module")
def cases(digits, digits_raw):
    return {"digits": lc.lecture_cases(digits, seed=0), "digits_raw": lc.lecture_cases(digits_raw, seed=0)}


def test_nice_and_grid_below():
    assert lc.nice(0.46) == 0.5 and lc.nice(2.65 / 5) == 0.5 and lc.nice(0.0265) == 0.03
    assert lc.nice(7.0) == 5.0 and lc.nice(8.0) == 10.0 and lc.nice(1.4e-6) == pytest.approx(1e-6)
    below = lc.grid_below(0.5)
    assert [next(below) for _ in range(6)] == [0.3, 0.2, 0.1, 0.05, 0.03, 0.02]  # exact decimals, 0.5 excluded
    with pytest.raises(ValueError, match="value"):
        lc.nice(0)


def test_the_cases_are_ordered_around_the_cliff(cases):
    for c in cases.values():
        low, high = c.rough_range
        assert c.too_low < low <= c.about_right < high < c.cliff <= c.slightly_too_high < c.huge
        assert c.slightly_too_high < 1.5 * c.cliff       # slightly: just above the cliff
        assert c.too_low < c.cliff / 100 and c.huge >= 1e6  # the slide's 1e6 unless the cliff is higher
        assert c.range_test_explodes_at > c.cliff / 10


def test_the_cases_follow_the_data_scale(cases):
    """Raw pixels (std up to 6.5) give gradients on another scale: every rate moves with the cliff."""
    d, r = cases["digits"], cases["digits_raw"]
    assert r.cliff < d.cliff / 3
    assert r.about_right < d.about_right and r.slightly_too_high < d.slightly_too_high and r.too_low < d.too_low
    # digits' constants show the wrong phenomena on raw digits: its 'about right' sits on raw's cliff,
    # its 'slightly too high' five times beyond it
    assert d.about_right > 0.9 * r.cliff and d.slightly_too_high > 5 * r.cliff


@pytest.mark.parametrize("name", ["digits", "digits_raw"])
def test_every_case_shows_its_phenomenon_on_fresh_seeds(name, cases, request):
    """Seeds the cases were not chosen on: each phenomenon holds for most of them."""
    data, c = request.getfixturevalue(name), cases[name]
    fresh = [101, 202, 303, 404, 505, 606]
    s = c.settings

    def share(rate, test, **kwargs):
        return np.mean([test(lc.run(data, s, rate, seed, **kwargs)) for seed in fresh])

    assert share(c.too_low, lc.is_flat_but_creeping) >= 0.5
    assert share(c.about_right, lc.goes_down) == 1.0
    assert share(c.slightly_too_high, lc.falls_then_explodes) >= 0.5
    assert share(c.slightly_too_high, lambda r: r.diverged) >= 0.5
    assert share(c.huge, lc.nan_every_epoch, explode_factor=None) == 1.0
    assert share(c.huge, lambda r: r.diverged_at == 2) == 1.0   # with the 3x rule: stopped at once


@pytest.mark.parametrize("name", ["digits", "digits_raw"])
def test_the_shown_seed_shows_every_case(name, cases, request):
    data, c = request.getfixturevalue(name), cases[name]
    run = lambda rate, **kwargs: lc.run(data, c.settings, rate, 0, **kwargs)
    assert lc.is_flat_but_creeping(run(c.too_low))
    assert lc.goes_down(run(c.about_right))
    assert lc.falls_then_explodes(run(c.slightly_too_high))
    assert lc.nan_every_epoch(run(c.huge, explode_factor=None))


def test_the_predicates_reject_the_wrong_runs(digits):
    s = lc.settings_for(None)
    run = lambda rate: lc.run(digits, s, rate, 0)
    nothing, good, wild = run(1e-6), run(0.5), run(10.0)
    assert not lc.is_flat_but_creeping(nothing)      # the slide's 1e-6 on digits: flat, but no creep at all
    assert not lc.is_flat_but_creeping(good)         # the loss falls
    assert not lc.falls_then_explodes(good)          # never explodes
    assert not lc.falls_then_explodes(wild)          # explodes in the first epoch, before falling
    assert not lc.goes_down(wild) and lc.goes_down(good)
    assert not lc.nan_every_epoch(good)
    assert not lc.nan_every_epoch(wild)              # the rule stopped it: no epoch ends at all


def test_cases_are_cached_per_data_set(digits, digits_raw, cases):
    assert lc.lecture_cases(digits, seed=0) is cases["digits"]
    assert cases["digits"].fingerprint != cases["digits_raw"].fingerprint
    assert lc.fingerprint(digits) == lc.fingerprint({k: v.copy() for k, v in digits.items()})
    changed = dict(digits, X_train=digits["X_train"] * 1.0001)
    assert lc.fingerprint(changed) != lc.fingerprint(digits)


def test_cost_and_presets_are_reported(cases):
    c = cases["digits"]
    assert c.runs > 50 and c.seconds > 0 and c.cpu_seconds > 0
    presets = c.as_presets()
    assert list(presets.values()) == [c.too_low, c.huge, c.slightly_too_high, c.about_right]
    assert f"{c.slightly_too_high:.2g}" in list(presets)[2]
    for name in ("too_low", "about_right", "huge", "slightly_too_high"):
        k, n = c.evidence[name]
        assert 2 * k > n


def test_learning_rate_cliff_of_another_setting(digits):
    sgd = lc.learning_rate_cliff(digits)
    momentum = lc.learning_rate_cliff(digits, {"update": "momentum"})
    assert momentum.cliff < sgd.cliff / 2     # momentum 0.9 multiplies the step by up to 10
    assert sgd.stable < sgd.cliff < 1.1 * sgd.stable
    assert momentum.rate(0.2) == lc.nice(0.2 * momentum.cliff)


def test_bad_input_is_named(digits):
    with pytest.raises(ValueError, match="data must be a dict"):
        lc.lecture_cases({"X_train": digits["X_train"]})
    with pytest.raises(ValueError, match="unknown setting 'hidden'"):
        lc.lecture_cases(digits, {"hidden": 50})
    with pytest.raises(ValueError, match="num_seeds"):
        lc.lecture_cases(digits, num_seeds=0)
    with pytest.raises(ValueError, match="seed"):
        lc.lecture_cases(digits, seed=-1)
    with pytest.raises(ValueError, match="fraction"):
        lc.learning_rate_cliff(digits).rate(-1)


@pytest.mark.slow
def test_a_data_set_scaled_up_tenfold_moves_every_case_down(digits):
    """Inputs ten times larger: gradients far larger, so every case sits far lower; each still shows."""
    scaled = {k: v * 10 if k.startswith("X_") else v for k, v in digits.items()}
    c, d = lc.lecture_cases(scaled, seed=0), lc.lecture_cases(digits, seed=0)
    assert c.cliff < d.cliff / 5
    run = lambda rate, **kwargs: lc.run(scaled, c.settings, rate, 0, **kwargs)
    assert lc.is_flat_but_creeping(run(c.too_low)) and lc.goes_down(run(c.about_right))
    assert lc.falls_then_explodes(run(c.slightly_too_high))
    assert lc.nan_every_epoch(run(c.huge, explode_factor=None))
