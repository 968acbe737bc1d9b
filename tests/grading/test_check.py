"""The learner's check command and the learner environment, run as a learner would."""

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.spec import REPOSITORY
from tests.grading.conftest import model_answers, with_answers

EXERCISE = "01_unroll"


def run(python, *args, cwd):
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [str(python), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def release_copy(released_course, tmp_path):
    folder = tmp_path / EXERCISE
    shutil.copytree(released_course / "release" / EXERCISE, folder)
    return folder


def fill_answers(folder, course_dir, replace=None):
    """Write the model answers (or ``replace``) into the released notebook in ``folder``."""
    path = folder / f"{EXERCISE}.ipynb"
    answers = {**model_answers(course_dir), **(replace or {})}
    nbformat.write(with_answers(nbformat.read(path, as_version=4), answers), path)


@pytest.mark.grading
def test_check_fails_on_the_released_stub(release_copy, learner_python):
    result = run(learner_python, "-m", "grading_kit.check", f"{EXERCISE}.ipynb", cwd=release_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unroll_1d: 3 of 3 visible cases failed" in result.stdout
    assert "conv1d_unroll: 3 of 3 visible cases failed" in result.stdout  # every task reports
    assert "not implemented yet" in result.stdout and "Traceback" not in result.stdout
    assert "0 of 2 tasks pass their visible tests." in result.stdout


@pytest.mark.grading
def test_check_passes_on_the_model_answer(released_course, release_copy, learner_python):
    fill_answers(release_copy, released_course)
    result = run(learner_python, "-m", "grading_kit.check", f"{EXERCISE}.ipynb", cwd=release_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All 2 tasks pass their visible tests." in result.stdout


@pytest.mark.grading
def test_check_names_the_case_the_error_and_the_likely_mistake(
    released_course, release_copy, learner_python
):
    flipped = (
        "def conv1d_unroll(x, weight):\n    return unroll_1d(x, weight.shape[0]) @ weight[::-1]\n"
    )
    fill_answers(
        release_copy,
        released_course,
        {"answer_conv1d_unroll": flipped},
    )
    notebook = release_copy / f"{EXERCISE}.ipynb"
    # autograder.check from the repository root, with the learner environment's python
    result = run(learner_python, "-m", "autograder.check", str(notebook), cwd=REPOSITORY)
    assert result.returncode == 1
    assert "case x (6,) float64, weight (3,) float64" in result.stdout
    assert "max abs error 12 at index (5,)" in result.stdout  # 30 expected, 18 from [3, 2, 5]
    assert "likely mistake: flipped kernel" in result.stdout


@pytest.mark.grading
def test_the_check_commands_problems_are_one_line_each(release_copy, learner_python, tmp_path):
    """No notebook, a notebook outside its folder, a file that is not a notebook, a Python
    without NumPy: one line on stderr each, exit status 2, no traceback."""
    import venv

    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)  # a Python without NumPy
    (release_copy / "notes.ipynb").write_text("not json")
    shutil.copy(release_copy / f"{EXERCISE}.ipynb", tmp_path / "alone.ipynb")
    attempts = {
        "no notebook at": (learner_python, "missing.ipynb"),
        "has no grading_kit/ and fixtures.npz": (learner_python, str(tmp_path / "alone.ipynb")),
        "is not a Jupyter notebook": (learner_python, "notes.ipynb"),
        "NumPy is not installed": (bare / "bin" / "python", f"{EXERCISE}.ipynb"),
    }
    for expected, (python, notebook) in attempts.items():
        result = run(python, "-m", "grading_kit.check", notebook, cwd=release_copy)
        assert result.returncode == 2, (expected, result.stdout, result.stderr)
        assert result.stderr.startswith("check: ") and expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout


def test_a_failing_visible_test_prints_its_message_and_raises_nothing(tmp_path, capsys):
    """Run All goes on after a failing task: check() keeps the verdict and prints the message
    without a traceback; summary() and validate_visible() report from the kept verdicts."""
    from autograder.kit import visible
    from solutions import unroll_2d

    def short(x, kernel_size, stride=1, padding=0, dilation=1):
        return unroll_2d(x, kernel_size)[:, :-2]  # two windows short

    visible_cases(tmp_path, "03_conv2d", "unroll_2d")  # writes fixtures.npz of unroll_2d
    fixtures = str(tmp_path / "fixtures.npz")
    visible.RESULTS.clear()
    visible.check("unroll_2d", short, path=fixtures)
    out, err = capsys.readouterr()
    assert not out and "unroll_2d: 2 of 2 visible cases failed" in err
    assert "likely mistake: wrong output shape" in err and "H_out * W_out" in err
    assert all(len(line) <= visible.WIDTH for line in err.splitlines())
    visible.validate_visible("unroll_2d")
    assert "unroll_2d: 2 of 2 visible cases failed" in capsys.readouterr().err
    visible.RESULTS["conv2d"] = {"function": "conv2d", "cases": 3, "passed": 3, "message": ""}
    visible.validate_visible("conv2d")
    assert capsys.readouterr().err == ""
    text = visible.summary_text(["unroll_2d", "conv2d", "later"])
    assert re.search(r"FAILED +unroll_2d +0 of 2 cases", text)
    assert re.search(r"passed +conv2d +3 of 3 cases", text) and "not run  later" in text
    assert text.endswith("1 of 3 tasks pass their visible tests.")
    visible.RESULTS.clear()


def test_the_check_command_does_not_import_solutions():
    code = "import autograder.check, sys; print('solutions' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.grading
def test_the_learner_environment_cannot_import_solutions(learner_python, tmp_path):
    result = run(learner_python, "-c", "import solutions", cwd=tmp_path)
    assert "ModuleNotFoundError" in result.stderr


def visible_cases(tmp_path, assignment_id, name):
    """The visible cases of one item, through fixtures.npz written as the build writes it."""
    import numpy as np

    from autograder.build import fixture_arrays
    from autograder.kit.visible import load_cases
    from autograder.spec import Assignment, load_assignment

    item = load_assignment(assignment_id).item(name)
    np.savez(tmp_path / "fixtures.npz", **fixture_arrays(Assignment("x", tmp_path, [item])))
    return load_cases(name, tmp_path / "fixtures.npz")


def test_visible_hint_names_a_mistake_that_changes_one_output_only(tmp_path):
    """A backward diagnosis proposes grad_x only: the visible test compares that output alone."""
    import numpy as np

    from autograder.kit.visible import check_case
    from solutions import conv1d_backward

    def uncropped(grad_out, x, weight, stride=1, padding=0, dilation=1):
        padded = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
        grad_padded, grad_weight, grad_bias = conv1d_backward(
            grad_out, padded, weight, stride=stride, dilation=dilation
        )
        return grad_padded, grad_weight, grad_bias

    example, padded_case = visible_cases(tmp_path, "05_backward", "conv1d_backward")
    assert padded_case["inputs"]["padding"] == 1
    assert check_case(conv1d_backward, padded_case) is None
    message = check_case(uncropped, padded_case)
    assert "grad_x has shape (2, 3, 10), expected (2, 3, 8)" in message
    assert "likely mistake: padding not cropped" in message
    assert check_case(uncropped, example) is None  # no padding: nothing to crop


def test_visible_test_fails_an_answer_that_modifies_its_input(tmp_path):
    import numpy as np

    from autograder.kit.visible import check_case

    def in_place(x, weight, bias=None, stride=1, padding=0, dilation=1):
        out = np.convolve(x[0, 0], weight[0, 0][::-1], mode="valid")[None, None]
        x[...] = 0.0  # the right output, but the caller's x is wiped
        return out

    (first, *_) = visible_cases(tmp_path, "02_channels", "conv1d")
    message = check_case(in_place, first)
    assert message is not None and "modified its input x in place" in message


def test_visible_hint_from_a_verdict_on_dtypes_and_sizes(tmp_path):
    """Verdict diagnoses (wrong dtype, off-by-one size) reach the visible tests through the kit's
    own verdicts, with the judge's message."""
    import numpy as np

    from autograder.kit.visible import check_case
    from solutions import conv1d

    def float64_out(x, weight, bias=None, stride=1, padding=0, dilation=1):
        return conv1d(x, weight, bias, stride, padding, dilation).astype(np.float64)

    def one_short(x, weight, bias=None, stride=1, padding=0, dilation=1):
        return conv1d(x, weight, bias, stride, padding, dilation)[..., :-1]

    *_, float32_case = visible_cases(tmp_path, "02_channels", "conv1d")
    assert float32_case["inputs"]["x"].dtype == np.float32
    message = check_case(float64_out, float32_case)
    assert "likely mistake: wrong dtype: expected float32 (the reference's dtype)" in message
    assert "off-by-one" not in message
    message = check_case(one_short, float32_case)
    assert "likely mistake: off-by-one output size: check the loop ranges; T_out = T - K + 1" in (
        message
    )
    assert check_case(conv1d, float32_case) is None
