"""core.demos.surfaces: gradients checked numerically, descent with every update rule, argument errors."""
import numpy as np
import pytest

from core import gradcheck, optim
from core.demos import surfaces


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_gradient_matches_numerical_gradient(name):
    surface = surfaces.get_surface(name)
    rng = np.random.default_rng(0)
    x_min, x_max, y_min, y_max = surface.extent
    for _ in range(20):
        w = np.array([rng.uniform(x_min, x_max), rng.uniform(y_min, y_max)], dtype=np.float64)
        numerical = gradcheck.numerical_gradient(lambda v: surface.value(v[0], v[1]), w)
        analytic = np.array(surface.gradient(w[0], w[1]))
        assert gradcheck.rel_error(analytic, numerical) < 1e-7


@pytest.mark.parametrize("name", list(surfaces.SURFACES))
def test_minimum_is_a_stationary_point_with_the_stated_value(name):
    surface = surfaces.get_surface(name)
    x, y = surface.minimum
    assert surface.value(x, y) == pytest.approx(surface.min_value)
    assert np.allclose(surface.gradient(x, y), 0)
    X, Y, F = surfaces.grid(name, 101)
    assert F.shape == (101, 101) and F.min() >= surface.min_value - 1e-12


def test_saddle_has_a_saddle_point_at_the_origin():
    gx, gy = surfaces.saddle_gradient(0.0, 0.0)
    assert gx == 0 and gy == 0
    assert surfaces.saddle(0.1, 0.0) > 0 > surfaces.saddle(0.0, 0.1)  # up along x, down along y


def test_values_broadcast_over_grids():
    X, Y = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4))
    for surface in surfaces.SURFACES.values():
        assert surface.value(X, Y).shape == (4, 5)
        gx, gy = surface.gradient(X, Y)
        assert np.shape(gx) == np.shape(gy) == (4, 5)


@pytest.mark.parametrize("rule", list(optim.UPDATE_RULES))
def test_descend_uses_the_update_rule_and_lowers_the_valley(rule):
    lr = 0.3 if rule in ("sgd", "momentum", "nesterov") else 1.0
    run = surfaces.descend("narrow valley", rule, (-9.0, 2.0), 200, lr)
    assert run["path"].shape == (201, 2) and run["values"].shape == (201,)
    assert run["diverged_at"] is None
    assert run["values"][-1] < 0.1 * run["values"][0]


def test_descend_gap_is_the_height_above_the_minimum_floored_for_a_log_scale():
    run = surfaces.descend("narrow valley", "sgd", (-9.0, 2.0), 50, 0.3)
    f_star = surfaces.get_surface("narrow valley").min_value
    np.testing.assert_allclose(run["gap"], np.maximum(run["values"] - f_star, surfaces.GAP_FLOOR))
    at_minimum = surfaces.descend("narrow valley", "sgd", (0.0, 0.0), 3, 0.1)  # f = f* = 0 all the way
    np.testing.assert_array_equal(at_minimum["gap"], [surfaces.GAP_FLOOR] * 4)
    overflow = surfaces.descend("rosenbrock", "sgd", (-1.5, 2.5), 5, 1e200)  # f = inf after one step
    assert overflow["values"][-1] == np.inf and np.isnan(overflow["gap"][-1]) and overflow["gap"][0] == 12.5


def test_descend_first_sgd_step_is_lr_times_gradient():
    run = surfaces.descend("rosenbrock", "sgd", (-1.5, 2.5), 1, 1e-3)
    g = np.array(surfaces.rosenbrock_gradient(-1.5, 2.5))
    assert np.allclose(run["path"][1], np.array([-1.5, 2.5]) - 1e-3 * g)


def test_momentum_beats_sgd_on_the_valley_at_the_same_learning_rate():
    sgd = surfaces.descend("narrow valley", "sgd", (-9.0, 2.0), 100, 0.5)
    momentum = surfaces.descend("narrow valley", "momentum", (-9.0, 2.0), 100, 0.5, {"momentum": 0.9})
    assert momentum["values"][-1] < 0.01 * sgd["values"][-1]


def test_descend_stops_a_diverging_run():
    run = surfaces.descend("narrow valley", "sgd", (-9.0, 2.0), 500, 5.0)
    assert run["diverged_at"] is not None
    assert run["path"].shape[0] == run["diverged_at"] + 1
    assert not np.isfinite(run["path"][-1]).all() or np.hypot(*run["path"][-1]) > 1e3


def test_zero_steps_returns_the_start():
    run = surfaces.descend("saddle", "adam", (0.5, 0.5), 0, 0.1)
    assert run["path"].tolist() == [[0.5, 0.5]]


@pytest.mark.parametrize("kwargs, name", [
    ({"name": "bowl"}, "surface"),
    ({"update": "lbfgs"}, "update"),
    ({"start": (1.0,)}, "start"),
    ({"start": (np.nan, 0.0)}, "start"),
    ({"num_steps": -1}, "num_steps"),
    ({"num_steps": 2.5}, "num_steps"),
    ({"learning_rate": 0.0}, "learning_rate"),
    ({"learning_rate": np.inf}, "learning_rate"),
    ({"update_config": {"momentum": 1.5}}, "momentum"),
    ({"escape_radius": -1}, "escape_radius"),
])
def test_bad_arguments_raise_value_error_naming_them(kwargs, name):
    args = {"name": "narrow valley", "update": "momentum", "start": (-9.0, 2.0), "num_steps": 10,
            "learning_rate": 0.1, **kwargs}
    config = args.pop("update_config", None)
    start = np.array(args["start"], dtype=float) if not isinstance(args["start"], tuple) else args["start"]
    with pytest.raises(ValueError, match=name):
        surfaces.descend(args["name"], args["update"], start, args["num_steps"], args["learning_rate"], config,
                         **({"escape_radius": args["escape_radius"]} if "escape_radius" in args else {}))


def test_bad_config_leaves_it_unchanged():
    config = {"momentum": 2.0}
    with pytest.raises(ValueError):
        surfaces.descend("saddle", "momentum", (0.0, 0.1), 5, 0.1, config)
    assert config == {"momentum": 2.0}


def test_grid_rejects_bad_sizes():
    with pytest.raises(ValueError, match="num_points"):
        surfaces.grid("saddle", 1)
