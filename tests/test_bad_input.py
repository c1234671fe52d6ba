"""Bad input to every public core function: a ValueError whose message names the argument and the
value, and nothing changed (parameters, configs, nets and arrays compared with copies)."""
import copy
import math
import re

import numpy as np
import pytest

import core
from core import data, dropout, init, optim, preprocess, regularizers, schedules
from core.demos import diagnosis

NAN, INF = float("nan"), float("inf")
BAD_POSITIVE = [0, 0.0, -1e-3, NAN, INF, -INF, "fast", None]


def names(name, value=...):
    """pytest.raises(ValueError) whose message names `name` and (when given) shows repr(value)."""
    pattern = re.escape(name) + (".*" + re.escape(repr(value)) if value is not ... else "")
    return pytest.raises(ValueError, match=pattern)


def assert_same(a, b):
    """Deep equality of nested dicts / lists / arrays / numbers (NaN equal to NaN)."""
    if isinstance(a, (tuple, list)):
        assert isinstance(b, type(a)) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for k in a:
            assert_same(a[k], b[k])
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        np.testing.assert_array_equal(a, b)
        assert np.asarray(a).dtype == np.asarray(b).dtype
    elif isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b)
    else:
        assert a == b


# ---- optim: every rule, every hyperparameter ----------------------------------------------------

RULE_HYPERPARAMETERS = {
    "sgd": {},
    "momentum": {"momentum": [-0.1, 1.0, 1.5, NAN, "0.9x"]},
    "nesterov": {"momentum": [-0.1, 1.0, 1.5, NAN]},
    "adagrad": {"epsilon": [0, -1e-8, NAN, 2.0]},
    "rmsprop": {"decay_rate": [-0.1, 1.0, NAN], "epsilon": [0, -1e-8, NAN]},
    "adam": {"beta1": [-0.1, 1.0, NAN], "beta2": [-0.5, 1.0, INF], "epsilon": [0, NAN]},
}
OPTIM_CASES = [(rule, "learning_rate", v) for rule in optim.UPDATE_RULES for v in BAD_POSITIVE]
OPTIM_CASES += [(rule, key, v) for rule, keys in RULE_HYPERPARAMETERS.items() for key, values in keys.items()
                for v in values]


def rule_with_state(rule_name):
    """w, dw and a config after one good step (so velocities, caches, moments are in it)."""
    rng = np.random.default_rng(0)
    w, dw = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    w, config = optim.UPDATE_RULES[rule_name](w, dw, {"learning_rate": 1e-2})
    return w, dw, config


@pytest.mark.parametrize("rule_name, key, value", OPTIM_CASES)
def test_update_rule_rejects_bad_hyperparameter_and_changes_nothing(rule_name, key, value):
    w, dw, config = rule_with_state(rule_name)
    config[key] = value
    saved = copy.deepcopy((w, dw, config))
    with names(key, value):
        optim.UPDATE_RULES[rule_name](w, dw, config)
    assert_same((w, dw, config), saved)


@pytest.mark.parametrize("rule_name", sorted(optim.UPDATE_RULES))
def test_update_rule_rejects_mismatched_shapes(rule_name):
    w, dw, config = rule_with_state(rule_name)
    saved = copy.deepcopy((w, config))
    with names("dw", (2, 3)):
        optim.UPDATE_RULES[rule_name](w, dw.T, config)
    assert_same(w, saved[0])
    assert_same(config, saved[1])


@pytest.mark.parametrize("rule_name, key", [("sgd", "momentum"), ("adam", "momentum"), ("momentum", "beta1"),
                                           ("rmsprop", "decay"), ("adagrad", "velocity")])
def test_update_rule_rejects_settings_it_does_not_have(rule_name, key):
    """{"momentum": 0.9} given to plain SGD would otherwise be silently ignored."""
    w, dw, config = rule_with_state(rule_name)
    config[key] = 0.9
    saved = copy.deepcopy((w, dw, config))
    with pytest.raises(ValueError, match=re.escape(f"config['{key}'] = 0.9 is not a setting")):
        optim.UPDATE_RULES[rule_name](w, dw, config)
    assert_same((w, dw, config), saved)


