"""The whole net (gradient checks) and the trainer: the lecture's sanity checks on digits, the log
line, divergence, determinism, stopping, callbacks, checkpoints and max-norm."""
import math
import re
import threading
import warnings

import numpy as np
import pytest

import core
from core import layers
from core.gradcheck import numerical_gradient, rel_error
from core.trainer import epoch_line

TOL = 1e-7
EPOCH_LINE = re.compile(r"^Finished epoch (\d+) / (\d+): cost (\d+\.\d{6}|nan|inf), train: (\d\.\d{6}), "
                        r"val (\d\.\d{6}), lr (\d\.\d{6}e[+-]\d{2})$")
FINAL_LINE = re.compile(r"^finished optimization\. best validation accuracy: (\d\.\d{6})$")


@pytest.fixture(scope="module")
def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def small_net(**kwargs):
    """A float64 6-5-4-3 net with nonzero biases.

    Nonzero biases keep a pre-activation off ReLU's kink even when dropout zeroes a whole row
    of the layer below (then the pre-activation is exactly the bias).
    """
    options = dict(activation="relu", dtype=np.float64, rng=0)
    options.update(kwargs)
    net = core.FullyConnectedNet(6, [5, 4], 3, **options)
    rng = np.random.default_rng(10)
    for k in ("b1", "b2", "b3"):
        net.params[k] = 0.1 + 0.1 * rng.random(net.params[k].shape)
    return net


def check_net_gradients(net, X, y, masks=None):
    """Every parameter's analytic gradient against centred differences, elementwise relative error.

    The numerical gradient carries noise of about 1e-11 (float64 eps * loss / h), so an entry whose
    data and reg gradients nearly cancel (|grad| ~ 1e-5) cannot pass an elementwise 1e-7; the fixed
    seeds here give none.
    """
    loss, grads = net.loss(X, y, masks=masks)
    assert set(grads) == set(net.params)
    for name, param in net.params.items():
        assert grads[name].shape == param.shape
        numerical = numerical_gradient(lambda _: net.loss(X, y, masks=masks)[0], param)
        assert rel_error(grads[name], numerical) < TOL, name
    return loss


def small_data(rng_seed=1, n=5):
    rng = np.random.default_rng(rng_seed)
    return rng.standard_normal((n, 6)), rng.integers(0, 3, n)


# ---- the net's gradients ---------------------------------------------------------------------

@pytest.mark.parametrize("activation", sorted(layers.ACTIVATIONS))
@pytest.mark.parametrize("reg_kind", ["l2", "l1", "elastic"])
def test_net_gradient_per_activation_with_reg(activation, reg_kind):
    net = small_net(activation=activation, init="xavier", reg=0.3, reg_kind=reg_kind)
    assert all(np.abs(net.params[k]).min() > 1e-4 for k in ("W1", "W2", "W3"))  # L1: away from its kink
    X, y = small_data()
    check_net_gradients(net, X, y)


@pytest.mark.parametrize("activation", sorted(layers.ACTIVATIONS))
def test_net_gradient_with_svm_loss_and_one_hidden_layer(activation):
    net = core.FullyConnectedNet(6, [7], 3, activation=activation, init="xavier", init_scale=0.1, loss="svm",
                                 reg=0.1, dtype=np.float64, rng=2)
    net.params["b1"][:] = 0.1  # off ReLU's kink
    # Small scores keep every margin active; with N = 7 no class column of dscores sums to exactly 0
    # (7 - 3 * count), so no bias gradient is a cancelled 0 that centred differences see as noise.
    X, y = small_data(3, n=7)
    loss = check_net_gradients(net, X, y)
    assert loss > 1.5


@pytest.mark.parametrize("activation", sorted(layers.ACTIVATIONS))
@pytest.mark.parametrize("kind", ["inverted", "vanilla", "gaussian", "dropconnect"])
def test_net_gradient_with_fixed_dropout_masks(activation, kind):
    p_keep = 0.6
    net = small_net(activation=activation, init="xavier", reg=0.05, p_keep=p_keep, dropout=kind)
    X, y = small_data(4)
    rng = np.random.default_rng(5)
    if kind == "dropconnect":  # masks on the weights of layers 2 and 3
        masks = {k: (rng.random(net.params[k].shape) < p_keep) / p_keep for k in ("W2", "W3")}
    elif kind == "gaussian":
        masks = {f"h{i}": 1 + 0.8 * rng.standard_normal((5, h)) for i, h in ((1, 5), (2, 4))}
    else:
        masks = {f"h{i}": (rng.random((5, h)) < p_keep) / (p_keep if kind == "inverted" else 1)
                 for i, h in ((1, 5), (2, 4))}
    check_net_gradients(net, X, y, masks)
    # the masks are really used: the loss differs from the one without dropout
    no_dropout = small_net(activation=activation, init="xavier", reg=0.05)
    assert net.loss(X, y, masks=masks)[0] != pytest.approx(no_dropout.loss(X, y)[0])


