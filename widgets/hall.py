"""Keyboard and screen-reader fixes for the explorers in the lecture hall (issue 14), found by the
axe-core audit and the keyboard test in tests/browser/ (Voila, 1280x720).

`page_fixes()` returns one hidden widget that carries them; an explorer adds it to its layout
(`Explorer.layout`: `W.VBox([... , *hall.page_fixes()])`). Both parts are idempotent, so many
explorers on one page may each carry it.

1. CSS (`CSS`):
   - a visible focus ring on every control of an explorer: JupyterLab's theme removes the outline
     of a focused <select> and a slider's handle (outline-style none; measured in Chromium), so a
     keyboard user cannot see where the focus is;
   - buttons whose text contrast is below WCAG AA (4.5:1): ipywidgets' "success" style is white on
     #388e3c (4.1:1, axe rule color-contrast) and "warning" white on #f57c00 (2.7:1); darker
     shades of the same hues give 5.1:1 (#2e7d32) and 5.0:1 (#b45309).
   - in the presentation theme only (`PRESENT_CSS`, carried by explorers built in it), the status
     line under the picture at theme.MIN_TEXT_PX (18 px) instead of the default view's 15 px. The
     rule is keyed to the explorer (`.tnn-explorer:has(.tnn-hall-present)`: its own hidden style
     widget has that class), so a default-theme explorer on the same page keeps 15 px;
2. JavaScript (`SCRIPT`): ipywidgets 8.1 draws a slider as a <div role="slider"> (noUiSlider's
   handle) whose description <label> is not tied to it, so a screen reader announces "slider" with
   no name (axe rule aria-input-field-name, impact serious). The script gives each handle the
   slider's description as aria-label (a range slider's two handles: "... (lower end)" and
   "... (upper end)"), now and for sliders drawn later (a MutationObserver,
   coalesced to one pass per animation frame). It runs through an Output widget's
   application/javascript output, which JupyterLab (trusted, the kernel's own output) and Voila
   both execute. The same script gives each explorer's picture its status sentence as alt text
   (kept up to date as the status line changes).
"""
import ipywidgets as W
from IPython.display import Javascript

from . import theme

FOCUS = "#0072B2"  # Okabe-Ito blue: 5.2:1 on white (WCAG asks 3:1 for a focus indicator)

CSS = f"""
.tnn-explorer select:focus, .tnn-explorer select:focus-visible,
.tnn-explorer .noUi-handle:focus, .tnn-explorer .noUi-handle:focus-visible,
.tnn-explorer button:focus-visible, .tnn-explorer input:focus-visible,
.tnn-explorer .widget-readout:focus {{
  outline: 3px solid {FOCUS} !important;
  outline-offset: 2px;
}}
.tnn-explorer .jupyter-button.mod-success {{ background-color: #2e7d32; color: #ffffff; }}
.tnn-explorer .jupyter-button.mod-warning {{ background-color: #b45309; color: #ffffff; }}
"""

# the status line is a <div> with an inline font-size (Explorer.show_message): !important overrides it
PRESENT_CSS = f"""
.tnn-explorer:has(.tnn-hall-present) .tnn-status,
.tnn-explorer:has(.tnn-hall-present) .tnn-status div {{
  font-size: {theme.MIN_TEXT_PX}px !important;
  line-height: 1.35;
}}
"""

SCRIPT = """
(() => {
  const name = () => {
    document.querySelectorAll('.tnn-explorer .widget-slider').forEach((slider) => {
      const label = slider.querySelector('.widget-label');
      const text = label ? label.textContent.trim() : '';
      const handles = slider.querySelectorAll('.noUi-handle');
      handles.forEach((handle, i) => {  // a range slider has two: its lower and upper end
        const name = handles.length > 1 ? `${text} (${i ? 'upper' : 'lower'} end)` : text;
        if (text && handle.getAttribute('aria-label') !== name) handle.setAttribute('aria-label', name);
      });
    });
  };
  const describe = () => {  // each explorer's picture: its status sentence as the text alternative
    document.querySelectorAll('.tnn-explorer').forEach((box) => {
      const img = box.querySelector('img.tnn-figure, .tnn-figure img');
      const status = box.querySelector('.tnn-status');
      const text = status ? status.textContent.trim() : '';
      if (img && img.getAttribute('alt') !== text) img.setAttribute('alt', text || 'explorer picture');
    });
  };
  name();
  describe();
  if (window.tnnHallObserver) return;
  let queued = false;
  window.tnnHallObserver = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; name(); describe(); });
  });
  window.tnnHallObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
})();
"""


def page_fixes(presenting=None):
    """[hidden HTML with the CSS, hidden Output that runs the script]: add them to an explorer.
    presenting: the explorer's theme (None: theme.presenting() now); True adds PRESENT_CSS."""
    presenting = theme.presenting() if presenting is None else presenting
    style = W.HTML(f"<style>{CSS}{PRESENT_CSS if presenting else ''}</style>", layout=W.Layout(display="none"))
    style.add_class("tnn-hall-style")
    if presenting:
        style.add_class("tnn-hall-present")
    script = W.Output(layout=W.Layout(display="none"))
    script.add_class("tnn-hall-script")
    script.append_display_data(Javascript(SCRIPT))
    return [style, script]
