"""The numbers the explorers show, computed by core (core.demos, core.monitor, the trainer's result):
each checked against a value derived by hand."""
import math

import numpy as np
import pytest

import core
from core import monitor
from core.demos import activations, boundaries, clouds, ensemble, linear_unit, masks, rule_rates, sanity, weights
from core.trainer import TrainResult


# ---- 03 capacity: grids and boundaries -----------------------------------------------------------
def test_grid_points_run_row_by_row_from_the_bottom():
    points = boundaries.grid_points((-1, 1, 0, 2), 3)
    assert points.dtype == np.float32
    np.testing.assert_array_equal(points, [[-1, 0], [0, 0], [1, 0], [-1, 1], [0, 1], [1, 1], [-1, 2], [0, 2], [1, 2]])
    with pytest.raises(ValueError, match="resolution"):
        boundaries.grid_points((-1, 1, 0, 2), 1)


def test_grid_probabilities_are_the_softmax_of_the_scores():
    net = core.FullyConnectedNet(2, [], 2, dtype=np.float64, rng=0)   # a linear classifier
    net.params["W1"][:] = [[1.0, 0.0], [0.0, 0.0]]                    # score of class 0 = x0, of class 1 = 0
    probs = boundaries.grid_probabilities(net, np.array([[0.0, 5.0], [np.log(3.0), 0.0]]))
    np.testing.assert_allclose(probs, [[0.5, 0.5], [0.75, 0.25]])    # e^0 / (e^0 + 1), 3 / (3 + 1)


def test_boundary_fraction_of_a_diagonal():
    labels = np.triu(np.ones((4, 4), int))  # class 1 on and above the diagonal
    # right neighbour differs at (1, 0), (2, 1), (3, 2); upper neighbour at (0, 0), (1, 1), (2, 2): 6 of 16 cells
    assert boundaries.boundary_fraction(labels) == pytest.approx(6 / 16)


def test_init_for_pairs_he_with_relu_and_xavier_with_tanh():
    inits = [core.init.init_for(a) for a in ("relu", "leaky_relu", "tanh", "sigmoid")]
    assert inits == ["he", "he", "xavier", "xavier"]
    with pytest.raises(ValueError, match="activation"):
        core.init.init_for("elu")


# ---- 02 preprocessing: the cloud's statistics ---------------------------------------------------------
def test_cloud_stats_by_hand():
    Z = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [2.0, 4.0]])
    mean, cov = clouds.cloud_stats(Z)
    np.testing.assert_allclose(mean, [1.0, 2.0])
    np.testing.assert_allclose(cov, [[1.0, 0.0], [0.0, 4.0]])     # variances over N: 4 x 1 / 4, 4 x 4 / 4
    np.testing.assert_array_equal(clouds.cloud_stats(np.ones((1, 2)))[1], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Z"):
        clouds.cloud_stats(np.ones((3, 3)))


def test_covariance_ellipse_of_a_rotated_cloud():
    # variance 4 along (1, 1)/sqrt(2), 1 along (1, -1)/sqrt(2): the 2-sigma ellipse reaches 2 x 2 = 4 along the first
    u, v = np.array([1.0, 1.0]) / np.sqrt(2), np.array([1.0, -1.0]) / np.sqrt(2)
    cov = 4 * np.outer(u, u) + 1 * np.outer(v, v)
    ellipse = clouds.covariance_ellipse(np.array([1.0, -1.0]), cov, num_points=721)
    radius = ellipse - [1.0, -1.0]
    assert np.abs(radius @ u).max() == pytest.approx(4.0, abs=1e-4)
    assert np.abs(radius @ v).max() == pytest.approx(2.0, abs=1e-4)


def test_principal_axes_of_an_axis_aligned_cloud():
    X = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, -1.0], [0.0, 1.0]]) + [10.0, 5.0]
    long, short = clouds.principal_axes(X)   # variances 18/4 = 4.5 along x, 2/4 = 0.5 along y
    np.testing.assert_allclose(np.abs(long[1] - long[0]), [4 * np.sqrt(4.5), 0], atol=1e-12)
    np.testing.assert_allclose(np.abs(short[1] - short[0]), [0, 4 * np.sqrt(0.5)], atol=1e-12)
    np.testing.assert_allclose((long[0] + long[1]) / 2, [10.0, 5.0])


