"""What every ModelAdmin that staff use shares: safe lists.

- `MultilineTextMixin`: texts are compared and saved with \\n line breaks.
- `SafeChangelistMixin` and `CheckedListFilter`: a list ignores, with a message, any
  address parameter it does not know or cannot use, and never fails on one.

`StaffModelAdmin`, `StaffTabularInline` and `StaffStackedInline` combine them.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.options import IS_FACETS_VAR, IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
)
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.text import Truncator

from .forms import MultilineTextField
from .french import NBSP, join_words

# --- Line breaks -----------------------------------------------------------------------


class MultilineTextMixin:
    """Every text area of the form cleans its text to \\n line breaks (core.forms)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", MultilineTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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


def valid_order(order, columns):
    """Django's sort parameter: column numbers, « - » for descending, joined by dots."""
    return bool(ORDER_PATTERN.match(order)) and all(
        int(part.lstrip("-")) < columns for part in order.split(".")
    )


def quoted_names(singular, plural, names):
    """ "Le filtre « foo »", "Les filtres « foo » et « bar »"."""
    quoted = join_words(f"« {shown(name)} »" for name in names)
    return f"{singular if len(names) == 1 else plural} {quoted}"


# --- Together ---------------------------------------------------------------------------


class StaffModelAdmin(SafeChangelistMixin, MultilineTextMixin, admin.ModelAdmin):
    """A ModelAdmin staff use."""


class StaffTabularInline(MultilineTextMixin, admin.TabularInline):
    pass


class StaffStackedInline(MultilineTextMixin, admin.StackedInline):
    pass
