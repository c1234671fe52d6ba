'''Wrong implementations a student could write, as data: what the exercise checks must reject.

Each entry gives the exercise notebook, the function, the family of mistake, the whole source of the
solution cell a student could hand in (it replaces the cell between the notebook's instructions and
its graded test cell), and the words the FAIL message must contain. The tests run every entry
against its check directly, inside a notebook kernel through the graded cell, and through nbgrader's
autograde (tests/test_exercises.py, tests/test_nbgrader.py).

Families: the issue's seven ways in which plausible wrong code used to pass or got a misleading
message, plus "classic", the textbook mistakes each check names.

RIGHT lists correct implementations that differ from the solution notebooks' (other numpy calls,
another order of operations, another base of logarithm): every check must pass them.
'''
from dataclasses import dataclass

FAMILIES = ("classic", "randomness", "granularity", "arguments ignored", "state in the wrong place",
            "caller's data changed", "shape-specific", "misleading message")

NOTEBOOKS = {  # the functions each exercise notebook asks for, in order
    "01_layers_and_loss": ("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss"),
    "02_overfit_tiny_subset": ("overfit_tiny_subset",),
    "03_random_search": ("log_uniform",),
    "04_initialization": ("xavier_init", "he_init"),
    "05_dropout": ("inverted_dropout",),
    "06_update_rules": ("momentum", "nesterov", "adam"),
}
NOTEBOOK_OF = {function: notebook for notebook, functions in NOTEBOOKS.items() for function in functions}


@dataclass(frozen=True)
class Wrong:
    """One wrong implementation: function, family, the cell's source, the words its FAIL must contain."""

    function: str
    family: str
    source: str
    expect: tuple

    @property
    def notebook(self):
        return NOTEBOOK_OF[self.function]


def _w(function, family, expect, source):
    assert family in FAMILIES, family
    return Wrong(function, family, source.strip("\n"), (expect,) if isinstance(expect, str) else tuple(expect))


# ---- 01: layers and loss -------------------------------------------------------------------------
_AFFINE_BACKWARD = '''
def affine_backward(dout, cache):
    x, w = cache
    dx, dw, db = dout @ w.T, x.T @ dout, dout.sum(axis=0)
    {change}
    return dx, dw, db
'''

_SOFTMAX = '''
def softmax_loss(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    dscores /= N
    {change}
    return loss, dscores
'''

