"""Fixtures of the grading tests: the learner environment, and one course graded per session.

``graded_course`` is the expensive one (about 3 minutes on 2 cores): it releases every assignment
with nbgrader, writes the sample submissions of ada (model answers), blank (released stubs) and
mallory (hostile), plus three hand-made 01_unroll submissions, and grades them all with
``autograder.course.grade`` (nbgrader autograde, 2 workers).  Tests then read the gradebook and
the autograded notebooks.
"""

import copy
import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder import course, samples
from autograder.catalogue import LEARNER_PYTHON
from autograder.spec import REPOSITORY

VENV_BIN = REPOSITORY / ".venv" / "bin"
SAMPLE_STUDENTS = ("ada", "blank", "mallory")


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
    """A course root with every assignment built and released by `nbgrader generate_assignment`."""
    course_dir = tmp_path_factory.mktemp("course")
    course.release(course_dir=course_dir, workers=2)
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


def submit(course_dir, student, assignment_id, notebook, extra_files=()):
    """Write a submission as submitted/<student>/<assignment>/<assignment>.ipynb (+ files)."""
    folder = Path(course_dir) / "submitted" / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / f"{assignment_id}.ipynb")
    for name, text in extra_files:
        (folder / name).write_text(text)


def released_notebook(course_dir, assignment_id):
    path = Path(course_dir) / "release" / assignment_id / f"{assignment_id}.ipynb"
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="session")
def graded_course(released_course):
    """(course_dir, {(student, assignment): JobResult}) after one grading batch of everything."""
    from tests.grading.hand_made import hand_made_submissions

    samples.write_samples(released_course, students=SAMPLE_STUDENTS)
    for student, assignment_id, notebook, extra_files in hand_made_submissions(released_course):
        submit(released_course, student, assignment_id, notebook, extra_files)
    results = course.grade(course_dir=released_course, workers=2)
    return released_course, {(r.job.student, r.job.assignment): r for r in results}


def autograded_cell(course_dir, student, assignment_id, grade_id):
    """A cell of the autograded notebook, by grade_id (a dict)."""
    path = Path(course_dir) / "autograded" / student / assignment_id / f"{assignment_id}.ipynb"
    notebook = json.loads(path.read_text())
    return next(
        cell
        for cell in notebook["cells"]
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    )


def scores(course_dir, student, assignment_id):
    """{hidden grade_id: auto score} of one graded submission, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{Path(course_dir) / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student)
        return {grade.name: grade.auto_score for grade in notebook.grades}
