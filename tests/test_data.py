"""Data: digits splits, the CIFAR-10 binary loader on small files written in the official format,
2-D toy sets, tiny subsets, and preprocessing fitted on the training set only."""
import numpy as np
import pytest

import core
from core import data, preprocess

RECORD = 3073  # one label byte + 3 x 1024 pixel bytes (R, G, B planes)


# ---- digits ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    return data.load_digits(rng=0)


def test_digits_split_sizes_types_and_range(digits):
    sizes = {k: v.shape for k, v in digits.items()}
    assert sizes == {"X_train": (1197, 64), "y_train": (1197,), "X_val": (300, 64), "y_val": (300,),
                     "X_test": (300, 64), "y_test": (300,)}
    for k in ("X_train", "X_val", "X_test"):
        assert digits[k].dtype == np.float32 and digits[k].min() >= 0 and digits[k].max() <= 1
    for k in ("y_train", "y_val", "y_test"):
        assert digits[k].dtype == np.int64 and set(np.unique(digits[k])) <= set(range(10))
    assert set(np.unique(digits["y_train"])) == set(range(10))


def test_digits_splits_partition_the_1797_images(digits):
    from sklearn.datasets import load_digits as sklearn_digits
    original = (sklearn_digits().data / 16.0).astype(np.float32)
    ours = np.concatenate([digits["X_train"], digits["X_val"], digits["X_test"]])
    # same multiset of rows: every image is in exactly one split
    np.testing.assert_array_equal(np.unique(ours, axis=0, return_counts=True)[1],
                                  np.unique(original, axis=0, return_counts=True)[1])
    np.testing.assert_array_equal(np.unique(ours, axis=0), np.unique(original, axis=0))


def test_digits_are_scikit_learns_load_digits_in_order():
    """load_digits reads scikit-learn's file itself (no sklearn import); same images, labels and order."""
    from sklearn.datasets import load_digits as sklearn_digits
    original = sklearn_digits()
    table = np.loadtxt(data.digits_file(), delimiter=",")
    np.testing.assert_array_equal(table[:, :-1], original.data)
    np.testing.assert_array_equal(table[:, -1].astype(np.int64), original.target)
    order = np.random.default_rng(0).permutation(1797)  # split's shuffle with rng=0
    ours = data.load_digits(rng=0, raw_pixels=True)
    np.testing.assert_array_equal(ours["X_train"], original.data[order[:1197]].astype(np.float32))
    np.testing.assert_array_equal(ours["y_train"], original.target[order[:1197]])


def test_digits_other_sizes_and_rng():
    small = data.load_digits(num_val=100, num_test=50, rng=0)
    assert (len(small["y_train"]), len(small["y_val"]), len(small["y_test"])) == (1647, 100, 50)
    again, other = data.load_digits(rng=0), data.load_digits(rng=1)
    np.testing.assert_array_equal(again["X_train"], data.load_digits(rng=np.random.default_rng(0))["X_train"])
    assert not np.array_equal(again["y_train"], other["y_train"])


