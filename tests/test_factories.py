"""The factories build valid objects, their Traits set what they say, and the objects they link agree."""

import datetime
from decimal import Decimal

import pytest

from budgets.calculs import montants_des_parts
from budgets.coherence import PARITE_FICHE, TOTAL_PARTS, alertes_fiche
from budgets.enums import NatureBudget
from comptes.enums import Role
from conventions.enums import Partie, TypeGroupe
from conventions.models import Exercice
from conventions.perms import collectivites_visible_by, exercices_visible_by
from rapports.enums import StatutRapport
from tests import factories
from tests.factories import (
    MOT_DE_PASSE,
    BudgetFactory,
    CollectiviteFactory,
    ExerciceFactory,
    FicheFactory,
    GroupeFactory,
    PartFactory,
    RapportFactory,
    SectionRapportFactory,
    UserFactory,
    ValeurIndicateurFactory,
)

TOUTES = [
    "CollectiviteFactory",
    "ConventionFactory",
    "ExerciceFactory",
    "GroupeFactory",
    "ActionFactory",
    "FicheFactory",
    "BudgetFactory",
    "PartFactory",
    "LigneBudgetFactory",
    "TableauIndicateursFactory",
    "JalonFactory",
    "IndicateurFactory",
    "ValeurIndicateurFactory",
    "RapportFactory",
    "SectionRapportFactory",
    "UserFactory",
]


@pytest.mark.django_db
class TestObjetsValides:
    @pytest.mark.parametrize("nom", TOUTES)
    def test_chaque_factory_enregistre_un_objet_valide(self, nom):
        objet = getattr(factories, nom)()

        assert objet.pk is not None
        objet.full_clean()

    def test_deux_fois_la_meme_factory_ne_se_heurte_a_aucune_contrainte(self):
        premiere, seconde = FicheFactory.create_batch(2, avec_budget=True)

        assert premiere.exercice.convention.collectivite != seconde.exercice.convention.collectivite
        seconde.full_clean()


@pytest.mark.django_db
class TestExercice:
    def test_un_exercice_couvre_une_annee_civile_et_son_rapport_est_du_au_31_mars(self):
        exercice = ExerciceFactory()

        annee = exercice.date_debut.year
        assert (exercice.date_debut, exercice.date_fin) == (datetime.date(annee, 1, 1), datetime.date(annee, 12, 31))
        assert exercice.libelle == str(annee)
        assert exercice.date_limite_rapport == datetime.date(annee + 1, 3, 31)

    def test_les_exercices_d_une_convention_prennent_des_annees_successives(self):
        premier = ExerciceFactory()
        second = ExerciceFactory(convention=premier.convention)

        assert second.date_debut.year == premier.date_debut.year + 1
        second.full_clean()


@pytest.mark.django_db
class TestTraits:
    @pytest.mark.parametrize(("trait", "type_"), [("socle", TypeGroupe.SOCLE), ("initiative", TypeGroupe.INITIATIVE)])
    def test_groupe(self, trait, type_):
        assert GroupeFactory(**{trait: True}).type == type_

    @pytest.mark.parametrize(
        ("trait", "nature"),
        [
            ("previsionnel", NatureBudget.PREVISIONNEL),
            ("execute", NatureBudget.EXECUTE),
            ("reel_indicatif", NatureBudget.REEL_INDICATIF),
        ],
    )
    def test_budget(self, trait, nature):
        assert BudgetFactory(**{trait: True}).nature == nature

    def test_part_de_l_etat_et_part_de_la_collectivite(self):
        budget = BudgetFactory()
        etat = PartFactory(budget=budget, etat=True)
        collectivite = PartFactory(budget=budget, collectivite=True)

        assert etat.financeur == Partie.ETAT
        assert collectivite.financeur == Partie.COLLECTIVITE
        assert collectivite.libelle == f"Part {budget.fiche.exercice.convention.collectivite.nom_court}"

    @pytest.mark.parametrize(
        ("trait", "etat"),
        [
            (None, StatutRapport.BROUILLON),
            ("transmis", StatutRapport.TRANSMIS),
            ("renvoye", StatutRapport.RENVOYE),
            ("accepte", StatutRapport.ACCEPTE),
        ],
    )
    def test_rapport(self, trait, etat):
        rapport = RapportFactory(**({trait: True} if trait else {}))

        rapport.refresh_from_db()
        assert rapport.statut == etat

    @pytest.mark.parametrize(
        ("trait", "role"),
        [("agent", Role.AGENT), ("referent", Role.REFERENT), ("administrateur", Role.ADMINISTRATEUR)],
    )
    def test_compte(self, trait, role):
        user = UserFactory(**{trait: True})

        assert user.role == role
        assert user.check_password(MOT_DE_PASSE)
        assert user.USERNAME_FIELD == "email"


@pytest.mark.django_db
class TestLiens:
    def test_une_fiche_et_son_groupe_partagent_l_exercice_et_la_lignee_est_de_sa_collectivite(self):
        fiche = FicheFactory()

        assert fiche.groupe.exercice == fiche.exercice
        assert fiche.groupe.type == TypeGroupe.SOCLE
        assert fiche.action.collectivite == fiche.exercice.convention.collectivite

    def test_une_section_porte_sur_une_fiche_de_l_exercice_du_rapport(self):
        section = SectionRapportFactory()

        assert section.fiche.exercice == section.rapport.exercice
        assert section.rapport.collectivite == section.rapport.exercice.convention.collectivite

    def test_une_valeur_est_lue_et_sa_colonne_est_celle_du_tableau_de_l_indicateur(self):
        valeur = ValeurIndicateurFactory(texte="4 827")

        assert valeur.jalon.tableau == valeur.indicateur.tableau
        assert valeur.nombre == Decimal("4827")


@pytest.mark.django_db
class TestUsages:
    def test_un_agent_affecte_a_une_collectivite_voit_exactement_ses_exercices(self):
        collectivite = CollectiviteFactory()
        exercices = ExerciceFactory.create_batch(2, convention__collectivite=collectivite)
        ExerciceFactory()  # another collectivité's
        agent = UserFactory(agent=True, collectivites=[collectivite])

        assert list(collectivites_visible_by(agent)) == [collectivite]
        assert set(exercices_visible_by(agent)) == set(exercices)
        assert set(exercices_visible_by(agent)) == set(Exercice.objects.filter(convention__collectivite=collectivite))

    def test_une_fiche_avec_budget_a_des_parts_prevues_qui_respectent_la_parite(self):
        fiche = FicheFactory(avec_budget=True)

        budget = fiche.budgets.get()
        parts = list(budget.parts.all())
        montants = montants_des_parts(parts, fiche.exercice.annees)
        assert budget.nature == NatureBudget.PREVISIONNEL
        assert all(isinstance(part.montant, Decimal) for part in parts)
        assert (montants.etat, montants.collectivite) == (Decimal("1000.00"), Decimal("1200.00"))
        assert montants.parite
        assert montants.total == budget.total
        assert not {PARITE_FICHE, TOTAL_PARTS} & {alerte.regle for alerte in alertes_fiche(fiche)}
