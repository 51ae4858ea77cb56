"""`tiketti sla deadline`: through call_command, and once through the real console script."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tiketti.sla.management.commands.sla import resolve_calendar

# The command looks calendars up in the database first (admins may override built-ins).
pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_INDEPENDENCE_DAY = "2026-12-04T15:55:00+02:00"


def run_deadline(calendar: str, start: str, target: str) -> str:
    out = StringIO()
    call_command(
        "sla", "deadline", "--calendar", calendar, "--start", start, "--target", target, stdout=out
    )
    return out.getvalue()


@pytest.mark.parametrize(
    ("calendar", "start", "target", "expected"),
    [
        ("helsinki-9-16", FRIDAY_BEFORE_INDEPENDENCE_DAY, "2bd", "2026-12-08T15:55:00+02:00"),
        ("helsinki-9-16", FRIDAY_BEFORE_INDEPENDENCE_DAY, "cutoff 16:00",
         "2026-12-04T16:00:00+02:00"),
        ("helsinki-9-16", FRIDAY_BEFORE_INDEPENDENCE_DAY, "24h", "2026-12-05T15:55:00+02:00"),
        ("helsinki-8-17", "2026-12-04T16:30+02:00", "8bh", "2026-12-07T15:30:00+02:00"),
        ("warsaw-9-16", "2026-12-23T14:00:00Z", "1bd", "2026-12-28T15:00:00+01:00"),
        ("helsinki-weekdays-saturday-morning", "2026-12-11T15:30+02:00", "1bd",
         "2026-12-12T12:00:00+02:00"),
        ("helsinki-24-7-priority", "2027-03-27T12:00+02:00", "24bh", "2027-03-28T13:00:00+03:00"),
    ],
)  # fmt: skip
def test_builtin_calendars(calendar: str, start: str, target: str, expected: str) -> None:
    assert run_deadline(calendar, start, target) == expected + "\n"


def test_inline_json_calendar() -> None:
    calendar = json.dumps(
        {"tz": "Europe/Helsinki", "hours": {"mon": ["09:00-16:00"]}, "closed": ["2026-12-07"]}
    )
    # Friday is closed, so the start moves to the next opening: Monday 14th (the 7th is
    # closed) at 09:00; one business day later is the next Monday.
    output = run_deadline(calendar, FRIDAY_BEFORE_INDEPENDENCE_DAY, "1bd")
    assert output == "2026-12-21T09:00:00+02:00\n"


def test_calendar_file(tmp_path: Path) -> None:
    path = tmp_path / "office.json"
    path.write_text(
        json.dumps({"tz": "Europe/Warsaw", "hours": {"fri": ["08:00-20:00"]}}), encoding="utf-8"
    )
    output = run_deadline(str(path), "2026-12-04T15:55:00+01:00", "4bh")
    assert output == "2026-12-04T19:55:00+01:00\n"


@pytest.mark.parametrize(
    ("calendar", "start", "target", "message"),
    [
        ("helsinki-9-16", "2026-12-04T15:55", "2bd", "has no UTC offset; add one"),
        ("helsinki-9-16", "next friday", "2bd", "is not an ISO 8601 date-time"),
        ("helsinki-9-16", FRIDAY_BEFORE_INDEPENDENCE_DAY, "2 days", "use Nh, Nbm, Nbh, Nbd"),
        ("helsinki-9-17", FRIDAY_BEFORE_INDEPENDENCE_DAY, "2bd",
         "unknown calendar 'helsinki-9-17'.*helsinki-9-16"),
        ('{"tz": "Europe/Helsinki", "hours": {"mon": ["09:00-16:00"]',
         FRIDAY_BEFORE_INDEPENDENCE_DAY, "2bd", "not valid JSON"),
        ('{"tz": "Europe/Helsinki", "hours": {"monday": ["09:00-16:00"]}}',
         FRIDAY_BEFORE_INDEPENDENCE_DAY, "2bd", "unknown weekday 'monday'"),
        ('{"tz": "Europe/Helsinki", "hours": {}}', FRIDAY_BEFORE_INDEPENDENCE_DAY, "2bd",
         "no opening hours"),
    ],
)  # fmt: skip
def test_bad_input_is_a_usage_error(calendar: str, start: str, target: str, message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        run_deadline(calendar, start, target)
    assert raised.value.returncode == 2


def test_resolve_calendar_reads_files_and_names(tmp_path: Path) -> None:
    assert resolve_calendar("helsinki-9-16").holidays == ("FI",)
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="must be a JSON object"):
        resolve_calendar(str(broken))


def console(*arguments: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "tiketti"
    environment = os.environ | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "tiketti.settings"}
    return subprocess.run(
        [str(script), "sla", "deadline", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_console_script() -> None:
    done = console(
        "--calendar", "helsinki-9-16", "--start", FRIDAY_BEFORE_INDEPENDENCE_DAY, "--target", "2bd"
    )
    assert (done.returncode, done.stdout) == (0, "2026-12-08T15:55:00+02:00\n"), done.stderr

    refused = console(
        "--calendar", "helsinki-9-16", "--start", FRIDAY_BEFORE_INDEPENDENCE_DAY, "--target", "2x"
    )
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert "unknown SLA target '2x'" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_stored_calendar_is_found_by_name_and_overrides_a_builtin():
    from tiketti.sla.models import BusinessCalendar as StoredCalendar

    StoredCalendar.objects.create(
        name="helsinki-9-16",
        definition={"tz": "Europe/Helsinki", "hours": {"fri": ["09:00-17:00"]}, "holidays": []},
    )
    out = StringIO()
    call_command(
        "sla",
        "deadline",
        "--calendar",
        "helsinki-9-16",
        "--start",
        "2026-12-04T16:30:00+02:00",
        "--target",
        "cutoff 16:00",
        stdout=out,
    )
    assert out.getvalue().strip() == "2026-12-11T17:00:00+02:00"


def test_calendar_export_and_import_round_trip(tmp_path):
    out = StringIO()
    call_command("sla", "calendar", "export", "warsaw-9-16", stdout=out)
    path = tmp_path / "warsaw.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    message = StringIO()
    call_command("sla", "calendar", "import", "my-warsaw", str(path), stdout=message)
    assert message.getvalue().strip() == "created calendar my-warsaw"
    again = StringIO()
    call_command("sla", "calendar", "export", "my-warsaw", stdout=again)
    assert again.getvalue() == out.getvalue()
