"""Per-iteration time of one SGD training step (forward, backward, update) of the core two-layer net,
side by side with the same net in PyTorch (CPU, if importable) and a plain matrix-multiply floor.

    .venv/bin/python benchmarks/bench_step.py            # BLAS threads as numpy has them, then 1 thread
    .venv/bin/python benchmarks/bench_step.py --quick    # fewer repeats

Rows, for D-50-10 nets (D = 3072: the lecture's CIFAR-10 shape; D = 64: digits), float32, batch 100:
- core step:    net.loss_and_grads(X, y) then core.optim.sgd_step on every parameter: the step the
                trainer's loop runs (arguments checked once, before the loop)
- checked step: net.loss(X, y) then core.optim.sgd on every parameter: the public API, which checks
                X, y and every update's config on every call
- core trainer: one iteration inside core.train with its defaults (batch sampling, step, and the
                argument checks and per-epoch accuracy passes spread over 5 epochs of 20 iterations;
                no update/weight ratios: track_ratios is off unless asked for)
- torch step:   nn.Sequential(Linear, ReLU, Linear), cross-entropy, torch.optim.SGD: zero_grad,
                forward, backward, step (threads set to numpy's BLAS threads)
- matmul floor: the matrix products a step cannot avoid, with preallocated outputs: X W1, h W2
                (forward) and h^T dscores, dscores W2^T, X^T dh (backward; the input needs no gradient)
Then where the time of the 64-50-10 rows goes (breakdown_fns), and the work a slider move
triggers: ten epochs of 1000 digits examples through core.train
(a fresh 64-50-10 net, batch 100, 100 updates; target < 20 ms).

Times are per iteration; every row is measured in interleaved rounds (core, torch, floor, core, ...)
so that other load on the machine hits them alike; the table shows the minimum wall time over rounds
(each round averages many iterations), the median, and the minimum CPU time of the process. On a
shared machine the CPU time of a 1-thread run is the steadier number: wall time then also counts the
time other processes held the core. Ratios use the minima.
"""
import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import core

try:
    import threadpoolctl
except ImportError:  # the thread count is then reported as unknown
    threadpoolctl = None
try:
    import torch
except ImportError:
    torch = None

BATCH, HIDDEN, CLASSES, LR = 100, 50, 10, 1e-2


def cpu_model():
    """The CPU's model name (Linux /proc/cpuinfo), else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def blas_info():
    if threadpoolctl is None:
        return "unknown (threadpoolctl not installed)", None
    for pool in threadpoolctl.threadpool_info():
        if pool["user_api"] == "blas" and "numpy" in pool["filepath"]:
            return (f"{pool['internal_api']} {pool.get('version')} ({pool.get('architecture')}), "
                    f"{pool['num_threads']} threads"), pool["num_threads"]
    return "unknown", None


def make_batch(D, rng):
    return rng.standard_normal((BATCH, D)).astype(np.float32), rng.integers(0, CLASSES, BATCH)


def core_step_fn(D, rng, checked=False):
    net = core.FullyConnectedNet(D, [HIDDEN], CLASSES, init="he", dtype=np.float32, rng=0)
    X, y = make_batch(D, rng)
    configs = {k: {"learning_rate": LR} for k in net.params}
    loss, update = (net.loss, core.optim.sgd) if checked else (net.loss_and_grads, core.optim.sgd_step)

    def step():
        _, grads = loss(X, y)
        for k in net.params:
            net.params[k], configs[k] = update(net.params[k], grads[k], configs[k])
    return step


def core_trainer_fn(D, rng, iterations=20, epochs=5):
    """One call trains `epochs` epochs of `iterations` updates; the caller divides by their product."""
    X, y = make_batch(D, rng)
    X, y = np.tile(X, (iterations, 1)), np.tile(y, iterations)
    X_val, y_val = X[:300], y[:300]
    net = core.FullyConnectedNet(D, [HIDDEN], CLASSES, init="he", dtype=np.float32, rng=0)

    def epoch():
        core.train(net, X, y, X_val, y_val, num_epochs=epochs, batch_size=BATCH, learning_rate=LR,
                   explode_factor=None, rng=0)
    return epoch


def torch_step_fn(D, rng):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(D, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, y = make_batch(D, rng)
    X, y = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
    return step


def torch_matches_core(D=64):
    """Copy a core net's weights into the torch net: the same loss and gradients (the same net)?"""
    rng = np.random.default_rng(1)
    net = core.FullyConnectedNet(D, [HIDDEN], CLASSES, init="he", dtype=np.float32, rng=0)
    net.params["b1"][:] = rng.standard_normal(HIDDEN)  # nonzero biases, so they are compared too
    X, y = make_batch(D, rng)
    loss, grads = net.loss(X, y)
    model = torch.nn.Sequential(torch.nn.Linear(D, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES))
    with torch.no_grad():
        for layer, i in ((model[0], 1), (model[2], 2)):  # torch keeps W as (out, in)
            layer.weight.copy_(torch.from_numpy(net.params[f"W{i}"].T.copy()))
            layer.bias.copy_(torch.from_numpy(net.params[f"b{i}"]))
    torch_loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(y))
    torch_loss.backward()
    pairs = [(grads["W1"], model[0].weight.grad.numpy().T), (grads["b1"], model[0].bias.grad.numpy()),
             (grads["W2"], model[2].weight.grad.numpy().T), (grads["b2"], model[2].bias.grad.numpy())]
    worst = max(float(np.max(np.abs(a - b)) / (np.max(np.abs(b)) + 1e-12)) for a, b in pairs)
    return abs(loss - torch_loss.item()), worst


