"""Paths and limits of the grading pipeline, in one place.

Every module that grades, collects or exports reads its limits and file names from here, so a
course changes a limit in one line and the documents can point at one file.  Values are plain
numbers (bytes, seconds, counts) and paths; nothing here imports the rest of the package.

The learner kit (``autograder/kit/``) runs inside the learner's kernel, where this package is
not importable; its own limits (a case's time limit, a record's decoded size) stay in the kit.
"""

from pathlib import Path

# Where things are.
REPOSITORY = Path(__file__).resolve().parents[1]
COURSE_DIR = REPOSITORY / "_build" / "course"  # the nbgrader course root
LEARNER_ENV = REPOSITORY / ".venv-learner"  # numpy + matplotlib + ipykernel, nothing else
LEARNER_MOUNT = "/opt/learner"  # where the learner environment appears inside the sandbox
SCRATCH = "/scratch"  # the kernel's working directory inside the sandbox

# The course root's files written after grading (relative to the course root).
GRADES_CSV = "grades.csv"  # nbgrader export: one row per student x assignment
INTEGRITY_CSV = "integrity.csv"  # autograder/report.py: one row per finding
FEEDBACK_FOLDER = "feedback"  # nbgrader's feedback/<student>/<assignment>/<notebook>.html
EXPORTS_FOLDER = "exports"  # what autograder/exports.py writes besides nbgrader's files
CANVAS_CSV = "canvas.csv"  # in EXPORTS_FOLDER: Canvas gradebook import
LEARNERS_FOLDER = "learners"  # in EXPORTS_FOLDER: one <student>.json per learner

# Time limits of one graded notebook (a hidden case has its own limit: Item.case_seconds).
CELL_TIMEOUT_SECONDS = 150  # outer guard of one cell
NOTEBOOK_TIMEOUT_SECONDS = 900  # the whole notebook; later cells are not run

# Output caps of one graded notebook (autograder/execute.py).
MAX_OUTPUT_CHARS = 200_000  # printed characters kept per cell (records excepted)
MAX_NOTEBOOK_OUTPUT_BYTES = 32 * 1024**2  # all outputs of a notebook, records included
MAX_MESSAGE_BYTES = 64 * 1024**2  # one kernel message; ZeroMQ drops larger ones

# The judge (autograder/judge.py).
MAX_RECORD_CHARS = 64 * 1024**2  # a record larger than this is refused, not decoded
MAX_LISTED_FAILURES = 5  # failing cases listed one by one in an item's report

# The sandbox of one graded kernel (autograder/sandbox.py Limits); per process unless noted.
SANDBOX_MEMORY_BYTES = 3 * 1024**3  # address space (RLIMIT_AS)
SANDBOX_PROCESSES = 96  # processes + threads of the sandbox's user (RLIMIT_NPROC)
SANDBOX_FILE_BYTES = 64 * 1024**2  # largest file a process may write (RLIMIT_FSIZE)
SANDBOX_OPEN_FILES = 256  # RLIMIT_NOFILE
SANDBOX_CPU_SECONDS = 1200  # CPU time (RLIMIT_CPU)
SANDBOX_SCRATCH_BYTES = 256 * 1024**2  # the writable scratch folder (tmpfs size)
SANDBOX_TMP_BYTES = 64 * 1024**2  # the private /tmp (tmpfs size)

# Collecting submissions (autograder/collect.py).
MAX_SUBMISSION_BYTES = 32 * 1024**2  # one submitted notebook; a larger file is refused
