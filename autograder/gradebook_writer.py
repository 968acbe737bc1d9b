"""The one place that writes a graded submission into the course: the gradebook, then
``autograded/<student>/<assignment>/``.

:func:`record` takes a :class:`autograder.step.StepResult` and does to the course's gradebook
exactly what ``nbgrader autograde`` does (nbgrader/converters/autograde.py): create or update the
student and the submission (with the submission's ``timestamp.txt``), give zero to a notebook of
the assignment that was not submitted, then run nbgrader's own ``SaveAutoGrades`` and
``AssignLatePenalties`` preprocessors on each autograded notebook, with the resources nbgrader
gives them.  Only the driver calls it, from one thread, so no two writers ever meet.

The gradebook is written first and the autograded folder placed last, by renaming a complete
copy into place: a run killed in between leaves no fresh autograded copy, so the next run grades
the submission again (:func:`autograder.course.is_graded`), and the grades are overwritten.
"""

import os
import shutil
import uuid
import warnings
from functools import lru_cache
from pathlib import Path

from autograder import database

STAGING = ".autograded-staging"  # in the course root: complete copies before their rename


@lru_cache(maxsize=8)
def course_config(course_dir):
    """The course's nbgrader configuration (its nbgrader_config.py), as nbgrader loads it."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(course_dir) / "nbgrader_config.py"
    if not path.exists():
        return Config()
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def record_grades(course_dir, result):
    """Write one StepResult's grades into the course's gradebook, as nbgrader autograde does."""
    from nbformat import reads
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
    from nbgrader.utils import parse_utc
    from sqlalchemy.exc import SAWarning

    config = course_config(str(Path(course_dir).resolve()))
    url = database.url(course_dir)
    assignment, student = result.assignment, result.student
    submitted = Path(course_dir) / "submitted" / student / assignment
    with Gradebook(url) as gradebook, warnings.catch_warnings():
        # nbgrader's update_or_create_submission warns about its own autoflush (as in autograde)
        warnings.simplefilter("ignore", SAWarning)
        gradebook.update_or_create_student(student)
        if result.timestamp:
            timestamp = parse_utc(result.timestamp)
            gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gradebook.update_or_create_submission(assignment, student)
        known = set()
        for notebook in gradebook.find_assignment(assignment).notebooks:
            known.add(notebook.name)
            if not (submitted / f"{notebook.name}.ipynb").exists():  # not submitted: zero
                graded = gradebook.find_submission_notebook(notebook.name, assignment, student)
                for grade in graded.grades:
                    grade.auto_score, grade.needs_manual_grade = 0, False
                gradebook.db.commit()
    for name, text in sorted(result.notebooks().items()):
        if name not in known:  # nbgrader skips notebooks the gradebook does not know
            continue
        resources = {
            "nbgrader": {"db_url": url, "assignment": assignment, "notebook": name,
                         "student": student},
        }  # fmt: skip
        notebook = reads(text, as_version=4)
        for preprocessor in (SaveAutoGrades(config=config), AssignLatePenalties(config=config)):
            try:
                notebook, resources = preprocessor.preprocess(notebook, resources)
            except MissingEntry as error:
                raise RuntimeError(f"{assignment} {student} {name}: {error}") from error


def place(course_dir, result):
    """Put the StepResult's files in autograded/<student>/<assignment>/ (replacing what was
    there) by renaming a complete copy into place; return the folder."""
    course_dir = Path(course_dir)
    target = course_dir / "autograded" / result.student / result.assignment
    staging = course_dir / STAGING / f"{os.getpid()}-{uuid.uuid4().hex}"
    for name, (mode, content) in result.files.items():
        path = staging / "new" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(mode)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(staging / "old")
    (staging / "new").rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def clean_staging(course_dir):
    """Remove staging folders left by runs that were killed (their process is gone), and the
    staging folder itself when nothing is left in it."""
    staging = Path(course_dir) / STAGING
    for folder in staging.glob("*-*"):
        if not Path(f"/proc/{folder.name.split('-')[0]}").exists():
            shutil.rmtree(folder, ignore_errors=True)
    if staging.exists() and not any(staging.iterdir()):
        staging.rmdir()


def record(course_dir, result):
    """The gradebook, then the autograded folder, of one graded or zeroed StepResult."""
    record_grades(course_dir, result)
    return place(course_dir, result)
