"""Checks for the exercises: run the student's function on chosen inputs and say exactly what is wrong.

Every check prints one line, PASS / FAIL / NOT YET, and returns a CheckResult (true when passed).
A check never raises: a function that still raises NotImplementedError reports "not implemented yet",
any other exception is reported as a failure, so the rest of the notebook keeps running.

How a check finds the mistake: it runs the student's function and, when the answer is wrong, runs
the classic wrong versions ("mistake models") on the same inputs; the one that reproduces the
student's numbers names the mistake. Otherwise it reports where and by how much the answer differs.

Shapes: N examples, D inputs, H outputs of a layer, C classes.
"""
import math
import warnings

import numpy as np

from core import gradcheck, layers, optim

NOT_IMPLEMENTED = "not implemented yet"


class CheckResult:
    """What a check found. bool(result) is True when the check passed.

    name: the exercise; status: "pass", "fail" or "not implemented"; message: the explanation.
    """

    def __init__(self, name, status, message):
        self.name, self.status, self.message = name, status, message

    @property
    def passed(self):
        return self.status == "pass"

    def __bool__(self):
        return self.passed

    @property
    def line(self):
        label = {"pass": "PASS", "fail": "FAIL", "not implemented": "NOT YET"}[self.status]
        return f"{label} {self.name}: {self.message}"

    def __str__(self):
        return self.line

    def __repr__(self):
        return f"CheckResult({self.name!r}, {self.status!r})"


class _Fail(Exception):
    """Raised inside a check to stop it with a message."""


class _NotYet(Exception):
    """The student's function raised NotImplementedError."""


def _check(name):
    """Decorator: turn a check body (which returns the pass message or raises _Fail) into a check."""
    def wrap(body):
        def check(*args, **kwargs):
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    result = CheckResult(name, "pass", body(*args, **kwargs))
            except _NotYet as error:
                result = CheckResult(name, "not implemented", f"{NOT_IMPLEMENTED}{error}")
            except _Fail as error:
                result = CheckResult(name, "fail", str(error))
            except Exception as error:  # e.g. the check called with the wrong arguments
                result = CheckResult(name, "fail", f"the check could not run: {type(error).__name__}: {error}")
            print(result.line)
            return result
        check.__name__ = body.__name__
        check.__doc__ = body.__doc__
        check.__wrapped__ = body
        return check
    return wrap


def _call(fn, *args, helper=None, **kwargs):
    """Call the student's fn; NotImplementedError becomes "not implemented", other errors a failure.

    helper: the name of a function the check needs besides the one it is about (e.g. the forward
    pass for a backward check); when it is not implemented yet, the message says so.
    """
    what = helper or getattr(fn, "__name__", "your function")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise _NotYet(f" ({helper} is {NOT_IMPLEMENTED}, and this check needs it)" if helper else "") from None
    except Exception as error:
        raise _Fail(f"{what} raised {type(error).__name__}: {error}") from None


