"""Issue 14, "a deliberate start state": after every cell of a lecture notebook has run (as Voila runs them,
top to bottom), every explorer the notebook displayed is on its named start case and its "Lecture case" menu
shows that case. A cell that demonstrates another case shows it with explorer.snapshot(...) (a static
picture) and leaves the displayed explorer where it was.

Each notebook is executed in a real kernel (nbclient) with two cells added in memory (the file is not
changed): a first cell that records, for every explorer, the menu's label and the controls' values when it is
first displayed, and a last cell that reports every displayed explorer's final state as JSON.
The expected case is the one the menu showed when the explorer was displayed: its start_case, or another named
case that the notebook chose on purpose before displaying it (notebook 03 opens its second capacity explorer on
the noisy xor). An explorer that declares a start_case must not be displayed on "(custom)"; one that declares
none yet (not yet converted onto the declarative base) may. At the end the menu, the case the controls equal
and every control's value must be those of the display, and so must the status (the picture's sentence: a
picture of another state left in the explorer changes it). An explorer without lecture cases has no menu.
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
                                   "controls": [repr(c.value) for c in self.controls], "message": self.message}
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
        if s["shown"] is None:
            found.append(f"{name}: displayed without passing through its _repr_mimebundle_")
            continue
        expected = s["shown"]["menu"]
        if s["start_case"] is not None and expected == CUSTOM:
            found.append(f"{name}: displayed on {CUSTOM!r}, not on its start case {s['start_case']!r}")
        if s["menu"] is not None and (s["menu"] != expected or (s["current_case"] or CUSTOM) != expected):
            found.append(f"{name}: ends on {s['current_case'] or CUSTOM!r}, it was displayed on {expected!r}")
        if s["controls"] != s["shown"]["controls"]:
            found.append(f"{name}: controls {s['controls']} at the end, {s['shown']['controls']} when displayed")
        if s["message"] != s["shown"]["message"]:
            found.append(f"{name}: its status {s['message']!r} at the end, {s['shown']['message']!r} when "
                         "displayed: a picture of another state was left in it")
    return found


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", LECTURES, ids=[p.stem for p in LECTURES])
def test_every_displayed_explorer_ends_on_its_start_case(path):
    states = final_states(path)
    assert not problems(states), "\n".join(problems(states))


def test_problems_names_an_explorer_left_on_another_case():
    """The check itself (cheap): an explorer left on another case, a stale status, a custom start."""
    good = {"type": "E", "start_case": "a", "current_case": "a", "menu": "a", "controls": ["1"], "message": "m",
            "shown": {"menu": "a", "controls": ["1"], "message": "m"}, "last_error": "None"}
    assert problems([good]) == []
    assert problems([{**good, "current_case": "b", "menu": "b", "controls": ["2"]}])
    assert problems([{**good, "current_case": "b", "menu": "a"}])  # a menu that does not show the case
    assert problems([{**good, "controls": ["2"]}])  # a control moved that no case names
    assert problems([{**good, "message": "a picture of b"}])
    custom = {"menu": CUSTOM, "current_case": None, "shown": {"menu": CUSTOM, "controls": ["1"], "message": "m"}}
    assert problems([{**good, **custom}])  # a declared start case is shown by name
    assert problems([{**good, "start_case": None, **custom}]) == []  # not yet converted: where it was shown
    assert problems([{**good, "start_case": "b"}]) == []  # opened on purpose on another named case
    assert problems([{**good, "shown": None}])
    no_menu = {"menu": None, "current_case": None, "start_case": None, "shown": {**good["shown"], "menu": None}}
    assert problems([{**good, **no_menu}]) == []  # an explorer without lecture cases (the data browser)
    assert problems([{**good, **no_menu, "message": "another picture"}])
