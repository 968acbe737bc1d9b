"""How fast a class is graded: a synthetic class of one assignment, graded three ways in one run.

    python bench/grading_bench.py                          # 200 submissions of 01_unroll
    python bench/grading_bench.py --submissions 12 --blocks 2 --rounds 1   # a quick check
    python bench/grading_bench.py --assignment 03_conv2d --mix 50/30/20 --skip-dask

What it does, in this order (issue 9 item 9):

1. **The class.**  Releases the assignment once into a course folder (``--course``, default a
   temporary one) and writes ``--submissions`` learners, ``learner000``, ``learner001``...,
   mixed by ``--mix`` (percentages correct / wrong / hostile, default 60/30/10) in a fixed
   shuffled order, all built by :mod:`autograder.samples` from the released notebook:
   correct = the model answers; wrong = the model answers with one of the assignment's known
   mistakes (``exercises/NN/mistakes/*.py``, cycling) or the untouched stubs; hostile = the model
   answers plus one of mallory's acts (``samples.HOSTILE``, cycling: endless loop, forged record,
   memory hog, ``os._exit``, output flood, deletions, importing the reference, patched recorder).
2. **The machine's parallel factor** ``2 * t1 / t2``: ``t1`` is the wall time of a CPU-bound
   pure-Python loop (about 2 s) in one process alone, ``t2`` the wall time of two copies of it
   started at once; 1.0 means two processes gain nothing, 2.0 that they run fully in parallel.
   ``--rounds`` rounds at the start of the run, one between blocks (4.), ``--rounds`` at the
   end; the figure is the median of every round's factor.
3. **The floor**: what grading one model-answer notebook cannot avoid, measured in this
   process with no nbgrader command, gradebook or file copies around it:
   kernel start (a :class:`autograder.sandbox.SandboxKernelManager` kernel, as grading starts
   it, until it answers) + cells (every code cell of the assignment's source notebook, i.e.
   the model answers with the visible and hidden test cells, whose recorders run the hidden
   cases, executed by nbclient) + judge (:func:`autograder.judge.grade_notebook` on the
   executed notebook: the reference on every hidden case, the comparisons, speed timed outside
   when the assignment has speed items).  One warm-up, then rounds as for the factor; the floor is
   the median of every round's sum.
4. **Grading**, each configuration in its own copy of the course (so each grades every
   submission from scratch), with :func:`autograder.course.grade`: 1 worker, 2 workers (the
   local pool), and (unless ``--skip-dask``) a 2-worker Dask cluster on loopback
   (:func:`autograder.cluster.local_cluster`, started once and timed apart;
   ``grade(..., scheduler=ADDRESS)``).  The class is cut into ``--blocks`` blocks (default 10)
   and the configurations take turns, block by block, each going first in turn, with one round
   of the parallel factor and of the floor between blocks: a shared machine's load changes
   over an hour, and every figure then sees the same mix of it (``--blocks 1``: one
   configuration after the other).  Notebooks per minute = submissions * 60 / the summed wall
   seconds of the configuration's ``grade`` calls; per-notebook seconds = the median of the
   steps' own seconds (``JobResult.seconds``).
5. **Checks**: every submission graded (status graded or zeroed) in every configuration, the
   same score per grade cell in every configuration, full marks for every correct one, and the
   judge's files unchanged since the release (autograder/trusted.py: after a change the judge
   runs nothing and every later notebook scores zero); any failure is printed as PROBLEM and
   the exit status is 1.  A long run on a checkout others are editing should therefore run from
   a frozen copy of the tree with its own environments (the editable install and the scripts'
   ``#!`` lines pointed at the copy), since nbgrader and the Dask workers import the package
   afresh.

Targets (printed PASS/MISS, they do not change the exit status):

    per-notebook time / floor <= 1.5   per-notebook time: the median step seconds of the
                                       correct submissions graded by 1 worker (the same
                                       notebook as the floor; the all-submission median and
                                       the wall time per notebook are printed beside it)
    speed-up of 2 workers >= 0.8 x the parallel factor
                                       speed-up: 2-worker notebooks/min / 1-worker notebooks/min
                                       (the Dask cluster's speed-up is printed against the same
                                       line, for information)

BLAS is single-threaded (OPENBLAS_NUM_THREADS=1 etc., inherited by nbgrader and the Dask
workers), as in the other benches.  The load average is printed before, between the phases and
after: other work on the machine slows every figure.  Saves results/bench/grading_bench.json.
"""

