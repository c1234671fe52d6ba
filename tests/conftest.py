"""Shared pytest set-up for tests/."""


def pytest_collection_modifyitems(config, items):
    """The soak (marker "soak", about two hours) runs only when asked for: pytest -m soak, or make soak."""
    if "soak" in (config.option.markexpr or ""):
        return
    soak = [item for item in items if item.get_closest_marker("soak")]
    if soak:
        config.hook.pytest_deselected(items=soak)
        items[:] = [item for item in items if not item.get_closest_marker("soak")]
