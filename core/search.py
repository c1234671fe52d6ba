"""Hyperparameter search, the lecture's way: random search in log space, coarse -> fine.

    "I like to do coarse -> fine cross-validation in stages
     First stage: only a few epochs to get rough idea of what params work
     Second stage: longer running time, finer search"

    reg = 10**uniform(-5, 5)  <- note it's best to optimize in log space
    lr = 10**uniform(-3, -6)

A search space is a dict {hyperparameter name: spec}. A spec is one of three small dataclasses,
with bounds given as *values* (not exponents):

    LogUniform(1e-6, 1e-3)      10**uniform(-6, -3): uniform in log space (same as LogUniform.exponents(-6, -3))
    Uniform(0.5, 1.0)           uniform in linear space
    Choice(("sgd", "momentum")) one of a list, equally likely

Every configuration is trained with core.train and the slide's explosion tip ("if the cost is ever
> 3 * original cost, break out early"): such a run is a result with status "diverged", not an error.
Configurations run one after another in this process (executor=None), or through any
concurrent.futures.Executor (a process pool, a dask.distributed Client): the configurations and a
seed per configuration are drawn up front, so the results are the same whatever runs them.
"""
import concurrent.futures as cf
import hashlib
import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import checks
from .init import INITIALIZERS
from .layers import ACTIVATIONS
from .net import FullyConnectedNet
from .optim import UPDATE_RULES
from .trainer import train

# Every hyperparameter a configuration may set, with the value used when it is neither searched
# nor fixed. update, momentum, learning_rate_decay and batch_size are the slide's coarse search.
DEFAULTS = {
    "learning_rate": 1e-2,
    "reg": 0.0,
    "hidden_size": 50,        # an int, or a tuple of ints for several hidden layers
    "p_keep": 1.0,            # dropout keep probability (1: no dropout)
    "init": "gaussian",
    "init_scale": 1e-2,       # std of the gaussian init (a multiplier for xavier/he)
    "activation": "relu",
    "update": "momentum",
    "momentum": 0.9,          # used by the momentum and nesterov updates
    "learning_rate_decay": 0.9,
    "batch_size": 100,
}
# Hard limits of some hyperparameters: ranges must lie inside, an edge warning never suggests going past.
DOMAINS = {"p_keep": (0.0, 1.0), "momentum": (0.0, 1.0), "learning_rate_decay": (0.0, 1.0)}
# The names a categorical hyperparameter may take.
NAMES = {"update": UPDATE_RULES, "init": INITIALIZERS, "activation": ACTIVATIONS}
# Short names in printed lines, as on the slide ("lr: 1.405206e-04").
LABELS = {"learning_rate": "lr"}
STATUS_ORDER = {"finished": 0, "stopped": 1, "diverged": 2}


# ---- search space -------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogUniform:
    """10**uniform(log10(low), log10(high)): every decade between low and high equally likely.

    low, high: values > 0 with low < high. integer: round the drawn value (e.g. hidden_size).
    """

    low: float
    high: float
    integer: bool = False

    @classmethod
    def exponents(cls, low_exp, high_exp, integer=False):
        """The slide's 10**uniform(low_exp, high_exp) written with exponents: exponents(-6, -3)."""
        return cls(10.0 ** low_exp, 10.0 ** high_exp, integer)

    def check(self, name):
        for end in ("low", "high"):
            checks.finite_positive(f"{name} ({type(self).__name__}.{end})", getattr(self, end))
        _check_order(name, self)

    def draw(self, rng, size):
        values = 10.0 ** rng.uniform(math.log10(self.low), math.log10(self.high), size)
        return _rounded(values, self.integer)

    def position(self, value):
        """Where value sits in the range: 0 at low, 1 at high, measured in log space."""
        return (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))

    def __str__(self):
        exponents = f"{math.log10(self.low):.3g}, {math.log10(self.high):.3g}"
        return f"LogUniform({self.low:.3g}, {self.high:.3g})  # 10**uniform({exponents})"


