"""What every ModelAdmin that staff use shares: French wording, safe lists, safe saves.

- `FrenchAdminMixin`: titles, buttons and messages with the right articles
  (« Modifier l’association », « Ajouter un contact »), from one `FrenchName` per model;
  errors summarised at the top of a change form, each with a link to its field.
- `MultilineTextMixin`: texts are compared and saved with \\n line breaks.
- `LabelledRowsMixin` (inlines) and `LabelledInputsMixin`: every input has a label, an
  inline row's inputs name their row (« Supprimer le contact 2 »).
- `SafeChangelistMixin` and `CheckedListFilter`: a list ignores, with a message, any
  address parameter it does not know or cannot use, and never fails on one.
- `OptimisticLockMixin`: a save made from a form older than the record is refused,
  says what changed meanwhile, and keeps what the person typed.

`StaffModelAdmin`, `StaffTabularInline` and `StaffStackedInline` combine them.
"""

import functools
import json
import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst

from .forms import MultilineTextField
from .french import NBSP, join_words

VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"


@dataclass(frozen=True)
class FrenchName:
    """A model's name as a French sentence needs it: « l’association », « un contact ».

    `FrenchName("association", feminine=True)` works the articles out; a name they do
    not fit says them itself (« le niveau ou la situation »).
    """

    noun: str
    feminine: bool = False
    definite: str = ""
    indefinite: str = ""

    def __post_init__(self):
        if not self.definite:
            article = (
                "l’" if self.noun[:1].lower() in VOWELS else ("la " if self.feminine else "le ")
            )
            object.__setattr__(self, "definite", article + self.noun)
        if not self.indefinite:
            object.__setattr__(self, "indefinite", ("une " if self.feminine else "un ") + self.noun)

    @property
    def another(self):
        """ "une autre association", "un autre contact"."""
        article, _, rest = self.indefinite.partition(" ")
        return f"{article} autre {rest}"

    def participle(self, verb):
        """ "ajouté" → "ajoutée" for a feminine name."""
        return verb + "e" if self.feminine else verb


def names_of(admin_object):
    """The `FrenchName` a ModelAdmin or an inline declares, or None (Django's words then)."""
    return getattr(admin_object, "names", None)


# --- Line breaks -----------------------------------------------------------------------


class MultilineTextMixin:
    """Every text area of the form cleans its text to \\n line breaks (core.forms)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", MultilineTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- French titles, buttons, messages, error summary -----------------------------------


class FrenchAdminMixin:
    """Titles, buttons and messages in French with the right article.

    Reads the ModelAdmin's `names` (a `FrenchName`); without it, Django's words stay.
    """

    names = None

    def changelist_view(self, request, extra_context=None):
        if self.names:
            verb = "modifier" if self.has_change_permission(request) else "consulter"
            extra_context = {
                "title": f"Choisissez {self.names.definite} à {verb}",
                "add_label": f"Ajouter {self.names.indefinite}",
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if self.names:
            if object_id is None:
                title = f"Ajouter {self.names.indefinite}"
            elif self.has_change_permission(request):
                title = f"Modifier {self.names.definite}"
            else:
                title = f"Consulter {self.names.definite}"
            extra_context = {
                "title": title,
                "french_titles": True,
                "save_and_add_label": f"Enregistrer et ajouter {self.names.another}",
                **(extra_context or {}),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["error_summary"] = error_summary(
            context["adminform"].form,
            [inline.formset for inline in context["inline_admin_formsets"]],
            [inline.opts for inline in context["inline_admin_formsets"]],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        """The inline's « Ajouter un contact », instead of Django's « Ajouter un objet Contact
        supplémentaire »: the button's words travel in the formset's data attribute."""
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            names = names_of(inline_admin_formset.opts)
            if names:
                data = json.loads(inline_admin_formset.inline_formset_data())
                data["options"]["addText"] = f"Ajouter {names.indefinite}"
                inline_admin_formset.inline_formset_data = functools.partial(json.dumps, data)
        return inline_admin_formsets

    def response_add(self, request, obj, post_url_continue=None):
        request._saved_message = (obj, "ajouté")
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        request._saved_message = (obj, "modifié")
        return super().response_change(request, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """« L’association « Afev » a été modifiée. », not « L’objet association … modifié »."""
        saved = getattr(request, "_saved_message", None)
        if self.names and saved and level == messages.SUCCESS:
            obj, verb = saved
            message = format_html(
                "{} « {} » a été {}.",
                capfirst(self.names.definite),
                obj,
                self.names.participle(verb),
            )
        return super().message_user(request, message, level, *args, **kwargs)


def error_summary(form, formsets, inlines):
    """Every error of a change form as (text, anchor), inline rows included, to list them
    at the top of the page with a link to each field."""
    entries = []

    def field_anchor(bound_form, name):
        if name in bound_form.fields:
            return bound_form[name].auto_id or ""
        return ""

    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue  # Django shows them at the top already.
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            entries.append((f"{capfirst(label)}{NBSP}: {error}", field_anchor(form, name)))
    for formset, inline in zip(formsets, inlines, strict=True):
        names = names_of(inline)
        noun = names.noun if names else inline.opts.verbose_name
        for error in formset.non_form_errors():
            entries.append(
                (
                    f"{capfirst(inline.opts.verbose_name_plural)}{NBSP}: {error}",
                    f"{formset.prefix}-group",
                )
            )
        for index, row in enumerate(formset.forms):
            for name, errors in row.errors.items():
                if name == NON_FIELD_ERRORS:
                    where, anchor = "", f"{formset.prefix}-{index}"
                else:
                    label = row.fields[name].label if name in row.fields else name
                    where, anchor = f" — {label}", field_anchor(row, name)
                for error in errors:
                    entries.append((f"{capfirst(noun)} {index + 1}{where}{NBSP}: {error}", anchor))
    return entries


# --- Inline rows that say which row they are --------------------------------------------


def innermost_widget(widget):
    """The widget that renders the input, inside the admin's related-object wrapper."""
    while hasattr(widget, "widget"):
        widget = widget.widget
    return widget


