"""core.search: sampling in log space, refinement, edge warnings, the explosion rule, executors, bad input."""
import concurrent.futures as cf
import math
import threading

import numpy as np
import pytest

import core
from core.search import (
    Choice,
    LogUniform,
    SearchResults,
    Trial,
    Uniform,
    edge_warnings,
    format_trial,
    lr_range_test,
    process_pool,
    random_search,
    refine,
    sample,
)

SEED = 0


@pytest.fixture(scope="module")
def data():
    d = core.preprocess.preprocess(core.data.load_digits(rng=SEED), "standardize")
    return {"X_train": d["X_train"][:500], "y_train": d["y_train"][:500], "X_val": d["X_val"], "y_val": d["y_val"]}


SPECS = {"learning_rate": LogUniform(1e-3, 10.0), "reg": LogUniform(1e-5, 1e1)}


def fake_results(specs, rows):
    """SearchResults from (config, val_acc, status) rows, without training."""
    trials = [Trial(i, config, status, 1.0, acc, acc, 5, None, 0.0, 0) for i, (config, acc, status) in enumerate(rows)]
    return SearchResults(specs, len(rows), 5, trials)


# ---- sampling -----------------------------------------------------------------------------------
def test_log_uniform_is_uniform_in_log_space():
    values = np.array([v["learning_rate"] for v in sample({"learning_rate": LogUniform(1e-6, 1e-3)}, 20000, rng=SEED)])
    assert values.min() >= 1e-6 and values.max() <= 1e-3
    counts, _ = np.histogram(np.log10(values), bins=6, range=(-6, -3))
    assert np.all(np.abs(counts / counts.sum() - 1 / 6) < 0.015)   # every half decade equally likely
    # linear uniform would put ~99.9% above 1e-6 * 1000 / 10; log-uniform puts 1/3 in each decade
    assert abs(np.mean(values < 1e-5) - 1 / 3) < 0.02


def test_exponents_matches_slide_notation_and_uniform_is_linear():
    assert LogUniform.exponents(-5, 5) == LogUniform(1e-5, 1e5)
    values = np.array([c["p_keep"] for c in sample({"p_keep": Uniform(0.2, 1.0)}, 20000, rng=SEED)])
    counts, _ = np.histogram(values, bins=4, range=(0.2, 1.0))
    assert np.all(np.abs(counts / counts.sum() - 0.25) < 0.02)


def test_choice_integer_and_fixed():
    configs = sample({"update": Choice(["sgd", "momentum", "adam"]), "hidden_size": LogUniform(10, 200, integer=True)},
                     300, rng=SEED, fixed={"learning_rate_decay": 0.95})
    assert {c["update"] for c in configs} == {"sgd", "momentum", "adam"}
    assert all(isinstance(c["hidden_size"], int) and 10 <= c["hidden_size"] <= 200 for c in configs)
    assert all(c["learning_rate_decay"] == 0.95 for c in configs)
    assert list(configs[0]) == ["update", "hidden_size", "learning_rate_decay"]


def test_sampling_is_reproducible():
    assert sample(SPECS, 5, rng=3) == sample(SPECS, 5, rng=np.random.default_rng(3))
    assert sample(SPECS, 5, rng=3) != sample(SPECS, 5, rng=4)


# ---- printing and table ---------------------------------------------------------------------------
def test_line_is_the_slides():
    trial = Trial(0, {"learning_rate": 1.405206e-04, "reg": 4.793564e-01}, "finished", 2.0, 0.5, 0.412, 5, None, 0.1, 0)
    assert format_trial(trial, 100) == "val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)"
    trial.status, trial.diverged_at = "diverged", 7
    assert format_trial(trial, 100).endswith("(1 / 100)  diverged at iteration 7")


def test_results_sorted_best_first_diverged_last():
    results = fake_results(SPECS, [({"learning_rate": 0.1, "reg": 1e-3}, 0.5, "finished"),
                                   ({"learning_rate": 5.0, "reg": 1e-3}, 0.9, "diverged"),
                                   ({"learning_rate": 0.3, "reg": 1e-3}, 0.8, "finished")])
    assert [t.index for t in results.sorted()] == [2, 0, 1]
    assert results.best.index == 2
    table = results.table()
    assert [row["val_acc"] for row in table] == [0.8, 0.5, 0.9]
    assert {"learning_rate", "reg", "final_cost", "train_acc", "val_acc", "status", "seconds"} <= set(table[0])
    assert results.format().splitlines()[0].startswith("val_acc: 0.800000, lr: 3.000000e-01")


