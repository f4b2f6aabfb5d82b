"""Staff follow every request: status, history, e-mails, and the statistics page."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone

from core.admin import FrenchName, StaffModelAdmin, shown
from core.admin_locking import OptimisticLockMixin
from core.csv import csv_response
from core.french import NBSP, pluriel
from core.phone import phone_e164
from core.vocabularies import PARENTAL_CONSENT_AGE
from orientation import statistics as searches

from . import statistics, tasks
from .admin_filters import (
    AwaitingAnswerFilter,
    AwaitingEmailFilter,
    LanguageFilter,
    MonthFilter,
    ToCallFilter,
    ToChaseFilter,
    ToForwardFilter,
)
from .admin_forms import ReferralAdminForm
from .models import FINISHED, Referral, Status, StatusChange


class StatusChangeInline(admin.TabularInline):
    """The request's history, read-only: it is written by every status change."""

    model = StatusChange
    fields = ["changed_at", "previous_status", "status", "author"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "historique des statuts (qui, quand)"
    template = "admin/referrals/status_changes_inline.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "referral")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="par")
    def author(self, change):
        return change.author


ANONYMISED_MESSAGE = f"Anonymisée{NBSP}: données personnelles effacées (demande terminée)."
NOTHING_TO_ANONYMISE = (
    "Aucune demande terminée (close ou sans suite) à anonymiser dans cette sélection"
)


def left_open_sentence(count):
    """ " ; 2 demandes encore ouvertes laissées telles quelles." (or nothing)."""
    if not count:
        return "."
    left = pluriel(
        count,
        "demande encore ouverte laissée telle quelle",
        "demandes encore ouvertes laissées telles quelles",
    )
    return f"{NBSP}; {left} (seules les demandes closes ou sans suite sont anonymisées)."


# Requests to pass on by hand come first, whatever the sorting chosen after them.
TO_FORWARD_FIRST = ExpressionWrapper(
    Q(collective_notified_at__isnull=False, status=Status.NEW, anonymised_at__isnull=True),
    output_field=BooleanField(),
).desc()


@admin.register(Referral)
class ReferralAdmin(OptimisticLockMixin, StaffModelAdmin):
    """Two staff members, or a staff member and the worker that sends the e-mails, may
    change a request at once: a save from an older page is refused and merged
    (core.admin_locking); `updated_at` moves with every save and status change."""

    names = FrenchName("demande", feminine=True)
    lock_noun = "demande"
    # Five short columns: they fit at 1,280 px beside the menu and the filters (the kind
    # of request is a filter; the time to answer is on the statistics page).
    list_display = ["reference", "received", "association", "status", "emails"]
    list_display_links = ["reference"]
    list_filter = [
        ToForwardFilter,
        ToChaseFilter,
        ToCallFilter,
        AwaitingEmailFilter,
        AwaitingAnswerFilter,
        "status",
        "kind",
        LanguageFilter,
        MonthFilter,
        "association",
    ]
    # Staff find a request from what a family says on the phone: its reference, a name…
    search_fields = [
        "reference",
        "first_name",
        "email",
        "parent_name",
        "parent_contact",
        "referent_structure",
        "referent_email",
    ]
    search_help_text = (
        "Référence, prénom, courriel ou téléphone (du jeune, du bénévole ou du parent), "
        "nom du parent, structure ou courriel du professionnel."
    )
    inlines = [StatusChangeInline]
    form = ReferralAdminForm
    actions = ["resend_emails", "family_called", "anonymise"]
    change_list_template = "admin/referrals/referral/change_list.html"

    class Media:
        css = {"all": ["referrals/admin.css"]}

    fieldsets = [
        (
            "Suivi",
            {
                "fields": [
                    "reference",
                    "association",
                    ("kind", "language_name"),
                    "status",
                    "staff_note",
                    ("created_at", "answered_at", "closed_at"),
                ]
            },
        ),
        (
            "La demande",
            {
                "fields": [
                    "first_name",
                    "age",
                    "situation",
                    ("email", "phone_display"),
                    "message",
                ]
            },
        ),
        (
            f"Parent (moins de {PARENTAL_CONSENT_AGE} ans)",
            {"fields": ["parent_name", "parent_contact_display", "parent_consent"]},
        ),
        (
            "Professionnel qui accompagne le jeune (référent)",
            {"fields": ["referent_structure", "referent_email"]},
        ),
        (
            "Courriels",
            {
                "fields": [
                    "association_notified_at",
                    "collective_notified_at",
                    "acknowledged_at",
                    ("email_failed_at", "email_attempts"),
                    "sending",
                ]
            },
        ),
        (
            "Réponse de l’association et suivi",
            {
                "fields": [
                    ("decline_reason", "decline_detail"),
                    "first_meeting_on",
                    ("reminded_at", "family_informed_at"),
                ]
            },
        ),
        ("Données personnelles", {"fields": ["consented_at", "anonymised_at"]}),
    ]
    # What the person wrote stays as written: staff change the status and their note.
    readonly_fields = [
        "reference",
        "association",
        "kind",
        "language_name",
        "created_at",
        "answered_at",
        "closed_at",
        "first_name",
        "age",
        "situation",
        "email",
        "phone_display",
        "message",
        "parent_name",
        "parent_contact_display",
        "parent_consent",
        "referent_structure",
        "referent_email",
        "association_notified_at",
        "collective_notified_at",
        "acknowledged_at",
        "email_failed_at",
        "email_attempts",
        "sending",
        "consented_at",
        "anonymised_at",
        "decline_reason",
        "decline_detail",
        "first_meeting_on",
        "reminded_at",
        "family_informed_at",
    ]

    def has_add_permission(self, request):
        # Requests come from the public form only.
        return False

    def get_queryset(self, request):
        # Here rather than list_select_related, which the changelist skips once set.
        return (
            super().get_queryset(request).select_related("association", "level", "mentor_profile")
        )

    def get_ordering(self, request):
        return [TO_FORWARD_FIRST, *self.model._meta.ordering]

    def get_list_display(self, request):
        # The families to call: in which language to speak to them.
        if request.GET.get(ToCallFilter.parameter_name):
            return [*self.list_display, "language_name"]
        return self.list_display

    def get_search_results(self, request, queryset, search_term):
        """A phone number is found however it is typed: 06 12 34 56 78, +33 6…, 0032…"""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = phone_e164(search_term)
        if number:
            results |= queryset.filter(Q(phone=number) | Q(parent_contact=number))
        return results, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        # Once anonymised, no personal note can come back (from a page opened before).
        if obj is not None and obj.is_anonymised:
            return [*self.readonly_fields, "staff_note"]
        return self.readonly_fields

    def saved_by(self, obj, saved_at):
        """A status changed by the site (an e-mail sent) after the last admin save."""
        change = obj.status_changes.filter(changed_at__gte=saved_at).last()
        if change is not None and change.changed_by is None:
            return change.author
        return super().saved_by(obj, saved_at)

    def save_model(self, request, obj, form, change):
        # The note is saved as typed; the status through the one method that records
        # who changed it, and when.
        status = obj.status
        obj.status = form.initial.get("status", status)
        obj.save()
        obj.change_status(status, by=request.user)

    @admin.action(description="Famille appelée (réponse de l’association dite par téléphone)")
    def family_called(self, request, queryset):
        count = queryset.to_call().update(
            family_update_due=False, family_informed_at=timezone.now()
        )
        called = pluriel(count, "famille appelée", "familles appelées")
        self.message_user(request, f"«{NBSP}À appeler{NBSP}»{NBSP}: {called}.")

    @admin.display(description="langue de la demande", ordering="language")
    def language_name(self, referral):
        return referral.language_in_french

    @admin.display(description="situation")
    def situation(self, referral):
        return referral.situation or "—"

    @admin.display(description="téléphone")
    def phone_display(self, referral):
        return referral.phone_display or "—"

    @admin.display(description="courriel ou téléphone du parent")
    def parent_contact_display(self, referral):
        return referral.parent_contact_display or "—"

    @admin.display(description="reçue le", ordering="created_at")
    def received(self, referral):
        return formats.date_format(timezone.localtime(referral.created_at), "SHORT_DATE_FORMAT")

    @admin.display(description="courriels")
    def emails(self, referral):
        """One word for the e-mails: what staff have to do, if anything."""
        if referral.is_anonymised:
            return "—"
        if referral.is_to_forward:
            return "à transmettre"
        return "en attente" if referral.awaits_email else "envoyés"

    @admin.display(description="envoi")
    def sending(self, referral):
        if referral.sending_interrupted:
            return (
                "interrompu (le worker s’est arrêté pendant l’envoi) : vérifiez auprès de "
                "l’association avant de renvoyer, un courriel a pu partir"
            )
        if referral.email_claimed_at:
            return "en cours"
        if referral.awaits_email and not referral.is_anonymised:
            return "en attente dans la file" if referral.email_attempts else "pas encore tenté"
        return "—"

    @admin.action(description="Renvoyer les courriels en attente", permissions=["change"])
    def resend_emails(self, request, queryset):
        """Queue the selected requests again: the worker sends, never this page."""
        pending = queryset.awaiting_emails()
        # A sending interrupted long ago is taken over; one in progress is left alone.
        pending.with_stale_claims().update(email_claimed_at=None)
        ids = list(pending.values_list("pk", flat=True))
        Referral.objects.filter(pk__in=ids).update(email_attempts=0)
        for referral_id in ids:
            tasks.enqueue_emails(referral_id)
        if ids:
            self.message_user(
                request,
                f"{len(ids)} demande(s) remise(s) dans la file d’envoi : les courriels partent "
                "dans la minute si le serveur de courriel répond. Sans adresse confirmée, "
                "la demande va au Collectif, à transmettre.",
            )
        else:
            self.message_user(
                request, "Aucun courriel en attente dans cette sélection.", messages.WARNING
            )

    @admin.action(
        description="Anonymiser les demandes terminées (effacer les données personnelles)",
        permissions=["change"],
    )
    def anonymise(self, request, queryset):
        """Closed or dropped requests only, once confirmed on a page that counts them;
        each is logged in its history. An open request is never anonymised here (the
        retention period does it, `purge_referrals`), whatever the selection."""
        not_anonymised = queryset.filter(anonymised_at__isnull=True)
        finished = not_anonymised.filter(status__in=FINISHED)
        left_open = not_anonymised.exclude(status__in=FINISHED).count()
        if request.POST.get("post") == "oui":
            with transaction.atomic():
                referrals = list(finished.select_related(None).select_for_update())
                Referral.objects.filter(pk__in=[r.pk for r in referrals]).anonymise()
                LogEntry.objects.log_actions(
                    request.user.pk,
                    referrals,
                    CHANGE,
                    ANONYMISED_MESSAGE,
                    single_object=len(referrals) == 1,
                )
            if referrals:
                self.message_user(
                    request,
                    pluriel(
                        len(referrals),
                        "demande terminée anonymisée",
                        "demandes terminées anonymisées",
                    )
                    + left_open_sentence(left_open),
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, NOTHING_TO_ANONYMISE + ".", messages.WARNING)
            return None
        finished = list(
            finished.select_related(None).order_by("reference").only("pk", "reference", "status")
        )
        if not finished:
            self.message_user(
                request, NOTHING_TO_ANONYMISE + left_open_sentence(left_open), messages.WARNING
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Anonymiser les demandes terminées ?",
            "opts": self.model._meta,
            "referrals": finished,
            "count": pluriel(len(finished), "demande terminée", "demandes terminées"),
            "left_open": left_open,
            "left_open_count": pluriel(
                left_open, "demande encore ouverte", "demandes encore ouvertes"
            ),
            "already": queryset.filter(anonymised_at__isnull=False).count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/referrals/anonymise_confirmation.html", context)

    # The statistics page and its CSV exports.

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(self.statistics_only(function))

        return [
            path(
                "statistiques/",
                view(self.statistics_view),
                name="referrals_referral_statistics",
            ),
            path(
                "statistiques/demandes.csv",
                view(self.referrals_csv),
                name="referrals_referral_statistics_referrals_csv",
            ),
            path(
                "statistiques/recherches.csv",
                view(self.searches_csv),
                name="referrals_referral_statistics_searches_csv",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def statistics_only(function):
        def check(request):
            if not request.user.has_perm("referrals.view_statistics"):
                raise PermissionDenied
            return function(request)

        return check

    def statistics_view(self, request):
        """The requests (this app) and the orientation's searches, over one period."""
        today = timezone.localdate()
        months = statistics.MONTHS
        chosen = request.GET.get("periode")
        if chosen is not None:
            if chosen in {str(period) for period in statistics.PERIODS}:
                months = int(chosen)
            else:
                messages.warning(
                    request,
                    f"La période « {shown(chosen)} » n’existe pas{NBSP}: voici les "
                    f"{statistics.MONTHS}{NBSP}derniers mois.",
                )
        overview = statistics.requests_overview(today, months)
        context = {
            **self.admin_site.each_context(request),
            "title": "Statistiques des mises en relation",
            "opts": self.model._meta,
            "periods": [(period, statistics.period_label(period)) for period in statistics.PERIODS],
            "requests": overview,
            "searches": searches.searches_overview(today, since=overview["start"]),
        }
        return TemplateResponse(request, "admin/referrals/statistics.html", context)

    def referrals_csv(self, request):
        return csv_response(
            statistics.REFERRALS_CSV_HEADER,
            statistics.referrals_csv_rows(),
            "mises-en-relation-par-mois.csv",
        )

    def searches_csv(self, request):
        return csv_response(
            searches.SEARCHES_CSV_HEADER,
            searches.searches_csv_rows(),
            "recherches-orientation-par-semaine.csv",
        )
