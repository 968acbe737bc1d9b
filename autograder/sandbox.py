"""The sandbox around graded learner code (Debian's bubblewrap) and the kernel manager using it.

Every graded execution of learner code (``nbgrader autograde`` through :mod:`autograder.execute`,
the speed measurement of :mod:`autograder.speed`) runs in a fresh sandbox made by
:func:`command`:

- an unprivileged user id of its own (:func:`sandbox_uid`, owning nothing of the course), with no
  capabilities, ``no_new_privs`` and no supplementary groups (``setpriv``);
- its own mount, PID, network, IPC and UTS namespaces (``bwrap``); the network namespace has only
  a loopback device, so no connection reaches the grader's ports or anything else;
- a file system that shows only: ``/usr`` (read-only), the learner interpreter and its packages
  at :data:`LEARNER_MOUNT` (read-only), the Python it is built on (read-only), the files the
  notebook needs (fixtures, the recording kit: read-only), a writable scratch folder and a
  private ``/tmp`` (both size-limited tmpfs). The repository, ``solutions``, the grading specs,
  the gradebook, the course's source/release/submitted folders, other submissions and the home
  directory are not there at all;
- limits (``prlimit``, :class:`Limits`): address space, processes (threads count too, so a fork
  bomb stops at the limit), file size, open files, CPU seconds, no core dumps;
- ``--die-with-parent`` and a PID namespace: when the kernel dies, is killed or its grader dies,
  every process of the submission dies with it, however it detached;
- where root can make cgroups (:class:`Cgroup`), a cap on the memory and the number of processes
  of the whole sandbox together, so a fork bomb of memory hogs stops at the cap.

The kernel's channels cross the network namespace as Unix sockets (ZeroMQ's ``ipc`` transport)
in a folder bound into the sandbox; once the kernel is up the folder is handed back to root, so
learner code can no longer create or replace sockets there.  Messages from the kernel are capped
(:data:`MAX_MESSAGE_BYTES`, ZeroMQ drops larger ones).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, List, Unicode

from autograder import settings
from autograder.settings import LEARNER_ENV, LEARNER_MOUNT, MAX_MESSAGE_BYTES, REPOSITORY, SCRATCH

UID_BASE = 100_000_000  # sandbox uid = UID_BASE + the grading process's pid: unique while it runs
UNSAFE_VARIABLE = "AUTOGRADER_UNSAFE_NO_SANDBOX"  # "1": run learner code without the sandbox
BWRAP_VARIABLE = "AUTOGRADER_BWRAP"  # another bubblewrap executable (tests name a missing one)
FIX = (
    "install bubblewrap and util-linux (Debian: apt-get install bubblewrap; scripts/setup.sh "
    "does it) and run the grader as root (learner code then runs as an unprivileged user id)"
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandbox (bytes, counts, seconds; values: autograder/settings.py)."""

    memory_bytes: int = settings.SANDBOX_MEMORY_BYTES  # address space of each process
    processes: int = settings.SANDBOX_PROCESSES  # processes + threads of the sandbox's user
    file_bytes: int = settings.SANDBOX_FILE_BYTES  # largest file a process may write
    open_files: int = settings.SANDBOX_OPEN_FILES
    cpu_seconds: int = settings.SANDBOX_CPU_SECONDS  # CPU time of each process
    scratch_bytes: int = settings.SANDBOX_SCRATCH_BYTES  # the writable scratch folder (tmpfs)
    tmp_bytes: int = settings.SANDBOX_TMP_BYTES  # the private /tmp (tmpfs)

    def prlimit_arguments(self):
        return [
            f"--as={self.memory_bytes}",
            f"--nproc={self.processes}",
            f"--fsize={self.file_bytes}",
            f"--nofile={self.open_files}",
            f"--cpu={self.cpu_seconds}",
            "--core=0",
        ]


LIMITS = Limits()


class SandboxUnavailable(RuntimeError):
    """No sandbox can be made on this machine; the message says why and how to fix it."""


def bwrap():
    """The bubblewrap executable, or None."""
    return os.environ.get(BWRAP_VARIABLE) or shutil.which("bwrap")


def base_python_prefix():
    """The installation the learner environment's interpreter belongs to (bound read-only)."""
    config = (LEARNER_ENV / "pyvenv.cfg").read_text()
    home = next(line.split("=", 1)[1].strip() for line in config.splitlines() if "home" in line)
    return Path(home).parent


def sandbox_uid():
    """A user id no account and no other running sandbox has (one grading process runs one
    kernel at a time, and process ids are unique while a process lives)."""
    return UID_BASE + os.getpid()


CGROUP_ROOT = Path("/sys/fs/cgroup")


