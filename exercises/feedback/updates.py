"""Checks of exercise 6: the update rules momentum, Nesterov momentum and Adam.

Every rule has the shape update(w, dw, config) -> (next_w, config), and its state (velocity,
moments, step count) lives in config, which the trainer hands back at the next step, one config per
parameter. The properties: several steps match core.optim's rule; a second run from a fresh config
takes the same steps and two parameters updated in turn do not disturb each other (state only in
config); every setting in config is honoured (other values, and the defaults of an empty config);
w of any shape; w and dw are left unchanged (next_w is a new array).
"""
import numpy as np

from core import optim

from .base import Fail, call, check, close, copies, generator, pair, shaped, show, unchanged

SHAPES = [(3, 4), (5,), (2, 3, 2)]
NUM_STEPS = 5
ANY_SHAPE = "the docstring allows any shape of w: code that assumes its size fails here"


def _state_rerun(name, keys):
    return (f"a second run from a fresh config takes other steps than the first: {name} keeps state outside config "
            f"(a global variable, a function attribute or a default argument), and the first run left it behind. "
            f"Keep the state in the config you are given ({keys}) and nowhere else")


def _state_shared(name, keys):
    return (f"two parameters updated in turn, each with its own config as the trainer does, disturb each other: "
            f"{name} keeps state outside config, shared by every parameter (a global variable, a function attribute "
            f"or a default argument). Keep the state in the config you are given ({keys})")


def _steps(rule, name, w0, grads, config, given="", why=""):
    """Positions after each step of rule, config passed back from step to step as the trainer does.
    given: the inputs, for every message; why: a hint added where the rule raises or returns another shape."""
    settings = dict(config)
    w, config, positions = w0.copy(), dict(config), []
    for dw in grads:
        dw = dw.copy()
        before = copies(w=w, dw=dw)
        next_w, config = pair(call(rule, w, dw, config, given=given + why), 2,
                              f"{name} must return a pair (next_w, config)")
        if not isinstance(config, dict):
            raise Fail(f"{name} must return the config dict as its second value, got {type(config).__name__}")
        lost = [key for key, value in settings.items() if key not in config or config[key] != value]
        if name and lost:
            raise Fail(f"the config {name} returns {'lacks' if lost[0] not in config else 'changed'} "
                       f"config[{lost[0]!r}] (given {settings[lost[0]]:g}), so the next step runs with "
                       f"{'the default' if lost[0] not in config else 'another value'}: return the config you were "
                       "given, with your state stored in it (config[...] = ...; return next_w, config)")
        unchanged(before, {"w": w, "dw": dw}, name, "the array")
        next_w = shaped(next_w, w0.shape, "next_w", f", the shape of w{given}{why}")
        positions.append(next_w.copy())
        w = next_w.copy()
    return positions


def _same(a, b):
    return len(a) == len(b) and all(close(p, q) for p, q in zip(a, b))


def _inputs(seed, k, shape):
    rng = generator(seed, k)
    return rng.standard_normal(shape), [rng.standard_normal(shape) for _ in range(NUM_STEPS)]


def _settings(config):
    return ", ".join(f"{k}={v:g}" for k, v in config.items()) or "an empty config (the defaults)"


def _smallest(rule, reference, config):
    """The first step where rule and reference differ on w = [1.] with dw = [1.] at every step, as text."""
    w0, grads = np.array([1.0]), [np.array([1.0])] * 3
    try:
        got = _steps(rule, "", w0, grads, config)
    except Fail:
        return None
    want = _steps(reference, "", w0, grads, config)
    for step, (g, e) in enumerate(zip(got, want), 1):
        if not close(g, e):
            return (f"on w = [1.] with dw = [1.] at every step and {_settings(config)}: step {step} should give "
                    f"next_w = {show(e)}, yours gives {show(g)}")
    return None


def _reproduces(fn, rule, w0, grads, configs):
    """True when the mistake model rule takes fn's steps under every config."""
    try:
        return all(_same(_steps(fn, "", w0, grads, c), _steps(rule, "", w0, grads, c)) for c in configs)
    except (Fail, ZeroDivisionError, FloatingPointError):
        return False


