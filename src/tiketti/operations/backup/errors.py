"""A backup or restore that cannot go on: one line for the operator, and an exit code."""

EX_FAILED = 1
EX_TEMPFAIL = 75  # sysexits.h (as cli.py): the database is unreachable; try again
EX_CONFIG = 78  # sysexits.h (as cli.py): a tool is missing or too old


class BackupError(Exception):
    def __init__(self, message: str, *, exit_code: int = EX_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
