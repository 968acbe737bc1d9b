"""Loaders of training.data: IDX files the tests write themselves, digits and MNIST-1D."""

import gzip
import random
import socket

import numpy as np
import pytest

from tests.training.idx_files import (
    FLOAT64,
    INT32,
    UBYTE,
    idx_bytes,
    small_fashion,
    write,
    write_fashion,
)
from training.data import (
    FASHION_MNIST_FILES,
    DatasetNotFoundError,
    load_digits,
    load_fashion_mnist,
    load_mnist1d,
    read_idx,
)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize(
    ("array", "code"),
    [
        (np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4), UBYTE),
        (np.array([7, 0, 9], dtype=np.uint8), UBYTE),
        (np.array([[-5, 70000], [1, -2]], dtype=np.int32), INT32),
        (np.array([0.5, -1.25e10]), FLOAT64),
    ],
)
def test_read_idx_round_trip(tmp_path, array, code, suffix):
    path = write(tmp_path / f"data-idx{suffix}", idx_bytes(array, code))
    values = read_idx(path)
    assert values.shape == array.shape
    np.testing.assert_array_equal(values, array)


def corrupt_cases():
    good = idx_bytes(np.zeros((2, 3, 3), np.uint8))
    return {
        "bad magic": (b"\x01" + good[1:], "is not an IDX file"),
        "unknown dtype code": (good[:2] + b"\x07" + good[3:], "unknown dtype code 0x07"),
        "truncated data": (good[:-1], "has 33 bytes but its header .* needs 34"),
        "extra data": (good + b"\x00", "has 35 bytes but its header .* needs 34"),
        "truncated header": (good[:9], "truncated inside its header"),
        "empty": (b"", "is not an IDX file"),
    }


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("case", corrupt_cases())
def test_corrupt_idx_raises_value_error_naming_the_file(tmp_path, case, suffix):
    data, message = corrupt_cases()[case]
    path = write(tmp_path / f"broken-idx3-ubyte{suffix}", data)
    with pytest.raises(ValueError, match=message) as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_truncated_gzip_stream_raises_value_error(tmp_path):
    whole = gzip.compress(idx_bytes(np.zeros((50, 4, 4), np.uint8) + 3))
    path = tmp_path / "cut-idx3-ubyte.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError, match="cannot decompress") as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_plain_file_named_gz_raises_value_error(tmp_path):
    path = tmp_path / "plain-idx1-ubyte.gz"
    path.write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match=f"cannot decompress {path}"):
        read_idx(path)


def test_load_fashion_mnist_from_idx_files(tmp_path):
    arrays = small_fashion()
    write_fashion(tmp_path, arrays)
    data = load_fashion_mnist(tmp_path)
    assert data.x_train.shape == (6, 1, 5, 4) and data.x_test.shape == (4, 1, 5, 4)
    assert data.x_train.dtype == np.float32 and data.x_test.dtype == np.float32
    assert data.y_train.dtype == np.int64 and data.y_test.dtype == np.int64
    np.testing.assert_array_equal(data.y_train, arrays["y_train"])
    np.testing.assert_array_equal(data.y_test, arrays["y_test"])
    # Both splits are scaled with the training set's statistics of the [0, 1] pixel values.
    train = arrays["x_train"] / 255.0
    mean, std = train.mean(), train.std()
    np.testing.assert_allclose(data.x_train[:, 0], (train - mean) / std, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        data.x_test[:, 0], (arrays["x_test"] / 255.0 - mean) / std, rtol=1e-5, atol=1e-5
    )


def test_missing_fashion_mnist_says_how_to_get_it(tmp_path):
    with pytest.raises(DatasetNotFoundError) as error:
        load_fashion_mnist(tmp_path / "nowhere")
    message = str(error.value)
    assert isinstance(error.value, FileNotFoundError)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "bash scripts/setup.sh --fashion-mnist" in message
    assert "--data-dir" in message
    assert "train-images-idx3-ubyte" in message


