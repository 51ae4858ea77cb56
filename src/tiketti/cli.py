"""The `tiketti` console script: Django's manage.py under the product's name."""

import os
import sys

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again
EX_CONFIG = 78  # sysexits.h: a configuration error


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiketti.settings")
    # An MTA piping mail to `mail ingest` must retry later, never bounce: whatever stops
    # it before the message is stored, the message waits on the mail server.
    is_ingest = sys.argv[1:3] == ["mail", "ingest"]
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  # loads the settings, which check the environment
    except Exception as error:  # a setting missing or wrong: say which, not a traceback
        sys.stderr.write(f"tiketti: the configuration is incomplete: {error}\n")
        sys.exit(EX_TEMPFAIL if is_ingest else EX_CONFIG)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        if "--traceback" in sys.argv:  # for developers: Django's own behaviour
            raise
        sys.stderr.write(f"tiketti: {_what_failed(error)}\n")
        sys.exit(_exit_code(error, is_ingest))


def _what_failed(error: Exception) -> str:
    """One line an operator can act on, instead of a traceback."""
    from django.db import DatabaseError

    text = " ".join(str(error).split()) or "no details"
    found = f"{type(error).__name__}: {text}"[:500]
    if isinstance(error, DatabaseError):
        return (
            f"database error ({found}); check that the database is running, reachable and "
            "migrated (tiketti migrate), then try again"
        )
    return f"failed ({found}); run the command again with --traceback for the details"


def _exit_code(error: Exception, is_ingest: bool) -> int:
    from django.db import InterfaceError, OperationalError

    # A database that is locked, down or unreachable is a passing state: try again.
    if is_ingest or isinstance(error, OperationalError | InterfaceError):
        return EX_TEMPFAIL
    return 1


if __name__ == "__main__":
    main()
