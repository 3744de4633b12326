"""Badges and alerts that tell the truth, each case through the real forms: a fiche without any figure, an executed
budget with a State share and no collectivité share, an execution far from plan, the exercice-level points of the
completeness panel."""

import pytest
from django.urls import reverse

from actions.models import Fiche
from conventions.models import Exercice

from .test_pages import texte

pytestmark = pytest.mark.django_db


def budget_post(montants, version=0, **champs):
    donnees = {
        "budget-version": version,
        "budget-intitule": "",
        "budget-total": champs.pop("total", ""),
        "budget-texte": "",
        "parts-TOTAL_FORMS": len(montants),
        "parts-INITIAL_FORMS": 0,
        "lignes-TOTAL_FORMS": 0,
        "lignes-INITIAL_FORMS": 0,
    }
    for rang, (financeur, montant) in enumerate(montants):
        donnees |= {f"parts-{rang}-financeur": financeur, f"parts-{rang}-montant": montant}
    return donnees


@pytest.fixture
def fiche_cea(client, agent_cea):
    """A fiche of the CeA's 2021-2022 avenant without executed budget (init-1: planned 68 129,18 € each)."""
    return Fiche.objects.get(exercice__libelle="2021-2022", exercice__convention__cle="68-2019-2021", cle="init-1")


def test_a_fiche_without_any_figure_says_parity_is_not_stated(client, agent_cea, fiche_cea):
    exercice = fiche_cea.exercice
    reponse = client.post(
        reverse("gestion:fiche_nouvelle", args=[exercice.public_id]),
        {"groupe": exercice.groupes.filter(parent=None).first().pk, "numero": "X 1", "titre": "Sans chiffre"},
    )
    fiche = Fiche.objects.get(exercice=exercice, numero="X 1")
    assert reponse.status_code == 302
    page = texte(client.get(reverse("pages:fiche", args=[fiche.public_id])))
    assert "Parité non renseignée : aucune part chiffrée" in page and "Parité respectée" not in page
    liste = texte(client.get(reverse("pages:fiches", args=[exercice.public_id]), {"recherche": "Sans chiffre"}))
    assert "Non renseignée" in liste


def test_an_executed_budget_with_a_state_share_only_breaks_parity(client, agent_cea, fiche_cea):
    url = reverse("budgets:modifier", args=[fiche_cea.public_id, "execute"])
    assert client.post(url, budget_post([("etat", "20 000"), ("collectivite", "")])).status_code == 302
    page = texte(client.get(reverse("pages:fiche", args=[fiche_cea.public_id])))
    assert "Parité non respectée (exécuté)" in page
    assert "Budget exécuté : parité non respectée, la part de la collectivité (0,00 €)" in page
    rapport = texte(client.get(reverse("rapports:rapport", args=[fiche_cea.exercice.public_id])))
    assert f"{fiche_cea.designation} : parité non respectée (exécuté), sans explication." in rapport


def test_an_execution_far_from_plan_raises_an_alert(client, agent_cea, fiche_cea):
    from decimal import Decimal

    from rapports.selectors import charger_exercice

    url = reverse("budgets:modifier", args=[fiche_cea.public_id, "execute"])
    prevu = charger_exercice(fiche_cea.exercice).par_fiche[fiche_cea.pk].prevu  # 189 800,00 €
    moitie = (prevu * Decimal("2.2")).quantize(Decimal("0.01"))  # 440 % of plan, in two equal shares
    parts = [("etat", str(moitie).replace(".", ",")), ("collectivite", str(moitie).replace(".", ","))]
    assert client.post(url, budget_post(parts)).status_code == 302
    page = texte(client.get(reverse("pages:fiche", args=[fiche_cea.public_id])))
    assert "Exécution à 440,0 % du prévu" in page and "au-delà de la fourchette attendue (50 – 150 %)" in page
    assert "Parité respectée (exécuté)" in page


def test_the_completeness_panel_includes_the_exercices_own_points(client, agent_67):
    exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
    from budgets.models import Part

    part = Part.objects.get(budget__fiche__exercice=exercice, budget__fiche__cle="4-3", annee=2019)
    part.montant += 5000
    part.save()
    page = texte(client.get(reverse("rapports:rapport", args=[exercice.public_id])))
    assert "Les parts de l'État des fiches pour 2019 (1 130 000,00 €) ne font pas le montant de la convention" in page


def test_the_history_names_a_part_once_and_shows_what_a_creation_holds(client, agent_cea, fiche_cea):
    url = reverse("budgets:modifier", args=[fiche_cea.public_id, "execute"])
    assert client.post(url, budget_post([("etat", "20 000"), ("collectivite", "25 000")])).status_code == 302
    page = texte(client.get(reverse("pages:historique", args=[fiche_cea.public_id])))
    assert "Budget exécuté, part État" in page and "part Part" not in page
    assert "Montant — 20 000,00 €" in page  # the creation shows its amount