import argparse
import contextlib
import copy
import inspect
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from threadpoolctl import threadpool_limits

from autograder import cluster, course, database, execute, samples, sandbox, speed, trusted
from autograder.judge import Trusted, grade_notebook, total
from autograder.settings import CELL_TIMEOUT_SECONDS, REPOSITORY, SCRATCH
from autograder.spec import assignment_ids, load_assignment

OUT = REPOSITORY / "results" / "bench" / "grading_bench.json"
KINDS = ("correct", "wrong", "hostile")
BURN_SECONDS = 2.0  # length of one CPU-bound job for the parallel factor
BURN = "import sys\ntotal = 0\nfor i in range(int(sys.argv[1])):\n    total += i * i % 7\n"
TARGET_FLOOR_RATIO = 1.5
TARGET_PARALLEL_SHARE = 0.8


def prepare_environment():
    """One BLAS thread in every process started from now on (nbgrader, the Dask workers) and,
    through threadpoolctl, in this one; the course's venv first on PATH, as when it is activated
    (nbgrader's Gradebook runs ``alembic`` from PATH when it creates a gradebook, which the
    driver's snapshot does).  Returns the threadpoolctl limit (keep it alive)."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    venv_bin = REPOSITORY / ".venv" / "bin"
    os.environ["PATH"] = f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"
    return threadpool_limits(1)


def load():
    """The load average (1, 5, 15 min), rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def mix_counts(submissions, mix):
    """{kind: count} for ``submissions`` learners split by ``mix`` (percentages, any scale);
    the hostile share takes what rounding leaves."""
    weights = dict(zip(KINDS, mix, strict=True))
    correct = round(submissions * weights["correct"] / sum(mix))
    wrong = min(submissions - correct, round(submissions * weights["wrong"] / sum(mix)))
    return {"correct": correct, "wrong": wrong, "hostile": submissions - correct - wrong}


def variants(course_dir, assignment_id):
    """{kind: [(variant name, notebook)]}, every notebook built from the released one."""
    assignment = load_assignment(assignment_id)
    name = f"{assignment_id}.ipynb"
    release = nbformat.read(Path(course_dir) / "release" / assignment_id / name, as_version=4)
    source = nbformat.read(Path(course_dir) / "source" / assignment_id / name, as_version=4)
    model = samples.answer_cells(source)
    mistakes = sorted((assignment.folder / "mistakes").glob("*.py"))
    return {
        "correct": [("model", samples.with_model(release, model))],
        "wrong": [
            *[(p.stem, samples.with_mistake(release, model, assignment, p)) for p in mistakes],
            ("blank", copy.deepcopy(release)),
        ],
        "hostile": [
            (act, samples.hostile(release, model, assignment, act)) for act in samples.HOSTILE
        ],
    }


def write_class(course_dir, assignment_id, counts, seed=9):
    """Write the synthetic class into submitted/; return {student: (kind, variant)}."""
    kinds = [kind for kind in KINDS for _ in range(counts[kind])]
    random.Random(seed).shuffle(kinds)
    built = variants(course_dir, assignment_id)
    used = dict.fromkeys(KINDS, 0)
    learners = {}
    for number, kind in enumerate(kinds):
        variant, notebook = built[kind][used[kind] % len(built[kind])]
        used[kind] += 1
        student = f"learner{number:03d}"
        folder = Path(course_dir) / "submitted" / student / assignment_id
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / f"{assignment_id}.ipynb")
        learners[student] = (kind, variant)
    return learners


def burn_iterations(seconds=BURN_SECONDS):
    """Iterations of :data:`BURN` that take about ``seconds`` on this machine."""
    iterations = 1_000_000
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", BURN, str(iterations)], check=True)
    return int(iterations * seconds / (time.perf_counter() - start))


def burn(copies, iterations):
    """Wall seconds until ``copies`` processes running :data:`BURN` at once have all ended."""
    start = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, "-c", BURN, str(iterations)]) for _ in range(copies)
    ]
    if any(process.wait() != 0 for process in processes):
        raise RuntimeError("the CPU-bound job failed")
    return time.perf_counter() - start