def _close(a, b, rtol=1e-6, atol=1e-9):
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _array(value, what):
    """value as a float64 array, or a failure naming what was returned."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Fail(f"{what} must be a numpy array, got {type(value).__name__}") from None
    return arr


def _shape(value, expected, what, hint=""):
    arr = _array(value, what)
    if arr.shape != expected:
        raise _Fail(f"{what} has the wrong shape {arr.shape}; expected {expected}{hint}")
    return arr


def _tuple(value, size, what):
    if not isinstance(value, tuple) or len(value) != size:
        got = f"a tuple of {len(value)}" if isinstance(value, tuple) else type(value).__name__
        raise _Fail(f"{what}; got {got}")
    return value


def _unchanged(before, after, what, fn_name):
    if not np.array_equal(before, after):
        raise _Fail(f"{fn_name} changed its input {what} in place ({what}[...] = ... or {what} *= ...): "
                    f"compute a new array instead; the caller still needs {what}")


def _diagnose(got, mistakes, generic):
    """The message of the first mistake model whose value matches got, else the generic message."""
    for message, value in mistakes:
        if value is not None and _close(got, value):
            raise _Fail(message)
    raise _Fail(generic)


def _ratio_mistake(got, expected, n, what, why):
    """Messages for an answer N times too small or too large."""
    if _close(got * n, expected):
        raise _Fail(f"{what} is N = {n} times too small: {why}")
    if _close(got, expected * n):
        raise _Fail(f"{what} is N = {n} times too large: {why}")


# ---- layers: affine, ReLU, softmax ------------------------------------------------------------
N, D, H, C = 4, 6, 5, 10


def _affine_inputs():
    rng = np.random.default_rng(0)
    return rng.standard_normal((N, D)), rng.standard_normal((D, H)), rng.standard_normal(H)


@_check("affine_forward")
def check_affine_forward(affine_forward):
    """affine_forward(x, w, b) -> (out, cache): out = x @ w + b, x (N, D), w (D, H), b (H,), out (N, H)."""
    x, w, b = _affine_inputs()
    x0, w0, b0 = x.copy(), w.copy(), b.copy()
    result = _call(affine_forward, x, w, b)
    out, _ = _tuple(result, 2, "affine_forward must return a pair (out, cache)")
    out = _array(out, "out")
    if out.shape == (H, N):
        raise _Fail(f"out has the wrong shape {out.shape}; expected {(N, H)} = (N, H): out = x @ w + b, "
                    "not (w.T @ x.T)")
    _shape(out, (N, H), "out", " = (N, H)")
    for before, after, name in ((x0, x, "x"), (w0, w, "w"), (b0, b, "b")):
        _unchanged(before, after, name, "affine_forward")
    expected = x @ w + b
    if not _close(out, expected):
        _diagnose(out, [("out misses the bias: out = x @ w + b", x @ w),
                        ("out subtracts the bias: out = x @ w + b", x @ w - b)],
                  f"out differs from x @ w + b by up to {np.max(np.abs(out - expected)):.3g}")
    return f"out = x @ w + b for x {x.shape}, w {w.shape}, b {b.shape}"


@_check("affine_backward")
def check_affine_backward(affine_forward, affine_backward):
    """affine_backward(dout, cache) -> (dx, dw, db), checked against numerical gradients."""
    x, w, b = _affine_inputs()
    dout = np.random.default_rng(1).standard_normal((N, H))
    result = _call(affine_forward, x.copy(), w.copy(), b.copy(), helper="affine_forward")
    _, cache = _tuple(result, 2, "affine_forward must return a pair (out, cache)")
    grads = _tuple(_call(affine_backward, dout, cache), 3,
                   "affine_backward must return three gradients (dx, dw, db)")
    dx = _shape(grads[0], (N, D), "dx", " = (N, D), the shape of x: dx = dout @ w.T")
    dw = _shape(grads[1], (D, H), "dw", " = (D, H), the shape of w: dw = x.T @ dout")
    db = _shape(grads[2], (H,), "db", " = (H,), the shape of b: sum dout over the examples (axis 0)")
    # the gradient check: centred differences of f(x, w, b) = x @ w + b contracted with dout
    numeric = {
        "dx": gradcheck.numerical_gradient(lambda v: v @ w + b, x.copy(), dout),
        "dw": gradcheck.numerical_gradient(lambda v: x @ v + b, w.copy(), dout),
        "db": gradcheck.numerical_gradient(lambda v: x @ w + v, b.copy(), dout),
    }
    for name, got in (("dx", dx), ("dw", dw), ("db", db)):
        expected = numeric[name]
        error = gradcheck.rel_error(got, expected)
        if error > 1e-7:
            why = ("the loss already averages over the examples; do not divide here" if name == "dw"
                   else "sum dout over the examples (axis 0), do not average" if name == "db"
                   else "dx = dout @ w.T")
            _ratio_mistake(got, expected, N, name, why)
            raise _Fail(f"{name} differs from the numerical gradient: relative error {error:.2g} (want < 1e-7)")
    return "dx, dw, db match the numerical gradient (relative error < 1e-7)"


def _relu_inputs():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((N, H))
    x[np.abs(x) < 0.1] = 0.5  # keep every entry away from the kink at 0 for the gradient check
    x[0, 0] = -1.5
    return x


@_check("relu_forward")
def check_relu_forward(relu_forward):
    """relu_forward(x) -> (out, cache): out = max(0, x) elementwise, the shape of x."""
    x = _relu_inputs()
    x0 = x.copy()
    out, _ = _tuple(_call(relu_forward, x), 2, "relu_forward must return a pair (out, cache)")
    out = _array(out, "out")
    if out.shape != x.shape:
        hint = (": np.max(x, 0) takes the maximum along axis 0; use np.maximum(x, 0), elementwise"
                if _close(out, x0.max(axis=0)) or out.shape == () else "")
        raise _Fail(f"out has the wrong shape {out.shape}; expected {x.shape}, the shape of x{hint}")
    _unchanged(x0, x, "x", "relu_forward")
    expected = np.maximum(x0, 0)
    if not _close(out, expected):
        _diagnose(out, [("negative inputs come out unchanged: ReLU sets them to 0", x0),
                        ("negative inputs come out positive (np.abs?): ReLU sets them to 0", np.abs(x0)),
                        ("you kept the negative part: out = np.maximum(x, 0), not np.minimum", np.minimum(x0, 0)),
                        ("out is 0/1: ReLU passes positive inputs through unchanged", (x0 > 0).astype(float))],
                  f"out differs from np.maximum(x, 0) by up to {np.max(np.abs(out - expected)):.3g}")
    return "out = np.maximum(x, 0), input left unchanged"


@_check("relu_backward")
def check_relu_backward(relu_forward, relu_backward):
    """relu_backward(dout, cache) -> dx, checked against the numerical gradient."""
    x = _relu_inputs()
    dout = np.random.default_rng(3).standard_normal(x.shape)
    _, cache = _tuple(_call(relu_forward, x.copy(), helper="relu_forward"), 2,
                      "relu_forward must return a pair (out, cache)")
    dx = _shape(_call(relu_backward, dout.copy(), cache), x.shape, "dx", ", the shape of x")
    numeric = gradcheck.numerical_gradient(lambda v: np.maximum(v, 0), x.copy(), dout)
    error = gradcheck.rel_error(dx, numeric)
    if error > 1e-7:
        _diagnose(dx, [
            ("the gradient flows through units that were off (x < 0): dx = dout * (x > 0)", dout),
            ("dx ignores dout: dx = dout * (x > 0), not just the mask", (x > 0).astype(float)),
            ("you gated by dout > 0; gate by the forward input: dx = dout * (x > 0)", dout * (dout > 0)),
            ("you gated by dout > 0; gate by the forward input: dx = dout * (x > 0)", np.maximum(dout, 0)),
            ("dx = dout * x is the gradient of x**2 / 2; ReLU's is dout * (x > 0)", dout * x),
            ("dx = dout * max(x, 0): ReLU's local gradient is 1 where x > 0, not x", dout * np.maximum(x, 0)),
        ], f"dx differs from the numerical gradient: relative error {error:.2g} (want < 1e-7)")
    return "dx = dout * (x > 0) matches the numerical gradient (relative error < 1e-7)"


@_check("softmax_loss")
def check_softmax_loss(softmax_loss):
    """softmax_loss(scores, y) -> (loss, dscores): mean cross-entropy and its gradient (N, C)."""
    rng = np.random.default_rng(4)
    n = 5
    scores = rng.standard_normal((n, C))
    y = rng.integers(0, C, n)
    y[:2] = [3, 7]
    loss, dscores = _tuple(_call(softmax_loss, scores.copy(), y.copy()), 2,
                           "softmax_loss must return a pair (loss, dscores)")
    loss_arr = _array(loss, "loss")
    if loss_arr.size != 1:
        raise _Fail(f"loss must be one number (the mean over the examples), got shape {loss_arr.shape}: "
                    "average the per-example losses")
    loss = float(loss_arr.reshape(()))
    dscores = _shape(dscores, (n, C), "dscores", " = (N, C), the shape of scores")
    expected, _ = layers.softmax_loss(scores, y)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    if not math.isclose(loss, expected, rel_tol=1e-6):
        if math.isclose(loss, expected * n, rel_tol=1e-6):
            raise _Fail(f"loss is N = {n} times too large: average over the examples (divide by N)")
        if math.isclose(loss, -expected, rel_tol=1e-6):
            raise _Fail("loss is negative: the loss is -log(probability of the correct class)")
        if math.isclose(loss, -log_probs[:, y].mean(), rel_tol=1e-6):
            raise _Fail("loss averages over every pair of rows and labels: pick each row's correct class "
                        "with probs[np.arange(N), y], not probs[:, y]")
        if math.isclose(loss, -np.log(np.exp(scores[np.arange(n), y]) / np.exp(scores).sum()).mean(), rel_tol=1e-6):
            raise _Fail("the probabilities are normalized over the whole batch: divide by each row's sum "
                        "(axis=1, keepdims=True)")
        raise _Fail(f"loss is {loss:.4f}; expected {expected:.4f} for these scores")
    # numerical stability: scores around 1000 overflow np.exp unless each row's max is subtracted first
    big = scores + 500 + 500 * rng.random((n, 1))
    big_loss, big_d = _tuple(_call(softmax_loss, big.copy(), y.copy()), 2,
                             "softmax_loss must return a pair (loss, dscores)")
    big_expected, _ = layers.softmax_loss(big, y)
    if (
        not np.isfinite(np.asarray(big_loss, dtype=float)).all()
        or not np.isfinite(np.asarray(big_d, dtype=float)).all()
    ):
        raise _Fail("loss or dscores is nan/inf for scores around 1000: subtract each row's max before "
                    "np.exp (it does not change the softmax)")
    if not math.isclose(float(np.asarray(big_loss, dtype=float).reshape(())), big_expected, rel_tol=1e-6):
        raise _Fail(f"loss is wrong for scores around 1000 (got {float(big_loss):.4g}, expected "
                    f"{big_expected:.4g}): subtract each row's max before np.exp")
    # gradient: against the numerical gradient of the (correct) loss
    numeric = gradcheck.numerical_gradient(lambda v: layers.softmax_loss(v, y)[0], scores.copy())
    error = gradcheck.rel_error(dscores, numeric)
    if error > 1e-7:
        probs = np.exp(log_probs)
        onehot = np.eye(C)[y]
        _ratio_mistake(dscores, numeric, n, "dscores", "divide by N, the loss averages over the examples")
        _diagnose(dscores, [
            ("dscores misses the -1 at the correct class: dscores = probs; dscores[np.arange(N), y] -= 1; "
             "dscores /= N", probs / n),
            ("dscores has the wrong sign: it is probs - onehot(y), divided by N", (onehot - probs) / n),
            ("dscores subtracts 1 from every class: only the correct class gets the -1", (probs - 1) / n),
        ], f"dscores differs from the numerical gradient: relative error {error:.2g} (want < 1e-7)")
    # the lecture's sanity check: small scores give ln(C)
    small = 1e-3 * rng.standard_normal((50, C))
    small_loss, _ = _call(softmax_loss, small, rng.integers(0, C, 50))
    small_loss = float(np.asarray(small_loss, dtype=float).reshape(()))
    if abs(small_loss - math.log(C)) > 0.01:
        raise _Fail(f"with near-zero scores the loss is {small_loss:.3f}; expected ln({C}) = {math.log(C):.3f}")
    return (f"loss and dscores right (gradient check < 1e-7), stable for big scores; "
            f"initial loss {small_loss:.2f} ~ ln({C}) = {math.log(C):.2f}")


# ---- initialization ----------------------------------------------------------------------------
FAN_IN, FAN_OUT = 400, 300


def _deep_stds(init, activation, rng, num_layers=10, width=256, num_examples=500):
    """Std of each layer's activations in a num_layers deep stack, weights from init(fan_in, fan_out, rng)."""
    h = rng.standard_normal((num_examples, width))
    stds, saturated = [], []
    for _ in range(num_layers):
        w = np.asarray(init(width, width, rng), dtype=np.float64)
        h = h @ w
        h = np.tanh(h) if activation == "tanh" else np.maximum(h, 0)
        stds.append(float(h.std()))
        saturated.append(float(np.mean(np.abs(h) > 0.99)) if activation == "tanh" else 0.0)
    return np.array(stds), np.array(saturated)


