"""widgets/hall.py, headless: what the browser tests (tests/browser/hall_checks.py) check in Chromium."""
import re

import pytest

import widgets
from widgets import hall
from widgets.theme import MIN_TEXT_PX


def contrast(foreground, background):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_page_fixes_are_hidden_and_carry_the_css_and_the_script():
    style, script = hall.page_fixes(presenting=False)
    assert style.layout.display == script.layout.display == "none"
    assert style.value == f"<style>{hall.CSS}</style>"
    [output] = script.outputs
    assert output["data"]["application/javascript"].strip() == hall.SCRIPT.strip()


def test_css_gives_every_kind_of_control_a_focus_ring():
    focus_rule = hall.CSS.split("{")[0]
    for control in ("select:focus", ".noUi-handle:focus", "button:focus-visible", "input:focus-visible"):
        assert f".tnn-explorer {control}" in focus_rule
    assert re.search(r"outline: 3px solid #0072B2", hall.CSS)


def test_button_colours_meet_wcag_aa_and_the_focus_ring_is_visible_on_white():
    for style in ("success", "warning"):
        background = re.search(rf"mod-{style} \{{ background-color: (#[0-9a-f]{{6}})", hall.CSS).group(1)
        assert contrast("#ffffff", background) >= 4.5, style
    assert contrast(hall.FOCUS, "#ffffff") >= 3.0
    assert contrast("#ffffff", "#388e3c") < 4.5  # ipywidgets' own "success" green, the one replaced


def test_script_names_slider_handles_by_their_description():
    assert "setAttribute('aria-label', name)" in hall.SCRIPT and "upper" in hall.SCRIPT
    assert ".tnn-explorer .widget-slider" in hall.SCRIPT and "MutationObserver" in hall.SCRIPT


def status_px(style_html, classes):
    """The status line's font size in px that the style sets for an explorer whose style widget has
    these classes (15: the inline size Explorer.show_message writes, when no rule applies)."""
    for rule in re.finditer(r"([^{}]+)\{([^}]*)\}", style_html.removeprefix("<style>").removesuffix("</style>")):
        selectors, body = rule.groups()
        size = re.search(r"font-size:\s*(\d+)px\s*!important", body)
        for selector in selectors.split(","):
            keyed = re.search(r":has\(\.([\w-]+)\)", selector)
            if size and ".tnn-status" in selector and keyed and keyed.group(1) in classes:
                return int(size.group(1))
    return 15


@pytest.mark.parametrize("presenting", [True, False])
def test_status_line_is_18_px_in_the_presentation_theme_only(presenting):
    style, _ = hall.page_fixes(presenting=presenting)
    px = status_px(style.value, style._dom_classes)
    if presenting:
        assert px >= MIN_TEXT_PX
    else:
        assert px == 15  # the default view is unchanged
    # the rule is keyed to the explorer that carries it, not to the page: a default explorer's style
    # widget (without the class) is not enlarged by a presenting explorer's rule on the same page
    default_style, _ = hall.page_fixes(presenting=False)
    assert status_px(style.value, default_style._dom_classes) == 15


def test_page_fixes_follow_the_theme_when_not_told(monkeypatch):
    monkeypatch.setenv("TNN_PRESENT", "1")
    assert "tnn-hall-present" in hall.page_fixes()[0]._dom_classes
    widgets.present(False)
    try:
        assert "tnn-hall-present" not in hall.page_fixes()[0]._dom_classes
    finally:
        widgets.present(None)
