"""Issue 14, "a deliberate start state": the check that every explorer a lecture notebook displays ends where it
was displayed, on its named start case, with its "Lecture case" menu showing that case.

A notebook is executed with two cells added to an in-memory copy (the file is not changed): a first cell that
records, for every explorer, the menu's label and the controls' values when it is first displayed, and a last
cell that writes every displayed explorer's final state as JSON to a file. tests/test_notebooks_second_dataset.py
runs these copies under nbval (the one execution of each lecture notebook that checks its verdicts on the
second data set also checks its start states: the added cells carry no NBVAL_CHECK_OUTPUT mark, so nbval
compares only the notebook's own checked cells). Start cases are named by control values, not by data, so the
data set does not change what is checked.

The expected case is the one the menu showed when the explorer was displayed: its start_case, or another named
case that the notebook chose on purpose before displaying it (notebook 03 opens its second capacity explorer on
the noisy xor). An explorer that declares a start_case must not be displayed on "(custom)"; one that declares
none may. At the end the menu, the case the controls equal and every control's value must be those of the
display, and so must the status (the picture's sentence: a picture of another state left in the explorer
changes it). An explorer without lecture cases has no menu. A cell that demonstrates another case shows it with
explorer.snapshot(...) (a static picture) and leaves the displayed explorer where it was.
"""
import json

import nbformat

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
with open(REPORT_PATH, "w") as _f:
    _json.dump(_start_state, _f)
"""


def instrument(notebook, copy, report):
    """Write to `copy` the notebook at `notebook` with the recording cell first and the reporting cell last;
    executing the copy writes the final states of its displayed explorers to `report` (a JSON list)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORD))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT.replace("REPORT_PATH", repr(str(report)))))
    nbformat.write(nb, copy)


def final_states(report):
    """The final states that an instrumented notebook's execution wrote to `report`."""
    with open(report) as f:
        return json.load(f)


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
