"""Previous / next links at the end of every lecture notebook, and the index notebook that lists them.

    python notebooks/navigation.py          # insert or refresh; prints what it changed
    python notebooks/navigation.py --check  # change nothing; exit 1 if a notebook is out of date

Idempotent: each lecture notebook (notebooks/NN_*.ipynb) ends with ONE markdown cell tagged
"navigation" (id "navigation") that this script owns: it is replaced in place, or appended if it is
missing, and any other cell tagged "navigation" is removed. Nothing else in a notebook changes
(outputs, widget state, other cells), so it can run before or after a re-execution, and again after
notebooks are edited or added. `make notebooks` runs it.

The links are relative ("02_preprocessing.ipynb"): JupyterLab opens them as notebooks, and Voila,
serving notebooks/ (`make present`), renders them at /voila/render/<name>. The index
(notebooks/index.ipynb) lists the lecture notebooks with their titles, then the exercises (the
student release), which are not part of the previous / next chain.
"""
import argparse
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
INDEX = "index.ipynb"
TAG = "navigation"
EXERCISES = Path("exercises/release/training_nets")


def lecture_notebooks(folder=HERE):
    """The lecture notebooks in order: NN_name.ipynb directly under notebooks/."""
    return sorted(p.name for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def title(path, number=True):
    """A notebook's title: the text of its first level-1 heading, with the file's number in front
    if the heading has none (number=False: the heading alone)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+?)\s*$", cell.source, flags=re.MULTILINE)
            if match:
                text = match.group(1)
                break
    else:
        raise ValueError(f"notebook {path} has no level-1 heading to take its title from")
    prefix = Path(path).name[:2]
    if number and prefix.isdigit() and not text.startswith(prefix):
        text = f"{prefix} {text}"
    return text


def link(text, target):
    # [ and ] in a title would end the link text early
    return f"[{text.replace('[', '(').replace(']', ')')}]({target})"


def navigation_source(names, i, titles):
    """The markdown of notebook names[i]'s navigation cell."""
    parts = []
    if i > 0:
        parts.append(f"**Previous:** {link(titles[names[i - 1]], names[i - 1])}")
    parts.append(f"**Contents:** {link('all notebooks', INDEX)}")
    if i + 1 < len(names):
        parts.append(f"**Next:** {link(titles[names[i + 1]], names[i + 1])}")
    return "---\n\n" + "  \n".join(parts)


def index_source(folder=HERE):
    """The markdown cells of the index notebook."""
    folder = Path(folder)
    names = lecture_notebooks(folder)
    lines = ["# Training Neural Networks: the notebooks", "",
             "One notebook per part of the lecture, in the lecture's order. Each ends with links to the",
             "previous and the next one and back to this page.", ""]
    lines += [f"- {link(title(folder / name), name)}" for name in names]
    cells = ["\n".join(lines).rstrip()]
    exercises = sorted((folder / EXERCISES).glob("[0-9]*.ipynb"))
    if exercises:
        ex = ["## Exercises", "",
              "Functions to write yourself, checked by nbgrader (the course's workflow: `exercises/README.md`):", ""]
        ex += [f"- {link(title(p, number=False), (EXERCISES / p.name).as_posix())}" for p in exercises]
        cells.append("\n".join(ex))
    if names:
        cells.append(f"---\n\n**Start:** {link(title(folder / names[0]), names[0])}")
    return cells


def set_navigation_cell(nb, source):
    """Make the notebook end with exactly one navigation cell holding `source`; True if it changed."""
    old = [c for c in nb.cells if TAG in c.get("metadata", {}).get("tags", [])]
    if len(old) == 1 and nb.cells[-1] is old[0] and old[0].source == source and old[0].cell_type == "markdown":
        return False
    keep = [c for c in nb.cells if c not in old]
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": [TAG]})
    cell.id = TAG
    nb.cells = keep + [cell]
    return True


def write_index(folder, check):
    path = Path(folder) / INDEX
    sources = index_source(folder)
    if path.exists():
        nb = nbformat.read(path, as_version=4)
        if [c.source for c in nb.cells] == sources and all(c.cell_type == "markdown" for c in nb.cells):
            return False
    if check:
        return True
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    for i, cell in enumerate(nb.cells):
        cell.id = f"index-{i}"
    nbformat.write(nb, path)
    return True


def update(folder=HERE, check=False):
    """Insert or refresh every navigation cell and the index; return the names that changed (in
    check mode: that would change)."""
    folder = Path(folder)
    names = lecture_notebooks(folder)
    titles = {name: title(folder / name) for name in names}
    changed = []
    for i, name in enumerate(names):
        nb = nbformat.read(folder / name, as_version=4)
        if set_navigation_cell(nb, navigation_source(names, i, titles)):
            changed.append(name)
            if not check:
                nbformat.write(nb, folder / name)
    if write_index(folder, check):
        changed.append(INDEX)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of date")
    parser.add_argument("--folder", default=str(HERE), help="the notebooks folder (default: this one)")
    args = parser.parse_args(argv)
    changed = update(args.folder, check=args.check)
    verb = "out of date" if args.check else "updated"
    print(f"navigation: {len(changed)} {verb}" + (f": {', '.join(changed)}" if changed else ""))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
