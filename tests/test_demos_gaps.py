"""core.demos.gaps (epochs_for_budget, final_gap): the fixed update budget of GapExplorer's runs and the gap
at their end, against values worked out by hand."""
import math
from types import SimpleNamespace

import pytest

from core.demos.gaps import epochs_for_budget, final_gap


@pytest.mark.parametrize("num_iterations, batch_size, num_train, expected", [
    (120, 50, 100, (60, 50)),    # 2 batches an epoch: 60 epochs make 120 updates
    (120, 50, 1000, (6, 50)),    # 20 batches an epoch: 6 epochs
    (120, 50, 500, (12, 50)),    # 10 batches an epoch
    (120, 50, 20, (120, 20)),    # fewer examples than a batch: one batch of 20 an epoch
    (120, 50, 1600, (4, 50)),    # 120 * 50 / 1600 = 3.75 -> 4
    (10, 50, 1000, (1, 50)),     # 0.5 rounds to 0 (half to even), but at least one epoch
    (150, 50, 1000, (8, 50)),    # 7.5 rounds to 8 (half to even)
    (100, 50, 2000, (2, 50)),    # 2.5 rounds to 2 (half to even), not up to 3
    (160, 50, 2500, (3, 50)),    # 3.2 rounds down to 3
])
def test_epochs_for_budget(num_iterations, batch_size, num_train, expected):
    assert epochs_for_budget(num_iterations, batch_size, num_train) == expected


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "100"])
def test_epochs_for_budget_rejects_a_bad_num_train(bad):
    with pytest.raises(ValueError, match="num_train"):
        epochs_for_budget(120, 50, bad)


def test_final_gap_is_train_minus_val_after_the_last_epoch():
    result = SimpleNamespace(train_acc_history=[0.5, 0.95], val_acc_history=[0.45, 0.75])
    train, val, gap = final_gap(result)
    assert (train, val) == (0.95, 0.75) and gap == pytest.approx(0.2)
    underfit = SimpleNamespace(train_acc_history=[0.6], val_acc_history=[0.65])  # val above train: negative
    assert final_gap(underfit)[2] == pytest.approx(-0.05)
    fell = SimpleNamespace(train_acc_history=[0.9, 0.8], val_acc_history=[0.7, 0.75])  # the last, not the best
    assert final_gap(fell)[:2] == (0.8, 0.75)


def test_final_gap_of_a_run_without_a_finished_epoch_is_nan():
    assert all(math.isnan(v) for v in final_gap(SimpleNamespace(train_acc_history=[], val_acc_history=[])))
