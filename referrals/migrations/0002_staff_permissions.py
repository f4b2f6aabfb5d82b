"""The "Équipe Cité éducative" group follows the requests: sees and updates, never deletes."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GROUP_NAME = "Équipe Cité éducative"

# No "add" (requests come from the public form) and no "delete" (anonymised on schedule).
CODENAMES = ["view_referral", "change_referral", "view_statistics", "view_statuschange"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("referrals")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(
        content_type__app_label="referrals", codename__in=CODENAMES
    )
    assert permissions.count() == len(CODENAMES), "a permission of the group is missing"
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP_NAME):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="referrals", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("associations", "0003_staff_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
