"""python manage.py rapport_execution --collectivite 68 --exercice 2019 --format pdf --sortie rapport.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Collectivite, Exercice
from rapports.classeur import classeur_octets
from rapports.pdf import pdf_rapport
from rapports.selectors import nom_fichier


class Command(BaseCommand):
    help = "Génère le rapport d'exécution d'un exercice, en PDF ou en classeur Excel."

    def add_arguments(self, parser):
        parser.add_argument("--collectivite", required=True, help="code INSEE : 67, 68, 6AE…")
        parser.add_argument("--exercice", required=True, help="libellé de l'exercice : 2019, 2021-2022…")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--sortie", help="fichier à écrire (par défaut : Rapport_execution_<exercice>_<nom>)")

    def handle(self, *args, collectivite, exercice, format, sortie, **options):
        try:
            collectivite = Collectivite.objects.get(code_insee__iexact=collectivite)
        except Collectivite.DoesNotExist:
            codes = ", ".join(Collectivite.objects.values_list("code_insee", flat=True))
            raise CommandError(f"Collectivité « {collectivite} » inconnue (codes : {codes}).") from None
        exercices = Exercice.objects.filter(convention__collectivite=collectivite, libelle=exercice)
        if not exercices.exists():  # the CeA reports on the conventions of the 67 and the 68 it succeeded
            exercices = Exercice.objects.filter(collectivite_signataire=collectivite, libelle=exercice)
        trouves = list(exercices.select_related("convention__collectivite", "collectivite_signataire"))
        if len(trouves) != 1:
            connus = ", ".join(
                Exercice.objects.filter(convention__collectivite=collectivite).values_list("libelle", flat=True)
            )
            probleme = "inconnu" if not trouves else "ambigu"
            raise CommandError(f"Exercice « {exercice} » {probleme} pour {collectivite} (exercices : {connus}).")
        exercice = trouves[0]
        contenu = pdf_rapport(exercice) if format == "pdf" else classeur_octets(exercice)
        chemin = Path(sortie or f"{nom_fichier(exercice)}.{format}")
        chemin.write_bytes(contenu)
        self.stdout.write(self.style.SUCCESS(f"{chemin} : {len(contenu)} octets ({format.upper()})."))
