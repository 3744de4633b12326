"""python manage.py relances: the reminders of the day (meant for a daily scheduler, e.g. cron at 7:00).

To the agents of each collectivité whose report is not transmitted: 30 and 7 days before the deadline, the day after
it, then every week while it is late. The rule depends only on the date: run it once a day.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from comptes.enums import Role
from conventions.models import Exercice
from rapports.selectors import remis_q
from rapports.services import annoncer

RAPPELS_AVANT = (30, 7)


def relance_du_jour(exercice, aujourd_hui):
    """The reminder due today for this exercice, or None."""
    restants = (exercice.date_limite_rapport - aujourd_hui).days
    if restants in RAPPELS_AVANT:
        return (
            f"Rapport d'exécution {exercice.libelle} : plus que {restants} jours",
            f"Le rapport d'exécution {exercice.libelle} est à transmettre au plus tard le "
            f"{exercice.date_limite_rapport:%d/%m/%Y}, dans {restants} jours.",
        )
    retard = -restants
    if retard >= 1 and retard % 7 == 1:
        return (
            f"Rapport d'exécution {exercice.libelle} en retard",
            f"La date limite du rapport d'exécution {exercice.libelle} ({exercice.date_limite_rapport:%d/%m/%Y}) "
            f"est dépassée de {retard} {ngettext('jour', 'jours', retard)} et il n'est pas transmis.",
        )
    return None


class Command(BaseCommand):
    help = "Envoie les relances du jour aux agents dont le rapport d'exécution n'est pas transmis."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="le jour à traiter, JJ/MM/AAAA (par défaut : aujourd'hui)")

    def handle(self, *args, date=None, **options):
        try:
            aujourd_hui = datetime.datetime.strptime(date, "%d/%m/%Y").date() if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Date « {date} » illisible : écrivez-la JJ/MM/AAAA, par exemple 24/03/2020.") from None
        a_transmettre = Exercice.objects.exclude(remis_q()).select_related("convention__collectivite")
        envoyees = 0
        for exercice in a_transmettre:
            relance = relance_du_jour(exercice, aujourd_hui)
            if relance:
                envoyees += annoncer(exercice, Role.AGENT, *relance)
        self.stdout.write(f"{envoyees} relance(s) envoyée(s) pour le {aujourd_hui:%d/%m/%Y}.")
