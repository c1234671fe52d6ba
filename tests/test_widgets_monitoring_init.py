"""Headless tests of the monitoring (07) and initialization (08) explorers: set controls, read the artists."""
import warnings

import numpy as np
import pytest

import core
from core import monitor
from core.demos import diagnosis
from core.demos.lecture_cases import learning_rate_cliff
from core.demos.weights import weight_mosaic
from widgets.initialization import InitializationExplorer
from widgets.monitoring import FirstLayerWeightsExplorer, GapExplorer, LossCurveExplorer, UpdateRatioExplorer

D = diagnosis.DIAGNOSES


@pytest.fixture(scope="module")
def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


@pytest.fixture(scope="module")
def init_explorer():
    return InitializationExplorer()


def control_values(control, rng, count):
    """count random values of a control, its extremes first."""
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [options[0], options[-1]] + [options[i] for i in rng.integers(0, len(options), count)]
    if hasattr(control, "base"):  # log slider: min and max are exponents
        exps = np.r_[control.min, control.max, rng.uniform(control.min, control.max, count)]
        return list(control.base ** exps)
    values = np.r_[control.min, control.max, rng.uniform(control.min, control.max, count)]
    return [int(round(v)) for v in values] if isinstance(control.value, int) else list(values)


def fuzz(explorer, controls, count=4):
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in controls:
            control = getattr(explorer, name)
            for value in control_values(control, rng, count):
                control.value = value
                assert explorer.last_error is None, (name, value, explorer.last_error)
                assert explorer.message


# ---- 07: loss curve ---------------------------------------------------------------------------
def test_loss_curve_draws_the_run_and_its_diagnosis(digits):
    e = LossCurveExplorer(digits)
    x, y = e.cost_line.get_data()
    assert len(y) == 100 and np.allclose(y, e.result.loss_history)
    assert e.messages[0] == D["good"]
    assert "diagnosis: " + D["good"] in e.diagnosis.get_text()
    assert np.allclose(e.val_line.get_ydata(), e.result.val_acc_history)


def case(explorer, prefix):
    """The lecture case whose label starts with prefix (its rate follows the data's cliff)."""
    (label,) = [label for label in explorer.presets if label.startswith(prefix)]
    return label


@pytest.mark.parametrize("label, key", [
    ("learning rate too low (0.03)", "slow"),
    ("learning rate too high (3.4)", "exploding"),
    ("good (0.5)", "good"),
    ("bad initialization (init scale 1e-4)", "plateau"),
])
def test_loss_curve_presets_give_their_diagnosis(digits, label, key):
    e = LossCurveExplorer(digits)
    assert e.preset.value == "good (0.5)"  # opens on the case the notebook discusses first
    e.preset.value = label
    assert e.last_error is None
    assert e.messages[0] == D[key]
    assert D[key] in e.diagnosis.get_text()


def test_loss_curve_cases_follow_the_data_or_the_rates_given(digits):
    raw = core.preprocess.preprocess(core.data.load_dataset("digits_raw", rng=0), core.data.PREPROCESSING["digits_raw"])
    cliff = learning_rate_cliff(raw)
    e = LossCurveExplorer(raw)
    assert e.presets[case(e, "learning rate too high")]["learning_rate"] == cliff.rate(1.3) != 3.4
    assert e.learning_rate.value == cliff.rate(0.2) and e.messages[0] == D["good"]
    e.choose_case(case(e, "learning rate too low"))
    assert e.messages[0] == D["slow"]
    given = LossCurveExplorer(digits, too_low=0.01, too_high=5.0, good=0.2)
    assert list(given.presets)[:3] == ["learning rate too low (0.01)", "learning rate too high (5)", "good (0.2)"]
    assert given.learning_rate.value == 0.2 and given.preset.value == "good (0.2)"


def test_loss_curve_labels_a_diverged_run(digits):
    e = LossCurveExplorer(digits)
    e.learning_rate.value = 1e6
    assert e.result.diverged
    assert "diverged" in e.message and "diverged" in e.verdict.get_text()
    e.learning_rate.value = 1e-6
    assert e.verdict.get_text() == "" and e.messages[0] == D["flat"]


def test_loss_curve_fuzz(digits):
    fuzz(LossCurveExplorer(digits), ["learning_rate", "init_scale"])


# ---- 07: train/val gap --------------------------------------------------------------------------
def test_gap_presets(digits):
    e = GapExplorer(digits)
    e.preset.value = "big gap: 100 examples, 20 hidden units, no regularization"
    big_gap = e.gap
    assert big_gap > 0.1 and D["overfitting"] in e.messages
    assert f"gap {big_gap:+.2f}" == e.gap_text.get_text()
    assert np.allclose(e.train_line.get_ydata(), e.result.train_acc_history)
    e.preset.value = "stronger regularization (0.03): smaller gap"
    assert e.gap < big_gap and D["overfitting"] not in e.messages
    e.preset.value = "no gap: 1000 examples, 1 hidden unit"
    assert abs(e.gap) <= 0.05 and D["no_gap"] in e.messages


