"""What the lecture cases and a claim over seeds cost, side by side with one training run (not a timed test).

(a) one babysitting run (64-50-10, SGD, 10 epochs of 1,000 examples): the unit everything else is made of;
(b) core.demos.lecture_cases.learning_rate_cliff (range test + bisection), from an empty cache;
(c) core.demos.lecture_cases.lecture_cases (every case, checked), from an empty cache, and again (cached);
(d) core.demos.seeds.compare over 10 and 20 seeds of paired babysitting runs (20 and 40 runs).

On digits (standardized) and raw digits (pixels 0 .. 16, centred). Wall and CPU seconds, and each row
as a multiple of one run: the numbers quoted in docs/claims-study.md. Run:

    python benchmarks/bench_lecture_cases.py
"""
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import core
from core.demos import lecture_cases, seeds


def timed(function, repeat=1):
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        result = function()
    return result, (time.perf_counter() - wall) / repeat, (time.process_time() - cpu) / repeat


def main():
    print(f"{'data':11s} {'what':48s} {'wall s':>8s} {'CPU s':>8s} {'x one run':>10s}")
    for name in ("digits", "digits_raw"):
        raw = core.data.load_dataset(name, rng=0)
        data = core.preprocess.preprocess(raw, core.data.PREPROCESSING[name])
        s = lecture_cases.settings_for(None)
        _, one_wall, one_cpu = timed(lambda s=s, data=data: lecture_cases.run(data, s, 0.1, 0), repeat=20)
        rows = [("one babysitting run (100 iterations)", one_wall, one_cpu)]
        lecture_cases._CACHE.clear()
        _, wall, cpu = timed(lambda data=data: lecture_cases.learning_rate_cliff(data))
        rows.append(("learning_rate_cliff (empty cache)", wall, cpu))
        lecture_cases._CACHE.clear()
        cases, wall, cpu = timed(lambda data=data: lecture_cases.lecture_cases(data, seed=0))
        rows.append((f"lecture_cases (empty cache, {cases.runs} runs)", wall, cpu))
        _, wall, cpu = timed(lambda data=data: lecture_cases.lecture_cases(data, seed=0))
        rows.append(("lecture_cases (cached)", wall, cpu))
        rate = cases.about_right
        for n in (10, 20):
            result, wall, cpu = timed(lambda n=n, data=data, rate=rate, s=s: seeds.compare(
                lambda seed: (lecture_cases.run(data, s, rate, seed).val_acc_history[-1],
                              lecture_cases.run(data, s, rate / 3, seed).val_acc_history[-1]), n, 0))
            rows.append((f"seeds.compare, {n} seeds x 2 runs", wall, cpu))
        for what, wall, cpu in rows:
            print(f"{name:11s} {what:48s} {wall:8.3f} {cpu:8.3f} {cpu / one_cpu:10.1f}")


if __name__ == "__main__":
    main()
