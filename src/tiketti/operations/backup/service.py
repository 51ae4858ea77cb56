"""Making and restoring a backup directory (see the package's docstring)."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import database
from .errors import BackupError
from .manifest import (
    CHUNK,
    FILES_DIR,
    MANIFEST,
    FileEntry,
    Manifest,
    checksum,
    make_private_dir,
    open_private,
    read_manifest,
    safe_relative,
    storage_name,
    write_private,
)

Progress = Callable[[str], None]
# A progress line at most this often (seconds) while files are copied or checked.
PROGRESS_EVERY = 2.0


def _tiketti_version() -> str:
    try:
        return version("tiketti")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _storage() -> Storage:
    return default_storage


class _Ticker:
    """Says how far a long run is, every couple of seconds and at the end."""

    def __init__(self, progress: Progress, what: str, total: int) -> None:
        self.progress, self.what, self.total = progress, what, total
        self.done, self.bytes, self.last = 0, 0, time.monotonic()

    def step(self, size: int) -> None:
        self.done += 1
        self.bytes += size
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or self.done == self.total:
            self.last = now
            megabytes = self.bytes / (1024 * 1024)
            self.progress(f"{self.what}: {self.done}/{self.total} ({megabytes:.1f} MB)")


# Backup ----------------------------------------------------------------------------


def make_backup(target: Path, progress: Progress) -> Manifest:
    """Write a complete backup to `target` (absent or empty), or nothing at all."""
    target = target.absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} exists and is not empty: give a new directory")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} does not exist")
    partial = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    make_private_dir(partial)
    try:
        manifest = _write_backup(partial, progress)
        if target.exists():
            target.rmdir()
        partial.rename(target)
        _sync_directory(target.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _write_backup(directory: Path, progress: Progress) -> Manifest:
    created_at = timezone.now().isoformat(timespec="seconds")
    if connection.vendor == "sqlite":
        progress("database: copying the SQLite database…")
        snapshot = database.dump_sqlite(directory)
    elif connection.vendor == "postgresql":
        snapshot = database.dump_postgres(directory, progress)
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    size, digest = checksum(directory / snapshot.file)
    progress(f"database: {size / (1024 * 1024):.1f} MB")
    entries = [FileEntry(snapshot.file, size, digest)]
    copied, missing = _copy_files(directory, snapshot.stored_files, progress)
    manifest = Manifest(
        tiketti_version=_tiketti_version(),
        created_at=created_at,
        database_vendor=connection.vendor,
        database_file=snapshot.file,
        migrations=snapshot.migrations,
        files=entries + copied,
        missing_files=missing,
    )
    write_private(directory / MANIFEST, manifest.to_json())
    _sync_directory(directory)
    return manifest


def _copy_files(
    directory: Path, names: list[str], progress: Progress
) -> tuple[list[FileEntry], list[str]]:
    storage = _storage()
    files_dir = directory / FILES_DIR
    make_private_dir(files_dir)
    entries: list[FileEntry] = []
    missing: list[str] = []
    ticker = _Ticker(progress, "files", len(names))
    for name in names:
        relative = f"{FILES_DIR}/{name}"
        path = safe_relative(directory, relative)
        make_private_dir(path.parent)
        try:
            source = storage.open(name, "rb")
        except FileNotFoundError:
            missing.append(name)
            progress(f"warning: {name} is named in the database but missing from storage")
            ticker.step(0)
            continue
        digest, size = hashlib.sha256(), 0
        with source, open_private(path) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        entries.append(FileEntry(relative, size, digest.hexdigest()))
        ticker.step(size)
    return entries, missing


def _sync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Restore ---------------------------------------------------------------------------


def restore_backup(source: Path, *, force: bool, progress: Progress) -> Manifest:
    """Check the backup whole, then restore the database, then the files."""
    source = source.absolute()
    manifest = read_manifest(source)
    _check_vendor(manifest)
    _check_migrations_known(manifest)
    verify_files(source, manifest, progress)
    if not force:
        _check_database_empty()
    to_write = _files_to_write(source, manifest, force=force)
    backup_file = safe_relative(source, manifest.database_file)
    progress("database: restoring…")
    if manifest.database_vendor == "sqlite":
        database.restore_sqlite(backup_file)
    else:
        database.restore_postgres(backup_file, replace=force)
    progress("database: restored")
    _write_files(source, to_write, progress)
    return manifest


def _check_vendor(manifest: Manifest) -> None:
    if manifest.database_vendor != connection.vendor:
        raise BackupError(
            f"this is a backup of a {manifest.database_vendor} database; the configured "
            f"database is {connection.vendor} (DATABASE_URL)"
        )


def _check_migrations_known(manifest: Manifest) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
    if unknown:
        raise BackupError(
            f"the backup was made by a newer Tiketti ({manifest.tiketti_version}; migration "
            f"{unknown[0]} is unknown here): install that version or newer, then restore"
        )


def verify_files(source: Path, manifest: Manifest, progress: Progress) -> None:
    """Every file present with its size and checksum, before anything is changed."""
    ticker = _Ticker(progress, "checking", len(manifest.files))
    for entry in manifest.files:
        path = safe_relative(source, entry.path)
        if not path.is_file():
            raise BackupError(f"backup damaged: {entry.path} is missing")
        size, digest = checksum(path)
        if size != entry.size or digest != entry.sha256:
            raise BackupError(f"backup damaged: {entry.path} does not match its checksum")
        ticker.step(size)


def _check_database_empty() -> None:
    if connection.vendor == "sqlite":
        people, tickets = database.sqlite_has_data()
    else:
        people, tickets = database.postgres_has_data()
    if people or tickets:
        raise BackupError(
            f"the database already holds data ({people} people, {tickets} tickets): restore "
            "into an empty database, or give --force to replace it"
        )


def _files_to_write(source: Path, manifest: Manifest, *, force: bool) -> list[FileEntry]:
    """The files storage lacks; a different file under the same name is refused
    without `force` (and replaced with it)."""
    storage = _storage()
    needed = []
    for entry in manifest.stored_files:
        name = storage_name(entry)
        if storage.exists(name):
            with storage.open(name, "rb") as present:
                same = hashlib.file_digest(present, "sha256").hexdigest() == entry.sha256
            if same:
                continue
            if not force:
                raise BackupError(
                    f"the file storage already has a different {name}: restore into an "
                    "empty MEDIA_ROOT, or give --force to replace it"
                )
        needed.append(entry)
    return needed


def _write_files(source: Path, entries: Iterable[FileEntry], progress: Progress) -> None:
    storage = _storage()
    entries = list(entries)
    ticker = _Ticker(progress, "files", len(entries))
    for entry in entries:
        name = storage_name(entry)
        if storage.exists(name):
            storage.delete(name)
        with safe_relative(source, entry.path).open("rb") as content:
            saved = storage.save(name, File(content))
        if saved != name:
            raise BackupError(f"the file storage stored {name} as {saved}; restore stopped")
        ticker.step(entry.size)
