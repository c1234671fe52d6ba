"""Issue 14, "a deliberate start state": after every cell of a lecture notebook has run (as Voila runs them,
top to bottom), every explorer the notebook displayed is on its named start case and its "Lecture case" menu
shows that case. A cell that demonstrates another case shows it with explorer.snapshot(...) (a static
picture) and leaves the displayed explorer where it was.

Each notebook is executed in a real kernel (nbclient) with two cells added in memory (the file is not
changed): a first cell that records, for every explorer, the menu's label and the controls' values when it is
first displayed, and a last cell that reports every displayed explorer's final state as JSON.
The expected case is the explorer's start_case. An explorer that declares none (one not yet converted onto
the declarative base; the conversions give every explorer one) must end with the controls and the menu it
had when it was displayed.
"""
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
LECTURES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
MARK = "START-STATE-REPORT "
CUSTOM = "(custom)"  # widgets.cases.CUSTOM: the menu's label when the controls equal no case

RECORD = """
from widgets.base import Explorer as _StartStateExplorer

_start_state_display = _StartStateExplorer._repr_mimebundle_


def _start_state_record(self, **kwargs):
    if not hasattr(self, "_start_state_shown"):
        self.wait()
        self._start_state_shown = {"menu": self.preset.value if self.preset is not None else None,
                                   "controls": [repr(c.value) for c in self.controls]}
    return _start_state_display(self, **kwargs)


_StartStateExplorer._repr_mimebundle_ = _start_state_record
"""

REPORT = """
import gc as _gc
import json as _json

_start_state = []
for _e in _gc.get_objects():
    if isinstance(_e, _StartStateExplorer) and hasattr(_e, "_widget"):
        _e.wait()
        _seen = {"type": type(_e).__name__, "start_case": _e.start_case, "current_case": _e.current_case(),
                 "menu": _e.preset.value if _e.preset is not None else None,
                 "controls": [repr(c.value) for c in _e.controls], "message": _e.message,
                 "shown": getattr(_e, "_start_state_shown", None), "last_error": repr(_e.last_error)}
        _e.update()  # redraw from the controls: the status must be the one the page showed
        _e.wait()
        _seen["message_after_refresh"] = _e.message
        _start_state.append(_seen)
print("START-STATE-REPORT " + _json.dumps(_start_state))
"""


def final_states(path):
    """Execute the notebook (unchanged on disk) and return the report of its displayed explorers."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORD))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    line = next(line for line in text.splitlines() if line.startswith(MARK))
    return json.loads(line[len(MARK):])


def problems(states):
    """Sentences naming each displayed explorer that is not on its start case (empty: all are)."""
    found = []
    for s in states:
        name = f"{s['type']} (menu {s['menu']!r})"
        expected = s["start_case"]
        if expected is None:  # an explorer not yet converted (no start_case): where it was when displayed
            if s["shown"] is None:
                found.append(f"{name}: displayed without passing through its _repr_mimebundle_")
                continue
            expected = s["shown"]["menu"]
            if s["controls"] != s["shown"]["controls"]:
                found.append(f"{name}: controls {s['controls']} at the end, {s['shown']['controls']} when displayed")
        if s["menu"] != expected or (s["current_case"] or CUSTOM) != expected:
            found.append(f"{name}: ends on {s['current_case']!r}, its start case is {expected!r}")
        if s["message"] != s["message_after_refresh"]:
            found.append(f"{name}: its status {s['message']!r} is not what its controls give "
                         f"({s['message_after_refresh']!r}): a picture of another state was left in it")
    return found


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_every_displayed_explorer_ends_on_its_start_case(path):
    states = final_states(path)
    assert not problems(states), "\n".join(problems(states))


def test_problems_names_an_explorer_left_on_another_case():
    """The check itself (cheap): an explorer left on another case, a stale status, an undeclared custom start."""
    good = {"type": "E", "start_case": "a", "current_case": "a", "menu": "a", "controls": ["1"], "message": "m",
            "shown": {"menu": "a", "controls": ["1"]}, "last_error": "None", "message_after_refresh": "m"}
    assert problems([good]) == []
    assert problems([{**good, "current_case": "b", "menu": "b"}])
    assert problems([{**good, "message": "a picture of b"}])
    assert problems([{**good, "start_case": None, "controls": ["2"]}])
    assert problems([{**good, "start_case": None, "menu": "b", "current_case": "b"}])
    assert problems([{**good, "start_case": None}]) == []
    custom = {"menu": CUSTOM, "current_case": None, "shown": {"menu": CUSTOM, "controls": ["1"]}}
    assert problems([{**good, "start_case": None, **custom}]) == []
    assert problems([{**good, **custom}])  # a declared start case is shown by name
