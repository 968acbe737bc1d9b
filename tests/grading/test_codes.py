"""Outcomes as codes: the judge and the executor write them, the report reads them, never text.

The fast tests judge records made in this process and read hand-made outcome blocks; the slow
ones (marked grading) check the codes the real pipeline left in the session's graded course.
"""

import json
import re

import numpy as np
import pytest

from autograder import outcomes, report, settings
from autograder.execute import STOPPED, GuardedExecute, stopped_output
from autograder.judge import grade_notebook
from autograder.kit import record as recorder
from autograder.spec import REPOSITORY, load_assignment

ASSIGNMENT = load_assignment("01_unroll")
UNROLL = ASSIGNMENT.item("unroll_1d")


def unroll_loops(x, kernel_size):
    """Oracle from the definition: row i holds x[i], ..., x[i + K - 1], zeros past the end."""
    rows = np.zeros((x.shape[0], kernel_size), dtype=x.dtype)
    for i in range(x.shape[0]):
        for k in range(kernel_size):
            if i + k < x.shape[0]:
                rows[i, k] = x[i + k]
    return rows


def recorded(function, seconds=None):
    outputs = []
    recorder.SINK = lambda bundle: outputs.append({"output_type": "display_data", "data": bundle})
    try:
        recorder.record(UNROLL.name, function, UNROLL.hidden, UNROLL.positional(), seconds=seconds)
    finally:
        recorder.SINK = None
    return outputs


def hidden_notebook(outputs, events=()):
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "source": "",
        "metadata": {"nbgrader": {"grade": True, "grade_id": UNROLL.hidden_id, "points": 2}},
        "outputs": outputs,
    }
    return {"metadata": {outcomes.RUN_KEY: {"events": list(events)}}, "cells": [cell]}


def judged(outputs, events=()):
    notebook = hidden_notebook(outputs, events)
    grade_notebook(notebook, ASSIGNMENT)
    return notebook, outcomes.verdicts(notebook)[UNROLL.name]


def test_verdicts_are_written_into_the_notebook_as_data():
    notebook, verdict = judged(recorded(unroll_loops))
    assert verdict["code"] == "passed"
    assert verdict["score"] == verdict["points"] == float(UNROLL.points)
    assert verdict["passed"] == verdict["cases"] == len(UNROLL.hidden)
    assert verdict["report"] == notebook["cells"][0]["outputs"][0]["text"]
    json.dumps(notebook)  # plain data: it goes into the .ipynb


def test_a_wrong_function_is_coded_cases_failed_with_its_mistake_keys():
    def transposed(x, kernel_size):
        return unroll_loops(x, kernel_size).T.copy()

    _, verdict = judged(recorded(transposed))
    assert verdict["code"] == "cases_failed" and verdict["score"] < UNROLL.points


def test_a_case_over_its_time_limit_is_coded_timeout():
    def endless(x, kernel_size):
        while True:
            pass

    _, verdict = judged(recorded(endless, seconds=0.2))
    assert verdict["code"] == "cases_failed" and "timeout" in verdict["codes"]