def _check_init(fn, expected_std, mistakes, activation):
    """Shape, reproducibility, mean and std of fn's weights; then the activation stds over 10 layers."""
    w = _call(fn, FAN_IN, FAN_OUT, np.random.default_rng(0))
    w = _array(w, "W")
    if w.shape == (FAN_OUT, FAN_IN):
        raise _Fail(f"W has the wrong shape {w.shape}; expected {(FAN_IN, FAN_OUT)} = (fan_in, fan_out): "
                    "x @ W needs one row per input")
    _shape(w, (FAN_IN, FAN_OUT), "W", " = (fan_in, fan_out)")
    again = _array(_call(fn, FAN_IN, FAN_OUT, np.random.default_rng(0)), "W")
    if not np.array_equal(w, again):
        raise _Fail("two calls with the same rng seed gave different weights: draw from rng "
                    "(rng.standard_normal), not from np.random")
    std, mean = float(w.std()), float(w.mean())
    if abs(mean) > 5 * std / math.sqrt(w.size) + 1e-12:
        hint = (": rng.random draws from [0, 1); use rng.standard_normal (mean 0)"
                if np.all(w >= 0) else "")
        raise _Fail(f"the weights' mean is {mean:.3g}, not 0{hint}")
    if not math.isclose(std, expected_std, rel_tol=0.03):
        for message, value in mistakes:
            if math.isclose(std, value, rel_tol=0.03):
                raise _Fail(f"std is {std:.4f} = {message}")
        raise _Fail(f"std is {std:.4f}; expected {expected_std:.4f} for fan_in = {FAN_IN}, fan_out = {FAN_OUT}")
    stds, saturated = _deep_stds(fn, activation, np.random.default_rng(1))
    return stds, saturated


