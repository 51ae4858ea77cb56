"""Store how long each SLA clock ran when it stopped (business time), and fill it in for
tickets whose clocks stopped before: the reports read medians from these columns."""

from datetime import datetime

from django.db import migrations, models

from tiketti.sla.calendar import BusinessCalendar, TargetKind, open_time_between, parse_target

BATCH = 2000


def _seconds(clock, since: datetime, until: datetime) -> int | None:
    if clock is None:
        return None
    target, calendar = clock
    if until <= since:
        return 0
    if parse_target(target).kind == TargetKind.HOURS:
        return int((until - since).total_seconds())
    return int(open_time_between(calendar, since, until).total_seconds())


def backfill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    clocks = {}
    for policy in SlaPolicy.objects.select_related("first_response_calendar", "resolution_calendar"):
        for name in ("first_response", "resolution"):
            target = getattr(policy, f"{name}_target")
            calendar = getattr(policy, f"{name}_calendar")
            value = None
            if target and calendar is not None:
                value = (target, BusinessCalendar.from_json(calendar.definition))
            clocks[policy.pk, name] = value
    stopped = Ticket.objects.filter(sla_policy__isnull=False).filter(
        models.Q(first_responded_at__isnull=False) | models.Q(resolved_at__isnull=False)
    )
    changed = []
    for ticket in stopped.order_by("pk").iterator(chunk_size=BATCH):
        start = ticket.sla_started_at or ticket.created_at
        if ticket.first_responded_at is not None:
            clock = clocks.get((ticket.sla_policy_id, "first_response"))
            ticket.first_response_business_seconds = _seconds(
                clock, start, ticket.first_responded_at
            )
        if ticket.resolved_at is not None:
            clock = clocks.get((ticket.sla_policy_id, "resolution"))
            total = _seconds(clock, start, ticket.resolved_at)
            if total is not None:
                paused = ticket.sla_paused_seconds
                if ticket.sla_paused_at is not None:
                    paused += _seconds(clock, ticket.sla_paused_at, ticket.resolved_at) or 0
                ticket.resolution_business_seconds = max(0, total - paused)
        changed.append(ticket)
        if len(changed) >= BATCH:
            Ticket.objects.bulk_update(
                changed, ["first_response_business_seconds", "resolution_business_seconds"]
            )
            changed = []
    Ticket.objects.bulk_update(
        changed, ["first_response_business_seconds", "resolution_business_seconds"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0002_policy_name_per_language"),
        ("tickets", "0021_message_quote_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="first_response_business_seconds",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ticket",
            name="resolution_business_seconds",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
