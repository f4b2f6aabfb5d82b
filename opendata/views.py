"""The printable brochure and flyers, the open-data API and exports, and the /donnees/ page.

Every view costs a fixed number of queries, whatever the number of associations.
"""

from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from associations.geojson import FEATURE_PROPERTIES
from associations.models import Association, Collective, Level
from core.cache import directory_cached, directory_response
from core.csv import CSV_CONTENT_TYPE, attachment, csv_bytes
from core.french import lower_first, sentence
from core.http import public_api
from core.page_cache import page_cached, page_of

from . import csv_export, datainclusion, printing, records

# How long a client may keep an export; after that, the ETag tells it whether it changed.
OPEN_DATA_MAX_AGE = 300  # seconds


def _link(path):
    url = records.absolute_url(path)
    return {"url": url, "short": printing.short_url(url)}


def _sheet(association):
    """An association as printed: the association, its page's address as text and QR code."""
    page = _link(association.get_absolute_url())
    review_items = association.public_review_items
    return {
        "association": association,
        "page": page,
        "qr_code": printing.qr_code(page["url"]),
        "map": printing.places_map(association.locations.all()),
        "review_items": review_items,
        # For a flyer's one line: "mentors, modalités".
        "review_sections": ", ".join(
            dict.fromkeys(lower_first(item.get_section_display()) for item in review_items)
        ),
        "density": printing.page_density(association, review_items),
    }


def _overview_grid(sheets):
    """The overview's levels × associations grid: the levels some association takes (in
    school order) as columns, and on each sheet whether its association takes each one."""
    levels = {level.pk: level for s in sheets for level in s["association"].levels.all()}
    columns = sorted(levels.values(), key=lambda level: (level.position, level.name))
    for sheet in sheets:
        taken = {level.pk for level in sheet["association"].levels.all()}
        sheet["grid"] = [(level.name, level.pk in taken) for level in columns]
    return columns


# --- Print ---------------------------------------------------------------------------------


def _brochure_context(today):
    collective = Collective.objects.load()
    sheets = [_sheet(association) for association in records.exported_associations()]
    home = _link(reverse("associations:home"))
    return {
        "collective": collective,
        "impact_figures": collective.impact_figures.all(),
        "testimonials": collective.testimonials.all(),
        "totals": Association.objects.totals(),
        "sheets": sheets,
        "levels": _overview_grid(sheets),
        "today": today,
        "home": home,
        "home_qr_code": printing.qr_code(home["url"]),
        "map_link": _link(reverse("associations:map")),
        "open_data_link": _link(reverse("opendata:open_data")),
        "updated_at": max(
            [collective.updated_at] + [sheet["association"].updated_at for sheet in sheets]
        ),
        "licence": records.LICENCE,
    }


@require_safe
def brochure(request):
    """The brochure's content is the same for every visitor, and long to build with a
    large directory: built once for each version of the directory (and each day, which
    it prints), then only the page around it, with this visitor's CSP nonce."""
    return render(request, "opendata/brochure.html", {"body": brochure_body()})


def brochure_body():
    """The brochure's content (HTML), as cached for this version of the directory."""
    today = timezone.localdate()
    return directory_cached(
        "brochure",
        lambda: render_to_string("opendata/_brochure.html", _brochure_context(today)),
        today.isoformat(),
    )


# Associations listed on one page of the flyers' index.
FLYERS_PAGE_SIZE = 50


@require_safe
@page_cached(parameters=["page"])
def flyers(request):
    associations = Association.objects.by_name().only("name", "slug")
    page = page_of(request, associations, FLYERS_PAGE_SIZE)
    context = {
        "associations": page.object_list,
        "page": page,
        "page_query": "",
        # An aggregation drops Meta.ordering: say it again.
        "levels": Level.objects.annotate(association_count=Count("associations"))
        .filter(association_count__gt=0)
        .order_by(*Level._meta.ordering),
    }
    return render(request, "opendata/flyers.html", context)


@require_safe
@page_cached
def association_flyer(request, slug):
    association = get_object_or_404(records.exported_associations(), slug=slug)
    context = {"collective": Collective.objects.load(), "sheet": _sheet(association)}
    return render(request, "opendata/flyer_association.html", context)


