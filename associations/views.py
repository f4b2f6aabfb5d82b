import json

from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from core.cache import directory_cached, directory_response
from core.http import public_api, query_without
from core.page_cache import not_stored, page_cached, page_number_checked

from . import fiche_check as fiche_check_links
from .filters import AssociationFilterSet, LocationFilterSet
from .geojson import MAP_POINTS_MAX, feature_collection, grouped_collection, marker_colour
from .in_brief import in_brief
from .models import Association, Collective, Location

DIRECTORY_PAGE_SIZE = 30
MAP_LIST_PAGE_SIZE = 60
# The GET parameters of the directory's and the map's pages: a query with any other is
# answered without the page cache (core.page_cache).
FILTER_PARAMETERS = [*AssociationFilterSet.base_filters, "page"]


def directory_totals():
    """The whole directory's figures (an aggregate over every association), cached."""
    return directory_cached("totals", Association.objects.totals)


@require_GET
@page_cached
def home(request):
    collective = Collective.objects.load()
    context = {
        "collective": collective,
        "impact_figures": collective.impact_figures.all(),
        "testimonials": collective.testimonials.all(),
        "totals": directory_totals(),
    }
    return render(request, "associations/home.html", context)


@require_GET
@page_cached
def presentation(request):
    """The Collectif's, mentoring's and the Cité éducative's presentation, in full."""
    return render(
        request, "associations/presentation.html", {"collective": Collective.objects.load()}
    )


@require_GET
@page_cached(parameters=FILTER_PARAMETERS)
def directory(request):
    filterset = AssociationFilterSet(request.GET or None, queryset=Association.objects.all())
    # A card shows its levels, of all the vocabularies; the cards are a cached fragment.
    associations = filterset.qs.prefetch_related("levels").with_places().with_review_flag()
    # An absurd page number shows the nearest real page rather than an error.
    page = Paginator(associations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    _not_stored_if_odd(request, filterset)
    all_totals = directory_totals()
    if filterset.is_bound and filterset.is_valid() and filterset.is_filtered:
        totals = Association.objects.filter(pk__in=filterset.qs.values("pk")).totals()
    else:
        totals = all_totals
    context = {
        "filterset": filterset,
        "associations": page.object_list,
        "page": page,
        "page_query": query_without(request, "page"),
        "totals": totals,
        "all_totals": all_totals,
    }
    return render(request, "associations/directory.html", context)


def _not_stored_if_odd(request, filterset):
    """A filter's value that is not one, a page number written oddly: shown to this
    visitor, never kept in the page cache (anyone could vary them without end)."""
    if filterset.is_bound and not filterset.is_valid():
        not_stored(request)
    page_number_checked(request)


@require_GET
@page_cached
def detail(request, slug):
    association = get_object_or_404(Association.objects.with_details().with_places(), slug=slug)
    review_items = association.public_review_items
    context = {
        "association": association,
        "in_brief": in_brief(association, {item.section for item in review_items}),
        "review_sections": {item.section for item in review_items},
        "review_items": review_items,
        "marker_colour": marker_colour(association),
        "locations_geojson": feature_collection(
            [location for location in association.locations.all() if location.latitude is not None]
        ),
    }
    return render(request, "associations/detail.html", context)


def _filtered_locations(request, filterset_class=AssociationFilterSet):
    filterset = filterset_class(request.GET or None, queryset=Association.objects.all())
    locations = (
        Location.objects.on_map()
        .filter(association__in=filterset.qs.values("pk"))
        .select_related("association")
        .order_by(Lower("association__name"), "label", "pk")
    )
    return filterset, locations


def _place_list(locations, page_number):
    """The map's list of places: one page of them, by association, with the counts."""
    page = Paginator(locations, MAP_LIST_PAGE_SIZE).get_page(page_number)
    places_by_association = {}
    for location in page.object_list:
        places_by_association.setdefault(location.association, []).append(location)
    return {
        "places_by_association": [
            (association, marker_colour(association), places)
            for association, places in places_by_association.items()
        ],
        "location_count": page.paginator.count,
        "association_count": locations.values("association").distinct().count(),
        "page": page,
    }


@require_GET
@page_cached(parameters=FILTER_PARAMETERS, headers=["X-Partial"])
def map_page(request):
    filterset, locations = _filtered_locations(request)
    page_number = request.GET.get("page")
    _not_stored_if_odd(request, filterset)
    context = {
        "filterset": filterset,
        # Read only if the list's cached fragment is stale (core.cache).
        "places": SimpleLazyObject(lambda: _place_list(locations, page_number)),
        "page_number": page_number or "",
        "page_query": query_without(request, "page"),
    }
    # The map's filters redraw the list in place: the script asks for the list alone.
    template = "associations/map.html"
    if request.headers.get("X-Partial") == "liste":
        template += "#place-list"
    return render(request, template, context)


# What a feature reads of a place and its association, and nothing more.
FEATURE_FIELDS = [
    "label",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "is_approximate",
    "association__name",
    "association__slug",
]


def _geojson(locations, box):
    """All the places asked for, or, in a map's view (`box`) with too many of them, their
    groups; with the extent of all of them (`bbox`), for the map to fit them."""
    extent = locations.extent()
    if box is not None:
        in_view = locations.within(box)
        points = list(in_view.values_list("longitude", "latitude")[: MAP_POINTS_MAX + 1])
        if len(points) > MAP_POINTS_MAX:
            points = in_view.values_list("longitude", "latitude")
            return grouped_collection(points, box, extent)
        locations = in_view
    return feature_collection(locations.only(*FEATURE_FIELDS), extent)


@public_api
@require_safe
@page_cached(parameters=LocationFilterSet.base_filters)
def locations_geojson(request):
    """Every place (the open data), or those of a map's view (`bbox`): built once for each
    version of the directory and what is asked (core.cache)."""
    filterset, locations = _filtered_locations(request, LocationFilterSet)
    if errors := filterset.api_errors():
        # As the orientation API says it: {"errors": {"niveau": ["…"]}}.
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    box = filterset.form.cleaned_data.get("bbox") if filterset.is_bound else None
    return directory_response(
        "geojson",
        lambda: json.dumps(_geojson(locations, box), ensure_ascii=False).encode(),
        "application/geo+json",
        filterset.cache_key,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def fiche_check(request, token):
    """The association's monthly link: its fiche as families see it, and « Tout est à jour »."""
    try:
        contact = fiche_check_links.contact_of(token)
    except fiche_check_links.LinkExpired:
        response = render(request, "associations/fiche_check_expired.html", status=410)
        return same_origin_referrer(response)
    if contact is None:
        raise Http404("Lien inconnu.")
    data = request.POST if request.method == "POST" else None
    form = fiche_check_links.CheckForm(data, contact=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(f"{request.path}?merci")
    context = {
        "contact": contact,
        "association": contact.association,
        "form": form,
        "thanks": "merci" in request.GET,
    }
    # 200 with the errors: Django logs a 4xx with its path, which holds the key.
    return same_origin_referrer(render(request, "associations/fiche_check.html", context))


def same_origin_referrer(response):
    """The page's address is a key: no link to another site passes it on."""
    response["Referrer-Policy"] = "same-origin"
    return response
