"""The load scenario posts the forms as it reads them in the pages (benchmarks/formulaires.py): on the real budget,
indicator and sign-in forms, what it sends back is accepted and saved, CSRF checks included. A template change that
would make the load scenario count every save as an error fails here first."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Fiche
from benchmarks.formulaires import formulaire
from budgets.models import Budget
from comptes.models import User
from indicateurs.models import ValeurIndicateur

pytestmark = pytest.mark.django_db


@pytest.fixture
def navigateur():
    """A client that checks CSRF tokens as the production server does, signed in as the Haut-Rhin's agent."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(email="agent.haut-rhin@demo.calpae.fr"))
    return client


@pytest.fixture
def fiche():
    return Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")


def test_the_budget_form_as_read_saves_a_changed_amount(navigateur, fiche):
    budget = Budget.objects.get(fiche=fiche, nature="previsionnel")
    url = reverse("budgets:modifier", args=[fiche.public_id, "previsionnel"])
    champs = formulaire(navigateur.get(url).content.decode(), "budget-version")
    assert dict(champs)["budget-version"] == str(budget.version)
    for champ in champs:
        if champ[0] == "budget-total":
            champ[1] = "12 345,67"  # as an agent types it
    reponse = navigateur.post(url, dict(champs))
    assert reponse.status_code == 302
    budget.refresh_from_db()
    assert budget.total == Decimal("12345.67")
    assert budget.version == int(dict(champs)["budget-version"]) + 1


def test_the_budget_form_sent_back_unchanged_changes_nothing(navigateur, fiche):
    """Text areas are read as a browser reads them (without the newline Django writes after the tag)."""
    avant = etat(Budget.objects.get(fiche=fiche, nature="previsionnel"))
    url = reverse("budgets:modifier", args=[fiche.public_id, "previsionnel"])
    champs = formulaire(navigateur.get(url).content.decode(), "budget-version")
    assert navigateur.post(url, dict(champs)).status_code == 302
    assert etat(Budget.objects.get(fiche=fiche, nature="previsionnel")) == avant


def test_the_indicator_grid_as_read_saves_one_changed_value(navigateur, fiche):
    url = reverse("indicateurs:saisie", args=[fiche.public_id])
    champs = formulaire(navigateur.get(url).content.decode(), r"t_.+")
    saisie = next(champ for champ in champs if champ[0].startswith("t_"))
    saisie[1] = "4 321"
    valeurs = ValeurIndicateur.objects.filter(indicateur__tableau__fiches=fiche, texte="4 321")
    assert not valeurs.exists()
    assert navigateur.post(url, champs_en_liste(champs)).status_code == 302
    assert valeurs.count() == 1


def test_the_sign_in_form_as_read_signs_in(mot_de_passe_demo):
    client = Client(enforce_csrf_checks=True)
    url = reverse("comptes:connexion")
    champs = dict(formulaire(client.get(url).content.decode(), "username"))
    assert "csrfmiddlewaretoken" in champs
    champs |= {"username": "agent.haut-rhin@demo.calpae.fr", "password": mot_de_passe_demo}
    assert client.post(url, champs).status_code == 302
    assert client.get(reverse("accueil")).status_code == 200


def test_a_page_without_the_named_field_has_no_form_to_send():
    assert formulaire('<form method="post" action="/comptes/deconnexion/"><input name="csrf"></form>', "t_.+") is None


def champs_en_liste(champs):
    """The fields as the test client posts them: each name with its list of values."""
    donnees = {}
    for nom, valeur in champs:
        donnees.setdefault(nom, []).append(valeur)
    return donnees


def etat(budget):
    """What the budget form shows: the budget's texts and total, its lines, its parts."""
    lignes = [(x.pk, x.libelle, x.montant, x.quantite, x.unite, x.territoire) for x in budget.lignes.order_by("pk")]
    parts = [(x.pk, x.financeur, x.libelle, x.montant, x.texte, x.annee) for x in budget.parts.order_by("pk")]
    return (budget.intitule, budget.total, budget.texte, lignes, parts)
