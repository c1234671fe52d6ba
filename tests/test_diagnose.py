"""core.demos.diagnosis.diagnose on synthetic histories (every message it can give, bad input); core.monitor."""
import numpy as np
import pytest

import core
from core import monitor
from core.demos import diagnosis
from core.demos.weights import weight_roughness

D = diagnosis.DIAGNOSES
T = np.arange(100)
RNG = np.random.default_rng(0)
NOISE = 0.02 * RNG.standard_normal(100)

GOOD = 2.3 * np.exp(-T / 10) + 0.1 + NOISE                        # fast drop that levels off
SLOW_LINEAR = np.linspace(2.3, 1.5, 100) + NOISE                   # the "low learning rate" line
SLOW_LITTLE = 2.3 - 0.2 * (1 - np.exp(-T / 10)) + 0.2 * NOISE      # levels off, but dropped < 10%
FLAT = 2.3 + 0.001 * RNG.standard_normal(100)
PLATEAU = np.where(T < 40, 2.3, 0.2 + 2.1 * np.exp(-(T - 40) / 8)) + NOISE
UNSTABLE = np.concatenate([np.linspace(2.3, 0.5, 40), np.linspace(0.5, 1.6, 20), np.linspace(1.6, 0.3, 40)])
RISING = np.linspace(2.3, 4.0, 100)                                # < 3x, but ends 1.7x above its start
EXPLODING = np.r_[2.3, 2.2, 2.0, 7.5]                              # > 3 x the original cost

# (key, loss, train_acc, val_acc, update ratios): one synthetic history per message
CASES = {
    "nan": ([2.3, 2.2, np.nan], (), (), None),
    "exploding": (EXPLODING, (), (), None),
    "flat": (FLAT, (), (), None),
    "unstable": (UNSTABLE, (), (), None),
    "slow": (SLOW_LINEAR, (), (), None),
    "plateau": (PLATEAU, (), (), None),
    "good": (GOOD, (), (), None),
    "overfitting": (GOOD, [0.8, 1.0], [0.7, 0.82], None),
    "no_gap": (GOOD, [0.5, 0.6], [0.5, 0.59], None),
    "balanced": (GOOD, [0.9, 0.99], [0.88, 0.96], None),
    "ratio_high": (GOOD, (), (), {"W1": np.full(100, 0.05), "W2": np.full(100, 0.03)}),
    "ratio_low": (GOOD, (), (), {"W1": np.full(100, 1e-5), "W2": np.full(100, 1e-4)}),
    "too_short": ([2.3, 2.2, 2.1], (), (), None),
}


def test_every_message_has_a_case():
    assert set(CASES) == set(D)


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_message_is_reachable(key):
    loss, train_acc, val_acc, ratios = CASES[key]
    assert D[key] in diagnosis.diagnose(loss, train_acc, val_acc, ratios)


@pytest.mark.parametrize("loss, key", [
    (GOOD, "good"), (SLOW_LINEAR, "slow"), (SLOW_LITTLE, "slow"), (FLAT, "flat"), (PLATEAU, "plateau"),
    (UNSTABLE, "unstable"), (RISING, "exploding"), (EXPLODING, "exploding"), ([2.3, np.inf], "nan"),
    ([np.nan], "nan"), ([], "too_short"), ([2.3] * 9, "too_short"), ([2.3, 1e9], "exploding"),
])
def test_the_loss_gets_exactly_one_verdict(loss, key):
    found = diagnosis.diagnose(loss)
    assert found == [D[key]]


def test_explode_factor_none_turns_off_the_3x_rule():
    spike = np.r_[GOOD[:50], 8.0, GOOD[51:]]
    assert diagnosis.diagnose(spike) == [D["exploding"]]
    assert diagnosis.diagnose(spike, explode_factor=None) != [D["exploding"]]


def test_gap_advice_only_when_the_loss_says_something():
    # a flat or exploding loss gets no capacity advice: the learning rate comes first
    assert diagnosis.diagnose(FLAT, [0.1], [0.1]) == [D["flat"]]
    assert diagnosis.diagnose(EXPLODING, [0.3], [0.1]) == [D["exploding"]]
    # a loss still going down slowly: overfitting is reported, "no gap" is not (it is still learning)
    assert diagnosis.diagnose(SLOW_LINEAR, [1.0], [0.7]) == [D["slow"], D["overfitting"]]
    assert diagnosis.diagnose(SLOW_LINEAR, [0.5], [0.5]) == [D["slow"]]


def test_gap_thresholds():
    # train accuracy near 1 with a small gap: balanced, not "increase capacity"
    assert diagnosis.diagnose(GOOD, [0.98], [0.97])[1] == D["balanced"]
    assert diagnosis.diagnose(GOOD, [0.8], [0.77])[1] == D["no_gap"]
    assert diagnosis.diagnose(GOOD, [0.8], [0.72])[1] == D["balanced"]
    assert diagnosis.diagnose(GOOD, [0.8], [0.72], gap_threshold=0.05)[1] == D["overfitting"]
    assert diagnosis.diagnose(GOOD, [0.6], [0.7])[1] == D["no_gap"]  # val above train: no gap either
    assert diagnosis.diagnose(GOOD, [0.98], [0.97], fit_threshold=0.99)[1] == D["no_gap"]


def test_ratios_use_the_last_half_and_the_healthy_band():
    early_big = {"W1": np.r_[np.full(50, 0.1), np.full(50, 3e-3)]}
    assert diagnosis.diagnose(GOOD, update_ratio_history=early_big) == [D["good"]]
    assert diagnosis.diagnose(GOOD, update_ratio_history={"W1": [], "W2": []}) == [D["good"]]
    assert monitor.ratio_verdict(5e-4) == "too low"
    assert monitor.ratio_verdict(3e-3) == "healthy"
    assert monitor.ratio_verdict(0.05) == "too high"
    assert monitor.ratio_verdict(np.inf) == "too high"


