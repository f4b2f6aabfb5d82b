"""The associations' places as an RFC 7946 GeoJSON FeatureCollection, for the map and reusers."""

from collections import defaultdict

from django.conf import settings
from django.utils.text import slugify

from core.licence import OPEN_DATA_LICENCE

# One colour per association on the map, each with at least 4.5:1 contrast on white
# (the white-bordered markers) so that markers and legend read well.
MARKER_COLOURS = [
    "#1d4e89",
    "#b3261e",
    "#1b6b3a",
    "#6a3d9a",
    "#8a4b00",
    "#006d77",
    "#a4005b",
    "#4a5563",
    "#3d5a00",
    "#5b3a29",
]


# What each feature says (RFC 7946 properties), for the /donnees/ page.
FEATURE_PROPERTIES = [
    ("name", "Nom de l’association"),
    ("slug", "Identifiant de l’association"),
    ("url", "Adresse de sa page sur le portail"),
    ("path", "La même, sans le nom du site"),
    ("place", "Nom du lieu"),
    ("address", "Adresse du lieu"),
    ("approximate", "true tant que l’équipe n’a pas placé le lieu exact (centre de Roubaix)"),
    ("colour", "Couleur du repère de l’association sur la carte du portail"),
]


def marker_colour(association):
    return MARKER_COLOURS[association.pk % len(MARKER_COLOURS)]


def feature_ids(locations):
    """{location pk: its feature id}: the association's identifier and the place's name.

    `afev--afev-a-roubaix`: the same in every database (a backup restored elsewhere, a
    copy), unlike a primary key. Two places of one association with the same name get
    `-2`, `-3`… in the order they were created. The id changes if staff rename the place.
    """
    named = defaultdict(list)
    for location in locations:
        base = f"{location.association.slug}--{slugify(location.label) or 'lieu'}"
        named[base].append(location.pk)
    ids = {}
    for base, pks in named.items():
        for rank, pk in enumerate(sorted(pks), 1):
            ids[pk] = base if rank == 1 else f"{base}-{rank}"
    return ids


def feature_collection(locations):
    """`locations` come with their association (select_related) and have coordinates.

    All the places of an association are given together (the filters choose associations),
    so that the ids of places with the same name do not depend on the filters.
    """
    locations = list(locations)
    ids = feature_ids(locations)
    return {
        "type": "FeatureCollection",
        # A foreign member (RFC 7946, section 6.1): what reusers may do with the data.
        "licence": OPEN_DATA_LICENCE,
        "features": [
            {
                "type": "Feature",
                "id": ids[location.pk],
                "geometry": {
                    "type": "Point",
                    # RFC 7946: longitude first, at most 6 decimals (about 10 cm).
                    "coordinates": [float(location.longitude), float(location.latitude)],
                },
                "properties": {
                    "name": location.association.name,
                    "slug": location.association.slug,
                    "url": settings.SITE_URL + location.association.get_absolute_url(),
                    "path": location.association.get_absolute_url(),
                    "place": location.label,
                    "address": location.full_address,
                    "approximate": location.is_approximate,
                    "colour": marker_colour(location.association),
                },
            }
            for location in locations
        ],
    }
