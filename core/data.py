"""Data: scikit-learn's bundled digits (offline), CIFAR-10 from its official binary files, 2-D toy
sets, splits and tiny subsets. Every function that draws takes an rng (np.random.Generator or seed).

Shapes: X (N, D) float32, y (N,) int64 labels in [0, C).
"""
import importlib.util
import os
from pathlib import Path

import numpy as np

from . import checks

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR10_RECORD = 1 + 32 * 32 * 3  # one label byte, then 1024 red, 1024 green, 1024 blue bytes
CIFAR10_HOW_TO = (
    "CIFAR-10 is not bundled and cannot be downloaded at run time. Get the *binary version* "
    "(cifar-10-binary.tar.gz, 'CIFAR-10 binary version (suitable for C programs)') from the "
    "CIFAR-10 page of the University of Toronto, unpack it, and point CIFAR10_DIR (or the path "
    "argument) at the folder holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin.")


def split(X, y, num_val, num_test, rng):
    """Shuffle once with rng and split into train / val / test: a dict of six arrays."""
    X = checks.array("X", X, ndim=2)
    y = checks.labels("y", y, int(np.max(y)) + 1 if len(y) else 1, X.shape[0])
    num_val = checks.integer("num_val", num_val, low=0)
    num_test = checks.integer("num_test", num_test, low=0)
    if num_val + num_test >= X.shape[0]:
        raise ValueError(f"num_val + num_test must leave training examples; got {num_val} + {num_test} "
                         f"for {X.shape[0]} examples")
    order = checks.rng("rng", rng).permutation(X.shape[0])
    X, y = X[order], y[order]
    a, b = X.shape[0] - num_val - num_test, X.shape[0] - num_test
    return {"X_train": X[:a], "y_train": y[:a], "X_val": X[a:b], "y_val": y[a:b],
            "X_test": X[b:], "y_test": y[b:]}


def load_digits(num_val=300, num_test=300, rng=0, raw_pixels=False):
    """The 1797 8x8 digit images bundled with scikit-learn (no download), pixels scaled to [0, 1]
    (raw_pixels=True: the original intensities 0 .. 16, unscaled).

    Returns a dict X_train (N, 64), y_train, X_val, y_val, X_test, y_test; 10 classes.
    With the defaults: 1197 train, 300 validation, 300 test examples.
    """
    table = np.loadtxt(digits_file(), delimiter=",")  # 1797 rows: 64 pixel intensities, then the label
    X = (table[:, :-1] / (1.0 if raw_pixels else 16.0)).astype(np.float32)
    return split(X, table[:, -1].astype(np.int64), num_val, num_test, rng)


