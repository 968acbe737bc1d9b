"""Datasets of chapter 7, loaded offline as channels-first float32 arrays.

Every loader returns a ``Dataset`` of four arrays: inputs float32, normalised to mean 0 and
standard deviation 1 (statistics of the training set), shaped (N, C, T) for 1D signals or
(N, C, H, W) for images; labels int64 in [0, 10).

- ``load_mnist1d``: MNIST-1D, generated procedurally by the ``mnist1d`` package (4000 train,
  1000 test signals of length 40); nothing is downloaded.
- ``load_digits``: scikit-learn's bundled 8x8 digits (1797 images), split with a fixed seed.
- ``load_fashion_mnist``: Fashion-MNIST (60000 train, 10000 test 28x28 images) read from the
  original IDX files, gzipped or not; ``read_idx`` parses one IDX file.
"""

import gzip
import random
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

# IDX header byte 3 -> element type; multi-byte types are stored big-endian.
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class Dataset(NamedTuple):
    """Train and test arrays: inputs float32 (N, C, ...) and labels int64 (N,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


class DatasetNotFoundError(FileNotFoundError):
    """A dataset's files are not on disk; the message says how to get them."""


def _standardise(x_train, x_test):
    """Scale both splits with the training set's mean and standard deviation, as float32."""
    mean, std = x_train.mean(), x_train.std()
    return ((x_train - mean) / std).astype(np.float32), ((x_test - mean) / std).astype(np.float32)


def load_mnist1d(shuffle_sequence=False):
    """MNIST-1D with the package's default arguments (5000 signals, seed 42, 80/20 split).

    ``mnist1d.data.make_dataset`` builds the signals from ten templates with random padding,
    translation, shear and noise; it never touches the network (unlike ``get_dataset``, which
    may download a pickle, and which this function does not call).

    Args:
        shuffle_sequence: apply one fixed random permutation to the time axis of every signal,
            train and test alike (the paper's ablation: the values are the same, only their
            order is scrambled, so a convolution's locality no longer helps).

    Returns:
        Dataset with x_train (4000, 1, 40), x_test (1000, 1, 40).
    """
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.shuffle_seq = shuffle_sequence
    # make_dataset reseeds the global NumPy and `random` generators; restore them afterwards.
    numpy_state, python_state = np.random.get_state(), random.getstate()
    try:
        data = make_dataset(args)
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    # make_dataset already centred and scaled the whole set; standardising on the training
    # statistics changes the numbers only slightly and keeps one rule for every loader.
    x_train, x_test = _standardise(data["x"][:, None, :], data["x_test"][:, None, :])
    return Dataset(x_train, data["y"].astype(np.int64), x_test, data["y_test"].astype(np.int64))


def load_digits(test_fraction=0.2, seed=0):
    """scikit-learn's 8x8 handwritten digits, split into train and test with a fixed seed.

    Args:
        test_fraction: share of the 1797 images held out for testing.
        seed: seed of the permutation that makes the split.

    Returns:
        Dataset with x_train (N_train, 1, 8, 8), x_test (N_test, 1, 8, 8);
        N_test = round(1797 * test_fraction).
    """
    from sklearn.datasets import load_digits as sklearn_load_digits

    if not 0 < test_fraction < 1:
        raise ValueError(f"load_digits: test_fraction must be in (0, 1), got {test_fraction}")
    bunch = sklearn_load_digits()
    images, labels = bunch.images[:, None, :, :], bunch.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = round(len(labels) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    x_train, x_test = _standardise(images[train], images[test])
    return Dataset(x_train, labels[train], x_test, labels[test])


def read_idx(path):
    """Read one IDX file (the MNIST format), gzipped if its name ends in ``.gz``.

    Layout: two zero bytes, a dtype code (0x08 = uint8, ...), the number of dimensions D, then D
    big-endian uint32 sizes, then the values in row-major order.

    Args:
        path: file path.

    Returns:
        ndarray of the header's shape, in native byte order.

    Raises:
        ValueError: naming the file, if the magic number or dtype code is wrong or the data size
            does not match the header (a truncated or corrupt file).
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as file:
            raw = file.read()
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise ValueError(f"read_idx: cannot decompress {path}: {error}") from error
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(
            f"read_idx: {path} is not an IDX file: it must start with two zero bytes, "
            f"got {raw[:4]!r}"
        )
    code, ndim = raw[2], raw[3]
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(f"read_idx: {path} has unknown dtype code 0x{code:02X} (known: {known})")
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(f"read_idx: {path} is truncated inside its header ({len(raw)} bytes)")
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[code]
    expected = header_size + dtype.itemsize * int(np.prod(shape))
    if len(raw) != expected:
        raise ValueError(
            f"read_idx: {path} has {len(raw)} bytes but its header (shape={shape}, "
            f"dtype={dtype.name}) needs {expected}: the file is truncated or corrupt"
        )
    values = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def _find_idx(data_dir, stem):
    """Path of ``stem`` or ``stem.gz`` in data_dir; DatasetNotFoundError if neither exists."""
    for name in (stem + ".gz", stem):
        if (data_dir / name).is_file():
            return data_dir / name
    raise DatasetNotFoundError(
        f"Fashion-MNIST file {stem}[.gz] not found in {data_dir}. Install the Debian package "
        f"(bash scripts/setup.sh --fashion-mnist, or sudo apt-get install dataset-fashion-mnist; "
        f"it puts the files in {FASHION_MNIST_DIR}) or pass --data-dir DIR, a directory with the "
        f"four IDX files {', '.join(FASHION_MNIST_FILES.values())} (gzipped or not)."
    )


def fashion_mnist_files(data_dir=FASHION_MNIST_DIR):
    """Paths of the four Fashion-MNIST IDX files in ``data_dir``, keyed like ``Dataset``'s fields.

    Raises:
        DatasetNotFoundError: a file is missing (the message says how to install it).
    """
    data_dir = Path(data_dir)
    return {key: _find_idx(data_dir, stem) for key, stem in FASHION_MNIST_FILES.items()}


def load_fashion_mnist(data_dir=FASHION_MNIST_DIR):
    """Fashion-MNIST from its four IDX files (Zalando's original names, ``.gz`` optional).

    Args:
        data_dir: directory holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
            t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz].

    Returns:
        Dataset with x_train (60000, 1, 28, 28), x_test (10000, 1, 28, 28) for the full set.

    Raises:
        DatasetNotFoundError: a file is missing (the message says how to install it).
        ValueError: a file is corrupt, or images and labels do not fit together.
    """
    arrays = {key: read_idx(path) for key, path in fashion_mnist_files(data_dir).items()}
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(
                f"load_fashion_mnist: {split} images must be (N, H, W) and labels (N,), got "
                f"images.shape={images.shape}, labels.shape={labels.shape} in {data_dir}"
            )
        if labels.size and (labels.min() < 0 or labels.max() > 9):
            raise ValueError(
                f"load_fashion_mnist: {split} labels must be in 0..9, got "
                f"{labels.min()}..{labels.max()} in {data_dir}"
            )
    # Dividing by 255 first keeps the float32 arithmetic well scaled; mean/std do the rest.
    x_train, x_test = _standardise(
        arrays["x_train"][:, None] / np.float32(255), arrays["x_test"][:, None] / np.float32(255)
    )
    y_train, y_test = arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)
    return Dataset(x_train, y_train, x_test, y_test)


LOADERS = {
    "mnist1d": load_mnist1d,
    "digits": load_digits,
    "fashion-mnist": load_fashion_mnist,
}
