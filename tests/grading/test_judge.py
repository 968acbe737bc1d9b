"""The judge on records made in this process: it scores only what it recomputes itself."""

import base64
import io

import numpy as np
import pytest

from autograder.judge import grade_notebook, judge_item
from autograder.kit import record as recorder
from autograder.kit.record import MIME, encode
from autograder.spec import load_assignment

ASSIGNMENT = load_assignment("01_unroll")
CONV = ASSIGNMENT.item("conv1d_unroll")


def conv1d_loops(x, weight):
    """Oracle written from the definition: out[i] = sum_k weight[k] * x[i + k], x = 0 past T."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        for k in range(weight.shape[0]):
            if i + k < x.shape[0]:
                out[i] += weight[k] * x[i + k]
    return out


def recorded(function, item=CONV):
    """The outputs a hidden cell would have after recording ``function`` on the item's cases."""
    outputs = []
    recorder.SINK = lambda bundle: outputs.append({"output_type": "display_data", "data": bundle})
    try:
        recorder.record(item.name, function, item.hidden, item.positional())
    finally:
        recorder.SINK = None
    return outputs


def test_a_correct_function_gets_full_marks():
    verdict = judge_item(CONV, recorded(conv1d_loops))
    assert verdict.passed == len(CONV.hidden)
    assert verdict.score == CONV.points


def test_a_flipped_kernel_loses_points_and_is_named():
    verdict = judge_item(CONV, recorded(lambda x, w: conv1d_loops(x, w[::-1].copy())))
    assert verdict.score < CONV.points
    assert "flipped_kernel" in [key for key, _, _ in verdict.main_mistakes()]
    assert "likely mistake: flipped kernel" in verdict.report()


def test_partial_credit_is_the_fraction_of_cases_passed_rounded_down():
    def right_for_float64_only(x, weight):
        out = conv1d_loops(x, weight)
        return out if out.dtype == np.float64 else out + 1

    verdict = judge_item(CONV, recorded(right_for_float64_only))
    assert verdict.passed == len(CONV.hidden) // 2
    assert verdict.score == 1.5


def test_printed_scores_and_forged_records_are_ignored():
    zeros = recorded(lambda x, w: np.zeros_like(x))
    printed = [
        {"output_type": "execute_result", "data": {"text/plain": "3"}},
        {"output_type": "stream", "name": "stdout", "text": "3 / 3 points"},
    ]
    assert judge_item(CONV, printed + zeros).score < 1
    forged = {
        "item": CONV.name,
        "cases": [{"types": ["ndarray"], "flags": []}] * 3,
        "npz": encode({}),
    }
    fake = [{"output_type": "display_data", "data": {MIME: forged}}]
    assert judge_item(CONV, fake).score == 0
    assert judge_item(CONV, fake + recorded(conv1d_loops)).score == 0  # two records: refused


def test_a_record_with_a_pickled_array_is_refused_unread():
    outputs = recorded(conv1d_loops)
    payload = outputs[0]["data"][MIME]
    buffer = io.BytesIO()
    np.savez(buffer, c0_0=np.array([object()], dtype=object))  # np.savez pickles object arrays
    payload["npz"] = base64.b64encode(buffer.getvalue()).decode("ascii")
    verdict = judge_item(CONV, outputs)
    assert verdict.score == 0
    assert "cannot be read" in verdict.report()


def test_a_cell_that_raised_scores_zero_with_the_error_as_reason():
    outputs = [
        {
            "output_type": "error",
            "ename": "NameError",
            "evalue": "name 'conv1d_unroll' is not defined",
            "traceback": [],
        }
    ]
    verdict = judge_item(CONV, outputs)
    assert verdict.score == 0
    assert "NameError" in verdict.report()


def test_grade_notebook_replaces_hidden_outputs_with_report_and_score():
    cell = {
        "cell_type": "code",
        "execution_count": 4,
        "source": "",
        "metadata": {"nbgrader": {"grade": True, "grade_id": CONV.hidden_id, "points": 3}},
        "outputs": recorded(conv1d_loops),
    }
    verdicts = grade_notebook({"cells": [cell]}, ASSIGNMENT)
    assert verdicts[CONV.name].score == 3
    kinds = [output["output_type"] for output in cell["outputs"]]
    assert kinds == ["stream", "execute_result"]
    assert cell["outputs"][1]["data"]["text/plain"] == "3.0"


@pytest.mark.parametrize(
    "flag, key",
    [
        ("modified its input x in place", "modifies_input"),
        ("output 0 shares memory with input x", "returns_view"),
    ],
)
def test_side_effects_recorded_by_the_kernel_fail_the_case(flag, key):
    outputs = recorded(conv1d_loops)
    for summary in outputs[0]["data"][MIME]["cases"]:
        summary["flags"] = [flag]
    verdict = judge_item(CONV, outputs)
    assert verdict.score == 0
    assert key in [found for found, _, _ in verdict.main_mistakes()]
