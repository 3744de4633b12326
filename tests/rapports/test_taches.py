"""The transmitted version's PDF is laid out by a background job (django-tasks, database backend, the real worker):
the transmission answers at once, the PDF follows, and it says what was transmitted even if the report changed in
between."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from core.telechargement import lire
from rapports.models import PdfPrepare, Rapport, VersionTransmise
from rapports.tasks import generer_pdf_version

from ..pages.test_pages import texte
from .test_revue import JUSTIFICATION, agent, exercice, referent, url  # noqa: F401 (fixtures)

BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def texte_pdf(contenu):
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return texte.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")  # the PDF's typography


def travailleur():
    """The worker, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_follows_the_transmission_and_freezes_what_was_sent(settings, exercice, agent, referent):  # noqa: F811
    settings.TASKS = BASE
    assert agent.post(url("transmettre", exercice), {"justification": JUSTIFICATION}).status_code == 302
    version = VersionTransmise.objects.get(rapport__exercice=exercice, numero=1)
    # Transmitted at once: the workbook and the data are stored, the PDF waits for the worker.
    assert Rapport.objects.get(exercice=exercice).statut == "transmis"
    assert not version.pdf and version.pdf_genere_le is None and lire(version.classeur)[:2] == b"PK"
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    lien = reverse("rapports:version", args=[exercice.public_id, 1, "pdf"])
    reponse = referent.get(lien)
    assert reponse.status_code == 202 and "Le PDF est en cours de mise en page" in texte(reponse)
    assert "PDF en préparation" in texte(referent.get(url("rapport", exercice)))

    # Sent back and edited before the worker runs: the PDF still says what was transmitted.
    referent.post(url("renvoyer", exercice), {"motif": "Complétez l'avant-propos."})
    rapport = Rapport.objects.get(exercice=exercice)
    reponse = agent.post(
        url("avant_propos", exercice),
        {"avant_propos": "Texte écrit après la transmission.", "bilan_global": "", "version": rapport.version},
    )
    assert reponse.status_code == 302

    travailleur()
    version.refresh_from_db()
    assert version.pdf_genere_le is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    reponse = referent.get(lien)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    contenu = texte_pdf(reponse.content)
    assert "Rapport d'exécution" in contenu and "ACTION 2" in contenu
    assert "Texte écrit après la transmission." not in contenu
    assert "PDF en préparation" not in texte(referent.get(url("rapport", exercice)))

    # A job run twice never replaces the PDF produced.
    premier = lire(version.pdf)
    generer_pdf_version.enqueue(version.pk)
    travailleur()
    version.refresh_from_db()
    assert lire(version.pdf) == premier


@pytest.mark.django_db(transaction=True)
def test_a_long_report_is_laid_out_in_the_background_while_the_page_waits(settings, exercice, agent):  # noqa: F811
    settings.TASKS = BASE
    settings.CALPAE_PDF_SYNCHRONE_MAX_OCTETS = 0  # every report counts as long
    lien = url("pdf", exercice)
    reponse = agent.get(lien)
    assert reponse.status_code == 202 and "Le PDF est en cours de mise en page" in texte(reponse)
    sonde = re.search(r'hx-get="([^"]+)"', reponse.content.decode()).group(1).replace("&amp;", "&")
    assert "Mise en page en cours" in texte(agent.get(sonde))  # the page's poll: not yet
    assert agent.get(lien).status_code == 202  # asked again before the job ran: still one job
    assert DBTaskResult.objects.count() == 1
    travailleur()
    fragment = agent.get(sonde).content.decode()
    assert "Le PDF est prêt." in fragment and "hx-get" not in fragment  # the poll stops
    telechargement = re.search(r'href="([^"]+)"', fragment).group(1).replace("&amp;", "&")
    reponse = agent.get(telechargement)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert "Rapport d'exécution" in texte_pdf(reponse.content)
    # A fingerprint that is not this exercice's is not found.
    assert agent.get(lien, {"empreinte": "0" * 64}).status_code == 404


@pytest.mark.django_db
def test_a_pdf_that_never_comes_stops_the_waiting(exercice, agent):  # noqa: F811
    prepare = PdfPrepare.objects.create(exercice=exercice, empreinte="a" * 64, html="<p>x</p>")
    PdfPrepare.objects.filter(pk=prepare.pk).update(demande_le=timezone.now() - timedelta(minutes=11))
    fragment = agent.get(url("pdf", exercice), {"empreinte": "a" * 64, "attente": "1"}).content.decode()
    assert "La mise en page n'est toujours pas terminée" in fragment and "hx-get" not in fragment
