"""Place learners' notebooks from a folder or an LMS download zip into nbgrader's submitted/.

    python -m autograder collect FOLDER_OR_ZIP [--assignment A]

Every ``.ipynb`` file found (in the folder, recursively, or in the zip) is placed as
``submitted/<student>/<assignment>/<assignment>.ipynb`` when its path matches one of these
patterns, tried in this order (only the last parts of a path count, so a zip's top folder does
not matter):

    <name>_<userid>_<submissionid>_<original>.ipynb   Canvas's "Download Submissions" zip (also
                                                      <name>_LATE_<userid>_...): the student is
                                                      the Canvas user id; the assignment is
                                                      --assignment, else the released assignment
                                                      <original> starts with (Canvas appends -1,
                                                      -2, ... to resubmitted file names)
    <student>/<assignment>/<any name>.ipynb           nbgrader's own layout
    <student>/<assignment>.ipynb                      one folder per learner
    <student>_<assignment>.ipynb                      one file per learner and assignment

``<assignment>`` is a released assignment's id (a folder of release/).  With ``--assignment A``
only A's notebooks are placed, and Canvas names need not name it (an LMS download holds one
assignment).  A student id is letters, digits and ``. _ @ + -``, starting with a letter or a
digit.

Every other file is reported with the reason it was not placed: not a notebook, a Jupyter
checkpoint, no learner or assignment in its name, another assignment than --assignment, an
invalid notebook, larger than ``MAX_SUBMISSION_BYTES`` (settings.py), a link, or a zip member
with an absolute path or ``..`` in it (zip-slip), which is never read.  When several files
give the same learner and assignment, the newest is placed (Canvas: the highest submission id,
then the highest -N suffix; otherwise the latest modification time) and the others are
reported as superseded.

A placed notebook replaces the learner's previous submission of that assignment: the folder is
emptied first (and its copy in the grader's backup dropped, so nothing stale comes back), and
the new file's modification time is now, so ``grade`` regrades it without ``--force``.  A
notebook identical to the one in place is left alone (its grade stays valid).  Do not run
``collect`` while ``grade`` runs.
"""

import json
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from autograder.course import BACKUP
from autograder.settings import COURSE_DIR, MAX_SUBMISSION_BYTES

CANVAS_NAME = re.compile(
    r"^(?P<name>[^_]+)_(?:LATE_)?(?P<userid>\d+)_(?P<submission>\d+)_(?P<original>.+)\.ipynb$"
)
RESUBMISSION_SUFFIX = re.compile(r"-(\d+)$")  # Canvas: "01_unroll-2.ipynb"
NOT_CANVAS = (-1, -1)  # (submission id, resubmission number) of a name that is not Canvas's
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


class Unplaceable(ValueError):
    """A file that cannot be placed; the message says why."""


@dataclass
class Candidate:
    """A notebook that names a learner and an assignment."""

    source: str  # its path in the folder or the zip
    student: str
    assignment: str
    order: tuple  # larger is newer
    data: bytes = b""


@dataclass
class Placed:
    source: str
    student: str
    assignment: str
    status: str  # new, replaced, unchanged
    path: Path


@dataclass
class Unplaced:
    source: str
    reason: str


def known_assignments(course_dir):
    """Released assignment ids of the course (folders of release/), else the course's own."""
    release = Path(course_dir) / "release"
    released = sorted(p.name for p in release.iterdir() if p.is_dir()) if release.is_dir() else []
    if released:
        return released
    from autograder.spec import assignment_ids

    return assignment_ids()


def checked_student(student):
    if not STUDENT_ID.match(student) or student in (".", ".."):
        raise Unplaceable(f"{student!r} is not a usable student id (letters, digits, . _ @ + -)")
    return student


def wanted(assignment, only):
    if only and assignment != only:
        raise Unplaceable(f"it is for {assignment}, not {only} (--assignment)")
    return assignment


def identify(path, assignments, only=None):
    """(student, assignment, order) named by a file's path, or raise :class:`Unplaceable`;
    order is (Canvas submission id, resubmission number), :data:`NOT_CANVAS` otherwise.

    Args:
        path: the file's path relative to the folder or inside the zip (PurePosixPath).
        assignments: the released assignment ids.
        only: --assignment, or None.
    """
    parts = path.parts
    if "__MACOSX" in parts:
        raise Unplaceable("macOS metadata, not a submission")
    if ".ipynb_checkpoints" in parts:
        raise Unplaceable("a Jupyter checkpoint, not a submission")
    if path.suffix != ".ipynb":
        raise Unplaceable("not a notebook (.ipynb)")
    canvas = CANVAS_NAME.match(path.name)
    if canvas:
        original = canvas["original"]
        suffix = RESUBMISSION_SUFFIX.search(original)
        attempt = int(suffix.group(1)) if suffix else 0
        original = original[: suffix.start()] if suffix else original
        if only:
            assignment = only
        else:
            named = [a for a in assignments if original.startswith(a)]
            if not named:
                raise Unplaceable(
                    f"Canvas file {original!r} names no released assignment; pass --assignment"
                )
            assignment = max(named, key=len)
        return checked_student(canvas["userid"]), assignment, (int(canvas["submission"]), attempt)
    stem = path.stem
    if len(parts) >= 3 and parts[-2] in assignments:
        return checked_student(parts[-3]), wanted(parts[-2], only), NOT_CANVAS
    if len(parts) >= 2 and stem in assignments:
        return checked_student(parts[-2]), wanted(stem, only), NOT_CANVAS
    for assignment in sorted(assignments, key=len, reverse=True):
        if stem.endswith(f"_{assignment}") and len(stem) > len(assignment) + 1:
            student = stem[: -len(assignment) - 1]
            return checked_student(student), wanted(assignment, only), NOT_CANVAS
    raise Unplaceable(
        "its name gives no learner and assignment (accepted: Canvas's "
        "<name>_<userid>_<submissionid>_<file>.ipynb, <student>/<assignment>.ipynb, "
        "<student>/<assignment>/<file>.ipynb, <student>_<assignment>.ipynb)"
    )


