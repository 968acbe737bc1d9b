"""Class-scale grading on real components: the steps on a Dask cluster (a real ``dask scheduler``
and two ``dask worker`` processes on loopback) with a worker killed mid-batch, a step that keeps
killing its workers, and a PostgreSQL gradebook (a real server started by the test)."""

import hashlib
import os
import signal
import tempfile
import threading
import time
from pathlib import Path

import pytest

from autograder import cluster, course, database, runners, samples, step
from tests.grading.conftest import model_answers, released_notebook, scores, submit, with_answers
from tests.grading.postgres import postgres_server
from tests.grading.test_driver import course_copy, sleepy

pytestmark = pytest.mark.grading

# Scores of 01_unroll's submissions, known independently of the grader: the model answers earn
# every point, the untouched stub none, bob's catalogued mistake half (test_catalogue.py), and
# a notebook that fills memory in its first answer loses at least that answer's item.
EXPECTED_TOTAL = {"ada": 5.0, "blank": 0.0, "bob": 2.5}
MEMORY_BOMB = "import numpy as np\nblocks = []\nwhile True:\n    blocks.append(np.ones(2**27))\n"


def fresh_course(folder):
    """01_unroll released into ``folder`` (its own release, right before it is graded)."""
    course.release(["01_unroll"], folder, workers=1)
    return Path(folder)


def digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def total(course_dir, student):
    return sum(scores(course_dir, student, "01_unroll").values())


def class_of(course_dir, copies=2):
    """ada, blank and bob, ``copies`` more of ada and bob, a sleeper and a memory bomb; return
    {student: expected total or None (the bomb: checked by item)}."""
    samples.write_samples(course_dir, ["01_unroll"], students=("ada", "blank", "bob"))
    expected = dict(EXPECTED_TOTAL)
    base = Path(course_dir) / "submitted"
    for index in range(copies):
        for student in ("ada", "bob"):
            clone = base / f"{student}{index}" / "01_unroll"
            clone.mkdir(parents=True)
            source = base / student / "01_unroll" / "01_unroll.ipynb"
            (clone / "01_unroll.ipynb").write_bytes(source.read_bytes())
            expected[f"{student}{index}"] = EXPECTED_TOTAL[student]
    submit(course_dir, "sleeper", "01_unroll", sleepy(course_dir, 12))
    expected["sleeper"] = EXPECTED_TOTAL["ada"]
    model = model_answers(course_dir)
    bomb = {"answer_unroll_1d": MEMORY_BOMB + model["answer_unroll_1d"]}
    submit(course_dir, "bomb", "01_unroll",
           with_answers(released_notebook(course_dir, "01_unroll"), {**model, **bomb}))  # fmt: skip
    expected["bomb"] = None
    return expected


def steps_running(pids):
    """{pid: students} of the grading steps running in these processes, from their private
    course roots (/tmp/conv-grade-<pid>-*/submitted/<student>)."""
    running = {}
    for root in Path(tempfile.gettempdir()).glob(f"{step.PRIVATE_PREFIX}*-*"):
        pid = int(root.name[len(step.PRIVATE_PREFIX) :].split("-")[0])
        if pid in pids:
            running.setdefault(pid, set()).update(p.name for p in root.glob("submitted/*"))
    return running


def ancestors(pid):
    """The process ids above ``pid``, nearest first."""
    found = []
    while pid and pid > 1:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            break
        pid = int(next(line for line in status.splitlines() if line.startswith("PPid")).split()[1])
        found.append(pid)
    return found


def running_learner_code(pid):
    """True when the worker process ``pid`` is executing a learner's notebook: a sandboxed
    kernel runs whose uid is autograder.sandbox.UID_BASE + the pid of a grading process (the
    step's nbgrader) descended from ``pid``."""
    from autograder.sandbox import UID_BASE

    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uids = next(line for line in status.read_text().splitlines() if line.startswith("Uid"))
        except (OSError, StopIteration):
            continue
        uid = int(uids.split()[1])
        if uid >= UID_BASE and pid in ancestors(uid - UID_BASE):
            return True
    return False


def check_class(course_dir, expected, results):
    """Every submission graded exactly once, with its expected scores, one row each."""
    students = [result.job.student for result in results]
    assert sorted(students) == sorted(expected), students  # each job reported once
    statuses = {result.job.student: result.status for result in results}
    assert set(statuses.values()) == {"graded"}, {r.job.student: r.detail for r in results}
    for student, wanted in expected.items():
        if wanted is not None:
            assert total(course_dir, student) == wanted, student
    assert scores(course_dir, "bomb", "01_unroll")["hidden_unroll_1d"] == 0
    with database.open_gradebook(course_dir) as gradebook:
        submissions = gradebook.find_assignment("01_unroll").submissions
        assert sorted(s.student.id for s in submissions) == sorted(expected)  # no duplicate
        for submission in submissions:
            assert [len(notebook.grades) for notebook in submission.notebooks] == [2]


