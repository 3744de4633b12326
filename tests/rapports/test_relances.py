import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from conventions.models import Exercice
from rapports.models import Rapport

pytestmark = pytest.mark.django_db


@pytest.fixture
def echeance():
    """Every exercice due on 31/03/2027, so that only the dates below decide."""
    Exercice.objects.update(date_limite_rapport=datetime.date(2027, 3, 31))
    return datetime.date(2027, 3, 31)


def relances_du(jour):
    mail.outbox.clear()
    call_command("relances", date=jour.strftime("%d/%m/%Y"), stdout=io.StringIO())
    return mail.outbox


@pytest.mark.parametrize(("jours_avant", "attendu"), [(30, True), (7, True), (29, False), (8, False), (0, False)])
def test_reminders_30_and_7_days_before(echeance, jours_avant, attendu):
    envoyes = relances_du(echeance - datetime.timedelta(days=jours_avant))
    assert bool(envoyes) is attendu
    if attendu:
        haut_rhin = [m for m in envoyes if "agent.haut-rhin@demo.calpae.fr" in m.to]
        assert haut_rhin and f"dans {jours_avant} jours" in haut_rhin[0].body
        assert all("referent" not in adresse for m in envoyes for adresse in m.to)  # agents only


@pytest.mark.parametrize(("jours_apres", "attendu"), [(1, True), (2, False), (8, True), (15, True), (16, False)])
def test_reminders_when_late_the_day_after_then_weekly(echeance, jours_apres, attendu):
    envoyes = relances_du(echeance + datetime.timedelta(days=jours_apres))
    assert bool(envoyes) is attendu
    if attendu:
        assert "en retard" in envoyes[0].subject and f"dépassée de {jours_apres} jour" in envoyes[0].body


def test_no_reminder_once_transmitted(echeance):
    Rapport.objects.update(statut="transmis")  # the Haut-Rhin 2019 report, the only one of the seeds
    envoyes = relances_du(echeance - datetime.timedelta(days=7))
    # One e-mail per exercice still without a report, none for the transmitted one.
    assert len(envoyes) == Exercice.objects.filter(rapport__isnull=True).count() == 3
    assert not any("agent.haut-rhin@demo.calpae.fr" in m.to and "2019 :" in m.subject for m in envoyes)


def test_a_wrong_date_is_explained():
    with pytest.raises(CommandError, match="JJ/MM/AAAA"):
        call_command("relances", date="2027-03-31")