def parallel_factors(rounds, iterations):
    """[2 * t1 / t2] of ``rounds`` rounds (t1: one process alone, t2: two at once)."""
    factors = []
    for _ in range(rounds):
        alone, together = burn(1, iterations), burn(2, iterations)
        factors.append(2 * alone / together)
        print(f"  parallel factor: 1 process {alone:.2f} s, 2 at once {together:.2f} s "
              f"-> {factors[-1]:.2f}", flush=True)  # fmt: skip
    return factors


def floor_once(assignment_id, course_dir):
    """One model-answer notebook graded with nothing around it; return {phase: seconds}
    (kernel_start, cells, judge) and the judge's (score, max score)."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    source_folder = Path(course_dir) / "source" / assignment_id
    nb = nbformat.read(source_folder / f"{assignment_id}.ipynb", as_version=4)
    loaded = trusted.Loaded(assignment_id, course_dir)  # the judge's material, before any run
    files = sandbox.scratch_files(source_folder)
    heldout = tempfile.mkdtemp(prefix="conv-bench-heldout-")
    try:
        if any(item.driver == "classifier" for item in loaded.assignment.items):
            execute.heldout_images(loaded.assignment, loaded.heldout_seed, heldout)
            os.chmod(heldout, 0o755)
            files.append((heldout, f"{SCRATCH}/heldout"))
        config = Config({"SandboxKernelManager": {"files": files}})
        client = NotebookClient(
            nb, timeout=CELL_TIMEOUT_SECONDS, kernel_manager_class=sandbox.SandboxKernelManager,
            config=config, resources={"metadata": {"path": str(source_folder)}},
        )  # fmt: skip
        client.reset_execution_trackers()
        seconds = {}
        start = time.perf_counter()
        with client.setup_kernel():
            client.km.seal()  # as grading does, once the kernel is up
            seconds["kernel_start"] = time.perf_counter() - start
            start = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            seconds["cells"] = time.perf_counter() - start
    finally:
        shutil.rmtree(heldout, ignore_errors=True)
    start = time.perf_counter()
    outside = lambda item, case: speed.measure(nb, item, case, files)  # noqa: E731
    verdicts = grade_notebook(nb, loaded.assignment, Trusted(loaded.heldout_seed, outside))
    seconds["judge"] = time.perf_counter() - start
    return seconds, total(verdicts)


def floor_rounds(assignment_id, course_dir, rounds):
    """``rounds`` measurements of the floor ([{phase: seconds, "total": sum}])."""
    measured = []
    for _ in range(rounds):
        seconds, (score, maximum) = floor_once(assignment_id, course_dir)
        if score != maximum:
            raise RuntimeError(f"floor: the model answer scored {score} of {maximum}")
        seconds["total"] = sum(seconds.values())
        measured.append(seconds)
        print("  floor: kernel start {kernel_start:.2f} s + cells {cells:.2f} s + judge "
              "{judge:.2f} s = {total:.2f} s".format(**seconds), flush=True)  # fmt: skip
    return measured


def gradebook_scores(course_dir, assignment_id, students):
    """{student: {grade cell: score}} from the course's gradebook ({} when not found)."""
    from nbgrader.api import MissingEntry

    found = {}
    with database.open_gradebook(course_dir) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment_id, student)
            except MissingEntry:
                found[student] = {}
                continue
            found[student] = {
                f"{notebook.name}/{grade.name}": grade.score
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
    return found


def empty_copy(template, folder, label):
    """A copy of the released course ``template`` with no submissions, for one configuration."""
    course_dir = Path(folder) / label.replace(" ", "-").replace(",", "")
    shutil.copytree(template, course_dir, ignore=shutil.ignore_patterns("submitted"))
    (course_dir / "submitted").mkdir()
    return course_dir


def grade_block(label, template, course_dir, assignment_id, students, **options):
    """Submit ``students`` (copied from ``template``) to the configuration's course and grade
    them with ``course.grade(**options)`` (the ones graded before are skipped); return the wall
    seconds and the JobResults of this block."""
    for student in students:
        shutil.copytree(Path(template) / "submitted" / student, Path(course_dir) / "submitted" /
                        student)  # fmt: skip
    print(f"\n{label}: grading {len(students)} (load {load()})", flush=True)
    start = time.perf_counter()
    results = course.grade([assignment_id], course_dir, **options)
    seconds = time.perf_counter() - start
    ran = [result for result in results if result.job.student in students]
    statuses = [result.status for result in ran]
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"{label}: {len(ran)} submissions in {seconds:.0f} s, "
          f"{len(ran) * 60 / seconds:.1f} notebooks/min, {counts}", flush=True)  # fmt: skip
    return seconds, ran


