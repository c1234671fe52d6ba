"""What the browser tests check on every notebook page, in JupyterLab and in Voila."""
import socket
from pathlib import Path

import pytest
from notebook_page import error_texts, first_explorer_with_menu, first_explorer_with_slider, lab_state, move_slider

ROOT = Path(__file__).resolve().parents[2]
# what an instructor's nbgrader runs leave in the course directory is not part of the suite
LEFT_BY_NBGRADER = ("submitted", "autograded", "feedback")
NOTEBOOKS = sorted(p.relative_to(ROOT / "notebooks").as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts and not set(LEFT_BY_NBGRADER) & set(p.parts))


def has_explorer(name):
    text = (ROOT / "notebooks" / name).read_text()
    return "widgets." in text or "Explorer" in text


def has_code(name):
    """False for a notebook of markdown only (the index): no outputs, no widgets to look for."""
    return '"cell_type": "code"' in (ROOT / "notebooks" / name).read_text()


def is_student_release(name):
    """A student's unfinished exercise notebook (nbgrader's release): its graded cells raise."""
    return name.startswith("exercises/release/")


def check_student_errors(page, name):
    """In an unfinished release notebook every cell runs; the only errors are the graded test cells'
    (tagged raises-exception), each saying that the function is not implemented yet."""
    cells = lab_state(page, name)["cells"]
    errors = [(i, cell) for i, cell in enumerate(cells) if cell["error"]]
    assert errors, f"{name}: no graded cell reported 'not implemented yet'"
    for i, cell in errors:
        assert "raises-exception" in cell["tags"], f"{name}: code cell {i} (not a graded cell) raised {cell['error']}"
        assert "not implemented yet" in cell["error"], f"{name}: graded cell {i} raised {cell['error']}"
    others = [text for text in error_texts(page) if text != "Traceback (most recent call last)"]
    assert others == [], f"{name} shows an error besides the graded cells: {others}"


def check_page(page, name, where, artifacts):
    shot = artifacts / f"{where}-{name.replace('/', '__').removesuffix('.ipynb')}.png"
    page.screenshot(path=str(shot), full_page=False)
    student = is_student_release(name)
    if student:
        check_student_errors(page, name)
    else:
        assert error_texts(page) == [], f"{name} in {where} shows an error"
    if has_code(name):
        assert page.locator(".jupyter-widgets, .widget-vbox, .jp-OutputArea-output").count() > 0
    found = first_explorer_with_slider(page)
    # some exercise explorers have menus only, and an explorer may open on a case whose sliders are
    # greyed out (09 opens on "no regularization": strength and c apply to other regularizers); its
    # menu is then the control a key press moves
    if found is None:
        found = first_explorer_with_menu(page)
    # a student notebook's explorers wait for the student's code ("not implemented yet"): no control check
    if has_explorer(name) and not student:
        assert found is not None, f"{name} in {where}: no explorer with an enabled slider or menu rendered"
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
