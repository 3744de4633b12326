"""Each page issues a fixed number of SQL queries: the same with the seed data and with ten times as many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Fiche
from tests.volume import ajouter_fiches

from .conftest import pages_exercice, pages_fiche

pytestmark = pytest.mark.django_db


def compter(client, url):
    client.get(url)  # warm-up: sessions, content types and other per-process caches
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200, url
    return len(requetes)


def toutes_les_pages(exercice, fiche):
    return {"accueil": reverse("accueil"), **pages_exercice(exercice), **pages_fiche(fiche)}


def test_query_counts_do_not_grow_with_the_data(client, agent_68, exercice_68, fiche_68):
    pages = toutes_les_pages(exercice_68, fiche_68)
    avant = {nom: compter(client, url) for nom, url in pages.items()}

    # Ten times the exercice's fiches, each with budget lines, parts, an indicator table and values.
    nombre = 10 * Fiche.objects.filter(exercice=exercice_68).count()
    ajouter_fiches(exercice_68, nombre, lignes=5, indicateurs=10, jalons=5)
    # The fiche itself gets ten times its rows too: more lines and more indicator tables.
    ajouter_fiches(exercice_68, 1, lignes=10, indicateurs=10, jalons=5, prefixe="vol-fiche")
    apres = {nom: compter(client, url) for nom, url in pages.items()}

    assert apres == avant
    assert max(avant.values()) <= 30, avant


def test_history_page_query_count_does_not_grow_with_the_changes(client, agent_68, fiche_68):
    url = reverse("pages:historique", args=[fiche_68.public_id])
    avant = compter(client, url)
    for rang in range(20):
        fiche_68.duree = f"Durée {rang}"
        fiche_68.save()
        for ligne in fiche_68.budgets.get(nature="previsionnel").lignes.all():
            ligne.libelle = f"Libellé {rang}"
            ligne.save()
    assert compter(client, url) == avant


def test_fiches_list_query_count_with_filters(client, agent_68, exercice_68):
    url = reverse("pages:fiches", args=[exercice_68.public_id])
    filtres = {"alertes": "oui", "incomplete": "non", "groupe": exercice_68.groupes.first().pk, "sort": "-total"}
    avant = compter(client, url + "?" + "&".join(f"{k}={v}" for k, v in filtres.items()))
    ajouter_fiches(exercice_68, 110, lignes=3, indicateurs=5, jalons=3)
    assert compter(client, url + "?" + "&".join(f"{k}={v}" for k, v in filtres.items())) == avant
