"""Exercises: every check passes the reference and other right implementations, on the visible and
on the hidden inputs; reports unimplemented code and other errors without raising; rejects every
wrong implementation of the catalogue (exercises/wrong_implementations.py) with the words it must
say; the solution notebooks store passing outputs; the plugs and explorers run the student's
functions headlessly. The nbgrader pipeline itself is in test_nbgrader.py."""
import pathlib
import re
import warnings

import nbformat
import numpy as np
import pytest

import core
from core import dropout, init, layers, optim
from exercises import feedback
from exercises.explorers import (
    DropoutExplorer,
    InitExplorer,
    LogSamplingExplorer,
    OverfitExplorer,
    StudentLayersExplorer,
    UpdatePathExplorer,
    update_path,
)
from exercises.plug import StudentNet, register_update_rule, update_rule_registered
from exercises.wrong_implementations import CATALOGUE, NOTEBOOKS, RIGHT

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks" / "exercises" / "source" / "training_nets"


@pytest.fixture(scope="module")
def data():
    return core.preprocess.preprocess(core.data.load_digits(rng=0), "standardize")

# ---- reference implementations ------------------------------------------------------------------
def ref_xavier(fan_in, fan_out, rng):
    return init.xavier_normal(fan_in, fan_out, rng)


def ref_he(fan_in, fan_out, rng):
    return init.he_normal(fan_in, fan_out, rng)


def ref_dropout(x, p_keep, mode, rng):
    return dropout.dropout_forward(x, p_keep, mode, rng)[0]


def ref_log_uniform(low, high, size, rng):
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), size)


def ref_overfit(net, X_train, y_train, train, num_examples=20):
    X, y = X_train[:num_examples], y_train[:num_examples]
    return train(net, X, y, X, y, num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3)


def run(name, *functions, data=None, seed=0):
    """Run the check called check_<name> on functions (the check's other inputs filled in)."""
    check = getattr(feedback, f"check_{name}")
    if name == "overfit_tiny_subset":
        return check(*functions, data, seed=seed)
    return check(*functions, seed=seed)


# what each check is handed: the functions under test, with the reference for helpers
REFERENCE = {
    "affine_forward": lambda f=layers.affine_forward: (f,),
    "affine_backward": lambda f=layers.affine_backward: (layers.affine_forward, f),
    "relu_forward": lambda f=layers.relu_forward: (f,),
    "relu_backward": lambda f=layers.relu_backward: (layers.relu_forward, f),
    "softmax_loss": lambda f=layers.softmax_loss: (f,),
    "xavier_init": lambda f=ref_xavier: (f,),
    "he_init": lambda f=ref_he: (f,),
    "inverted_dropout": lambda f=ref_dropout: (f,),
    "momentum": lambda f=optim.momentum: (f,),
    "nesterov": lambda f=optim.nesterov: (f,),
    "adam": lambda f=optim.adam: (f,),
    "log_uniform": lambda f=ref_log_uniform: (f,),
    "overfit_tiny_subset": lambda f=ref_overfit: (f,),
}


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["visible", "hidden", "other"])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, seed, data, capsys):
    result = run(name, *REFERENCE[name](), data=data, seed=seed)
    assert result.passed and bool(result), result.message
    assert capsys.readouterr().out.startswith(f"PASS {name}: ")


def not_implemented(*args, **kwargs):
    raise NotImplementedError


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_not_implemented_reports_and_does_not_raise(name, data, capsys):
    result = run(name, *REFERENCE[name](not_implemented), data=data)
    assert result.status == "not implemented" and not result
    assert result.message == "not implemented yet"
    assert capsys.readouterr().out.strip() == f"NOT YET {name}: not implemented yet"


@pytest.mark.parametrize("name", ["affine_backward", "relu_backward"])
def test_backward_check_says_the_forward_is_missing(name, capsys):
    forward = {"affine_backward": layers.affine_backward, "relu_backward": layers.relu_backward}[name]
    result = getattr(feedback, f"check_{name}")(not_implemented, forward)
    assert result.status == "not implemented"
    assert "_forward is not implemented yet" in result.message


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_other_exceptions_are_failures_with_the_error(name, data):
    def broken(*args, **kwargs):
        raise KeyError("velocity")
    result = run(name, *REFERENCE[name](broken), data=data)
    assert result.status == "fail"
    assert "raised KeyError: 'velocity'" in result.message