def digits_file():
    """The file scikit-learn's load_digits reads (sklearn/datasets/data/digits.csv.gz), found without
    importing scikit-learn: that import costs about a second in every notebook's kernel."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ImportError("the digits data set is scikit-learn's bundled copy: pip install scikit-learn")
    return Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"


def read_cifar10_batch(path):
    """One official binary batch file: rows of 3073 bytes (label, then 3072 pixels as R, G, B planes).

    Returns X (N, 3072) uint8 in the file's channel-first order and y (N,) int64.
    """
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size == 0 or raw.size % CIFAR10_RECORD:
        raise ValueError(f"{path} holds {raw.size} bytes, not a whole number of {CIFAR10_RECORD}-byte "
                         "CIFAR-10 records: is it the binary version?")
    records = raw.reshape(-1, CIFAR10_RECORD)
    y = records[:, 0].astype(np.int64)
    if y.max() > 9:
        raise ValueError(f"{path} has label {int(y.max())}; CIFAR-10 labels are 0..9")
    return records[:, 1:], y


def cifar10_dir(path=None):
    """The CIFAR-10 folder from the argument or the CIFAR10_DIR environment variable, or None."""
    path = path or os.environ.get("CIFAR10_DIR")
    return Path(path).expanduser() if path else None


def cifar10_available(path=None):
    folder = cifar10_dir(path)
    return folder is not None and (folder / "data_batch_1.bin").exists() and (folder / "test_batch.bin").exists()


def load_cifar10(path=None, num_val=1000, rng=0, num_train=None):
    """CIFAR-10 from the official binary files in `path` (or $CIFAR10_DIR).

    Returns a dict X_train (N, 3072) float32 in [0, 1], y_train, X_val, y_val (the last num_val
    training images after a shuffle), X_test, y_test (test_batch.bin). Pixels are stored as
    R, G, B planes: reshape a row to (3, 32, 32) and transpose to (32, 32, 3) to view it.
    num_train: keep only this many training images (None: all).
    """
    folder = cifar10_dir(path)
    if folder is None:
        raise FileNotFoundError("No CIFAR-10 folder given and CIFAR10_DIR is not set. " + CIFAR10_HOW_TO)
    names = [f"data_batch_{i}.bin" for i in range(1, 6)]
    missing = [name for name in names[:1] + ["test_batch.bin"] if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}. " + CIFAR10_HOW_TO)
    parts = [read_cifar10_batch(folder / name) for name in names if (folder / name).exists()]
    X = np.concatenate([p[0] for p in parts]).astype(np.float32) / 255.0
    y = np.concatenate([p[1] for p in parts])
    X_test, y_test = read_cifar10_batch(folder / "test_batch.bin")
    order = checks.rng("rng", rng).permutation(X.shape[0])
    if num_train is not None:
        num_train = checks.integer("num_train", num_train, low=1)
    num_val = checks.integer("num_val", num_val, low=0, high=X.shape[0] - 1)
    train_idx, val_idx = order[: X.shape[0] - num_val], order[X.shape[0] - num_val:]
    if num_train is not None:
        train_idx = train_idx[:num_train]
    return {"X_train": X[train_idx], "y_train": y[train_idx], "X_val": X[val_idx], "y_val": y[val_idx],
            "X_test": X_test.astype(np.float32) / 255.0, "y_test": y_test}


# The preprocessing a lecture notebook applies to each data set: digits standardized (the slide's two
# lines); "digits_raw" only centred, pixels 0 .. 16 like the slides' raw CIFAR-10 pixels (0 .. 255):
# its gradients, and so its good learning rates, are on another scale than standardized digits'.
PREPROCESSING = {"digits": "standardize", "digits_raw": "center", "cifar10": "standardize"}


def load_dataset(name="digits", rng=0, **kwargs):
    """"digits", "digits_raw" (the same images, pixels 0 .. 16) or "cifar10": the one setting a
    notebook changes to switch data. Preprocess with PREPROCESSING[name]."""
    checks.choice("name", name, tuple(PREPROCESSING))
    if name == "cifar10":
        return load_cifar10(rng=rng, **kwargs)
    return load_digits(rng=rng, raw_pixels=name == "digits_raw", **kwargs)


def num_classes(data):
    """C, the number of classes: 1 + the largest label in data, a dict of splits (every y_* array
    counts, so a class missing from one split is not lost) or one label array y (N,)."""
    labels = [v for k, v in data.items() if k.startswith("y")] if isinstance(data, dict) else [data]
    sizes = [np.size(y) for y in labels]
    if not labels or not any(sizes):
        raise ValueError("data holds no labels: expected y_train, y_val, ... (or a non-empty label array)")
    return int(max(np.max(y) for y, size in zip(labels, sizes) if size)) + 1


def image_shape(num_features):
    """How to view a row as an image: (8, 8) for digits, (32, 32, 3) for CIFAR-10."""
    return {64: (8, 8), 3072: (32, 32, 3)}.get(num_features)


def row_to_image(row):
    """A data row as an image array: (8, 8) for digits, (32, 32, 3) for CIFAR-10's channel planes."""
    row = np.asarray(row)
    if row.size == 64:
        return row.reshape(8, 8)
    if row.size == 3072:
        return row.reshape(3, 32, 32).transpose(1, 2, 0)
    raise ValueError(f"row has {row.size} values; expected 64 (digits) or 3072 (CIFAR-10)")