class LabelledRowsMixin:
    """Each input of an inline row names its row for assistive technologies:
    « Courriel (contact 2) », « Supprimer le contact 2 ». A table's column heading
    is no label, and every row repeats the same inputs."""

    names = None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = self.names or FrenchName(self.opts.verbose_name)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                # The template row's number is written when the row is added (inline-rows.js).
                row = f"{names.noun} {'__num__' if index is None else index + 1}"
                for name, field in form.fields.items():
                    widget = innermost_widget(field.widget)
                    # One label for one input: not for hidden ones, nor a group of options.
                    if widget.is_hidden or isinstance(widget, forms.RadioSelect):
                        continue
                    if getattr(widget, "allow_multiple_selected", False):
                        continue
                    if name == "DELETE":
                        label = f"Supprimer {names.definite} {row.removeprefix(names.noun + ' ')}"
                    else:
                        label = f"{capfirst(field.label)} ({row})"
                    widget.attrs["aria-label"] = label

        return LabelledFormSet


class LabelledInputsMixin:
    """Inputs that Django renders without a <label> get one for assistive technologies:
    a file input (Django puts it in a fieldset whose legend labels no input), and each
    input of a list's editable column (« Ordre (Collège) »)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(db_field, models.FileField):
            innermost_widget(formfield.widget).attrs.setdefault(
                "aria-label", capfirst(db_field.verbose_name)
            )
        return formfield

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    widget = innermost_widget(field.widget)
                    if not widget.is_hidden:
                        widget.attrs["aria-label"] = f"{capfirst(field.label)} ({form.instance})"

        return LabelledFormSet


# --- Lists that ignore what they cannot use ---------------------------------------------


class CheckedListFilter(admin.SimpleListFilter):
    """A list filter whose value must be one of its choices: any other is ignored,
    and the list says so (« ?a_verifier=² » shows every association and a message)."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = self.value()
        if value is not None and value not in {str(key) for key, _ in self.lookup_choices}:
            messages.warning(
                request,
                f"Le filtre « {self.title} » n’a pas de choix « {shown(value)} »{NBSP}: "
                "il a été ignoré.",
            )
            del self.used_parameters[self.parameter_name]


def shown(value, length=30):
    """A value from the address, short and printable, to quote in a message."""
    printable = "".join(character for character in value if character.isprintable())
    return Truncator(printable).chars(length)


ORDER_PATTERN = re.compile(r"^-?\d+(\.-?\d+)*$")
# Parameters of the list itself, not filters.
LIST_PARAMETERS = {
    ALL_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    TO_FIELD_VAR,
}


