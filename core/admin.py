"""What every ModelAdmin that staff use shares.

- `MultilineTextMixin`: texts are compared and saved with \\n line breaks.

`StaffModelAdmin`, `StaffTabularInline` and `StaffStackedInline` combine them.
"""

from django.contrib import admin
from django.db import models

from .forms import MultilineTextField

# --- Line breaks -----------------------------------------------------------------------


class MultilineTextMixin:
    """Every text area of the form cleans its text to \\n line breaks (core.forms)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", MultilineTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- Together ---------------------------------------------------------------------------


class StaffModelAdmin(MultilineTextMixin, admin.ModelAdmin):
    """A ModelAdmin staff use."""


class StaffTabularInline(MultilineTextMixin, admin.TabularInline):
    pass


class StaffStackedInline(MultilineTextMixin, admin.StackedInline):
    pass
