"""Exercises: every check passes the reference, names each classic mistake, reports unimplemented code;
the generator's student notebooks are up to date and run top to bottom; the explorers run the
student's functions headlessly."""
import pathlib
import re
import warnings

import nbformat
import numpy as np
import pytest

import core
from core import dropout, init, layers, optim
from exercises import checks, generate
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

ROOT = pathlib.Path(__file__).resolve().parent.parent


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


def run(name, *functions, data=None):
    """Run the check called check_<name> on functions (the check's other inputs filled in)."""
    check = getattr(checks, f"check_{name}")
    if name == "overfit_tiny_subset":
        return check(*functions, data)
    return check(*functions)


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


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_passes(name, data, capsys):
    result = run(name, *REFERENCE[name](), data=data)
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
    result = getattr(checks, f"check_{name}")(not_implemented, forward)
    assert result.status == "not implemented"
    assert "_forward is not implemented yet" in result.message


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_other_exceptions_are_failures_with_the_error(name, data):
    def broken(*args, **kwargs):
        raise KeyError("velocity")
    result = run(name, *REFERENCE[name](broken), data=data)
    assert result.status == "fail"
    assert "raised KeyError: 'velocity'" in result.message


# ---- the classic mistakes, one wrong implementation each -----------------------------------------
def _wrong_affine_backward(which):
    def backward(dout, cache):
        x, w = cache
        dx, dw, db = dout @ w.T, x.T @ dout, dout.sum(axis=0)
        if which == "dw_transposed":
            dw = dout.T @ x
        elif which == "db_axis":
            db = dout.sum(axis=1)
        elif which == "dw_mean":
            dw = x.T @ dout / x.shape[0]
        elif which == "db_mean":
            db = dout.mean(axis=0)
        elif which == "dx_no_transpose":
            dx = dout @ w
        return dx, dw, db
    return backward


def _relu_in_place(x):
    x[x < 0] = 0
    return x, x


def _softmax(no_shift=False, sum_loss=False, no_divide=False, no_minus_one=False, column_index=False,
             batch_norm=False):
    def loss_fn(scores, y):
        n = scores.shape[0]
        shifted = scores if no_shift else scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        probs = exp / (exp.sum() if batch_norm else exp.sum(axis=1, keepdims=True))
        picked = probs[:, y] if column_index else probs[np.arange(n), y]
        loss = -np.log(picked).sum() if sum_loss else -np.log(picked).mean()
        d = probs.copy()
        if not no_minus_one:
            d[np.arange(n), y] -= 1
        if not no_divide:
            d /= n
        return loss, d
    return loss_fn


def _dropout(no_divide=False, multiply=False, drop_probability=False, vanilla_test=False, drop_at_test=False,
             global_random=False, one_mask=False):
    def fn(x, p_keep, mode, rng):
        if mode == "test" and not drop_at_test:
            return x * p_keep if vanilla_test else x
        draw = np.random.default_rng().random if global_random else rng.random
        u = draw(x.shape[1:]) if one_mask else draw(x.shape)
        mask = (u < (1 - p_keep if drop_probability else p_keep)).astype(float)
        if not no_divide:
            mask = mask * p_keep if multiply else mask / p_keep
        return x * mask
    return fn


def _momentum_in_place(w, dw, config):
    v = config.get("momentum", 0.9) * config.get("velocity", 0) - config["learning_rate"] * dw
    config["velocity"] = v
    w += v
    return w, config


def _adam_t_from_zero(w, dw, config):
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0)
    m = b1 * config.get("m", 0) + (1 - b1) * dw
    v = b2 * config.get("v", 0) + (1 - b2) * dw * dw
    config.update(t=t + 1, m=m, v=v)
    return w - config["learning_rate"] * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + config["epsilon"]), config


def _overfit(num=None, reg=0.0, lr=0.3, ret=True, batches=False, call_core=False):
    def fn(net, X_train, y_train, train, num_examples=20):
        n = num or num_examples
        X, y = X_train[:n], y_train[:n]
        kwargs = dict(num_epochs=200, learning_rate=lr, sample_batches=batches)
        if reg is not None:
            kwargs["reg"] = reg
        result = (core.train if call_core else train)(net, X, y, X, y, **kwargs)
        return result if ret else None
    return fn


