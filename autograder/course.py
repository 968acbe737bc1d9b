"""The instructor's steps on a course root, each a thin wrapper around plain nbgrader commands.

    release   build every assignment's source, then `nbgrader generate_assignment A --force`
    grade     `nbgrader autograde A --force` per assignment (assignments in parallel), then
              `nbgrader autograde A --student S --force` for any submission not graded yet;
              resumable (skips submissions graded since they were submitted, unless force)
    export    `nbgrader export` (grades.csv) and `nbgrader generate_feedback A`

A submission graded alone is one nbgrader process that can fail alone: it has a hard time limit
(:data:`HARD_LIMIT_SECONDS`, above the notebook's own limit), and a submission whose process
was killed, or failed twice, is graded again with execution skipped
(``AUTOGRADER_SKIP_EXECUTION``): it then gets zero grades with the reason in the gradebook and
the feedback, instead of no grade at all.  Submissions are copied aside before grading and put
back if anything changed them (the sandbox shows a kernel no submission, so none should).

Learner code only ever runs in the sandbox (:mod:`autograder.sandbox`): ``grade`` refuses to
start where none can be made, unless ``unsafe=True`` (``--unsafe-no-sandbox``), which every
autograded notebook then records and the integrity report lists.  A submission counts as graded
by this run only when its autograded copy was written during this run: an older copy is never
reported as fresh.
"""

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from autograder import sandbox
from autograder.build import COURSE_DIR, build_assignment
from autograder.course_config import NOTEBOOK_TIMEOUT_SECONDS
from autograder.execute import SKIP_VARIABLE
from autograder.judge import hidden_item_name
from autograder.spec import REPOSITORY, assignment_ids

VENV_BIN = REPOSITORY / ".venv" / "bin"
HARD_LIMIT_SECONDS = NOTEBOOK_TIMEOUT_SECONDS + 120
SKIP_RUN_SECONDS = 300  # grading with execution skipped (zeros and reasons)
ATTEMPTS = 2  # a submission whose nbgrader run fails (e.g. a locked gradebook) is retried once
BACKUP = ".submitted-backup"


