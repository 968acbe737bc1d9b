"""Every function of the solutions contract is exercised by a value test in this folder (the
layer classes and optimisers are tested in tests/training)."""

from pathlib import Path

import solutions
from solutions import input_gradient

NOT_OURS = {
    "Parameter",
    "Conv1d",
    "Conv2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool2d",
    "ReLU",
    "Flatten",
    "Linear",
    "Sequential",
    "SGD",
    "Adam",
}
INPUT_GRADIENTS = ["grad_input_col2im", "grad_input_transposed_conv", "grad_input_dilate_flip"]


def test_every_contract_function_has_a_value_test():
    here = Path(__file__).parent
    # bad-input tests do not count: each function needs a test of its values
    sources = "\n".join(
        path.read_text()
        for path in here.glob("test_*.py")
        if path.name not in {"test_bad_inputs.py", Path(__file__).name}
    )
    names = [n for n in solutions.__all__ if n not in NOT_OURS] + INPUT_GRADIENTS
    assert all(hasattr(input_gradient, n) for n in INPUT_GRADIENTS)
    untested = [n for n in names if f"{n}(" not in sources and f"{n}," not in sources]
    assert not untested, f"no value test calls {untested}"