def _common_init_mistakes(fan_in, fan_out):
    return [
        ("1 / fan_in: divide by the square root, np.sqrt(fan_in)", 1 / fan_in),
        ("1 / sqrt(fan_out): use fan_in, the number of inputs each unit sums", 1 / math.sqrt(fan_out)),
        ("the small gaussian's 0.01: scale by the fan-in instead", 0.01),
        ("1: rng.standard_normal needs scaling by the fan-in", 1.0),
    ]


@_check("xavier_init")
def check_xavier_init(xavier_init):
    """xavier_init(fan_in, fan_out, rng) -> W (fan_in, fan_out) ~ N(0, 1 / fan_in); steady tanh activations."""
    expected = 1 / math.sqrt(FAN_IN)
    mistakes = [("sqrt(2 / fan_in), He's: Xavier for tanh is 1 / sqrt(fan_in)", math.sqrt(2 / FAN_IN)),
                ("Glorot's sqrt(2 / (fan_in + fan_out)); this exercise asks for the lecture's 1 / sqrt(fan_in)",
                 math.sqrt(2 / (FAN_IN + FAN_OUT)))] + _common_init_mistakes(FAN_IN, FAN_OUT)
    stds, saturated = _check_init(xavier_init, expected, mistakes, "tanh")
    if stds[-1] < 0.1 or saturated.max() > 0.1:
        raise _Fail(f"activation std over 10 tanh layers goes {stds[0]:.2f} -> {stds[-1]:.2f}: not steady")
    return (f"std {expected:.3f} = 1/sqrt(fan_in); tanh activation std over 10 layers "
            f"{stds[0]:.2f} -> {stds[-1]:.2f}: no collapse, no saturation")


