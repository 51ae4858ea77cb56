"""The `tiketti` console script: Django's manage.py under the product's name."""

import os
import sys

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again
EX_CONFIG = 78  # sysexits.h: a configuration error


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiketti.settings")
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018  # loads the settings, which check the environment
    except Exception as error:  # a setting missing or wrong: say which, not a traceback
        sys.stderr.write(f"tiketti: the configuration is incomplete: {error}\n")
        # An MTA piping mail to `mail ingest` must retry later, never bounce: nothing is
        # stored yet, and the message waits on the mail server until this is fixed.
        sys.exit(EX_TEMPFAIL if sys.argv[1:3] == ["mail", "ingest"] else EX_CONFIG)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
