from django.core.management.base import BaseCommand

from referrals import emails
from referrals.models import Referral


class Command(BaseCommand):
    help = (
        "Envoie les courriels des demandes de mise en relation qui n’ont pas pu partir "
        "(à l’association ou l’accusé de réception). À lancer après une panne du serveur de "
        "courriel, ou régulièrement (toutes les heures)."
    )

    def handle(self, *args, **options):
        pending = Referral.objects.awaiting_emails().select_related("association")
        results = [emails.send_pending(referral) for referral in pending]
        sent, failed = results.count(True), results.count(False)
        self.stdout.write(f"Demandes envoyées : {sent}. Toujours en attente : {failed}.")
        if failed:
            self.stderr.write(
                "Des courriels n’ont pas pu partir : vérifiez la configuration (EMAIL_HOST…) et "
                "les courriels des associations, puis relancez la commande."
            )
