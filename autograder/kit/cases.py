"""Test cases: how a small JSON-able description becomes the inputs of one function call.

A case is a dict mapping each argument name to its value, plus an optional integer ``"seed"``::

    {"x": {"shape": [2, 3, 7], "dtype": "float32"}, "weight": {"shape": [4, 3, 3]},
     "stride": 2, "padding": 1, "seed": 17}

A value that is a dict with a ``"shape"`` key describes a random array, drawn from
``numpy.random.default_rng(seed)`` in the order the arguments appear in the case:

    kind "normal"    (default) standard normal values
    kind "integers"  small integers 0..4 stored as floats (exact sums, ties for max pooling)
    optional "scale" multiplies the values (large logits: ``"scale": 1000``)
    kind "labels"    class labels 0..high-1 (``"high"`` key), e.g. targets of a loss, int64

A dict with a ``"function"`` key is a scalar function of an array, from a named family with its
own random coefficients ``R`` (shape ``"shape"``, drawn from its own ``"seed"``), for items that
take a function (``numerical_gradient(f, x)``):

    "cubic"  f(x) = sum(R * x**3)      "sine"  f(x) = sum(R * sin(x))
    "exp"    f(x) = sum(R * exp(x / 2))

Any other value (int, tuple, list of ints, None) is passed as it is; an ``numpy.ndarray`` value
(allowed in visible cases only, they are stored in a fixture file) is passed as a copy.
The recorder in the learner's kernel and the judge both call :func:`make_inputs`, so the learner's
function and the reference see bit-identical inputs.
"""

import numpy as np

SEED_KEY = "seed"


def is_array_spec(value):
    """True when ``value`` describes a random array (a dict with a ``"shape"`` key)."""
    return isinstance(value, dict) and "shape" in value and "function" not in value


def random_array(rng, spec):
    """Draw the array described by ``spec`` ({"shape", "dtype"="float64", "kind"="normal"})."""
    shape = tuple(spec["shape"])
    kind = spec.get("kind", "normal")
    if kind == "normal":
        values = rng.standard_normal(shape)
    elif kind == "integers":
        values = rng.integers(0, 5, size=shape).astype(np.float64)
    elif kind == "labels":
        return rng.integers(0, spec["high"], size=shape).astype(spec.get("dtype", "int64"))
    else:
        raise ValueError(
            f"random_array: unknown kind {kind!r} (expected 'normal', 'integers' or 'labels')"
        )
    return (values * spec.get("scale", 1.0)).astype(spec.get("dtype", "float64"))


FAMILIES = {
    "cubic": lambda x: x**3,
    "sine": np.sin,
    "exp": lambda x: np.exp(x / 2),
}


def is_function_spec(value):
    """True when ``value`` describes a scalar function (a dict with a ``"function"`` key)."""
    return isinstance(value, dict) and "function" in value


def scalar_function(spec):
    """The function ``f(x) = sum(R * family(x))`` described by ``spec`` (see the module doc)."""
    family = FAMILIES[spec["function"]]
    coefficients = np.random.default_rng(spec.get("seed", 0)).standard_normal(spec["shape"])

    def f(x):
        return float(np.sum(coefficients * family(np.asarray(x, dtype=np.float64))))

    return f


def make_inputs(case):
    """Build the keyword arguments of one call from a case.

    Args:
        case: dict of argument name -> value or array spec, plus optional ``"seed"``.

    Returns:
        dict of argument name -> value, in the case's order, arrays freshly allocated.
    """
    rng = np.random.default_rng(case.get(SEED_KEY, 0))
    inputs = {}
    for name, value in case.items():
        if name == SEED_KEY:
            continue
        if is_array_spec(value):
            inputs[name] = random_array(rng, value)
        elif is_function_spec(value):
            inputs[name] = scalar_function(value)
        elif isinstance(value, np.ndarray):
            inputs[name] = value.copy()
        else:
            inputs[name] = value
    return inputs


def describe(case):
    """One-line label of a case for messages, e.g. ``x (2, 3, 7) float32, stride=2``."""
    parts = []
    for name, value in case.items():
        if name == SEED_KEY:
            continue
        if is_array_spec(value):
            parts.append(f"{name} {tuple(value['shape'])} {value.get('dtype', 'float64')}")
        elif is_function_spec(value):
            parts.append(f"{name}=sum(R * {value['function']}(x))")
        elif isinstance(value, np.ndarray):
            parts.append(f"{name} {value.shape} {value.dtype}")
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def call(function, inputs, positional):
    """Call ``function`` with the arguments named in ``positional`` first, the rest by keyword.

    Required parameters go positionally so a learner may name them freely; optional ones
    (stride, padding, ...) go by keyword, as the contract names them.
    """
    args = [inputs[name] for name in positional]
    kwargs = {name: value for name, value in inputs.items() if name not in positional}
    return function(*args, **kwargs)


def as_outputs(result):
    """A function's return value as a list of outputs (a tuple or list return = several)."""
    if isinstance(result, tuple | list):
        return list(result)
    return [result]
