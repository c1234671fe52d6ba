"""Update rules against values computed by hand, on a quadratic, and the learning-rate schedules."""
import numpy as np
import pytest

from core import optim, schedules

W0 = np.array([1.0, -2.0])
DW1 = np.array([0.5, 1.0])
DW2 = np.array([-1.0, 2.0])
LR, MU = 0.1, 0.9


def two_steps(rule, config):
    w1, config = rule(W0.copy(), DW1, config)
    state1 = {k: np.copy(v) for k, v in config.items()}
    w2, config = rule(w1, DW2, config)
    return w1, state1, w2, config


def test_sgd_step():
    w, config = optim.sgd(W0.copy(), DW1, {"learning_rate": LR})
    np.testing.assert_allclose(w, [0.95, -2.1])
    assert config["learning_rate"] == LR


def test_sgd_default_learning_rate_is_filled_in():
    _, config = optim.sgd(W0.copy(), DW1)
    assert config["learning_rate"] == 1e-2


def test_momentum_velocity_over_two_steps():
    w1, s1, w2, s2 = two_steps(optim.momentum, {"learning_rate": LR, "momentum": MU})
    # v1 = -lr dw1 = [-0.05, -0.1]; w1 = w0 + v1
    np.testing.assert_allclose(s1["velocity"], [-0.05, -0.1])
    np.testing.assert_allclose(w1, [0.95, -2.1])
    # v2 = mu v1 - lr dw2 = [-0.045 + 0.1, -0.09 - 0.2] = [0.055, -0.29]; w2 = w1 + v2
    np.testing.assert_allclose(s2["velocity"], [0.055, -0.29])
    np.testing.assert_allclose(w2, [1.005, -2.39])


def test_nesterov_look_ahead_over_two_steps():
    w1, s1, w2, s2 = two_steps(optim.nesterov, {"learning_rate": LR, "momentum": MU})
    # step 1: v_prev = 0, v1 = [-0.05, -0.1]; w1 = w0 - mu * 0 + (1 + mu) v1 = w0 + 1.9 v1
    np.testing.assert_allclose(s1["velocity"], [-0.05, -0.1])
    np.testing.assert_allclose(w1, [0.905, -2.19])
    # step 2: v2 = [0.055, -0.29]; w2 = w1 - 0.9 v1 + 1.9 v2 = [0.905 + 0.045 + 0.1045, -2.19 + 0.09 - 0.551]
    np.testing.assert_allclose(s2["velocity"], [0.055, -0.29])
    np.testing.assert_allclose(w2, [1.0545, -2.651])


def test_nesterov_equals_gradient_at_the_look_ahead_point():
    """The stored x = theta + mu v: updating x with grad f(x) is the textbook
    v = mu v - lr grad f(theta + mu v); theta += v."""
    A = np.diag([1.0, 10.0])
    grad = lambda w: A @ w
    theta, v = np.array([1.0, 1.0]), np.zeros(2)
    x, config = theta.copy(), {"learning_rate": 0.05, "momentum": MU}
    for _ in range(20):
        v = MU * v - 0.05 * grad(theta + MU * v)
        theta = theta + v
        x, config = optim.nesterov(x, grad(x), config)
        np.testing.assert_allclose(x, theta + MU * v, atol=1e-12)


def test_adagrad_cache_over_two_steps():
    eps = 1e-8
    w1, s1, w2, s2 = two_steps(optim.adagrad, {"learning_rate": LR})
    np.testing.assert_allclose(s1["cache"], [0.25, 1.0])
    np.testing.assert_allclose(w1, W0 - LR * DW1 / (np.sqrt([0.25, 1.0]) + eps))
    np.testing.assert_allclose(w1, [0.9, -2.1])  # the first step is lr * sign(dw)
    np.testing.assert_allclose(s2["cache"], [1.25, 5.0])
    np.testing.assert_allclose(w2, np.array([0.9, -2.1]) - LR * DW2 / (np.sqrt([1.25, 5.0]) + eps))


def test_rmsprop_cache_over_two_steps():
    d, eps = 0.9, 1e-8
    w1, s1, w2, s2 = two_steps(optim.rmsprop, {"learning_rate": LR, "decay_rate": d})
    np.testing.assert_allclose(s1["cache"], [0.025, 0.1])  # (1 - d) dw1^2
    np.testing.assert_allclose(w1, W0 - LR * DW1 / (np.sqrt([0.025, 0.1]) + eps))
    np.testing.assert_allclose(s2["cache"], [0.9 * 0.025 + 0.1, 0.9 * 0.1 + 0.4])  # d c1 + (1 - d) dw2^2
    np.testing.assert_allclose(w2, w1 - LR * DW2 / (np.sqrt([0.1225, 0.49]) + eps))


