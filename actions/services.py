"""Writes to a fiche: atomic, with keyword-only arguments; the views only read forms and render."""

from django.db import transaction

from core.verrou import VersionPerimee, prendre_version

from .models import Fiche


@transaction.atomic
def fiche_enregistrer(*, form, sections, version_lue) -> Fiche:
    """Save a fiche's texts and titled sections (valid forms), if nobody saved the fiche since `version_lue`.

    Raises VersionPerimee otherwise, having written nothing."""
    if not prendre_version(Fiche, form.instance.pk, version_lue):
        raise VersionPerimee
    fiche = form.save(commit=False)
    fiche.version = version_lue + 1
    fiche.save()
    sections.save()
    return fiche