@_check("he_init")
def check_he_init(he_init):
    """he_init(fan_in, fan_out, rng) -> W (fan_in, fan_out) ~ N(0, 2 / fan_in); steady ReLU activations."""
    expected = math.sqrt(2 / FAN_IN)
    mistakes = [("1 / sqrt(fan_in), Xavier's: ReLU zeroes half its inputs, so He uses sqrt(2 / fan_in)",
                 1 / math.sqrt(FAN_IN)),
                ("2 / sqrt(fan_in): the 2 goes under the root, sqrt(2 / fan_in)", 2 / math.sqrt(FAN_IN)),
                ("2 / fan_in: that is the variance; the std is its square root, sqrt(2 / fan_in)", 2 / FAN_IN),
                ("sqrt(2 / fan_out): use fan_in, the number of inputs each unit sums", math.sqrt(2 / FAN_OUT)),
                ] + _common_init_mistakes(FAN_IN, FAN_OUT)
    stds, _ = _check_init(he_init, expected, mistakes, "relu")
    if not 0.5 < stds[-1] / stds[0] < 2:
        raise _Fail(f"activation std over 10 ReLU layers goes {stds[0]:.2f} -> {stds[-1]:.2f}: not steady")
    return (f"std {expected:.4f} = sqrt(2/fan_in); ReLU activation std over 10 layers "
            f"{stds[0]:.2f} -> {stds[-1]:.2f}: steady")


# ---- dropout -----------------------------------------------------------------------------------
@_check("inverted_dropout")
def check_inverted_dropout(inverted_dropout):
    """inverted_dropout(x, p_keep, mode, rng) -> out: drop with probability 1 - p_keep and divide by p_keep
    at train time; return x unchanged at test time."""
    p_keep = 0.8
    x = np.random.default_rng(5).uniform(0.5, 1.5, (1000, 100))
    x0 = x.copy()
    out = _shape(_call(inverted_dropout, x, p_keep, "train", np.random.default_rng(6)), x.shape, "out",
                 ", the shape of x")
    _unchanged(x0, x, "x", "inverted_dropout")
    kept = out != 0
    kept_fraction = float(kept.mean())
    if kept_fraction > 0.999:
        raise _Fail("nothing was dropped at train time: with mode='train' set each unit to 0 with "
                    "probability 1 - p_keep")
    if np.all(kept == kept[0]):
        raise _Fail("every example got the same mask: draw the mask with x's full shape, rng.random(x.shape)")
    if abs(kept_fraction - (1 - p_keep)) < 0.02:
        raise _Fail(f"you keep {kept_fraction:.0%} of the units, but p_keep = {p_keep} is the probability of "
                    f"KEEPING a unit: mask = rng.random(x.shape) < p_keep")
    if abs(kept_fraction - p_keep) > 0.02:
        raise _Fail(f"you keep {kept_fraction:.0%} of the units; expected about {p_keep:.0%} (p_keep = {p_keep})")
    scale = out[kept] / x[kept]
    mean_ratio = float(out.mean() / x.mean())
    if not np.allclose(scale, 1 / p_keep):
        if np.allclose(scale, 1.0):
            raise _Fail(f"your inverted dropout leaves the mean at {mean_ratio:.2f} x: did you divide by p_keep?")
        if np.allclose(scale, p_keep):
            raise _Fail(f"your inverted dropout leaves the mean at {mean_ratio:.2f} x: you multiplied by "
                        "p_keep; inverted dropout divides the kept units by p_keep")
        raise _Fail(f"kept units are scaled by {float(np.median(scale)):.3g}; expected 1 / p_keep = {1 / p_keep:.3g}")
    again = _array(_call(inverted_dropout, x, p_keep, "train", np.random.default_rng(6)), "out")
    if not np.array_equal(out, again):
        raise _Fail("two calls with the same rng seed gave different masks: draw the mask from rng "
                    "(rng.random), not from np.random")
    test = _shape(_call(inverted_dropout, x, p_keep, "test", np.random.default_rng(7)), x.shape, "out at test time",
                  ", the shape of x")
    if not np.allclose(test, x):
        _diagnose(test, [
            ("at test time you scaled by p_keep: that is vanilla dropout; inverted dropout leaves test time "
             "unchanged (return x)", x * p_keep),
            ("at test time you divided by p_keep: test time is unchanged (return x)", x / p_keep),
        ], "at test time (mode='test') you dropped or changed units: return x unchanged"
           if np.any(test == 0) else "at test time out must equal x (inverted dropout leaves test time unchanged)")
    return (f"keeps {kept_fraction:.0%} of units (p_keep = {p_keep}), mean preserved "
            f"({mean_ratio:.2f} x), test time unchanged")


