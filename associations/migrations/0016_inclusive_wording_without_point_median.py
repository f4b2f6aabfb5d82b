"""The brochure's point médian ("mentoré·e·s", "mentor·é"), which screen readers spell
out, becomes words they read. Only the brochure's own sentences are changed: a text
that staff have rewritten is left as they wrote it."""

from django.db import migrations

# (old, new), as the brochure (fixtures/brochure.json) had them and has them now.
FIGURE_LABELS = [
    (
        "des jeunes mentoré·e·s ont plus confiance dans la suite de leur parcours",
        "des jeunes qui ont un mentor ont plus confiance dans la suite de leur parcours",
    ),
    (
        "des jeunes mentoré·e·s estiment avoir une meilleure connaissance d’eux-mêmes",
        "des jeunes qui ont un mentor estiment avoir une meilleure connaissance d’eux-mêmes",
    ),
]
DEFINITION = ("En fonction de l’âge du/de la mentor·é, ", "En fonction de l’âge du jeune, ")


def replace(apps, pairs, definition):
    ImpactFigure = apps.get_model("associations", "ImpactFigure")
    Collective = apps.get_model("associations", "Collective")
    for old, new in pairs:
        ImpactFigure.objects.filter(label=old).update(label=new)
    old, new = definition
    for collective in Collective.objects.filter(mentoring_definition__contains=old):
        collective.mentoring_definition = collective.mentoring_definition.replace(old, new)
        collective.save(update_fields=["mentoring_definition"])


def forwards(apps, schema_editor):
    replace(apps, FIGURE_LABELS, DEFINITION)


def backwards(apps, schema_editor):
    replace(apps, [(new, old) for old, new in FIGURE_LABELS], DEFINITION[::-1])


class Migration(migrations.Migration):
    dependencies = [("associations", "0015_contact_publishable_in_open_data")]

    operations = [migrations.RunPython(forwards, backwards)]
