"""SearchDashboard, headless: run a search, stop it mid-way, refine, the edge warning, random slider values."""
import time
import warnings

import numpy as np
import pytest

import core
from core import search
from widgets.search import SearchDashboard

SEED = 0


@pytest.fixture(scope="module")
def data():
    d = core.preprocess.preprocess(core.data.load_digits(rng=SEED), "standardize")
    return {"X_train": d["X_train"][:500], "y_train": d["y_train"][:500], "X_val": d["X_val"], "y_val": d["y_val"]}


def small(data, **kwargs):
    db = SearchDashboard(data, seed=SEED, **kwargs)
    db.apply(num_configs=10, num_epochs=2)
    return db


def test_run_fills_scatter_table_and_message(data):
    db = small(data)
    assert db.results is None and "press Run" in db.message
    db.run(wait=True)
    assert db.last_error is None
    results = db.results
    assert len(results) == 10 and not results.stopped
    finished = [t for t in results.trials if t.status == "finished"]
    assert db.points.get_offsets().shape == (len(finished), 2)
    assert np.allclose(db.points.get_array(), [t.val_acc for t in finished])
    assert db.crosses.get_offsets().shape[0] == 10 - len(finished)
    assert db.table.value.count("<tr") == 11   # header + top 10
    assert "10 / 10 configurations" in db.message
    best = results.best
    assert np.allclose(db.best_mark.get_xdata(), [best.config["learning_rate"]])
    lows, highs = 10.0 ** np.array(db.lr_range.value)
    assert all(lows <= t.config["learning_rate"] <= highs for t in results.trials)


def test_stop_mid_way_keeps_finished_results(data):
    db = SearchDashboard(data, seed=SEED)
    db.apply(num_configs=200, num_epochs=2)
    db.run()
    deadline = time.time() + 60
    while (db.results is None or len(db.results) < 3) and time.time() < deadline:
        time.sleep(0.01)
    db.stop()   # the Stop button
    db.wait()
    results = db.results
    assert results.stopped and 3 <= len(results) < 200
    assert all(t.status in ("finished", "diverged") for t in results.trials)
    assert f"stopped: kept the {len(results)} finished of 200" in db.message
    # only Run starts a search here: the status line must not say that any control carries it on
    assert "Run starts a new search" in db.message and "change any control" not in db.message, db.message
    shown = db.points.get_offsets().shape[0] + db.crosses.get_offsets().shape[0]
    assert shown == len(results)
    assert db.last_error is None and not db.running


def test_a_range_collapsed_to_one_point_is_a_fixed_value(data):
    """Issue 15 fault 7: lr 10^-1 .. 10^-1 searches reg only, every run at lr 0.1; said in the dashboard's terms."""
    db = small(data)
    db.lr_range.value = (-1.0, -1.0)
    assert "lr fixed at 0.1 (its range is one point)" in db.message
    assert list(db.specs()) == ["reg"] and db.fixed_values() == {"learning_rate": pytest.approx(0.1)}
    db.run(wait=True)
    assert db.last_error is None and len(db.results) == 10
    assert all(t.config["learning_rate"] == pytest.approx(0.1) for t in db.results.trials)
    assert len({t.config["reg"] for t in db.results.trials}) == 10 and "lr fixed at 0.1" in db.message
    assert all(w.name != "learning_rate" for w in db.warnings)  # no edge warning about a range not searched
    assert "LogUniform(" not in db.message and "fixed=" not in db.message  # the dashboard's terms, not code
    db.refine()  # narrows reg only; lr stays fixed
    assert db.last_error is None and db.lr_range.value == (-1.0, -1.0)


def test_it_opens_on_the_coarse_range_placed_on_the_cliff(data):
    full = core.preprocess.preprocess(core.data.load_digits(rng=SEED), "standardize")
    db = SearchDashboard(full, seed=SEED)
    assert db.preset.value == "coarse range for this data: lr 10^U(-3,1), reg 10^U(-5,5)" == db.start_case
    assert db.lr_range.value == (-3.0, 1.0) and db.reg_range.value == (-5.0, 5.0)  # digits' values of today
    worrying = [name for name in db.presets if name.startswith("worrying")]
    assert worrying == ["worrying: lr 10^U(-2,-0.9) ends below the best region"]


def test_range_slider_moves_the_search_box(data):
    db = small(data)
    db.lr_range.value = (-4.0, -1.0)
    assert np.allclose(sorted(set(db.box.get_xdata())), [1e-4, 1e-1])
    assert np.allclose([line.get_xdata()[0] for line in db.lr_edges], [1e-4, 1e-1])
    assert db.specs()["learning_rate"] == search.LogUniform.exponents(-4.0, -1.0)


def test_refine_narrows_the_ranges(data):
    db = small(data)
    db.apply(num_configs=20)
    db.run(wait=True)
    old_lr, old_reg = db.lr_range.value, db.reg_range.value
    db.refine()
    (lo, hi), (rlo, rhi) = db.lr_range.value, db.reg_range.value
    assert old_lr[0] <= lo < hi <= old_lr[1] and hi - lo < old_lr[1] - old_lr[0]
    assert old_reg[0] <= rlo < rhi <= old_reg[1] and rhi - rlo < old_reg[1] - old_reg[0]
    best = db.results.best.config
    assert 10 ** lo <= best["learning_rate"] <= 10 ** hi and 10 ** rlo <= best["reg"] <= 10 ** rhi