LAYERS = [
    _w("affine_forward", "classic", "out misses the bias", '''
def affine_forward(x, w, b):
    out = x @ w
    return out, (x, w)
'''),
    _w("affine_forward", "classic", "out has the wrong shape (5, 4); expected (4, 5)", '''
def affine_forward(x, w, b):
    out = w.T @ x.T + b[:, None]
    return out, (x, w)
'''),
    _w("affine_forward", "classic", "must return a pair (out, cache)", '''
def affine_forward(x, w, b):
    return x @ w + b
'''),
    _w("affine_forward", "classic", "out subtracts the bias", '''
def affine_forward(x, w, b):
    return x @ w - b, (x, w)
'''),
    _w("affine_forward", "shape-specific", ["out has the wrong shape (2,); expected (1, 2)", "for x of shape (1, 3)"],
       '''
def affine_forward(x, w, b):
    out = np.squeeze(x @ w + b)
    return out, (x, w)
'''),
    _w("affine_forward", "misleading message", ["out is float32 although x, w and b are float64", "astype"], '''
def affine_forward(x, w, b):
    out = (x @ w + b).astype(np.float32)
    return out, (x, w)
'''),
    _w("affine_backward", "classic", "dw has the wrong shape (5, 6); expected (6, 5)",
       _AFFINE_BACKWARD.format(change="dw = dout.T @ x")),
    _w("affine_backward", "classic", "db has the wrong shape (4,); expected (5,)",
       _AFFINE_BACKWARD.format(change="db = dout.sum(axis=1)")),
    _w("affine_backward", "classic", ["dw is N = 4 times too small", "does not divide again"],
       _AFFINE_BACKWARD.format(change="dw = x.T @ dout / x.shape[0]")),
    _w("affine_backward", "classic", ["db is N = 4 times too small", "not dout.mean(axis=0)"],
       _AFFINE_BACKWARD.format(change="db = dout.mean(axis=0)")),
    _w("affine_backward", "classic", "raised ValueError", _AFFINE_BACKWARD.format(change="dx = dout @ w")),
    _w("affine_backward", "shape-specific", ["db has the wrong shape (1, 5); expected (5,)", "without keepdims"],
       _AFFINE_BACKWARD.format(change="db = dout.sum(axis=0, keepdims=True)")),
    _w("affine_backward", "misleading message", ["dx is float32 although x, w and dout are float64",
                                                 "keep the inputs' dtype"], '''
def affine_backward(dout, cache):
    x, w = cache
    dx = np.zeros(x.shape, dtype=np.float32)
    dx[:] = dout @ w.T
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
'''),
    _w("affine_backward", "shape-specific", ["for x of shape (1, 3)", "dx has the wrong shape"], '''
def affine_backward(dout, cache):
    x, w = cache
    dx = np.squeeze(dout @ w.T)
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
'''),
    _w("relu_forward", "classic", "use np.maximum(x, 0)", '''
def relu_forward(x):
    out = np.max(x, 0)
    return out, x
'''),
    _w("relu_forward", "caller's data changed", "relu_forward changed its input x in place", '''
def relu_forward(x):
    x[x < 0] = 0
    return x, x
'''),
    _w("relu_forward", "classic", "negative inputs come out unchanged", '''
def relu_forward(x):
    return x.copy(), x
'''),
    _w("relu_forward", "classic", "you kept the negative part", '''
def relu_forward(x):
    return np.minimum(x, 0), x
'''),
    _w("relu_forward", "shape-specific", ["raised ValueError", "for x of shape (7,)", "N, D = x.shape"], '''
def relu_forward(x):
    N, D = x.shape
    out = np.zeros((N, D))
    for i in range(N):
        out[i] = np.maximum(x[i], 0)
    return out, x
'''),
    _w("relu_forward", "shape-specific", ["out has the wrong shape (7, 1); expected (7,)", "for x of shape (7,)"], '''
def relu_forward(x):
    out = np.maximum(x, 0).reshape(x.shape[0], -1)
    return out, x
'''),
    _w("relu_backward", "classic", "the gradient flows through units that were off", '''
def relu_backward(dout, cache):
    return dout
'''),
    _w("relu_backward", "classic", "dx ignores dout", '''
def relu_backward(dout, cache):
    x = cache
    return (x > 0).astype(float)
'''),
    _w("relu_backward", "classic", "you gated by dout > 0", '''
def relu_backward(dout, cache):
    return dout * (dout > 0)
'''),
    _w("relu_backward", "classic", ["dx differs from the numerical gradient", "with dout = ones"], '''
def relu_backward(dout, cache):
    x = cache
    return dout * (x > 0.1)
'''),
    _w("relu_backward", "caller's data changed", "relu_backward changed its input dout in place", '''
def relu_backward(dout, cache):
    x = cache
    dout[x <= 0] = 0
    return dout
'''),
    _w("relu_backward", "shape-specific", ["for x of shape (7,)", "any shape"], '''
def relu_backward(dout, cache):
    x = cache
    N, D = x.shape
    dx = np.zeros((N, D))
    dx[x > 0] = dout[x > 0]
    return dx
'''),
    _w("softmax_loss", "classic", "subtract each row's max before np.exp",
       _SOFTMAX.format(change="").replace("scores - scores.max(axis=1, keepdims=True)", "scores")),
    _w("softmax_loss", "classic", "loss is N = 5 times too large",
       _SOFTMAX.format(change="loss = loss * N")),
    _w("softmax_loss", "classic", ["dscores is N = 5 times too large", "divide by N"],
       _SOFTMAX.format(change="dscores *= N")),
    _w("softmax_loss", "classic", "dscores misses the -1 at the correct class",
       _SOFTMAX.format(change="dscores = probs / N")),
    _w("softmax_loss", "classic", "probs[np.arange(N), y], not probs[:, y]",
       _SOFTMAX.format(change="loss = -np.log(probs[:, y]).mean()")),
    _w("softmax_loss", "classic", "divide by each row's sum", '''
def softmax_loss(scores, y):
    N = scores.shape[0]
    probs = np.exp(scores)
    probs /= probs.sum()
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
'''),
    _w("softmax_loss", "misleading message", ["dscores is N = 5 times too small", "you divided by N twice"],
       _SOFTMAX.format(change="dscores /= N")),
    _w("softmax_loss", "caller's data changed", "softmax_loss changed its input scores in place", '''
def softmax_loss(scores, y):
    N = scores.shape[0]
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
'''),
    _w("softmax_loss", "shape-specific", ["for scores of shape (1, 3)", "does your code assume"], '''
def softmax_loss(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    onehot = np.eye(10)[y]
    loss = -np.log((probs * onehot).sum(axis=1)).mean()
    return loss, (probs - onehot) / N
'''),
    _w("affine_backward", "caller's data changed", ["changed the forward pass's cached w in place"], '''
def affine_backward(dout, cache):
    x, w = cache
    dx = dout @ w.T
    dw = x.T @ dout
    db = dout.sum(axis=0)
    w -= 0.01 * dw
    return dx, dw, db
'''),
    _w("affine_backward", "classic", ["db has the wrong shape (); expected (5,)",
                                      "sum dout over the examples (axis 0)"],
       _AFFINE_BACKWARD.format(change="db = dout.sum()")),
    _w("softmax_loss", "caller's data changed", ["loss is nan although dscores is right", "dscores = probs.copy()"], '''
def softmax_loss(scores, y):
    N = scores.shape[0]
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    dscores = probs
    dscores[np.arange(N), y] -= 1
    dscores /= N
    loss = -np.log(probs[np.arange(N), y]).mean()
    return loss, dscores
'''),
    _w("softmax_loss", "classic", ["dscores[:, y] -= 1 subtracts 1 in the column of every label",
                                   "dscores[np.arange(N), y] -= 1"],
       _SOFTMAX.format(change="dscores = probs.copy()\n    dscores[:, y] -= 1\n    dscores /= N")),
    _w("softmax_loss", "classic", ["normalized over each column (axis=0", "axis=1, keepdims=True"],
       _SOFTMAX.format(change="").replace("probs /= probs.sum(axis=1, keepdims=True)",
                                          "probs /= probs.sum(axis=0, keepdims=True)")),
]