# ---- coarse -> fine ---------------------------------------------------------------------------------
def test_refine_narrows_in_log_space_around_the_best():
    rows = [({"learning_rate": lr, "reg": reg, "update": u}, acc, "finished")
            for lr, reg, u, acc in [(0.1, 1e-4, "sgd", 0.9), (0.3, 1e-3, "momentum", 0.95), (0.2, 1e-2, "sgd", 0.92),
                                    (1e-3, 1.0, "adam", 0.1), (5.0, 1e-5, "adam", 0.1)]]
    specs = {**SPECS, "update": Choice(["sgd", "momentum", "adam"])}
    new = refine(specs, fake_results(specs, rows), top_k=3, margin=0.1)
    lr, reg = new["learning_rate"], new["reg"]
    # top-3 lr in [0.1, 0.3] padded by 10% of 4 decades (0.4 decade) each side
    assert math.isclose(math.log10(lr.low), -1 - 0.4) and math.isclose(math.log10(lr.high), math.log10(0.3) + 0.4)
    assert math.isclose(math.log10(reg.low), -4 - 0.6) and math.isclose(math.log10(reg.high), -2 + 0.6)
    assert new["update"] == Choice(("sgd", "momentum"))
    assert specs["learning_rate"] == LogUniform(1e-3, 10.0)   # the input is not changed


def test_refine_stays_inside_the_old_range():
    rows = [({"learning_rate": 9.0, "reg": 1e-5}, 0.9, "finished")]
    new = refine(SPECS, fake_results(SPECS, rows), top_k=5)
    assert new["learning_rate"].high == 10.0 and new["reg"].low == 1e-5
    assert new["learning_rate"].low > 1e-3


# ---- edge warnings ------------------------------------------------------------------------------
def test_edge_warning_names_the_hyperparameter_and_the_edge():
    rows = [
        ({"learning_rate": 8.0, "reg": 1e-2}, 0.9, "finished"),
        ({"learning_rate": 0.01, "reg": 1e-5}, 0.5, "finished"),
    ]
    warnings = edge_warnings(SPECS, fake_results(SPECS, rows))
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.name, w.edge, w.value) == ("learning_rate", "high", 8.0)
    assert w.suggestion.low == 1e-3 and w.suggestion.high == pytest.approx(1e3)   # out by half of 4 decades
    assert "learning_rate" in str(w) and "high edge" in str(w) and "worrying" in str(w)


def test_edge_warning_low_edge_and_middle():
    rows = [({"learning_rate": 0.1, "reg": 2e-5}, 0.9, "finished")]
    [w] = edge_warnings(SPECS, fake_results(SPECS, rows))
    assert (w.name, w.edge) == ("reg", "low") and w.suggestion.low < 1e-5
    rows = [({"learning_rate": 0.1, "reg": 1e-2}, 0.9, "finished")]
    assert edge_warnings(SPECS, fake_results(SPECS, rows)) == []


def test_no_edge_warning_at_a_hard_limit():
    specs = {"p_keep": Uniform(0.5, 1.0), "momentum": Uniform(0.5, 0.9)}
    rows = [({"p_keep": 0.99, "momentum": 0.89}, 0.9, "finished")]
    [w] = edge_warnings(specs, fake_results(specs, rows))
    assert w.name == "momentum" and w.suggestion.high <= 1.0   # p_keep cannot go above 1: no warning


def test_diverged_best_does_not_count():
    rows = [
        ({"learning_rate": 9.0, "reg": 1e-2}, 0.95, "diverged"),
        ({"learning_rate": 0.1, "reg": 1e-2}, 0.5, "finished"),
    ]
    assert edge_warnings(SPECS, fake_results(SPECS, rows)) == []


# ---- training: the explosion rule ----------------------------------------------------------------
def test_exploding_configurations_are_diverged_results(data):
    configs = [{"learning_rate": 0.1}, {"learning_rate": 30.0}, {"learning_rate": 1e6}]
    results = random_search(data, {"learning_rate": Choice([0.1, 30.0, 1e6])}, 12, num_epochs=2, rng=SEED)
    by_lr = {t.config["learning_rate"]: t for t in results.trials}
    assert set(by_lr) == {c["learning_rate"] for c in configs}
    assert by_lr[0.1].status == "finished" and by_lr[0.1].epochs == 2
    for lr in (30.0, 1e6):
        t = by_lr[lr]
        assert t.status == "diverged" and 1 <= t.diverged_at <= 5 and t.epochs == 0
    assert results.best.config["learning_rate"] == 0.1


# ---- executors -------------------------------------------------------------------------------------
def summary(results):
    """Everything but the timing, as text (NaN == NaN there)."""
    return sorted(repr((t.index, t.status, t.val_acc, t.train_acc, t.final_cost, t.diverged_at, t.seed,
                        tuple(sorted(t.config.items())))) for t in results.trials)


SMALL = dict(num_configs=8, num_epochs=2, rng=SEED)


def test_results_identical_whatever_the_executor(data):
    reference = summary(random_search(data, SPECS, **SMALL))
    assert len(reference) == 8 and any("diverged" in row for row in reference)
    with cf.ThreadPoolExecutor(2) as pool:
        assert summary(random_search(data, SPECS, executor=pool, chunk_size=3, **SMALL)) == reference
    with cf.ProcessPoolExecutor(2) as pool:
        assert summary(random_search(data, SPECS, executor=pool, **SMALL)) == reference
    with process_pool(2, data) as pool:   # the data sent once per worker
        assert pool.search_data_key is not None
        assert summary(random_search(data, SPECS, executor=pool, chunk_size=1, **SMALL)) == reference


