"""The licence of everything the portal publishes as open data (exports, API, GeoJSON)."""

OPEN_DATA_LICENCE = {
    "name": "Licence Ouverte 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