@pytest.mark.parametrize("name", ["SGD", "adamw", "", None])
def test_get_update_rule_rejects_unknown_names(name):
    with names("update", name):
        optim.get_update_rule(name)


# ---- trainer ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    d = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    return {k: v[:200] for k, v in d.items()}


TRAIN_CASES = (
    [({"learning_rate": v}, "learning_rate", v) for v in BAD_POSITIVE]
    + [({"learning_rate_decay": v}, "learning_rate_decay", v) for v in (0, -0.5, 1.5, NAN)]
    + [({"reg": v}, "reg", v) for v in (-1e-3, NAN, INF, "strong")]
    + [({"batch_size": v}, "batch_size", v) for v in (0, -5, 201, 2.5, True, "100")]
    + [({"num_epochs": v}, "num_epochs", v) for v in (0, -1, 1.5, None)]
    + [({"update": v}, "update", v) for v in ("Adam", "lbfgs")]
    + [({"update": "momentum", "update_config": {"momentum": v}}, "momentum", v) for v in (1.0, -0.1, NAN)]
    + [({"update": "adam", "update_config": {"beta2": 1.0}}, "beta2", 1.0)]
    + [({"update": "sgd", "update_config": {"momentum": 0.9}}, "config['momentum']", ...)]
    + [({"explode_factor": v}, "explode_factor", v) for v in (0.5, 0, NAN, INF)]
    + [({"num_train_samples": v}, "num_train_samples", v) for v in (0, 10.0)]
    + [({"rng": v}, "rng", v) for v in (-1, "seed", 1.5)]
    + [({"learning_rate": v}, "learning_rate", ...) for v in ([0.1, 0.1], [[0.1] * 5])]   # per-epoch rates
    + [({"learning_rate": [0.1, 0.1, -0.1, 0.1, 0.1]}, "learning_rate[2]", -0.1)]
    + [({"learning_rate": [0.1] * 5, "learning_rate_decay": 0.9}, "learning_rate_decay", 0.9)]
    + [({"learning_rate": schedules.Schedule(lambda t: 0.1 - 0.01 * t, per="iteration")}, "iteration 10", ...)]
)


def fresh_net():
    return core.FullyConnectedNet(64, [20], 10, reg=0.25, p_keep=0.9, rng=0)


def check_train_rejects(digits, kwargs, name, value, data_override=None):
    net = fresh_net()
    saved = (net.copy_params(), net.reg, net.p_keep)
    arrays = dict(X_train=digits["X_train"], y_train=digits["y_train"], X_val=digits["X_val"],
                  y_val=digits["y_val"])
    arrays.update(data_override or {})
    saved_arrays = copy.deepcopy(arrays)
    calls = []
    options = dict(num_epochs=5, batch_size=50, learning_rate=0.1, on_iteration=calls.append)
    options.update(kwargs)
    with names(name, value):
        core.train(net, **arrays, **options)
    assert calls == []
    assert_same(net.params, saved[0])
    assert (net.reg, net.p_keep) == saved[1:]
    assert_same(arrays, saved_arrays)


@pytest.mark.parametrize("kwargs, name, value", TRAIN_CASES)
def test_train_rejects_bad_hyperparameters_and_leaves_the_net_alone(digits, kwargs, name, value):
    check_train_rejects(digits, kwargs, name, value)


def with_value(array, index, value):
    out = np.array(array, copy=True)
    out[index] = value
    return out