@dataclass(frozen=True)
class Uniform:
    """uniform(low, high) in linear space (for p_keep, momentum, ...). integer: round the value."""

    low: float
    high: float
    integer: bool = False

    def check(self, name):
        for end in ("low", "high"):
            value = getattr(self, end)
            if not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
                raise ValueError(f"{name} ({type(self).__name__}.{end}) must be a finite number, got {value!r}")
        _check_order(name, self)

    def draw(self, rng, size):
        return _rounded(rng.uniform(self.low, self.high, size), self.integer)

    def position(self, value):
        return (value - self.low) / (self.high - self.low)

    def __str__(self):
        return f"Uniform({self.low:.3g}, {self.high:.3g})"


@dataclass(frozen=True)
class Choice:
    """One of `values`, each equally likely (update rules, hidden sizes, init names, ...)."""

    values: tuple

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))

    def check(self, name):
        if len(self.values) == 0:
            raise ValueError(f"{name} (Choice) is an empty list of values")

    def draw(self, rng, size):
        return [self.values[i] for i in rng.integers(0, len(self.values), size)]

    def __str__(self):
        return f"Choice({list(self.values)})"


def _check_order(name, spec):
    kind = type(spec).__name__
    if spec.low > spec.high:
        raise ValueError(f"{name} range is inverted: {kind}(low={spec.low!r}, high={spec.high!r}) has "
                         f"low > high; write {kind}({spec.high!r}, {spec.low!r})")
    if spec.low == spec.high:
        raise ValueError(f"{name} range is empty: {kind}(low={spec.low!r}, high={spec.high!r}); "
                         "fix the value with fixed={...} instead")
    if spec.integer and math.floor(spec.high) < math.ceil(spec.low):
        raise ValueError(f"{name} integer range {kind}({spec.low!r}, {spec.high!r}) holds no integer")


def _rounded(values, integer):
    if integer:
        return [int(v) for v in np.rint(values)]
    return [float(v) for v in values]


def check_specs(specs, fixed=None):
    """Raise ValueError naming any unknown hyperparameter, bad spec, or name both searched and fixed.

    specs: {name: LogUniform | Uniform | Choice}; fixed: {name: value} for the hyperparameters not searched.
    """
    if not isinstance(specs, dict):
        raise ValueError(f"specs must be a dict {{hyperparameter: spec}}, got {type(specs).__name__}")
    fixed = {} if fixed is None else fixed
    if not isinstance(fixed, dict):
        raise ValueError(f"fixed must be a dict {{hyperparameter: value}}, got {type(fixed).__name__}")
    for where, names in (("specs", specs), ("fixed", fixed)):
        for name in names:
            if name not in DEFAULTS:
                raise ValueError(f"unknown hyperparameter {name!r} in {where}; known: {sorted(DEFAULTS)}")
    for name, spec in specs.items():
        if not isinstance(spec, (LogUniform, Uniform, Choice)):
            raise ValueError(f"specs[{name!r}] must be a LogUniform, Uniform or Choice, got {spec!r}")
        spec.check(f"specs[{name!r}]")
        if name in fixed:
            raise ValueError(f"hyperparameter {name!r} is both searched (specs) and fixed")
        if name in DOMAINS and not isinstance(spec, Choice):
            low, high = DOMAINS[name]
            if spec.low < low or spec.high > high:
                raise ValueError(f"specs[{name!r}] = {spec} must lie inside [{low}, {high}]")
        for value in spec.values if isinstance(spec, Choice) else ():
            _check_name(f"specs[{name!r}]", name, value)
    for name, value in fixed.items():
        _check_name(f"fixed[{name!r}]", name, value)


def _check_name(where, name, value):
    if name in NAMES and value not in NAMES[name]:
        raise ValueError(f"{where}: unknown {name} {value!r}; known: {sorted(NAMES[name])}")


def sample(specs, num_configs, rng=0, fixed=None):
    """Draw num_configs configurations: a list of dicts {name: value} holding every searched
    hyperparameter (the order of specs) followed by the fixed ones. rng: a Generator or seed."""
    check_specs(specs, fixed)
    num_configs = checks.integer("num_configs", num_configs, low=1)
    rng = checks.rng("rng", rng)
    columns = {name: spec.draw(rng, num_configs) for name, spec in specs.items()}
    return [{**{name: columns[name][i] for name in specs}, **(fixed or {})} for i in range(num_configs)]


