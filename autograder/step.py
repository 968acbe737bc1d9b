"""Grading one submission: a pure step, with no access to the course's gradebook.

:func:`grade_step` takes data and returns data: an :class:`AssignmentCopy` (what ``nbgrader
autograde`` reads of the course for one assignment: ``nbgrader_config.py``,
``source/<assignment>/``, ``trusted/<assignment>.json`` and a SQLite snapshot of the gradebook,
:func:`autograder.database.snapshot`) and the bytes of one learner's submitted folder.  It writes
them into a private course root in a temporary folder, runs ``nbgrader autograde A --student S
--force`` there (learner code in the sandbox, the judge after it) and returns the autograded
folder's files as bytes in a :class:`StepResult`.  The snapshot (nbgrader reads the source cells
from it, and writes into it) is thrown away with the folder: only the driver writes the course's
gradebook (:mod:`autograder.gradebook_writer`).  Because a step reads nothing of the course
root, it runs as well in a thread of the driver as on a Dask worker of another machine
(:mod:`autograder.course`); that machine needs the same repository, its environments and the
sandbox, and the digests of ``trusted/<assignment>.json`` prove they are the same.

A step has a hard time limit (:data:`HARD_LIMIT_SECONDS`, above the notebook's own limit).  A
run that fails is tried once more; a run that was killed, or failed twice, is done again with
execution skipped (``AUTOGRADER_SKIP_EXECUTION``): the notebook then gets zero grades with the
reason, instead of no grade at all.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import database, sandbox, warm
from autograder.execute import SKIP_VARIABLE
from autograder.judge import hidden_item_name
from autograder.settings import NOTEBOOK_TIMEOUT_SECONDS, REPOSITORY

VENV_BIN = REPOSITORY / ".venv" / "bin"
HARD_LIMIT_SECONDS = NOTEBOOK_TIMEOUT_SECONDS + 120
SKIP_RUN_SECONDS = 300  # grading with execution skipped (zeros and reasons)
PRIVATE_PREFIX = "conv-grade-"  # + the grading process's pid: a step's private course root
ATTEMPTS = 2  # a failed nbgrader run (e.g. a kernel that did not start) is tried once more


def nbgrader(course_dir, *args, timeout=None, extra_env=None):
    """Run ``nbgrader ARGS`` in the course root; return the CompletedProcess (never raises on
    a non-zero exit; raises subprocess.TimeoutExpired after killing the process group).
    ``extra_env``: variables to set (a None value removes the variable).

    nbgrader gets its own process group (a timeout kills its kernel too) and dies with the
    process that started it: a killed driver leaves no grading behind.  It is forked from a
    warm server (:mod:`autograder.warm`) where this process may have children, else started
    cold under ``setpriv --pdeathsig`` (it then dies with the thread that started it)."""
    environment = dict(os.environ, PATH=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    environment.pop("PYTHONPATH", None)
    environment.update(extra_env or {})
    environment = {name: value for name, value in environment.items() if value is not None}
    if warm.available():  # forked from a server that imported nbgrader once
        return warm.run(course_dir, args, environment, timeout)
    die_with_parent = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
    process = subprocess.Popen(
        [*die_with_parent, str(VENV_BIN / "nbgrader"), *args],
        cwd=course_dir,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, output, "")


def last_error(log):
    """The last line of an nbgrader log that reports an error (for the reason text)."""
    lines = [line for line in log.splitlines() if "Error" in line or "error" in line]
    return (lines[-1] if lines else log.strip().splitlines()[-1] if log.strip() else "")[-300:]


def judged(path):
    """True when every hidden test cell of an autograded notebook holds the judge's score."""
    try:
        return judged_text(Path(path).read_text())
    except OSError:
        return False


def judged_text(text):
    """:func:`judged`, of a notebook's JSON text."""
    try:
        notebook = json.loads(text)
    except ValueError:
        return False
    hidden = [cell for cell in notebook.get("cells", []) if hidden_item_name(cell)]
    return all(
        any(output.get("output_type") == "execute_result" for output in cell.get("outputs", []))
        for cell in hidden
    )


@dataclass
class AssignmentCopy:
    """What every step of one assignment reads of the course, read once by the driver.

    ``files`` maps a path relative to the course root to (mode, bytes): ``nbgrader_config.py``,
    every file of ``source/<assignment>/``, ``trusted/<assignment>.json`` (when the course has
    one) and ``gradebook.db`` (a snapshot: :func:`autograder.database.snapshot`)."""

    assignment: str
    files: dict