@pytest.mark.parametrize("override, pattern", [
    (lambda d: {"X_train": with_value(d["X_train"], (3, 5), NAN)}, r"X_train must be finite, got 1 non-finite"),
    (lambda d: {"X_val": with_value(d["X_val"], (0, 0), INF)}, r"X_val must be finite"),
    (lambda d: {"y_train": with_value(d["y_train"], 7, 10)}, r"y_train must lie in \[0, 10\), got label 10"),
    (lambda d: {"y_train": with_value(d["y_train"], 0, -1)}, r"y_train must lie in \[0, 10\), got label -1"),
    (lambda d: {"y_val": with_value(d["y_val"], 4, 12)}, r"y_val must lie in \[0, 10\), got label 12"),
    (lambda d: {"y_train": d["y_train"][:-1]}, r"y_train has 199 labels; expected 200"),
    (lambda d: {"y_val": d["y_val"][:, None]}, r"y_val must have shape \(N,\), got \(200, 1\)"),
    (lambda d: {"y_train": d["y_train"] + 0.5}, r"y_train must hold integer class labels, got dtype float64"),
    (lambda d: {"X_val": d["X_val"][:, :63]}, r"X_val has 63 features per example; the net expects 64"),
    (lambda d: {"X_train": d["X_train"][:, :32]}, r"X_train has 32 features"),
    (lambda d: {"X_train": d["X_train"].ravel()}, r"X_train must have 2 dimension\(s\), got shape \(12800,\)"),
    (lambda d: {"X_train": d["X_train"][:0], "y_train": d["y_train"][:0]}, r"X_train and X_val must hold at least one"),
])
def test_train_rejects_bad_data_and_leaves_the_net_alone(digits, override, pattern):
    net = fresh_net()
    saved = net.copy_params()
    arrays = dict(X_train=digits["X_train"], y_train=digits["y_train"], X_val=digits["X_val"], y_val=digits["y_val"])
    arrays.update(override(digits))
    with pytest.raises(ValueError, match=pattern):
        core.train(net, **arrays, num_epochs=2, batch_size=1 if len(arrays["y_train"]) == 0 else 50)
    assert_same(net.params, saved)


# ---- the net ------------------------------------------------------------------------------------

NET_CASES = (
    [({"input_size": v}, "input_size", v) for v in (0, -3, 2.5, "64")]
    + [({"hidden_sizes": v}, "hidden_sizes[0]", bad) for v, bad in (([0], 0), ([-2, 5], -2), ([5.5], 5.5))]
    + [({"hidden_sizes": [5, 0]}, "hidden_sizes[1]", 0)]
    + [({"num_classes": v}, "num_classes", v) for v in (1, 0, 2.0)]
    + [({"activation": v}, "activation", v) for v in ("gelu", "ReLU", None)]
    + [({"init": v}, "init", v) for v in ("lecun", "Xavier")]
    + [({"init_scale": v}, "scale", v) for v in (0, -0.01, NAN, INF)]
    + [({"p_keep": v}, "p_keep", v) for v in (0, 1.01, -0.5, NAN)]
    + [({"dropout": v}, "dropout", v) for v in ("alpha", "Inverted")]
    + [({"reg": v}, "reg", v) for v in (-1, NAN, INF)]
    + [({"reg_kind": v}, "reg_kind", v) for v in ("l3", "L2")]
    + [({"l1_ratio": v}, "l1_ratio", v) for v in (-0.1, 1.5, NAN)]
    + [({"max_norm": v}, "max_norm", v) for v in (0, -1.0, INF, NAN)]
    + [({"loss": v}, "loss", v) for v in ("hinge", "cross_entropy")]
    + [({"dtype": v}, "dtype", ...) for v in (np.int32, np.float16, "complex128")]
    + [({"rng": v}, "rng", v) for v in (-1, "0", 0.5)]
)


@pytest.mark.parametrize("kwargs, name, value", NET_CASES)
def test_net_constructor_rejects_bad_arguments(kwargs, name, value):
    options = dict(input_size=8, hidden_sizes=[5], num_classes=3)
    options.update(kwargs)
    with names(name, value):
        core.FullyConnectedNet(options.pop("input_size"), options.pop("hidden_sizes"), options.pop("num_classes"),
                               **options)


def net_and_batch():
    net = core.FullyConnectedNet(8, [5], 3, p_keep=0.5, dtype=np.float64, rng=0)
    rng = np.random.default_rng(1)
    return net, rng.standard_normal((4, 8)), np.array([0, 2, 1, 2])


