"""Fixtures of the grading tests: the learner environment, and one course graded per session.

``graded_course`` is the expensive one (about 3 minutes on 2 cores): it releases every assignment
with nbgrader, writes the sample submissions of ada (model answers), blank (released stubs) and
mallory (hostile), plus three hand-made 01_unroll submissions, and grades them all with
``autograder.course.grade`` (nbgrader autograde, 2 workers).  Tests then read the gradebook and
the autograded notebooks.
"""

import copy
import hashlib
import json
import os
import socket
import subprocess
import threading
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


# What the hostile acts could have changed, seen before and after the batch (test_sandbox.py).
EVIDENCE = {}


def file_digests(course_dir):
    """{path: sha256} of every file a submission must not change: the repository's tracked
    files, the learner environment, the kernel specs, and the course's source, release and
    submitted folders (their contents are not supposed to change while grading)."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, check=True
    ).stdout.decode().split("\0")
    paths = [REPOSITORY / name for name in tracked if name]
    for folder in (
        REPOSITORY / ".venv-learner",
        REPOSITORY / ".venv" / "share" / "jupyter" / "kernels",
        Path(course_dir) / "source",
        Path(course_dir) / "release",
        Path(course_dir) / "submitted",
    ):
        paths += [path for path in folder.rglob("*") if "__pycache__" not in path.parts]
    digests = {}
    for path in paths:
        if path.is_file() and not path.is_symlink():
            digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.exists() or path.is_symlink():
            digests[str(path)] = "folder or link"
    return digests


class Listener:
    """A TCP server on loopback that counts the connections it accepts (none may arrive)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()


def sandbox_processes():
    """Processes running as a sandbox user id (autograder.sandbox.UID_BASE + the grading
    process's pid) whose grading process is gone: they outlived their sandbox.  (Sandboxes of
    graders still running, e.g. another grading run on the machine, are not listed.)"""
    from autograder.sandbox import UID_BASE

    listing = subprocess.run(["ps", "-e", "-o", "uid=,pid=,args="], capture_output=True, text=True)
    return [
        line
        for line in listing.stdout.splitlines()
        if int(line.split()[0]) >= UID_BASE
        and not Path(f"/proc/{int(line.split()[0]) - UID_BASE}").exists()
    ]


def item_act_notebooks(course_dir):
    """{act: notebook} of tests/grading/hostile.py ITEM_ACTS: model answers (or a mistake
    file's), with the act appended to one item's answer cell."""
    from autograder.spec import load_assignment
    from tests.grading.hostile import ITEM_ACTS

    notebooks = {}
    for act, (assignment_id, target, honest, code) in ITEM_ACTS.items():
        assignment = load_assignment(assignment_id)
        release = released_notebook(course_dir, assignment_id)
        model = model_answers(course_dir, assignment_id)
        if honest:
            path = assignment.folder / "mistakes" / honest
            notebook = samples.with_mistake(release, {k: nbformat.v4.new_code_cell(v) for k, v in
                                                      model.items()}, assignment, path)  # fmt: skip
        else:
            notebook = with_answers(release, model)
        item = next(item for item in assignment.items if item.target == target)
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == item.answer_id:
                cell.source = cell.source + "\n" + code
        notebooks[act] = notebook
    return notebooks


@pytest.fixture(scope="session")
def graded_course(released_course):
    """(course_dir, {(student, assignment): JobResult}) after one grading batch of everything:
    the samples, the hand-made submissions and every act of the hostile catalogue (students
    ``h_<act>``, 01_unroll).  EVIDENCE holds what the acts could have changed."""
    from tests.grading.hand_made import hand_made_submissions
    from tests.grading.hostile import ACTS, ITEM_ACTS, act_source

    samples.write_samples(released_course, students=SAMPLE_STUDENTS)
    for student, assignment_id, notebook, extra_files in hand_made_submissions(released_course):
        submit(released_course, student, assignment_id, notebook, extra_files)
    listener = Listener()
    release = released_notebook(released_course, "01_unroll")
    for act in ACTS:
        source = act_source(act, REPOSITORY, Path(released_course).resolve(), listener.port)
        extra = [("resource.py", "raise SystemExit"), ("numpy.py", "")] if act == "probe" else []
        submit(released_course, f"h_{act}", "01_unroll", with_answers(release, {
            "answer_unroll_1d": source}), extra)  # fmt: skip
    for act, notebook in item_act_notebooks(released_course).items():
        submit(released_course, f"h_{act}", ITEM_ACTS[act][0], notebook)
    before = file_digests(released_course)
    results = course.grade(course_dir=released_course, workers=2)
    EVIDENCE.update(
        before=before,
        after=file_digests(released_course),
        processes=sandbox_processes(),
        connections=listener.accepted,
    )
    listener.server.close()
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
    from autograder import database

    with database.open_gradebook(course_dir) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment_id, assignment_id, student)
        return {grade.name: grade.auto_score for grade in notebook.grades}
