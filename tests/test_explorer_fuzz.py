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

KNOWN = {  # (explorer, property): why it fails today (a strict xfail). Faults 1, 2, 3 and 8 were fixed in the
}         # base rewrite (widgets/base.py, widgets/blit.py, widgets/runs.py); none is known now.


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
