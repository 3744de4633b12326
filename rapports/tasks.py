"""Background jobs (django-tasks): what is too slow for a request.

Laying out a long report takes WeasyPrint about 0.1 s a page (20 s and more for 60 fiches): the transmission stores
the report's HTML at once, and this job turns it into the version's PDF. Run the worker with
`python manage.py db_worker`; `make run` starts one beside the server.
"""

from django.utils import timezone
from django_tasks import task

from .models import VersionTransmise
from .pdf import pdf_depuis_html


@task()
def generer_pdf_version(version_id: int) -> int:
    """Lay out a transmitted version's PDF from its stored HTML, once: a PDF already produced is never replaced.
    Returns the PDF's size in bytes."""
    version = VersionTransmise.objects.defer("pdf", "classeur", "contenu").get(pk=version_id)
    if version.pdf_genere_le is not None:
        return 0
    pdf = pdf_depuis_html(version.html)
    VersionTransmise.objects.filter(pk=version_id, pdf_genere_le__isnull=True).update(
        pdf=pdf, pdf_genere_le=timezone.now()
    )
    return len(pdf)
