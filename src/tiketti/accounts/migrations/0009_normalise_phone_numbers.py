"""Existing contact phone numbers in E.164, as `User.save` now stores them, so a caller's
number finds them. Numbers that cannot be read stay as typed."""

import phonenumbers
from django.conf import settings
from django.db import migrations


def normalise(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator():
        try:
            number = phonenumbers.parse(user.phone, settings.TIKETTI_PHONE_REGION)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_possible_number(number):
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 != user.phone:
            User.objects.filter(pk=user.pk).update(phone=e164)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_index_phone_numbers")]

    # Backwards: the numbers stay normalised; the old spelling meant the same number.
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
