"""The "Lecture case" menu of an explorer: it shows the case the controls equal, else "(custom)"."""
import contextlib
import math

import ipywidgets as W

CUSTOM = "(custom)"


def same_position(control, value):
    """Whether a control showing `value` would sit where it sits now (sliders: the same step of the grid)."""
    if control.value == value:
        return True
    step = getattr(control, "step", None)
    if not step or isinstance(value, (bool, str)) or not isinstance(value, (int, float)):
        return False
    if isinstance(control, W.FloatLogSlider):
        if value <= 0 or control.value <= 0:
            return False
        base = control.base
        return abs(math.log(control.value, base) - math.log(value, base)) < step / 2
    return abs(control.value - value) < step / 2


class LectureCases:
    """A mixin of widgets.base.Explorer: self.presets is {case name: {control attribute: value}}."""

    def case_menu(self):
        """The menu (None when the explorer has no cases)."""
        if not self.presets:
            return None
        menu = W.Dropdown(options=[CUSTOM, *self.presets], description="Lecture case",
                          style={"description_width": "initial"}, layout=W.Layout(width="max-content"))
        menu.observe(self._on_preset, names="value")
        return menu

    def _on_preset(self, change):
        values = self.presets.get(change["new"])
        if values and not self._quiet_changes:
            self.apply(**values)

    def _set_values(self, values):
        for name in values:
            if not hasattr(self, name):
                raise ValueError(f"{type(self).__name__} has no control named {name!r}")
        self._quiet_changes = True
        try:
            for name, value in values.items():
                getattr(self, name).value = value
        finally:
            self._quiet_changes = False

    def current_case(self):
        """The name of the first lecture case whose values the controls all have, else None. A slider
        matches a case's value when both fall on the same step of its grid: the browser's slider snaps a
        value to its step and sends it back (a case's 3e-3 comes back as 10^-2.5), which must not turn the
        menu into "(custom)"."""
        for name, values in self.presets.items():
            if all(same_position(getattr(self, k), v) for k, v in values.items()):
                return name
        return None

    def _show_case(self):
        if self.preset is not None:
            self._quiet_changes = True
            try:
                self.preset.value = self.current_case() or CUSTOM
            finally:
                self._quiet_changes = False

    def choose_case(self, name):
        """Go to a lecture case, as choosing it in the menu does (and refresh even if it is shown already:
        e.g. to carry on a run that Stop paused)."""
        if name not in self.presets:
            raise ValueError(f"name must be one of {list(self.presets)}, got {name!r}")
        self.apply(**self.presets[name])

    def apply(self, **values):
        """Set several controls at once (by attribute name) and refresh once."""
        self._set_values(values)
        self.update()

    @contextlib.contextmanager
    def without_refresh(self):
        """Control changes made inside do not refresh (the change that caused them does, once); nests inside
        a case being applied. For a control that moves others: the race's surface sets its start sliders."""
        before, self._quiet_changes = self._quiet_changes, True
        try:
            yield
        finally:
            self._quiet_changes = before
