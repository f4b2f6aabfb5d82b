"""The orientation pages and their JSON API: the same forms, the same answers.

A page is: GET form → `is_valid()` → the questionnaire ranks the associations, and
Django's Paginator cuts the page asked for → render. The API, inside the interface's
languages like the pages (/ar/api/…), answers in the language of its address: its
reasons are the pages' own words; French without a prefix, as every link made so far.
"""

from decimal import Decimal

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from associations.models import Association, Collective
from core.cache import directory_cached
from core.page_cache import (
    not_stored,
    on_each_hit,
    page_cached,
    page_number_checked,
    plain_values_checked,
)
from core.templatetags.translated import as_text
from core.vocabularies import Respondent, Seeker

from .forms import VolunteerForm, YoungPersonForm
from .models import WeeklySearch

JSON = {"ensure_ascii": False}  # French (or Arabic) words, readable as they are
SUBMITTED = "envoi"  # the name of the questionnaire's button: the form was sent
# Where each result leads to be put in touch with the association (referrals app).
REFERRAL_LINKS = {
    Seeker.YOUNG_PERSON: ("referrals:young", _("Être mis en relation")),
    Seeker.VOLUNTEER: ("referrals:volunteer", _("Devenir mentor ici")),
}


# The ways into the young person's questionnaire: who answers, said from the start.
RESPONDENT_HINTS = {
    Respondent.YOUNG_PERSON: _("Je suis le jeune qui cherche un mentor"),
    Respondent.PARENT: _("Je suis son parent, ou son responsable légal"),
    Respondent.PROFESSIONAL: _("Éducateur, enseignant, conseiller…"),
}


@require_safe
@page_cached
def index(request):
    respondents = [
        {"value": r.value, "label": r.label, "hint": RESPONDENT_HINTS[r]} for r in Respondent
    ]
    context = {"respondents": respondents}
    return render(request, "orientation/index.html", context)


def plain(value):
    """An answer as the statistics keep it: a slug, a number, or a list of them."""
    if hasattr(value, "slug"):
        return value.slug
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return [plain(item) for item in value]
    return value


def criteria(answers):
    """The answers as slugs and numbers: what the statistics keep of a search."""
    return {name: plain(value) for name, value in answers.items()}


def answers_query(request, form):
    """The questionnaire's parameters of the request, and no other, as a query string."""
    query = QueryDict(mutable=True)
    for name in form.fields:
        query.setlist(name, request.GET.getlist(name))
    return query.urlencode()


def outcome_of(request, form):
    """The page asked for of the valid answers' ranked associations.

    The same answers give the same outcome until the directory changes (a waiting
    list included): kept in the cache for each version of the directory (core.cache).
    """
    page = request.GET.get("page")

    def evaluate():
        return form.questionnaire().evaluate(Association.objects.all(), page).detached()

    answers = repr(sorted(criteria(form.cleaned_data).items()))
    return directory_cached(f"orientation-{form.seeker}", evaluate, answers, page)


def is_submitted(request, form_class):
    """Whether the answers are to be checked: the form was sent (its button's `envoi`), or
    the address holds an answer to every required question (a saved search)."""
    if SUBMITTED in request.GET:
        return True
    return all(request.GET.get(name) for name in form_class.required_questions())


def questionnaire_page(request, form_class, template_name):
    """GET form → checked answers → ranked associations, or the form again with its errors.

    Until one of its questions is answered, the page shows the form alone. An address
    with some answers but not all (a flyer's QR code: `?situation=lycee-pro`) shows
    those that are valid chosen, the others to fill, and no error until the form is
    sent. A page with errors answers 200: it is the form, shown again to be corrected.
    Each search with valid answers is counted for the statistics: its criteria, its
    week, whether it found associations with places; nothing else.
    """
    answered = any(name in request.GET for name in form_class.base_fields)
    form = form_class(request.GET if answered else None)
    prefilled = answered and not is_submitted(request, form_class)
    if prefilled:
        # Shown, not judged: the valid answers chosen, the rest left to fill.
        form = form_class(initial=form.answered())
    outcome = outcome_of(request, form) if form.is_bound and form.is_valid() else None
    if outcome is not None:
        search = (
            form.seeker,
            criteria(form.cleaned_data),
            outcome.count,
            outcome.count_with_places,
        )
        record_search(request, search)
        # Served from the page cache, the search is counted all the same.
        on_each_hit(request, search)
        page_number_checked(request)
        plain_values_checked(request)
    elif answered:
        # Answers with errors, or some left to give: this visitor's page, not kept.
        not_stored(request)
    context = {
        "form": form,
        "words": form.address,
        "results_title": form.address.results % {"count": outcome.count} if outcome else "",
        "prefilled": prefilled,
        "submitted": SUBMITTED,
        "outcome": outcome,
        "collective": Collective.objects.load(),
        # Each result links to the request form, carrying the answers to pre-fill it.
        "referral_url": REFERRAL_LINKS[form.seeker][0],
        "referral_label": REFERRAL_LINKS[form.seeker][1],
        "answers_query": answers_query(request, form) if outcome else "",
    }
    return render(request, template_name, context)


def record_search(request, search):
    """Counts a search for the statistics (a visit, not a HEAD request's check)."""
    seeker, answers, found, found_with_places = search
    if request.method == "GET":
        WeeklySearch.objects.record(
            seeker, answers, found=found, found_with_places=found_with_places
        )


def questionnaire_parameters(form_class):
    """The GET parameters of a questionnaire's page: its questions, its button, the page."""
    return [*form_class.base_fields, SUBMITTED, "page"]


@require_safe
@page_cached(parameters=questionnaire_parameters(YoungPersonForm), on_hit=record_search)
def young_person(request):
    return questionnaire_page(request, YoungPersonForm, "orientation/young_person.html")


@require_safe
@page_cached(parameters=questionnaire_parameters(VolunteerForm), on_hit=record_search)
def volunteer(request):
    return questionnaire_page(request, VolunteerForm, "orientation/volunteer.html")


def page_url(request, number):
    """The same request for another page, as an absolute address (None if no such page)."""
    if number is None:
        return None
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def api_response(request, form_class):
    form = form_class(request.GET)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        response = JsonResponse({"errors": errors}, status=400, json_dumps_params=JSON)
    else:
        outcome = outcome_of(request, form)
        page = outcome.page
        page_number_checked(request)
        plain_values_checked(request)
        results = [
            {
                "slug": match.association.slug,
                "name": match.association.name,
                "url": request.build_absolute_uri(match.association.get_absolute_url()),
                # A French text inside a reason is marked in HTML for the pages: here, text.
                "reasons": [as_text(reason) for reason in match.reasons],
                "differences": [as_text(difference) for difference in match.differences],
                "caveats": [as_text(caveat) for caveat in match.caveats],
            }
            for match in outcome.matches
        ]
        body = {
            "count": outcome.count,
            "ranking": outcome.ranking,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": page_url(request, page.next_page_number() if page.has_next() else None),
            "previous": page_url(
                request, page.previous_page_number() if page.has_previous() else None
            ),
            "results": results,
        }
        response = JsonResponse(body, json_dumps_params=JSON)
    # Public, read-only and the same for everyone: any site may call it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@page_cached(parameters=[*YoungPersonForm.base_fields, "page"])
def api_young_person(request):
    return api_response(request, YoungPersonForm)


@require_safe
@page_cached(parameters=[*VolunteerForm.base_fields, "page"])
def api_volunteer(request):
    return api_response(request, VolunteerForm)
