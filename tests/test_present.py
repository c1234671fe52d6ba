"""`make present` (notebooks/present.py): Voila on notebooks/ that culls the kernels of pages left behind
(tests/browser/test_voila.py watches it happen in Chromium)."""
import importlib.util
from pathlib import Path

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

SPEC = importlib.util.spec_from_file_location("present", Path(__file__).parents[1] / "notebooks" / "present.py")
present = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(present)


def config_of(argv, monkeypatch):
    """The kernel manager Voila would start with (its class by default), for present.py's command line argv."""
    seen = []
    monkeypatch.setattr(present.PresentVoila, "launch_instance", classmethod(lambda cls, argv: seen.append(argv)))
    present.main(argv)
    app = present.PresentVoila()
    app.parse_command_line(seen[0])
    return AsyncMappingKernelManager(config=app.config)


def test_kernels_left_behind_are_culled_by_default(monkeypatch):
    config = config_of(["--Voila.ip=127.0.0.1", "notebooks"], monkeypatch)
    assert config.cull_idle_timeout == present.CULL_SECONDS == 60
    assert config.cull_interval == present.CULL_EVERY
    assert config.cull_connected is False  # an open page keeps its kernel, however long it sits


@pytest.mark.parametrize("seconds", [5, 0])
def test_the_command_line_sets_its_own_culling(monkeypatch, seconds):
    config = config_of([f"--MappingKernelManager.cull_idle_timeout={seconds}", "notebooks"], monkeypatch)
    assert config.cull_idle_timeout == seconds  # 0: never cull, Voila's own default
