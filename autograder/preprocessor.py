"""The judge as an nbgrader preprocessor, so plain ``nbgrader autograde`` uses it.

course_config.py places :class:`JudgeHiddenTests` in ``Autograde.autograde_preprocessors`` right
after ``Execute`` (the learner's kernel has run) and before ``LimitOutput`` (which would truncate
the records) and ``SaveAutoGrades`` (which reads the scores the judge wrote).
"""

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder import sandbox, speed, trusted
from autograder.execute import TRUSTED_KEY, course_root, source_folder
from autograder.judge import Trusted, grade_notebook
from autograder.spec import EXERCISES, load_assignment


class JudgeHiddenTests(NbGraderPreprocessor):
    """Replace every hidden test cell's outputs with the judge's report and score."""

    exercises_dir = Unicode(
        str(EXERCISES), help="Folder holding one grading spec per assignment (NN_name/grading.py)."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        loaded = resources.get(TRUSTED_KEY) or trusted.Loaded(
            resources["nbgrader"]["assignment"], course_root(resources), self.exercises_dir
        )
        files = sandbox.scratch_files(source_folder(resources))
        outside = None if sandbox.unsafe() else (lambda i, c: speed.measure(nb, i, c, files))
        verdicts = grade_notebook(nb, loaded.assignment, Trusted(loaded.heldout_seed, outside))
        for verdict in verdicts.values():
            self.log.info("judge: %s %g / %g", verdict.item, verdict.score, verdict.points)
        return nb, resources


class RestoreTestCells(NbGraderPreprocessor):
    """Put back the visible and hidden test cells a submission deleted, from the gradebook.

    nbgrader's own ``OverwriteCells.add_missing_cells`` re-inserts a deleted grade cell after the
    cell that preceded it in the source, and fails on the whole submission when that cell is not a
    grade or solution cell (our visible test cells are neither).  This preprocessor runs in the
    sanitize step, after ``OverwriteCells``: each missing test cell goes back right after its
    item's answer cell (or at the end when the answer cell is gone too), with the source and
    checksum nbgrader stored when the assignment was generated (hidden tests included).
    """

    exercises_dir = Unicode(str(EXERCISES)).tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        assignment = load_assignment(resources["nbgrader"]["assignment"], self.exercises_dir)
        with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
            for item in assignment.items:
                for grade_id in (item.visible_id, item.hidden_id):
                    if grade_id not in cell_ids(nb):
                        self.log.warning("restoring deleted cell %s", grade_id)
                        source = gradebook.find_source_cell(
                            grade_id, resources["nbgrader"]["notebook"], assignment.id
                        )
                        nb.cells.insert(
                            insert_position(nb, item, grade_id),
                            restored_cell(source, item, grade_id),
                        )
        return nb, resources


def cell_ids(nb):
    """grade_ids of the notebook's cells, in order."""
    return [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells]


def insert_position(nb, item, grade_id):
    """Where a missing test cell goes: after the answer (and visible) cell of its item."""
    ids = cell_ids(nb)
    before = [item.answer_id] + ([item.visible_id] if grade_id == item.hidden_id else [])
    positions = [ids.index(cell_id) for cell_id in before if cell_id in ids]
    return max(positions) + 1 if positions else len(ids)


def restored_cell(source_cell, item, grade_id):
    """A locked test cell rebuilt from the gradebook's copy of the source cell."""
    import nbformat

    grade = grade_id == item.hidden_id
    metadata = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
        "checksum": source_cell.checksum,
    }
    if grade:
        metadata["points"] = float(item.points)
    return nbformat.v4.new_code_cell(source_cell.source, metadata={"nbgrader": metadata})
