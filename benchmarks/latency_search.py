"""Latency cases for the search dashboard (see bench_latency.py): moving a range slider redraws
100 results, the search box and the edge marks (no training: a search runs only on Run)."""
import core
from core import search
from widgets.search import SearchDashboard


def make():
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    specs = {"learning_rate": search.LogUniform.exponents(-3, 1), "reg": search.LogUniform.exponents(-5, 5)}
    results = search.random_search(data, specs, 100, num_epochs=5, rng=0)
    return SearchDashboard(data, results=results)


CASES = [("06 search dashboard (100 results, lr range)", make, "lr_range",
          [(-3.0 + 0.1 * i, 1.0 - 0.1 * i) for i in range(10)]),
         ("06 search dashboard (100 results, reg range)", make, "reg_range",
          [(-5.0 + 0.2 * i, 5.0) for i in range(10)])]


def make_range_test():
    from widgets.search import LRRangeExplorer

    return LRRangeExplorer(core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize"))


CASES.append(("06 lr range test (retrains 200 iterations)", make_range_test, "batch_size", [50, 100, 150, 200]))