class SafeChangelistMixin:
    """A list never fails on its address: unknown filters, values the database cannot
    read (a NUL byte, which PostgreSQL refuses), a sort or a page that does not exist
    are ignored, and a message says which.

    Before the list is built (no query): what the address holds is checked against the
    list's own filters; the list is then shown again without what was ignored. After:
    a value a filter could not use makes Django send the list back with « ?e=1 »; the
    list is shown without its filters instead, and says so.
    """

    def changelist_view(self, request, extra_context=None):
        if request.method in ("GET", "HEAD") and request.GET:
            kept, ignored = self.checked_parameters(request)
            if ignored:
                for text in ignored:
                    messages.warning(request, text)
                return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}".rstrip("?"))
        response = super().changelist_view(request, extra_context)
        if (
            request.GET
            and response.status_code == 302
            and response.get("Location") == f"{request.path}?{ERROR_FLAG}=1"
        ):
            messages.warning(
                request,
                "Un des filtres de l’adresse n’a pas pu être appliqué (valeur non valable)"
                f"{NBSP}: la liste est affichée sans filtre.",
            )
            return HttpResponseRedirect(request.path)
        return response

    def filter_parameter_names(self, request):
        """What the list's filters read: a parameter name, or a field path and its lookups."""
        exact, prefixes = set(), set()
        for list_filter in self.get_list_filter(request):
            if isinstance(list_filter, (tuple, list)):
                list_filter = list_filter[0]
            if isinstance(list_filter, str):
                prefixes.add(list_filter)
            elif hasattr(list_filter, "parameter_name"):
                exact.add(list_filter.parameter_name)
            else:  # a FieldListFilter class given alone cannot be: Django needs a field
                prefixes.add(str(list_filter))
        if self.date_hierarchy:
            prefixes.add(self.date_hierarchy)
        return exact, prefixes

    def checked_parameters(self, request):
        """The address's parameters that the list can use, and a message for each other."""
        exact, prefixes = self.filter_parameter_names(request)
        columns = len(self.get_list_display(request)) + 1  # and the action checkboxes

        def is_filter(name):
            return (
                name in exact
                or any(name == path or name.startswith(path + "__") for path in prefixes)
                # a pop-up's own lookups (limit_choices_to): Django checks them
                or IS_POPUP_VAR in request.GET
            )

        kept = request.GET.copy()
        unreadable, unknown, ignored = [], [], []
        for name, values in request.GET.lists():
            value = values[-1]
            if any("\x00" in text for text in [name, *values]):
                unreadable.append(name)
            elif name == ORDER_VAR and not valid_order(value, columns):
                ignored.append(
                    f"Le tri demandé (« {shown(value)} ») n’existe pas{NBSP}: il est ignoré."
                )
            elif name == PAGE_VAR and not (value.isdigit() and int(value) >= 1):
                ignored.append(f"La page « {shown(value)} » n’existe pas{NBSP}: voici la première.")
            elif (choices := self.choices_of(name)) and value not in choices[1]:
                ignored.append(
                    f"Le filtre « {choices[0]} » n’a pas de choix « {shown(value)} »{NBSP}: "
                    "il a été ignoré."
                )
            elif name in LIST_PARAMETERS or name == ERROR_FLAG or is_filter(name):
                continue
            else:
                unknown.append(name)
            kept.pop(name)
        if unreadable:
            ignored.append(
                f"{quoted_names('Le filtre', 'Les filtres', unreadable)} "
                f"{'avait' if len(unreadable) == 1 else 'avaient'} une valeur non valable{NBSP}: "
                f"{'il est ignoré' if len(unreadable) == 1 else 'ils sont ignorés'}."
            )
        if unknown:
            ignored.append(
                f"{quoted_names('Le filtre', 'Les filtres', unknown)} "
                f"{'n’existe' if len(unknown) == 1 else 'n’existent'} pas sur cette liste{NBSP}: "
                f"{'il est ignoré' if len(unknown) == 1 else 'ils sont ignorés'}."
            )
        return kept, ignored

    def choices_of(self, name):
        """For « status__exact », a field of the model's own with choices: its name and
        the values it can hold (any other would only show an empty list)."""
        path, _, lookup = name.rpartition("__")
        if lookup != "exact" or "__" in path:
            return None
        try:
            field = self.model._meta.get_field(path)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "choices", None):
            return None
        return field.verbose_name, {str(value) for value, _ in field.flatchoices}


def valid_order(order, columns):
    """Django's sort parameter: column numbers, « - » for descending, joined by dots."""
    return bool(ORDER_PATTERN.match(order)) and all(
        int(part.lstrip("-")) < columns for part in order.split(".")
    )


def quoted_names(singular, plural, names):
    """ "Le filtre « foo »", "Les filtres « foo » et « bar »"."""
    quoted = join_words(f"« {shown(name)} »" for name in names)
    return f"{singular if len(names) == 1 else plural} {quoted}"


# --- Saves that cannot undo someone else's ---------------------------------------------


# --- Together ---------------------------------------------------------------------------


class StaffModelAdmin(
    SafeChangelistMixin,
    FrenchAdminMixin,
    LabelledInputsMixin,
    MultilineTextMixin,
    admin.ModelAdmin,
):
    """A ModelAdmin staff use. Set `names`; add `OptimisticLockMixin` first for records
    that two people may edit at once and that have a field every save changes."""


class StaffTabularInline(LabelledRowsMixin, MultilineTextMixin, admin.TabularInline):
    class Media:
        js = ["admin/inline-rows.js"]


class StaffStackedInline(LabelledRowsMixin, MultilineTextMixin, admin.StackedInline):
    class Media:
        js = ["admin/inline-rows.js"]
