from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_event_mail_retried")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="key",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
