from django.core.management.base import BaseCommand
from django.db import transaction

from rapports.resumes import reconstruire


class Command(BaseCommand):
    help = "Recalcule le résumé de chaque exercice (tableau de suivi, comparaison, pilotage) à partir de ses données."

    def handle(self, *args, **options):
        with transaction.atomic():
            nombre = reconstruire()
        self.stdout.write(f"{nombre} résumés d'exercice recalculés.")
