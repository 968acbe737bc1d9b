"""The tolerance policy, stated once, and the message that explains a mismatch.

An output passes when it has the expected type, shape and dtype, contains no NaN or inf, and

    max |got - expected| <= atol + rtol * max |expected|

with (rtol, atol) taken from the expected dtype below.  The tolerance scales with the magnitude of
the whole expected tensor, not element by element, so tiny entries of a large output are not held
to an impossible relative accuracy.  Integer outputs must match exactly.
"""

from dataclasses import dataclass

import numpy as np

TOLERANCES = {
    np.dtype("float32"): (1e-5, 1e-6),
    np.dtype("float64"): (1e-9, 1e-12),
}


def tolerance(expected):
    """Absolute tolerance for an expected array: ``atol + rtol * max|expected|`` (0 for ints)."""
    expected = np.asarray(expected)
    if expected.dtype not in TOLERANCES:
        return 0.0
    rtol, atol = TOLERANCES[expected.dtype]
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    return atol + rtol * scale


@dataclass
class Mismatch:
    """Why one output failed: ``kind`` is type, shape, dtype, nonfinite or value."""

    kind: str
    message: str
    max_error: float = float("nan")
    index: tuple = ()


INTEGER_TYPES = ("int", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def compare(got, expected, name="output", got_type=None):
    """Compare one output with the expected value.

    Args:
        got: what the learner returned (array or scalar), or its recorded array.
        expected: the reference value (array or scalar).
        name: output name for the message (``grad_x``, ``output``...).
        got_type: type name of what the learner returned, when ``got`` is only its recording
            (defaults to ``type(got).__name__``).

    Returns:
        None when ``got`` passes, else a :class:`Mismatch` saying where and by how much.
    """
    got_type = got_type or type(got).__name__
    if isinstance(expected, np.ndarray) and got_type != "ndarray":
        return Mismatch("type", f"{name} is a {got_type}, expected a numpy.ndarray")
    if isinstance(expected, int | np.integer) and got_type not in INTEGER_TYPES:
        return Mismatch("type", f"{name} is a {got_type}, expected an int")
    got_array, expected_array = np.asarray(got), np.asarray(expected)
    if got_array.dtype == object or not np.issubdtype(got_array.dtype, np.number):
        return Mismatch("type", f"{name} has dtype {got_array.dtype}, expected numbers")
    if got_array.shape != expected_array.shape:
        return Mismatch(
            "shape", f"{name} has shape {got_array.shape}, expected {expected_array.shape}"
        )
    if isinstance(expected, np.ndarray) and got_array.dtype != expected_array.dtype:
        return Mismatch(
            "dtype",
            f"{name} has dtype {got_array.dtype}, expected {expected_array.dtype} "
            "(the reference's dtype)",
        )
    finite = np.isfinite(got_array)
    if not finite.all():
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        value = got_array[index].item()
        return Mismatch("nonfinite", f"{name} contains {value} at index {index}", index=index)
    error = np.abs(got_array.astype(np.float64) - expected_array.astype(np.float64))
    allowed = tolerance(expected_array)
    worst = float(error.max()) if error.size else 0.0
    if worst <= allowed:
        return None
    index = tuple(int(i) for i in np.unravel_index(np.argmax(error), error.shape))
    return Mismatch(
        "value",
        f"{name}: max abs error {worst:.3g} at index {index} (got {got_array[index].item():.6g}, "
        f"expected {expected_array[index].item():.6g}; tolerance {allowed:.2g})",
        max_error=worst,
        index=index,
    )


def matches(got, expected):
    """True when ``got`` would pass as ``expected`` (used to recognise known mistakes)."""
    return compare(got, expected) is None


# ---- verdicts: mistakes recognised from the shapes and dtypes alone --------------------------
# The judge's diagnoses (autograder/diagnose.py) and the visible tests both use these, so a hint
# before submitting and the judge's "likely mistake" agree.


def dtype_differs(got, expected):
    """True when ``expected`` is an array and ``got`` has another dtype."""
    return isinstance(expected, np.ndarray) and np.asarray(got).dtype != expected.dtype


def off_by_one_shape(got, expected):
    """True when ``got`` has the expected number of axes and a size off by exactly one on some."""
    got_shape, expected_shape = np.shape(got), np.shape(expected)
    if len(got_shape) != len(expected_shape) or got_shape == expected_shape:
        return False
    return max(abs(g - e) for g, e in zip(got_shape, expected_shape, strict=True)) == 1


def shape_differs(got, expected):
    """True when ``expected`` is an array and ``got`` has another shape."""
    return isinstance(expected, np.ndarray) and np.shape(got) != expected.shape


VERDICTS = {
    "dtype_differs": dtype_differs,
    "off_by_one_shape": off_by_one_shape,
    "shape_differs": shape_differs,
}


def verdict(name, outputs, expected):
    """True when the verdict ``name`` holds for some pair of output and expected output."""
    return any(VERDICTS[name](got, want) for got, want in zip(outputs, expected, strict=False))