# ---- one configuration ----------------------------------------------------------------------
@dataclass
class Trial:
    """One trained configuration: a row of the results table."""

    index: int                 # position in the drawn order (0-based): the slide's (index + 1 / total)
    config: dict               # the hyperparameters that were searched or fixed
    status: str                # "finished", "diverged" (explosion rule) or "stopped"
    final_cost: float          # the last mini-batch cost
    train_acc: float           # after the last finished epoch (nan if none finished)
    val_acc: float             # after the last finished epoch (nan if none finished)
    epochs: int                # epochs finished
    diverged_at: int | None    # iteration whose cost tripped the explosion rule
    seconds: float
    seed: int


def full_config(config):
    """config with DEFAULTS filled in for every hyperparameter it does not set."""
    unknown = [name for name in config if name not in DEFAULTS]
    if unknown:
        raise ValueError(f"unknown hyperparameter {unknown[0]!r} in config; known: {sorted(DEFAULTS)}")
    return {**DEFAULTS, **config}


def build_net(data, config, rng):
    """The FullyConnectedNet a configuration describes, sized for data (D inputs, C classes)."""
    c = full_config(config)
    D = data["X_train"].shape[1]
    C = int(max(np.max(data["y_train"]), np.max(data["y_val"]))) + 1
    hidden = list(c["hidden_size"]) if isinstance(c["hidden_size"], (tuple, list)) else [c["hidden_size"]]
    return FullyConnectedNet(D, hidden, C, activation=c["activation"], init=c["init"],
                             init_scale=c["init_scale"], p_keep=None if c["p_keep"] >= 1 else c["p_keep"],
                             reg=c["reg"], rng=rng)


def train_config(data, config, num_epochs=5, seed=0, stop=None, verbose=False, print_fn=print,
                 explode_factor=3.0):
    """Build a FullyConnectedNet from config and train it on data with core.train.

    data: dict X_train (N, D), y_train (N,), X_val (M, D), y_val (M,). config: {hyperparameter: value}
    (missing ones from DEFAULTS). seed: an int seed (or a Generator) for the weights, dropout masks
    and batches. Returns (net, TrainResult).
    """
    c = full_config(config)
    rng = np.random.default_rng(seed)
    net = build_net(data, c, rng)
    checks.choice("update", c["update"], UPDATE_RULES)
    update_config = {"momentum": c["momentum"]} if c["update"] in ("momentum", "nesterov") else {}
    result = train(net, data["X_train"], data["y_train"], data["X_val"], data["y_val"],
                   num_epochs=num_epochs, batch_size=min(int(c["batch_size"]), data["X_train"].shape[0]),
                   update=c["update"], update_config=update_config, learning_rate=c["learning_rate"],
                   learning_rate_decay=c["learning_rate_decay"], explode_factor=explode_factor,
                   track_ratios=False, rng=rng, stop=stop, verbose=verbose, print_fn=print_fn)
    return net, result


def run_trial(data, index, config, seed, num_epochs, explode_factor=3.0, stop=None):
    """Train one configuration and return its Trial (module-level, so process pools can pickle it)."""
    start = time.perf_counter()
    _, r = train_config(data, config, num_epochs=num_epochs, seed=seed, stop=stop, explode_factor=explode_factor)
    cost = float(r.loss_history[-1]) if r.loss_history else float("nan")
    train_acc = r.train_acc_history[-1] if r.train_acc_history else float("nan")
    val_acc = r.val_acc_history[-1] if r.val_acc_history else float("nan")
    return Trial(index, dict(config), r.status, cost, float(train_acc), float(val_acc), r.epoch,
                 r.diverged_at, time.perf_counter() - start, int(seed))


# ---- data in worker processes -----------------------------------------------------------------
_WORKER_DATA = {}  # data sent once to each worker process by process_pool's initializer


def data_key(data):
    """A short fingerprint of the training and validation arrays (which data a worker holds)."""
    h = hashlib.blake2b(digest_size=12)
    for k in ("X_train", "y_train", "X_val", "y_val"):
        a = np.ascontiguousarray(data[k])
        h.update(f"{k}{a.shape}{a.dtype}".encode())
        h.update(a.data)
    return h.hexdigest()


