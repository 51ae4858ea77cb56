"""The manifest of a backup directory: what it holds, and how to tell it is intact."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import BackupError

FORMAT = "tiketti-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup directory, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    tiketti_version: str
    created_at: str  # ISO 8601, UTC
    database_vendor: str  # "sqlite" or "postgresql"
    database_file: str
    migrations: list[tuple[str, str]]  # (app, name) as applied, in order
    files: list[FileEntry]
    # Names rows pointed at that the storage no longer had when the backup was made.
    missing_files: list[str] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        data = {
            "format": self.format,
            "format_version": self.format_version,
            "tiketti_version": self.tiketti_version,
            "created_at": self.created_at,
            "database_vendor": self.database_vendor,
            "database_file": self.database_file,
            "migrations": [f"{app}.{name}" for app, name in self.migrations],
            "files": [asdict(entry) for entry in self.files],
            "missing_files": self.missing_files,
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @property
    def stored_files(self) -> list[FileEntry]:
        """The entries of stored files (not the database), by their storage name."""
        return [entry for entry in self.files if entry.path.startswith(FILES_DIR + "/")]


FILES_DIR = "files"


def storage_name(entry: FileEntry) -> str:
    return entry.path.removeprefix(FILES_DIR + "/")


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a directory")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{directory} has no {MANIFEST}: it is not a Tiketti backup") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"cannot read {path}: {error}") from None
    try:
        if data.get("format") != FORMAT:
            raise BackupError(f"{path} is not a Tiketti backup manifest")
        if int(data["format_version"]) > FORMAT_VERSION:
            raise BackupError(
                f"{path} has format version {data['format_version']}; this Tiketti reads "
                f"up to {FORMAT_VERSION}: restore with a newer Tiketti"
            )
        return Manifest(
            tiketti_version=str(data["tiketti_version"]),
            created_at=str(data["created_at"]),
            database_vendor=str(data["database_vendor"]),
            database_file=str(data["database_file"]),
            migrations=[_migration(str(item)) for item in data["migrations"]],
            files=[
                FileEntry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"]
            ],
            missing_files=[str(name) for name in data.get("missing_files", [])],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{path} is incomplete or damaged ({error!r})") from None


def _migration(item: str) -> tuple[str, str]:
    app, dot, name = item.partition(".")
    if not dot:
        raise ValueError(f"not a migration: {item}")
    return app, name


def write_private(path: Path, text: str) -> None:
    """A file only the service user can read, synced to disk."""
    with open_private(path) as out:
        out.write(text.encode("utf-8"))
        out.flush()
        os.fsync(out.fileno())


def open_private(path: Path) -> BinaryIO:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, "wb")


def make_private_dir(path: Path) -> None:
    """`path` and any missing parents, each 0700 (mkdir's mode is narrowed by the umask,
    and parents=True would give parents the default mode)."""
    if path.is_dir():
        return
    if not path.parent.is_dir():
        make_private_dir(path.parent)
    path.mkdir(mode=0o700)
    path.chmod(0o700)


def checksum(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def safe_relative(directory: Path, relative: str) -> Path:
    """`relative` inside `directory`; a name that climbs out (`../`) is refused."""
    path = (directory / relative).resolve()
    if not path.is_relative_to(directory.resolve()) or relative.startswith("/"):
        raise BackupError(f"refusing the file name {relative!r}: it points outside the backup")
    return path
