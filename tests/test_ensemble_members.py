"""core.demos.ensemble.train_member, one member at a time (the widget's keyed jobs): the members train_members gives."""
import threading

import numpy as np
import pytest

import core
from core.demos import ensemble


@pytest.fixture(scope="module")
def data():
    d = core.preprocess.preprocess(core.data.load_dataset("digits", rng=0), "standardize")
    return {**d, "X_test": d["X_val"][:50], "y_test": d["y_val"][:50]}  # a test set too: test_probs are joined


@pytest.mark.parametrize("kind", ["seeds", "hyperparameters"])
def test_members_one_at_a_time_equal_train_members(data, kind):
    kwargs = {"num_epochs": 2, "num_train": 300, "batch_size": 50, "update": "momentum"}
    whole = ensemble.train_members(data, kind, 3, rng=5, learning_rate=0.1, reg=1e-3, hidden_size=30, **kwargs)
    settings = ensemble.member_settings(kind, 3, 5, learning_rate=0.1, reg=1e-3, hidden_size=30)
    joined = ensemble.join([ensemble.train_member(data, s, kind, **kwargs) for s in settings])
    np.testing.assert_array_equal(joined["val_probs"], whole["val_probs"])
    np.testing.assert_array_equal(joined["test_probs"], whole["test_probs"])
    assert joined["labels"] == whole["labels"] and joined["settings"] == whole["settings"]


def test_a_diverged_member_knows_nothing_and_a_stopped_one_is_none(data):
    setting = {"seed": 1, "learning_rate": 1e3, "reg": 0.0, "hidden_size": 20, "checkpoint": None}
    diverged = ensemble.train_member(data, setting, "seeds", num_epochs=1, num_train=200)
    np.testing.assert_array_equal(diverged["val_probs"], 0.1)  # uniform over the 10 digits
    assert diverged["labels"] == ["seed 1 (diverged)"] and diverged["val_probs"].shape == (1, len(data["y_val"]), 10)
    stop = threading.Event()
    stop.set()
    assert ensemble.train_member(data, dict(setting, learning_rate=0.1), "seeds", num_epochs=1, stop=stop) is None
    assert ensemble.join([]) is None


def test_train_member_rejects_bad_epochs(data):
    with pytest.raises(ValueError, match="num_epochs"):
        ensemble.train_member(data, {"seed": 1, "learning_rate": 0.1, "reg": 0.0, "hidden_size": 20}, num_epochs=0)
