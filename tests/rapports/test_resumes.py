"""The per-exercice summary (rapports.ResumeExercice) says what the live read model says, on every seed exercice and
after each kind of write, written in the same transaction as the write; the command rebuilds it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from actions.models import Fiche
from budgets.enums import NatureBudget
from budgets.models import Budget, LigneBudget, Part
from comptes.models import User
from conventions.enums import NatureMontant
from conventions.models import Exercice, MontantEtatAnnuel
from importation import contrat
from importation.contrat import classeur_modele
from importation.lecture import lire_classeur
from importation.services import convention_importer
from indicateurs.models import ValeurIndicateur
from rapports.models import Rapport, ResumeExercice
from rapports.resumes import CHAMPS, calculer_exercices
from rapports.selectors import charger_exercice
from rapports.services import rapport_accepter, rapport_transmettre
from tests.factories import ExerciceFactory
from tests.routes import AGENT_68, REFERENT_PREFECTURE

pytestmark = pytest.mark.django_db

COMPARES = [c for c in CHAMPS if c != "calcule_le"]


def ecarts():
    """{exercice: [(champ, stocké, calculé)…]} for every exercice whose stored summary differs from the live one."""
    stockes = {r.exercice_id: r for r in ResumeExercice.objects.all()}
    resultat = {}
    for vivant in calculer_exercices(Exercice.objects.select_related("convention", "rapport")):
        stocke = stockes.get(vivant.exercice_id)
        if stocke is None:
            resultat[str(vivant.exercice)] = ["absent"]
            continue
        differents = [
            (c, getattr(stocke, c), getattr(vivant, c)) for c in COMPARES if getattr(stocke, c) != getattr(vivant, c)
        ]
        if differents:
            resultat[str(vivant.exercice)] = differents
    return resultat


def haut_rhin_2019():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


class TestResumes:
    def test_every_seed_exercice_has_its_summary(self):
        assert ResumeExercice.objects.count() == Exercice.objects.count() == 4
        assert ecarts() == {}

    def test_the_summary_holds_the_read_model_figures(self):
        resume = ResumeExercice.objects.get(exercice=haut_rhin_2019())
        assert resume.statut == "brouillon"
        assert resume.date_limite == datetime.date(2020, 3, 31)
        assert resume.nb_fiches > 0
        assert isinstance(resume.part_etat, Decimal) and resume.part_etat > 0

    def test_after_a_part_changes(self):
        part = Part.objects.filter(
            budget__fiche__exercice=haut_rhin_2019(), financeur="etat", montant__isnull=False
        ).first()
        part.montant += Decimal("1000.00")
        part.save()
        assert ecarts() == {}

    def test_after_a_line_and_a_budget_change(self):
        budget = Budget.objects.filter(fiche__exercice=haut_rhin_2019(), nature=NatureBudget.PREVISIONNEL).first()
        LigneBudget.objects.create(budget=budget, libelle="Ligne ajoutée", montant=Decimal("50.00"), ordre=99)
        budget.total = Decimal("123456.78")
        budget.save()
        assert ecarts() == {}

    def test_after_an_executed_budget_is_deleted_and_added(self):
        fiche = Fiche.objects.filter(exercice=haut_rhin_2019()).order_by("ordre").first()
        Budget.objects.filter(fiche=fiche, nature=NatureBudget.EXECUTE).delete()
        assert ecarts() == {}
        budget = Budget.objects.create(fiche=fiche, nature=NatureBudget.EXECUTE)
        Part.objects.create(budget=budget, financeur="etat", montant=Decimal("10.00"))
        assert ecarts() == {}

    def test_after_a_fiche_is_deleted(self):
        Fiche.objects.filter(exercice=haut_rhin_2019()).order_by("-ordre").first().delete()
        assert ecarts() == {}

    def test_after_the_report_state_changes(self):
        exercice = haut_rhin_2019()
        rapport_transmettre(
            exercice=exercice, user=User.objects.get(email=AGENT_68), justification="Transmis après la date limite."
        )
        assert ecarts() == {}
        resume = ResumeExercice.objects.get(exercice=exercice)
        assert (resume.statut, resume.transmis_en_retard) == ("transmis", True)
        rapport_accepter(
            exercice=Exercice.objects.get(pk=exercice.pk), user=User.objects.get(email=REFERENT_PREFECTURE)
        )
        assert ResumeExercice.objects.get(exercice=exercice).statut == "accepte"
        assert ecarts() == {}

    def test_after_the_deadline_and_the_convention_amount_change(self):
        exercice = haut_rhin_2019()
        exercice.date_limite_rapport = datetime.date(2020, 6, 30)
        exercice.save()
        MontantEtatAnnuel.objects.update_or_create(
            convention=exercice.convention,
            annee=2019,
            nature=NatureMontant.DEFINITIF,
            defaults={"montant": Decimal("1.00")},
        )
        assert ecarts() == {}
        assert ResumeExercice.objects.get(exercice=exercice).date_limite == datetime.date(2020, 6, 30)

    def test_an_indicator_value_changes_nothing(self):
        valeur = ValeurIndicateur.objects.filter(indicateur__tableau__exercice=haut_rhin_2019()).first()
        valeur.texte = "42"
        valeur.save()
        assert ecarts() == {}

    def test_deleting_a_report_or_an_exercice(self):
        Rapport.objects.filter(exercice=haut_rhin_2019()).delete()
        assert ecarts() == {}
        nouvel = ExerciceFactory()
        assert ResumeExercice.objects.filter(exercice=nouvel).exists()
        nouvel.delete()
        assert ecarts() == {}
        assert ResumeExercice.objects.count() == 4

    def test_an_import_rewrites_the_summary_once_at_its_end(self):
        """An import saves every fiche, budget and part of the workbook: the summary is written once, after them."""
        classeur = load_workbook(io.BytesIO(classeur_modele(charger_exercice(haut_rhin_2019()))))
        fiches = classeur[contrat.FEUILLE_FICHES]
        colonne = [c.value for c in fiches[1]].index(contrat.PART_ETAT) + 1
        fiches.cell(row=2, column=colonne).value = 123456.78
        tampon = io.BytesIO()
        classeur.save(tampon)
        donnees, erreurs = lire_classeur(tampon.getvalue())
        assert erreurs == []
        with CaptureQueriesContext(connection) as requetes:
            convention_importer(donnees=donnees)
        ecritures = [q["sql"] for q in requetes if q["sql"].startswith('INSERT INTO "rapports_resumeexercice"')]
        assert len(ecritures) == 1
        assert ecarts() == {}
        assert (
            ResumeExercice.objects.get(exercice=haut_rhin_2019()).part_etat
            == charger_exercice(haut_rhin_2019()).montants.etat
        )

    def test_the_command_rebuilds(self):
        ResumeExercice.objects.all().delete()
        sortie = io.StringIO()
        call_command("reconstruire_resumes", stdout=sortie)
        assert "4 résumés" in sortie.getvalue()
        assert ecarts() == {}
