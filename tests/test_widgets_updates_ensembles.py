"""Headless tests of the update-rule, schedule and ensemble explorers: set controls, read the artists."""
import warnings

import numpy as np
import pytest

import core
from core import schedules
from core.demos import surfaces
from core.demos.lecture_cases import learning_rate_cliff
from widgets.ensembles import EnsembleExplorer
from widgets.updates import RULES, ScheduleExplorer, UpdateRaceExplorer, UpdateRulesDigitsExplorer


@pytest.fixture(scope="module")
def data():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")


def fuzz(explorer, controls, num_trials, seed=0):
    """Random values for the controls (each one's min and max included); no error and no warning."""
    rng = np.random.default_rng(seed)
    values = []
    for name in controls:
        c = getattr(explorer, name)
        if hasattr(c, "options"):
            values += [(name, v) for v in ([o[1] if isinstance(o, tuple) else o for o in c.options])]
        else:
            values += [(name, c.min), (name, c.max)]
    for _ in range(num_trials):
        name = controls[rng.integers(len(controls))]
        c = getattr(explorer, name)
        if hasattr(c, "options"):
            options = [o[1] if isinstance(o, tuple) else o for o in c.options]
            values.append((name, options[rng.integers(len(options))]))
        elif hasattr(c, "base"):  # log slider: min/max are exponents
            values.append((name, float(10 ** rng.uniform(c.min, c.max))))
        elif isinstance(c.value, int):
            values.append((name, int(rng.integers(c.min, c.max + 1))))
        else:
            values.append((name, float(rng.uniform(c.min, c.max))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, value in values:
            c = getattr(explorer, name)
            if hasattr(c, "base") and value in (c.min, c.max):
                value = 10.0 ** value
            c.value = value
            explorer.wait()
            assert explorer.last_error is None, (name, value, explorer.last_error)


# ---- the race on 2-D surfaces -----------------------------------------------------------------
def test_race_draws_one_path_per_rule_from_the_start():
    e = UpdateRaceExplorer()
    assert e.last_error is None
    for rule in RULES:
        x, y = e.paths[rule].get_data()
        assert len(x) == e.num_steps.value + 1 and (x[0], y[0]) == (-9.0, 2.0)
        assert len(e.loss_lines[rule].get_ydata()) == e.num_steps.value + 1
    assert "after 100 steps" in e.message


def test_race_paths_are_core_descend_paths():
    e = UpdateRaceExplorer()
    e.apply(learning_rate=0.2, momentum=0.5, num_steps=30)
    expected = surfaces.descend("narrow valley", "nesterov", (-9.0, 2.0), 30, 0.2, {"momentum": 0.5})["path"]
    assert np.allclose(np.column_stack(e.paths["nesterov"].get_data()), expected)
    adam = surfaces.descend("narrow valley", "adam", (-9.0, 2.0), 30, e.adaptive_learning_rate.value)["path"]
    assert np.allclose(np.column_stack(e.paths["adam"].get_data()), adam)


def test_race_momentum_ends_lower_than_sgd_on_the_valley():
    e = UpdateRaceExplorer()
    sgd, momentum = e.loss_lines["sgd"].get_ydata()[-1], e.loss_lines["momentum"].get_ydata()[-1]
    assert momentum < 0.01 * sgd


def test_race_surface_change_redraws_contours_and_moves_start_sliders():
    e = UpdateRaceExplorer()
    first = e.contour
    e.surface.value = "rosenbrock"
    assert e.contour is not first and e.drawn_surface == "rosenbrock"
    assert (e.start_x.min, e.start_x.max, e.start_y.min, e.start_y.max) == surfaces.get_surface("rosenbrock").extent
    assert (e.start_x.value, e.start_y.value) == (-1.5, 2.5) and e.learning_rate.value == pytest.approx(1e-3)
    assert e.ax_path.get_xlim() == (-2.0, 2.0)
    contour = e.contour
    e.num_steps.value = 50  # other controls keep the contours
    assert e.contour is contour


def test_race_presets_set_surface_and_start_together():
    e = UpdateRaceExplorer()
    e.preset.value = "saddle: SGD stalls at the saddle point, adaptive rules escape"
    assert e.surface.value == "saddle" and e.start_y.value == pytest.approx(0.01)
    final = {rule: e.loss_lines[rule].get_ydata()[-1] for rule in RULES}
    assert final["sgd"] > 0.1 and final["adam"] < 1e-3 and final["rmsprop"] < 1e-3


def test_race_divergence_is_labelled():
    e = UpdateRaceExplorer()
    e.learning_rate.value = 10.0
    assert e.last_error is None
    assert "diverged" in e.message and "diverged" in e.diverged_text.get_text()


def test_race_fuzz():
    e = UpdateRaceExplorer()
    fuzz(e, ["surface", "learning_rate", "adaptive_learning_rate", "momentum", "num_steps", "start_x", "start_y"], 20)


# ---- the rules on digits --------------------------------------------------------------------------
def test_digits_rules_plot_their_cost_and_momentum_beats_sgd(data):
    e = UpdateRulesDigitsExplorer(data, background=False)
    assert e.last_error is None
    for rule in RULES:
        assert len(e.cost_lines[rule].get_ydata()) == 100 and len(e.acc_lines[rule].get_ydata()) == 10
    assert e.final_costs["momentum"] < 0.5 * e.final_costs["sgd"]
    e.num_epochs.value = 2
    assert len(e.cost_lines["adam"].get_ydata()) == 20


def test_digits_rules_multiplier_scales_every_learning_rate(data):
    e = UpdateRulesDigitsExplorer(data, background=False)
    e.apply(lr_multiplier=100.0, num_epochs=2)
    assert e.learning_rates()["adam"] == pytest.approx(0.3) and e.learning_rates()["sgd"] == pytest.approx(10.0)
    assert "diverged" in e.message


def test_digits_rules_background_streams_and_finishes(data):
    e = UpdateRulesDigitsExplorer(data, background=True)
    e.num_epochs.value = 3
    e.wait()
    assert e.last_error is None and set(e.results) == set(RULES)
    assert len(e.cost_lines["nesterov"].get_ydata()) == 30 and e.message.startswith("cost over the last epoch")


def test_digits_rules_fuzz(data):
    e = UpdateRulesDigitsExplorer(data, num_train=200, background=False)
    fuzz(e, ["lr_multiplier", "num_epochs"], 6)


# ---- schedules ---------------------------------------------------------------------------------------
def test_schedules_are_drawn_from_core(data):
    e = ScheduleExplorer(data, num_train=200, background=False)
    e.apply(learning_rate=0.1, num_epochs=12, every=4, k=0.2, decay=0.9)
    for name in schedules.SCHEDULES:
        assert np.allclose(e.lr_lines[name].get_ydata()[:12], e.schedule_values(name))
    assert np.allclose(e.lr_lines["decay"].get_ydata()[:12], 0.1 * 0.9 ** np.arange(12))
    assert np.allclose(e.lr_lines["step"].get_ydata()[:12], 0.1 * 0.5 ** (np.arange(12) // 4))
    assert e.results["1/t"].lr_history == pytest.approx(list(0.1 / (1 + 0.2 * np.arange(12))))
    assert len(e.cost_lines["constant"].get_ydata()) == 12


def test_decaying_schedules_end_lower_than_constant(data):
    e = ScheduleExplorer(data, background=False)  # lr 0.2, reg 0.01, 20 epochs
    constant = e.final["constant"][0]
    assert all(e.final[name][0] < constant for name in ("step", "exponential", "1/t", "decay"))


def test_schedule_accuracy_label_stays_clear_of_the_cost_panel(data):
    """Hall: at lr 0.18 the accuracy ticks went in steps of 0.025 (0.775, 0.800, ...), wide enough to push the
    panel's y-label onto the cost panel's right spine in the frozen layout."""
    e = ScheduleExplorer(data, background=False)
    e.learning_rate.value = 0.18
    e.png()
    label = e.ax_acc.yaxis.label.get_window_extent(e.fig.canvas.get_renderer())
    assert label.x0 > e.ax_cost.bbox.x1 + 2, (label.x0, e.ax_cost.bbox.x1, e.ax_acc.get_yticks())


def test_schedule_background_run_can_be_replaced(data):
    e = ScheduleExplorer(data, num_train=300, background=True)
    e.num_epochs.value = 4  # stops the first run, starts a new one
    e.wait()
    assert e.last_error is None and len(e.results) == len(schedules.SCHEDULES)
    assert all(len(r.val_acc_history) == 4 for r in e.results.values())


def test_schedule_fuzz(data):
    e = ScheduleExplorer(data, num_train=100, background=False)
    fuzz(e, ["learning_rate", "num_epochs", "every", "k", "decay"], 6)


@pytest.fixture(scope="module")
def digits_raw():
    raw = core.data.load_dataset("digits_raw", rng=0)
    return core.preprocess.preprocess(raw, core.data.PREPROCESSING["digits_raw"])


def test_race_opens_on_the_case_of_its_surface_and_a_surface_change_refreshes_once():
    assert UpdateRaceExplorer().preset.value.startswith("narrow valley: SGD crawls")
    e = UpdateRaceExplorer("saddle")
    assert e.preset.value.startswith("saddle:") and (e.start_x.value, e.start_y.value) == (-1.8, 0.01)
    before = e.refresh_count
    e.surface.value = "narrow valley"
    assert e.refresh_count == before + 1 and e.preset.value.startswith("narrow valley: SGD crawls")
    with pytest.raises(ValueError, match="surface"):
        UpdateRaceExplorer("bowl")


def test_digits_rules_rates_come_from_each_rules_cliff_or_are_given(data, digits_raw):
    e = UpdateRulesDigitsExplorer(data)  # the notebook's net and training: digits keeps its rates
    e.stop()
    assert e.rates == pytest.approx({"sgd": 0.1, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.03,
                                     "rmsprop": 3e-3, "adam": 3e-3})
    raw = UpdateRulesDigitsExplorer(digits_raw, background=True)
    sgd_cliff = learning_rate_cliff(digits_raw, {"update": "sgd"}).cliff
    assert raw.rates["momentum"] == raw.rates["sgd"] < sgd_cliff / 10 and raw.rates["sgd"] < 0.1
    raw.wait()
    assert raw.last_error is None and raw.final_costs["momentum"] < 0.5 * raw.final_costs["sgd"]
    given = UpdateRulesDigitsExplorer(data, background=False, num_train=200,
                                      learning_rates={"adam": 1e-2, "sgd": 0.2})
    assert given.rates["adam"] == 1e-2 and given.rates["sgd"] == 0.2
    with pytest.raises(ValueError, match="adamw"):
        UpdateRulesDigitsExplorer(data, learning_rates={"adamw": 1e-3})
    with pytest.raises(ValueError, match="learning_rates"):
        UpdateRulesDigitsExplorer(data, learning_rates={"adam": -1.0})


def test_digits_rules_stop_keeps_finished_rules_and_the_next_change_trains_the_rest(data):
    e = UpdateRulesDigitsExplorer(data, num_train=500, background=True)
    while len(e.runs) < 2 and e.running:  # two runs finished and kept (drawn: at least the first)
        e.wait(0.01)
    e.stop()
    e.wait()
    kept = dict(e.results)
    assert e.stopped and 0 < len(kept) < len(RULES) and "Stopped" in e.message
    e.choose_case(e.current_case())  # the same settings: carries on
    e.wait()
    assert set(e.results) == set(RULES) and all(e.results[rule] is run for rule, run in kept.items())


def test_schedule_cases_follow_the_data_or_the_rates_given(data, digits_raw):
    e = ScheduleExplorer(data)  # the notebook's net and training: digits keeps its rates
    e.stop()
    assert list(e.presets)[:2] == ["lr 0.2, reg 0.01: do the decaying schedules end below constant?",
                                   "lr 0.02: too low to start with, decay only slows it more"]
    assert e.preset.value == list(e.presets)[0]
    raw = ScheduleExplorer(digits_raw, num_train=200, background=False)
    assert raw.learning_rate.value == learning_rate_cliff(digits_raw, {
        "update": "momentum", "batch_size": 50, "num_epochs": 20, "reg": 1e-2, "num_train": 200}).rate(0.44) < 0.2
    given = ScheduleExplorer(data, num_train=200, background=False, learning_rate=0.1, too_low=0.01)
    assert given.learning_rate.value == 0.1 and "lr 0.01: too low" in list(given.presets)[1]


# ---- ensembles ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ensemble_explorer(data):
    return EnsembleExplorer(data, max_models=5, background=False, num_epochs=4)


def test_ensemble_draws_members_and_the_ensemble_curve(ensemble_explorer):
    e = ensemble_explorer
    e.apply(kind="seeds", num_models=5)
    members = e.cache["seeds"]
    accs = core.demos.ensemble.member_accuracies(members["val_probs"], e.data["y_val"])
    assert np.allclose(e.member_dots.get_ydata(), accs)
    assert np.allclose(
        e.ensemble_line.get_ydata(), core.demos.ensemble.accuracy_by_size(members["val_probs"], e.data["y_val"])
    )
    assert e.ensemble_line.get_ydata()[0] == pytest.approx(accs[0])  # one model: the ensemble is the member
    assert "ensemble of 5" in e.message


def test_ensemble_slider_selects_without_retraining(ensemble_explorer):
    e = ensemble_explorer
    e.kind.value = "seeds"
    kept = [e.kept[key] for key in e.jobs("seeds").values()]
    e.num_models.value = 2
    assert all(e.kept[key] is member for key, member in zip(e.jobs("seeds").values(), kept))  # not retrained
    assert e.bars[2].get_height() == pytest.approx(e.ensemble_line.get_ydata()[1])
    assert e.bars[0].get_height() == pytest.approx(e.member_dots.get_ydata()[:2].mean())
    assert e.chosen.get_xdata()[0] == 2


def test_ensemble_kinds_are_trained_once_each(ensemble_explorer):
    e = ensemble_explorer
    for kind in ("checkpoints", "hyperparameters", "seeds"):
        e.kind.value = kind
        assert kind in e.cache and e.last_error is None
    cached = e.kept[("checkpoints",)]
    e.kind.value = "checkpoints"
    assert e.kept[("checkpoints",)] is cached


def test_ensemble_background_training_shows_progress_then_caches(data):
    e = EnsembleExplorer(data, max_models=3, num_epochs=2)
    e.wait()
    assert e.last_error is None and "seeds" in e.cache and len(e.member_dots.get_ydata()) == 3
    e.kind.value = "hyperparameters"
    e.kind.value = "checkpoints"  # replaces the run that just started
    e.wait()
    assert "checkpoints" in e.cache and "hyperparameters" not in e.cache


def test_ensemble_after_stop_trains_only_the_missing_members(data):
    e = EnsembleExplorer(data, max_models=6, num_epochs=3)
    keys = list(e.jobs("seeds").values())
    while len(e.kept) < 2 and e.running:
        e.wait(0.005)
    e.stop()
    e.wait()
    before = {key: e.kept[key] for key in keys if key in e.kept}
    assert e.stopped and 2 <= len(before) < 6 and "trained so far" in e.message
    e.num_models.value = 3  # carries on
    e.wait()
    assert all(e.kept[key] is member for key, member in before.items())  # not trained again
    assert "so far" not in e.message and e.cache["seeds"]["val_probs"].shape[0] == 6


def test_ensemble_rejects_unknown_training_arguments(data):
    with pytest.raises(ValueError, match="train_kwargs .* got \\['epochs'\\]"):
        EnsembleExplorer(data, max_models=2, background=False, epochs=3)  # num_epochs is meant


def test_ensemble_fuzz(ensemble_explorer):
    fuzz(ensemble_explorer, ["kind", "num_models"], 30)