# ---- 02: overfit a tiny subset ---------------------------------------------------------------------
_OVERFIT = '''
{head}def overfit_tiny_subset(net, X_train, y_train, train, num_examples=20):
    X_tiny, y_tiny = X_train[:num_examples], y_train[:num_examples]
    {change}
    {result}{trainer}(net, X_tiny, y_tiny, X_tiny, y_tiny, {options}){tail}
'''
_RIGHT_OPTIONS = "num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3"


def _overfit(change="", options=_RIGHT_OPTIONS, result="return ", trainer="train", tail="", head=""):
    """The solution with one change: a line before the call, other options, what is returned, which trainer."""
    return _OVERFIT.format(change=change or "pass", options=options, result=result, trainer=trainer, tail=tail,
                           head=head)


OVERFIT = [
    _w("overfit_tiny_subset", "classic", "you trained on 100 examples; take a tiny subset",
       _overfit("X_tiny, y_tiny = X_train[:100], y_train[:100]")),
    _w("overfit_tiny_subset", "classic", "regularization is on (reg = 0.1)",
       _overfit(options="num_epochs=200, sample_batches=False, learning_rate=0.3")),
    _w("overfit_tiny_subset", "misleading message", ["not overfit", "The epochs are fixed at 200",
                                                     "raise the learning rate (now 0.001)"],
       _overfit(options="num_epochs=200, reg=0.0, sample_batches=False, learning_rate=1e-3")),
    _w("overfit_tiny_subset", "classic", "the exercise trains for 200 epochs",
       _overfit(options="num_epochs=20, reg=0.0, sample_batches=False, learning_rate=0.3")),
    _w("overfit_tiny_subset", "classic", "returned None",
       _overfit(result="")),
    _w("overfit_tiny_subset", "classic", ["raised ValueError", "batch_size"],
       _overfit(options="num_epochs=200, reg=0.0, learning_rate=0.3")),
    _w("overfit_tiny_subset", "classic", "did not call the `train` function",
       _overfit(trainer="core.train", head="import core\n\n\n")),
    _w("overfit_tiny_subset", "classic", "the slide's sanity check uses simple vanilla 'sgd'",
       _overfit(options="num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3, update='momentum'")),
    _w("overfit_tiny_subset", "classic", "must return the TrainResult",
       _overfit(result="", tail="\n    return net")),
    _w("overfit_tiny_subset", "caller's data changed", "changed the caller's data X_train in place",
       _overfit("X_tiny -= X_tiny.mean(axis=0)")),
    _w("overfit_tiny_subset", "caller's data changed", "you shuffled the labels",
       _overfit("y_tiny = np.random.default_rng(0).permutation(y_tiny)")),
    _w("overfit_tiny_subset", "caller's data changed", "changed the caller's data y_train in place",
       _overfit("np.random.default_rng(0).shuffle(y_tiny)")),
    _w("overfit_tiny_subset", "arguments ignored", ["you trained on 20 examples", "num_examples = 7",
                                                    "use the num_examples you are given"],
       _overfit("X_tiny, y_tiny = X_train[:20], y_train[:20]")),
    _w("overfit_tiny_subset", "classic", "are not rows of X_train[:20]",
       _overfit("X_tiny, y_tiny = X_train[-num_examples:], y_train[-num_examples:]")),
    _w("overfit_tiny_subset", "classic", ["the labels you passed to train are y_train[1:21], shifted by 1",
                                          "slice both with the same [:num_examples]"],
       _overfit("X_tiny, y_tiny = X_train[:num_examples], y_train[1:num_examples + 1]")),
    _w("overfit_tiny_subset", "classic", "you trained on 19 examples; take a tiny subset of num_examples = 20",
       _overfit("X_tiny, y_tiny = X_train[:num_examples - 1], y_train[:num_examples - 1]")),
    _w("overfit_tiny_subset", "misleading message", ["you decayed the learning rate (learning_rate_decay=0.5)",
                                                     "leave learning_rate_decay at 1"],
       _overfit(options="num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3, learning_rate_decay=0.5")),
]

