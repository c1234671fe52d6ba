"""A fully connected net of any depth: affine - activation [- dropout] ... - affine - loss.

Shapes: N examples, D inputs, H1..HL hidden sizes, C classes. Parameters live in net.params as
W1 (D, H1), b1 (H1,), ..., W{L+1} (HL, C), b{L+1} (C,).
"""
import numpy as np

from . import checks, dropout, layers, regularizers
from .data import num_classes as num_classes_of
from .init import INITIALIZERS, init_weights

DROPOUT_KINDS = ("inverted", "vanilla", "gaussian", "dropconnect")


class FullyConnectedNet:
    """input_size D, hidden_sizes [H1, ..., HL], num_classes C.

    activation: "relu", "leaky_relu", "tanh" or "sigmoid". init: a name in core.init.INITIALIZERS,
    init_scale its scale (the std for "gaussian"); None: every weight zero, drawing nothing (for a
    caller that sets net.params itself). p_keep: probability of keeping a hidden unit
    (None: no dropout), dropout: "inverted", "vanilla", "gaussian" or "dropconnect". reg: penalty
    strength, reg_kind: "l2", "l1" or "elastic" (l1_ratio mixes them). max_norm: bound on each
    unit's incoming weight norm, applied by the trainer after every update (None: off).
    loss: "softmax" or "svm". dtype: float32 to train, float64 for gradient checks. rng: a
    np.random.Generator (or seed) for the weights and the dropout masks.
    """

    def __init__(self, input_size, hidden_sizes, num_classes, *, activation="relu", init="gaussian",
                 init_scale=None, p_keep=None, dropout="inverted", reg=0.0, reg_kind="l2",
                 l1_ratio=0.5, max_norm=None, loss="softmax", dtype=np.float32, rng=0):
        checks.integer("input_size", input_size, low=1)
        checks.integer("num_classes", num_classes, low=2)
        hidden_sizes = [hidden_sizes] if isinstance(hidden_sizes, (int, np.integer)) else list(hidden_sizes)
        for i, h in enumerate(hidden_sizes):
            checks.integer(f"hidden_sizes[{i}]", h, low=1)
        checks.choice("activation", activation, layers.ACTIVATIONS)
        if init is not None:
            checks.choice("init", init, INITIALIZERS)
        checks.choice("dropout", dropout, DROPOUT_KINDS)
        checks.choice("loss", loss, layers.LOSSES)
        checks.choice("dtype", np.dtype(dtype).name, ("float32", "float64"))
        if p_keep is not None:
            p_keep = checks.in_range("p_keep", p_keep, 0, 1, low_open=True)
        if max_norm is not None:
            max_norm = checks.finite_positive("max_norm", max_norm)
        self.rng = checks.rng("rng", rng)
        self.reg = checks.non_negative("reg", reg)
        self.reg_kind = checks.choice("reg_kind", reg_kind, regularizers.PENALTIES)
        self.l1_ratio = checks.in_range("l1_ratio", l1_ratio, 0, 1)
        self.activation, self.loss_name, self.dtype = activation, loss, np.dtype(dtype)
        self.p_keep, self.dropout, self.max_norm = p_keep, dropout, max_norm
        self.sizes = [int(input_size)] + [int(h) for h in hidden_sizes] + [int(num_classes)]
        self.num_layers = len(self.sizes) - 1
        self.params = {}
        for i in range(self.num_layers):
            if init is None:
                self.params[f"W{i + 1}"] = np.zeros((self.sizes[i], self.sizes[i + 1]), dtype=self.dtype)
            else:
                w = init_weights(init, self.sizes[i], self.sizes[i + 1], self.rng, init_scale)
                self.params[f"W{i + 1}"] = w.astype(self.dtype)
            self.params[f"b{i + 1}"] = np.zeros(self.sizes[i + 1], dtype=self.dtype)

    @classmethod
    def for_data(cls, data, hidden_sizes, **kwargs):
        """The net for a data dict (X_train (N, D), y_* labels): D inputs, core.data.num_classes(data)
        outputs, hidden_sizes between them; kwargs as for the constructor (init, reg, rng, ...)."""
        return cls(data["X_train"].shape[1], hidden_sizes, num_classes_of(data), **kwargs)

    # ---- forward and backward: the training loop's hot path, without argument checks -------
    def forward(self, X, mode="train", keep_activations=False, masks=None, rng=None):
        """Scores (N, C), the caches for backward, and (keep_activations) every hidden layer's output.

        X: (N, D) of the net's dtype, already checked (check_X). mode: "train" drops units, "test"
        does not. masks: fixed dropout masks {"h1": (N, H1), ..., "W2": (H1, H2), ...}, or None to
        draw them from rng (None: the net's own rng). Returns scores, caches, activations (a list of
        L arrays (N, H_l), empty unless keep_activations).
        """
        act_forward = layers.ACTIVATIONS[self.activation][0]
        dropping = self.p_keep is not None and self.p_keep < 1
        rng = self.rng if rng is None else rng
        caches, activations = [], []
        h = X
        for i in range(1, self.num_layers + 1):
            w, b = self.params[f"W{i}"], self.params[f"b{i}"]
            if dropping and self.dropout == "dropconnect" and i > 1:
                mask = None if masks is None else masks.get(f"W{i}")
                h, cache = dropout.apply_dropconnect(h, w, b, self.p_keep, mode, rng, mask)
                caches.append(("dropconnect", cache))
            else:
                h, cache = layers.affine_forward(h, w, b)
                caches.append(("affine", cache))
            if i == self.num_layers:
                break
            h, cache = act_forward(h)
            caches.append(("act", cache))
            if dropping and self.dropout != "dropconnect":
                mask = None if masks is None else masks.get(f"h{i}")
                h, cache = dropout.apply_dropout(h, self.p_keep, mode, rng, self.dropout, mask)
                caches.append(("drop", cache))
            if keep_activations:
                activations.append(h)
        return h, caches, activations

    def backward(self, dscores, caches):
        """Gradients of the data loss for every parameter, from dscores (N, C) and forward's caches."""
        act_backward = layers.ACTIVATIONS[self.activation][1]
        grads, dh, i = {}, dscores, self.num_layers
        for kind, cache in reversed(caches):
            if kind == "affine" and i == 1:  # X needs no gradient: skip dh @ W1.T (D can be 3072)
                x, _ = cache
                grads["W1"], grads["b1"] = x.T @ dh, dh.sum(axis=0)
                break
            if kind in ("affine", "dropconnect"):
                backward = layers.affine_backward if kind == "affine" else dropout.dropconnect_backward
                dh, grads[f"W{i}"], grads[f"b{i}"] = backward(dh, cache)
                i -= 1
            elif kind == "act":
                dh = act_backward(dh, cache)
            else:
                dh = dropout.dropout_backward(dh, cache)
        return grads

    def loss_and_grads(self, X, y, masks=None):
        """Training-mode loss (data loss + penalty) and gradients, without argument checks.

        X: (N, D) of the net's dtype and y: (N,) labels in [0, C), both already checked: the trainer
        checks its data once and calls this on every batch. loss() is the checked entry.
        Returns loss (float) and grads {name: array shaped like params[name]}.
        """
        scores, caches, _ = self.forward(X, "train", masks=masks)
        data_loss, dscores = layers.LOSSES[self.loss_name](scores, y)
        grads = self.backward(dscores, caches)
        reg_loss = 0.0
        if self.reg > 0:
            for i in range(1, self.num_layers + 1):
                p, dp = regularizers.penalty_of(self.reg_kind, self.params[f"W{i}"], self.reg, self.l1_ratio)
                reg_loss += p
                grads[f"W{i}"] += dp.astype(self.dtype, copy=False)
        return data_loss + reg_loss, grads

    # ---- checked entries ---------------------------------------------------------------------
    def check_X(self, X):
        """X as an (N, D) array of the net's dtype; ValueError if it is not 2-D, has another D or is not finite."""
        X = checks.array("X", X, ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has {X.shape[1]} features per example; the net expects {self.sizes[0]}")
        return X.astype(self.dtype, copy=False)

    def _check_masks(self, masks, num_examples):
        for key, mask in (masks or {}).items():
            if key.startswith("h") and key[1:].isdigit() and 1 <= int(key[1:]) < self.num_layers:
                checks.same_shape(f"masks[{key!r}]", mask, f"hidden layer {key[1:]}",
                                  np.empty((num_examples, self.sizes[int(key[1:])])))
            elif key in self.params and key.startswith("W"):
                checks.same_shape(f"masks[{key!r}]", mask, key, self.params[key])
            else:
                raise ValueError(f"masks[{key!r}]: no such mask; use 'h1' .. 'h{self.num_layers - 1}' (units) "
                                 f"or 'W2' .. 'W{self.num_layers}' (DropConnect weights)")

    def loss(self, X, y, masks=None):
        """Training-mode loss (data loss + penalty) and gradients, with every argument checked.

        X: (N, D), y: (N,) labels in [0, C). masks: optional fixed dropout masks
        {"h1": (N, H1), ..., "W2": (H1, H2), ...} for gradient checks.
        Returns loss (float) and grads {name: array shaped like params[name]}.
        """
        X = self.check_X(X)
        y = checks.labels("y", y, self.sizes[-1], X.shape[0])
        self._check_masks(masks, X.shape[0])
        return self.loss_and_grads(X, y, masks)

    def scores(self, X):
        """Test-mode class scores (N, C): no units dropped (vanilla dropout scales by p_keep)."""
        return self.forward(self.check_X(X), "test")[0]

    def predict(self, X):
        """Predicted labels (N,)."""
        return np.argmax(self.scores(X), axis=1)

    def accuracy(self, X, y):
        """Fraction of examples whose predicted label equals y."""
        X = self.check_X(X)
        y = checks.labels("y", y, self.sizes[-1], X.shape[0])
        return float(np.mean(np.argmax(self.forward(X, "test")[0], axis=1) == y))

    def hidden_activations(self, X, mode="test"):
        """The output of every hidden layer: a list of L arrays (N, H_l)."""
        checks.choice("mode", mode, ("train", "test"))
        return self.forward(self.check_X(X), mode, keep_activations=True)[2]

    def apply_max_norm(self):
        """Project every weight matrix onto the max-norm ball (no-op when max_norm is None)."""
        if self.max_norm is not None:
            for i in range(1, self.num_layers + 1):
                w = self.params[f"W{i}"]
                self.params[f"W{i}"] = regularizers.project_max_norm(w, self.max_norm).astype(self.dtype, copy=False)

    def copy_params(self):
        """A deep copy of the parameters (for best-model checkpoints)."""
        return {k: v.copy() for k, v in self.params.items()}

    def set_params(self, params):
        """Replace the parameters with copies of `params` (same names and shapes)."""
        for k, v in self.params.items():
            if k not in params:
                raise ValueError(f"params is missing {k!r}")
            checks.same_shape(f"params[{k!r}]", params[k], k, v)
        self.params = {k: np.array(params[k], dtype=self.dtype) for k in self.params}
