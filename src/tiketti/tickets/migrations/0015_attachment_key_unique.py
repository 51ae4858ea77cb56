import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0014_fill_attachment_key")]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
