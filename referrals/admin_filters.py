"""The requests list's own filters: what staff look for, chase or call among the requests."""

import re

from django.conf import settings
from django.utils import formats

from core.admin import CheckedListFilter
from core.french import NBSP

from .follow_up import CHASE_DAYS
from .models import language_in_french
from .querysets import ANSWER_EXPECTED_LABEL

MONTH_PATTERN = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


class MonthFilter(CheckedListFilter):
    title = "mois de la demande"
    parameter_name = "mois"

    def lookups(self, request, model_admin):
        months = model_admin.get_queryset(request).dates("created_at", "month", order="DESC")
        return [(f"{month:%Y-%m}", formats.date_format(month, "F Y")) for month in months]

    def queryset(self, request, queryset):
        # The value is one of the choices (CheckedListFilter): « 2026-03 ».
        matched = MONTH_PATTERN.fullmatch(self.value() or "")
        if matched:
            year, month = (int(part) for part in matched.groups())
            return queryset.filter(created_at__year=year, created_at__month=month)
        return queryset


class AwaitingEmailFilter(CheckedListFilter):
    title = "courriels"
    parameter_name = "courriels"

    def lookups(self, request, model_admin):
        return [("en-attente", "Courriels en attente (échec, envoi interrompu ou en cours)")]

    def queryset(self, request, queryset):
        if self.value() == "en-attente":
            return queryset.awaiting_emails()
        return queryset


class ToForwardFilter(CheckedListFilter):
    title = "à transmettre"
    parameter_name = "a-transmettre"

    def lookups(self, request, model_admin):
        return [("oui", "À transmettre (l’association n’a pas de courriel confirmé)")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.to_forward()
        return queryset


class AwaitingAnswerFilter(CheckedListFilter):
    title = "réponse de l’association"
    parameter_name = "sans-reponse"
    LATE = "en-retard"

    def lookups(self, request, model_admin):
        return [(self.LATE, f"Sans réponse après {ANSWER_EXPECTED_LABEL}")]

    def queryset(self, request, queryset):
        if self.value() == self.LATE:
            return queryset.awaiting_answer()
        return queryset


class ToChaseFilter(CheckedListFilter):
    title = "à relancer"
    parameter_name = "a-relancer"

    def lookups(self, request, model_admin):
        return [
            ("oui", f"À relancer (sans réponse de l’association depuis {CHASE_DAYS}{NBSP}jours)")
        ]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.to_chase()
        return queryset


class ToCallFilter(CheckedListFilter):
    title = "à appeler"
    parameter_name = "a-appeler"

    def lookups(self, request, model_admin):
        return [("oui", "À appeler (réponse à dire à une famille joignable par téléphone)")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.to_call()
        return queryset


class LanguageFilter(CheckedListFilter):
    """The language the family wrote in, named in French (« arabe (العربية) »)."""

    title = "langue de la demande"
    parameter_name = "langue"

    def lookups(self, request, model_admin):
        return [(code, f"{language_in_french(code)} ({name})") for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        # The value is one of the choices (CheckedListFilter).
        if self.value():
            return queryset.filter(language=self.value())
        return queryset
