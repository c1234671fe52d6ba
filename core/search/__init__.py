"""Hyperparameter search, the lecture's way: random search in log space, coarse -> fine.

    "I like to do coarse -> fine cross-validation in stages
     First stage: only a few epochs to get rough idea of what params work
     Second stage: longer running time, finer search"

    reg = 10**uniform(-5, 5)  <- note it's best to optimize in log space
    lr = 10**uniform(-3, -6)

One module per job, read in this order:
    space       search spaces (LogUniform, Uniform, Choice), DEFAULTS, sample()
    trial       one configuration -> net -> core.train -> Trial
    run         random_search: every configuration, here or through an executor
    parallel    the executor plumbing (process_pool, dask) that random_search uses
    results     SearchResults: sorted trials, the slide's printed lines, table rows
    refinement  refine() the ranges around the best; edge_warnings() ("this result is worrying")
    lr_range    the learning-rate range test
Everything public is importable from core.search itself (core.search.random_search, ...).
"""
from .lr_range import LRRangeResult, lr_range_test
from .parallel import data_key, num_workers, process_pool, run_chunk, run_parallel, train_val
from .refinement import EdgeWarning, edge_warnings, refine
from .results import STATUS_ORDER, SearchResults, format_trial
from .run import random_search
from .space import DEFAULTS, DOMAINS, LABELS, NAMES, Choice, LogUniform, Uniform, check_specs, full_config, sample
from .trial import Trial, build_net, run_trial, train_config

__all__ = [
    "DEFAULTS", "DOMAINS", "LABELS", "NAMES", "STATUS_ORDER", "Choice", "EdgeWarning", "LRRangeResult", "LogUniform",
    "SearchResults", "Trial", "Uniform", "build_net", "check_specs", "data_key", "edge_warnings", "format_trial",
    "full_config", "lr_range_test", "num_workers", "process_pool", "random_search", "refine", "run_chunk",
    "run_parallel", "run_trial", "sample", "train_config", "train_val",
]
