"""The learner's path, tried as a learner would, from the book's site to the returned feedback.

1. a fresh venv of the oldest supported Python from requirements-learner.txt alone;
2. the bundle downloaded from chapter 1's Assignment box of the built site, unzipped;
3. JupyterLab of that venv, on loopback, opened in headless Chromium: the notebook opens on the
   stock ``python3`` kernel; Run All from the menus on the stub (every task's visible test
   reports, none passes), with the model answers typed in (all pass), with one catalogued
   mistake (its hint shows); after each, the notebook saved and checked from a terminal with
   ``python -m grading_kit.check`` (exit 1, 0, 1);
4. the saved notebooks handed in under the names the instructor's ``collect`` accepts, then
   ``collect``, ``grade`` (in the sandbox) and ``export`` on a copy of the released course;
5. the feedback page opened in the browser: the judge's report, no hidden-test source, no
   instructor path, math typeset (MathML, drawn by the browser), no request off the machine.

Screenshots of every step are kept in _build/learner-test/ (printed at the start).
"""

import csv
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from autograder import samples
from autograder.settings import COURSE_DIR, REPOSITORY
from tests.book.browser import LOCAL_HOSTS, chromium, serve

pytestmark = [pytest.mark.book, pytest.mark.grading, pytest.mark.slow]

ASSIGNMENT = "01_unroll"
MISTAKE = REPOSITORY / "exercises" / ASSIGNMENT / "mistakes" / "zeros_on_left.py"
ARTEFACTS = REPOSITORY / "_build" / "learner-test"
TIMEOUT_MS = 60_000
PASSED = re.compile(r"\ball \d+ visible cases passed\b")  # autograder/kit/visible.py check()
STUDENTS = {"correct": "lin", "mistake": "lee"}  # who hands in which version


def shot(page, name):
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def browser():
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)
    print(f"\nlearner test artefacts (screenshots): {ARTEFACTS}")
    with chromium() as opened:
        yield opened


def is_remote(url):
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS


def offline_page(browser, remote, block=True):
    """A new page whose requests to any other host than this machine are listed in ``remote``
    and refused (``block``; JupyterLab's kernel never connects through playwright's request
    routing, so its page only lists them: the machine has no way out anyway)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)

    def route(request_route):
        if is_remote(request_route.request.url):
            remote.append(request_route.request.url)
            request_route.abort()
        else:
            request_route.continue_()

    if block:
        context.route("**/*", route)
    else:
        context.on("request", lambda request: is_remote(request.url) and remote.append(request.url))
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


@pytest.fixture(scope="module")
def home(site, browser, tmp_path_factory):
    """The learner's folder, holding the assignment downloaded from its chapter page."""
    folder = tmp_path_factory.mktemp("learner-home")
    remote = []
    page = offline_page(browser, remote)
    with serve(site) as url:
        page.goto(f"{url}/book/{ASSIGNMENT}.html")
        box = page.locator("div.admonition.important", has=page.locator("a.bundle-link"))
        box.scroll_into_view_if_needed()
        box.screenshot(path=str(ARTEFACTS / "1-chapter-assignment-box.png"))
        with page.expect_download() as download:
            box.locator("a.bundle-link", has_text=f"{ASSIGNMENT}.zip").click()
        archive = folder / download.value.suggested_filename
        download.value.save_as(archive)
    page.context.close()
    assert not remote, f"the chapter page asked other hosts: {remote}"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    return folder


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(oldest_python, home, tmp_path_factory):
    """JupyterLab of the learner's venv on 127.0.0.1, rooted at the learner's folder: its URL
    (with the token); the learner's Jupyter settings live in a fresh folder."""
    settings = tmp_path_factory.mktemp("jupyter")
    token, port = secrets.token_hex(16), free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    environment.update(
        PATH=f"{oldest_python.parent}:{os.environ['PATH']}",
        JUPYTER_CONFIG_DIR=str(settings / "config"),
        JUPYTER_DATA_DIR=str(settings / "data"),
        JUPYTER_RUNTIME_DIR=str(settings / "runtime"),
        IPYTHONDIR=str(settings / "ipython"),
    )
    log = open(ARTEFACTS / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [str(oldest_python.parent / "jupyter-lab"), "--no-browser", "--allow-root",
         "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={home}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],  # fmt: skip
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(ARTEFACTS / 'jupyterlab.log')}")
            time.sleep(0.3)
    yield url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def notebook(browser, lab):
    """The assignment's notebook open in JupyterLab: (page, what happened while it opened)."""
    url, token = lab
    remote = []
    page = offline_page(browser, remote, block=False)
    page.goto(f"{url}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb?token={token}")
    opened = {"dialogs": [], "remote": remote}
    content = page.locator(".jp-CodeCell .cm-content", has_text="NotImplementedError")
    indicator = page.locator(".jp-Notebook-ExecutionIndicator")
    kernel = page.locator(".jp-Toolbar-kernelName")
    deadline = time.monotonic() + 120  # JupyterLab's first start is slow on a busy machine
    while not (
        content.count()
        and kernel.count()
        and kernel.inner_text().strip() not in ("", "No Kernel")
        and indicator.get_attribute("data-status") == "idle"
    ):
        if page.locator(".jp-Dialog").count():  # e.g. "Select Kernel": a kernel it lacks
            opened["dialogs"].append(page.locator(".jp-Dialog").inner_text())
            shot(page, "2-dialog-on-open")
            page.locator(".jp-Dialog .jp-mod-accept").click()
        if time.monotonic() > deadline:
            shot(page, "2-notebook-not-ready")
            pytest.fail("the notebook did not open with a ready kernel within 120 s")
        time.sleep(0.3)
    news = page.get_by_role("button", name="No")  # JupyterLab's "notified about news?" toast
    if news.count():
        news.first.click()
    shot(page, "2-notebook-opened")
    yield page, opened
    page.context.close()


def code_cells(page):
    """[(input text, output text, stderr text)] of every code cell of the open notebook."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell')).map(cell => [
            cell.querySelector('.jp-InputArea-editor').innerText,
            Array.from(cell.querySelectorAll('.jp-OutputArea-output'))
                .map(o => o.innerText).join('\\n'),
            Array.from(cell.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                .map(o => o.innerText).join('\\n')])"""
    )


