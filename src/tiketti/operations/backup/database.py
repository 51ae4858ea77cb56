"""The database part: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL.

Each dump also reads, in the same snapshot, the applied migrations and the names of the
stored files the rows point at, so the files copied afterwards match the rows dumped.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.db import connection
from django.db.models import FileField

from .errors import EX_CONFIG, BackupError
from .manifest import open_private

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"


class Cursor(Protocol):
    def execute(self, sql: str, /) -> Any: ...
    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True)
class Snapshot:
    file: str
    migrations: list[tuple[str, str]]
    stored_files: list[str]


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field of every installed model."""
    columns: list[tuple[str, str]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField) and model_field.column:
                columns.append((model._meta.db_table, model_field.column))
    return sorted(columns)


def read_snapshot(cursor: Cursor, tables: set[str], file: str) -> Snapshot:
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    names: set[str] = set()
    for table, column in file_columns():
        if table in tables:
            cursor.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')  # noqa: S608 - names from the models
            names.update(str(row[0]) for row in cursor.fetchall())
    return Snapshot(file, migrations, sorted(names))


# SQLite ----------------------------------------------------------------------------


def _sqlite_path() -> str:
    return str(connection.settings_dict["NAME"])


def dump_sqlite(directory: Path) -> Snapshot:
    """One read transaction copies the whole database while web and worker go on (WAL)."""
    target = directory / SQLITE_FILE
    open_private(target).close()  # created 0600 before sqlite3 writes into it
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: a consistent copy however busy
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        return read_snapshot(copy.cursor(), tables, SQLITE_FILE)
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy the SQLite database {_sqlite_path()}: {error}") from None
    finally:
        copy.close()
        source.close()


def sqlite_has_data() -> tuple[int, int]:
    path = Path(_sqlite_path())
    if not path.exists() or path.stat().st_size == 0:
        return 0, 0
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        return _count_people_and_tickets(database.cursor(), _sqlite_tables(database))
    finally:
        database.close()


def _sqlite_tables(database: sqlite3.Connection) -> set[str]:
    return {row[0] for row in database.execute("SELECT name FROM sqlite_master")}


def restore_sqlite(backup_file: Path) -> None:
    """Replaces the database's content in one write transaction (the backup API)."""
    connection.close()
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    Path(_sqlite_path()).parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(_sqlite_path(), timeout=60)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore the SQLite database {_sqlite_path()}: {error}") from None
    finally:
        target.close()
        source.close()


# PostgreSQL ------------------------------------------------------------------------


def _count_people_and_tickets(cursor: Cursor, tables: set[str]) -> tuple[int, int]:
    counts = []
    for table in ("accounts_user", "tickets_ticket"):
        if table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed names
            counts.append(int(cursor.fetchall()[0][0]))
        else:
            counts.append(0)
    return counts[0], counts[1]


def postgres_has_data() -> tuple[int, int]:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return _count_people_and_tickets(cursor, tables)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found on PATH: install the PostgreSQL client "
            f"(Debian: apt-get install postgresql-client-{_server_major()})",
            exit_code=EX_CONFIG,
        )
    return found


def _server_major() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def tool_major(path: str) -> int:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    if result.returncode != 0 or found is None:
        raise BackupError(f"cannot tell the version of {path}", exit_code=EX_CONFIG)
    return int(found.group(1))


def checked_tool(name: str) -> str:
    """pg_dump or pg_restore, refused when older than the server (it could not read it)."""
    path = _tool(name)
    server, tool = _server_major(), tool_major(path)
    if tool < server:
        raise BackupError(
            f"{path} is version {tool}, older than the PostgreSQL server ({server}): install "
            f"postgresql-client-{server} and put its {name} first on PATH",
            exit_code=EX_CONFIG,
        )
    return path


def _libpq_environment() -> dict[str, str]:
    """The configured database for pg_dump/pg_restore; the password never on a command line."""
    settings_dict = connection.settings_dict
    values = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": settings_dict.get("NAME") or "",
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


@contextmanager
def _exported_snapshot() -> Iterator[tuple[str, Cursor, set[str]]]:
    """A repeatable-read transaction whose snapshot pg_dump can share; open until exit."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = str(cursor.fetchall()[0][0])
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = {str(row[0]) for row in cursor.fetchall()}
        yield snapshot_id, cursor, tables
        cursor.execute("COMMIT")
    finally:
        raw.close()


def dump_postgres(directory: Path, progress: Callable[[str], None]) -> Snapshot:
    pg_dump = checked_tool("pg_dump")
    target = directory / POSTGRES_FILE
    open_private(target).close()
    with _exported_snapshot() as (snapshot_id, cursor, tables):
        snapshot = read_snapshot(cursor, tables, POSTGRES_FILE)
        progress(f"database: pg_dump of {connection.settings_dict['NAME']}…")
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
            "pg_dump",
        )
    return snapshot


def restore_postgres(backup_file: Path, *, replace: bool) -> None:
    """pg_restore in one transaction: the database is restored whole, or left as it was.
    `replace`: tables the backup does not have (of a newer Tiketti) are dropped first."""
    pg_restore = checked_tool("pg_restore")
    if replace:
        _drop_tables_not_in(pg_restore, backup_file)
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(backup_file),
        ],
        "pg_restore",
    )


def _drop_tables_not_in(pg_restore: str, backup_file: Path) -> None:
    listing = _run([pg_restore, "--list", str(backup_file)], "pg_restore --list")
    in_backup = set(re.findall(r"\bTABLE \S+ (\S+) ", listing))
    extra = set(connection.introspection.table_names()) - in_backup
    if extra:
        with connection.cursor() as cursor:
            for table in sorted(extra):
                cursor.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    connection.close()


def _run(command: list[str], name: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own arguments
        command, capture_output=True, text=True, env=_libpq_environment(), check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        detail = "; ".join(lines[:2]) or f"exit status {result.returncode}"
        raise BackupError(f"{name} failed: {detail[:400]}")
    return result.stdout