@require_safe
@page_cached
def level_flyer(request, slug):
    """A flyer for families of one level; none for a level no association takes yet."""
    level = get_object_or_404(Level, slug=slug)
    # Read by the page only if its cached list is stale (core.cache).
    associations = (
        Association.objects.filter(levels=level).with_review_flag().prefetch_related("contacts")
    )
    if not associations.exists():
        # "Un mentor pour avancer", then "nobody takes this level": not worth the paper.
        raise Http404("Aucune association n’accompagne ce niveau.")
    search = printing.orientation_search_url(level)
    context = {
        "collective": Collective.objects.load(),
        "level": level,
        "associations": associations,
        "search": {"url": search, "short": printing.short_url(search)},
        "qr_code": printing.qr_code(search),
    }
    return render(request, "opendata/flyer_level.html", context)


# --- Open data -----------------------------------------------------------------------------


def _json(data):
    return HttpResponse(records.to_json(data), content_type="application/json")


def _cached_json(name, build):
    """An export of the whole directory, built once for each version of it (core.cache)."""
    return directory_response(name, lambda: records.to_json(build()), "application/json")


def _data_inclusion(build):
    """data·inclusion records of every exported association (`build`: structure or service)."""
    collective = Collective.objects.load()
    return [build(association, collective) for association in records.exported_associations()]


def _all_records():
    collective = Collective.objects.load()
    return [records.association_record(a, collective) for a in records.exported_associations()]


def _association_list():
    results = _all_records()
    return {
        "licence": records.LICENCE,
        "documentation": records.absolute_url(reverse("opendata:open_data")),
        "updated_at": records.last_update(results),
        "count": len(results),
        "results": results,
    }


@public_api(max_age=OPEN_DATA_MAX_AGE)
@require_safe
def association_list(request):
    return _cached_json("api-associations", _association_list)


@public_api(max_age=OPEN_DATA_MAX_AGE)
@require_safe
@page_cached
def association_detail(request, slug):
    # Any string reaches here, so that every unknown address under the API answers in JSON.
    association = None
    if records.is_slug(slug):
        association = records.exported_associations().filter(slug=slug).first()
    if association is None:
        return JsonResponse(
            {
                "erreur": "Association introuvable.",
                "detail": sentence(
                    "Aucune association n’a cet identifiant. "
                    "La liste des associations et leurs identifiants",
                    records.absolute_url(reverse("opendata:association_list")),
                ),
            },
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return _json(records.association_record(association, Collective.objects.load()))


@public_api(max_age=OPEN_DATA_MAX_AGE)
@require_safe
def associations_csv(request):
    response = directory_response(
        "csv",
        lambda: csv_bytes(csv_export.HEADER, csv_export.rows(_all_records())),
        CSV_CONTENT_TYPE,
    )
    return attachment(response, "associations-mentorat-roubaix.csv")


@public_api(max_age=OPEN_DATA_MAX_AGE)
@require_safe
def data_inclusion_structures(request):
    return _cached_json(
        "data-inclusion-structures",
        lambda: _data_inclusion(datainclusion.data_inclusion_structure),
    )


@public_api(max_age=OPEN_DATA_MAX_AGE)
@require_safe
def data_inclusion_services(request):
    return _cached_json(
        "data-inclusion-services", lambda: _data_inclusion(datainclusion.data_inclusion_service)
    )


@require_safe
@page_cached
def open_data(request):
    collective = Collective.objects.load()
    context = {
        "collective_name": collective.name,
        "collective_email": collective.contact_email,
        "summary": Association.objects.aggregate(
            count=Count("pk"),
            updated_at=Max("updated_at"),
            first_verified_on=Min("verified_on"),
            last_verified_on=Max("verified_on"),
            never_verified=Count("pk", filter=Q(verified_on=None)),
        ),
        "licence": records.LICENCE,
        "record_fields": records.RECORD_FIELDS,
        "csv_columns": [(column, description) for column, description, _ in csv_export.CSV_COLUMNS],
        "feature_properties": FEATURE_PROPERTIES,
        "structure_fields": datainclusion.STRUCTURE_FIELDS,
        "service_fields": datainclusion.SERVICE_FIELDS,
        "mapping_rows": datainclusion.mapping_rows(),
        "service_defaults": [
            (field, ", ".join(value) if isinstance(value, list) else value)
            for field, value in sorted(datainclusion.DATA_INCLUSION_SERVICE_DEFAULTS.items())
        ],
        "data_inclusion_source": datainclusion.DATA_INCLUSION_SOURCE,
        "data_inclusion_schema_url": datainclusion.DATA_INCLUSION_SCHEMA_URL,
        "example_slug": Association.objects.values_list("slug", flat=True).first(),
    }
    return render(request, "opendata/open_data.html", context)
