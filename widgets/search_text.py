"""What the search dashboard says in words: its top-k table and its edge warnings, in the dashboard's terms
(exponents on its sliders, not code)."""
import html
import math

from core import search

from .theme import COLORS


def _span(spec):
    """A searched range in the dashboard's terms: 10^-3.0 .. 10^1.0 for a log range."""
    if isinstance(spec, search.LogUniform):
        return f"10^{math.log10(spec.low):.1f} .. 10^{math.log10(spec.high):.1f}"
    return f"{spec.low:.3g} .. {spec.high:.3g}"


def warning_sentence(w, bounds=None):
    """A core.search.EdgeWarning in the dashboard's terms (its str() advises code). bounds: the range slider's
    ends as exponents (low, high), to which the suggested wider range is cut."""
    where = "below" if w.edge == "low" else "above"
    suggestion = w.suggestion
    if bounds is not None and isinstance(suggestion, search.LogUniform):
        low, high = (min(max(math.log10(v), bounds[0]), bounds[1]) for v in (suggestion.low, suggestion.high))
        if (low, high) == tuple(math.log10(v) for v in (w.spec.low, w.spec.high)):
            end = bounds[0] if w.edge == "low" else bounds[1]
            return (f" WARNING {w.name}: the best value {w.value:.3g} is at the {w.edge} edge of {_span(w.spec)}, "
                    f"which is the slider's end (10^{end:.1f}): better values may lie {where}, out of its reach.")
        suggestion = search.LogUniform.exponents(low, high)
    return (f" WARNING {w.name}: the best value {w.value:.3g} is at the {w.edge} edge of {_span(w.spec)}; better "
            f"values may lie {where}: widen its range to {_span(suggestion)} and run again.")


def table_html(results, k=10):
    """The top k configurations of a core.search.SearchResults as an HTML table (diverged runs in the bad colour)."""
    if results is None or not results.trials:
        return ""
    head = "".join(f"<th style='padding:2px 8px'>{h}</th>" for h in
                   ("rank", "val acc", "lr", "reg", "train acc", "final cost", "status", "seconds", "(i / n)"))
    rows = []
    for rank, t in enumerate(results.top(k), 1):
        color = COLORS["bad"] if t.status != "finished" else "#000"
        status = f"diverged at it. {t.diverged_at}" if t.status == "diverged" else t.status
        cells = (rank, f"{t.val_acc:.3f}", f"{t.config['learning_rate']:.2e}", f"{t.config['reg']:.2e}",
                 f"{t.train_acc:.3f}", f"{t.final_cost:.3g}", status, f"{t.seconds:.2f}",
                 f"({t.index + 1} / {results.num_configs})")
        rows.append(f"<tr style='color:{color}'>" + "".join(
            f"<td style='padding:2px 8px;text-align:right'>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return (f"<b>Top {min(k, len(results))} of {len(results)}</b><table style='font-family:monospace;"
            f"font-size:13px;border-collapse:collapse'><tr>{head}</tr>{''.join(rows)}</table>")
