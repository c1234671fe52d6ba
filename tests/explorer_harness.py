"""Drive any explorer headless, the way a person would: random control values over their full
ranges, lecture cases, buttons (Play, Run, Sweep, ...), Stop in mid-run and changes during a
background run; and watch for what must never happen (issue 15).

Layout of this file:
  1. ADAPTER: everything the fuzz knows about the explorer API (controls, presets, buttons,
     Stop and wait, shown and fully redrawn pixels). widgets/base.py is going to be rewritten;
     update this section, and only this section, when it is.
  2. EXPLORERS: every explorer of widgets/ and exercises/explorers/, built with the
     constructor arguments its notebook uses.
  3. PROBES: warnings, threads, memory.
  4. FUZZ: a seeded random walk over one explorer that records every violation of the
     properties with the state needed to replay it.

Replay a failure printed by the tests (the same seed gives the same actions):
    .venv/bin/python tests/explorer_harness.py InitializationExplorer --seed 0 --steps 40
"""
import dataclasses
import gc
import io
import os
import re
import sys
import threading
import time
import types
import warnings
import zlib

import ipywidgets as W
import numpy as np
from PIL import Image

# =================================================================================================
# 1. ADAPTER: the explorer API, in one place
# =================================================================================================


def controls(explorer):
    """{attribute name: widget} for every control the explorer lays out, in layout order.

    The name is the one Explorer.apply() and the presets use."""
    names = {id(value): name for name, value in vars(explorer).items()}
    return {names.get(id(c), f"control {i}"): c for i, c in enumerate(explorer.controls)}


def presets(explorer):
    """The labels of the "Lecture case" menu (empty when the explorer has none)."""
    return list(getattr(explorer, "presets", None) or {})


def choose_preset(explorer, label):
    """Choose a lecture case in its menu, as a person does (the menu shows the case the controls equal, so
    the case may be shown already; choose_case() then applies it again, as re-choosing it should)."""
    explorer.choose_case(label)


def current_preset(explorer):
    """The lecture case the menu shows, or None."""
    menu = getattr(explorer, "preset", None)
    return None if menu is None or not menu.index else menu.value


def buttons(explorer):
    """{attribute name: button} for the explorer's own buttons (Play, Pause, Step, Reset, Run,
    Refine, Sweep); the Stop button is stop()'s."""
    return {name: value for name, value in vars(explorer).items()
            if isinstance(value, W.Button) and value is not explorer.stop_button}


RUN_BUTTONS = ("play_button", "run_button", "sweep_button")  # buttons that start a background run


def run_buttons(explorer):
    """{attribute name: button} of the buttons that start a background run (Play, Run, Sweep)."""
    return {name: b for name, b in buttons(explorer).items() if name in RUN_BUTTONS}


def picture(explorer):
    """The PNG bytes the Image widget holds (to notice that a new picture was drawn)."""
    return explorer.image.value


def press(button):
    """Click a button: run its on_click handlers, letting an exception through (Button.click() would only
    log it; in a notebook the person sees the traceback)."""
    for handler in button._click_handlers.callbacks:
        handler(button)


def running(explorer):
    """True while a background run (training, search, sweep, Play) is going on."""
    return bool(explorer.running)


def progress(explorer):
    """The background run's progress bar as a fraction in [0, 1]."""
    bar = explorer.progress
    return float(bar.value) / float(bar.max) if bar.max else 0.0


def stop(explorer):
    """Press Stop."""
    explorer.stop_button.click()


def wait(explorer, timeout):
    """Wait for the background run to end; True if it has ended."""
    explorer.wait(timeout)
    return not running(explorer)


def error(explorer):
    """The exception the explorer caught and showed (None when the last update was fine)."""
    return explorer.last_error


def status(explorer):
    """The status line under the figure, as plain text."""
    return explorer.message


def shown_pixels(explorer):
    """What the person sees: the PNG in the explorer's Image widget, decoded to (H, W, 3) uint8."""
    return np.asarray(Image.open(io.BytesIO(explorer.image.value)).convert("RGB"))


