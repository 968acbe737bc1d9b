"""Known-mistake diagnoses: which candidates they propose, when they match, what they say.

The oracles are hand-computed arrays and the reference's own outputs on hand-picked inputs (a
kernel of ones, a symmetric image), not the diagnoses' code.
"""

import numpy as np
import pytest

from autograder import diagnose
from autograder.build import fixture_arrays, mistake_outputs
from autograder.diagnose import (
    Attempt,
    candidates,
    diagnoses_for,
    diagnosis,
    likely_mistakes,
    matches_candidate,
    registry,
)
from autograder.kit.cases import make_inputs
from autograder.kit.compare import compare
from autograder.kit.visible import check_case, load_cases
from autograder.spec import Assignment, Item, load_assignment
from solutions import conv2d_backward


def attempt_of(item, inputs, got=None):
    """An attempt on ``item``: the reference's outputs as expected, ``got`` (default: those)."""
    expected = item.runner.expected(item.reference_function(), inputs, item.positional())
    got = expected if got is None else got
    return Attempt(item, inputs, expected, got, [type(value).__name__ for value in got], [])


def generic(key):
    return registry()[key]


CONV2D = Item("conv2d", points=1, hidden=[], visible=[])
BACKWARD = Item(
    "conv2d_backward",
    points=1,
    hidden=[],
    visible=[],
    outputs=("grad_x", "grad_weight", "grad_bias"),
)


def test_visible_hints_keep_every_candidate_of_a_diagnosis():
    # 1 x 4 image [0 1 2 3], padding 1 on the width only, 1 x 1 kernel of ones: padding on one
    # side gives [0 0 0 1 2 3] (zeros before x) or [0 1 2 3 0 0] (zeros after x).
    inputs = {
        "x": np.arange(4.0).reshape(1, 1, 1, 4),
        "weight": np.ones((1, 1, 1, 1)),
        "padding": (0, 1),
    }
    expected = [np.array([[[[0.0, 0.0, 1.0, 2.0, 3.0, 0.0]]]])]
    one_side = [
        outputs[0].ravel().tolist()
        for message, outputs in mistake_outputs(CONV2D, inputs, expected)
        if message.startswith("padding on one side")
    ]
    assert sorted(one_side) == [[0.0, 0.0, 0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.0, 0.0, 0.0]]


