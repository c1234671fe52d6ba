"""Hyperparameter search, side by side: who runs 100 configurations fastest? (not a timed test)

(a) the slide's coarse stage on digits: 100 configurations x 5 epochs (64-50-10 net, momentum 0.9,
    lr decay 0.9, batches of 100), lr = 10**uniform(-3, 1), reg = 10**uniform(-5, 5), run
    - sequentially in this process (numpy's default BLAS threads, then one BLAS thread),
    - on a 2-worker process pool (core.search.process_pool: data sent once per worker, one BLAS thread each),
    - on a 2-worker dask.distributed LocalCluster (processes, one thread and one BLAS thread each),
    - and scikit-learn's MLPClassifier under RandomizedSearchCV with the same budget: n_iter=100,
      max_iter=5 epochs, batch 100, SGD with momentum 0.9, 50 hidden units, the same train/val split
      through PredefinedSplit, the same log-uniform ranges (sklearn's alpha for reg).
(b) a heavier search on CIFAR-shaped random data (3072-50-10, 2000 training examples): sequential
    against 2 workers with one BLAS thread each.

Pool and cluster start-up is timed apart from the search ("start s"); "wall s" is the search alone,
"total s" both. Run:

    python benchmarks/bench_search.py [--quick]
"""
import os
import pathlib
import platform
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))

import core
from core import search

SEED = 0


def one_blas_thread():
    """Process initializer: one BLAS thread in this worker (threadpoolctl ships with scikit-learn)."""
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)


def timed(fn, repeats=1):
    """(best wall seconds over repeats, last result)."""
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def run_ours(data, specs, num_configs, num_epochs, repeats):
    """Rows (name, start s, wall s, best val acc, note) for sequential, process pool and dask."""
    from threadpoolctl import threadpool_info, threadpool_limits

    rows = []
    search_fn = lambda executor=None: search.random_search(data, specs, num_configs, num_epochs=num_epochs,
                                                            rng=SEED, executor=executor)
    blas = threadpool_info()[0]["num_threads"] if threadpool_info() else "?"
    wall, seq = timed(search_fn, repeats)
    rows.append((f"core.search, sequential ({blas} BLAS threads)", 0.0, wall, seq))
    with threadpool_limits(1):
        wall, out = timed(search_fn, repeats)
    rows.append(("core.search, sequential (1 BLAS thread)", 0.0, wall, out))

    start = time.perf_counter()
    pool = search.process_pool(2, data, initializer=one_blas_thread)
    list(pool.map(abs, [1, 2]))  # the workers are up
    started = time.perf_counter() - start
    wall, out = timed(lambda: search_fn(pool), repeats)
    pool.shutdown()
    rows.append(("core.search, 2-process pool", started, wall, out))

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        rows.append(("core.search, dask LocalCluster (2 workers)", float("nan"), float("nan"), None))
    else:
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            client = Client(cluster)
        client.run(one_blas_thread)
        started = time.perf_counter() - start
        wall, out = timed(lambda: search_fn(client), repeats)
        client.close()
        cluster.close()
        rows.append(("core.search, dask LocalCluster (2 workers)", started, wall, out))
    same = all(r[3] is None or r[3].format(order="drawn") == seq.format(order="drawn") for r in rows)
    return [(name, s, w, r.best.val_acc if r is not None else float("nan")) for name, s, w, r in rows], same


