"""The write services refuse a stale version and write nothing; a fresh one saves everything at once."""

import pytest
from django.forms.models import model_to_dict

from actions.forms import FicheForm, SectionFormSet
from actions.models import Fiche
from actions.services import fiche_enregistrer
from budgets.forms import BudgetForm, LigneFormSet, PartFormSet
from budgets.models import Budget
from budgets.services import budget_enregistrer
from core.formulaires import saisies
from core.versions import NEW, StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche():
    return Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")


def formulaires_fiche(fiche, **changes):
    donnees = {k: v for k, v in model_to_dict(fiche).items() if k in FicheForm.Meta.fields and v is not None}
    donnees |= {"version": fiche.version, **changes}
    sections = SectionFormSet(instance=fiche, prefix="sections")
    gestion = {f"sections-{k}": v for k, v in sections.management_form.initial.items()}
    for rang, section in enumerate(sections.forms):
        gestion |= {f"sections-{rang}-{k}": v for k, v in section.initial.items() if v is not None}
    form = FicheForm(donnees, instance=fiche)
    sections = SectionFormSet(gestion, instance=fiche, prefix="sections")
    assert form.is_valid(), form.errors
    assert sections.is_valid(), sections.errors
    return form, sections


def champs(form):
    return {nom: form.cleaned_data[nom] for nom in FicheForm.Meta.fields}


def test_a_stale_fiche_version_writes_nothing(fiche):
    titre, version = fiche.titre, fiche.version
    form, sections = formulaires_fiche(fiche, titre="Titre écrit sur une version ancienne")
    Fiche.objects.filter(pk=fiche.pk).update(version=version + 1)  # someone saved meanwhile
    with pytest.raises(StaleVersion):
        fiche_enregistrer(fiche=fiche, champs=champs(form), sections=saisies(sections), version_read=version)
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.version) == (titre, version + 1)


def test_a_fresh_fiche_version_saves_and_moves_on(fiche):
    version = fiche.version
    form, sections = formulaires_fiche(fiche, titre="Nouveau titre")
    enregistree = fiche_enregistrer(fiche=fiche, champs=champs(form), sections=saisies(sections), version_read=version)
    enregistree.refresh_from_db()
    assert (enregistree.titre, enregistree.version) == ("Nouveau titre", version + 1)
    assert enregistree.history.first().titre == "Nouveau titre"


def test_a_stale_budget_writes_nothing(fiche):
    budget = fiche.budgets.get(nature="previsionnel")
    lignes_avant = list(budget.lignes.values_list("libelle", "montant"))
    donnees = {
        "budget-version": budget.version,
        "budget-total": "99 999,00",
        "budget-texte": "",
        "parts-TOTAL_FORMS": 0,
        "parts-INITIAL_FORMS": 0,
        "lignes-TOTAL_FORMS": 1,
        "lignes-INITIAL_FORMS": 0,
        "lignes-0-libelle": "Ligne écrite sur une version ancienne",
        "lignes-0-montant": "1 000",
    }
    form = BudgetForm(donnees, instance=budget, prefix="budget")
    parts = PartFormSet(donnees, instance=budget, queryset=budget.parts.none(), prefix="parts")
    lignes = LigneFormSet(donnees, instance=budget, queryset=budget.lignes.none(), prefix="lignes")
    assert form.is_valid() and parts.is_valid() and lignes.is_valid(), (form.errors, parts.errors, lignes.errors)
    Budget.objects.filter(pk=budget.pk).update(version=budget.version + 1)  # someone saved this budget meanwhile
    with pytest.raises(StaleVersion):
        budget_enregistrer(
            budget=budget,
            champs={"intitule": budget.intitule, "total": form.cleaned_data["total"], "texte": ""},
            parts=saisies(parts),
            lignes=saisies(lignes),
            version_read=budget.version,
        )
    budget.refresh_from_db()
    assert budget.total != 99999
    assert list(budget.lignes.values_list("libelle", "montant")) == lignes_avant


def test_a_budget_and_the_fiche_texts_have_their_own_versions(fiche):
    """Editing the description never conflicts with someone entering the executed budget."""
    version_fiche = fiche.version
    budget = fiche.budgets.get(nature="previsionnel")
    budget_enregistrer(
        budget=budget,
        champs={"intitule": budget.intitule, "total": budget.total, "texte": "Conforme"},
        parts=[],
        lignes=[],
        version_read=budget.version,
    )
    form, sections = formulaires_fiche(fiche, description="Nouvelle description")
    fiche_enregistrer(fiche=fiche, champs=champs(form), sections=saisies(sections), version_read=version_fiche)
    fiche.refresh_from_db()
    assert fiche.description == "Nouvelle description"


def test_a_budget_created_meanwhile_is_a_conflict(fiche):
    """Two people open the executed budget of a fiche that has none: the second save is refused."""
    Budget.objects.filter(fiche=fiche, nature="execute").delete()
    premier, second = Budget(fiche=fiche, nature="execute"), Budget(fiche=fiche, nature="execute")
    budget_enregistrer(budget=premier, champs={"texte": "Premier"}, parts=[], lignes=[], version_read=NEW)
    with pytest.raises(StaleVersion):
        budget_enregistrer(budget=second, champs={"texte": "Second"}, parts=[], lignes=[], version_read=NEW)
    assert Budget.objects.get(fiche=fiche, nature="execute").texte == "Premier"
