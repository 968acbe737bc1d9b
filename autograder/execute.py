"""nbgrader's Execute with the limits a class of untrusted notebooks needs.

:class:`GuardedExecute` replaces ``Execute`` in ``Autograde.autograde_preprocessors``:

- per cell: nbgrader's timeout (``Execute.timeout``); on expiry the kernel is interrupted and
  the cell gets a ``CellTimeoutError`` output;
- per notebook: a wall-clock budget (``notebook_timeout``); cells after it is used up are not run;
- a dead kernel (``os._exit``, a crash, the memory cap of the grading kernel), or one that
  ignores the interrupt sent at a cell's timeout: that cell and every later cell get an error
  output saying so, instead of the whole submission failing to grade; items recorded before
  keep their score;
- huge outputs: at most ``max_output_chars`` of printed text per cell (records, which the judge
  bounds itself, are always kept);
- ``AUTOGRADER_SKIP_EXECUTION=<reason>`` in the environment: run nothing, every code cell gets
  the reason (the grade command uses it after a submission exceeded its hard time limit, so the
  submission still gets zero grades with that reason in the gradebook).

Every such output is an error named :data:`STOPPED`; the judge shows its text as the reason.
"""

import json
import os
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from autograder.kit.record import MIME

STOPPED = "GradingStopped"
SKIP_VARIABLE = "AUTOGRADER_SKIP_EXECUTION"


def stopped_output(reason):
    """The error output of a cell that was not run (or not finished), with the reason."""
    return new_output("error", ename=STOPPED, evalue=reason, traceback=[f"{STOPPED}: {reason}"])


class GuardedExecute(Execute):
    """Execute that never lets one notebook stall or abort a grading batch (module docstring)."""

    notebook_timeout = Integer(
        900, help="Wall-clock seconds for a whole notebook; later cells are not run."
    ).tag(config=True)
    max_output_chars = Integer(
        200_000, help="Printed characters kept per cell; the rest is dropped."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self.started = time.monotonic()
        self.stopped = os.environ.get(SKIP_VARIABLE, "")
        self.cell_timeout = self.timeout
        if self.stopped:
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs = [stopped_output(self.stopped)]
            return nb, resources
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        remaining = self.notebook_timeout - (time.monotonic() - self.started)
        if not self.stopped and remaining <= 1:
            self.stopped = (
                f"not run: the notebook used up its time limit ({self.notebook_timeout} s)"
            )
        if self.stopped:
            cell.outputs = [stopped_output(self.stopped)]
            return cell, resources
        self.timeout = int(min(self.cell_timeout or remaining, remaining))
        self.output_chars, self.output_dropped = 0, False
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            here = "the kernel died while running this cell (exit, crash or memory limit)"
            self.stopped = f"not run: the kernel died in an earlier cell (number {index})"
        except CellTimeoutError:
            here = "this cell ran over its time limit and the kernel ignored the interrupt"
            self.stopped = f"not run: an earlier cell (number {index}) could not be stopped"
        except Exception as error:  # any other failure stops this notebook, never the batch
            here = f"grading could not run this cell ({type(error).__name__}: {error})"
            self.stopped = f"not run: grading stopped at an earlier cell (number {index})"
        finally:
            self.timeout = self.cell_timeout
        cell.outputs = list(cell.get("outputs", [])) + [stopped_output(here)]
        return cell, resources

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if MIME not in content.get("data", {}):
            self.output_chars += len(json.dumps(content))
            if self.output_chars > self.max_output_chars:
                if not self.output_dropped:
                    self.output_dropped = True
                    outs.append(
                        new_output(
                            "stream",
                            name="stderr",
                            text=f"\n[output over {self.max_output_chars} characters dropped]\n",
                        )
                    )
                return None
        return super().output(outs, msg, display_id, cell_index)
