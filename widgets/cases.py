"""The "Lecture case" menu of an explorer: it shows the case the controls equal, else "(custom)"."""
import ipywidgets as W

CUSTOM = "(custom)"


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
        """The name of the first lecture case whose values the controls all have, else None."""
        for name, values in self.presets.items():
            if all(getattr(self, k).value == v for k, v in values.items()):
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

    # for explorers of the older pattern (phase 2 removes this)
    @property
    def _in_preset(self):
        return self._quiet_changes

    @_in_preset.setter
    def _in_preset(self, value):
        self._quiet_changes = value