def test_refused_records_stopped_cells_and_errors_each_have_their_code():
    record = recorded(unroll_loops)
    assert judged(record + record)[1]["code"] == "records_refused"
    assert judged([])[1]["code"] == "records_refused"
    forged = [{"output_type": "display_data", "data": {recorder.MIME: {"item": "other"}}}]
    assert judged(forged)[1]["code"] == "records_refused"
    broken = [
        {
            "output_type": "display_data",
            "data": {
                recorder.MIME: {
                    "item": UNROLL.name,
                    "cases": [{}] * len(UNROLL.hidden),
                    "npz": "not base64",
                }
            },
        }
    ]
    assert judged(broken)[1]["code"] == "records_refused"
    error = {"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []}
    assert judged([error])[1]["code"] == "cell_error"
    died = {"code": "kernel_died", "cell": "answer_unroll_1d"}
    stop = {"code": "stopped", "cell": UNROLL.hidden_id, "cause": "kernel_died"}
    _, verdict = judged([stopped_output("not run")], [died, stop])
    assert verdict["code"] == "stopped" and verdict["codes"] == ["kernel_died"]


def test_the_report_reads_codes_not_sentences():
    """A notebook whose outputs hold every sentence the old report grepped, but no codes, has
    no finding; the same notebook with codes has exactly the coded ones."""
    sentences = (
        "CellTimeoutError TimeoutError: the case ran MemoryError characters dropped] "
        "No module named 'grading_kit records instead of 1 cannot be read "
        f'"{STOPPED}: not run: the kernel died"'
    )
    notebook = hidden_notebook([{"output_type": "stream", "name": "stdout", "text": sentences}])
    assert report.run_findings(notebook) == {}
    notebook["metadata"][outcomes.RUN_KEY] = {
        "sandbox": "none",
        "events": [
            {"code": "timeout", "cell": "answer_unroll_1d"},
            {"code": "memory", "cell": "answer_conv1d_unroll"},
            {"code": "output_dropped", "cell": "answer_unroll_1d"},
            {"code": "kit_missing", "cell": "visible_unroll_1d"},
            {"code": "kernel_died", "cell": "answer_conv1d_unroll"},
            {"code": "stopped", "cell": "hidden_conv1d_unroll", "cause": "kernel_died"},
        ],
        "verdicts": {
            "unroll_1d": {"code": "records_refused", "codes": []},
            "conv1d_unroll": {"code": "stopped", "codes": ["timeout"]},
        },
    }
    found = report.run_findings(notebook)
    assert set(found) == {
        "unsandboxed",
        "timeout",
        "memory",
        "output_dropped",
        "kit_missing",
        "records_refused",
        "stopped",
    }
    assert found["timeout"] == "2"  # one cell, one item
    assert found["records_refused"] == "unroll_1d"
    assert "kernel_died" in found["stopped"]
    assert set(found) <= set(outcomes.FINDINGS)


def executor():
    execute = GuardedExecute()
    execute.run_events, execute.stop_code, execute.timeout = [], "", 7
    return execute


def error_cell(grade_id, ename):
    return {
        "cell_type": "code",
        "metadata": {"nbgrader": {"grade_id": grade_id}} if grade_id else {},
        "outputs": [{"output_type": "error", "ename": ename, "evalue": "", "traceback": []}],
    }


@pytest.mark.parametrize(
    "grade_id, ename, codes",
    [
        ("answer_unroll_1d", "CellTimeoutError", ["timeout"]),
        ("answer_unroll_1d", "MemoryError", ["memory"]),
        ("visible_unroll_1d", "ModuleNotFoundError", ["kit_missing"]),
        ("hidden_unroll_1d", "FileNotFoundError", ["kit_missing"]),
        ("answer_unroll_1d", "FileNotFoundError", []),  # the learner's own error, not the kit's
        (None, "ValueError", []),
    ],
)
def test_the_executor_codes_errors_by_exception_name(grade_id, ename, codes):
    execute = executor()
    execute.error_events(error_cell(grade_id, ename), 5)
    assert [event["code"] for event in execute.run_events] == codes
    assert all(event["cell"] == (grade_id or "cell 5") for event in execute.run_events)


def test_a_stopped_cell_carries_the_cause_of_the_stop():
    execute = executor()
    execute.stop_code = "notebook_timeout"
    execute.event("stopped", error_cell("hidden_unroll_1d", "x"), 3, "not run")
    assert execute.run_events == [
        {
            "code": "stopped",
            "cell": "hidden_unroll_1d",
            "cause": "notebook_timeout",
            "detail": "not run",
        }
    ]


def test_a_notebook_not_run_records_why_in_each_cell_and_the_judge_reads_it(tmp_path, monkeypatch):
    """The real preprocess path (nbformat nodes, then written to disk): execution skipped."""
    import nbformat

    from autograder.execute import SKIP_VARIABLE

    monkeypatch.setenv(SKIP_VARIABLE, "not run: took too long")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("", metadata={"nbgrader": {
            "grade": True, "grade_id": UNROLL.hidden_id, "points": 2}}),
    ]  # fmt: skip
    nb.metadata[outcomes.RUN_KEY] = {"verdicts": {"unroll_1d": {"code": "passed"}}}  # forged
    folder = tmp_path / "autograded" / "someone" / "01_unroll"
    resources = {"nbgrader": {"assignment": "01_unroll"}, "metadata": {"path": str(folder)}}
    nb, resources = GuardedExecute().preprocess(nb, resources)
    grade_notebook(nb, ASSIGNMENT)
    written = json.loads(nbformat.writes(nb))
    events = outcomes.events(written, "stopped")
    assert [(e["cell"], e["cause"]) for e in events] == [
        ("cell 0", "execution_skipped"),
        (UNROLL.hidden_id, "execution_skipped"),
    ]
    verdict = outcomes.verdicts(written)["unroll_1d"]
    assert verdict["code"] == "stopped" and verdict["codes"] == ["execution_skipped"]


def test_every_code_written_has_its_english_once():
    """Every code the executor, the judge and the report use is in outcomes.py."""
    written = set()
    for name in ("execute.py", "judge.py", "report.py"):
        source = (REPOSITORY / "autograder" / name).read_text()
        written |= set(re.findall(r'(?:event|stop_code =|reason_code =)\(?\s*"([a-z_]+)"', source))
    known = set(outcomes.EVENTS) | set(outcomes.VERDICTS) | set(outcomes.FINDINGS)
    assert written and written <= known, written - known