def test_gradient_of_a_net_without_hidden_layers_a_linear_classifier():
    net = core.FullyConnectedNet(6, [], 3, init="xavier", reg=0.2, dtype=np.float64, rng=0)
    assert list(net.params) == ["W1", "b1"]
    X, y = small_data(6)
    check_net_gradients(net, X, y)


# ---- the net's other methods -----------------------------------------------------------------

def test_net_shapes_and_methods():
    net = core.FullyConnectedNet(64, [50, 20], 10, rng=0)
    assert [net.params[k].shape for k in ("W1", "b1", "W2", "b2", "W3", "b3")] == \
        [(64, 50), (50,), (50, 20), (20,), (20, 10), (10,)]
    assert all(v.dtype == np.float32 for v in net.params.values())
    X = np.random.default_rng(0).standard_normal((7, 64))
    assert net.scores(X).shape == (7, 10)
    assert net.predict(X).shape == (7,)
    np.testing.assert_array_equal(net.predict(X), net.scores(X).argmax(axis=1))
    acts = net.hidden_activations(X)
    assert [a.shape for a in acts] == [(7, 50), (7, 20)]
    y = net.predict(X)
    assert net.accuracy(X, y) == 1.0


def test_init_none_draws_nothing_and_leaves_zero_weights_for_the_caller():
    rng = np.random.default_rng(5)
    net = core.FullyConnectedNet(6, [4, 3], 2, init=None, rng=rng)
    assert [net.params[k].shape for k in ("W1", "W2", "W3")] == [(6, 4), (4, 3), (3, 2)]
    assert all(not v.any() and v.dtype == np.float32 for v in net.params.values())
    assert rng.bit_generator.state == np.random.default_rng(5).bit_generator.state  # nothing drawn
    with pytest.raises(ValueError, match="init must be one of"):
        core.FullyConnectedNet(6, [4], 2, init="zeros")


def test_vanilla_dropout_net_scales_at_test_time():
    net = core.FullyConnectedNet(5, [400], 2, dropout="vanilla", p_keep=0.5, init="xavier", dtype=np.float64, rng=0)
    X = np.abs(np.random.default_rng(0).standard_normal((1, 5)))
    full = core.FullyConnectedNet(5, [400], 2, init="xavier", dtype=np.float64, rng=0)
    np.testing.assert_allclose(net.hidden_activations(X, "test")[0], 0.5 * full.hidden_activations(X)[0])
    train_mean = np.mean([net.hidden_activations(X, "train")[0].mean() for _ in range(300)])
    assert train_mean == pytest.approx(net.hidden_activations(X, "test")[0].mean(), rel=0.03)


def test_copy_and_set_params_are_independent():
    net = small_net()
    saved = net.copy_params()
    for k in net.params:
        assert not np.shares_memory(saved[k], net.params[k])
    net.params["W1"] += 1.0
    assert not np.array_equal(saved["W1"], net.params["W1"])
    net.set_params(saved)
    np.testing.assert_array_equal(net.params["W1"], saved["W1"])
    saved["W1"][0, 0] = 123.0
    assert net.params["W1"][0, 0] != 123.0


def test_initial_loss_is_ln_c_with_small_weights(digits):
    net = core.FullyConnectedNet(64, [50], 10, init_scale=1e-3, rng=0)
    loss, _ = net.loss(digits["X_train"], digits["y_train"])
    assert abs(loss - math.log(10)) < 0.02


# ---- trainer: the lecture's sanity checks on digits -------------------------------------------

def digits_run(digits, num_train=1000, **kwargs):
    options = dict(num_epochs=5, learning_rate=0.5, rng=0)
    options.update(kwargs)
    p_keep = options.pop("p_keep", None)  # a setting of the net, not of the trainer
    net = options.pop("net", None) or core.FullyConnectedNet(64, [50], 10, p_keep=p_keep, rng=0)
    result = core.train(net, digits["X_train"][:num_train], digits["y_train"][:num_train],
                        digits["X_val"], digits["y_val"], **options)
    return net, result