def nbgrader(course_dir, *args, timeout=None, extra_env=None):
    """Run ``nbgrader ARGS`` in the course root; return the CompletedProcess (never raises on
    a non-zero exit; raises subprocess.TimeoutExpired after killing the process group)."""
    environment = dict(os.environ, PATH=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    environment.pop("PYTHONPATH", None)
    environment.update(extra_env or {})
    process = subprocess.Popen(
        [str(VENV_BIN / "nbgrader"), *args],
        cwd=course_dir,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a timeout kills the kernel too
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, output, "")


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
        return dict(zip(ids, pool.map(lambda a: release_one(a, course_dir), ids), strict=True))


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
    status: str  # graded, skipped (already graded), zeroed (execution skipped: reason)
    seconds: float
    detail: str = ""


def submissions(course_dir, assignments=None):
    """Every submitted/<student>/<assignment>/ folder of the given assignments, as Jobs."""
    wanted = set(assignments or assignment_ids())
    root = Path(course_dir) / "submitted"
    return [
        Job(folder.name, folder.parent.name)
        for folder in sorted(root.glob("*/*"))
        if folder.is_dir() and folder.name in wanted
    ]


def judged(path):
    """True when every hidden test cell of an autograded notebook holds the judge's score."""
    try:
        notebook = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return False
    hidden = [cell for cell in notebook.get("cells", []) if hidden_item_name(cell)]
    return all(
        any(output.get("output_type") == "execute_result" for output in cell.get("outputs", []))
        for cell in hidden
    )


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


def autograde(job, course_dir, hard_limit=HARD_LIMIT_SECONDS, since=0.0):
    """Autograde one submission with nbgrader; fall back to zero grades with a reason."""
    start = time.perf_counter()
    args = ("autograde", job.assignment, "--student", job.student, "--force")
    reason = ""
    for _ in range(ATTEMPTS):
        try:
            completed = nbgrader(course_dir, *args, timeout=hard_limit)
        except subprocess.TimeoutExpired:
            reason = f"not run: grading this notebook took longer than {hard_limit} s"
            break
        if completed.returncode == 0 and is_graded(job, course_dir, since):
            return JobResult(job, "graded", time.perf_counter() - start)
        reason = "not run: nbgrader could not grade this notebook: " + last_error(completed.stdout)
    try:  # nothing executes now: only nbgrader's own work, with its own limit
        completed = nbgrader(
            course_dir, *args, timeout=SKIP_RUN_SECONDS, extra_env={SKIP_VARIABLE: reason}
        )
        fresh = completed.returncode == 0 and is_graded(job, course_dir, since)
        status = "zeroed" if fresh else "FAILED"
    except subprocess.TimeoutExpired:
        status = "FAILED"
    return JobResult(job, status, time.perf_counter() - start, reason)


def last_error(log):
    """The last line of an nbgrader log that reports an error (for the reason text)."""
    lines = [line for line in log.splitlines() if "Error" in line or "error" in line]
    return (lines[-1] if lines else log.strip().splitlines()[-1] if log.strip() else "")[-300:]


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


def grade_assignment(jobs, everyone, course_dir, since=0.0):
    """Grade one assignment's jobs: one nbgrader process for the whole class when every
    submission is to be graded (nbgrader's start-up is paid once), then one process per
    submission for any it did not grade (and for partial batches)."""
    course_dir, results, rest = Path(course_dir), [], list(jobs)
    if len(jobs) > 1 and len(jobs) == len(everyone):
        start = time.perf_counter()
        try:
            nbgrader(
                course_dir,
                "autograde",
                jobs[0].assignment,
                "--force",
                timeout=HARD_LIMIT_SECONDS * len(jobs),
            )
        except subprocess.TimeoutExpired:
            pass  # whatever it graded stays graded; the rest is graded one by one below
        restore_submissions(course_dir)
        seconds = (time.perf_counter() - start) / len(jobs)
        done = [job for job in jobs if is_graded(job, course_dir, since)]
        results = [JobResult(job, "graded", seconds) for job in done]
        rest = [job for job in jobs if job not in done]
    for job in rest:
        results.append(autograde(job, course_dir, since=since))
        restore_submissions(course_dir)
    return results


def grade(assignments=None, course_dir=COURSE_DIR, workers=2, force=False, unsafe=False):
    """Autograde every submission, assignments in parallel; return the list of JobResults.

    Raises :class:`autograder.sandbox.SandboxUnavailable` (before anything runs) when no
    sandbox can be made and ``unsafe`` is False."""
    if unsafe:
        os.environ[sandbox.UNSAFE_VARIABLE] = "1"
    else:
        os.environ.pop(sandbox.UNSAFE_VARIABLE, None)
        sandbox.require()
    since = time.time() - 1  # file times may be rounded down to the second
    jobs = submissions(course_dir, assignments)
    todo = [job for job in jobs if force or not is_graded(job, course_dir)]
    results = [JobResult(job, "skipped", 0.0) for job in jobs if job not in todo]
    if not todo:
        return results
    backup_submissions(course_dir)
    by_assignment = {}
    for job in todo:
        by_assignment.setdefault(job.assignment, []).append(job)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                grade_assignment,
                group,
                [job for job in jobs if job.assignment == assignment],
                course_dir,
                since,
            )
            for assignment, group in by_assignment.items()
        ]
        for future in as_completed(futures):
            for result in future.result():
                print(
                    f"{result.status:8} {result.job.assignment} {result.job.student} "
                    f"({result.seconds:.1f} s) {result.detail}",
                    flush=True,
                )
                results.append(result)
    restore_submissions(course_dir)
    if force:
        cleared = reset_manual_scores(course_dir, todo)
        if cleared:
            print(f"grade --force: cleared {cleared} manual score(s) or extra credit")
    return results


def gradebook_url(course_dir):
    return f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"


def reset_manual_scores(course_dir, jobs):
    """Clear the manual scores and extra credit of these submissions (``--force`` regrades from
    scratch: every item of this course is autograded, so any such value was not the judge's);
    return how many grades had one."""
    from nbgrader.api import Gradebook, MissingEntry

    cleared = 0
    with Gradebook(gradebook_url(course_dir)) as gradebook:
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
