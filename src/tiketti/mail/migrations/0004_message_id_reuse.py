"""A different message that reuses an earlier Message-ID is stored on its own (see
`mail.storing`): each stored message with a Message-ID gets its content digest."""

import django.db.models.deletion
from django.db import migrations, models


def digest_stored_messages(apps, schema_editor):
    from tiketti.mail.storing import content_fingerprint

    InboundMessage = apps.get_model("mail", "InboundMessage")
    with_id = InboundMessage.objects.exclude(message_id="").order_by("pk")
    ids = list(with_id.values_list("pk", flat=True))
    for start in range(0, len(ids), 200):
        rows = list(InboundMessage.objects.filter(pk__in=ids[start : start + 200]))
        for row in rows:
            row.content_digest = content_fingerprint(bytes(row.raw))
        InboundMessage.objects.bulk_update(rows, ["content_digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("mail", "0003_outgoing_calendar_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundmessage",
            name="content_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="inboundmessage",
            name="reuses_message_id_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reused_by",
                to="mail.inboundmessage",
                verbose_name="reuses the Message-ID of",
            ),
        ),
        migrations.RunPython(digest_stored_messages, migrations.RunPython.noop),
    ]
