"""Periodic jobs: small named entry points the worker's scheduler enqueues when due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta
    function: str  # dotted path, imported when run


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        "retry-outgoing-email", timedelta(minutes=1), "tiketti.mail.delivery.retry_due_emails"
    ),
    Schedule(
        "retry-webhook-deliveries",
        timedelta(minutes=1),
        "tiketti.webhooks.services.retry_due_deliveries",
    ),
    Schedule("sla-escalation", timedelta(minutes=1), "tiketti.tickets.escalation.sweep_sla"),
    # Mail stored while no worker ran (or whose task was lost) still gets processed.
    Schedule("process-stored-mail", timedelta(minutes=5), "tiketti.mail.inbound.process_pending"),
    # Mail whose processing met a locked or unreachable database, when its pause is over.
    Schedule("retry-failed-mail", timedelta(minutes=1), "tiketti.mail.inbound.retry_due"),
    # Each IMAP mailbox on its own; stalled ones are logged (and shown on the desk).
    Schedule("fetch-imap-mail", timedelta(minutes=1), "tiketti.mail.imap.fetch_all"),
    # Closed tickets past TIKETTI_RETENTION_MONTHS lose their texts, files and mail.
    Schedule("purge-closed-tickets", timedelta(hours=6), "tiketti.privacy.retention.purge_due"),
)


def claim_due_jobs() -> list[str]:
    """Names of jobs whose time has come and that this caller now owns."""
    moment = timezone.now()
    claimed = []
    for schedule in SCHEDULES:
        try:
            with transaction.atomic():
                PeriodicJob.objects.get_or_create(
                    name=schedule.name, defaults={"next_run_at": moment}
                )
        except IntegrityError:
            pass  # another worker created it at the same moment
        won = PeriodicJob.objects.filter(name=schedule.name, next_run_at__lte=moment).update(
            next_run_at=moment + schedule.every, last_run_at=moment
        )
        if won:
            claimed.append(schedule.name)
    return claimed


def run_job(name: str) -> None:
    schedule = next((s for s in SCHEDULES if s.name == name), None)
    if schedule is None:
        logger.error("Unknown periodic job %r", name)
        return
    function: Callable[[], object] = import_string(schedule.function)
    result = function()
    logger.info("Periodic job %s done: %s", name, result)
