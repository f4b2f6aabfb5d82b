from django.core.management import call_command
from django.core.management.base import BaseCommand

from associations.models import Association


class Command(BaseCommand):
    help = (
        "Charge les données de la brochure (fixtures/brochure.json). Les associations de la "
        "brochure sont remises comme dans la brochure : les modifications faites depuis dans "
        "l’administration sur ces fiches sont écrasées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si l’annuaire contient déjà des associations.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Association.objects.exists():
            self.stdout.write("L’annuaire contient déjà des associations : rien n’a été chargé.")
            return
        call_command("loaddata", "brochure", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Brochure chargée : {Association.objects.count()} associations.")
        )
