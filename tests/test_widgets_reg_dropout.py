"""Headless tests of the regularization and dropout explorers (notebooks 09 and 10), and of the
core helpers for dropout as an ensemble of masks."""
import warnings

import numpy as np
import pytest

import core
from core.demos.masks import monte_carlo_outputs, train_with_dropout
from core.demos.weights import train_regularized, weight_summary
from widgets.base import COLORS
from widgets.dropout import DropoutEnsembleExplorer, DropoutOverfitExplorer, DropoutScalingExplorer
from widgets.regularization import RegularizationExplorer


@pytest.fixture(scope="module")
def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


@pytest.fixture(scope="module")
def reg_explorer(digits):
    return RegularizationExplorer(digits)


def fuzz(explorer, controls, num_trials, rng):
    """Set random values (extremes first) on the controls; no error and no warning after each."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in controls:
            control = getattr(explorer, name)
            for extreme in ((control.min, control.max) if hasattr(control, "min") else ()):
                value = 10 ** extreme if type(control).__name__ == "FloatLogSlider" else extreme
                control.value = value
                assert explorer.last_error is None, (name, value, explorer.last_error)
        for _ in range(num_trials):
            name = controls[rng.integers(len(controls))]
            control = getattr(explorer, name)
            if hasattr(control, "options"):
                options = [o[1] if isinstance(o, tuple) else o for o in control.options]
                value = options[rng.integers(len(options))]
            elif type(control).__name__ == "FloatLogSlider":
                value = 10 ** rng.uniform(control.min, control.max)
            elif type(control).__name__ == "IntSlider":
                value = int(rng.integers(control.min, control.max + 1))
            else:
                value = rng.uniform(control.min, control.max)
            control.value = value
            assert explorer.last_error is None, (name, value, explorer.last_error)
            assert explorer.message


# ---- core: dropout as an ensemble of masks ----------------------------------------------------
@pytest.fixture(scope="module")
def dropout_net(digits):
    net, _ = train_with_dropout(digits, 0.5, "inverted", num_train=500, num_epochs=5)
    return net


def test_sampled_mask_probabilities_shape_and_no_side_effects(digits, dropout_net):
    w, rng = dropout_net.params["W1"].copy(), dropout_net.rng
    probs = core.demos.masks.sampled_mask_probabilities(dropout_net, digits["X_val"][:40], 7, rng=3)
    assert probs.shape == (7, 40, 10)
    np.testing.assert_allclose(probs.sum(axis=2), 1.0, rtol=1e-6)
    assert np.array_equal(w, dropout_net.params["W1"]) and dropout_net.rng is rng
    again = core.demos.masks.sampled_mask_probabilities(dropout_net, digits["X_val"][:40], 7, rng=3)
    assert np.array_equal(probs, again)
    assert not np.allclose(probs[0], probs[1])  # different masks, different thinned networks


def test_many_masks_average_to_the_scaled_pass(digits, dropout_net):
    X, y = digits["X_val"], digits["y_val"]
    probs = core.demos.masks.sampled_mask_probabilities(dropout_net, X, 100, rng=0)
    acc = core.demos.ensemble.accuracy_by_size(probs, y)
    assert acc.shape == (100,)
    assert abs(acc[-1] - dropout_net.accuracy(X, y)) <= 0.02
    single = (probs.argmax(axis=2) == y).mean(axis=1)
    assert single.mean() < acc[-1]


def test_mask_helpers_reject_bad_input(digits, dropout_net):
    X = digits["X_val"][:5]
    with pytest.raises(ValueError, match="num_masks"):
        core.demos.masks.sampled_mask_probabilities(dropout_net, X, 0)
    plain = core.FullyConnectedNet(64, [10], 10)
    with pytest.raises(ValueError, match="p_keep"):
        core.demos.masks.sampled_mask_probabilities(plain, X, 3)
    with pytest.raises(ValueError, match="probs"):
        core.demos.ensemble.accuracy_by_size(np.ones((3, 4)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="y"):
        core.demos.ensemble.accuracy_by_size(np.ones((3, 4, 2)) / 2, np.array([0, 1, 2, 0]))


# ---- 09 regularization --------------------------------------------------------------------------
def test_l1_is_sparser_than_l2_at_the_same_strength(reg_explorer):
    reg_explorer.apply(kind="l2", strength=0.01)
    l2_sparsity = reg_explorer.summary["sparsity"]
    reg_explorer.apply(kind="l1", strength=0.01)
    l1_sparsity = reg_explorer.summary["sparsity"]
    assert l1_sparsity > 0.2 > l2_sparsity
    assert f"{l1_sparsity:.2f}" in reg_explorer.sparsity_text.get_text()
    heights = reg_explorer.hist_bars.get_data().values
    assert heights.sum() == pytest.approx(1.0)
    centre = np.argmax(heights)
    assert abs(reg_explorer.hist_bars.get_data().edges[centre]) < 0.03  # the spike sits at zero


def test_max_norm_keeps_every_unit_inside_the_bound(reg_explorer):
    reg_explorer.apply(kind="max_norm", max_norm=0.5)
    norms = reg_explorer.norm_bars.get_data().values
    assert norms.max() <= 0.5 * (1 + 1e-5)
    assert list(reg_explorer.bound_line.get_ydata()) == [0.5, 0.5]
    assert "True" in reg_explorer.ax_norm.get_title()
    assert reg_explorer.strength.disabled and not reg_explorer.max_norm.disabled
    reg_explorer.apply(kind="l2", strength=1e-3)
    assert np.isnan(reg_explorer.bound_line.get_ydata()).all()
    assert reg_explorer.max_norm.disabled and not reg_explorer.strength.disabled


def test_strong_l2_shrinks_the_gap_and_the_weights(reg_explorer):
    reg_explorer.preset.value = "no regularization: big gap"
    none_gap = reg_explorer.train_line.get_ydata()[-1] - reg_explorer.val_line.get_ydata()[-1]
    none_norm = reg_explorer.norm_bars.get_data().values.max()
    reg_explorer.preset.value = "strong L2 (λ = 0.1): smaller gap"
    l2_gap = reg_explorer.train_line.get_ydata()[-1] - reg_explorer.val_line.get_ydata()[-1]
    assert l2_gap < none_gap
    assert reg_explorer.norm_bars.get_data().values.max() < 0.6 * none_norm
    assert "gap" in reg_explorer.message and "L2" in reg_explorer.message


def test_too_strong_regularization_is_labelled_underfitting(reg_explorer):
    reg_explorer.apply(kind="l1", strength=0.1)
    assert reg_explorer.summary["sparsity"] > 0.95
    assert reg_explorer.ax_acc.get_title().startswith("underfitting")
    assert reg_explorer.ax_acc.title.get_color() == COLORS["bad"]
    assert "underfits" in reg_explorer.message
    reg_explorer.apply(kind="max_norm", max_norm=10.0)
    assert "(inactive)" in reg_explorer.ax_norm.get_title()
    assert not reg_explorer.ax_acc.get_title().startswith("underfitting")


def test_train_regularized_rejects_an_unknown_kind(digits):
    with pytest.raises(ValueError, match="kind"):
        train_regularized(digits, kind="l3")
    with pytest.raises(ValueError, match="strength"):
        train_regularized(digits, kind="l1", strength=-1.0)


def test_weight_summary_counts_small_weights():
    w = np.array([[0.0, 0.5], [1e-4, -2.0]])
    s = weight_summary(w)
    assert s["sparsity"] == 0.5
    np.testing.assert_allclose(s["unit_norms"], [1e-4, np.sqrt(4.25)])


def test_regularization_opens_on_no_regularization_at_a_rate_from_the_cliff(digits):
    explorer = RegularizationExplorer(digits)
    assert explorer.preset.value == "no regularization: big gap" == explorer.start_case
    assert explorer.kind.value == "none" and explorer.strength.disabled
    assert explorer.learning_rate == 0.2  # 0.104 x the cliff of this net on standardized digits (notebook 09)
    slower = RegularizationExplorer(digits, learning_rate=0.05)
    assert slower.learning_rate == 0.05 and slower.result.lr_history[0] == pytest.approx(0.05)


def test_regularization_fuzz(reg_explorer):
    fuzz(reg_explorer, ["kind", "strength", "max_norm"], 10, np.random.default_rng(0))


# ---- 10 dropout: the test-time scale ------------------------------------------------------------
def test_monte_carlo_means_match_the_slide():
    out = monte_carlo_outputs(2.0, 0.5, 100_000, rng=0)
    assert out["train"]["vanilla"].mean() == pytest.approx(0.5 * 2.0, abs=0.02)
    assert out["train"]["inverted"].mean() == pytest.approx(2.0, abs=0.03)
    assert out["test"] == {"vanilla": 1.0, "inverted": 2.0, "forgot": 2.0}
    np.testing.assert_allclose(out["train"]["inverted"], out["train"]["vanilla"] / 0.5)  # the same masks
    assert set(np.unique(out["train"]["vanilla"])) == {0.0, 2.0}


def test_scaling_explorer_draws_expectation_and_test_output():
    e = DropoutScalingExplorer()
    e.apply(p_keep=0.25, num_samples=100_000, x=2.0)
    assert e.last_error is None
    assert e.means["vanilla"] == pytest.approx(0.5, abs=0.01)
    assert e.means["inverted"] == pytest.approx(2.0, abs=0.04)
    tests = {kind: e.artists[kind]["test"].get_ydata()[0] for kind in ("vanilla", "inverted", "forgot")}
    assert tests == pytest.approx({"vanilla": 0.5, "inverted": 2.0, "forgot": 2.0})
    assert e.artists["vanilla"]["mean"].get_ydata()[-1] == pytest.approx(e.means["vanilla"])
    assert tests["forgot"] / e.means["forgot"] == pytest.approx(4.0, rel=0.03)  # 1/p too large
    assert "(1/p = 4.00)" in e.message
    titles = [ax.title for ax in e.axes]
    assert [t.get_color() for t in titles] == [COLORS["good"], COLORS["good"], COLORS["bad"]]
    assert "4.0" in titles[2].get_text()
    e.apply(p_keep=1.0, num_samples=100)
    assert e.means["vanilla"] == e.means["inverted"] == 2.0
    assert "1.00x" in e.message
    assert e.axes[2].title.get_color() == COLORS["good"]  # p_keep 1: nothing to forget


# ---- issue 15, fault 6: a Monte Carlo sample in which no unit was kept ----------------------------
def test_too_few_masks_to_estimate_the_mean_is_said_not_divided_by():
    out = monte_carlo_outputs(1.0, 0.05, 10, rng=0)
    assert not out["train"]["vanilla"].any()          # p_keep 0.05, 10 masks: every unit dropped (0.95**10 = 0.6)
    assert core.demos.masks.forgot_scale_ratio(out) is None   # no ratio to a mean of 0
    assert core.demos.masks.forgot_scale_ratio(monte_carlo_outputs(2.0, 0.5, 1000, rng=0)) == pytest.approx(
        2.0, rel=0.1)                                  # enough kept units: about 1 / p_keep


def test_scaling_explorer_says_the_sample_is_too_small():
    e = DropoutScalingExplorer()
    e.apply(p_keep=0.05, num_samples=10, x=1.0)
    assert e.last_error is None and e.means["forgot"] == 0.0
    titles = " ".join(ax.title.get_text() for ax in e.axes)
    assert "inf" not in e.message and "inf" not in titles, (e.message, titles)
    assert "no unit was kept" in e.message and "too few" in e.message
    assert "no unit kept" in e.axes[2].title.get_text()


def test_scaling_fuzz():
    fuzz(DropoutScalingExplorer(), ["p_keep", "num_samples", "x"], 20, np.random.default_rng(1))


# ---- 10 dropout: the ensemble of masks ----------------------------------------------------------
@pytest.fixture(scope="module")
def ensemble_explorer(digits):
    return DropoutEnsembleExplorer(digits)


def test_many_masks_approach_the_scaled_pass(ensemble_explorer):
    e = ensemble_explorer
    e.num_masks.value = 200
    acc = e.acc_line.get_ydata()
    scaled = e.scaled_line.get_ydata()[0]
    assert len(acc) == 200 and abs(acc[-1] - scaled) <= 0.02
    assert e.single_line.get_ydata()[0] < scaled
    assert e.agreement > 0.97
    assert e.scatter.get_offsets().shape == (len(e.data["y_val"]), 2)
    e.num_masks.value = 1
    assert len(e.acc_line.get_xdata()) == 1
    assert len(e.cache) == 1  # moving K does not retrain


def test_ensemble_fuzz(ensemble_explorer):
    fuzz(ensemble_explorer, ["num_masks", "p_keep", "kind"], 6, np.random.default_rng(2))


# ---- 10 dropout against overfitting --------------------------------------------------------------
@pytest.fixture(scope="module")
def overfit_explorer(digits):
    return DropoutOverfitExplorer(digits)


def test_overfit_explorer_draws_both_runs(overfit_explorer):
    e = overfit_explorer
    e.apply(num_train=200, p_keep=0.5, kind="inverted")
    for line in e.lines.values():
        assert np.isfinite(line.get_ydata()).all() and len(line.get_ydata()) == e.num_epochs
    heights = [bar.get_y() + bar.get_height() for bar in e.bars]
    assert heights == pytest.approx([e.base_result.train_acc_history[-1], e.base_result.val_acc_history[-1],
                                     e.result.train_acc_history[-1], e.result.val_acc_history[-1]])
    assert f"gap {e.gaps[0]:.3f}" == e.gap_text[0].get_text()
    assert e.result.val_acc_history[-1] > e.base_result.val_acc_history[-1]  # seed 0, 200 examples
    e.apply(p_keep=0.05, kind="vanilla")  # train accuracy about 0.6
    assert "underfits" in e.message
    e.apply(p_keep=0.5, kind="dropconnect")
    assert e.last_error is None and "DropConnect" in e.message
    assert 200 in e.baselines and len(e.baselines) == 1  # the run without dropout is reused


def test_overfit_fuzz(overfit_explorer):
    fuzz(overfit_explorer, ["p_keep", "num_train", "kind"], 4, np.random.default_rng(3))


# ---- every lecture case of every explorer ---------------------------------------------------------
def test_every_preset_applies_cleanly(reg_explorer, ensemble_explorer, overfit_explorer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for explorer in (reg_explorer, DropoutScalingExplorer(), ensemble_explorer, overfit_explorer):
            for label, values in explorer.presets.items():
                explorer.preset.value = label
                assert explorer.last_error is None, (label, explorer.last_error)
                for name, value in values.items():
                    expected = value if isinstance(value, str) else pytest.approx(value)
                    assert getattr(explorer, name).value == expected, (label, name)
                assert explorer.message


def test_a_bad_learning_rate_is_a_value_error_naming_it(digits):
    for make in (lambda lr: RegularizationExplorer(digits, learning_rate=lr),
                 lambda lr: DropoutEnsembleExplorer(digits, learning_rate=lr),
                 lambda lr: DropoutOverfitExplorer(digits, learning_rate=lr)):
        for bad in (0.0, -0.1, float("nan")):
            with pytest.raises(ValueError, match="learning_rate"):
                make(bad)


@pytest.mark.parametrize("cls", [RegularizationExplorer, DropoutOverfitExplorer])
def test_runs_that_diverge_in_their_first_epoch_are_shown_not_a_crash(digits, cls):
    """A learning rate so large that even the unregularized run diverges before its first epoch (only the
    constructor can ask for one): the explorer is built, says "diverged" and lets no warning out."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = cls(digits, learning_rate=1e3)
    assert explorer.last_error is None
    assert explorer.message.startswith("diverged at iteration")
    assert explorer.result.diverged and explorer.base_result.diverged
