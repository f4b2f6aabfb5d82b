"""Staff edit each translated text language by language (django-modeltranslation's
TranslationAdmin: « résumé en une phrase (arabe) » beside the French), and see which
translations a native speaker still has to read (models.translation_review).

Rule of the boxes « à relire »: a save that changes a French text and leaves its
translation as it was ticks that language's box (the translation may no longer say the
same); writing or correcting a translation ticks and unticks nothing by itself: the box
is beside it, and staff untick it once a speaker has read the texts. What staff do to a
box in the same save always wins.
"""

from django.conf import settings
from django.utils.translation import get_language_info
from modeltranslation.admin import TranslationAdmin

from core.admin import CheckedListFilter

from .models.translation_review import review_field

SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != SOURCE]


def outdated_translations(form, fields):
    """The languages whose translation a save leaves behind its changed French."""
    changed = set(form.changed_data)
    return {
        code
        for field in fields
        if f"{field}_{SOURCE}" in changed
        for code in TRANSLATED
        if f"{field}_{code}" not in changed
        and review_field(code) not in changed
        and form.cleaned_data.get(f"{field}_{code}")
    }


class TranslatedAdmin(TranslationAdmin):
    """TranslationAdmin, with each language's inputs said in that language's direction."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        code = getattr(db_field, "language", None)
        if field is not None and code:
            field.widget.attrs.update(
                lang=code, dir="rtl" if get_language_info(code)["bidi"] else "ltr"
            )
        return field

    def save_model(self, request, obj, form, change):
        if change:
            for code in outdated_translations(form, self.trans_opts.fields):
                setattr(obj, review_field(code), True)
        super().save_model(request, obj, form, change)


class TranslationToReviewFilter(CheckedListFilter):
    title = "traductions à relire"
    parameter_name = "a_relire"

    def lookups(self, request, model_admin):
        names = settings.LANGUAGE_NAMES_IN_FRENCH
        return [(code, f"En {names[code]}, à relire par un locuteur") for code in TRANSLATED]

    def queryset(self, request, queryset):
        if self.value() in TRANSLATED:
            return queryset.filter(**{review_field(self.value()): True})
        return queryset
