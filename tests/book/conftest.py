"""Build the book once per test run and share the result with the build, browser and learner tests.

As scripts/main.sh does, every assignment is first released into the course root
(``python -m autograder release``, which writes the learners' bundles the book publishes), then
the book is built with the command CI and authors use:
    jupyter-book build --all -W -n --keep-going .
run from the repository root with the jupyter-book of the running interpreter's environment.
:func:`release_and_build` runs once per test run, whichever test folder asks first (tests/learner
uses it too).
"""

import functools
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BUILD_TIMEOUT_SECONDS = 900


def toc_pages(toc_path=REPO_ROOT / "_toc.yml"):
    """Document names in a jb-book _toc.yml, root first: ["book/intro", "book/01_unroll", ...]."""
    toc = yaml.safe_load(toc_path.read_text())
    pages = [toc["root"]]
    entries = list(toc.get("chapters", []))
    for part in toc.get("parts", []):
        entries.extend(part.get("chapters", []))
    while entries:
        entry = entries.pop(0)
        pages.append(entry["file"])
        entries[:0] = entry.get("sections", [])
    return [str(Path(page).with_suffix("")) for page in pages]


@dataclass
class BuildResult:
    returncode: int
    log: str
    seconds: float


def build_book(source_dir, timeout=BUILD_TIMEOUT_SECONDS):
    """Run the book's build command on ``source_dir``; return its exit code, full log and time."""
    command = [str(JUPYTER_BOOK), "build", "--all", "-W", "-n", "--keep-going", "."]
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=source_dir, capture_output=True, text=True, timeout=timeout, check=False
    )
    return BuildResult(
        completed.returncode, completed.stdout + completed.stderr, time.perf_counter() - start
    )


def release_bundles():
    """Release every assignment into the course root; fail unless release wrote every bundle
    (stale bundles of an earlier run are removed first, so they cannot stand in)."""
    from autograder import bundle, course
    from autograder.settings import COURSE_DIR

    shutil.rmtree(bundle.site_folder(COURSE_DIR), ignore_errors=True)
    released = course.release(course_dir=COURSE_DIR)
    missing = [
        assignment
        for assignment in released
        if not (bundle.site_folder(COURSE_DIR) / f"{assignment}.zip").is_file()
    ]
    if missing:
        pytest.fail(
            f"release wrote no learner bundle for {missing}: autograder.course.release must "
            "call autograder.bundle.write_bundles"
        )
    return released


@functools.cache
def release_and_build():
    """Release, then build the repository's book; once per test run (log in _build/build.log)."""
    if not JUPYTER_BOOK.exists():
        pytest.fail(f"jupyter-book not found at {JUPYTER_BOOK}: install requirements.txt")
    if not (REPO_ROOT / "book/_vendor/mathjax/tex-chtml.js").exists():
        pytest.fail("MathJax is not vendored: run `bash scripts/vendor_mathjax.sh` (setup does it)")
    release_bundles()
    result = build_book(REPO_ROOT)
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "build.log").write_text(result.log)
    return result


def built_site():
    """Path of the built HTML site; fails (with the end of the log) if the build failed."""
    result = release_and_build()
    if result.returncode != 0:
        pytest.fail(
            f"the book build failed (exit code {result.returncode}); end of the log:\n"
            + result.log[-4000:]
        )
    return HTML_DIR


@pytest.fixture(scope="session")
def book_build():
    """The repository's book, released and built once for the whole session."""
    return release_and_build()


@pytest.fixture(scope="session")
def built_html():
    """Path of the built HTML site; fails (with the end of the log) if the build failed."""
    return built_site()
