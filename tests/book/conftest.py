"""Build the book once per test run and share the result with the build and browser tests.

The build command is the one CI and authors use:
    jupyter-book build --all -W -n --keep-going .
run from the repository root with the jupyter-book of the running interpreter's environment.
"""

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


@pytest.fixture(scope="session")
def book_build():
    """The repository's book, built once for the whole session (log kept in _build/build.log)."""
    if not JUPYTER_BOOK.exists():
        pytest.fail(f"jupyter-book not found at {JUPYTER_BOOK}: install requirements.txt")
    if not (REPO_ROOT / "book/_vendor/mathjax/tex-chtml.js").exists():
        pytest.fail("MathJax is not vendored: run `bash scripts/vendor_mathjax.sh` (setup does it)")
    result = build_book(REPO_ROOT)
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "build.log").write_text(result.log)
    return result


@pytest.fixture(scope="session")
def built_html(book_build):
    """Path of the built HTML site; fails (with the end of the log) if the build failed."""
    if book_build.returncode != 0:
        pytest.fail(
            f"the book build failed (exit code {book_build.returncode}); end of the log:\n"
            + book_build.log[-4000:]
        )
    return HTML_DIR
