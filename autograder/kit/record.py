"""The recorder that hidden test cells run: call the learner's function, emit what it returned.

It decides nothing.  For every case it builds the inputs (``cases.make_inputs``), calls the
function, and packs the outputs (or the exception) into one display output of MIME type
:data:`MIME`.  The trusted judge, outside the kernel, regenerates the same inputs, runs the
reference and scores; it reads only this record, so nothing else the kernel prints can matter.

Two things only the kernel can see are recorded as flags: an input modified in place, and an
output that shares memory with an input.

Each case has a time limit (``seconds``, from the item's ``case_seconds``): a case that runs
longer is interrupted and recorded as failed, and the item's remaining cases are not run, so an
infinite loop costs one limit, not one per case.
"""

import base64
import io

import numpy as np

from .cases import make_inputs
from .drivers import DRIVERS
from .limits import CaseTimeout, time_limit

MIME = "application/vnd.conv-course.record+json"

# Where records go: None means "display them in the running IPython kernel"; the catalogue's fast
# path (run_cells.py) sets a callable that collects them instead.
SINK = None


def snapshot(inputs):
    """Copies of the array inputs, to detect in-place modification after the call."""
    return {name: value.copy() for name, value in inputs.items() if isinstance(value, np.ndarray)}


def side_effects(inputs, before, outputs, allow_views=False):
    """Flags for the contract rules only the kernel can check: inputs untouched, no views."""
    flags = []
    for name, original in before.items():
        if not np.array_equal(inputs[name], original, equal_nan=True):
            flags.append(f"modified its input {name} in place")
    for index, output in enumerate(outputs if not allow_views else []):
        for name in before:
            if isinstance(output, np.ndarray) and np.shares_memory(output, inputs[name]):
                flags.append(f"output {index} shares memory with input {name} (return a copy)")
    return flags


def record_case(function, case, positional, arrays, key, driver=DRIVERS["call"], seconds=None):
    """Run one case; store its outputs in ``arrays`` under ``key``; return its JSON summary."""
    inputs = make_inputs(case)
    before = snapshot(inputs)
    try:
        with time_limit(seconds):
            outputs = driver.run(function, inputs, positional)
    except CaseTimeout:
        return {
            "error": f"TimeoutError: the case ran longer than its {seconds:g} s limit",
            "timeout": True,
        }
    except Exception as error:  # the learner's bug is data here, not a crash of the recorder
        return {"error": f"{type(error).__name__}: {error}"}
    types = []
    for index, output in enumerate(outputs):
        types.append(type(output).__name__)
        try:
            array = np.asarray(output)
        except Exception as error:
            return {"error": f"output {index} is not an array ({type(error).__name__}: {error})"}
        if array.dtype == object:
            return {"error": f"output {index} is a {type(output).__name__} of non-numbers"}
        arrays[f"{key}_{index}"] = array
    return {"types": types, "flags": side_effects(inputs, before, outputs, driver.allow_views)}


def encode(arrays):
    """Arrays -> base64 text of an .npz file (no pickles: the judge loads it safely)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


MAX_DECODED_BYTES = 256 * 1024**2  # all arrays of one record, uncompressed


class RecordTooLarge(ValueError):
    """A record whose arrays would take more memory than :data:`MAX_DECODED_BYTES`."""


def decode(text, max_bytes=MAX_DECODED_BYTES):
    """Inverse of :func:`encode`; refuses pickled objects, compressed members and records whose
    arrays, uncompressed, exceed ``max_bytes`` (checked from the zip directory before anything
    is decompressed, so a small zip bomb is refused without being inflated)."""
    import zipfile

    raw = base64.b64decode(text, validate=True)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = archive.infolist()
        if any(member.compress_type != zipfile.ZIP_STORED for member in members):
            raise RecordTooLarge("compressed members are not accepted (np.savez writes none)")
        if sum(member.file_size for member in members) > max_bytes:
            raise RecordTooLarge(f"the arrays would take over {max_bytes} bytes")
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def record(item, function, cases, positional, driver="call", seconds=None):
    """Run ``function`` on every case and emit one record.

    Args:
        item: the item's name in the grading spec (for example ``"conv1d_unroll"``).
        function: the learner's function (or class, for the layer and optimizer drivers).
        cases: list of case dicts (see ``cases.py``).
        positional: argument names passed positionally.
        driver: name of the driver that runs a case (``drivers.DRIVERS``).
        seconds: time limit of one case (None: no limit).
    """
    arrays, summaries = {}, []
    for number, case in enumerate(cases):
        if any(summary.get("timeout") for summary in summaries):
            summaries.append({"error": "TimeoutError: not run, an earlier case ran out of time"})
            continue
        summaries.append(
            record_case(function, case, positional, arrays, f"c{number}", DRIVERS[driver], seconds)
        )
    payload = {"item": item, "cases": summaries, "npz": encode(arrays)}
    failed = sum("error" in summary for summary in summaries)
    text = (
        f"{item}: recorded {len(cases)} hidden cases ({failed} raised an exception); "
        "the judge scores them after the run."
    )
    bundle = {MIME: payload, "text/plain": text}
    if SINK is not None:
        SINK(bundle)
    else:
        from IPython.display import display

        display(bundle, raw=True)
