"""The grading driver: one submission is a pure step (no write to the course), the driver alone
records it (the gradebook holds what the autograded notebook says), N steps run at once, and a
driver killed mid-batch loses nothing."""

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from autograder import course, database, gradebook_writer, samples, step
from autograder.spec import REPOSITORY
from tests.grading.conftest import (
    model_answers,
    released_notebook,
    sandbox_processes,
    scores,
    submit,
    with_answers,
)

pytestmark = pytest.mark.grading
STAMP = "2026-01-15 09:30:00.000000 UTC"


def course_copy(released_course, folder):
    """A copy of the released course with no submission and no grade folders."""
    ignored = shutil.ignore_patterns("submitted", "autograded", "feedback", ".submitted-backup")
    shutil.copytree(released_course, folder, ignore=ignored)
    return folder


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_digests(folder):
    return {str(p): digest(p) for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def sleepy(course_dir, seconds):
    """01_unroll's model answers, with ``seconds`` of sleep in the first answer cell."""
    model = model_answers(course_dir)
    nap = {"answer_unroll_1d": f"import time\ntime.sleep({seconds})\n" + model["answer_unroll_1d"]}
    return with_answers(released_notebook(course_dir, "01_unroll"), {**model, **nap})


@pytest.fixture(scope="module")
def one_step(released_course, tmp_path_factory):
    """(course_dir, StepResult, gradebook digest before, after, submitted digests before) of
    bob's 01_unroll (a catalogued mistake: partial marks) graded by one step."""
    course_dir = course_copy(released_course, tmp_path_factory.mktemp("step") / "course")
    samples.write_samples(course_dir, ["01_unroll"], students=("bob",))
    (course_dir / "submitted" / "bob" / "01_unroll" / "timestamp.txt").write_text(STAMP)
    submitted = folder_digests(course_dir / "submitted")
    before = digest(course_dir / "gradebook.db")
    result = step.grade_submission(course_dir, "01_unroll", "bob")
    return course_dir, result, before, digest(course_dir / "gradebook.db"), submitted


def test_a_step_grades_without_writing_the_course(one_step):
    course_dir, result, before, after, submitted = one_step
    assert result.status == "graded", result.detail
    assert after == before  # the course's gradebook is byte-for-byte untouched
    assert not (course_dir / "autograded").exists()
    assert folder_digests(course_dir / "submitted") == submitted
    assert "01_unroll.ipynb" in result.files and "timestamp.txt" in result.files
    assert result.timestamp == STAMP
    assert step.judged_text(result.notebooks()["01_unroll"])


def test_the_writer_records_what_the_autograded_notebook_says(one_step):
    from nbgrader.api import Gradebook
    from nbgrader.utils import determine_grade, is_grade, parse_utc

    course_dir, result, *_ = one_step
    since = time.time() - 1
    gradebook_writer.record(course_dir, result)
    job = course.Job("01_unroll", "bob")
    assert course.is_graded(job, course_dir, since)
    notebook = nbformat.reads(result.notebooks()["01_unroll"], as_version=4)
    expected = {
        cell.metadata.nbgrader["grade_id"]: determine_grade(cell)[0]
        for cell in notebook.cells
        if is_grade(cell)
    }
    recorded = scores(course_dir, "bob", "01_unroll")
    assert recorded == expected
    total = sum(recorded.values())
    assert 0 < total < sum(determine_grade(c)[1] for c in notebook.cells if is_grade(c))
    with Gradebook(database.url(course_dir)) as gradebook:
        assert gradebook.find_submission("01_unroll", "bob").timestamp == parse_utc(STAMP)
    placed = course_dir / "autograded" / "bob" / "01_unroll" / "01_unroll.ipynb"
    assert placed.read_bytes() == result.files["01_unroll.ipynb"][1]
    assert not (course_dir / gradebook_writer.STAGING).exists() or not any(
        (course_dir / gradebook_writer.STAGING).iterdir()
    )


def test_workers_grade_submissions_at_the_same_time(released_course, tmp_path):
    course_dir = course_copy(released_course, tmp_path / "course")
    for student in ("nap1", "nap2"):
        submit(course_dir, student, "01_unroll", sleepy(course_dir, 8))
    start = time.perf_counter()
    results = course.grade(["01_unroll"], course_dir=course_dir, workers=2, progress=False)
    wall = time.perf_counter() - start
    assert [result.status for result in results] == ["graded", "graded"]
    overlap = min(r.finished for r in results) - max(r.started for r in results)
    assert overlap > 6, [(r.started, r.finished) for r in results]  # both asleep at once
    print(f"two 8 s sleepers: steps {[round(r.seconds, 1) for r in results]} s, wall {wall:.1f} s")


def child_pids(pid):
    """Process ids of the children of every thread of ``pid``."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            pass
    return [int(child) for child in children]


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_a_driver_killed_mid_batch_loses_nothing(released_course, tmp_path):
    """SIGKILL the driver after its first result, grade again without --force: every
    submission graded once, the scores of an uninterrupted run, submitted files unchanged."""
    courses = [course_copy(released_course, tmp_path / name) for name in ("killed", "whole")]
    for course_dir in courses:
        samples.write_samples(course_dir, ["01_unroll"], students=("ada", "blank", "bob"))
        submit(course_dir, "a_sleeper", "01_unroll", sleepy(course_dir, 15))
    killed, whole = courses
    submitted = folder_digests(killed / "submitted")
    driver = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", "01_unroll", "--course-dir", str(killed),
         "--workers", "2"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPOSITORY,
    )  # fmt: skip
    try:
        for line in driver.stderr:
            if line.startswith("grade: 1/4 done"):
                break
        else:
            pytest.fail("the driver ended before its first result")
        in_flight = child_pids(driver.pid)
        assert in_flight, "nothing was being graded when the driver was killed"
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=30)
        lines = [line, *driver.stderr.read().splitlines()]  # what it recorded before dying
    finally:
        if driver.poll() is None:
            driver.kill()
    first = {line.split()[-3] for line in lines if line.startswith("grade: ")}
    assert first and len(first) < 4
    deadline = time.time() + 30
    while any(alive(pid) for pid in in_flight) and time.time() < deadline:
        time.sleep(0.5)
    assert not any(alive(pid) for pid in in_flight)  # its nbgrader processes died with it
    time.sleep(1)
    assert sandbox_processes() == []

    again = course.grade(["01_unroll"], course_dir=killed, workers=2, progress=False)
    statuses = {result.job.student: result.status for result in again}
    assert set(statuses.values()) <= {"graded", "skipped"}, statuses
    assert {s for s, status in statuses.items() if status == "skipped"} == first  # once each
    reference = course.grade(["01_unroll"], course_dir=whole, workers=2, progress=False)
    assert {result.status for result in reference} == {"graded"}
    for student in statuses:
        assert scores(killed, student, "01_unroll") == scores(whole, student, "01_unroll")
        folder = killed / "autograded" / student / "01_unroll"
        assert sorted(p.name for p in folder.glob("*.ipynb")) == ["01_unroll.ipynb"]
        graded = json.loads((folder / "01_unroll.ipynb").read_text())
        assert step.judged_text(json.dumps(graded))
    with sqlite_gradebook(killed) as gradebook:  # one submission, one notebook of grades each
        for student in statuses:
            notebooks = gradebook.find_submission("01_unroll", student).notebooks
            assert [len(notebook.grades) for notebook in notebooks] == [2]
    assert folder_digests(killed / "submitted") == submitted
    leftovers = Path(tempfile.gettempdir()).glob(f"{step.PRIVATE_PREFIX}{driver.pid}-*")
    assert not list(leftovers)  # the killed driver's private roots are gone
    assert not list((killed / gradebook_writer.STAGING).glob("*"))


def sqlite_gradebook(course_dir):
    from nbgrader.api import Gradebook

    return Gradebook(database.url(course_dir))
