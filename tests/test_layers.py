"""Gradient checks (float64, relative error < 1e-7) of every layer and loss, and their forward values."""
import numpy as np
import pytest

from core import layers
from core.gradcheck import numerical_gradient, rel_error

TOL = 1e-7


def away_from_zero(x, margin=1e-2):
    """Push values off the kink at 0 so the centred difference never straddles it."""
    return np.where(np.abs(x) < margin, np.sign(x + 1e-12) * margin, x)


@pytest.mark.parametrize("name", sorted(layers.ACTIVATIONS))
def test_activation_gradient(name):
    rng = np.random.default_rng(0)
    forward, backward = layers.ACTIVATIONS[name]
    x = away_from_zero(rng.standard_normal((5, 7)) * 2)
    dout = rng.standard_normal((5, 7))
    out, cache = forward(x)
    dx = backward(dout, cache)
    dx_num = numerical_gradient(lambda v: forward(v)[0], x.copy(), dout)
    assert out.shape == x.shape and dx.shape == x.shape
    assert rel_error(dx, dx_num) < TOL


def test_affine_gradient():
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 3)), rng.standard_normal(3)
    dout = rng.standard_normal((4, 3))
    out, cache = layers.affine_forward(x, w, b)
    np.testing.assert_allclose(out, x @ w + b)
    dx, dw, db = layers.affine_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(lambda v: layers.affine_forward(v, w, b)[0], x.copy(), dout)) < TOL
    assert rel_error(dw, numerical_gradient(lambda v: layers.affine_forward(x, v, b)[0], w.copy(), dout)) < TOL
    assert rel_error(db, numerical_gradient(lambda v: layers.affine_forward(x, w, v)[0], b.copy(), dout)) < TOL


@pytest.mark.parametrize("loss_name", sorted(layers.LOSSES))
def test_loss_gradient(loss_name):
    rng = np.random.default_rng(2)
    loss_fn = layers.LOSSES[loss_name]
    scores, y = rng.standard_normal((8, 5)), rng.integers(0, 5, 8)
    loss, dscores = loss_fn(scores, y)
    assert isinstance(loss, float) and dscores.shape == scores.shape
    dscores_num = numerical_gradient(lambda s: loss_fn(s, y)[0], scores.copy())
    assert rel_error(dscores, dscores_num) < TOL


