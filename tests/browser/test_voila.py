"""Every lecture notebook in Voila (presentation mode) in a real Chromium: no code shown, no error
output, the widgets rendered, an arrow key on the first explorer's slider changes its figure, and
a screenshot lands in test-artifacts/browser/. Also the server's token and address.

In the same visit (issue 14, the lecture hall; hall_checks.py), at 1280x720: the axe-core audit
(no serious or critical violation), the status lines at least 18 px (the presentation theme), the
root URL landing on the index (its visit starts there), the navigation links (previous / contents / next), and on
three explorers of different kinds keyboard operation with a visible focus; from one notebook the
"Next" link is followed to the next notebook.

All tests of this module run in one pytest process, on one Voila server, except the kernel-culling test,
which starts its own with a 2-s idle time.
"""

import time
from urllib.parse import urlsplit

import hall_checks as hall
import psutil
import pytest
from checks import NOTEBOOKS, check_loopback_only, check_page
from lecture_links import expected_links
from notebook_page import open_voila_notebook
from servers import Server

from widgets.theme import MIN_TEXT_PX

LECTURES = [n for n in NOTEBOOKS if n[:2].isdigit()]
# explorers driven from the keyboard: (notebook, what the explorer has) -> checks
KEYBOARD = {"05_learning_rate.ipynb": "slider", "03_capacity.ipynb": "menu and Play / Pause",
            "06_hyperparameter_search.ipynb": "Run / Stop"}
FOLLOW_NEXT_FROM = "00_start_here.ipynb"
LANDING = "index.ipynb"  # what the server's root URL opens (notebooks/present.py)


def explorer_with(page, selector):
    explorers = page.locator(".tnn-explorer")
    for i in range(explorers.count()):
        if explorers.nth(i).locator(selector).count():
            return i, explorers.nth(i)
    raise AssertionError(f"no explorer on the page has {selector}")


def check_keyboard(page, name):
    kind = KEYBOARD[name]
    if kind == "slider":
        i, explorer = explorer_with(page, ".noUi-target:not([disabled]) .noUi-handle")
        hall.check_keyboard_reach_and_focus(page, name, i)
        hall.check_slider_by_keys(page, explorer)
        box = explorer.locator("input[type=checkbox]")
        if box.count():
            before = box.first.is_checked()
            box.first.focus()
            page.keyboard.press(" ")
            assert box.first.is_checked() != before, f"{name}: Space does not toggle the checkbox"
    elif kind == "menu and Play / Pause":
        i, explorer = explorer_with(page, "button:has-text('Play')")
        hall.check_keyboard_reach_and_focus(page, name, i)
        hall.check_menu_by_keys(page, explorer)
        hall.check_button_by_keys(page, explorer, "Play", "Pause")
    else:
        i, explorer = explorer_with(page, "button:has-text('Run')")
        hall.check_keyboard_reach_and_focus(page, name, i)
        hall.check_button_by_keys(page, explorer, "Run", "Stop")


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if not n.startswith("exercises/")])
def test_notebook_in_voila(voila, artifacts, name):
    # the index is opened as a lecturer does: the root URL that `make present` prints lands on it
    page = voila.open(name, path="/" if name == LANDING else None)
    if name == LANDING:
        assert urlsplit(page.url).path == f"/voila/render/{LANDING}", f"the root URL landed on {page.url}"
        assert page.locator(".jp-RenderedMarkdown h1").count(), "the landing page shows no notebook title"
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0, "Voila must not show code"
    check_page(page, name, "voila", artifacts)
    hall.audit(page, name, "voila", artifacts)
    status = hall.status_font_px(page)  # the presentation theme: the status line as large as figure text
    assert min(status, default=MIN_TEXT_PX) >= MIN_TEXT_PX, f"{name}: status lines at {status} px"
    if name in LECTURES:
        assert hall.navigation_links(page) == expected_links(name, LECTURES)
    else:  # the index: a link to every lecture notebook
        hrefs = page.eval_on_selector_all(".jp-RenderedMarkdown a", "as => as.map(a => a.getAttribute('href'))")
        assert [h for h in hrefs if h in LECTURES][:len(LECTURES)] == LECTURES  # then "Start: 00"
    if name in KEYBOARD:
        check_keyboard(page, name)
    if name == FOLLOW_NEXT_FROM:
        following = expected_links(name, LECTURES)["Next"]
        voila.name = following
        hall.follow_next_in_voila(page, name, following, voila.server)
        page.screenshot(path=str(artifacts / f"voila-next-from-{name.removesuffix('.ipynb')}.png"))
        assert page.locator(".jp-InputArea-editor").count() == 0


def test_voila_server_refuses_requests_without_the_token(voila_server):
    first = next(n for n in NOTEBOOKS if not n.startswith("exercises/"))
    assert voila_server.status(f"/voila/render/{first}", token=False) in (302, 401, 403)
    assert voila_server.status("/", token=False) in (302, 401, 403)  # 302: to the index, which refuses too
    assert voila_server.status(f"/voila/render/{LANDING}", token=False) in (302, 401, 403)


def test_voila_server_listens_on_loopback_only(voila_server):
    check_loopback_only(voila_server)


def kernel_pids(server):
    """The process ids of the kernels the server runs (its ipykernel children)."""
    return {c.pid for c in psutil.Process(server.process.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(c.cmdline())}


def test_voila_shuts_down_the_kernels_of_pages_left_behind(served_notebooks, tmp_path, page):
    """Voila starts a kernel for every page and (its shutdown request refused with 403: no _xsrf) kept each
    until the server stopped; notebooks/present.py culls kernels with no page left. Here with a 2-s idle
    time (`make present`: 60 s, notebooks/present.py's CULL): the page the lecturer left loses its kernel,
    the open page keeps its own although it sits idle."""
    fast = ["--MappingKernelManager.cull_idle_timeout=2", "--MappingKernelManager.cull_interval=1"]
    server = Server("voila", served_notebooks, tmp_path / "voila.log", extra_args=fast)
    try:
        open_voila_notebook(page, server, "index.ipynb")
        first = kernel_pids(server)
        assert len(first) == 1, f"one page, kernels {first}"
        open_voila_notebook(page, server, "00_start_here.ipynb")
        deadline = time.monotonic() + 30
        while first & kernel_pids(server) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = kernel_pids(server)
        assert not first & left, "the kernel of the page left behind is still running 30 s later"
        time.sleep(4)  # twice the idle time: the open page's kernel is idle but connected
        assert len(kernel_pids(server)) == 1 and kernel_pids(server) == left, "the open page lost its kernel"
    finally:
        server.stop()
