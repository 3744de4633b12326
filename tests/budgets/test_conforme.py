"""An executed budget declared « conforme au prévisionnel »: counted as executed = planned, share by share, everywhere
(figures, totals, checks, completeness), entered by the agent, loaded from seed 001, shown with its figures."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from actions.models import Fiche
from budgets import coherence
from budgets.calculs import CONFORME, chiffres_fiche, credit_non_consomme
from budgets.models import Budget
from conventions.models import Exercice
from rapports.completude import points_manquants
from rapports.selectors import charger_exercice

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
CONFORMES_001 = ["socle-4", "socle-5", "socle-6", "socle-7", "init-2", "init-3", "init-4"]


def texte(reponse):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", reponse.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(NBSP, " ").replace("&#x27;", "'").split())


def part(financeur, montant, annee=None):
    return SimpleNamespace(financeur=financeur, montant=Decimal(montant), annee=annee, ligne_id=None, texte="")


def charge(*parts, conforme=False, texte="", total=None):
    return SimpleNamespace(budget=SimpleNamespace(total=total, texte=texte, conforme=conforme), parts=parts, lignes=[])


@pytest.fixture
def haut_rhin_2019():
    return Exercice.objects.select_related("convention").get(convention__cle="68-2019-2021", libelle="2019")


def test_conforme_counts_the_plan_share_by_share():
    prevu = charge(part("etat", "1000"), part("collectivite", "800"), part("etat", "500", annee=2020))
    chiffres = chiffres_fiche(prevu, charge(conforme=True, texte="Conforme aux engagements"), [2019])
    assert chiffres.conforme and chiffres.execute_renseigne and not chiffres.texte_seul
    assert chiffres.execute == chiffres.prevu == Decimal("1800.00")
    assert (chiffres.montants_executes.etat, chiffres.montants_executes.collectivite) == (Decimal("1000.00"), 800)
    assert chiffres.taux_execution == Decimal("100.0")
    assert chiffres.parite_jugee is False  # the plan's parity, now the execution's
    assert credit_non_consomme(chiffres).base == CONFORME and credit_non_consomme(chiffres).montant == 0
    # The same sentence without the flag: no figure, out of the rates, and said so.
    phrase = chiffres_fiche(prevu, charge(texte="Conforme aux engagements"), [2019])
    assert phrase.execute is None and phrase.taux_execution is None and phrase.texte_seul and not phrase.conforme


def test_seed_001_loads_its_seven_conforme_budgets_keeping_their_text(haut_rhin_2019):
    conformes = Budget.objects.filter(fiche__exercice=haut_rhin_2019, nature="execute", conforme=True)
    assert sorted(b.fiche.cle for b in conformes) == sorted(CONFORMES_001)
    assert all(b.texte.startswith("Conforme aux engagements") for b in conformes)
    assert not Budget.objects.filter(conforme=True).exclude(fiche__exercice=haut_rhin_2019).exists()


def test_the_synthesis_counts_them_and_names_the_text_only_ones(haut_rhin_2019):
    lu = charger_exercice(haut_rhin_2019, indicateurs=False)
    action_7 = lu.par_fiche[Fiche.objects.get(exercice=haut_rhin_2019, cle="socle-7").pk]
    assert action_7.chiffres.conforme and action_7.execute_montant == Decimal("229775.00")
    assert action_7.chiffres.montants_executes.collectivite == Decimal("117278.53")
    total = lu.execution
    assert (total.nb_chiffrees, total.nb_fiches, total.nb_texte_seul) == (9, 11, 2)
    assert total.execute == Decimal("1065548.58") and total.taux == Decimal("99.8")
    socle = next(g for g in lu.groupes if g.code == "A")
    assert (socle.execution.nb_chiffrees, socle.execution.nb_texte_seul, socle.taux_execution) == (
        5,
        2,
        Decimal("100.2"),
    )


def test_no_execution_warning_and_nothing_missing_for_a_conforme_budget(haut_rhin_2019):
    alertes = coherence.alertes_exercice(haut_rhin_2019)
    ids = set(Fiche.objects.filter(exercice=haut_rhin_2019, cle__in=CONFORMES_001).values_list("pk", flat=True))
    assert not [a for a in alertes if a.fiche_id in ids and a.regle in (coherence.PARITE_EXECUTE, "execution_ecart")]
    points = [p.message for p in points_manquants(charger_exercice(haut_rhin_2019))]
    assert not [m for m in points if "budget exécuté n'est pas renseigné" in m]


def test_the_agent_declares_it_without_amounts_and_the_pages_show_it(client, agent_cea):
    fiche = Fiche.objects.get(exercice__libelle="2021-2022", exercice__convention__cle="68-2019-2021", cle="init-1")
    url = reverse("budgets:modifier", args=[fiche.public_id, "execute"])
    page = client.get(url).content.decode()
    assert 'name="budget-conforme"' in page and "Conforme au prévisionnel" in page
    assert "est alors à saisir." in page  # the hints of an executed budget, not the model's
    assert "Ce qui a été dépensé du 01/07/2021 au 30/06/2022" in page
    previsionnel = client.get(reverse("budgets:modifier", args=[fiche.public_id, "previsionnel"])).content.decode()
    assert 'name="budget-conforme"' not in previsionnel  # only an executed budget follows the plan
    donnees = {
        "budget-version": 0,
        "budget-intitule": "Budget exécuté",
        "budget-total": "",
        "budget-texte": "",
        "budget-conforme": "on",
        "parts-TOTAL_FORMS": 0,
        "parts-INITIAL_FORMS": 0,
        "lignes-TOTAL_FORMS": 0,
        "lignes-INITIAL_FORMS": 0,
    }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302, texte(reponse)[:1500]
    budget = Budget.objects.get(fiche=fiche, nature="execute")
    assert budget.conforme and budget.total is None and not budget.parts.exists()
    lue = charger_exercice(fiche.exercice, indicateurs=False).par_fiche[fiche.pk]
    assert lue.chiffres.conforme and lue.execute_montant == lue.prevu > 0
    attendu = f"Conforme aux engagements : exécuté {lue.prevu:,.2f} €".replace(",", " ").replace(".", ",")
    assert attendu in texte(client.get(reverse("pages:fiche", args=[fiche.public_id])))
    rapport = texte(client.get(reverse("rapports:rapport", args=[fiche.exercice.public_id])))
    assert attendu in rapport


def test_the_report_page_names_a_text_only_execution(client, agent_68, haut_rhin_2019):
    page = texte(client.get(reverse("rapports:rapport", args=[haut_rhin_2019.public_id])))
    assert page.count("Conforme aux engagements : exécuté") == 7
    assert page.count("Exécuté en texte seul : hors taux d'exécution") == 2


def test_the_admin_shows_the_flag(client, administrateur, haut_rhin_2019):
    budget = Budget.objects.get(fiche__exercice=haut_rhin_2019, fiche__cle="socle-4", nature="execute")
    page = client.get(reverse("admin:budgets_budget_change", args=[budget.pk])).content.decode()
    assert re.search(r'<input type="checkbox" name="conforme"[^>]*checked', page)
    liste = client.get(reverse("admin:budgets_budget_changelist"), {"conforme__exact": "1"})
    assert "Conforme au prévisionnel" in texte(liste)  # a column and a filter
    assert liste.context["cl"].result_count == 7


def test_conforme_needs_a_planned_budget(client, agent_68, haut_rhin_2019):
    fiche = Fiche.objects.get(exercice=haut_rhin_2019, cle="socle-2")
    Budget.objects.filter(fiche=fiche, nature="previsionnel").delete()
    execute = Budget.objects.get(fiche=fiche, nature="execute")
    url = reverse("budgets:modifier", args=[fiche.public_id, "execute"])
    donnees = {
        "budget-version": execute.version,
        "budget-intitule": execute.intitule,
        "budget-total": "25 000",
        "budget-texte": "Texte gardé",
        "budget-conforme": "on",
        "parts-TOTAL_FORMS": 0,
        "parts-INITIAL_FORMS": 0,
        "lignes-TOTAL_FORMS": 0,
        "lignes-INITIAL_FORMS": 0,
    }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 422
    page = reponse.content.decode().replace("&#x27;", "'")
    assert "Cette fiche n'a pas de budget prévisionnel" in page
    assert 'id="id_budget-conforme-desc-error"' in page  # the message sits under the checkbox
    assert "Texte gardé" in page  # nothing typed is lost
    execute.refresh_from_db()
    assert not execute.conforme and execute.texte != "Texte gardé"
