"""Which Chromium the browser tests launch, and with which flags (tests/browser/servers.py): the headless
shell when it is installed, else the full browser in its new headless mode. Checked with stand-in files, so
it runs on machines with either, both or neither installed."""
import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location("servers", Path(__file__).parent / "browser" / "servers.py")
servers = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(servers)


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine whose browsers are files under tmp_path: install(name) puts one there."""
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    monkeypatch.setattr(servers, "HEADLESS_SHELL", str(shell))
    monkeypatch.setattr(servers, "CHROMIUM_CANDIDATES", (str(full),))
    monkeypatch.setattr(servers.shutil, "which", lambda name: None)
    return {"shell": shell, "full": full}


def test_the_shell_is_chosen_when_installed_and_runs_without_a_headless_flag(machine):
    machine["shell"].touch()
    machine["full"].touch()
    path = servers.find_chromium(headless_shell=True)
    assert path == str(machine["shell"])
    args = servers.chromium_args(path)
    assert not [a for a in args if a.startswith("--headless")]
    assert "--no-sandbox" in args and "--disable-quic" in args


def test_without_the_shell_the_full_browser_runs_in_new_headless_mode(machine):
    machine["full"].touch()
    path = servers.find_chromium(headless_shell=True)
    assert path == str(machine["full"])
    assert "--headless=new" in servers.chromium_args(path)


def test_the_benchmark_and_screenshots_keep_the_full_browser(machine):
    machine["shell"].touch()
    machine["full"].touch()
    assert servers.find_chromium() == str(machine["full"])


def test_no_browser_at_all_is_none(machine):
    assert servers.find_chromium(headless_shell=True) is None
