"""The numbers the sanity, regularization, dropout and update-race explorers show, computed by core.demos
(issue 11: no maths in widgets). Expected values are worked out by hand in the comments."""
import types

import numpy as np
import pytest

from core.demos import gaps, masks, sanity, surfaces, weights


def _run(train, val):
    """A stand-in for core.trainer.TrainResult: only the histories against_reference reads."""
    return types.SimpleNamespace(train_acc_history=list(train), val_acc_history=list(val))


# ---- core.demos.gaps.against_reference -----------------------------------------------------------
def test_against_reference_by_hand():
    v = gaps.against_reference(_run([0.5, 0.9], [0.5, 0.8]), _run([0.6, 1.0], [0.6, 0.7]), 0.15)
    assert v["train"] == 0.9 and v["val"] == 0.8 and v["gap"] == pytest.approx(0.1)          # 0.9 - 0.8
    assert v["reference_train"] == 1.0 and v["reference_val"] == 0.7
    assert v["reference_gap"] == pytest.approx(0.3)                                           # 1.0 - 0.7
    assert v["underfits"] is False                                                            # 0.9 > 1.0 - 0.15


def test_underfits_only_past_the_margin():
    reference = _run([1.0], [0.8])
    assert gaps.against_reference(_run([0.84], [0.8]), reference, 0.15)["underfits"] is True   # 0.84 < 0.85
    assert gaps.against_reference(_run([0.86], [0.8]), reference, 0.15)["underfits"] is False  # 0.86 > 0.85
    assert gaps.against_reference(_run([0.94], [0.8]), reference, 0.05)["underfits"] is True   # 0.94 < 0.95
    assert gaps.against_reference(_run([0.96], [0.8]), reference, 0.05)["underfits"] is False
    # the margin is in accuracy points, not a fraction of the reference: 0.66 > 0.8 - 0.15 (but < 0.8 x 0.85)
    assert gaps.against_reference(_run([0.66], [0.6]), _run([0.8], [0.7]), 0.15)["underfits"] is False
    # a better train accuracy than the reference is never underfitting (a wrong |difference| would say so)
    assert gaps.against_reference(_run([1.0], [0.8]), _run([0.7], [0.6]), 0.05)["underfits"] is False


def test_the_final_epoch_counts_not_the_best():
    v = gaps.against_reference(_run([1.0, 0.5], [0.9, 0.4]), _run([0.8, 1.0], [0.7, 0.9]), 0.15)
    assert (v["train"], v["val"]) == (0.5, 0.4) and v["underfits"] is True                    # 0.5 < 0.85


def test_a_run_without_epochs_gives_nan_and_no_verdict():
    v = gaps.against_reference(_run([], []), _run([1.0], [0.8]), 0.05)
    assert np.isnan(v["train"]) and np.isnan(v["gap"]) and v["underfits"] is False


def test_the_margins_are_the_documented_ones():
    assert gaps.REGULARIZER_UNDERFIT_MARGIN == 0.15 and gaps.DROPOUT_UNDERFIT_MARGIN == 0.05


# ---- core.demos.weights.max_norm_check ------------------------------------------------------------
def test_max_norm_check_by_hand():
    check = weights.max_norm_check([0.3, 0.7, 0.5], 0.7)
    assert check == {"largest": 0.7, "within": True, "at_bound": 1}  # a unit projected onto c exactly
    assert weights.max_norm_check([0.3, 0.7000035], 0.7)["within"] is True    # float32 rounding: 5e-6 relative
    assert weights.max_norm_check([0.3, 0.71], 0.7) == {"largest": 0.71, "within": False, "at_bound": 1}
    assert weights.max_norm_check([0.2, np.nan], 0.7)["within"] is False       # a diverged net is not within


def test_max_norm_check_counts_the_units_on_the_bound():
    # the projection leaves a clipped unit within float32 rounding of c, on either side
    assert weights.max_norm_check([0.6999965, 0.7000035, 0.5], 0.7)["at_bound"] == 2
    assert weights.max_norm_check([0.699, 0.5], 0.7)["at_bound"] == 0    # 1.4e-3 below c: not on it
    assert weights.max_norm_check([1.2, 1.7], 2.4)["at_bound"] == 0      # c above every norm: inactive


@pytest.mark.parametrize("norms, c", [([], 1.0), ([[1.0]], 1.0), ([1.0], 0.0), ([1.0], -1.0), ([1.0], np.inf)])
def test_max_norm_check_refuses_bad_input(norms, c):
    with pytest.raises(ValueError, match="unit_norms|c must"):
        weights.max_norm_check(norms, c)


