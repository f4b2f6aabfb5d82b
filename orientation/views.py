"""The orientation pages and their JSON API: the same FilterSets, the same answers."""

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from associations.models import Collective
from core.vocabularies import Seeker

from .filters import VolunteerFilterSet, YoungPersonFilterSet
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


def page_number(request):
    """The `page` parameter: a number from 1, anything else is the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def answers_query(request, filterset):
    """The questionnaire's parameters of the request, and no other, as a query string."""
    query = QueryDict(mutable=True)
    for name in filterset.filters:
        query.setlist(name, request.GET.getlist(name))
    return query.urlencode()


def questionnaire_page(request, filterset_class, template_name, seeker):
    """GET form → checked answers → ranked associations, or the form again with its errors.

    A page with errors answers 200: it is the form, shown again to be corrected. Each
    search with valid answers is counted for the statistics: its criteria, its week,
    whether it found associations with places; nothing else.
    """
    filterset = filterset_class(filterset_class.answers(request.GET))
    outcome = filterset.outcome(page_number(request)) if filterset.is_valid() else None
    if outcome is not None and request.method == "GET":
        WeeklySearch.objects.record(
            seeker,
            criteria(filterset.form.cleaned_data),
            found=outcome.count,
            found_with_places=outcome.count_with_places,
        )
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "outcome": outcome,
        "collective": Collective.objects.load(),
        # Each result links to the request form, carrying the answers to pre-fill it.
        "referral_url": REFERRAL_LINKS[seeker][0],
        "referral_label": REFERRAL_LINKS[seeker][1],
        "answers_query": answers_query(request, filterset) if outcome else "",
    }
    return render(request, template_name, context)


@require_safe
def young_person(request):
    return questionnaire_page(
        request,
        YoungPersonFilterSet,
        "orientation/young_person.html",
        Seeker.YOUNG_PERSON,
    )


@require_safe
def volunteer(request):
    return questionnaire_page(
        request,
        VolunteerFilterSet,
        "orientation/volunteer.html",
        Seeker.VOLUNTEER,
    )


def page_url(request, page):
    """The same request for another page, as an absolute address (None if no such page)."""
    if page is None:
        return None
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def api_response(request, filterset_class):
    filterset = filterset_class(request.GET)
    if not filterset.is_valid():
        errors = {name: list(messages) for name, messages in filterset.errors.items()}
        response = JsonResponse({"errors": errors}, status=400, json_dumps_params=JSON)
    else:
        outcome = filterset.outcome(page_number(request))
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
            "page": outcome.page,
            "pages": outcome.pages,
            "next": page_url(request, outcome.next_page),
            "previous": page_url(request, outcome.previous_page),
            "results": results,
        }
        response = JsonResponse(body, json_dumps_params=JSON)
    # Public, read-only and the same for everyone: any site may call it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def api_young_person(request):
    return api_response(request, YoungPersonFilterSet)


@require_safe
def api_volunteer(request):
    return api_response(request, VolunteerFilterSet)
