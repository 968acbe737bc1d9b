"""Timing a learner's function so that nothing in the submission can fake it (assignment 8).

The kernel's own timing (``SpeedDriver`` in the kit) is only a hint for the learner's visible
test: code in the same process can patch any clock or baseline.  The judge instead measures
from the outside, with :func:`measure`:

1. a fresh sandbox (:mod:`autograder.sandbox`) runs :data:`HARNESS`: it executes the notebook's
   code cells (answers and given code; test cells are skipped), takes the function by name and
   says ``READY``;
2. the judge then sends ``GO`` with a seed and a number of calls *chosen now*: the harness draws
   that many fresh inputs from the seed (so no work can be done before the window opens), calls
   the function on each, and sends back, for each call, the output's projection on a random
   vector drawn from the same seed;
3. the window closes when the judge has read every projection: it checks :data:`CHECKED` calls
   chosen at random *after* the window closed against the reference's (so a function that
   skips or fakes calls is caught unless it computes nearly all of them) and takes the CPU
   time that every
   process of the sandbox used inside the window, read from ``/proc`` by the judge (threads,
   children and reaped children included, so neither parallel threads nor helper processes
   hide work, and no clock inside the sandbox is consulted);
4. the number of calls grows until the window holds at least :data:`MIN_WINDOW_SECONDS` of CPU
   time (the clock ticks are 10 ms); the sandbox is then destroyed.

The baseline (the kit's loop ``conv2d_loops``) is measured the same way in sandboxes of its own
that contain no learner code, alternating with the learner's function; the speed-up is the ratio
of the medians of the per-call CPU times.  Learner code can make its own measurement slower,
never faster than the work its correct outputs need, and cannot reach the baseline's sandbox.
"""

import json
import os
import secrets
import subprocess
import time

import numpy as np

from autograder import sandbox
from autograder.kit.cases import make_inputs
from autograder.spec import TEST_PREFIXES

MIN_WINDOW_SECONDS = 0.4
MAX_CALLS = 1 << 16
CHECKED = 12  # calls of each window whose projection is checked against the reference
ROUNDS = 2  # baseline, learner, baseline, learner
STEP_SECONDS = 60  # wall-clock limit of one step (start, or one window)
TICKS = os.sysconf("SC_CLK_TCK")

HARNESS = r"""
import json, os, sys
protocol = os.fdopen(os.dup(1), "w", buffering=1)  # learner code prints to /dev/null
quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(quiet, 1)
os.dup2(quiet, 2)
import numpy as np
from grading_kit.cases import make_inputs
from grading_kit.drivers import call, conv2d_loops
spec = json.loads(sys.stdin.readline())
namespace = {"__name__": "__main__"}
for source in spec["cells"]:
    try:
        exec(compile(source, "<answer>", "exec"), namespace)
    except BaseException as error:
        pass
function = conv2d_loops if spec["baseline"] else namespace.get(spec["name"])
print("READY" if callable(function) else "MISSING", file=protocol)
for line in sys.stdin:
    go = json.loads(line)
    cases = [make_inputs({**spec["case"], "seed": go["seed"] + n}) for n in range(go["calls"])]
    rng = np.random.default_rng(go["seed"])
    projections = []
    for inputs in cases:
        arguments = {k: v for k, v in inputs.items() if k not in spec["control"]}
        output = np.asarray(call(function, arguments, spec["positional"]), dtype=np.float64)
        projections.append(float(np.sum(output * rng.standard_normal(output.shape))))
    print(json.dumps(projections), file=protocol)
"""


class SpeedError(RuntimeError):
    """The function could not be timed (missing, raised, wrong output, too slow)."""


def process_tree_cpu(root):
    """CPU seconds used by ``root`` and all its descendants, living, zombie or reaped (utime,
    stime and their children's), read from /proc by this (trusted) process."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    total, frontier, seen = 0, [root], set()
    while frontier:
        pid = frontier.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        frontier += [child for child, (parent, _) in stats.items() if parent == pid]
    return total / TICKS


def code_cells(nb):
    """Sources of the notebook's code cells that are not test cells, in order."""
    sources = []
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell.get("cell_type") == "code" and not grade_id.startswith(TEST_PREFIXES):
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else source)
    return sources


class Lines:
    """Lines from a pipe, each read before a deadline, at most MAX_LINE bytes."""

    MAX_LINE = 16 * 1024**2

    def __init__(self, pipe):
        self.fd, self.buffer = pipe.fileno(), b""

    def read(self, deadline):
        import select

        while b"\n" not in self.buffer:
            if len(self.buffer) > self.MAX_LINE:
                raise SpeedError("the timing process wrote too much")
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise SpeedError("the timed calls ran out of time")
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise SpeedError("the timing process stopped (exit, crash or memory limit)")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace")