class Cgroup:
    """A memory and process cap on a whole sandbox (every process in it together), where the
    machine lets root make cgroups (v1 ``memory`` and ``pids`` controllers, or v2); elsewhere
    :attr:`folders` is empty and only the per-process limits hold (:func:`describe` says so).

    The sandbox's first process joins it before bwrap starts (:meth:`wrap`), so everything the
    submission starts is inside; :meth:`remove` deletes it once they are gone.  A submission over
    the memory cap has its largest process killed by the kernel's OOM killer, inside the cap.
    """

    def __init__(self, limits=LIMITS):
        name = f"conv-sandbox-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.folders = []
        try:
            if (CGROUP_ROOT / "cgroup.controllers").exists():  # v2, unified
                folder = CGROUP_ROOT / name
                folder.mkdir()
                self.folders.append(folder)
                (folder / "memory.max").write_text(str(limits.memory_bytes))
                (folder / "pids.max").write_text(str(limits.processes))
            else:  # v1: one folder per controller
                memory, pids = CGROUP_ROOT / "memory" / name, CGROUP_ROOT / "pids" / name
                memory.mkdir()
                self.folders.append(memory)
                (memory / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                if (memory / "memory.memsw.limit_in_bytes").exists():
                    (memory / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_bytes))
                pids.mkdir()
                self.folders.append(pids)
                (pids / "pids.max").write_text(str(limits.processes))
        except OSError:
            self.remove()

    def wrap(self, argv):
        """``argv`` run by a shell that first moves itself into the cgroup (fails closed)."""
        if not self.folders:
            return argv
        join = (
            'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 97; shift; '
            'n=$((n-1)); done; exec "$@"'
        )
        procs = [str(folder / "cgroup.procs") for folder in self.folders]
        return ["/bin/sh", "-c", join, "sh", str(len(procs)), *procs, *argv]

    def remove(self):
        """Kill what is left in the cgroup and delete it (best effort, never raises)."""
        for folder in reversed(self.folders):
            for _ in range(50):
                try:
                    for pid in (folder / "cgroup.procs").read_text().split():
                        os.kill(int(pid), signal.SIGKILL)
                    folder.rmdir()
                    break
                except (OSError, ValueError):
                    time.sleep(0.02)
        self.folders = []


@lru_cache(maxsize=1)
def total_caps():
    """'cgroup' when a whole-sandbox memory/process cap can be made here, else ''."""
    probe = Cgroup()
    made = bool(probe.folders)
    probe.remove()
    return "cgroup" if made else ""


def directories(path, made):
    """bwrap arguments that create every missing parent of ``path`` with mode 0755 (bwrap makes
    them 0700 otherwise, which an unprivileged user cannot traverse)."""
    arguments = []
    for parent in reversed(Path(path).parents[:-1]):
        if str(parent) not in made:
            made.add(str(parent))
            arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments


