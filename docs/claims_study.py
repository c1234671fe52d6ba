"""The claims study of issue 13: every comparative or quantitative claim of the notebooks, measured
over many seeds on standardized digits and on raw digits (pixels 0 .. 16, only centred).

    .venv/bin/python docs/claims_study.py                 # every claim, both data sets (minutes)
    .venv/bin/python docs/claims_study.py --only 05 12    # the claims whose id starts with 05 or 12

Each claim function takes a Study (the data set and how to translate digits' learning rates to
it) and returns a dict of results; they are printed and merged into docs/claims-study-results.json,
from which docs/claims-study.md quotes. Seeds come from core.demos.seeds (one rng per claim). On
digits_raw every learning rate of the notebooks is translated through the cliff of its own setting
(core.demos.lecture_cases.learning_rate_cliff): lr_raw = nice(lr_digits / cliff_digits x cliff_raw).
"""
import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import core
from core import monitor, search
from core.demos import diagnosis, ensemble, lecture_cases, linear_unit, seeds, weights
from core.demos.lecture_cases import learning_rate_cliff

RESULTS = Path(__file__).with_name("claims-study-results.json")
CLAIMS = {}


def claim(claim_id):
    def register(function):
        CLAIMS[claim_id] = function
        return function
    return register


class Study:
    """One data set, preprocessed as its notebooks do, and digits' learning rates translated to it."""

    _digits = None

    def __init__(self, name):
        self.name = name
        raw = core.data.load_dataset(name, rng=0)
        self.raw = raw
        self.data = core.preprocess.preprocess(raw, core.data.PREPROCESSING[name])
        if Study._digits is None:
            Study._digits = self.data if name == "digits" else Study("digits").data

    def lr(self, learning_rate, settings=None, exact=False):
        """A learning rate of the notebooks (measured on digits) for this data set: the same
        fraction of the setting's cliff."""
        if self.name == "digits":
            return learning_rate
        digits = learning_rate_cliff(Study._digits, settings).cliff
        if exact:
            return learning_rate * learning_rate_cliff(self.data, settings).cliff / digits
        return learning_rate_cliff(self.data, settings).rate(learning_rate / digits)


def timed(result):
    return {"seconds": round(result.seconds, 2), "cpu_seconds": round(result.cpu_seconds, 2)}


def comparison(result, decimals=1):
    return {"sentence": result.sentence(decimals), "wins": result.wins, "ties": result.ties,
            "losses": result.losses, "n": len(result.seeds), "mean": round(result.mean, 3),
            "std": round(result.std, 3), "p_sign_test": round(result.p_value, 4), **timed(result)}


def tally(result, statement):
    return {"sentence": result.sentence(statement), "k": result.k, "n": result.n, **timed(result)}


def spread_of(result, name, decimals=2, scale=1.0, unit=""):
    return {"sentence": result.sentence(name, decimals, scale, unit), "mean": round(result.mean, 4),
            "std": round(result.std, 4), "min": round(float(result.values.min()), 4),
            "max": round(float(result.values.max()), 4), **timed(result)}


def train_net(data, hidden, learning_rate, seed, *, num_train=None, num_epochs=10, batch_size=100,
              update="sgd", momentum=0.9, reg=0.0, init="gaussian", init_scale=None, activation="relu",
              learning_rate_decay=1.0, lr_schedule=None, explode_factor=3.0, p_keep=None, dropout="inverted",
              loss="softmax", sample_batches=True, reg_kind="l2", max_norm=None):
    X, y = data["X_train"], data["y_train"]
    if num_train is not None:
        X, y = X[:num_train], y[:num_train]
    C = int(max(data["y_train"].max(), data["y_val"].max())) + 1
    net = core.FullyConnectedNet(X.shape[1], list(hidden), C, activation=activation, init=init,
                                 init_scale=init_scale, p_keep=p_keep, dropout=dropout, loss=loss, reg=reg,
                                 reg_kind=reg_kind, max_norm=max_norm, rng=seed)
    config = {"momentum": momentum} if update in ("momentum", "nesterov") else None
    result = core.train(net, X, y, data["X_val"], data["y_val"], num_epochs=num_epochs,
                        batch_size=min(batch_size, len(y)), sample_batches=sample_batches, update=update,
                        update_config=config,
                        learning_rate=learning_rate if lr_schedule is None else core.schedules.from_values(lr_schedule),
                        learning_rate_decay=learning_rate_decay, explode_factor=explode_factor, track_ratios=False,
                        rng=seed)
    return net, result


BABYSIT = {}  # lecture_cases.BABYSITTING: 64-50-10, N(0, 0.01), SGD, batch 100, 10 epochs of 1000, reg 1e-6


def babysit(data, learning_rate, seed, **kwargs):
    kwargs = {"num_train": 1000, "reg": 1e-6, "init_scale": 1e-2, **kwargs}
    return train_net(data, [50], learning_rate, seed, **kwargs)


def final_val(result):
    return result.val_acc_history[-1] if result.val_acc_history else 0.1


# ---- 01 -------------------------------------------------------------------------------------------
@claim("01-loop")
def loop_200_iterations(study):
    """The ten-line loop: 200 SGD iterations at 0.5 on batches of 100 (all 1197 training digits)."""
    data, lr = study.data, study.lr(0.5)
    X, y = data["X_train"], data["y_train"]

    def run(seed):
        net = core.FullyConnectedNet(X.shape[1], [50], 10, init_scale=1e-2, rng=seed)
        rng = np.random.default_rng(seed)
        config = {k: {"learning_rate": lr} for k in net.params}
        costs = []
        with np.errstate(all="ignore"):
            for _ in range(200):
                batch = rng.integers(0, len(y), size=100)
                cost, grads = net.loss(X[batch], y[batch])
                for k in net.params:
                    net.params[k], config[k] = core.optim.sgd(net.params[k], grads[k], config[k])
                costs.append(cost)
        last = float(np.mean(costs[-20:])) if np.all(np.isfinite(costs)) else 99.0
        return last, net.accuracy(data["X_val"], data["y_val"])

    cache = {}

    def cached(seed):
        if seed not in cache:
            cache[seed] = run(seed)
        return cache[seed]

    last = seeds.spread(lambda s: cached(s)[0], 20, 0)
    val = seeds.spread(lambda s: cached(s)[1], 20, 0)
    return {"lr": lr, "last20_cost": spread_of(last, "mean cost of the last 20 iterations", 3),
            "below_0.1": int(np.sum(last.values < 0.1)), "val_acc": spread_of(val, "validation accuracy")}


@claim("01-minibatch")
def minibatch_toy(study):
    """The linear unit's paths (toy regression, data-set independent): over 20 toy seeds."""
    if study.name != "digits":
        return {"skipped": "the toy set does not depend on the data set"}

    def runs(s):
        X, t = linear_unit.regression_2d(100, 0.8, 0.3, rng=s)
        path = lambda bs, lr, n: linear_unit.descent_path(X, t, (-2.0, 3.0), lr, bs, n, rng=s)
        return path, X

    out = {}
    out["batch 1 rises on >= 25% of steps"] = tally(seeds.count(
        lambda s: bool(np.mean(np.diff(runs(s)[0](1, 0.3, 60)["loss"]) > 0) >= 0.25), 20, 0),
        "batch 1 at lr 0.3: the loss on all data goes up on at least a quarter of the steps")
    out["full batch never rises"] = tally(seeds.count(
        lambda s: bool(np.all(np.diff(runs(s)[0](100, 0.3, 30)["loss"]) <= 0)), 20, 0), "full batch never goes up")
    out["batch 10 vs full after 30"] = comparison(seeds.compare(
        lambda s: (runs(s)[0](10, 0.3, 30)["loss"][-1], runs(s)[0](100, 0.3, 30)["loss"][-1]), 20, 0,
        names=("batch 10", "full batch"), higher_is_better=False, scale=1, unit="", verb="ends below"), 3)
    out["lr 1.2 full diverges"] = tally(seeds.count(
        lambda s: runs(s)[0](100, 1.2, 30)["diverged_at"] is not None, 20, 0), "full batch at lr 1.2 diverges")
    out["lr 0.8: batch 1 diverges, full fine"] = tally(seeds.count(
        lambda s: runs(s)[0](1, 0.8, 30)["diverged_at"] is not None and runs(s)[0](100, 0.8, 30)["diverged_at"] is None,
        20, 0), "lr 0.8: batch 1 diverges within 30 steps while full batch does not")
    return out