def test_adam_bias_correction_at_t1_and_t2():
    b1, b2, eps = 0.9, 0.999, 1e-8
    w1, s1, w2, s2 = two_steps(optim.adam, {"learning_rate": LR})
    # t = 1: m = 0.1 dw1, v = 0.001 dw1^2; corrected m_hat = dw1, v_hat = dw1^2: a step of lr * sign(dw1)
    assert s1["t"] == 1
    np.testing.assert_allclose(s1["m"], 0.1 * DW1)
    np.testing.assert_allclose(s1["v"], 0.001 * DW1 ** 2)
    np.testing.assert_allclose(w1, W0 - LR * np.sign(DW1), rtol=1e-7)
    # t = 2: m = 0.9 * 0.1 dw1 + 0.1 dw2, corrected by 1 - 0.9^2 = 0.19; v by 1 - 0.999^2 = 0.001999
    m2 = b1 * 0.1 * DW1 + (1 - b1) * DW2
    v2 = b2 * 0.001 * DW1 ** 2 + (1 - b2) * DW2 ** 2
    assert s2["t"] == 2
    np.testing.assert_allclose(s2["m"], m2)
    np.testing.assert_allclose(s2["v"], v2)
    m_hat, v_hat = m2 / 0.19, v2 / 0.001999
    np.testing.assert_allclose(m_hat, [(0.045 - 0.1) / 0.19, (0.09 + 0.2) / 0.19])
    np.testing.assert_allclose(w2, w1 - LR * m_hat / (np.sqrt(v_hat) + eps))


@pytest.mark.parametrize("name, lr, steps", [
    ("sgd", 0.05, 200), ("momentum", 0.01, 200), ("nesterov", 0.01, 200),
    ("adagrad", 0.5, 200), ("rmsprop", 0.01, 200), ("adam", 0.05, 200),
])
def test_every_rule_reduces_a_quadratic(name, lr, steps):
    A = np.diag([1.0, 4.0, 10.0])
    f = lambda w: 0.5 * w @ A @ w
    rule = optim.get_update_rule(name)
    w, config = np.array([1.0, -1.0, 0.5]), {"learning_rate": lr}
    start = f(w)
    values = []
    for _ in range(steps):
        w, config = rule(w, A @ w, config)
        values.append(f(w))
    assert values[0] < start
    assert values[-1] < 1e-2 * start


def test_update_rules_do_not_touch_their_inputs():
    for name, rule in optim.UPDATE_RULES.items():
        w, dw = W0.copy(), DW1.copy()
        config = {"learning_rate": LR}
        rule(w, dw, config)
        np.testing.assert_array_equal(w, W0, err_msg=name)
        np.testing.assert_array_equal(dw, DW1, err_msg=name)
        assert config == {"learning_rate": LR}, name


def test_update_rules_keep_float32():
    for name, rule in optim.UPDATE_RULES.items():
        w = np.ones((3, 2), dtype=np.float32)
        config = {"learning_rate": 1e-2}
        for _ in range(2):
            w, config = rule(w, np.full((3, 2), 0.5, dtype=np.float32), config)
        assert w.dtype == np.float32, name


# ---- schedules -------------------------------------------------------------------------------

def test_schedule_values():
    np.testing.assert_allclose(schedules.schedule("constant", 0.1, 4), [0.1] * 4)
    np.testing.assert_allclose(schedules.schedule("step", 1.0, 7, drop=0.5, every=3),
                               [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    np.testing.assert_allclose(schedules.schedule("exponential", 2.0, 3, k=0.5),
                               [2.0, 2.0 * np.exp(-0.5), 2.0 * np.exp(-1.0)])
    np.testing.assert_allclose(schedules.schedule("1/t", 1.0, 4, k=1.0), [1, 1 / 2, 1 / 3, 1 / 4])
    np.testing.assert_allclose(schedules.schedule("decay", 1e-3, 3), [1e-3, 0.97e-3, 0.97 ** 2 * 1e-3])


def test_schedule_defaults_and_shape():
    for name in schedules.SCHEDULES:
        lrs = schedules.schedule(name, 0.5, 12)
        assert lrs.shape == (12,) and lrs.dtype == np.float64
        assert lrs[0] == 0.5
        assert np.all(np.diff(lrs) <= 0), name  # none of them ever raises the learning rate
    np.testing.assert_allclose(schedules.schedule("step", 1.0, 11)[[4, 5, 10]], [1.0, 0.5, 0.25])


def test_per_epoch_decay_matches_the_slide_loop():
    lr, expected = 1e-3, []
    for _ in range(10):
        expected.append(lr)
        lr *= 0.97  # the slide: learning_rate *= 0.97 every epoch
    np.testing.assert_allclose(schedules.schedule("decay", 1e-3, 10, decay=0.97), expected, rtol=1e-12)
