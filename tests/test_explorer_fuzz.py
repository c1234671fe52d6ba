"""The short fuzz over every explorer (issue 15), in the normal test command: random states over the
controls' full ranges, lecture cases, buttons, Stop in mid-run and changes during background runs.

tests/explorer_harness.py does the driving and the checking; here each (explorer, property) pair is one
test, so a known fault is one strict xfail and the other properties of the same explorer stay checked.
The fuzz of an explorer runs once (for its first property) and the report is kept for the others.
All explorers together take about a minute; the long soak is tests/test_explorer_soak.py (make soak).
"""
import explorer_harness as H
import pytest

SEED = 0  # the one seed: each explorer's rng is derived from it and the explorer's name (replayable alone)

FIX_1 = "silencing numpy with np.errstate where it computes, not through the global warnings filter (base rewrite)"
FIX_2 = "making Stop a pause that the next change carries on or restarts"
FIX_8 = "blitting that keeps z-order (static artists above the moving ones stay on top), in the base"
FAULT_8 = f"new fault 8: blitting draws the moving artists over legends, reference lines and frames; fixed by {FIX_8}"
KNOWN = {  # (explorer, property): why it fails today. Found with SEED = 0, the same on three runs.
    **{(name, "filters"): f"issue 15 fault 1: the background thread's catch_warnings swaps the process-wide "
                          f"filters; fixed by {FIX_1}"
       for name in ("PreprocessingSpeedExplorer", "CapacityExplorer", "SearchDashboard", "UpdateRulesDigitsExplorer",
                    "ScheduleExplorer", "EnsembleExplorer")},
    ("EnsembleExplorer", "finishes"): f"issue 15 fault 2: after Stop the partial kind is never trained again; "
                                      f"fixed by {FIX_2}",
    **{(name, "pixels"): FAULT_8
       for name in ("DataBrowser", "PreprocessingSpeedExplorer", "UpdateRaceExplorer", "UpdateRulesDigitsExplorer",
                    "ScheduleExplorer", "EnsembleExplorer", "exercises.OverfitExplorer", "LogSamplingExplorer",
                    "InitExplorer", "DropoutExplorer", "UpdatePathExplorer")},
    ("InitializationExplorer", "pixels"): f"issue 15 fault 3: hidden layers' histograms and titles stay on the "
                                          f"picture, and {FAULT_8}",
}


def cases():
    for name, spec in H.SPECS.items():
        for prop in H.PROPERTIES:
            if prop == "finishes" and not spec.background:
                continue  # only background runs can be left unfinished
            reason = KNOWN.get((name, prop))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, prop, marks=marks, id=f"{name}-{prop}")


@pytest.fixture(scope="module")
def data():
    return H.load_data(SEED)


@pytest.fixture(scope="module")
def reports():
    return {}


def test_known_failures_name_real_explorers_and_properties():
    for name, prop in KNOWN:
        assert name in H.SPECS and prop in H.PROPERTIES, (name, prop)


@pytest.mark.parametrize("name, prop", list(cases()))
def test_fuzz(name, prop, data, reports):
    if name not in reports:
        reports[name] = H.fuzz(H.SPECS[name], data, SEED)
    report = reports[name]
    assert report.steps == H.SPECS[name].steps
    assert not report.failures(prop), report.explain(prop)
