"""Background jobs (django-tasks): what is too slow for a request.

Laying out a long report takes WeasyPrint about 0.1 s a page (20 s and more for 60 fiches): the transmission, or
the request for the report's PDF, stores the report's HTML at once, and these jobs turn it into the PDF. Run the
worker with `python manage.py db_worker`; `make run` starts one beside the server.
"""

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from conventions.models import Exercice
from core.telechargement import lire

from .models import PdfPrepare, VersionTransmise
from .pdf import pdf_depuis_html
from .pdf_prepares import pdf_courant, preparer


def mettre_en_page(modele, pk) -> bytes:
    """Lay out the stored HTML of a `modele` row (VersionTransmise, PdfPrepare) into its PDF, once: a PDF already
    produced is never replaced (two workers on one row: the second one's file is deleted). Returns the PDF."""
    objet = modele.objects.only("html", "pdf", "pdf_genere_le").get(pk=pk)
    if objet.pdf_genere_le is not None:
        return lire(objet.pdf)
    pdf = pdf_depuis_html(objet.html)
    nom = objet.pdf.storage.save(objet.pdf.field.generate_filename(objet, "rapport.pdf"), ContentFile(pdf))
    if not modele.objects.filter(pk=pk, pdf_genere_le__isnull=True).update(pdf=nom, pdf_genere_le=timezone.now()):
        objet.pdf.storage.delete(nom)
    return pdf


@task()
def generer_pdf_version(version_id: int) -> int:
    """A transmitted version's PDF. Returns its size in bytes."""
    return len(mettre_en_page(VersionTransmise, version_id))


@task()
def generer_pdf_prepare(pdf_id: int) -> int:
    """The PDF of the report as it stood when asked for. Returns its size in bytes."""
    return len(mettre_en_page(PdfPrepare, pdf_id))


@task()
def preparer_pdf(exercice_id: int, modifie_le: str) -> int:
    """The report's PDF laid out ahead of time, once its content has stopped changing (rapports.revisions): nothing
    to do when it changed again since `modifie_le` (a later job follows) or its current PDF is ready. Returns the
    size of the PDF laid out, 0 when none was."""
    lecture = Exercice.objects.select_related("convention__collectivite", "collectivite_signataire")
    exercice = lecture.filter(pk=exercice_id).first()
    if exercice is None or exercice.contenu_modifie_le is None or exercice.contenu_modifie_le.isoformat() != modifie_le:
        return 0
    if pdf_courant(exercice) is not None:
        return 0
    prepare = preparer(exercice)[0]
    if prepare.pdf_genere_le is not None:
        return 0
    return len(mettre_en_page(PdfPrepare, prepare.pk))
