"""Known-mistake diagnoses: which candidates they propose, when they match, what they say.

The oracles are hand-computed arrays and the reference's own outputs on hand-picked inputs (a
kernel of ones, a symmetric image), not the diagnoses' code.
"""

import re

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
    [((1, 1), 1, 0), ((1, 1), (1, 1), 0), ((2, 2), (1, 1), 2), ((2, 1), 1, 2), (2, (2, 2), 1)],
)
def test_stride_as_dilation_reads_pairs_of_ones_as_no_stride_and_no_dilation(
    stride, dilation, proposed
):
    # candidates: stride as the spacing of the taps, and stride and dilation swapped (when they
    # differ); none without a stride
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


def keys(attempt):
    return [key for key, _ in likely_mistakes(attempt)]


def test_a_generator_keeps_the_candidates_it_yielded_before_the_reference_refused():
    def partly(attempt):
        yield np.zeros(2)
        raise ValueError("the reference refuses the next mutation")

    try:
        diagnosis("partly", "a test diagnosis")(partly)
        entry = diagnose.REGISTRIES[__name__]["partly"]
        assert (
            len(
                candidates(
                    entry,
                    attempt_of(
                        CONV2D, {"x": np.ones((1, 1, 2, 2)), "weight": np.ones((1, 1, 1, 1))}
                    ),
                )
            )
            == 1
        )
    finally:
        diagnose.forget(__name__)


def test_messages_use_the_assignment_dimensionality_and_symbols():
    backward_1d = load_assignment("05_backward").item("conv1d_backward")
    backward_2d = load_assignment("05_backward").item("conv2d_backward")
    one = attempt_of(backward_1d, make_inputs(backward_1d.hidden[0]))
    two = attempt_of(backward_2d, make_inputs(backward_2d.hidden[0]))
    rotated = generic("kernel_not_rotated")
    assert "weight[:, :, ::-1]" in rotated.text(one) and "kh" not in rotated.text(one)
    assert "weight[:, :, ::-1, ::-1]" in rotated.text(two)
    size = generic("off_by_one_size")
    channels = load_assignment("02_channels").item("conv1d")
    assert "T_out = T - K + 1" in size.text(attempt_of(channels, make_inputs(channels.hidden[0])))
    padded = load_assignment("04_padding_stride").item("conv2d")
    text = size.text(attempt_of(padded, make_inputs(padded.hidden[0])))
    assert "H_out = floor((H + 2 p_h - (d_h (KH - 1) + 1)) / s_h) + 1" in text and "T" not in text
    unroll = load_assignment("01_unroll").item("unroll_1d")
    assert "one entry per position" in size.text(attempt_of(unroll, make_inputs(unroll.hidden[0])))


def test_grad_bias_as_a_mean_or_one_sample_is_named():
    inputs = {
        "grad_out": np.ones((2, 1, 3)),
        "x": np.ones((2, 1, 4)),
        "weight": np.ones((1, 1, 2)),
    }
    item = load_assignment("05_backward").item("conv1d_backward")
    right = attempt_of(item, inputs).expected
    assert right[2].tolist() == [6.0]  # 2 samples x 3 positions of ones
    for wrong in ([1.0], [3.0]):  # the mean; one sample's sum
        attempt = attempt_of(item, inputs, got=[right[0], right[1], np.array(wrong)])
        assert "grad_bias_not_summed" in keys(attempt)
    assert "grad_bias_not_summed" not in keys(attempt_of(item, inputs))


def test_first_channel_only_and_kernel_axes_swapped():
    x = np.stack([np.arange(9.0).reshape(3, 3), np.full((3, 3), 100.0)])[None]
    weight = np.stack([np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))])[None]
    weight[0, 1, 0, 0] = 1.0  # channel 1 adds x[1, i, j] = 100 to every output
    first = attempt_of(CONV2D, {"x": x, "weight": weight})
    # out[i, j] = x[i, j] + 2 x[i, j + 1] + 3 x[i + 1, j] + 4 x[i + 1, j + 1] + 100
    assert first.expected[0][0, 0].tolist() == [[127.0, 137.0], [157.0, 167.0]]
    first.got = [first.expected[0] - 100.0]
    assert "first_channel_only" in keys(first)
    single = {"x": x[:, :1].copy(), "weight": weight[:, :1].copy()}
    swapped = attempt_of(CONV2D, single, got=[np.array([[[[25.0, 35.0], [55.0, 65.0]]]])])
    # out[i, j] = x[i, j] + 3 x[i, j + 1] + 2 x[i + 1, j] + 4 x[i + 1, j + 1]: the kernel transposed
    assert keys(swapped) == ["kernel_axes_swapped"]


def test_conv1d_stride_offset_and_stride_ignored():
    conv1d = load_assignment("04_padding_stride").item("conv1d")
    inputs = {"x": np.arange(1.0, 8.0).reshape(1, 1, 7), "weight": np.ones((1, 1, 1)), "stride": 2}
    assert attempt_of(conv1d, inputs).expected[0].ravel().tolist() == [1.0, 3.0, 5.0, 7.0]
    offset = attempt_of(conv1d, inputs, got=[np.array([[[2.0, 4.0, 6.0]]])])
    assert "stride_offset" in keys(offset)
    ignored = attempt_of(conv1d, inputs, got=[np.array([[[1.0, 2.0, 3.0, 4.0]]])])
    assert keys(ignored) == ["stride_ignored"]
    assert keys(attempt_of(conv1d, inputs)) == []


