"""Loading the brochure (fixtures/brochure.json) without losing what staff changed since.

"Changed since" is read from the data themselves: the directory is compared, row by
row and field by field, with what loading the brochure would write. Any difference
(a field corrected, a row deleted, a row added) counts, whoever made it and however
(the admin, a shell, another command), and no date needs to be recorded anywhere:
it is exactly what loading would overwrite.
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from core.french import NBSP, date_and_time

from . import shipped_translations
from .models import Association, ReviewItem

FIXTURE = "brochure"
# Not the brochure's: the requests app counts them from the requests. Never compared,
# and kept as they are when the brochure is loaded again.
KEPT_FIELDS = {Association: ["places_taken"]}
FEMININE = {Association, ReviewItem}
BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def fixture_path():
    for directory in settings.FIXTURE_DIRS:
        path = Path(directory) / f"{FIXTURE}.json"
        if path.exists():
            return path
    raise FileNotFoundError(f"{FIXTURE}.json introuvable dans FIXTURE_DIRS")


def brochure_objects():
    """The brochure's rows, as loading it would write them (fields it omits at their default,
    the shipped translations in theirs)."""
    with open(fixture_path(), encoding="utf-8") as fixture:
        objects = list(serializers.deserialize("json", fixture))
    for deserialized in objects:
        if isinstance(deserialized.object, Association):
            texts = shipped_translations.association_texts(deserialized.object.slug)
            shipped_translations.translate(deserialized.object, texts)
    return objects


def is_pristine(row):
    """A row that holds only default values (the Collectif's record, created empty on
    the first visit of the home page) holds no one's work."""
    return all(
        field.value_from_object(row) == field.get_default()
        for field in row._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
    )


def agreed(participle, model):
    """ "supprimé" → "supprimée" after "Association « Afev »"."""
    return participle + "e" if model in FEMININE else participle


def describe(row):
    """ "Contact « lille@afev.org » (ANAF)"; a row of the brochure may name a deleted one."""
    try:
        label = f"{capfirst(row._meta.verbose_name)} « {row} »"
        association = getattr(row, "association", None)
    except ObjectDoesNotExist:
        return f"{capfirst(row._meta.verbose_name)} n° {row.pk}"
    return f"{label} ({association})" if isinstance(association, Association) else label


def value_of(field, row):
    """What `row` holds in `field`; an empty translation is one, saved as NULL or "" (the
    brochure leaves it NULL, the admin saves "")."""
    value = field.value_from_object(row)
    if value is None and hasattr(field, "translated_field"):
        return ""
    return value


def changes_since_brochure(objects=None):
    """What loading the brochure would overwrite, one line per row: empty if nothing.

    A row of the brochure that is not in the database was deleted since, unless none
    is there: the brochure was never loaded.
    """
    objects = brochure_objects() if objects is None else objects
    by_model = defaultdict(list)
    for deserialized in objects:
        by_model[type(deserialized.object)].append(deserialized)
    current, others = {}, {}
    for model, items in by_model.items():
        queryset = model._base_manager.prefetch_related(*items[0].m2m_data)
        if any(field.name == "association" for field in model._meta.fields):
            queryset = queryset.select_related("association")
        pks = [item.object.pk for item in items]
        current[model] = queryset.in_bulk(pks)
        others[model] = list(queryset.exclude(pk__in=pks).order_by("pk"))
    loaded = any(not is_pristine(row) for rows in current.values() for row in rows.values())
    changes = []
    for model, items in by_model.items():
        kept = KEPT_FIELDS.get(model, [])
        for item in items:
            row = current[model].get(item.object.pk)
            if row is None:
                if loaded:
                    changes.append(
                        f"{describe(item.object)}{NBSP}: {agreed('supprimé', model)} depuis"
                    )
                continue
            fields = [
                field.verbose_name
                for field in model._meta.concrete_fields
                if not field.primary_key
                and field.name not in kept
                # "mis à jour le" alone is no one's work: a save that changed nothing
                and not getattr(field, "auto_now", False)
                and value_of(field, row) != value_of(field, item.object)
            ]
            fields += [
                model._meta.get_field(name).verbose_name
                for name, pks_in_brochure in item.m2m_data.items()
                if {obj.pk for obj in getattr(row, name).all()} != set(pks_in_brochure)
            ]
            if fields and not is_pristine(row):
                changes.append(f"{describe(row)}{NBSP}: {', '.join(map(str, fields))}")
        changes += [
            f"{describe(row)}{NBSP}: {agreed('ajouté', model)} depuis"
            for row in others[model]
            if not is_pristine(row)
        ]
    return changes


def last_admin_change():
    """ "camille, le 1er décembre 2026 à 10 h 42": the directory's last change in the admin."""
    entry = (
        LogEntry.objects.filter(content_type__app_label=Association._meta.app_label)
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is None:
        return ""
    return f"{entry.user.get_username()}, le {date_and_time(entry.action_time)}"


def backup(directory=BACKUP_DIR):
    """Every row of the directory, as JSON that `loaddata` reads back; returns the path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"annuaire-{timezone.localtime():%Y-%m-%d-%H%M%S}.json"
    call_command(
        "dumpdata",
        Association._meta.app_label,
        format="json",
        indent=2,
        natural_foreign=True,
        output=str(path),
        verbosity=0,
    )
    return path


def load_fixture():
    """The brochure's rows, then their shipped Arabic and English (`shipped_translations`)."""
    call_command("loaddata", FIXTURE, verbosity=0)
    shipped_translations.apply(Association._meta.app_config.get_model, vocabularies=False)


@transaction.atomic
def load_brochure():
    """Load the brochure, keeping the places that requests hold (KEPT_FIELDS)."""
    kept = {
        model: list(model._base_manager.values("pk", *fields))
        for model, fields in KEPT_FIELDS.items()
    }
    load_fixture()
    for model, rows in kept.items():
        for row in rows:
            pk = row.pop("pk")
            model._base_manager.filter(pk=pk).update(**row)
    return Association.objects.count()
