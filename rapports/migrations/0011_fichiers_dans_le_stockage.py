"""The transmitted versions' PDF and workbook and the prepared PDFs move from the database to the file storage
(STORAGES["default"]: the disk, or an S3 bucket by settings). The bytes already stored are written as files."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import rapports.models


def vers_le_stockage(apps, schema_editor):
    for nom_modele, champs in (("VersionTransmise", ("pdf", "classeur")), ("PdfPrepare", ("pdf",))):
        modele = apps.get_model("rapports", nom_modele)
        for objet in modele.objects.all().iterator(chunk_size=50):
            for champ in champs:
                octets = getattr(objet, f"{champ}_octets")
                if octets:
                    extension = "xlsx" if champ == "classeur" else "pdf"
                    getattr(objet, champ).save(f"{champ}.{extension}", ContentFile(bytes(octets)), save=False)
            objet.save(update_fields=list(champs))


def vers_la_base(apps, schema_editor):
    for nom_modele, champs in (("VersionTransmise", ("pdf", "classeur")), ("PdfPrepare", ("pdf",))):
        modele = apps.get_model("rapports", nom_modele)
        for objet in modele.objects.all().iterator(chunk_size=50):
            for champ in champs:
                fichier = getattr(objet, champ)
                if fichier:
                    with fichier.open("rb") as lu:
                        setattr(objet, f"{champ}_octets", lu.read())
            objet.save(update_fields=[f"{champ}_octets" for champ in champs])


class Migration(migrations.Migration):
    dependencies = [("rapports", "0010_bilan_global_version_transmise")]

    operations = [
        migrations.RenameField("versiontransmise", "pdf", "pdf_octets"),
        migrations.RenameField("versiontransmise", "classeur", "classeur_octets"),
        migrations.RenameField("pdfprepare", "pdf", "pdf_octets"),
        migrations.AlterField("versiontransmise", "classeur_octets", models.BinaryField(null=True, blank=True)),
        migrations.AddField(
            "versiontransmise",
            "pdf",
            models.FileField(
                blank=True,
                help_text="Vide tant que la tâche de fond ne l'a pas produit.",
                max_length=200,
                upload_to=rapports.models.chemin_fichier,
                verbose_name="PDF",
            ),
        ),
        migrations.AddField(
            "versiontransmise",
            "classeur",
            models.FileField(
                default="", max_length=200, upload_to=rapports.models.chemin_fichier, verbose_name="classeur Excel"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            "pdfprepare",
            "pdf",
            models.FileField(blank=True, max_length=200, upload_to=rapports.models.chemin_fichier, verbose_name="PDF"),
        ),
        migrations.RunPython(vers_le_stockage, vers_la_base),
        migrations.RemoveField("versiontransmise", "pdf_octets"),
        migrations.RemoveField("versiontransmise", "classeur_octets"),
        migrations.RemoveField("pdfprepare", "pdf_octets"),
    ]
