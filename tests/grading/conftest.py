"""Fixtures of the grading tests: the learner environment and a built course in a temp folder."""

import copy
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder.build import build_assignment
from autograder.catalogue import LEARNER_PYTHON
from autograder.spec import REPOSITORY

VENV_BIN = REPOSITORY / ".venv" / "bin"


@pytest.fixture(scope="session")
def learner_python():
    """The learner environment's python; a missing environment is a failure, not a skip."""
    if not LEARNER_PYTHON.exists():
        pytest.fail(f"{LEARNER_PYTHON} missing: run bash autograder/setup_learner_kernel.sh")
    return LEARNER_PYTHON


def nbgrader(course_dir, *args):
    """Run an nbgrader command in ``course_dir`` (its nbgrader_config.py applies)."""
    environment = dict(os.environ, PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    environment.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [str(VENV_BIN / "nbgrader"), *args],
        cwd=course_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


@pytest.fixture(scope="session")
def released_course(tmp_path_factory, learner_python):
    """A course root with 01_unroll built and released by plain `nbgrader generate_assignment`."""
    course_dir = tmp_path_factory.mktemp("course")
    build_assignment("01_unroll", course_dir)
    nbgrader(course_dir, "generate_assignment", "01_unroll", "--force")
    return Path(course_dir)


def model_answers(course_dir, assignment_id="01_unroll"):
    """{answer grade_id: model answer source} from the built source notebook."""
    path = Path(course_dir) / "source" / assignment_id / f"{assignment_id}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    return {
        cell.metadata.nbgrader["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.metadata.nbgrader.get("solution")
    }


def with_answers(notebook, answers):
    """A copy of ``notebook`` whose cells with these grade_ids have the given sources."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook
