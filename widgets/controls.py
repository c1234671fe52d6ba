"""Control factories with readable descriptions (every explorer builds its sliders and buttons with these)."""
import ipywidgets as W


def _slider_layout(description):
    """Wide enough that a long description does not squeeze the track (about 7 px a character)."""
    return W.Layout(width=f"{max(300, 230 + 7 * len(description))}px")


def log_slider(description, value, low_exp, high_exp, step=0.1, readout_format=".1e", **kwargs):
    """A slider over 10**low_exp .. 10**high_exp whose .value is the number itself (not its log)."""
    kwargs.setdefault("layout", _slider_layout(description))
    return W.FloatLogSlider(value=value, base=10, min=low_exp, max=high_exp, step=step,
                            description=description, readout_format=readout_format,
                            style={"description_width": "initial"}, **kwargs)


def slider(description, value, low, high, step, integer=False, **kwargs):
    """A float (or int) slider with a readable description."""
    kwargs.setdefault("layout", _slider_layout(description))
    cls = W.IntSlider if integer else W.FloatSlider
    return cls(value=value, min=low, max=high, step=step, description=description,
               style={"description_width": "initial"}, **kwargs)


def choice_slider(description, options, value):
    """A slider over a few given values (a SelectionSlider), e.g. layer widths or training-set sizes."""
    return W.SelectionSlider(options=options, value=value, description=description,
                             style={"description_width": "initial"})


def dropdown(description, options, value, **kwargs):
    """A dropdown; options is a list of labels or of (label, value) pairs."""
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, **kwargs)


def button(description, on_click, icon="", **kwargs):
    """A button that calls on_click() (no argument) when pressed."""
    widget = W.Button(description=description, icon=icon, **kwargs)
    widget.on_click(lambda _: on_click())
    return widget
