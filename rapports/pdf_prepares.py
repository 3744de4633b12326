"""The prepared PDF of a report as it stands (PdfPrepare): which one is current, and drawing a new one.

A prepared PDF is labelled with the content revision of its exercice read BEFORE its HTML was drawn: its content is
that revision's or a later one, never an earlier one. So the PDF labelled with the exercice's current revision says
what the report says now, and a download learns it from one query, without drawing the HTML again.
"""

import hashlib

from conventions.revisions import revision_lue

from .models import PdfPrepare
from .pdf import html_rapport
from .selectors import charger_exercice

PDF_PREPARES_GARDES = 3  # per exercice: the last states asked for


def pdf_courant(exercice):
    """The PDF laid out for the exercice's current revision (as read with `exercice`), or None."""
    return (
        PdfPrepare.objects.filter(exercice=exercice, revision=exercice.revision, pdf_genere_le__isnull=False)
        .only("pk", "pdf", "revision", "pdf_genere_le")
        .first()
    )


def preparer(exercice):
    """Draw the report's HTML as it stands and return (its PdfPrepare, created, html, ExerciceLu). `exercice` must
    have been read before: its revision labels the row (a row with the same HTML gets that label too)."""
    revision = exercice.revision
    revision_lue()
    contenu = charger_exercice(exercice)
    html = html_rapport(contenu)
    empreinte = hashlib.sha256(html.encode()).hexdigest()
    prepare, cree = PdfPrepare.objects.get_or_create(
        exercice=exercice, empreinte=empreinte, defaults={"html": html, "revision": revision}
    )
    if cree:
        gardes = PdfPrepare.objects.filter(exercice=exercice).order_by("-demande_le", "-pk")[:PDF_PREPARES_GARDES]
        PdfPrepare.objects.filter(exercice=exercice).exclude(pk__in=list(gardes.values_list("pk", flat=True))).delete()
    elif prepare.revision < revision:  # the same content as before the last change: the same PDF
        PdfPrepare.objects.filter(pk=prepare.pk, revision__lt=revision).update(revision=revision)
        prepare.revision = revision
    return prepare, cree, html, contenu