def full_redraw_pixels(explorer):
    """An ordinary full draw of the figure in its current state, (H, W, 3) uint8.

    Every artist is drawn by matplotlib's own draw, animated ones included: this does not go
    through the explorer's blitting (explorer.png(full=True) does, and so repeats its mistakes,
    e.g. drawing the artists of hidden axes)."""
    animated = [a for a in explorer.fig.findobj() if a.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    try:
        explorer.fig.canvas.draw()
        return np.asarray(explorer.fig.canvas.buffer_rgba())[..., :3].copy()
    finally:
        for artist in animated:
            artist.set_animated(True)


# ---- control values ------------------------------------------------------------------------------
def _options(control):
    return [o[1] if isinstance(o, tuple) else o for o in control.options]


def kind_of(control):
    """What sort of control: "log", "int", "float", "int range", "float range", "choice", "bool"."""
    if isinstance(control, (W.Dropdown, W.SelectionSlider, W.ToggleButtons, W.RadioButtons, W.Select)):
        return "choice"
    if isinstance(control, (W.Checkbox, W.ToggleButton)):
        return "bool"
    if isinstance(control, W.FloatLogSlider):
        return "log"
    if isinstance(control, W.IntRangeSlider):
        return "int range"
    if isinstance(control, W.FloatRangeSlider):
        return "float range"
    if isinstance(control, (W.IntSlider, W.BoundedIntText)):
        return "int"
    if isinstance(control, (W.FloatSlider, W.BoundedFloatText)):
        return "float"
    raise TypeError(f"the fuzz does not know how to set a {type(control).__name__}")


def _on_grid(control, value):
    """A float slider's value on its step grid, as the browser sends it."""
    low, step = control.min, control.step
    if not step:
        return float(value)
    return float(min(max(round(low + round((value - low) / step) * step, 10), control.min), control.max))


def random_value(control, rng, extreme=False):
    """A value over the control's full range (the ends themselves when extreme), as the browser could send it."""
    kind = kind_of(control)
    if kind == "choice":
        options = _options(control)
        return options[int(rng.integers(len(options)))] if not extreme else options[-int(rng.integers(2))]
    if kind == "bool":
        return bool(rng.integers(2))
    if kind == "log":  # min, max and step are exponents
        exponent = [control.min, control.max][int(rng.integers(2))] if extreme else rng.uniform(control.min,
                                                                                                 control.max)
        exponent = _on_grid(control, exponent)
        return float(control.base ** exponent)
    if kind == "int":
        return int([control.min, control.max][int(rng.integers(2))]) if extreme else \
            int(rng.integers(control.min, control.max + 1))
    if kind == "float":
        value = [control.min, control.max][int(rng.integers(2))] if extreme else rng.uniform(control.min, control.max)
        return _on_grid(control, value)
    # ranges: two ends, sometimes the same point (a collapsed range is a legal slider position)
    if kind == "int range":
        ends = sorted(int(v) for v in rng.integers(control.min, control.max + 1, 2))
    else:
        ends = sorted(_on_grid(control, v) for v in rng.uniform(control.min, control.max, 2))
    if extreme:
        ends = [control.min, control.max] if rng.integers(2) else [ends[0], ends[0]]
    return tuple(ends)


def control_values(explorer):
    """{name: value} of every control: the state a failure report prints."""
    return {name: c.value for name, c in controls(explorer).items()}


# =================================================================================================
# 2. EXPLORERS: each with the constructor arguments of the notebook that shows it
# =================================================================================================
@dataclasses.dataclass(frozen=True)
class Spec:
    name: str          # the class name (unique here)
    notebook: str      # where it is shown
    make: object       # make(data) -> explorer; data is load_data()'s dict
    steps: int         # actions in the short fuzz (chosen so all explorers fit in about a minute)
    background: bool = False  # has background runs (training threads, Play, Run, Sweep)


def load_data(seed=0):
    """{"raw": digits, "standardized": the digits as the notebooks preprocess them}."""
    import core
    raw = core.data.load_dataset("digits", rng=seed)
    return {"raw": raw, "standardized": core.preprocess.preprocess(raw, "standardize")}


def _reference_functions():
    """The student's functions, written correctly (what the exercise explorers are built with)."""
    from core import dropout, init, layers, optim

    def xavier_init(fan_in, fan_out, rng):
        return init.xavier_normal(fan_in, fan_out, rng)

    def he_init(fan_in, fan_out, rng):
        return init.he_normal(fan_in, fan_out, rng)

    def inverted_dropout(x, p_keep, mode, rng):
        return dropout.dropout_forward(x, p_keep, mode, rng)[0]

    def log_uniform(low, high, size, rng):
        return 10.0 ** rng.uniform(np.log10(low), np.log10(high), size)

    def overfit_tiny_subset(net, X_train, y_train, train, num_examples=20):
        X, y = X_train[:num_examples], y_train[:num_examples]
        return train(net, X, y, X, y, num_epochs=200, reg=0.0, sample_batches=False, learning_rate=0.3)

    layer_functions = dict(affine_forward=layers.affine_forward, affine_backward=layers.affine_backward,
                           relu_forward=layers.relu_forward, relu_backward=layers.relu_backward,
                           softmax_loss=layers.softmax_loss)
    rules = {"your momentum": optim.momentum, "your nesterov": optim.nesterov, "your adam": optim.adam}
    return dict(xavier_init=xavier_init, he_init=he_init, inverted_dropout=inverted_dropout,
                log_uniform=log_uniform, overfit_tiny_subset=overfit_tiny_subset, layers=layer_functions,
                rules=rules)


def _specs():
    from exercises import explorers as ex
    from widgets import (
        capacity,
        data_browser,
        dropout,
        ensembles,
        initialization,
        learning_rate,
        monitoring,
        preprocessing,
        regularization,
        sanity,
        search,
        training_loop,
        updates,
    )
    ref = _reference_functions()
    std = lambda d: d["standardized"]
    seed = 0  # SEED = 0 in every notebook
    return [
        Spec("DataBrowser", "00", lambda d: data_browser.DataBrowser(d["raw"], class_names=None), 16),
        Spec("ChainRuleExplorer", "01", lambda d: training_loop.ChainRuleExplorer(), 25),
        Spec("MiniBatchExplorer", "01", lambda d: training_loop.MiniBatchExplorer(seed=seed), 14),
        Spec("PreprocessingExplorer", "02", lambda d: preprocessing.PreprocessingExplorer(seed=seed), 12),
        Spec("PreprocessingSpeedExplorer", "02",
             lambda d: preprocessing.PreprocessingSpeedExplorer(d["raw"], seed=seed), 6, background=True),
        Spec("CapacityExplorer", "03", lambda d: capacity.CapacityExplorer(seed=seed), 10, background=True),
        Spec("InitialLossExplorer", "04", lambda d: sanity.InitialLossExplorer(std(d), seed=seed), 10),
        Spec("OverfitExplorer", "04", lambda d: sanity.OverfitExplorer(std(d), learning_rate=0.3, seed=seed), 8),
        Spec("LearningRateExplorer", "05",
             lambda d: learning_rate.LearningRateExplorer(std(d), num_train=1000, seed=seed), 12),
        Spec("SearchDashboard", "06", lambda d: search.SearchDashboard(std(d), seed=seed), 8, background=True),
        Spec("LRRangeExplorer", "06", lambda d: search.LRRangeExplorer(std(d), seed=seed), 8),
        Spec("LossCurveExplorer", "07", lambda d: monitoring.LossCurveExplorer(std(d), num_train=1000, seed=seed), 8),
        Spec("GapExplorer", "07", lambda d: monitoring.GapExplorer(std(d), seed=seed), 8),
        Spec("UpdateRatioExplorer", "07", lambda d: monitoring.UpdateRatioExplorer(std(d), seed=seed), 8),
        Spec("FirstLayerWeightsExplorer", "07", lambda d: monitoring.FirstLayerWeightsExplorer(std(d), seed=seed), 8),
        Spec("InitializationExplorer", "08",
             lambda d: initialization.InitializationExplorer(num_examples=100, seed=seed), 20),
        Spec("RegularizationExplorer", "09",
             lambda d: regularization.RegularizationExplorer(std(d), num_train=200, seed=seed), 10),
        Spec("DropoutScalingExplorer", "10", lambda d: dropout.DropoutScalingExplorer(x=1.0, seed=seed), 12),
        Spec("DropoutEnsembleExplorer", "10",
             lambda d: dropout.DropoutEnsembleExplorer(std(d), num_train=1000, seed=seed), 12),
        Spec("DropoutOverfitExplorer", "10", lambda d: dropout.DropoutOverfitExplorer(std(d), seed=seed), 8),
        Spec("UpdateRaceExplorer", "11", lambda d: updates.UpdateRaceExplorer("narrow valley"), 14),
        Spec("UpdateRulesDigitsExplorer", "11", lambda d: updates.UpdateRulesDigitsExplorer(std(d), seed=seed), 10,
             background=True),
        Spec("ScheduleExplorer", "11", lambda d: updates.ScheduleExplorer(std(d), seed=seed), 6, background=True),
        Spec("EnsembleExplorer", "12", lambda d: ensembles.EnsembleExplorer(std(d), kind="seeds", seed=seed), 10,
             background=True),
        Spec("StudentLayersExplorer", "exercises/01",
             lambda d: ex.StudentLayersExplorer(std(d), **ref["layers"], seed=seed), 8),
        Spec("exercises.OverfitExplorer", "exercises/02",
             lambda d: ex.OverfitExplorer(ref["overfit_tiny_subset"], std(d), seed=seed), 10),
        Spec("LogSamplingExplorer", "exercises/03",
             lambda d: ex.LogSamplingExplorer(ref["log_uniform"], seed=seed), 25),
        Spec("InitExplorer", "exercises/04",
             lambda d: ex.InitExplorer(ref["xavier_init"], ref["he_init"], seed=seed), 16),
        Spec("DropoutExplorer", "exercises/05", lambda d: ex.DropoutExplorer(ref["inverted_dropout"], seed=seed), 20),
        Spec("UpdatePathExplorer", "exercises/06", lambda d: ex.UpdatePathExplorer(ref["rules"], seed=seed), 14),
    ]


SPECS = {spec.name: spec for spec in _specs()}


# =================================================================================================
# 3. PROBES
# =================================================================================================
def thread_counts():
    """(Python threads, threads of the process as the kernel counts them)."""
    return threading.active_count(), len(os.listdir("/proc/self/task"))


def rss_mib():
    """Resident set size of this process in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def retained_bytes(root):
    """Bytes of the numpy arrays reachable from root (an explorer): what its caches and artists hold.

    Follows object references, but not into modules, classes or a function's globals (shared by
    everything). Each array buffer is counted once (views count their base)."""
    seen, bases, total = set(), set(), 0
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            base = obj
            while isinstance(base.base, np.ndarray):
                base = base.base
            if id(base) not in bases:
                bases.add(id(base))
                total += base.nbytes
                stack.append(base)  # keeps the id stable while we walk
            continue
        if isinstance(obj, (types.ModuleType, type)):
            continue
        if isinstance(obj, types.FunctionType):
            stack.extend(c for c in (obj.__closure__ or ()))
            stack.extend(obj.__defaults__ or ())
            continue
        stack.extend(gc.get_referents(obj))
    return total


class WarningProbe:
    """Record every warning any thread shows while it is active, without catch_warnings.

    catch_warnings swaps process-wide state and would itself hide (or cause) the fault it should
    detect, so this only puts one "always" filter in front and replaces showwarning; on exit it
    reports whether the rest of warnings.filters is what it was, then puts everything back."""

    FILTER = ("always", None, Warning, None, 0)

    def __init__(self):
        self.records = []
        self.step = None

    def __enter__(self):
        self.filters_before = list(warnings.filters)
        self.showwarning_before = warnings.showwarning
        warnings.filters.insert(0, self.FILTER)
        warnings._filters_mutated()
        warnings.showwarning = self._record
        return self

    def _record(self, message, category, filename, lineno, file=None, line=None):
        self.records.append((self.step, f"{category.__name__}: {message} ({os.path.basename(filename)}:{lineno})"))

    def filters_now(self):
        """warnings.filters without this probe's own entry."""
        now = list(warnings.filters)
        if self.FILTER in now:
            now.remove(self.FILTER)
        return now

    def __exit__(self, *exc):
        self.filters_after = self.filters_now()
        warnings.filters[:] = self.filters_before
        warnings._filters_mutated()
        warnings.showwarning = self.showwarning_before
        return False


