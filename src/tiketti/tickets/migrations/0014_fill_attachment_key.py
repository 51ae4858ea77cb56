import uuid

from django.db import migrations


def fill_keys(apps, schema_editor):
    Attachment = apps.get_model("tickets", "Attachment")
    pending = Attachment.objects.filter(key__isnull=True).only("pk")
    batch = []
    for attachment in pending.iterator(chunk_size=2000):
        attachment.key = uuid.uuid4()
        batch.append(attachment)
        if len(batch) == 2000:
            Attachment.objects.bulk_update(batch, ["key"])
            batch = []
    Attachment.objects.bulk_update(batch, ["key"])


class Migration(migrations.Migration):
    dependencies = [("tickets", "0013_attachment_key")]

    # Backwards: the column goes with 0007's reversal; nothing to undo here.
    operations = [migrations.RunPython(fill_keys, migrations.RunPython.noop)]
