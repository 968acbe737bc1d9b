"""conv1d_unroll scales x in place to "normalise" it, then undoes the scale on the output."""

BREAKS = {"conv1d_unroll": "modifies_input"}


def conv1d_unroll(x, weight):
    scale = 2.0
    x *= scale  # writes into the caller's array
    return unroll_1d(x, weight.shape[0]) @ weight / x.dtype.type(scale)  # noqa: F821