def figures_of(seconds, results):
    """A configuration's figures from its blocks' wall seconds and JobResults."""
    statuses = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return {
        "wall_s": seconds,
        "notebooks_per_min": len(results) * 60 / seconds,
        "statuses": statuses,
        "step_s": {result.job.student: result.seconds for result in results},
    }


def blocks_of(students, blocks):
    """``students`` (in order) cut into ``blocks`` contiguous blocks of nearly equal size."""
    size, extra = divmod(len(students), blocks)
    cuts = [index * size + min(index, extra) for index in range(blocks + 1)]
    return [students[cuts[index] : cuts[index + 1]] for index in range(blocks)]


def median_of(steps, learners, kind=None):
    values = [s for student, s in steps.items() if kind is None or learners[student][0] == kind]
    return statistics.median(values) if values else float("nan")


def problems_of(configurations, scores, learners, maximum):
    """Lines saying what went wrong: missing or failed submissions, scores that differ between
    configurations, correct submissions without full marks."""
    problems = []
    for label, figures in configurations.items():
        bad = {s: n for s, n in figures["statuses"].items() if s not in ("graded", "zeroed")}
        missing = sorted(set(learners) - set(figures["step_s"]))
        if bad or missing:
            problems.append(f"{label}: statuses {bad}, not graded {missing[:10]}")
    labels = list(scores)
    for student in sorted(learners):
        seen = {label: scores[label].get(student) for label in labels}
        if any(value != seen[labels[0]] for value in seen.values()):
            problems.append(f"scores differ for {student} {learners[student]}: {seen}")
        first = seen[labels[0]] or {}
        if learners[student][0] == "correct" and sum(first.values()) != maximum:
            problems.append(f"{student} (correct) scored {sum(first.values())} of {maximum}")
    return problems


