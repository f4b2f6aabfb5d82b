# Phone numbers move from ten French digits ("0612345678") to E.164 ("+33612345678"),
# which django-phonenumber-field stores and which also holds Belgian numbers; so does
# a parent's contact when it is a phone number (an e-mail address is left as it is).

import core.phone
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

TEN_DIGITS = r"^0[1-9][0-9]{8}$"  # what the old field and form stored
FRENCH_E164 = r"^\+33[1-9][0-9]{8}$"
FIELDS = ["phone", "parent_contact"]


def to_e164(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    for field in FIELDS:
        Referral.objects.filter(**{f"{field}__regex": TEN_DIGITS}).update(
            **{field: Concat(Value("+33"), Substr(field, 2))}
        )


def to_ten_digits(apps, schema_editor):
    # A Belgian number has no ten-digit form: it stays in E.164.
    Referral = apps.get_model("referrals", "Referral")
    for field in FIELDS:
        Referral.objects.filter(**{f"{field}__regex": FRENCH_E164}).update(
            **{field: Concat(Value("0"), Substr(field, 4))}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_count_places_taken"),
    ]

    operations = [
        migrations.RunPython(to_e164, to_ten_digits),
        migrations.AlterField(
            model_name="referral",
            name="phone",
            field=core.phone.PhoneNumberField(
                blank=True, max_length=20, region=None, verbose_name="téléphone"
            ),
        ),
    ]