def _init_worker(key, data, initializer, initargs):
    _WORKER_DATA[key] = data
    if initializer is not None:
        initializer(*initargs)


def process_pool(max_workers, data=None, initializer=None, initargs=()):
    """A concurrent.futures.ProcessPoolExecutor that holds `data` in every worker from the start.

    random_search on the same data then sends each worker only configurations, not the arrays.
    initializer(*initargs) runs after that in each worker (e.g. to limit BLAS threads).
    """
    max_workers = checks.integer("max_workers", max_workers, low=1)
    key = None if data is None else data_key(data)
    pool = cf.ProcessPoolExecutor(max_workers, initializer=_init_worker,
                                  initargs=(key, _train_val(data) if data is not None else None, initializer, initargs))
    pool.search_data_key = key
    return pool


def _train_val(data):
    return {k: data[k] for k in ("X_train", "y_train", "X_val", "y_val")}


def _run_chunk(data, jobs, num_epochs, explode_factor):
    """Work function of one task: train each (index, config, seed) of jobs on data (or a data key)."""
    if isinstance(data, str):
        data = _WORKER_DATA[data]
    return [run_trial(data, i, config, seed, num_epochs, explode_factor) for i, config, seed in jobs]


# ---- the search -------------------------------------------------------------------------------
@dataclass
class SearchResults:
    """Every finished configuration of a search (a Trial each), with the space it was drawn from."""

    specs: dict
    num_configs: int                    # configurations asked for
    num_epochs: int
    trials: list = field(default_factory=list)   # in the order they finished
    stopped: bool = False               # True when the search was stopped before the end
    seconds: float = 0.0

    def __len__(self):
        return len(self.trials)

    def __iter__(self):
        return iter(self.sorted())

    def sorted(self):
        """Trials best first: finished runs by validation accuracy, then stopped, then diverged."""
        def key(t):
            acc = t.val_acc if math.isfinite(t.val_acc) else -1.0
            return (STATUS_ORDER.get(t.status, 3), -acc, t.index)
        return sorted(self.trials, key=key)

    def top(self, k=10):
        return self.sorted()[:k]

    @property
    def best(self):
        """The finished trial with the highest validation accuracy (None if none finished)."""
        finished = [t for t in self.sorted() if t.status == "finished"]
        return finished[0] if finished else None

    def count(self, status):
        return sum(t.status == status for t in self.trials)

    def line(self, trial):
        """The slide's line: 'val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)'."""
        return format_trial(trial, self.num_configs, list(self.specs))

    def format(self, k=None, order="best"):
        """Printable lines, best first (order="best") or in the drawn order (order="drawn")."""
        trials = self.sorted() if order == "best" else sorted(self.trials, key=lambda t: t.index)
        return "\n".join(self.line(t) for t in trials[:k])

    def table(self):
        """The rows as dicts (best first): the configuration, then final cost, accuracies, status, seconds."""
        return [{**t.config, "final_cost": t.final_cost, "train_acc": t.train_acc, "val_acc": t.val_acc,
                 "status": t.status, "diverged_at": t.diverged_at, "seconds": t.seconds} for t in self.sorted()]

    def values(self, name):
        """(values of `name`, val accuracies, statuses) over the trials, in the drawn order."""
        trials = sorted(self.trials, key=lambda t: t.index)
        return ([t.config[name] for t in trials], np.array([t.val_acc for t in trials]),
                [t.status for t in trials])


def _format_value(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:e}"
    return str(value)


def format_trial(trial, num_configs, names=None):
    """'val_acc: 0.412000, lr: 1.405206e-04, reg: 4.793564e-01, (1 / 100)'; a diverged run says so."""
    names = list(trial.config) if names is None else names
    first = [n for n in ("learning_rate", "reg") if n in names]
    names = first + [n for n in names if n not in first]
    parts = [f"val_acc: {trial.val_acc:f}"]
    parts += [f"{LABELS.get(n, n)}: {_format_value(trial.config[n])}" for n in names]
    line = ", ".join(parts) + f", ({trial.index + 1} / {num_configs})"
    if trial.status == "diverged":
        line += f"  diverged at iteration {trial.diverged_at}"
    elif trial.status != "finished":
        line += f"  {trial.status}"
    return line