def test_real_runs_on_digits():
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    X, y = data["X_train"][:500], data["y_train"][:500]

    def run(learning_rate, init_scale=1e-2):
        net = core.FullyConnectedNet(64, [50], 10, init_scale=init_scale, rng=0)
        r = core.train(net, X, y, data["X_val"], data["y_val"], num_epochs=10, batch_size=50,
                       learning_rate=learning_rate, rng=0, track_ratios=False)
        return diagnosis.diagnose(r.loss_history, r.train_acc_history, r.val_acc_history)

    assert run(1e-6)[0] == D["flat"]
    assert run(0.5)[0] == D["good"]
    assert run(1e6)[0] == D["exploding"]
    assert run(0.5, init_scale=1e-5)[0] == D["plateau"]


@pytest.mark.parametrize("kwargs, name", [
    ({"loss_history": [[1.0, 2.0]]}, "loss_history"),
    ({"train_acc_history": [1.2], "val_acc_history": [0.5]}, "train_acc_history"),
    ({"train_acc_history": [0.5], "val_acc_history": [np.nan]}, "val_acc_history"),
    ({"train_acc_history": [0.5]}, "val_acc_history"),
    ({"gap_threshold": 1.5}, "gap_threshold"),
    ({"no_gap_threshold": 0.2}, "no_gap_threshold"),
    ({"fit_threshold": -0.1}, "fit_threshold"),
    ({"flat_threshold": "x"}, "flat_threshold"),
    ({"slow_threshold": 0.001}, "slow_threshold"),
    ({"explode_factor": 0.5}, "explode_factor"),
    ({"update_ratio_history": {"W1": [-1.0]}}, "update_ratio_history"),
])
def test_bad_input_names_the_argument(kwargs, name):
    args = {"loss_history": GOOD} | kwargs
    with pytest.raises(ValueError, match=name):
        diagnosis.diagnose(**args)


def test_inputs_are_left_unchanged():
    loss, train, val = list(GOOD), [0.5, 0.9], [0.5, 0.8]
    ratios = {"W1": np.full(10, 0.1)}
    before = (list(loss), list(train), list(val), ratios["W1"].copy())
    diagnosis.diagnose(loss, train, val, ratios)
    assert (loss, train, val) == before[:3] and np.array_equal(ratios["W1"], before[3])


def test_smooth_is_a_moving_average():
    assert np.allclose(diagnosis.smooth([1, 2, 3, 4], 2), [1.5, 2.5, 3.5])
    assert np.allclose(diagnosis.smooth([1, 2], 10), [1.5])


def test_ratio_verdict_rejects_nan():
    with pytest.raises(ValueError, match="ratio"):
        monitor.ratio_verdict(float("nan"))


def test_weight_roughness_noise_vs_smooth():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((64, 200))
    assert weight_roughness(noise, (8, 8)) == pytest.approx(2.0, abs=0.1)
    yy, xx = np.mgrid[0:8, 0:8]
    smooth_images = np.stack([np.sin(xx / 3 + k) + np.cos(yy / 4 - k) for k in range(10)], axis=-1).reshape(64, 10)
    assert weight_roughness(smooth_images, (8, 8)) < 0.3
    colour = rng.standard_normal((3072, 4))
    assert weight_roughness(colour, (32, 32, 3)) == pytest.approx(2.0, abs=0.1)
    # scale does not matter, constant units count as 0
    assert weight_roughness(5 * noise, (8, 8)) == pytest.approx(weight_roughness(noise, (8, 8)))
    assert weight_roughness(np.ones((64, 3)), (8, 8)) == 0.0


@pytest.mark.parametrize("W, shape, name", [
    (np.zeros((64, 3)), (7, 8), "image_shape"), (np.zeros(64), (8, 8), "W"),
    (np.full((64, 2), np.nan), (8, 8), "W"),
])
def test_weight_roughness_bad_input(W, shape, name):
    with pytest.raises(ValueError, match=name):
        weight_roughness(W, shape)


def test_activation_stats_counts_saturation():
    a = [np.array([[1.0, -1.0], [0.0, 0.5]]), np.zeros((2, 3))]
    stats = monitor.activation_stats(a)
    assert stats["saturated_fraction"].tolist() == [0.5, 0.0]
    assert stats["zero_fraction"].tolist() == [0.25, 1.0]


@pytest.mark.parametrize("values, window, name", [([1.0, 2.0], 0, "window"), ([1.0, 2.0], 1.5, "window"),
                                                  ([], 2, "values"), ([[1.0]], 1, "values")])
def test_smooth_bad_input(values, window, name):
    with pytest.raises(ValueError, match=name):
        diagnosis.smooth(values, window)


def test_activations_and_gradients_match_the_net():
    rng = np.random.default_rng(0)
    net = core.FullyConnectedNet(20, [30, 30], 5, activation="tanh", init="xavier", rng=0)
    X, y = rng.standard_normal((8, 20)), rng.integers(0, 5, 8)
    activations, grads = monitor.activations_and_gradients(net, X, y)
    expected = net.hidden_activations(X)
    assert len(activations) == 2 and all(np.allclose(a, b) for a, b in zip(activations, expected))
    _, net_grads = net.loss(X, y)
    assert all(np.allclose(grads[k], net_grads[k], atol=1e-6) for k in net.params)
    with pytest.raises(ValueError, match="y"):
        monitor.activations_and_gradients(net, X, np.full(8, 7))