# =================================================================================================
# 4. FUZZ
# =================================================================================================
PROPERTIES = {
    "errors": "no exception escapes; last_error stays None; the status line never says 'Could not'",
    "warnings": "no warning escapes (from any thread)",
    "filters": "warnings.filters is unchanged afterwards (and while a background run works)",
    "pixels": "the shown PNG equals a full redraw of the same state (after waiting for background runs)",
    "threads": "the thread count returns to its start",
    "memory": "the numpy arrays the explorer holds stay below MEMORY_BOUND_MIB",
    "finishes": "after Stop, the next change carries the work through to the end (nothing left 'so far')",
}
MEMORY_BOUND_MIB = 100   # largest explorer after a fresh build: InitializationExplorer, about 25 MiB
PIXELS_EVERY = 6         # the pixels are compared after every wait and Stop, and every PIXELS_EVERY steps
WAIT_SECONDS = 60        # longest wait for a background run before the fuzz presses Stop itself
THREAD_GRACE_SECONDS = 5  # a thread told to stop may take this long to exit
STOP_AFTER_PROGRESS_SECONDS = 20  # "Stop in mid-run": wait at most this long for the run to show progress
IN_PROGRESS = re.compile(r"so far|^training |^running:|\.\.\.$")  # status lines of work under way