def test_one_missing_file_is_named(tmp_path):
    arrays = small_fashion()
    write_fashion(tmp_path, arrays)
    (tmp_path / (FASHION_MNIST_FILES["y_test"] + ".gz")).unlink()
    with pytest.raises(DatasetNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_fashion_mnist(tmp_path)


def test_images_and_labels_must_agree(tmp_path):
    arrays = small_fashion()
    arrays["y_train"] = arrays["y_train"][:5]
    write_fashion(tmp_path, arrays)
    with pytest.raises(ValueError, match=r"train images must be \(N, H, W\) and labels \(N,\)"):
        load_fashion_mnist(tmp_path)


def test_labels_must_be_classes(tmp_path):
    arrays = small_fashion()
    arrays["y_test"][0] = 10
    write_fashion(tmp_path, arrays)
    with pytest.raises(ValueError, match=r"test labels must be in 0..9, got \d..10"):
        load_fashion_mnist(tmp_path)


def test_digits_shapes_split_and_seed():
    from sklearn.datasets import load_digits as sklearn_digits

    data = load_digits()
    # round(1797 * 0.2) = 359 test images
    assert data.x_train.shape == (1438, 1, 8, 8) and data.x_test.shape == (359, 1, 8, 8)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    counts = np.bincount(np.concatenate([data.y_train, data.y_test]), minlength=10)
    np.testing.assert_array_equal(counts, np.bincount(sklearn_digits().target, minlength=10))
    assert abs(float(data.x_train.mean())) < 1e-5
    assert abs(float(data.x_train.std()) - 1) < 1e-4
    again, other = load_digits(), load_digits(seed=1)
    np.testing.assert_array_equal(again.y_test, data.y_test)
    assert not np.array_equal(other.y_test, data.y_test)


@pytest.fixture(scope="module")
def mnist1d_pair():
    """Plain and shuffled MNIST-1D, built with the network switched off."""
    original_connect = socket.socket.connect

    def refuse(*args, **kwargs):
        raise AssertionError("MNIST-1D loader tried to use the network")

    socket.socket.connect = refuse
    try:
        numpy_state, python_state = np.random.get_state(), random.getstate()
        plain, shuffled = load_mnist1d(), load_mnist1d(shuffle_sequence=True)
        unchanged = np.array_equal(np.random.get_state()[1], numpy_state[1])
        unchanged = unchanged and random.getstate() == python_state
    finally:
        socket.socket.connect = original_connect
    return plain, shuffled, unchanged


def test_mnist1d_shapes_and_dtypes(mnist1d_pair):
    plain, _, _ = mnist1d_pair
    assert plain.x_train.shape == (4000, 1, 40) and plain.x_test.shape == (1000, 1, 40)
    assert plain.x_train.dtype == np.float32 and plain.y_test.dtype == np.int64
    assert set(np.unique(plain.y_train)) == set(range(10))
    assert abs(float(plain.x_train.mean())) < 1e-4


def test_mnist1d_leaves_global_random_state_alone(mnist1d_pair):
    assert mnist1d_pair[2]


def test_mnist1d_shuffle_is_one_time_permutation_for_train_and_test(mnist1d_pair):
    plain, shuffled, _ = mnist1d_pair
    np.testing.assert_array_equal(plain.y_train, shuffled.y_train)
    # Recover the permutation from the training signals: column t of the shuffled signals is
    # column permutation[t] of the plain ones.
    distances = np.abs(shuffled.x_train[:, 0, :, None] - plain.x_train[:, 0, None, :]).sum(axis=0)
    permutation = distances.argmin(axis=1)
    assert sorted(permutation) == list(range(40))
    assert not np.array_equal(permutation, np.arange(40))
    np.testing.assert_allclose(shuffled.x_train, plain.x_train[:, :, permutation], atol=1e-5)
    np.testing.assert_allclose(shuffled.x_test, plain.x_test[:, :, permutation], atol=1e-5)