# ---- the catalogue of wrong implementations, and other right ones ----------------------------------
HELPERS = {"affine_backward": layers.affine_forward, "relu_backward": layers.relu_forward}


def defined(source, name):
    """The function `name` defined by a cell's source (run as the notebook would, with np imported)."""
    namespace = {"np": np}
    exec(compile(source, f"<{name}>", "exec"), namespace)
    return namespace[name]


def handed(name, fn):
    """What the notebook's test cell hands the check: the function, after a helper it needs."""
    return (HELPERS[name], fn) if name in HELPERS else (fn,)


@pytest.mark.parametrize("entry", CATALOGUE, ids=[f"{e.function}-{i}-{e.family}" for i, e in enumerate(CATALOGUE)])
def test_wrong_implementation_fails_with_its_message(entry, data, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        before = {k: np.copy(v) for k, v in data.items()}
        result = run(entry.function, *handed(entry.function, defined(entry.source, entry.function)), data=data)
    assert result.status == "fail" and not result, entry.source
    for words in entry.expect:
        assert words in result.message, (words, result.message)
    assert capsys.readouterr().out.startswith(f"FAIL {entry.function}: ")
    assert all(np.array_equal(before[k], data[k]) for k in data)  # the check handed out copies


RIGHT_CASES = [(name, source) for name, sources in RIGHT.items() for source in sources]


@pytest.mark.parametrize("name, source", RIGHT_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RIGHT_CASES)])
def test_other_right_implementations_pass(name, source, data):
    for seed in (0, 1):
        result = run(name, *handed(name, defined(source, name)), data=data, seed=seed)
        assert result.passed, result.message


def test_every_checked_function_has_wrong_and_right_versions():
    functions = {f for fs in NOTEBOOKS.values() for f in fs}
    assert functions == set(REFERENCE) == set(RIGHT)
    assert {e.function for e in CATALOGUE} == functions
    for entry in CATALOGUE:
        assert f"def {entry.function}(" in entry.source, entry


def test_check_result_line_and_repr():
    result = feedback.CheckResult("momentum", "fail", "goes uphill")
    assert str(result) == "FAIL momentum: goes uphill" and not result
    assert repr(result) == "CheckResult('momentum', 'fail')"


def test_check_called_wrongly_reports_instead_of_raising():
    result = feedback.check_affine_backward(layers.affine_backward)
    assert result.status == "fail" and "the check could not run: TypeError" in result.message


def test_smallest_failing_input_shows_expected_and_actual_values():
    result = feedback.check_affine_forward(lambda x, w, b: (x @ w + 2 * b, (x, w)))
    assert "on x = [[1.]], w = [[2.]], b = [3.]: expected out = [[5.]], got out = [[8.]]" in result.message
    result = feedback.check_momentum(lambda w, dw, config: (w - 0.1 * dw * (1 + len(config)), config))
    assert "on w = [1.] with dw = [1.] at every step" in result.message and "should give next_w" in result.message


# ---- plugs into core ------------------------------------------------------------------------------
LAYERS = dict(affine_forward=layers.affine_forward, affine_backward=layers.affine_backward,
              relu_forward=layers.relu_forward, relu_backward=layers.relu_backward,
              softmax_loss=layers.softmax_loss)


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_student_net_with_core_layers_equals_core_net(reg, data):
    X, y = data["X_train"][:30], data["y_train"][:30]
    mine = StudentNet(64, [20, 15], 10, reg=reg, rng=3, **LAYERS)
    ref = core.FullyConnectedNet(64, [20, 15], 10, reg=reg, rng=3)
    loss, grads = mine.loss(X, y)
    ref_loss, ref_grads = ref.loss(X, y)
    assert loss == pytest.approx(ref_loss)
    for k in ref_grads:
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(mine.predict(X), ref.predict(X))


def test_register_update_rule_reaches_the_trainer(data):
    calls = []

    def rule(w, dw, config):
        calls.append(w.shape)
        return optim.sgd(w, dw, config)

    with update_rule_registered("student_test_rule", rule) as name:
        net = core.FullyConnectedNet(64, [10], 10, rng=0)
        core.train(net, data["X_train"][:200], data["y_train"][:200], data["X_val"], data["y_val"],
                   num_epochs=1, update=name, learning_rate=0.1)
    assert len(calls) > 4
    assert "student_test_rule" not in optim.UPDATE_RULES
    with pytest.raises(ValueError, match="name must not be one of core's update rules"):
        register_update_rule("sgd", rule)
    assert optim.UPDATE_RULES["sgd"] is optim.sgd
    with pytest.raises(ValueError, match="rule must be a function"):
        register_update_rule("student_x", 3)


