"""The request form (young person or volunteer) and the confirmation page.

GET shows the form, pre-filled from the orientation's answers when the person comes
from a result. POST checks it, saves the request, then sends the e-mails: the
request is kept whatever happens to them. The confirmation page reads the
reference from the session, never from the address: a reference shows nothing.
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from associations.models import Association
from core.french import listing, sentence
from core.vocabularies import AGES, Modality, Seeker
from orientation.filters import VolunteerFilterSet, YoungPersonFilterSet

from . import emails, ratelimit
from .forms import FORMS, TRAP_FIELD

logger = logging.getLogger(__name__)

SESSION_KEY = "referral_sent"
QUESTIONNAIRES = {Seeker.YOUNG_PERSON: YoungPersonFilterSet, Seeker.VOLUNTEER: VolunteerFilterSet}


def orientation_answers(seeker, query):
    """The valid answers among the orientation's parameters; anything else is dropped."""
    form = QUESTIONNAIRES[seeker](query).form
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def summary(answers):
    """The answers the form has no field for, as the start of the message (editable)."""
    lines = []
    if needs := answers.get("besoins"):
        lines.append(sentence("Besoins", listing(need.name for need in needs)) + ".")
    if "heures_par_mois" in answers and "mois" in answers:
        lines.append(
            f"Je peux donner {answers['heures_par_mois']}\u00a0heures par mois pendant "
            f"{answers['mois']}\u00a0mois."
        )
    if modality := answers.get("modalite"):
        lines.append(f"Rencontres de préférence {Modality(modality).words}.")
    if audiences := answers.get("situations_particulieres"):
        names = listing(audience.name for audience in audiences)
        lines.append(sentence("Situation particulière", names) + ".")
    return "\n".join(lines)


def initial_values(seeker, query):
    answers = orientation_answers(seeker, query) if query else {}
    low, high = AGES[seeker]
    initial = {"message": summary(answers)}
    if low <= answers.get("age", -1) <= high:
        initial["age"] = answers["age"]
    if situation := answers.get("situation"):
        initial["situation"] = situation
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def request_form(request, slug, seeker):
    association = get_object_or_404(Association.objects.with_places(), slug=slug)
    form_class = FORMS[seeker]
    status = 200
    if request.method != "POST":
        form = form_class(initial=initial_values(seeker, request.GET), association=association)
    elif ratelimit.is_exceeded(request):
        form = form_class(request.POST, association=association)
        form.full_clean()
        form.add_error(
            None,
            "Trop de demandes ont été envoyées depuis cette connexion\u00a0: réessayez dans "
            "une heure, ou contactez directement l’association.",
        )
        status = 429
    else:
        form = form_class(request.POST, association=association)
        if form.is_valid():
            referral = form.save()
            ratelimit.count(request)
            emails.send_pending(referral)
            request.session[SESSION_KEY] = {
                "reference": referral.reference,
                "association": association.name,
                "association_url": association.get_absolute_url(),
                "volunteer": referral.is_volunteer,
                "acknowledged": referral.acknowledged_at is not None,
                "waiting_list": association.has_waiting_list,
            }
            return redirect("referrals:sent")
        if form.has_error(NON_FIELD_ERRORS, "trap"):
            logger.info("Demande de mise en relation refusée : champ piège rempli.")
    context = {
        "association": association,
        "form": form,
        "seeker": seeker,
        "volunteer": seeker == Seeker.VOLUNTEER,
        "trap_field": form[TRAP_FIELD],
        "retention_months": settings.REFERRAL_RETENTION_MONTHS,
    }
    return render(request, "referrals/form.html", context, status=status)


@require_safe
@never_cache
def sent(request):
    details = request.session.get(SESSION_KEY)
    if not isinstance(details, dict) or "reference" not in details:
        return redirect("orientation:index")
    context = {"sent": details, "retention_months": settings.REFERRAL_RETENTION_MONTHS}
    return render(request, "referrals/sent.html", context)


def young_person(request, slug):
    return request_form(request, slug, Seeker.YOUNG_PERSON)


def volunteer(request, slug):
    return request_form(request, slug, Seeker.VOLUNTEER)
