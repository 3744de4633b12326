"""The yearly step: the next avenant prepared from an exercice, and the page of what it changes."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Fiche
from avenants.forms import libelle_suivant
from avenants.services import avenant_preparer, decaler_texte
from budgets.models import Part
from conventions.models import Exercice
from indicateurs.models import Jalon, TableauIndicateurs, ValeurIndicateur
from rapports.selectors import charger_exercice
from tests.pages.test_pages import texte

pytestmark = pytest.mark.django_db


@pytest.fixture
def bas_rhin_2019():
    return Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")


def preparer(exercice, **options):
    return avenant_preparer(
        exercice=exercice,
        libelle="2020",
        date_debut=datetime.date(2020, 1, 1),
        date_fin=datetime.date(2020, 12, 31),
        **options,
    )


def test_the_next_avenant_carries_the_fiches_their_lineage_texts_budgets_and_indicator_tables(bas_rhin_2019):
    avant = charger_exercice(bas_rhin_2019)
    nouvel = preparer(bas_rhin_2019)
    assert (nouvel.acte, nouvel.intitule_acte, nouvel.date_limite_rapport) == (
        "avenant",
        "Avenant 2020",
        datetime.date(2021, 3, 31),
    )
    apres = charger_exercice(nouvel)
    assert [(f.fiche.numero, f.fiche.titre, f.fiche.action_id) for f in apres.fiches] == [
        (f.fiche.numero, f.fiche.titre, f.fiche.action_id) for f in avant.fiches
    ]
    assert [g.code for g in apres.groupes] == [g.code for g in avant.groupes]
    # Seed 002's State parts are per year: the avenant 2020 counts the 2020 ones (4-1: 240 000 € each year).
    fiche_4_1 = next(f for f in apres.fiches if f.fiche.cle == "4-1")
    assert fiche_4_1.montants.etat == Decimal("240000.00")
    assert apres.montants.etat == Decimal("1503000.00")  # the 2020 column of seed 002's synthesis
    # Written in bulk, each copy still has its history row: who prepared the avenant, from which exercice.
    historique = Fiche.history.filter(id=fiche_4_1.fiche.pk).get()
    assert (
        historique.history_type == "+" and historique.history_change_reason == "Avenant préparé depuis l'exercice 2019"
    )
    assert Part.history.filter(budget_id__in=fiche_4_1.fiche.budgets.values("pk")).count() == len(
        fiche_4_1.previsionnel.parts
    )
    # Nothing changed in 2019.
    assert charger_exercice(bas_rhin_2019).prevu == avant.prevu


def test_indicator_tables_get_the_new_periods_columns_and_keep_their_objectives():
    haut_rhin_2019 = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    anciens = TableauIndicateurs.objects.filter(exercice=haut_rhin_2019)
    nouvel = avenant_preparer(
        exercice=haut_rhin_2019,
        libelle="2020",
        date_debut=datetime.date(2020, 1, 1),
        date_fin=datetime.date(2020, 12, 31),
    )
    nouveaux = TableauIndicateurs.objects.filter(exercice=nouvel)
    assert nouveaux.count() == anciens.count() > 0
    ancien_jalons = list(Jalon.objects.filter(tableau__exercice=haut_rhin_2019).exclude(date=None).order_by("pk"))
    nouveaux_jalons = list(Jalon.objects.filter(tableau__exercice=nouvel).exclude(date=None).order_by("pk"))
    assert [j.date.replace(year=j.date.year + 1) for j in ancien_jalons] == [j.date for j in nouveaux_jalons]
    assert all(
        a.libelle.replace("2019", "2020").replace("2018", "2019") == n.libelle or "20" not in a.libelle
        for a, n in zip(ancien_jalons, nouveaux_jalons, strict=True)
    )
    # Measures are left to fill: only objectives (and the rows of dimension values) are carried.
    mesures = ValeurIndicateur.objects.filter(indicateur__tableau__exercice=nouvel).exclude(texte="")
    assert all(v.jalon.type == "objectif" for v in mesures)
    # The exercice's own column is the new period's: what is missing is counted again.
    assert charger_exercice(nouvel).fiches_incompletes


def test_a_fiche_not_carried_forward_ends_and_the_changes_page_says_it(client, agent_67, bas_rhin_2019):
    fiches = list(Fiche.objects.filter(exercice=bas_rhin_2019).order_by("ordre"))
    arretee = fiches[0]
    nouvel = preparer(bas_rhin_2019, fiches=fiches[1:], motif_arret="Reprise par la Région en 2020.")
    modifiee = Fiche.objects.get(exercice=nouvel, action=fiches[1].action)
    part = Part.objects.get(budget__fiche=modifiee, financeur="etat", annee=2020)
    part.montant += Decimal("1000")
    part.save()
    renumerotee = Fiche.objects.get(exercice=nouvel, action=fiches[2].action)
    renumerotee.numero = "Action 9-9"
    renumerotee.save()
    page = texte(client.get(reverse("avenants:changements", args=[nouvel.public_id])))
    assert "Ce que change l'exercice 2020" in page
    # Seed 002's State parts are per year: a fiche whose 2020 part differs from its 2019 one shows as modified too.
    assert "Ajoutées : 0 Arrêtées : 1 Renumérotées : 1 Modifiées : 2" in page
    assert f"{arretee.numero} {arretee.titre} Reprise par la Région en 2020. arrêtée" in page
    ancienne = texte(client.get(reverse("pages:fiche", args=[arretee.public_id])))
    assert "Cette action s'arrête après l'exercice 2019 : Reprise par la Région en 2020." in ancienne
    assert f"était {fiches[2].numero}" in page
    assert "+1 000,00 €" in page


def test_the_preparation_page_refuses_bad_input_and_creates_on_valid_input(client, agent_67, bas_rhin_2019):
    url = reverse("avenants:preparer", args=[bas_rhin_2019.public_id])
    page = client.get(url).content.decode()
    assert 'value="2020"' in page and 'value="01/01/2020"' in page and 'value="31/03/2021"' in page
    fiches = [f.pk for f in Fiche.objects.filter(exercice=bas_rhin_2019)]
    mauvais = {"libelle": "2019", "date_debut": "01/06/2019", "date_fin": "31/12/2022", "fiches": fiches[1:]}
    reponse = client.post(url, mauvais)
    assert reponse.status_code == 422
    page = texte(reponse)
    assert "La convention a déjà un exercice « 2019 »" in page
    assert "L'avenant commence après l'exercice 2019, qui finit le 31/12/2019." in page
    assert "La convention finit le 31/12/2021 : un exercice ne la dépasse pas" in page
    assert "Dites pourquoi les fiches décochées s'arrêtent." in page
    assert Exercice.objects.filter(convention=bas_rhin_2019.convention).count() == 1
    bon = {"libelle": "2020", "date_debut": "01/01/2020", "date_fin": "31/12/2020", "fiches": fiches}
    reponse = client.post(url, bon)
    nouvel = Exercice.objects.get(convention=bas_rhin_2019.convention, libelle="2020")
    assert reponse.status_code == 302 and reponse["Location"] == reverse(
        "avenants:changements", args=[nouvel.public_id]
    )
    assert nouvel.fiches.count() == len(fiches)


def test_only_the_collectivites_agents_prepare_an_avenant(client, referent, bas_rhin_2019):
    assert client.get(reverse("avenants:preparer", args=[bas_rhin_2019.public_id])).status_code == 403


def test_labels_and_years_move_on():
    assert libelle_suivant("2019") == "2020" and libelle_suivant("2021-2022") == "2022-2023"
    assert (
        decaler_texte("Réalisé au 31/12/2019 (objectif 2019-2020)", 1) == "Réalisé au 31/12/2020 (objectif 2020-2021)"
    )
