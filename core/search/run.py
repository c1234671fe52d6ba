"""random_search: draw configurations, train each (here or through an executor), collect the results.

The configurations and a seed per configuration are drawn up front, so the results are the same
whatever runs them: one after another in this process, a process pool, or a dask cluster.

Lives in core.search.run; until the issue-11 split, core/search.py held all of core.search.
"""
import math
import time

from .. import checks
from ..trainer import stop_requested
from .parallel import run_parallel, train_val
from .results import SearchResults
from .space import sample
from .trial import run_trial


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
    (A Client sends the data to each worker once; other executors send it with every chunk, except
    process_pool(n, data), whose workers hold it from the start.)
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
    data = train_val(data)
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
            if stop_requested(stop):
                results.stopped = True
                break
            finished(run_trial(data, i, config, seed, num_epochs, explode_factor, stop=stop))
        results.stopped = results.stopped or stop_requested(stop)
    else:
        results.stopped = run_parallel(executor, data, jobs, num_epochs, explode_factor, chunk_size,
                                       finished, stop)
    results.seconds = time.perf_counter() - start
    return results
