"""Concurrent writers, through the real view and separate database connections (threads): exactly one save of the
same fiche version wins, the others are refused with a conflict, none fails with "database is locked"."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from actions.models import Fiche
from comptes.models import User

from .test_edition import donnees_fiche

pytestmark = pytest.mark.django_db(transaction=True)

ECRIVAINS = 8


def test_one_of_eight_simultaneous_saves_wins_the_others_get_a_conflict():
    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    agent = User.objects.get(email="agent.haut-rhin@demo.calpae.fr")
    url = reverse("actions:modifier", args=[fiche.public_id])
    clients = []
    for _ in range(ECRIVAINS):
        client = Client()
        client.force_login(agent)
        clients.append(client)
    depart = threading.Barrier(ECRIVAINS)
    resultats = {}

    def enregistrer(rang, client):
        try:
            depart.wait()
            resultats[rang] = client.post(url, donnees_fiche(fiche, duree=f"Version {rang}")).status_code
        except Exception as erreur:  # noqa: BLE001 - any failure is the test's finding
            resultats[rang] = repr(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=enregistrer, args=(rang, c)) for rang, c in enumerate(clients)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)

    assert sorted(resultats.values()) == [302] + [409] * (ECRIVAINS - 1), resultats
    gagnant = next(rang for rang, statut in resultats.items() if statut == 302)
    fiche.refresh_from_db()
    assert fiche.version == 2 and fiche.duree == f"Version {gagnant}"
    assert fiche.history.filter(history_type="~").count() == 1  # one recorded change, no lost update
