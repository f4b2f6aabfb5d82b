"""The request form (young person or volunteer) and the confirmation page.

GET shows the form, pre-filled from the orientation's answers when the person comes
from a result, with a one-time token. POST checks it, counts it against the rate
limit, saves the request and queues its e-mails (`tasks`): no mail server is ever
reached during the visitor's request. The same token posted again (a double click,
a reload) shows the same confirmation and saves nothing more. The confirmation page
reads the reference from the session, never from the address: a reference shows
nothing.

The form's page is the same for every visitor of one address but for its CSRF token
and its one-time token: it is served from the page cache (core.page_cache) with each
visitor's own, until the directory or the association's places change.
"""

import logging
import re
import secrets

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError
from django.http import Http404, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from associations.models import Association, Collective
from core.languages import is_language
from core.page_cache import not_stored, page_cached, plain_values_checked, visitor_token
from core.vocabularies import Seeker
from orientation.forms import FORMS as QUESTIONNAIRE_FORMS

from . import alternatives, answers, ratelimit, tasks
from .forms import FORMS, TRAP_FIELD
from .models import Referral

logger = logging.getLogger(__name__)

SESSION_KEY = "referral_sent"
TOKEN_FIELD = "submission_token"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
# The orientation's answers the form was opened with, kept through its POST.
ANSWERS_FIELD = "reponses"


def new_submission_token(request):
    return secrets.token_urlsafe(24)


# Each visitor's own values of the form's page: the page itself is the same for everyone
# (core.page_cache), until the directory (or an association's places) changes.
VISITOR_TOKENS = {"csrf_token": get_token, TOKEN_FIELD: new_submission_token}


def form_parameters(seeker):
    """The GET parameters of a request form: the questionnaire's, and the resent mark."""
    return [*QUESTIONNAIRE_FORMS[seeker].base_fields, alternatives.RESENT_PARAMETER]


def initial_values(form_class, query):
    """The form pre-filled from the orientation's answers, when the person comes from a result,
    and those valid answers as a query string, kept with the request (`alternatives`).

    The questions that the request form asks again (age, situation) have the same names
    as the questionnaire's: their valid answers fill the fields in. The other valid
    answers start the message, in words, to be edited: who answers first ("Je fais cette
    demande pour mon enfant."). Anything else is dropped. Without answers, no question is
    read (nor the directory's age bounds).
    """
    if not query:
        return {"message": ""}, ""
    questions = QUESTIONNAIRE_FORMS[form_class.seeker](query)
    answers = questions.answered()
    shared = {name: value for name, value in answers.items() if name in form_class.base_fields}
    kept = alternatives.valid_query(questions, query)
    return {**shared, "message": questions.summary()}, kept


def _not_stored_if_odd(request, kept):
    """Answers that are not valid or not written as the site writes them, a resent mark
    that is not "1": shown to this visitor, never kept in the page cache (anyone could
    vary them without end)."""
    resent = request.GET.get(alternatives.RESENT_PARAMETER)
    given = set(request.GET) - {alternatives.RESENT_PARAMETER}
    if (resent is not None and resent != "1") or given - set(QueryDict(kept)):
        not_stored(request)
    plain_values_checked(request)


def request_language():
    """The language of the form's address (/ar/…, /en/…, French unprefixed): never a
    value the visitor posts."""
    language = translation.get_language()
    return language if is_language(language) else settings.LANGUAGE_CODE


def submission_token(request):
    """The form's one-time token, if the POST carries exactly one well-formed token."""
    values = request.POST.getlist(TOKEN_FIELD)
    if len(values) == 1 and TOKEN_PATTERN.fullmatch(values[0]):
        return values[0]
    return None


def confirm(request, referral, association):
    """What the confirmation page shows: the reference and what happens next, no personal data."""
    request.session[SESSION_KEY] = {
        "reference": referral.reference,
        "association": association.name,
        "association_url": association.get_absolute_url(),
        "volunteer": referral.is_volunteer,
        "confirmation_email": bool(referral.acknowledgement_recipients),
        "through_collective": not association.has_email_recipient,
        "waiting_list": association.has_waiting_list,
    }
    return redirect("referrals:sent")


def already_sent(request, token):
    """The request this token already made (a double click, a reload), with its association."""
    referral = Referral.objects.filter(submission_token=token).first() if token else None
    if referral is None:
        return None
    association = Association.objects.with_places().with_email_recipient()
    return confirm(request, referral, association.get(pk=referral.association_id))


