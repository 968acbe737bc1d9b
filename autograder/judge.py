"""The trusted judge: a hidden cell's record -> a score and a report, computed outside the kernel.

Grading one notebook is a pure step, :func:`grade_notebook` (notebook in, scores and feedback out):
for every hidden test cell it reads the record the kernel emitted (kit/record.py), regenerates the
same inputs from the assignment's grading spec, runs the reference, compares each output with the
tolerance policy (kit/compare.py), names likely mistakes (diagnose.py) and replaces the cell's
outputs with the report and the score.  Nothing else the kernel printed is read.

Every verdict carries a code (autograder/outcomes.py VERDICTS) beside its English report, and
:func:`grade_notebook` writes the verdicts, as data, into the notebook's metadata
(``conv_grading.verdicts``), which the report and the exports read.

Scoring: partial credit, ``points * passed cases / all cases`` (rounded down to 0.01), written as
the cell's execute_result, which is how nbgrader's determine_grade reads a partial grade.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from autograder.diagnose import Attempt, likely_mistakes
from autograder.kit.cases import describe, make_inputs
from autograder.kit.record import MIME, RecordTooLarge, decode
from autograder.outcomes import RUN_KEY
from autograder.settings import MAX_LISTED_FAILURES, MAX_RECORD_CHARS

STOPPED = "GradingStopped"  # error name of cells the grading run stopped (autograder/execute.py)


@dataclass
class CaseResult:
    """Outcome of one hidden case: its label, problems found and likely mistakes (keys, texts)."""

    number: int
    label: str
    problems: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)
    codes: list = field(default_factory=list)  # e.g. ["timeout"]: the kit recorded a time-out

    @property
    def passed(self):
        return not self.problems


@dataclass
class Verdict:
    """Outcome of one item: the score and why."""

    item: str
    points: float
    cases: list = field(default_factory=list)
    reason: str = ""  # set when the whole item scores zero without per-case results
    reason_code: str = ""  # the code of that reason (outcomes.VERDICTS)
    causes: list = field(default_factory=list)  # codes of the executor's events on its cell

    @property
    def passed(self):
        return sum(case.passed for case in self.cases)

    @property
    def score(self):
        if not self.cases:
            return 0.0
        return math.floor(100 * self.points * self.passed / len(self.cases)) / 100

    @property
    def code(self):
        """Why the item scored what it did (outcomes.VERDICTS)."""
        if self.reason:
            return self.reason_code or "cell_error"
        return "passed" if self.cases and self.passed == len(self.cases) else "cases_failed"

    def codes(self):
        """Sorted codes of what its cases and its cell showed (e.g. timeout, kernel_died)."""
        found = {code for case in self.cases for code in case.codes} | set(self.causes)
        return sorted(found)

    def data(self):
        """The verdict as plain data (written into the notebook's metadata)."""
        return {
            "code": self.code,
            "score": self.score,
            "points": self.points,
            "passed": self.passed,
            "cases": len(self.cases),
            "codes": self.codes(),
            "mistakes": sorted({key for key, _, _ in self.main_mistakes()}),
            "report": self.report(),
        }

    def main_mistakes(self):
        """[(key, message, count)] of the mistakes matching the most failing cases."""
        counts = {}
        for case in self.cases:
            for key, message in case.mistakes:
                counts[key] = (message, counts.get(key, (message, 0))[1] + 1)
        if not counts:
            return []
        most = max(count for _, count in counts.values())
        return [(key, message, count) for key, (message, count) in counts.items() if count == most]

    def report(self):
        """Feedback text for the learner and the instructor."""
        if self.reason:
            return f"{self.item}: 0 / {self.points:g} points. {self.reason}\n"
        lines = [
            f"{self.item}: {self.passed} of {len(self.cases)} hidden cases passed: "
            f"{self.score:g} / {self.points:g} points"
        ]
        failures = [case for case in self.cases if not case.passed]
        for _, message, count in self.main_mistakes():
            lines.append(
                f"  most likely mistake ({count} of {len(failures)} failing cases): {message}"
            )
        for case in failures[:MAX_LISTED_FAILURES]:
            lines.append(f"  FAILED case {case.number}: {case.label}")
            lines.extend(f"      {problem}" for problem in case.problems)
            lines.extend(f"      likely mistake: {message}" for _, message in case.mistakes)
        if len(failures) > MAX_LISTED_FAILURES:
            lines.append(f"  ... and {len(failures) - MAX_LISTED_FAILURES} more failing cases")
        return "\n".join(lines) + "\n"


def error_text(outputs):
    """The first error a cell raised, as ``Name: message``, or ''."""
    for output in outputs:
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return ""


def find_record(outputs, item):
    """The record payload for ``item`` among a cell's outputs, or (None, reason)."""
    payload, _, reason = record_problem(outputs, item)
    return payload, reason


def record_problem(outputs, item):
    """(payload, "", "") for the record of ``item`` among a cell's outputs, else
    (None, code, reason) with a code of outcomes.VERDICTS."""
    records = [
        output["data"][MIME]
        for output in outputs
        if output.get("output_type") == "display_data" and MIME in output.get("data", {})
    ]
    stopped = [o for o in outputs if o.get("output_type") == "error" and o.get("ename") == STOPPED]
    if stopped and not records:
        reason = f"The hidden test cell did not run to the end: {stopped[0].get('evalue', '')}."
        return None, "stopped", reason
    if len(records) != 1:
        error = error_text(outputs)
        if error:
            return None, "cell_error", f"The hidden test cell raised {error}"
        reason = f"The hidden test cell produced {len(records)} records instead of 1."
        return None, "records_refused", reason
    payload = records[0]
    if not isinstance(payload, dict) or payload.get("item") != item:
        return None, "records_refused", "The hidden test cell's record is malformed."
    return payload, "", ""


def reference_outputs(item, inputs):
    """The reference's outputs for one case, or the name of the exception it raises."""
    try:
        return item.runner.expected(item.reference_function(), inputs, item.positional()), ""
    except ValueError as error:  # the case tests input validation: the learner must raise too
        return None, type(error).__name__


@dataclass
class Trusted:
    """What only the trusted side knows or measures while judging a graded notebook.

    heldout_seed: the secret seed of the classifier items' held-out sets (the kernel got only
        the images, see kit/drivers.py ClassifierDriver); None: the default split.
    speed: ``speed(item, case) -> (speed-up, detail)`` measured outside the kernel
        (autograder/speed.py); None: the kernel's own timing is used (catalogue fast path).
    """

    heldout_seed: int | None = None
    speed: object = None


def judge_case(item, number, case, summary, arrays, trusted=None):
    """Judge one hidden case from its record summary and recorded arrays."""
    trusted = trusted or Trusted()
    result = CaseResult(number, describe(case))
    inputs = make_inputs(case)
    if item.driver == "classifier" and trusted.heldout_seed is not None:
        inputs["data"] = {**inputs["data"], "test_seed": trusted.heldout_seed}
    expected, expected_error = reference_outputs(item, inputs)
    learner_error = summary.get("error") if isinstance(summary, dict) else "no record"
    if isinstance(summary, dict) and summary.get("timeout") is True:
        result.codes.append("timeout")  # the kit's flag (kit/record.py), not its message
    if expected_error:
        if not (learner_error or "").startswith(expected_error):
            result.problems.append(f"should raise {expected_error} for these arguments")
        return result
    if learner_error:
        result.problems.append(f"raised {learner_error}")
        return result
    types = [str(kind) for kind in summary.get("types", [])]
    got = [arrays.get(f"c{number}_{index}") for index in range(len(types))]
    if len(got) != len(expected) or any(value is None for value in got):
        result.problems.append(
            f"returned {len(got)} values, expected {len(expected)} ({', '.join(item.outputs)})"
        )
        return result
    if item.driver == "speed" and trusted.speed is not None:
        from autograder.speed import SpeedError

        try:
            speedup, detail = trusted.speed(item, case)
        except SpeedError as error:
            speedup, detail = 0.0, f"could not be timed outside the kernel: {error}"
        got[0], types[0] = np.float64(speedup), "float"
        if speedup < float(case["min_speedup"]):
            result.problems.append(detail)
    for index, (value, kind, want, name) in enumerate(
        zip(got, types, expected, item.outputs, strict=True)
    ):
        mismatch = item.runner.compare(index, value, want, name, inputs, got_type=kind)
        if mismatch:
            result.problems.append(mismatch.message)
    result.problems.extend(str(flag) for flag in summary.get("flags", []))
    if result.problems:
        result.mistakes = likely_mistakes(
            Attempt(item, inputs, expected, got, types, list(summary.get("flags", [])))
        )
    return result


def judge_item(item, outputs, trusted=None):
    """Judge one hidden test cell from its outputs (nbformat dicts); return a :class:`Verdict`."""
    verdict = Verdict(item.name, float(item.points))
    payload, verdict.reason_code, reason = record_problem(outputs, item.name)
    if payload is None:
        verdict.reason = reason
        return verdict
    verdict.reason_code = "records_refused"  # for every reason below
    summaries = payload.get("cases")
    npz = payload.get("npz", "")
    if not isinstance(summaries, list) or len(summaries) != len(item.hidden):
        verdict.reason = "The hidden test cell's record does not match the cases."
        return verdict
    if not isinstance(npz, str) or len(npz) > MAX_RECORD_CHARS:
        verdict.reason = "The recorded outputs are too large."
        return verdict
    try:
        arrays = decode(npz)
    except RecordTooLarge as error:
        verdict.reason = f"The recorded outputs are refused: {error}."
        return verdict
    except Exception as error:
        verdict.reason = f"The recorded outputs cannot be read ({type(error).__name__})."
        return verdict
    verdict.reason_code = ""
    verdict.cases = [
        judge_case(item, number, case, summary, arrays, trusted)
        for number, (case, summary) in enumerate(zip(item.hidden, summaries, strict=True))
    ]
    return verdict


def verdict_outputs(verdict, execution_count=None):
    """The outputs that replace a hidden cell's: the report, then the score (nbgrader reads it)."""
    return [
        {"output_type": "stream", "name": "stdout", "text": verdict.report()},
        {
            "output_type": "execute_result",
            "execution_count": execution_count,
            "metadata": {},
            "data": {"text/plain": repr(verdict.score)},
        },
    ]


def hidden_item_name(cell):
    """The item a hidden test cell (grade_id ``hidden_<name>``) grades, else None."""
    metadata = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = metadata.get("grade_id", "")
    if metadata.get("grade") and grade_id.startswith("hidden_"):
        return grade_id.removeprefix("hidden_")
    return None


def grade_notebook(nb, assignment, trusted=None):
    """Judge every hidden test cell of an executed notebook, in place.

    Args:
        nb: the executed notebook (nbformat NotebookNode or plain dict).
        assignment: its :class:`autograder.spec.Assignment`.
        trusted: :class:`Trusted` (secret seeds, outside timing), or None.

    Returns:
        dict item name -> :class:`Verdict`; each hidden cell's outputs now hold its report and
        score, and ``nb.metadata["conv_grading"]["verdicts"]`` their data (outcomes.py).  A
        hidden cell whose item is unknown scores zero.
    """
    import nbformat

    run = nb.setdefault("metadata", {}).setdefault(RUN_KEY, {})
    causes = {}  # cell -> codes of what stopped it (the executor's events)
    for event in run.get("events", []):
        if event.get("code") == "stopped" and event.get("cause"):
            causes.setdefault(event.get("cell"), []).append(event["cause"])
        elif event.get("code") != "stopped":
            causes.setdefault(event.get("cell"), []).append(event.get("code"))
    verdicts = {}
    names = {item.name for item in assignment.items}
    answer_errors = {
        cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"): error_text(cell["outputs"])
        for cell in nb["cells"]
        if cell.get("cell_type") == "code" and error_text(cell.get("outputs", []))
    }
    for cell in nb["cells"]:
        name = hidden_item_name(cell)
        if name is None:
            continue
        if name in names:
            item = assignment.item(name)
            verdict = judge_item(item, cell.get("outputs", []), trusted)
            if verdict.reason and answer_errors.get(item.answer_id):
                verdict.reason += f" Its answer cell raised {answer_errors[item.answer_id]}."
        else:
            points = float(cell["metadata"]["nbgrader"].get("points", 0))
            verdict = Verdict(name, points, reason="Unknown item: not in the grading spec.")
            verdict.reason_code = "unknown_item"
        verdict.causes = sorted(set(causes.get(f"hidden_{name}", [])))
        verdicts[name] = verdict
        cell["outputs"] = [
            nbformat.from_dict(output)
            for output in verdict_outputs(verdict, cell.get("execution_count"))
        ]
    run["verdicts"] = {name: verdict.data() for name, verdict in verdicts.items()}
    return verdicts


def total(verdicts):
    """(score, max score) summed over items."""
    return (
        float(np.sum([verdict.score for verdict in verdicts.values()])),
        float(np.sum([verdict.points for verdict in verdicts.values()])),
    )
