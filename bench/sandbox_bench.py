"""What the sandbox costs per graded notebook: the same submission graded with and without it.

    python bench/sandbox_bench.py                      # 01_unroll and 03_conv2d, 5 rounds
    python bench/sandbox_bench.py --assignments 08_fast --rounds 3

For each assignment: release it into a temporary course, submit the model answers, then grade
that one submission with ``nbgrader autograde --force`` alternately in the sandbox and with
``AUTOGRADER_UNSAFE_NO_SANDBOX=1`` (everything else equal), ``rounds`` times each, and report
the medians of the wall time per notebook and the overhead.  Also times the start of a bare
sandboxed interpreter (``import numpy``) against the same interpreter started plainly.
Prints the load average; saves results/bench/sandbox_bench.json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from autograder import course, samples, sandbox  # noqa: E402

OUT = REPOSITORY / "results" / "bench" / "sandbox_bench.json"


def timed(argv, env=None, cwd=None):
    start = time.perf_counter()
    completed = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed:\n{completed.stdout[-2000:]}{completed.stderr}")
    return time.perf_counter() - start


def interpreter_start(rounds):
    """Medians (plain, sandboxed) of starting the learner interpreter and importing numpy."""
    code = ["-I", "-c", "import numpy"]
    plain = [str(sandbox.LEARNER_ENV / "bin" / "python"), *code]
    boxed = sandbox.command([f"{sandbox.LEARNER_MOUNT}/bin/python", *code])
    times = {"plain": [], "sandboxed": []}
    for _ in range(rounds):
        times["plain"].append(timed(plain))
        times["sandboxed"].append(timed(boxed))
    return {name: statistics.median(values) for name, values in times.items()}


def notebook_times(assignment_id, rounds, course_dir):
    course.release([assignment_id], course_dir, 1)
    samples.write_samples(course_dir, [assignment_id], ("ada",))
    nbgrader = [str(REPOSITORY / ".venv" / "bin" / "nbgrader"), "autograde", assignment_id]
    nbgrader += ["--student", "ada", "--force"]
    base = dict(os.environ, PATH=f"{REPOSITORY / '.venv' / 'bin'}:{os.environ['PATH']}")
    base.pop(sandbox.UNSAFE_VARIABLE, None)
    modes = {"sandboxed": base, "unsandboxed": dict(base, **{sandbox.UNSAFE_VARIABLE: "1"})}
    times = {mode: [] for mode in modes}
    graded = Path(course_dir) / "autograded" / "ada" / assignment_id / f"{assignment_id}.ipynb"
    timed(nbgrader, env=base, cwd=course_dir)  # warm caches once
    for _ in range(rounds):
        for mode, env in modes.items():
            times[mode].append(timed(nbgrader, env=env, cwd=course_dir))
            if "GradingStopped" in graded.read_text():  # a run that executed nothing is no time
                raise RuntimeError(f"{assignment_id} was not executed ({mode}): see {graded}")
    return {mode: statistics.median(values) for mode, values in times.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", nargs="+", default=["01_unroll", "03_conv2d"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sandbox.require()
    load_before = os.getloadavg()
    results = {"interpreter_start_s": interpreter_start(args.rounds), "notebooks": {}}
    print(
        "interpreter + import numpy: plain {plain:.3f} s, sandboxed {sandboxed:.3f} s".format(
            **results["interpreter_start_s"]
        )
    )
    for assignment_id in args.assignments:
        with tempfile.TemporaryDirectory() as course_dir:
            medians = notebook_times(assignment_id, args.rounds, course_dir)
        overhead = medians["sandboxed"] / medians["unsandboxed"] - 1
        results["notebooks"][assignment_id] = {**medians, "overhead": overhead}
        print(
            f"{assignment_id}: per notebook (median of {args.rounds}) sandboxed "
            f"{medians['sandboxed']:.2f} s, unsandboxed {medians['unsandboxed']:.2f} s, "
            f"overhead {overhead:+.1%}  TARGET <= +10%: {'PASS' if overhead <= 0.10 else 'MISS'}"
        )
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    results["command"] = "python bench/sandbox_bench.py " + " ".join(argv or sys.argv[1:])
    results["date"] = time.strftime("%Y-%m-%d %H:%M")
    print(f"load average before {load_before}, after {os.getloadavg()}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
