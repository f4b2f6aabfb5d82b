"""Build the exports, the full GeoJSON and the brochure for the directory as it is now."""

from django.core.management.base import BaseCommand
from django.test import RequestFactory
from django.urls import resolve, reverse

from core.cache import rebuilding
from opendata.views import brochure_body

# What every visitor downloads whole: built here rather than while one of them waits.
EXPORTS = [
    "opendata:association_list",
    "opendata:associations_csv",
    "opendata:data_inclusion_structures",
    "opendata:data_inclusion_services",
    "associations:locations_geojson",
]


class Command(BaseCommand):
    help = (
        "Construit les exports, le GeoJSON complet et la brochure de l’annuaire actuel, "
        "dans le cache partagé. Avec un grand annuaire, à lancer après les modifications "
        "de l’équipe (par exemple toutes les cinq minutes) : en attendant, les visiteurs "
        "reçoivent la version précédente, plutôt qu’une attente plus longue que le délai "
        "du serveur."
    )

    def handle(self, *args, **options):
        factory = RequestFactory()
        with rebuilding():
            for name in EXPORTS:
                path = reverse(name)
                status = resolve(path).func(factory.get(path)).status_code
                self.stdout.write(f"{path} : {status}")
            brochure_body()
            self.stdout.write(f"{reverse('opendata:brochure')} : construite")
