"""Background jobs (django-tasks): what is too slow for a request.

Laying out a long report takes WeasyPrint about 0.1 s a page (20 s and more for 60 fiches): the transmission, or
the request for the report's PDF, stores the report's HTML at once, and these jobs turn it into the PDF. Run the
worker with `python manage.py db_worker`; `make run` starts one beside the server.
"""

from django.utils import timezone
from django_tasks import task

from .models import PdfPrepare, VersionTransmise
from .pdf import pdf_depuis_html


def mettre_en_page(modele, pk) -> bytes:
    """Lay out the stored HTML of a `modele` row (VersionTransmise, PdfPrepare) into its PDF, once: a PDF already
    produced is never replaced. Returns the PDF."""
    objet = modele.objects.only("html", "pdf", "pdf_genere_le").get(pk=pk)
    if objet.pdf_genere_le is not None:
        return bytes(objet.pdf)
    pdf = pdf_depuis_html(objet.html)
    modele.objects.filter(pk=pk, pdf_genere_le__isnull=True).update(pdf=pdf, pdf_genere_le=timezone.now())
    return pdf


@task()
def generer_pdf_version(version_id: int) -> int:
    """A transmitted version's PDF. Returns its size in bytes."""
    return len(mettre_en_page(VersionTransmise, version_id))


@task()
def generer_pdf_prepare(pdf_id: int) -> int:
    """The PDF of the report as it stood when asked for. Returns its size in bytes."""
    return len(mettre_en_page(PdfPrepare, pdf_id))
