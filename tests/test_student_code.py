"""core.demos.student_code: the numbers the exercise explorers show around the student's functions, each
checked against values worked out by hand."""
import numpy as np
import pytest

from core import optim
from core.demos import student_code as sc


def test_deep_activations_apply_each_layer_in_turn():
    # one unit, one example: h0 = the first standard normal draw of the generator
    h0 = np.random.default_rng(3).standard_normal((1, 1))[0, 0]
    relu = sc.deep_activations(None, "relu", np.random.default_rng(3), width=1, num_examples=1,
                            weights=[np.array([[-2.0]]), np.array([[0.5]])])
    # relu(-2 h0) then relu(0.5 * that): zero for h0 > 0, else -2 h0 and -h0
    expected = (0.0, 0.0) if h0 > 0 else (-2 * h0, -h0)
    assert [a[0, 0] for a in relu] == pytest.approx(expected)
    tanh = sc.deep_activations(None, "tanh", np.random.default_rng(3), width=1, num_examples=1,
                            weights=[np.array([[2.0]])])
    assert tanh[0][0, 0] == pytest.approx(np.tanh(2 * h0))
    # two units: a row times the matrix, h @ W = (a, 2a + b) for W = [[1, 2], [0, 1]] (not its transpose)
    a, b = np.random.default_rng(3).standard_normal((1, 2))[0]
    two = sc.deep_activations(None, "tanh", np.random.default_rng(3), width=2, num_examples=1,
                           weights=[np.array([[1.0, 2.0], [0.0, 1.0]])])
    np.testing.assert_allclose(two[0][0], np.tanh([a, 2 * a + b]))


def test_deep_activations_draw_weights_with_init():
    calls = []

    def init(fan_in, fan_out, rng):
        calls.append((fan_in, fan_out))
        return np.eye(fan_in)  # identity weights: relu keeps the positive part, layer after layer

    acts = sc.deep_activations(init, "relu", np.random.default_rng(0), num_layers=3, width=4, num_examples=5)
    assert calls == [(4, 4)] * 3 and len(acts) == 3 and acts[0].shape == (5, 4)
    np.testing.assert_array_equal(acts[2], acts[0])
    assert acts[0].min() == 0.0


def test_valley_loss_and_gradient():
    # f = (w0^2 + 20 w1^2) / 2 at (-4, 1): (16 + 20) / 2 = 18; gradient (w0, 20 w1) = (-4, 20)
    value, grad = sc.valley_loss(np.array([-4.0, 1.0]))
    assert value == 18.0
    np.testing.assert_array_equal(grad, [-4.0, 20.0])


def test_update_path_of_sgd_by_hand():
    # sgd at lr 0.1: w0 <- 0.9 w0, w1 <- w1 - 0.1 * 20 w1 = -w1; from (-4, 1): (-3.6, -1), (-3.24, 1)
    path, losses = sc.update_path(optim.sgd, 0.1, 2)
    np.testing.assert_allclose(path, [[-4, 1], [-3.6, -1], [-3.24, 1]])
    np.testing.assert_allclose(losses, [18.0, 0.5 * (3.6 ** 2 + 20), 0.5 * (3.24 ** 2 + 20)])
    assert not sc.path_diverged(losses)


def test_update_path_stops_once_it_leaves():
    # lr 0.2: w1 <- (1 - 4) w1 = -3 w1, so |w1| = 3^k, first above 1e6 at k = 13: 13 steps, 14 points
    path, losses = sc.update_path(optim.sgd, 0.2, 100)
    assert path.shape == (14, 2) and abs(path[-1, 1]) == pytest.approx(3.0 ** 13)
    assert sc.path_diverged(losses)


def test_path_diverged():
    assert sc.path_diverged(np.array([1.0, sc.PATH_LIMIT * 1.01]))
    assert sc.path_diverged(np.array([1.0, np.nan]))
    assert not sc.path_diverged(np.array([sc.PATH_LIMIT * 2, sc.PATH_LIMIT]))  # only the last loss counts


def test_per_decade_counts_every_value_in_the_total():
    values = [1.5e-5, 2e-5, 5e-4, 0.5, -1.0]  # -1 is in no decade but counts in the 5
    fractions = sc.per_decade(values, np.arange(-6, 1))
    np.testing.assert_allclose(fractions, [0, 0.4, 0.2, 0, 0, 0.2])


def test_top_decade():
    assert sc.top_decade([1e-4, 5e-4, 1.5e-3, 2e-3], -2) == 0.5  # at or above 1e-3
    assert sc.top_decade([1e-4, 5e-4], -2) == 0.0


def test_clipped_fractions_clip_and_count_nan_as_zero():
    values = np.array([[np.nan, -5.0], [0.1, 2.0]])
    # NaN -> 0 and 0.1 in [0, 1]; -5 -> -1 in [-1, 0); 2 -> 1 in the closed last bin
    np.testing.assert_allclose(sc.clipped_fractions(values, np.array([-1.0, 0.0, 1.0])), [0.25, 0.75])


def test_dropout_summary_of_inverted_and_of_a_forgotten_scale():
    x = np.array([1.0, 2.0])
    inverted = sc.dropout_summary(x, np.array([[2.0, 0.0], [0.0, 4.0]]), x)  # p_keep 0.5: kept ones doubled
    np.testing.assert_allclose(inverted["mean"], [1.0, 2.0])
    assert (inverted["kept"], inverted["scale"], inverted["ratio"]) == (0.5, 2.0, 1.0)
    vanilla = sc.dropout_summary(x, np.array([[1.0, 0.0], [0.0, 2.0]]), x)  # kept but not scaled up
    assert (vanilla["kept"], vanilla["scale"], vanilla["ratio"]) == (0.5, 1.0, 0.5)
    nothing = sc.dropout_summary(x, np.zeros((3, 2)), x)
    assert nothing["kept"] == 0.0 and np.isnan(nothing["scale"]) and nothing["ratio"] == 0.0
