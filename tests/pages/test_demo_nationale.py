"""`charger_demo_nationale`: fictive data for every département without a collectivité, marked as such, with the
summaries computed; the national view then covers the whole map."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptes.models import User
from conventions.models import Collectivite, Exercice
from rapports.models import ResumeExercice
from tests.rapports.test_resumes import ecarts

pytestmark = pytest.mark.django_db


def test_every_departement_gets_fictive_data(client):
    sortie = io.StringIO()
    call_command("charger_demo_nationale", fiches=2, stdout=sortie)
    assert "99 collectivités fictives" in sortie.getvalue()
    fictives = Collectivite.objects.filter(donnees_fictives=True)
    assert fictives.count() == 99 and not fictives.filter(region__isnull=True).exists()
    assert not Collectivite.objects.filter(code_insee__in=["67", "68", "6AE"], donnees_fictives=True).exists()
    assert ResumeExercice.objects.count() == Exercice.objects.count() == 4 + 99 * 2
    assert ecarts() == {}

    client.force_login(User.objects.get(email="national@demo.calpae.fr"))
    page = client.get(reverse("pages:pilotage")).content.decode()
    assert "données fictives" in page and "aucun exercice suivi" not in page
    exercice = Exercice.objects.filter(convention__collectivite__code_insee="13").first()
    assert "Données fictives" in client.get(reverse("pages:exercice", args=[exercice.public_id])).content.decode()