def _stop_requested(stop):
    if stop is None:
        return False
    return stop.is_set() if hasattr(stop, "is_set") else bool(stop())


def _num_workers(executor):
    workers = getattr(executor, "_max_workers", None)
    client = executor if hasattr(executor, "scheduler_info") else getattr(executor, "_client", None)
    if workers is None and hasattr(client, "scheduler_info"):  # a dask Client or its ClientExecutor
        workers = len(client.scheduler_info().get("workers", {}))
    return max(int(workers or 2), 1)


def random_search(data, specs, num_configs, *, num_epochs=5, fixed=None, rng=0, executor=None,
                  chunk_size=None, explode_factor=3.0, callback=None, stop=None):
    """Random search: draw num_configs configurations from specs, train each, return SearchResults.

    data: dict X_train (N, D), y_train (N,), X_val (M, D), y_val (M,), preprocessed.
    specs: {hyperparameter: LogUniform | Uniform | Choice}; fixed: {hyperparameter: value} for the
    rest (defaults: DEFAULTS, the slide's momentum 0.9, learning_rate_decay 0.9, batch 100, 50 hidden).
    num_epochs: per configuration (the slide's coarse stage: 5). rng: Generator or seed; the
    configurations and one seed per configuration are drawn from it up front.
    executor: None runs the configurations one after another here; any concurrent.futures.Executor
    (ProcessPoolExecutor, process_pool(...), a dask.distributed Client or client.get_executor())
    runs chunks of chunk_size configurations as tasks. The results are the same whatever runs them.
    explode_factor: a run whose cost exceeds this x its first cost stops with status "diverged".
    callback(trial, results): called here for every finished configuration, as it finishes.
    stop: a threading.Event (or function returning True): the search returns early with every
    configuration finished so far (results.stopped is True); runs cut short are left out.
    """
    rng = checks.rng("rng", rng)
    configs = sample(specs, num_configs, rng, fixed)
    seeds = [int(s) for s in rng.integers(0, 2 ** 31 - 1, len(configs))]
    num_epochs = checks.integer("num_epochs", num_epochs, low=1)
    explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    if chunk_size is not None:
        chunk_size = checks.integer("chunk_size", chunk_size, low=1)
    data = _train_val(data)
    for name in ("X_train", "X_val"):
        checks.array(f"data[{name!r}]", data[name], ndim=2)
    results = SearchResults(dict(specs), len(configs), num_epochs)
    start = time.perf_counter()

    def finished(trial):
        if trial.status == "stopped":
            return
        results.trials.append(trial)
        if callback is not None:
            callback(trial, results)

    jobs = list(zip(range(len(configs)), configs, seeds))
    if executor is None:
        for i, config, seed in jobs:
            if _stop_requested(stop):
                results.stopped = True
                break
            finished(run_trial(data, i, config, seed, num_epochs, explode_factor, stop=stop))
        results.stopped = results.stopped or _stop_requested(stop)
    else:
        results.stopped = _run_parallel(executor, data, jobs, num_epochs, explode_factor, chunk_size,
                                        finished, stop)
    results.seconds = time.perf_counter() - start
    return results


def _run_parallel(executor, data, jobs, num_epochs, explode_factor, chunk_size, finished, stop):
    """Submit chunks of jobs to executor, hand every trial to finished(); True if stopped."""
    workers = _num_workers(executor)
    if chunk_size is None:
        chunk_size = max(1, math.ceil(len(jobs) / (8 * workers)))
    payload = data
    if getattr(executor, "search_data_key", None) is not None and executor.search_data_key == data_key(data):
        payload = executor.search_data_key       # process_pool(...) already holds the data
    client = executor if hasattr(executor, "get_executor") else getattr(executor, "_client", None)
    if client is not None and hasattr(client, "scatter"):   # dask: send the arrays to each worker once
        [payload] = client.scatter([data], broadcast=True, hash=False)
        executor = executor.get_executor() if hasattr(executor, "get_executor") else executor
    futures = [executor.submit(_run_chunk, payload, jobs[i:i + chunk_size], num_epochs, explode_factor)
               for i in range(0, len(jobs), chunk_size)]
    pending = set(futures)
    try:
        while pending:
            done, pending = cf.wait(pending, timeout=0.05, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=futures.index):
                for trial in future.result():
                    finished(trial)
            if pending and _stop_requested(stop):
                for future in pending:
                    future.cancel()
                return True
    finally:
        if pending:
            for future in pending:
                future.cancel()
    return False


