"""One helper for every download: content type and a Content-Disposition with the French file name."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reponse_fichier(contenu: bytes, nom_fichier: str, type_mime: str) -> HttpResponse:
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=nom_fichier)
    reponse["Content-Length"] = str(len(contenu))
    reponse["Cache-Control"] = "private, no-store"
    return reponse


def lire(fichier) -> bytes:
    """The bytes of a stored file (a FileField's FieldFile), from whatever storage holds it (disk, S3)."""
    with fichier.open("rb") as lu:
        return lu.read()