# ---- 04 sanity checks ---------------------------------------------------------------------------
def test_initial_loss_parts_match_the_net_and_the_l2_formula():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    data_loss, penalty = sanity.initial_loss_parts(X, y, 5, 3, [1e-3, 1.0], [7, 8])
    assert data_loss.shape == penalty.shape == (2, 2)
    net = core.FullyConnectedNet(4, [5], 3, init_scale=1.0, rng=8)
    assert data_loss[1, 1] == net.loss(X, y)[0]
    by_hand = 0.5 * sum(float(np.sum(net.params[k] ** 2)) for k in ("W1", "W2"))
    assert penalty[1, 1] == pytest.approx(by_hand, rel=1e-6)
    assert data_loss[0, 0] == pytest.approx(math.log(3), abs=1e-3)   # tiny weights: ln(C)
    reg_net = core.FullyConnectedNet(4, [5], 3, init_scale=1.0, reg=0.3, rng=8)
    assert sanity.initial_losses(data_loss, penalty, 0.3)[1, 1] == pytest.approx(reg_net.loss(X, y)[0], rel=1e-6)


def test_initial_loss_check_against_ln_c():
    check = sanity.initial_loss_check([2.30, 2.31, 2.29], 10)
    assert check["mean"] == pytest.approx(2.30) and check["spread"] == pytest.approx(0.02)
    assert check["chance"] == pytest.approx(math.log(10)) and check["close"] is True   # |2.30 - 2.3026| < 0.02
    far = sanity.initial_loss_check([2.9, 3.1], 10)
    assert far["mean"] == pytest.approx(3.0) and far["close"] is False
    assert sanity.initial_loss_check([0.72], 2, tolerance=0.05)["close"] is True       # ln 2 = 0.693
    assert sanity.initial_loss_check([np.nan, 2.3], 10)["close"] is False               # a NaN seed: not close
    with pytest.raises(ValueError, match="losses"):
        sanity.initial_loss_check([], 10)
    with pytest.raises(ValueError, match="num_classes"):
        sanity.initial_loss_check([2.3], 0)


def test_first_epoch_reaching():
    assert sanity.first_epoch_reaching([0.5, 0.9, 1.0, 1.0]) == 3
    assert sanity.first_epoch_reaching([0.5, 0.99]) is None
    assert sanity.first_epoch_reaching([0.2, 0.6], target=0.5) == 2
    assert sanity.first_epoch_reaching([]) is None


