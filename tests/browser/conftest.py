"""Fixtures for browser tests: Debian's Chromium driven by Playwright, real JupyterLab and Voila
servers on 127.0.0.1 with a random token, serving a copy of notebooks/ (so runs never touch the
committed notebooks)."""
import os
import shutil
from pathlib import Path

import pytest
from servers import CHROMIUM_ARGS, Server, find_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    path = find_chromium()
    if path is None:
        reason = "no Chromium found (/usr/bin/chromium): install it with `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run under CI, but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    root = tmp_path_factory.mktemp("served") / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def lab_server(served_notebooks, tmp_path_factory, chromium):
    server = Server("lab", served_notebooks, tmp_path_factory.mktemp("lab") / "lab.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(served_notebooks, tmp_path_factory, chromium):
    server = Server("voila", served_notebooks, tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
