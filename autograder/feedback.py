"""What the feedback HTML may show of a hidden test cell: the judge's report, never the tests.

``nbgrader generate_feedback`` renders the autograded notebook, hidden test cells included: their
source holds the hidden case list.  :class:`HideHiddenTests` (placed in
``GenerateFeedback.preprocessors`` by autograder/course_config.py, so plain ``nbgrader
generate_feedback`` uses it too) replaces the source of every hidden test cell with one line
saying where its report is; the cell's outputs (the judge's report and the score) stay.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"
HIDDEN_NOTE = "# Hidden tests: run by the grader outside your notebook. The judge's report:"


def is_hidden_test(cell):
    """True for a hidden test cell (grade_id ``hidden_...``) or any cell holding hidden tests."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""
    source = cell.get("source", "")
    source = source if isinstance(source, str) else "".join(source)
    return grade_id.startswith("hidden_") or HIDDEN_MARKER in source


class HideHiddenTests(NbGraderPreprocessor):
    """Replace the source of hidden test cells with :data:`HIDDEN_NOTE` (outputs kept)."""

    def preprocess_cell(self, cell, resources, index):
        if is_hidden_test(cell):
            cell.source = HIDDEN_NOTE
        return cell, resources
