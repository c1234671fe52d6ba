"""Train/val accuracy gaps. Notebook 07 ("Monitor and visualize the accuracy": a big gap means overfitting,
no gap means too little capacity): a run that makes about the same number of updates whatever the
training-set size, and the gap at its end. Notebooks 09 and 10: a regularized run beside the same net trained
without it, the final train and validation accuracy of each, their gaps, and whether the regularization went
so far that the net no longer fits its own training set ("underfits": the slide's "too strong").

How far the final train accuracy may fall below the unregularized run's before the verdict is
"underfits" depends on how a regularizer costs training accuracy on the way to a smaller gap. Measured
on standardized digits with the explorers' nets (a 64-100-10 ReLU net, 200 training examples, whose
unregularized run ends at train accuracy 0.99 to 1.00):
- REGULARIZER_UNDERFIT_MARGIN, 0.15: a penalty that still helps already costs some training accuracy
  (L2 λ 0.1: -0.025 with val up; L1 λ 0.03: -0.095; max-norm c 0.5: -0.08); past 0.15 validation
  accuracy falls too (L2 λ 0.3: train -0.175, val 0.90 -> 0.77; max-norm c 0.3: -0.195, val 0.73);
- DROPOUT_UNDERFIT_MARGIN, 0.05: dropout's noise barely costs training accuracy while it helps
  (p_keep >= 0.5: at most -0.015 for every variant); vanilla dropout at p_keep 0.3 costs 0.05 and at 0.2
  costs 0.11, where a net that cannot fit 200 examples is the story.
"""
import math

from .. import checks

REGULARIZER_UNDERFIT_MARGIN = 0.15
DROPOUT_UNDERFIT_MARGIN = 0.05


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


def against_reference(result, reference, underfit_margin):
    """A run (result) against the same net trained without regularization (reference), both
    core.trainer.TrainResult, by their final train and validation accuracy.

    Returns a dict: "train", "val" and "gap" (train - val) of result; "reference_train",
    "reference_val" and "reference_gap" of reference; "underfits", True when result's final train
    accuracy is more than underfit_margin below reference's (REGULARIZER_UNDERFIT_MARGIN or
    DROPOUT_UNDERFIT_MARGIN; False when either is NaN). A run with an empty history gives NaN.
    """
    train, val, gap = final_gap(result)
    reference_train, reference_val, reference_gap = final_gap(reference)
    return {"train": train, "val": val, "gap": gap,
            "reference_train": reference_train, "reference_val": reference_val, "reference_gap": reference_gap,
            "underfits": bool(train < reference_train - underfit_margin)}