MISTAKES = [
    # name, wrong function (or the tuple handed to the check), the words the message must hold
    ("affine_forward", lambda x, w, b: (x @ w, (x, w)), "out misses the bias"),
    (
        "affine_forward",
        lambda x, w, b: (w.T @ x.T + b[:, None], (x, w)),
        "out has the wrong shape (5, 4); expected (4, 5)",
    ),
    ("affine_forward", lambda x, w, b: x @ w + b, "must return a pair (out, cache)"),
    ("affine_forward", lambda x, w, b: (x @ w - b, (x, w)), "subtracts the bias"),
    ("affine_backward", _wrong_affine_backward("dw_transposed"), "dw has the wrong shape (5, 6); expected (6, 5)"),
    ("affine_backward", _wrong_affine_backward("db_axis"), "db has the wrong shape (4,); expected (5,)"),
    ("affine_backward", _wrong_affine_backward("dw_mean"), "dw is N = 4 times too small"),
    ("affine_backward", _wrong_affine_backward("db_mean"), "db is N = 4 times too small"),
    ("affine_backward", _wrong_affine_backward("dx_no_transpose"), "raised ValueError"),
    ("relu_forward", lambda x: (np.max(x, 0), x), "use np.maximum(x, 0)"),
    ("relu_forward", _relu_in_place, "changed its input x in place"),
    ("relu_forward", lambda x: (x.copy(), x), "negative inputs come out unchanged"),
    ("relu_forward", lambda x: (np.minimum(x, 0), x), "you kept the negative part"),
    ("relu_backward", lambda dout, cache: dout, "the gradient flows through units that were off"),
    ("relu_backward", lambda dout, cache: (cache > 0).astype(float), "dx ignores dout"),
    ("relu_backward", lambda dout, cache: dout * (dout > 0), "you gated by dout > 0"),
    ("softmax_loss", _softmax(no_shift=True), "subtract each row's max before np.exp"),
    ("softmax_loss", _softmax(sum_loss=True), "loss is N = 5 times too large"),
    ("softmax_loss", _softmax(no_divide=True), "dscores is N = 5 times too large"),
    ("softmax_loss", _softmax(no_minus_one=True), "dscores misses the -1 at the correct class"),
    ("softmax_loss", _softmax(column_index=True), "probs[np.arange(N), y], not probs[:, y]"),
    ("softmax_loss", _softmax(no_shift=True, batch_norm=True), "divide by each row's sum"),
    (
        "xavier_init",
        lambda a, b, rng: rng.standard_normal((b, a)) / np.sqrt(a),
        "W has the wrong shape (300, 400); expected (400, 300)",
    ),
    ("xavier_init", lambda a, b, rng: rng.standard_normal((a, b)) / a, "1 / fan_in: divide by the square root"),
    ("xavier_init", lambda a, b, rng: rng.standard_normal((a, b)) / np.sqrt(b), "1 / sqrt(fan_out): use fan_in"),
    (
        "xavier_init",
        lambda a, b, rng: np.random.default_rng().standard_normal((a, b)) / np.sqrt(a),
        "not from np.random",
    ),
    ("xavier_init", lambda a, b, rng: rng.random((a, b)) / np.sqrt(a), "rng.random draws from [0, 1)"),
    ("xavier_init", lambda a, b, rng: rng.standard_normal((a, b)) * np.sqrt(2 / a), "He's: Xavier for tanh"),
    ("xavier_init", lambda a, b, rng: rng.standard_normal((a, b)) * np.sqrt(2 / (a + b)), "Glorot's"),
    ("he_init", lambda a, b, rng: rng.standard_normal((a, b)) / np.sqrt(a), "Xavier's: ReLU zeroes half its inputs"),
    ("he_init", lambda a, b, rng: rng.standard_normal((a, b)) * 2 / np.sqrt(a), "the 2 goes under the root"),
    ("he_init", lambda a, b, rng: rng.standard_normal((a, b)) * 2 / a, "that is the variance"),
    ("he_init", lambda a, b, rng: 0.01 * rng.standard_normal((a, b)), "the small gaussian's 0.01"),
    ("inverted_dropout", _dropout(no_divide=True), "leaves the mean at 0.80 x: did you divide by p_keep?"),
    ("inverted_dropout", _dropout(multiply=True), "you multiplied by p_keep"),
    ("inverted_dropout", _dropout(drop_probability=True), "is the probability of KEEPING a unit"),
    ("inverted_dropout", _dropout(vanilla_test=True), "at test time you scaled by p_keep: that is vanilla dropout"),
    ("inverted_dropout", _dropout(drop_at_test=True), "you dropped or changed units"),
    ("inverted_dropout", _dropout(global_random=True), "not from np.random"),
    ("inverted_dropout", _dropout(one_mask=True), "every example got the same mask"),
    ("momentum", checks._momentum_variant(use_velocity=False), "ignores the velocity from the previous step"),
    ("momentum", checks._momentum_variant(sign=1.0), "goes uphill"),
    ("momentum", checks._momentum_variant(mu=0.9), "you used momentum 0.9, not config['momentum']"),
    ("momentum", checks._momentum_variant(lr=1.0), "ignores config['learning_rate']"),
    ("momentum", _momentum_in_place, "changed the w passed in (in place"),
    ("nesterov", optim.momentum, "this is plain momentum"),
    ("nesterov", checks._nesterov_variant(use_velocity=False), "ignores the velocity from the previous step"),
    ("nesterov", checks._nesterov_variant(a=1.0), "the look-ahead correction has the wrong sign"),
    ("nesterov", checks._nesterov_variant(b=-1.0), "(1 - mu) should be (1 + mu)"),
    ("adam", checks._adam_variant(correct=False), "no bias correction"),
    ("adam", checks._adam_variant(keep_t=False), "the step count t is not kept"),
    ("adam", _adam_t_from_zero, "t must be 1 at the first step"),
    ("adam", checks._adam_variant(square=False), "must average dw**2"),
    ("adam", checks._adam_variant(swap=True), "beta1 and beta2 are swapped"),
    ("adam", checks._adam_variant(root=False), "divide by np.sqrt(v_hat) + epsilon"),
    ("log_uniform", lambda lo, hi, n, rng: rng.uniform(lo, hi, n), "lie in the top decade"),
    ("log_uniform", lambda lo, hi, n, rng: rng.uniform(np.log10(lo), np.log10(hi), n), "did you return the exponent?"),
    (
        "log_uniform",
        lambda lo, hi, n, rng: np.exp(rng.uniform(np.log10(lo), np.log10(hi), n)),
        "np.exp of a base-10 exponent",
    ),
    (
        "log_uniform",
        lambda lo, hi, n, rng: 10 ** np.random.default_rng().uniform(np.log10(lo), np.log10(hi), n),
        "not from np.random",
    ),
    (
        "log_uniform",
        lambda lo, hi, n, rng: 10 ** rng.uniform(np.log10(lo), np.log10(hi)),
        "the result has the wrong shape (); expected (3000,)",
    ),
    ("overfit_tiny_subset", _overfit(num=100), "you trained on 100 examples; take a tiny subset"),
    ("overfit_tiny_subset", _overfit(reg=None), "regularization is on (reg = 0.1)"),
    ("overfit_tiny_subset", _overfit(lr=1e-3), "not overfit yet"),
    ("overfit_tiny_subset", _overfit(ret=False), "returned None"),
    ("overfit_tiny_subset", _overfit(batches=True), "raised ValueError: batch_size"),
    ("overfit_tiny_subset", _overfit(call_core=True), "did not call the `train` function"),
]