@dataclasses.dataclass
class Violation:
    property: str
    step: int
    action: str
    detail: str
    values: dict
    preset: object
    status: str

    def __str__(self):
        return (f"[{self.property}] step {self.step} ({self.action}): {self.detail}\n"
                f"    controls {self.values}\n    lecture case {self.preset!r}\n    status {self.status!r}")


@dataclasses.dataclass
class Report:
    name: str
    seed: int
    steps: int
    changes: int = 0
    num_changes: int = None  # asked for (the soak), or None (num_steps were asked for)
    actions: list = dataclasses.field(default_factory=list)
    violations: list = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    threads: tuple = ()
    rss_mib: tuple = ()      # before the build, after everything
    rss_built_mib: float = 0.0  # right after the build (the soak's bound is on the growth from here)
    retained_mib: float = 0.0
    pixel_checks: int = 0

    def failures(self, prop):
        return [v for v in self.violations if v.property == prop]

    def explain(self, prop):
        found = self.failures(prop)
        replay = f"--changes {self.num_changes}" if self.num_changes else f"--steps {self.steps}"
        lines = [f"{self.name}: {len(found)} violation(s) of '{prop}' ({PROPERTIES[prop]}), seed {self.seed}, "
                 f"{self.steps} steps. Replay: .venv/bin/python tests/explorer_harness.py {self.name} "
                 f"--seed {self.seed} {replay}"]
        lines += [str(v) for v in found[:5]]
        if len(found) > 5:
            lines.append(f"... and {len(found) - 5} more")
        return "\n".join(lines)


