"""Packaging rules: environment.yml matches pyproject.toml; core/ needs no plotting or notebook
packages; no global numpy random state in core/ or widgets/."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLOTTING_AND_NOTEBOOK = {"matplotlib", "ipywidgets", "IPython", "ipykernel", "traitlets"}
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(\[[^\]]*\])?\s*(.*?)\s*$")


def split_requirement(text):
    """'dask[distributed]>=2023.1' -> ('dask', ['distributed'], '>=2023.1'), names normalized."""
    name, extras, spec = REQUIREMENT.match(text).groups()
    extras = [e.strip() for e in extras[1:-1].split(",")] if extras else []
    return name.lower().replace("_", "-"), extras, spec.replace(" ", "")


def pyproject_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {}
    for text in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name, extras, spec = split_requirement(text)
        wanted[name] = spec
        if name == "dask" and "distributed" in extras:  # conda ships the extra as its own package
            wanted["distributed"] = spec
    return wanted


def environment_packages():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {}
    for entry in env["dependencies"]:
        items = entry["pip"] if isinstance(entry, dict) else [entry]
        for text in items:
            if text.strip() in ("-e .", "-e.", "."):
                continue
            name, _, spec = split_requirement(text)
            if name not in ("python", "pip"):
                listed[name] = spec
    return listed


def test_environment_yml_lists_the_packages_of_pyproject():
    wanted, listed = pyproject_packages(), environment_packages()
    assert set(listed) == set(wanted), (f"only in pyproject.toml: {sorted(set(wanted) - set(listed))}; "
                                        f"only in environment.yml: {sorted(set(listed) - set(wanted))}")
    assert listed == wanted  # the same lower bounds too


def test_split_requirement():
    assert split_requirement("dask[distributed]>=2023.1") == ("dask", ["distributed"], ">=2023.1")
    assert split_requirement("scikit_learn >= 1.2") == ("scikit-learn", [], ">=1.2")
    assert split_requirement("numpy") == ("numpy", [], "")


def python_files(*folders):
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


@pytest.mark.parametrize("path", python_files("core"), ids=lambda p: p.name)
def test_core_source_imports_no_plotting_or_notebook_package(path):
    bad = [(line, module) for line, module in imported_modules(path)
           if module.split(".")[0] in PLOTTING_AND_NOTEBOOK]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
    text = path.read_text()  # and no import hidden in a string (importlib / __import__)
    for package in PLOTTING_AND_NOTEBOOK:
        assert not re.search(rf"(__import__|import_module)\(\s*['\"]{package}", text), package


def test_importing_every_core_module_loads_no_plotting_or_notebook_package():
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in python_files("core")]  # core.search.run
    modules = [m.removesuffix(".__init__") for m in modules]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(PLOTTING_AND_NOTEBOOK)!r}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


ALLOWED_NUMPY_RANDOM = {"default_rng", "Generator", "SeedSequence", "BitGenerator", "PCG64", "PCG64DXSM",
                        "Philox", "SFC64", "MT19937"}


def global_random_calls(path):
    """Uses of numpy's global random state (np.random.seed, rand, randn, choice, ...) and of the
    standard library's random module, found in the syntax tree (so docstrings quoting the slides'
    np.random.randn do not count)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr not in ALLOWED_NUMPY_RANDOM
                and isinstance(node.value, ast.Attribute) and node.value.attr == "random"
                and isinstance(node.value.value, ast.Name) and node.value.value.id in ("np", "numpy")):
            found.append((node.lineno, f"np.random.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("numpy.random", "random"):
            found += [(node.lineno, f"from {node.module} import {a.name}") for a in node.names
                      if a.name not in ALLOWED_NUMPY_RANDOM]
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            found += [(node.lineno, "from numpy import random") for a in node.names if a.name == "random"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, "import random") for a in node.names if a.name == "random"]
    return found


@pytest.mark.parametrize("path", python_files("core", "widgets"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_global_random_state(path):
    assert global_random_calls(path) == [], f"{path.relative_to(ROOT)} uses global random state"


def test_the_global_random_scan_finds_what_it_should(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""The slide: np.random.randn(D, H) * 0.01"""\n'
                      "import numpy as np\nimport random\nfrom numpy.random import default_rng, rand\n"
                      "rng = np.random.default_rng(0)\nnp.random.seed(0)\nx = numpy.random.choice(3)\n"
                      "g: np.random.Generator = rng\n")
    assert [what for _, what in global_random_calls(sample)] == \
        ["import random", "from numpy.random import rand", "np.random.seed", "np.random.choice"]


def test_every_python_package_of_the_project_is_installed():
    """pyproject's explicit package list names every folder with an __init__.py under core/, widgets/ and
    exercises/: a package left out is missing from a non-editable install (exercises.feedback was)."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {init.parent.relative_to(ROOT).as_posix().replace("/", ".")
             for top in ("core", "widgets", "exercises") for init in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set(), f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert listed - found == set(), f"listed but not packages: {sorted(listed - found)}"
