import os

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

# Playwright's sync API keeps an event loop running in the main thread, which makes
# Django refuse database access during test set-up. Test process only, never production.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STAFF_GROUP = "Équipe Cité éducative"
PASSWORD = "un-mot-de-passe-solide-2026"


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


@pytest.fixture
def seed(db):
    """The brochure, loaded from the project's fixture."""
    call_command("loaddata", "brochure", verbosity=0)


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
