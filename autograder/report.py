"""What the instructor reads after grading: the grade table and the integrity report.

The grade table comes from nbgrader's gradebook (student x assignment, score / max).  The
integrity report lists, per submission, what the grading pipeline had to defend against:

    test cells edited      a locked test cell whose source differs from the release (restored)
    test cells deleted     a visible/hidden test cell missing from the submission (restored)
    kernelspec override    the notebook names another kernel (grading used conv-grading anyway)
    extra files            files next to the notebook that the release does not have (ignored)
    imports solutions      a cell imports the reference package (not importable when grading)
    timeouts               cells or hidden cases stopped by a time limit
    stopped                cells not run: dead kernel, notebook time limit, execution skipped
    records refused        a hidden cell's record was forged, duplicated or unreadable
    memory                 a cell hit the grading kernel's memory cap (MemoryError)
    output dropped         a cell printed more than the per-cell limit
    kit missing            grading_kit/ or fixtures.npz was deleted while the notebook ran
"""

import csv
import json
import re
from pathlib import Path

from autograder.build import COURSE_DIR
from autograder.course_config import LEARNER_KERNEL
from autograder.execute import STOPPED

IMPORTS_SOLUTIONS = re.compile(
    r"^\s*(from\s+solutions\b|import\s+solutions\b)|__import__\(\s*['\"]solutions", re.M
)
TEST_PREFIXES = ("visible_", "hidden_")
# What the judge says when it refuses a record (autograder/judge.py).
REFUSED = (
    "records instead of 1",
    "record is malformed",
    "does not match the cases",
    "cannot be read",
    "are too large",
)


def grade_table(course_dir=COURSE_DIR):
    """{student: {assignment: (score, max_score)}} from the gradebook."""
    from nbgrader.api import Gradebook

    table = {}
    with Gradebook(f"sqlite:///{Path(course_dir) / 'gradebook.db'}") as gradebook:
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


def outputs_text(notebook):
    """Every output of every cell as one JSON string (to search for stop reasons)."""
    return json.dumps([cell.get("outputs", []) for cell in notebook.get("cells", [])])


def read_notebook(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}


def submission_findings(course_dir, student, assignment):
    """Integrity findings of one submission: {finding: detail}."""
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
            findings["test cells deleted"] = ", ".join(deleted)
        if edited:
            findings["test cells edited"] = ", ".join(edited)
        kernel = submitted.get("metadata", {}).get("kernelspec", {}).get("name")
        if kernel != LEARNER_KERNEL:
            findings["kernelspec override"] = str(kernel)
        cheats = [g for g, source in sources.items() if IMPORTS_SOLUTIONS.search(source)]
        if cheats:
            findings["imports solutions"] = ", ".join(cheats)
        graded = read_notebook(course_dir / "autograded" / student / assignment / path.name)
        text = outputs_text(graded)
        timeouts = text.count("CellTimeoutError") + text.count("TimeoutError: the case ran")
        if timeouts:
            findings["timeouts"] = str(timeouts)
        if "MemoryError" in text:
            findings["memory"] = "MemoryError"
        if "characters dropped]" in text:
            findings["output dropped"] = "over the per-cell limit"
        if "No module named 'grading_kit" in text or "fixtures.npz not found" in text:
            findings["kit missing"] = "grading_kit/ or fixtures.npz deleted during the run"
        refused = [reason for reason in REFUSED if reason in text]
        if refused:
            findings["records refused"] = "; ".join(refused)
        stops = sorted(set(re.findall(rf'"{STOPPED}: ([^"]*)"', text)))
        if stops:
            findings["stopped"] = "; ".join(stops)
    extra = [
        str(p.relative_to(folder))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.relative_to(folder) not in released_files
        and not p.name.endswith(".ipynb")
        and p.name != "timestamp.txt"
    ]
    if extra:
        findings["extra files"] = ", ".join(extra)
    return findings


def integrity_report(course_dir=COURSE_DIR):
    """[(student, assignment, finding, detail)] for every submission; also written to CSV."""
    course_dir = Path(course_dir)
    rows = []
    for folder in sorted((course_dir / "submitted").glob("*/*")):
        if not folder.is_dir():
            continue
        student, assignment = folder.parent.name, folder.name
        for finding, detail in submission_findings(course_dir, student, assignment).items():
            rows.append((student, assignment, finding, detail))
    with open(course_dir / "integrity.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "finding", "detail"])
        writer.writerows(rows)
    return rows


def format_integrity(rows, width=110):
    if not rows:
        return "integrity: nothing to report"
    lines = [f"integrity: {len(rows)} finding(s)"]
    for student, assignment, finding, detail in rows:
        line = f"  {student:10} {assignment:18} {finding:20} {detail}"
        lines.append(line if len(line) <= width else line[: width - 3] + "...")
    return "\n".join(lines)
