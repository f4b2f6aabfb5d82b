"""The orientation pages and their JSON API: the same FilterSets, the same answers."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from associations.models import Collective

from .filters import VolunteerFilterSet, YoungPersonFilterSet

JSON = {"ensure_ascii": False}  # French words, readable as they are


@require_safe
def index(request):
    return render(request, "orientation/index.html")


def questionnaire_page(request, filterset_class, template_name):
    """GET form → checked answers → ranked associations, or the form again with its errors.

    A page with errors answers 200: it is the form, shown again to be corrected.
    """
    filterset = filterset_class(filterset_class.answers(request.GET))
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "outcome": filterset.outcome() if filterset.is_valid() else None,
        "collective": Collective.objects.load(),
    }
    return render(request, template_name, context)


@require_safe
def young_person(request):
    return questionnaire_page(request, YoungPersonFilterSet, "orientation/young_person.html")


@require_safe
def volunteer(request):
    return questionnaire_page(request, VolunteerFilterSet, "orientation/volunteer.html")


def api_response(request, filterset_class):
    filterset = filterset_class(request.GET)
    if not filterset.is_valid():
        errors = {name: list(messages) for name, messages in filterset.errors.items()}
        response = JsonResponse({"errors": errors}, status=400, json_dumps_params=JSON)
    else:
        matches = filterset.outcome().matches
        results = [
            {
                "slug": match.association.slug,
                "name": match.association.name,
                "url": request.build_absolute_uri(match.association.get_absolute_url()),
                "score": match.score,
                "reasons": match.reasons,
                "caveats": match.caveats,
            }
            for match in matches
        ]
        response = JsonResponse({"count": len(results), "results": results}, json_dumps_params=JSON)
    # Public, read-only and the same for everyone: any site may call it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def api_young_person(request):
    return api_response(request, YoungPersonFilterSet)


@require_safe
def api_volunteer(request):
    return api_response(request, VolunteerFilterSet)