# ---- 08 activations -------------------------------------------------------------------------------
def test_layer_histograms_tanh_bins_over_minus_one_to_one():
    layers = [np.array([[-0.95, -0.1], [0.1, np.nan]]), np.array([[0.99, 0.99], [0.0, np.inf]])]
    edges, counts = activations.layer_histograms(layers, num_bins=4)
    np.testing.assert_allclose(edges, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_array_equal(counts, [[1, 1, 1, 0], [0, 0, 1, 2]])  # NaN and inf left out; 0.0 in [0, 0.5)
    _, first_row = activations.layer_histograms(layers, num_bins=4, rows=1)
    np.testing.assert_array_equal(first_row, [[1, 1, 0, 0], [0, 0, 0, 2]])


def test_layer_histograms_relu_shares_a_power_of_two_range_and_leaves_zeros_out():
    layers = [np.array([[0.0, 0.0, 2.5, 0.4]]), np.array([[0.0, 0.1, np.inf, 0.2]])]  # the inf layer's max: ignored
    edges, counts = activations.layer_histograms(layers, num_bins=4, relu=True)
    np.testing.assert_allclose(edges, [0, 1, 2, 3, 4])  # 2.5 -> 4, a power of 2, for both layers
    np.testing.assert_array_equal(counts, [[1, 0, 1, 0], [2, 0, 0, 0]])  # the zeros are not counted
    edges, counts = activations.layer_histograms([np.zeros((2, 3))], num_bins=2, relu=True)
    np.testing.assert_allclose(edges, [0, 0.5, 1])  # all zero (a dead layer): the range 0..1, nothing counted
    assert counts.sum() == 0
    with pytest.raises(ValueError, match="num_bins"):
        activations.layer_histograms(layers, num_bins=0)


# ---- 11 update rules' rates -------------------------------------------------------------------------
def test_rule_rates_given_are_kept_and_checked_before_any_training():
    given = {"sgd": 0.1, "momentum": 0.2, "nesterov": 0.3, "adagrad": 0.03, "rmsprop": 3e-3, "adam": 1e-3}
    data = {"X_train": np.zeros((4, 2))}  # never trained on: every rate is given
    rates = rule_rates.rule_rates(data, given)
    assert rates == given and tuple(rates) == rule_rates.RULES  # every rule, in the race's order
    with pytest.raises(ValueError, match="unknown rule 'adamw'"):
        rule_rates.rule_rates(data, {"adamw": 1e-3})
    with pytest.raises(ValueError, match=r"learning_rates\['adam'\]"):
        rule_rates.rule_rates(data, {"adam": -1.0})
    assert set(rule_rates.CLIFF_FRACTIONS) | set(rule_rates.MOMENTUM_RULES) == set(rule_rates.RULES)


# ---- 07 / 09 weights ------------------------------------------------------------------------------
def test_weight_summary_by_hand():
    w = np.array([[0.0, 3.0], [5e-4, -4.0], [0.7, 0.0]])
    s = weights.weight_summary(w)
    assert s["sparsity"] == pytest.approx(3 / 6)                       # 0, 5e-4 and 0 are below 1e-3
    np.testing.assert_allclose(s["unit_norms"], [np.sqrt(5e-4 ** 2 + 0.49), 5.0])
    assert s["hist"].sum() == pytest.approx(1.0)                        # 3, -4 and 0.7 land in the end bins
    assert s["hist"][0] == pytest.approx(1 / 6) and s["hist"][-1] == pytest.approx(2 / 6)


# ---- 10 dropout ---------------------------------------------------------------------------------
def test_monte_carlo_running_means_and_the_forgotten_scale():
    out = masks.monte_carlo_outputs(2.0, 0.25, 8, rng=0)
    kept = out["train"]["vanilla"] > 0
    np.testing.assert_array_equal(out["train"]["inverted"], np.where(kept, 8.0, 0.0))  # same masks, x / p
    np.testing.assert_allclose(out["running"]["vanilla"], np.cumsum(out["train"]["vanilla"]) / np.arange(1, 9))
    assert out["test"] == {"vanilla": 0.5, "inverted": 2.0, "forgot": 2.0}
    assert out["expected"] == {"vanilla": 0.5, "inverted": 2.0, "forgot": 0.5}
    assert out["rule_holds"] == {"vanilla": True, "inverted": True, "forgot": False}  # forgot: 2.0 vs 0.5
    assert masks.monte_carlo_outputs(2.0, 1.0, 4, rng=0)["rule_holds"]["forgot"] is True  # p_keep 1: nothing to forget
    mean = 2.0 * kept.mean()
    if mean > 0:
        assert masks.forgot_scale_ratio(out) == pytest.approx(2.0 / mean)


def test_mask_ensemble_by_hand_and_agreement():
    net = core.FullyConnectedNet(3, [20], 2, p_keep=0.5, dtype=np.float64, rng=0)
    X, y = np.random.default_rng(1).standard_normal((6, 3)), np.array([0, 1, 0, 1, 0, 1])
    numbers = masks.mask_ensemble(net, X, y, 4, rng=5)
    probs = masks.sampled_mask_probabilities(net, X, 4, rng=5)
    np.testing.assert_allclose(numbers["running"][1], probs[0] + probs[1])
    for k in range(4):
        assert numbers["accuracy_by_k"][k] == np.mean(probs[:k + 1].mean(axis=0).argmax(axis=1) == y)
        assert numbers["single"][k] == np.mean(probs[k].argmax(axis=1) == y)
    assert numbers["single_mean"] == pytest.approx(numbers["single"].mean())
    assert numbers["scaled_accuracy"] == net.accuracy(X, y)
    a = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert masks.agreement(a, np.array([[0.6, 0.4], [0.7, 0.3], [0.5, 0.45]])) == pytest.approx(2 / 3)


# ---- 12 ensembles -------------------------------------------------------------------------------
def test_ensemble_summary_by_hand():
    probs = np.array([[[0.9, 0.1], [0.6, 0.4]],     # right, wrong: 0.5
                      [[0.4, 0.6], [0.1, 0.9]],     # wrong, right: 0.5
                      [[0.6, 0.4], [0.45, 0.55]]])  # right, right: 1.0
    s = ensemble.summary(probs, np.array([0, 1]), k=2)
    np.testing.assert_allclose(s["member_accuracies"], [0.5, 0.5, 1.0])
    np.testing.assert_allclose(s["mean_by_size"], [0.5, 0.5, 2 / 3])
    assert s["chosen"] == {"k": 2, "mean_member": 0.5, "best_member": 0.5, "ensemble": 1.0}
    assert ensemble.summary(probs, np.array([0, 1]), k=9)["chosen"]["k"] == 3


# ---- monitoring and the trainer's result ------------------------------------------------------------
def test_median_update_ratios_take_the_last_half():
    medians = monitor.median_update_ratios({"W1": [9.0, 9.0, 1.0, 2.0, 3.0], "W2": []})
    assert medians["W1"] == 2.0 and math.isnan(medians["W2"])      # the last half of 5: [1, 2, 3]
    with pytest.raises(ValueError, match="W1"):
        monitor.median_update_ratios({"W1": [-1.0]})


def test_mean_abs_gradients_in_layer_order_and_first_nonfinite():
    grads = {"W2": np.array([[-2.0, 4.0]]), "b1": np.ones(3), "W10": np.zeros((1, 1)), "W1": np.array([[1.0, -3.0]])}
    np.testing.assert_array_equal(monitor.mean_abs_gradients(grads), [2.0, 3.0, 0.0])
    assert monitor.first_nonfinite([2.3, 2.1, np.nan, np.inf]) == 3
    assert monitor.first_nonfinite([2.3, 2.1]) is None


def test_epoch_costs_and_final_cost_by_hand():
    r = TrainResult(num_epochs=3, iterations_per_epoch=2, loss_history=[4.0, 2.0, 3.0, 1.0, 0.5], epoch=2,
                    status="stopped")
    np.testing.assert_allclose(r.epoch_costs(), [3.0, 2.0])          # the unfinished third epoch is left out
    assert r.final_cost() == pytest.approx(0.75)                      # the last iterations_per_epoch costs
    assert r.final_cost(last=3) == pytest.approx(1.5)
    r.status = "diverged"
    assert math.isnan(r.final_cost())


def test_best_weights_are_the_least_squares_minimum():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    t = X @ np.array([2.0, -1.0])
    np.testing.assert_allclose(linear_unit.best_weights(X, t), [2.0, -1.0])
    assert linear_unit.mean_squared_error(linear_unit.best_weights(X, t), X, t) == pytest.approx(0.0, abs=1e-20)