CHANGES = ("draw", "preset", "press")  # the actions that change something (the rest stop, wait or sleep)


def plan(explorer, rng, num_steps, background, num_changes=None):
    """The fuzz's actions, drawn up front from rng alone (so a replay does the same things):
    num_steps of them, or (num_changes given) as many as it takes to make num_changes changes."""
    names = list(controls(explorer))
    labels = presets(explorer)
    clicks = [name for name in buttons(explorer) if name != "pause_button"] if background else []
    weights = {"set": 6.0, "extreme": 1.0, "preset": 1.5 if labels else 0, "press": 1.5 if clicks else 0,
               "stop": 1.5 if background else 0, "wait": 1.0 if background else 0.5,
               "pause": 0.7 if background else 0}
    kinds = list(weights)
    p = np.array([weights[k] for k in kinds])
    actions, changes = [], 0
    while (len(actions) < num_steps) if num_changes is None else (changes < num_changes):
        kind = kinds[int(rng.choice(len(kinds), p=p / p.sum()))]
        if kind in ("set", "extreme"):  # the value is drawn when the step comes (ranges may change meanwhile)
            actions.append(("draw", names[int(rng.integers(len(names)))], kind == "extreme"))
        elif kind == "preset":
            actions.append(("preset", labels[int(rng.integers(len(labels)))]))
        elif kind == "press":
            actions.append(("press", clicks[int(rng.integers(len(clicks)))]))
        elif kind == "pause":
            actions.append(("pause", round(float(rng.uniform(0.0, 0.3)), 3)))
        else:
            actions.append((kind,))
        changes += actions[-1][0] in CHANGES
    return actions


