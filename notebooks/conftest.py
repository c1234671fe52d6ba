"""pytest (nbval) over notebooks/: every lecture notebook and the instructor's solution notebooks.

The student release (exercises/release) is not run by nbval: its cells raise "not implemented yet" by
design, and the same notebooks run top to bottom twice elsewhere: under nbgrader's autograde as the
unmodified release (tests/test_nbgrader.py checks that only the graded cells fail, each with that message)
and in JupyterLab (tests/browser/test_jupyterlab.py: run all, no error output outside the graded cells).
"""
collect_ignore_glob = ["exercises/release/*"]
