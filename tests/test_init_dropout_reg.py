"""Initializer statistics, dropout expectations and gradients, regularizer gradients, max-norm."""
import numpy as np
import pytest

from core import dropout, init, regularizers
from core.gradcheck import numerical_gradient, rel_error

TOL = 1e-7


# ---- init ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
@pytest.mark.parametrize("fan_in, fan_out", [(1000, 500), (300, 2000)])
def test_initializer_std_matches_theory(name, fan_in, fan_out):
    w = init.init_weights(name, fan_in, fan_out, np.random.default_rng(0))
    assert w.shape == (fan_in, fan_out)
    expected = init.expected_std(name, fan_in, fan_out)
    assert abs(w.std() / expected - 1) < 0.03
    assert abs(w.mean()) < 0.03 * expected


def test_expected_std_by_formula():
    assert init.expected_std("gaussian", 10, 10) == pytest.approx(0.01)
    assert init.expected_std("gaussian", 10, 10, scale=0.5) == pytest.approx(0.5)
    assert init.expected_std("xavier", 400, 7) == pytest.approx(1 / 20)
    assert init.expected_std("he", 200, 7) == pytest.approx(0.1)
    assert init.expected_std("xavier_uniform", 30, 70) == pytest.approx(np.sqrt(2 / 100))
    assert init.expected_std("he_uniform", 50, 3, scale=2.0) == pytest.approx(2 * np.sqrt(2 / 50))


@pytest.mark.parametrize("name", ["xavier_uniform", "he_uniform"])
def test_uniform_initializers_stay_in_their_bounds(name):
    w = init.init_weights(name, 200, 100, np.random.default_rng(0))
    bound = np.sqrt(3) * init.expected_std(name, 200, 100)  # U(-a, a) has std a / sqrt(3)
    assert np.abs(w).max() <= bound


def test_init_is_reproducible_from_the_rng():
    a = init.init_weights("he", 20, 10, np.random.default_rng(5))
    b = init.init_weights("he", 20, 10, np.random.default_rng(5))
    c = init.init_weights("he", 20, 10, np.random.default_rng(6))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# ---- dropout ---------------------------------------------------------------------------------

X_BIG = np.random.default_rng(0).uniform(0.5, 1.5, (400, 500))


@pytest.mark.parametrize("kind", ["inverted", "gaussian"])
@pytest.mark.parametrize("p_keep", [0.25, 0.5, 0.9])
def test_inverted_and_gaussian_dropout_preserve_the_mean(kind, p_keep):
    out, _ = dropout.dropout_forward(X_BIG, p_keep, "train", np.random.default_rng(1), kind=kind)
    assert out.mean() == pytest.approx(X_BIG.mean(), rel=0.02)
    test_out, _ = dropout.dropout_forward(X_BIG, p_keep, "test", kind=kind)
    np.testing.assert_array_equal(test_out, X_BIG)  # test time unchanged


@pytest.mark.parametrize("p_keep", [0.25, 0.5, 0.9])
def test_vanilla_dropout_needs_the_test_time_scale(p_keep):
    out, _ = dropout.dropout_forward(X_BIG, p_keep, "train", np.random.default_rng(1), kind="vanilla")
    # at train time a unit keeps its value or is zeroed: the expected output is p_keep * x ...
    assert out.mean() == pytest.approx(p_keep * X_BIG.mean(), rel=0.02)
    assert set(np.unique(out[X_BIG != 0] / X_BIG[X_BIG != 0])) <= {0.0, 1.0}
    # ... so at test time the output is scaled by p_keep to match it
    test_out, _ = dropout.dropout_forward(X_BIG, p_keep, "test", kind="vanilla")
    np.testing.assert_allclose(test_out, p_keep * X_BIG)


def test_inverted_dropout_keeps_about_p_keep_of_the_units():
    out, _ = dropout.dropout_forward(X_BIG, 0.3, "train", np.random.default_rng(2))
    assert np.mean(out != 0) == pytest.approx(0.3, abs=0.01)
    kept = out != 0
    np.testing.assert_allclose(out[kept], X_BIG[kept] / 0.3)


def test_dropout_p_keep_one_is_the_identity():
    for kind in dropout.KINDS:
        out, _ = dropout.dropout_forward(X_BIG, 1.0, "train", np.random.default_rng(0), kind=kind)
        np.testing.assert_array_equal(out, X_BIG)


