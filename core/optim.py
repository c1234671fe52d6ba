"""Update rules, all with one shape: update(w, dw, config) -> (next_w, config).

config holds the hyperparameters (defaults filled in on first use) and the rule's state
(velocity, caches, moments, step count), so the trainer keeps one config per parameter.

Each rule comes as its step (sgd_step, ...: the maths alone, for a config that already holds every
hyperparameter) and as the rule itself (sgd, ...: the checked entry). The rule checks dw's shape and
the hyperparameters before anything changes (a bad value raises ValueError naming it and leaves w
and config as they were), fills in the defaults, then runs the step. A training loop checks once
(prepare) and then calls the step on every update of every parameter.
"""
import numpy as np

from . import checks

# name: (default hyperparameters, bounds {name: (low, high, low_open, high_open)}, state keys)
SETTINGS = {
    "sgd": ({"learning_rate": 1e-2}, {}, ()),
    "momentum": ({"learning_rate": 1e-2, "momentum": 0.9}, {"momentum": (0, 1, False, True)}, ("velocity",)),
    "nesterov": ({"learning_rate": 1e-2, "momentum": 0.9}, {"momentum": (0, 1, False, True)}, ("velocity",)),
    "adagrad": ({"learning_rate": 1e-2, "epsilon": 1e-8}, {"epsilon": (0, 1, True, False)}, ("cache",)),
    "rmsprop": ({"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
                {"decay_rate": (0, 1, False, True), "epsilon": (0, 1, True, False)}, ("cache",)),
    "adam": ({"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
             {"beta1": (0, 1, False, True), "beta2": (0, 1, False, True), "epsilon": (0, 1, True, False)},
             ("m", "v", "t")),
}


# ---- the steps: maths only -----------------------------------------------------------------------
def sgd_step(w, dw, config):
    """Vanilla SGD: w -= learning_rate * dw."""
    return w - config["learning_rate"] * dw, config


def momentum_step(w, dw, config):
    """SGD + momentum: v = mu * v - learning_rate * dw; w += v."""
    v = config["momentum"] * config.get("velocity", 0) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def nesterov_step(w, dw, config):
    """Nesterov momentum in the look-ahead form: v_prev = v; v = mu v - lr dw; w += -mu v_prev + (1 + mu) v."""
    mu = config["momentum"]
    v_prev = config.get("velocity", 0)
    v = mu * v_prev - config["learning_rate"] * dw
    config["velocity"] = v
    return w - mu * v_prev + (1 + mu) * v, config


def adagrad_step(w, dw, config):
    """Adagrad: cache += dw^2; w -= lr dw / (sqrt(cache) + eps)."""
    cache = config.get("cache", 0) + dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def rmsprop_step(w, dw, config):
    """RMSProp: cache = decay cache + (1 - decay) dw^2; w -= lr dw / (sqrt(cache) + eps)."""
    d = config["decay_rate"]
    cache = d * config.get("cache", 0) + (1 - d) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam_step(w, dw, config):
    """Adam: moments m, v with bias correction m / (1 - beta1^t), v / (1 - beta2^t)."""
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", 0) + (1 - b1) * dw
    v = b2 * config.get("v", 0) + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


STEPS = {"sgd": sgd_step, "momentum": momentum_step, "nesterov": nesterov_step, "adagrad": adagrad_step,
         "rmsprop": rmsprop_step, "adam": adam_step}


# ---- checks --------------------------------------------------------------------------------------
def prepare_config(name, config=None):
    """A copy of config with rule `name`'s defaults filled in, every hyperparameter checked.

    A key that is neither a hyperparameter of the rule nor its state is rejected, so that
    {"momentum": 0.9} given to plain SGD is an error rather than silently ignored.
    """
    defaults, bounds, state = SETTINGS[name]
    merged = dict(defaults)
    if config:
        merged.update(config)
    unknown = sorted(key for key in merged if key not in defaults and key not in state)
    if unknown:
        raise ValueError(f"config[{unknown[0]!r}] = {merged[unknown[0]]!r} is not a setting of this update "
                         f"rule; it takes {sorted(defaults)}")
    checks.finite_positive("learning_rate", merged["learning_rate"])
    for key, (low, high, low_open, high_open) in bounds.items():
        checks.in_range(key, merged[key], low, high, low_open, high_open)
    return merged


def checked(step):
    """The update rule of a step: it checks dw's shape and the config (a ValueError naming a bad value,
    nothing changed), fills in the defaults, then runs the step. sgd = checked(sgd_step), ..."""
    name = step.__name__.removesuffix("_step")

    def rule(w, dw, config=None):
        checks.same_shape("dw", dw, "w", w)
        return step(w, dw, prepare_config(name, config))

    rule.__name__ = rule.__qualname__ = name
    rule.__doc__ = f"{step.__doc__} Checked: core.optim.checked({step.__name__})."
    return rule


# ---- the rules: checked entries ------------------------------------------------------------------
sgd = checked(sgd_step)
momentum = checked(momentum_step)
nesterov = checked(nesterov_step)
adagrad = checked(adagrad_step)
rmsprop = checked(rmsprop_step)
adam = checked(adam_step)

UPDATE_RULES = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}
_CORE_RULES = dict(UPDATE_RULES)


def get_update_rule(name):
    """The update function registered under name (a ValueError lists the names otherwise)."""
    return UPDATE_RULES[checks.choice("update", name, UPDATE_RULES)]


def prepare(name, config=None):
    """For a loop over many updates: (step, config) for the rule registered under `name`, checked once.

    For core's rules, step is the unchecked maths (sgd_step, ...) and config a checked copy with
    the defaults filled in; call next_w, config = step(w, dw, config) on every update. A rule
    registered from outside core (exercises.plug) is returned as it is, after one trial call on
    zeros that lets it reject bad settings before anything runs.
    """
    rule = get_update_rule(name)
    if rule is _CORE_RULES.get(name):
        return STEPS[name], prepare_config(name, config)
    config = dict(config or {})
    rule(np.zeros(1), np.zeros(1), dict(config))
    return rule, config
