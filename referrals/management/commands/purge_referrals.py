from django.conf import settings
from django.core.management.base import BaseCommand

from referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Anonymise les demandes de mise en relation terminées (closes ou sans suite) depuis "
        "REFERRAL_RETENTION_MONTHS mois (12 par défaut), et celles restées sans aucun "
        "changement deux fois plus longtemps : prénom, coordonnées, âge, message, parent et "
        "note de l’équipe sont effacés ; ce que comptent les statistiques reste. À lancer "
        "chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter les demandes concernées sans rien effacer.",
        )

    def handle(self, *args, dry_run=False, **options):
        months = settings.REFERRAL_RETENTION_MONTHS
        due = Referral.objects.due_for_anonymisation(months)
        if dry_run:
            self.stdout.write(f"Demandes à anonymiser (plus de {months} mois) : {due.count()}.")
            return
        count = due.anonymise()
        self.stdout.write(f"Demandes anonymisées (plus de {months} mois) : {count}.")