def toy_2d(name, num_per_class=100, noise=0.1, num_classes=None, rng=0):
    """A 2-D classification set: "spiral", "circle", "xor" or "gauss".

    noise: standard deviation of the gaussian noise added (>= 0). num_classes: for "spiral" and
    "gauss" (default 3 and 2); "circle" and "xor" have 2. Returns X (N, 2) float32, y (N,).
    """
    checks.choice("name", name, ("spiral", "circle", "xor", "gauss"))
    num_per_class = checks.integer("num_per_class", num_per_class, low=1)
    noise = checks.non_negative("noise", noise)
    rng = checks.rng("rng", rng)
    if name in ("spiral", "gauss"):
        k = checks.integer(
            "num_classes", num_classes if num_classes is not None else (3 if name == "spiral" else 2), low=2
        )
    elif num_classes not in (None, 2):
        raise ValueError(f"num_classes must be 2 for {name!r}, got {num_classes!r}")
    else:
        k = 2
    n = num_per_class
    if name == "spiral":
        X, y = [], []
        for c in range(k):
            r = np.linspace(0.05, 1, n)
            t = np.linspace(c * 2 * np.pi / k, c * 2 * np.pi / k + 1.75 * np.pi, n) + rng.standard_normal(n) * noise * 2
            X.append(np.c_[r * np.sin(t), r * np.cos(t)])
            y.append(np.full(n, c))
        X, y = np.concatenate(X), np.concatenate(y)
    elif name == "circle":
        r = np.r_[rng.uniform(0, 0.5, n), rng.uniform(0.7, 1.0, n)]
        t = rng.uniform(0, 2 * np.pi, 2 * n)
        X = np.c_[r * np.cos(t), r * np.sin(t)] + noise * rng.standard_normal((2 * n, 2))
        y = np.r_[np.zeros(n), np.ones(n)]
    elif name == "xor":
        X = rng.uniform(-1, 1, (2 * n, 2))
        X += np.sign(X) * 0.05
        y = (X[:, 0] * X[:, 1] < 0).astype(int)
        X = X + noise * rng.standard_normal(X.shape)
    else:
        centres = np.c_[np.cos(2 * np.pi * np.arange(k) / k), np.sin(2 * np.pi * np.arange(k) / k)] * 0.6
        y = np.repeat(np.arange(k), n)
        X = centres[y] + (0.15 + noise) * rng.standard_normal((k * n, 2))
    return X.astype(np.float32), y.astype(np.int64)


def tiny_subset(X, y, num_examples=20):
    """The first num_examples examples (the slide's X_train[:20], y_train[:20])."""
    X = checks.array("X", X, ndim=2)
    if np.shape(y) != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) (one label per row of X), got {np.shape(y)}")
    num_examples = checks.integer("num_examples", num_examples, low=1, high=X.shape[0])
    return X[:num_examples], np.asarray(y)[:num_examples]


def correlated_gaussian(num_points=500, correlation=0.8, scale=1.0, offset=(0.0, 0.0), rng=0):
    """A 2-D gaussian cloud with covariance [[scale^2, correlation*scale], [correlation*scale, 1]].

    x1 = scale * z1 + offset[0],  x2 = correlation * z1 + sqrt(1 - correlation^2) * z2 + offset[1]
    with z1, z2 independent N(0, 1). correlation in [-1, 1], scale > 0 stretches the first axis.
    Returns X (N, 2) float64 (N = num_points).
    """
    num_points = checks.integer("num_points", num_points, low=1)
    correlation = checks.in_range("correlation", correlation, -1, 1)
    scale = checks.finite_positive("scale", scale)
    offset = checks.vector("offset", offset, 2, "numbers (x1, x2)")
    z = checks.rng("rng", rng).standard_normal((num_points, 2))
    X = np.empty((num_points, 2))
    X[:, 0] = scale * z[:, 0]
    X[:, 1] = correlation * z[:, 0] + np.sqrt(1 - correlation ** 2) * z[:, 1]
    return X + offset
