import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from associations.models import AssociationAudience, Audience, Level

from .factories import AssociationFactory, ContactFactory, LocationFactory

# Playwright's sync API keeps an event loop running in the main thread, which makes
# Django refuse database access during test set-up. Test process only, never production.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STAFF_GROUP = "Équipe Cité éducative"
PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last: each commits its data and empties the database after it."""
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


@pytest.fixture(autouse=True)
def _fail_on_undefined_template_variables(settings):
    """A template that reads a variable that does not exist fails the test."""

    class InvalidVariable(str):
        def __bool__(self):
            return False

        def __mod__(self, name):
            raise AssertionError(f"variable de gabarit inconnue : {name}")

    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = InvalidVariable("%s")


_brochure_objects = []


@pytest.fixture
def seed(request, db):
    """The brochure, as `loaddata brochure` loads it.

    Reading the fixture resolves every natural key with queries; hundreds of tests
    use it, so it is read once and its objects are saved again in each test.
    (tests/test_seed.py checks the real `loaddata` path.)
    """
    if "transactional_db" in request.fixturenames:
        # Browser tests: the migrations' rows were recreated under new keys.
        call_command("loaddata", "brochure", verbosity=0)
        return
    if not _brochure_objects:
        path = settings.FIXTURE_DIRS[0] / "brochure.json"
        with open(path, encoding="utf-8") as fixture:
            _brochure_objects.extend(
                (deserialized.object, deserialized.m2m_data)
                for deserialized in serializers.deserialize("json", fixture)
            )
    for instance, m2m_data in _brochure_objects:
        instance._state.adding = True
        # A DeserializedObject forgets its many-to-many data once saved: give it a copy.
        serializers.base.DeserializedObject(instance, m2m_data=dict(m2m_data)).save()
    # As loaddata does: the next rows created by a test get fresh primary keys.
    models = {instance.__class__ for instance, _ in _brochure_objects}
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def many(seed):
    """For query counts that must not grow: the brochure and 30 more associations,
    each with levels, a public, two contacts and two places."""
    levels = list(Level.objects.filter(slug__in=["college", "lycee"]))
    for association in AssociationFactory.create_batch(30, levels=levels):
        ContactFactory.create_batch(2, association=association)
        LocationFactory.create_batch(2, association=association)
        AssociationAudience.objects.create(
            association=association, audience=Audience.objects.get(slug="qpv")
        )


@pytest.fixture
def stored():
    """What the database holds in a column, read past the model field's conversions:
    `stored(contact, "phone") == "+33636152643"`."""

    def read(instance, field):
        column = instance._meta.get_field(field).column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {connection.ops.quote_name(column)} "
                f"FROM {connection.ops.quote_name(instance._meta.db_table)} WHERE id = %s",
                [instance.pk],
            )
            return cursor.fetchone()[0]

    return read


@pytest.fixture
def staff_member(db, django_user_model):
    """Camille, of the Cité éducative team: staff, in the group, not a superuser."""
    user = django_user_model.objects.create_user(
        "camille", "camille@example.org", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)


@pytest.fixture
def staff_client(client, staff_member):
    client.force_login(staff_member)
    return client
