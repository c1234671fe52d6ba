"""Notebooks 00-02: the linear unit and circuit in core, and their explorers, headless.

Widget tests set a control's .value and assert on what the artists hold; fuzz tests move every
control to random values (extremes included) and require no error and no warning.
"""
import time
import warnings

import numpy as np
import pytest

import core
from core import gradcheck, preprocess
from core.demos import circuit, linear_unit
from core.demos.clouds import covariance_ellipse
from widgets.data_browser import DataBrowser
from widgets.preprocessing import PreprocessingExplorer, PreprocessingSpeedExplorer
from widgets.training_loop import ChainRuleExplorer, MiniBatchExplorer


@pytest.fixture(scope="module")
def digits():
    return core.data.load_digits(rng=0)


# ---- core: the linear unit (delta rule) ---------------------------------------------------------
def test_delta_rule_is_minus_the_gradient_of_the_squared_error():
    rng = np.random.default_rng(0)
    W, X, T = rng.standard_normal((3, 5)), rng.standard_normal((4, 5)), rng.standard_normal((4, 3))
    numeric = gradcheck.numerical_gradient(lambda w: linear_unit.squared_error(w, X, T), W.copy())
    assert gradcheck.rel_error(-numeric, linear_unit.delta_rule(W, X, T)) < 1e-7


def test_squared_error_by_hand():
    W = np.array([[1.0, 2.0]])
    X = np.array([[1.0, 1.0], [0.0, 1.0]])
    T = np.array([[4.0], [1.0]])  # outputs 3 and 2: errors 1 and -1
    assert linear_unit.squared_error(W, X, T) == pytest.approx(1.0)
    np.testing.assert_allclose(linear_unit.delta_rule(W, X, T), [[1.0, 0.0]])


def test_mean_squared_error_on_a_stack_matches_one_by_one():
    X, t = linear_unit.regression_2d(50, 0.5, 0.1, rng=1)
    weights = np.random.default_rng(2).standard_normal((7, 2))
    stacked = linear_unit.mean_squared_error(weights, X, t)
    one_by_one = [0.5 * np.mean((t - X @ w) ** 2) for w in weights]
    np.testing.assert_allclose(stacked, one_by_one, rtol=1e-10)


def test_full_batch_descent_reaches_least_squares_and_batch_n_is_deterministic():
    X, t = linear_unit.regression_2d(100, 0.8, 0.3, rng=0)
    run = linear_unit.descent_path(X, t, (0.0, 0.0), 0.5, 100, 300, rng=0)
    best = np.linalg.lstsq(X, t, rcond=None)[0]
    np.testing.assert_allclose(run["weights"][-1], best, atol=1e-6)
    assert run["diverged_at"] is None and np.all(np.diff(run["loss"]) <= 1e-12)
    again = linear_unit.descent_path(X, t, (0.0, 0.0), 0.5, 100, 300, rng=99)
    np.testing.assert_array_equal(run["weights"], again["weights"])


def test_batch_one_is_noisy_and_too_high_a_rate_diverges():
    X, t = linear_unit.regression_2d(100, 0.8, 0.3, rng=0)
    noisy = linear_unit.descent_path(X, t, (-2.0, 3.0), 0.3, 1, 60, rng=0)
    assert np.any(np.diff(noisy["loss"]) > 0)
    lmax = np.linalg.eigvalsh(X.T @ X / 100).max()
    high = linear_unit.descent_path(X, t, (-2.0, 3.0), 2.2 / lmax, 100, 200, rng=0)
    assert high["diverged_at"] is not None
    assert high["loss"][-1] > 3 * high["loss"][0]
    assert high["weights"].shape[0] == high["diverged_at"] + 1


