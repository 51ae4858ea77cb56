"""`tiketti mail …` when the database fails: one line an operator can act on, never a
traceback, and exit 75 wherever the mail server (or cron) should try again."""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from tiketti.mail.models import InboundMessage, Mailbox
from tiketti.tickets.models import Ticket, TicketSequence

from .test_inbound import make, tiketti

Status = InboundMessage.Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def file_or_server_database():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("the commands run in processes of their own: needs a file or server database")


def database_url() -> str:
    """The test database, for a command run in a process of its own."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = quote(settings["PASSWORD"] or "")
    user = f"{quote(settings['USER'] or '')}{':' + password if password else ''}"
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{user}@{host}/{settings['NAME']}"


def other_connection() -> sqlite3.Connection | psycopg.Connection:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def lock(holder: sqlite3.Connection | psycopg.Connection, table: str) -> None:
    """Hold SQLite's write lock (every table), or on PostgreSQL a lock on `table` that
    even readers wait for."""
    if isinstance(holder, sqlite3.Connection):
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder.execute("BEGIN")
        holder.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")


# A command gives up on a lock within a second: SQLite's busy timeout, PostgreSQL's
# lock_timeout (libpq reads PGOPTIONS).
IMPATIENT = {"TIKETTI_SQLITE_TIMEOUT": "1", "PGOPTIONS": "-c lock_timeout=1000"}


@pytest.fixture
def new_tickets_refused():
    """A trigger that fails every new ticket: processing fails, and not for a passing
    reason (as a bug would). Dropped afterwards: a flush empties tables, not triggers."""
    table = Ticket._meta.db_table
    holder = other_connection()
    if isinstance(holder, sqlite3.Connection):
        holder.execute(
            f"CREATE TRIGGER refuse_tickets BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'tickets refused'); END"
        )
    else:
        holder.execute(
            "CREATE FUNCTION refuse_tickets() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'tickets refused'; END $$"
        )
        holder.execute(
            f"CREATE TRIGGER refuse_tickets BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_tickets()"
        )
    yield
    if isinstance(holder, sqlite3.Connection):
        holder.execute("DROP TRIGGER refuse_tickets")
    else:
        holder.execute(f"DROP TRIGGER refuse_tickets ON {table}")
        holder.execute("DROP FUNCTION refuse_tickets()")
    holder.close()


def test_ingest_that_stored_but_could_not_process_says_so_in_one_line(
    main_user, new_tickets_refused
):
    """Stored is the promise: exit 0, one line, no traceback for the mail server's
    delivery record; an admin finds the message failed, with its traceback."""
    result = tiketti(
        "mail", "ingest", stdin=make().as_bytes(), env={"DATABASE_URL": database_url()}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == ["held processing-failed"]
    assert b"Traceback" not in result.stderr
    row = InboundMessage.objects.get()
    assert row.status == Status.FAILED and not row.will_retry
    assert "tickets refused" in row.error and "Traceback" in row.error


def test_ingest_that_met_a_locked_table_leaves_the_message_to_the_worker(main_user):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite locks the whole file: storing would wait for the lock too")
    TicketSequence.objects.get_or_create(prefix="AB")
    holder = other_connection()
    lock(holder, TicketSequence._meta.db_table)
    env = {"DATABASE_URL": database_url(), **IMPATIENT}
    result = tiketti("mail", "ingest", stdin=make().as_bytes(), env=env)
    holder.close()
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.decode().splitlines()
    assert line.startswith("held retry-later (stored; processed again automatically at ")
    assert b"Traceback" not in result.stderr
    assert InboundMessage.objects.get().will_retry


def test_ingest_that_cannot_store_exits_75_with_one_line(main_user):
    holder = other_connection()
    lock(holder, InboundMessage._meta.db_table)
    env = {"DATABASE_URL": database_url(), **IMPATIENT}
    result = tiketti("mail", "ingest", stdin=make().as_bytes(), env=env)
    holder.close()
    assert result.returncode == 75, result.stderr
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("tiketti: message not stored (OperationalError: ")
    assert line.endswith("the mail server keeps it and tries again")
    assert not InboundMessage.objects.exists()


def test_fetch_with_a_locked_database_exits_75_with_one_line(db):
    Mailbox.objects.create(
        name="Support", address="support@tiketti.localhost", imap_host="127.0.0.1", imap_port=9
    )
    holder = other_connection()
    lock(holder, Mailbox._meta.db_table)
    env = {"DATABASE_URL": database_url(), **IMPATIENT}
    result = tiketti("mail", "fetch", env=env)
    holder.close()
    assert result.returncode == 75, result.stderr
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("tiketti: mail not fetched: database error (OperationalError: ")
    assert result.stdout == b""


def test_any_command_meeting_a_database_error_says_what_to_do_and_traceback_shows_more():
    env = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/missing"}
    plain = tiketti("mail", "retry", env=env)
    assert plain.returncode == 75
    assert plain.stderr.decode().startswith("tiketti: database error (OperationalError: ")
    assert b"Traceback" not in plain.stderr
    developer = tiketti("mail", "--traceback", "retry", env=env)
    assert b"Traceback" in developer.stderr
