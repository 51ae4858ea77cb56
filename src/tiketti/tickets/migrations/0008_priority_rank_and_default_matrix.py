from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RANKS = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
# The same default as tickets.triage.DEFAULT_MATRIX (migrations never import app code).
MATRIX = {
    ("blocks_all", "high"): "urgent",
    ("blocks_all", "medium"): "high",
    ("blocks_all", "low"): "high",
    ("blocks_part", "high"): "high",
    ("blocks_part", "medium"): "normal",
    ("blocks_part", "low"): "normal",
    ("no_block", "high"): "normal",
    ("no_block", "medium"): "normal",
    ("no_block", "low"): "low",
}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Ticket = apps.get_model("tickets", "Ticket")
    for priority, rank in RANKS.items():
        Ticket.objects.filter(priority=priority).update(priority_rank=rank)
    Entry = apps.get_model("tickets", "PriorityMatrixEntry")
    Entry.objects.bulk_create(
        [Entry(impact=i, urgency=u, priority=p) for (i, u), p in MATRIX.items()],
        ignore_conflicts=True,
    )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("tickets", "PriorityMatrixEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0007_request_forms_and_triage")]
    operations = [migrations.RunPython(forwards, backwards)]