def _describe(action):
    if action[0] == "set":
        return f"set {action[1]} = {action[2]!r}"
    if action[0] == "preset":
        return f"lecture case {action[1]!r}"
    if action[0] == "press":
        return f"press {action[1]}"
    if action[0] == "pause":
        return f"sleep {action[1]} s"
    return {"stop": "Stop in mid-run", "wait": "wait for the background run"}[action[0]]


def _wait_or_stop(explorer):
    """Wait for the background run; if it runs for longer than WAIT_SECONDS, press Stop and wait again."""
    if wait(explorer, WAIT_SECONDS):
        return "ended"
    stop(explorer)
    wait(explorer, WAIT_SECONDS)
    return "stopped by the fuzz after waiting"


def _stop_in_mid_run(explorer):
    """Press Stop once the run has shown progress (so Stop lands in the middle, not before the start)."""
    if not running(explorer):
        return "nothing running"
    deadline = time.perf_counter() + STOP_AFTER_PROGRESS_SECONDS
    while running(explorer) and progress(explorer) <= 0 and time.perf_counter() < deadline:
        time.sleep(0.005)
    done = progress(explorer)
    stop(explorer)
    wait(explorer, WAIT_SECONDS)
    return f"stopped at progress {done:.2f}"


def _act(explorer, action):
    kind = action[0]
    if kind == "set":
        controls(explorer)[action[1]].value = action[2]
    elif kind == "preset":
        choose_preset(explorer, action[1])
    elif kind == "press":
        press(buttons(explorer)[action[1]])
    elif kind == "stop":
        return _stop_in_mid_run(explorer)
    elif kind == "wait":
        return _wait_or_stop(explorer)
    elif kind == "pause":
        time.sleep(action[1])
    return ""


def _a_change(explorer, rng):
    """A control change that differs from the current value (for the 'finishes' check)."""
    items = list(controls(explorer).items())
    for _ in range(50):
        name, control = items[int(rng.integers(len(items)))]
        value = random_value(control, rng)
        if value != control.value:
            return ("set", name, value)
    return ("set", name, value)


class _Checks:
    """The property checks of one fuzz run; each violation is recorded with the state it happened in."""

    def __init__(self, explorer, report, probe):
        self.explorer, self.report, self.probe = explorer, report, probe
        self.step, self.action, self.seen = -1, "build", 0

    def violation(self, prop, detail):
        e = self.explorer
        values, preset, line = (control_values(e), current_preset(e), status(e)) if e is not None else ({}, None, "")
        self.report.violations.append(Violation(prop, self.step, self.action, detail, values, preset, line))

    def errors(self):
        caught = error(self.explorer)
        if caught is not None:
            self.violation("errors", f"last_error = {type(caught).__name__}: {caught}")
        elif "Could not" in status(self.explorer):
            self.violation("errors", "the status line says 'Could not'")

    def pixels(self):
        shown, full = shown_pixels(self.explorer), full_redraw_pixels(self.explorer)
        self.report.pixel_checks += 1
        if shown.shape != full.shape:
            self.violation("pixels", f"shown {shown.shape} vs full redraw {full.shape}")
            return
        differ = float(np.mean(np.any(shown != full, axis=2)))
        if differ > 0:
            self.violation("pixels", f"{differ:.3%} of the pixels differ from a full redraw")

    def warnings(self):
        for step, text in self.probe.records[self.seen:]:
            self.violation("warnings", f"{text} (shown during step {step})")
        self.seen = len(self.probe.records)

    def filters(self):
        """The process's warning filters must not change, not even while a background run works."""
        now = self.probe.filters_now()
        if now != self.probe.filters_before:
            new = [f for f in now if f not in self.probe.filters_before][:3]
            self.violation("filters", f"warnings.filters changed{' during a run' if running(self.explorer) else ''}; "
                                      f"new entries {new}")

    def finished(self):
        if running(self.explorer):
            self.violation("finishes", "still running after the wait")
        elif IN_PROGRESS.search(status(self.explorer).strip()):
            self.violation("finishes", "the status line still reports work under way, but nothing runs")

    def act(self, action):
        try:
            note = _act(self.explorer, action)
        except Exception as exc:  # any exception that escapes is a finding
            self.violation("errors", f"{type(exc).__name__} escaped: {exc}")
            note = ""
        if note:
            self.action += f" ({note})"


