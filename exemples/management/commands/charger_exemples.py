from django.core.management.base import BaseCommand, CommandError

from exemples.chargement import ErreurChargement, charger_exemples


class Command(BaseCommand):
    help = (
        "Charge (ou recharge) les données d'exemple tirées des documents (fixtures/seeds/) et les comptes de "
        "démonstration. Sans effet si les mêmes fichiers sont déjà chargés, sauf avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Recharger même si les fichiers n'ont pas changé.")

    def handle(self, *args, force=False, **options):
        try:
            charger_exemples(force=force, log=lambda message: self.stdout.write(message))
        except ErreurChargement as exc:
            raise CommandError(str(exc)) from exc
