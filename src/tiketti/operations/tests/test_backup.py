"""`tiketti backup` and `tiketti restore` as an operator runs them: real processes, a real
database holding tickets, messages and attachment files, restored into a fresh one."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from tiketti.operations.backup import BackupError
from tiketti.operations.backup.manifest import read_manifest, safe_relative

SEED = """
from tiketti.accounts.tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tiketti.tickets import services
from tiketti.tickets.attachments import IncomingFile
aurora = OrganisationFactory(name="Aurora Oy", domain="aurora.example")
maija = ContactFactory(organisation=aurora, main=True, email="maija@aurora.example")
agent = UserFactory(agent=True, email="sanna@tiketti.example")
png = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 40
for n in range(3):
    ticket, _ = services.open_ticket(
        requester=maija, subject=f"Kassa {n} ei toimi", body_text=f"Maksu {n} antaa virheen.",
        channel="portal", files=[IncomingFile(f"kuva-{n}.png", png + bytes([n]))],
    )
    services.post_message(
        ticket=ticket, author=agent, body_text="Katsomme asiaa.", channel="portal",
        files=[IncomingFile("ohje.txt", f"Ohje {n}: käynnistä kassa uudelleen.".encode())],
    )
"""
# Everything but what `migrate` writes itself (content types, permissions), as JSON rows.
DUMP = ["dumpdata", "--exclude", "contenttypes", "--exclude", "auth.permission", "--indent", "1"]


def tiketti(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "tiketti"
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiketti.settings", "DEBUG": "1", **env}
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=full_env, timeout=timeout,
        check=False,
    )  # fmt: skip


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def install(tmp_path: Path, name: str, database_url: str) -> dict[str, str]:
    """The environment of one installation: its database and its own MEDIA_ROOT."""
    data = tmp_path / name
    data.mkdir()
    return {
        "DATABASE_URL": database_url,
        "TIKETTI_DATA_DIR": str(data),
        "MEDIA_ROOT": str(data / "media"),
    }


def round_trip(tmp_path: Path, source: dict[str, str], target: dict[str, str]) -> Path:
    """Fill `source`, back it up, restore into `target` (a new, empty database), and check
    the rows and files arrived whole. Returns the backup directory."""
    ok(tiketti("migrate", "-v", "0", env=source))
    ok(tiketti("shell", "-c", SEED, env=source))
    backup = tmp_path / "backup"
    done = tiketti("backup", str(backup), env=source)
    assert "backup written to" in ok(done) and "6 files" in done.stdout
    assert "files: 6/6" in done.stderr  # progress as it goes

    restored = tiketti("restore", str(backup), env=target)
    assert "restored" in ok(restored)
    before, after = ok(tiketti(*DUMP, env=source)), ok(tiketti(*DUMP, env=target))
    rows = json.loads(after)
    assert {"tickets.ticket", "tickets.message", "tickets.attachment"} <= {r["model"] for r in rows}
    assert sum(r["model"] == "tickets.attachment" for r in rows) == 6
    assert after == before
    source_files = files_under(Path(source["MEDIA_ROOT"]))
    assert len(source_files) == 6
    assert files_under(Path(target["MEDIA_ROOT"])) == source_files
    # The restored installation works: nothing is left to migrate, its checks pass.
    assert "No planned migration" in ok(tiketti("migrate", "--plan", env=target))
    return backup


def check_backup_directory(backup: Path, vendor: str) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["format"] == "tiketti-backup" and manifest["format_version"] == 1
    assert manifest["database_vendor"] == vendor
    assert "tickets.0001_initial" in manifest["migrations"]
    assert manifest["tiketti_version"] and manifest["created_at"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {str(path.relative_to(backup)) for path in backup.rglob("*") if path.is_file()} - {
        "manifest.json"
    }
    assert set(listed) == on_disk
    for path in backup.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700


def check_refusals(tmp_path: Path, backup: Path, target: dict[str, str]) -> None:
    """Over data without --force, and from a damaged backup: refused in one line."""
    again = tiketti("restore", str(backup), env=target)
    assert again.returncode == 1
    assert again.stderr.strip().splitlines()[-1].startswith("CommandError: the database already")
    assert ok(tiketti("restore", "--force", str(backup), env=target))

    manifest = json.loads((backup / "manifest.json").read_text())
    damaged = next(e["path"] for e in manifest["files"] if e["path"].endswith("ohje.txt"))
    (backup / damaged).chmod(0o600)
    (backup / damaged).write_bytes(b"changed")
    fresh = install(tmp_path, "fresh", target["DATABASE_URL"])
    refused = tiketti("restore", "--force", str(backup), env=fresh)
    assert refused.returncode == 1
    last = refused.stderr.strip().splitlines()[-1]
    assert last == f"CommandError: backup damaged: {damaged} does not match its checksum"
    assert not Path(fresh["MEDIA_ROOT"]).exists()  # nothing was restored


def test_sqlite_backup_restores_every_row_and_file_into_a_new_installation(tmp_path):
    source = install(tmp_path, "old", f"sqlite:///{tmp_path}/old.sqlite3")
    target = install(tmp_path, "new", f"sqlite:///{tmp_path}/new.sqlite3")
    backup = round_trip(tmp_path, source, target)
    check_backup_directory(backup, "sqlite")
    check_refusals(tmp_path, backup, target)


def test_backup_refuses_a_directory_that_is_not_empty_and_leaves_nothing_behind(tmp_path):
    source = install(tmp_path, "old", f"sqlite:///{tmp_path}/old.sqlite3")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    refused = tiketti("backup", str(tmp_path / "full"), env=source)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"CommandError: {tmp_path}/full exists and is not empty: " \
        "give a new directory"  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "old"]


def test_restore_of_a_directory_without_manifest_says_it_is_no_backup(tmp_path):
    source = install(tmp_path, "old", f"sqlite:///{tmp_path}/old.sqlite3")
    refused = tiketti("restore", str(tmp_path), env=source)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"CommandError: {tmp_path} has no manifest.json: it is not a Tiketti backup"
    )


def test_a_sqlite_backup_is_refused_by_a_postgresql_installation(tmp_path):
    source = install(tmp_path, "old", f"sqlite:///{tmp_path}/old.sqlite3")
    ok(tiketti("migrate", "-v", "0", env=source))
    ok(tiketti("backup", str(tmp_path / "b"), env=source))
    elsewhere = install(tmp_path, "pg", "postgres://nobody@127.0.0.1:1/none")
    refused = tiketti("restore", str(tmp_path / "b"), env=elsewhere)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "CommandError: this is a backup of a sqlite database; the configured database is "
        "postgresql (DATABASE_URL)"
    )


# PostgreSQL: databases of the test's own on the server the suite runs on.


def server_url(database: str) -> str:
    settings = connection.settings_dict
    password = quote(settings["PASSWORD"] or "")
    user = f"{quote(settings['USER'] or '')}{':' + password if password else ''}"
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{user}@{host}/{database}"


def admin_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
        user=settings["USER"], password=settings["PASSWORD"] or None, dbname="postgres",
        autocommit=True,
    )  # fmt: skip


@pytest.fixture
def two_postgres_databases():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL run only (DATABASE_URL=postgres://…)")
    names = [f"tiketti_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("old", "new")]
    with admin_connection() as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [server_url(name) for name in names]
    with admin_connection() as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_postgresql_backup_restores_every_row_and_file_into_a_new_database(
    tmp_path, two_postgres_databases
):
    old_url, new_url = two_postgres_databases
    source, target = install(tmp_path, "old", old_url), install(tmp_path, "new", new_url)
    backup = round_trip(tmp_path, source, target)
    check_backup_directory(backup, "postgresql")
    assert (backup / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    check_refusals(tmp_path, backup, target)


@pytest.mark.postgres
def test_backup_without_pg_dump_on_path_says_what_to_install(tmp_path, two_postgres_databases):
    source = install(tmp_path, "old", two_postgres_databases[0])
    refused = tiketti("backup", str(tmp_path / "b"), env={**source, "PATH": "/nonexistent"})
    assert refused.returncode == 78
    assert refused.stderr.strip().startswith("CommandError: pg_dump not found on PATH")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "b").exists()


# The manifest on its own: damaged or hostile ones are refused before anything is read.


def write_manifest(directory: Path, **changes) -> None:
    data = {
        "format": "tiketti-backup", "format_version": 1, "tiketti_version": "0.1.0",
        "created_at": "2026-12-04T02:30:00+00:00", "database_vendor": "sqlite",
        "database_file": "database.sqlite3", "migrations": ["tickets.0001_initial"],
        "files": [], "missing_files": [], **changes,
    }  # fmt: skip
    (directory / "manifest.json").write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format_version": 2}, "has format version 2; this Tiketti reads up to 1"),
        ({"format": "other"}, "is not a Tiketti backup manifest"),
        ({"migrations": ["nodot"]}, "is incomplete or damaged"),
        ({"files": [{"path": "x"}]}, "is incomplete or damaged"),
    ],
)
def test_a_manifest_from_elsewhere_is_refused_with_the_reason(tmp_path, changes, message):
    write_manifest(tmp_path, **changes)
    with pytest.raises(BackupError) as refused:
        read_manifest(tmp_path)
    assert message in refused.value.message


@pytest.mark.parametrize("name", ["../outside", "/etc/passwd", "files/../../outside"])
def test_a_file_name_that_leaves_the_backup_is_refused(tmp_path, name):
    with pytest.raises(BackupError) as refused:
        safe_relative(tmp_path, name)
    assert "points outside the backup" in refused.value.message
