"""`tiketti backup DIR` and `tiketti restore DIR`: the database and every stored file.

A backup directory holds the database (SQLite's online-backup copy, or PostgreSQL's
`pg_dump --format=custom`), the files the database's rows name (attachments, article
files) under `files/`, and `manifest.json`: format version, Tiketti version, database
vendor, applied migrations, every file with its size and SHA-256, and when it was made.

Both databases are read at one moment: SQLite's backup is one read transaction, and on
PostgreSQL the file names are read in the snapshot `pg_dump --snapshot` dumps. A backup
is written to a hidden directory beside DIR and renamed to DIR when complete, so DIR is
either a whole backup or absent. Restore checks everything it can before it changes
anything: the manifest, every checksum, the tools, that the database is empty.
"""

from .errors import BackupError
from .service import make_backup, restore_backup

__all__ = ["BackupError", "make_backup", "restore_backup"]
