"""The learner's bundle of each released assignment, published inside the built book.

``python -m autograder release`` writes, after ``nbgrader generate_assignment``, under the course
root (``_build/course/``):

    site/assignments/NN_name/              the released notebook NN_name.ipynb, fixtures.npz,
                                           grading_kit/ (the visible tests and the check
                                           command), requirements-learner.txt and README.md
    site/assignments/NN_name.zip           the same folder, zipped (unpacks to NN_name/)
    site/assignments/requirements-learner.txt

The book's ``_config.yml`` lists ``_build/course/site`` in ``html_static_path``, so the site
serves them as ``_static/assignments/...``; its ``{bundle}`` role links to them and fails the
build when one is missing (build the book after ``release``).

A bundle holds only what ``release/NN_name/`` holds (nbgrader has already taken out the model
answers and the hidden tests) plus the two learner files; :func:`write_bundle` refuses to write
one in which a solution or hidden-test marker survived.  The zips are byte-for-byte the same for
the same release (fixed dates, sorted names), so rebuilding the site does not change them.
"""

import json
import shutil
import zipfile
from pathlib import Path

from autograder.settings import COURSE_DIR, REPOSITORY

SITE_FOLDER = Path("site") / "assignments"  # relative to the course root
# The oldest and the newest Python a learner may use, both tested (tests/learner/): the kit needs
# 3.10 (zip(strict=True)); requirements-learner.txt pins packages that install on both.
LEARNER_PYTHONS = ("3.10", "3.13")
REQUIREMENTS = REPOSITORY / "requirements-learner.txt"
SKIPPED = ("__pycache__", ".ipynb_checkpoints")
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # every member's date: the same bytes for the same files
# Text that only the instructor's copies hold; none may reach a learner.
INSTRUCTOR_MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")

README = """\
# {title}

Everything you need for this assignment on your own computer:

| file | what it is |
|---|---|
| `{id}.ipynb` | the notebook you fill in and hand in |
| `fixtures.npz` | the visible tests' small cases and their expected answers |
| `grading_kit/` | the code of the visible tests and of the check command (do not edit it) |
| `requirements-learner.txt` | what to install (Python {oldest} to {newest}) |

1. Install once: `python -m venv conv-env`, then `conv-env/bin/pip install -r
   requirements-learner.txt` (on Windows: `conv-env\\Scripts\\pip install -r
   requirements-learner.txt`).
2. Open, in this folder: `conv-env/bin/jupyter lab {id}.ipynb` (Windows:
   `conv-env\\Scripts\\jupyter lab {id}.ipynb`). The kernel is "Python 3 (ipykernel)".
3. Replace each `raise NotImplementedError()` with your code, then Run > Run All Cells: every
   task's visible test says which cases pass, and for a failing one what is wrong.
4. Check from a terminal, in this folder: `conv-env/bin/python -m grading_kit.check {id}.ipynb`
   (exit status 0 when every visible test passes).
5. Hand in `{id}.ipynb` alone, keeping that name; sent by e-mail or put in a shared folder
   rather than uploaded to your course's learning platform, name it `<your id>_{id}.ipynb`.
   Keep every cell; change only the answer cells.

The book's page "Doing the exercises" explains every step and every message.
"""


def site_folder(course_dir=COURSE_DIR):
    """Where the bundles of a course root are written: ``<course>/site/assignments``."""
    return Path(course_dir) / SITE_FOLDER


def notebook_title(path):
    """The first heading of a notebook's first markdown cell, without the '#'s."""
    notebook = json.loads(Path(path).read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return Path(path).stem


def instructor_markers(folder):
    """[(file, marker)] of every instructor-only marker found in a folder's text files."""
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and path.suffix in (".ipynb", ".py", ".md", ".txt"):
            text = path.read_text(errors="replace")
            found += [(str(path), marker) for marker in INSTRUCTOR_MARKERS if marker in text]
    return found


def zip_folder(folder, target):
    """Zip ``folder`` as ``target``, every member under ``folder.name/``, reproducibly."""
    partial = target.with_name(f".{target.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                continue
            member = zipfile.ZipInfo(name, ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            archive.writestr(member, path.read_bytes())
    partial.replace(target)
    return target


def write_bundle(assignment_id, course_dir=COURSE_DIR):
    """Write one assignment's bundle folder and zip from ``release/<id>/``; return the zip.

    Raises:
        FileNotFoundError: the assignment is not released (run ``release`` first).
        ValueError: a file of the release still holds a solution or hidden-test marker.
    """
    release = Path(course_dir) / "release" / assignment_id
    notebook = release / f"{assignment_id}.ipynb"
    if not notebook.is_file():
        raise FileNotFoundError(f"bundle: {notebook} not found: release {assignment_id} first")
    leaked = instructor_markers(release)
    if leaked:
        raise ValueError(f"bundle: {assignment_id} not published, instructor text in {leaked}")
    site = site_folder(course_dir)
    site.mkdir(parents=True, exist_ok=True)
    folder = site / assignment_id
    staging = site / f".{assignment_id}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(release, staging, ignore=shutil.ignore_patterns(*SKIPPED))
    shutil.copy(REQUIREMENTS, staging / REQUIREMENTS.name)
    title = notebook_title(notebook)
    oldest, newest = LEARNER_PYTHONS
    readme = README.format(title=title, id=assignment_id, oldest=oldest, newest=newest)
    (staging / "README.md").write_text(readme)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return zip_folder(folder, site / f"{assignment_id}.zip")


def write_bundles(assignments, course_dir=COURSE_DIR):
    """Write the bundle of every assignment and the site's copy of the learner requirements;
    return {assignment: zip path}."""
    site = site_folder(course_dir)
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(REQUIREMENTS, site / REQUIREMENTS.name)
    return {assignment_id: write_bundle(assignment_id, course_dir) for assignment_id in assignments}
