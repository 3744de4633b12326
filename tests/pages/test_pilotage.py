"""/pilotage/: the State's national and regional view, read from the per-exercice summaries: who sees what, the
figures (réfaction figure = the sum of budgets.calculs.credit_non_consomme over the fiches), filters and order in
SQL, totals, the tile map, the export (read back with openpyxl), a fixed number of queries."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.calculs import credit_non_consomme, somme
from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite, Exercice, Region, Territoire
from core.money import format_euros
from rapports.selectors import charger_exercices
from tests.volume import generer_collectivites

pytestmark = pytest.mark.django_db

NATIONAL = "national@demo.calpae.fr"
GRAND_EST = "region.grand-est@demo.calpae.fr"
URL = "/pilotage/"


def connecter(client, email):
    client.force_login(User.objects.get(email=email))


def lignes(reponse):
    """The codes of the collectivités in the table's rows."""
    corps = reponse.content.decode().split('class="calpae-pilotage"')[1]
    return re.findall(r'<span class="fr-hint-text">([0-9A-Z]{2,3})</span>', corps)


class TestReferentiel:
    def test_every_departement_and_the_regions(self):
        departements = Territoire.objects.filter(type="departement")
        assert departements.count() == 101
        assert {"2A", "2B", "971", "972", "973", "974", "976", "01", "95"} <= set(
            departements.values_list("code", flat=True)
        )
        assert Region.objects.count() == 18
        assert Territoire.objects.get(code="69M").region.nom == "Auvergne-Rhône-Alpes"
        # each département has its own square on the map
        cases = list(departements.values_list("ligne", "colonne"))
        assert len(set(cases)) == 101 and None not in {c for case in cases for c in case}

    def test_the_seed_collectivites_are_in_grand_est(self):
        assert set(Collectivite.objects.values_list("code_insee", "region__nom")) == {
            ("67", "Grand Est"),
            ("68", "Grand Est"),
            ("6AE", "Grand Est"),
        }

    def test_a_new_collectivite_gets_its_region_from_the_referential(self):
        assert (
            Collectivite.objects.create(
                code_insee="13",
                nom="Département des Bouches-du-Rhône",
                nom_court="Bouches-du-Rhône",
                type="departement",
            ).region.code
            == "93"
        )


class TestAcces:
    def test_national_sees_every_collectivite(self, client):
        connecter(client, NATIONAL)
        reponse = client.get(URL)
        assert reponse.status_code == 200
        assert sorted(lignes(reponse)) == ["67", "68", "6AE"]

    def test_a_region_sees_its_own_and_no_other(self, client):
        autre = User.objects.create_user(
            email="region.idf@prefecture.gouv.fr", role=Role.PILOTAGE_REGIONAL, region=Region.objects.get(code="11")
        )
        client.force_login(autre)
        assert lignes(client.get(URL)) == []
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
        assert client.get(reverse("pages:exercice", args=[exercice.public_id])).status_code == 404
        connecter(client, GRAND_EST)
        assert sorted(lignes(client.get(URL))) == ["67", "68", "6AE"]
        assert client.get(reverse("pages:exercice", args=[exercice.public_id])).status_code == 200
        assert client.get(reverse("rapports:pdf", args=[exercice.public_id])).status_code in (200, 202)

    def test_a_pilotage_account_starts_on_the_pilotage_page(self, client):
        for email in (NATIONAL, GRAND_EST):
            connecter(client, email)
            reponse = client.get(reverse("accueil"))
            assert reponse.status_code == 302 and reponse["Location"] == URL

    def test_an_agent_sees_only_its_collectivite(self, client):
        connecter(client, "agent.bas-rhin@demo.calpae.fr")
        assert lignes(client.get(URL)) == ["67"]

    def test_pilotage_is_read_only(self, client):
        connecter(client, NATIONAL)
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
        assert client.post(reverse("rapports:transmettre", args=[exercice.public_id])).status_code == 403
        assert client.post(reverse("rapports:accepter", args=[exercice.public_id])).status_code == 403


class TestChiffres:
    def test_the_refaction_figure_is_the_sum_of_the_fiches_unspent_state_credit(self, client):
        connecter(client, NATIONAL)
        page = client.get(URL).content.decode()
        courants = [
            Exercice.objects.filter(convention__collectivite__code_insee=code).order_by("-date_debut").first()
            for code in ("67", "68", "6AE")
        ]
        for lu in charger_exercices(courants, indicateurs=False, textes=False, sections=False):
            attendu = somme(credit_non_consomme(f.chiffres).montant for f in lu.fiches)
            assert format_euros(attendu) in page
            assert format_euros(lu.montants.etat) in page

    def test_filters_and_order(self, client):
        connecter(client, NATIONAL)
        par_etat = {
            etat: lignes(client.get(URL, {"etat": etat}))
            for etat in ("aucun", "brouillon", "transmis", "renvoye", "accepte")
        }
        assert sorted(code for codes in par_etat.values() for code in codes) == ["67", "68", "6AE"]
        assert (
            lignes(client.get(URL, {"region": Region.objects.get(code="44").pk, "parite": "oui"}))
            + lignes(client.get(URL, {"parite": "non"}))
            != []
        )
        reponse = client.get(URL, {"region": Region.objects.get(code="11").pk})  # not a région of the table
        assert "Sélectionnez un choix valide" in reponse.content.decode()
        croissant = lignes(client.get(URL, {"sort": "part_etat"}))
        decroissant = lignes(client.get(URL, {"sort": "-part_etat"}))
        assert croissant == list(reversed(decroissant)) and len(croissant) == 3
        assert client.get(URL, {"sort": "exercice.convention"}).status_code == 200  # not a column: ignored
        assert client.get(URL, {"couleur": "taux"}).status_code == 200

    def test_map_tiles_link_to_the_exercices(self, client):
        connecter(client, NATIONAL)
        page = client.get(URL).content.decode()
        assert page.count("<rect ") == 101
        exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
        assert f'href="{reverse("pages:exercice", args=[exercice.public_id])}" aria-label="Haut-Rhin (68)' in page
        assert 'aria-label="Paris (75) : aucun exercice suivi"' in page

    def test_export_every_filtered_row_and_the_totals(self, client):
        connecter(client, NATIONAL)
        reponse = client.get(URL, {"export": "xlsx"})
        classeur = load_workbook(io.BytesIO(reponse.content))
        exercices = classeur["Exercices"]
        assert exercices["C1"].value == "Collectivité"
        assert sorted(exercices.cell(row=r, column=2).value for r in range(2, exercices.max_row + 1)) == [
            "67",
            "68",
            "6AE",
        ]
        totaux = classeur["Totaux"]
        assert [totaux.cell(row=r, column=1).value for r in range(2, totaux.max_row + 1)] == [
            "Grand Est",
            "France entière",
        ]
        assert totaux["B3"].value == 3


def test_the_page_costs_the_same_for_3_or_53_collectivites(client, django_assert_num_queries):
    connecter(client, NATIONAL)
    client.get(URL)
    with django_assert_num_queries(11) as avant:
        client.get(URL)
    generer_collectivites(50, exercices=2, fiches=2, indicateurs=1, jalons=2, historique=False, departements=True)
    with django_assert_num_queries(len(avant.captured_queries)):
        reponse = client.get(URL)
    assert len(lignes(reponse)) == 53