# ---- the solution notebooks ---------------------------------------------------------------------
SOLUTION_NOTEBOOKS = sorted(SOURCE.glob("[0-9]*.ipynb"))


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=[p.name for p in SOLUTION_NOTEBOOKS])
def test_committed_solution_notebook_passes_every_check(solution):
    """nbval compares outputs with the stored ones, so the stored ones must be the passing ones."""
    nb = nbformat.read(solution, as_version=4)
    text = "".join(out.get("text", "") for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", []))
    names = NOTEBOOKS[solution.stem]
    for name in names:
        assert text.count(f"PASS {name}: ") == 2, f"{solution.name}: run it again; {name}: visible and hidden PASS"
    assert not re.search(r"^(FAIL|NOT YET) |^skipped", text, flags=re.MULTILINE)
    assert not any(out.output_type == "error" or out.get("name") == "stderr"
                   for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", []))
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"= check_\w+\(", cell.source):
            assert cell.source.startswith("# NBVAL_CHECK_OUTPUT"), cell.source  # nbval compares its verdict
            assert "raises-exception" in cell.metadata.get("tags", [])


# ---- explorers ------------------------------------------------------------------------------------
def _ref_rules():
    return {"your momentum": optim.momentum, "your nesterov": optim.nesterov, "your adam": optim.adam}


def explorer_factories(data, broken=False):
    """{name: make()} for each exercise explorer, with the reference functions (or stubs when broken)."""
    f = (lambda *a, **k: not_implemented()) if broken else None
    return {
        "layers": lambda: StudentLayersExplorer(data, **(dict.fromkeys(LAYERS, f) if broken else LAYERS)),
        "overfit": lambda: OverfitExplorer(f or ref_overfit, data),
        "sampling": lambda: LogSamplingExplorer(f or ref_log_uniform),
        "init": lambda: InitExplorer(f or ref_xavier, f or ref_he),
        "dropout": lambda: DropoutExplorer(f or ref_dropout),
        "update": lambda: UpdatePathExplorer(dict.fromkeys(_ref_rules(), f) if broken else _ref_rules()),
    }


def test_explorers_say_not_implemented_yet(data):
    for name, make in explorer_factories(data, broken=True).items():
        explorer = make()
        assert explorer.last_error is None, name
        assert "not implemented yet" in explorer.message, name


def test_layers_explorer_trains_the_students_net(data):
    explorer = StudentLayersExplorer(data, **LAYERS)
    explorer.learning_rate.value = 1e-6
    cost = explorer.cost_line.get_ydata()
    assert abs(cost[0] - np.log(10)) < 0.05 and abs(cost[-1] - cost[0]) < 0.01
    explorer.learning_rate.value = 1e6
    assert "diverged" in explorer.message
    explorer.learning_rate.value = 0.5
    assert explorer.val_line.get_ydata()[-1] > 0.9


def test_overfit_explorer(data):
    explorer = OverfitExplorer(ref_overfit, data)
    assert explorer.acc_line.get_ydata()[-1] == 1.0
    assert "20 examples: train accuracy reached 1.00 at epoch" in explorer.message
    explorer.num_examples.value = 200
    assert "200 examples" in explorer.message and explorer.cost_line.get_ydata().size == 200


def test_sampling_explorer(data):
    explorer = LogSamplingExplorer(ref_log_uniform)
    mine = explorer.bars_log.get_data().values
    linear = explorer.bars_linear.get_data().values
    assert mine.sum() == pytest.approx(1.0) and linear.sum() == pytest.approx(1.0)
    assert linear[explorer.edges[:-1] == -4][0] > 0.8  # the decade [1e-4, 1e-3]
    assert mine[(explorer.edges[:-1] >= -6) & (explorer.edges[:-1] < -3)].min() > 0.2
    explorer.apply(low_exponent=-2, high_exponent=-3)
    assert "must be below" in explorer.message and explorer.last_error is None


def test_init_explorer_shows_collapse_and_steady(data):
    explorer = InitExplorer(ref_xavier, ref_he)
    explorer.apply(init="std 0.01", activation="tanh")
    assert explorer.std_line.get_ydata()[-1] < 1e-6
    explorer.apply(init="your he_init", activation="relu")
    stds = explorer.std_line.get_ydata()
    assert 0.5 < stds[-1] / stds[0] < 2
    explorer.apply(init="std 1", activation="tanh")
    assert _saturated_fraction(explorer, 10) > 0.7 and explorer.std_line.get_ydata()[-1] > 0.9  # at -1 and 1
    explorer.apply(init="your xavier_init", activation="tanh")
    assert _saturated_fraction(explorer, 10) < 0.05


def test_dropout_explorer_means_match_test_time():
    explorer = DropoutExplorer(ref_dropout)
    for p_keep in (0.2, 0.5, 1.0):
        explorer.p_keep.value = p_keep
        train, test = explorer.train_line.get_ydata(), explorer.test_line.get_ydata()
        assert abs(train.sum() / test.sum() - 1) < 0.05
        np.testing.assert_allclose(explorer.vanilla_line.get_ydata(), p_keep * explorer.x)
    assert "mean train output / test output = 1.00" in explorer.message
    low, high = explorer.ax.get_xlim()  # every unit is on the picture (the lines start blank: no autoscale)
    assert low < 0 and high > explorer.x.size - 1


def test_update_explorer_momentum_beats_sgd():
    explorer = UpdatePathExplorer(_ref_rules())
    explorer.apply(rule="your momentum", learning_rate=0.02, num_steps=100)
    assert explorer.loss_line.get_ydata()[-1] < explorer.sgd_loss.get_ydata()[-1] / 10
    explorer.learning_rate.value = 1.0
    assert explorer.last_error is None and explorer.sgd_loss.get_ydata()[-1] == 1e4  # sgd diverged, drawn clipped
    path, losses = update_path(optim.sgd, 0.2, 50)
    assert losses[-1] > losses[0]  # sgd bounces out of the steep direction: lr x 20 > 2


def _control_values(control, rng, count):
    if isinstance(control.value, bool):
        return [True, False]
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [options[i] for i in rng.integers(0, len(options), count)]
    if type(control).__name__ == "FloatLogSlider":
        low, high = control.min, control.max
        return [10.0 ** low, 10.0 ** high] + list(10.0 ** rng.uniform(low, high, count - 2))
    low, high = control.min, control.max
    values = [low, high] + list(rng.uniform(low, high, count - 2))
    return [int(round(v)) for v in values] if isinstance(control.value, int) else values


@pytest.mark.parametrize("name", ["layers", "overfit", "sampling", "init", "dropout", "update"])
def test_explorer_fuzz(name, data):
    rng = np.random.default_rng(0)
    explorer = explorer_factories(data)[name]()
    count = 4 if name in ("layers", "overfit") else 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for control in explorer.controls:
            attribute = next(k for k, v in vars(explorer).items() if v is control)
            for value in _control_values(control, rng, count):
                explorer.apply(**{attribute: value})
                assert explorer.last_error is None, (attribute, value, explorer.last_error)


def _saturated_fraction(explorer, layer):
    """Fraction of a layer's activations in the histogram bins beyond |0.95|."""
    edges, values = explorer.hist_edges, explorer.hists[layer].get_data().values
    return values[(edges[:-1] >= 0.95) | (edges[1:] <= -0.95)].sum()


def test_init_explorer_presets_say_what_they_show():
    explorer = InitExplorer(ref_xavier, ref_he)
    for label in explorer.presets:
        explorer.preset.value = label
        assert explorer.last_error is None, label
        stds = explorer.std_line.get_ydata()
        if "collapse" in label:
            assert stds[-1] < 1e-6
        elif "saturates" in label:
            assert _saturated_fraction(explorer, 10) > 0.7 and stds[-1] > 0.9
        elif "shrinks" in label:
            assert stds[-1] < stds[0] / 5
        else:
            assert 0.2 < stds[-1] / stds[0] < 2, label


@pytest.mark.parametrize("name, control, values", [
    ("overfit", "num_examples", [5, 50]),
    ("sampling", "num_samples", [10, 1000]),
    ("init", "init", ["std 1", "your he_init"]),
    ("dropout", "p_keep", [0.1, 0.9]),
    ("update", "learning_rate", [0.001, 0.3]),
])
def test_blitted_picture_equals_a_full_draw(name, control, values, data):
    explorer = explorer_factories(data)[name]()
    for value in values:
        explorer.apply(**{control: value})
        np.testing.assert_array_equal(explorer.pixels(), explorer.pixels(full=True))
