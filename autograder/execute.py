"""nbgrader's Execute with the limits a class of untrusted notebooks needs.

:class:`GuardedExecute` replaces ``Execute`` in ``Autograde.autograde_preprocessors``:

- per cell: nbgrader's timeout (``Execute.timeout``); on expiry the kernel is interrupted and
  the cell gets a ``CellTimeoutError`` output;
- per notebook: a wall-clock budget (``notebook_timeout``); cells after it is used up are not run;
- a dead kernel (``os._exit``, a crash, the memory cap of the grading kernel), or one that
  ignores the interrupt sent at a cell's timeout: that cell and every later cell get an error
  output saying so, instead of the whole submission failing to grade; items recorded before
  keep their score;
- huge outputs: at most ``max_output_chars`` of output per cell (a hidden test cell's records
  excepted, which the judge bounds itself) and ``max_notebook_bytes`` for the whole notebook,
  records included;
- ``AUTOGRADER_SKIP_EXECUTION=<reason>`` in the environment: run nothing, every code cell gets
  the reason (the grade command uses it after a submission exceeded its hard time limit, so the
  submission still gets zero grades with that reason in the gradebook);
- the kernel always runs in the sandbox (:mod:`autograder.sandbox`), whatever kernelspec the
  notebook names, and sees only the non-notebook files of the assignment's *source* folder
  (fixtures, the recording kit), never the submission's extra files; where no sandbox can be
  made, execution is refused (every cell gets the reason) unless ``AUTOGRADER_UNSAFE_NO_SANDBOX=1``;
- what protected the run, and what happened to each cell (timeouts, a dead kernel, cells not
  run, dropped output, a memory error, a missing kit), is written into the notebook's metadata
  (:data:`RUN_KEY`) as codes (autograder/outcomes.py), for the judge and the report.

Every such output is an error named :data:`STOPPED`; the judge shows its text as the reason.
"""

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from autograder import sandbox, trusted
from autograder.kit import datasets
from autograder.kit.drivers import heldout_file
from autograder.kit.record import MIME
from autograder.outcomes import RUN_KEY
from autograder.settings import (
    MAX_NOTEBOOK_OUTPUT_BYTES,
    MAX_OUTPUT_CHARS,
    NOTEBOOK_TIMEOUT_SECONDS,
)
from autograder.spec import TEST_PREFIXES

STOPPED = "GradingStopped"
SKIP_VARIABLE = "AUTOGRADER_SKIP_EXECUTION"
# Errors a test cell (whose source is the release's) raises only when the kit or fixtures are gone.
KIT_ERRORS = ("ModuleNotFoundError", "ImportError", "FileNotFoundError")
TRUSTED_KEY = "conv_trusted"  # resources: the trusted.Loaded of this notebook, for the judge


def course_root(resources):
    """The course root, from nbgrader's resources (the notebook runs in
    <course>/autograded/<student>/<assignment>)."""
    return Path(resources.get("metadata", {}).get("path", ".")).resolve().parents[2]


def source_folder(resources):
    """The assignment's source folder."""
    return course_root(resources) / "source" / resources["nbgrader"]["assignment"]


def heldout_images(assignment, seed, folder):
    """Write the held-out images (never the labels) of every hidden classifier case, drawn
    from the secret ``seed``, where kit/drivers.py heldout_file expects them."""
    for item in assignment.items:
        if item.driver != "classifier":
            continue
        for case in item.hidden:
            data = case["data"]
            images = datasets.make_split(**data, test_seed=seed)[2]
            path = Path(folder) / Path(heldout_file(data)).name
            np.save(path, images, allow_pickle=False)