@pytest.mark.parametrize("kwargs, name", [
    ({"learning_rate": 0.0}, "learning_rate"), ({"learning_rate": np.nan}, "learning_rate"),
    ({"batch_size": 0}, "batch_size"), ({"batch_size": 101}, "batch_size"), ({"batch_size": 2.5}, "batch_size"),
    ({"num_steps": -1}, "num_steps"), ({"w_start": (1.0, 2.0, 3.0)}, "w_start"), ({"w_start": "ab"}, "w_start"),
    ({"explode_factor": 0.5}, "explode_factor"), ({"rng": -3}, "rng"),
])
def test_descent_path_rejects_bad_arguments(kwargs, name):
    X, t = linear_unit.regression_2d(100, rng=0)
    X_before, t_before = X.copy(), t.copy()
    args = dict(X=X, t=t, w_start=(0.0, 0.0), learning_rate=0.1, batch_size=10, num_steps=5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        linear_unit.descent_path(**args)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(t, t_before)


def test_linear_unit_rejects_bad_shapes():
    W, X, T = np.zeros((3, 5)), np.zeros((4, 5)), np.zeros((4, 3))
    with pytest.raises(ValueError, match="X"):
        linear_unit.squared_error(W, np.zeros((4, 6)), T)
    with pytest.raises(ValueError, match="T"):
        linear_unit.delta_rule(W, X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="w"):
        linear_unit.mean_squared_error(np.zeros(3), np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="noise"):
        linear_unit.regression_2d(noise=-1.0)
    with pytest.raises(ValueError, match="w_true"):
        linear_unit.regression_2d(w_true=(1.0,))


# ---- core: the circuit and the correlated cloud -------------------------------------------------
def test_circuit_gradients_match_numerical_ones():
    rng = np.random.default_rng(0)
    for _ in range(5):
        inputs = rng.uniform(-5, 5, 4)
        values, grads = circuit.forward_backward(*inputs)
        assert values["f"] == pytest.approx((inputs[0] * inputs[1] + inputs[2]) * inputs[3])
        numeric = gradcheck.numerical_gradient(lambda v: circuit.forward(*v)["f"], inputs.copy())
        assert gradcheck.rel_error([grads[k] for k in circuit.INPUTS], numeric) < 1e-7


def test_circuit_lecture_values():
    values, grads = circuit.forward_backward(3, -2, 4, -3)
    assert (values["q"], values["s"], values["f"]) == (-6, -2, 6)
    assert [grads[k] for k in "xyzw"] == [6, -9, -3, -2]


@pytest.mark.parametrize("bad", ["a", None, np.nan, np.inf])
def test_circuit_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match="z"):
        circuit.forward(1.0, 2.0, bad, 3.0)


def test_correlated_gaussian_has_the_asked_covariance():
    X = core.data.correlated_gaussian(20000, 0.6, 2.0, (1.0, -3.0), rng=0)
    np.testing.assert_allclose(X.mean(axis=0), [1.0, -3.0], atol=0.05)
    np.testing.assert_allclose(np.cov(X, rowvar=False), [[4.0, 1.2], [1.2, 1.0]], atol=0.08)


@pytest.mark.parametrize("kwargs, name", [
    ({"num_points": 0}, "num_points"), ({"correlation": 1.5}, "correlation"), ({"scale": 0.0}, "scale"),
    ({"offset": (1.0, 2.0, 3.0)}, "offset"), ({"offset": (np.nan, 0.0)}, "offset"), ({"offset": "ab"}, "offset"),
    ({"rng": "seed"}, "rng"),
])
def test_correlated_gaussian_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        core.data.correlated_gaussian(**kwargs)


# ---- ChainRuleExplorer --------------------------------------------------------------------------
def test_chain_rule_explorer_shows_values_and_gradients():
    e = ChainRuleExplorer()
    assert e.value_texts["f"].get_text() == "6" and e.grad_texts["x"].get_text() == "6"
    e.w.value = 0.0
    assert all(e.grad_texts[k].get_text() == "0" for k in "xyz")
    assert e.value_texts["f"].get_text() == "0"
    e.apply(x=3.0, y=0.0, z=4.0, w=-3.0)
    assert e.grad_texts["x"].get_text() == "0" and e.grad_texts["y"].get_text() == "-9"
    assert "df/dx = 0" in e.message and e.last_error is None


# ---- MiniBatchExplorer --------------------------------------------------------------------------
def test_mini_batch_explorer_draws_both_paths():
    e = MiniBatchExplorer()
    e.apply(batch_size=1, learning_rate=0.3, num_steps=60)
    x, y = e.batch_path.get_data()
    assert len(x) == 61
    np.testing.assert_allclose(np.c_[x, y], e.batch_run["weights"])
    full = linear_unit.descent_path(e.X, e.t, e.W_START, 0.3, e.X.shape[0], 60)
    np.testing.assert_allclose(np.column_stack(e.full_path.get_data()), full["weights"])
    np.testing.assert_allclose(e.full_loss.get_ydata(), full["loss"])
    assert np.any(np.diff(e.batch_loss.get_ydata()) > 0)       # noisy
    assert np.all(np.diff(e.full_loss.get_ydata()) < 0)        # smooth
    assert e.batch_path.get_visible() and "batch 1 of 100" in e.message


def test_mini_batch_explorer_full_batch_shows_one_path():
    e = MiniBatchExplorer()
    e.batch_size.value = e.batch_size.max
    assert not e.batch_path.get_visible() and e.full_path.get_visible()
    assert e.message.startswith("full batch (100 patterns)")


