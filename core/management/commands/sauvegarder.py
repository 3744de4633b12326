"""python manage.py sauvegarder [FICHIER.zip]: a backup that restores on SQLite as on PostgreSQL (core.sauvegarde).

Every table's rows, the stored files and a manifest with the schema version, in one zip archive. The database's own
tools (pg_dump, sqlite3 .backup) remain the daily route: docs/production.md, « Sauvegarde et restauration ».
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.sauvegarde import SauvegardeRefusee, nom_par_defaut, sauvegarder


class Command(BaseCommand):
    help = "Écrit une sauvegarde portable (SQLite ↔ PostgreSQL) : toutes les tables, les fichiers et le manifeste."

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", help="archive à écrire (par défaut calpae-sauvegarde-<date>.zip)")

    def handle(self, *args, fichier=None, **options):
        chemin = Path(fichier or nom_par_defaut())
        if chemin.exists():
            raise CommandError(f"« {chemin} » existe déjà : choisissez un autre nom, rien n'a été écrit.")
        try:
            bilan = sauvegarder(chemin)
        except (SauvegardeRefusee, OSError) as erreur:
            chemin.unlink(missing_ok=True)
            raise CommandError(f"La sauvegarde a échoué : {erreur}") from erreur
        for avertissement in bilan.avertissements:
            self.stderr.write(f"Attention : {avertissement}")
        self.stdout.write(
            f"Sauvegarde écrite : {chemin} ({bilan.total} lignes de {len(bilan.lignes)} tables, "
            f"{bilan.fichiers} fichiers, {chemin.stat().st_size} octets)."
        )
