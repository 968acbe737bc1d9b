"""The instructor's steps on a course root, each a thin wrapper around plain nbgrader commands.

    release   build every assignment's source, then `nbgrader generate_assignment A --force`,
              then the learners' bundles (:mod:`autograder.bundle`)
    grade     every submission not graded yet (resumable: skips submissions graded since they
              were submitted, unless force), N at a time: each is a pure step
              (:mod:`autograder.step`: `nbgrader autograde A --student S --force` in a private
              copy of the course), and the driver alone writes the results into the gradebook
              and autograded/ (:mod:`autograder.gradebook_writer`), as they arrive
    export    `nbgrader export` (grades.csv) and `nbgrader generate_feedback A`

A submission is graded by one nbgrader process that can fail alone: it has a hard time limit,
and a submission whose process was killed, or failed twice, is graded again with execution
skipped: it then gets zero grades with the reason in the gradebook and the feedback, instead of
no grade at all.  Submissions are copied aside before grading and put back if anything changed
them (a step only reads a copy, and the sandbox shows a kernel no submission, so none should).

Learner code only ever runs in the sandbox (:mod:`autograder.sandbox`): ``grade`` refuses to
start where none can be made, unless ``unsafe=True`` (``--unsafe-no-sandbox``), which every
autograded notebook then records and the integrity report lists.  A submission counts as graded
by this run only when its autograded copy was written during this run: an older copy is never
reported as fresh.
"""

import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from autograder import bundle, database, gradebook_writer, runners, sandbox, step, trusted
from autograder.build import COURSE_DIR, build_assignment
from autograder.progress import Progress
from autograder.spec import assignment_ids
from autograder.step import (  # noqa: F401 (HARD_LIMIT_SECONDS, VENV_BIN: part of this API)
    ATTEMPTS,
    HARD_LIMIT_SECONDS,
    VENV_BIN,
    judged,
    last_error,
    nbgrader,
)

BACKUP = ".submitted-backup"


def release_one(assignment_id, course_dir):
    """Build one assignment and run ``nbgrader generate_assignment`` on it; return seconds."""
    start = time.perf_counter()
    build_assignment(assignment_id, course_dir)
    for _ in range(ATTEMPTS):  # two at once may find the gradebook locked: try again
        completed = nbgrader(course_dir, "generate_assignment", assignment_id, "--force")
        if completed.returncode == 0:
            break
    else:
        raise RuntimeError(f"generate_assignment {assignment_id} failed:\n{completed.stdout}")
    seconds = time.perf_counter() - start
    print(f"released {assignment_id} in {seconds:.1f} s", flush=True)
    return seconds


def release(assignments=None, course_dir=COURSE_DIR, workers=2):
    """Build and generate the learner's copy of each assignment; return {id: seconds}."""
    ids = assignments or assignment_ids()
    Path(course_dir).mkdir(parents=True, exist_ok=True)
    build_assignment(ids[0], course_dir)  # writes nbgrader_config.py before nbgrader starts
    with ThreadPoolExecutor(max_workers=workers) as pool:
        seconds = dict(zip(ids, pool.map(lambda a: release_one(a, course_dir), ids), strict=True))
    bundle.write_bundles(ids, course_dir)  # the learners' downloads, published by the book
    return seconds


@dataclass
class Job:
    """One submission to autograde."""

    assignment: str
    student: str

    def submitted(self, course_dir):
        return Path(course_dir) / "submitted" / self.student / self.assignment

    def autograded(self, course_dir):
        return Path(course_dir) / "autograded" / self.student / self.assignment


@dataclass
class JobResult:
    job: Job
    status: str  # graded, skipped (already graded), zeroed (execution skipped: reason), FAILED
    seconds: float
    detail: str = ""
    started: float = 0.0  # time.time() when its step started and finished (0: no step ran)
    finished: float = 0.0


def submissions(course_dir, assignments=None):
    """Every submitted/<student>/<assignment>/ folder of the given assignments, as Jobs."""
    wanted = set(assignments or assignment_ids())
    root = Path(course_dir) / "submitted"
    return [
        Job(folder.name, folder.parent.name)
        for folder in sorted(root.glob("*/*"))
        if folder.is_dir() and folder.name in wanted
    ]