def files_under(folder, prefix=""):
    """{prefix/relative path: (mode, bytes)} of every file under ``folder`` (no prefix: the
    relative path)."""
    return {
        f"{prefix}{'/' if prefix else ''}{path.relative_to(folder)}": (
            path.stat().st_mode & 0o777, path.read_bytes()
        )
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def assignment_copy(course_dir, assignment, gradebook=None):
    """The :class:`AssignmentCopy` of ``assignment`` in the course root ``course_dir``;
    ``gradebook``: the snapshot's bytes (default: a new snapshot of the course's gradebook)."""
    course_dir = Path(course_dir)
    if gradebook is None:
        gradebook = database.snapshot_bytes(course_dir)
    config = course_dir / "nbgrader_config.py"
    files = {"nbgrader_config.py": (0o644, config.read_bytes()), "gradebook.db": (0o644, gradebook)}
    files |= files_under(course_dir / "source" / assignment, f"source/{assignment}")
    manifest = course_dir / "trusted" / f"{assignment}.json"
    if manifest.exists():  # labels are relative (course:, repository:): valid in the copy
        files[f"trusted/{manifest.name}"] = (0o644, manifest.read_bytes())
    return AssignmentCopy(assignment, files)


def submission_files(course_dir, assignment, student):
    """The files of submitted/<student>/<assignment>/, keyed by their course-relative path."""
    folder = Path("submitted") / student / assignment
    return files_under(Path(course_dir) / folder, str(folder))


@dataclass
class StepResult:
    """What grading one submission produced; nothing of it is in the course yet.

    ``files`` maps each path under ``autograded/<student>/<assignment>/`` to (mode, bytes): the
    autograded notebooks plus the files nbgrader places beside them.  Empty when FAILED."""

    assignment: str
    student: str
    status: str  # graded, zeroed (execution skipped: reason in detail), FAILED (no notebook)
    seconds: float
    detail: str = ""
    files: dict = field(default_factory=dict)
    timestamp: str | None = None  # submitted/<student>/<assignment>/timestamp.txt, if any
    started: float = 0.0  # time.time() at the start and the end of the step
    finished: float = 0.0

    def notebooks(self):
        """{notebook name without .ipynb: notebook JSON text} of the autograded notebooks."""
        return {
            name[: -len(".ipynb")]: content.decode()
            for name, (_, content) in self.files.items()
            if name.endswith(".ipynb") and "/" not in name
        }


def private_root(*file_maps):
    """A temporary course root holding the given files ({relative path: (mode, bytes)}), named
    after the grading process so that :func:`remove_leftovers` can find it if that dies."""
    root = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
    for files in file_maps:
        for name, (mode, content) in files.items():
            path = root / name
            if root not in path.resolve().parents:
                raise ValueError(f"private_root: {name!r} is outside the course root")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(mode)
    return root


def remove_leftovers():
    """Delete the private roots of grading processes that were killed (their pid is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*-*"):
        pid = folder.name[len(PRIVATE_PREFIX) :].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def grade_submission(
    course_dir, assignment, student, gradebook=None, hard_limit=HARD_LIMIT_SECONDS
):
    """:func:`grade_step` of submitted/<student>/<assignment>/ of the course root
    ``course_dir`` (read only: nothing in it is written); ``gradebook``: snapshot bytes."""
    shared = assignment_copy(course_dir, assignment, gradebook)
    submission = submission_files(course_dir, assignment, student)
    return grade_step(shared, student, submission, hard_limit=hard_limit)


def grade_step(shared, student, submission, hard_limit=HARD_LIMIT_SECONDS, skip="", unsafe=False):
    """Autograde one submission in a private course root; return a StepResult.

    Args:
        shared: the :class:`AssignmentCopy` of the submission's assignment.
        student: the learner's id.
        submission: {course-relative path under submitted/<student>/<assignment>/: (mode,
            bytes)} (:func:`submission_files`).
        hard_limit: seconds before nbgrader (and its kernel) is killed.
        skip: a reason: run nothing, give zeros with this reason (the driver's answer to a
            submission whose steps kept killing their worker).
        unsafe: run learner code without the sandbox (``--unsafe-no-sandbox``).

    Raises :class:`autograder.sandbox.SandboxUnavailable` where no sandbox can be made (unless
    ``unsafe``), before anything runs.
    """
    if not unsafe:
        sandbox.require()
    assignment = shared.assignment
    started, start = time.time(), time.perf_counter()
    root = private_root(shared.files, submission)
    try:
        submitted = root / "submitted" / student / assignment
        stamp = submitted / "timestamp.txt"
        timestamp = stamp.read_text().strip() if stamp.exists() else None
        output = root / "autograded" / student / assignment
        notebooks = [output / path.name for path in submitted.glob("*.ipynb")]

        def graded(completed):
            return completed.returncode == 0 and bool(notebooks) and all(map(judged, notebooks))

        def result(status, detail=""):
            files = files_under(output) if status != "FAILED" else {}
            seconds = time.perf_counter() - start
            return StepResult(assignment, student, status, seconds, detail, files, timestamp,
                              started, time.time())  # fmt: skip

        args = ("autograde", assignment, "--student", student, "--force")
        private = {
            database.URL_VARIABLE: None,  # nbgrader uses the private root's snapshot
            sandbox.UNSAFE_VARIABLE: "1" if unsafe else None,
        }
        reason = skip
        for _ in range(0 if skip else ATTEMPTS):
            try:
                completed = nbgrader(root, *args, timeout=hard_limit, extra_env=private)
            except subprocess.TimeoutExpired:
                reason = f"not run: grading this notebook took longer than {hard_limit} s"
                break
            if graded(completed):
                return result("graded")
            reason = "not run: nbgrader could not grade this notebook: " + last_error(
                completed.stdout
            )
        try:  # nothing executes now: only nbgrader's own work, with its own limit
            completed = nbgrader(
                root, *args, timeout=SKIP_RUN_SECONDS, extra_env=private | {SKIP_VARIABLE: reason}
            )
            return result("zeroed" if graded(completed) else "FAILED", reason)
        except subprocess.TimeoutExpired:
            return result("FAILED", reason)
    finally:
        shutil.rmtree(root, ignore_errors=True)