# ---- core.demos.sanity: the initial loss over seeds --------------------------------------------------
def test_initial_loss_curves_average_over_seeds_not_scales():
    data_loss = np.array([[2.0, 3.0], [4.0, 5.0]])   # 2 seeds x 2 init scales
    penalty = np.array([[1.0, 2.0], [3.0, 4.0]])
    losses, mean = sanity.initial_loss_curves(data_loss, penalty, 0.5)
    assert np.allclose(losses, [[2.5, 4.0], [5.5, 7.0]])       # data + 0.5 x penalty
    assert np.allclose(mean, [4.0, 5.5])                       # (2.5 + 5.5) / 2, (4 + 7) / 2


def test_initial_loss_curves_over_strengths_at_one_scale():
    losses, mean = sanity.initial_loss_curves(np.array([[2.0], [4.0]]), np.array([[1.0], [3.0]]), np.array([0, 1, 2]))
    assert losses.shape == (2, 3)
    assert np.allclose(mean, [3.0, 5.0, 7.0])                  # mean data 3 + reg x mean penalty 2


def test_initial_loss_at_by_hand():
    check = sanity.initial_loss_at([2.3, 2.2], [10.0, 30.0], 0.01, 10)
    assert np.allclose(check["losses"], [2.4, 2.5])            # 2.3 + 0.1, 2.2 + 0.3
    assert check["mean"] == pytest.approx(2.45) and check["spread"] == pytest.approx(0.1)
    assert check["penalty"] == pytest.approx(0.2)              # 0.01 x (10 + 30) / 2
    assert check["chance"] == pytest.approx(np.log(10)) and check["close"] is False   # |2.45 - 2.303| > 0.02
    near = sanity.initial_loss_at([2.30, 2.31], [1.0, 1.0], 0.0, 10)
    assert near["close"] is True and near["penalty"] == 0.0    # 2.305 within 0.02 of 2.3026


# ---- core.demos.masks: k masks averaged, and the test-time scale ------------------------------------
def test_k_masks_averaged_by_hand():
    probs = np.array([[[0.9, 0.1], [0.2, 0.8]],       # mask 1: predicts 0, 1
                      [[0.3, 0.7], [0.6, 0.4]]])      # mask 2: predicts 1, 0
    y = np.array([0, 1])
    ensemble = {"running": np.cumsum(probs, axis=0), "accuracy_by_k": np.array([1.0, 0.5]),
                "scaled_probs": np.array([[0.4, 0.6], [0.3, 0.7]])}
    one = masks.k_masks_averaged(ensemble, 1, y)
    assert np.allclose(one["probs"], probs[0]) and one["accuracy"] == 1.0
    two = masks.k_masks_averaged(ensemble, 2, y)
    assert np.allclose(two["probs"], [[0.6, 0.4], [0.4, 0.6]])         # (mask 1 + mask 2) / 2
    assert np.allclose(two["p_true"], [0.6, 0.6])                      # class 0 of row 0, class 1 of row 1
    assert np.allclose(two["p_true_scaled"], [0.4, 0.7])
    assert two["agreement"] == 0.5                                     # row 0: 0 vs 1; row 1: 1 vs 1
    other = masks.k_masks_averaged(ensemble, 2, np.array([1, 0]))     # the true class, not the most probable one
    assert np.allclose(other["p_true"], [0.4, 0.4]) and np.allclose(other["p_true_scaled"], [0.6, 0.3])
    with pytest.raises(ValueError, match="k must"):
        masks.k_masks_averaged(ensemble, 3, y)


def test_forgot_ratio_is_one_over_p_keep():
    assert masks.monte_carlo_outputs(1.0, 0.25, 10, rng=0)["forgot_ratio"] == 4.0
    assert masks.monte_carlo_outputs(3.0, 1.0, 10, rng=0)["forgot_ratio"] == 1.0


# ---- core.demos.surfaces.race_standings -------------------------------------------------------------
def test_race_standings_by_hand():
    runs = {"sgd": {"gap": np.array([5.0, 1e-2]), "diverged_at": None},
            "momentum": {"gap": np.array([5.0, 1e-4]), "diverged_at": None},
            "nesterov": {"gap": np.array([5.0, np.nan]), "diverged_at": 1},
            "adam": {"gap": np.array([5.0, 3e-3]), "diverged_at": None}}
    finished, diverged = surfaces.race_standings(runs)
    assert finished == [("momentum", 1e-4), ("adam", 3e-3), ("sgd", 1e-2)]   # closest to the minimum first
    assert diverged == [("nesterov", 1)]


