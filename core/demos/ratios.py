"""The update/weight ratio cases of notebook 07 ("Track the ratio of weight updates / weight magnitudes"),
measured on the data that is loaded: a rate whose ratios sit below the slide's band (too low), one inside
it (healthy) and one above it that still trains (too high), for the run UpdateRatioExplorer shows.

Shapes: data holds X_train (N, D), y_train (N,), X_val (M, D), y_val (M,), preprocessed.
"""
from .. import checks, monitor
from ..net import FullyConnectedNet
from ..trainer import train
from .lecture_cases import fingerprint, learning_rate_cliff

TOO_LOW, HEALTHY = 1 / 2500, 1 / 8                            # fractions of the run's cliff
TOO_HIGH = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5)  # tried largest first
_CACHE, _CACHE_SIZE = {}, 8  # (data, run) -> the cases; the oldest entry goes first


def ratio_run(data, learning_rate, hidden_sizes=(50, 50), num_train=1000, num_epochs=10, seed=0):
    """The explorer's run: a Xavier-initialized net with hidden_sizes, trained with plain SGD on the first
    num_train examples (batches of up to 100), the update/weight ratios tracked. Returns (TrainResult, net)."""
    n = checks.integer("num_train", num_train, low=1)
    net = FullyConnectedNet.for_data(data, list(hidden_sizes), init="xavier", rng=seed)
    result = train(net, data["X_train"][:n], data["y_train"][:n], data["X_val"], data["y_val"], num_epochs=num_epochs,
                   learning_rate=learning_rate, batch_size=min(100, len(data["X_train"][:n])), track_ratios=True,
                   rng=seed)
    return result, net


def verdicts(result):
    """The set of the layers' ratio verdicts (core.monitor.ratio_verdict of each median), {"diverged"} if so."""
    if result.diverged:
        return {"diverged"}
    return {monitor.ratio_verdict(v) for v in monitor.median_update_ratios(result.update_ratio_history).values()}


def ratio_cases(data, hidden_sizes=(50, 50), num_train=1000, num_epochs=10, seed=0):
    """{"too low", "healthy", "too high"}: learning rates for the run (ratio_run) on data. too low and healthy
    are TOO_LOW and HEALTHY of the run's cliff (core.demos.lecture_cases.learning_rate_cliff, Cliff.rate);
    too high is the largest of TOO_HIGH x cliff (two digits) at which the run with this seed finishes with
    every layer above the band, else half the cliff. Cached per data set and run (a few entries)."""
    key = (fingerprint(data), tuple(hidden_sizes), num_train, num_epochs, seed)
    if key not in _CACHE:
        cliff = learning_rate_cliff(data, {"hidden_sizes": tuple(hidden_sizes), "init": "xavier", "init_scale": None,
                                           "num_train": num_train, "num_epochs": num_epochs})
        rates = (float(f"{cliff.cliff * fraction:.2g}") for fraction in TOO_HIGH)
        high = next((rate for rate in rates if verdicts(ratio_run(data, rate, hidden_sizes, num_train, num_epochs,
                                                                  seed)[0]) == {"too high"}), cliff.rate(0.5))
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = {"too low": cliff.rate(TOO_LOW), "healthy": cliff.rate(HEALTHY), "too high": high}
    return dict(_CACHE[key])