# ---- update rules ------------------------------------------------------------------------------
def _trajectory(rule, w, grads, config):
    """Positions after each step of rule, config passed from step to step as the trainer does."""
    config, positions = dict(config), []
    for dw in grads:
        w, config = rule(w.copy(), dw, config)
        positions.append(np.array(w, dtype=np.float64))
    return positions


def _update_inputs():
    rng = np.random.default_rng(8)
    return rng.standard_normal((3, 4)), [rng.standard_normal((3, 4)) for _ in range(4)]


def _check_update(fn, name, config, reference, mistakes):
    """Run fn for a few steps; compare each position with the reference; name the mistake if one matches."""
    w0, grads = _update_inputs()
    w, cfg, positions = w0.copy(), dict(config), []
    for dw in grads:
        before = w.copy()
        result = _tuple(_call(fn, w, dw.copy(), cfg), 2, f"{name} must return a pair (next_w, config)")
        next_w, cfg = result
        if not isinstance(cfg, dict):
            raise _Fail(f"{name} must return the config dict as its second value, got {type(cfg).__name__}")
        next_w = _shape(next_w, w0.shape, "next_w", ", the shape of w")
        if not np.array_equal(before, w):
            raise _Fail(f"{name} changed the w passed in (in place, e.g. w += v): return a new array "
                        "(next_w = w + v) so the caller can compare old and new weights")
        positions.append(next_w)
        w = next_w.copy()
    expected = _trajectory(reference, w0, grads, config)
    for step, (got, want) in enumerate(zip(positions, expected), 1):
        if not _close(got, want):
            for message, rule in mistakes:
                try:
                    wrong = _trajectory(rule, w0, grads, config)
                except (ZeroDivisionError, FloatingPointError):
                    continue
                if all(_close(a, b) for a, b in zip(positions, wrong)):
                    raise _Fail(message)
            if not np.all(np.isfinite(got)):
                raise _Fail(f"step {step} gives nan/inf")
            raise _Fail(f"step {step} differs from the expected {name} update by up to "
                        f"{np.max(np.abs(got - want)):.3g}")
    settings = ", ".join(f"{k}={v:g}" for k, v in config.items())
    return f"{len(grads)} steps match core.optim.{reference.__name__} ({settings})"


def _momentum_variant(mu=None, lr=None, sign=-1.0, use_velocity=True, store=True):
    def rule(w, dw, config):
        m = config["momentum"] if mu is None else mu
        rate = config["learning_rate"] if lr is None else lr
        v = (m * config.get("velocity", 0) if use_velocity else 0) + sign * rate * dw
        if store:
            config["velocity"] = v
        return w + v, config
    return rule


MOMENTUM_CONFIG = {"learning_rate": 0.1, "momentum": 0.5}


@_check("momentum")
def check_momentum(momentum):
    """momentum(w, dw, config) -> (next_w, config): v = mu * v - learning_rate * dw; next_w = w + v."""
    mistakes = [
        ("your momentum update ignores the velocity from the previous step: keep v in config['velocity'] "
         "and use it, v = mu * v - learning_rate * dw", _momentum_variant(use_velocity=False)),
        ("your update goes uphill (w + learning_rate * dw): v = mu * v - learning_rate * dw",
         _momentum_variant(sign=1.0)),
        ("you used momentum 0.9, not config['momentum'] (0.5 here)", _momentum_variant(mu=0.9)),
        ("your update ignores config['learning_rate'] (it steps by dw itself)", _momentum_variant(lr=1.0)),
        ("this is Nesterov's update; plain momentum is next_w = w + v", optim.nesterov),
    ]
    return _check_update(momentum, "momentum", MOMENTUM_CONFIG, optim.momentum, mistakes)


