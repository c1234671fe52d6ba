"""A small numpy library for training fully connected nets, one responsibility per module:
data, preprocess, init, layers, dropout, regularizers, optim, schedules, net, trainer,
gradcheck, monitor (and search)."""
from . import (
               checks,
               data,
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

__all__ = ["checks", "data", "dropout", "gradcheck", "init", "layers", "monitor", "net", "optim",
           "preprocess", "regularizers", "schedules", "search", "trainer", "FullyConnectedNet", "TrainResult",
           "train"]