def _compare(fn, name, reference, config, mistakes, w0, grads, given="", why="", configs=()):
    """Fail when fn's steps differ from reference's, naming a mistake model that reproduces them (under
    config and every one of configs: a model that matches one config by coincidence is not named)."""
    positions = _steps(fn, name, w0, grads, config, given, why)
    expected = _steps(reference, "", w0, grads, config)
    if _same(positions, expected):
        return
    for message, rule in mistakes:
        if _reproduces(fn, rule, w0, grads, [config, *configs]):
            raise Fail(message + given)
    step = next(k for k, (p, q) in enumerate(zip(positions, expected), 1) if not close(p, q))
    if not np.all(np.isfinite(positions[step - 1])):
        raise Fail(f"step {step} gives nan/inf{given} with {_settings(config)}")
    smallest = _smallest(fn, reference, config)
    raise Fail(f"step {step} differs from the expected {name} update by up to "
               f"{np.max(np.abs(positions[step - 1] - expected[step - 1])):.3g} with {_settings(config)}{given}"
               + (f"; {smallest}" if smallest else ""))


def _check_update(fn, name, reference, configs, mistakes, state_keys, seed):
    """The properties of an update rule (see the module docstring); returns the pass message."""
    config = configs[0]
    w0, grads = _inputs(seed, 0, SHAPES[0])
    first = _steps(fn, name, w0, grads, config)
    if not _same(first, _steps(fn, name, w0, grads, config)):
        raise Fail(_state_rerun(name, state_keys))
    _compare(fn, name, reference, config, mistakes, w0, grads, configs=configs[1:])
    for k, shape in enumerate(SHAPES[1:], 1):
        w_k, grads_k = _inputs(seed, k, shape)
        _compare(fn, name, reference, config, mistakes, w_k, grads_k, f" for w of shape {shape}", f" ({ANY_SHAPE})",
                 configs[1:])
    # two parameters in turn, one config each
    (w1, g1), (w2, g2) = _inputs(seed, 0, SHAPES[0]), _inputs(seed, 1, SHAPES[1])
    states, positions = [[w1.copy(), dict(config)], [w2.copy(), dict(config)]], [[], []]
    try:
        for step in range(NUM_STEPS):
            for i, grads_i in enumerate((g1, g2)):
                w, cfg = states[i]
                next_w, cfg = pair(call(fn, w.copy(), grads_i[step].copy(), cfg), 2,
                                   f"{name} must return a pair (next_w, config)")
                states[i] = [np.array(next_w, dtype=np.float64), cfg]
                positions[i].append(states[i][0].copy())
    except Fail as error:
        raise Fail(f"{_state_shared(name, state_keys)} (here: {error})") from None
    if not (_same(positions[0], _steps(reference, "", w1, g1, config))
            and _same(positions[1], _steps(reference, "", w2, g2, config))):
        raise Fail(_state_shared(name, state_keys))
    for k, other in enumerate(configs[1:], 1):
        _compare(fn, name, reference, other, mistakes, w0, grads, configs=configs[:k] + configs[k + 1:])
    return (f"{NUM_STEPS} steps match core.optim.{reference.__name__} ({_settings(config)}; also "
            + "; ".join(_settings(c) for c in configs[1:])
            + "); state only in config (re-run, two parameters); w of any shape left unchanged")


# ---- momentum and Nesterov ---------------------------------------------------------------------
def momentum_variant(mu=None, lr=None, sign=-1.0, use_velocity=True, stored=1.0, step_rate=False):
    """Momentum with one classic mistake: a fixed mu or lr, the wrong sign, no velocity, the velocity
    stored with the other sign (stored=-1), or the learning rate applied again to the step."""
    def rule(w, dw, config):
        config = {"learning_rate": 1e-2, "momentum": 0.9, **config}
        m = config["momentum"] if mu is None else mu
        rate = config["learning_rate"] if lr is None else lr
        v = (m * config.get("velocity", 0) if use_velocity else 0) + sign * rate * dw
        config["velocity"] = stored * v
        return w + (config["learning_rate"] if step_rate else 1.0) * v, config
    return rule