def test_pooling_average_and_divided_gradient():
    pooling = load_assignment("06_pooling")
    backward = pooling.item("maxpool1d_backward")
    inputs = {
        "grad_out": np.array([[[10.0, 20.0]]]),
        "x": np.array([[[1.0, 3.0, 2.0, 2.0]]]),
        "kernel_size": 2,
    }
    assert attempt_of(backward, inputs).expected[0].ravel().tolist() == [0.0, 10.0, 20.0, 0.0]
    divided = attempt_of(backward, inputs, got=[np.array([[[0.0, 5.0, 10.0, 0.0]]])])
    assert keys(divided) == ["routed_gradient_divided"]
    spread = attempt_of(backward, inputs, got=[np.array([[[5.0, 5.0, 10.0, 10.0]]])])
    assert keys(spread) == ["average_not_max"]
    forward = pooling.item("maxpool1d")
    mean = attempt_of(forward, {"x": inputs["x"], "kernel_size": 2}, got=[np.array([[[2.0, 2.0]]])])
    assert keys(mean) == ["average_not_max"]


def test_loss_mistakes_of_the_issue_are_named():
    cnn = load_assignment("07_cnn")
    backward = cnn.item("log_softmax_backward")
    inputs = {"grad_out": np.array([[1.0, 3.0]]), "z": np.zeros((1, 2))}
    assert attempt_of(backward, inputs).expected[0].tolist() == [[-1.0, 1.0]]  # g - 0.5 * 4
    assumed = attempt_of(backward, inputs, got=[np.array([[0.5, 2.5]])])  # g - 0.5
    assert "upstream_sum_assumed_one" in keys(assumed)
    forward = cnn.item("log_softmax")
    softmax = attempt_of(forward, {"z": np.zeros((1, 2))}, got=[np.array([[0.5, 0.5]])])
    assert "softmax_not_log" in keys(softmax)
    loss = cnn.item("nll_loss")
    log_probs = np.log(np.array([[0.5, 0.5], [0.25, 0.75]]))
    inputs = {"log_probs": log_probs, "targets": np.array([0, 1])}
    right = attempt_of(loss, inputs).expected[0]
    assert np.isclose(right, -(np.log(0.5) + np.log(0.75)) / 2)
    assert "loss_sign" in keys(attempt_of(loss, inputs, got=[np.float64(-right)]))


def test_a_wrong_output_size_is_named_only_when_nothing_more_precise_is():
    """wrong_size is a fallback: an output two steps short gets the size formula in the item's
    own symbols; one step short gets off_by_one_size alone."""
    conv1d = load_assignment("02_channels").item("conv1d")
    case = next(
        case for case in conv1d.hidden if case["x"]["shape"][2] >= case["weight"]["shape"][2] + 3
    )
    inputs = make_inputs(case)
    expected = attempt_of(conv1d, inputs).expected[0]
    shorter = {short: [expected[..., :-short]] for short in (1, 2)}
    keys = {
        short: [key for key, _ in likely_mistakes(attempt_of(conv1d, inputs, got))]
        for short, got in shorter.items()
    }
    assert keys == {1: ["off_by_one_size"], 2: ["wrong_size"]}
    size = generic("wrong_size")
    assert "T_out = T - K + 1" in size.text(attempt_of(conv1d, inputs))
    unroll = load_assignment("03_conv2d").item("unroll_2d")
    text = size.text(attempt_of(unroll, make_inputs(unroll.hidden[0])))
    assert "(N, H_out * W_out, C * KH * KW)" in text and "H_out = H - KH + 1" in text
    assert "floor" not in text and "window size" not in text  # not the pooling formula
    linear = load_assignment("07_cnn").item("Linear")  # not a window operation: no size hint
    assert size.text(attempt_of(linear, make_inputs(linear.hidden[0]))) == ""


def test_no_visible_hint_of_a_2d_case_quotes_the_1d_symbols():
    """Every hint stored for the visible tests of an image (x of 4 axes) speaks of H, W, KH, KW,
    never of T, K or tap k alone, and a signal's hints never of KH or KW."""
    import ast
    import io

    one_d = re.compile(r"\b(T|K|T_out)\b|out\[t\]|x\[t|tap k\b")
    two_d = re.compile(r"\b(KH|KW|H_out|W_out|kh|kw)\b")
    for assignment_id in ("03_conv2d", "04_padding_stride", "05_backward", "06_pooling"):
        buffer = io.BytesIO()
        np.savez(buffer, **fixture_arrays(load_assignment(assignment_id)))
        with np.load(io.BytesIO(buffer.getvalue())) as data:
            for key in (key for key in data.files if key.endswith("/case")):
                meta = ast.literal_eval(str(data[key]))
                if "x" not in meta["arrays"]:
                    continue
                dims = data[key.replace("/case", "/in/x")].ndim
                texts = meta["mistakes"] + [*meta["verdicts"].values(), *meta["fallbacks"].values()]
                wrong = one_d if dims == 4 else two_d
                assert not [text for text in texts if wrong.search(text)], (assignment_id, key)