# ---- 03: random search in log space ----------------------------------------------------------------
SAMPLING = [
    _w("log_uniform", "classic", "lie in the top decade", '''
def log_uniform(low, high, size, rng):
    return rng.uniform(low, high, size)
'''),
    _w("log_uniform", "classic", "did you return the exponent?", '''
def log_uniform(low, high, size, rng):
    return rng.uniform(np.log10(low), np.log10(high), size)
'''),
    _w("log_uniform", "classic", "np.exp of a base-10 exponent", '''
def log_uniform(low, high, size, rng):
    return np.exp(rng.uniform(np.log10(low), np.log10(high), size))
'''),
    _w("log_uniform", "classic", "natural-log exponent", '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log(low), np.log(high), size)
'''),
    _w("log_uniform", "classic", "the result has the wrong shape (3000, 1); expected (3000,)", '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), (size, 1))
'''),
    _w("log_uniform", "randomness", ["two generators with the same seed gave different samples", "not from np.random"],
       '''
def log_uniform(low, high, size, rng):
    return 10 ** np.random.default_rng().uniform(np.log10(low), np.log10(high), size)
'''),
    _w("log_uniform", "randomness", "does not use the rng it is given", '''
def log_uniform(low, high, size, rng):
    rng = np.random.default_rng(0)
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
'''),
    _w("log_uniform", "randomness", "does not use the rng it is given", '''
def log_uniform(low, high, size, rng):
    np.random.seed(0)
    return 10 ** np.random.uniform(np.log10(low), np.log10(high), size)
'''),
    _w("log_uniform", "randomness", "generators with different seeds gave the same samples", '''
def log_uniform(low, high, size, rng):
    return np.logspace(np.log10(low), np.log10(high), size)
'''),
    _w("log_uniform", "randomness", ["in another order", "a fixed grid"], '''
def log_uniform(low, high, size, rng):
    return rng.permutation(np.logspace(np.log10(low), np.log10(high), size))
'''),
    _w("log_uniform", "randomness", ["whole power of 10", "not rng.integers"], '''
def log_uniform(low, high, size, rng):
    exponents = rng.integers(np.log10(low), np.log10(high), size, endpoint=True)
    return 10.0 ** exponents
'''),
    _w("log_uniform", "randomness", ["computed once and reused"], '''
_samples = {}


def log_uniform(low, high, size, rng):
    if (low, high, size) not in _samples:
        _samples[low, high, size] = 10 ** rng.uniform(np.log10(low), np.log10(high), size)
    return _samples[low, high, size]
'''),
    _w("log_uniform", "randomness", ["your samples come out sorted", "in the order they were drawn"], '''
def log_uniform(low, high, size, rng):
    return np.sort(10 ** rng.uniform(np.log10(low), np.log10(high), size))
'''),
    _w("log_uniform", "misleading message", ["high - low < 0", "Generator.uniform(a, b) needs a <= b",
                                             "uniform(-3, -6)"], '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(high), np.log10(low), size)
'''),
    _w("log_uniform", "arguments ignored", ["has 20 values; expected size = 3000", "use the size you are given"], '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), 20)
'''),
    _w("log_uniform", "arguments ignored", ["samples lie outside [0.01, 100]", "use the low and high you are given"],
       '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(-6, -3, size)
'''),
    _w("log_uniform", "randomness", ["only 31 distinct values among 3000 samples", "steps of about 0.1",
                                     "do not round them"], '''
def log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size).round(1)
'''),
    _w("log_uniform", "randomness", ["distinct values among 3000 samples", "picked from a fixed list"], '''
def log_uniform(low, high, size, rng):
    return rng.choice(np.logspace(np.log10(low), np.log10(high), 1000), size)
'''),
    _w("log_uniform", "misleading message", "the result is float32, not float64", '''
def log_uniform(low, high, size, rng):
    return (10 ** rng.uniform(np.log10(low), np.log10(high), size)).astype(np.float32)
'''),
    _w("log_uniform", "randomness", ["all 3000 samples are the same value", "you drew one number and repeated it"],
       '''
def log_uniform(low, high, size, rng):
    return np.full(size, 10 ** rng.uniform(np.log10(low), np.log10(high)))
'''),
]

# ---- 04: initialization ------------------------------------------------------------------------------
INIT = [
    _w("xavier_init", "classic", "W has the wrong shape (300, 400); expected (400, 300)", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_out, fan_in)) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "misleading message", ["1 / fan_in: that is the variance", "divide by the square root"], '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / fan_in
'''),
    _w("xavier_init", "classic", "1 / sqrt(fan_out): use fan_in", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_out)
'''),
    _w("xavier_init", "randomness", "not from np.random", '''
def xavier_init(fan_in, fan_out, rng):
    return np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "classic", "rng.random draws from [0, 1)", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.random((fan_in, fan_out)) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "classic", "He's: Xavier for tanh", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)
