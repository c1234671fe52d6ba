"""Backpropagation as the recursive chain rule on the small graph f = (x * y + z) * w.

Each gate's forward value sits next to its local gradient; backward starts from df/df = 1 and
multiplies local gradients on the way back: df/dx = df/ds * ds/dq * dq/dx = w * 1 * y.

Lives in core.demos.circuit (notebook support, beside the lecture's path); until the issue-11 split
it was core/circuit.py.
"""
import math

INPUTS = ("x", "y", "z", "w")


def _number(name, value):
    """float(value) if it is a finite number, else ValueError naming the input."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return v


def forward(x, y, z, w):
    """The forward pass: values of every node {x, y, z, w, q, s, f} (floats)."""
    x, y, z, w = (_number(name, v) for name, v in zip(INPUTS, (x, y, z, w)))
    q = x * y      # multiply gate; local gradients dq/dx = y, dq/dy = x
    s = q + z      # add gate;      local gradients ds/dq = 1, ds/dz = 1
    f = s * w      # multiply gate; local gradients df/ds = w, df/dw = s
    return {"x": x, "y": y, "z": z, "w": w, "q": q, "s": s, "f": f}


def backward(values):
    """The backward pass from forward()'s values: df/d(node) for every node, by the chain rule."""
    v = values
    grads = {"f": 1.0}                    # df/df
    grads["s"] = v["w"] * grads["f"]      # df/ds = (df/ds local) * df/df
    grads["w"] = v["s"] * grads["f"]
    grads["q"] = 1.0 * grads["s"]         # add gate passes the gradient through
    grads["z"] = 1.0 * grads["s"]
    grads["x"] = v["y"] * grads["q"]      # multiply gate swaps its inputs
    grads["y"] = v["x"] * grads["q"]
    return grads


def forward_backward(x, y, z, w):
    """Both passes: (values, grads), two dicts keyed by node name."""
    values = forward(x, y, z, w)
    return values, backward(values)
