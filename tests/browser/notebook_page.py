"""What a person does with a notebook page, for the browser tests and the latency benchmark.

No step waits long on something stuck. Each wait watches for progress and fails with `StepFailed`
(what it waited for, and the notebook's cell state) once nothing has moved for STEP seconds, or
sooner when the state shows the wait cannot end (the kernel is idle while cells still wait for it,
a cell raised). The browser tests' conftest adds the server log's tail and a screenshot.

Why opening a notebook in JupyterLab waits for its kernel: JupyterLab shows a notebook, and its
toolbar's execution indicator says "idle", before the notebook has a session or a kernel (the
indicator starts as "idle"). "Run All Cells" clicked then finds no kernel: JupyterLab either skips
every cell, or starts a second kernel next to the one its session is starting, shuts one down,
and runs the cells on a connection to the kernel that is going away. The cells then wait forever
and the server logs a 500 on /api/kernels/<id>/channels ('NoneType' object has no attribute
'kernel_ws_protocol': the page closed a websocket the server was still setting up for a kernel
that was shutting down). The slower the server (a loaded machine, the previous notebook's kernel
shutting down), the wider that window, so the old tests hung only inside the full suite.
`open_lab_notebook` therefore returns only when the page's own session has a kernel that is
connected and idle.
"""
import os
import re
import time

STEP = float(os.environ.get("BROWSER_STEP_TIMEOUT", "60"))  # s without progress before a step fails
# The kernel idle and nothing changing on the page for this long while cells still wait: their
# execute requests went nowhere. (Between two cells the kernel is idle for milliseconds.)
IDLE_WITH_WORK_LEFT = 15
POLL = 0.25

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ERROR_TEXTS = ("Traceback (most recent call last)", "Error displaying widget", "Could not update:",
               "Could not finish:", "There was an error when executing cell", "Failed to load model class")
DONE = re.compile(r"^\[\d+\]:?$")

# The state of the notebook `path` in the JupyterLab page (window.jupyterapp, exposed by the test
# server): its kernel as the page sees it, any dialog, and per code cell the prompt, the first
# source line and the end of its output.
LAB_STATE = """(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return {app: false};
  const panels = [...app.shell.widgets('main')].filter(w => w.context && w.sessionContext && w.content);
  const dialog = document.querySelector('.jp-Dialog');
  const state = {app: true, open: panels.map(w => w.context.path),
                 dialog: dialog ? dialog.innerText.slice(0, 300) : null};
  const w = panels.find(p => p.context.path === path);
  if (!w) return state;
  const sc = w.sessionContext;
  const k = sc.session ? sc.session.kernel : null;
  state.panel = true;
  state.ready = w.context.isReady && sc.isReady;
  state.kernel = k ? {id: k.id, connection: k.connectionStatus, status: k.status} : null;
  state.cells = w.content.widgets.filter(c => c.model.type === 'code').map(c => {
    const prompt = c.node.querySelector('.jp-InputArea-prompt');
    const outputs = c.model.outputs.toJSON();
    const error = outputs.find(o => o.output_type === 'error');
    const out = c.node.querySelector('.jp-OutputArea');
    return {prompt: prompt ? prompt.textContent.trim() : '',
            tags: c.model.getMetadata('tags') || [],
            source: c.model.sharedModel.getSource().split('\\n')[0].slice(0, 80),
            error: error ? `${error.ename}: ${error.evalue}`.slice(0, 300) : null,
            output: out ? out.innerText.slice(-200) : ''};
  });
  return state;
}"""

OPEN_IN_APP = """(path) => { window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }"""

# Shut down the notebook's session from the page (its websocket closes before its kernel goes),
# then drop the panel without a "save changes?" dialog: the served notebooks are a throwaway copy.
CLOSE_IN_APP = """async (path) => {
  const app = window.jupyterapp;
  const panels = [...app.shell.widgets('main')].filter(w => w.context && w.sessionContext);
  for (const w of panels.filter(p => path === null || p.context.path === path)) {
    try { await w.sessionContext.shutdown(); } catch (e) { /* the server side is cleaned up next */ }
    w.context.model.dirty = false;
    w.dispose();
  }
}"""


