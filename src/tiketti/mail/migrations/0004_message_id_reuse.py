"""A different message that reuses an earlier Message-ID is stored on its own and linked
to the earlier one (see `mail.storing`)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("mail", "0003_outgoing_calendar_invitations"),
    ]

    operations = [
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
    ]