# ---- core.demos.activations.scale_draws -------------------------------------------------------------
def test_scale_draws_by_hand():
    from core.demos.activations import scale_draws
    from core.net import FullyConnectedNet
    net = FullyConnectedNet(4, [3], 2, init=None)                     # W1 (4, 3), W2 (3, 2)
    draws = [np.ones((4, 3), np.float32), -np.ones((3, 2), np.float32)]
    stds = scale_draws(net, draws, "xavier")
    assert np.allclose(stds, [1 / 2, 1 / np.sqrt(3)])                # 1 / sqrt(fan in): 4, then 3
    assert np.allclose(net.params["W1"], 0.5) and np.allclose(net.params["W2"], -1 / np.sqrt(3))
    assert net.params["W1"].dtype == np.float32
    assert np.allclose(scale_draws(net, draws, "he"), [np.sqrt(2 / 4), np.sqrt(2 / 3)])
    assert np.allclose(scale_draws(net, draws, "gaussian", 0.1), [0.1, 0.1])
    assert np.allclose(scale_draws(net, draws, "xavier", 0.1), [1 / 2, 1 / np.sqrt(3)])  # the scale: gaussian's only
    assert np.all(draws[0] == 1)                                     # the draws are kept as they were
    with pytest.raises(ValueError, match="draws must"):
        scale_draws(net, draws[:1], "he")


def test_dropout_learning_rate_given_or_from_the_cliff():
    import core
    digits = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    assert masks.dropout_learning_rate(digits, 0.05, 0.5) == 0.05                   # given: used as it is
    for bad in (0, -0.1, np.nan, "fast"):
        with pytest.raises(ValueError, match="learning_rate"):
            masks.dropout_learning_rate(digits, bad, 0.5)
    # None: the explorers' fractions of their nets' cliffs give notebook 10's 0.1 on standardized digits
    rate = masks.dropout_learning_rate(digits, None, 0.052, num_train=200, num_epochs=40, batch_size=50)
    assert rate == pytest.approx(0.1, rel=0.05)
    rate = masks.dropout_learning_rate(digits, None, 0.039, num_train=1000, num_epochs=20)
    assert rate == pytest.approx(0.1, rel=0.05)


def test_overfit_tiny_subset_is_the_slides_full_batch_run():
    import core
    digits = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    result = sanity.overfit_tiny_subset(digits, 20, num_epochs=200)
    assert result.iterations_per_epoch == 1 and len(result.loss_history) == 200   # one full-batch update an epoch
    assert result.val_acc_history == result.train_acc_history                    # validated on the same 20
    assert set(result.lr_history) == {0.3}                                       # constant: no decay
    assert result.train_acc_history[-1] == 1.0 and result.loss_history[-1] < 0.05  # the slide: overfits
    assert result.loss_history[0] == pytest.approx(np.log(10), abs=0.02)           # small init: starts at ln(10)
    strong = sanity.overfit_tiny_subset(digits, 20, reg=1.0, num_epochs=200)
    assert strong.train_acc_history[-1] < 1.0                                      # reg too strong to overfit


def test_regularized_learning_rate_given_or_from_the_cliff():
    import core
    digits = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    assert weights.regularized_learning_rate(digits, 0.05) == 0.05
    with pytest.raises(ValueError, match="learning_rate"):
        weights.regularized_learning_rate(digits, -1.0)
    assert weights.regularized_learning_rate(digits) == pytest.approx(0.2, rel=0.05)   # notebook 09: 0.2 on digits


# ---- core.demos.lecture_cases.given_or_cliff_rate --------------------------------------------------
@pytest.mark.parametrize("bad", [0.0, -0.1, np.inf, np.nan, "fast"])
def test_a_given_learning_rate_is_checked_and_nothing_is_measured(bad):
    from core.demos.lecture_cases import given_or_cliff_rate
    assert given_or_cliff_rate(None, 0.25, {"reg": 0.0}, 0.5) == 0.25  # no data needed: no cliff is measured
    with pytest.raises(ValueError, match="learning_rate"):
        given_or_cliff_rate(None, bad, {"reg": 0.0}, 0.5)