def floor_fn(D, rng):
    X, _ = make_batch(D, rng)
    W1 = rng.standard_normal((D, HIDDEN)).astype(np.float32)
    W2 = rng.standard_normal((HIDDEN, CLASSES)).astype(np.float32)
    h = np.empty((BATCH, HIDDEN), np.float32)
    scores = np.empty((BATCH, CLASSES), np.float32)
    dW2, dh, dW1 = np.empty_like(W2), np.empty_like(h), np.empty_like(W1)

    def step():
        np.matmul(X, W1, out=h)
        np.matmul(h, W2, out=scores)
        np.matmul(h.T, scores, out=dW2)
        np.matmul(scores, W2.T, out=dh)
        np.matmul(X.T, dh, out=dW1)
    return step


def calibrate(fn, target_seconds):
    """How many calls take about target_seconds."""
    fn()
    n, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed > target_seconds / 4 or n > 1e6:
            return max(1, int(n * target_seconds / max(elapsed, 1e-9)))
        n *= 4


def measure(fns, rounds, round_seconds, per_call=None):
    """Interleaved rounds; returns {name: (wall min, wall median, CPU min)} seconds per call
    (divided by per_call[name]). CPU time is the process's (all its threads)."""
    numbers = {name: calibrate(fn, round_seconds) for name, fn in fns.items()}
    wall, cpu = {name: [] for name in fns}, {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            for _ in range(numbers[name]):
                fn()
            calls = numbers[name] * (per_call or {}).get(name, 1)
            wall[name].append((time.perf_counter() - start) / calls)
            cpu[name].append((time.process_time() - cpu_start) / calls)
    return {name: (min(wall[name]), statistics.median(wall[name]), min(cpu[name])) for name in fns}


def set_threads(n):
    """Limit numpy's BLAS (threadpoolctl) and torch to n threads; returns the limiter to keep alive."""
    limiter = threadpoolctl.threadpool_limits(n, user_api="blas") if threadpoolctl else None
    if torch is not None:
        torch.set_num_threads(n)
    return limiter


def step_table(threads, rounds, round_seconds):
    rng = np.random.default_rng(0)
    trainer_iterations = 20 * 5  # 5 epochs of 20 batches per call to core.train
    lines = [f"per-iteration time, batch {BATCH}, float32, {threads} thread(s): wall min / wall median / "
             "CPU min over rounds, microseconds; ratios of wall minima (of CPU minima)",
             f"{'shape':<12}{'core step':>22}{'checked step':>22}{'core trainer':>22}{'torch step':>22}"
             f"{'matmul floor':>22}{'core/torch':>14}{'core/floor':>14}{'checked/floor':>15}{'trainer/core':>14}"]
    all_times = {}
    for D in (3072, 64):
        fns = {"core": core_step_fn(D, rng), "checked": core_step_fn(D, rng, checked=True),
               "trainer": core_trainer_fn(D, rng), "floor": floor_fn(D, rng)}
        if torch is not None:
            fns["torch"] = torch_step_fn(D, rng)
        times = measure(fns, rounds, round_seconds, per_call={"trainer": trainer_iterations})
        def cell(name, times=times):
            if name not in times:
                return f"{'n/a':>22}"
            return "{:>22}".format(" / ".join(f"{t * 1e6:.0f}" if t > 1e-4 else f"{t * 1e6:.1f}" for t in times[name]))

        def ratio(other, of="core", width=14, times=times):
            if other not in times:
                return f"{'n/a':>{width}}"
            wall, cpu = times[of][0] / times[other][0], times[of][2] / times[other][2]
            return f"{wall:.2f} ({cpu:.2f})".rjust(width)

        all_times[D] = times
        lines.append(f"{D}-{HIDDEN}-{CLASSES:<5}{cell('core')}{cell('checked')}{cell('trainer')}{cell('torch')}"
                     f"{cell('floor')}{ratio('torch')}{ratio('floor')}{ratio('floor', 'checked', 15)}"
                     f"{ratio('core', 'trainer')}")
    return lines, all_times


def breakdown_fns(D, rng, iterations=20):
    """Where the time of a 64-50-10 step and of the trainer's extras goes: the parts of core step
    (forward, softmax loss, backward, the four updates), one small numpy operation (numpy's cost
    per call, which bounds what a step of about 45 numpy calls (5 of them the floor's products) can
    reach), and what core.train does besides the step (the batch copy, the per-epoch accuracy passes)
    and what track_ratios=True adds (the update/weight ratios)."""
    net = core.FullyConnectedNet(D, [HIDDEN], CLASSES, init="he", dtype=np.float32, rng=0)
    X, y = make_batch(D, rng)
    scores, caches, _ = net.forward(X)
    _, dscores = core.layers.softmax_loss(scores, y)
    grads = net.backward(dscores, caches)
    config = {"learning_rate": LR}
    h, tiny = np.maximum(X @ net.params["W1"], 0), np.ones(10, np.float32)
    X_train, y_train = np.tile(X, (iterations, 1)), np.tile(y, iterations)  # what core_trainer_fn trains on
    idx = rng.integers(0, len(y_train), BATCH)
    updated = {k: net.params[k] - LR * grads[k] for k in ("W1", "W2")}

    def accuracy(X, y):  # as core.trainer.loop computes it
        return np.count_nonzero(np.argmax(net.forward(X, "test")[0], axis=1) == y) / y.shape[0]

    def ratios():  # as core.trainer.loop computes them, for W1 and W2
        out = []
        for k, next_w in updated.items():
            w = net.params[k]
            step = next_w - w
            out.append(math.sqrt(float(np.vdot(step, step)) / float(np.vdot(w, w))))
        return out

    def epoch_accuracy():  # 1000 training examples drawn without replacement, then all 300 validation ones
        sub = rng.choice(len(y_train), 1000, replace=False)
        return accuracy(X_train.take(sub, axis=0), y_train[sub]), accuracy(X_train[:300], y_train[:300])

    fns = {"forward": lambda: net.forward(X), "loss": lambda: core.layers.softmax_loss(scores, y),
           "backward": lambda: net.backward(dscores, caches),
           "updates": lambda: [core.optim.sgd_step(net.params[k], grads[k], config) for k in net.params],
           "one op": lambda: np.maximum(h, 0), "tiny op": lambda: np.maximum(tiny, 0),
           "batch": lambda: (X_train.take(idx, axis=0), y_train[idx]),
           "ratios": ratios, "accuracy": epoch_accuracy}
    return fns, {"accuracy": iterations}


def breakdown_table(rounds, round_seconds, step_times, D=64):
    """step_times: step_table's times at D (CPU minima of core step and core trainer, with the rest)."""
    fns, per_call = breakdown_fns(D, np.random.default_rng(0))
    times = measure(fns, rounds, round_seconds, per_call)
    cpu = {name: t[2] * 1e6 for name, t in times.items()}
    step, trainer = step_times["core"][2] * 1e6, step_times["trainer"][2] * 1e6
    loop_only = trainer - step - cpu["accuracy"]
    parts = ("forward", "loss", "backward", "updates")
    extras = ("batch", "accuracy")
    return [f"where the time goes at {D}-{HIDDEN}-{CLASSES} (CPU min, microseconds; accuracy: per iteration, "
            "one epoch's passes / 20):",
            "  core step parts: " + ", ".join(f"{name} {cpu[name]:.1f}" for name in parts)
            + f" (sum {sum(cpu[name] for name in parts):.1f})",
            f"  one numpy operation: np.maximum on (100, 50) {cpu['one op']:.2f}, on (10,) {cpu['tiny op']:.2f}",
            "  trainer extras per iteration: " + ", ".join(f"{name} {cpu[name]:.1f}" for name in extras)
            + f" (sum {sum(cpu[name] for name in extras):.1f}); with track_ratios=True also ratios {cpu['ratios']:.1f}",
            f"  trainer - core step = {trainer - step:.1f} ({(trainer - step) / step:.0%} of the step); without the "
            f"accuracy passes {loop_only:.1f} ({loop_only / step:.0%})"]


def slider_move_table(rounds):
    data = core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")
    X, y = data["X_train"][:1000], data["y_train"][:1000]

    def ten_epochs():
        net = core.FullyConnectedNet(64, [HIDDEN], CLASSES, init_scale=1e-2, rng=0)
        return core.train(net, X, y, data["X_val"], data["y_val"], num_epochs=10, batch_size=BATCH,
                          learning_rate=0.5, rng=0)

    result = ten_epochs()
    wall, cpu = [], []
    for _ in range(rounds * 5):
        start, cpu_start = time.perf_counter(), time.process_time()
        ten_epochs()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return (f"ten epochs of 1000 digits through core.train (a fresh net, 100 updates, 10 accuracy passes): "
            f"wall min {min(wall) * 1e3:.1f} ms, median {statistics.median(wall) * 1e3:.1f} ms, "
            f"CPU min {min(cpu) * 1e3:.1f} ms (target < 20 ms; val accuracy {result.val_acc_history[-1]:.3f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--threads", type=int, nargs="*", help="thread counts to run (default: numpy's, then 1)")
    args = parser.parse_args()
    rounds, round_seconds = (5, 0.05) if args.quick else (15, 0.1)
    blas, blas_threads = blas_info()
    print(f"machine: {platform.platform()}, {cpu_model()}, {os.cpu_count()} CPUs, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, BLAS {blas}, "
          f"torch {torch.__version__ if torch is not None else 'not installed'}")
    if torch is not None:
        loss_diff, grad_diff = torch_matches_core()
        print(f"same net: |loss core - loss torch| = {loss_diff:.1e}, gradients differ by at most "
              f"{grad_diff:.1e} of their largest entry (float32)")
    thread_counts = args.threads or sorted({blas_threads or 1, 1}, reverse=True)
    for threads in thread_counts:
        limiter = set_threads(threads)
        print()
        lines, times = step_table(threads, rounds, round_seconds)
        print("\n".join(lines))
        print("\n".join(breakdown_table(rounds, round_seconds, times[64])))
        print(slider_move_table(rounds))
        del limiter


if __name__ == "__main__":
    main()