MOMENTUM_CONFIGS = [{"learning_rate": 0.1, "momentum": 0.5}, {"learning_rate": 0.03, "momentum": 0.8}, {}]


@check("momentum")
def check_momentum(momentum, seed=0):
    """momentum(w, dw, config) -> (next_w, config): v = mu * v - learning_rate * dw; next_w = w + v."""
    mistakes = [
        ("your momentum update ignores the velocity from the previous step: keep v in config['velocity'] "
         "and use it, v = mu * v - learning_rate * dw", momentum_variant(use_velocity=False)),
        ("your update goes uphill (w + learning_rate * dw): v = mu * v - learning_rate * dw",
         momentum_variant(sign=1.0)),
        ("you used momentum 0.9, not config['momentum']", momentum_variant(mu=0.9)),
        ("your update ignores config['learning_rate'] (it steps by dw itself)", momentum_variant(lr=1.0)),
        ("your update ignores config['learning_rate'] (it always uses 0.01)", momentum_variant(lr=1e-2)),
        ("this is Nesterov's update; plain momentum is next_w = w + v", optim.nesterov),
        ("config['velocity'] holds -v, the velocity with the other sign, and the next step uses it as v: store "
         "the v you step with, config['velocity'] = v", momentum_variant(stored=-1.0)),
        ("you multiplied the step by the learning rate again (next_w = w + learning_rate * v): v already contains "
         "it, v = mu * v - learning_rate * dw; next_w = w + v", momentum_variant(step_rate=True)),
    ]
    return _check_update(momentum, "momentum", optim.momentum, MOMENTUM_CONFIGS, mistakes, "config['velocity']",
                         seed)


def nesterov_variant(a=-1.0, b=1.0, mu=None, use_velocity=True, lr=None):
    """Nesterov with one classic mistake: a sign, (1 - mu), a fixed mu or lr, or no velocity."""
    def rule(w, dw, config):
        config = {"learning_rate": 1e-2, "momentum": 0.9, **config}
        m = config["momentum"] if mu is None else mu
        v_prev = config.get("velocity", 0) if use_velocity else 0
        v = m * v_prev - (config["learning_rate"] if lr is None else lr) * dw
        config["velocity"] = v
        return w + a * m * v_prev + (1 + b * m) * v, config
    return rule


@check("nesterov")
def check_nesterov(nesterov, seed=0):
    """nesterov(w, dw, config) -> (next_w, config).

    v_prev = v; v = mu v - lr dw; next_w = w - mu v_prev + (1 + mu) v."""
    mistakes = [
        ("this is plain momentum (next_w = w + v); Nesterov's look-ahead step is "
         "next_w = w - mu * v_prev + (1 + mu) * v", optim.momentum),
        ("your Nesterov update ignores the velocity from the previous step: keep v in config['velocity']",
         nesterov_variant(use_velocity=False)),
        ("the look-ahead correction has the wrong sign: next_w = w - mu * v_prev + (1 + mu) * v",
         nesterov_variant(a=1.0)),
        ("(1 - mu) should be (1 + mu): next_w = w - mu * v_prev + (1 + mu) * v", nesterov_variant(b=-1.0)),
        ("you used momentum 0.9, not config['momentum']", nesterov_variant(mu=0.9)),
        ("your update ignores config['learning_rate'] (it always uses 0.01)", nesterov_variant(lr=1e-2)),
    ]
    return _check_update(nesterov, "nesterov", optim.nesterov, MOMENTUM_CONFIGS, mistakes, "config['velocity']",
                         seed)