def is_graded(job, course_dir, since=0.0):
    """True when every notebook of the submission has a judged autograded copy newer than it
    (and written at or after ``since``, a time.time() value: the start of this run)."""
    notebooks = list(job.submitted(course_dir).glob("*.ipynb"))
    graded = [job.autograded(course_dir) / notebook.name for notebook in notebooks]
    return bool(notebooks) and all(
        copy.exists()
        and copy.stat().st_mtime >= max(notebook.stat().st_mtime, since)
        and judged(copy)
        for notebook, copy in zip(notebooks, graded, strict=True)
    )


def backup_submissions(course_dir):
    """Copy submitted/ into course_dir/.submitted-backup before notebooks run (merged into the
    previous backup, never emptied: a grading run that was itself killed loses nothing)."""
    source, backup = Path(course_dir) / "submitted", Path(course_dir) / BACKUP
    shutil.copytree(source, backup, dirs_exist_ok=True)
    return backup


def restore_submissions(course_dir):
    """Put back any submitted file that is missing or changed; return the paths restored."""
    source, backup = Path(course_dir) / "submitted", Path(course_dir) / BACKUP
    restored = []
    for saved in backup.rglob("*"):
        if saved.is_dir():
            continue
        target = source / saved.relative_to(backup)
        if not target.exists() or target.read_bytes() != saved.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(saved, target)
            restored.append(target)
            print(f"restored {target} (a notebook changed or deleted it while grading)")
    return restored


def finish(job, outcome, course_dir, since):
    """Write a step's outcome into the course (the driver's thread only) and return its
    JobResult; FAILED when nothing fresh and judged is in autograded/ afterwards."""
    if isinstance(outcome, BaseException):
        return JobResult(job, "FAILED", 0.0, f"grading step failed: {outcome!r}"[:300])
    timing = dict(started=outcome.started, finished=outcome.finished)
    if outcome.status == "FAILED":
        return JobResult(job, "FAILED", outcome.seconds, outcome.detail, **timing)
    try:
        gradebook_writer.record(course_dir, outcome)
    except Exception as error:  # one submission's records: the batch goes on
        detail = f"recording the grades failed: {error!r}"[:300]
        return JobResult(job, "FAILED", outcome.seconds, detail, **timing)
    status = outcome.status if is_graded(job, course_dir, since) else "FAILED"
    return JobResult(job, status, outcome.seconds, outcome.detail, **timing)


def autograde(job, course_dir, hard_limit=HARD_LIMIT_SECONDS, since=0.0):
    """Autograde one submission (a step, then the gradebook); zero grades with a reason when
    its notebook could not be run."""
    try:
        outcome = step.grade_submission(
            course_dir, job.assignment, job.student, hard_limit=hard_limit
        )
    except Exception as error:
        outcome = error
    return finish(job, outcome, course_dir, since)


class ReleaseChanged(ValueError):
    """Files the judge relies on differ from the release's digests: grading would give zeros."""


def require_release_unchanged(assignments, course_dir):
    """Raise :class:`ReleaseChanged`, naming the files, when any assignment's judge files
    changed since its release (each notebook would stop before running and score zero: a batch
    of silent zeros), before anything is graded."""
    stale = {a: changed for a in assignments if (changed := trusted.changed(a, course_dir))}
    if stale:
        listed = "; ".join(f"{a}: {', '.join(files[:5])}" for a, files in stale.items())
        raise ReleaseChanged(
            f"files the judge relies on changed since the release ({listed}); nothing was "
            f"graded: run `python -m autograder release {' '.join(stale)}` again, then grade"
        )