def menu(page, top, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).click()


def run_all(page, name):
    """Restart the kernel with outputs cleared, Run All Cells from the menus, wait for the last
    cell; return code_cells()."""
    menu(page, "Kernel", "Restart Kernel and Clear Outputs of All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
        "?.dataset.status === 'idle'"
    )
    menu(page, "Run", "Run All Cells")
    count = page.locator(".jp-Notebook .jp-CodeCell").count()
    last = page.locator(".jp-Notebook .jp-CodeCell").nth(count - 1).locator(".jp-InputPrompt")
    try:
        last.filter(has_text=f"[{count}]").wait_for(timeout=TIMEOUT_MS)
    finally:
        last.scroll_into_view_if_needed()
        shot(page, name)
    return code_cells(page)


def type_answer(page, function, source):
    """Replace the answer cell that defines ``function`` by ``source``, as typed (pasted)."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    for index in range(cells.count()):
        editor = cells.nth(index).locator(".cm-content")
        if editor.inner_text().lstrip().startswith(f"def {function}("):
            editor.click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(source)
            page.keyboard.press("Escape")
            return
    raise AssertionError(f"no answer cell defines {function}")


def save(page, home, copy_as):
    """Save the notebook from the UI (Ctrl+S); keep a copy of the saved file as ``copy_as``."""
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.locator(".jp-mod-current.jp-mod-dirty").wait_for(state="detached")
    path = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if copy_as:
        copy_as.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy_as)
    return path


def check_command(python, home):
    """``python -m grading_kit.check NN.ipynb`` in the assignment's folder, as a learner would."""
    completed = subprocess.run(
        [str(python), "-m", "grading_kit.check", f"{ASSIGNMENT}.ipynb"],
        cwd=home / ASSIGNMENT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return completed.returncode, completed.stdout + completed.stderr


def visible_tests(cells):
    """The visible test cells among code_cells() (autograder/build.py VISIBLE_CELL)."""
    return [cell for cell in cells if re.search(r"\bimport check\b", cell[0])]


def model_answers():
    """{function: model answer as a learner would type it} from the built source notebook."""
    source = COURSE_DIR / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    answers = samples.answer_cells(nbformat.read(source, as_version=4))
    typed = {}
    for cell in answers.values():
        lines = [line for line in cell.source.splitlines() if "### " not in line]
        name = re.match(r"def (\w+)\(", cell.source).group(1)
        typed[name] = "\n".join(lines)
    return typed


def submissions_folder(home):
    return home.parent / f"{home.name}-handed-in"


def test_bundle_is_downloaded_from_the_chapter_page(home):
    files = {p.relative_to(home / ASSIGNMENT).as_posix() for p in (home / ASSIGNMENT).rglob("*")}
    for name in (f"{ASSIGNMENT}.ipynb", "fixtures.npz", "grading_kit/check.py", "README.md",
                 "requirements-learner.txt"):  # fmt: skip
        assert name in files, sorted(files)


def test_notebook_opens_on_the_stock_python3_kernel(notebook):
    page, opened = notebook
    assert not opened["dialogs"], f"dialogs on opening the notebook: {opened['dialogs']}"
    kernel = page.locator(".jp-Toolbar-kernelName").inner_text().strip()
    assert kernel == "Python 3 (ipykernel)", kernel
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus, menus  # nbgrader is the instructor's, not in the learner's env
    assert not opened["remote"], opened["remote"]


def test_run_all_on_the_stub_reports_every_task(notebook, home, oldest_python):
    page, _ = notebook
    cells = run_all(page, "3-stub-run-all")
    tests = visible_tests(cells)
    assert len(tests) == 2, [source[:60] for source, _, _ in cells]
    for source, out, _ in tests:
        assert out.strip(), f"a visible test shows nothing after Run All: {source!r}"
        assert "not implemented yet" in out, out
        assert not PASSED.search(out), out
        assert "Traceback" not in out and "grading_kit/" not in out, out
    summary = cells[-1][1]
    assert "0 of 2 tasks pass" in summary, f"no per-task summary at the end: {summary!r}"
    save(page, home, None)
    returncode, printed = check_command(oldest_python, home)
    (ARTEFACTS / "3-check-stub.txt").write_text(printed)
    assert returncode == 1, printed


def test_run_all_with_the_model_answers_passes_every_task(notebook, home, oldest_python):
    page, _ = notebook
    for function, source in model_answers().items():
        type_answer(page, function, source)
    cells = run_all(page, "4-correct-run-all")
    for _, out, err in visible_tests(cells):
        assert PASSED.search(out) and not err.strip(), out
    assert "All 2 tasks pass" in cells[-1][1], cells[-1][1]
    save(page, home, submissions_folder(home) / f"{STUDENTS['correct']}_{ASSIGNMENT}.ipynb")
    returncode, printed = check_command(oldest_python, home)
    (ARTEFACTS / "4-check-correct.txt").write_text(printed)
    assert returncode == 0, printed


def test_run_all_with_one_mistake_shows_its_hint(notebook, home, oldest_python):
    page, _ = notebook
    mistake = samples.definitions(MISTAKE.read_text())["unroll_1d"]
    type_answer(page, "unroll_1d", mistake.strip())
    cells = run_all(page, "5-mistake-run-all")
    first = visible_tests(cells)[0]
    assert "unroll_1d" in first[0] and not PASSED.search(first[1]), first
    assert "likely mistake" in first[1], f"no hint for a catalogued mistake: {first[1]!r}"
    assert "Traceback" not in first[1], first[1]
    submitted = submissions_folder(home) / STUDENTS["mistake"] / f"{ASSIGNMENT}.ipynb"
    save(page, home, submitted)
    returncode, printed = check_command(oldest_python, home)
    (ARTEFACTS / "5-check-mistake.txt").write_text(printed)
    assert returncode == 1 and "likely mistake" in printed, printed


def instructor(course_dir, *args):
    """``python -m autograder ARGS --course-dir COURSE`` as the instructor runs it."""
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    environment.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", *args, "--course-dir", str(course_dir)],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    (ARTEFACTS / f"instructor-{args[0]}.txt").write_text(completed.stdout + completed.stderr)
    return completed


@pytest.fixture(scope="module")
def graded(home, tmp_path_factory):
    """A copy of the released course into which the handed-in notebooks were collected, then
    graded and exported: the course folder."""
    handed_in = submissions_folder(home)
    if not handed_in.exists():
        pytest.fail("nothing was handed in: the tests that save the notebooks failed first")
    course_dir = tmp_path_factory.mktemp("instructor") / "course"
    keep = ("source", "release", "trusted", "gradebook.db", "nbgrader_config.py")
    shutil.copytree(COURSE_DIR, course_dir, ignore=lambda folder, names: [
        name for name in names if Path(folder) == COURSE_DIR and name not in keep])  # fmt: skip
    for step in (["collect", str(handed_in)], ["grade", ASSIGNMENT], ["export", ASSIGNMENT]):
        completed = instructor(course_dir, *step)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return course_dir


def test_handed_in_notebooks_are_collected_graded_and_exported(graded):
    with open(graded / "grades.csv") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle) if r["assignment"] == ASSIGNMENT}
    correct, mistake = rows[STUDENTS["correct"]], rows[STUDENTS["mistake"]]
    assert float(correct["score"]) == float(correct["max_score"]) > 0, correct
    assert 0 <= float(mistake["score"]) < float(mistake["max_score"]), mistake