@pytest.mark.parametrize("X_fn, y_fn, pattern", [
    (lambda X: X[:, :7], lambda y: y, r"X has 7 features per example; the net expects 8"),
    (lambda X: X[0], lambda y: y, r"X must have 2 dimension\(s\)"),
    (lambda X: with_value(X, (1, 1), NAN), lambda y: y, r"X must be finite"),
    (lambda X: with_value(X, (0, 0), -INF), lambda y: y, r"X must be finite"),
    (lambda X: X, lambda y: with_value(y, 0, 3), r"y must lie in \[0, 3\), got label 3"),
    (lambda X: X, lambda y: with_value(y, 2, -1), r"y must lie in \[0, 3\), got label -1"),
    (lambda X: X, lambda y: y[:3], r"y has 3 labels; expected 4"),
    (lambda X: X, lambda y: y.astype(float) + 0.25, r"y must hold integer class labels"),
])
def test_net_loss_and_accuracy_reject_bad_data(X_fn, y_fn, pattern):
    net, X, y = net_and_batch()
    saved, state = net.copy_params(), net.rng.bit_generator.state
    for method in (net.loss, net.accuracy):
        with pytest.raises(ValueError, match=pattern):
            method(X_fn(X), y_fn(y))
    assert_same(net.params, saved)
    assert net.rng.bit_generator.state == state  # no mask was drawn


@pytest.mark.parametrize("method", ["scores", "predict", "hidden_activations"])
def test_net_scores_predict_activations_reject_bad_X(method):
    net, X, _ = net_and_batch()
    with pytest.raises(ValueError, match=r"X has 7 features"):
        getattr(net, method)(X[:, :7])
    with pytest.raises(ValueError, match=r"X must be finite"):
        getattr(net, method)(with_value(X, (0, 0), NAN))


def test_net_rejects_bad_masks_mode_and_params():
    net, X, y = net_and_batch()
    saved = net.copy_params()
    with names("mask", (4, 4)):
        net.loss(X, y, masks={"h1": np.ones((4, 4))})
    with names("mode", "eval"):
        net.hidden_activations(X, mode="eval")
    with pytest.raises(ValueError, match=r"params is missing 'b2'"):
        net.set_params({k: v for k, v in saved.items() if k != "b2"})
    bad = dict(saved, W1=np.zeros((5, 8)))
    with pytest.raises(ValueError, match=r"params\['W1'\] has shape \(5, 8\); expected \(8, 5\)"):
        net.set_params(bad)
    assert_same(net.params, saved)


# ---- layers' companions: dropout, regularizers, init ---------------------------------------------

X_SMALL = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("kwargs, name, value", (
    [({"p_keep": v}, "p_keep", v) for v in (0, -0.1, 1.2, NAN, INF, "half")]
    + [({"mode": v}, "mode", v) for v in ("eval", "TRAIN", None)]
    + [({"kind": v}, "kind", v) for v in ("dropconnect", "alpha")]
    + [({"mask": np.ones((4, 3))}, "mask", (4, 3))]
    + [({"rng": v}, "rng", v) for v in (-1, "x")]
))
def test_dropout_forward_rejects_bad_arguments(kwargs, name, value):
    options = dict(p_keep=0.5, mode="train", rng=0)
    options.update(kwargs)
    x = X_SMALL.copy()
    with names(name, value):
        dropout.dropout_forward(x, **options)
    np.testing.assert_array_equal(x, X_SMALL)


@pytest.mark.parametrize("kwargs, name, value", (
    [({"p_keep": v}, "p_keep", v) for v in (0, 1.5, NAN)]
    + [({"mode": "eval"}, "mode", "eval"), ({"mask": np.ones((3, 4))}, "mask", (3, 4))]
))
def test_dropconnect_forward_rejects_bad_arguments(kwargs, name, value):
    options = dict(p_keep=0.5, mode="train", rng=0)
    options.update(kwargs)
    w = np.ones((4, 2))
    with names(name, value):
        dropout.dropconnect_forward(X_SMALL, w, np.zeros(2), **options)
    np.testing.assert_array_equal(w, np.ones((4, 2)))