def test_edge_warning_is_shown():
    # the slide's "worrying" fine stage, on digits: lr 10^U(-2, -1) stops below the best region
    full = core.preprocess.preprocess(core.data.load_digits(rng=SEED), "standardize")
    db = SearchDashboard(full, seed=SEED)
    db.apply(lr_range=(-2.0, -1.0), reg_range=(-5.0, -1.0), num_configs=30, num_epochs=5)
    db.run(wait=True)
    assert db.results.best.config["learning_rate"] > 10 ** -1.1
    assert [w.name for w in db.warnings] == ["learning_rate"] and db.warnings[0].edge == "high"
    assert "WARNING learning_rate" in db.message and "high edge" in db.message
    assert db.edge_text.get_text() == "worrying: best lr at the high edge"
    db.apply(lr_range=(-1.5, 0.0))  # the warning belongs to the results, not to the sliders
    assert "WARNING" in db.message
    db.results = None
    db.update()
    assert "WARNING" not in db.message and "worrying" not in db.edge_text.get_text()


def test_shows_earlier_results(data):
    specs = {"learning_rate": search.LogUniform.exponents(-2.5, 0.5), "reg": search.LogUniform.exponents(-4, 0)}
    results = search.random_search(data, specs, 6, num_epochs=1, rng=SEED)
    db = SearchDashboard(data, results=results)
    assert db.lr_range.value == (-2.5, 0.5) and db.reg_range.value == (-4.0, 0.0)
    assert db.points.get_offsets().shape[0] + db.crosses.get_offsets().shape[0] == 6


def test_fuzz_random_slider_values(data):
    db = small(data)
    db.run(wait=True)
    rng = np.random.default_rng(SEED)
    controls = [db.lr_range, db.reg_range, db.num_configs, db.num_epochs, db.top_k]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(20):
            control = controls[rng.integers(len(controls))]
            if hasattr(control.value, "__len__"):
                a, b = np.sort(rng.uniform(control.min, control.max, 2))
                value = [(control.min, control.max), (control.min, control.min + 0.1), (a, b)][i % 3]
            else:
                value = [control.min, control.max, int(rng.integers(control.min, control.max + 1))][i % 3]
            control.value = value
            assert db.last_error is None, (control.description, value, db.last_error)
        db.refine()
        assert db.last_error is None


# ---- learning-rate range test explorer ------------------------------------------------------------
def test_lr_range_explorer_draws_loss_against_learning_rate(data):
    from widgets.search import LRRangeExplorer

    e = LRRangeExplorer(data, seed=SEED)
    assert e.last_error is None
    rates, losses = e.line.get_xdata(), e.line.get_ydata()
    assert len(rates) == len(losses) == len(e.result.losses) and np.all(np.diff(rates) > 0)
    assert e.result.status == "diverged" and "3 x its start" in e.message
    assert np.allclose(e.explode_line.get_ydata(), 3 * losses[0])
    assert np.allclose(e.end_mark.get_xdata(), [rates[-1]])
    assert 1e-3 < e.best_mark.get_xdata()[0] < rates[-1]
    momentum_best = e.result.best_learning_rate
    e.apply(**e.presets["Adam"])
    assert e.result.best_learning_rate < momentum_best   # Adam's range sits lower


def test_lr_range_explorer_fuzz(data):
    from widgets.search import LRRangeExplorer

    e = LRRangeExplorer(data, num_iterations=60, seed=SEED)
    rng = np.random.default_rng(SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(12):
            e.apply(update_rule=e.update_rule.options[i % len(e.update_rule.options)],
                    batch_size=[e.batch_size.min, e.batch_size.max, int(rng.integers(10, 500))][i % 3],
                    reg=10 ** [e.reg.min, e.reg.max, rng.uniform(-6, 1)][(i + 1) % 3])
            assert e.last_error is None, (e.update_rule.value, e.batch_size.value, e.reg.value, e.last_error)


def test_an_edge_warning_suggests_only_ranges_the_sliders_can_reach():
    from core.search import EdgeWarning, LogUniform
    from widgets.search import REG_BOUNDS
    from widgets.search_text import warning_sentence

    def warn(low, high):
        spec = LogUniform.exponents(low, high)
        return EdgeWarning("reg", "low", 10.0 ** low, spec, LogUniform.exponents(2 * low - high, high))

    wider = warning_sentence(warn(-5, 5), REG_BOUNDS)  # core suggests 10^-15 .. 10^5; the slider stops at 10^-7
    assert "widen its range to 10^-7.0 .. 10^5.0" in wider, wider
    at_end = warning_sentence(warn(-7, 5), REG_BOUNDS)
    assert "widen" not in at_end and "slider's end (10^-7.0)" in at_end, at_end
    assert "10^-15.0" in warning_sentence(warn(-5, 5))  # without bounds: core's suggestion as it is
