"""The instructor's commands (each wraps plain nbgrader commands):

    python -m autograder release [ASSIGNMENT ...]     build + nbgrader generate_assignment
    python -m autograder samples [ASSIGNMENT ...]     write the sample submissions (ada, blank,
                                                      bob, mallory) into submitted/
    python -m autograder collect FOLDER_OR_ZIP [--assignment A]
                                                      place learners' notebooks (a folder or an
                                                      LMS zip) as submitted/<student>/<assignment>/
                                                      <assignment>.ipynb, replacing a previous
                                                      submission; lists every file not placed and
                                                      why (exit 1 if any). Accepted names
                                                      (details: autograder/collect.py): Canvas's
                                                      <name>_<userid>_<submissionid>_<file>.ipynb,
                                                      <student>/<assignment>/<file>.ipynb,
                                                      <student>/<assignment>.ipynb,
                                                      <student>_<assignment>.ipynb
    python -m autograder grade [ASSIGNMENT ...] [--workers N] [--force] [--unsafe-no-sandbox]
                               [--scheduler ADDRESS | --scheduler-file PATH]
                                                      nbgrader autograde, N submissions at a
                                                      time (each in a private copy of the course;
                                                      only this process writes the gradebook),
                                                      or on the workers of a Dask cluster
                                                      (--scheduler/--scheduler-file; --workers is
                                                      then the cluster's), with progress on
                                                      stderr; resumable (--force regrades and
                                                      clears manual scores); learner code runs in
                                                      the sandbox (refuses to start without one
                                                      unless --unsafe-no-sandbox); prints a
                                                      summary, the integrity report and the grade
                                                      table
    python -m autograder export [ASSIGNMENT ...]      writes, in the course root:
                                                      grades.csv (nbgrader export);
                                                      feedback/<student>/<assignment>/*.html
                                                      (nbgrader generate_feedback: the judge's
                                                      report per hidden item, never the hidden
                                                      cells' source); exports/canvas.csv (Canvas
                                                      gradebook import); exports/learners/
                                                      <student>.json (scores, maxima, per-item
                                                      feedback and codes, findings);
                                                      integrity.csv; prints the grade table
    python -m autograder table                        the grade table from the gradebook

Every command takes ``--course-dir`` (default _build/course) and ``--db URL``: the gradebook
(default: SQLite, gradebook.db in the course root; e.g. postgresql://grader@dbhost/course for a
PostgreSQL server; the environment variable AUTOGRADER_DB_URL does the same). Give the same
gradebook to every command of a course.
"""

import argparse
import sys
import time
from pathlib import Path

from autograder import collect, course, database, progress, report, samples, sandbox
from autograder.settings import COURSE_DIR


def print_reports(course_dir):
    print(report.format_integrity(report.integrity_report(course_dir)))
    print()
    print(report.format_table(report.grade_table(course_dir)))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command", choices=("release", "samples", "collect", "grade", "export", "table")
    )
    parser.add_argument(
        "assignments", nargs="*", help="assignment ids (default: all); collect: FOLDER_OR_ZIP"
    )
    parser.add_argument("--assignment", help="collect: place only this assignment's notebooks")
    parser.add_argument("--course-dir", type=Path, default=COURSE_DIR)
    parser.add_argument(
        "--db", metavar="URL", help="the gradebook's database URL (default: gradebook.db)"
    )
    parser.add_argument("--workers", type=int, default=2, help="submissions graded at once (grade)")
    cluster = parser.add_mutually_exclusive_group()
    cluster.add_argument(
        "--scheduler", metavar="ADDRESS", help="grade: run the steps on this Dask scheduler"
    )
    cluster.add_argument(
        "--scheduler-file", metavar="PATH", type=Path,
        help="grade: run the steps on the Dask scheduler this file describes",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="regrade graded submissions")
    parser.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade without the sandbox (learner code can then read and change everything the "
        "grader can); every grade is marked so in the integrity report",
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers: expected a whole number of at least 1, got {args.workers}")
    if args.scheduler_file and not args.scheduler_file.is_file():
        parser.error(f"--scheduler-file: {args.scheduler_file} is not a file")
    try:
        database.use(args.db)
    except ValueError as error:
        parser.error(str(error))
    start = time.perf_counter()
    if args.command == "release":
        course.release(args.assignments, args.course_dir, args.workers)
    elif args.command == "samples":
        written = samples.write_samples(args.course_dir, args.assignments)
        print(f"wrote {len(written)} sample submissions under {args.course_dir / 'submitted'}")
    elif args.command == "collect":
        if len(args.assignments) != 1:
            parser.error("collect takes one FOLDER_OR_ZIP")
        try:
            placed, unplaced = collect.collect(
                args.assignments[0], args.course_dir, args.assignment
            )
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(collect.format_result(placed, unplaced))
        if unplaced:
            return 1
    elif args.command == "grade":
        try:
            results = course.grade(
                args.assignments, args.course_dir, args.workers, args.force,
                unsafe=args.unsafe_no_sandbox, scheduler=args.scheduler,
                scheduler_file=args.scheduler_file,
            )  # fmt: skip
        except (sandbox.SandboxUnavailable, ValueError, OSError) as error:
            print(f"grade: {error}", file=sys.stderr)
            return 2
        print(sandbox.describe())
        where = (
            f"Dask scheduler {args.scheduler or args.scheduler_file}"
            if args.scheduler or args.scheduler_file
            else f"{args.workers} workers"
        )
        print(progress.summary(results, time.perf_counter() - start, where) + "\n")
        print_reports(args.course_dir)
        if any(result.status == "FAILED" for result in results):
            return 1
    elif args.command == "export":
        written = course.export(args.course_dir, args.assignments)
        print("\n".join(f"{what}: {path}" for what, path in written.items()))
        print_reports(args.course_dir)
    else:
        print(report.format_table(report.grade_table(args.course_dir)))
    print(f"({args.command}: {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
