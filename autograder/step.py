"""Grading one submission: a pure step, with no access to the course's gradebook.

:func:`grade_submission` copies what ``nbgrader autograde`` reads into a private course root in a
temporary folder (``nbgrader_config.py``, ``source/<assignment>/``, ``trusted/<assignment>.json``,
a *copy* of the gradebook, ``submitted/<student>/<assignment>/``), runs ``nbgrader autograde A
--student S --force`` there (learner code in the sandbox, the judge after it), and returns the
autograded folder's files as bytes.  The copied gradebook (nbgrader reads the source cells from
it, and writes into it) is thrown away with the folder: only the driver writes the course's
gradebook (:mod:`autograder.gradebook_writer`), so steps can run in parallel (today as threads
of one machine; handing them to a distributed engine is not built yet).

A step has a hard time limit (:data:`HARD_LIMIT_SECONDS`, above the notebook's own limit).  A
run that fails is tried once more; a run that was killed, or failed twice, is done again with
execution skipped (``AUTOGRADER_SKIP_EXECUTION``): the notebook then gets zero grades with the
reason, instead of no grade at all.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

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

    nbgrader gets its own process group (a timeout kills its kernel too) and, through
    ``setpriv --pdeathsig``, dies with the thread that started it: a killed driver leaves no
    grading behind."""
    environment = dict(os.environ, PATH=f"{VENV_BIN}:{os.environ.get('PATH', '')}")
    environment.pop("PYTHONPATH", None)
    environment.update(extra_env or {})
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


def copy_gradebook(source, target):
    """Copy an SQLite gradebook through SQLite's backup API, opening ``source`` read-only (a
    consistent copy even while another process writes it); return ``target``."""
    reader = sqlite3.connect(f"file:{quote(str(Path(source).resolve()))}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()
    return Path(target)


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


def private_root(course_dir, assignment, student, gradebook):
    """A temporary course root holding only what autograding this submission reads (named
    after the grading process, so that :func:`remove_leftovers` can find it if that dies)."""
    prefix = f"{PRIVATE_PREFIX}{os.getpid()}-"
    course_dir, root = Path(course_dir), Path(tempfile.mkdtemp(prefix=prefix))
    shutil.copy2(course_dir / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(course_dir / "source" / assignment, root / "source" / assignment)
    manifest = course_dir / "trusted" / f"{assignment}.json"
    if manifest.exists():  # labels are relative (course:, repository:): valid in the copy
        (root / "trusted").mkdir()
        shutil.copy2(manifest, root / "trusted" / manifest.name)
    copy_gradebook(gradebook or course_dir / "gradebook.db", root / "gradebook.db")
    submitted = Path("submitted") / student / assignment
    shutil.copytree(course_dir / submitted, root / submitted)
    return root


def remove_leftovers():
    """Delete the private roots of grading processes that were killed (their pid is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*-*"):
        pid = folder.name[len(PRIVATE_PREFIX) :].split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def autograded_files(folder):
    """{relative path: (mode, bytes)} of every file under ``folder``."""
    return {
        str(path.relative_to(folder)): (path.stat().st_mode & 0o777, path.read_bytes())
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def grade_submission(
    course_dir, assignment, student, gradebook=None, hard_limit=HARD_LIMIT_SECONDS
):
    """Autograde submitted/<student>/<assignment>/ in a private copy; return a StepResult.

    Args:
        course_dir: the course root (read only: nothing in it is written).
        gradebook: the gradebook file to copy (default: the course's gradebook.db); the driver
            passes one snapshot taken at the start of its run.
        hard_limit: seconds before nbgrader (and its kernel) is killed.
    """
    started, start = time.time(), time.perf_counter()
    root = private_root(course_dir, assignment, student, gradebook)
    try:
        submitted = root / "submitted" / student / assignment
        stamp = submitted / "timestamp.txt"
        timestamp = stamp.read_text().strip() if stamp.exists() else None
        output = root / "autograded" / student / assignment
        notebooks = [output / path.name for path in submitted.glob("*.ipynb")]

        def graded(completed):
            return completed.returncode == 0 and bool(notebooks) and all(map(judged, notebooks))

        def result(status, detail=""):
            files = autograded_files(output) if status != "FAILED" else {}
            seconds = time.perf_counter() - start
            return StepResult(assignment, student, status, seconds, detail, files, timestamp,
                              started, time.time())  # fmt: skip

        args = ("autograde", assignment, "--student", student, "--force")
        reason = ""
        for _ in range(ATTEMPTS):
            try:
                completed = nbgrader(root, *args, timeout=hard_limit)
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
                root, *args, timeout=SKIP_RUN_SECONDS, extra_env={SKIP_VARIABLE: reason}
            )
            return result("zeroed" if graded(completed) else "FAILED", reason)
        except subprocess.TimeoutExpired:
            return result("FAILED", reason)
    finally:
        shutil.rmtree(root, ignore_errors=True)