def cell_name(cell, index):
    """How events name a cell: its nbgrader grade_id, else ``cell <index>``."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"


def stopped_output(reason):
    """The error output of a cell that was not run (or not finished), with the reason."""
    return new_output("error", ename=STOPPED, evalue=reason, traceback=[f"{STOPPED}: {reason}"])


class GuardedExecute(Execute):
    """Execute that never lets one notebook stall or abort a grading batch (module docstring)."""

    notebook_timeout = Integer(
        NOTEBOOK_TIMEOUT_SECONDS,
        help="Wall-clock seconds for a whole notebook; later cells are not run.",
    ).tag(config=True)
    max_output_chars = Integer(
        MAX_OUTPUT_CHARS, help="Printed characters kept per cell; the rest is dropped."
    ).tag(config=True)
    max_notebook_bytes = Integer(
        MAX_NOTEBOOK_OUTPUT_BYTES,
        help="All outputs of the notebook, records included; the rest is dropped.",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = sandbox.SandboxKernelManager
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        self.started = time.monotonic()
        self.stopped = os.environ.get(SKIP_VARIABLE, "")
        self.stop_code = "execution_skipped" if self.stopped else ""
        self.cell_timeout = self.timeout
        self.notebook_bytes = 0
        unsafe = sandbox.unsafe()
        if not self.stopped and not unsafe and sandbox.availability():
            self.stopped = f"not run: no sandbox can be made here ({sandbox.availability()})"
            self.stop_code = "no_sandbox"
        # Everything the judge uses is loaded and checked now, before any learner code runs.
        loaded = trusted.Loaded(resources["nbgrader"]["assignment"], course_root(resources))
        resources[TRUSTED_KEY] = loaded
        if loaded.changed and not self.stopped:
            self.stopped = (
                "not run: files the judge relies on changed since the release "
                f"({', '.join(loaded.changed[:3])}); release the assignment again"
            )
            self.stop_code = "judge_files_changed"
        nb.metadata[RUN_KEY] = {"sandbox": "none" if unsafe else "bubblewrap", "events": []}
        self.run_events = nb.metadata[RUN_KEY]["events"]  # the stored list (nbformat copies)
        if self.stopped:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    cell.outputs = [stopped_output(self.stopped)]
                    self.event("stopped", cell, index, self.stopped)
            return nb, resources
        self.sandbox_files = sandbox.scratch_files(source_folder(resources))
        self.sandboxed = not unsafe
        classifiers = any(item.driver == "classifier" for item in loaded.assignment.items)
        if not (self.sandboxed and classifiers):  # nothing to hide, or no sandbox to hide it in
            loaded.heldout_seed = None  # the default held-out split
            return super().preprocess(nb, resources, km)
        heldout = tempfile.mkdtemp(prefix="conv-heldout-")
        try:
            heldout_images(loaded.assignment, loaded.heldout_seed, heldout)
            os.chmod(heldout, 0o755)
            self.sandbox_files.append((heldout, f"{sandbox.SCRATCH}/heldout"))
            return super().preprocess(nb, resources, km)
        finally:
            shutil.rmtree(heldout, ignore_errors=True)

    def event(self, code, cell, index, detail=""):
        """Record what happened to a cell, as a code (autograder/outcomes.py EVENTS)."""
        event = {"code": code, "cell": cell_name(cell, index)}
        if code == "stopped":
            event["cause"] = self.stop_code
        if detail:
            event["detail"] = detail
        self.run_events.append(event)

    def error_events(self, cell, index):
        """Codes of the errors a cell's outputs hold (by exception name, never by message)."""
        names = [out.get("ename") for out in cell.get("outputs", []) if out.get("ename")]
        if "CellTimeoutError" in names:  # nbgrader's error_on_timeout, after the interrupt
            self.event("timeout", cell, index, f"over {self.timeout} s")
        if "MemoryError" in names:
            self.event("memory", cell, index)
        is_test = cell_name(cell, index).startswith(TEST_PREFIXES)
        if is_test and any(name in KIT_ERRORS for name in names):
            self.event("kit_missing", cell, index, ", ".join(n for n in names if n in KIT_ERRORS))

    def create_kernel_manager(self):
        self.km = sandbox.SandboxKernelManager(
            config=self.config, files=self.sandbox_files, sandboxed=self.sandboxed
        )
        return self.km

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        self.km.seal()  # the kernel has bound its sockets: it may not replace them any more
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        remaining = self.notebook_timeout - (time.monotonic() - self.started)
        if not self.stopped and remaining <= 1:
            self.stopped = (
                f"not run: the notebook used up its time limit ({self.notebook_timeout} s)"
            )
            self.stop_code = "notebook_timeout"
            self.event("notebook_timeout", cell, index, f"{self.notebook_timeout} s")
        if self.stopped:
            cell.outputs = [stopped_output(self.stopped)]
            self.event("stopped", cell, index, self.stopped)
            return cell, resources
        self.timeout = int(min(self.cell_timeout or remaining, remaining))
        self.output_chars, self.output_dropped = 0, False
        metadata = cell.get("metadata", {}).get("nbgrader", {})
        self.records_allowed = bool(metadata.get("grade")) and metadata.get(
            "grade_id", ""
        ).startswith("hidden_")  # records count as printed text in every other cell
        self.current = (cell, index)  # output() names the cell whose output it drops
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
            self.error_events(cell, index)
            return cell, resources
        except DeadKernelError:
            here = "the kernel died while running this cell (exit, crash or memory limit)"
            self.stopped = f"not run: the kernel died in an earlier cell (number {index})"
            self.stop_code = "kernel_died"
        except CellTimeoutError:
            here = "this cell ran over its time limit and the kernel ignored the interrupt"
            self.stopped = f"not run: an earlier cell (number {index}) could not be stopped"
            self.stop_code = "timeout_ignored"
        except Exception as error:  # any other failure stops this notebook, never the batch
            here = f"grading could not run this cell ({type(error).__name__}: {error})"
            self.stopped = f"not run: grading stopped at an earlier cell (number {index})"
            self.stop_code = "grading_error"
        finally:
            self.timeout = self.cell_timeout
        self.event(self.stop_code, cell, index, here)
        self.error_events(cell, index)
        cell.outputs = list(cell.get("outputs", [])) + [stopped_output(here)]
        return cell, resources

    def drop(self, outs, cause, text):
        """Say once per cell that outputs were dropped (and record the code); drop this one."""
        if not self.output_dropped:
            self.output_dropped = True
            self.event("output_dropped", *self.current, cause)
            outs.append(new_output("stream", name="stderr", text=f"\n[{text} dropped]\n"))

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(json.dumps(content))
        self.notebook_bytes += size
        if self.notebook_bytes > self.max_notebook_bytes:  # records count too
            text = f"outputs over {self.max_notebook_bytes} bytes"
            return self.drop(outs, "notebook limit", text)
        if not (self.records_allowed and MIME in content.get("data", {})):
            self.output_chars += size
            if self.output_chars > self.max_output_chars:
                text = f"output over {self.max_output_chars} characters"
                return self.drop(outs, "cell limit", text)
        return super().output(outs, msg, display_id, cell_index)
