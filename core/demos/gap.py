"""The train/val accuracy gap of notebook 07 ("Monitor and visualize the accuracy": a big gap means
overfitting, no gap means too little capacity): a run that makes about the same number of updates
whatever the training-set size, and the gap at its end (GapExplorer shows both)."""
import math

from .. import checks


def epochs_for_budget(num_iterations, batch_size, num_train):
    """(num_epochs, batch): batches of batch = min(batch_size, num_train) examples, and the number of
    epochs over num_train examples that makes about num_iterations updates, round(num_iterations *
    batch / num_train) (Python's round: halves to even), at least 1."""
    for name, value in (("num_iterations", num_iterations), ("batch_size", batch_size), ("num_train", num_train)):
        checks.integer(name, value, low=1)
    batch = min(batch_size, num_train)
    return max(1, round(num_iterations * batch / num_train)), batch


def final_gap(result):
    """(train, val, train - val): the accuracies after the last finished epoch of a core TrainResult and
    their gap; three NaNs if no epoch finished (a run that diverged in its first epoch)."""
    if not result.train_acc_history:
        return math.nan, math.nan, math.nan
    train, val = result.train_acc_history[-1], result.val_acc_history[-1]
    return train, val, train - val
