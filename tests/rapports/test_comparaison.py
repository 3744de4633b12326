"""Comparing exercices: collectivités against each other, or the years of one collectivité."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.calculs import taux
from conventions.models import Exercice
from indicateurs.models import Indicateur
from pages.comparaison import SANS_AXE, axe, cle_texte, comparer_exercices
from rapports.selectors import charger_exercices
from tests.volume import ajouter_fiches

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db

URL = reverse("pages:comparaison")


def exercice(cle, libelle):
    return Exercice.objects.select_related("convention__collectivite", "collectivite_signataire").get(
        convention__cle=cle, libelle=libelle
    )


@pytest.fixture
def annees_68():
    return [exercice("68-2019-2021", "2019"), exercice("68-2019-2021", "2021-2022")]


def test_comparison_keys():
    assert (
        cle_texte("Nb d'intervenants sociaux formés / sensibilisés")
        == "nombre d intervenants sociaux formes sensibilises"
    )
    assert cle_texte("NOMBRE  de contacts entreprises.") == cle_texte("Nombre de contacts entreprises")
    assert axe("1. Enfants et jeunes") == "Enfants et jeunes"
    assert axe("Enfants et jeunes – Prévention des sorties sèches de l'ASE") == "Enfants et jeunes"
    assert axe("Insertion des allocataires du rSa - Insertion et parcours") == "Insertion des allocataires du rSa"
    assert axe("Volet 2 : Intensification de l'offre d'accompagnement") == (
        "Volet 2 : Intensification de l'offre d'accompagnement"
    )
    assert axe("  ") == SANS_AXE


def test_years_of_one_collectivite(annees_68):
    comparaison = comparer_exercices(annees_68)
    annee_2019, annee_2021 = comparaison.colonnes
    # The same figures as each exercice's synthesis.
    for colonne, suivi in zip(comparaison.colonnes, charger_exercices(annees_68), strict=True):
        assert colonne.montants == suivi.montants
        assert colonne.nb_fiches == len(suivi.fiches)
    assert annee_2019.montants.etat == Decimal("612343.26")
    assert annee_2019.socle.total + annee_2019.initiatives.total == annee_2019.montants.total
    # Two fiches state an executed amount, seven are declared conforme (executed = planned), two are text only.
    assert annee_2019.execute == Decimal("1065548.58") and annee_2019.execution.nb_chiffrees == 9
    # The rate compares the executed amount with what the same nine fiches planned, not with all eleven.
    assert annee_2019.taux_execution == taux(annee_2019.execute, annee_2019.execution.prevu_des_chiffrees)
    assert annee_2019.execution.prevu_des_chiffrees < annee_2019.montants.total
    assert annee_2021.execute is None and annee_2021.taux_execution is None
    # Axes: the theme's first part, the amounts of both years on one row.
    enfants = next(ligne for ligne in comparaison.axes if ligne.libelle == "Enfants et jeunes")
    assert enfants.montants == [Decimal("185600.00"), Decimal("228400.00")]
    # The indicators both years measure, with the last measured value and the objective of each.
    par_libelle = {ligne.libelle: ligne for ligne in comparaison.indicateurs}
    contacts = par_libelle["Nombre de contacts entreprises"]
    assert [(c.mesure.texte, c.mesure.jalon) for c in contacts.cellules] == [
        ("97", "Réalisé 2019"),
        ("140", "Situation au 31-12-2020"),
    ]
    assert contacts.cellules[0].objectif.texte == "100 (soit 50 par CRE)"
    assert [c.mesure.largeur for c in contacts.cellules] == [83.1, 120.0]  # 97 and 140, the longest 120 px
    couverture = next(ligne for ligne in comparaison.indicateurs if ligne.libelle.startswith("Taux de couverture"))
    assert [c.mesure.largeur for c in couverture.cellules] == [114.0, 114.0]  # rates are drawn against 100 %
    assert len(comparaison.indicateurs) == 3
    assert comparaison.propres == 80


def personnes_accompagnees(annees_68):
    """The same indicator of the Haut-Rhin, worded differently in 2019 and in 2020."""
    premier = Indicateur.objects.filter(
        tableau__exercice=annees_68[0], libelle__startswith="Nombre de personnes accomp"
    )
    second = Indicateur.objects.filter(tableau__exercice=annees_68[1], libelle__startswith="Nb total de personnes")
    assert premier.count() == 1 and second.count() == 1
    return premier, second


def test_an_administrator_links_differently_worded_indicators(annees_68):
    avant = comparer_exercices(annees_68)
    premier, second = personnes_accompagnees(annees_68)
    # Typed twice by hand, with other capitals, accents and punctuation: still one key.
    premier.update(cle_comparaison="Référent de parcours : personnes accompagnées")
    second.update(cle_comparaison="  referent de parcours - Personnes Accompagnees ")
    apres = comparer_exercices(annees_68)
    assert len(apres.indicateurs) == len(avant.indicateurs) + 1
    assert apres.propres == avant.propres - 2
    lie = next(ligne for ligne in apres.indicateurs if ligne.libelle.startswith("Nombre de personnes accomp"))
    assert all(cellule is not None for cellule in lie.cellules)


def test_wordings_that_differ_only_by_case_accents_or_punctuation_share_a_row(annees_68):
    """« …du rSa » and « …du RSA », « bénéficiaires » and « beneficiaires » are one indicator across the years."""
    avant = comparer_exercices(annees_68)
    premier, second = personnes_accompagnees(annees_68)
    premier.update(libelle="Nombre d'allocataires du rSa accompagnés")
    second.update(libelle="NOMBRE D’ALLOCATAIRES DU RSA ACCOMPAGNES.")
    apres = comparer_exercices(annees_68)
    assert len(apres.indicateurs) == len(avant.indicateurs) + 1
    lie = next(ligne for ligne in apres.indicateurs if "allocataires" in ligne.libelle.lower())
    assert lie.libelle == "Nombre d'allocataires du rSa accompagnés"  # the first exercice's wording is shown
    assert all(cellule is not None for cellule in lie.cellules)


def test_referent_compares_the_latest_exercice_of_each_collectivite(client, referent):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    page = texte(reponse)
    # Bas-Rhin 2019, Haut-Rhin 2021-2022 and CeA 2024 by default, with their State parts and the chart.
    for attendu in ("Bas-Rhin 2019", "Haut-Rhin 2021-2022", "CeA 2024", "1 125 000,00 €", "1 164 941,53 €"):
        assert attendu in page
    assert 'id="graphique-comparaison-titre"' in reponse.content.decode()
    assert "Volet 2 : Intensification de l'offre d'accompagnement" in page


def test_chosen_exercices_and_mistakes(client, referent, annees_68):
    reponse = client.get(URL, {"exercices": [e.public_id for e in annees_68]})
    page = texte(reponse)
    assert "Haut-Rhin 2019" in page and "Bas-Rhin 2019" not in page.split("Budgets", 1)[1]
    assert "3 indicateurs figurent dans au moins deux de ces exercices" in page
    assert "Nombre de contacts entreprises" in page and "objectif : 100 (soit 50 par CRE)" in page
    assert "1 065 548,58 € 9 fiches chiffrées sur 11" in page  # 2 stated, 7 declared conforme

    page = texte(client.get(URL, {"exercices": [annees_68[0].public_id]}))
    assert "Choisissez au moins deux exercices." in page and "Budgets" not in page
    reponse = client.get(URL, {"exercices": ["pas-un-identifiant", annees_68[0].public_id]})
    assert "« pas-un-identifiant » n’est pas un UUID valide" in texte(reponse)
    assert "fr-fieldset--error" in reponse.content.decode() and "Budgets" not in texte(reponse)


def test_an_agent_cannot_bring_another_collectivite_in(client, agent_68, annees_68):
    bas_rhin = exercice("67-2019-2021", "2019")
    # The agent's own years by default.
    page = texte(client.get(URL))
    assert "Haut-Rhin 2019" in page and "Haut-Rhin 2021-2022" in page and "Bas-Rhin" not in page
    # Another collectivité's exercice, named in the address, is refused like an unknown one: nothing of it shows.
    reponse = client.get(URL, {"exercices": [annees_68[0].public_id, bas_rhin.public_id]})
    page = texte(reponse)
    assert reponse.status_code == 200
    assert "n'est pas parmi ceux que vous pouvez consulter" in page
    assert "Bas-Rhin" not in page and "1 125 000,00 €" not in page


def test_query_count_does_not_grow_with_the_exercices_or_their_fiches(client, referent):
    tous = list(Exercice.objects.all())

    def compter(exercices):
        url = URL + "?" + "&".join(f"exercices={e.public_id}" for e in exercices)
        client.get(url)
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(url).status_code == 200
        return len(requetes)

    deux = compter(tous[:2])
    quatre = compter(tous)
    ajouter_fiches(tous[1], 40, lignes=5, indicateurs=10, jalons=5)
    assert compter(tous) == quatre == deux
    assert quatre <= 30


def test_the_comparison_exports_to_excel(client, referent, annees_68):
    import io

    import openpyxl

    reponse = client.get(URL, {"exercices": [e.public_id for e in annees_68], "export": "xlsx"})
    assert reponse["Content-Disposition"] == 'attachment; filename="Comparaison_des_exercices.xlsx"'
    classeur = openpyxl.load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == ["Budgets", "Axes", "Indicateurs communs"]
    budgets = list(classeur["Budgets"].iter_rows(values_only=True))
    entete = budgets[0]
    haut_rhin_2019 = dict(zip(entete, budgets[1], strict=True))
    assert (haut_rhin_2019["Collectivité"], haut_rhin_2019["Exercice"]) == ("Haut-Rhin", "2019")
    assert haut_rhin_2019["Part État"] == 612343.26 and haut_rhin_2019["Exécuté"] == 1065548.58
    assert classeur["Budgets"]["H2"].number_format == '#,##0.00 "€"'
    # The rate as a fraction with a percent format (the one writer's TAUX), 7 fiches declared conforme included.
    assert haut_rhin_2019["Taux d'exécution des fiches chiffrées"] == pytest.approx(0.998)
    axes = {ligne[0]: ligne[1:] for ligne in classeur["Axes"].iter_rows(min_row=2, values_only=True)}
    assert axes["Enfants et jeunes"] == (185600, 228400)
    indicateurs = list(classeur["Indicateurs communs"].iter_rows(min_row=2, values_only=True))
    assert ("Nombre de contacts entreprises", None, "Haut-Rhin 2019", "97", "Réalisé 2019", 97) == indicateurs[
        [ligne[0] for ligne in indicateurs].index("Nombre de contacts entreprises")
    ][:6]
    # Nothing to export without a comparison: the page, with its message.
    reponse = client.get(URL, {"exercices": [annees_68[0].public_id], "export": "xlsx"})
    assert reponse["Content-Type"].startswith("text/html") and "Choisissez au moins deux exercices." in texte(reponse)
