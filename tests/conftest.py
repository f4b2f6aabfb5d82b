import functools
import importlib
import json
import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from associations import seeding
from associations.models import Association, AssociationAudience, Audience, Collective, Level
from referrals.models import Referral

from .factories import AssociationFactory, ContactFactory, LocationFactory
from .helpers import PASSWORD, STAFF_GROUP, new_prefix

# Playwright's sync API keeps an event loop running in the main thread, which makes
# Django refuse database access during test set-up. Test process only, never production.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last: each commits its data and empties the database after it."""
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
    items.sort(key=lambda item: "tests/browser/" in str(item.path))


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test counts in a cache of its own (rate limits): with REDIS_URL, one Redis
    serves every test process here and on other machines' runs, and is never cleared."""
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": new_prefix()}}


@pytest.fixture(autouse=True)
def _in_french():
    """Each test starts in French, as a command or the worker does: a request to /ar/ or
    /en/ activates its language in the thread, and Django leaves it active after it."""
    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The brochure, loaded once in each test database: most tests read it.

    Each test runs in a transaction rolled back after it, so what a test changes is
    gone for the next. Tests that do not ask for `seed` start with an empty
    directory instead (`_directory_as_asked`).
    """
    with django_db_blocker.unblock():
        seeding.load_fixture()


def _uses_database(request):
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        names & {"transactional_db", "live_server", "django_db_reset_sequences"}
        or (marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    )
    return bool(marker or names & {"db", "transactional_db", "live_server"}), transactional


def empty_directory():
    """No association and no Collectif text: what a fresh installation holds."""
    Association.objects.all().delete()
    Collective.objects.all().delete()


@pytest.fixture(autouse=True)
def _directory_as_asked(request):
    """A test that asks for `seed` has the brochure; any other database test has none."""
    uses_database, transactional = _uses_database(request)
    if not uses_database or ("seed" in request.fixturenames and not transactional):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    empty_directory()
    request.node.directory_emptied = True


MIGRATION_DATA = [
    ("associations.migrations.0002_vocabularies", "create_vocabularies"),
    ("associations.migrations.0003_staff_group", "create_group"),
    ("associations.migrations.0012_time_from_monthly_figures", "add_explanations"),
    ("associations.migrations.0020_shipped_translations", "forwards"),
    ("referrals.migrations.0002_staff_permissions", "grant"),
]


class DatabaseSnapshot:
    """Every row of every table of the project, read once and written back as it was:
    what the data migrations and the brochure leave, in a few milliseconds instead of
    the half-second that running them and `loaddata` take for each test that commits.

    PostgreSQL copies each table out and back in its own format (`COPY`); SQLite gives
    back each value as it stores it. Foreign keys are checked at the commit (Django
    declares them deferred), so the order of the tables does not matter. The sequences
    are then set past the keys written back, and Django's cache of content types
    (their keys) is cleared.
    """

    def __init__(self):
        self.tables = {}  # {table: (its quoted columns, its rows)}
        with connection.cursor() as cursor:
            for table in connection.introspection.django_table_names(
                only_existing=True, include_views=False
            ):
                name = connection.ops.quote_name(table)
                # Named: a migration test may have built the table again in another order.
                cursor.execute(f"SELECT * FROM {name} WHERE 1 = 0")
                columns = ", ".join(connection.ops.quote_name(c[0]) for c in cursor.description)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {name} ({columns}) TO STDOUT") as copy:
                        rows = b"".join(bytes(block) for block in copy)
                else:
                    cursor.execute(f"SELECT {columns} FROM {name}")
                    rows = cursor.fetchall()
                self.tables[name] = (columns, rows)

    def restore(self):
        models = django_apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            for name in self.tables:
                cursor.execute(f"DELETE FROM {name}")
            for name, (columns, rows) in self.tables.items():
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                        copy.write(rows)
                elif rows:
                    marks = ", ".join(["%s"] * len(rows[0]))
                    cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        ContentType.objects.clear_cache()


# {with the brochure: its snapshot}, taken by each test process from its first test.
_SNAPSHOTS = {}


def _run_data_migrations():
    # The models as the migrations see them (not translated: they write each column).
    state_apps = MigrationLoader(connection).project_state().apps
    for migration, function in MIGRATION_DATA:
        getattr(importlib.import_module(migration), function)(state_apps, None)


@functools.cache
def _brochure_slugs():
    rows = json.loads(seeding.fixture_path().read_text(encoding="utf-8"))
    return {row["fields"]["slug"] for row in rows if row["model"] == "associations.association"}


def _only_migrations_and_brochure(seeded, user_model):
    brochure = _brochure_slugs() if seeded else set()
    return (
        not user_model.objects.exists()
        and not Referral.objects.exists()
        and set(Association.objects.values_list("slug", flat=True)) == brochure
    )


@pytest.fixture
def migration_data(request, transactional_db, django_user_model):
    """What the data migrations create (vocabularies, staff group), and the brochure if
    the test asks for `seed`, for a test that commits its data (another thread or
    process reads it): the database is emptied after each such test, migration data
    included. Built once in each test process, then written back (`DatabaseSnapshot`).
    """
    seeded = "seed" in request.fixturenames
    snapshot = _SNAPSHOTS.get(seeded)
    if snapshot is not None:
        snapshot.restore()
    else:
        _run_data_migrations()
        if seeded:
            seeding.load_fixture()
        # Only what the migrations and the brochure made: nothing a fixture made first.
        if _only_migrations_and_brochure(seeded, django_user_model):
            _SNAPSHOTS[seeded] = DatabaseSnapshot()
    request.node.directory_seeded = seeded


@pytest.fixture
def seed(request, db):
    """The brochure, as `manage.py seed` loads it: `loaddata brochure` (tests/test_seed.py
    checks that path), then its shipped translations.

    Already there, unless the directory was emptied for this test: a transactional
    test (the database is emptied after each, and the migrations' rows are recreated),
    or one that asks for `seed` through a parameter. A test that commits and asks for
    `migration_data` too gets both from there.
    """
    emptied = getattr(request.node, "directory_emptied", False)
    if emptied and not getattr(request.node, "directory_seeded", False):
        seeding.load_fixture()


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
def page_cache_off(monkeypatch):
    """Pages rendered every time, as for a visitor the page cache does not serve (staff,
    a session, a query it does not keep): what their fragments' cache saves shows."""
    from core import page_cache

    monkeypatch.setattr(page_cache, "_readable", lambda request, parameters: False)


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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, that a worker process (db_worker) can open."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
        # A test database need not survive a power cut: no waiting for the disk.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"
