"""Issue 14's checks on a notebook page that a browser test has already opened (no second visit):
the axe-core audit, the navigation links, following "Next", and keyboard operation with a
visible focus. All at the projector's size, 1280x720.

The audit uses axe-core through axe-playwright-python, which ships axe.min.js (no network). It
fails on any violation of impact "serious" or "critical" and writes every violation (moderate and
minor too) to test-artifacts/browser/axe-<where>-<notebook>.json. Rules switched off, and why:
EXCLUDED (rules) and EXCLUDED_ELEMENTS (rule limited to some elements).
"""
import json
import re

from notebook_page import STEP, voila_state, wait_for

VIEWPORT = {"width": 1280, "height": 720}  # a lecture hall's projector
BLOCKING = ("serious", "critical")

# Rules switched off on every page, with the reason (none so far: keep it that way if you can).
EXCLUDED = {}

# Rules checked everywhere except on these elements, with the reason.
EXCLUDED_ELEMENTS = {
    "image-alt": (
        ".jp-RenderedImage > img",
        "a static image/png output (a matplotlib figure, or a picture a cell displays): JupyterLab's "
        "image renderer, which Voila uses too, creates the <img> with src, width and height only and "
        "has no way to take alt text from the output or its metadata (renderImage in jlab_core). The "
        "explorers' own pictures (img.tnn-figure) are checked: each carries its status sentence.",
    ),
}

# Style of the focused element: a visible focus is an outline or a box-shadow of the focus ring.
FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const explorer = e.closest('.tnn-explorer');
  return {tag: e.tagName, role: e.getAttribute('role'), label: e.getAttribute('aria-label') || '',
          text: (e.innerText || e.value || '').trim().slice(0, 40), disabled: !!e.disabled,
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                   ? s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : '',
          shadow: s.boxShadow !== 'none' && /\\b0px 0px 0px [2-9]/.test(s.boxShadow) ? s.boxShadow : '',
          explorer: explorer ? [...document.querySelectorAll('.tnn-explorer')].indexOf(explorer) : -1};
}"""

# The controls of explorer i that a keyboard user must reach: visible, enabled sliders, menus,
# buttons, checkboxes (a hidden Stop button is not one until a run shows it).
CONTROLS = """(i) => {
  const explorer = document.querySelectorAll('.tnn-explorer')[i];
  const visible = (e) => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  return [...explorer.querySelectorAll('.noUi-handle, select, button, input[type=checkbox]')]
    .filter(e => visible(e) && !e.disabled && !e.closest('[disabled]'))
    .map(e => e.tagName === 'BUTTON' ? 'BUTTON ' + e.innerText.trim()
              : e.tagName === 'SELECT' ? 'SELECT ' + (e.labels && e.labels[0] ? e.labels[0].innerText.trim() : '')
              : e.tagName === 'INPUT' ? 'CHECKBOX ' + (e.title || '')
              : 'SLIDER ' + (e.getAttribute('aria-label') || ''));
}"""

DESCRIBE_FOCUSED = """() => { const e = document.activeElement;
  return e.tagName === 'BUTTON' ? 'BUTTON ' + e.innerText.trim()
       : e.tagName === 'SELECT' ? 'SELECT ' + (e.labels && e.labels[0] ? e.labels[0].innerText.trim() : '')
       : e.tagName === 'INPUT' && e.type === 'checkbox' ? 'CHECKBOX ' + (e.title || '')
       : e.classList.contains('noUi-handle') ? 'SLIDER ' + (e.getAttribute('aria-label') || '')
       : e.tagName + ' ' + (e.className || ''); }"""


def audit(page, name, where, artifacts):
    """axe-core on the page as it is: no violation of impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size(VIEWPORT)
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in EXCLUDED}}
    violations = Axe().run(page, options=options).response["violations"]
    excluded = []
    for rule, (selector, _) in EXCLUDED_ELEMENTS.items():
        for violation in violations:
            if violation["id"] == rule:
                matches = [page.locator(n["target"][0]).evaluate("(e, s) => e.matches(s)", selector)
                           for n in violation["nodes"]]
                excluded += [{"rule": rule, "html": n["html"][:200]}
                             for n, match in zip(violation["nodes"], matches, strict=True) if match]
                violation["nodes"] = [n for n, match in zip(violation["nodes"], matches, strict=True) if not match]
    violations = [v for v in violations if v["nodes"]]
    report = artifacts / f"axe-{where}-{name.replace('/', '__').removesuffix('.ipynb')}.json"
    report.write_text(json.dumps({"violations": violations, "excluded": excluded}, indent=1))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    lines = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}; first: "
             f"{v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')[:200]!r}" for v in blocking]
    assert not blocking, f"{name} in {where}: axe-core finds {len(blocking)} serious or critical violations " \
                         f"(all in {report}):\n" + "\n".join(lines)
    return violations


def status_font_px(page):
    """The computed font size in px of every explorer's status sentence (the innermost <div> that holds
    the text; the HTML widget's wrapper div around it has the page's widget font size)."""
    # one evaluate: the query and the reading in the same JavaScript task. (eval_on_selector_all queries
    # first and calls the function in a later task; an explorer whose background run was still streaming
    # its status line had replaced the <div> by then, and a detached <div> has no computed font size: NaN.)
    return page.evaluate(
        "() => [...document.querySelectorAll('.tnn-explorer .tnn-status div')]"
        "        .filter(d => d.textContent.trim() && !d.querySelector('div'))"
        "        .map(d => parseFloat(getComputedStyle(d).fontSize))")


LINK = re.compile(r"\*\*(Previous|Contents|Next):\*\*")