'''),
    _w("xavier_init", "classic", "Glorot's", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / (fan_in + fan_out))
'''),
    _w("xavier_init", "randomness", "does not use the rng it is given", '''
def xavier_init(fan_in, fan_out, rng):
    rng = np.random.default_rng(0)
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "randomness", "computed once and reused", '''
def xavier_init(fan_in, fan_out, rng):
    if not hasattr(xavier_init, "cache"):
        xavier_init.cache = {}
    if (fan_in, fan_out) not in xavier_init.cache:
        xavier_init.cache[fan_in, fan_out] = rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
    return xavier_init.cache[fan_in, fan_out]
'''),
    _w("xavier_init", "shape-specific", "W has the wrong shape (400, 400); expected (400, 300)", '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_in)) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "arguments ignored", ["whatever fan_in and fan_out", "follow the fan_in you are given"], '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(256)
'''),
    _w("xavier_init", "misleading message",
       ["the std of W is wrong", "fan_in 50, fan_out 700: std 0.15", "expected 0.1414"], '''
def xavier_init(fan_in, fan_out, rng):
    return 1.1 * rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
'''),
    _w("xavier_init", "classic", ["look uniform", "rng.standard_normal"], '''
def xavier_init(fan_in, fan_out, rng):
    limit = np.sqrt(3 / fan_in)
    return rng.uniform(-limit, limit, (fan_in, fan_out))
'''),
    _w("he_init", "classic", "Xavier's: ReLU zeroes half its inputs", '''
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
'''),
    _w("he_init", "classic", "the 2 goes under the root", '''
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * 2 / np.sqrt(fan_in)
'''),
    _w("he_init", "misleading message", ["2 / fan_in: that is the variance", "the std is its square root"], '''
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * 2 / fan_in
'''),
    _w("he_init", "classic", "0.01, the small gaussian's std", '''
def he_init(fan_in, fan_out, rng):
    return 0.01 * rng.standard_normal((fan_in, fan_out))
'''),
    _w("he_init", "randomness", "does not use the rng it is given", '''
def he_init(fan_in, fan_out, rng):
    np.random.seed(0)
    return np.random.randn(fan_in, fan_out) * np.sqrt(2 / fan_in)
'''),
    _w("he_init", "arguments ignored", "sqrt(2 / fan_out): use fan_in", '''
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_out)
'''),
    _w("he_init", "misleading message", ["W is float16, not float64", "without astype"], '''
def he_init(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)).astype(np.float16)
'''),
    _w("he_init", "classic", ["every weight is 0", "never become different"], '''
def he_init(fan_in, fan_out, rng):
    return np.zeros((fan_in, fan_out))
'''),
    _w("xavier_init", "granularity", ["all 300 columns of W are the same", "symmetry"], '''
def xavier_init(fan_in, fan_out, rng):
    return np.tile(rng.standard_normal((fan_in, 1)), (1, fan_out)) / np.sqrt(fan_in)
'''),
    _w("he_init", "granularity", ["all 400 rows of W are the same", "not one row repeated"], '''
def he_init(fan_in, fan_out, rng):
    return np.ones((fan_in, 1)) * rng.standard_normal(fan_out) * np.sqrt(2 / fan_in)
'''),
    _w("xavier_init", "randomness", ["only 45 distinct values among the 120000 weights", "repeated or rounded"], '''
def xavier_init(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)).round(2)
'''),
]

# ---- 05: dropout -------------------------------------------------------------------------------------
_DROPOUT = '''
def inverted_dropout(x, p_keep, mode, rng):
    if mode == "test":
        return {test}
    {train}
'''


def _dropout(train="mask = (rng.random(x.shape) < p_keep) / p_keep\n    return x * mask", test="x"):
    return _DROPOUT.format(train=train, test=test)