@pytest.mark.slow
def test_dask_grades_every_submission_once_when_a_worker_is_killed_mid_batch(tmp_path):
    course_dir = fresh_course(tmp_path / "course")
    expected = class_of(course_dir)
    submitted = digests(course_dir / "submitted")
    killed = {}

    with cluster.local_cluster(workers=2) as dask:

        def kill_a_busy_worker():  # once some worker is inside a step: lose it for good
            deadline = time.time() + 120
            while time.time() < deadline and not killed:
                pids = dask.worker_pids()
                for pid, students in steps_running(pids).items():
                    killed.update(worker=pids[pid], students=students)
                    dask.kill_worker(pids[pid])
                    return
                time.sleep(0.2)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        results = course.grade(["01_unroll"], course_dir, force=True, progress=False,
                               scheduler_file=dask.scheduler_file)  # fmt: skip
        killer.join()
        survivor = dask.workers[1 - killed["worker"]]
        assert survivor.poll() is None  # the memory bomb took no worker down
    assert killed["students"], "no worker was killed inside a step"
    print(f"killed worker {killed['worker']} while it graded {killed['students']}")
    check_class(course_dir, expected, results)
    assert digests(course_dir / "submitted") == submitted  # every submitted file unchanged


@pytest.mark.slow
def test_a_step_that_keeps_killing_workers_gets_zeros_not_endless_retries(tmp_path):
    """The test plays the out-of-memory killer: whenever a worker runs the victim's notebook,
    its process is killed (its nanny starts a new one).  After the scheduler's allowed failures the
    victim gets zeros with the reason; the other submissions are graded as usual."""
    course_dir = fresh_course(tmp_path / "course")
    samples.write_samples(course_dir, ["01_unroll"], students=("ada", "bob"))
    victim = Path(course_dir) / "submitted" / "victim" / "01_unroll"
    victim.mkdir(parents=True)
    source = Path(course_dir) / "submitted" / "ada" / "01_unroll" / "01_unroll.ipynb"
    (victim / "01_unroll.ipynb").write_bytes(source.read_bytes())
    kills, done = [], threading.Event()

    with cluster.local_cluster(workers=2) as dask:

        def kill_the_victims_worker():
            while not done.is_set():
                for pid, students in steps_running(dask.worker_pids()).items():
                    if "victim" in students and pid not in kills and running_learner_code(pid):
                        os.kill(pid, signal.SIGKILL)
                        kills.append(pid)
                time.sleep(0.1)

        killer = threading.Thread(target=kill_the_victims_worker)
        killer.start()
        try:
            results = course.grade(["01_unroll"], course_dir, force=True, progress=False,
                                   scheduler=dask.address)  # fmt: skip
        finally:
            done.set()
            killer.join()
    statuses = {result.job.student: (result.status, result.detail) for result in results}
    assert len(kills) == cluster.ALLOWED_FAILURES + 1, kills  # tried that often, no more
    reason = runners.KILLED_REASON.format(count=cluster.ALLOWED_FAILURES + 1)
    assert statuses["victim"] == ("zeroed", reason)
    assert total(course_dir, "victim") == 0
    assert {statuses["ada"][0], statuses["bob"][0]} == {"graded"}, statuses
    assert total(course_dir, "ada") == 5.0 and total(course_dir, "bob") == 2.5


def test_scheduler_arguments_are_checked(released_course, tmp_path):
    course_dir = course_copy(released_course, tmp_path / "course")
    samples.write_samples(course_dir, ["01_unroll"], students=("ada",))
    with pytest.raises(ValueError, match="--scheduler"):
        course.grade(["01_unroll"], course_dir, scheduler="tcp://127.0.0.1:1",
                     scheduler_file=tmp_path / "s.json")  # fmt: skip
    with pytest.raises(OSError, match="cannot reach the Dask scheduler"):
        course.grade(["01_unroll"], course_dir, scheduler="tcp://127.0.0.1:9", progress=False)


@pytest.mark.slow
def test_a_postgresql_gradebook_with_parallel_workers_and_the_export(tmp_path, monkeypatch):
    """release, grade (2 workers) and export on a gradebook in a real PostgreSQL server: the
    grades land there (no SQLite file appears), grades.csv and the learners' JSON read it."""
    import csv
    import json

    with postgres_server() as url:
        monkeypatch.setenv(database.URL_VARIABLE, url)
        course_dir = fresh_course(tmp_path / "course")
        samples.write_samples(course_dir, ["01_unroll"], students=("ada", "blank", "bob"))
        results = course.grade(["01_unroll"], course_dir, workers=2, progress=False)
        assert {result.status for result in results} == {"graded"}
        written = course.export(course_dir, ["01_unroll"])
        assert not (course_dir / "gradebook.db").exists()  # nothing went to SQLite
        with database.open_gradebook(course_dir) as gradebook:
            assert gradebook.db.bind.dialect.name == "postgresql"
            graded = {s.student.id: s.score for s in gradebook.find_assignment("01_unroll")
                      .submissions}  # fmt: skip
        assert graded == EXPECTED_TOTAL
        with open(written["grades"]) as grades:
            rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(grades)}
        assert rows == EXPECTED_TOTAL
        learner = json.loads((written["learners"] / "bob.json").read_text())
        assert learner["assignments"]["01_unroll"]["score"] == EXPECTED_TOTAL["bob"]
        again = course.grade(["01_unroll"], course_dir, workers=2, progress=False)
        assert {result.status for result in again} == {"skipped"}  # resumable on the server


def test_database_urls():
    assert database.normalise("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database.normalise("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    with pytest.raises(ValueError, match="--db: expected a database URL"):
        database.normalise("not a url")
