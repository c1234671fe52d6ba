"""The long soak (issue 15): 2,000 changes on every explorer, with the fuzz's actions and checks, and a
bound on the memory the process gains. Not in the default run (pytest -m soak, or make soak); about
two hours for all explorers on a 2-core machine (estimated from 150 changes each), 3 to 7 minutes for one
of the heaviest (-k NAME-).

SOAK_CHANGES (environment) sets the number of changes (default 2000). Each explorer prints one line:
changes applied, seconds, RSS and thread counts at start and end.
"""
import os

import explorer_harness as H
import pytest
from test_explorer_fuzz import KNOWN, SEED

# no hang backstop: one explorer's 2,000 changes take minutes (pyproject's 120 s would stop every heavy one)
pytestmark = [pytest.mark.soak, pytest.mark.timeout(0)]

CHANGES = int(os.environ.get("SOAK_CHANGES", 2000))
RSS_GROWTH_BOUND_MIB = 150  # from right after the build to the end: caches of a few entries, plus the allocator's slack

# Checked at 2,000 changes on today's code for the three heaviest explorers (DropoutEnsembleExplorer,
# InitializationExplorer, PreprocessingSpeedExplorer); for the others this is the short fuzz's table, and
# a longer walk may reach more states that show new fault 8 (e.g. MiniBatchExplorer, PreprocessingExplorer).
# Fault 5 (DropoutEnsembleExplorer kept 4.6 MiB per (p_keep, variant) it had shown) is fixed: an LRU of 4.
SOAK_KNOWN = {**KNOWN}


def cases():
    for name, spec in H.SPECS.items():
        for prop in [*H.PROPERTIES, "rss"]:
            if prop == "finishes" and not spec.background:
                continue
            reason = SOAK_KNOWN.get((name, prop))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, prop, marks=marks, id=f"{name}-{prop}")


@pytest.fixture(scope="module")
def data():
    return H.load_data(SEED)


@pytest.fixture(scope="module")
def reports():
    return {}


@pytest.mark.parametrize("name, prop", list(cases()))
def test_soak(name, prop, data, reports):
    if name not in reports:
        report = reports[name] = H.fuzz(H.SPECS[name], data, SEED, num_changes=CHANGES)
        print(f"\nsoak {name}: {report.changes} changes ({report.steps} steps) in {report.seconds:.0f} s "
              f"(cpu {report.cpu_seconds:.0f} s); RSS {report.rss_mib[0]:.0f} MiB at start, "
              f"{report.rss_built_mib:.0f} built, {report.rss_mib[1]:.0f} at the end; arrays held "
              f"{report.retained_mib:.1f} MiB; threads (python, process) {report.threads[0]} -> {report.threads[1]}")
    report = reports[name]
    assert report.changes == CHANGES
    if prop == "rss":
        growth = report.rss_mib[1] - report.rss_built_mib
        assert growth <= RSS_GROWTH_BOUND_MIB, (
            f"{name}: RSS grew {growth:.0f} MiB over {report.changes} changes ({report.rss_built_mib:.0f} -> "
            f"{report.rss_mib[1]:.0f} MiB); bound {RSS_GROWTH_BOUND_MIB} MiB")
    else:
        assert not report.failures(prop), report.explain(prop)