def test_split_is_disjoint_and_keeps_pairs():
    X = np.arange(50, dtype=np.float32).reshape(25, 2)  # row i is [2i, 2i + 1]
    y = np.arange(25) % 5
    parts = data.split(X, y, 5, 4, rng=3)
    ids = [parts[k][:, 0] // 2 for k in ("X_train", "X_val", "X_test")]
    assert [len(i) for i in ids] == [16, 5, 4]
    all_ids = np.concatenate(ids)
    assert sorted(all_ids) == list(range(25))  # disjoint and complete
    for xs, ys in (("X_train", "y_train"), ("X_val", "y_val"), ("X_test", "y_test")):
        np.testing.assert_array_equal(parts[ys], (parts[xs][:, 0] // 2).astype(int) % 5)


def test_load_dataset_digits_is_load_digits(digits):
    np.testing.assert_array_equal(data.load_dataset("digits", rng=0)["X_val"], digits["X_val"])


def test_tiny_subset_is_the_first_examples(digits):
    X, y = data.tiny_subset(digits["X_train"], digits["y_train"])
    assert X.shape == (20, 64) and y.shape == (20,)
    np.testing.assert_array_equal(X, digits["X_train"][:20])
    np.testing.assert_array_equal(y, digits["y_train"][:20])
    assert data.tiny_subset(digits["X_train"], digits["y_train"], 3)[0].shape == (3, 64)


def test_num_classes_counts_every_split():
    d = {"X_train": np.zeros((3, 2)), "y_train": np.array([0, 2, 1]), "y_val": np.array([4, 0]),
         "y_test": np.array([], dtype=int)}
    assert data.num_classes(d) == 5            # label 4 appears only in y_val: still 5 classes
    assert data.num_classes(np.array([1, 0, 1])) == 2
    with pytest.raises(ValueError, match="labels"):
        data.num_classes({"X_train": np.zeros((2, 2))})


def test_net_for_data_has_the_data_shape(digits):
    net = core.FullyConnectedNet.for_data(digits, [7], init="xavier", rng=0)
    assert net.sizes == [64, 7, 10]
    again = core.FullyConnectedNet(64, [7], 10, init="xavier", rng=0)
    assert all(np.array_equal(net.params[k], again.params[k]) for k in net.params)


def test_row_to_image_and_image_shape():
    assert data.row_to_image(np.arange(64)).shape == (8, 8)
    row = np.arange(3072)
    image = data.row_to_image(row)
    assert image.shape == (32, 32, 3)
    # channel planes: pixel (0, 1) has red at index 1, green at 1024 + 1, blue at 2048 + 1
    np.testing.assert_array_equal(image[0, 1], [1, 1025, 2049])
    assert data.image_shape(64) == (8, 8) and data.image_shape(3072) == (32, 32, 3)


# ---- CIFAR-10 binary files ---------------------------------------------------------------------

def write_batch(path, labels, rng):
    """Write records in the official format; returns the pixel rows (N, 3072) uint8."""
    pixels = rng.integers(0, 256, (len(labels), 3072), dtype=np.uint8)
    records = np.concatenate([np.asarray(labels, dtype=np.uint8)[:, None], pixels], axis=1)
    assert records.shape[1] == RECORD
    records.tofile(path)
    return pixels


@pytest.fixture
def cifar_dir(tmp_path):
    """Five training batches of 6 images and a test batch of 4, in the official binary format."""
    rng = np.random.default_rng(0)
    train_pixels, train_labels = [], []
    for i in range(1, 6):
        labels = rng.integers(0, 10, 6)
        train_pixels.append(write_batch(tmp_path / f"data_batch_{i}.bin", labels, rng))
        train_labels.append(labels)
    test_labels = np.array([3, 9, 0, 1])
    test_pixels = write_batch(tmp_path / "test_batch.bin", test_labels, rng)
    return tmp_path, np.concatenate(train_pixels), np.concatenate(train_labels), test_pixels, test_labels


def check_cifar(loaded, train_pixels, train_labels, test_pixels, test_labels, num_val):
    assert loaded["X_train"].shape == (30 - num_val, 3072) and loaded["X_val"].shape == (num_val, 3072)
    assert all(loaded[k].dtype == np.float32 for k in ("X_train", "X_val", "X_test"))
    np.testing.assert_allclose(loaded["X_test"], test_pixels / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(loaded["y_test"], test_labels)
    # train + val hold every training record once, each image with its own label
    X = np.concatenate([loaded["X_train"], loaded["X_val"]])
    y = np.concatenate([loaded["y_train"], loaded["y_val"]])
    as_bytes = np.rint(X * 255).astype(np.uint8)
    order = [int(np.flatnonzero((train_pixels == row).all(axis=1))[0]) for row in as_bytes]
    assert sorted(order) == list(range(30))
    np.testing.assert_array_equal(y, train_labels[order])


def test_cifar10_from_a_path(cifar_dir, monkeypatch):
    monkeypatch.delenv("CIFAR10_DIR", raising=False)
    folder, *expected = cifar_dir
    loaded = data.load_cifar10(folder, num_val=5, rng=0)
    check_cifar(loaded, *expected, num_val=5)
    assert data.cifar10_available(folder) and not data.cifar10_available()
    assert data.load_cifar10(str(folder), num_val=5, num_train=7)["X_train"].shape == (7, 3072)


def test_cifar10_from_the_environment_variable(cifar_dir, monkeypatch):
    folder, *expected = cifar_dir
    monkeypatch.setenv("CIFAR10_DIR", str(folder))
    assert data.cifar10_available()
    check_cifar(data.load_cifar10(num_val=3), *expected, num_val=3)
    check_cifar(data.load_dataset("cifar10", num_val=4), *expected, num_val=4)
    a, b = data.load_cifar10(num_val=3, rng=1), data.load_cifar10(num_val=3, rng=1)
    np.testing.assert_array_equal(a["X_val"], b["X_val"])


def test_cifar10_image_has_the_official_channel_layout(tmp_path):
    pixels = np.zeros(3072, dtype=np.uint8)
    pixels[:1024], pixels[1024:2048], pixels[2048:] = 255, 128, 0  # a pure orange image
    record = np.concatenate([[7], pixels]).astype(np.uint8)
    record.tofile(tmp_path / "data_batch_1.bin")
    record.tofile(tmp_path / "test_batch.bin")
    loaded = data.load_cifar10(tmp_path, num_val=0)
    assert loaded["y_train"].tolist() == [7]
    image = data.row_to_image(loaded["X_train"][0])
    np.testing.assert_allclose(image[5, 9], [1.0, 128 / 255, 0.0], rtol=1e-6)


def test_cifar10_truncated_file_is_rejected(cifar_dir):
    folder = cifar_dir[0]
    raw = (folder / "data_batch_2.bin").read_bytes()
    (folder / "data_batch_2.bin").write_bytes(raw[:-10])
    with pytest.raises(ValueError, match=r"data_batch_2\.bin holds 18428 bytes.*3073-byte"):
        data.load_cifar10(folder)


def test_cifar10_empty_file_and_bad_label_are_rejected(cifar_dir):
    folder = cifar_dir[0]
    (folder / "test_batch.bin").write_bytes(b"")
    with pytest.raises(ValueError, match=r"test_batch\.bin holds 0 bytes"):
        data.load_cifar10(folder)
    write_batch(folder / "test_batch.bin", [3, 12], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"label 12"):
        data.load_cifar10(folder)


def test_cifar10_absent_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.delenv("CIFAR10_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match=r"CIFAR10_DIR is not set.*binary version") as info:
        data.load_cifar10()
    assert "data_batch_1.bin" in str(info.value) and "test_batch.bin" in str(info.value)
    with pytest.raises(FileNotFoundError, match=r"lacks data_batch_1\.bin, test_batch\.bin.*binary version"):
        data.load_cifar10(tmp_path)
    monkeypatch.setenv("CIFAR10_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="nowhere"):
        data.load_dataset("cifar10")
    assert not data.cifar10_available()


def test_cifar10_needs_only_the_first_batch_and_the_test_batch(cifar_dir):
    folder = cifar_dir[0]
    for i in range(2, 6):
        (folder / f"data_batch_{i}.bin").unlink()
    loaded = data.load_cifar10(folder, num_val=2)
    assert loaded["X_train"].shape == (4, 3072)


# ---- 2-D toy sets -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, num_classes", [("spiral", 3), ("circle", 2), ("xor", 2), ("gauss", 2)])
def test_toy_2d_shapes_labels_and_balance(name, num_classes):
    X, y = data.toy_2d(name, num_per_class=40, rng=0)
    assert X.shape == (40 * num_classes, 2) and X.dtype == np.float32
    assert y.shape == (40 * num_classes,) and y.dtype == np.int64
    assert np.isfinite(X).all()
    if name != "xor":  # xor labels come from the quadrant of uniform points
        np.testing.assert_array_equal(np.bincount(y), [40] * num_classes)
    assert set(np.unique(y)) == set(range(num_classes))


@pytest.mark.parametrize("name", ["spiral", "circle", "xor", "gauss"])
def test_toy_2d_rng_determinism_and_noise(name):
    a = data.toy_2d(name, 30, noise=0.2, rng=0)
    b = data.toy_2d(name, 30, noise=0.2, rng=np.random.default_rng(0))
    c = data.toy_2d(name, 30, noise=0.2, rng=1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    quiet = data.toy_2d(name, 30, noise=0.0, rng=0)
    assert not np.allclose(quiet[0], a[0])  # the noise level changes the points


def test_toy_2d_geometry_without_noise():
    X, y = data.toy_2d("circle", 200, noise=0.0, rng=0)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 0].max() <= 0.5 + 1e-6 and r[y == 1].min() >= 0.7 - 1e-6
    X, y = data.toy_2d("xor", 200, noise=0.0, rng=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    X, y = data.toy_2d("spiral", 100, noise=0.0, num_classes=5, rng=0)
    assert set(np.unique(y)) == set(range(5)) and np.linalg.norm(X, axis=1).max() <= 1 + 1e-6
    X, y = data.toy_2d("gauss", 2000, noise=0.0, num_classes=4, rng=0)
    means = np.array([X[y == c].mean(axis=0) for c in range(4)])
    assert np.linalg.norm(means, axis=1) == pytest.approx([0.6] * 4, abs=0.02)


def test_more_noise_spreads_the_gauss_clouds():
    spreads = [data.toy_2d("gauss", 500, noise=n, rng=0)[0].std() for n in (0.0, 0.3, 1.0)]
    assert spreads[0] < spreads[1] < spreads[2]


# ---- preprocessing ----------------------------------------------------------------------------

def test_preprocess_fits_on_train_only(digits):
    out = preprocess.preprocess(digits, "standardize")
    assert set(out) == set(digits)
    for k in out:
        assert out[k].shape == digits[k].shape
    assert np.abs(out["X_train"].mean(axis=0)).max() < 1e-5
    std = out["X_train"].std(axis=0)
    varying = digits["X_train"].std(axis=0) > 1e-5
    np.testing.assert_allclose(std[varying], 1, atol=1e-4)
    np.testing.assert_array_equal(out["X_train"][:, ~varying], 0)  # constant pixels stay 0
    stats = preprocess.fit(digits["X_train"], "standardize")
    np.testing.assert_allclose(out["X_val"], preprocess.transform(digits["X_val"], stats))
    assert np.abs(out["X_val"].mean(axis=0)).max() > 1e-3  # val uses the train statistics, not its own
    np.testing.assert_array_equal(out["y_val"], digits["y_val"])


def test_pca_decorrelates_and_whitening_gives_identity_covariance():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2000, 3)) @ np.array([[3.0, 1.0, 0.0], [0.0, 1.0, 0.5], [0.0, 0.0, 0.2]]) + 5
    for method in ("pca", "whiten"):
        stats = preprocess.fit(X, method)
        Z = preprocess.transform(X, stats)
        cov = np.cov(Z, rowvar=False, bias=True)
        np.testing.assert_allclose(cov - np.diag(np.diag(cov)), 0, atol=1e-8)
        if method == "whiten":  # variance lambda / (lambda + eps): 1 up to the eps guard
            lam = stats["eigenvalues"]
            np.testing.assert_allclose(np.diag(cov), lam / (lam + stats["eps"]), rtol=1e-8)
            np.testing.assert_allclose(np.diag(cov), 1, atol=1e-3)
        else:
            assert np.all(np.diff(np.diag(cov)) < 0)  # directions sorted by variance
    Z2 = preprocess.transform(X, preprocess.fit(X, "pca", num_components=2))
    assert Z2.shape == (2000, 2)
    centred = preprocess.transform(X, preprocess.fit(X, "center"))
    np.testing.assert_allclose(centred.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_array_equal(preprocess.transform(X, preprocess.fit(X, "none")), X)


def test_digits_raw_is_digits_with_pixels_0_to_16(digits):
    raw = data.load_dataset("digits_raw", rng=0)
    for k in ("X_train", "X_val", "X_test"):
        assert raw[k].dtype == np.float32 and raw[k].min() == 0 and raw[k].max() == 16
        np.testing.assert_allclose(raw[k] / 16, digits[k], rtol=1e-6)  # the same images, the same split
    for k in ("y_train", "y_val", "y_test"):
        np.testing.assert_array_equal(raw[k], digits[k])
    assert set(data.PREPROCESSING) == {"digits", "digits_raw", "cifar10"}
    centred = preprocess.preprocess(raw, data.PREPROCESSING["digits_raw"])["X_train"]
    assert np.abs(centred.mean(axis=0)).max() < 1e-4 and centred.std(axis=0).max() > 6  # centred, not scaled
