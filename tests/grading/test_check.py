"""The learner's check command and the learner environment, run as a learner would."""

import os
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
    assert "FAILED visible_unroll_1d" in result.stdout
    assert "not implemented yet" in result.stdout


@pytest.mark.grading
def test_check_passes_on_the_model_answer(released_course, release_copy, learner_python):
    fill_answers(release_copy, released_course)
    result = run(learner_python, "-m", "grading_kit.check", f"{EXERCISE}.ipynb", cwd=release_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 visible tests passed" in result.stdout


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
