"""python manage.py restaurer FICHIER.zip [--remplacer]: restore a backup written by `sauvegarder` (core.sauvegarde).

Refused, with nothing changed: a file that is not a backup or is damaged, a backup of another schema version (its
migrations differ from the database's), a database that already holds data unless --remplacer is given. The rows
are restored in one transaction, all or nothing; the sequences are set above the restored ids.
"""

from django.core.management.base import BaseCommand, CommandError

from core.sauvegarde import SauvegardeRefusee, restaurer


class Command(BaseCommand):
    help = "Restaure une sauvegarde écrite par « sauvegarder » dans cette base, en une transaction."

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="archive écrite par « manage.py sauvegarder »")
        parser.add_argument(
            "--remplacer",
            action="store_true",
            help="remplace les données que la base contient déjà (sans cette option, une base non vide est refusée)",
        )

    def handle(self, *args, fichier, remplacer, **options):
        try:
            bilan = restaurer(fichier, remplacer=remplacer)
        except SauvegardeRefusee as erreur:
            raise CommandError(str(erreur)) from erreur
        for avertissement in bilan.avertissements:
            self.stderr.write(f"Attention : {avertissement}")
        self.stdout.write(
            f"Sauvegarde restaurée : {bilan.total} lignes de {len(+bilan.lignes)} tables, {bilan.fichiers} fichiers."
        )
