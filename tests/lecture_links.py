"""The links a lecture notebook's last cell must carry, as the tests state them (independently of
notebooks/navigation.py, which writes them): checked in the files (tests/test_navigation.py) and on the
rendered page in Voila and JupyterLab (tests/browser/)."""


def expected_links(name, lectures):
    """{"Contents": "index.ipynb", "Previous": the lecture before, "Next": the lecture after} for `name`
    in the ordered list `lectures` (the first has no Previous, the last no Next)."""
    i = lectures.index(name)
    expected = {"Contents": "index.ipynb"}
    if i > 0:
        expected["Previous"] = lectures[i - 1]
    if i + 1 < len(lectures):
        expected["Next"] = lectures[i + 1]
    return expected