def test_mini_batch_explorer_labels_divergence():
    e = MiniBatchExplorer()
    e.apply(**e.presets["learning rate too high (1.2)"])
    assert "full batch diverged at step" in e.message and "> 3 x" in e.message
    assert "diverged" in e.path_verdict.get_text()
    assert e.full_run["diverged_at"] is not None and e.last_error is None
    e.apply(**e.presets["batch 1 at lr 0.8: full batch is fine, batch 1 diverges"])
    assert "mini-batch diverged" in e.message and "full batch diverged" not in e.message


# ---- PreprocessingExplorer ----------------------------------------------------------------------
def test_preprocessing_explorer_panels():
    e = PreprocessingExplorer()
    e.apply(correlation=0.7, scale=2.5, offset=4.0, num_points=500)
    panels = {method: e.scatters[i].get_offsets() for i, method in enumerate(["none", "center", "standardize",
                                                                              "pca", "whiten"])}
    assert all(p.shape == (500, 2) for p in panels.values())
    assert np.all(panels["none"].mean(axis=0) > 3)
    np.testing.assert_allclose(panels["center"].mean(axis=0), 0, atol=1e-9)
    normalized = np.cov(panels["standardize"], rowvar=False, bias=True)
    np.testing.assert_allclose(np.diag(normalized), 1, atol=1e-9)
    assert normalized[0, 1] > 0.6                                   # still correlated
    assert abs(np.cov(panels["pca"], rowvar=False)[0, 1]) < 1e-9     # decorrelated
    np.testing.assert_allclose(np.cov(panels["whiten"], rowvar=False, bias=True), np.eye(2), atol=1e-4)
    limits = {ax.get_xlim() for ax in e.axes} | {ax.get_ylim() for ax in e.axes}
    assert len(limits) == 1                                          # the same axis limits everywhere
    assert "0.71" in e.cov_texts[2].get_text() and "-0.00" not in "".join(t.get_text() for t in e.cov_texts)


def test_preprocessing_explorer_point_count_and_ellipse():
    e = PreprocessingExplorer()
    e.num_points.value = 20
    assert e.scatters[0].get_offsets().shape == (20, 2)
    ellipse = covariance_ellipse(np.zeros(2), np.diag([4.0, 1.0]))
    np.testing.assert_allclose(np.abs(ellipse).max(axis=0), [4.0, 2.0], atol=0.02)


# ---- PreprocessingSpeedExplorer -----------------------------------------------------------------
def test_speed_explorer_plots_both_runs(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=300, num_epochs=3)
    e.apply(method="standardize", learning_rate=1.0)
    np.testing.assert_allclose(e.cost.get_ydata(), e.result.loss_history)
    np.testing.assert_allclose(e.raw_cost.get_ydata(), e.raw_result.loss_history)
    assert e.raw_cost.get_ydata()[0] == pytest.approx(np.log(10), abs=0.01)
    assert e.cost_legend.get_texts()[1].get_text() == "standardize"
    assert e.result.final_cost(10) < e.raw_result.final_cost(10)
    e.method.value = "whiten"
    assert e.cost_legend.get_texts()[1].get_text() == "whiten"
    assert "(whiten)" in e.message and e.last_error is None


def test_speed_explorer_labels_divergence(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=300, num_epochs=3)
    e.apply(method="standardize", learning_rate=10.0)
    assert "standardize: diverged at iteration" in e.message
    assert "diverged" in e.verdict.get_text()


def test_speed_explorer_sweep_fills_the_table(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=200, num_epochs=1)
    table = e.sweep_table()
    assert set(table) == set(preprocess.METHODS)
    assert all(np.isnan(row).all() for row in table.values())  # nothing swept yet
    table = e.sweep()
    assert not any(np.isnan(row).any() for row in table.values())
    assert table["center"][0] == e.run("center", e.SWEEP_RATES[0]).final_cost(10)
    e.update()
    np.testing.assert_allclose(e.sweep_lines["center"].get_ydata(),
                               np.where(np.isinf(table["center"]), np.nan, table["center"]))
    assert not e.sweep_hint.get_visible()


def test_speed_explorer_background_sweep(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=200, num_epochs=1)
    drawn = []  # at every new picture: how many of the sweep's 45 runs its panel shows (a cost or an x)
    e.image.observe(lambda change: drawn.append(sum(np.isfinite(line.get_ydata()).sum() + len(x.get_xdata())
                                                    for line, x in zip(e.sweep_lines.values(),
                                                                       e.sweep_diverged.values()))),
                    names="value")
    e.sweep_button.click()
    e.wait(60)
    assert e.last_error is None
    total = len(preprocess.METHODS) * len(e.SWEEP_RATES)
    assert drawn[-1] == total and any(0 < n < total for n in drawn)  # partial results were drawn as the sweep ran
    assert all(np.isfinite(row).any() or np.isinf(row).any() for row in e.sweep_table().values())



