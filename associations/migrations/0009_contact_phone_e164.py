# Phone numbers move from ten French digits ("0636152643") to E.164 ("+33636152643"),
# which django-phonenumber-field stores and which also holds Belgian numbers.

import core.phone
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

TEN_DIGITS = r"^0[1-9][0-9]{8}$"  # what the old field stored
FRENCH_E164 = r"^\+33[1-9][0-9]{8}$"


def to_e164(apps, schema_editor):
    Contact = apps.get_model("associations", "Contact")
    Contact.objects.filter(phone__regex=TEN_DIGITS).update(
        phone=Concat(Value("+33"), Substr("phone", 2))
    )


def to_ten_digits(apps, schema_editor):
    # A Belgian number has no ten-digit form: it stays in E.164.
    Contact = apps.get_model("associations", "Contact")
    Contact.objects.filter(phone__regex=FRENCH_E164).update(
        phone=Concat(Value("0"), Substr("phone", 4))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0008_places_taken"),
    ]

    operations = [
        migrations.RunPython(to_e164, to_ten_digits),
        migrations.AlterField(
            model_name="contact",
            name="phone",
            field=core.phone.PhoneNumberField(
                blank=True, max_length=20, region=None, verbose_name="téléphone"
            ),
        ),
    ]