def _nesterov_variant(a=-1.0, b=1.0, mu=None, use_velocity=True):
    def rule(w, dw, config):
        m = config["momentum"] if mu is None else mu
        v_prev = config.get("velocity", 0) if use_velocity else 0
        v = m * v_prev - config["learning_rate"] * dw
        config["velocity"] = v
        return w + a * m * v_prev + (1 + b * m) * v, config
    return rule


@_check("nesterov")
def check_nesterov(nesterov):
    """nesterov(w, dw, config) -> (next_w, config).

    v_prev = v; v = mu v - lr dw; next_w = w - mu v_prev + (1 + mu) v."""
    mistakes = [
        ("this is plain momentum (next_w = w + v); Nesterov's look-ahead step is "
         "next_w = w - mu * v_prev + (1 + mu) * v", optim.momentum),
        ("your Nesterov update ignores the velocity from the previous step: keep v in config['velocity']",
         _nesterov_variant(use_velocity=False)),
        ("the look-ahead correction has the wrong sign: next_w = w - mu * v_prev + (1 + mu) * v",
         _nesterov_variant(a=1.0)),
        ("(1 - mu) should be (1 + mu): next_w = w - mu * v_prev + (1 + mu) * v", _nesterov_variant(b=-1.0)),
        ("you used momentum 0.9, not config['momentum'] (0.5 here)", _nesterov_variant(mu=0.9)),
    ]
    return _check_update(nesterov, "nesterov", MOMENTUM_CONFIG, optim.nesterov, mistakes)


def _adam_variant(correct=True, keep_t=True, t_first=1, square=True, swap=False, root=True, betas=None):
    def rule(w, dw, config):
        b1, b2 = (config["beta1"], config["beta2"]) if betas is None else betas
        if swap:
            b1, b2 = b2, b1
        t = config.get("t", t_first - 1) + 1 if keep_t else t_first
        m = b1 * config.get("m", 0) + (1 - b1) * dw
        v = b2 * config.get("v", 0) + (1 - b2) * (dw * dw if square else dw)
        config.update(t=t, m=m, v=v)
        if correct:
            m, v = m / (1 - b1 ** t), v / (1 - b2 ** t)
        denominator = (np.sqrt(v) if root else v) + config["epsilon"]
        return w - config["learning_rate"] * m / denominator, config
    return rule


ADAM_CONFIG = {"learning_rate": 0.01, "beta1": 0.8, "beta2": 0.95, "epsilon": 1e-8}


@_check("adam")
def check_adam(adam):
    """adam(w, dw, config) -> (next_w, config): moments m, v of dw and dw**2 with bias correction."""
    mistakes = [
        ("no bias correction: your first steps are too big or too small; use m / (1 - beta1**t) and "
         "v / (1 - beta2**t)", _adam_variant(correct=False)),
        ("the step count t is not kept: bias correction uses t = 1 at every step; store config['t'] "
         "and add 1 each step", _adam_variant(keep_t=False)),
        ("the second moment must average dw**2 (you used dw)", _adam_variant(square=False)),
        ("beta1 and beta2 are swapped: beta1 goes with m (dw), beta2 with v (dw**2)", _adam_variant(swap=True)),
        ("divide by np.sqrt(v_hat) + epsilon, not by v_hat", _adam_variant(root=False)),
        ("you used beta1 = 0.9, beta2 = 0.999, not config['beta1'], config['beta2'] (0.8, 0.95 here)",
         _adam_variant(betas=(0.9, 0.999))),
    ]
    w0, grads = _update_inputs()
    first = _tuple(_call(adam, w0.copy(), grads[0].copy(), dict(ADAM_CONFIG)), 2,
                   "adam must return a pair (next_w, config)")[0]
    first = _array(first, "next_w")
    if np.all(~np.isfinite(first)):
        raise _Fail("your first step gives nan/inf: t must be 1 at the first step (add 1 to t before the bias "
                    "correction; 1 - beta**0 = 0)")
    if not np.all(np.isfinite(first)):
        unsquared = _adam_variant(square=False)(w0.copy(), grads[0].copy(), dict(ADAM_CONFIG))[0]
        if np.array_equal(np.isfinite(first), np.isfinite(unsquared)):
            raise _Fail("the second moment must average dw**2 (you used dw: its square root is nan where dw < 0)")
        raise _Fail("your first step gives nan/inf for some entries")
    return _check_update(adam, "adam", ADAM_CONFIG, optim.adam, mistakes)


