"""Headless tests of the capacity, sanity-check and learning-rate explorers: set controls (or click
buttons) and assert on the plotted data and the status line; fuzz every control."""
import math
import warnings

import numpy as np
import pytest

import core
from core.demos.boundaries import boundary_fraction, grid_points
from widgets.capacity import EXTENT, CapacityExplorer, boundary_image
from widgets.learning_rate import LearningRateExplorer, rate_label
from widgets.sanity import InitialLossExplorer, OverfitExplorer, reg_value

LN10 = math.log(10)


@pytest.fixture(scope="module")
def digits():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def random_value(control, rng):
    """A random legal value of a slider, dropdown or checkbox, its ends included now and then."""
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return options[rng.integers(len(options))]
    if isinstance(control.value, bool):
        return bool(rng.integers(2))
    if type(control).__name__ == "FloatLogSlider":
        low, high = control.min, control.max
        exponent = rng.choice([low, high, rng.uniform(low, high)])
        return float(10 ** exponent)
    low, high = control.min, control.max
    value = rng.choice([low, high, rng.uniform(low, high)])
    return int(round(value)) if isinstance(control.value, int) else float(value)


def fuzz(explorer, rounds, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        control = explorer.controls[rng.integers(len(explorer.controls))]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            control.value = random_value(control, rng)
        assert explorer.last_error is None, (control.description, control.value, explorer.last_error)
        assert explorer.message


# ---- capacity ------------------------------------------------------------------------------------
def test_boundary_fraction_counts_class_changes():
    assert boundary_fraction(np.zeros((10, 10), int)) == 0.0
    halves = np.zeros((10, 10), int)
    halves[:, 5:] = 1
    assert boundary_fraction(halves) == pytest.approx(0.1)  # one column of cells sees the change
    checker = np.indices((10, 10)).sum(axis=0) % 2
    assert boundary_fraction(checker) == pytest.approx(0.99)  # all but the corner, which has no neighbour


def test_boundary_fraction_rejects_bad_grid():
    with pytest.raises(ValueError, match="labels"):
        boundary_fraction(np.zeros(5))


def test_boundary_image_is_rgb_in_range():
    probs = np.random.default_rng(0).dirichlet(np.ones(3), size=16)
    image = boundary_image(probs, 4)
    assert image.shape == (4, 4, 3) and image.min() >= 0 and image.max() <= 1
    assert grid_points(EXTENT, 7).shape == (49, 2)


def test_capacity_more_neurons_fit_the_spiral_better():
    explorer = CapacityExplorer(seed=0)
    accuracies = {}
    for label in ("3 hidden neurons", "20 hidden neurons"):
        explorer.preset.value = label
        assert explorer.last_error is None
        assert explorer.iteration == explorer.train_iterations
        accuracies[label] = explorer.train_accuracy
        image = explorer.boundary.get_array()
        assert image.shape == (explorer.resolution, explorer.resolution, 3)
        assert explorer.train_points.get_offsets().shape == (300, 2)
    assert accuracies["3 hidden neurons"] < 0.7 and accuracies["20 hidden neurons"] > 0.95
    assert f"iteration {explorer.train_iterations}" in explorer.message and "train acc" in explorer.message


def test_capacity_slider_changes_the_picture_and_classes():
    explorer = CapacityExplorer(seed=0, train_iterations=50)
    before = np.array(explorer.boundary.get_array()).copy()
    explorer.hidden_size.value = 3
    assert not np.allclose(before, explorer.boundary.get_array())
    explorer.dataset.value = "xor"
    assert explorer.num_classes == 2 and set(np.unique(explorer.labels_grid)) <= {0, 1}
    train_loss = explorer.train_line.get_ydata()
    assert len(train_loss) == len(explorer.test_line.get_ydata()) == 50 // explorer.record_every + 1


def test_capacity_step_reset_buttons():
    explorer = CapacityExplorer(seed=0, train_iterations=40)
    explorer.step_button.click()
    assert explorer.last_error is None
    assert explorer.iteration == 40 + explorer.draw_every
    assert f"iteration {explorer.iteration}" in explorer.counter.value
    assert explorer.train_line.get_xdata()[-1] == explorer.iteration
    explorer.reset_button.click()
    assert explorer.iteration == 0 and len(explorer.history["train"]) == 1
    assert "iteration 0" in explorer.counter.value
    assert explorer.history["train"][0] == pytest.approx(math.log(3), abs=0.6)  # untrained: near chance


def test_capacity_play_runs_to_its_budget_then_pause_is_harmless():
    explorer = CapacityExplorer(seed=0, train_iterations=20, play_iterations=100)
    explorer.play_button.click()
    explorer.wait()
    assert explorer.last_error is None
    assert explorer.iteration == 120
    assert explorer.train_line.get_xdata()[-1] == 120
    assert "iteration 120" in explorer.counter.value
    explorer.pause_button.click()
    assert explorer.iteration == 120 and not explorer.running


def test_capacity_pause_stops_play_and_a_slider_move_restarts_from_the_budget():
    explorer = CapacityExplorer(seed=0, train_iterations=20, play_iterations=200000)
    explorer.play_button.click()
    assert explorer.running
    explorer.pause_button.click()
    assert not explorer.running and explorer.last_error is None
    assert 20 <= explorer.iteration < 200020
    explorer.play_button.click()
    explorer.reg.value = 1e-2  # a slider move during Play stops it and retrains the budget
    explorer.wait()
    assert not explorer.running
    assert explorer.iteration == 20 and explorer.last_error is None


def test_capacity_fuzz():
    explorer = CapacityExplorer(seed=0, train_iterations=20)
    fuzz(explorer, 25)
    explorer.step_button.click()
    assert explorer.last_error is None


# ---- sanity checks ---------------------------------------------------------------------------------
def initial_loss_by_hand(explorer):
    """The mean initial loss over the explorer's seeds at its controls, from nets built here with the reg
    (net.loss adds the penalty): an independent check of the explorer's data + reg x penalty curves."""
    D, reg = explorer.X.shape[1], reg_value(explorer.reg)
    return np.mean([core.FullyConnectedNet(D, [explorer.hidden_size], explorer.num_classes,
                                           init_scale=explorer.init_scale.value, reg=reg, rng=s)
                    .loss(explorer.X, explorer.y)[0] for s in explorer.seeds])


def test_initial_loss_is_ln10_and_reg_raises_it(digits):
    explorer = InitialLossExplorer(digits, num_seeds=3)
    explorer.apply(init_scale=1e-2, reg=1e-6)  # leftmost reg = 0
    assert reg_value(explorer.reg) == 0.0
    y = explorer.scale_marker.get_ydata()[0]
    assert abs(y - LN10) < 0.02
    assert initial_loss_by_hand(explorer) == pytest.approx(y, rel=1e-5)
    assert "within 0.02: True" in explorer.note.get_text()
    explorer.reg.value = 4.0
    raised = explorer.scale_marker.get_ydata()[0]
    assert raised > y + 0.5
    assert initial_loss_by_hand(explorer) == pytest.approx(raised, rel=1e-5)
    assert "penalty adds" in explorer.message
    assert np.all(np.diff(explorer.reg_mean.get_ydata()) >= 0)  # more reg, more loss


def test_initial_loss_large_init_is_far_from_ln10(digits):
    explorer = InitialLossExplorer(digits, num_seeds=2)
    explorer.preset.value = "too large init (1.0): loss far from ln(10)"
    assert explorer.scale_marker.get_ydata()[0] > 10
    assert "within 0.02: False" in explorer.note.get_text()


def test_initial_loss_fuzz(digits):
    fuzz(InitialLossExplorer(digits, num_seeds=2, num_examples=200), 20)


def test_overfit_twenty_examples(digits):
    explorer = OverfitExplorer(digits)
    explorer.preset.value = "the slide: 20 examples, reg 0"
    assert explorer.reached_at is not None and explorer.reached_at < 200
    assert "train accuracy 1.00 reached at epoch" in explorer.message
    assert explorer.acc_line.get_ydata()[-1] == 1.0
    assert explorer.cost_line.get_ydata()[-1] < 0.01
    explorer.reg.value = 1.0
    assert explorer.reached_at is None and "not reached" in explorer.message


def test_overfit_fuzz(digits):
    fuzz(OverfitExplorer(digits, num_epochs=30), 15)


# ---- learning rate -----------------------------------------------------------------------------------
def test_learning_rate_presets(digits):
    explorer = LearningRateExplorer(digits)
    cases, labels = explorer.lecture, explorer.labels
    assert explorer.preset.value == labels["too_low"] == explorer.start_case  # opens on the first case
    assert labels["too_low"] == "too low (3e-3; the slide's 1e-6): loss barely changing"  # measured: 3e-3
    cost = explorer.cost_line.get_ydata()
    train = explorer.train_line.get_ydata()
    assert np.ptp(cost) < 0.02 and train[-1] > train[0] + 0.05  # flat loss, accuracy creeping up
    explorer.preset.value = labels["huge"]
    assert explorer.learning_rate.value == cases.huge == 1e6 and labels["huge"] == "too high (1e6): cost NaN"
    assert np.isnan(explorer.cost_line.get_ydata()).any()
    assert "NaN" in explorer.verdict.get_text() and "NaN" in explorer.message
    explorer.preset.value = labels["huge_rule"]
    assert explorer.message.startswith("diverged at iteration 2:")
    explorer.preset.value = labels["slightly_too_high"]
    assert explorer.learning_rate.value == cases.slightly_too_high == 2.7  # lecture_cases on digits
    assert explorer.result.diverged and explorer.result.diverged_at > explorer.result.iterations_per_epoch
    assert min(explorer.result.loss_history) < 0.6 * explorer.result.original_cost
    assert "diverged at iteration" in explorer.verdict.get_text()
    plain = explorer.result
    explorer.preset.value = labels["slightly_too_high_decay"]
    assert explorer.learning_rate_decay.value == 0.9
    assert "2.7 x 0.9 per epoch -> 1 in epoch 10" in explorer.ax_cost.get_title()
    assert explorer.result.lr_history[:2] == pytest.approx([2.7, 2.7 * 0.9][:len(explorer.result.lr_history)])
    assert explorer.result.diverged_at is None or explorer.result.diverged_at >= plain.diverged_at  # later if at all
    explorer.preset.value = labels["about_right"]
    assert labels["about_right"] == "about right (0.5)"
    assert explorer.val_line.get_ydata()[-1] > 0.9 and explorer.verdict.get_text() == ""


def test_learning_rate_cases_follow_the_data():
    """Unstandardized digits (pixels 0..16): the cases move with the cliff, and each still shows its phenomenon."""
    raw = core.preprocess.preprocess(core.data.load_dataset("digits_raw", rng=0), "center")
    explorer = LearningRateExplorer(raw)
    cases, labels = explorer.lecture, explorer.labels
    assert cases.slightly_too_high < 1 and f"({rate_label(cases.slightly_too_high)})" in labels["slightly_too_high"]
    explorer.choose_case(labels["too_low"])
    assert np.ptp(explorer.cost_line.get_ydata()) < 0.05 and explorer.result.train_acc_history[-1] > 0.2
    explorer.choose_case(labels["slightly_too_high"])
    assert explorer.result.diverged and explorer.result.diverged_at > explorer.result.iterations_per_epoch
    explorer.choose_case(labels["about_right"])
    assert not explorer.result.diverged and explorer.val_line.get_ydata()[-1] > 0.9
    assert [rate_label(r) for r in (3e-3, 1e6, 2.7, 0.5, 1e-7, 0.01)] == ["3e-3", "1e6", "2.7", "0.5", "1e-7", "0.01"]


def test_learning_rate_fuzz(digits):
    fuzz(LearningRateExplorer(digits, num_train=300), 20)
