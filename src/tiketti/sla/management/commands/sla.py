"""`tiketti sla deadline --calendar ... --start ... --target ...`: when an SLA target falls due.

Prints only the deadline (ISO 8601 with offset) so scripts can use it; bad input is a one-line
error on stderr and exit status 2.
"""

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiketti.sla.calendar import (
    BUILTIN_CALENDARS,
    BusinessCalendar,
    CalendarError,
    compute_deadline,
    parse_target,
)

USAGE_ERROR = 2


def resolve_calendar(value: str) -> BusinessCalendar:
    """The calendar an operator means by `value`: inline JSON, a built-in name, or a JSON file.

    This is the single place to teach the command new kinds of calendar (such as calendars
    stored in the database, looked up by name).
    """
    text = value.strip()
    if text.startswith("{"):
        return _calendar_from_text(text, "--calendar")
    stored = _stored_calendar(text)
    if stored is not None:
        return stored
    if text in BUILTIN_CALENDARS:
        return BUILTIN_CALENDARS[text]
    path = Path(text)
    if path.is_file():
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CalendarError(f"cannot read calendar file {text}: {error}") from None
        return _calendar_from_text(content, text)
    raise CalendarError(
        f"unknown calendar {value!r}: give calendar JSON, a path to a JSON file, "
        f"or one of {', '.join(sorted(BUILTIN_CALENDARS))}"
    )


def _stored_calendar(name: str) -> BusinessCalendar | None:
    """A calendar the admins keep in the database, by name. Without a usable database
    (a bare checkout, a script host) the command still works with JSON and built-ins."""
    from django.db import DatabaseError

    from tiketti.sla.models import BusinessCalendar as StoredCalendar

    try:
        stored = StoredCalendar.objects.filter(name=name).first()
    except DatabaseError:
        return None
    return stored.to_value() if stored is not None else None


def _calendar_from_text(text: str, source: str) -> BusinessCalendar:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CalendarError(f"{source} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise CalendarError(f"{source} must be a JSON object")
    try:
        return BusinessCalendar.from_json(data)
    except CalendarError as error:
        raise CalendarError(f"{source}: {error}") from None


def parse_start(text: str) -> datetime:
    """An ISO 8601 date-time that carries its UTC offset (or Z)."""
    example = "e.g. 2026-12-04T15:55:00+02:00"
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"--start {text!r} is not an ISO 8601 date-time; {example}") from None
    if start.tzinfo is None:
        raise CalendarError(f"--start {text!r} has no UTC offset; add one, {example}")
    return start


class Command(BaseCommand):
    help = "SLA tools. `sla deadline` prints when an SLA target falls due on a business calendar."
    # Pure arithmetic: no need to wait for (or be blocked by) the project's system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        deadline = actions.add_parser(
            "deadline",
            help="print the deadline of a target as ISO 8601",
            description="Print when TARGET falls due for something that arrived at START.",
        )
        deadline.add_argument(
            "--calendar",
            required=True,
            help=(
                "calendar JSON, a path to a JSON file, or a built-in name: "
                + ", ".join(sorted(BUILTIN_CALENDARS))
            ),
        )
        deadline.add_argument(
            "--start", required=True, help="arrival, ISO 8601 with offset: 2026-12-04T15:55+02:00"
        )
        deadline.add_argument(
            "--target", required=True, help="24h, 90bm, 16bh, 2bd or 'cutoff 16:00'"
        )

        calendar = actions.add_parser(
            "calendar",
            help="export or import a stored business calendar as JSON",
            description="Move business calendars in and out as the public calendar JSON.",
        )
        calendar_actions = calendar.add_subparsers(dest="calendar_action", required=True)
        export = calendar_actions.add_parser("export", help="print a calendar's JSON")
        export.add_argument("name", help="the stored calendar's name (or a built-in name)")
        load = calendar_actions.add_parser("import", help="create or replace a stored calendar")
        load.add_argument("name", help="name to store it under, e.g. helsinki-9-16")
        load.add_argument("file", help="a JSON file, or - for standard input")
        load.add_argument("--description", default="", help="what the calendar is for")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "deadline":
            self.stdout.write(
                self._deadline(options["calendar"], options["start"], options["target"])
            )
        elif options["calendar_action"] == "export":
            self.stdout.write(self._export(options["name"]))
        else:
            self.stdout.write(
                self._import(options["name"], options["file"], options["description"])
            )

    def _export(self, name: str) -> str:
        try:
            calendar = resolve_calendar(name)
        except CalendarError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        return json.dumps(calendar.to_json(), indent=2, ensure_ascii=False)

    def _import(self, name: str, source: str, description: str) -> str:
        from tiketti.sla.models import BusinessCalendar as StoredCalendar

        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            calendar = _calendar_from_text(text, source)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {source}: {error}", returncode=USAGE_ERROR) from None
        except CalendarError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        _, created = StoredCalendar.objects.update_or_create(
            name=name, defaults={"definition": calendar.to_json(), "description": description}
        )
        return f"{'created' if created else 'replaced'} calendar {name}"

    def _deadline(self, calendar_value: str, start_text: str, target_text: str) -> str:
        try:
            calendar = resolve_calendar(calendar_value)
            start = parse_start(start_text)
            target = parse_target(target_text)
            return compute_deadline(calendar, start, target).isoformat()
        except CalendarError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
