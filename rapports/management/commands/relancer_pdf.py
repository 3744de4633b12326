"""Put back in the queue the PDFs still waiting to be laid out: after the queue (Redis) was out of reach when a report
was transmitted, or after its jobs were lost. Laying out is done once (rapports.tasks.mettre_en_page never replaces a
PDF): a job still in the queue and its copy do no harm. Run it by hand or from cron, e.g. every hour."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.taches import mettre_en_file
from rapports.models import PdfPrepare, VersionTransmise
from rapports.tasks import generer_pdf_prepare, generer_pdf_version


class Command(BaseCommand):
    help = "Remet en file les PDF en attente de mise en page depuis plus de --minutes minutes."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="attente au-delà de laquelle relancer (10)")

    def handle(self, *args, minutes, **options):
        avant = timezone.now() - timedelta(minutes=minutes)
        versions = list(
            VersionTransmise.objects.filter(pdf_genere_le__isnull=True, transmise_le__lt=avant).values_list(
                "pk", flat=True
            )
        )
        prepares = list(
            PdfPrepare.objects.filter(pdf_genere_le__isnull=True, demande_le__lt=avant).values_list("pk", flat=True)
        )
        for tache, cles in ((generer_pdf_version, versions), (generer_pdf_prepare, prepares)):
            for pk in cles:
                mettre_en_file(tache, pk)
        self.stdout.write(f"{len(versions)} version(s) transmise(s) et {len(prepares)} PDF demandé(s) remis en file.")