def test_the_documented_limits_are_the_settings():
    """docs/ARCHITECTURE.md states the sandbox's limits; they must be the ones in force."""
    text = " ".join((REPOSITORY / "docs" / "ARCHITECTURE.md").read_text().split())
    mib, gib = 1024**2, 1024**3
    for claim in (
        f"{settings.SANDBOX_MEMORY_BYTES // gib} GiB address space per process",
        f"{settings.SANDBOX_PROCESSES} processes/threads",
        f"{settings.SANDBOX_FILE_BYTES // mib} MiB per file",
        f"{settings.SANDBOX_OPEN_FILES} open files",
        f"{settings.SANDBOX_CPU_SECONDS} s of CPU",
        f"a {settings.SANDBOX_SCRATCH_BYTES // mib} MiB scratch folder",
        f"a {settings.SANDBOX_TMP_BYTES // mib} MiB private",
        f"kernel messages over {settings.MAX_MESSAGE_BYTES // mib} MiB are dropped",
        f"outputs are capped at {settings.MAX_NOTEBOOK_OUTPUT_BYTES // mib} MiB",
    ):
        assert claim in text, claim


def test_the_grading_configuration_uses_the_settings():
    from traitlets.config import Config

    from autograder.course_config import configure
    from autograder.sandbox import LIMITS

    config = Config()
    configure(config)
    assert config.GuardedExecute.timeout == settings.CELL_TIMEOUT_SECONDS
    assert config.GuardedExecute.notebook_timeout == settings.NOTEBOOK_TIMEOUT_SECONDS
    assert config.GuardedExecute.max_output_chars == settings.MAX_OUTPUT_CHARS
    assert config.GuardedExecute.max_notebook_bytes == settings.MAX_NOTEBOOK_OUTPUT_BYTES
    assert LIMITS.prlimit_arguments()[0] == f"--as={settings.SANDBOX_MEMORY_BYTES}"


# In the graded course (conftest.graded_course): the code of each of mallory's acts
# (autograder/samples.py), and of the hand-made submissions.
ACT_CODES = {
    "loops": "timeout",
    "forges": "records_refused",
    "memory": "memory",
    "exits": "stopped",
    "floods": "output_dropped",
    "cheats": "imports_reference",
    "patches": "records_refused",
}


@pytest.mark.grading
@pytest.mark.slow
def test_every_integrity_finding_of_the_graded_course_has_its_code(graded_course):
    from autograder.samples import act_of
    from autograder.spec import assignment_ids

    course_dir, _ = graded_course
    found = report.findings(course_dir)
    codes = {(f.student, f.assignment, f.code) for f in found}
    for code in ("test_cells_deleted", "test_cells_edited", "extra_files"):
        assert ("tampered", "01_unroll", code) in codes
    for code in ("kernelspec_override", "imports_reference"):
        assert ("cheat", "01_unroll", code) in codes
    for assignment_id in assignment_ids():
        act = act_of(assignment_id)
        if act in ACT_CODES:
            assert ("mallory", assignment_id, ACT_CODES[act]) in codes, (act, found)
    assert ("h_record_flood", "01_unroll", "output_dropped") in codes
    assert ("h_zip_bomb", "01_unroll", "records_refused") in codes
    assert not [f for f in found if f.student in ("ada", "blank")]
    names = {(s, a, name) for s, a, name, _ in report.integrity_report(course_dir)}
    assert names == {(f.student, f.assignment, outcomes.FINDINGS[f.code]) for f in found}


@pytest.mark.grading
@pytest.mark.slow
def test_the_graded_notebooks_carry_the_judges_verdict_codes(graded_course):
    from autograder.samples import act_of
    from autograder.spec import assignment_ids

    course_dir, _ = graded_course

    def verdicts(student, assignment_id):
        path = course_dir / "autograded" / student / assignment_id / f"{assignment_id}.ipynb"
        return outcomes.verdicts(json.loads(path.read_text()))

    for assignment_id in assignment_ids():
        assignment = load_assignment(assignment_id)
        ada = verdicts("ada", assignment_id)
        assert set(ada) == {item.name for item in assignment.items}
        assert {verdict["code"] for verdict in ada.values()} == {"passed"}
        first = verdicts("mallory", assignment_id)[assignment.items[0].name]
        act = act_of(assignment_id)
        if act == "exits":
            assert first["code"] == "stopped" and "kernel_died" in first["codes"], first
        elif act in ("forges", "patches"):
            assert first["code"] == "records_refused", first
        elif act == "loops":
            assert "timeout" in first["codes"], first