def test_gap_fuzz(digits):
    fuzz(GapExplorer(digits), ["num_train", "hidden_size", "reg"], count=2)


# ---- 07: update/weight ratio ---------------------------------------------------------------------
def test_update_ratio_lines_table_and_band(digits):
    e = UpdateRatioExplorer(digits)
    assert len(e.ratio_lines) == 3
    assert np.allclose(e.ratio_lines[0].get_ydata(), e.result.update_ratio_history["W1"])
    assert all(monitor.ratio_verdict(r) == "healthy" for r in e.median_ratios.values())
    assert "W3" in e.table_text and "updates" in e.table_text
    assert e.stats["W1"]["updates"]["std"] < e.stats["W1"]["values"]["std"]
    e.learning_rate.value = 1e-3
    assert all(r < 1e-3 for r in e.median_ratios.values())
    assert D["ratio_low"] in e.messages
    e.preset.value = case(e, "too high (2.3)")
    assert all(r > 1e-2 for r in e.median_ratios.values())
    assert D["ratio_high"] in e.messages


def test_update_ratio_opens_healthy_unless_given_a_rate(digits):
    e = UpdateRatioExplorer(digits)
    assert e.preset.value == "healthy (0.3): ratio ~1e-3 .. 1e-2"
    assert list(e.presets)[0].startswith("too low (0.001)")
    given = UpdateRatioExplorer(digits, learning_rate=0.1)
    assert given.learning_rate.value == 0.1 and given.preset.value == "(custom)"


def test_update_ratio_diverged_run(digits):
    e = UpdateRatioExplorer(digits)
    e.learning_rate.value = 10.0
    assert e.result.diverged and "diverged" in e.message and "diverged" in e.verdict.get_text()
    assert D["exploding"] in e.messages or D["nan"] in e.messages


def test_update_ratio_fuzz(digits):
    fuzz(UpdateRatioExplorer(digits), ["learning_rate"], count=6)


# ---- 07: first-layer weights ----------------------------------------------------------------------
def test_first_layer_weights_smoother_with_regularization(digits):
    e = FirstLayerWeightsExplorer(digits)
    image = e.weights_image.get_array()
    assert image.shape == (4 * 9 - 1, 8 * 9 - 1)
    weak = e.roughness
    e.reg.value = 0.1
    strong = e.roughness
    assert strong < weak - 0.2
    assert e.rough_bar.get_height() == pytest.approx(strong)
    assert not np.array_equal(e.weights_image.get_array(), image)


def test_first_layer_weights_cifar_shaped_rows():
    rng = np.random.default_rng(0)
    data = {"X_train": rng.standard_normal((60, 3072)).astype(np.float32), "y_train": rng.integers(0, 10, 60),
            "X_val": rng.standard_normal((20, 3072)).astype(np.float32), "y_val": rng.integers(0, 10, 20)}
    e = FirstLayerWeightsExplorer(data, hidden_size=6, num_epochs=2, learning_rate=0.01)
    assert e.last_error is None
    assert e.weights_image.get_array().shape == (33 - 1, 6 * 33 - 1, 3)


def test_first_layer_weights_rejects_non_image_rows():
    data = {"X_train": np.zeros((10, 5), np.float32), "y_train": np.zeros(10, int),
            "X_val": np.zeros((5, 5), np.float32), "y_val": np.zeros(5, int)}
    with pytest.raises(ValueError, match="64"):
        FirstLayerWeightsExplorer(data)


def test_weight_mosaic_scales_each_unit():
    W = np.stack([np.arange(64.0), -np.arange(64.0) * 7], axis=1)
    mosaic = weight_mosaic(W, (8, 8), columns=2)
    assert mosaic.shape == (8, 17) and np.isnan(mosaic[:, 8]).all()
    assert mosaic[0, 0] == 0 and mosaic[7, 7] == 1 and mosaic[0, 9] == 1


def test_first_layer_weights_fuzz(digits):
    fuzz(FirstLayerWeightsExplorer(digits, num_epochs=5), ["reg"])


# ---- 08: initialization --------------------------------------------------------------------------
def ratio_last_first(e):
    depth = int(e.depth.value)
    return e.stats["std"][depth - 1] / e.stats["std"][0]


def test_initialization_presets_show_the_lecture_cases(init_explorer):
    e = init_explorer
    e.preset.value = "N(0, 0.01) tanh: activations collapse"
    assert e.stats["std"][9] < 1e-4
    e.preset.value = "N(0, 1) tanh: saturate"
    assert e.stats["saturated_fraction"][9] > 0.8
    e.preset.value = "Xavier tanh"
    assert 0.1 < ratio_last_first(e) < 1 and e.stats["saturated_fraction"][9] < 0.01
    e.preset.value = "Xavier ReLU: collapses slowly"
    assert ratio_last_first(e) < 0.1 and e.stats["std"][9] > 1e-3
    e.preset.value = "He ReLU"
    assert 0.5 < ratio_last_first(e) < 2
    assert e.last_error is None