def test_dask_client_is_an_executor(data):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is an optional extra")
    reference = summary(random_search(data, SPECS, **SMALL))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert summary(random_search(data, SPECS, executor=client, **SMALL)) == reference
        assert summary(random_search(data, SPECS, executor=client.get_executor(), chunk_size=2, **SMALL)) == reference


def test_callback_per_configuration_and_stop_keeps_finished(data):
    stop = threading.Event()
    seen = []

    def callback(trial, results):
        seen.append(trial.index)
        if len(seen) == 3:
            stop.set()

    results = random_search(data, SPECS, 20, num_epochs=1, rng=SEED, callback=callback, stop=stop)
    assert results.stopped and len(results) == 3 and seen == [0, 1, 2]
    assert all(t.status in ("finished", "diverged") for t in results.trials)


def test_stop_a_parallel_search_keeps_finished(data):
    stop = threading.Event()
    results = None
    with cf.ProcessPoolExecutor(2) as pool:
        results = random_search(data, SPECS, 40, num_epochs=2, rng=SEED, executor=pool, chunk_size=1,
                                callback=lambda trial, results: stop.set(), stop=stop)
    assert results.stopped and 1 <= len(results) < 40
    full = {t.index: t for t in random_search(data, SPECS, 40, num_epochs=2, rng=SEED).trials}
    for t in results.trials:   # the kept results are the ones a full search gives
        assert repr((t.status, t.val_acc, t.final_cost)) == repr((full[t.index].status, full[t.index].val_acc,
                                                                  full[t.index].final_cost))


# ---- learning-rate range test -------------------------------------------------------------------
def test_lr_range_test_grows_exponentially_and_stops_at_explosion(data):
    r = lr_range_test(data, lr_start=1e-5, lr_end=1e3, num_iterations=160, seed=SEED)
    rates = np.array(r.learning_rates)
    assert r.status == "diverged" and r.diverged_at < 160
    assert len(r.losses) == len(rates) >= r.diverged_at - 1
    assert np.allclose(rates[1:] / rates[:-1], (1e3 / 1e-5) ** (1 / 159))
    assert r.losses[-1] > 3 * r.losses[0] or r.diverged_at == len(rates) + 1
    assert min(r.losses) < 0.5 * r.losses[0]
    assert 1e-2 < r.best_learning_rate < 10


# ---- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("specs, fixed, word", [
    ({"learning_rate": LogUniform(1e-3, 1e-6)}, None, "inverted"),       # the slide's 10**uniform(-3, -6) order
    ({"learning_rate": LogUniform(1e-3, 1e-3)}, None, "empty"),
    ({"learning_rate": LogUniform(0.0, 1e-3)}, None, "learning_rate"),
    ({"p_keep": Uniform(0.9, 0.1)}, None, "inverted"),
    ({"hidden_size": Choice([])}, None, "empty"),
    ({"hidden_size": Uniform(10.2, 10.7, integer=True)}, None, "no integer"),
    ({"learnin_rate": LogUniform(1e-3, 1e-1)}, None, "learnin_rate"),
    ({"learning_rate": (1e-3, 1e-1)}, None, "learning_rate"),
    ({"reg": LogUniform(1e-3, 1e-1)}, {"reg": 1e-3}, "both searched"),
    ({"reg": LogUniform(1e-3, 1e-1)}, {"dropout": 0.5}, "dropout"),
    ({"update": Choice(["sgd", "sdg"])}, None, "sdg"),
    ({"p_keep": Uniform(0.5, 1.5)}, None, "p_keep"),
    ({"reg": LogUniform(1e-3, 1e-1)}, {"activation": "relu6"}, "relu6"),
])
def test_bad_specs_raise_value_error_naming_them(specs, fixed, word):
    with pytest.raises(ValueError, match=word):
        sample(specs, 3, rng=SEED, fixed=fixed)


def test_bad_arguments(data):
    with pytest.raises(ValueError, match="num_configs"):
        random_search(data, SPECS, 0)
    with pytest.raises(ValueError, match="num_epochs"):
        random_search(data, SPECS, 2, num_epochs=0)
    with pytest.raises(ValueError, match="top_k"):
        refine(SPECS, fake_results(SPECS, [({"learning_rate": 0.1, "reg": 1e-3}, 0.5, "finished")]), top_k=0)
    with pytest.raises(ValueError, match="no finished"):
        refine(SPECS, fake_results(SPECS, [({"learning_rate": 5.0, "reg": 1e-3}, 0.1, "diverged")]))
    with pytest.raises(ValueError, match="lr_start"):
        lr_range_test(data, lr_start=1.0, lr_end=1e-3)
    with pytest.raises(ValueError, match="fraction"):
        edge_warnings(SPECS, fake_results(SPECS, []), fraction=0.7)
    with pytest.raises(ValueError, match="chunk_size"):
        random_search(data, SPECS, 2, chunk_size=0)
