"""core.demos.ensemble (averaging softmax probabilities, training members) and the trainer's schedules."""
import numpy as np
import pytest

import core
from core import schedules
from core.demos import ensemble


@pytest.fixture(scope="module")
def data():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def test_average_and_accuracy_by_size_by_hand():
    # 3 models, 2 examples, 2 classes; truth: class 0 then class 1
    probs = np.array([[[0.9, 0.1], [0.6, 0.4]],    # right, wrong
                      [[0.4, 0.6], [0.1, 0.9]],    # wrong, right
                      [[0.6, 0.4], [0.45, 0.55]]])  # right, right
    y = np.array([0, 1])
    assert np.allclose(ensemble.average_probabilities(probs), probs.mean(axis=0))
    assert ensemble.member_accuracies(probs, y).tolist() == [0.5, 0.5, 1.0]
    # first 1: 0.5; first 2: mean [[.65,.35],[.35,.65]] -> both right
    assert ensemble.accuracy_by_size(probs, y).tolist() == [0.5, 1.0, 1.0]


def test_averaging_beats_members_with_independent_errors():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 2000)
    probs = np.full((9, 2000, 10), 0.05)
    for k in range(9):  # each member right on a random 60 %, otherwise confident in a random class
        right = rng.random(2000) < 0.6
        guess = np.where(right, y, rng.integers(0, 10, 2000))
        probs[k, np.arange(2000), guess] = 0.55
    accs = ensemble.member_accuracies(probs, y)
    assert ensemble.accuracy_by_size(probs, y)[-1] > accs.max() + 0.1


def test_log_loss_by_hand_and_convexity():
    probs = np.array([[[0.5, 0.5], [0.9, 0.1]], [[0.9, 0.1], [0.2, 0.8]]])  # (K=2, N=2, C=2)
    y = np.array([0, 1])
    assert ensemble.log_loss(probs[0], y) == pytest.approx(-(np.log(0.5) + np.log(0.1)) / 2)
    mean_member = np.mean([ensemble.log_loss(p, y) for p in probs])
    assert ensemble.log_loss(ensemble.average_probabilities(probs), y) <= mean_member
    assert ensemble.log_loss(np.array([[1.0, 0.0]]), np.array([1])) == pytest.approx(-np.log(1e-12))


