"""A collectivité's page: its conventions and exercices, and its plan's territorial objectives (seed 004)."""

import pytest
from django.urls import reverse

from conventions.models import Collectivite, ObjectifTerritorial

from .test_pages import texte

pytestmark = pytest.mark.django_db


def test_seed_004_territorial_objectives_are_loaded_and_add_up_to_the_documents_totals():
    objectifs = ObjectifTerritorial.objects.filter(collectivite__code_insee="67")
    assert objectifs.count() == 4 * 2 * 3
    emploi = sum(o.nombre for o in objectifs.filter(nature="Accès à l'emploi"))
    insertion = sum(o.nombre for o in objectifs.filter(nature="Accès à l'insertion"))
    assert (emploi, insertion) == (11199, 6000)  # the document's TOTAL row: 11 199 and 6 000 over 2017-2019


def test_the_collectivites_page_shows_its_exercices_and_its_plan(client, agent_cea, django_assert_max_num_queries):
    bas_rhin = Collectivite.objects.get(code_insee="67")
    url = reverse("pages:collectivite", args=[bas_rhin.public_id])
    with django_assert_max_num_queries(12):
        reponse = client.get(url)
    page = texte(reponse)
    assert "Département du Bas-Rhin" in page and "Exercice 2019" in page
    assert "poursuivies par la Collectivité européenne d'Alsace" in page
    assert "Plan départemental pour l'emploi et l'inclusion 2017-2019 : objectifs territoriaux" in page
    precision = "dont 75 offres d'emploi par an mobilisées par les conseillers départementaux"
    assert f"NORD Accès à l'emploi {precision} 736 736 736 2 208" in page
    assert "Total Accès à l'emploi 3 733 3 733 3 733 11 199" in page
    assert "Total Accès à l'insertion 2 000 2 000 2 000 6 000" in page


def test_another_collectivites_page_is_not_found(client, agent_68):
    bas_rhin = Collectivite.objects.get(code_insee="67")
    assert client.get(reverse("pages:collectivite", args=[bas_rhin.public_id])).status_code == 404
