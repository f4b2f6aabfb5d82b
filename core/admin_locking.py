"""Optimistic locking for the admin: a stale save is refused, says what changed
meanwhile and keeps what the second person typed."""

import hashlib
import json
from decimal import Decimal

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.utils.text import Truncator, capfirst

from core.admin import (
    FrenchName,
    innermost_widget,
    names_of,
)

from .french import NBSP, date_and_time, number

LOCK_TOKEN = "_lock_token"


LOCK_SNAPSHOT = "_lock_snapshot"


STALE = "stale"


EMPTY = "(vide)"


def canonical(value):
    """One text for a value, whether it comes from the database (a form's initial data)
    or from what was posted (cleaned): « 6.0 » and « 6 », a list and a QuerySet agree."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return "|".join(sorted(canonical(item) for item in value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return str(value)


def digest(value):
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:10]


def lockable_fields(form, skip=()):
    """The form's fields whose values a snapshot compares (files cannot come back)."""
    return [
        name
        for name, field in form.fields.items()
        if name not in skip and not isinstance(field, forms.FileField)
    ]


def row_skip(formset):
    fk = getattr(formset, "fk", None)
    return {formset.model._meta.pk.name, "DELETE", "ORDER", *([fk.name] if fk else [])}


def form_values(form, formsets):
    """{key: (form, field name)} for the main form's fields and each saved inline row's:
    `summary`, `contacts:12:email`."""
    values = {name: (form, name) for name in lockable_fields(form)}
    for formset in formsets:
        for row in formset.initial_forms:
            if row.instance.pk is None:
                continue
            for name in lockable_fields(row, row_skip(formset)):
                values[f"{formset.prefix}:{row.instance.pk}:{name}"] = (row, name)
    return values


def initial_value(form, name):
    return form.get_initial_for_field(form.fields[name], name)


def snapshot(form, formsets):
    """What the page shows, one short digest per value: sent back with the form."""
    return {
        key: digest(initial_value(row, name))
        for key, (row, name) in form_values(form, formsets).items()
    }


def display(field, value):
    """A stored value as staff read it."""
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in value) or EMPTY
    if isinstance(field, forms.ModelChoiceField):
        instance = (
            value if isinstance(value, models.Model) else field.queryset.filter(pk=value).first()
        )
        return str(instance) if instance else EMPTY
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, (int, Decimal)):
        return number(value)
    return Truncator(str(value)).chars(200)


def data_values(field, value):
    """A stored value as the browser would post it back, for a form shown again."""
    widget = innermost_widget(field.widget)
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if value else []
    prepared = field.prepare_value(value)
    if isinstance(prepared, (list, tuple)):
        return [str(item) for item in prepared]
    return ["" if prepared is None else str(prepared)]