@claim("02-speed")
def preprocessing_speed(study):
    """Same 64-50-10 net on raw and preprocessed pixels: final cost (last 10 of 100 iterations)."""
    raw = study.raw
    methods = ("none", "center", "standardize", "pca", "whiten")
    datasets = {m: core.preprocess.preprocess(raw, m) for m in methods}

    def final(m, lr, s):
        _, r = train_net(datasets[m], [50], lr, s, num_train=1000, init_scale=1e-2)
        return float(np.mean(r.loss_history[-10:])) if not r.diverged else math.inf

    cliffs = {m: learning_rate_cliff(datasets[m], {"reg": 0.0}).cliff for m in methods}
    low = min(cliffs.values()) / 30
    rates = np.geomspace(low, max(cliffs.values()) * 1.5, 13)
    ss = seeds.draw_seeds(10, 0)
    wall, cpu = time.perf_counter(), time.process_time()
    table = {m: np.array([[final(m, lr, s) for lr in rates] for s in ss]) for m in methods}
    sweep_seconds = round(time.perf_counter() - wall, 1), round(time.process_time() - cpu, 1)
    best = {m: np.min(np.where(np.isfinite(t), t, np.inf), axis=1) for m, t in table.items()}  # per seed
    out = {"cliffs": {m: round(c, 4) for m, c in cliffs.items()}, "rates": [round(float(r), 4) for r in rates],
           "sweep_seconds_10_seeds": sweep_seconds}
    out["best cost per method (mean over seeds)"] = {m: round(float(np.mean(b)), 4) for m, b in best.items()}
    out["every preprocessing below a third of raw's best"] = int(np.sum(
        [all(best[m][i] < best["none"][i] / 3 for m in methods[1:]) for i in range(len(ss))]))
    # raw pixels stall near chance at a rate where centred data still trains
    stall = [(lr, int(np.sum((table["none"][:, j] > 2) & (table["center"][:, j] < 0.1))))
             for j, lr in enumerate(rates)]
    out["rates where raw stalls (>2) and centred trains (<0.1), seeds of 10"] = [
        (round(float(lr), 4), k) for lr, k in stall if k]
    return out


