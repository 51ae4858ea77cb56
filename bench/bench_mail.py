"""Inbound mail parsing throughput: ``parse_email`` over the shared corpus, both parser policies.

Run: ``.venv/bin/python -m bench bench_mail`` (from the repository root). Prints messages per
second for ``email.policy.compat32`` (the default in ``tiketti.mail.parsing``) and
``email.policy.default``, plus peak traced memory for one pass.
"""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

from tiketti.mail.parsing import PolicyName, parse_email

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "mail"
TOTAL_PARSES = int(os.environ.get("BENCH_MAIL_PARSES", "2000"))
PEAK_SAMPLE = 25


def _corpus() -> list[bytes]:
    files = [
        path
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file()
        and "LICENSES" not in path.relative_to(CORPUS).parts
        and not path.name.startswith(".")
        and path.name != "LICENSES.md"
    ]
    return [path.read_bytes() for path in files]


def _rate(messages: list[bytes], policy: PolicyName) -> tuple[float, float]:
    """(messages per second, megabytes per second) over TOTAL_PARSES parses."""
    parsed_bytes = 0
    started = time.perf_counter()
    for index in range(TOTAL_PARSES):
        raw = messages[index % len(messages)]
        parse_email(raw, policy=policy)
        parsed_bytes += len(raw)
    elapsed = time.perf_counter() - started
    return TOTAL_PARSES / elapsed, parsed_bytes / elapsed / 1_000_000


def _peak_memory(messages: list[bytes], policy: PolicyName) -> tuple[float, int]:
    """Peak traced memory (MB) while parsing, and the size of the message that needed it.

    Tracing is slow, so only the largest messages are traced: they set the peak.
    """
    largest = sorted(messages, key=len)[-PEAK_SAMPLE:]
    worst, worst_size = 0, 0
    tracemalloc.start()
    try:
        for raw in largest:
            tracemalloc.reset_peak()
            parse_email(raw, policy=policy)
            peak = tracemalloc.get_traced_memory()[1]
            if peak > worst:
                worst, worst_size = peak, len(raw)
    finally:
        tracemalloc.stop()
    return worst / 1_000_000, worst_size


def run() -> None:
    """Parse the corpus TOTAL_PARSES times per policy and print the figures."""
    if not CORPUS.is_dir():
        print(f"   corpus not found at {CORPUS}; nothing to measure")
        return
    messages = _corpus()
    total_mb = sum(len(raw) for raw in messages) / 1_000_000
    print(f"   corpus: {len(messages)} messages, {total_mb:.1f} MB; {TOTAL_PARSES} parses each")
    policies: tuple[PolicyName, ...] = ("compat32", "default")
    for policy in policies:
        parse_email(messages[0], policy=policy)  # warm up regex and codec caches
        per_second, megabytes = _rate(messages, policy)
        peak, size = _peak_memory(messages, policy)
        print(
            f"   policy={policy:<9} {per_second:7.0f} messages/s  {megabytes:5.1f} MB/s  "
            f"peak {peak:5.1f} MB (a {size:,}-byte message)"
        )
