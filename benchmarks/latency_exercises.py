"""Latency cases for the exercise explorers, run with the reference solutions (see bench_latency.py)."""
import numpy as np

import core
from core import dropout, init, layers, optim
from exercises.explorers import (
    DropoutExplorer,
    InitExplorer,
    LogSamplingExplorer,
    OverfitExplorer,
    StudentLayersExplorer,
    UpdatePathExplorer,
)


def _data():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def _overfit(net, X_train, y_train, train, num_examples=20):
    X, y = X_train[:num_examples], y_train[:num_examples]
    return train(net, X, y, X, y, num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3)


LAYERS = dict(affine_forward=layers.affine_forward, affine_backward=layers.affine_backward,
              relu_forward=layers.relu_forward, relu_backward=layers.relu_backward,
              softmax_loss=layers.softmax_loss)

CASES = [
    (
        "ex01 your layers (retrains 10 epochs x 1000 digits)",
        lambda: StudentLayersExplorer(_data(), **LAYERS),
        "learning_rate",
        list(np.logspace(-3, 0.5, 12)),
    ),
    (
        "ex02 overfit tiny subset (200 full-batch epochs)",
        lambda: OverfitExplorer(_overfit, _data()),
        "num_examples",
        [5, 10, 20, 50],
    ),
    (
        "ex03 log-space sampling",
        lambda: LogSamplingExplorer(lambda lo, hi, n, rng: 10 ** rng.uniform(np.log10(lo), np.log10(hi), n)),
        "num_samples",
        [100, 300, 1000, 50],
    ),
    (
        "ex04 init std per layer (10 layers x 256)",
        lambda: InitExplorer(
            lambda a, b, rng: init.xavier_normal(a, b, rng), lambda a, b, rng: init.he_normal(a, b, rng)
        ),
        "init",
        ["your xavier_init", "your he_init", "std 0.01", "std 1"],
    ),
    (
        "ex05 inverted dropout (400 draws)",
        lambda: DropoutExplorer(lambda x, p, m, rng: dropout.dropout_forward(x, p, m, rng)[0]),
        "p_keep",
        [0.1, 0.3, 0.5, 0.7, 0.9],
    ),
    (
        "ex06 update path on a valley",
        lambda: UpdatePathExplorer({"momentum": optim.momentum, "adam": optim.adam}),
        "learning_rate",
        list(np.logspace(-3, -0.5, 8)),
    ),
]