def test_visible_case_may_expect_a_value_error(tmp_path):
    sizes = Item(
        "conv_output_size",
        points=1,
        hidden=[],
        visible=[{"size": 4, "kernel_size": 3, "dilation": 2}, {"size": 4, "kernel_size": 3}],
    )
    np.savez(tmp_path / "fixtures.npz", **fixture_arrays(Assignment("x", tmp_path, [sizes])))
    refusing, working = load_cases("conv_output_size", tmp_path / "fixtures.npz")
    assert refusing["meta"]["raises"] == "ValueError" and working["meta"]["raises"] == ""

    def right(size, kernel_size, stride=1, padding=0, dilation=1):
        out = (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1
        if out < 1:
            raise ValueError("conv_output_size: the window does not fit")
        return out

    def no_check(size, kernel_size, stride=1, padding=0, dilation=1):
        return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1

    assert check_case(right, refusing) is None and check_case(right, working) is None
    assert "should raise ValueError" in check_case(no_check, refusing)
    assert check_case(no_check, working) is None


@pytest.mark.parametrize(
    ("stride", "dilation", "proposed"),
    [((1, 1), 1, 0), ((1, 1), (1, 1), 0), ((2, 2), (1, 1), 1), ((2, 1), 1, 1), (2, (2, 1), 0)],
)
def test_stride_as_dilation_reads_pairs_of_ones_as_no_stride_and_no_dilation(
    stride, dilation, proposed
):
    inputs = {
        "x": np.ones((1, 1, 6, 6)),
        "weight": np.ones((1, 1, 2, 2)),
        "stride": stride,
        "dilation": dilation,
    }
    assert len(candidates(generic("stride_as_dilation"), attempt_of(CONV2D, inputs))) == proposed


def symmetric_backward_attempt():
    """grad_x and grad_weight right and symmetric (all-ones inputs), grad_bias wrong."""
    inputs = {
        "grad_out": np.ones((1, 1, 2, 2)),
        "x": np.ones((1, 1, 3, 3)),
        "weight": np.ones((1, 1, 2, 2)),
    }
    attempt = attempt_of(BACKWARD, inputs)
    assert np.array_equal(attempt.expected[1], np.full((1, 1, 2, 2), 4.0))
    attempt.got = [attempt.expected[0], attempt.expected[1], np.zeros(1)]
    return attempt


def test_a_candidate_equal_to_the_right_answer_matches_nothing():
    attempt = symmetric_backward_attempt()
    assert not matches_candidate(attempt, [None, None, attempt.expected[2]])
    assert not matches_candidate(attempt, [None, np.swapaxes(attempt.expected[1], -1, -2), None])
    assert matches_candidate(attempt, [None, None, np.zeros(1)])
    keys = [key for key, _ in likely_mistakes(attempt)]
    assert "transposed_output" not in keys


def test_flipped_kernel_is_a_forward_mistake_only():
    inputs = {"x": np.arange(9.0).reshape(1, 1, 3, 3), "weight": np.arange(4.0).reshape(1, 1, 2, 2)}
    forward = candidates(generic("flipped_kernel"), attempt_of(CONV2D, inputs))
    assert len(forward) == 1 and forward[0][0].ravel().tolist() == [5.0, 11.0, 23.0, 29.0]
    backward = {**inputs, "grad_out": np.ones((1, 1, 2, 2))}
    assert candidates(generic("flipped_kernel"), attempt_of(BACKWARD, backward)) == []


def test_dtype_messages_name_the_reference_dtype():
    gradient = Item("numerical_gradient", points=1, hidden=[], visible=[])
    inputs = {"f": lambda x: float(np.sum(x**2)), "x": np.ones(3, dtype=np.float32)}
    attempt = attempt_of(gradient, inputs, got=[np.full(3, 2.0, dtype=np.float32)])
    messages = dict(likely_mistakes(attempt))
    assert "expected float64 (the reference's dtype), got float32" in messages["wrong_dtype"]
    assert "keep the dtype of the inputs" not in messages["wrong_dtype"]
    mismatch = compare(attempt.got[0], attempt.expected[0], "grad")
    assert mismatch.message == "grad has dtype float32, expected float64 (the reference's dtype)"


def test_each_assignment_keeps_its_own_diagnosis_under_a_shared_key():
    sizes = load_assignment("04_padding_stride").item("conv_output_size")
    load_assignment("08_fast")  # registers its own "dilation_ignored", for other items
    entries = {entry.key: entry for entry in diagnoses_for(sizes)}
    assert entries["dilation_ignored"].function.__module__ == "grading_04_padding_stride"
    attempt = attempt_of(sizes, {"size": 10, "kernel_size": 3, "dilation": 2}, got=[8])
    assert "dilation_ignored" in [key for key, _ in likely_mistakes(attempt)]


def test_a_key_registered_twice_by_one_assignment_is_refused():
    def first(attempt):
        return None

    def second(attempt):
        return None

    try:
        diagnosis("twice", "first")(first)
        with pytest.raises(ValueError, match="'twice' is registered twice"):
            diagnosis("twice", "second")(second)
        with pytest.raises(ValueError, match="'wrong_dtype' is registered twice"):
            diagnosis("wrong_dtype", "shadows the generic one")(second)
    finally:
        diagnose.forget(__name__)


def test_conv2d_layer_gets_the_backward_diagnoses_of_the_functions():
    layer = load_assignment("07_cnn").item("Conv2d")
    inputs = make_inputs(layer.hidden[1])  # stride 2, padding 1, batch 1
    assert inputs["init"]["stride"] == 2 and inputs["init"]["padding"] == 1
    x, weight, grad_out = inputs["x"], inputs["weight"], inputs["grad_out"]
    right = attempt_of(layer, inputs).expected
    padded = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    uncropped = conv2d_backward(grad_out, padded, weight, stride=2)[0]
    rotated = np.flip(weight, axis=(2, 3)).copy()
    unrotated = conv2d_backward(grad_out, x, rotated, stride=2, padding=1)[0]
    for grad_x, key in [(uncropped, "padding_not_cropped"), (unrotated, "kernel_not_rotated")]:
        attempt = attempt_of(layer, inputs, got=[right[0], grad_x, *right[2:]])
        assert key in [found for found, _ in likely_mistakes(attempt)]
