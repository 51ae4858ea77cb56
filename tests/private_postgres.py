"""A throw-away PostgreSQL cluster of a test's own, on a free loopback port, for tests that
stop and start the server (never the shared one others use).

Made with the server binaries in /usr/lib/postgresql/*/bin (Debian's layout). PostgreSQL
refuses to run as root: a root test runs it as the `postgres` OS user through runuser.
Without the binaries (or, as root, without that user) the test is skipped with the reason;
in CI (CI=true) it fails instead, as CI must run it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tiketti.mail.tests.servers import free_port


def server_binaries() -> Path | None:
    """The newest installed version's bin directory."""
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")]
    found.sort(key=lambda bin_dir: int(v) if (v := bin_dir.parent.name).isdigit() else 0)
    return found[-1] if found else None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


class PrivateCluster:
    def __init__(self, bin_dir: Path, directory: Path, run_as: str | None) -> None:
        self.bin_dir, self.directory, self.run_as = bin_dir, directory, run_as
        self.data = directory / "data"
        self.port = free_port()

    def _pg(self, tool: str, *args: str) -> None:
        command = [str(self.bin_dir / tool), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.directory / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {result.stderr.decode()}\n{tail}")

    def initialise(self) -> None:
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        # fsync off: the test stops the server cleanly; it is not about power cuts.
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._pg(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server goes away."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def create_database(self, name: str) -> str:
        """A new database; its URL."""
        with self.connect() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    bin_dir = server_binaries()
    if bin_dir is None:
        skip_or_fail("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
        raise AssertionError  # not reached: skip_or_fail raises
    run_as = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            skip_or_fail("running as root, and no postgres OS user to run the server as")
            raise
        if shutil.which("runuser") is None:
            skip_or_fail("running as root, and no runuser to run the server as postgres")
        run_as = "postgres"
    directory = Path(tempfile.mkdtemp(prefix="tiketti-pg-"))
    if run_as:
        os.chown(directory, user.pw_uid, user.pw_gid)
    cluster = PrivateCluster(bin_dir, directory, run_as)
    try:
        cluster.initialise()
        cluster.start()
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)
