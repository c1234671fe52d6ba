"""Regenerate the README's screenshots: a few notebooks in Voila (presentation mode), in Chromium.

    python docs/make_screenshots.py            (or: make screenshots)
    python docs/make_screenshots.py --present  the lecture hall: explorers in the presentation theme
                                               (TNN_PRESENT=1) as a 1280x720 projector shows them
"""
import io
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from notebook_page import open_voila_notebook  # noqa: E402
from servers import CHROMIUM_ARGS, Server, find_chromium  # noqa: E402

SHOTS = {  # notebook -> which explorer on the page (0 = first)
    "05_learning_rate.ipynb": 0,
    "03_capacity.ipynb": 0,
    "08_initialization.ipynb": 0,
    "11_updates.ipynb": 0,
}
WIDTH = 900
PRESENT_SHOTS = ("05_learning_rate.ipynb", "08_initialization.ipynb")  # the first explorer of each
PROJECTOR = {"width": 1280, "height": 720}


def present():
    """docs/present-<notebook>.png: the page at 1280x720, scrolled to the notebook's first explorer."""
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    server = Server("voila", work / "notebooks", work / "voila.log", {"TNN_PRESENT": "1"})
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name in PRESENT_SHOTS:
                page = browser.new_page(viewport=PROJECTOR)
                open_voila_notebook(page, server, name)
                page.locator(".tnn-explorer").first.evaluate("e => e.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(300)
                out = ROOT / "docs" / f"present-{name.removesuffix('.ipynb')}.png"
                Image.open(io.BytesIO(page.screenshot())).convert("RGB").save(out, optimize=True)
                print("wrote", out.relative_to(ROOT))
                page.close()
            browser.close()
    finally:
        server.stop()


def main():
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    server = Server("voila", work / "notebooks", work / "voila.log", {"TNN_PRESENT": "0"})  # the default theme
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            for name, index in SHOTS.items():
                if not (ROOT / "notebooks" / name).exists():
                    continue
                open_voila_notebook(page, server, name)
                explorer = page.locator(".tnn-explorer").nth(index)
                explorer.scroll_into_view_if_needed()
                image = Image.open(io.BytesIO(explorer.screenshot()))
                image.thumbnail((WIDTH, WIDTH * 2))
                out = ROOT / "docs" / f"{name.removesuffix('.ipynb')}.png"
                image.convert("RGB").save(out, optimize=True)
                print("wrote", out.relative_to(ROOT), image.size)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    present() if "--present" in sys.argv[1:] else main()
