"""Fixtures for browser tests: Debian's Chromium driven by Playwright, real JupyterLab and Voila
servers on 127.0.0.1 with a random token, serving a copy of notebooks/ (so runs never touch the
committed notebooks). One server of each kind serves all tests of a pytest process.

For a new browser test, take one of these fixtures:

- `lab`: one JupyterLab page kept open across tests (loading JupyterLab costs seconds), with no
  notebook open and no kernel on the server when the test starts. `lab.open(name)` opens a
  notebook and returns the page once the notebook's kernel is connected and idle; `lab.run_all()`
  runs every cell. Afterwards the fixture shuts the notebook's session down from the page and
  waits until the server has no kernel left. After a failure the next test gets a new page.
- `voila`: `voila.open(name)` returns a new page (its own browser context) with the notebook
  rendered by Voila and idle; the fixture closes it.

Both register the page, so that a failing test's report carries a diagnostic: the notebook's
state in the page (which cell runs or raised, the kernel as the page sees it, any dialog), a
screenshot in test-artifacts/browser/, and the tail of the server's log. `make test` runs the suite in
two processes and hands each test module whole to one of them: put a new Lab test in
test_jupyterlab.py and a new Voila test in test_voila.py (or a module of its own, which then
starts its own server in whichever process runs it).
"""
import os
import re
import shutil
from pathlib import Path

import pytest
from notebook_page import close_lab_notebook, describe, open_lab_notebook, open_voila_notebook, run_all_cells
from servers import Server, chromium_args, find_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}
DIAGNOSE = pytest.StashKey()
REPORTS = pytest.StashKey()


# pytest-timeout backstop for a browser test (pyproject's default is 120 s): its steps fail on their
# own after STEP s without progress, so this fires only if a Playwright call itself hangs. The first
# test in a process also starts the server and Chromium.
BROWSER_TIMEOUT = 240


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report (the fixtures look at them) and add the diagnostic to a failure."""
    report = (yield).get_result()
    item.stash.setdefault(REPORTS, {})[report.when] = report
    if report.failed and DIAGNOSE in item.stash:
        try:
            text = item.stash[DIAGNOSE](item)
        except Exception as error:  # a diagnostic must not hide the failure it describes
            text = f"(no diagnostic: {error!r})"
        report.sections.append(("browser diagnostic", text))


def failed(request):
    return any(report.failed for report in request.node.stash.get(REPORTS, {}).values())


def diagnostic(page, server, name, where):
    """The text added to a failing test's report: page state, screenshot, server log."""
    def make(item):
        parts = []
        if page() is not None:
            parts.append(describe(page(), name(), where))
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / ("FAILED-" + re.sub(r"[^\w.-]+", "_", item.name) + ".png")
            try:
                page().screenshot(path=str(shot), timeout=10_000)
                parts.append(f"screenshot: {shot}")
            except Exception as error:
                parts.append(f"no screenshot: {error}")
        parts.append(server.log_tail())
        return "\n".join(parts)
    return make


@pytest.fixture
def diagnose(request):
    """diagnose(page, server, name, where): register a page that the test drives itself for the
    failure diagnostic (page and name may be callables, for a page the test replaces)."""
    def register(page, server, name, where):
        as_callable = lambda value: value if callable(value) else (lambda: value)
        request.node.stash[DIAGNOSE] = diagnostic(as_callable(page), server, as_callable(name), where)
    return register


@pytest.fixture(scope="session")
def chromium():
    path = find_chromium(headless_shell=True)
    if path is None:
        reason = "no Chromium found (/usr/bin/chromium): install it with `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run under CI, but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    root = tmp_path_factory.mktemp("served") / "notebooks"
    # not what an instructor's nbgrader runs leave in the course directory
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "submitted", "autograded", "feedback", "gradebook.db")
    shutil.copytree(ROOT / "notebooks", root, ignore=ignore)
    return root


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=chromium_args(chromium))
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A blank page in its own browser context."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def lab_server(served_notebooks, tmp_path_factory, chromium):
    server = Server("lab", served_notebooks, tmp_path_factory.mktemp("lab") / "lab.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(served_notebooks, tmp_path_factory, chromium):
    server = Server("voila", served_notebooks, tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class LabPage:
    """One JupyterLab page on the lab server, reused by the tests one after another."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.context = self.page = self.name = None

    def open(self, name):
        if self.page is None:
            self.context = self.browser.new_context(viewport=VIEWPORT)
            self.page = self.context.new_page()
        self.name = name
        open_lab_notebook(self.page, self.server, name)
        return self.page

    def run_all(self):
        run_all_cells(self.page, self.name)

    def close_notebook(self):
        if self.page is not None:
            close_lab_notebook(self.page, self.server)
        self.name = None

    def discard(self):
        """Close the page (its websockets first), then shut down whatever kernel it left."""
        if self.context is not None:
            self.context.close()
        self.context = self.page = self.name = None
        self.server.shutdown_kernels()


@pytest.fixture(scope="session")
def lab_app(browser, lab_server):
    app = LabPage(browser, lab_server)
    yield app
    app.discard()


@pytest.fixture
def lab(lab_app, lab_server, request):
    """The shared JupyterLab page, with no notebook open and no kernel on the server."""
    leftover = lab_server.api("/api/sessions"), lab_server.api("/api/kernels")
    assert leftover == ([], []), f"a previous test left sessions/kernels on the lab server: {leftover}"
    request.node.stash[DIAGNOSE] = diagnostic(lambda: lab_app.page, lab_server, lambda: lab_app.name, "lab")
    yield lab_app
    if failed(request):
        lab_app.discard()  # the next test starts from a new page, whatever state this one left
    else:
        try:
            lab_app.close_notebook()
        except Exception:
            lab_app.discard()
            raise


class VoilaPages:
    """Voila pages, each in its own browser context; closed by the fixture."""

    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self.contexts, self.page, self.name = [], None, None

    def open(self, name, path=None):
        """A new page with the notebook; path: the URL to go to instead of /voila/render/<name>."""
        context = self.browser.new_context(viewport=VIEWPORT)
        self.contexts.append(context)
        self.page, self.name = context.new_page(), name
        open_voila_notebook(self.page, self.server, name, path=path)
        return self.page

    def close(self):
        for context in self.contexts:
            context.close()
        self.contexts, self.page = [], None


@pytest.fixture
def voila(browser, voila_server, request):
    pages = VoilaPages(browser, voila_server)
    request.node.stash[DIAGNOSE] = diagnostic(lambda: pages.page, voila_server, lambda: pages.name, "voila")
    yield pages
    pages.close()