class OptimisticLockMixin:
    """A save made from a form older than the record is refused.

    The change form carries the record's `lock_field` as it was when the page was
    opened (a field that every save changes: `updated_at` with auto_now, or a version
    number), and one short digest per value shown. A save whose token is no longer
    the record's is refused, and the form comes back:

    - with what the person typed, so nothing of theirs is lost;
    - with what others saved meanwhile where the person had typed nothing (merged in:
      saving again keeps it);
    - with a message listing what changed meanwhile and the values now saved, also
      where both changed the same thing (the person's input is kept there, and
      saving again is their informed choice).

    The record's row is locked (SELECT … FOR UPDATE) from the check until the save
    ends, so two saves at the same moment cannot both pass.
    """

    lock_field = "updated_at"
    # What the message calls the record, a feminine noun: « Cette fiche a été enregistrée ».
    lock_noun = "fiche"

    def lock_token(self, obj):
        value = getattr(obj, self.lock_field)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            with transaction.atomic(using=router.db_for_write(self.model)):
                self.lock_row(object_id)
                return super().changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def lock_row(self, object_id):
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return  # Django's own view answers for an address that names no record.
        list(self.model._default_manager.select_for_update().filter(pk=pk).values_list("pk"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None or request.method != "POST":
            return form_class
        if request.POST.get(LOCK_TOKEN) == self.lock_token(obj):
            return form_class
        noun = self.lock_noun

        class StaleForm(form_class):
            def clean(self):
                super().clean()
                raise ValidationError(
                    f"Cette {noun} a été enregistrée par quelqu’un d’autre pendant que vous la "
                    f"modifiiez{NBSP}: vos modifications ne sont pas encore enregistrées. "
                    "Relisez ce qui a changé, puis enregistrez de nouveau.",
                    code=STALE,
                )

        StaleForm.__name__ = form_class.__name__
        return StaleForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            form = context["adminform"].form
            inlines = [
                (inline.formset, names_of(inline.opts) or FrenchName(inline.opts.verbose_name))
                for inline in context["inline_admin_formsets"]
            ]
            formsets = [formset for formset, _ in inlines]
            if form.is_bound and form.has_error(NON_FIELD_ERRORS, STALE):
                context["lock_conflict"] = self.merge_changes(request, obj, form, inlines)
            context["optimistic_lock"] = {
                "token_name": LOCK_TOKEN,
                "token": self.lock_token(obj),
                "snapshot_name": LOCK_SNAPSHOT,
                "snapshot": json.dumps(snapshot(form, formsets), separators=(",", ":")),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def merge_changes(self, request, obj, form, inlines):
        """What others saved since the person's page was opened, merged into the form
        where the person typed nothing. (The forms' initial data are the saved values.)"""
        try:
            opened = json.loads(request.POST.get(LOCK_SNAPSHOT, ""))
        except ValueError:
            opened = {}
        if not isinstance(opened, dict):
            opened = {}
        formsets = [formset for formset, _ in inlines]
        row_names = {
            id(row): f"{names.noun} {index + 1}"
            for formset, names in inlines
            for index, row in enumerate(formset.forms)
        }
        changes = []
        merged = form.data.copy()
        for key, (row, name) in form_values(form, formsets).items():
            field = row.fields[name]
            saved = initial_value(row, name)
            cleaned = getattr(row, "cleaned_data", {})
            typed = digest(cleaned[name]) if name in cleaned else None
            if opened:
                if key not in opened or opened[key] == digest(saved):
                    continue  # nobody else changed it (a new row is listed below)
                yours = typed != opened[key]
            else:
                # Without the page's snapshot, only differences can be told.
                if typed == digest(saved):
                    continue
                yours = True
            what = capfirst(field.label)
            if row is not form:
                what = f"{capfirst(row_names[id(row)])} — {field.label}"
            value = display(field, saved)
            value = "vide" if value == EMPTY else f"« {value} »"
            if yours:
                text = (
                    f"{value}{NBSP}; vous l’aviez aussi modifié{NBSP}: "
                    "votre saisie est gardée dans le formulaire"
                )
            else:
                text = f"{value}, repris dans votre formulaire"
            changes.append({"what": what, "text": text})
            if not yours:
                merged.setlist(row.add_prefix(name), data_values(field, saved))
        form.data = merged
        for formset in formsets:
            formset.data = merged
            for row in formset.forms:
                row.data = merged
        if opened:
            changes.extend(rows_added_or_deleted(opened, inlines))
        saved_at = getattr(obj, self.lock_field)
        return {
            "noun": self.lock_noun,
            "changes": changes,
            "by": self.saved_by(obj, saved_at),
            "at": date_and_time(saved_at) if hasattr(saved_at, "tzinfo") else "",
        }

    def saved_by(self, obj, saved_at):
        """Who made the save that the token now names: the admin's log entry written
        right after it ("" when the record was changed elsewhere: another page, the site)."""
        last = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if last is None or last.user is None:
            return ""
        if hasattr(saved_at, "tzinfo") and last.action_time < saved_at:
            return ""  # an older entry: this save was not made on the record's admin page
        return last.user.get_username()


def rows_added_or_deleted(opened, inlines):
    """Inline rows that others added or deleted since the page was opened."""
    changes = []
    for formset, names in inlines:
        opened_rows = {key.split(":")[1] for key in opened if key.startswith(f"{formset.prefix}:")}
        # The rows saved now: a row added meanwhile is in none of the posted forms.
        now = {str(obj.pk): obj for obj in formset.get_queryset()}
        for pk, obj in now.items():
            if pk not in opened_rows:
                changes.append(
                    {
                        "what": f"{capfirst(names.noun)} « {obj} »",
                        "text": f"{names.participle('ajouté')} entre-temps",
                    }
                )
        deleted = len(opened_rows - set(now))
        if deleted:
            plural = formset.model._meta.verbose_name_plural
            changes.append(
                {
                    "what": capfirst(plural),
                    "text": f"{deleted} {names.noun if deleted == 1 else plural} "
                    f"{names.participle('supprimé')}{'s' if deleted > 1 else ''} entre-temps",
                }
            )
    return changes
