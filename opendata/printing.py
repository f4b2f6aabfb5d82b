"""Print: addresses as people type them, QR codes and small maps of the places."""

import json
import math
from functools import cache
from pathlib import Path

import segno
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.cache import content_cached

from .records import absolute_url


def short_url(url):
    """An address as people type it: `mentorat-roubaix.fr/associations/afev/`."""
    return url.split("://", 1)[-1].removeprefix("www.")


def orientation_search_url(level):
    """The orientation search, filtered on a school level or situation, as an absolute URL."""
    return absolute_url(f"{reverse('orientation:young')}?situation={level.slug}")


def qr_code(url):
    """The URL as an inline SVG QR code (decorative: the address is printed beside it).

    Drawing one takes milliseconds, and a brochure draws one per association: each is
    kept in the cache, whatever the directory's version (it depends on the URL alone).
    """
    return mark_safe(content_cached("qr-code", lambda: _draw_qr_code(url), url))


def _draw_qr_code(url):
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr-code", lineclass="qr-code__modules"
    )
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


COMMUNE_OUTLINE = "data/roubaix-commune.geojson"
MAP_WIDTH = 200


@cache
def _commune_ring():
    """The outline of Roubaix as (longitude, latitude) pairs, or [] if the file is missing."""
    path = finders.find(COMMUNE_OUTLINE)
    if not path:
        return []
    geometry = json.loads(Path(path).read_text())["features"][0]["geometry"]
    return [tuple(point) for point in geometry["coordinates"][0]]


def places_map(locations):
    """A small static map: Roubaix's outline and the places placed exactly; None if none is.

    Tiles can neither load here nor print well; an SVG drawn in the page needs nothing
    else. Points are numbered as in the list of all places printed under the map. An
    approximate place (the centre of Roubaix until staff find the address) is not drawn:
    on paper, a dot looks exact.
    """
    located = [
        (number, place)
        for number, place in enumerate(locations, 1)
        if place.latitude is not None and not place.is_approximate
    ]
    if not located:
        return None
    ring = _commune_ring()
    everything = ring + [(float(place.longitude), float(place.latitude)) for _, place in located]
    west, east = min(x for x, _ in everything), max(x for x, _ in everything)
    south, north = min(y for _, y in everything), max(y for _, y in everything)
    # Equirectangular projection around the middle latitude, with a margin.
    shrink = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * shrink, 0.01)
    span_y = max(north - south, 0.01 / shrink)
    margin = 0.08 * max(span_x, span_y)
    scale = MAP_WIDTH / (span_x + 2 * margin)

    def project(longitude, latitude):
        x = ((float(longitude) - west) * shrink + margin) * scale
        y = ((north - float(latitude)) + margin) * scale
        return round(x, 1), round(y, 1)

    def point(number, place):
        x, y = project(place.longitude, place.latitude)
        return {"number": number, "place": place, "x": x, "y": y}

    return {
        "width": MAP_WIDTH,
        "height": round((span_y + 2 * margin) * scale),
        "outline": "M" + " L".join("{},{}".format(*project(*xy)) for xy in ring) + " Z"
        if ring
        else "",
        "points": [point(number, place) for number, place in located],
    }


# Characters of an association's main column (presentation, modalities, notes to check)
# below which its printed page has room for larger type, above which it needs smaller.
ROOMY_BELOW, DENSE_ABOVE = 880, 1150


def page_density(association, review_items):
    """ "roomy", "" or "dense": the type size that fills an association's A4 page.

    CSS cannot fit text to a page; this estimate, read on the ten brochure pages
    printed by Chromium, keeps each on one page without leaving a third of it empty.
    """
    texts = [
        association.description,
        association.mentor_description,
        association.duration_text,
        association.frequency_text,
        association.modality_text,
        association.modalities_details,
        *(item.note for item in review_items),
    ]
    length = sum(len(text) for text in texts)
    if length < ROOMY_BELOW:
        return "roomy"
    return "dense" if length > DENSE_ABOVE else ""
