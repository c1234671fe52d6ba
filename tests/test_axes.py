"""widgets.axes.log_axis: one way to set up a log axis (decades, no minor ticks, plain-text labels)."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from widgets.axes import LABELS, log_axis


def _decades(ticks, low, high):
    """The exponents of the ticks inside [low, high] (a tick may land a rounding error outside)."""
    exponents = np.round(np.log10(ticks), 6)
    return exponents[(exponents >= np.log10(low)) & (exponents <= np.log10(high))]


def _axes(xlim):
    ax = Figure().subplots()
    ax.set_xlim(*xlim)
    return ax


def test_log_axis_puts_major_ticks_on_decades_and_no_minor_ticks():
    ax = _axes((1e-5, 10))
    log_axis(ax.xaxis)
    assert ax.get_xscale() == "log" and ax.get_xlim() == pytest.approx((1e-5, 10))
    assert np.array_equal(_decades(ax.xaxis.get_majorticklocs(), 1e-5, 10), np.arange(-5, 2))
    assert len(ax.xaxis.get_minorticklocs()) == 0


def test_every_other_decade_and_at_most_numticks():
    ax = _axes((1e-5, 10))
    log_axis(ax.xaxis, every=2)
    assert np.array_equal(_decades(ax.xaxis.get_majorticklocs(), 1e-5, 10), [-4, -2, 0])  # powers of 100 only
    ax = Figure().subplots()
    ax.set_ylim(1e-30, 1e-10)
    log_axis(ax.yaxis, numticks=3)
    assert 1 <= len(_decades(ax.yaxis.get_majorticklocs(), 1e-30, 1e-10)) <= 3


@pytest.mark.parametrize("labels, values, expected", [
    ("plain", [0.01, 1.0, 100.0], ["0.01", "1", "100"]),
    ("thousands", [1.0, 100.0, 1000.0, 1e5], ["1", "100", "1k", "100k"]),
    ("exponent", [1e-3, 100.0], ["1e-03", "1e+02"]),
    ("short exponent", [1e-5, 1e-3, 1.0, 100.0], ["1e-5", "1e-3", "1e0", "1e2"]),
])
def test_labels_are_plain_text(labels, values, expected):
    ax = _axes((1e-6, 1e6))
    log_axis(ax.xaxis, labels=labels)
    formatter = ax.xaxis.get_major_formatter()
    assert [formatter(v) for v in values] == expected
    assert set(LABELS) == {"plain", "thousands", "exponent", "short exponent"}


def test_labels_none_keeps_matplotlibs_labels():
    ax = _axes((1e-3, 1e3))
    log_axis(ax.yaxis)
    log_axis(ax.xaxis, labels=None)
    assert "10^{" in ax.xaxis.get_major_formatter()(100.0)  # mathtext 10^2


def test_an_unknown_label_style_is_refused():
    with pytest.raises(KeyError):
        log_axis(_axes((1, 10)).xaxis, labels="fancy")