def command(inner, *, read_only=(), writable=(), uid=None, limits=LIMITS, env=None, chdir=SCRATCH):
    """The argv that runs ``inner`` (argv) in a fresh sandbox.

    Args:
        inner: the command inside, e.g. ``[LEARNER_MOUNT + "/bin/python", "-I", ...]``.
        read_only: (host path, path inside) pairs bound read-only (files or folders).
        writable: (host path, path inside) pairs bound writable (the kernel's socket folder).
        uid: the unprivileged user id (default :func:`sandbox_uid`).
        limits: :class:`Limits`.
        env: extra environment variables (the environment is cleared first).
        chdir: working directory inside (the scratch folder).
    """
    uid = sandbox_uid() if uid is None else uid
    python = base_python_prefix()
    made = {"/", "/usr"}
    arguments = [
        bwrap() or "bwrap",
        "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--hostname", "sandbox",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
        "--proc", "/proc", "--dev", "/dev",
        "--size", str(limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp",
        "--size", str(limits.scratch_bytes), "--perms", "0777", "--tmpfs", SCRATCH,
    ]  # fmt: skip
    made |= {"/tmp", SCRATCH}
    for source, target in [(python, str(python)), (LEARNER_ENV, LEARNER_MOUNT), *read_only]:
        arguments += directories(target, made) + ["--ro-bind", str(source), str(target)]
        made.add(str(target))
    for source, target in writable:
        arguments += directories(target, made) + ["--bind", str(source), str(target)]
        made.add(str(target))
    environment = {
        "HOME": SCRATCH,
        "PATH": f"{LEARNER_MOUNT}/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
        **{name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        **(env or {}),
    }
    arguments += ["--chdir", chdir, "--clearenv"]
    for name, value in environment.items():
        arguments += ["--setenv", name, value]
    arguments += [
        "--",
        shutil.which("setpriv") or "setpriv",
        f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
        "--inh-caps=-all", "--bounding-set=-all",
        "--",
        shutil.which("prlimit") or "prlimit", *limits.prlimit_arguments(), "--",
        *inner,
    ]  # fmt: skip
    return arguments


@lru_cache(maxsize=1)
def availability():
    """'' when a sandbox can be made here, else the reason (checked once per process by running
    a tiny sandbox that must not see the repository)."""
    if sys.platform != "linux":
        return f"the sandbox needs Linux (this is {sys.platform})"
    if not bwrap() or not os.access(bwrap(), os.X_OK):
        return f"bubblewrap ('bwrap') is not installed ({bwrap() or 'not on PATH'})"
    for tool in ("setpriv", "prlimit"):
        if shutil.which(tool) is None:
            return f"'{tool}' (util-linux) is not installed"
    if not (LEARNER_ENV / "bin" / "python").exists():
        return f"the learner environment {LEARNER_ENV} is missing (run scripts/setup.sh)"
    probe = (
        "import os, sys; "
        f"sys.exit(0 if os.getuid() != 0 and not os.path.exists({str(REPOSITORY)!r}) else 3)"
    )
    try:
        completed = subprocess.run(
            command([f"{LEARNER_MOUNT}/bin/python", "-I", "-c", probe]),
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})"
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        return f"a test sandbox failed ({detail[-1] if detail else completed.returncode})"
    return ""


def unsafe():
    """True when the instructor chose to grade without the sandbox (--unsafe-no-sandbox)."""
    return os.environ.get(UNSAFE_VARIABLE) == "1"


def require():
    """Raise :class:`SandboxUnavailable` unless a sandbox can be made (or unsafe mode is on)."""
    reason = availability()
    if reason and not unsafe():
        raise SandboxUnavailable(
            f"cannot grade safely: {reason}. Learner code must run in a sandbox; {FIX}. "
            "To grade anyway, without any protection, pass --unsafe-no-sandbox (every grade is "
            "then marked so in the export and the integrity report)."
        )


def scratch_files(folder):
    """(host path, path inside) of every file a notebook of ``folder`` may need: everything in
    it except notebooks (the source folder's notebook holds the model answers) and hidden
    files, under :data:`SCRATCH`."""
    return [
        (path, f"{SCRATCH}/{path.name}")
        for path in sorted(Path(folder).iterdir())
        if path.suffix != ".ipynb" and not path.name.startswith(".")
    ]


# -E -s: no PYTHON* variables, no user site; the working directory (the scratch folder, which
# holds only the trusted kit and fixtures at start) stays importable, as in a learner's kernel.
KERNEL_ARGV = [f"{LEARNER_MOUNT}/bin/python", "-E", "-s", "-m", "ipykernel_launcher", "-f"]


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel always runs in the sandbox, whatever kernelspec a notebook
    names: the spec is built here, from the repository, never read from a kernel.json."""

    files = List(help="(host path, path inside) pairs the kernel may read.").tag(config=True)
    sandboxed = Bool(True, help="False: run without the sandbox (unsafe mode).").tag(config=True)
    socket_folder = Unicode("")

    @property
    def kernel_spec(self):
        if self._kernel_spec is None:
            self._kernel_spec = KernelSpec(
                argv=[],
                display_name="conv-grading (sandboxed)",
                language="python",
                interrupt_mode="message",  # a signal would reach bwrap, not the kernel
                metadata={"debugger": False},
            )
        return self._kernel_spec

    async def _async_pre_start_kernel(self, **kw):
        self.transport = "ipc"
        self.socket_folder = tempfile.mkdtemp(prefix="conv-kernel-")
        self.connection_file = os.path.join(self.socket_folder, "connection.json")
        self.ip = os.path.join(self.socket_folder, "kernel")
        self.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        kw["stdin"] = kw["stdout"] = subprocess.DEVNULL
        kw["stderr"] = subprocess.DEVNULL
        if self.sandboxed:
            kw.pop("cwd", None)  # the kernel works in its scratch folder
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        connection = os.path.realpath(self.connection_file)
        if not self.sandboxed:
            learner = [str(LEARNER_ENV / "bin" / "python"), *KERNEL_ARGV[1:]]
            limits = [shutil.which("prlimit") or "prlimit", *LIMITS.prlimit_arguments(), "--"]
            return [*limits, *learner, connection]
        os.chown(self.socket_folder, sandbox_uid(), sandbox_uid())
        os.chown(connection, sandbox_uid(), sandbox_uid())  # written by now, mode 0600
        self.cgroup = Cgroup()
        return self.cgroup.wrap(
            command(
                [*KERNEL_ARGV, connection],
                read_only=self.files,
                writable=[(self.socket_folder, self.socket_folder)],
            )
        )

    def seal(self):
        """Hand the socket folder back to root once the kernel has bound its sockets, so
        learner code cannot replace them (called when the kernel is ready)."""
        if self.sandboxed and self.socket_folder:
            os.chown(self.socket_folder, 0, 0)
            os.chmod(self.socket_folder, 0o755)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            if getattr(self, "cgroup", None) is not None:
                self.cgroup.remove()
            if self.socket_folder:
                shutil.rmtree(self.socket_folder, ignore_errors=True)


def describe():
    """One line for logs: what protects graded code on this machine."""
    if unsafe():
        return "UNSAFE: learner code runs without a sandbox (--unsafe-no-sandbox)"
    reason = availability()
    if reason:
        return f"no sandbox: {reason}"
    caps = "memory and processes capped per sandbox (cgroup)" if total_caps() else (
        "no cap on a sandbox's processes together: root cannot make cgroups here")
    return f"sandbox: bubblewrap; {caps}"


if __name__ == "__main__":
    print(json.dumps({"available": not availability(), "reason": availability()}))
