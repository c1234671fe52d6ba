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
per notebook serves both checks, and one nbval process all fourteen (make test's time budget, issue 10).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

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


def run_nbval(notebooks, dataset=SECOND_DATASET, sanitizer=SANITIZER, junit=None):
    """nbval (lax: the checked cells) on notebooks (paths) with TNN_DATASET=dataset in one pytest process;
    returns the process. junit: where to write pytest's JUnit XML report (per cell), if given."""
    env = {**os.environ, "TNN_DATASET": dataset, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
               "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=300",
               f"--nbval-sanitize-with={sanitizer}", *(["--junitxml", str(junit)] if junit else []),
               *map(str, notebooks)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


def test_the_lecture_notebooks_are_found():
    assert len(LECTURE_NOTEBOOKS) == 14, LECTURE_NOTEBOOKS


def failures_by_notebook(junit, names):
    """{notebook name: [the report of each failed or errored cell]} from nbval's JUnit XML."""
    found = {name: [] for name in names}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        where = f"{case.get('classname', '')} {case.get('file', '')} {case.get('name', '')}"
        for bad in [*case.iter("failure"), *case.iter("error")]:
            name = next((n for n in names if n.removesuffix(".ipynb") in where), None)
            assert name is not None, f"nbval reported a failure of no lecture notebook: {where}\n{bad.text}"
            found[name].append(COLOUR.sub("", f"{case.get('name')}: {bad.get('message', '')}\n{bad.text or ''}"))
    return found


COLOUR = re.compile(r"(\x1b|#x1B)\[[0-9;]*m")  # nbval's terminal colours, as JUnit XML keeps them


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every lecture notebook on digits_raw, in one nbval process (one interpreter and pytest start-up, not
    fourteen: make test's time budget, issue 10), each notebook a copy that also reports its explorers'
    final states (tests/start_state.py). Returns {name: (its failed cells' reports, its states or None)}
    and the process."""
    directory = tmp_path_factory.mktemp("second_dataset")
    copies, reports = [], {}
    for name in LECTURE_NOTEBOOKS:
        path = ROOT / "notebooks" / name
        assert reads_dataset_from_environment(path), (
            f"{name} does not read its data set from TNN_DATASET, so this test would check nothing: its "
            'settings cell needs DATASET = os.environ.get("TNN_DATASET", "digits")')
        copies.append(directory / name)
        reports[name] = directory / f"{name.removesuffix('.ipynb')}-start-state.json"
        start_state.instrument(path, copies[-1], reports[name])
    junit = directory / "nbval.xml"
    result = run_nbval(copies, junit=junit)
    assert junit.exists(), f"nbval did not run\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    failed = failures_by_notebook(junit, LECTURE_NOTEBOOKS)
    assert (result.returncode == 0) == (not any(failed.values())), result.stdout[-3000:]
    states = {name: start_state.final_states(r) if r.exists() else None for name, r in reports.items()}
    return {name: (failed[name], states[name]) for name in LECTURE_NOTEBOOKS}


# The whole module goes to one pytest-xdist process (--dist loadscope), which executes the 14 notebooks once,
# in about 3 minutes; the other processes meanwhile run the rest. The first test waits for that execution.
@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", LECTURE_NOTEBOOKS)
def test_same_verdicts(name, executed):
    failed, _ = executed[name]
    assert not failed, f"{name} on {SECOND_DATASET}: a checked verdict differs\n" + "\n".join(failed)[-6000:]


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", LECTURE_NOTEBOOKS)
def test_every_displayed_explorer_ends_on_its_start_case(name, executed):
    failed, states = executed[name]
    assert states is not None, f"{name} did not run to its last cell\n" + "\n".join(failed)[-6000:]
    assert not start_state.problems(states), "\n".join(start_state.problems(states))


def test_the_sanitizer_keeps_words_and_masks_numbers():
    """The sanitizer's regex as nbval reads and applies it: numbers, nan, inf and padding become N."""


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
