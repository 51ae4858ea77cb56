"""SQLite runs with the options that make concurrent writers queue, however it is named."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiketti.settings import SQLITE_OPTIONS

SHOW = (
    "import json; from django.db import connection; c = connection.cursor(); "
    "print(json.dumps({'mode': connection.transaction_mode, "
    "'journal': c.execute('PRAGMA journal_mode').fetchone()[0], "
    "'busy_ms': c.execute('PRAGMA busy_timeout').fetchone()[0]}))"
)


@pytest.mark.parametrize("named_by", ["DATABASE_URL", "TIKETTI_DATA_DIR"])
def test_sqlite_takes_the_write_lock_at_begin_and_waits_for_it(tmp_path, named_by):
    """A deferred BEGIN fails at once with "database is locked" when a reader turns
    writer under parallel deliveries; IMMEDIATE with a busy timeout queues instead."""
    if named_by == "DATABASE_URL":
        where = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tiketti.sqlite3'}"}
    else:
        where = {"DATABASE_URL": "", "TIKETTI_DATA_DIR": str(tmp_path)}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tiketti.settings", "DEBUG": "1", **where}
    env["TIKETTI_SQLITE_TIMEOUT"] = "7"
    script = Path(sys.executable).parent / "tiketti"
    result = subprocess.run(
        [str(script), "shell", "-c", SHOW], env=env, capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert shown == {"mode": "IMMEDIATE", "journal": "wal", "busy_ms": 7000}


def test_the_tests_run_sqlite_as_production_does(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "tiketti.sqlite":
        pytest.skip("the tests run on PostgreSQL")
    assert database["OPTIONS"] == SQLITE_OPTIONS


def test_a_command_started_while_another_process_holds_the_write_lock_passes_its_checks(
    tmp_path,
):
    """Django asked SQLite whether it has JSON inside an (IMMEDIATE) transaction: a
    command started during a lock longer than the busy timeout failed its system checks
    with "SQLite does not support JSONFields", so a worker restarted then exited again."""
    import sqlite3

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tiketti.settings",
        "DEBUG": "1",
        "DATABASE_URL": "",
        "TIKETTI_DATA_DIR": str(tmp_path),
        "TIKETTI_SQLITE_TIMEOUT": "1",
    }
    script = str(Path(sys.executable).parent / "tiketti")
    subprocess.run([script, "migrate", "-v", "0"], env=env, timeout=120, check=True)
    locker = sqlite3.connect(tmp_path / "tiketti.sqlite3", isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        result = subprocess.run(
            [script, "check"], env=env, capture_output=True, timeout=60, check=False
        )
    finally:
        locker.close()
    assert result.returncode == 0, result.stderr.decode()
    assert b"does not support JSONFields" not in result.stderr
