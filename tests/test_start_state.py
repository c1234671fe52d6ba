"""The start-state check itself (tests/start_state.py). Its run on every lecture notebook rides in the one
execution that tests/test_notebooks_second_dataset.py makes of each notebook."""
from start_state import CUSTOM, problems


def test_problems_names_an_explorer_left_on_another_case():
    """The check itself (cheap): an explorer left on another case, a stale status, a custom start."""
    good = {"type": "E", "start_case": "a", "current_case": "a", "menu": "a", "controls": ["1"], "message": "m",
            "shown": {"menu": "a", "controls": ["1"], "message": "m"}, "last_error": "None"}
    assert problems([good]) == []
    assert problems([{**good, "current_case": "b", "menu": "b", "controls": ["2"]}])
    assert problems([{**good, "current_case": "b", "menu": "a"}])  # a menu that does not show the case
    assert problems([{**good, "controls": ["2"]}])  # a control moved that no case names
    assert problems([{**good, "message": "a picture of b"}])
    custom = {"menu": CUSTOM, "current_case": None, "shown": {"menu": CUSTOM, "controls": ["1"], "message": "m"}}
    assert problems([{**good, **custom}])  # a declared start case is shown by name
    assert problems([{**good, "start_case": None, **custom}]) == []  # not yet converted: where it was shown
    assert problems([{**good, "start_case": "b"}]) == []  # opened on purpose on another named case
    assert problems([{**good, "shown": None}])
    no_menu = {"menu": None, "current_case": None, "start_case": None, "shown": {**good["shown"], "menu": None}}
    assert problems([{**good, **no_menu}]) == []  # an explorer without lecture cases (the data browser)
    assert problems([{**good, **no_menu, "message": "another picture"}])