# ---- coarse -> fine ------------------------------------------------------------------------------
def refine(specs, results, top_k=5, margin=0.1):
    """Narrow each range around the top_k finished configurations: the next, finer stage.

    LogUniform: [min, max] of the top values in log space, widened by margin x the old log width
    on each side, kept inside the old range. Uniform: the same in linear space. Choice: the values
    used by the top configurations. Returns a new specs dict (hyperparameters not in results kept).
    """
    check_specs(specs)
    top_k = checks.integer("top_k", top_k, low=1)
    margin = checks.in_range("margin", margin, 0, 0.5)
    top = [t for t in results.sorted() if t.status == "finished"][:top_k]
    if not top:
        raise ValueError("results holds no finished configuration to refine around")
    new = {}
    for name, spec in specs.items():
        values = [t.config[name] for t in top if name in t.config]
        if not values:
            new[name] = spec
        elif isinstance(spec, Choice):
            new[name] = Choice(tuple(v for v in spec.values if v in values))
        else:
            log = isinstance(spec, LogUniform)
            to, back = (math.log10, lambda x: 10.0 ** x) if log else (float, float)
            old_low, old_high = to(spec.low), to(spec.high)
            pad = margin * (old_high - old_low)
            low = max(old_low, to(min(values)) - pad)
            high = min(old_high, to(max(values)) + pad)
            low, high = back(low), back(high)
            if spec.integer:
                low, high = math.floor(low), math.ceil(high)
            if low >= high:   # every top value equal and integer: keep a range around it
                low, high = spec.low, spec.high
            new[name] = type(spec)(low, high, spec.integer)
    return new


@dataclass
class EdgeWarning:
    """The best value of a hyperparameter lies near an edge of its searched range."""

    name: str
    edge: str            # "low" or "high"
    value: float
    spec: object         # the searched range
    suggestion: object   # a wider range to search next

    def __str__(self):
        space = "log range" if isinstance(self.spec, LogUniform) else "range"
        where = "below" if self.edge == "low" else "above"
        bound = self.spec.low if self.edge == "low" else self.spec.high
        return (f"{self.name}: the best value {self.value:.3g} lies at the {self.edge} edge of its searched "
                f"{space} [{self.spec.low:.3g}, {self.spec.high:.3g}]. This best result is worrying: better "
                f"values may lie {where} {bound:.3g}, outside what was searched. Search a wider range, "
                f"e.g. {self.suggestion}")


def edge_warnings(specs, results, fraction=0.1):
    """Warnings for every LogUniform / Uniform hyperparameter whose best value (of the best finished
    configuration) lies in the outer `fraction` of its range (measured in log space for LogUniform).

    The suggestion moves that edge out by half the range's width (never past a hard limit such as
    p_keep <= 1); no warning when the edge already is such a limit.
    """
    check_specs(specs)
    fraction = checks.in_range("fraction", fraction, 0, 0.5, low_open=True)
    best = results.best
    warnings = []
    if best is None:
        return warnings
    for name, spec in specs.items():
        if isinstance(spec, Choice) or name not in best.config:
            continue
        value = best.config[name]
        t = spec.position(value)
        edge = "low" if t < fraction else "high" if t > 1 - fraction else None
        if edge is None:
            continue
        lo, hi = DOMAINS.get(name, (0.0 if isinstance(spec, LogUniform) else -math.inf, math.inf))
        if isinstance(spec, LogUniform):
            half = (math.log10(spec.high) - math.log10(spec.low)) / 2
            low = spec.low / 10 ** half if edge == "low" else spec.low
            high = spec.high * 10 ** half if edge == "high" else spec.high
        else:
            half = (spec.high - spec.low) / 2
            low = spec.low - half if edge == "low" else spec.low
            high = spec.high + half if edge == "high" else spec.high
        low, high = max(low, lo), min(high, hi)
        if (edge == "low" and low >= spec.low) or (edge == "high" and high <= spec.high):
            continue   # the edge is a hard limit: nothing lies beyond it
        if spec.integer:
            low, high = math.floor(low), math.ceil(high)
        warnings.append(EdgeWarning(name, edge, value, spec, type(spec)(low, high, spec.integer)))
    return warnings