def test_dropout_draws_from_the_rng_it_is_given():
    a, _ = dropout.dropout_forward(X_BIG, 0.5, "train", np.random.default_rng(3))
    b, _ = dropout.dropout_forward(X_BIG, 0.5, "train", np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", dropout.KINDS)
def test_dropout_keeps_the_dtype(kind, dtype):
    x = np.ones((10, 10), dtype=dtype)
    for mode in ("train", "test"):
        out, _ = dropout.dropout_forward(x, 0.5, mode, np.random.default_rng(0), kind=kind)
        assert out.dtype == dtype


def fixed_mask(kind, shape, p_keep, rng):
    if kind == "gaussian":
        return 1 + np.sqrt((1 - p_keep) / p_keep) * rng.standard_normal(shape)
    keep = (rng.random(shape) < p_keep).astype(np.float64)
    return keep / p_keep if kind == "inverted" else keep


@pytest.mark.parametrize("kind", dropout.KINDS)
@pytest.mark.parametrize("mode", ["train", "test"])
def test_dropout_gradient_with_a_fixed_mask(kind, mode):
    rng = np.random.default_rng(4)
    x, dout = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    mask = fixed_mask(kind, x.shape, 0.6, rng)
    forward = lambda v: dropout.dropout_forward(v, 0.6, mode, kind=kind, mask=mask)[0]
    out, cache = dropout.dropout_forward(x, 0.6, mode, kind=kind, mask=mask)
    if mode == "train":
        np.testing.assert_allclose(out, x * mask)
    dx = dropout.dropout_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(forward, x.copy(), dout)) < TOL


def test_dropconnect_gradient_with_a_fixed_mask():
    rng = np.random.default_rng(5)
    x, w, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((4, 3))
    mask = (rng.random(w.shape) < 0.5) / 0.5
    f = lambda x_, w_, b_: dropout.dropconnect_forward(x_, w_, b_, 0.5, "train", mask=mask)[0]
    out, cache = dropout.dropconnect_forward(x, w, b, 0.5, "train", mask=mask)
    np.testing.assert_allclose(out, x @ (w * mask) + b)
    dx, dw, db = dropout.dropconnect_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(lambda v: f(v, w, b), x.copy(), dout)) < TOL
    assert rel_error(dw, numerical_gradient(lambda v: f(x, v, b), w.copy(), dout)) < TOL
    assert rel_error(db, numerical_gradient(lambda v: f(x, w, v), b.copy(), dout)) < TOL


def test_dropconnect_mean_and_test_time():
    rng = np.random.default_rng(6)
    x, w, b = rng.standard_normal((3, 50)), rng.standard_normal((50, 4)), rng.standard_normal(4)
    outs = [dropout.dropconnect_forward(x, w, b, 0.5, "train", rng)[0] for _ in range(4000)]
    np.testing.assert_allclose(np.mean(outs, axis=0), x @ w + b, atol=0.35)  # about 3 standard errors
    test_out, _ = dropout.dropconnect_forward(x, w, b, 0.5, "test")
    np.testing.assert_allclose(test_out, x @ w + b)
    dx, dw, db = dropout.dropconnect_backward(np.ones((3, 4)), _)
    np.testing.assert_allclose(dw, x.T @ np.ones((3, 4)))


# ---- regularizers ----------------------------------------------------------------------------

def weights_away_from_zero(rng, shape=(5, 4)):
    w = rng.standard_normal(shape)
    return np.where(np.abs(w) < 0.05, 0.05 * np.sign(w + 1e-12), w)


@pytest.mark.parametrize("kind", sorted(regularizers.PENALTIES))
@pytest.mark.parametrize("reg", [0.0, 0.3, 5.0])
def test_penalty_gradient(kind, reg):
    w = weights_away_from_zero(np.random.default_rng(7))  # L1 is not differentiable at 0
    penalty, dw = regularizers.penalty(kind, w, reg)
    assert isinstance(penalty, float) and dw.shape == w.shape
    dw_num = numerical_gradient(lambda v: regularizers.penalty(kind, v, reg)[0], w.copy())
    assert rel_error(dw, dw_num) < TOL


@pytest.mark.parametrize("l1_ratio", [0.0, 0.2, 1.0])
def test_elastic_gradient_and_mix(l1_ratio):
    w = weights_away_from_zero(np.random.default_rng(8))
    p, dw = regularizers.penalty("elastic", w, 0.7, l1_ratio=l1_ratio)
    assert p == pytest.approx(l1_ratio * 0.7 * np.abs(w).sum() + (1 - l1_ratio) * 0.5 * 0.7 * (w * w).sum())
    dw_num = numerical_gradient(lambda v: regularizers.penalty("elastic", v, 0.7, l1_ratio)[0], w.copy())
    assert rel_error(dw, dw_num) < TOL


def test_penalty_values():
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert regularizers.l2(w, 0.5)[0] == pytest.approx(0.5 * 0.5 * 14)
    assert regularizers.l1(w, 0.5)[0] == pytest.approx(0.5 * 6)
    np.testing.assert_array_equal(regularizers.l1(w, 1.0)[1], [[1, -1], [0, 1]])


def test_max_norm_bounds_every_column_and_leaves_small_ones_alone():
    rng = np.random.default_rng(9)
    w = rng.standard_normal((20, 6))
    w[:, 0] *= 0.01  # one unit already inside the ball
    projected = regularizers.max_norm(w, 1.5)
    norms = np.linalg.norm(projected, axis=0)
    assert np.all(norms <= 1.5 * (1 + 1e-12))
    np.testing.assert_array_equal(projected[:, 0], w[:, 0])
    np.testing.assert_allclose(norms[1:], 1.5)  # the others land on the sphere, direction kept
    np.testing.assert_allclose(projected[:, 1] / norms[1], w[:, 1] / np.linalg.norm(w[:, 1]))
    assert not np.shares_memory(projected, w)