# ---- Adam --------------------------------------------------------------------------------------
def adam_variant(correct=True, keep_t=True, t_first=1, square=True, swap=False, root=True, betas=None,
                 epsilon=None, eps_inside=False, store_corrected=False, lr=None, t_stored=0):
    """Adam with one classic mistake (no bias correction, t not kept or counted twice, dw not squared,
    epsilon under the root, the corrected moments stored, a fixed learning rate, ...)."""
    def rule(w, dw, config):
        config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, **config}
        b1, b2 = (config["beta1"], config["beta2"]) if betas is None else betas
        if swap:
            b1, b2 = b2, b1
        t = config.get("t", t_first - 1) + 1 if keep_t else t_first
        m = b1 * config.get("m", 0) + (1 - b1) * dw
        v = b2 * config.get("v", 0) + (1 - b2) * (dw * dw if square else dw)
        config.update(t=t + t_stored, m=m, v=v)
        if correct:
            m, v = m / (1 - b1 ** t), v / (1 - b2 ** t)
        if store_corrected:
            config.update(m=m, v=v)
        eps = config["epsilon"] if epsilon is None else epsilon
        denominator = np.sqrt(v + eps) if eps_inside else (np.sqrt(v) if root else v) + eps
        return w - (config["learning_rate"] if lr is None else lr) * m / denominator, config
    return rule


# the second config has a large epsilon, so that a rule that ignores config["epsilon"] shows
ADAM_CONFIGS = [{"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8},
                {"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.9, "epsilon": 0.5}, {}]


@check("adam")
def check_adam(adam, seed=0):
    """adam(w, dw, config) -> (next_w, config): moments m, v of dw and dw**2 with bias correction."""
    mistakes = [
        ("no bias correction: your first steps are too big or too small; use m / (1 - beta1**t) and "
         "v / (1 - beta2**t)", adam_variant(correct=False)),
        ("the step count t is not kept: bias correction uses t = 1 at every step; store config['t'] "
         "and add 1 each step", adam_variant(keep_t=False)),
        ("the second moment must average dw**2 (you used dw)", adam_variant(square=False)),
        ("beta1 and beta2 are swapped: beta1 goes with m (dw), beta2 with v (dw**2)", adam_variant(swap=True)),
        ("divide by np.sqrt(v_hat) + epsilon, not by v_hat", adam_variant(root=False)),
        ("you used beta1 = 0.9, beta2 = 0.999, not config['beta1'], config['beta2']",
         adam_variant(betas=(0.9, 0.999))),
        ("your update ignores config['epsilon'] (it always adds 1e-8): use the epsilon in config",
         adam_variant(epsilon=1e-8)),
        ("epsilon goes outside the square root: divide by np.sqrt(v_hat) + epsilon, not np.sqrt(v_hat + epsilon)",
         adam_variant(eps_inside=True)),
        ("you stored the bias-corrected m_hat and v_hat in config: the next step must continue the raw moving "
         "averages, config['m'] = m and config['v'] = v; the corrected ones are only for this step",
         adam_variant(store_corrected=True)),
        ("your update ignores config['learning_rate'] (it always uses 0.001)", adam_variant(lr=1e-3)),
        ("t goes up by 2 at every step: you add 1 before the bias correction and again when you store it "
         "(config['t'] = t + 1); add 1 once, t = config['t'] + 1, and store that t", adam_variant(t_stored=1)),
    ]
    w0, grads = _inputs(seed, 0, SHAPES[0])
    first = np.asarray(pair(call(adam, w0.copy(), grads[0].copy(), dict(ADAM_CONFIGS[0])), 2,
                            "adam must return a pair (next_w, config)")[0], dtype=np.float64)
    if first.shape == w0.shape and np.all(~np.isfinite(first)):
        raise Fail("your first step gives nan/inf: t must be 1 at the first step (add 1 to t before the bias "
                   "correction; 1 - beta**0 = 0)")
    if first.shape == w0.shape and not np.all(np.isfinite(first)):
        unsquared = adam_variant(square=False)(w0.copy(), grads[0].copy(), dict(ADAM_CONFIGS[0]))[0]
        if np.array_equal(np.isfinite(first), np.isfinite(unsquared)):
            raise Fail("the second moment must average dw**2 (you used dw: its square root is nan where dw < 0)")
        raise Fail("your first step gives nan/inf for some entries")
    return _check_update(adam, "adam", optim.adam, ADAM_CONFIGS, mistakes, "config['m'], config['v'], config['t']",
                         seed)