DROPOUT = [
    _w("inverted_dropout", "classic", "leaves the mean at 0.80 x: did you divide by p_keep?",
       _dropout("mask = rng.random(x.shape) < p_keep\n    return x * mask")),
    _w("inverted_dropout", "classic", "you multiplied by p_keep",
       _dropout("mask = (rng.random(x.shape) < p_keep) * p_keep\n    return x * mask")),
    _w("inverted_dropout", "classic", "is the probability of KEEPING a unit",
       _dropout("mask = (rng.random(x.shape) < 1 - p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "classic", "at test time you scaled by p_keep: that is vanilla dropout",
       _dropout(test="x * p_keep")),
    _w("inverted_dropout", "classic", "you dropped or changed units", '''
def inverted_dropout(x, p_keep, mode, rng):
    mask = (rng.random(x.shape) < p_keep) / p_keep
    return x * mask
'''),
    _w("inverted_dropout", "randomness", "not from np.random",
       _dropout("mask = (np.random.rand(*x.shape) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "granularity", "every example got the same mask",
       _dropout("mask = (rng.random(x.shape[1:]) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "granularity", ["all units of an example are kept or dropped together", "whole examples"],
       _dropout("mask = (rng.random((x.shape[0], 1)) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "granularity", "your mask is the same all along axis 2",
       _dropout("shape = x.shape[:2] + (1,) * (x.ndim - 2)\n"
                "    mask = (rng.random(shape) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "misleading message", ["the fraction kept in this mask (mask.mean())",
                                                  "exactly 1 / p_keep = 1.25"],
       _dropout("mask = rng.random(x.shape) < p_keep\n    return x * mask / mask.mean()")),
    _w("inverted_dropout", "randomness", "does not use the rng it is given",
       _dropout("rng = np.random.default_rng(0)\n"
                "    mask = (rng.random(x.shape) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "randomness", "computed once and reused", '''
_masks = {}


def inverted_dropout(x, p_keep, mode, rng):
    if mode == "test":
        return x
    if (x.shape, p_keep) not in _masks:
        _masks[x.shape, p_keep] = (rng.random(x.shape) < p_keep) / p_keep
    return x * _masks[x.shape, p_keep]
'''),
    _w("inverted_dropout", "randomness", "two calls with the same generator gave the same masks", '''
_masks = {}


def inverted_dropout(x, p_keep, mode, rng):
    if mode == "test":
        return x
    if id(rng) not in _masks:
        _masks[id(rng)] = rng.random(x.shape) < p_keep
    return x * _masks[id(rng)] / p_keep
'''),
    _w("inverted_dropout", "shape-specific", ["for x of shape (2000,)", "N, D = x.shape"],
       _dropout("N, D = x.shape\n    mask = (rng.random((N, D)) < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "caller's data changed", "inverted_dropout changed its input x in place",
       _dropout("x *= (rng.random(x.shape) < p_keep) / p_keep\n    return x")),
    _w("inverted_dropout", "arguments ignored", ["with p_keep = 0.8 you keep 50%", "use the p_keep you are given"],
       _dropout("mask = (rng.random(x.shape) < 0.5) / 0.5\n    return x * mask")),
    _w("inverted_dropout", "classic", ["divided by 1 - p_keep = 0.2", "divides by p_keep = 0.8"],
       _dropout("mask = (rng.random(x.shape) < p_keep) / (1 - p_keep)\n    return x * mask")),
    _w("inverted_dropout", "granularity", ["one number, rng.random(), for the whole array",
                                           "mask = rng.random(x.shape) < p_keep"],
       _dropout("mask = (rng.random() < p_keep) / p_keep\n    return x * mask")),
    _w("inverted_dropout", "classic", ["returned a tuple of 2", "return out alone"],
       _dropout("mask = (rng.random(x.shape) < p_keep) / p_keep\n    return x * mask, mask")),
    _w("inverted_dropout", "arguments ignored", "at test time (mode='test') you dropped or changed units", '''
def inverted_dropout(x, p_keep, mode, rng):
    if mode == "eval":
        return x
    return x * (rng.random(x.shape) < p_keep) / p_keep
'''),
    _w("inverted_dropout", "classic", ["nothing was dropped at train time", "set each unit to 0"],
       _dropout("mask = rng.random(x.shape) < p_keep\n    return np.where(mask, x / p_keep, x)")),
]

# ---- 06: update rules --------------------------------------------------------------------------------
_MOMENTUM = '''
def momentum(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    {body}
    return next_w, config
'''
_RIGHT_MOMENTUM = ('v = config["momentum"] * v - config["learning_rate"] * dw\n    config["velocity"] = v\n'
                   '    next_w = w + v')


def _momentum(body=_RIGHT_MOMENTUM):
    return _MOMENTUM.format(body=body)


_NESTEROV = '''
def nesterov(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v_prev = config.get("velocity", np.zeros_like(w))
    mu = config["momentum"]
    v = mu * v_prev - {lr} * dw
    config["velocity"] = v
    return {step}, config
'''


def _nesterov(step="w - mu * v_prev + (1 + mu) * v", lr='config["learning_rate"]'):
    return _NESTEROV.format(step=step, lr=lr)


_ADAM = '''
def adam(w, dw, config):
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    t = config.get("t", 0)
    b1, b2, eps = config["beta1"], config["beta2"], config["epsilon"]
    {body}
    return next_w, config
'''
_ADAM_STEP = '''t += 1
    m = b1 * m + (1 - b1) * dw
    v = b2 * v + (1 - b2) * dw * dw
    config.update(t=t, m=m, v=v)
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + eps)'''


def _adam(old, new):
    assert old in _ADAM_STEP, old
    return _ADAM.format(body=_ADAM_STEP.replace(old, new))


UPDATES = [
    _w("momentum", "classic", "ignores the velocity from the previous step",
       _momentum('v = -config["learning_rate"] * dw\n    config["velocity"] = v\n    next_w = w + v')),
    _w("momentum", "classic", "goes uphill",
       _momentum('v = config["momentum"] * v + config["learning_rate"] * dw\n    config["velocity"] = v\n'
                 '    next_w = w + v')),
    _w("momentum", "arguments ignored", "you used momentum 0.9, not config['momentum']",
       _momentum('v = 0.9 * v - config["learning_rate"] * dw\n    config["velocity"] = v\n    next_w = w + v')),
    _w("momentum", "arguments ignored", "ignores config['learning_rate']",
       _momentum('v = config["momentum"] * v - dw\n    config["velocity"] = v\n    next_w = w + v')),
    _w("momentum", "caller's data changed", "momentum changed the array w in place",
       _momentum('v = config["momentum"] * v - config["learning_rate"] * dw\n    config["velocity"] = v\n'
                 '    w += v\n    next_w = w')),
    _w("momentum", "state in the wrong place", ["a second run from a fresh config takes other steps",
                                                "keeps state outside config"], '''
velocity = 0


def momentum(w, dw, config):
    global velocity
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    velocity = config["momentum"] * velocity - config["learning_rate"] * dw
    return w + velocity, config
'''),
    _w("momentum", "state in the wrong place", "keeps state outside config", '''
def momentum(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = getattr(momentum, "v", 0)
    v = config["momentum"] * v - config["learning_rate"] * dw
    momentum.v = v
    return w + v, config
'''),
    _w("momentum", "state in the wrong place", ["two parameters updated in turn", "keeps state outside config"], '''
def momentum(w, dw, config, state={}):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    if "velocity" not in config:
        state.clear()
        config["velocity"] = True
    v = config["momentum"] * state.get("v", 0) - config["learning_rate"] * dw
    state["v"] = v
    return w + v, config
'''),
    _w("momentum", "shape-specific", ["for w of shape (5,)", "any shape of w"],
       _MOMENTUM.format(body=_RIGHT_MOMENTUM).replace("np.zeros_like(w)", "np.zeros((3, 4))")),
    _w("nesterov", "classic", "this is plain momentum",
       _nesterov("w + v")),
    _w("nesterov", "classic", "the look-ahead correction has the wrong sign",
       _nesterov("w + mu * v_prev + (1 + mu) * v")),
    _w("nesterov", "classic", "(1 - mu) should be (1 + mu)",
       _nesterov("w - mu * v_prev + (1 - mu) * v")),
    _w("nesterov", "state in the wrong place", "keeps state outside config", '''
velocities = []


def nesterov(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v_prev = velocities[-1] if velocities else 0
    mu = config["momentum"]
    v = mu * v_prev - config["learning_rate"] * dw
    velocities.append(v)
    return w - mu * v_prev + (1 + mu) * v, config
'''),
    _w("adam", "classic", "no bias correction", _adam("m_hat = m / (1 - b1 ** t)\n    v_hat = v / (1 - b2 ** t)",
                                                      "m_hat, v_hat = m, v")),
    _w("adam", "classic", "the step count t is not kept", _adam("config.update(t=t, m=m, v=v)",
                                                                "config.update(m=m, v=v)")),
    _w("adam", "classic", "t must be 1 at the first step", _adam("t += 1\n    ", "").replace(
        "config.update(t=t, m=m, v=v)", "config.update(t=t + 1, m=m, v=v)")),
    _w("adam", "classic", "must average dw**2", _adam("(1 - b2) * dw * dw", "(1 - b2) * dw")),
    _w("adam", "classic", "beta1 and beta2 are swapped", _adam("m = b1 * m + (1 - b1) * dw\n    v = b2 * v + (1 - b2)",
                                                               "m = b2 * m + (1 - b2) * dw\n    v = b1 * v + (1 - b1)")
       .replace("m / (1 - b1 ** t)", "m / (1 - b2 ** t)").replace("v / (1 - b2 ** t)", "v / (1 - b1 ** t)")),
    _w("adam", "classic", "divide by np.sqrt(v_hat) + epsilon", _adam("np.sqrt(v_hat) + eps", "v_hat + eps")),
    _w("adam", "arguments ignored", "ignores config['epsilon']",
       _adam("np.sqrt(v_hat) + eps", "np.sqrt(v_hat) + 1e-8")),
    _w("adam", "arguments ignored", "you used beta1 = 0.9, beta2 = 0.999",
       _ADAM.format(body=_ADAM_STEP).replace('b1, b2, eps = config["beta1"], config["beta2"], config["epsilon"]',
                                             'b1, b2, eps = 0.9, 0.999, config["epsilon"]')),
    _w("adam", "state in the wrong place", "keeps state outside config", '''
def adam(w, dw, config):
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    b1, b2 = config["beta1"], config["beta2"]
    adam.t = getattr(adam, "t", 0) + 1
    m = b1 * config.get("m", 0) + (1 - b1) * dw
    v = b2 * config.get("v", 0) + (1 - b2) * dw * dw
    config.update(m=m, v=v)
    m_hat, v_hat = m / (1 - b1 ** adam.t), v / (1 - b2 ** adam.t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
'''),
    _w("adam", "caller's data changed", "adam changed the array w in place",
       _adam('next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + eps)',
             'w -= config["learning_rate"] * m_hat / (np.sqrt(v_hat) + eps)\n    next_w = w')),
    _w("momentum", "state in the wrong place", ["config['velocity'] holds -v", "config['velocity'] = v"],
       _momentum('v = config["momentum"] * v - config["learning_rate"] * dw\n    config["velocity"] = -v\n'
                 '    next_w = w + v')),
    _w("momentum", "classic", ["multiplied the step by the learning rate again", "next_w = w + v"],
       _momentum('v = config["momentum"] * v - config["learning_rate"] * dw\n    config["velocity"] = v\n'
                 '    next_w = w + config["learning_rate"] * v')),
    _w("momentum", "caller's data changed", "momentum changed the array dw in place", '''
def momentum(w, dw, config):
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", dw)
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    return w + v, config
'''),
    _w("nesterov", "arguments ignored", "ignores config['learning_rate'] (it always uses 0.01)",
       _nesterov(lr="1e-2")),
    _w("adam", "classic", ["epsilon goes outside the square root", "not np.sqrt(v_hat + epsilon)"],
       _adam("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)")),
    _w("adam", "state in the wrong place", ["you stored the bias-corrected m_hat and v_hat in config",
                                            "raw moving averages"],
       _adam("config.update(t=t, m=m, v=v)\n    m_hat = m / (1 - b1 ** t)\n    v_hat = v / (1 - b2 ** t)",
             "m_hat = m / (1 - b1 ** t)\n    v_hat = v / (1 - b2 ** t)\n    config.update(t=t, m=m_hat, v=v_hat)")),
    _w("adam", "arguments ignored", "ignores config['learning_rate'] (it always uses 0.001)",
       _adam('config["learning_rate"] * m_hat', '1e-3 * m_hat')),
    _w("adam", "classic", "the step count t is not kept", _adam("t += 1\n    ", "").replace(
        "config.update(t=t, m=m, v=v)", "config.update(m=m, v=v)\n    t = t + 1")),
    _w("momentum", "state in the wrong place", ["the config momentum returns lacks config['learning_rate']",
                                                "return the config you were given"], '''
def momentum(w, dw, config):
    lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.9)
    v = mu * config.get("velocity", 0) - lr * dw
    return w + v, {"velocity": v}
'''),
    _w("adam", "state in the wrong place", ["the config adam returns lacks config['learning_rate']",
                                            "return the config you were given"], '''
def adam(w, dw, config):
    lr, b1, b2 = config.get("learning_rate", 1e-3), config.get("beta1", 0.9), config.get("beta2", 0.999)
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", 0) + (1 - b1) * dw
    v = b2 * config.get("v", 0) + (1 - b2) * dw * dw
    step = (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config.get("epsilon", 1e-8))
    return w - lr * step, {"t": t, "m": m, "v": v}
'''),
    _w("adam", "classic", ["t goes up by 2 at every step", "add 1 once"],
       _adam("config.update(t=t, m=m, v=v)", "config.update(t=t + 1, m=m, v=v)")),
]

CATALOGUE = LAYERS + OVERFIT + SAMPLING + INIT + DROPOUT + UPDATES

# ---- correct implementations that differ from the solutions: every check must pass them ----------------
RIGHT = {
    "affine_forward": ['''
def affine_forward(x, w, b):
    return np.einsum("nd,dh->nh", x, w) + b, (x, w)
'''],
    "affine_backward": ['''
def affine_backward(dout, cache):
    x, w = cache
    return np.dot(dout, w.T), np.einsum("nd,nh->dh", x, dout), np.sum(dout, axis=0)
'''],
    "relu_forward": ['''
def relu_forward(x):
    return np.where(x > 0, x, 0.0), x
''', '''
def relu_forward(x):
    return np.clip(x, 0, None), x
'''],
    "relu_backward": ['''
def relu_backward(dout, cache):
    return np.where(cache > 0, dout, 0.0)
'''],
    "softmax_loss": ['''
def softmax_loss(scores, y):
    N = len(y)
    log_probs = scores - scores.max(axis=1, keepdims=True)
    log_probs = log_probs - np.log(np.exp(log_probs).sum(axis=1, keepdims=True))
    onehot = np.zeros_like(scores)
    onehot[np.arange(N), y] = 1
    return -(log_probs * onehot).sum() / N, (np.exp(log_probs) - onehot) / N
'''],
    "overfit_tiny_subset": ['''
def overfit_tiny_subset(net, X_train, y_train, train, num_examples=20):
    order = np.random.default_rng(1).permutation(num_examples)
    X_tiny, y_tiny = X_train[:num_examples][order], y_train[:num_examples][order]
    net.reg = 0.0
    return train(net, X_tiny, y_tiny, X_tiny, y_tiny, num_epochs=300, sample_batches=False, learning_rate=0.5)
'''],
    "log_uniform": ['''
def log_uniform(low, high, size, rng):
    return np.exp(rng.uniform(np.log(low), np.log(high), size))
''', '''
def log_uniform(low, high, size, rng):
    return low * (high / low) ** rng.random(size)
'''],
    "xavier_init": ['''
def xavier_init(fan_in, fan_out, rng):
    return rng.normal(0.0, 1 / np.sqrt(fan_in), size=(fan_in, fan_out))
'''],
    "he_init": ['''
def he_init(fan_in, fan_out, rng):
    return np.sqrt(2.0 / fan_in) * rng.standard_normal(size=(fan_in, fan_out))
'''],
    "inverted_dropout": ['''
def inverted_dropout(x, p_keep, mode, rng):
    if mode == "test":
        return x
    return x * rng.binomial(1, p_keep, size=x.shape) / p_keep
''', '''
def inverted_dropout(x, p_keep, mode, rng):
    if mode != "train":
        return x.copy()
    return np.where(rng.uniform(size=x.shape) < p_keep, x / p_keep, 0.0)
'''],
    "momentum": ['''
def momentum(w, dw, config):
    lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.9)
    v = mu * config.get("velocity", 0.0) - lr * dw
    return w + v, {**config, "velocity": v}
'''],
    "nesterov": ['''
def nesterov(w, dw, config):
    lr, mu = config.get("learning_rate", 1e-2), config.get("momentum", 0.9)
    v_prev = config.get("velocity", 0.0)
    v = mu * v_prev - lr * dw
    return w + mu * v - lr * dw, {**config, "velocity": v}
'''],
    "adam": ['''
def adam(w, dw, config):
    c = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0, "m": 0.0, "v": 0.0, **config}
    c["t"] += 1
    c["m"] = c["beta1"] * c["m"] + (1 - c["beta1"]) * dw
    c["v"] = c["beta2"] * c["v"] + (1 - c["beta2"]) * np.square(dw)
    m_hat = c["m"] / (1 - c["beta1"] ** c["t"])
    v_hat = c["v"] / (1 - c["beta2"] ** c["t"])
    return w - c["learning_rate"] * m_hat / (np.sqrt(v_hat) + c["epsilon"]), c
'''],
}
