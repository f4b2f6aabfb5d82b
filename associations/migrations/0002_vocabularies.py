from django.db import migrations

from associations.vocabularies import VOCABULARIES


def create_vocabularies(apps, schema_editor):
    for model_name, terms in VOCABULARIES.items():
        model = apps.get_model("associations", model_name)
        for position, (slug, name) in enumerate(terms, start=1):
            model.objects.update_or_create(
                slug=slug, defaults={"name": name, "position": position * 10}
            )


class Migration(migrations.Migration):
    dependencies = [("associations", "0001_initial")]

    operations = [migrations.RunPython(create_vocabularies, migrations.RunPython.noop)]
