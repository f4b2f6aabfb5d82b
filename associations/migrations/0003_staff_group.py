"""The "Équipe Cité éducative" group: keeps the directory's data, manages no account."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Équipe Cité éducative"

# model -> actions the group may take on it
PERMISSIONS = {
    "association": ["add", "change", "view"],
    "contact": ["add", "change", "delete", "view"],
    "location": ["add", "change", "delete", "view"],
    "reviewitem": ["add", "change", "delete", "view"],
    "associationaudience": ["add", "change", "delete", "view"],
    "acceptedmentorprofile": ["add", "change", "delete", "view"],
    "level": ["add", "change", "view"],
    "need": ["add", "change", "view"],
    "audience": ["add", "change", "view"],
    "mentorprofile": ["add", "change", "view"],
    "venue": ["add", "change", "view"],
    "partnertype": ["add", "change", "view"],
    "collective": ["change", "view"],
    "impactfigure": ["add", "change", "delete", "view"],
    "testimonial": ["add", "change", "delete", "view"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("associations")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(
        content_type__app_label="associations", codename__in=codenames
    )
    assert permissions.count() == len(codenames), "a permission of the group is missing"
    group.permissions.add(*permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0002_vocabularies"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
