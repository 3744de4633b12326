"""Optimistic locking: a save goes through only if the row still has the version the user read.

`select_for_update` does nothing on SQLite, so the check is a conditional UPDATE (`… WHERE version = v`), which
both databases run atomically. The caller then saves the object normally so that its history records the change.
"""

from django.db.models import F


class VersionPerimee(Exception):
    """Someone saved the object after this user read it: the save is refused, nothing is written."""


def prendre_version(modele, pk, version_lue) -> bool:
    """Bump the row's version if it is still `version_lue`; False when someone saved it in between."""
    return modele.objects.filter(pk=pk, version=version_lue).update(version=F("version") + 1) == 1


def dernier_auteur(objet):
    """(who, when) of the object's last recorded change, from its history; (None, None) without history."""
    dernier = objet.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if dernier is None:
        return None, None
    return dernier.history_user, dernier.history_date


def conflit(actuel, form=None, objet="cette fiche", **enregistre):
    """What the page shows when a save is refused: who saved `actuel` and when, and, for a model form, each field
    where what this user typed differs from what is saved now."""
    auteur, date = dernier_auteur(actuel)
    differences = []
    for nom in form.Meta.fields if form is not None else []:
        saisie, enregistree = form.cleaned_data.get(nom, form.data.get(nom, "")), getattr(actuel, nom)
        if (saisie or "") != (enregistree or ""):
            differences.append({"libelle": form.fields[nom].label, "saisie": saisie, "enregistree": enregistree})
    return {"auteur": auteur, "date": date, "objet": objet, "differences": differences, **enregistre}