def test_trainer_initial_loss_is_ln_10_and_a_large_reg_raises_it(digits):
    _, result = digits_run(digits, num_epochs=1, learning_rate=1e-6, reg=0.0)
    assert abs(result.loss_history[0] - math.log(10)) < 0.02
    _, with_reg = digits_run(digits, num_epochs=1, learning_rate=1e-6, reg=1e3)
    assert with_reg.loss_history[0] > math.log(10) + 1.0


def test_trainer_overfits_20_examples(digits):
    X, y = core.data.tiny_subset(digits["X_train"], digits["y_train"], 20)
    net = core.FullyConnectedNet(64, [50], 10, rng=0)
    # Full-batch descent on 20 standardized digits, reg 0. Measured (seed 0): lr 0.1 reaches train
    # accuracy 1.00 at epoch ~97, 0.3 at ~33, 1.0 at ~11, and 3.0 explodes. 0.3 sits in the middle of
    # the working range (in log space), so the check does not hinge on a lucky edge value.
    lines = []
    result = core.train(net, X, y, X, y, num_epochs=200, sample_batches=False, learning_rate=0.3, reg=0.0,
                        verbose=True, print_fn=lines.append, rng=0)
    assert result.status == "finished"
    assert result.iterations_per_epoch == 1 and len(result.loss_history) == 200
    assert result.train_acc_history[-1] == 1.0
    assert result.loss_history[-1] < 0.05
    assert lines[-2].startswith("Finished epoch 200 / 200:") and ", train: 1.000000," in lines[-2]
    assert lines[-1] == "finished optimization. best validation accuracy: 1.000000"


def test_huge_learning_rate_ends_diverged_without_raising_or_warning(digits):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net, result = digits_run(digits, learning_rate=1e6)
    assert result.status == "diverged" and result.diverged
    assert result.diverged_at == len(result.loss_history) <= 3
    assert result.message.startswith(f"diverged at iteration {result.diverged_at}")
    assert result.train_acc_history == [] and result.epoch == 0
    assert result.best_params is None


def test_without_explode_rule_nan_costs_are_logged_like_the_slide(digits):
    lines = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, result = digits_run(digits, num_epochs=3, learning_rate=1e6, explode_factor=None, verbose=True,
                               print_fn=lines.append)
    assert result.status == "finished"
    assert not np.isfinite(result.loss_history[-1])
    assert len(lines) == 4
    assert all(EPOCH_LINE.match(line) for line in lines[:3]), lines
    assert "cost nan" in lines[-2] and lines[-2].endswith("lr 1.000000e+06")


def test_explode_factor_is_configurable(digits):
    # lr 3 on 1000 standardized digits: the cost dips, then climbs past 3 x the original cost around
    # iteration 11 and past 20 x around iteration 19, but stays below 1e9 x within 3 epochs.
    _, free = digits_run(digits, learning_rate=3.0, num_epochs=3, explode_factor=None)
    loss = np.asarray(free.loss_history)
    assert loss.max() > 20 * loss[0] and np.isfinite(loss).all()
    diverged_at = []
    for factor in (1.2, 3.0, 20.0, 1e9):
        over = np.flatnonzero(~np.isfinite(loss) | (loss > factor * loss[0]))
        _, result = digits_run(digits, learning_rate=3.0, num_epochs=3, explode_factor=factor)
        if over.size:
            assert result.status == "diverged" and result.diverged_at == over[0] + 1
            assert result.loss_history == free.loss_history[: over[0] + 1]
            assert f"> {factor:g} x 2.30" in result.message
            diverged_at.append(result.diverged_at)
        else:
            assert result.status == "finished" and factor == 1e9
    assert len(diverged_at) == 3 and diverged_at == sorted(diverged_at) and diverged_at[0] < diverged_at[-1]


def test_verbose_lines_have_the_slide_format(digits):
    assert epoch_line(1, 10, 2.302603, 0.4, 0.4, 1e-3) == \
        "Finished epoch 1 / 10: cost 2.302603, train: 0.400000, val 0.400000, lr 1.000000e-03"
    lines = []
    _, result = digits_run(digits, num_epochs=10, learning_rate=1e-3, verbose=True, print_fn=lines.append)
    assert len(lines) == 11
    for epoch, line in enumerate(lines[:10], start=1):
        match = EPOCH_LINE.match(line)
        assert match, line
        assert match.group(1, 2) == (str(epoch), "10")
        assert float(match.group(3)) == pytest.approx(
            result.loss_history[epoch * result.iterations_per_epoch - 1], abs=1e-6
        )
        assert float(match.group(4)) == pytest.approx(result.train_acc_history[epoch - 1], abs=1e-6)
        assert float(match.group(5)) == pytest.approx(result.val_acc_history[epoch - 1], abs=1e-6)
        assert match.group(6) == "1.000000e-03"
    final = FINAL_LINE.match(lines[-1])
    assert final and float(final.group(1)) == pytest.approx(max(result.val_acc_history), abs=1e-6)
    assert lines[-1] == result.message


