"""Réfaction: the unspent State credit per fiche and per exercice (the figure the decision rests on), computed by hand
here on fixtures and on the seed exercices; the référent's decision (amount, reason, date), its rights, its French
messages, its conflicts, and where it shows (journal, exercice page, next avenant's page, dashboard export)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from budgets.calculs import ABSENT, CHIFFRE, CONFORME, NON_VENTILE, TEXTE_SEUL
from comptes.models import User
from conventions.models import Exercice
from rapports.models import DecisionRefaction, Evenement
from rapports.selectors import charger_exercice
from tests.factories import BudgetFactory, ExerciceFactory, FicheFactory, PartFactory

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db

D = Decimal


def client_de(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def referent():
    return client_de("referent.prefecture@demo.calpae.fr")


@pytest.fixture
def agent():
    return client_de("agent.haut-rhin@demo.calpae.fr")


@pytest.fixture
def exercice():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


def url(nom, exercice):
    return reverse(f"rapports:{nom}", args=[exercice.public_id])


# The figure ---------------------------------------------------------------------------------------------------------


def test_unspent_credit_on_fiches_built_for_it():
    """Five fiches, each planning 1 000,00 € from the State (factories' PART_ETAT), executed five ways."""
    exercice = ExerciceFactory()
    fiches = [FicheFactory(exercice=exercice, avec_budget=True, ordre=rang) for rang in range(5)]
    # 1. The executed budget gives the State's share: 600,00 € spent, 400,00 € unspent.
    PartFactory(budget=BudgetFactory(fiche=fiches[0], execute=True, total=None), etat=True, montant=D("600"))
    # 2. More than planned: never below zero.
    PartFactory(budget=BudgetFactory(fiche=fiches[1], execute=True, total=None), etat=True, montant=D("1500"))
    # 3. A sentence only: nothing justified, the whole 1 000,00 €.
    BudgetFactory(fiche=fiches[2], execute=True, total=None, total_texte="", texte="Réalisé comme prévu.")
    # 4. A total without the State's share: nothing justified either.
    BudgetFactory(fiche=fiches[3], execute=True, total=D("2000"), total_texte="2 000 €")
    # 5. No executed budget at all.

    lu = charger_exercice(exercice, indicateurs=False, textes=False)
    par_fiche = {f.fiche.pk: f.credit_non_consomme for f in lu.fiches}
    attendu = [(D("400.00"), CHIFFRE), (D("0.00"), CHIFFRE), (D("1000.00"), TEXTE_SEUL)]
    attendu += [(D("1000.00"), NON_VENTILE), (D("1000.00"), ABSENT)]
    assert [(par_fiche[f.pk].montant, par_fiche[f.pk].base) for f in fiches] == attendu
    assert lu.credit_non_consomme == D("3400.00")  # 400 + 0 + 1 000 + 1 000 + 1 000
    assert par_fiche[fiches[2].pk].libelle == "exécuté en texte seul : non justifié"


# Seed 001, rapport d'exécution 2019 du Haut-Rhin: each fiche's State part planned, read in the document (socle
# ACTION 1 to 7, initiatives ACTION 1 to 4). No executed budget there states a State share with a figure: ACTION 2
# (socle) and ACTION 1 (initiatives) give a total only (25 000 €, 71 680 €), ACTION 1 and 3 (socle) a sentence, and the
# others « Conforme aux engagements ».
PART_ETAT_HAUT_RHIN_2019 = {
    ("A", "ACTION 1"): D("15000.00"),
    ("A", "ACTION 2"): D("11750.00"),
    ("A", "ACTION 3"): D("66050.00"),
    ("A", "ACTION 4"): D("110000.00"),
    ("A", "ACTION 5"): D("80000.00"),
    ("A", "ACTION 6"): D("112496.47"),
    ("A", "ACTION 7"): D("112496.47"),
    ("B", "ACTION 1"): D("37500.00"),
    ("B", "ACTION 2"): D("40000.00"),
    ("B", "ACTION 3"): D("11410.00"),
    ("B", "ACTION 4"): D("15640.32"),
}
# « Conforme aux engagements »: once the loader marks these budgets conforme, they spend their plan (0 unspent).
CONFORMES_HAUT_RHIN_2019 = {
    ("A", "ACTION 4"),
    ("A", "ACTION 5"),
    ("A", "ACTION 6"),
    ("A", "ACTION 7"),
    ("B", "ACTION 2"),
    ("B", "ACTION 3"),
    ("B", "ACTION 4"),
}
# By hand: every State part = 15 000 + 11 750 + 66 050 + 110 000 + 80 000 + 112 496,47 × 2 + 37 500 + 40 000
# + 11 410 + 15 640,32 = 612 343,26 €; the conforme ones = 110 000 + 80 000 + 224 992,94 + 40 000 + 11 410
# + 15 640,32 = 482 043,26 €; what is left = 15 000 + 11 750 + 66 050 + 37 500 = 130 300,00 €.
TOTAL_SANS_CONFORME = D("612343.26")
TOTAL_AVEC_CONFORME = D("130300.00")


def test_unspent_credit_of_haut_rhin_2019_against_the_hand_computation(exercice):
    lu = charger_exercice(exercice, indicateurs=False, textes=False)
    fiches = {(f.groupe_racine.code, f.fiche.numero): f for f in lu.fiches}
    assert fiches.keys() == PART_ETAT_HAUT_RHIN_2019.keys()
    assert sum(PART_ETAT_HAUT_RHIN_2019.values()) == TOTAL_SANS_CONFORME
    assert sum(v for k, v in PART_ETAT_HAUT_RHIN_2019.items() if k not in CONFORMES_HAUT_RHIN_2019) == (
        TOTAL_AVEC_CONFORME
    )
    # Whether the loader marks « Conforme aux engagements » budgets conforme (Budget.conforme) or not yet, each fiche
    # follows the rule, and the exercice's figure is one of the two hand totals.
    conformes = {cle for cle, f in fiches.items() if f.chiffres.conforme}
    assert conformes in (set(), CONFORMES_HAUT_RHIN_2019)
    for cle, fiche in fiches.items():
        assert fiche.montants.etat == PART_ETAT_HAUT_RHIN_2019[cle], cle
        credit = fiche.credit_non_consomme
        if cle in conformes:
            assert (credit.montant, credit.base) == (D("0.00"), CONFORME), cle
        else:
            assert credit.montant == PART_ETAT_HAUT_RHIN_2019[cle], cle
            assert credit.base == (NON_VENTILE if cle in {("A", "ACTION 2"), ("B", "ACTION 1")} else TEXTE_SEUL), cle
    assert lu.credit_non_consomme == (TOTAL_AVEC_CONFORME if conformes else TOTAL_SANS_CONFORME)


def test_unspent_credit_of_the_other_seed_exercices():
    """No executed budget yet: the whole State part is unspent, as the convention states it (seeds 000, 002, 003)."""
    attendu = {
        ("67-2019-2021", "2019"): D("1125000.00"),
        ("68-2019-2021", "2021-2022"): D("1164941.53"),
        ("6ae-volet2-2024", "2024"): D("1552615.00"),
    }
    for (cle, libelle), montant in attendu.items():
        lu = charger_exercice(
            Exercice.objects.get(convention__cle=cle, libelle=libelle), indicateurs=False, textes=False
        )
        assert lu.credit_non_consomme == montant == lu.montants.etat, cle
        assert {f.credit_non_consomme.base for f in lu.fiches} == {ABSENT}


# The decision -------------------------------------------------------------------------------------------------------


def decision(**champs):
    return {
        "montant": "12 500,50",
        "motif": "Action 1 non justifiée.",
        "date_decision": "15/06/2020",
        "version": "0",
    } | (champs)


def test_the_referent_records_a_decision_shown_everywhere(exercice, referent, agent):
    page = texte(referent.get(url("rapport", exercice)))
    assert (
        "Crédit de l'État non consommé : 612 343,26 €" in page or "Crédit de l'État non consommé : 130 300,00 €" in page
    )
    assert "exécuté en texte seul : non justifié" in page
    assert "Aucune décision de réfaction n'est enregistrée." in page

    reponse = referent.post(url("refaction", exercice), decision())
    assert reponse.status_code == 302 and reponse["Location"].endswith("#refaction")
    enregistree = DecisionRefaction.objects.get(exercice=exercice)
    assert (enregistree.montant, enregistree.date_decision) == (D("12500.50"), datetime.date(2020, 6, 15))
    assert enregistree.history.count() == 1

    evenement = Evenement.objects.filter(rapport__exercice=exercice, type=Evenement.Type.REFACTION).get()
    assert "12 500,50 €" in evenement.motif.replace("\u202f", " ").replace("\xa0", " ")

    # The agent reads it on the report page (no form), the exercice page, and the next avenant's page.
    page_agent = agent.get(url("rapport", exercice)).content.decode()
    assert 'action="' + url("refaction", exercice) + '"' not in page_agent
    for adresse in (url("rapport", exercice), reverse("pages:exercice", args=[exercice.public_id])):
        lu = texte(agent.get(adresse))
        assert "Réfaction décidée : 12 500,50 € , le 15/06/2020" in lu and "Action 1 non justifiée." in lu
        assert "Décision de réfaction" in lu or adresse != url("rapport", exercice)
    suivant = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022")
    lu = texte(agent.get(reverse("avenants:changements", args=[suivant.public_id])))
    assert "Réfaction de l'exercice 2019" in lu and "Réfaction décidée : 12 500,50 € , le 15/06/2020" in lu

    # Changed in place, the history keeps the first decision.
    reponse = referent.post(url("refaction", exercice), decision(montant="0", version=str(enregistree.version)))
    assert reponse.status_code == 302
    enregistree.refresh_from_db()
    assert enregistree.montant == D("0.00") and enregistree.history.count() == 2


def test_the_dashboard_export_has_the_decision(exercice, referent):
    referent.post(url("refaction", exercice), decision())
    reponse = referent.get(reverse("pages:suivi"), {"export": "xlsx"})
    feuille = load_workbook(io.BytesIO(reponse.content)).active
    entetes = [c.value for c in feuille[1]]
    lignes = [dict(zip(entetes, [c.value for c in rangee], strict=True)) for rangee in feuille.iter_rows(min_row=2)]
    haut_rhin = next(
        ligne for ligne in lignes if ligne["Collectivité"] == "Département du Haut-Rhin" and ligne["Exercice"] == "2019"
    )
    assert haut_rhin["Réfaction décidée"] == 12500.5
    assert haut_rhin["Motif de la réfaction"] == "Action 1 non justifiée."
    assert haut_rhin["Date de la décision"].date() == datetime.date(2020, 6, 15)
    assert D(str(haut_rhin["Crédit État non consommé"])) in (TOTAL_SANS_CONFORME, TOTAL_AVEC_CONFORME)
    assert haut_rhin["Transmis en retard"] == "Non"


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"montant": "douze mille"}, "montant", "n'est pas un montant en euros"),
        ({"montant": "-5"}, "montant", "Un montant ne peut pas être négatif."),
        ({"montant": "12,345"}, "montant", "plus de deux décimales"),
        ({"motif": "  "}, "motif", "le motif est obligatoire"),
        ({"date_decision": "31/02/2020"}, "date_decision", "Saisissez une date au format jj/mm/aaaa"),
        ({"date_decision": "01/01/2099"}, "date_decision", "ne peut pas être dans le futur"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(exercice, referent, champs, champ, message):
    reponse = referent.post(url("refaction", exercice), decision(**champs))
    assert reponse.status_code == 422
    html = reponse.content.decode()
    assert message in texte(reponse)
    # The message is the field's own, in its DSFR group (not a banner at the top).
    groupe = html[html.index(f'id="id_{champ}"') - 600 : html.index(f'id="id_{champ}"') + 1200]
    assert "fr-input-group--error" in groupe and message.replace("'", "&#x27;") in groupe
    assert "Action 1 non justifiée." in html or champ == "motif"  # what was typed is kept
    assert not DecisionRefaction.objects.filter(exercice=exercice).exists()


def test_a_stale_decision_is_refused_with_the_conflict(exercice, referent):
    referent.post(url("refaction", exercice), decision())
    reponse = referent.post(url("refaction", exercice), decision(montant="99", version="0"))
    assert reponse.status_code == 409
    page = texte(reponse)
    assert "Enregistrement refusé" in page and "cette décision de réfaction" in page
    assert DecisionRefaction.objects.get(exercice=exercice).montant == D("12500.50")


def test_rights(exercice, agent):
    assert agent.post(url("refaction", exercice), decision()).status_code == 403
    outsider = client_de("agent.bas-rhin@demo.calpae.fr")
    assert outsider.post(url("refaction", exercice), decision()).status_code == 404
    assert not DecisionRefaction.objects.exists()