def checked_notebook(data, size_limit):
    """The bytes of a valid notebook, or raise :class:`Unplaceable`."""
    if len(data) > size_limit:
        raise Unplaceable(f"larger than {size_limit} bytes")
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Unplaceable(f"not a valid notebook ({type(error).__name__})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise Unplaceable("not a valid notebook (no list of cells)")
    return data


def unsafe_member(name):
    """Why a zip member's name is unsafe to use as a path (zip-slip), or ''."""
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "an absolute path (zip-slip): not read"
    if ".." in parts:
        return "'..' in its path (zip-slip): not read"
    return ""


def from_zip(path, assignments, only, size_limit):
    """Candidates and unplaced members of a zip."""
    candidates, unplaced = [], []
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            try:
                reason = unsafe_member(member.filename)
                if reason:
                    raise Unplaceable(reason)
                if stat.S_ISLNK(member.external_attr >> 16):
                    raise Unplaceable("a symbolic link: not read")
                relative = PurePosixPath(member.filename.replace("\\", "/"))
                student, assignment, order = identify(relative, assignments, only)
                if member.file_size > size_limit:
                    raise Unplaceable(f"larger than {size_limit} bytes: not read")
                try:
                    with archive.open(member) as handle:
                        data = handle.read(size_limit + 1)  # the header's size may lie
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
                    raise Unplaceable(f"unreadable in the zip ({error})") from None
                data = checked_notebook(data, size_limit)
            except Unplaceable as error:
                unplaced.append(Unplaced(member.filename, str(error)))
                continue
            newest = order + (time.mktime(member.date_time + (0, 0, -1)), member.filename)
            candidates.append(Candidate(member.filename, student, assignment, newest, data))
    return candidates, unplaced


def from_folder(root, assignments, only, size_limit):
    """Candidates and unplaced files of a folder (recursively; links are not followed)."""
    candidates, unplaced = [], []
    root = Path(root)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_dir() and not path.is_symlink():
            continue
        try:
            if path.is_symlink():
                raise Unplaceable("a symbolic link: not read")
            student, assignment, order = identify(PurePosixPath(relative), assignments, only)
            if path.stat().st_size > size_limit:
                raise Unplaceable(f"larger than {size_limit} bytes: not read")
            with open(path, "rb") as handle:
                data = checked_notebook(handle.read(size_limit + 1), size_limit)
        except Unplaceable as error:
            unplaced.append(Unplaced(str(relative), str(error)))
            continue
        newest = order + (path.stat().st_mtime, str(relative))
        candidates.append(Candidate(str(relative), student, assignment, newest, data))
    return candidates, unplaced


def place(candidate, course_dir):
    """Write one notebook as the learner's submission; return a :class:`Placed`."""
    course_dir = Path(course_dir)
    folder = course_dir / "submitted" / candidate.student / candidate.assignment
    target = folder / f"{candidate.assignment}.ipynb"
    if target.is_file() and target.read_bytes() == candidate.data:
        status = "unchanged"
    else:
        status = "replaced" if folder.exists() else "new"
        if folder.exists():  # the previous submission goes, every file of it
            shutil.rmtree(folder)
        backup = course_dir / BACKUP  # the grader's copy, which it would otherwise put back
        shutil.rmtree(backup / candidate.student / candidate.assignment, True)
        folder.mkdir(parents=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(candidate.data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    return Placed(candidate.source, candidate.student, candidate.assignment, status, target)


def collect(source, course_dir=COURSE_DIR, assignment=None, size_limit=MAX_SUBMISSION_BYTES):
    """Place every notebook of a folder or a zip (module docstring).

    Returns:
        (placed, unplaced): lists of :class:`Placed` and :class:`Unplaced`.

    Raises:
        ValueError: ``source`` is neither a folder nor a zip, or ``assignment`` is not released.
    """
    source = Path(source)
    assignments = known_assignments(course_dir)
    if assignment and assignment not in assignments:
        raise ValueError(f"collect: {assignment} is not a released assignment ({assignments})")
    if source.is_dir():
        candidates, unplaced = from_folder(source, assignments, assignment, size_limit)
    elif zipfile.is_zipfile(source):
        candidates, unplaced = from_zip(source, assignments, assignment, size_limit)
    else:
        raise ValueError(f"collect: {source} is neither a folder nor a zip file")
    newest = {}
    for candidate in candidates:
        key = (candidate.student, candidate.assignment)
        if key not in newest or candidate.order > newest[key].order:
            newest[key] = candidate
    for candidate in candidates:
        winner = newest[(candidate.student, candidate.assignment)]
        if candidate is not winner:
            unplaced.append(
                Unplaced(
                    candidate.source,
                    f"superseded by {winner.source} (newer, same learner and assignment)",
                )
            )
    placed = [place(candidate, course_dir) for _, candidate in sorted(newest.items())]
    return placed, unplaced


def format_result(placed, unplaced):
    """What ``collect`` prints: a count per status, then every file not placed and why."""
    counts = {}
    for item in placed:
        counts[item.status] = counts.get(item.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    lines = [f"collect: {len(placed)} placed ({summary or 'none'}); {len(unplaced)} not placed"]
    lines += [
        f"  {item.status:9} {item.student}/{item.assignment} <- {item.source}" for item in placed
    ]
    lines += [f"  NOT PLACED {item.source}: {item.reason}" for item in unplaced]
    return "\n".join(lines)
