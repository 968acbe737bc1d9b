"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` (installed by
scripts/setup.sh), ``initdb`` in a temporary folder, ``pg_ctl`` on 127.0.0.1 and a free port,
trust authentication for the one role it creates, stopped and deleted when the block ends.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
``postgres`` user the Debian package creates (``setpriv``)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROLE = "grader"


def binaries():
    """The folder of initdb and pg_ctl (the newest installed major version)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda path: int(path.parts[-3]))  # fmt: skip
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: run bash scripts/setup.sh")
    return versions[-1].parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_server_user(command):
    """``command`` run as the postgres user when we are root (PostgreSQL refuses root)."""
    if os.getuid() != 0:
        return command
    user = pwd.getpwnam("postgres")
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
            *command]  # fmt: skip


@contextmanager
def postgres_server(database="gradebook"):
    """Start a server with one database; yield its SQLAlchemy URL (psycopg, TCP on loopback)."""
    folder = Path(tempfile.mkdtemp(prefix="conv-postgres-"))
    data, port = folder / "data", free_port()
    if os.getuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    bin_folder = binaries()

    def run(*command):
        subprocess.run(as_server_user([str(bin_folder / command[0]), *command[1:]]),
                       check=True, capture_output=True, text=True, timeout=120)  # fmt: skip

    run("initdb", "-D", str(data), "-A", "trust", "-U", ROLE, "--no-sync", "-E", "UTF8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user={ROLE} dbname=postgres",
                             autocommit=True) as connection:  # fmt: skip
            connection.execute(f'CREATE DATABASE "{database}"')
        yield f"postgresql+psycopg://{ROLE}@127.0.0.1:{port}/{database}"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
