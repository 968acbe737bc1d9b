"""Limits: per-case time limits in the kernel, cell and notebook time limits, a killed grading
process, the grading kernel's memory cap; each gives zeros with a reason, never a lost grade."""

import json
import time

import numpy as np
import pytest

from autograder import course
from autograder.course import Job
from autograder.judge import judge_item
from autograder.kit import record as recorder
from autograder.kit.limits import CaseTimeout, time_limit
from autograder.spec import load_assignment
from tests.grading.conftest import (
    autograded_cell,
    model_answers,
    nbgrader,
    released_notebook,
    sandbox_processes,
    scores,
    submit,
    with_answers,
)

UNROLL = load_assignment("01_unroll").item("unroll_1d")
STUBBORN_LOOP = """import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)  # the kernel can no longer be interrupted
while True:
    pass
"""


def test_time_limit_interrupts_an_endless_loop():
    start = time.perf_counter()
    with pytest.raises(CaseTimeout), time_limit(0.2):
        while True:
            pass
    assert time.perf_counter() - start < 2


def test_a_case_over_its_limit_fails_and_the_remaining_cases_are_not_run():
    calls = []

    def slow_on_the_third_call(x, kernel_size):
        calls.append(1)
        while len(calls) == 3:
            pass
        return np.zeros((x.shape[0], kernel_size), dtype=x.dtype)

    outputs = []
    recorder.SINK = lambda bundle: outputs.append({"output_type": "display_data", "data": bundle})
    try:
        recorder.record(
            UNROLL.name, slow_on_the_third_call, UNROLL.hidden, ["x", "kernel_size"], seconds=0.3
        )
    finally:
        recorder.SINK = None
    assert len(calls) == 3  # nothing ran after the case that timed out
    verdict = judge_item(UNROLL, outputs)
    assert verdict.score == 0
    assert "ran longer than its 0.3 s limit" in verdict.report()
    assert "not run, an earlier case ran out of time" in verdict.report()


def autograde_with_limits(course_dir, student, answers, *limits):
    """Submit 01_unroll with these answers and autograde it with these Execute limits."""
    release = released_notebook(course_dir, "01_unroll")
    submit(course_dir, student, "01_unroll", with_answers(release, answers))
    start = time.perf_counter()
    nbgrader(course_dir, "autograde", "01_unroll", "--student", student, "--force", *limits)
    return time.perf_counter() - start


def outputs_of(course_dir, student, grade_id):
    return json.dumps(autograded_cell(course_dir, student, "01_unroll", grade_id)["outputs"])


@pytest.mark.grading
@pytest.mark.slow
def test_a_cell_that_cannot_be_interrupted_stops_the_notebook_not_the_batch(graded_course):
    course_dir, _ = graded_course
    answers = {**model_answers(course_dir), "answer_unroll_1d": STUBBORN_LOOP}
    seconds = autograde_with_limits(course_dir, "looper", answers, "--GuardedExecute.timeout=3")
    assert seconds < 60
    assert set(scores(course_dir, "looper", "01_unroll").values()) == {0.0}
    assert "kernel ignored the interrupt" in outputs_of(course_dir, "looper", "answer_unroll_1d")
    hidden = outputs_of(course_dir, "looper", "hidden_conv1d_unroll")
    assert "could not be stopped" in hidden
    assert sandbox_processes() == []  # the stuck kernel's sandbox is gone with it


@pytest.mark.grading
@pytest.mark.slow
def test_cells_after_the_notebook_time_limit_are_not_run(graded_course):
    course_dir, _ = graded_course
    model = model_answers(course_dir)
    nap = "import time\ntime.sleep(4)\n"
    answers = {key: nap + source for key, source in model.items()}
    seconds = autograde_with_limits(
        course_dir, "sleeper", answers, "--GuardedExecute.notebook_timeout=6"
    )
    assert seconds < 60
    assert scores(course_dir, "sleeper", "01_unroll")["hidden_conv1d_unroll"] == 0.0
    hidden = outputs_of(course_dir, "sleeper", "hidden_conv1d_unroll")
    assert "used up its time limit (6 s)" in hidden


@pytest.mark.grading
@pytest.mark.slow
def test_a_grading_process_over_the_hard_limit_still_leaves_zero_grades_with_the_reason(
    graded_course,
):
    course_dir, _ = graded_course
    release = released_notebook(course_dir, "01_unroll")
    model = model_answers(course_dir)
    nap = {"answer_unroll_1d": "import time\ntime.sleep(120)\n" + model["answer_unroll_1d"]}
    submit(course_dir, "slowpoke", "01_unroll", with_answers(release, {**model, **nap}))
    result = course.autograde(Job("01_unroll", "slowpoke"), course_dir, hard_limit=25)
    assert result.status == "zeroed"
    assert set(scores(course_dir, "slowpoke", "01_unroll").values()) == {0.0}
    hidden = autograded_cell(course_dir, "slowpoke", "01_unroll", "hidden_unroll_1d")
    assert "took longer than 25 s" in json.dumps(hidden["outputs"])
    time.sleep(1)
    assert sandbox_processes() == []  # killing the grader killed its sandbox


@pytest.mark.grading
def test_the_sandbox_caps_memory_and_runs_unprivileged(learner_python):
    import subprocess

    from autograder import sandbox

    probe = (
        "import os, numpy as np\n"  # np.empty reserves address space without touching memory
        f"try:\n    np.empty(2 * {sandbox.LIMITS.memory_bytes}, dtype=np.uint8)\n"
        "except MemoryError:\n    print('capped', os.getuid())\n"
    )
    completed = subprocess.run(
        sandbox.command([f"{sandbox.LEARNER_MOUNT}/bin/python", "-I", "-c", probe]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.stdout.split()[0] == "capped", completed.stderr
    assert int(completed.stdout.split()[1]) >= sandbox.UID_BASE


@pytest.mark.grading
def test_the_sandbox_caps_the_memory_of_all_its_processes_together(learner_python):
    """Four children touching 1 GiB each fit every per-process cap; under a 2 GiB cap for the
    whole sandbox (a cgroup), the OOM killer stops some of them, inside the sandbox only."""
    import subprocess

    from autograder import sandbox

    probe = (
        "import os, numpy as np\n"
        "kids = []\n"
        "for _ in range(4):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        block = np.ones(2**27)\n"  # 1 GiB, touched
        "        import time; time.sleep(2)\n"
        "        os._exit(0)\n"
        "    kids.append(pid)\n"
        "print(sum(os.waitpid(kid, 0)[1] != 0 for kid in kids))\n"
    )
    limits = sandbox.Limits(memory_bytes=2 * 1024**3)
    cgroup = sandbox.Cgroup(limits)
    folders = list(cgroup.folders)
    assert folders, "root could not make a cgroup here: no whole-sandbox memory cap"
    try:
        inner = [f"{sandbox.LEARNER_MOUNT}/bin/python", "-I", "-c", probe]
        argv = cgroup.wrap(sandbox.command(inner, limits=limits))
        completed = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    finally:
        cgroup.remove()
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout.split()[-1]) >= 1  # at least one child was killed
    assert not any(folder.exists() for folder in folders)  # removed afterwards