def test_every_exercise_has_at_least_three_mistakes():
    counts = {name: sum(m[0] == name for m in MISTAKES) for name in REFERENCE}
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize("name, wrong, words", MISTAKES,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_mistake_is_named(name, wrong, words, data, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run(name, *REFERENCE[name](wrong), data=data)
    assert result.status == "fail" and not result
    assert words in result.message, result.message
    assert capsys.readouterr().out.startswith(f"FAIL {name}: ")


def test_check_result_line_and_repr():
    result = checks.CheckResult("momentum", "fail", "goes uphill")
    assert str(result) == "FAIL momentum: goes uphill" and not result
    assert repr(result) == "CheckResult('momentum', 'fail')"


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


# ---- generator -----------------------------------------------------------------------------------
def test_strip_solutions_keeps_indentation_and_drops_markers():
    source = ("def f(x):\n    \"\"\"doc\"\"\"\n    ### BEGIN SOLUTION\n    y = 2 * x\n    ### END SOLUTION\n"
              "    return y\n# NBVAL_CHECK_OUTPUT\nprint(f(1))")
    assert generate.strip_solutions(source) == ("def f(x):\n    \"\"\"doc\"\"\"\n    # YOUR CODE HERE\n"
                                                "    raise NotImplementedError\n    return y\nprint(f(1))")


@pytest.mark.parametrize("source, words", [
    ("### BEGIN SOLUTION\nx = 1", "without ### END SOLUTION"),
    ("x = 1\n### END SOLUTION", "without ### BEGIN SOLUTION"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "inside another solution region"),
])
def test_strip_solutions_rejects_unmatched_markers(source, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        generate.strip_solutions(source)


def test_solution_only_cells_and_outputs_are_dropped():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": {}}
    kept = nbformat.v4.new_code_cell("x = 1  # kept")
    kept.outputs = [nbformat.v4.new_output("stream", text="1")]
    kept.execution_count = 3
    hidden = nbformat.v4.new_markdown_cell("answer", metadata={"tags": ["solution_only"]})
    nb.cells = [kept, hidden]
    student = generate.student_version(nb)
    assert [c.source for c in student.cells] == ["x = 1  # kept"]
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None
    assert "widgets" not in student.metadata


def test_generate_command_writes_then_checks(tmp_path, capsys):
    solutions, students = tmp_path / "solutions", tmp_path
    solutions.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")])
    nbformat.write(nb, solutions / "01_demo.ipynb")
    assert generate.main(["--check"], solutions, students) == 1
    assert not (students / "01_demo.ipynb").exists()
    assert generate.main([], solutions, students) == 0
    assert "raise NotImplementedError" in (students / "01_demo.ipynb").read_text()
    assert generate.main(["--check"], solutions, students) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_called_wrongly_reports_instead_of_raising():
    result = checks.check_affine_backward(layers.affine_backward)
    assert result.status == "fail" and "the check could not run: TypeError" in result.message


SOLUTIONS = generate.pairs()


def test_there_are_solution_notebooks():
    assert len(SOLUTIONS) >= 6


@pytest.mark.parametrize("solution, student", SOLUTIONS, ids=[p[1].name for p in SOLUTIONS])
def test_committed_student_notebook_is_what_the_generator_makes(solution, student):
    assert student.exists(), f"{student} is missing: run `python -m exercises.generate`"
    assert student.read_text(encoding="utf-8") == generate.student_text(solution), (
        f"{student.name} differs from its solution notebook: run `python -m exercises.generate`")


@pytest.mark.parametrize("solution, student", SOLUTIONS, ids=[p[1].name for p in SOLUTIONS])
def test_student_notebook_has_no_solutions_and_no_outputs(solution, student):
    nb = nbformat.read(student, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in sources and "NBVAL_CHECK_OUTPUT" not in sources
    assert sources.count("raise NotImplementedError") >= 1
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("solution, student", SOLUTIONS, ids=[p[0].name for p in SOLUTIONS])
def test_committed_solution_notebook_passes_every_check(solution, student):
    """nbval compares outputs with the stored ones, so the stored ones must be the passing ones."""
    nb = nbformat.read(solution, as_version=4)
    text = "".join(out.get("text", "") for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", []))
    names = _exercise_names(solution)
    assert names
    for name in names:
        assert f"PASS {name}: " in text, f"{solution.name}: run it again; {name} has no stored PASS line"
    assert not re.search(r"^(FAIL|NOT YET) |^skipped", text, flags=re.MULTILINE)
    assert not any(out.output_type == "error" or out.get("name") == "stderr"
                   for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", []))
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"= check_\w+\(", cell.source):
            assert cell.source.startswith("# NBVAL_CHECK_OUTPUT"), cell.source  # nbval compares its verdict


def _exercise_names(solution):
    """The checks a solution notebook runs: check_<name>(...) calls in its code cells."""
    nb = nbformat.read(solution, as_version=4)
    return re.findall(r"= check_(\w+)\(", "\n".join(c.source for c in nb.cells if c.cell_type == "code"))


@pytest.mark.slow
@pytest.mark.parametrize("solution, student", SOLUTIONS, ids=[p[1].name for p in SOLUTIONS])
def test_student_notebook_runs_and_reports_not_implemented(solution, student):
    from nbclient import NotebookClient

    nb = nbformat.read(student, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(student.parent)}}).execute()
    text, errors = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors.append(f"{out.ename}: {out.evalue}")
            elif out.output_type == "stream":
                assert out.name == "stdout", out.text
                text.append(out.text)
    assert not errors
    text = "".join(text)
    names = _exercise_names(solution)
    assert names
    for name in names:
        assert f"NOT YET {name}: not implemented yet" in text
    assert not re.search(r"^(PASS|FAIL) ", text, flags=re.MULTILINE)


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
    explorer.apply(init="N(0, 0.01)", activation="tanh")
    assert explorer.std_line.get_ydata()[-1] < 1e-6
    explorer.apply(init="your he_init", activation="relu")
    stds = explorer.std_line.get_ydata()
    assert 0.5 < stds[-1] / stds[0] < 2
    explorer.apply(init="N(0, 1)", activation="tanh")
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
    ("init", "init", ["N(0, 1)", "your he_init"]),
    ("dropout", "p_keep", [0.1, 0.9]),
    ("update", "learning_rate", [0.001, 0.3]),
])
def test_blitted_picture_equals_a_full_draw(name, control, values, data):
    explorer = explorer_factories(data)[name]()
    for value in values:
        explorer.apply(**{control: value})
        np.testing.assert_array_equal(explorer.pixels(), explorer.pixels(full=True))
