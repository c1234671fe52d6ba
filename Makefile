# Two commands do all the set-up on a fresh machine:
#   make lab    JupyterLab on notebooks/ (127.0.0.1, token on)
#   make test   every test: unit, widgets, notebooks (nbval), browser (Chromium)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8888
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab present test test-fast bench soak notebooks students screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

lab: $(VENV)/.installed
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --notebook-dir=notebooks $(ALLOW_ROOT)

# Voila on notebooks/ in the presentation theme; its root URL (the one it prints) opens notebooks/index.ipynb
present: $(VENV)/.installed
	TNN_PRESENT=1 $(PY) notebooks/present.py --Voila.ip=127.0.0.1 --port=$(PORT) --Voila.auto_token=True --no-browser notebooks

# One BLAS thread for every target (lab, test, bench): these nets are small, and more threads on
# shared cores only fight (measured: a 100-configuration search 6.4 s with 2 threads, 1.8 s with 1).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

# ruff first: a lint error fails the target before any test runs. Then pytest in JOBS processes
# (pytest-xdist), each test module and each notebook (its nbval cells) handed whole to one process,
# in collection order: the JupyterLab browser tests start in one, the Voila ones in another. Three
# processes on two cores: the browser tests spend about a third of their time waiting on a server's
# kernel or the page, and a third process fills that time (measured: 13.3 CPU minutes in 9.7 wall
# minutes with two).
JOBS ?= 3
XDIST = -n $(JOBS) --dist loadscope --no-loadscope-reorder

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(XDIST)

test-fast: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(XDIST) tests -m "not browser and not slow"

# Side-by-side measurements (not tests); bench_browser_latency.py needs Chromium.
bench: $(VENV)/.installed
	env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS $(PY) benchmarks/bench_step.py  # it sets its own threads
	$(PY) benchmarks/bench_latency.py
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_browser_latency.py

# The long soak of every explorer: 2,000 changes each with the fuzz's checks and an RSS bound (about two
# hours; not in make test, which runs the short fuzz). One explorer: make soak SOAK=-kDropoutEnsembleExplorer-
soak: $(VENV)/.installed
	$(PY) -m pytest tests/test_explorer_soak.py -m soak -s $(SOAK)

clean:
	rm -rf $(VENV) test-artifacts

# Re-execute every lecture and solution notebook in place, storing outputs and widget state; then
# refresh the previous / next links at the end of each lecture notebook and notebooks/index.ipynb, and
# store each lecture and solution notebook's pictures once (notebooks/lighten.py: PNG fallback, no widget state).
notebooks: $(VENV)/.installed
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.store_widget_state=True --ExecutePreprocessor.timeout=600 \
	  notebooks/[0-9]*.ipynb notebooks/exercises/source/training_nets/[0-9]*.ipynb
	$(PY) notebooks/navigation.py
	$(PY) notebooks/lighten.py notebooks/[0-9]*.ipynb notebooks/exercises/source/training_nets/[0-9]*.ipynb
	$(MAKE) students

# The student release of the exercises, made by nbgrader from the solution notebooks (the course
# directory is notebooks/exercises; its README.md has the whole nbgrader workflow).
students: $(VENV)/.installed
	cd notebooks/exercises && PATH="$(abspath $(VENV))/bin:$$PATH" nbgrader generate_assignment training_nets --force

screenshots: $(VENV)/.installed
	$(PY) docs/make_screenshots.py
