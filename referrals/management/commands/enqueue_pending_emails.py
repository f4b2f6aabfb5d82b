from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from referrals.models import Referral
from referrals.tasks import send_referral_emails

# A request saved this long ago whose e-mails were never tried has lost its task.
LOST_AFTER = timedelta(minutes=10)


class Command(BaseCommand):
    help = (
        "Remet dans la file d’envoi les courriels des demandes de mise en relation qui n’ont "
        "jamais été tentés (tâche perdue : arrêt du serveur juste après l’enregistrement, "
        "base restaurée…), puis échoue (code 1) si des demandes attendent un courriel depuis "
        "plus de --heures heures : le worker est arrêté, ou le serveur de courriel refuse "
        "depuis longtemps. N’envoie rien lui-même : le worker (db_worker) envoie. À lancer "
        "toutes les heures ; cron signale l’échec."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--heures",
            type=int,
            default=24,
            dest="hours",
            help="Attente au-delà de laquelle une demande est signalée (24 par défaut).",
        )

    def handle(self, *args, hours, **options):
        now = timezone.now()
        pending = Referral.objects.awaiting_emails()
        lost = pending.filter(
            email_attempts=0, email_claimed_at__isnull=True, created_at__lt=now - LOST_AFTER
        ).values_list("pk", flat=True)
        for referral_id in lost:
            send_referral_emails.enqueue(referral_id)
        self.stdout.write(f"Demandes remises dans la file d’envoi : {len(lost)}.")
        late = pending.filter(created_at__lt=now - timedelta(hours=hours))
        references = list(late.order_by("created_at").values_list("reference", flat=True))
        if references:
            raise CommandError(
                f"{len(references)} demande(s) attendent un courriel depuis plus de {hours} h "
                f"({', '.join(references[:20])}) : vérifiez que le worker tourne "
                "(manage.py db_worker) et le serveur de courriel, puis, dans l’administration, "
                "« Mises en relation », filtre « courriels en attente »."
            )
