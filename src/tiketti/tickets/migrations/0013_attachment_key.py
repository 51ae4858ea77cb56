from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0012_ticket_purged_at")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="key",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
