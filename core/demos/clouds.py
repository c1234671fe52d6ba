"""A 2-D data cloud before and after preprocessing (notebook 02): its mean and covariance, the
covariance ellipse that outlines it, and its principal axes (PCA's directions)."""
import numpy as np

from .. import checks
from ..preprocess import fit


def cloud_stats(Z):
    """Mean (2,) and covariance (2, 2) of the points Z (N, 2) (divided by N); a single point: covariance 0."""
    Z = checks.array("Z", Z, ndim=2)
    if Z.shape[1] != 2 or Z.shape[0] == 0:
        raise ValueError(f"Z must hold points (N, 2) with N >= 1, got shape {Z.shape}")
    cov = np.cov(Z, rowvar=False, bias=True) if Z.shape[0] > 1 else np.zeros((2, 2))
    return Z.mean(axis=0), cov


def covariance_ellipse(mean, cov, num_std=2.0, num_points=60):
    """The num_std-standard-deviation ellipse of a 2-D gaussian with this mean (2,) and covariance
    (2, 2): (num_points, 2) points to plot. Its axes point along the covariance's eigenvectors, with
    half-lengths num_std x sqrt(eigenvalue)."""
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    angle = np.linspace(0, 2 * np.pi, num_points)
    circle = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return mean + num_std * (circle * np.sqrt(np.maximum(eigenvalues, 0))) @ eigenvectors.T


def principal_axes(X, num_std=2.0):
    """The principal axes of the cloud X (N, 2): two segments (2, 2) [start, end] through its mean,
    along PCA's eigenvectors (core.preprocess.fit), num_std x sqrt(eigenvalue) to each side."""
    stats = fit(X, "pca")
    segments = []
    for value, vector in zip(stats["eigenvalues"], stats["eigenvectors"].T):
        half = num_std * np.sqrt(max(value, 0)) * vector
        segments.append(np.stack([stats["mean"] - half, stats["mean"] + half]))
    return segments