class StepFailed(AssertionError):
    """A browser step that could not finish; the message says what it waited for and what it saw."""


def lab_state(page, name):
    return page.evaluate(LAB_STATE, name)


def format_lab_state(state):
    if not state.get("app"):
        return "JupyterLab has not started in the page (no window.jupyterapp)"
    lines = [f"open notebooks: {state['open']}"]
    if state.get("dialog"):
        lines.append(f"dialog on screen: {state['dialog']!r}")
    if state.get("panel"):
        lines.append(f"notebook ready: {state['ready']}; kernel as the page sees it: {state['kernel']}")
        for i, cell in enumerate(state["cells"]):
            mark = ">>" if "*" in cell["prompt"] or cell["error"] else "  "
            lines.append(f"{mark} code cell {i:2d} {cell['prompt']:>7s} {cell['source']}")
            if cell["error"]:
                lines.append(f"      raised {cell['error']}")
            elif mark == ">>" and cell["output"].strip():
                lines.append(f"      output so far: ...{cell['output'].strip()[-150:]!r}")
    return "\n".join(lines)


def voila_state(page):
    try:
        ready, loading, outputs, text = page.evaluate("""() => [document.readyState,
            (document.getElementById('loading_text') || {}).textContent || '',
            document.querySelectorAll('.jp-OutputArea-output').length,
            document.body ? document.body.innerText.slice(-300) : '']""")
    except Exception as error:  # the page is gone or its JavaScript is stuck
        return f"the page did not answer: {error}"
    return (f"document {ready}; Voila's progress text: {loading!r}; {outputs} outputs rendered; "
            f"end of the page's text: {text.strip()!r}")


def describe(page, name, where):
    """The notebook's state in the page, for a failure message."""
    try:
        return format_lab_state(lab_state(page, name)) if where == "lab" else voila_state(page)
    except Exception as error:
        return f"could not read the page's state: {error}"


def wait_for(page, what, check, name, where, step=STEP):
    """Poll check() -> (done, progress marker, reason to give up or None) until done. Fail once the
    marker has not changed for `step` seconds, or at once when check gives a reason."""
    marker, since = object(), time.monotonic()
    while True:
        done, now_marker, hopeless = check()
        if done:
            return
        if hopeless:
            raise StepFailed(f"{what}: {hopeless}\n{describe(page, name, where)}")
        if now_marker != marker:
            marker, since = now_marker, time.monotonic()
        elif time.monotonic() - since > step:
            raise StepFailed(f"{what}: nothing changed for {step:.0f} s\n{describe(page, name, where)}")
        time.sleep(POLL)


def open_lab_notebook(page, server, name, step=STEP):
    """Open `name` in JupyterLab and return when its own kernel is connected and idle. A page that
    already runs this server's JupyterLab opens it there (no reload); otherwise the page loads it."""
    if page.url.startswith(server.base + "/lab") and page.evaluate("() => !!window.jupyterapp"):
        page.evaluate(OPEN_IN_APP, name)
    else:
        # ?reset: a fresh workspace, so notebooks opened earlier are not restored beside this one
        page.goto(server.url(f"/lab/tree/{name}?reset"), timeout=step * 1000)

    def ready():
        try:
            state = lab_state(page, name)
        except Exception:  # the page is still loading JupyterLab
            return False, None, None
        kernel = state.get("kernel") or {}
        done = kernel.get("connection") == "connected" and kernel.get("status") == "idle" and state["ready"]
        hopeless = f"a dialog is in the way: {state['dialog']!r}" if state.get("dialog") else None
        return done, (state.get("panel"), state.get("ready"), str(kernel)), hopeless

    wait_for(page, f"open {name} with a connected, idle kernel", ready, name, "lab", step)


def close_lab_notebook(page, server, name=None):
    """Shut the notebook's session down from the page and close it (every notebook if name is None),
    then wait until the server has no session and no kernel left."""
    try:
        page.evaluate(CLOSE_IN_APP, name)
    finally:
        server.shutdown_kernels()