def verdict(passed):
    return "PASS" if passed else "MISS"


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="01_unroll", help="the assignment of the class")
    parser.add_argument("--submissions", type=int, default=200, help="learners in the class")
    parser.add_argument(
        "--mix", default="60/30/10", help="percent correct/wrong/hostile (default 60/30/10)"
    )
    parser.add_argument(
        "--course", type=Path, help="a new or empty folder for the courses (default: temporary)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary courses")
    parser.add_argument("--rounds", type=int, default=3, help="floor and factor rounds, each end")
    parser.add_argument("--skip-dask", action="store_true", help="no Dask cluster configuration")
    parser.add_argument(
        "--blocks", type=int, help="blocks the configurations take turns on (default 10)"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.assignment not in assignment_ids():
        parser.error(f"--assignment: expected one of {', '.join(assignment_ids())}, "
                     f"got {args.assignment!r}")  # fmt: skip
    if args.submissions < 1:
        parser.error(f"--submissions: expected a positive number, got {args.submissions}")
    if args.rounds < 1:
        parser.error(f"--rounds: expected a positive number, got {args.rounds}")
    if args.blocks is None:
        args.blocks = min(10, max(args.submissions, 1))
    if not 1 <= args.blocks <= args.submissions:
        parser.error(f"--blocks: expected a number from 1 to --submissions ({args.submissions}), "
                     f"got {args.blocks}")  # fmt: skip
    given_mix = args.mix
    try:
        args.mix = [int(part) for part in args.mix.split("/")]
    except ValueError:
        args.mix = []
    if len(args.mix) != 3 or min(args.mix) < 0 or sum(args.mix) == 0:
        parser.error(f"--mix: expected three non-negative whole numbers CORRECT/WRONG/HOSTILE "
                     f"with a positive sum, e.g. 60/30/10, got {given_mix!r}")  # fmt: skip
    if args.course is not None and args.course.exists():
        if not args.course.is_dir() or any(args.course.iterdir()):
            parser.error(f"--course: expected a new or empty folder, got {args.course} "
                         "(not empty: the bench writes several courses there)")  # fmt: skip
    if not args.skip_dask and "scheduler" not in inspect.signature(course.grade).parameters:
        parser.error("the Dask configuration needs autograder.course.grade(..., scheduler=...), "
                     "which this checkout does not have yet (issue 9 item 3); pass --skip-dask "
                     "to measure the local pool only")  # fmt: skip
    return args


def main(argv=None):
    args = arguments(argv)
    limit = prepare_environment()  # noqa: F841 (held for the whole run)
    try:
        sandbox.require()
    except sandbox.SandboxUnavailable as error:
        print(f"grading_bench: {error}", file=sys.stderr)
        return 2
    load_before = load()
    print(f"load average before: {load_before}; {os.cpu_count()} CPUs; {sandbox.describe()}")
    folder = args.course or Path(tempfile.mkdtemp(prefix="conv-grading-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template"
    counts = mix_counts(args.submissions, args.mix)
    phases = {}
    try:
        course.release([args.assignment], template, 1)
        learners = write_class(template, args.assignment, counts)
        maximum = float(sum(item.points for item in load_assignment(args.assignment).items))
        print(f"class: {counts} of {args.assignment} ({maximum:g} points) in {template}")

        print(f"\nparallel factor and floor, start of run (load {load()})", flush=True)
        iterations = burn_iterations()
        factors = parallel_factors(args.rounds, iterations)
        floor_once(args.assignment, template)  # warm-up: first imports, cold file caches
        floors = floor_rounds(args.assignment, template, args.rounds)
        phases["start"] = load()

        runs = {"1 worker": {"workers": 1}, "2 workers": {"workers": 2}}
        with contextlib.ExitStack() as stack:
            if not args.skip_dask:
                start = time.perf_counter()
                dask = stack.enter_context(cluster.local_cluster(workers=2))
                cluster_start = time.perf_counter() - start
                print(f"\nDask cluster up in {cluster_start:.1f} s at {dask.address}")
                runs["Dask, 2 workers"] = {"workers": 2, "scheduler": dask.address}
            courses = {label: empty_copy(template, folder, label) for label in runs}
            seconds, results = dict.fromkeys(runs, 0.0), {label: [] for label in runs}
            blocks = blocks_of(sorted(learners), args.blocks)
            labels = list(runs)
            for number, students in enumerate(blocks):
                # every configuration sees the same load; each goes first in turn
                turn = number % len(labels)
                for label in labels[turn:] + labels[:turn]:
                    block_seconds, block_results = grade_block(
                        label, template, courses[label], args.assignment, students, **runs[label]
                    )
                    seconds[label] += block_seconds
                    results[label] += block_results
                phases[f"block {number + 1} of {len(blocks)}"] = load()
                if number + 1 < len(blocks):  # the machine between blocks, for the same reason
                    factors += parallel_factors(1, iterations)
                    floors += floor_rounds(args.assignment, template, 1)
        configurations = {label: figures_of(seconds[label], results[label]) for label in runs}
        if not args.skip_dask:
            configurations["Dask, 2 workers"]["cluster_start_s"] = cluster_start
        scores = {
            label: gradebook_scores(courses[label], args.assignment, sorted(learners))
            for label in runs
        }

        print(f"\nparallel factor and floor, end of run (load {load()})", flush=True)
        factors += parallel_factors(args.rounds, iterations)
        floors += floor_rounds(args.assignment, template, args.rounds)
        changed = trusted.changed(args.assignment, template)  # since the release
    finally:
        if args.course is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load_after = load()

    factor = statistics.median(factors)
    floor = {phase: statistics.median(r[phase] for r in floors) for phase in floors[0]}
    one = configurations["1 worker"]
    for figures in configurations.values():
        figures["speedup"] = figures["notebooks_per_min"] / one["notebooks_per_min"]
        figures["step_median_s"] = median_of(figures["step_s"], learners)
        figures["step_median_by_kind_s"] = {
            kind: median_of(figures["step_s"], learners, kind) for kind in KINDS
        }
    per_notebook = one["step_median_by_kind_s"]["correct"]
    floor_ratio = per_notebook / floor["total"]
    needed = TARGET_PARALLEL_SHARE * factor

    print(f"\n{'configuration':<17}{'wall s':>8}{'nb/min':>8}{'speed-up':>9}"
          f"{'step median s: all':>20}{'correct':>9}{'wrong':>8}{'hostile':>9}")  # fmt: skip
    for label, figures in configurations.items():
        kinds = figures["step_median_by_kind_s"]
        print(f"{label:<17}{figures['wall_s']:>8.0f}{figures['notebooks_per_min']:>8.1f}"
              f"{figures['speedup']:>9.2f}{figures['step_median_s']:>20.2f}"
              f"{kinds['correct']:>9.2f}{kinds['wrong']:>8.2f}"
              f"{kinds['hostile']:>9.2f}")  # fmt: skip
    print(f"floor (median of {len(floors)} rounds, model answer, no nbgrader): "
          f"{floor['total']:.2f} s = kernel start {floor['kernel_start']:.2f} s + cells "
          f"{floor['cells']:.2f} s + judge {floor['judge']:.2f} s")  # fmt: skip
    print(f"parallel factor (median of {len(factors)} rounds, 2 * t1 / t2 of a pure-Python "
          f"loop): {factor:.2f} (rounds: {', '.join(f'{f:.2f}' for f in factors)})")  # fmt: skip
    print(f"1 worker: wall time per notebook {one['wall_s'] / args.submissions:.2f} s "
          f"({one['wall_s'] / args.submissions / floor['total']:.2f} x floor)")  # fmt: skip
    print(f"TARGET per-notebook time (median step, correct, 1 worker) {per_notebook:.2f} s = "
          f"{floor_ratio:.2f} x floor <= {TARGET_FLOOR_RATIO}: "
          f"{verdict(floor_ratio <= TARGET_FLOOR_RATIO)}")  # fmt: skip
    two = configurations["2 workers"]
    print(f"TARGET 2 workers speed-up {two['speedup']:.2f} >= {TARGET_PARALLEL_SHARE} x parallel "
          f"factor = {needed:.2f}: {verdict(two['speedup'] >= needed)}")  # fmt: skip
    if "Dask, 2 workers" in configurations:
        dask_speedup = configurations["Dask, 2 workers"]["speedup"]
        print(f"  (Dask, 2 workers: speed-up {dask_speedup:.2f} against the same "
              f"{needed:.2f}: {verdict(dask_speedup >= needed)})")  # fmt: skip
    print(f"load average before {load_before}, after each phase {phases}, after {load_after}")

    problems = problems_of(configurations, scores, learners, maximum)
    if changed:  # the judge then refuses to run notebooks: zeros that measure nothing
        problems.append(f"files the judge relies on changed during the run: {changed[:5]}")
    for line in problems:
        print(f"PROBLEM: {line}")
    if not problems:
        print(f"scores identical in all {len(scores)} configurations for all "
              f"{len(learners)} submissions; every correct submission has full marks")  # fmt: skip

    results = {
        "assignment": args.assignment,
        "submissions": args.submissions,
        "mix": counts,
        "blocks": args.blocks,
        "learners": {student: list(kind) for student, kind in learners.items()},
        "configurations": configurations,
        "floor_s": floor,
        "floor_rounds": floors,
        "parallel_factor": factor,
        "parallel_factor_rounds": factors,
        "targets": {
            "per_notebook_s": per_notebook,
            "floor_ratio": floor_ratio,
            "floor_ratio_pass": floor_ratio <= TARGET_FLOOR_RATIO,
            "speedup_2_workers": two["speedup"],
            "speedup_needed": needed,
            "speedup_pass": two["speedup"] >= needed,
        },
        "problems": problems,
        "load_average": {"before": load_before, "phases": phases, "after": load_after},
        "cpus": os.cpu_count(),
        "repository": str(REPOSITORY),
        "command": " ".join(
            ["python bench/grading_bench.py", *(sys.argv[1:] if argv is None else argv)]
        ),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"saved {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