@pytest.mark.parametrize("call, name", [
    (lambda: ensemble.log_loss(np.ones((2, 2, 2)), np.array([0, 1])), "probs"),
    (lambda: ensemble.log_loss(np.ones((2, 2)), np.array([0, 2])), "y"),
    (lambda: ensemble.average_probabilities(np.ones((2, 3))), "member_probs"),
    (lambda: ensemble.average_probabilities(np.ones((0, 3, 2))), "member_probs"),
    (lambda: ensemble.member_accuracies(np.ones((2, 3, 2)), np.array([0, 1])), "y"),
    (lambda: ensemble.accuracy_by_size(np.ones((2, 3, 2)), np.array([0, 1, 5])), "y"),
    (lambda: ensemble.member_settings("bagging", 3), "kind"),
    (lambda: ensemble.member_settings("seeds", 0), "num_models"),
    (lambda: ensemble.member_settings("seeds", 3, learning_rate=-1), "learning_rate"),
    (lambda: ensemble.member_settings("seeds", 3, reg=np.nan), "reg"),
])
def test_bad_arguments_raise_value_error_naming_them(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_member_settings_per_kind():
    seeds = ensemble.member_settings("seeds", 5, rng=0)
    assert len({s["seed"] for s in seeds}) == 5 and len({s["learning_rate"] for s in seeds}) == 1
    hyper = ensemble.member_settings("hyperparameters", 5, rng=0)
    assert len({s["learning_rate"] for s in hyper}) == 5
    assert all(20 <= s["hidden_size"] <= 100 and 1e-4 <= s["reg"] <= 1e-2 for s in hyper)
    checkpoints = ensemble.member_settings("checkpoints", 5, rng=0)
    assert len({s["seed"] for s in checkpoints}) == 1 and [s["checkpoint"] for s in checkpoints] == list(range(5))
    assert ensemble.member_settings("seeds", 5, rng=1) != seeds


@pytest.mark.parametrize("kind", ensemble.KINDS)
def test_train_members_shapes(data, kind):
    members = ensemble.train_members(data, kind, num_models=5, num_epochs=4, batch_size=50, reg=1e-2, rng=0)
    assert members["val_probs"].shape == (5, len(data["y_val"]), 10)
    assert members["test_probs"].shape == (5, len(data["y_test"]), 10)
    assert np.allclose(members["val_probs"].sum(axis=2), 1)
    assert len(members["labels"]) == 5


def test_an_ensemble_of_seeds_beats_its_mean_member_on_digits(data):
    members = ensemble.train_members(data, "seeds", num_models=5, num_epochs=5, batch_size=50, reg=1e-2, rng=0)
    accs = ensemble.member_accuracies(members["val_probs"], data["y_val"])
    assert ensemble.accuracy_by_size(members["val_probs"], data["y_val"])[-1] > accs.mean()


def test_checkpoints_are_the_last_epochs_of_one_run(data):
    members = ensemble.train_members(data, "checkpoints", num_models=3, num_epochs=2, rng=0)
    assert [s["checkpoint"] for s in members["settings"]] == [4, 3, 2]
    assert members["labels"] == ["epoch 4", "epoch 3", "epoch 2"]


def test_a_diverged_member_predicts_uniformly(data):
    members = ensemble.train_members(data, "seeds", num_models=2, num_epochs=2, learning_rate=50.0, rng=0)
    assert np.allclose(members["val_probs"], 0.1)
    assert all("diverged" in label for label in members["labels"])


def test_train_members_stops_and_reports_progress(data):
    import threading
    stop, seen = threading.Event(), []

    def progress(fraction):
        seen.append(fraction)
        if len(seen) == 2:
            stop.set()

    members = ensemble.train_members(data, "seeds", num_models=6, num_epochs=1, rng=0, progress=progress, stop=stop)
    assert members["val_probs"].shape[0] == 2 and seen == [1 / 6, 2 / 6]


# ---- the trainer's learning-rate schedules -----------------------------------------------------
def test_trainer_follows_a_per_epoch_schedule(data):
    lrs = schedules.schedule("step", 0.5, 6, drop=0.5, every=2)
    net = core.FullyConnectedNet(64, [20], 10, init_scale=1e-2, rng=0)
    result = core.train(net, data["X_train"][:200], data["y_train"][:200], data["X_val"], data["y_val"],
                        num_epochs=6, update="momentum", learning_rate=lrs, rng=0)
    assert result.lr_history == pytest.approx([0.5, 0.5, 0.25, 0.25, 0.125, 0.125])
    again = core.train(core.FullyConnectedNet(64, [20], 10, init_scale=1e-2, rng=0), data["X_train"][:200],
                       data["y_train"][:200], data["X_val"], data["y_val"], num_epochs=6, update="momentum",
                       learning_rate=schedules.get("step", 0.5, drop=0.5, every=2), rng=0)
    assert again.loss_history == result.loss_history  # the array and the function are one schedule
    with pytest.raises(ValueError, match="learning_rate_decay"):  # a schedule already says how lr changes
        core.train(net, data["X_train"][:200], data["y_train"][:200], data["X_val"], data["y_val"], num_epochs=6,
                   learning_rate=lrs, learning_rate_decay=0.5)


def test_constant_schedule_equals_a_constant_learning_rate_and_decay_is_a_schedule(data):
    def run(**kwargs):
        net = core.FullyConnectedNet(64, [20], 10, init_scale=1e-2, rng=0)
        return core.train(net, data["X_train"][:200], data["y_train"][:200], data["X_val"], data["y_val"],
                          num_epochs=3, rng=0, **kwargs)
    assert run(learning_rate=0.3).loss_history == run(learning_rate=[0.3, 0.3, 0.3]).loss_history
    assert run(learning_rate=0.3).loss_history == run(learning_rate=schedules.get("constant", 0.3)).loss_history
    decayed = run(learning_rate=0.3, learning_rate_decay=0.5)  # the slide's lr *= decay after every epoch
    assert decayed.lr_history == [0.3, 0.15, 0.075]
    assert decayed.loss_history == run(learning_rate=schedules.get("decay", 0.3, decay=0.5)).loss_history


def test_a_per_iteration_schedule_changes_the_rate_every_update(data):
    X, y = data["X_train"][:200], data["y_train"][:200]   # 2 updates per epoch of batch 100

    def run(learning_rate, **kwargs):
        net = core.FullyConnectedNet(64, [20], 10, init_scale=1e-2, rng=0)
        return net, core.train(net, X, y, data["X_val"], data["y_val"], num_epochs=3, learning_rate=learning_rate,
                               rng=0, **kwargs)
    # 0.4 for the first 3 updates, then (almost) nothing: the run follows the constant one for 3 updates
    rates = [0.4, 0.4, 0.4, 1e-12, 1e-12, 1e-12]
    net, result = run(schedules.from_values(rates, per="iteration"), track_ratios=True)
    _, constant = run(0.4)
    assert result.loss_history[:4] == constant.loss_history[:4]  # the 4th cost comes before the 4th update
    assert result.loss_history[4] != constant.loss_history[4]
    assert result.lr_history == [0.4, 1e-12, 1e-12]   # the rate of each epoch's last update
    ratios = result.update_ratio_history["W1"]
    assert min(ratios[:3]) > 1e-6 and max(ratios[3:]) < 1e-9
    with pytest.raises(ValueError, match="needs at least 6"):  # 3 epochs x 2 updates
        run(schedules.from_values(rates[:5], per="iteration"))


@pytest.mark.parametrize(
    "learning_rate, message",
    [([0.1, 0.1], "at least 3"), ([0.1, -1, 0.1], r"learning_rate\[1\]"), ([0.1, np.nan, 0.1], "learning_rate"),
     (schedules.Schedule(lambda t: 0.1 if t < 2 else float("inf")), "learning_rate at epoch 2")],
)
def test_trainer_rejects_bad_schedules(data, learning_rate, message):
    net = core.FullyConnectedNet(64, [20], 10, init_scale=1e-2, rng=0)
    before = net.copy_params()
    with pytest.raises(ValueError, match=message):
        core.train(net, data["X_train"][:100], data["y_train"][:100], data["X_val"], data["y_val"], num_epochs=3,
                   learning_rate=learning_rate)
    assert all(np.array_equal(before[k], net.params[k]) for k in before)
