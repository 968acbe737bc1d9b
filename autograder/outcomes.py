"""The codes of grading outcomes: what the executor, the judge and the report say to each other.

Modules talk in codes, never in each other's sentences.  The executor (autograder/execute.py)
and the judge (autograder/judge.py) write their outcomes into the autograded notebook's metadata,
under :data:`RUN_KEY`; the report and the exports (autograder/report.py, autograder/exports.py)
read them back.  The English of each code lives here, once, for the people reading a report.

The block, ``notebook.metadata["conv_grading"]``::

    {
      "sandbox": "bubblewrap" | "none",
      "events": [{"code": "kernel_died", "cell": "answer_conv1d", "detail": "..."}, ...],
      "verdicts": {"conv1d": {"code": "cases_failed", "score": 1.5, "points": 3.0,
                              "passed": 8, "cases": 16, "codes": ["timeout"],
                              "mistakes": ["flipped_kernel"], "report": "..."}, ...}
    }

``events`` are written by the executor while the kernel runs (one per cell and code);
``verdicts`` by the judge, one per hidden item.  The executor resets the block before anything
runs, so a submitted notebook cannot bring its own.
"""

RUN_KEY = "conv_grading"

# What the executor saw, per cell (events).
EVENTS = {
    "timeout": "a cell ran over its time limit and was interrupted",
    "timeout_ignored": "a cell ran over its time limit and the kernel ignored the interrupt",
    "kernel_died": "the kernel died (exit, crash or memory limit)",
    "grading_error": "grading could not run a cell",
    "notebook_timeout": "the notebook used up its time limit",
    "no_sandbox": "no sandbox could be made, so nothing ran",
    "judge_files_changed": "files the judge relies on changed since the release, so nothing ran",
    "execution_skipped": "the grade command skipped execution (the notebook could not be graded)",
    "stopped": "a cell was not run, or not run to the end",
    "memory": "a cell raised MemoryError (the sandbox's memory cap)",
    "output_dropped": "a cell's output went over the limit and the rest was dropped",
    "kit_missing": "a test cell could not load grading_kit/ or fixtures.npz",
}

# Why a hidden item scored what it did (verdicts), and what its cases showed (verdict codes).
VERDICTS = {
    "passed": "every hidden case passed",
    "cases_failed": "some hidden cases failed",
    "stopped": "the hidden test cell did not run to the end",
    "cell_error": "the hidden test cell raised an error before recording",
    "records_refused": "the hidden test cell's record was forged, duplicated or unreadable",
    "unknown_item": "a hidden test cell of an item the grading spec does not have",
}

# Integrity findings (autograder/report.py): code -> the name the report prints.
FINDINGS = {
    "test_cells_edited": "test cells edited",
    "test_cells_deleted": "test cells deleted",
    "kernelspec_override": "kernelspec override",
    "extra_files": "extra files",
    "imports_reference": "imports solutions",
    "timeout": "timeouts",
    "stopped": "stopped",
    "records_refused": "records refused",
    "memory": "memory",
    "output_dropped": "output dropped",
    "kit_missing": "kit missing",
    "unsandboxed": "unsandboxed",
    "manual_score": "manual score",
}


def run_block(notebook):
    """The notebook's outcome block (a dict; empty when the notebook was never graded)."""
    block = notebook.get("metadata", {}).get(RUN_KEY, {})
    return block if isinstance(block, dict) else {}


def events(notebook, code=None):
    """The executor's events of a notebook (of one code when given), as dicts."""
    found = [event for event in run_block(notebook).get("events", []) if isinstance(event, dict)]
    return [event for event in found if code is None or event.get("code") == code]


def verdicts(notebook):
    """{item: verdict dict} the judge wrote into a notebook."""
    found = run_block(notebook).get("verdicts", {})
    return found if isinstance(found, dict) else {}
