"""Small IDX files written by the tests themselves (the format typed from its description)."""

import gzip
import struct

import numpy as np

from training.data import FASHION_MNIST_FILES

# IDX type codes written by hand from the format's description (not imported from the loader).
UBYTE, INT32, FLOAT64 = 0x08, 0x0C, 0x0E


def idx_bytes(array, code=UBYTE):
    """The IDX encoding of ``array``: 0, 0, type code, ndim, big-endian sizes, big-endian data."""
    big_endian = {UBYTE: ">u1", INT32: ">i4", FLOAT64: ">f8"}[code]
    header = struct.pack(">BBBB", 0, 0, code, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.asarray(array).astype(big_endian).tobytes()


def write(path, data):
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as file:
            file.write(data)
    else:
        path.write_bytes(data)
    return path


def small_fashion(seed=0, n_train=6, n_test=4, size=(5, 4)):
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, (n_train, *size), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, *size), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def write_fashion(directory, arrays, gzipped=("x_train", "y_test")):
    """Write the four files under their Zalando names; some gzipped, some plain."""
    for key, array in arrays.items():
        suffix = ".gz" if key in gzipped else ""
        write(directory / (FASHION_MNIST_FILES[key] + suffix), idx_bytes(array))
