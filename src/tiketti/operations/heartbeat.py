"""Whether a background worker runs: each `tiketti worker` records a beat every half
minute; the desk (for admins) and `tiketti worker --check` (for monitoring) read it."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from .models import WorkerHeartbeat

BEAT_EVERY = timedelta(seconds=30)
# No beat for this long: outgoing mail, SLA escalation and mailbox polling are stopped.
SILENT_AFTER = timedelta(minutes=5)
# Rows of workers gone this long are removed when a worker starts.
FORGET_AFTER = timedelta(days=1)


def record_heartbeat(worker_id: str, started_at: datetime) -> None:
    """Say this worker process runs: one UPDATE, an INSERT the first time."""
    now = timezone.now()
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen_at=now):
        return
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - FORGET_AFTER).delete()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        host=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=started_at,
        last_seen_at=now,
    )


@dataclass(frozen=True)
class WorkerSilence:
    """No worker has run for SILENT_AFTER; `last_seen_at` is None when none ever ran."""

    last_seen_at: datetime | None


def worker_silence(now: datetime | None = None) -> WorkerSilence | None:
    """Whether background work has stopped (one query), or None while a worker runs."""
    last_seen_at = WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]
    if last_seen_at is not None and last_seen_at >= (now or timezone.now()) - SILENT_AFTER:
        return None
    return WorkerSilence(last_seen_at)
