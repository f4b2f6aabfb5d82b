"""The associations' places as an RFC 7946 GeoJSON FeatureCollection, for the map and reusers."""

import math
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
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


# Beyond this many places in the map's view, the map gets groups of places instead
# (`grouped_collection`): what it loads stays small whatever the size of the directory.
MAP_POINTS_MAX = 300
GRID = 12  # the view cut in GRID × GRID cells, one group each


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


def association_path(slug):
    """An association's page, as `reverse()` would say it, without a `reverse()` for each."""
    return _path_pattern().replace("--slug--", slug)


def _path_pattern():
    return reverse("associations:detail", kwargs={"slug": "--slug--"})


def feature_collection(locations, extent=None):
    """`locations` come with their association (select_related) and have coordinates.

    All the places of an association are given together (the filters choose associations),
    so that the ids of places with the same name do not depend on the filters. `extent`:
    the (west, south, east, north) of every place asked for, said as RFC 7946's `bbox`.
    """
    locations = list(locations)
    ids = feature_ids(locations)
    pattern = _path_pattern()
    collection = {
        "type": "FeatureCollection",
        # A foreign member (RFC 7946, section 6.1): what reusers may do with the data.
        "licence": OPEN_DATA_LICENCE,
    }
    if extent:
        collection["bbox"] = list(extent)
    collection["features"] = [
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
                "url": settings.SITE_URL
                + (path := pattern.replace("--slug--", location.association.slug)),
                "path": path,
                "place": location.label,
                "address": location.full_address,
                "approximate": location.is_approximate,
                "colour": marker_colour(location.association),
            },
        }
        for location in locations
    ]
    return collection


def grouped_collection(points, box, extent):
    """Groups of places for a map view with more than MAP_POINTS_MAX of them: the view
    (`box`: west, south, east, north) cut in GRID × GRID cells, each group at the mean
    of its places, with how many there are (`count`) and the cell (`bbox`) to zoom to.
    `points`: (longitude, latitude) of the places in the view."""
    west, south, east, north = box
    width, height = (east - west) / GRID, (north - south) / GRID
    cells = defaultdict(list)
    for longitude, latitude in points:
        column = min(int((float(longitude) - west) / width), GRID - 1)
        row = min(int((float(latitude) - south) / height), GRID - 1)
        cells[column, row].append((float(longitude), float(latitude)))
    features = []
    for (column, row), members in sorted(cells.items()):
        cell_west, cell_south = west + column * width, south + row * height
        features.append(
            {
                "type": "Feature",
                "id": f"groupe-{column}-{row}",
                "bbox": [
                    round(cell_west, 6),
                    round(cell_south, 6),
                    round(cell_west + width, 6),
                    round(cell_south + height, 6),
                ],
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(math.fsum(p[0] for p in members) / len(members), 6),
                        round(math.fsum(p[1] for p in members) / len(members), 6),
                    ],
                },
                "properties": {"group": True, "count": len(members)},
            }
        )
    # `grouped`, a foreign member: the features are groups of places, not places.
    collection = {"type": "FeatureCollection", "licence": OPEN_DATA_LICENCE, "grouped": True}
    if extent:
        collection["bbox"] = list(extent)
    collection["features"] = features
    return collection
