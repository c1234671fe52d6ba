"""Running configurations in parallel through any concurrent.futures.Executor.

A local process pool (process_pool: the data sent once to each worker), any other Executor, or a
dask.distributed Client (the data scattered once to every worker). Configurations travel in chunks;
each chunk is trained by run_chunk in the worker and comes back as a list of Trials.

Lives in core.search.parallel; until the issue-11 split, core/search.py held all of core.search.
"""
import concurrent.futures as cf
import hashlib
import math
import os

import numpy as np

from .. import checks
from ..trainer import stop_requested
from .trial import run_trial

_WORKER_DATA = {}  # data sent once to each worker process by process_pool's initializer


def data_key(data):
    """A short fingerprint of the training and validation arrays (which data a worker holds)."""
    h = hashlib.blake2b(digest_size=12)
    for k in ("X_train", "y_train", "X_val", "y_val"):
        a = np.ascontiguousarray(data[k])
        h.update(f"{k}{a.shape}{a.dtype}".encode())
        h.update(a.data)
    return h.hexdigest()


def train_val(data):
    """The four arrays a search needs, without the test set (which a search must never see)."""
    return {k: data[k] for k in ("X_train", "y_train", "X_val", "y_val")}


def _init_worker(key, data, initializer, initargs):
    _WORKER_DATA[key] = data
    if initializer is not None:
        initializer(*initargs)


def process_pool(max_workers, data=None, initializer=None, initargs=()):
    """A concurrent.futures.ProcessPoolExecutor that holds `data` in every worker from the start.

    random_search on the same data then sends each worker only configurations, not the arrays.
    initializer(*initargs) runs after that in each worker (e.g. to limit BLAS threads).
    The pool carries two attributes for random_search: num_workers and search_data_key.
    """
    max_workers = checks.integer("max_workers", max_workers, low=1)
    key = None if data is None else data_key(data)
    pool = cf.ProcessPoolExecutor(max_workers, initializer=_init_worker,
                                  initargs=(key, train_val(data) if data is not None else None, initializer, initargs))
    pool.search_data_key = key
    pool.num_workers = max_workers
    return pool


def run_chunk(data, jobs, num_epochs, explode_factor):
    """Work function of one task: train each (index, config, seed) of jobs on data (or a data key)."""
    if isinstance(data, str):
        data = _WORKER_DATA[data]
    return [run_trial(data, i, config, seed, num_epochs, explode_factor) for i, config, seed in jobs]


def is_dask_client(executor):
    """True for a dask.distributed Client (it can scatter data and tell its number of workers)."""
    return all(hasattr(executor, name) for name in ("scatter", "scheduler_info", "get_executor"))


def num_workers(executor):
    """How many tasks the executor runs at once: process_pool's num_workers, a dask Client's
    worker count, else the number of CPUs (concurrent.futures' own default)."""
    if getattr(executor, "num_workers", None):
        return int(executor.num_workers)
    if is_dask_client(executor):
        return max(len(executor.scheduler_info().get("workers", {})), 1)
    return os.cpu_count() or 2


def run_parallel(executor, data, jobs, num_epochs, explode_factor, chunk_size, finished, stop):
    """Submit chunks of jobs to executor, hand every trial to finished(); True if stopped.

    The chunks' order and size do not change the results: every job carries its own seed.
    """
    if chunk_size is None:
        chunk_size = max(1, math.ceil(len(jobs) / (8 * num_workers(executor))))
    payload = data
    if getattr(executor, "search_data_key", None) is not None and executor.search_data_key == data_key(data):
        payload = executor.search_data_key       # process_pool(...) already holds the data
    if is_dask_client(executor):                 # send the arrays to each worker once
        [payload] = executor.scatter([data], broadcast=True, hash=False)
        executor = executor.get_executor()
    futures = [executor.submit(run_chunk, payload, jobs[i:i + chunk_size], num_epochs, explode_factor)
               for i in range(0, len(jobs), chunk_size)]
    pending = set(futures)
    try:
        while pending:
            done, pending = cf.wait(pending, timeout=0.05, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=futures.index):
                for trial in future.result():
                    finished(trial)
            if pending and stop_requested(stop):
                for future in pending:
                    future.cancel()
                return True
    finally:
        if pending:
            for future in pending:
                future.cancel()
    return False
