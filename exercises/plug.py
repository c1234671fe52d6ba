"""Plug the student's functions into core: a net built from their layers, their update rule in the
trainer's registry. Nothing here changes how core works; it only hands core the student's code."""
import contextlib

from core import optim, regularizers
from core.net import FullyConnectedNet


class StudentNet(FullyConnectedNet):
    """A FullyConnectedNet (ReLU, softmax, no dropout) whose layers and loss are the student's functions.

    affine_forward(x, w, b) -> (out, cache), affine_backward(dout, cache) -> (dx, dw, db),
    relu_forward(x) -> (out, cache), relu_backward(dout, cache) -> dx,
    softmax_loss(scores, y) -> (loss, dscores). Other keyword arguments go to FullyConnectedNet
    (init, init_scale, reg, rng, ...). core.train trains it like any other net: it overrides the
    net's forward, backward and loss_and_grads, which the trainer and net.loss call.
    """

    def __init__(self, input_size, hidden_sizes, num_classes, *, affine_forward, affine_backward,
                 relu_forward, relu_backward, softmax_loss, **kwargs):
        super().__init__(input_size, hidden_sizes, num_classes, activation="relu", **kwargs)
        self.layer_functions = {"affine_forward": affine_forward, "affine_backward": affine_backward,
                                "relu_forward": relu_forward, "relu_backward": relu_backward,
                                "softmax_loss": softmax_loss}

    def forward(self, X, mode="train", keep_activations=False, masks=None, rng=None):
        f = self.layer_functions
        caches, activations, h = [], [], X
        for i in range(1, self.num_layers + 1):
            h, cache = f["affine_forward"](h, self.params[f"W{i}"], self.params[f"b{i}"])
            caches.append(cache)
            if i == self.num_layers:
                break
            h, cache = f["relu_forward"](h)
            caches.append(cache)
            if keep_activations:
                activations.append(h)
        return h, caches, activations

    def backward(self, dscores, caches):
        f = self.layer_functions
        grads, dh = {}, dscores
        for i in range(self.num_layers, 0, -1):
            if i < self.num_layers:
                dh = f["relu_backward"](dh, caches[2 * i - 1])
            dh, grads[f"W{i}"], grads[f"b{i}"] = f["affine_backward"](dh, caches[2 * i - 2])
        return grads

    def loss_and_grads(self, X, y, masks=None):
        scores, caches, _ = self.forward(X, "train")
        loss, dscores = self.layer_functions["softmax_loss"](scores, y)
        grads = self.backward(dscores.astype(self.dtype, copy=False), caches)
        for i in range(1, self.num_layers + 1):
            if self.reg > 0:
                w = self.params[f"W{i}"]
                penalty, dpenalty = regularizers.penalty_of(self.reg_kind, w, self.reg, self.l1_ratio)
                loss += penalty
                grads[f"W{i}"] = grads[f"W{i}"] + dpenalty.astype(self.dtype, copy=False)
        return float(loss), grads


def register_update_rule(name, rule):
    """Put rule(w, dw, config) -> (next_w, config) into core.optim.UPDATE_RULES, so that
    core.train(..., update=name) uses it. Core's own rules cannot be replaced. Returns name."""
    if name in _CORE_RULES:
        raise ValueError(f"name must not be one of core's update rules {sorted(_CORE_RULES)}, got {name!r}")
    if not callable(rule):
        raise ValueError(f"rule must be a function update(w, dw, config) -> (next_w, config), got {rule!r}")
    optim.UPDATE_RULES[name] = rule
    return name


@contextlib.contextmanager
def update_rule_registered(name, rule):
    """The same as register_update_rule, undone when the with-block ends."""
    previous = optim.UPDATE_RULES.get(name)
    register_update_rule(name, rule)
    try:
        yield name
    finally:
        if previous is None:
            optim.UPDATE_RULES.pop(name, None)
        else:
            optim.UPDATE_RULES[name] = previous


_CORE_RULES = frozenset(optim.UPDATE_RULES)
