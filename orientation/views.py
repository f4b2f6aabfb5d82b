"""The orientation pages and their JSON API: the same forms, the same answers.

A page is: GET form → `is_valid()` → the questionnaire ranks the associations, and
Django's Paginator cuts the page asked for → render.
"""

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from associations.models import Association, Collective
from core.vocabularies import Seeker

from .forms import VolunteerForm, YoungPersonForm
from .models import WeeklySearch

JSON = {"ensure_ascii": False}  # French words, readable as they are
# Where each result leads to be put in touch with the association (referrals app).
REFERRAL_LINKS = {
    Seeker.YOUNG_PERSON: ("referrals:young", "Être mis en relation"),
    Seeker.VOLUNTEER: ("referrals:volunteer", "Devenir mentor ici"),
}


@require_safe
def index(request):
    return render(request, "orientation/index.html")


def criteria(answers):
    """The answers as slugs and numbers: what the statistics keep of a search."""

    def plain(value):
        if hasattr(value, "slug"):
            return value.slug
        if hasattr(value, "__iter__") and not isinstance(value, str):
            return [plain(item) for item in value]
        return value

    return {name: plain(value) for name, value in answers.items()}


def answers_query(request, form):
    """The questionnaire's parameters of the request, and no other, as a query string."""
    query = QueryDict(mutable=True)
    for name in form.fields:
        query.setlist(name, request.GET.getlist(name))
    return query.urlencode()


def outcome_of(request, form):
    """The page asked for of the valid answers' ranked associations."""
    return form.questionnaire().evaluate(Association.objects.all(), request.GET.get("page"))


def questionnaire_page(request, form_class, template_name):
    """GET form → checked answers → ranked associations, or the form again with its errors.

    Until one of its questions is answered, the page shows the form alone, without
    errors. A page with errors answers 200: it is the form, shown again to be
    corrected. Each search with valid answers is counted for the statistics: its
    criteria, its week, whether it found associations with places; nothing else.
    """
    answered = any(name in request.GET for name in form_class.base_fields)
    form = form_class(request.GET if answered else None)
    outcome = outcome_of(request, form) if form.is_valid() else None
    if outcome is not None and request.method == "GET":
        WeeklySearch.objects.record(
            form.seeker,
            criteria(form.cleaned_data),
            found=outcome.count,
            found_with_places=outcome.count_with_places,
        )
    context = {
        "form": form,
        "outcome": outcome,
        "collective": Collective.objects.load(),
        # Each result links to the request form, carrying the answers to pre-fill it.
        "referral_url": REFERRAL_LINKS[form.seeker][0],
        "referral_label": REFERRAL_LINKS[form.seeker][1],
        "answers_query": answers_query(request, form) if outcome else "",
    }
    return render(request, template_name, context)


@require_safe
def young_person(request):
    return questionnaire_page(request, YoungPersonForm, "orientation/young_person.html")


@require_safe
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
        results = [
            {
                "slug": match.association.slug,
                "name": match.association.name,
                "url": request.build_absolute_uri(match.association.get_absolute_url()),
                "score": match.score,
                "reasons": match.reasons,
                "caveats": match.caveats,
            }
            for match in outcome.matches
        ]
        body = {
            "count": outcome.count,
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
def api_young_person(request):
    return api_response(request, YoungPersonForm)


@require_safe
def api_volunteer(request):
    return api_response(request, VolunteerForm)
