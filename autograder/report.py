"""What the instructor reads after grading: the grade table and the integrity report.

The grade table comes from nbgrader's gradebook (student x assignment, score / max).  The
integrity report lists, per submission, what the grading pipeline had to defend against, each
finding with its code (autograder/outcomes.py FINDINGS) and the name it prints:

    test_cells_edited    test cells edited     a locked test cell whose source differs from the
                                               release (restored)
    test_cells_deleted   test cells deleted    a visible/hidden test cell missing from the
                                               submission (restored)
    kernelspec_override  kernelspec override   the notebook names a kernel other than Jupyter's
                                               stock ``python3`` (which the release names) and
                                               the course machine's ``conv-learner`` (grading
                                               used the sandboxed one whatever it names)
    extra_files          extra files           files next to the notebook that the release does
                                               not have (ignored)
    imports_reference    imports solutions     a cell imports the reference package (not
                                               importable when grading)
    timeout              timeouts              cells or hidden cases stopped by a time limit
    stopped              stopped               cells not run: dead kernel, notebook time limit,
                                               execution skipped
    records_refused      records refused       a hidden cell's record was forged, duplicated or
                                               unreadable
    memory               memory                a cell hit the grading kernel's memory cap
    output_dropped       output dropped        a cell printed more than the per-cell limit
    kit_missing          kit missing           a test cell could not load grading_kit/ or
                                               fixtures.npz
    unsandboxed          unsandboxed           graded with --unsafe-no-sandbox: nothing stopped
                                               its code reading or changing the course; the grade
                                               is not to be trusted
    manual_score         manual score          a grade holds a manual score or extra credit,
                                               which no item of this course has (``grade
                                               --force`` clears them)

The first five come from comparing the submission with the release; the rest are read from
the codes the executor and the judge wrote into the autograded notebook (outcomes.py), never
from the text of its outputs.
"""

import csv
import json
import re
from pathlib import Path
from typing import NamedTuple

from autograder import outcomes
from autograder.course_config import LEARNER_KERNEL
from autograder.settings import COURSE_DIR, INTEGRITY_CSV
from autograder.spec import TEST_PREFIXES

# Kernels a learner's notebook may name without a finding: the release's (Jupyter's stock kernel,
# on every machine) and the course machine's learner kernel (autograder/setup_learner_kernel.sh).
HONEST_KERNELS = ("python3", LEARNER_KERNEL)
IMPORTS_SOLUTIONS = re.compile(
    r"^\s*(from\s+solutions\b|import\s+solutions\b)|__import__\(\s*['\"]solutions", re.M
)
# Events after which cells were not run (outcomes.EVENTS): the "stopped" finding.
STOP_CAUSES = (
    "stopped",
    "kernel_died",
    "timeout_ignored",
    "grading_error",
    "notebook_timeout",
    "no_sandbox",
    "judge_files_changed",
    "execution_skipped",
)


class Finding(NamedTuple):
    """One integrity finding of one submission."""

    student: str
    assignment: str
    code: str  # outcomes.FINDINGS
    detail: str

    @property
    def name(self):
        """What the report prints for the code."""
        return outcomes.FINDINGS[self.code]


def grade_table(course_dir=COURSE_DIR):
    """{student: {assignment: (score, max_score)}} from the gradebook."""
    from autograder import database

    table = {}
    with database.open_gradebook(course_dir) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                table.setdefault(submission.student.id, {})[assignment.name] = (
                    submission.score,
                    submission.max_score,
                )
    return table


def fraction(score, maximum):
    return f"{score:g}/{maximum:g}"


def format_table(table):
    """The grade table as text: one row per student, one column per assignment, and a total."""
    assignments = sorted({name for row in table.values() for name in row})
    width = max([len(name) for name in assignments] + [9])
    header = f"{'student':10}" + "".join(f"{name:>{width + 2}}" for name in assignments)
    lines = [header + f"{'total':>12}"]
    for student in sorted(table):
        row = table[student]
        cells = "".join(
            f"{fraction(*row[name]) if name in row else '-':>{width + 2}}" for name in assignments
        )
        score = sum(score for score, _ in row.values())
        maximum = sum(maximum for _, maximum in row.values())
        lines.append(f"{student:10}{cells}{fraction(score, maximum):>12}")
    return "\n".join(lines)


def cell_sources(notebook):
    """{grade_id: source} of a notebook's cells that have one."""
    sources = {}
    for cell in notebook.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            source = cell.get("source", "")
            sources[grade_id] = source if isinstance(source, str) else "".join(source)
    return sources