def test_initialization_histograms_and_lines(init_explorer):
    e = init_explorer
    e.apply(activation="tanh", init="xavier", depth=10, width=500)
    counts = e.hist_bars[0].get_data().values
    assert counts.sum() == e.histogram_rows * 500  # every tanh value lies in [-1, 1]
    assert np.allclose(e.std_line.get_ydata(), e.stats["std"])
    assert np.allclose(e.grad_line.get_ydata(), e.grad_magnitude)
    assert e.init_scale.disabled
    e.apply(depth=4, width=100, init="gaussian")
    assert not e.init_scale.disabled
    assert [e.panel_shown(i) for i in range(10)] == [True] * 4 + [False] * 6
    assert not any(artist.get_visible() for panel in e.hist_panels[4:] for artist in panel)  # blank beyond the depth
    assert len(e.std_line.get_ydata()) == 4 and len(e.grad_magnitude) == 4
    assert e.stats["std"][0] == pytest.approx(e.stats["std"][0])  # finite
    e.apply(depth=10, width=500, init="xavier")


def test_initialization_weights_follow_the_init_rule(init_explorer):
    e = init_explorer
    e.apply(init="he", activation="relu")
    net = e._net(10, 500)
    assert net.params["W3"].std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    e.apply(init="gaussian", init_scale=0.5)
    assert e._net(10, 500).params["W3"].std() == pytest.approx(0.5, rel=0.02)


def test_initialization_fuzz(init_explorer):
    fuzz(init_explorer, ["init_scale", "depth", "width", "activation", "init"], count=2)


# ---- issue 15, fault 4: statistics of huge but finite activations --------------------------------
def test_activation_stats_do_not_overflow_in_float32():
    # finite float32 activations of about 3e17: their squares summed in float32 overflow (> 3.4e38)
    a = (3e17 * np.random.default_rng(0).standard_normal((100, 200))).astype(np.float32)
    stats = monitor.activation_stats([a])
    assert np.isfinite(stats["std"][0]) and np.isfinite(stats["mean"][0])
    assert stats["std"][0] == pytest.approx(a.astype(np.float64).std(), rel=1e-9)
    assert stats["mean"][0] == pytest.approx(a.astype(np.float64).mean(), rel=1e-9, abs=1e-9 * 3e17)


def test_initialization_status_shows_a_finite_std_for_huge_activations(init_explorer):
    e = init_explorer
    e.apply(init="gaussian", init_scale=5.62, activation="relu", depth=10, width=200)
    assert np.isfinite(e.stats["std"]).all(), e.stats["std"]
    assert "inf" not in e.message and "nan" not in e.message, e.message
    e.apply(init="xavier", activation="tanh", depth=10, width=500)


def test_init_n01_relu_case_explodes_layer_by_layer_and_the_line_plots_say_layer():
    explorer = InitializationExplorer(num_examples=100, seed=0)
    explorer.choose_case("N(0, 1) ReLU: explodes")
    assert explorer.preset.value == "N(0, 1) ReLU: explodes" and explorer.last_error is None
    growth = np.diff(np.log10(explorer.stats["std"]))
    assert np.all(growth > 1.0)  # N(0, 1) weights on 500 ReLU units: about x16 per layer (sqrt(500 / 2))
    assert "inf" not in explorer.message and "layer 10 7.78e+11" in explorer.message
    assert explorer.ax_stats.get_xlabel() == explorer.ax_grad.get_xlabel() == "layer"


@pytest.mark.parametrize("presenting", [False, True])
def test_initialization_stats_tick_labels_stay_inside_the_figure(presenting):
    """The layout is frozen with labels as wide as "-0.8"; with ReLU and a gaussian scale of 0.15-0.25 the
    activations reach 1e3..1e6, whose plain labels ("1200000") were cut off at the figure's left edge."""
    import widgets
    widgets.present(presenting)
    try:
        explorer = InitializationExplorer(num_examples=100, seed=0)
    finally:
        widgets.present(None)
    renderer = explorer.fig.canvas.get_renderer()
    for scale in (0.01, 0.1, 0.15, 0.2, 0.25, 0.3, 1.0):
        explorer.apply(activation="relu", init="gaussian", init_scale=scale)
        explorer.png(full=True)
        low, high = explorer.ax_stats.get_ylim()
        labels = [t for y, t in zip(explorer.ax_stats.get_yticks(), explorer.ax_stats.get_yticklabels())
                  if low <= y <= high and t.get_text()]  # the ticks drawn (the locator also gives some beyond)
        assert labels
        cut = [t.get_text() for t in labels if t.get_window_extent(renderer).x0 < 0]
        assert cut == [], f"init_scale {scale}: tick labels {cut} leave the figure"
