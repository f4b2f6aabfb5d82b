"""Staff see the fiches that their associations have not checked for months."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from core.admin import CheckedListFilter

from .fiche_check import STALE_MONTHS


class NotCheckedFilter(CheckedListFilter):
    title = "vérifiée par l’association"
    parameter_name = "verifiee"

    def lookups(self, request, model_admin):
        return [("non", f"Non vérifiée par l’association depuis {STALE_MONTHS} mois")]

    def queryset(self, request, queryset):
        if self.value() == "non":
            since = timezone.localdate() - timedelta(days=round(STALE_MONTHS * 30.5))
            return queryset.filter(
                Q(checked_by_association_on__isnull=True) | Q(checked_by_association_on__lt=since)
            )
        return queryset
