"""The PDF is ready before it is asked for (issue 13): every write that changes what the report's PDF says bumps the
exercice's content revision in its own transaction; a background job lays out the PDF once the report stops
changing; the download serves the PDF of the current revision without drawing anything, and never an older one."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from actions.models import Fiche, SectionTexte
from budgets.models import Budget, LigneBudget, Part
from conventions.models import Exercice, Groupe
from core.telechargement import lire
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from rapports.models import PdfPrepare, Rapport, SectionRapport
from rapports.tasks import preparer_pdf

from .test_revue import agent, exercice  # noqa: F401 (fixtures)

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def revision(de):
    return Exercice.objects.values_list("revision", flat=True).get(pk=de.pk)


def texte_pdf(contenu):
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")  # the PDF's typography


def enregistrer(objet):
    objet.save()


def premier(modele, **filtre):
    objet = modele.objects.filter(**filtre).order_by("pk").first()
    assert objet is not None, f"no {modele.__name__} in the seed exercice"
    return objet


# Each kind of write the PDF is drawn from, on the seed exercice (Haut-Rhin 2019), through the model as the services,
# the admin and the imports write it.
ECRITURES = {
    "textes du rapport": lambda e: enregistrer(premier(Rapport, exercice=e)),
    "section du rapport": lambda e: enregistrer(premier(SectionRapport, rapport__exercice=e)),
    "fiche": lambda e: enregistrer(premier(Fiche, exercice=e)),
    "texte d'une fiche": lambda e: enregistrer(premier(SectionTexte, fiche__exercice=e)),
    "budget": lambda e: enregistrer(premier(Budget, fiche__exercice=e)),
    "ligne de budget": lambda e: enregistrer(premier(LigneBudget, budget__fiche__exercice=e)),
    "part": lambda e: enregistrer(premier(Part, budget__fiche__exercice=e)),
    "part supprimée": lambda e: premier(Part, budget__fiche__exercice=e).delete(),
    "valeur d'indicateur": lambda e: enregistrer(premier(ValeurIndicateur, indicateur__tableau__exercice=e)),
    "jalon": lambda e: enregistrer(premier(Jalon, tableau__exercice=e)),
    "indicateur": lambda e: enregistrer(premier(Indicateur, tableau__exercice=e)),
    "fiches d'un tableau": lambda e: premier(TableauIndicateurs, exercice=e).fiches.clear(),
    "groupe": lambda e: enregistrer(premier(Groupe, exercice=e)),
    "exercice": lambda e: enregistrer(Exercice.objects.get(pk=e.pk)),
    "convention": lambda e: enregistrer(e.convention),
    "collectivité": lambda e: enregistrer(e.convention.collectivite),
}


class Annulation(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("ecriture", ECRITURES)
def test_each_write_bumps_the_revision_in_its_own_transaction(exercice, ecriture):  # noqa: F811
    avant = revision(exercice)
    with pytest.raises(Annulation), transaction.atomic():
        ECRITURES[ecriture](exercice)
        assert revision(exercice) == avant + 1
        raise Annulation
    assert revision(exercice) == avant  # rolled back with the write
    ECRITURES[ecriture](exercice)
    assert revision(exercice) == avant + 1


@pytest.mark.django_db
def test_a_collectivite_bumps_the_exercices_it_signs_for_another_one():
    signe = Exercice.objects.filter(collectivite_signataire__isnull=False).select_related("collectivite_signataire")
    signe = signe.exclude(collectivite_signataire=F("convention__collectivite")).first()
    assert signe is not None, "the seeds have the CeA's avenant of a Haut-Rhin convention"
    avant = revision(signe)
    signe.collectivite_signataire.save()
    assert revision(signe) > avant


@pytest.mark.django_db
def test_many_writes_in_one_transaction_bump_once_per_parent_row(exercice):  # noqa: F811
    parts = list(Part.objects.filter(budget__fiche__exercice=exercice).order_by("budget", "pk"))
    du_budget = [p for p in parts if p.budget_id == parts[0].budget_id]
    assert len(du_budget) > 1
    avant = revision(exercice)
    with transaction.atomic(), CaptureQueriesContext(connection) as requetes:
        for part in du_budget:
            part.save()
    bumps = [q["sql"] for q in requetes.captured_queries if q["sql"].startswith('UPDATE "conventions_exercice"')]
    assert len(bumps) == 1
    assert revision(exercice) == avant + 1


@pytest.mark.django_db
def test_saving_an_exercice_read_before_a_change_keeps_the_newer_revision(exercice):  # noqa: F811
    lu_avant = Exercice.objects.get(pk=exercice.pk)
    enregistrer(premier(Fiche, exercice=exercice))
    apres = revision(exercice)
    assert lu_avant.revision < apres
    lu_avant.intitule_acte = "Convention initiale"
    lu_avant.save()  # its old revision is not written back: that would name an older PDF current
    assert revision(exercice) == apres  # (the same transaction: already bumped for this exercice)
    assert Exercice.objects.get(pk=exercice.pk).intitule_acte == "Convention initiale"


@pytest.mark.django_db
def test_the_job_lays_out_the_last_state_once_things_settle(
    settings,
    exercice,  # noqa: F811
    agent,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    settings.TASKS = DUMMY
    settings.CALPAE_PDF_PREPARE_APRES_SECONDES = 60
    # The avant-propos, then a fiche's section: each committed change enqueues a job for a minute later.
    rapport = Rapport.objects.get(exercice=exercice)
    section = premier(SectionRapport, rapport=rapport)
    for objet, champ, texte in ((rapport, "avant_propos", "Premier état."), (section, "bilan", "Dernier état.")):
        setattr(objet, champ, texte)
        debut = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            objet.save()
    jobs = [r for r in default_task_backend.results if r.task.name == preparer_pdf.name]
    assert len(jobs) == 2
    assert all(j.task.run_after >= debut + timedelta(seconds=60) for j in jobs[1:])  # once nothing changed a minute
    assert not PdfPrepare.objects.filter(exercice=exercice).exists()

    # The first job comes after a newer change: it lays out nothing. The last one lays out the current state.
    assert preparer_pdf.call(*jobs[0].args) == 0
    assert not PdfPrepare.objects.filter(exercice=exercice).exists()
    assert preparer_pdf.call(*jobs[1].args) > 0
    prepare = PdfPrepare.objects.get(exercice=exercice)
    assert prepare.revision == revision(exercice) and prepare.pdf_genere_le is not None
    assert "Premier état." in texte_pdf(lire(prepare.pdf)) and "Dernier état." in texte_pdf(lire(prepare.pdf))
    assert preparer_pdf.call(*jobs[1].args) == 0  # run again: already there

    # Downloaded: the file laid out, in a fixed number of queries, nothing drawn or laid out again.
    lien = reverse("rapports:pdf", args=[exercice.public_id])
    with django_assert_num_queries(7):  # session, user, 3 for the rights, the exercice, its current PDF
        reponse = agent.get(lien)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert reponse.content == lire(prepare.pdf)
    assert list(PdfPrepare.objects.filter(exercice=exercice).values_list("pk", "pdf_genere_le")) == [
        (prepare.pk, prepare.pdf_genere_le)
    ]

    # The report changes: the prepared PDF is no longer current, the download says the new state.
    rapport.refresh_from_db()
    rapport.avant_propos = "Après la mise en page."
    rapport.save()
    reponse = agent.get(lien)
    assert "Après la mise en page." in texte_pdf(reponse.content)
    assert PdfPrepare.objects.filter(exercice=exercice).count() == 2

    # Back to the state laid out: the same HTML, so the same PDF serves the new revision, not laid out again.
    rapport.refresh_from_db()
    rapport.avant_propos = "Premier état."
    rapport.save()
    reponse = agent.get(lien)
    assert reponse.content == lire(prepare.pdf)
    prepare.refresh_from_db()
    assert prepare.revision == revision(exercice)


@pytest.mark.django_db
def test_a_stale_prepared_pdf_is_never_served_as_current(settings, exercice, agent):  # noqa: F811
    settings.TASKS = DUMMY
    settings.CALPAE_PDF_PREPARE_APRES_SECONDES = 60
    lien = reverse("rapports:pdf", args=[exercice.public_id])
    agent.get(lien)
    ancien = PdfPrepare.objects.get(exercice=exercice)
    # A part changes through its budget's page service path (a model save): the amounts the PDF prints change.
    part = premier(Part, budget__fiche__exercice=exercice, montant__gt=0)
    part.montant += 1234567
    part.save()
    assert revision(exercice) > ancien.revision
    reponse = agent.get(lien)
    assert reponse.content != lire(ancien.pdf)
    nouveau = PdfPrepare.objects.exclude(pk=ancien.pk).get(exercice=exercice)
    assert nouveau.revision == revision(exercice) and reponse.content == lire(nouveau.pdf)


def travailleur():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_prepares_the_pdf_after_a_change_made_through_the_page(settings, exercice, agent):  # noqa: F811
    settings.TASKS = BASE
    settings.CALPAE_PDF_PREPARE_APRES_SECONDES = 2
    rapport = Rapport.objects.get(exercice=exercice)
    reponse = agent.post(
        reverse("rapports:avant_propos", args=[exercice.public_id]),
        {"avant_propos": "Écrit avant la mise en page d'avance.", "bilan_global": "", "version": rapport.version},
    )
    assert reponse.status_code == 302
    job = DBTaskResult.objects.get(task_path__endswith="preparer_pdf")
    assert job.priority < 0  # after the PDFs someone waits for
    travailleur()  # too early: the job waits for things to settle
    assert DBTaskResult.objects.get(pk=job.pk).status == "READY"
    assert not PdfPrepare.objects.filter(exercice=exercice).exists()
    time.sleep(max(0, (job.run_after - timezone.now()).total_seconds()) + 0.1)
    travailleur()
    assert DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL"
    prepare = PdfPrepare.objects.get(exercice=exercice)
    assert prepare.revision == revision(exercice) and prepare.pdf_genere_le is not None

    reponse = agent.get(reverse("rapports:pdf", args=[exercice.public_id]))
    assert reponse.status_code == 200 and reponse.content == lire(prepare.pdf)
    assert "Écrit avant la mise en page d'avance." in texte_pdf(reponse.content)
    assert list(PdfPrepare.objects.values_list("pk", "pdf_genere_le")) == [(prepare.pk, prepare.pdf_genere_le)]
