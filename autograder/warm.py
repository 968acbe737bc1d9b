"""``nbgrader`` started warm: each grading step's nbgrader process is forked from a server that
imported nbgrader, nbconvert and the course's preprocessors once.

A cold ``nbgrader autograde`` spends about 3 s of CPU importing before it reads a notebook (a
third of it compiling the grammars of an optional URL validator that jsonschema loads); a
grading worker pays that once instead of once per submission.  Only third-party modules are
preloaded (:data:`PRELOAD`).  The server is Python's
multiprocessing fork server, started by the first step of a process; every step gets a fresh
child of it, which then behaves as the cold command did: its own session (a timeout kills its
process group, kernel included), the step's environment and working folder, its output captured,
and death with its parent (``PR_SET_PDEATHSIG``: the fork server exits when the process that
started it dies, so a killed driver or worker leaves no grading behind).

Where a process may not have children of its own (a daemonic process, such as a Dask worker
under a nanny with ``distributed.worker.daemon`` left True), :func:`available` is False and the
caller starts nbgrader cold.
"""

import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile

# Third-party code only: the course's own modules (the judge, the preprocessors) are imported
# afresh by every step, after the digests of autograder/trusted.py are checked against the
# release, never from a server that may have started before the files changed.
PRELOAD = ["nbgrader.apps.nbgraderapp", "nbgrader.preprocessors", "nbconvert", "nbclient",
           "jupyter_client", "nbformat", "sqlalchemy"]  # fmt: skip
PR_SET_PDEATHSIG = 1
_context = None


def available():
    """True when this process can fork steps from a warm server: Linux, not a daemonic process,
    and a main module that the server's children can import again (multiprocessing's rule:
    a module or a script file, not code read from standard input)."""
    main = sys.modules.get("__main__")
    importable = getattr(main, "__spec__", None) is not None or os.path.isfile(
        getattr(main, "__file__", None) or ""
    )
    return sys.platform == "linux" and importable and not multiprocessing.current_process().daemon


def context():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def child(course_dir, args, environment, log_path):
    """The forked step: become ``nbgrader ARGS`` in ``course_dir`` (never returns)."""
    code = 1
    try:
        parent = os.getppid()
        os.setsid()
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the server died before the line above: die now
            os._exit(1)
        log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.chdir(course_dir)
        os.environ.clear()
        os.environ.update(environment)
        sys.argv = ["nbgrader", *args]
        from nbgrader.apps.nbgraderapp import main

        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # reported in the log, which the caller reads
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(course_dir, args, environment, timeout=None):
    """``nbgrader ARGS`` in ``course_dir`` with ``environment``, forked warm; return a
    CompletedProcess (output: the log) or raise subprocess.TimeoutExpired after killing its
    process group."""
    with tempfile.NamedTemporaryFile(prefix="conv-nbgrader-", suffix=".log") as log:
        process = context().Process(
            target=child, args=(str(course_dir), list(args), dict(environment), log.name)
        )
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.join()
            raise subprocess.TimeoutExpired(["nbgrader", *args], timeout)
        output = open(log.name, encoding="utf-8", errors="replace").read()  # noqa: SIM115
    return subprocess.CompletedProcess(["nbgrader", *args], process.exitcode, output, "")