def request_form(request, slug, seeker):
    association = get_object_or_404(
        Association.objects.with_places().with_email_recipient(), slug=slug
    )
    form_class = FORMS[seeker]
    status = 200
    token = submission_token(request) if request.method == "POST" else None
    if request.method != "POST":
        initial, answered = initial_values(form_class, request.GET)
        _not_stored_if_odd(request, answered)
        resent = request.GET.get(alternatives.RESENT_PARAMETER) == "1"
        form = form_class(initial=initial, association=association)
    elif response := already_sent(request, token):
        return response
    else:
        form = form_class(request.POST, association=association)
        answered = alternatives.stored_query(seeker, request.POST.get(ANSWERS_FIELD, ""))
        resent = request.POST.get(alternatives.RESENT_PARAMETER) == "1"
        if not form.is_valid():
            if form.has_error(NON_FIELD_ERRORS, "trap"):
                logger.info("Demande de mise en relation refusée : champ piège rempli.")
        elif not ratelimit.allow(request, professional=form.instance.is_professional):
            form.add_error(
                None,
                _(
                    "Trop de demandes ont été envoyées depuis cette connexion : réessayez "
                    "dans une heure, ou contactez directement l’association."
                ),
            )
            status = 429
        else:
            form.instance.submission_token = token
            form.instance.orientation_answers = answered
            form.instance.resent = resent
            form.instance.language = request_language()
            try:
                referral = form.save()
            except IntegrityError:
                # The same form posted twice at once: the other request saved it first.
                if response := already_sent(request, token):
                    return response
                raise
            tasks.enqueue_emails(referral.pk)
            return confirm(request, referral, association)
    context = {
        "association": association,
        "form": form,
        "seeker": seeker,
        "volunteer": seeker == Seeker.VOLUNTEER,
        "trap_field": form[TRAP_FIELD],
        "professional": "is_professional" in form.fields,
        "csrf_token": visitor_token(request, "csrf_token"),
        "submission_token": token or visitor_token(request, TOKEN_FIELD),
        "orientation_answers": answered,
        "resent": resent,
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


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@page_cached(parameters=form_parameters(Seeker.YOUNG_PERSON), tokens=VISITOR_TOKENS)
def young_person(request, slug):
    return request_form(request, slug, Seeker.YOUNG_PERSON)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@page_cached(parameters=form_parameters(Seeker.VOLUNTEER), tokens=VISITOR_TOKENS)
def volunteer(request, slug):
    return request_form(request, slug, Seeker.VOLUNTEER)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def answer(request, token):
    """The association's personal link: the request and its three answers.

    An altered link is a 404; an expired one, or a request that no longer takes an
    answer, a page that says so, with the Collectif's contact.
    """
    try:
        referral = answers.referral_of(token)
    except answers.LinkExpired:
        return answer_closed(request, None, expired=True)
    if referral is None:
        raise Http404("Lien inconnu.")
    if not answers.is_answerable(referral):
        return answer_closed(request, referral)
    data = request.POST if request.method == "POST" else None
    form = answers.AnswerForm(data, referral=referral)
    if request.method == "POST" and form.is_valid():
        if form.save():
            tasks.enqueue_family_message(referral.pk)
        return redirect(request.path)
    context = {
        "referral": referral,
        "association": referral.association,
        "form": form,
        "in_contact": referral.status == Referral.Status.IN_CONTACT,
        "collective": Collective.objects.load(),
    }
    # 200 with the errors, as the request form: Django logs a 4xx with its path (the key).
    return no_referrer(render(request, "referrals/answer.html", context))


def answer_closed(request, referral, *, expired=False):
    """The link takes no more answer; declined as full, it proposes to say so on the fiche."""
    intake_form = None
    if referral is not None and answers.proposes_intake(referral):
        data = request.POST if request.method == "POST" else None
        intake_form = answers.IntakeForm(data)
        if request.method == "POST" and intake_form.is_valid():
            intake_form.save(referral.association)
            return redirect(request.path)
    context = {
        "intake_form": intake_form,
        "referral": referral,
        "expired": expired,
        "unanswered": referral is not None and referral.status == Referral.Status.EXPIRED,
        "collective": Collective.objects.load(),
    }
    status = 410 if expired else 200  # an expired key may be logged: it opens nothing
    return no_referrer(render(request, "referrals/answer_closed.html", context, status=status))


def no_referrer(response):
    """The page's address is the association's key: no link to another site passes it on.

    "same-origin", not "no-referrer": with no referrer at all, browsers post the form
    with `Origin: null`, which the CSRF check rightly refuses.
    """
    response["Referrer-Policy"] = "same-origin"
    return response