def test_speed_explorer_sweep_paused_by_stop_carries_on_with_the_next_change(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=200, num_epochs=1)
    e.sweep_button.click()
    deadline = time.perf_counter() + 60
    while e.progress.value < 0.2 and time.perf_counter() < deadline:
        time.sleep(0.002)
    e.stop()
    e.wait(60)
    assert e.stopped and e.sweeping and "Stopped" in e.message
    assert any(np.isnan(row).any() for row in e.sweep_table().values())  # paused in mid-sweep
    e.learning_rate.value = 1.0
    e.wait(120)
    assert not e.sweeping and e.last_error is None
    assert not any(np.isnan(row).any() for row in e.sweep_table().values())

# ---- DataBrowser --------------------------------------------------------------------------------
def test_data_browser_shows_the_example(digits):
    b = DataBrowser(digits)
    b.index.value = 17
    np.testing.assert_allclose(b.big.get_array(), digits["X_train"][17].reshape(8, 8))
    assert f"label {digits['y_train'][17]}" in b.big_title.get_text()
    framed = [c for c, frame in b.frames if frame.get_visible()]
    assert set(framed) == {int(digits["y_train"][17])}
    b.index.value = 1000
    b.split.value = "test"
    assert b.index.max == 299 and b.index.value == 299
    np.testing.assert_allclose(b.big.get_array(), digits["X_test"][299].reshape(8, 8))
    assert b.message.startswith("test split: 300 examples") and b.last_error is None


# ---- fuzz: random control values, extremes included, never an error or a warning ------------------
def _fuzz(explorer, controls, rounds, rng):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in controls:                      # every control's extremes first
            control = getattr(explorer, name)
            if hasattr(control, "min"):
                for value in (control.min, control.max):
                    control.value = value
                    assert explorer.last_error is None, (name, value, explorer.last_error)
        for _ in range(rounds):
            name = controls[rng.integers(len(controls))]
            control = getattr(explorer, name)
            if hasattr(control, "options"):
                options = [o[1] if isinstance(o, tuple) else o for o in control.options]
                value = options[rng.integers(len(options))]
            elif hasattr(control, "base"):         # log slider: uniform in the exponent
                value = control.base ** rng.uniform(control.min, control.max)
            elif isinstance(control.value, int):
                value = int(rng.integers(control.min, control.max + 1))
            else:
                value = float(rng.uniform(control.min, control.max))
            control.value = value
            assert explorer.last_error is None, (name, value, explorer.last_error)
        for label in explorer.presets:
            explorer.preset.value = label
            assert explorer.last_error is None, (label, explorer.last_error)


def test_fuzz_chain_rule_explorer():
    _fuzz(ChainRuleExplorer(), ["x", "y", "z", "w"], 15, np.random.default_rng(0))


def test_fuzz_mini_batch_explorer():
    _fuzz(MiniBatchExplorer(), ["batch_size", "learning_rate", "num_steps"], 15, np.random.default_rng(0))


def test_fuzz_preprocessing_explorer():
    _fuzz(PreprocessingExplorer(), ["correlation", "scale", "offset", "num_points"], 15, np.random.default_rng(0))


def test_fuzz_preprocessing_speed_explorer(digits):
    e = PreprocessingSpeedExplorer(digits, num_train=150, num_epochs=2)
    _fuzz(e, ["method", "learning_rate", "num_epochs"], 12, np.random.default_rng(0))


def test_fuzz_data_browser(digits):
    _fuzz(DataBrowser(digits), ["split", "index"], 15, np.random.default_rng(0))


# ---- blitting: the cached background plus the moving artists is the same picture as a full draw ---
@pytest.mark.parametrize("make, control, values", [
    (ChainRuleExplorer, "x", [1.0, -4.5]),
    (MiniBatchExplorer, "learning_rate", [0.05, 1.5]),
    (PreprocessingExplorer, "correlation", [-0.5, 0.9]),
    ("browser", "index", [3, 400]),
])
def test_blitted_picture_equals_a_full_draw(make, control, values, digits):
    explorer = DataBrowser(digits) if make == "browser" else make()
    for value in values:
        getattr(explorer, control).value = value
        blitted = explorer.pixels()
        assert explorer.blitter.background is not None  # it did blit (a cached picture exists)
        np.testing.assert_array_equal(blitted, explorer.pixels(full=True))
