import io

import openpyxl
import pytest
from django.urls import reverse

from conventions.models import Exercice
from rapports.models import Rapport

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db


def test_referent_dashboard_lists_the_followed_exercices_late_first(client, referent):
    reponse = client.get(reverse("pages:suivi"))
    page = texte(reponse)
    assert "4 exercices, à examiner d'abord, puis les retards" in page  # 67/2019, 68/2019, 68/2021-2022, 6AE/2024
    assert page.index("Département du Bas-Rhin") < page.index("Collectivité européenne d'Alsace")  # 31/03/2020 first
    assert "1 125 000,00 €" in page  # the Bas-Rhin's State part for 2019
    html = reponse.content.decode()
    exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
    assert reverse("rapports:rapport", args=[exercice.public_id]) in html


def test_dashboard_filters_and_export(client, referent):
    Rapport.objects.update(statut="transmis")
    page = texte(client.get(reverse("pages:suivi"), {"etat": "transmis"}))
    assert "1 exercice, à examiner d'abord, puis les retards" in page and "Département du Haut-Rhin" in page
    page = texte(client.get(reverse("pages:suivi"), {"etat": "aucun", "en_retard": "oui"}))
    assert "Département du Haut-Rhin 2019" not in page
    reponse = client.get(reverse("pages:suivi"), {"etat": "aucun", "export": "xlsx"})
    assert reponse["Content-Disposition"] == 'attachment; filename="Suivi_des_rapports_d_execution.xlsx"'
    feuille = openpyxl.load_workbook(io.BytesIO(reponse.content))["Suivi"]
    lignes = list(feuille.iter_rows(min_row=2, values_only=True))
    assert len(lignes) == Exercice.objects.filter(rapport__isnull=True).count()
    assert all(ligne[2] == "Non commencé" for ligne in lignes)


def test_an_agent_sees_only_their_collectivite(client, agent_67):
    page = texte(client.get(reverse("pages:suivi")))
    assert "1 exercice" in page and "Haut-Rhin" not in page


def test_a_referent_following_many_collectivites_pages_through_them(client, referent):
    """Filters and order are SQL, amounts and warnings are computed for the page shown: the same queries for 4
    exercices or 32, and the SQL lateness agrees with the rule of each row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comptes.models import Affectation, User
    from pages.tableau_de_suivi import SUIVI_PAR_PAGE, rangees_suivi
    from rapports.selectors import annoter_retard, rapport_de
    from tests.volume import generer_collectivites

    url = reverse("pages:suivi")

    def compter(parametres):
        client.get(url, parametres)
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url, parametres)
        return reponse, len(requetes)

    _, avant = compter({})
    generees = generer_collectivites(7, exercices=4, fiches=2, indicateurs=1, jalons=2, historique=False)
    moi = User.objects.get(email="referent.prefecture@demo.calpae.fr")
    Affectation.objects.bulk_create([Affectation(user=moi, collectivite=g.collectivite) for g in generees])
    transmis = rapport_de(generees[0].exercices[0])  # a deadline long past, but transmitted: not late
    transmis.statut = "transmis"
    transmis.save()
    total = Exercice.objects.count()
    assert total == 32

    reponse, apres = compter({})
    assert apres == avant
    page = texte(reponse)
    assert f"{total} exercices, à examiner d'abord, puis les retards (page 1 sur 2)" in page
    assert reponse.content.decode().count('<th scope="row">') == SUIVI_PAR_PAGE
    page_2 = texte(client.get(url, {"page": 2}))
    assert "(page 2 sur 2)" in page_2

    # The SQL order and lateness are the rows' own rule.
    ordonnes = list(annoter_retard(Exercice.objects.select_related("rapport", "convention__collectivite")))
    lignes = {ligne.exercice.pk: ligne for ligne in rangees_suivi(ordonnes)}
    assert [e.en_retard for e in ordonnes] == [lignes[e.pk].en_retard for e in ordonnes]
    assert [e.en_retard for e in ordonnes] == sorted((e.en_retard for e in ordonnes), reverse=True)
    assert not lignes[generees[0].exercices[0].pk].en_retard
    # Filtered: only late ones, on every page, and the export has them all.
    en_retard = sum(1 for ligne in lignes.values() if ligne.en_retard)
    assert f"{en_retard} exercices, à examiner d'abord, puis les retards" in texte(
        client.get(url, {"en_retard": "oui"})
    )
    reponse = client.get(url, {"en_retard": "non", "export": "xlsx"})
    feuille = openpyxl.load_workbook(io.BytesIO(reponse.content))["Suivi"]
    assert feuille.max_row - 1 == total - en_retard