def run_sklearn(data, num_configs, num_epochs, n_jobs):
    """MLPClassifier under RandomizedSearchCV with the same budget and split."""
    from scipy.stats import loguniform
    from sklearn.model_selection import PredefinedSplit, RandomizedSearchCV
    from sklearn.neural_network import MLPClassifier

    X = np.concatenate([data["X_train"], data["X_val"]])
    y = np.concatenate([data["y_train"], data["y_val"]])
    fold = np.r_[np.full(len(data["y_train"]), -1), np.zeros(len(data["y_val"]), dtype=int)]
    mlp = MLPClassifier(hidden_layer_sizes=(50,), solver="sgd", momentum=0.9, nesterovs_momentum=False,
                        batch_size=100, max_iter=num_epochs, learning_rate="constant", random_state=SEED)
    cv = RandomizedSearchCV(mlp, {"learning_rate_init": loguniform(1e-3, 10), "alpha": loguniform(1e-5, 1e5)},
                            n_iter=num_configs, cv=PredefinedSplit(fold), refit=False, n_jobs=n_jobs,
                            random_state=SEED, error_score=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        os.environ.setdefault("PYTHONWARNINGS", "ignore")  # joblib workers
        wall, _ = timed(lambda: cv.fit(X, y))
    return wall, float(np.nanmax(cv.cv_results_["mean_test_score"]))


def cifar_shaped(num_train=2000, num_val=500):
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((num_train + num_val, 3072)).astype(np.float32)
    y = rng.integers(0, 10, num_train + num_val)
    return {"X_train": X[:num_train], "y_train": y[:num_train], "X_val": X[num_train:], "y_val": y[num_train:]}


def heavy(num_configs, num_epochs):
    """(b): rows (name, start s, wall s) on CIFAR-shaped random data."""
    from threadpoolctl import threadpool_info, threadpool_limits

    data = cifar_shaped()
    specs = {"learning_rate": search.LogUniform(1e-4, 1e-2), "reg": search.LogUniform(1e-5, 1e-1)}
    run = lambda executor=None: search.random_search(data, specs, num_configs, num_epochs=num_epochs, rng=SEED,
                                                     executor=executor, chunk_size=1)
    blas = threadpool_info()[0]["num_threads"] if threadpool_info() else "?"
    rows = []
    wall, seq = timed(run)
    rows.append((f"sequential ({blas} BLAS threads)", 0.0, wall))
    with threadpool_limits(1):
        wall, _ = timed(run)
    rows.append(("sequential (1 BLAS thread)", 0.0, wall))
    start = time.perf_counter()
    pool = search.process_pool(2, data, initializer=one_blas_thread)
    list(pool.map(abs, [1, 2]))
    started = time.perf_counter() - start
    wall, par = timed(lambda: run(pool))
    pool.shutdown()
    rows.append(("2-process pool, 1 BLAS thread each", started, wall))
    same = par.format(order="drawn") == seq.format(order="drawn")
    return rows, same


def main(quick=False):
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"numpy {np.__version__}; load average at start {load[0]:.1f}")
    data = core.preprocess.preprocess(core.data.load_digits(rng=SEED), "standardize")
    specs = {"learning_rate": search.LogUniform.exponents(-3, 1), "reg": search.LogUniform.exponents(-5, 5)}
    num_configs, num_epochs = (20, 5) if quick else (100, 5)
    search.random_search(data, specs, 3, num_epochs=1, rng=SEED)  # warm-up

    print(
        f"\n(a) digits, {num_configs} configurations x {num_epochs} epochs "
        "(target: best under 2 s, faster than sklearn)\n"
    )
    print("| runner | start s | wall s | total s | best val acc |")
    print("|---|---:|---:|---:|---:|")
    rows, same = run_ours(data, specs, num_configs, num_epochs, repeats=1 if quick else 2)
    for name, started, wall, best in rows:
        print(f"| {name} | {started:.2f} | {wall:.2f} | {started + wall:.2f} | {best:.3f} |")
    from threadpoolctl import threadpool_limits
    for n_jobs, blas in ((1, None), (1, 1), (2, None)):
        with threadpool_limits(blas):
            wall, best = run_sklearn(data, num_configs, num_epochs, n_jobs)
        what = f"n_jobs={n_jobs}" + (", 1 BLAS thread" if blas else "")
        print(f"| sklearn MLPClassifier + RandomizedSearchCV ({what}) | 0.00 | {wall:.2f} | {wall:.2f} | {best:.3f} |")
    print(f"\ncore.search results identical for every runner: {same}")

    h_configs, h_epochs = (4, 2) if quick else (24, 5)
    print(f"\n(b) CIFAR-shaped random data (3072-50-10, 2000 train), {h_configs} configurations x {h_epochs} epochs "
          "(target: 2 workers >= 1.7x faster than sequential)\n")
    print("| runner | start s | wall s | speed-up vs sequential |")
    print("|---|---:|---:|---:|")
    rows, same = heavy(h_configs, h_epochs)
    for name, started, wall in rows:
        print(f"| {name} | {started:.2f} | {wall:.2f} | {rows[0][2] / wall:.2f}x |")
    print(f"\nidentical results sequential and 2 workers: {same}")
    load = os.getloadavg()
    print(f"load average at end {load[0]:.1f} (more than {os.cpu_count()} means other work shared the cores)")


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