def navigation_links(page):
    """{"Previous"/"Contents"/"Next": href} of the navigation cell on the page."""
    return page.evaluate("""() => {
      const found = {};
      for (const strong of document.querySelectorAll('.jp-RenderedMarkdown strong')) {
        const m = strong.textContent.match(/^(Previous|Contents|Next):$/);
        const a = strong.nextElementSibling;
        if (m && a && a.tagName === 'A') found[m[1]] = a.getAttribute('href');
      }
      return found;
    }""")


def follow_next_in_voila(page, name, following, server):
    """Click "Next" and wait until Voila has rendered the next notebook (its title on screen)."""
    page.set_viewport_size(VIEWPORT)
    page.locator(".jp-RenderedMarkdown strong:text-is('Next:') + a").click(timeout=STEP * 1000)

    def landed():
        try:
            ready = page.evaluate("""() => [location.pathname, document.readyState,
                !!document.querySelector('.jp-RenderedMarkdown h1'),
                (document.getElementById('loading_text') || {}).textContent || '']""")
        except Exception:  # the page is navigating
            return False, None, None
        path, state, heading, loading = ready
        done = path.endswith("/voila/render/" + following) and state == "complete" and heading and not loading
        return done, (path, state, heading, loading), None

    wait_for(page, f"follow Next from {name} to {following} in Voila", landed, following, "voila")
    title = page.locator(".jp-RenderedMarkdown h1").first.inner_text().strip().rstrip("¶").strip()
    assert title.startswith(following[:2]), f"Next from {name} landed on {page.url} titled {title!r}; " \
                                            f"{voila_state(page)}"
    return title


def tab_through_explorer(page, index, max_presses=40):
    """Focus explorer `index`'s first control and press Tab until the focus leaves it; return the
    focused elements' descriptions and styles in order."""
    page.set_viewport_size(VIEWPORT)
    explorer = page.locator(".tnn-explorer").nth(index)
    explorer.locator(".noUi-handle, select, button, input[type=checkbox]").first.focus()
    seen = []
    for _ in range(max_presses):
        style = page.evaluate(FOCUS_STYLE)
        if style is None or style["explorer"] != index:
            break
        style["what"] = page.evaluate(DESCRIBE_FOCUSED)
        seen.append(style)
        page.keyboard.press("Tab")
    return seen


def check_keyboard_reach_and_focus(page, name, index):
    """Every visible control of explorer `index` is reached by Tab, and shows a visible focus."""
    controls = page.evaluate(CONTROLS, index)
    assert controls, f"{name}: explorer {index} has no controls"
    seen = tab_through_explorer(page, index)
    reached = [s["what"] for s in seen]
    missing = [c for c in controls if c not in reached]
    assert not missing, f"{name}: Tab does not reach {missing} in explorer {index} (reached {reached})"
    invisible = [s["what"] for s in seen if s["what"].split()[0] in ("SLIDER", "SELECT", "BUTTON", "CHECKBOX")
                 and not (s["outline"] or s["shadow"])]
    assert not invisible, f"{name}: no visible focus (outline or focus ring >= 2 px) on {invisible}"
    unnamed = [s["what"] for s in seen if s["what"] == "SLIDER "]
    assert not unnamed, f"{name}: a focused slider has no accessible name (aria-label)"
    return reached


def press_on(page, locator, key):
    locator.scroll_into_view_if_needed(timeout=STEP * 1000)
    locator.focus(timeout=STEP * 1000)
    page.keyboard.press(key)


def wait_for_new_picture(page, figure, before, what):
    page.wait_for_function("([img, before]) => img.src !== before && img.complete",
                           arg=[figure.element_handle(), before], timeout=STEP * 1000)


def check_slider_by_keys(page, explorer):
    """ArrowRight on a focused slider moves its value and redraws the picture."""
    handle = explorer.locator(".noUi-target:not([disabled]) .noUi-handle").first
    figure = explorer.locator("img.tnn-figure").first
    if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
        key = "ArrowLeft"
    else:
        key = "ArrowRight"
    value, src = handle.get_attribute("aria-valuenow"), figure.get_attribute("src")
    press_on(page, handle, key)
    wait_for_new_picture(page, figure, src, "slider")
    assert handle.get_attribute("aria-valuenow") != value


def check_menu_by_keys(page, explorer):
    """A menu chosen from the keyboard (focus, ArrowDown: Chromium changes a closed <select>'s
    value with the arrow keys on Linux) applies the case and redraws the picture."""
    menu = explorer.locator(".widget-dropdown select:not([disabled])").first
    figure = explorer.locator("img.tnn-figure").first
    index, src = menu.evaluate("e => e.selectedIndex"), figure.get_attribute("src")
    last = menu.evaluate("e => e.options.length - 1")
    press_on(page, menu, "ArrowUp" if index == last else "ArrowDown")
    page.wait_for_function("([e, i]) => e.selectedIndex !== i", arg=[menu.element_handle(), index],
                           timeout=STEP * 1000)
    wait_for_new_picture(page, figure, src, "menu")


def check_button_by_keys(page, explorer, start, stop, key_start="Enter", key_stop=" "):
    """A run started with Enter on `start` moves the picture; Space on `stop` ends it (the picture
    then stays still)."""
    figure = explorer.locator("img.tnn-figure").first
    src = figure.get_attribute("src")
    press_on(page, explorer.locator(f"button:has-text('{start}')").first, key_start)
    wait_for_new_picture(page, figure, src, "run")
    stopper = explorer.locator(f"button:has-text('{stop}')").first
    stopper.wait_for(state="visible", timeout=STEP * 1000)
    press_on(page, stopper, key_stop)
    # stopped: the picture stops changing within a few seconds
    page.wait_for_function("""(img) => new Promise(done => {
        const before = img.src; setTimeout(() => done(img.src === before), 1500); })""",
                           arg=figure.element_handle(), timeout=STEP * 1000, polling=2000)
