import pytest

from conventions.models import Exercice
from indicateurs.grilles import charger_tableaux, manquants

pytestmark = pytest.mark.django_db


def test_completeness_from_sets_agrees_with_the_grids_on_every_seed_exercice():
    exercices = list(Exercice.objects.all())
    grilles = charger_tableaux(exercices)
    rapides = manquants(exercices)
    for exercice in exercices:
        attendus = {
            (g.tableau.pk, ligne.indicateur.pk, ligne.dimension)
            for g in grilles.get(exercice.pk, [])
            for ligne in g.manquants()
        }
        obtenus = {
            (m.tableau_id, m.indicateur_id, m.dimension) for _, liste in rapides.get(exercice.pk, []) for m in liste
        }
        assert obtenus == attendus, exercice


def test_the_current_jalon_and_missing_values_of_seed_001():
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    grilles = charger_tableaux([exercice])[exercice.pk]
    assert all(g.jalon_courant.libelle.startswith("Réalisé 2019") for g in grilles)
    absents = [m for _, liste in manquants([exercice])[exercice.pk] for m in liste]
    # ACTION 5 (référents de parcours): four indicators without a "Réalisé 2019" value.
    assert len(absents) == 4
