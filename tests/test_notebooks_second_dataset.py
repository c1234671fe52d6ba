"""Every lecture notebook on a second data set, with the same verdict lines (issue 13, section 5).

Each lecture notebook reads its data set from the environment (TNN_DATASET, default "digits"). This
runs it under nbval with TNN_DATASET=digits_raw (the same images, pixels 0 .. 16, only centred: the
scale of the slides' raw pixels) and compares its checked cells with the stored digits outputs through
tests/numbers.cfg, a sanitizer that turns every number into N. What is left to compare are the words:
the verdict lines ("... explodes after the first epoch: True"). So a notebook passes only if every
claim it checks holds on the second data set too, with rates measured there (core.demos.lecture_cases),
not carried over from digits. A notebook that does not read TNN_DATASET fails (it would pass without
testing anything).

The same execution checks the notebook's start states (tests/start_state.py, issue 14): nbval runs a copy of
the notebook with a recording cell first and a reporting cell last, which nbval does not compare. One execution
per notebook serves both checks (make test's time budget, issue 10).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import start_state

ROOT = Path(__file__).resolve().parent.parent
SANITIZER = ROOT / "tests" / "numbers.cfg"
LECTURE_NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SECOND_DATASET = "digits_raw"


def reads_dataset_from_environment(path):
    """True when a code cell of the notebook takes DATASET from TNN_DATASET."""
    cells = json.loads(path.read_text())["cells"]
    return any(c["cell_type"] == "code" and 'os.environ.get("TNN_DATASET"' in "".join(c["source"]) for c in cells)


def run_nbval(notebook, dataset=SECOND_DATASET, sanitizer=SANITIZER):
    """nbval (lax: the checked cells) on one notebook with TNN_DATASET=dataset; returns the process."""
    env = {**os.environ, "TNN_DATASET": dataset, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
               "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=300",
               f"--nbval-sanitize-with={sanitizer}", str(notebook)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)


def test_the_lecture_notebooks_are_found():
    assert len(LECTURE_NOTEBOOKS) == 14, LECTURE_NOTEBOOKS


def run_instrumented(name, directory):
    """nbval on digits_raw over a copy of notebook `name` in `directory` that also reports its explorers'
    final states (tests/start_state.py); returns (the nbval process, the states, or None if not written)."""
    path = ROOT / "notebooks" / name
    assert reads_dataset_from_environment(path), (
        f"{name} does not read its data set from TNN_DATASET, so this test would check nothing: its "
        'settings cell needs DATASET = os.environ.get("TNN_DATASET", "digits")')
    copy, report = directory / name, directory / "start-state.json"
    start_state.instrument(path, copy, report)
    result = run_nbval(copy)
    return result, (start_state.final_states(report) if report.exists() else None)


# One class per notebook: make test's pytest-xdist (--dist loadscope) hands each class to a worker of
# its own, so the 14 notebooks (about 3 minutes in all, serial) share both processes. The class's fixture
# executes the notebook once; its two tests read that one execution.
@pytest.fixture(scope="class")
def executed(request, tmp_path_factory):
    name = request.cls.notebook
    return run_instrumented(name, tmp_path_factory.mktemp(name.split("_")[0]))


def _test_class(name):
    @pytest.mark.slow
    @pytest.mark.timeout(1200)
    def test_same_verdicts(self, executed):
        result, _ = executed
        assert result.returncode == 0, f"{name} on {SECOND_DATASET}: a checked verdict differs\n{result.stdout[-6000:]}"

    @pytest.mark.slow
    @pytest.mark.timeout(1200)
    def test_every_displayed_explorer_ends_on_its_start_case(self, executed):
        result, states = executed
        assert states is not None, f"{name} did not run to its last cell\n{result.stdout[-6000:]}"
        assert not start_state.problems(states), "\n".join(start_state.problems(states))

    class_name = f"TestOnTheSecondDataset{name.split('_')[0]}"
    return class_name, type(class_name, (), {
        "notebook": name, "test_same_verdicts": test_same_verdicts,
        "test_every_displayed_explorer_ends_on_its_start_case": test_every_displayed_explorer_ends_on_its_start_case,
        "__doc__": f"{name} on {SECOND_DATASET}, and its start states"})


for _name in LECTURE_NOTEBOOKS:
    _class_name, _class = _test_class(_name)
    globals()[_class_name] = _class


def test_the_sanitizer_keeps_words_and_masks_numbers():
    """The sanitizer's regex as nbval reads and applies it: numbers, nan, inf and padding become N."""
    import re

    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns(SANITIZER.read_text())
    assert len(patterns) == 2, patterns

    def sanitize(text):
        for regex, replace in patterns:   # in order, as nbval applies them
            text = re.sub(regex, replace, text)
        return text

    assert sanitize("lr 2.7     : True") == sanitize("lr 0.54    : True")
    assert sanitize("cost 1e+06, in 7 of 20 seeds") == sanitize("cost nan, in 20 of 20 seeds")
    assert sanitize("cost -inf") == sanitize("cost 2.30")
    assert sanitize("diverges: True") != sanitize("diverges: False")
    assert sanitize("cost NaN: True") != sanitize("cost NaN: False")
    assert sanitize("too low") != sanitize("too high")
    assert sanitize("A beats B in 9 of 20 seeds (1 tie); d") == sanitize("A beats B in 20 of 20 seeds; d")
    assert sanitize("A beats B in 9 of 20 seeds (ties: 3); d") == sanitize("A beats B in 7 of 20 seeds (4 ties); d")
    assert sanitize("A beats B in 9 of 20 seeds") != sanitize("B beats A in 9 of 20 seeds")