def _start_run(explorer, rng):
    """Make sure a background run is going: the one the explorer started itself, a run button, or
    control changes until one starts. Returns what started it, or None."""
    if running(explorer):
        return "the run the explorer started"
    runs = run_buttons(explorer)
    if runs:
        name = sorted(runs)[int(rng.integers(len(runs)))]
        press(runs[name])
        if running(explorer):
            return f"press {name}"
    for _ in range(10):
        change = _a_change(explorer, rng)
        _act(explorer, change)
        if running(explorer):
            return _describe(change)
    return None


def _until_new_picture(explorer, before, timeout=20.0):
    """Wait until the run has drawn a new picture (a partial result); False if it ended first."""
    deadline = time.perf_counter() + timeout
    while running(explorer) and picture(explorer) == before and time.perf_counter() < deadline:
        time.sleep(0.002)
    return running(explorer) and picture(explorer) != before


def _episodes(check, rng):
    """Two fixed scenes for a background explorer, right after it is built (so they always happen):
    1. a run draws a partial result, Stop, a change, then the controls as they were at Stop:
       the work must be carried through to the end (Stop pauses; it does not end the explorer);
    2. a run draws a partial result and a control changes during the run: it must end done."""
    e = check.explorer
    for scene in ("stop, change, back", "change during the run"):
        check.step, check.action = f"scene {scene!r}", "start a run"
        before = picture(e)
        try:
            how = _start_run(e, rng)
        except Exception as exc:  # any exception that escapes is a finding
            check.violation("errors", f"{type(exc).__name__} escaped: {exc}")
            continue
        if how is None:
            check.action += " (no run started)"
            continue
        check.action = f"{how}, wait for a partial picture"
        if not _until_new_picture(e, before):
            check.action += " (the run ended first)"
            _wait_or_stop(e)
            continue
        check.filters()
        if scene == "stop, change, back":
            at_stop = control_values(e)
            stop(e)
            wait(e, WAIT_SECONDS)
            change = _a_change(e, rng)
            check.action = f"{how}, Stop at progress {progress(e):.2f}, {_describe(change)}, wait, back, wait"
            check.act(change)
            _wait_or_stop(e)
            for name, value in at_stop.items():
                if controls(e)[name].value != value:
                    check.act(("set", name, value))
        else:
            change = _a_change(e, rng)
            check.action = f"{how}, {_describe(change)} during the run, wait"
            check.act(change)
        check.action += f" ({_wait_or_stop(e)})"
        check.errors()
        check.warnings()
        check.finished()
        check.pixels()