def test_feedback_opens_in_the_browser_without_hidden_source(graded, browser):
    student = STUDENTS["mistake"]
    folder = graded / "feedback" / student / ASSIGNMENT
    html = (folder / f"{ASSIGNMENT}.html").read_text()
    for secret in ("BEGIN HIDDEN TESTS", "record(", "'seed'", str(graded), str(REPOSITORY)):
        assert secret not in html, f"the feedback shows {secret!r}"
    remote = []
    page = offline_page(browser, remote)
    with serve(folder) as url:
        page.goto(f"{url}/{ASSIGNMENT}.html")
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => !window.MathJax || window.MathJax.startup?.promise")
        page.evaluate("() => window.MathJax && window.MathJax.startup.promise")
        shot(page, "6-feedback")
        page.screenshot(path=str(ARTEFACTS / "6-feedback-full.png"), full_page=True)
        # math as MathML, which Chromium typesets itself (autograder/feedback.py), or MathJax
        typeset = page.locator("math, mjx-container").count()
        text = page.locator("body").inner_text()
    page.context.close()
    assert not remote, f"the feedback page asked other hosts: {remote}"
    assert typeset > 0, "no math typeset in the feedback"
    assert "$$" not in text, "raw TeX in the feedback"
    assert "likely mistake" in text.lower() or "zeros" in text.lower(), text[-2000:]
