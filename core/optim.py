"""Update rules, all with one shape: update(w, dw, config) -> (next_w, config).

config holds the hyperparameters (defaults filled in on first use) and the rule's state
(velocity, caches, moments, step count), so the trainer keeps one config per parameter.
Hyperparameters are checked before anything changes: a bad value raises ValueError and leaves
w and config as they were.
"""
import numpy as np

from . import checks


def _prepare(w, dw, config, defaults, bounds, state=()):
    """Check shapes and hyperparameters, then fill defaults into a copy of config.

    A key that is neither a hyperparameter (in defaults) nor the rule's state is rejected, so that
    {"momentum": 0.9} given to plain SGD is an error rather than silently ignored.
    """
    checks.same_shape("dw", dw, "w", w)
    merged = dict(defaults)
    merged.update(config or {})
    unknown = sorted(merged.keys() - defaults.keys() - set(state))
    if unknown:
        raise ValueError(f"config[{unknown[0]!r}] = {merged[unknown[0]]!r} is not a setting of this update "
                         f"rule; it takes {sorted(defaults)}")
    checks.finite_positive("learning_rate", merged["learning_rate"])
    for key, (low, high, low_open, high_open) in bounds.items():
        checks.in_range(key, merged[key], low, high, low_open, high_open)
    return merged


def sgd(w, dw, config=None):
    """Vanilla SGD: w -= learning_rate * dw."""
    config = _prepare(w, dw, config, {"learning_rate": 1e-2}, {})
    return w - config["learning_rate"] * dw, config


def momentum(w, dw, config=None):
    """SGD + momentum: v = mu * v - learning_rate * dw; w += v."""
    config = _prepare(w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9},
                      {"momentum": (0, 1, False, True)}, state=("velocity",))
    v = config["momentum"] * config.get("velocity", 0) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def nesterov(w, dw, config=None):
    """Nesterov momentum in the look-ahead form: v_prev = v; v = mu v - lr dw; w += -mu v_prev + (1 + mu) v."""
    config = _prepare(w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9},
                      {"momentum": (0, 1, False, True)}, state=("velocity",))
    mu = config["momentum"]
    v_prev = config.get("velocity", 0)
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w - mu * v_prev + (1 + mu) * v, config


def adagrad(w, dw, config=None):
    """Adagrad: cache += dw^2; w -= lr dw / (sqrt(cache) + eps)."""
    config = _prepare(w, dw, config, {"learning_rate": 1e-2, "epsilon": 1e-8},
                      {"epsilon": (0, 1, True, False)}, state=("cache",))
    cache = config.get("cache", 0) + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def rmsprop(w, dw, config=None):
    """RMSProp: cache = decay cache + (1 - decay) dw^2; w -= lr dw / (sqrt(cache) + eps)."""
    config = _prepare(w, dw, config, {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
                      {"decay_rate": (0, 1, False, True), "epsilon": (0, 1, True, False)}, state=("cache",))
    d = config["decay_rate"]
    cache = d * config.get("cache", 0) + (1 - d) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam(w, dw, config=None):
    """Adam: moments m, v with bias correction m / (1 - beta1^t), v / (1 - beta2^t)."""
    config = _prepare(w, dw, config,
                      {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
                      {"beta1": (0, 1, False, True), "beta2": (0, 1, False, True),
                       "epsilon": (0, 1, True, False)}, state=("m", "v", "t"))
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", 0) + (1 - b1) * dw
    v = b2 * config.get("v", 0) + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


UPDATE_RULES = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}


def get_update_rule(name):
    """The update function registered under name (a ValueError lists the names otherwise)."""
    return UPDATE_RULES[checks.choice("update", name, UPDATE_RULES)]
