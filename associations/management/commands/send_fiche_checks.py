import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from associations.fiche_check import send_checks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Envoie à chaque adresse de chaque association le lien personnel qui lui permet de "
        "vérifier sa fiche (« Tout est à jour », confirmer son courriel, dire si elle "
        "accueille). Une fois par mois au plus et par association, quelle que soit la "
        "fréquence de la commande. À lancer une fois par mois (ou chaque jour)."
    )

    def handle(self, *args, **options):
        associations, emails = send_checks(timezone.localdate())
        self.stdout.write(f"Associations : {associations}. Courriels envoyés : {emails}.")
