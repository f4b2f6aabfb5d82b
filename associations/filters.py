"""The directory's and the map's filters: plain GET parameters, so every list has a URL."""

import math

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import ScreenedForm
from core.french import NBSP
from core.vocabularies import Modality

from .models import Association, Level, MentorProfile, Need


class AssociationFilterSet(django_filters.FilterSet):
    niveau = django_filters.ModelChoiceFilter(
        label=_("Niveau ou situation du jeune"),
        field_name="levels",
        to_field_name="slug",
        queryset=Level.objects.all(),
        empty_label=pgettext_lazy("any value of a filter", "Tous"),
    )
    besoin = django_filters.ModelChoiceFilter(
        label=_("Besoin"),
        field_name="needs",
        to_field_name="slug",
        queryset=Need.objects.all(),
        empty_label=pgettext_lazy("any value of a filter", "Tous"),
    )
    modalite = django_filters.ChoiceFilter(
        label=_("Modalité"),
        choices=Modality.choices,
        method="filter_modality",
        empty_label=pgettext_lazy("any modality", "Toutes"),
    )
    mentor = django_filters.ModelChoiceFilter(
        label=_("Profil de mentor accepté"),
        field_name="mentor_profiles",
        to_field_name="slug",
        queryset=MentorProfile.objects.all(),
        empty_label=pgettext_lazy("any value of a filter", "Tous"),
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[
            ("nom", _("Nom (A à Z)")),
            ("places", _("Places à Roubaix (les plus nombreuses d’abord)")),
            ("anciennete", _("Programme le plus ancien d’abord")),
            ("recent", _("Programme le plus récent d’abord")),
        ],
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = Association
        fields = ["niveau", "besoin", "modalite", "mentor"]

    ORDERINGS = {
        "nom": [Lower("name")],
        "places": [F("roubaix_capacity").desc(nulls_last=True), Lower("name")],
        "anciennete": [F("programme_created_year").asc(nulls_last=True), Lower("name")],
        "recent": [F("programme_created_year").desc(nulls_last=True), Lower("name")],
    }

    def sort(self, queryset, name, value):
        return queryset.order_by(*self.ORDERINGS[value])

    def filter_modality(self, queryset, name, value):
        return queryset.offering(value)

    @property
    def is_filtered(self):
        return any(self.form.cleaned_data.get(name) for name in self.Meta.fields)


class ApiFilterForm(ScreenedForm):
    screening_messages = {
        "several": "Une seule valeur est possible pour ce paramètre.",
        "too_many": "Une seule valeur est possible pour ce paramètre.",
        "too_long": "Cette valeur est trop longue.",
        "control": "Cette valeur contient des caractères non autorisés.",
    }


class BoundingBoxField(forms.CharField):
    """`ouest,sud,est,nord` in degrees (RFC 7946's bbox order, Leaflet's toBBoxString()):
    the (west, south, east, north) of a map's view, or None."""

    default_error_messages = {
        "invalid": (
            f"Quatre nombres séparés par des virgules sont attendus{NBSP}: "
            "ouest,sud,est,nord (longitudes et latitudes en degrés, par exemple "
            "3.10,50.65,3.25,50.73), l’ouest avant l’est et le sud avant le nord."
        )
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            box = tuple(float(part) for part in parts)
        except ValueError:
            box = ()
        if len(box) != 4 or not all(math.isfinite(number) for number in box):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        west, south, east, north = box
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return box


class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField


class LocationFilterSet(AssociationFilterSet):
    """The same filters for the GeoJSON API, which says what it cannot read (a 400).

    The pages show a form again; an API that silently dropped an unknown value would
    answer with every place, as if nothing had been asked.
    """

    # The map asks for the places of its view (they are grouped when too many).
    bbox = BoundingBoxFilter(label="Vue de la carte", method="any_association")

    class Meta(AssociationFilterSet.Meta):
        # Several values for one parameter, a NUL byte, a huge value: refused unread.
        form = ApiFilterForm

    def any_association(self, queryset, name, value):
        """The view chooses places, not associations (the view applies it to the places)."""
        return queryset

    @property
    def cache_key(self):
        """What was asked, read (a slug, a view), for the cache: never the raw query."""
        if not self.is_bound:
            return ""
        asked = {
            name: getattr(value, "slug", value) for name, value in self.form.cleaned_data.items()
        }
        return repr(sorted((name, str(value)) for name, value in asked.items() if value))

    def api_errors(self):
        """{parameter: [French message]} for what is refused; empty when all is understood.

        Messages list the values that exist (slugs staff may add to), never the one sent.
        """
        if not self.is_bound or self.is_valid():
            return {}
        screened = self.form.screened()
        errors = {}
        for name in self.form.errors:
            if name in screened:
                errors[name] = [screened[name]]
            elif not hasattr(self.form.fields[name], "choices"):
                errors[name] = list(self.form.errors[name])
            else:
                values = [str(value) for value, _ in self.form.fields[name].choices if value]
                errors[name] = [f"Valeur inconnue{NBSP}: choisissez parmi {', '.join(values)}."]
        return errors
