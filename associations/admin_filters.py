"""The association list's own filters: what staff look for in the directory."""

from datetime import timedelta

from django.utils import timezone

from core.admin import CheckedListFilter
from core.vocabularies import Modality

# A fiche that nobody has saved for this long is listed « à revoir » on the admin's home.
NOT_UPDATED_FOR = timedelta(days=183)
NOT_UPDATED_LABEL = "6 mois"


class ModalityFilter(CheckedListFilter):
    title = "modalité"
    parameter_name = "modalite"

    def lookups(self, request, model_admin):
        return Modality.choices

    def queryset(self, request, queryset):
        if self.value() in Modality.values:
            return queryset.offering(self.value())
        return queryset


class NeedsReviewFilter(CheckedListFilter):
    title = "à vérifier"
    parameter_name = "a_verifier"

    def lookups(self, request, model_admin):
        return [("oui", "Avec des informations à vérifier"), ("non", "Tout est vérifié")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(open_review_count__gt=0)
        if self.value() == "non":
            return queryset.filter(open_review_count=0)
        return queryset


class UpdatedFilter(CheckedListFilter):
    title = "dernière mise à jour"
    parameter_name = "mise_a_jour"
    OLD = "plus-de-6-mois"
    RECENT = "moins-de-6-mois"

    def lookups(self, request, model_admin):
        return [
            (self.RECENT, f"Depuis moins de {NOT_UPDATED_LABEL}"),
            (self.OLD, f"Il y a plus de {NOT_UPDATED_LABEL}"),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.now() - NOT_UPDATED_FOR
        if self.value() == self.OLD:
            return queryset.filter(updated_at__lt=cutoff)
        if self.value() == self.RECENT:
            return queryset.filter(updated_at__gte=cutoff)
        return queryset


class VerifiedFilter(CheckedListFilter):
    """Fiches not verified with their association for 6 months (« Fiche vérifiée le »)."""

    title = "vérification"
    parameter_name = "verification"
    OLD = "plus-de-6-mois"

    def lookups(self, request, model_admin):
        return [(self.OLD, f"Non vérifiée depuis plus de {NOT_UPDATED_LABEL}")]

    def queryset(self, request, queryset):
        if self.value() == self.OLD:
            return queryset.not_verified_since(timezone.localdate() - NOT_UPDATED_FOR)
        return queryset


class AddressToConfirmFilter(CheckedListFilter):
    """Associations with an e-mail address not confirmed yet: it receives no request."""

    title = "courriels"
    parameter_name = "courriel"
    TO_CONFIRM = "a-confirmer"

    def lookups(self, request, model_admin):
        return [(self.TO_CONFIRM, "Avec une adresse à confirmer")]

    def queryset(self, request, queryset):
        if self.value() == self.TO_CONFIRM:
            return queryset.with_address_to_confirm()
        return queryset