def read_notebook(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def cells_of(events):
    """The cells named by some events, once each, in order."""
    return ", ".join(dict.fromkeys(str(event.get("cell", "?")) for event in events))


def run_findings(graded):
    """{code: detail} of what the executor and the judge recorded in an autograded notebook."""
    findings = {}
    if outcomes.run_block(graded).get("sandbox") == "none":
        findings["unsandboxed"] = "graded with --unsafe-no-sandbox"
    verdicts = outcomes.verdicts(graded)
    timed_out = outcomes.events(graded, "timeout") + outcomes.events(graded, "timeout_ignored")
    slow_cells = {event.get("cell") for event in timed_out} | {
        f"hidden_{item}"
        for item, verdict in verdicts.items()
        if "timeout" in verdict.get("codes", [])
    }
    if slow_cells:
        findings["timeout"] = str(len(slow_cells))
    for code in ("memory", "output_dropped", "kit_missing"):
        if outcomes.events(graded, code):
            findings[code] = cells_of(outcomes.events(graded, code))
    refused = [
        item for item, verdict in verdicts.items() if verdict.get("code") == "records_refused"
    ]
    if refused:
        findings["records_refused"] = ", ".join(refused)
    stops = [event for event in outcomes.events(graded) if event.get("code") in STOP_CAUSES]
    if stops:
        causes = {event.get("cause") or event.get("code") for event in stops}
        findings["stopped"] = "; ".join(
            f"{cause}: {outcomes.EVENTS.get(cause, cause)}" for cause in sorted(causes)
        )
    return findings


def submission_findings(course_dir, student, assignment):
    """Integrity findings of one submission: {code: detail} (codes of outcomes.FINDINGS)."""
    course_dir = Path(course_dir)
    release = course_dir / "release" / assignment
    folder = course_dir / "submitted" / student / assignment
    findings = {}
    released_files = {p.relative_to(release) for p in release.rglob("*") if p.is_file()}
    for path in sorted(folder.glob("*.ipynb")):
        submitted = read_notebook(path)
        released = cell_sources(read_notebook(release / path.name))
        sources = cell_sources(submitted)
        tests = [grade_id for grade_id in released if grade_id.startswith(TEST_PREFIXES)]
        deleted = [grade_id for grade_id in tests if grade_id not in sources]
        edited = [g for g in tests if g in sources and sources[g].strip() != released[g].strip()]
        if deleted:
            findings["test_cells_deleted"] = ", ".join(deleted)
        if edited:
            findings["test_cells_edited"] = ", ".join(edited)
        kernel = submitted.get("metadata", {}).get("kernelspec", {}).get("name")
        if kernel not in HONEST_KERNELS:
            findings["kernelspec_override"] = str(kernel)
        cheats = [g for g, source in sources.items() if IMPORTS_SOLUTIONS.search(source)]
        if cheats:
            findings["imports_reference"] = ", ".join(cheats)
        graded = read_notebook(course_dir / "autograded" / student / assignment / path.name)
        findings.update(run_findings(graded))
    extra = [
        str(p.relative_to(folder))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.relative_to(folder) not in released_files
        and not p.name.endswith(".ipynb")
        and p.name != "timestamp.txt"
    ]
    if extra:
        findings["extra_files"] = ", ".join(extra)
    return findings


def manual_scores(course_dir):
    """{(student, assignment): "cell=score, ..."} of grades with a manual score or extra credit."""
    from autograder import database

    found = {}
    if not database.exists(course_dir):
        return found
    with database.open_gradebook(course_dir) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.manual_score is not None or grade.extra_credit:
                            key = (submission.student.id, assignment.name)
                            text = (
                                f"{grade.name}: manual {grade.manual_score}, "
                                f"extra {grade.extra_credit}"
                            )
                            found[key] = ", ".join(filter(None, [found.get(key), text]))
    return found


def findings(course_dir=COURSE_DIR):
    """[:class:`Finding`] of every submission, in student and assignment order."""
    course_dir = Path(course_dir)
    found = []
    manual = manual_scores(course_dir)
    for folder in sorted((course_dir / "submitted").glob("*/*")):
        if not folder.is_dir():
            continue
        student, assignment = folder.parent.name, folder.name
        for code, detail in submission_findings(course_dir, student, assignment).items():
            found.append(Finding(student, assignment, code, detail))
        if (student, assignment) in manual:
            found.append(
                Finding(student, assignment, "manual_score", manual[(student, assignment)])
            )
    return found


def integrity_report(course_dir=COURSE_DIR):
    """[(student, assignment, finding name, detail)] for every submission; also written, with
    each finding's code, to integrity.csv (student, assignment, code, finding, detail)."""
    found = findings(course_dir)
    with open(Path(course_dir) / INTEGRITY_CSV, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "code", "finding", "detail"])
        writer.writerows((f.student, f.assignment, f.code, f.name, f.detail) for f in found)
    return [(f.student, f.assignment, f.name, f.detail) for f in found]


def format_integrity(rows, width=110):
    if not rows:
        return "integrity: nothing to report"
    lines = [f"integrity: {len(rows)} finding(s)"]
    for student, assignment, finding, detail in rows:
        line = f"  {student:10} {assignment:18} {finding:20} {detail}"
        lines.append(line if len(line) <= width else line[: width - 3] + "...")
    return "\n".join(lines)
