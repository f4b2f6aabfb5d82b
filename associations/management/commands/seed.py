from django.core.management.base import BaseCommand, CommandError

from associations import seeding
from associations.models import Association

# The exit code of a refusal, that `make seed` tells from a failure.
REFUSED = 3
SHOWN_CHANGES = 20


class Command(BaseCommand):
    help = (
        "Charge les données de la brochure (fixtures/brochure.json). Refuse si l’annuaire a "
        "changé depuis (une fiche corrigée, un contact supprimé ou ajouté…) et dit quoi, sauf "
        "avec --force, qui écrit d’abord une sauvegarde JSON de l’annuaire."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si l’annuaire contient déjà des associations.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Recharger même si l’annuaire a changé, après une sauvegarde JSON.",
        )
        parser.add_argument(
            "--backup-dir",
            default=seeding.BACKUP_DIR,
            help=f"Dossier des sauvegardes (par défaut {seeding.BACKUP_DIR}).",
        )

    def handle(self, *args, if_empty=False, force=False, backup_dir=None, **options):
        if if_empty and Association.objects.exists():
            self.stdout.write("L’annuaire contient déjà des associations : rien n’a été chargé.")
            return
        changes = seeding.changes_since_brochure()
        if changes and not force:
            raise CommandError(self.refusal(changes), returncode=REFUSED)
        if changes:
            path = seeding.backup(backup_dir)
            self.stdout.write(f"Sauvegarde de l’annuaire avant rechargement : {path}")
        count = seeding.load_brochure()
        self.stdout.write(self.style.SUCCESS(f"Brochure chargée : {count} associations."))

    def refusal(self, changes):
        lines = [
            "L’annuaire a changé depuis le chargement de la brochure ; la recharger écraserait "
            "ces modifications :",
            *(f"  - {change}" for change in changes[:SHOWN_CHANGES]),
        ]
        if len(changes) > SHOWN_CHANGES:
            lines.append(f"  … et {len(changes) - SHOWN_CHANGES} autres.")
        last = seeding.last_admin_change()
        if last:
            lines.append(f"Dernière modification dans l’administration : {last}.")
        lines.append(
            "Rien n’a été chargé. Pour recharger quand même, après une sauvegarde JSON de "
            "l’annuaire : manage.py seed --force"
        )
        return "\n".join(lines)
