import io

import openpyxl
import pytest
from django.urls import reverse

from conventions.models import Exercice
from rapports.models import Rapport

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db


def test_referent_dashboard_lists_the_followed_exercices_late_first(client, referent):
    reponse = client.get(reverse("rapports:suivi"))
    page = texte(reponse)
    assert "4 exercices, les retards d'abord" in page  # 67/2019, 68/2019, 68/2021-2022, 6AE/2024
    assert page.index("Département du Bas-Rhin") < page.index("Collectivité européenne d'Alsace")  # 31/03/2020 first
    assert "1 125 000,00 €" in page  # the Bas-Rhin's State part for 2019
    html = reponse.content.decode()
    exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
    assert reverse("rapports:rapport", args=[exercice.public_id]) in html


def test_dashboard_filters_and_export(client, referent):
    Rapport.objects.update(etat="transmis")
    page = texte(client.get(reverse("rapports:suivi"), {"etat": "transmis"}))
    assert "1 exercice, les retards d'abord" in page and "Département du Haut-Rhin" in page
    page = texte(client.get(reverse("rapports:suivi"), {"etat": "aucun", "en_retard": "oui"}))
    assert "Département du Haut-Rhin 2019" not in page
    reponse = client.get(reverse("rapports:suivi"), {"etat": "aucun", "export": "xlsx"})
    assert reponse["Content-Disposition"] == 'attachment; filename="Suivi_des_rapports_d_execution.xlsx"'
    feuille = openpyxl.load_workbook(io.BytesIO(reponse.content))["Suivi"]
    lignes = list(feuille.iter_rows(min_row=2, values_only=True))
    assert len(lignes) == Exercice.objects.filter(rapport__isnull=True).count()
    assert all(ligne[2] == "Non commencé" for ligne in lignes)


def test_an_agent_sees_only_their_collectivite(client, agent_67):
    page = texte(client.get(reverse("rapports:suivi")))
    assert "1 exercice" in page and "Haut-Rhin" not in page