# ---- learning-rate range test -------------------------------------------------------------------
@dataclass
class LRRangeResult:
    """One run whose learning rate grows exponentially per iteration (a list entry per iteration)."""

    learning_rates: list
    losses: list
    status: str                 # "diverged" (explosion rule) or "finished" (reached lr_end)
    diverged_at: int | None

    @property
    def best_learning_rate(self):
        """The learning rate where the smoothed loss is lowest (a value ~3-10x below it is a safe start)."""
        losses = np.asarray(self.losses, dtype=float)
        if losses.size == 0:
            return float("nan")
        k = min(5, losses.size)
        smooth = np.convolve(losses, np.ones(k) / k, mode="valid")
        return float(self.learning_rates[int(np.argmin(smooth)) + k // 2])


def lr_range_test(data, config=None, lr_start=1e-6, lr_end=10.0, num_iterations=200, explode_factor=3.0,
                  seed=0):
    """Train once with learning_rate = lr_start * (lr_end / lr_start)**(i / (num_iterations - 1)) at
    iteration i, and stop by the explosion rule (cost > explode_factor x the first cost, or NaN).

    data: dict X_train (N, D), y_train (N,), X_val, y_val. config: the other hyperparameters
    (DEFAULTS otherwise; learning_rate_decay is not used). Returns an LRRangeResult: loss against
    learning rate, to be plotted with a log x axis.
    """
    lr_start = checks.finite_positive("lr_start", lr_start)
    lr_end = checks.finite_positive("lr_end", lr_end)
    if lr_start >= lr_end:
        raise ValueError(f"lr_start must be < lr_end, got lr_start={lr_start!r}, lr_end={lr_end!r}")
    num_iterations = checks.integer("num_iterations", num_iterations, low=2)
    explode_factor = checks.in_range("explode_factor", explode_factor, 1, math.inf, high_open=True)
    config = dict(config or {})
    rates = lr_start * (lr_end / lr_start) ** (np.arange(num_iterations) / (num_iterations - 1))
    result = LRRangeResult([], [], "finished", None)
    # core.train keeps one learning rate per epoch, so this loop is written out: sample, backprop,
    # update with this iteration's learning rate.
    c = full_config(config)
    rng = np.random.default_rng(seed)
    net = build_net(data, c, rng)
    X, y = np.asarray(data["X_train"], dtype=net.dtype), np.asarray(data["y_train"])
    update = UPDATE_RULES[checks.choice("update", c["update"], UPDATE_RULES)]
    base = {"momentum": c["momentum"]} if c["update"] in ("momentum", "nesterov") else {}
    configs = {k: dict(base) for k in net.params}
    batch_size = min(int(c["batch_size"]), X.shape[0])
    with np.errstate(all="ignore"):
        for i, lr in enumerate(rates):
            idx = rng.integers(0, X.shape[0], batch_size)
            cost, grads = net._loss(X[idx], y[idx])
            if not math.isfinite(cost) or (result.losses and cost > explode_factor * result.losses[0]):
                result.status, result.diverged_at = "diverged", i + 1
                if math.isfinite(cost):
                    result.learning_rates.append(float(lr))
                    result.losses.append(float(cost))
                break
            result.learning_rates.append(float(lr))
            result.losses.append(float(cost))
            for k, w in net.params.items():
                configs[k]["learning_rate"] = float(lr)
                next_w, configs[k] = update(w, grads[k], configs[k])
                net.params[k] = next_w.astype(net.dtype, copy=False)
    return result