@pytest.mark.parametrize("call, name, value", (
    [(lambda w, v=v: regularizers.penalty("l2", w, v), "reg", v) for v in (-0.1, NAN, INF, "big")]
    + [(lambda w, v=v, f=f: f(w, v), "reg", v) for f in (regularizers.l2, regularizers.l1, regularizers.elastic)
       for v in (-1.0, NAN)]
    + [(lambda w: regularizers.penalty("l3", w, 0.1), "reg_kind", "l3")]
    + [(lambda w, v=v: regularizers.penalty("elastic", w, 0.1, l1_ratio=v), "l1_ratio", v) for v in (-0.5, 2.0, NAN)]
    + [(lambda w, v=v: regularizers.elastic(w, 0.1, l1_ratio=v), "l1_ratio", v) for v in (1.5,)]
    + [(lambda w, v=v: regularizers.max_norm(w, v), "max_norm", v) for v in (0, -1.0, INF, NAN)]
))
def test_regularizers_reject_bad_strengths(call, name, value):
    w = X_SMALL.copy()
    with names(name, value):
        call(w)
    np.testing.assert_array_equal(w, X_SMALL)


@pytest.mark.parametrize("call, name, value", (
    [(lambda v=v: init.init_weights(v, 4, 3, np.random.default_rng(0)), "init", v) for v in ("glorot", None)]
    + [(lambda v=v: init.init_weights("he", v, 3, np.random.default_rng(0)), "fan_in", v) for v in (0, -4, 4.0)]
    + [(lambda v=v: init.init_weights("he", 4, v, np.random.default_rng(0)), "fan_out", v) for v in (0, "3")]
    + [(lambda v=v: init.init_weights("gaussian", 4, 3, np.random.default_rng(0), v), "scale", v)
       for v in (0, -0.01, NAN, INF)]
    + [(lambda: init.init_weights("he", 4, 3, "rng"), "rng", "rng")]
    + [(lambda v=v: init.expected_std("xavier", v, 3), "fan_in", v) for v in (0, -1)]
    + [(lambda: init.expected_std("he", 4, 3, scale=-2.0), "scale", -2.0)]
    + [(lambda: init.expected_std("lecun", 4, 3), "init", "lecun")]
))
def test_init_rejects_bad_arguments(call, name, value):
    with names(name, value):
        call()


# ---- schedules, monitor ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, kwargs, name, value", (
    [(("cosine", 0.1, 10), {}, "schedule", "cosine")]
    + [(("step", v, 10), {}, "learning_rate", v) for v in (0, -0.1, NAN, INF)]
    + [(("constant", 0.1, v), {}, "num_epochs", v) for v in (0, -2, 3.5)]
    + [(("step", 0.1, 10), {"every": v}, "every", v) for v in (0, -1, 2.5)]
    + [(("step", 0.1, 10), {"drop": v}, "drop", v) for v in (0, 1.5, NAN)]
    + [(("decay", 0.1, 10), {"decay": v}, "decay", v) for v in (0, 1.01)]
    + [(("exponential", 0.1, 10), {"k": v}, "k", v) for v in (-0.1, NAN, INF)]
    + [(("1/t", 0.1, 10), {"k": -1.0}, "k", -1.0)]
    + [(("constant", 0.1, 10), {"k": 0.1}, "k", 0.1), (("step", 0.1, 10), {"decay": 0.9}, "decay", 0.9)]
))
def test_schedule_rejects_bad_arguments(args, kwargs, name, value):
    with names(name, value):
        schedules.schedule(*args, **kwargs)


@pytest.mark.parametrize("kwargs, name, value", [
    ({"gap_threshold": 1.5}, "gap_threshold", 1.5), ({"gap_threshold": NAN}, "gap_threshold", NAN),
    ({"flat_threshold": -0.1}, "flat_threshold", -0.1),
])
def test_diagnose_rejects_bad_thresholds(kwargs, name, value):
    with names(name, value):
        diagnosis.diagnose([2.3, 2.2, 2.1], **kwargs)
    with names("loss_history", (2, 2)):
        diagnosis.diagnose([[2.3, 2.2], [2.1, 2.0]])


# ---- data and preprocessing ----------------------------------------------------------------------

