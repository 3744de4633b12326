"""Writes to a fiche: atomic, keyword-only arguments, cleaned values (never forms); the views read forms and render."""

from django.db import transaction

from core.formulaires import Saisie, appliquer_saisies
from core.versions import save_if_version

from .models import Fiche, SectionTexte


@transaction.atomic
def fiche_enregistrer(*, fiche: Fiche, champs: dict, sections: list[Saisie], version_read: int) -> Fiche:
    """Save a fiche's texts (`champs`) and titled sections, if nobody saved the fiche's texts since `version_read`.

    Raises core.versions.StaleVersion otherwise, having written nothing. A fiche's budgets have their own versions:
    entering a budget never conflicts with editing the texts."""

    def ecrire():
        for nom, valeur in champs.items():
            setattr(fiche, nom, valeur)
        fiche.save()
        appliquer_saisies(sections, SectionTexte, fiche=fiche)

    save_if_version(fiche, version_read, ecrire)
    return fiche
