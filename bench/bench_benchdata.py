"""`tiketti bench-data`: tickets per second into a fresh SQLite and PostgreSQL database.

Runs the real command in a child process (migrate, then `bench-data --tickets N`, three
messages each), N = BENCH_DATA_TICKETS (default 50,000), and extrapolates linearly to the
target: 1M tickets + 3M messages in at most 10 minutes on PostgreSQL (≥ 1,667 tickets/s).
A rate measured at N is an upper bound for 1M: the indexes grow as the tables do.
"""

import os
import re
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit

from bench.bench_intake import DEFAULT_POSTGRES, _postgres, _reference_loop_seconds, _safe

TICKETS = int(os.environ.get("BENCH_DATA_TICKETS", "50000"))
TARGET_SECONDS_FOR_MILLION = 600


def _measure(label: str, env: dict[str, str]) -> None:
    child_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    child_env |= env | {"SECRET_KEY": "bench"}  # DEBUG off: as in production
    command = [sys.executable, "-m", "tiketti.cli"]
    subprocess.run([*command, "migrate", "-v", "0"], env=child_env, check=True)
    done = subprocess.run(
        [*command, "bench-data", "--tickets", str(TICKETS)],
        env=child_env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = float(re.findall(r"done in ([\d.]+) s", done.stdout)[-1])
    million = 1_000_000 / (TICKETS / seconds)
    target = f", target ≤ {TARGET_SECONDS_FOR_MILLION // 60} min" if label == "postgresql" else ""
    print(
        f"   {label}: {TICKETS:,} tickets + {TICKETS * 3:,} messages in {seconds:.1f} s "
        f"({TICKETS / seconds:,.0f} tickets/s); 1M + 3M at that rate: "
        f"{million / 60:.1f} min{target}",
        flush=True,
    )


def run() -> None:
    print(
        f"   host: a fixed pure-Python loop takes {_reference_loop_seconds() * 1000:.0f} ms "
        "here (lower is faster; every figure below scales with it)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="tiketti-bench-") as data_dir:
        _measure("sqlite", {"TIKETTI_DATA_DIR": data_dir})
    server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    database = f"tiketti_bench_{os.getpid()}_benchdata"
    if not _postgres(server, f"CREATE DATABASE {database}"):
        print(f"   postgresql: cannot create a database at {_safe(server)}; skipped")
        return
    try:
        url = urlunsplit(urlsplit(server)._replace(path=f"/{database}"))
        with tempfile.TemporaryDirectory(prefix="tiketti-bench-") as data_dir:
            _measure("postgresql", {"DATABASE_URL": url, "TIKETTI_DATA_DIR": data_dir})
    finally:
        _postgres(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
