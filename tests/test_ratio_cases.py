"""core.demos.ratios: the update/weight ratio cases of notebook 07, measured on the loaded data."""
import numpy as np
import pytest

import core
from core.demos import ratios


@pytest.fixture(scope="module", params=["digits", "digits_raw"])
def data(request):
    raw = core.data.load_dataset(request.param, rng=0)
    return core.preprocess.preprocess(raw, core.data.PREPROCESSING[request.param])


def test_each_case_shows_its_ratios_for_the_shown_seed(data):
    cases = ratios.ratio_cases(data)
    assert cases["too low"] < cases["healthy"] < cases["too high"]
    for case, verdict in [("too low", "too low"), ("healthy", "healthy"), ("too high", "too high")]:
        result, _ = ratios.ratio_run(data, cases[case])
        assert ratios.verdicts(result) == {verdict}, (case, cases[case])
    # just above the too-high case the run is no longer "every layer too high and finished" or is at the cliff
    cliff = core.demos.lecture_cases.learning_rate_cliff(data, {"hidden_sizes": (50, 50), "init": "xavier",
                                                                "init_scale": None})
    assert cases["too high"] < cliff.cliff


def test_digits_keeps_the_notebooks_rates():
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    cases = ratios.ratio_cases(data)
    assert cases["too low"] == pytest.approx(1e-3) and cases["healthy"] == pytest.approx(0.3)


def test_the_run_is_the_explorers_and_the_cache_is_bounded(data):
    from widgets.monitoring import UpdateRatioExplorer
    e = UpdateRatioExplorer(data, learning_rate=0.01)
    result, net = ratios.ratio_run(data, 0.01)
    assert np.allclose(e.result.loss_history, result.loss_history)
    assert np.allclose(e.ratio_lines[0].get_ydata(), result.update_ratio_history["W1"])
    ratios._CACHE.clear()
    for i in range(ratios._CACHE_SIZE):  # a full cache: measuring this data set drops the oldest entry
        ratios._CACHE[("other data", i)] = {}
    ratios.ratio_cases(data)
    assert len(ratios._CACHE) == ratios._CACHE_SIZE and ("other data", 0) not in ratios._CACHE


def test_bad_num_train_is_named():
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    with pytest.raises(ValueError, match="num_train"):
        ratios.ratio_run(data, 0.1, num_train=0)
