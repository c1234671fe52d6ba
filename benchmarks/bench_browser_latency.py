"""End-to-end latency in a real browser: keypress on the main slider of each notebook -> new figure
loaded on screen, median and 95th percentile over PRESSES presses, in JupyterLab and in Voila.

    python benchmarks/bench_browser_latency.py [notebook-substring ...]
    python benchmarks/bench_browser_latency.py --present [notebook-substring ...]

--present: Voila only, at the projector's 1280x720, the default theme (TNN_PRESENT=0) beside the
presentation theme (TNN_PRESENT=1), each on its own Voila server, in the same run (issue 14: bigger
text must not make the sliders slower; target: every median at most 100 ms).

Needs Debian's Chromium (/usr/bin/chromium). The time is measured inside the page: from the keydown
event to the 'load' event of the figure's new image (the kernel's compute and drawing, the transfer
of the PNG, and the browser's decoding). Compare with bench_latency.py (compute + draw in the kernel
alone) to see where the time goes.
"""
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from notebook_page import first_explorer_with_slider, open_lab_notebook, open_voila_notebook, run_all_cells  # noqa: E402
from servers import CHROMIUM_ARGS, Server, find_chromium  # noqa: E402

PRESSES = 16

def measure(page, handle, figure, presses=PRESSES):
    timings = []
    key = "ArrowRight"
    for i in range(presses + 1):
        if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax"):
            key = "ArrowLeft"
        elif handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemin"):
            key = "ArrowRight"
        before = figure.get_attribute("src")
        page.evaluate(
            """([h, img]) => {
            window.__t0 = 0; window.__t1 = 0;
            h.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {capture: true, once: true});
            const before = img.src;
            const check = () => {
              if (img.src !== before && img.complete && img.naturalWidth) { window.__t1 = performance.now(); }
              else { requestAnimationFrame(check); }
            };
            requestAnimationFrame(check);
        }""",
            [handle.element_handle(), figure.element_handle()],
        )
        handle.focus()
        page.keyboard.press(key)
        page.wait_for_function("() => window.__t1 > 0", timeout=60_000)
        elapsed = page.evaluate("() => window.__t1 - window.__t0")
        if i:
            timings.append(elapsed)
        page.wait_for_timeout(150)  # let trailing throttled updates settle
        assert figure.get_attribute("src") != before
    return timings


def explorer_with_slider(page):
    """first_explorer_with_slider, or, when every slider is greyed out at the explorers' start cases
    (09 opens on "no regularization"), the first explorer after choosing the first lecture case in its
    menu that enables one (what a lecturer does before dragging the slider). None if there is none."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    found = first_explorer_with_slider(page)
    if found is not None:
        return found
    explorer = page.locator(".tnn-explorer").first
    menu = explorer.locator(".widget-dropdown select:not([disabled])").first
    if not explorer.count() or not menu.count():
        return None
    figure = explorer.locator("img.tnn-figure").first
    for index in range(1, menu.evaluate("e => e.options.length")):
        before = figure.get_attribute("src")
        menu.select_option(index=index)
        try:  # the case shown already (the start case) draws nothing new
            page.wait_for_function("([img, before]) => img.src !== before && img.complete",
                                   arg=[figure.element_handle(), before], timeout=15_000)
        except PlaywrightTimeout:
            pass
        page.wait_for_timeout(300)  # the controls' enabled state follows the case
        found = first_explorer_with_slider(page)
        if found is not None:
            return found
    return None


def quantile(timings, q):
    """The q-quantile of the timings (nearest rank below)."""
    return sorted(timings)[int(q * (len(timings) - 1))]


def summary(timings, qs=(0.95,)):
    """(median, quantile q for each q) of a list of timings in ms; NaNs when the notebook had no slider."""
    if not timings:
        return (float("nan"),) * (1 + len(qs))
    return (statistics.median(timings), *(quantile(timings, q) for q in qs))


def prepare(filters):
    """(Chromium's path, the lecture notebooks whose name contains a filter, a folder holding a copy of
    notebooks/ for the servers to serve)."""
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: apt-get install chromium")
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    notebooks = [n for n in notebooks if not filters or any(f in n for f in filters)]
    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    return chromium, notebooks, work


def main_present(filters):
    """Voila in the default theme and in the presentation theme, side by side, at 1280x720."""
    from playwright.sync_api import sync_playwright

    chromium, notebooks, work = prepare(filters)
    servers = {theme: Server("voila", work / "notebooks", work / f"voila-{theme}.log", {"TNN_PRESENT": flag})
               for theme, flag in (("default", "0"), ("present", "1"))}
    print(f"machine: {platform.machine()}, {platform.node()}, python {platform.python_version()}; "
          f"{PRESSES} presses each; Voila at 1280x720")
    print(f"{'notebook':34s} {'default median':>14s} {'p90':>5s} {'present median':>14s} {'p90':>5s} {'p95':>5s}  (ms)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for name in notebooks:
                row = []
                for theme in ("default", "present"):
                    page = browser.new_page(viewport={"width": 1280, "height": 720})
                    try:
                        open_voila_notebook(page, servers[theme], name)
                        found = explorer_with_slider(page)
                        row.extend(summary(measure(page, *found) if found else [], (0.90, 0.95)))
                    finally:
                        page.close()
                print(f"{name:34s} {row[0]:14.0f} {row[1]:5.0f} {row[3]:14.0f} {row[4]:5.0f} {row[5]:5.0f}",
                      flush=True)
            browser.close()
    finally:
        for server in servers.values():
            server.stop()


def main(filters):
    from playwright.sync_api import sync_playwright

    chromium, notebooks, work = prepare(filters)
    lab = Server("lab", work / "notebooks", work / "lab.log")
    voila = Server("voila", work / "notebooks", work / "voila.log", {"TNN_PRESENT": "0"})  # default theme; --present
    print(
        f"machine: {platform.machine()}, {platform.node()}, python {platform.python_version()}; {PRESSES} presses each"
    )
    print(f"{'notebook':34s} {'lab median':>10s} {'lab p95':>8s} {'voila median':>12s} {'voila p95':>9s}  (ms)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for name in notebooks:
                row = []
                for where in ("lab", "voila"):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    try:
                        if where == "lab":
                            open_lab_notebook(page, lab, name)
                            run_all_cells(page)
                        else:
                            open_voila_notebook(page, voila, name)
                        found = explorer_with_slider(page)
                        row.extend(summary(measure(page, *found) if found else []))
                    finally:
                        page.close()
                        lab.shutdown_kernels()
                print(f"{name:34s} {row[0]:10.0f} {row[1]:8.0f} {row[2]:12.0f} {row[3]:9.0f}", flush=True)
            browser.close()
    finally:
        lab.stop()
        voila.stop()


if __name__ == "__main__":
    if "--present" in sys.argv[1:]:
        main_present([a for a in sys.argv[1:] if a != "--present"])
    else:
        main(sys.argv[1:])
