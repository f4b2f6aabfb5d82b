"""What needs attention among the requests today, for the admin's home page."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.admin_todo import todo_item
from core.french import NBSP, pluriel
from orientation import statistics as searches

from .admin_filters import (
    AwaitingAnswerFilter,
    AwaitingEmailFilter,
    ToCallFilter,
    ToChaseFilter,
    ToForwardFilter,
)
from .follow_up import CHASE_DAYS
from .models import Referral
from .querysets import ANSWER_EXPECTED_LABEL
from .statistics import month_start


def requests_todo(request):
    """Each a sentence and a link to the filtered list, as the user may see them: two
    queries, whatever the number of requests and searches."""
    user = request.user
    todo = []
    if user.has_perm("referrals.view_referral"):
        todo.extend(requests_to_follow(reverse("admin:referrals_referral_changelist")))
    if user.has_perm("referrals.view_statistics"):
        unmet = searches.unmet_searches(since=month_start(timezone.localdate()))
        todo.append(
            todo_item(
                unmet,
                f"{pluriel(unmet, 'recherche')} d’orientation sans association disponible "
                "ce mois-ci (besoins non couverts)",
                "Aucune recherche d’orientation sans association disponible ce mois-ci",
                reverse("admin:referrals_referral_statistics") + "?periode=1#besoins-non-couverts",
            )
        )
    return todo


def requests_to_follow(changelist):
    """The requests that wait for staff or for their association, counted at once with
    the QuerySet rules their list filters apply."""

    def among(queryset):
        return Count("pk", filter=Q(pk__in=queryset.values("pk")))

    to_forward, emails, late, to_chase, to_call = Referral.objects.aggregate(
        to_forward=among(Referral.objects.to_forward()),
        awaiting_emails=among(Referral.objects.awaiting_emails()),
        awaiting_answer=among(Referral.objects.awaiting_answer()),
        to_chase=among(Referral.objects.to_chase()),
        to_call=among(Referral.objects.to_call()),
    ).values()
    return [
        todo_item(
            to_forward,
            f"{pluriel(to_forward, 'demande')} à transmettre à la main (association sans "
            "courriel confirmé)",
            "Aucune demande à transmettre",
            f"{changelist}?{ToForwardFilter.parameter_name}=oui",
        ),
        todo_item(
            emails,
            f"{pluriel(emails, 'demande')} avec un courriel en attente d’envoi",
            "Aucun courriel en attente d’envoi",
            f"{changelist}?{AwaitingEmailFilter.parameter_name}=en-attente",
        ),
        todo_item(
            late,
            f"{pluriel(late, 'demande')} sans réponse de l’association après "
            f"{ANSWER_EXPECTED_LABEL}",
            f"Aucune demande sans réponse après {ANSWER_EXPECTED_LABEL}",
            f"{changelist}?{AwaitingAnswerFilter.parameter_name}={AwaitingAnswerFilter.LATE}",
        ),
        todo_item(
            to_chase,
            f"{pluriel(to_chase, 'demande')} à relancer (sans réponse de l’association depuis "
            f"{CHASE_DAYS}{NBSP}jours, malgré son rappel)",
            "Aucune demande à relancer",
            f"{changelist}?{ToChaseFilter.parameter_name}=oui",
        ),
        todo_item(
            to_call,
            f"{pluriel(to_call, 'famille')} à appeler (réponse à dire par téléphone)",
            "Aucune famille à appeler",
            f"{changelist}?{ToCallFilter.parameter_name}=oui",
        ),
    ]
