"""Execute notebook code cells in one plain Python process: the catalogue's fast path.

Starting a Jupyter kernel per submission costs seconds; checking a catalogue of 40 known mistakes
that way is too slow.  This runner executes the same cell sources in order, in one namespace, with
the learner environment's python, and collects each graded cell's outputs in the nbformat shape
the judge reads during ``nbgrader autograde`` (display_data records, error outputs).

Usage (from the released assignment folder, so ``grading_kit`` and the fixtures are found):
    python -m grading_kit.run_cells job.json result.json
job.json: {"cells": [{"grade_id": "hidden_conv1d_unroll" or null, "source": "..."}, ...]}
result.json: {"hidden_conv1d_unroll": [output, ...], ...}
"""

import json
import sys
import traceback

from . import record


def plain_python(source):
    """Cell source with IPython-only lines (%magics, !shell) commented out."""
    return "\n".join(
        f"# {line}" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )


def error_output(error):
    """An nbformat error output for an exception raised by a cell."""
    return {
        "output_type": "error",
        "ename": type(error).__name__,
        "evalue": str(error),
        "traceback": traceback.format_exception_only(type(error), error),
    }


def run(cells):
    """Execute ``cells`` in order in one namespace; return outputs of cells that have a grade_id."""
    namespace = {"__name__": "__main__"}
    results = {}
    for cell in cells:
        outputs = []
        record.SINK = lambda bundle, outputs=outputs: outputs.append(
            {"output_type": "display_data", "data": bundle, "metadata": {}}
        )
        try:
            source = plain_python(cell["source"])
            exec(compile(source, cell.get("grade_id") or "<cell>", "exec"), namespace)
        except Exception as error:  # a failing cell is data for the judge, like in a notebook
            outputs.append(error_output(error))
        if cell.get("grade_id"):
            results[cell["grade_id"]] = outputs
    record.SINK = None
    return results


def main(argv):
    job_path, result_path = argv
    with open(job_path) as job:
        cells = json.load(job)["cells"]
    results = run(cells)
    with open(result_path, "w") as result:
        json.dump(results, result)


if __name__ == "__main__":
    main(sys.argv[1:])
