"""What the browser tests check on every notebook page, in JupyterLab and in Voila."""
import socket
from pathlib import Path

import pytest
from notebook_page import error_texts, first_explorer_with_menu, first_explorer_with_slider, move_slider

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks").as_posix()
                   for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def has_explorer(name):
    text = (ROOT / "notebooks" / name).read_text()
    return "widgets." in text or "Explorer" in text


def check_page(page, name, where, artifacts):
    shot = artifacts / f"{where}-{name.replace('/', '__').removesuffix('.ipynb')}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert error_texts(page) == [], f"{name} in {where} shows an error"
    assert page.locator(".jupyter-widgets, .widget-vbox, .jp-OutputArea-output").count() > 0
    found = first_explorer_with_slider(page)
    if found is None and name.startswith("exercises/"):  # some exercise explorers have menus only
        found = first_explorer_with_menu(page)
    # a student notebook's explorers wait for the student's code ("not implemented yet"): no slider check
    student = name.startswith("exercises/") and not name.startswith("exercises/solutions/")
    if has_explorer(name) and not student:
        assert found is not None, f"{name} in {where}: no explorer with a slider rendered"
    if found is not None and not student:
        handle, figure = found
        assert figure.get_attribute("src"), "the explorer's figure has no image"
        move_slider(page, handle, figure)
        assert error_texts(page) == [], f"{name} in {where} shows an error after a slider move"
    page.screenshot(path=str(shot), full_page=False)



def check_loopback_only(server):
    """The server does not answer on this machine's first IPv4 address other than loopback."""
    addresses = [a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
                 if not a[4][0].startswith("127.")]
    if not addresses:
        pytest.skip("this machine has no address besides loopback to try")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((addresses[0], server.port)) != 0, f"{server.kind} answers on {addresses[0]}"
