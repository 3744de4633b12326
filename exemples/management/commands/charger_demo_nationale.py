from django.core.management.base import BaseCommand

from exemples.demo_nationale import charger_demo_nationale


class Command(BaseCommand):
    help = (
        "Crée des données fictives pour chaque département du référentiel qui n'a pas encore de collectivité, afin "
        "d'essayer la vue nationale (/pilotage/). Elles sont marquées « données fictives » partout où elles paraissent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiches", type=int, default=6, help="fiches par exercice")

    def handle(self, *args, fiches, **options):
        charger_demo_nationale(fiches=fiches, log=self.stdout.write)