def fuzz(spec, data, seed, num_steps=None, log=None, num_changes=None):
    """Build spec's explorer, run num_steps seeded actions on it (or as many as num_changes changes take),
    and check every property.

    Returns a Report with the violations found; log(text) (e.g. print) hears every action."""
    num_steps = spec.steps if num_steps is None else num_steps
    rng = np.random.default_rng([seed, zlib.crc32(spec.name.encode())])
    report = Report(spec.name, seed, num_steps, num_changes=num_changes)
    if num_changes is not None:  # the soak measures RSS: start from a collected heap
        gc.collect()
    threads_start, rss_start = thread_counts(), rss_mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    with WarningProbe() as probe:
        probe.step = "build"
        check = _Checks(None, report, probe)
        try:
            check.explorer = spec.make(data)
        except Exception as exc:
            check.violation("errors", f"building it raised {type(exc).__name__}: {exc}")
            return report
        report.rss_built_mib = rss_mib()
        actions = plan(check.explorer, rng, num_steps, spec.background, num_changes)
        report.steps, report.changes = len(actions), sum(a[0] in CHANGES for a in actions)
        check.warnings()
        check.errors()
        if spec.background:
            _episodes(check, rng)  # (each ends with a pixel check)
        for step, action in enumerate(actions):
            if action[0] == "draw":
                action = ("set", action[1], random_value(controls(check.explorer)[action[1]], rng, extreme=action[2]))
            report.actions.append(_describe(action))
            check.step, check.action, probe.step = step, _describe(action), step
            if log is not None:
                log(f"{spec.name} step {step}: {check.action}")
            check.act(action)
            check.errors()
            check.warnings()
            check.filters()
            due = action[0] in ("wait", "stop") or step % PIXELS_EVERY == PIXELS_EVERY - 1
            if due and not running(check.explorer):
                check.pixels()
        # the end: let every run finish, then look at the final state
        check.step, check.action, probe.step = len(actions), "final wait", "final"
        check.action += f" ({_wait_or_stop(check.explorer)})"
        check.errors()
        if spec.background:  # (without background runs, the picture has not changed since the last step)
            check.pixels()
        # one more ordinary change must be carried through to the end, whatever Stop did before
        change = _a_change(check.explorer, rng)
        check.step, check.action = len(actions) + 1, _describe(change) + " then wait"
        check.act(change)
        check.action += f" ({_wait_or_stop(check.explorer)})"
        check.errors()
        check.pixels()
        if spec.background:
            check.finished()
        check.warnings()
        check.filters()
        report.retained_mib = retained_bytes(check.explorer) / 2 ** 20
        if report.retained_mib > MEMORY_BOUND_MIB:
            check.violation("memory", f"holds {report.retained_mib:.0f} MiB of arrays (bound {MEMORY_BOUND_MIB} MiB)")
        stop(check.explorer)
        wait(check.explorer, WAIT_SECONDS)
    check.step, check.action = len(actions) + 2, "afterwards"
    if probe.filters_after != probe.filters_before:
        new = [f for f in probe.filters_after if f not in probe.filters_before][:3]
        check.violation("filters", f"warnings.filters changed; new entries {new}")
    deadline = time.perf_counter() + THREAD_GRACE_SECONDS
    threads_end = thread_counts()
    while any(end > start for end, start in zip(threads_end, threads_start)) and time.perf_counter() < deadline:
        time.sleep(0.05)
        threads_end = thread_counts()
    report.threads = (threads_start, threads_end)
    if any(end > start for end, start in zip(threads_end, threads_start)):
        check.violation("threads", f"threads (python, process) {threads_start} -> {threads_end}")
    check.explorer = None
    report.seconds = time.perf_counter() - started
    report.cpu_seconds = time.process_time() - cpu_started
    report.rss_mib = (rss_start, rss_mib())
    return report


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description="Replay the explorer fuzz for one explorer.")
    parser.add_argument("name", choices=sorted(SPECS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--changes", type=int, default=None, help="run until this many changes (the soak: 2000)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    report = fuzz(SPECS[args.name], load_data(), args.seed, args.steps, log=None if args.quiet else print,
                  num_changes=args.changes)
    print(f"{report.name}: {report.steps} steps ({report.changes} changes) in {report.seconds:.1f} s "
          f"(cpu {report.cpu_seconds:.1f} s), threads {report.threads}, "
          f"RSS {report.rss_mib[0]:.0f} (built {report.rss_built_mib:.0f}) -> {report.rss_mib[1]:.0f} MiB, "
          f"arrays held {report.retained_mib:.1f} MiB, "
          f"{report.pixel_checks} pixel checks")
    for prop in PROPERTIES:
        if report.failures(prop):
            print(report.explain(prop))
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