def per_call_seconds(spec, files, reference):
    """Start one sandbox, run growing windows until one holds MIN_WINDOW_SECONDS; return the
    CPU seconds per call of that window. ``reference(seed, calls)`` gives the projections
    the calls must return."""
    cgroup = sandbox.Cgroup()
    argv = cgroup.wrap(
        sandbox.command(
            [f"{sandbox.LEARNER_MOUNT}/bin/python", "-E", "-s", "-c", HARNESS], read_only=files
        )
    )
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    lines = Lines(process.stdout)
    try:
        process.stdin.write(json.dumps(spec) + "\n")
        process.stdin.flush()
        if lines.read(time.monotonic() + STEP_SECONDS).strip() != "READY":
            raise SpeedError(f"{spec['name']} is not defined by the notebook's code cells")
        calls = 1
        while True:
            seed = secrets.randbelow(2**31)
            start = process_tree_cpu(process.pid)
            process.stdin.write(json.dumps({"seed": seed, "calls": calls}) + "\n")
            process.stdin.flush()
            line = lines.read(time.monotonic() + STEP_SECONDS)
            used = process_tree_cpu(process.pid) - start
            got = np.asarray(json.loads(line), dtype=np.float64)
            if got.shape != (calls,):
                raise SpeedError(f"the timed calls returned {got.size} results, not {calls}")
            checked = sorted(secrets.SystemRandom().sample(range(calls), min(calls, CHECKED)))
            if not np.allclose(got[checked], reference(seed, calls, checked), rtol=1e-3, atol=1e-3):
                raise SpeedError("the timed calls returned wrong outputs")
            if used >= MIN_WINDOW_SECONDS or calls >= MAX_CALLS:
                return used / calls
            grow = 8 if used < MIN_WINDOW_SECONDS / 8 else 1.25 * MIN_WINDOW_SECONDS / used
            calls = min(MAX_CALLS, max(calls + 1, int(calls * grow)))
    except (OSError, ValueError, TypeError) as error:
        raise SpeedError(f"the timing process failed ({type(error).__name__})") from error
    finally:
        process.kill()
        process.wait()
        cgroup.remove()


def measure(nb, item, case, files):
    """Trusted speed-up of ``item``'s function over the loop baseline on ``case``.

    Args:
        nb: the executed notebook (its code cells define the function).
        item: the speed item (``item.target`` is the function's name).
        case: one hidden case (array specs, ``min_speedup``...).
        files: what the harness may read (sandbox.scratch_files of the source folder: the kit).

    Returns:
        (speed-up, detail text).  Raises :class:`SpeedError`.
    """
    from autograder.kit.drivers import SpeedDriver, call

    control = list(SpeedDriver.CONTROL)
    reference_function = item.reference_function()

    def reference(seed, calls, checked):
        """Projections of the calls numbered ``checked`` (the harness draws one projection
        vector per call from one generator, in order, so earlier draws are replayed)."""
        rng = np.random.default_rng(seed)
        projections, wanted = {}, set(checked)
        for n in range(max(checked) + 1):
            inputs = make_inputs({**case, "seed": seed + n})
            shape = output_shape(inputs) if n not in wanted else None
            if shape is not None:
                rng.standard_normal(shape)
                continue
            arguments = {k: v for k, v in inputs.items() if k not in control}
            output = np.asarray(call(reference_function, arguments, item.positional()), float)
            projections[n] = float(np.sum(output * rng.standard_normal(output.shape)))
        return np.asarray([projections[n] for n in checked])

    shapes = {}

    def output_shape(inputs):
        key = tuple(np.shape(value) for value in inputs.values())
        if key not in shapes:
            arguments = {k: v for k, v in inputs.items() if k not in control}
            shapes[key] = np.shape(call(reference_function, arguments, item.positional()))
        return shapes[key]

    base = {
        "cells": code_cells(nb),
        "name": item.target,
        "case": case,
        "control": control,
        "positional": list(item.positional()),
    }
    baseline, learner = [], []
    for _ in range(ROUNDS):
        baseline.append(per_call_seconds({**base, "cells": [], "baseline": True}, files, reference))
        learner.append(per_call_seconds({**base, "baseline": False}, files, reference))
    slow, fast = float(np.median(baseline)), float(np.median(learner))
    detail = (
        f"measured outside the kernel: {fast * 1e3:.3f} ms of CPU per call against "
        f"{slow * 1e3:.3f} ms for the loop baseline"
    )
    return slow / max(fast, 1e-9), detail
