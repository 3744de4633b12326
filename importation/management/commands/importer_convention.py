"""python manage.py importer_convention FICHIER.xlsx [--simulation] | --modele FICHIER.xlsx

Imports a convention's workbook (the template of importation.contrat): every error is listed, in French, with its
sheet, row and column, and nothing is written unless the whole file is valid. Exit status 0 when imported (or, with
--simulation, importable), 1 otherwise. `--modele` writes the empty template.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importation.contrat import classeur_modele
from importation.lecture import lire_classeur
from importation.services import convention_importer


class Command(BaseCommand):
    help = "Importe le classeur d'une convention (modèle CALPAE), ou écrit le modèle vide avec --modele."

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", help="le classeur .xlsx à importer")
        parser.add_argument(
            "--simulation", action="store_true", help="vérifier et dire ce qui serait fait, sans rien écrire"
        )
        parser.add_argument("--modele", metavar="FICHIER", help="écrire le modèle vide dans FICHIER (.xlsx)")

    def handle(self, *args, fichier=None, simulation=False, modele=None, **options):
        if modele:
            Path(modele).write_bytes(classeur_modele())
            self.stdout.write(f"Modèle écrit : {modele}")
            return
        if not fichier:
            raise CommandError("Indiquez le classeur à importer, ou --modele FICHIER pour écrire le modèle.")
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"{fichier} : fichier introuvable.")
        donnees, erreurs = lire_classeur(chemin.read_bytes())
        if erreurs:
            for erreur in erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(f"{len(erreurs)} erreur(s) : rien n'est importé.")
        bilan = convention_importer(donnees=donnees, simulation=simulation)
        for texte in bilan.crees:
            self.stdout.write(f"créé : {texte}")
        for texte in bilan.mis_a_jour:
            self.stdout.write(f"mis à jour : {texte}")
        for texte in bilan.conserves:
            self.stdout.write(f"conservé (absent du fichier) : {texte}")
        if simulation:
            self.stdout.write("Simulation : le classeur est valide, rien n'est écrit.")
        else:
            self.stdout.write(
                f"Importé : exercice {bilan.exercice.libelle} de {bilan.exercice.convention.collectivite.nom}."
            )
