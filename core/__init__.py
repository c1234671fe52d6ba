"""A small numpy library for training fully connected nets, read in the lecture's order:

    data, preprocess, init, layers, dropout, regularizers, optim, schedules, net, trainer,
    gradcheck, monitor   (checks: the argument checks every public function uses)

Beside it, two subpackages the notebooks use: core.search (random search, coarse -> fine, the
learning-rate range test) and core.demos (worked examples and the numbers the explorers show).
"""
from . import (
    checks,
    data,
    demos,
    dropout,
    gradcheck,
    init,
    layers,
    monitor,
    net,
    optim,
    preprocess,
    regularizers,
    schedules,
    search,
    trainer,
)
from .net import FullyConnectedNet
from .trainer import TrainResult, train

__all__ = ["checks", "data", "demos", "dropout", "gradcheck", "init", "layers", "monitor", "net", "optim",
           "preprocess", "regularizers", "schedules", "search", "trainer", "FullyConnectedNet", "TrainResult",
           "train"]
