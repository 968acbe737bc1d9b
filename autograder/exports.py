"""What leaves the course root after grading, besides nbgrader's grades.csv and feedback HTML.

    exports/canvas.csv             the Canvas gradebook import: the LMS's header row (Student, ID,
                                   SIS User ID, SIS Login ID, Section, then one column per
                                   assignment), its "Points Possible" row, one row per learner
    exports/learners/<id>.json     one file per learner: each assignment's score and maximum, and
                                   per hidden item its score, points, code, codes, likely
                                   mistakes and the judge's feedback text; the integrity
                                   findings with their codes

Scores come from nbgrader's gradebook (the numbers of grades.csv); the per-item codes and
feedback come from the verdicts the judge wrote into each autograded notebook
(autograder/outcomes.py), never from its printed text.

Canvas identifies a learner by ``ID`` (its user id) or an SIS id.  ``ID`` is the gradebook's
``lms_user_id`` when set, else the student id when it is a number (``collect`` names a Canvas
download's learners by their Canvas user id); ``SIS User ID`` is the student id when it is not a
number; ``SIS Login ID`` and ``Section`` are left empty.
"""

import csv
import json
from pathlib import Path

from autograder import database, outcomes, report
from autograder.settings import CANVAS_CSV, COURSE_DIR, EXPORTS_FOLDER, LEARNERS_FOLDER

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "    Points Possible"  # as Canvas writes it (leading spaces included)


def read_gradebook(course_dir=COURSE_DIR):
    """Everything the exports need from nbgrader's gradebook, as plain data.

    Returns:
        (students, assignments): students is {id: {"name", "lms_user_id", "scores":
        {assignment: {"score", "max_score", "items": {grade name: score}}}}}; assignments is
        {name: max score}, in name order.
    """

    students, assignments = {}, {}
    with database.open_gradebook(course_dir) as gradebook:
        for student in gradebook.students:
            names = [student.first_name, student.last_name]
            name = ", ".join(part for part in reversed(names) if part) or student.id
            students[student.id] = {
                "name": name,
                "lms_user_id": student.lms_user_id or "",
                "scores": {},
            }
        for assignment in sorted(gradebook.assignments, key=lambda a: a.name):
            assignments[assignment.name] = float(assignment.max_score)
            for submission in assignment.submissions:
                items = {
                    grade.name: float(grade.score)
                    for notebook in submission.notebooks
                    for grade in notebook.grades
                }
                students[submission.student.id]["scores"][assignment.name] = {
                    "score": float(submission.score),
                    "max_score": float(submission.max_score),
                    "items": items,
                }
    return students, assignments


def number(value):
    """A score as Canvas reads it: plain decimal, at most two decimals."""
    return f"{round(value, 2):g}"


def canvas_ids(student_id, lms_user_id):
    """(ID, SIS User ID) of a learner (module docstring)."""
    if lms_user_id:
        return lms_user_id, "" if student_id.isdigit() else student_id
    return (student_id, "") if student_id.isdigit() else ("", student_id)


def canvas_rows(students, assignments):
    """The rows of the Canvas CSV (header, Points Possible, one row per learner)."""
    rows = [CANVAS_HEADER + list(assignments)]
    rows.append([POINTS_POSSIBLE, "", "", "", ""] + [number(m) for m in assignments.values()])
    for student_id in sorted(students):
        learner = students[student_id]
        canvas_id, sis_user_id = canvas_ids(student_id, learner["lms_user_id"])
        scores = [
            number(learner["scores"][name]["score"]) if name in learner["scores"] else ""
            for name in assignments
        ]
        rows.append([learner["name"], canvas_id, sis_user_id, "", ""] + scores)
    return rows


def write_canvas_csv(students, assignments, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows(canvas_rows(students, assignments))
    return path


def item_feedback(course_dir, student_id, assignment, gradebook_items):
    """{item: {score, points, code, codes, mistakes, feedback}} of one graded submission, from
    the verdicts of its autograded notebooks; the score is the gradebook's when it has one."""
    folder = Path(course_dir) / "autograded" / student_id / assignment
    items = {}
    for path in sorted(folder.glob("*.ipynb")):
        notebook = report.read_notebook(path)
        for item, verdict in outcomes.verdicts(notebook).items():
            score = gradebook_items.get(f"hidden_{item}", verdict.get("score"))
            items[item] = {
                "score": score,
                "points": verdict.get("points"),
                "code": verdict.get("code"),
                "codes": verdict.get("codes", []),
                "mistakes": verdict.get("mistakes", []),
                "feedback": verdict.get("report", ""),
            }
    return items


def learner_record(course_dir, student_id, learner, assignments, findings):
    """The JSON document of one learner (module docstring)."""
    record = {"student": student_id, "name": learner["name"], "assignments": {}}
    total = maximum = 0.0
    for name, max_score in assignments.items():
        graded = learner["scores"].get(name)
        entry = {
            "submitted": graded is not None,
            "score": graded["score"] if graded else None,
            "max_score": graded["max_score"] if graded else max_score,
            "items": item_feedback(course_dir, student_id, name, graded["items"]) if graded else {},
            "findings": [
                {"code": f.code, "finding": f.name, "detail": f.detail}
                for f in findings
                if f.student == student_id and f.assignment == name
            ],
        }
        total += entry["score"] or 0.0
        maximum += entry["max_score"]
        record["assignments"][name] = entry
    record["total"] = {"score": total, "max_score": maximum}
    return record


def write_learner_json(course_dir, students, assignments, folder):
    """Write ``<folder>/<student>.json`` for every learner; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    found = report.findings(course_dir)
    paths = []
    for student_id in sorted(students):
        record = learner_record(course_dir, student_id, students[student_id], assignments, found)
        path = folder / f"{student_id}.json"
        path.write_text(json.dumps(record, indent=1) + "\n")
        paths.append(path)
    return paths


def write_exports(course_dir=COURSE_DIR):
    """Write the Canvas CSV and the learners' JSON files; return {what: path}."""
    course_dir = Path(course_dir)
    students, assignments = read_gradebook(course_dir)
    exports = course_dir / EXPORTS_FOLDER
    canvas = write_canvas_csv(students, assignments, exports / CANVAS_CSV)
    write_learner_json(course_dir, students, assignments, exports / LEARNERS_FOLDER)
    return {"canvas": canvas, "learners": exports / LEARNERS_FOLDER}
