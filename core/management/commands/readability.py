"""`manage.py readability`: how easy to read the pages a family goes through are."""

from django.core.management.base import BaseCommand
from django.test import Client

from core.readability import GOAL, measure


class Command(BaseCommand):
    help = (
        "Indice de lisibilité de Flesch pour le français (Kandel et Moles) des pages où "
        f"une famille ou un bénévole décide ; objectif : {GOAL} ou plus en moyenne."
    )

    def handle(self, *args, **options):
        readings = measure(Client(SERVER_NAME="localhost"))
        width = max(map(len, readings))
        for what, reading in readings.items():
            self.stdout.write(
                f"{what:<{width}}  {reading.score:5.1f}  ({reading.words} mots, "
                f"{reading.sentences} phrases)"
            )
        average = sum(reading.score for reading in readings.values()) / len(readings)
        verdict = "atteint" if average >= GOAL else "manqué"
        self.stdout.write(f"{'Moyenne':<{width}}  {average:5.1f}  (objectif {GOAL} : {verdict})")