@claim("03-capacity")
def capacity(study):
    """The capacity playground (2-D toy sets, data-set independent): 3 < 6 < 20 neurons, reg smooths."""
    if study.name != "digits":
        return {"skipped": "2-D toy sets do not depend on the data set"}
    from widgets.capacity import CapacityExplorer, boundary_fraction

    cases = ["3 hidden neurons", "6 hidden neurons", "20 hidden neurons", "20 neurons + strong regularization"]
    rows = []
    wall, cpu = time.perf_counter(), time.process_time()
    for s in seeds.draw_seeds(10, 0):
        e = CapacityExplorer(seed=s % 10000)
        row = {}
        for label in cases:
            e.preset.value = label
            e.train(1850)
            e.draw()
            row[label] = (e.train_accuracy, boundary_fraction(e.labels_grid))
        noisy = CapacityExplorer(num_per_class=50, seed=s % 10000)
        res = {}
        for label, key in (("noisy xor, 50 neurons, reg off (press Play: it overfits)", "off"),
                           ("noisy xor, 50 neurons, reg 1e-2 (press Play: stays smooth)", "on")):
            noisy.preset.value = label
            noisy.train(2850)
            noisy.draw()
            res[key] = (noisy.train_accuracy, noisy.test_accuracy, noisy.complexity(), noisy.history["test"][-1],
                        min(noisy.history["test"]))
        row["noisy"] = res
        rows.append(row)
    acc = {c: [r[c][0] for r in rows] for c in cases}
    cx = {c: [r[c][1] for r in rows] for c in cases}
    n = len(rows)
    return {"n": n, "seconds": round(time.perf_counter() - wall, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
            "3 < 6 < 20": sum(a < b < c for a, b, c in zip(acc[cases[0]], acc[cases[1]], acc[cases[2]])),
            "20 > 0.95 and 3 < 0.7": sum(c > 0.95 and a < 0.7 for a, c in zip(acc[cases[0]], acc[cases[2]])),
            "boundary 3 < 20": sum(a < c for a, c in zip(cx[cases[0]], cx[cases[2]])),
            "strong reg smooths 20": sum(d < c for c, d in zip(cx[cases[2]], cx[cases[3]])),
            "train acc mean": {c: round(float(np.mean(v)), 3) for c, v in acc.items()},
            "noisy: reg smooths": sum(r["noisy"]["on"][2] < r["noisy"]["off"][2] for r in rows),
            "noisy: off overfits (train higher, test lower)": sum(
                r["noisy"]["off"][0] > r["noisy"]["on"][0] and r["noisy"]["off"][1] < r["noisy"]["on"][1]
                for r in rows),
            "noisy: test loss climbs > 2x lowest": sum(r["noisy"]["off"][3] > 2 * r["noisy"]["off"][4] for r in rows),
            "noisy test acc off/on mean": (round(float(np.mean([r["noisy"]["off"][1] for r in rows])), 3),
                                           round(float(np.mean([r["noisy"]["on"][1] for r in rows])), 3))}


# ---- 04 -------------------------------------------------------------------------------------------
@claim("04-overfit")
def overfit_twenty(study):
    """The slide's 20-example overfit: full batch, 200 epochs, reg 0; lr 0.3 (digits) and the table."""
    data = study.data
    settings = {"batch_size": None, "num_train": 20, "num_epochs": 200, "reg": 0.0}
    X, y = data["X_train"][:20], data["y_train"][:20]

    def overfit(lr, seed):
        net = core.FullyConnectedNet(X.shape[1], [50], 10, init_scale=1e-2, rng=seed)
        return core.train(net, X, y, X, y, num_epochs=200, reg=0.0, update="sgd", sample_batches=False,
                          learning_rate=lr, track_ratios=False, rng=seed)

    lr = study.lr(0.3, settings)
    out = {"lr": lr}
    reached = seeds.count(lambda s: max(overfit(lr, s).train_acc_history, default=0) == 1.0, 20, 0)
    out["reaches_1.00"] = tally(reached, f"lr {lr:g}: train accuracy 1.00 within 200 epochs")
    cost = seeds.spread(lambda s: overfit(lr, s).loss_history[-1], 20, 0)
    out["final_cost"] = spread_of(cost, "final cost", 4)
    for name, lr_digits in (("slide 1e-3", 1e-3), ("3", 3.0)):
        rate = study.lr(lr_digits, settings) if lr_digits != 1e-3 else 1e-3
        res = [overfit(rate, s) for s in seeds.draw_seeds(20, 0)]
        out[name] = {"lr": rate, "reached": sum(max(r.train_acc_history, default=0) == 1 for r in res),
                     "diverged": sum(r.diverged for r in res), "n": 20}
    cliff = learning_rate_cliff(data, settings)
    out["cliff"] = round(cliff.cliff, 4)
    return out


@claim("04-initial-loss")
def initial_loss(study):
    """Initial loss ~ ln(10) at init 1e-4, 1e-3 (the slide's 'W = 0.001 * randn'), 1e-2; reg raises it."""
    data = study.data
    X, y = data["X_train"], data["y_train"]
    out = {}
    for scale in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
        sp = seeds.spread(lambda s, scale=scale: core.FullyConnectedNet(64, [50], 10, init_scale=scale, rng=s)
                          .loss(X, y)[0], 20, 0)
        out[f"init {scale:g}"] = spread_of(sp, f"initial loss, init {scale:g}", 3)
    for scale, reg in ((1e-4, 1e3), (1e-2, 4.0)):
        def raised(s, scale=scale, reg=reg):
            net = core.FullyConnectedNet(64, [50], 10, init_scale=scale, rng=s)
            off = net.loss(X, y)[0]
            net.reg = reg
            return net.loss(X, y)[0] - off
        out[f"init {scale:g} reg {reg:g}: rise"] = spread_of(seeds.spread(raised, 20, 0), "rise", 3)
    # the SVM's counterpart: with tiny weights every margin is 1, so the loss is C - 1 = 9
    sp = seeds.spread(lambda s: core.FullyConnectedNet(64, [50], 10, init_scale=1e-3, loss="svm", rng=s)
                      .loss(X, y)[0], 20, 0)
    out["svm init 1e-3"] = spread_of(sp, "initial SVM loss, init 1e-3", 3)
    return out


# ---- 05 -------------------------------------------------------------------------------------------
@claim("05-cases")
def babysitting_cases(study):
    """The derived lecture cases and their phenomena over 20 seeds each."""
    data = study.data
    cases = lecture_cases.lecture_cases(data)
    out = {"cases": {"cliff": round(cases.cliff, 4), "too_low": cases.too_low, "about_right": cases.about_right,
                     "slightly_too_high": cases.slightly_too_high, "huge": cases.huge,
                     "rough_range": cases.rough_range, "range_test_explodes_at": round(cases.range_test_explodes_at, 3),
                     "evidence": cases.evidence, "seconds": round(cases.seconds, 2),
                     "cpu_seconds": round(cases.cpu_seconds, 2), "runs": cases.runs}}
    todays = {"digits": {"too_low": 3e-3, "slightly_too_high": 2.8, "about_right": 0.5, "huge": 1e6}}
    for label, rates in (("derived", {"too_low": cases.too_low, "slightly_too_high": cases.slightly_too_high,
                                      "about_right": cases.about_right, "huge": cases.huge}),
                         ("digits constants", todays["digits"])):
        row = {}
        row["too_low"] = tally(seeds.count(lambda s, r=rates: lecture_cases.is_flat_but_creeping(
            babysit(data, r["too_low"], s)[1]), 20, 0),
            f"lr {rates['too_low']:g}: diagnosed flat and train accuracy +0.05")
        row["slightly_too_high"] = tally(seeds.count(lambda s, r=rates: lecture_cases.falls_then_explodes(
            babysit(data, r["slightly_too_high"], s)[1]), 20, 0),
            f"lr {rates['slightly_too_high']:g}: falls below half, then diverges after epoch 1")
        row["slightly_too_high_diverges"] = tally(seeds.count(lambda s, r=rates: babysit(
            data, r["slightly_too_high"], s)[1].diverged, 20, 0), "diverges within 10 epochs")
        row["about_right"] = tally(seeds.count(lambda s, r=rates: lecture_cases.goes_down(
            babysit(data, r["about_right"], s)[1]) and final_val(babysit(data, r["about_right"], s)[1]) > 0.9, 20, 0),
            f"lr {rates['about_right']:g}: finishes, cost halves, val > 0.9")
        row["about_right_val"] = spread_of(seeds.spread(lambda s, r=rates: final_val(
            babysit(data, r["about_right"], s)[1]), 20, 0), "val accuracy")
        row["huge"] = tally(seeds.count(lambda s, r=rates: lecture_cases.nan_every_epoch(
            babysit(data, r["huge"], s, explode_factor=None)[1]), 20, 0),
            f"lr {rates['huge']:g}: cost NaN at every epoch end")
        row["huge_rule"] = tally(seeds.count(lambda s, r=rates: babysit(data, r["huge"], s)[1].diverged_at == 2, 20, 0),
                                 "rule on: diverged at iteration 2")
        decay = {}
        for d in (1.0, 0.9, 0.8):
            decay[str(d)] = sum(babysit(data, rates["slightly_too_high"], s, learning_rate_decay=d)[1].diverged
                                for s in seeds.draw_seeds(20, 0))
        row["decay_diverged_of_20"] = decay
        out[label] = row
    return out


@claim("05-too-low-softmax")
def too_low_softmax(study):
    """'what's up with that? (remember this is softmax)': accuracy vs p(correct) at the too-low rate."""
    data = study.data
    X, y = data["X_train"][:1000], data["y_train"][:1000]

    def numbers(net):
        p = core.layers.softmax(net.scores(X).astype(np.float64))
        return p[np.arange(len(y)), y].mean(), np.mean(p.argmax(1) == y)

    def gains(lr, seed):
        untrained = core.FullyConnectedNet(64, [50], 10, init_scale=1e-2, rng=seed)
        (p0, a0), (p1, a1) = numbers(untrained), numbers(babysit(data, lr, seed)[0])
        return a1 - a0, p1 - p0

    out = {}
    rates = {"derived": lecture_cases.lecture_cases(data).too_low}
    if study.name == "digits":
        rates["notebook 3e-3"] = 3e-3
    for label, lr in rates.items():
        pairs = {s: gains(lr, s) for s in seeds.draw_seeds(20, 0)}
        out[label] = {"lr": lr,
                      "accuracy gain": spread_of(seeds.spread(lambda s, p=pairs: p[s][0], 20, 0), "accuracy gain", 3),
                      "p(correct) gain": spread_of(seeds.spread(lambda s, p=pairs: p[s][1], 20, 0), "p gain", 4),
                      "p gain < 0.001": sum(v[1] < 0.001 for v in pairs.values()),
                      "acc gain > 0.1": sum(v[0] > 0.1 for v in pairs.values()),
                      "acc gain > 20 x p gain": sum(v[0] > 20 * abs(v[1]) for v in pairs.values())}
    return out


@claim("05-rule-off")
def explosion_rule_off(study):
    """What happens after the explosion with the rule off (the 8806 / 0.96 log)."""
    data = study.data
    lr = 2.8 if study.name == "digits" else lecture_cases.lecture_cases(data).slightly_too_high
    X = data["X_train"][:1000]
    rows = []
    for s in seeds.draw_seeds(20, 0):
        net, r = babysit(data, lr, s, explode_factor=None)
        h = np.maximum(0, X @ net.params["W1"] + net.params["b1"])
        finite = bool(np.all(np.isfinite(r.loss_history)))
        rows.append({"final_val": r.val_acc_history[-1], "min_val": min(r.val_acc_history),
                     "last_cost": float(r.loss_history[-1]), "peak_cost": float(np.nanmax(r.loss_history)),
                     "dead_units": float((h.max(0) == 0).mean()), "W1_norm": float(np.linalg.norm(net.params["W1"])),
                     "finite": finite, "diverged_by_rule": babysit(data, lr, s)[1].diverged})
    exploded = [r for r in rows if r["diverged_by_rule"]]
    return {"lr": lr, "n": 20, "exploded_by_rule": len(exploded),
            "of_those_recovered_val_0.9": sum(r["final_val"] > 0.9 for r in exploded),
            "of_those_collapsed_val_0.3": sum(r["final_val"] < 0.3 for r in exploded),
            "of_those_nonfinite": sum(not r["finite"] for r in exploded),
            "median_peak_cost": float(np.median([r["peak_cost"] for r in exploded])) if exploded else None,
            "median_final_W1": float(np.median([r["W1_norm"] for r in exploded])) if exploded else None,
            "dead_units_max": max(r["dead_units"] for r in rows), "rows": rows[:5]}


@claim("05-range")
def rough_range(study):
    """The notebook's sweep: 31 rates, 3 (today) and 10 seeds: the band that halves and never explodes."""
    data = study.data
    cliff = lecture_cases.lecture_cases(data).cliff
    rates = np.logspace(-6, 1.5, 31) if study.name == "digits" else np.logspace(-6, 1.5, 31) * cliff / 2.65
    out = {}
    for num_seeds in (3, 10):
        wall, cpu = time.perf_counter(), time.process_time()
        ss = seeds.draw_seeds(num_seeds, 0)
        ok, div = [], []
        for lr in rates:
            res = [babysit(data, lr, s)[1] for s in ss]
            div.append(any(r.diverged for r in res))
            ok.append(all(lecture_cases.goes_down(r) for r in res))
        band = rates[np.array(ok) & ~np.array(div)]
        out[f"{num_seeds} seeds"] = {"low": float(band.min()), "high": float(band.max()),
                                      "all_above_diverge_from": float(rates[np.array(div)].min()),
                                      "seconds": round(time.perf_counter() - wall, 2),
                                      "cpu_seconds": round(time.process_time() - cpu, 2)}
    out["cliff"] = round(cliff, 4)
    return out


# ---- 06 -------------------------------------------------------------------------------------------
@claim("06-search")
def search_stages(study):
    """The notebook's searches over 10 search seeds: slide ranges, coarse, fine, worrying, wider."""
    data = study.data
    scale = study.lr(1.0, {"update": "momentum"}, exact=True)
    LU = search.LogUniform
    rows = []
    wall, cpu = time.perf_counter(), time.process_time()
    for s in seeds.draw_seeds(10, 0):
        row = {}
        slide_specs = {"learning_rate": LU(1e-6, 1e-3), "reg": LU(1e-5, 1e5)}
        slide = search.random_search(data, slide_specs, 100, num_epochs=5, rng=s)
        fin = [t for t in slide.trials if t.status == "finished"]
        row["slide best"] = slide.best.val_acc
        row["slide all < 0.3"] = all(t.val_acc < 0.3 for t in fin)
        row["slide diverged only reg > 1"] = all(t.config["reg"] > 1 for t in slide.trials if t.status == "diverged")
        coarse_specs = {"learning_rate": LU(1e-3 * scale, 10 * scale), "reg": LU(1e-5, 1e5)}
        coarse = search.random_search(data, coarse_specs, 100, num_epochs=5, rng=s)
        row["coarse best"] = coarse.best.val_acc
        row["coarse lr > 1.5 all diverged"] = all(t.status == "diverged" for t in coarse.trials
                                                  if t.config["learning_rate"] > 1.5 * scale)
        row["coarse diverged"] = coarse.count("diverged")
        row["coarse edge warnings"] = len(search.edge_warnings(coarse_specs, coarse))
        fine_specs = search.refine(coarse_specs, coarse, top_k=10)
        fine = search.random_search(data, fine_specs, 50, num_epochs=10, rng=s)
        row["fine best"] = fine.best.val_acc
        row["fine edge warnings"] = len(search.edge_warnings(fine_specs, fine))
        row["coarse share > 0.9"] = float(np.mean([t.val_acc > 0.9 for t in coarse.trials]))
        row["fine share > 0.9"] = float(np.mean([t.val_acc > 0.9 for t in fine.trials]))
        worry_specs = {"learning_rate": LU(1e-2 * scale, 1e-1 * scale), "reg": LU(1e-4, 1)}
        worry = search.random_search(data, worry_specs, 40, num_epochs=5, rng=s)
        warnings = search.edge_warnings(worry_specs, worry)
        row["worry warns high lr"] = [(w.name, w.edge) for w in warnings] == [("learning_rate", "high")]
        if row["worry warns high lr"]:
            wider_specs = dict(worry_specs, learning_rate=warnings[0].suggestion)
            wider = search.random_search(data, wider_specs, 40, num_epochs=5, rng=s)
            row["wider best lr above old top"] = wider.best.config["learning_rate"] > 1e-1 * scale
            row["wider best >= worry best"] = wider.best.val_acc >= worry.best.val_acc
            row["wider no warnings"] = not search.edge_warnings(wider_specs, wider)
        rows.append(row)
    n = len(rows)
    count = lambda key: sum(bool(r.get(key)) for r in rows)
    return {"n": n, "scale": scale, "seconds": round(time.perf_counter() - wall, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
            "slide best max": round(max(r["slide best"] for r in rows), 3),
            **{k: count(k) for k in ("slide all < 0.3", "slide diverged only reg > 1", "coarse lr > 1.5 all diverged",
                                     "worry warns high lr", "wider best lr above old top", "wider best >= worry best",
                                     "wider no warnings")},
            "coarse best > 0.9": sum(r["coarse best"] > 0.9 for r in rows),
            "coarse diverged > 20": sum(r["coarse diverged"] > 20 for r in rows),
            "coarse no edge warning": sum(r["coarse edge warnings"] == 0 for r in rows),
            "fine best > 0.96": sum(r["fine best"] > 0.96 for r in rows),
            "fine >= coarse": sum(r["fine best"] >= r["coarse best"] for r in rows),
            "fine > coarse": sum(r["fine best"] > r["coarse best"] for r in rows),
            "fine no edge warning": sum(r["fine edge warnings"] == 0 for r in rows),
            "coarse < 25% and fine > 50% above 0.9": sum(r["coarse share > 0.9"] < 0.25 and r["fine share > 0.9"] > 0.5
                                                         for r in rows),
            "coarse share > 0.9 mean": round(float(np.mean([r["coarse share > 0.9"] for r in rows])), 3),
            "fine share > 0.9 mean": round(float(np.mean([r["fine share > 0.9"] for r in rows])), 3),
            "fine - coarse best (points)": round(
                100 * float(np.mean([r["fine best"] - r["coarse best"] for r in rows])), 2)}


@claim("06-range-test")
def range_test(study):
    """The notebook's range test (momentum, 1e-6 -> 1e2 over 200 iterations) over 20 seeds."""
    data = study.data

    def run(s):
        r = search.lr_range_test(data, {}, lr_start=1e-6, lr_end=1e2, num_iterations=200, seed=s)
        rates, losses = np.array(r.learning_rates), np.array(r.losses)
        falls = rates[np.argmax(losses < 0.9 * losses[0])]
        flat = np.ptp(losses[rates <= 1e-3]) < 0.05 if np.any(rates <= 1e-3) else True
        return falls, rates[-1], r.status == "diverged", flat

    rows = [run(s) for s in seeds.draw_seeds(20, 0)]
    return {"falls 10% at (min, median, max)": [round(float(f(np.array([r[0] for r in rows]))), 4)
                                                for f in (np.min, np.median, np.max)],
            "explodes at (min, median, max)": [round(float(f(np.array([r[1] for r in rows]))), 4)
                                               for f in (np.min, np.median, np.max)],
            "diverged": sum(r[2] for r in rows), "flat up to 1e-3": sum(bool(r[3]) for r in rows), "n": 20}


# ---- 07 -------------------------------------------------------------------------------------------
@claim("07-shapes")
def loss_shapes(study):
    """The four loss-curve cases of the loss explorer, diagnosed, over 20 seeds."""
    data = study.data
    D = diagnosis.DIAGNOSES
    cases = {"too low (0.03)": (0.03, 1e-2, "slow"), "too high (3)": (3.0, 1e-2, "exploding"),
             "good (0.5)": (0.5, 1e-2, "good"), "bad init (1e-4 at 0.5)": (0.5, 1e-4, "plateau")}
    out = {}
    for label, (lr, scale, key) in cases.items():
        rate = study.lr(lr)
        def run(s, rate=rate, scale=scale, key=key):
            _, r = babysit(data, rate, s, init_scale=scale, reg=0.0)
            return diagnosis.diagnose(r.loss_history)[0] == D[key]
        out[label] = tally(seeds.count(run, 20, 0), f"lr {rate:g}, init {scale:g}: diagnosed '{key}'")
    return out


@claim("07-gap")
def gap_l2(study):
    """Gap explorer: 100 examples, 20 hidden (Xavier), 120 updates of 50; L2 0.03 vs 1e-5, 0.1."""
    data = study.data
    settings = {"hidden_sizes": (20,), "init": "xavier", "init_scale": None, "batch_size": 50, "num_train": 100,
                "num_epochs": 60, "reg": 0.0}
    lr = study.lr(0.3, settings)

    def run(s, reg):
        return train_net(data, [20], lr, s, num_train=100, num_epochs=60, batch_size=50, init="xavier", reg=reg)[1]

    def pair(s, reg):
        a, b = run(s, reg), run(s, 1e-5)
        return final_val(a), final_val(b)

    out = {"lr": lr}
    out["big gap no reg"] = tally(seeds.count(lambda s: run(s, 1e-5).train_acc_history[-1] - final_val(run(s, 1e-5))
                                              > 0.1, 20, 0), "100 examples, reg 1e-5: gap > 0.1")
    out["L2 0.03 raises val"] = comparison(seeds.compare(lambda s: pair(s, 0.03), 20, 0,
                                                         names=("L2 0.03", "L2 1e-5"), verb="beats on val accuracy"))
    out["L2 0.1 raises val"] = comparison(seeds.compare(lambda s: pair(s, 0.1), 20, 0,
                                                        names=("L2 0.1", "L2 1e-5"), verb="beats on val accuracy"))

    def gaps(s, reg):
        a, b = run(s, reg), run(s, 1e-5)
        return b.train_acc_history[-1] - final_val(b), a.train_acc_history[-1] - final_val(a)

    out["L2 0.03 shrinks gap"] = comparison(seeds.compare(lambda s: gaps(s, 0.03), 20, 0,
                                                          names=("the gap at reg 1e-5", "at L2 0.03"),
                                                          verb="is larger than"))
    out["one unit no gap"] = tally(seeds.count(lambda s: abs(
        (r := train_net(data, [1], lr, s, num_train=1000, num_epochs=6, batch_size=50, init="xavier", reg=1e-5)[1])
        .train_acc_history[-1] - final_val(r)) <= 0.05 and r.train_acc_history[-1] < 0.5, 20, 0),
        "1 hidden unit, 1000 examples: |gap| <= 0.05 and train < 0.5")
    return out


@claim("07-ratio")
def update_ratio(study):
    """Update/weight ratio verdicts at 1e-3, 0.1, 0.3, 2 (64-50-50-10 Xavier)."""
    data = study.data
    settings = {"hidden_sizes": (50, 50), "init": "xavier", "init_scale": None, "reg": 0.0}
    out = {}
    for lr_d, want in ((1e-3, "too low"), (0.1, "healthy"), (0.3, "healthy"), (2.0, "too high")):
        lr = study.lr(lr_d, settings)

        def run(s, lr=lr, want=want):
            net = core.FullyConnectedNet(64, [50, 50], 10, init="xavier", rng=s)
            r = core.train(net, data["X_train"][:1000], data["y_train"][:1000], data["X_val"], data["y_val"],
                           num_epochs=10, learning_rate=lr, batch_size=100, track_ratios=True, rng=s)
            if r.diverged:
                return None
            medians = [np.median(v[len(v) // 2:]) for v in r.update_ratio_history.values()]
            return all(monitor.ratio_verdict(m) == want for m in medians)
        verdicts = [run(s) for s in seeds.draw_seeds(20, 0)]
        out[f"{lr_d:g}"] = {"lr": lr, "every layer " + want: sum(v is True for v in verdicts),
                            "diverged": sum(v is None for v in verdicts), "n": 20}
    return out


@claim("07-weights")
def roughness(study):
    """First-layer roughness: weak (1e-5) vs strong (0.1) L2, 64-32-10 Xavier, 20 epochs."""
    data = study.data
    settings = {"hidden_sizes": (32,), "init": "xavier", "init_scale": None, "num_train": 1197, "num_epochs": 20,
                "reg": 0.0}
    lr = study.lr(0.3, settings)

    def rough(s, reg):
        net, _ = train_net(data, [32], lr, s, num_epochs=20, init="xavier", reg=reg)
        return weights.weight_roughness(net.params["W1"], (8, 8))

    out = {"lr": lr}
    out["strong smoother"] = comparison(seeds.compare(lambda s: (rough(s, 1e-5), rough(s, 0.1)), 10, 0,
                                                      names=("weak L2 (1e-5)", "strong L2 (0.1)"),
                                                      verb="is rougher than", scale=1, unit="", ), 2)
    out["weak above 1.5"] = tally(seeds.count(lambda s: rough(s, 1e-5) > 1.5, 10, 0), "roughness > 1.5 at reg 1e-5")
    return out


# ---- 08 -------------------------------------------------------------------------------------------
@claim("08-deep-stats")
def deep_statistics(study):
    """10 x 500 deep net on unit-gaussian inputs: per-layer std factors (data-independent)."""
    out = {}
    for label, act, init, scale in (("N(0,0.01) tanh", "tanh", "gaussian", 0.01),
                                    ("N(0,1) tanh", "tanh", "gaussian", 1.0),
                                    ("N(0,1) relu", "relu", "gaussian", 1.0),
                                    ("N(0,0.01) relu", "relu", "gaussian", 0.01),
                                    ("xavier tanh", "tanh", "xavier", None), ("xavier relu", "relu", "xavier", None),
                                    ("he relu", "relu", "he", None),
                                    ("xavier_uniform tanh", "tanh", "xavier_uniform", None)):
        def run(s, act=act, init=init, scale=scale):
            rng = np.random.default_rng(s)
            net = core.FullyConnectedNet(100, [500] * 10, 10, activation=act, init=init, init_scale=scale, rng=rng)
            a = net.hidden_activations(rng.standard_normal((100, 100)).astype(np.float32))
            std = np.array([x.std() for x in a], dtype=np.float64)
            with np.errstate(divide="ignore"):
                return std
        stds = np.array([run(s) for s in seeds.draw_seeds(5, 0)])
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.exp(np.mean(np.diff(np.log(stds), axis=1)))
        out[label] = {"first": float(stds[:, 0].mean()), "last": float(stds[:, -1].mean()),
                      "per_layer_factor": float(factor), "expected_linear": None}
    out["sqrt(500)*0.01"] = math.sqrt(500) * 0.01
    out["sqrt(500/2)"] = math.sqrt(250)
    return out


@claim("08-deep-train")
def deep_training(study):
    """6 x 50 deep nets on digits, lr 0.1: N(0, 0.01) flat, Xavier/He train; larger lr does not rescue."""
    data = study.data
    out = {}
    configs = {"tanh N(0,0.01)": ("tanh", "gaussian", 0.01), "relu N(0,0.01)": ("relu", "gaussian", 0.01),
               "tanh N(0,1)": ("tanh", "gaussian", 1.0), "tanh xavier": ("tanh", "xavier", None),
               "relu he": ("relu", "he", None), "relu N(0,1)": ("relu", "gaussian", 1.0)}

    def run(s, key, lr):
        act, init, scale = configs[key]
        return train_net(data, [50] * 6, lr, s, num_train=1000, init=init, init_scale=scale, activation=act)[1]

    lr = study.lr(0.1, {"hidden_sizes": (50,) * 6, "activation": "tanh", "init": "xavier", "init_scale": None})
    out["lr"] = lr
    for key in configs:
        vals = seeds.spread(lambda s, key=key: final_val(run(s, key, lr)), 10, 0)
        out[key] = spread_of(vals, f"{key}: val accuracy")
    out["xavier beats N(0,1) tanh by > 0.2"] = tally(seeds.count(
        lambda s: final_val(run(s, "tanh xavier", lr)) > final_val(run(s, "tanh N(0,1)", lr)) + 0.2, 10, 0),
        "Xavier tanh > N(0, 1) tanh + 0.2")
    rescue = {}
    for key in ("tanh N(0,0.01)", "relu N(0,0.01)"):
        for big in (0.3, 1.0, 3.0, 10.0, 30.0, 100.0):
            rate = big * lr / 0.1
            res = [run(s, key, rate) for s in seeds.draw_seeds(5, 0)]
            rescue[f"{key} lr {rate:g}"] = {
                "val_mean": round(float(np.mean([final_val(r) for r in res])), 3),
                "diverged": sum(r.diverged for r in res),
                "flat": sum(diagnosis.diagnose(r.loss_history)[0] == diagnosis.DIAGNOSES["flat"]
                            for r in res if not r.diverged)}
    out["larger lr"] = rescue
    for key, ep in (("tanh N(0,0.01)", 50), ("relu N(0,0.01)", 50)):
        res = [train_net(data, [50] * 6, lr * 3, s, num_train=1000, num_epochs=ep, init="gaussian", init_scale=0.01,
                         activation=configs[key][0])[1] for s in seeds.draw_seeds(5, 0)]
        out[f"{key} 50 epochs at 3x lr"] = {"val_mean": round(float(np.mean([final_val(r) for r in res])), 3),
                                             "diverged": sum(r.diverged for r in res)}
    return out


# ---- 09 -------------------------------------------------------------------------------------------
@claim("09-l2")
def l2_gap(study):
    """Regularization explorer's net (64-100-10 He, 200 examples, 30 epochs, lr 0.2 x 0.9/epoch)."""
    data = study.data
    settings = {"hidden_sizes": (100,), "init": "he_normal", "init_scale": None, "batch_size": 50, "num_train": 200,
                "num_epochs": 30, "reg": 0.0}
    lr = study.lr(0.2, settings)

    def run(s, kind, strength=0.0, c=None):
        net, r = train_net(data, [100], lr, s, num_train=200, num_epochs=30, batch_size=50, init="he_normal",
                           reg=strength, reg_kind=kind if strength else "l2", max_norm=c, learning_rate_decay=0.9)
        return net, r

    def gap(r):
        return r.train_acc_history[-1] - final_val(r)

    out = {"lr": lr}
    out["gap L2 0.1 vs none"] = comparison(seeds.compare(lambda s: (gap(run(s, "none")[1]), gap(run(s, "l2", 0.1)[1])),
                                                         20, 0, names=("the gap without regularization", "with L2 0.1"),
                                                         verb="is larger than"))
    out["val L2 0.1 vs none"] = comparison(seeds.compare(lambda s: (final_val(run(s, "l2", 0.1)[1]),
                                                                    final_val(run(s, "none")[1])), 20, 0,
                                                         names=("L2 0.1", "no regularization"), verb="beats on val"))
    out["gap none"] = spread_of(seeds.spread(lambda s: gap(run(s, "none")[1]), 20, 0), "gap, none")
    out["gap l2 0.1"] = spread_of(seeds.spread(lambda s: gap(run(s, "l2", 0.1)[1]), 20, 0), "gap, L2 0.1")

    def sparsity(s, kind, lam):
        return float(np.mean(np.abs(run(s, kind, lam)[0].params["W1"]) < 1e-3))
    for lam in (1e-2, 3e-2):
        out[f"L1 sparser {lam:g}"] = comparison(seeds.compare(lambda s, lam=lam: (sparsity(s, "l1", lam),
                                                                                  sparsity(s, "l2", lam)), 10, 0,
                                                              names=("L1", "L2"), verb="is sparser than"))
    out["max-norm 0.7 val vs none"] = comparison(seeds.compare(lambda s: (final_val(run(s, "max_norm", 0, 0.7)[1]),
                                                                          final_val(run(s, "none")[1])), 20, 0,
                                                               names=("max-norm 0.7", "none"), verb="beats on val"))
    return out


# ---- 10 -------------------------------------------------------------------------------------------
@claim("10-dropout")
def dropout_vs_none(study):
    """64-100-10 He, 200 examples, 40 epochs, batch 50, lr 0.1: dropout (p_keep 0.5) vs none."""
    data = study.data
    settings = {"hidden_sizes": (100,), "init": "he_normal", "init_scale": None, "batch_size": 50, "num_train": 200,
                "num_epochs": 40, "reg": 0.0}
    lr = study.lr(0.1, settings)

    def run(s, p_keep, kind="inverted"):
        return train_net(data, [100], lr, s, num_train=200, num_epochs=40, batch_size=50, init="he_normal",
                         p_keep=p_keep, dropout=kind)[1]

    out = {"lr": lr}
    for kind in ("inverted", "vanilla", "gaussian", "dropconnect"):
        res = seeds.compare(lambda s, kind=kind: (final_val(run(s, 0.5, kind)), final_val(run(s, None))), 20, 0,
                            names=(f"{kind} dropout", "no dropout"), verb="beats on val accuracy")
        out[kind] = comparison(res)
    gaps = seeds.compare(lambda s: ((r := run(s, None)).train_acc_history[-1] - final_val(r),
                                    (q := run(s, 0.5)).train_acc_history[-1] - final_val(q)), 20, 0,
                         names=("the gap without dropout", "with inverted dropout"), verb="is larger than")
    out["gap"] = comparison(gaps)
    return out


@claim("10-masks")
def dropout_masks(study):
    """Dropout as an ensemble: one mask vs 200 masks vs the scaled pass (1000 examples, 20 epochs)."""
    data = study.data
    settings = {"hidden_sizes": (100,), "init": "he_normal", "init_scale": None, "num_train": 1000, "num_epochs": 20,
                "reg": 0.0}
    lr = study.lr(0.1, settings)
    X, y = data["X_val"], data["y_val"]

    def run(s):
        net, _ = train_net(data, [100], lr, s, num_train=1000, num_epochs=20, init="he_normal", p_keep=0.5)
        probs = core.dropout.sampled_mask_probabilities(net, X, 200, rng=s)
        single = (probs.argmax(axis=2) == y).mean(axis=1)
        many = float(np.mean(probs.mean(0).argmax(1) == y))
        scaled = float(np.mean(net.predict(X) == y))
        agree = float(np.mean(probs.mean(0).argmax(1) == net.predict(X)))
        return single, many, scaled, agree

    runs = {s: run(s) for s in seeds.draw_seeds(10, 0)}
    out = {"lr": lr}
    out["200 masks vs mean single"] = comparison(seeds.compare(lambda s: (runs[s][1], runs[s][0].mean()), 10, 0,
                                                               names=("200 masks averaged", "one mask (mean)")))
    out["200 masks vs best single"] = comparison(seeds.compare(
        lambda s: (runs[s][1], runs[s][0].max()), 10, 0, names=("200 masks averaged", "the best of 200 single masks")))
    out["scaled vs 200"] = comparison(seeds.compare(lambda s: (runs[s][2], runs[s][1]), 10, 0,
                                                    names=("the scaled pass", "200 masks averaged")))
    out["within 0.02"] = sum(abs(v[2] - v[1]) <= 0.02 for v in runs.values())
    out["agreement > 0.97"] = sum(v[3] > 0.97 for v in runs.values())
    return out


# ---- 11 -------------------------------------------------------------------------------------------
def train_rule(data, rule, lr, s, num_epochs=10):
    _, r = train_net(data, [50], lr, s, num_train=1000, num_epochs=num_epochs, update=rule, init_scale=1e-2)
    cost = float(np.mean(r.loss_history[-10:])) if not r.diverged else 99.0
    return cost, final_val(r)


@claim("11-momentum")
def momentum_vs_sgd(study):
    """SGD vs momentum 0.9 on digits: at the same lr 0.1, and each at its own best lr."""
    data = study.data
    lr = study.lr(0.1)
    out = {"lr": lr}
    out["same lr: cost"] = comparison(seeds.compare(
        lambda s: (train_rule(data, "momentum", lr, s)[0], train_rule(data, "sgd", lr, s)[0]), 20, 0,
        names=("momentum 0.9", "SGD"), higher_is_better=False, scale=1, unit="", verb="ends below"), 2)
    out["same lr: val"] = comparison(seeds.compare(
        lambda s: (train_rule(data, "momentum", lr, s)[1], train_rule(data, "sgd", lr, s)[1]), 20, 0,
        names=("momentum 0.9", "SGD")))
    # tuned: each rule's best learning rate on a grid, chosen by mean final cost over 5 tuning seeds
    grids = {"sgd": [0.1, 0.3, 1.0, 2.0, 2.4], "momentum": [0.01, 0.03, 0.1, 0.3, 0.45]}
    best = {}
    for rule, grid in grids.items():
        grid = [study.lr(g, {"update": rule}, exact=True) for g in grid]
        tuning = seeds.draw_seeds(5, 99)
        costs = {g: np.mean([train_rule(data, rule, g, s)[0] for s in tuning]) for g in grid}
        best[rule] = min(costs, key=costs.get)
        out[f"tuning {rule}"] = {f"{g:.3g}": round(float(c), 3) for g, c in costs.items()}
    out["best"] = best
    out["tuned: val"] = comparison(seeds.compare(
        lambda s: (train_rule(data, "momentum", best["momentum"], s)[1], train_rule(data, "sgd", best["sgd"], s)[1]),
        20, 0, names=("momentum 0.9 at its best lr", "SGD at its best lr")))
    out["tuned: cost"] = comparison(seeds.compare(
        lambda s: (train_rule(data, "momentum", best["momentum"], s)[0], train_rule(data, "sgd", best["sgd"], s)[0]),
        20, 0, names=("momentum 0.9 at its best lr", "SGD at its best lr"), higher_is_better=False, scale=1, unit="",
        verb="ends below"), 3)
    return out


@claim("11-schedules")
def schedules(study):
    """Schedules vs constant: 20 epochs, lr0 0.2, momentum 0.9, batch 50, reg 0.01."""
    data = study.data
    settings = {"update": "momentum", "batch_size": 50, "num_epochs": 20, "reg": 1e-2}
    lr0 = study.lr(0.2, settings)
    kinds = {"constant": {}, "step": {"drop": 0.5, "every": 5}, "exponential": {"k": 0.15}, "1/t": {"k": 0.15},
             "decay": {"decay": 0.97}}

    def run(s, name):
        lrs = core.schedules.schedule(name, lr0, 20, **kinds[name])
        _, r = train_net(data, [50], lr0, s, num_train=1000, num_epochs=20, batch_size=50, update="momentum",
                         reg=1e-2, init_scale=1e-2, lr_schedule=lrs)
        return (float(np.mean(r.loss_history[-20:])) if not r.diverged else 99.0), final_val(r)

    cache = {}

    def cached(s, name):
        if (s, name) not in cache:
            cache[s, name] = run(s, name)
        return cache[s, name]

    out = {"lr0": lr0}
    for name in ("step", "exponential", "1/t", "decay"):
        out[f"{name}: cost"] = comparison(seeds.compare(
            lambda s, n=name: (cached(s, n)[0], cached(s, "constant")[0]), 20, 0, names=(name, "constant"),
            higher_is_better=False, scale=1, unit="", verb="ends below"), 3)
        out[f"{name}: val"] = comparison(seeds.compare(lambda s, n=name: (cached(s, n)[1], cached(s, "constant")[1]),
                                                       20, 0, names=(name, "constant")))
    for factor in (0.5, 1.5):
        rate = lr0 * factor
        def at(s, name, rate=rate):
            lrs = core.schedules.schedule(name, rate, 20, **kinds[name])
            _, r = train_net(data, [50], rate, s, num_train=1000, num_epochs=20, batch_size=50, update="momentum",
                             reg=1e-2, init_scale=1e-2, lr_schedule=lrs)
            return (float(np.mean(r.loss_history[-20:])) if not r.diverged else 99.0), final_val(r)
        out[f"lr0 x {factor}: step vs constant cost"] = comparison(seeds.compare(
            lambda s, at=at: (at(s, "step")[0], at(s, "constant")[0]), 20, 0, names=("step", "constant"),
            higher_is_better=False, scale=1, unit="", verb="ends below"), 3)
    out["best decaying (chosen per seed) vs constant: val"] = comparison(seeds.compare(
        lambda s: (max(cached(s, n)[1] for n in ("step", "exponential", "1/t", "decay")), cached(s, "constant")[1]),
        20, 0, names=("the best decaying schedule (chosen after the fact)", "constant")))
    return out


# ---- 12 -------------------------------------------------------------------------------------------
@claim("12-ensembles")
def ensembles(study):
    """Ensembles of 10 (seeds, checkpoints, hyperparameters) vs mean and best member, 20 draws."""
    data = study.data
    settings = {"update": "momentum", "batch_size": 50, "num_train": 1197, "reg": 1e-2}
    lr = study.lr(0.1, settings)
    out = {"lr": lr}
    for kind, num in (("seeds", 20), ("checkpoints", 20), ("hyperparameters", 20)):
        cache = {}

        def members(s, kind=kind, cache=cache):
            if s not in cache:
                m = ensemble.train_members(data, kind=kind, num_models=10, num_epochs=10, batch_size=50,
                                           learning_rate=lr, reg=1e-2, hidden_size=50, update="momentum", rng=s)
                accs = ensemble.member_accuracies(m["val_probs"], data["y_val"])
                ens = ensemble.accuracy_by_size(m["val_probs"], data["y_val"])
                cache[s] = (accs, ens)
            return cache[s]

        wall, cpu = time.perf_counter(), time.process_time()
        vs_mean = seeds.compare(lambda s, f=members: (f(s)[1][-1], f(s)[0].mean()), num, 0,
                                names=(f"the ensemble of 10 ({kind})", "its mean member"))
        vs_best = seeds.compare(lambda s, f=members: (f(s)[1][-1], f(s)[0].max()), num, 0,
                                names=(f"the ensemble of 10 ({kind})", "its best member"))
        vs_best5 = seeds.compare(lambda s, f=members: (f(s)[1][4], f(s)[0][:5].max()), num, 0,
                                 names=(f"the ensemble of 5 ({kind})", "its best member"))
        out[kind] = {"vs mean": comparison(vs_mean), "vs best": comparison(vs_best), "5 vs best": comparison(vs_best5),
                     "seconds_total": round(time.perf_counter() - wall, 1),
                     "cpu_total": round(time.process_time() - cpu, 1)}
    return out


# ---- 13 -------------------------------------------------------------------------------------------
@claim("13-summary")
def summary(study):
    """The recipe: coarse (30 x 3 epochs) -> fine (15 x 10 epochs) -> top 5 ensemble, over 10 search seeds."""
    data = dict(study.data)
    X_test, y_test = data.pop("X_test"), data.pop("y_test")
    scale = study.lr(1.0, {"update": "momentum"}, exact=True)
    rows = []
    wall, cpu = time.perf_counter(), time.process_time()
    for s in seeds.draw_seeds(10, 0):
        coarse = search.random_search(data, {"learning_rate": search.LogUniform(1e-4 * scale, 10 * scale),
                                             "reg": search.LogUniform(1e-5, 10)}, 30, num_epochs=3, rng=s)
        fine_specs = search.refine(coarse.specs, coarse, top_k=5)
        fine = search.random_search(data, fine_specs, 15, num_epochs=10, rng=s + 1)
        members = [search.train_config(data, t.config, num_epochs=20, seed=t.seed)[0] for t in fine.top(5)]
        probs = np.stack([core.layers.softmax(n.scores(data["X_val"])) for n in members])
        accs = ensemble.member_accuracies(probs, data["y_val"])
        ens = ensemble.accuracy_by_size(probs, data["y_val"])[-1]
        losses = [ensemble.log_loss(p, data["y_val"]) for p in probs]
        ens_loss = ensemble.log_loss(ensemble.average_probabilities(probs), data["y_val"])
        test_probs = np.stack([core.layers.softmax(n.scores(X_test)) for n in members])
        test = float(np.mean(ensemble.average_probabilities(test_probs).argmax(1) == y_test))
        rows.append({"coarse": coarse.best.val_acc, "fine": fine.best.val_acc, "ens": float(ens),
                     "mean_member": float(accs.mean()), "best_member": float(accs.max()),
                     "ens_loss_below_every_member": bool(ens_loss < min(losses)),
                     "edge_warnings": len(search.edge_warnings(fine.specs, fine)), "test": test,
                     "test_within_0.03": abs(test - float(ens)) < 0.03,
                     "best_lr": fine.best.config["learning_rate"]})
    n = len(rows)
    return {"n": n, "scale": scale,
            "fine > coarse": sum(r["fine"] > r["coarse"] for r in rows),
            "fine >= coarse": sum(r["fine"] >= r["coarse"] for r in rows),
            "ens > mean member": sum(r["ens"] > r["mean_member"] for r in rows),
            "ens >= best member": sum(r["ens"] >= r["best_member"] for r in rows),
            "ens loss below every member": sum(r["ens_loss_below_every_member"] for r in rows),
            "no edge warning": sum(r["edge_warnings"] == 0 for r in rows),
            "test within 0.03": sum(r["test_within_0.03"] for r in rows),
            "ens - mean member (points)": round(100 * float(np.mean([r["ens"] - r["mean_member"] for r in rows])), 2),
            "ens - best member (points)": round(100 * float(np.mean([r["ens"] - r["best_member"] for r in rows])), 2),
            "seconds": round(time.perf_counter() - wall, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
            "rows": rows}


# ---- slide content not covered today (issue section 4) ---------------------------------------------
@claim("S4-svm")
def svm_vs_softmax(study):
    """'loss to use (e.g. SVM/Softmax)': the babysitting net with each loss, each at its own best rate."""
    data = study.data

    def run(loss, lr, s):
        _, r = babysit(data, lr, s, loss=loss, reg=1e-6)
        return final_val(r)

    out = {}
    best = {}
    for loss in ("softmax", "svm"):
        cliff = learning_rate_cliff(data) if loss == "softmax" else None
        base = cliff.cliff if cliff else learning_rate_cliff(data).cliff
        grid = [base * f for f in (0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8)]
        tuning = seeds.draw_seeds(5, 99)
        vals = {g: np.mean([run(loss, g, s) for s in tuning]) for g in grid}
        best[loss] = max(vals, key=vals.get)
        out[f"tuning {loss}"] = {f"{g:.3g}": round(float(v), 3) for g, v in vals.items()}
    out["best"] = {k: round(v, 4) for k, v in best.items()}
    out["svm vs softmax (each tuned)"] = comparison(seeds.compare(
        lambda s: (run("svm", best["svm"], s), run("softmax", best["softmax"], s)), 20, 0,
        names=("the SVM loss", "softmax"), verb="beats on val accuracy"))
    out["svm vs softmax (same lr)"] = comparison(seeds.compare(
        lambda s: (run("svm", best["softmax"], s), run("softmax", best["softmax"], s)), 20, 0,
        names=("the SVM loss", "softmax"), verb="beats on val accuracy"))
    return out


@claim("S4-init")
def slide_init(study):
    """The slide's 'W = 0.001 * randn(D, H)' (and the sanity-check slide's 0.0001) run for real."""
    data = study.data
    lr = lecture_cases.lecture_cases(data).about_right
    out = {"lr": lr}
    for scale in (1e-4, 1e-3, 1e-2):
        out[f"2-layer init {scale:g}: val"] = spread_of(seeds.spread(
            lambda s, scale=scale: final_val(babysit(data, lr, s, init_scale=scale)[1]), 20, 0), f"init {scale:g}")
        out[f"2-layer init {scale:g}: plateau"] = tally(seeds.count(
            lambda s, scale=scale: diagnosis.diagnose(
                babysit(data, lr, s, init_scale=scale, reg=0.0)[1].loss_history)[0]
            == diagnosis.DIAGNOSES["plateau"], 20, 0), "diagnosed 'plateau' (bad initialization)")
    out["1e-3 vs 1e-2 (2-layer)"] = comparison(seeds.compare(
        lambda s: (final_val(babysit(data, lr, s, init_scale=1e-3)[1]), final_val(babysit(data, lr, s)[1])), 20, 0,
        names=("init 0.001", "init 0.01")))
    deep_lr = study.lr(0.1, {"hidden_sizes": (50,) * 6, "init": "he", "init_scale": None, "reg": 0.0})
    out["6-layer relu init 1e-3: val"] = spread_of(seeds.spread(lambda s: final_val(train_net(
        data, [50] * 6, deep_lr, s, num_train=1000, init_scale=1e-3)[1]), 10, 0), "6 x 50 ReLU, init 0.001")
    out["6-layer relu He: val"] = spread_of(seeds.spread(lambda s: final_val(train_net(
        data, [50] * 6, deep_lr, s, num_train=1000, init="he")[1]), 10, 0), "6 x 50 ReLU, He")
    return out


@claim("S4-epoch")
def epochs_and_iterations(study):
    """'epoch': how many iterations each run of the notebooks makes per epoch, and when 2.8 explodes."""
    data = study.data
    cases = lecture_cases.lecture_cases(data)
    at = [babysit(data, cases.slightly_too_high, s)[1].diverged_at for s in seeds.draw_seeds(20, 0)]
    at = [a for a in at if a]
    return {"iterations per epoch (1000 examples, batch 100)": 1000 // 100,
            "slide CIFAR-10: 49000 / 100": 490,
            "slightly too high explodes at iteration (median, range)": (float(np.median(at)), min(at), max(at)),
            "in epochs": (float(np.median(at)) / 10, min(at) / 10, max(at) / 10),
            "slide: epoch 5 = iterations": (4 * 490 + 1, 5 * 490)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="claim id prefixes (e.g. 05 12-ensembles)")
    parser.add_argument("--dataset", nargs="*", default=["digits", "digits_raw"])
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    for name in args.dataset:
        study = Study(name)
        for claim_id, function in CLAIMS.items():
            if args.only and not any(claim_id.startswith(p) for p in args.only):
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            with np.errstate(all="ignore"):
                result = function(study)
            result["_study_seconds"] = round(time.perf_counter() - wall, 1)
            result["_study_cpu_seconds"] = round(time.process_time() - cpu, 1)
            print(f"== {claim_id} on {name} ({result['_study_seconds']} s)")
            print(json.dumps(result, indent=1, default=float)[:6000], flush=True)
            stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}  # others may have written
            stored.setdefault(claim_id, {})[name] = result
            RESULTS.write_text(json.dumps(stored, indent=1, default=float, sort_keys=True))


if __name__ == "__main__":
    main()
