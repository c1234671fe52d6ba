"""Control change -> redrawn figure (compute + draw + PNG), per explorer: median and 95th percentile.

Each benchmarks/latency_*.py defines CASES: a list of (name, make, control, values) where
make() returns an explorer, control names the attribute of its main control, and values are the
slider positions to step through (cycled until REPEATS changes are timed). Run:

    python benchmarks/bench_latency.py [name-substring ...]
"""
import importlib.util
import pathlib
import platform
import sys
import time

import numpy as np

REPEATS = 30
HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE.parent))


def load_cases():
    cases = []
    for path in sorted(HERE.glob("latency_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases.extend(module.CASES)
    return cases


def time_case(make, control, values, repeats=REPEATS):
    """Median and 95th percentile of the wall time per change, and the median CPU time of this (the
    main) thread: on a shared machine the CPU time is the steadier number; a background run's own
    thread is not counted in it (nor is it in the wall time the change blocks for)."""
    explorer = make()
    widget = getattr(explorer, control)
    timings, cpu = [], []
    for i in range(repeats + 1):
        value = values[i % len(values)]
        if widget.value == value:
            value = values[(i + 1) % len(values)]
        start, cpu_start = time.perf_counter(), time.thread_time()
        widget.value = value
        elapsed, cpu_elapsed = time.perf_counter() - start, time.thread_time() - cpu_start
        if i:  # the first change warms caches
            timings.append(elapsed)
            cpu.append(cpu_elapsed)
    if explorer.last_error is not None:
        raise RuntimeError(f"explorer error: {explorer.last_error}")
    return np.median(timings) * 1000, np.percentile(timings, 95) * 1000, np.median(cpu) * 1000


def main(filters):
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}, "
          f"numpy {np.__version__}")
    print(f"{'explorer / control':58s} {'median ms':>10s} {'p95 ms':>8s} {'CPU ms':>8s}  target < 100 ms median")
    for name, make, control, values in load_cases():
        if filters and not any(f in name for f in filters):
            continue
        median, p95, cpu = time_case(make, control, values)
        flag = "ok" if median < 100 else "MISS"
        print(f"{name + ' / ' + control:58s} {median:10.1f} {p95:8.1f} {cpu:8.1f}  {flag}")


if __name__ == "__main__":
    main(sys.argv[1:])