def grade(
    assignments=None, course_dir=COURSE_DIR, workers=2, force=False, unsafe=False, progress=None,
    scheduler=None, scheduler_file=None,
):  # fmt: skip
    """Autograde every submission, ``workers`` submissions at a time; return the JobResults.

    Each submission is a pure step (:func:`autograder.step.grade_step`), run by a pool of
    ``workers`` threads of this process, each waiting on its own nbgrader process, or, given
    ``scheduler`` (an address) or ``scheduler_file``, by the workers of that Dask cluster
    (:mod:`autograder.runners`); this thread alone records each result as it arrives
    (:mod:`autograder.gradebook_writer`).  ``progress``: a stream for the progress lines
    (default stderr; False for none).

    Raises :class:`autograder.sandbox.SandboxUnavailable` (before anything runs) when no
    sandbox can be made and ``unsafe`` is False; :class:`ReleaseChanged` when the judge's files
    changed since the release; ValueError or OSError when the scheduler arguments are wrong or
    it cannot be reached."""
    if unsafe:
        os.environ[sandbox.UNSAFE_VARIABLE] = "1"
    else:
        os.environ.pop(sandbox.UNSAFE_VARIABLE, None)
        sandbox.require()
    if scheduler and scheduler_file:
        raise ValueError("give one of --scheduler ADDRESS or --scheduler-file PATH, not both")
    since = time.time() - 1  # file times may be rounded down to the second
    jobs = submissions(course_dir, assignments)
    todo = [job for job in jobs if force or not is_graded(job, course_dir)]
    results = [JobResult(job, "skipped", 0.0) for job in jobs if job not in todo]
    if not todo:
        return results
    require_release_unchanged(sorted({job.assignment for job in todo}), course_dir)
    backup_submissions(course_dir)
    gradebook_writer.clean_staging(course_dir)
    step.remove_leftovers()  # private roots of a driver that was killed
    # every step starts from this snapshot: none reads the gradebook being written
    snapshot = database.snapshot_bytes(course_dir)
    copies = {
        assignment: step.assignment_copy(course_dir, assignment, snapshot)
        for assignment in sorted({job.assignment for job in todo})
    }
    if scheduler or scheduler_file:
        steps = runners.dask_steps(copies, todo, course_dir, scheduler, scheduler_file, unsafe)
    else:
        steps = runners.local_steps(copies, todo, course_dir, workers, unsafe)
    shown = None if progress is False else Progress(len(todo), progress or sys.stderr)
    try:
        for job, outcome in steps:
            result = finish(job, outcome, course_dir, since)
            results.append(result)
            if shown:
                shown.update(result)
    finally:  # e.g. Ctrl-C: start no more steps (graded ones are kept)
        steps.close()
    if shown:
        shown.close()
    gradebook_writer.clean_staging(course_dir)
    restore_submissions(course_dir)
    if force:
        cleared = reset_manual_scores(course_dir, todo)
        if cleared:
            print(f"grade --force: cleared {cleared} manual score(s) or extra credit")
    return results


def reset_manual_scores(course_dir, jobs):
    """Clear the manual scores and extra credit of these submissions (``--force`` regrades from
    scratch: every item of this course is autograded, so any such value was not the judge's);
    return how many grades had one."""
    from nbgrader.api import MissingEntry

    cleared = 0
    with database.open_gradebook(course_dir) as gradebook:
        for job in jobs:
            try:
                submission = gradebook.find_submission(job.assignment, job.student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None or grade.extra_credit:
                        grade.manual_score, grade.extra_credit = None, None
                        cleared += 1
        gradebook.db.commit()
    return cleared


def export(course_dir=COURSE_DIR, assignments=None):
    """Everything people use after grading; return {what: path}.

    ``nbgrader generate_feedback`` per graded assignment (feedback/<student>/<assignment>/, the
    hidden cells' source replaced by autograder/feedback.py), ``nbgrader export`` (grades.csv),
    then autograder/exports.py: the Canvas CSV and one JSON per learner (exports/)."""
    from autograder import exports
    from autograder.settings import FEEDBACK_FOLDER, GRADES_CSV

    for assignment_id in assignments or assignment_ids():
        if any((Path(course_dir) / "autograded").glob(f"*/{assignment_id}")):
            completed = nbgrader(course_dir, "generate_feedback", assignment_id, "--force")
            if completed.returncode != 0:  # the other assignments' feedback still gets written
                print(f"generate_feedback {assignment_id} failed: {last_error(completed.stdout)}")
    completed = nbgrader(course_dir, "export", "--to", GRADES_CSV)
    if completed.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{completed.stdout}")
    written = {
        "grades": Path(course_dir) / GRADES_CSV,
        "feedback": Path(course_dir) / FEEDBACK_FOLDER,
    }
    return written | exports.write_exports(course_dir)