@pytest.mark.parametrize("call, name, value", (
    [(lambda v=v: data.load_digits(num_val=v), "num_val", v) for v in (-1, 2.5, "300")]
    + [(lambda v=v: data.load_digits(num_test=v), "num_test", v) for v in (-5, None)]
    + [(lambda: data.load_digits(num_val=1000, num_test=797), "num_val + num_test", ...)]
    + [(lambda: data.load_digits(rng=-3), "rng", -3)]
    + [(lambda: data.load_dataset("mnist"), "name", "mnist")]
    + [(lambda v=v: data.toy_2d(v), "name", v) for v in ("moons", "Spiral")]
    + [(lambda v=v: data.toy_2d("spiral", num_per_class=v), "num_per_class", v) for v in (0, -10, 10.0)]
    + [(lambda v=v: data.toy_2d("gauss", noise=v), "noise", v) for v in (-0.1, NAN, INF)]
    + [(lambda: data.toy_2d("spiral", num_classes=1), "num_classes", 1)]
    + [(lambda v=v: data.toy_2d(v, num_classes=3), "num_classes", 3) for v in ("circle", "xor")]
    + [(lambda: data.toy_2d("xor", rng="seed"), "rng", "seed")]
    + [(lambda: data.row_to_image(np.zeros(10)), "row", ...)]
))
def test_data_functions_reject_bad_arguments(call, name, value):
    with names(name, value):
        call()


def test_split_and_tiny_subset_reject_bad_arguments():
    X, y = np.zeros((20, 3)), np.arange(20) % 4
    saved = (X.copy(), y.copy())
    with names("y", ...):
        data.split(X, y[:-1], 2, 2, rng=0)
    with names("X", ...):
        data.split(with_value(X, (0, 0), NAN), y, 2, 2, rng=0)
    with names("num_val", -2):
        data.split(X, y, -2, 2, rng=0)
    for bad in (0, 21, 2.0):
        with names("num_examples", bad):
            data.tiny_subset(X, y, bad)
    with names("y", (19,)):
        data.tiny_subset(X, y[:19], 5)
    with names("X", ...):
        data.tiny_subset(X[0], y, 5)
    assert_same((X, y), saved)


def test_load_cifar10_rejects_bad_sizes(tmp_path):
    rng = np.random.default_rng(0)
    for name in ("data_batch_1.bin", "test_batch.bin"):
        records = np.concatenate([rng.integers(0, 10, (5, 1)), rng.integers(0, 256, (5, 3072))], axis=1)
        records.astype(np.uint8).tofile(tmp_path / name)
    with names("num_val", 5):
        data.load_cifar10(tmp_path, num_val=5)
    with names("num_val", -1):
        data.load_cifar10(tmp_path, num_val=-1)
    with names("num_train", 0):
        data.load_cifar10(tmp_path, num_val=1, num_train=0)
    with names("rng", "x"):
        data.load_cifar10(tmp_path, num_val=1, rng="x")


@pytest.mark.parametrize("call, name, value", [
    (lambda X: preprocess.fit(X, "zca"), "method", "zca"),
    (lambda X: preprocess.fit(X, "pca", num_components=0), "num_components", 0),
    (lambda X: preprocess.fit(X, "pca", num_components=5), "num_components", 5),
    (lambda X: preprocess.fit(X, "whiten", eps=0), "eps", 0),
    (lambda X: preprocess.fit(X, "whiten", eps=NAN), "eps", NAN),
    (lambda X: preprocess.fit(with_value(X, (0, 1), INF)), "X", ...),
    (lambda X: preprocess.fit(X[0]), "X", ...),
    (lambda X: preprocess.transform(X[:, :3], preprocess.fit(X)), "X has 3 features", ...),
    (lambda X: preprocess.preprocess({"X_train": X, "X_val": X}, "pca", num_components=9), "num_components", 9),
])
def test_preprocess_rejects_bad_arguments(call, name, value):
    X = np.random.default_rng(0).standard_normal((10, 4))
    saved = X.copy()
    with names(name, value):
        call(X)
    np.testing.assert_array_equal(X, saved)


def test_every_message_is_a_value_error_not_a_type_error():
    """Values of the wrong type are bad values too: a ValueError, as for every other bad input."""
    for call in (lambda: optim.sgd(np.ones(2), np.ones(2), {"learning_rate": [0.1]}),
                 lambda: core.FullyConnectedNet(None, [5], 3),
                 lambda: schedules.schedule("step", "0.1x", 10),
                 lambda: data.toy_2d("spiral", noise=object())):
        with pytest.raises(ValueError):
            call()
