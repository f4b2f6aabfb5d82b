"""The associations' texts and the vocabularies' terms in French, Arabic and English.

0019 added a column per language (django-modeltranslation, associations/translation.py).
Here the French columns receive today's texts, unchanged, and the empty Arabic and
English ones the translations shipped with the portal, where the French is still the
one they translate (associations.shipped_translations): never over a text staff wrote.
Those are marked « à relire par un locuteur ».
"""

from django.db import migrations
from django.db.models import F

from associations import shipped_translations

SOURCE = shipped_translations.SOURCE
# As associations/translation.py registered them in 0019 (a later field has its own).
ASSOCIATION_TEXTS = [
    "summary",
    "description",
    "public_description",
    "eligibility_notes",
    "mentor_description",
    "mentor_training",
    "duration_text",
    "frequency_text",
    "modality_text",
    "modalities_details",
]
VOCABULARY_TEXTS = ["name", "explanation"]
VOCABULARIES = ["Level", "Need", "Audience", "MentorProfile", "Venue", "PartnerType"]


def copy_french(apps):
    """The French column of each text: the text as it was before the languages."""
    models = [("Association", ASSOCIATION_TEXTS)] + [(name, VOCABULARY_TEXTS) for name in VOCABULARIES]
    for name, fields in models:
        apps.get_model("associations", name).objects.update(
            **{f"{field}_{SOURCE}": F(field) for field in fields}
        )


def forwards(apps, schema_editor):
    copy_french(apps)
    shipped_translations.apply(lambda name: apps.get_model("associations", name))


class Migration(migrations.Migration):
    dependencies = [("associations", "0019_translations")]

    # Backwards, the columns go with 0019; the original ones kept the French.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
