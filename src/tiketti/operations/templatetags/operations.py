"""`{% worker_silence_banner %}`: tells admins when no background worker runs."""

from __future__ import annotations

from django import template

from tiketti.operations.heartbeat import WorkerSilence, worker_silence

register = template.Library()


@register.inclusion_tag("operations/worker_silence.html")
def worker_silence_banner() -> dict[str, WorkerSilence | None]:
    """The banner when no worker has run for five minutes (one query), else nothing."""
    return {"silence": worker_silence()}
