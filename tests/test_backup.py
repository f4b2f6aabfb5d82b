"""Backups: the README's export, loaded into an empty database, gives back the same site.

pg_dump is the production backup; this XML export is the portable one (another
server, SQLite to PostgreSQL). The test exports with the README's command, empties
the database, imports, and compares every page reachable from the home page, the
admin history, and the number of rows of every model.
"""

import re

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from associations.models import Association

from .factories import AssociationFactory, LocationFactory
from .helpers import crawl

pytestmark = pytest.mark.django_db

# The export command of the README, without the output file: keep both the same.
EXPORT_ARGUMENTS = [
    # XML, not JSON: Django's JSON cuts times to the millisecond, XML keeps them whole.
    "--format=xml",
    "--natural-foreign",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
]
NOT_EXPORTED = {"contenttypes", "sessions", "axes"}

# What differs between two renderings of the same data.
PER_REQUEST = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'name="submission_token" value="[^"]*"'), 'name="submission_token"'),
]


def normalised(content):
    text = content.decode()
    for pattern, replacement in PER_REQUEST:
        text = pattern.sub(replacement, text)
    return text


def snapshot(client, admin_client, association):
    pages = {
        path: normalised(response.content)
        for path, response in crawl(client).items()
        if not path.startswith("/static/")
    }
    history = reverse("admin:associations_association_history", args=[association.pk])
    pages[history] = normalised(admin_client.get(history).content)
    return pages


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_EXPORTED and model._meta.label != "auth.Permission"
    }


def test_export_empty_import_gives_back_the_same_site(
    client, seed, staff_member, superuser, tmp_path
):
    # Data as it is after months of use: a deleted association (a gap in the
    # numbering), a new one with a place, and a staff edit in the admin history.
    Association.objects.get(slug="anaf").delete()
    LocationFactory(association=AssociationFactory(name="Nouvelle association", slug="nouvelle"))
    afev = Association.objects.get(slug="afev")
    LogEntry.objects.log_actions(
        user_id=staff_member.pk,
        queryset=[afev],
        action_flag=CHANGE,
        change_message="Relu par l’équipe.",
    )
    admin_client = Client()
    admin_client.force_login(superuser)

    before = snapshot(client, admin_client, afev)
    counts = row_counts()
    assert "/associations/nouvelle/" in before and "/associations/anaf/" not in before
    assert (
        "Relu par l’équipe."
        in before[reverse("admin:associations_association_history", args=[afev.pk])]
    )

    backup = tmp_path / "sauvegarde.xml"
    call_command("dumpdata", *EXPORT_ARGUMENTS, output=str(backup), verbosity=0)
    # The test runs in a transaction: PostgreSQL refuses to empty tables that still have
    # foreign keys to check (deferred); check them now, as a commit would.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert Association.objects.count() == 0
    call_command("loaddata", str(backup), verbosity=0)
    ContentType.objects.clear_cache()

    assert row_counts() == counts
    admin_client.force_login(superuser)
    after = snapshot(client, admin_client, afev)
    assert after.keys() == before.keys()
    different = [path for path in before if before[path] != after[path]]
    assert not different, f"pages différentes après restauration : {different}"
