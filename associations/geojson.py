"""The associations' places as an RFC 7946 GeoJSON FeatureCollection, for the map."""

from django.conf import settings

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


def marker_colour(association):
    return MARKER_COLOURS[association.pk % len(MARKER_COLOURS)]


def feature_collection(locations):
    """`locations` come with their association (select_related) and have coordinates."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": location.pk,
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
