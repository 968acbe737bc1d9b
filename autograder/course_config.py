"""nbgrader settings of the course, applied by the generated course root's nbgrader_config.py.

``python -m autograder.build`` writes ``_build/course/nbgrader_config.py`` containing only
``configure(c)``; keeping the settings here keeps them in the repository, reviewed and tested.
"""

import os
from pathlib import Path

import nbgrader
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

from autograder import database
from autograder.execute import GuardedExecute
from autograder.feedback import HideHiddenTests
from autograder.preprocessor import JudgeHiddenTests, RestoreTestCells
from autograder.settings import (  # noqa: F401 (NOTEBOOK_TIMEOUT_SECONDS: read by course.py)
    CELL_TIMEOUT_SECONDS,
    MAX_NOTEBOOK_OUTPUT_BYTES,
    MAX_OUTPUT_CHARS,
    NOTEBOOK_TIMEOUT_SECONDS,
)

COURSE_ID = "convolution-from-scratch"
FEEDBACK_TEMPLATES = Path(__file__).parent / "feedback_templates"
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions/formgrader/templates"
LEARNER_KERNEL = "conv-learner"  # registered by autograder/setup_learner_kernel.sh
GRADING_KERNEL = "conv-grading"  # the sandboxed kernel (autograder/sandbox.py), built in code


def configure(c):
    """Apply the course's settings to the nbgrader config object ``c``."""
    c.CourseDirectory.course_id = COURSE_ID
    if os.environ.get(database.URL_VARIABLE):  # --db URL (autograder/database.py)
        c.CourseDirectory.db_url = database.normalise(os.environ[database.URL_VARIABLE])
    # The learner's code always runs in the sandboxed kernel (autograder/sandbox.py), whatever
    # kernelspec the submitted notebook names: the kernel manager builds its spec in code.
    c.GuardedExecute.kernel_name = GRADING_KERNEL
    c.GuardedExecute.timeout = CELL_TIMEOUT_SECONDS
    c.GuardedExecute.interrupt_on_timeout = True
    c.GuardedExecute.notebook_timeout = NOTEBOOK_TIMEOUT_SECONDS
    c.GuardedExecute.max_output_chars = MAX_OUTPUT_CHARS
    c.GuardedExecute.max_notebook_bytes = MAX_NOTEBOOK_OUTPUT_BYTES
    # Deleted test cells are put back by RestoreTestCells (nbgrader's add_missing_cells fails
    # when the cell before a deleted one is not a grade or solution cell).  Edited locked cells
    # are restored by OverwriteCells from the checksums saved at generate_assignment.
    c.Autograde.sanitize_preprocessors = [
        ClearOutput,  # whatever the submission's outputs claim is dropped before execution
        DeduplicateIds,
        OverwriteKernelspec,
        OverwriteCells,
        RestoreTestCells,
        CheckCellMetadata,
    ]
    c.Autograde.autograde_preprocessors = [
        GuardedExecute,  # nbgrader's Execute plus a notebook time limit, dead kernels, output cap
        JudgeHiddenTests,  # after the kernel ran, before outputs are trimmed and scores saved
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # Feedback shows the judge's report of each hidden item, never the hidden cells' source
    # (their case lists): nbgrader's own list, with HideHiddenTests before the rendering.
    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    # nbgrader's feedback template, with a mathjax macro that loads nothing (the math is MathML)
    c.HTMLExporter.extra_template_basedirs = [str(FEEDBACK_TEMPLATES), str(NBGRADER_TEMPLATES)]
