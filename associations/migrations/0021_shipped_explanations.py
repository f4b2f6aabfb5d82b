"""The vocabularies' explanations (QPV, REP+, a third place…) in Arabic and English.

0020 applied the translations shipped then; the file (associations.shipped_translations)
now also has the explanations the questionnaires show under « Qu’est-ce que c’est ? ».
Applied the same way: only into an empty column, only while the French is still the one
they translate, marked « à relire par un locuteur ». A new database has them from 0020.
"""

from django.db import migrations

from associations import shipped_translations


def forwards(apps, schema_editor):
    shipped_translations.apply(lambda name: apps.get_model("associations", name))


class Migration(migrations.Migration):
    dependencies = [("associations", "0020_shipped_translations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