def test_not_verbose_prints_nothing(digits, capsys):
    digits_run(digits, num_epochs=2)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("options", [
    {},
    {"update": "momentum", "update_config": {"momentum": 0.9}, "learning_rate": 0.05, "p_keep": 0.7},
    {"update": "adam", "learning_rate": 1e-3, "reg": 1e-3, "sample_batches": False},
])
def test_same_seed_gives_bit_identical_histories(digits, options):
    net_a, a = digits_run(digits, num_epochs=3, track_ratios=True, **options)
    net_b, b = digits_run(digits, num_epochs=3, track_ratios=True, **options)
    assert a.loss_history == b.loss_history
    assert a.train_acc_history == b.train_acc_history and a.val_acc_history == b.val_acc_history
    assert a.update_ratio_history == b.update_ratio_history
    for k in net_a.params:
        np.testing.assert_array_equal(net_a.params[k], net_b.params[k])
    if options.get("sample_batches", True):  # full-batch descent without dropout draws nothing
        _, c = digits_run(digits, num_epochs=3, **dict(options, rng=1))
        assert c.loss_history != a.loss_history


def test_stop_event_ends_the_run_and_keeps_the_history(digits):
    stop = threading.Event()

    def on_iteration(result):
        if result.iteration == 15:
            stop.set()

    net, result = digits_run(digits, num_epochs=5, on_iteration=on_iteration, stop=stop)
    assert result.status == "stopped"
    assert result.iteration == 15 and len(result.loss_history) == 15
    assert len(result.train_acc_history) == 1  # epoch 1 (10 iterations) finished before the stop
    assert result.message == "stopped at iteration 15"
    assert result.best_params is not None


def test_stop_before_the_first_iteration_and_stop_as_a_function(digits):
    stop = threading.Event()
    stop.set()
    net = core.FullyConnectedNet(64, [50], 10, rng=0)
    before = net.copy_params()
    _, result = digits_run(digits, net=net, stop=stop)
    assert result.status == "stopped" and result.loss_history == []
    for k in before:
        np.testing.assert_array_equal(net.params[k], before[k])
    calls = []
    _, result = digits_run(digits, stop=lambda: len(calls) >= 3, on_iteration=lambda r: calls.append(r.iteration))
    assert result.status == "stopped" and result.iteration == 3


def test_callbacks_are_called_per_iteration_and_per_epoch(digits):
    seen_iterations, seen_epochs = [], []

    def on_iteration(result):
        seen_iterations.append((result.iteration, len(result.loss_history)))

    def on_epoch(result):
        seen_epochs.append((result.epoch, len(result.val_acc_history), result.iteration))

    _, result = digits_run(digits, num_epochs=3, batch_size=250, on_iteration=on_iteration, on_epoch=on_epoch)
    assert result.iterations_per_epoch == 4
    assert seen_iterations == [(i, i) for i in range(1, 13)]
    assert seen_epochs == [(1, 1, 4), (2, 2, 8), (3, 3, 12)]


def test_best_params_match_the_epoch_with_the_best_val_accuracy(digits):
    net = core.FullyConnectedNet(64, [50], 10, rng=0)
    snapshots = []
    result = core.train(net, digits["X_train"][:500], digits["y_train"][:500], digits["X_val"], digits["y_val"],
                        num_epochs=8, learning_rate=1.0, rng=0, on_epoch=lambda r: snapshots.append(net.copy_params()))
    best_epoch = int(np.argmax(result.val_acc_history))  # the first epoch reaching the maximum
    assert result.best_val_acc == max(result.val_acc_history)
    for k in net.params:
        np.testing.assert_array_equal(result.best_params[k], snapshots[best_epoch][k])
        assert not np.shares_memory(result.best_params[k], net.params[k])
    if best_epoch < len(snapshots) - 1:
        assert not np.array_equal(result.best_params["W1"], net.params["W1"])
    checkpoint = core.FullyConnectedNet(64, [50], 10, rng=1)
    checkpoint.set_params(result.best_params)
    assert checkpoint.accuracy(digits["X_val"], digits["y_val"]) == result.best_val_acc


