"""The version comparison covers every stored field of the report, its sections, fiches, budgets (each part and each
line of each budget, the conforme flag) and the indicator values."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Fiche
from budgets.models import Budget, LigneBudget, Part
from comptes.models import User
from conventions.models import Exercice
from indicateurs.models import ValeurIndicateur
from rapports.instantane import TECHNIQUES, ecarts_entre, instantane
from rapports.models import Rapport, SectionRapport
from tests.volume import ajouter_fiches

from ..pages.test_pages import texte

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercice():
    return Exercice.objects.select_related("convention").get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture
def action_7(exercice):
    return Fiche.objects.get(exercice=exercice, cle="socle-7")


def ecarts_apres(exercice, modifier):
    avant = instantane(exercice)
    modifier()
    return ecarts_entre(avant, instantane(exercice))


def test_a_change_of_the_collectivites_executed_share_shows(exercice, action_7):
    execute = Budget.objects.get(fiche=action_7, nature="execute")
    part = Part.objects.create(
        budget=execute, financeur="collectivite", libelle="Part CD 68", montant=Decimal("1000000")
    )
    avant = instantane(exercice)
    part.montant = Decimal("117278.53")
    part.save()
    ecarts = ecarts_entre(avant, instantane(exercice))
    ligne = next(e for e in ecarts if e["rubrique"] == "Budget exécuté" and e["champ"].startswith("Part"))
    assert "1\u00a0000\u00a0000,00\u00a0€" in ligne["avant"] and "117\u00a0278,53\u00a0€" in ligne["apres"]
    assert "Part CD 68" in ligne["apres"] and "Financeur : Collectivité" in ligne["apres"]


def test_the_conforme_flag_shows(exercice, action_7):
    ecarts = ecarts_apres(
        exercice, lambda: Budget.objects.filter(fiche=action_7, nature="execute").update(conforme=False)
    )
    champs = {(e["rubrique"], e["champ"]): (e["avant"], e["apres"]) for e in ecarts}
    assert champs[("Budget exécuté", "Conforme au prévisionnel")] == ("oui", "non")
    assert champs[("Budget", "Exécuté")] == ("229\u00a0775,00\u00a0€", "non chiffré")


def nouvelle_valeur(champ, ancienne):
    """A value of the field's type different from `ancienne`."""
    if champ.choices:
        return next(v for v, _ in champ.flatchoices if v != ancienne and v != "")
    if isinstance(champ, models.BooleanField):
        return not ancienne
    if isinstance(champ, models.DecimalField):
        return (ancienne or Decimal(0)) + Decimal("7")
    if isinstance(champ, models.DateField):
        return datetime.date(2020, 4, 1) if ancienne != datetime.date(2020, 4, 1) else datetime.date(2020, 5, 1)
    if isinstance(champ, models.IntegerField):
        return (ancienne or 2000) + 1
    return f"{ancienne or ''} modifié"[-min(champ.max_length or 1000, 1000) :]


def champs_compares(modele):
    return [
        c
        for c in modele._meta.concrete_fields
        if not (c.primary_key or c.is_relation or c.name in TECHNIQUES or isinstance(c, models.UUIDField))
    ]


@pytest.mark.parametrize("modele", [Rapport, SectionRapport, Fiche, Budget, Part, LigneBudget, ValeurIndicateur])
def test_every_stored_field_is_compared(exercice, modele):
    """Each field of each stored object of the report, changed alone, is one difference at least."""
    objets = {
        Rapport: lambda: Rapport.objects.get(exercice=exercice),
        SectionRapport: lambda: SectionRapport.objects.filter(rapport__exercice=exercice).first(),
        Fiche: lambda: Fiche.objects.get(exercice=exercice, cle="socle-7"),
        Budget: lambda: Budget.objects.get(fiche__exercice=exercice, fiche__cle="socle-7", nature="execute"),
        Part: lambda: Part.objects.filter(budget__fiche__exercice=exercice).first(),
        LigneBudget: lambda: LigneBudget.objects.filter(budget__fiche__exercice=exercice).first(),
        ValeurIndicateur: lambda: ValeurIndicateur.objects.filter(indicateur__tableau__exercice=exercice).first(),
    }
    oublies = []
    for champ in champs_compares(modele):
        if modele is ValeurIndicateur and champ.name != "texte":
            continue  # the value as written; the others say which cell it is, or are read from that text
        if modele is Budget and champ.name == "nature":
            continue  # one budget per nature: the nature names the compared section
        objet = objets[modele]()
        ancienne = getattr(objet, champ.attname)

        def modifier(objet=objet, champ=champ, ancienne=ancienne):
            setattr(objet, champ.attname, nouvelle_valeur(champ, ancienne))
            objet.save()

        if not ecarts_apres(exercice, modifier):
            oublies.append(champ.name)
    assert oublies == []


def test_the_comparison_page_shows_a_changed_share(exercice, action_7):
    agent, referent = Client(), Client()
    agent.force_login(User.objects.get(email="agent.haut-rhin@demo.calpae.fr"))
    referent.force_login(User.objects.get(email="referent.prefecture@demo.calpae.fr"))
    execute = Budget.objects.get(fiche=action_7, nature="execute")
    part = Part.objects.create(
        budget=execute, financeur="collectivite", libelle="Part CD 68", montant=Decimal("1000000")
    )
    justification = "Les indicateurs de l'action 5 ne sont pas encore produits par le système d'information."
    assert agent.post(reverse("rapports:transmettre", args=[exercice.public_id]), {"justification": justification})
    Part.objects.filter(pk=part.pk).update(montant=Decimal("117278.53"))
    page = texte(referent.get(reverse("rapports:ecarts", args=[exercice.public_id]), {"de": "1", "a": "actuel"}))
    assert "Budget exécuté" in page and "1 000 000,00 €" in page and "117 278,53 €" in page


def test_the_comparison_page_issues_a_fixed_number_of_queries(exercice):
    referent = Client()
    referent.force_login(User.objects.get(email="referent.prefecture@demo.calpae.fr"))
    lien = reverse("rapports:ecarts", args=[exercice.public_id])

    def compter():
        with CaptureQueriesContext(connection) as requetes:
            assert referent.get(lien, {"de": "actuel", "a": "actuel"}).status_code == 200
        return len(requetes)

    avant = compter()
    ajouter_fiches(exercice, 5, lignes=3, indicateurs=4, jalons=3)
    assert compter() == avant
