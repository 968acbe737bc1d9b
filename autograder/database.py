"""The course's gradebook database: where it is, and the snapshot a grading step reads.

The gradebook is nbgrader's: SQLite in the course root (``gradebook.db``) by default, or any
database SQLAlchemy reaches, PostgreSQL when several graders share one.  Its URL comes, in order,
from ``--db URL`` (which sets :data:`URL_VARIABLE` for the command and every nbgrader process it
starts), the environment variable :data:`URL_VARIABLE`, nbgrader's ``CourseDirectory.db_url`` in
the course's configuration, else ``sqlite:///<course>/gradebook.db``.  The generated
``nbgrader_config.py`` reads the same variable (autograder/course_config.py), so plain nbgrader
commands run by the course see the same gradebook.

A grading step never opens this database: the driver gives each step a SQLite *snapshot* holding
only what ``nbgrader autograde`` reads of it (the course, the assignments, their notebooks and
cells, no learner's data), :func:`snapshot`; the driver alone writes the real gradebook
(:mod:`autograder.gradebook_writer`).
"""

import os
import tempfile
from pathlib import Path

URL_VARIABLE = "AUTOGRADER_DB_URL"
# What nbgrader autograde reads of the gradebook (the rest is learners' data, which a step
# neither needs nor sees: it creates its own student and submission rows in its copy).
SNAPSHOT_TABLES = (
    "course", "assignment", "notebook", "base_cell", "source_cell", "grade_cells",
    "solution_cells", "task_cells",
)  # fmt: skip


def normalise(url):
    """``url`` with PostgreSQL's driver named (``postgresql://`` means psycopg2 to SQLAlchemy;
    the course installs psycopg 3).  Raises ValueError for a URL SQLAlchemy cannot read."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(str(url))
    except ArgumentError as error:
        raise ValueError(
            f"--db: expected a database URL such as postgresql://user@host:5432/gradebook or "
            f"sqlite:////path/gradebook.db, got {url!r}"
        ) from error
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def use(url):
    """Make ``url`` the gradebook of this process and of the nbgrader processes it starts
    (``--db URL``); None leaves the environment's choice."""
    if url:
        os.environ[URL_VARIABLE] = normalise(url)


def url(course_dir):
    """The gradebook's SQLAlchemy URL for the course root ``course_dir`` (order: module doc)."""
    if os.environ.get(URL_VARIABLE):
        return normalise(os.environ[URL_VARIABLE])
    from autograder.gradebook_writer import course_config

    configured = course_config(str(Path(course_dir).resolve())).CourseDirectory.get("db_url")
    return configured or f"sqlite:///{Path(course_dir).resolve() / 'gradebook.db'}"


def exists(course_dir):
    """False for a SQLite gradebook whose file is not there yet (nothing released or graded);
    True otherwise (a server's database is created by nbgrader on first use)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url(course_dir))
    return parsed.get_backend_name() != "sqlite" or Path(parsed.database or "").exists()


def open_gradebook(course_dir):
    """nbgrader's Gradebook on the course's database (use as a context manager)."""
    from nbgrader.api import Gradebook

    return Gradebook(url(course_dir))


def snapshot(source_url, target):
    """Copy what a grading step reads of the gradebook at ``source_url`` into a new SQLite file
    ``target`` (replaced if it exists), in one read transaction (a consistent copy while the
    driver writes); return ``target`` as a Path."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, insert, select, text

    target = Path(target)
    target.unlink(missing_ok=True)
    source = create_engine(source_url, future=True)
    copy = create_engine(f"sqlite:///{target}", future=True)
    tables = [table for table in Base.metadata.sorted_tables if table.name in SNAPSHOT_TABLES]
    try:
        options = {} if source.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
        with source.connect().execution_options(**options) as reader, copy.begin() as writer:
            with reader.begin():
                rows = {table.name: reader.execute(select(table)).mappings().all()
                        for table in tables}  # fmt: skip
                version = reader.execute(text("SELECT version_num FROM alembic_version")).all()
            # nbgrader's tables and its schema version, as Gradebook() makes them (without the
            # `alembic heads` command it runs for a new database)
            Base.metadata.create_all(writer)
            writer.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            for (number,) in version:
                writer.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": number})
            for table in tables:
                if rows[table.name]:
                    writer.execute(insert(table), [dict(row) for row in rows[table.name]])
    finally:
        source.dispose()
        copy.dispose()
    return target


def snapshot_bytes(course_dir):
    """:func:`snapshot` of the course's gradebook, as the bytes of a SQLite file."""
    with tempfile.TemporaryDirectory(prefix="conv-gradebook-") as folder:
        return snapshot(url(course_dir), Path(folder) / "gradebook.db").read_bytes()