def run_all_cells(page, name=None, step=STEP):
    """Run > Run All Cells (once: the kernel is ready, so the click cannot be lost), then wait until
    every code cell has an execution count and the kernel is idle. Fails fast when a cell raises or
    the kernel sits idle while cells still wait, and after `step` s without any cell finishing."""
    if name is None:  # the notebook on screen
        name = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    page.click("li.lm-MenuBar-item:has-text('Run')", timeout=step * 1000)
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')", timeout=step * 1000)
    idle_since = [None]

    def finished():
        state = lab_state(page, name)
        cells, kernel = state.get("cells", []), state.get("kernel") or {}
        prompts = tuple(cell["prompt"] for cell in cells)
        # a cell tagged raises-exception (an nbgrader test cell in a student's release) may raise:
        # JupyterLab's Run All goes on past it
        raised = [(i, cell["error"]) for i, cell in enumerate(cells)
                  if cell["error"] and "raises-exception" not in cell["tags"]]
        if raised:
            return False, prompts, f"code cell {raised[0][0]} raised {raised[0][1]}"
        if state.get("dialog"):
            return False, prompts, f"a dialog is in the way: {state['dialog']!r}"
        idle = kernel.get("status") == "idle"
        if idle and all(DONE.match(p) for p in prompts):
            return True, prompts, None
        # idle with work left: fine for an instant (between cells), hopeless if it lasts
        if not idle or idle_since[0] is None or idle_since[0][0] != prompts:
            idle_since[0] = (prompts, time.monotonic()) if idle else None
        elif time.monotonic() - idle_since[0][1] > IDLE_WITH_WORK_LEFT:
            waiting = [i for i, p in enumerate(prompts) if not DONE.match(p)]
            return False, prompts, (f"the kernel has been idle for {IDLE_WITH_WORK_LEFT} s while code cells "
                                    f"{waiting} have not run (their execute requests went nowhere)")
        return False, prompts, None

    wait_for(page, f"run all cells of {name}", finished, name, "lab", step)


def open_voila_notebook(page, server, name, step=STEP, path=None):
    """Voila executes the notebook while it streams the page, updating its "Executing i of n" text;
    'load' fires when every cell has run. Fails when that text has not changed for `step` s.
    path: the URL path to go to (default /voila/render/<name>), e.g. "/", which lands on the index."""
    page.goto(server.url(path or f"/voila/render/{name}"), timeout=step * 1000, wait_until="commit")

    def loaded():
        try:
            ready, loading = page.evaluate(
                "() => [document.readyState, (document.getElementById('loading_text') || {}).textContent]")
        except Exception:  # the document is being replaced while it streams in
            return False, None, None
        return ready == "complete", loading, None

    wait_for(page, f"render {name} in Voila", loaded, name, "voila", step)
    page.wait_for_load_state("networkidle", timeout=step * 1000)


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


def move_slider(page, handle, figure, timeout=STEP * 1000):
    """Press an arrow key on a focused slider (or pick the next option of a menu); return seconds
    until the figure's image changed."""
    handle.scroll_into_view_if_needed(timeout=timeout)
    before = figure.get_attribute("src", timeout=timeout)
    menu = handle.evaluate("e => e.tagName") == "SELECT"
    if menu:
        at_end = handle.evaluate("e => e.selectedIndex === e.options.length - 1")
    else:
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus(timeout=timeout)
    start = time.perf_counter()
    if menu:  # a closed <select> in headless Chromium ignores arrow keys: choose the neighbouring option
        index = handle.evaluate("e => e.selectedIndex")
        handle.select_option(index=index - 1 if at_end else index + 1, timeout=timeout)
    else:
        page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
    figure.element_handle(timeout=timeout).wait_for_element_state("stable", timeout=timeout)
    page.wait_for_function("([img, before]) => img.src !== before && img.complete",
                           arg=[figure.element_handle(timeout=timeout), before], timeout=timeout)
    return time.perf_counter() - start
