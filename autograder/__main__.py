"""The instructor's commands (each wraps plain nbgrader commands run in the course root):

    python -m autograder release [ASSIGNMENT ...]     build + nbgrader generate_assignment
    python -m autograder samples [ASSIGNMENT ...]     write the sample submissions (ada, blank,
                                                      bob, mallory) into submitted/
    python -m autograder grade [ASSIGNMENT ...] [--workers N] [--force]
                                                      nbgrader autograde, one process per
                                                      submission, in parallel, resumable; prints
                                                      the integrity report and the grade table
    python -m autograder export                       nbgrader generate_feedback + export
                                                      (grades.csv), integrity.csv, grade table
    python -m autograder table                        the grade table from the gradebook

Every command takes ``--course-dir`` (default _build/course).
"""

import argparse
import sys
import time
from pathlib import Path

from autograder import course, report, samples
from autograder.build import COURSE_DIR


def print_reports(course_dir):
    print(report.format_integrity(report.integrity_report(course_dir)))
    print()
    print(report.format_table(report.grade_table(course_dir)))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    parser.add_argument("command", choices=("release", "samples", "grade", "export", "table"))
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--course-dir", type=Path, default=COURSE_DIR)
    parser.add_argument("--workers", type=int, default=2, help="parallel submissions (grade)")
    parser.add_argument("--force", action="store_true", help="regrade graded submissions")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command == "release":
        course.release(args.assignments, args.course_dir, args.workers)
    elif args.command == "samples":
        written = samples.write_samples(args.course_dir, args.assignments)
        print(f"wrote {len(written)} sample submissions under {args.course_dir / 'submitted'}")
    elif args.command == "grade":
        results = course.grade(args.assignments, args.course_dir, args.workers, args.force)
        counts = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        print(f"grade: {counts} in {time.perf_counter() - start:.0f} s\n")
        print_reports(args.course_dir)
        if counts.get("FAILED"):
            return 1
    elif args.command == "export":
        path = course.export(args.course_dir, args.assignments)
        print(f"grades: {path}; feedback: {args.course_dir / 'feedback'}")
        print_reports(args.course_dir)
    else:
        print(report.format_table(report.grade_table(args.course_dir)))
    print(f"({args.command}: {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
