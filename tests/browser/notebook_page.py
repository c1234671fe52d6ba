"""What a person does with a notebook page, for the browser tests and the latency benchmark."""
import time

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
RUN_ALL_DONE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')] : [];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""

ERROR_TEXTS = ("Traceback (most recent call last)", "Error displaying widget", "Could not update:",
               "Could not finish:", "There was an error when executing cell", "Failed to load model class")


def open_lab_notebook(page, server, name, timeout=90_000):
    # ?reset: a fresh workspace, so notebooks opened by earlier tests are not restored beside this one
    page.goto(server.url(f"/lab/tree/{name}?reset"), timeout=timeout)
    page.wait_for_selector(PANEL, timeout=timeout)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def run_all_cells(page, timeout=300_000):
    """Run > Run All Cells, then wait until every code cell has an execution count and the kernel is idle."""
    for _ in range(3):
        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt')]
                                        .some(p => /\\[[\\d*]+\\]/.test(p.textContent))""",
                timeout=15_000,
            )
            break
        except Exception:
            continue
    page.wait_for_function(RUN_ALL_DONE, timeout=timeout)
    page.wait_for_selector(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout)


def open_voila_notebook(page, server, name, timeout=300_000):
    """Voila executes the notebook while it streams the page: 'load' fires when every cell has run."""
    page.goto(server.url(f"/voila/render/{name}"), timeout=timeout, wait_until="load")
    page.wait_for_load_state("networkidle", timeout=timeout)


def error_texts(page):
    """Visible texts on the page that show an error (tracebacks, widget failures, explorer errors)."""
    body = page.inner_text("body")
    return [text for text in ERROR_TEXTS if text in body]


def first_explorer_with_slider(page):
    """(handle, figure) locators of the first explorer on the page that has a slider, or None."""
    explorers = page.locator(".tnn-explorer")
    enabled = ".noUi-target:not([disabled]) .noUi-handle"  # a greyed-out slider ignores keys
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        if explorer.locator(enabled).count() and explorer.locator("img.tnn-figure").count():
            return explorer.locator(enabled).first, explorer.locator("img.tnn-figure").first
    return None


def first_explorer_with_menu(page):
    """(select, figure) locators of the first explorer with a drop-down menu: its last one (the
    "Lecture case" menu comes first)."""
    explorers = page.locator(".tnn-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        menus = explorer.locator(".widget-dropdown select:not([disabled])")
        if menus.count() and explorer.locator("img.tnn-figure").count():
            return menus.last, explorer.locator("img.tnn-figure").first
    return None


def move_slider(page, handle, figure, timeout=60_000):
    """Press an arrow key on a focused slider (or pick the next option of a menu); return seconds
    until the figure's image changed."""
    handle.scroll_into_view_if_needed()
    before = figure.get_attribute("src")
    menu = handle.evaluate("e => e.tagName") == "SELECT"
    if menu:
        at_end = handle.evaluate("e => e.selectedIndex === e.options.length - 1")
    else:
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    start = time.perf_counter()
    if menu:  # a closed <select> in headless Chromium ignores arrow keys: choose the neighbouring option
        index = handle.evaluate("e => e.selectedIndex")
        handle.select_option(index=index - 1 if at_end else index + 1)
    else:
        page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
    figure.element_handle().wait_for_element_state("stable")
    page.wait_for_function("([img, before]) => img.src !== before && img.complete",
                           arg=[figure.element_handle(), before], timeout=timeout)
    return time.perf_counter() - start
