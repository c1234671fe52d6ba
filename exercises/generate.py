"""Make the student notebooks from the solution notebooks (one source, two versions).

    python -m exercises.generate           write notebooks/exercises/NN_topic.ipynb
    python -m exercises.generate --check   only compare; exit 1 if a student notebook is out of date

In every code cell of notebooks/exercises/solutions/NN_topic.ipynb, the lines from `### BEGIN SOLUTION`
to `### END SOLUTION` become `# YOUR CODE HERE` and `raise NotImplementedError` (indented like the
BEGIN marker), `# NBVAL_CHECK_OUTPUT` markers are dropped (the student's outputs are theirs), cells
tagged `solution_only` are left out, and every output, execution count and widget state is cleared.
"""
import argparse
import pathlib
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = ROOT / "notebooks" / "exercises" / "solutions"
STUDENT_DIR = ROOT / "notebooks" / "exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError")
DROPPED_LINES = ("# NBVAL_CHECK_OUTPUT",)
SOLUTION_ONLY_TAG = "solution_only"


def strip_solutions(source, where="cell"):
    """Replace each BEGIN ... END SOLUTION region of source (a string) by the stub; drop nbval markers."""
    out, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"{where}, line {number}: {BEGIN} inside another solution region")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub for stub in STUB)
        elif stripped == END:
            if not inside:
                raise ValueError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside and stripped not in DROPPED_LINES:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def student_version(solution):
    """The student notebook (a new NotebookNode) made from a solution notebook node."""
    student = nbformat.v4.new_notebook()
    student.metadata = {k: v for k, v in solution.metadata.items() if k != "widgets"}
    student.nbformat, student.nbformat_minor = solution.nbformat, solution.nbformat_minor
    for index, cell in enumerate(solution.cells):
        if SOLUTION_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "scrolled")}
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(strip_solutions(cell.source, f"code cell {index}"), metadata=metadata)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=metadata)
        if "id" in cell:
            new["id"] = cell["id"]
        student.cells.append(new)
    return student


def student_text(solution_path):
    """The exact text the student notebook for solution_path should have."""
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(student_version(solution), version=4) + "\n"


def pairs(solutions_dir=SOLUTIONS_DIR, student_dir=STUDENT_DIR):
    """(solution path, student path) for every NN_topic.ipynb solution notebook."""
    return [(path, student_dir / path.name) for path in sorted(solutions_dir.glob("[0-9]*.ipynb"))]


def _shown(path):
    """path relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv=None, solutions_dir=SOLUTIONS_DIR, student_dir=STUDENT_DIR):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when a student notebook differs from what would be written")
    args = parser.parse_args(argv)
    stale = []
    for solution_path, student_path in pairs(solutions_dir, student_dir):
        text = student_text(solution_path)
        current = student_path.read_text(encoding="utf-8") if student_path.exists() else None
        if current == text:
            continue
        stale.append(student_path)
        if not args.check:
            student_path.write_text(text, encoding="utf-8")
            print(f"wrote {_shown(student_path)}")
    if args.check and stale:
        print("out of date (run `python -m exercises.generate`): "
              + ", ".join(_shown(p) for p in stale))
        return 1
    if not stale:
        print("student notebooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
