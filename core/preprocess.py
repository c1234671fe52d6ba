"""Preprocessing fitted on the training set only, then applied to val/test with the same numbers.

The slide: X -= np.mean(X, axis=0); X /= np.std(X, axis=0) (X: (N, D), one example per row);
"In practice, you may also see PCA and Whitening of the data".
"""
import numpy as np

from . import checks

METHODS = ("none", "center", "standardize", "pca", "whiten")


def fit(X, method="standardize", num_components=None, eps=1e-5):
    """Statistics of X (N, D) for `method`; pass the result to transform.

    "center": subtract the mean. "standardize": also divide by the per-feature std.
    "pca": center, then rotate onto the eigenbasis of the covariance (decorrelates), keeping the
    top num_components directions. "whiten": PCA, then divide each direction by sqrt(eigenvalue + eps)
    so the covariance becomes the identity.
    """
    X = checks.array("X", X, ndim=2)
    checks.choice("method", method, METHODS)
    eps = checks.finite_positive("eps", eps)
    D = X.shape[1]
    k = D if num_components is None else checks.integer("num_components", num_components, low=1, high=D)
    X64 = X.astype(np.float64)
    stats = {"method": method, "mean": X64.mean(axis=0), "eps": eps}
    if method == "standardize":
        stats["std"] = X64.std(axis=0)
    if method in ("pca", "whiten"):
        centred = X64 - stats["mean"]
        cov = centred.T @ centred / X.shape[0]
        eigenvalues, eigenvectors = np.linalg.eigh(cov)
        order = np.argsort(eigenvalues)[::-1][:k]
        stats["eigenvalues"], stats["eigenvectors"] = eigenvalues[order], eigenvectors[:, order]
    return stats


def transform(X, stats):
    """Apply fitted statistics to X (N, D): (N, D), or (N, k) for PCA/whitening with k components."""
    X = checks.array("X", X, ndim=2)
    if X.shape[1] != stats["mean"].shape[0]:
        raise ValueError(f"X has {X.shape[1]} features; the statistics were fitted on {stats['mean'].shape[0]}")
    method = stats["method"]
    if method == "none":
        return X.copy()
    out = X.astype(np.float64) - stats["mean"]
    if method == "standardize":
        out /= np.where(stats["std"] > stats["eps"], stats["std"], 1.0)  # constant pixels stay 0
    elif method in ("pca", "whiten"):
        out = out @ stats["eigenvectors"]
        if method == "whiten":
            out /= np.sqrt(stats["eigenvalues"] + stats["eps"])
    return out.astype(X.dtype if X.dtype.kind == "f" else np.float32)


def preprocess(data, method="standardize", **kwargs):
    """Fit on data["X_train"], apply to every X_* in the dict; returns a new dict (labels shared)."""
    stats = fit(data["X_train"], method, **kwargs)
    return {k: transform(v, stats) if k.startswith("X_") else v for k, v in data.items()}
