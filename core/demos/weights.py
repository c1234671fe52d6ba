"""Weights as pictures: how noisy first-layer weight images look (the slide's "Visualizing first-layer
weights": noisy with weak regularization, smooth with more)."""
import math

import numpy as np

from .. import checks


def weight_roughness(W, image_shape):
    """How noisy first-layer weight images look: mean squared difference between neighbouring pixels.

    W: (D, H) first-layer weights, one column per hidden unit; image_shape: (h, w) or (h, w, 3) with
    h * w (* 3) = D (core.data.image_shape). Each unit's image is normalized to zero mean and unit
    std first, so the number does not depend on the weights' size: white noise gives about 2,
    smooth images much less. Units with constant weights count as 0. Returns a float.
    """
    W = checks.array("W", W, ndim=2)
    image_shape = tuple(int(s) for s in image_shape)
    if len(image_shape) not in (2, 3) or math.prod(image_shape) != W.shape[0]:
        raise ValueError(f"image_shape must be (h, w) or (h, w, 3) with h * w * channels = {W.shape[0]} "
                         f"(the rows of W), got {image_shape}")
    W = W.astype(np.float64)
    std = W.std(axis=0)
    normalized = (W - W.mean(axis=0)) / np.where(std > 0, std, 1.0)
    images = normalized.T.reshape((W.shape[1],) + image_shape)   # (H, h, w[, 3])
    across = np.diff(images, axis=2) ** 2                             # horizontal neighbours
    down = np.diff(images, axis=1) ** 2                               # vertical neighbours
    return float((across.sum() + down.sum()) / (across.size + down.size))
