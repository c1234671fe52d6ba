"""Navigation in present mode (issue 14): every lecture notebook ends with previous / next links and
a link to the index; the index lists every lecture notebook and the exercises; notebooks/navigation.py
is idempotent and leaves everything but its own cell alone."""
import importlib.util
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from lecture_links import expected_links

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LECTURES = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

spec = importlib.util.spec_from_file_location("navigation", NOTEBOOKS / "navigation.py")
navigation = importlib.util.module_from_spec(spec)
spec.loader.exec_module(navigation)


def links(source):
    """{label before the link ("Previous", "Next", "Contents"): target} of a navigation cell."""
    found = {}
    for line in source.splitlines():
        match = re.match(r"\*\*(\w+):\*\*\s*" + LINK.pattern, line.strip())
        if match:
            found[match.group(1)] = match.group(3)
    return found


def test_there_is_a_lecture_chain():
    assert len(LECTURES) >= 14 and LECTURES[0].startswith("00_") and LECTURES[-1].startswith("13_")


@pytest.mark.parametrize("name", LECTURES)
def test_lecture_notebook_ends_with_links_to_its_neighbours_and_the_index(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and "navigation" in last.metadata.get("tags", []), \
        f"{name} does not end with the navigation cell: run `python notebooks/navigation.py`"
    tagged = [c for c in nb.cells if "navigation" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name} has {len(tagged)} navigation cells"
    expected = expected_links(name, LECTURES)
    assert links(last.source) == expected
    for target in expected.values():
        assert (NOTEBOOKS / target).is_file(), f"{name} links to {target}, which does not exist"


def test_index_lists_every_lecture_notebook_in_order_and_the_exercises():
    nb = nbformat.read(NOTEBOOKS / "index.ipynb", as_version=4)
    assert all(c.cell_type == "markdown" for c in nb.cells), "the index needs no kernel"
    targets = [target for c in nb.cells for _, target in LINK.findall(c.source)]
    lectures = [t for t in targets if "/" not in t]
    assert lectures[:len(LECTURES)] == LECTURES, "every lecture notebook, once, in order"
    exercises = [t for t in targets if t.startswith("exercises/")]
    released = sorted((NOTEBOOKS / "exercises/release/training_nets").glob("*.ipynb"))
    assert exercises == [p.relative_to(NOTEBOOKS).as_posix() for p in released]
    for target in targets:
        assert (NOTEBOOKS / target).is_file(), f"the index links to {target}, which does not exist"
    # one line each, with the notebook's own title as the link text
    for text, target in LINK.findall(nb.cells[0].source):
        assert text == navigation.title(NOTEBOOKS / target)


def test_committed_notebooks_are_up_to_date():
    assert navigation.update(NOTEBOOKS, check=True) == [], "run `python notebooks/navigation.py`"


def copy_lectures(tmp_path, names):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in names:
        shutil.copy(NOTEBOOKS / name, folder / name)
    return folder


def test_script_is_idempotent_and_only_touches_its_own_cell(tmp_path):
    folder = copy_lectures(tmp_path, LECTURES[:3])
    for name in LECTURES[:3]:  # as a notebook edited by someone else: a stale link cell, and one too many
        nb = nbformat.read(folder / name, as_version=4)
        others = [c for c in nb.cells if "navigation" not in c.metadata.get("tags", [])]
        stale = nbformat.v4.new_markdown_cell("[old](99_gone.ipynb)", metadata={"tags": ["navigation"]})
        nb.cells = [stale] + others
        nbformat.write(nb, folder / name)
    first = navigation.update(folder)
    assert first == LECTURES[:3] + ["index.ipynb"]
    snapshot = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}
    assert navigation.update(folder) == [], "a second run must change nothing"
    assert {p.name: p.read_bytes() for p in folder.glob("*.ipynb")} == snapshot
    for name in LECTURES[:3]:
        before = nbformat.read(NOTEBOOKS / name, as_version=4)
        after = nbformat.read(folder / name, as_version=4)
        strip = lambda nb: [c for c in nb.cells if "navigation" not in c.metadata.get("tags", [])]
        assert strip(after) == strip(before), "cells other than the navigation cell changed"
        assert "99_gone" not in after.cells[-1].source
    # the last notebook of this shorter chain has no "Next"
    last = nbformat.read(folder / LECTURES[2], as_version=4).cells[-1]
    assert "Next" not in links(last.source) and links(last.source)["Previous"] == LECTURES[1]


def test_check_mode_reports_a_new_notebook_without_writing(tmp_path):
    folder = copy_lectures(tmp_path, LECTURES[:2])
    navigation.update(folder)
    shutil.copy(NOTEBOOKS / LECTURES[2], folder / LECTURES[2])
    before = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}
    # the old last notebook gains a "Next", the new one its links, and the index its line
    assert navigation.update(folder, check=True) == LECTURES[1:3] + ["index.ipynb"]
    assert {p.name: p.read_bytes() for p in folder.glob("*.ipynb")} == before
    assert navigation.main(["--check", "--folder", str(folder)]) == 1


def test_a_notebook_without_a_title_is_a_clear_error(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("no heading here")]
    nbformat.write(nb, folder / "00_untitled.ipynb")
    with pytest.raises(ValueError, match="00_untitled.ipynb has no level-1 heading"):
        navigation.update(folder)