def test_activation_values():
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_allclose(layers.relu_forward(x)[0], [0, 0, 0.5, 2])
    np.testing.assert_allclose(layers.leaky_relu_forward(x, slope=0.1)[0], [-0.2, -0.05, 0.5, 2])
    np.testing.assert_allclose(layers.tanh_forward(x)[0], np.tanh(x))
    np.testing.assert_allclose(layers.sigmoid_forward(x)[0], 1 / (1 + np.exp(-x)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_relu_is_maximum_with_zero_bit_for_bit(dtype):
    """relu_forward compares with a zero array (numpy's fast loop), not the scalar 0: the same bits,
    the same dtype (integers stay integers), NaN kept (a diverged net's), +0.0 for -0.0, x unchanged."""
    if dtype == np.int64:
        x = np.array([[-2, 0, 3, 1]])
    else:
        x = np.array([[-2, -0.0, 0.0, 3], [np.nan, -np.inf, np.inf, 1e-30]]).astype(dtype)
    before = x.copy()
    out, cache = layers.relu_forward(x)
    expected = np.maximum(x, 0)
    assert out.dtype == x.dtype and out.tobytes() == expected.tobytes()
    assert not np.signbit(out[np.isfinite(out) & (out == 0)]).any()
    np.testing.assert_array_equal(x, before)
    assert np.array_equal(layers.relu_backward(np.ones_like(x), cache), x > 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_never_overflows_and_keeps_dtype(dtype, recwarn):
    out, _ = layers.sigmoid_forward(np.array([-1e4, -50.0, 0.0, 50.0, 1e4], dtype=dtype))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, [0, 0, 0.5, 1, 1], atol=1e-20)
    assert len(recwarn) == 0


def test_softmax_loss_is_ln_c_for_equal_scores_and_stable_for_huge_scores():
    y = np.array([0, 3, 9])
    loss, dscores = layers.softmax_loss(np.zeros((3, 10)), y)
    assert loss == pytest.approx(np.log(10))
    np.testing.assert_allclose(dscores.sum(axis=1), 0, atol=1e-15)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # the row-max shift keeps exp from overflowing
        loss, _ = layers.softmax_loss(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0)


def test_softmax_rows_sum_to_one_and_survive_huge_scores():
    p = layers.softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(p.sum(axis=1), 1)
    assert np.allclose(p[0], [1, 0, 0]) and np.allclose(p[1], 1 / 3)
    with pytest.raises(ValueError, match="scores"):
        layers.softmax(np.ones(3))


def test_softmax_by_hand_and_the_loss_uses_it():
    scores = np.array([[0.0, np.log(3.0)], [np.log(2.0), np.log(2.0)]])
    np.testing.assert_allclose(layers.softmax(scores), [[0.25, 0.75], [0.5, 0.5]])
    np.testing.assert_allclose(layers.log_softmax(scores), np.log([[0.25, 0.75], [0.5, 0.5]]))
    loss, dscores = layers.softmax_loss(scores, np.array([1, 0]))
    assert loss == pytest.approx(-(np.log(0.75) + np.log(0.5)) / 2)
    np.testing.assert_allclose(dscores, [[0.25 / 2, -0.25 / 2], [-0.5 / 2, 0.5 / 2]])  # (p - onehot) / N
    assert layers.chance_loss(10) == pytest.approx(2.302585, abs=1e-6)  # ln(10), the slide's 2.3
    with pytest.raises(ValueError, match="num_classes"):
        layers.chance_loss(0)


def test_svm_loss_value_by_hand():
    scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])  # the lecture's cat/car/frog
    y = np.array([0, 1, 2])
    loss, _ = layers.svm_loss(scores, y)
    assert loss == pytest.approx((2.9 + 0 + 12.9) / 3)


def test_svm_loss_is_zero_when_margins_are_met():
    loss, dscores = layers.svm_loss(np.array([[5.0, 0.0, 0.0]]), np.array([0]))
    assert loss == 0 and not dscores.any()


def test_numerical_gradient_of_a_function_returning_its_input():
    """The identity (e.g. dropout at test time returns x itself) has gradient dout, not 0."""
    x, dout = np.array([[1.0, -2.0], [3.0, 0.5]]), np.array([[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_allclose(numerical_gradient(lambda v: v, x.copy(), dout), dout)


def test_numerical_gradient_restores_x_and_rel_error_values():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sum(v ** 3)), x), 3 * before ** 2, rtol=1e-8)
    np.testing.assert_array_equal(x, before)
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert rel_error([1.0], [3.0]) == pytest.approx(0.5)
    assert rel_error([0.0], [1e-12]) < 1e-3  # tiny values are compared against a floor of 1e-8


def test_integer_inputs_give_float_results_as_the_formulas_do():
    """In-place shortcuts must not turn a student's integer example into a casting error."""
    scores, y = np.array([[3, 1, -2], [0, 0, 5]]), np.array([0, 2])
    loss, dscores = layers.softmax_loss(scores, y)
    expected, dexpected = layers.softmax_loss(scores.astype(float), y)
    assert loss == expected and np.array_equal(dscores, dexpected)
    assert np.array_equal(layers.log_softmax(scores), layers.log_softmax(scores.astype(float)))
    out, _ = layers.affine_forward(np.array([[1, 2]]), np.eye(2, dtype=int), np.array([0.5, -0.5]))
    assert np.array_equal(out, [[1.5, 1.5]])