# ---- random search -----------------------------------------------------------------------------
@_check("log_uniform")
def check_log_uniform(log_uniform):
    """log_uniform(low, high, size, rng) -> (size,) values whose log10 is uniform in [log10 low, log10 high]."""
    low, high, size = 1e-6, 1e-3, 3000
    values = _shape(_call(log_uniform, low, high, size, np.random.default_rng(9)), (size,), "the result",
                    " = (size,)")
    if np.any(values < 0):
        raise _Fail(f"some values are negative ({values.min():.3g}): did you return the exponent? "
                    "return 10 ** exponent")
    if np.any(values < low * (1 - 1e-9)) or np.any(values > high * (1 + 1e-9)):
        hint = (
            ": np.exp of a base-10 exponent? use 10 ** rng.uniform(np.log10(low), np.log10(high))"
            if np.all(values >= np.exp(np.log10(low)) * (1 - 1e-9))
            and np.all(values <= np.exp(np.log10(high)) * (1 + 1e-9))
            else ""
        )
        raise _Fail(f"samples lie outside [{low:g}, {high:g}] (from {values.min():.3g} to {values.max():.3g}){hint}")
    decades = np.histogram(np.log10(values), bins=[-6, -5, -4, -3])[0] / size
    if decades[-1] > 0.6:
        raise _Fail(f"{decades[-1]:.0%} of your samples lie in the top decade [1e-4, 1e-3]: you sampled "
                    "uniformly in linear space; sample the exponent: 10 ** rng.uniform(np.log10(low), np.log10(high))")
    if np.any(np.abs(decades - 1 / 3) > 0.05):
        raise _Fail(f"the three decades get {', '.join(f'{d:.0%}' for d in decades)} of the samples; "
                    "expected about 33% each")
    again = _array(_call(log_uniform, low, high, size, np.random.default_rng(9)), "the result")
    if not np.array_equal(values, again):
        raise _Fail("two calls with the same rng seed gave different samples: draw from rng (rng.uniform), "
                    "not from np.random")
    return f"each decade of [{low:g}, {high:g}] gets {', '.join(f'{d:.0%}' for d in decades)} of the samples"


# ---- sanity check: overfit a tiny subset -------------------------------------------------------
@_check("overfit_tiny_subset")
def check_overfit_tiny_subset(overfit_tiny_subset, data, num_examples=20, seed=0):
    """overfit_tiny_subset(net, X_train, y_train, train, num_examples) -> TrainResult with train accuracy
    1.00 and cost near 0 on the first num_examples examples, regularization off.

    data: a dict with X_train, y_train (preprocessed). The check hands in a net whose reg is 0.1 (so it
    must be turned off) and a `train` that records how it was called and then runs core.train.
    """
    from core import FullyConnectedNet
    from core import train as core_train

    X, y = data["X_train"], data["y_train"]
    calls = []

    def train(net, X_train, y_train, X_val, y_val, **kwargs):
        calls.append({"N": len(X_train), "reg": kwargs.get("reg", net.reg), "kwargs": kwargs})
        return core_train(net, X_train, y_train, X_val, y_val, **kwargs)

    net = FullyConnectedNet(X.shape[1], [50], int(y.max()) + 1, reg=0.1, rng=seed)
    result = _call(overfit_tiny_subset, net, X, y, train, num_examples)
    if not calls:
        raise _Fail("overfit_tiny_subset did not call the `train` function it was given")
    call = calls[-1]
    if result is None:
        raise _Fail("overfit_tiny_subset returned None: return what train(...) returned")
    if not hasattr(result, "train_acc_history"):
        raise _Fail(f"overfit_tiny_subset must return the TrainResult of train(...), got {type(result).__name__}")
    if call["N"] != num_examples:
        raise _Fail(f"you trained on {call['N']} examples; take a tiny subset: X_train[:{num_examples}], "
                    f"y_train[:{num_examples}]")
    if call["reg"] != 0:
        raise _Fail(f"regularization is on (reg = {call['reg']:g}): pass reg=0.0 so nothing stops the net "
                    "from fitting the data exactly")
    if result.status == "diverged":
        raise _Fail(f"training diverged ({result.message}): lower the learning rate")
    acc, cost = result.train_acc_history[-1], result.loss_history[-1]
    if acc < 1.0 or cost > 0.1:
        lr = call["kwargs"].get("learning_rate", 1e-3)
        raise _Fail(f"after {result.epoch} epochs train accuracy is {acc:.2f} and cost {cost:.3f}: not overfit "
                    f"yet. The cost should fall near 0: raise the learning rate (now {lr:g}) or train longer")
    return f"{num_examples} examples, reg 0: train accuracy {acc:.2f}, cost {cost:.2f} after {result.epoch} epochs"


__all__ = ["CheckResult", "check_affine_forward", "check_affine_backward", "check_relu_forward",
           "check_relu_backward", "check_softmax_loss", "check_xavier_init", "check_he_init",
           "check_inverted_dropout", "check_momentum", "check_nesterov", "check_adam",
           "check_log_uniform", "check_overfit_tiny_subset"]