@pytest.mark.parametrize("bound", [0.5, 2.0])
def test_max_norm_keeps_column_norms_bounded(digits, bound):
    net = core.FullyConnectedNet(64, [50], 10, init="he", max_norm=bound, rng=0)
    _, result = digits_run(digits, net=net, num_epochs=3, learning_rate=1.0, explode_factor=None)
    for k in ("W1", "W2"):
        assert np.linalg.norm(net.params[k], axis=0).max() <= bound * (1 + 1e-5)
    free = core.FullyConnectedNet(64, [50], 10, init="he", rng=0)
    digits_run(digits, net=free, num_epochs=3, learning_rate=1.0, explode_factor=None)
    assert np.linalg.norm(free.params["W1"], axis=0).max() > 1.5  # without it the column norms grow


def test_histories_lengths_decay_and_ratios(digits):
    _, result = digits_run(digits, num_epochs=4, batch_size=200, learning_rate=0.4, learning_rate_decay=0.5,
                           track_ratios=True)
    assert result.status == "finished" and result.epoch == 4
    assert result.iterations_per_epoch == 5 and result.iteration == 20 and len(result.loss_history) == 20
    assert len(result.train_acc_history) == len(result.val_acc_history) == 4
    np.testing.assert_allclose(result.lr_history, [0.4, 0.2, 0.1, 0.05])
    assert set(result.update_ratio_history) == {"W1", "W2"}
    for ratios in result.update_ratio_history.values():
        assert len(ratios) == 20 and all(0 < r < 1 for r in ratios)
    assert result.seconds > 0


def test_update_ratio_equals_the_monitor_formula():
    net = core.FullyConnectedNet(4, [3], 2, dtype=np.float64, rng=0)
    X, y = np.random.default_rng(0).standard_normal((6, 4)), np.array([0, 1, 0, 1, 1, 0])
    before = net.copy_params()
    _, grads = net.loss(X, y)
    result = core.train(net, X, y, X, y, num_epochs=1, sample_batches=False, learning_rate=0.1, track_ratios=True)
    expected = core.monitor.update_weight_ratio(before["W1"], -0.1 * grads["W1"])
    assert result.update_ratio_history["W1"][0] == pytest.approx(expected, rel=1e-9)
    np.testing.assert_allclose(net.params["W1"], before["W1"] - 0.1 * grads["W1"])


# measured on 1000 digits, 5 epochs: each rate is in its rule's good range (val accuracy ~0.94-0.97)
@pytest.mark.parametrize("update, lr", [("sgd", 0.5), ("momentum", 0.1), ("nesterov", 0.1),
                                        ("adagrad", 0.05), ("rmsprop", 3e-3), ("adam", 1e-2)])
def test_every_update_rule_learns_digits(digits, update, lr):
    _, result = digits_run(digits, num_epochs=5, update=update, learning_rate=lr)
    assert result.status == "finished"
    assert result.val_acc_history[-1] > 0.85


def test_train_sets_reg_on_the_net(digits):
    net, result = digits_run(digits, num_epochs=1, reg=1e-3)
    assert net.reg == 1e-3
    assert all(v.dtype == np.float32 for v in net.params.values())


def test_full_batch_ignores_batch_size_and_train_accuracy_subsample(digits):
    _, result = digits_run(digits, num_epochs=2, sample_batches=False, batch_size=10_000, num_train_samples=50)
    assert result.iterations_per_epoch == 1 and len(result.loss_history) == 2
    assert all(round(a * 50) == a * 50 for a in result.train_acc_history)  # measured on 50 examples


@pytest.mark.parametrize("options", [
    {"loss": "svm"}, {"p_keep": 0.5, "dropout": "dropconnect"}, {"p_keep": 0.8, "dropout": "vanilla"},
    {"activation": "tanh", "init": "xavier"}, {"hidden_sizes": [30, 20], "init": "he"},
])
def test_other_nets_train_on_digits(digits, options):
    hidden = options.pop("hidden_sizes", [50])
    net = core.FullyConnectedNet(64, hidden, 10, rng=0, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, result = digits_run(digits, net=net, num_epochs=5, learning_rate=0.3)
    # measured (seed 0): 0.81 (vanilla dropout, 5 epochs) to 0.96 (SVM); chance is 0.10
    assert result.status == "finished" and result.val_acc_history[-1] > 0.7
    assert result.loss_history[-1] < result.loss_history[0]


def test_update_ratios_are_recorded_only_when_asked_for(digits):
    _, plain = digits_run(digits, num_epochs=1)
    _, tracked = digits_run(digits, num_epochs=1, track_ratios=True)
    assert plain.update_ratio_history == {} and plain.last_updates == {}
    assert set(tracked.update_ratio_history) == set(tracked.last_updates) == {"W1", "W2"}
    assert plain.loss_history == tracked.loss_history  # watching the ratios does not change the run
