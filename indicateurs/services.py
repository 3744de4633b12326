"""Writes of indicator values: all the changed cells of a form or none, each cell with its own version (the one
mechanism of core.versions, cell by cell: a grid saves many objects at once)."""

from django.db import IntegrityError, transaction

from core.versions import claim_version, last_change

from .models import ValeurIndicateur


def valeurs_enregistrer(*, modifications) -> dict:
    """Save the changed cells, all or none; a cell saved by someone else since it was read is a conflict.

    `modifications`: (key, grid row, cell, text, version read) for each changed cell. Returns {key: what is saved
    now, who saved it and when} for the cells in conflict; empty when everything was saved."""
    conflits = {}
    with transaction.atomic():
        for cle, ligne, cellule, texte, version in modifications:
            if cellule.valeur is not None and version:
                valeur = cellule.valeur
                if not claim_version(ValeurIndicateur, valeur.pk, version):
                    conflits[cle] = ValeurIndicateur.objects.filter(pk=valeur.pk).first()
                    continue
                valeur.texte = texte
                valeur.version = version + 1
                valeur.save()
            elif cellule.valeur is not None or version:
                conflits[cle] = cellule.valeur  # the form was read before this cell existed, or the reverse
            else:
                try:
                    with transaction.atomic():
                        ValeurIndicateur.objects.create(
                            indicateur=ligne.indicateur, jalon=cellule.jalon, dimension=ligne.dimension, texte=texte
                        )
                except IntegrityError:
                    conflits[cle] = ValeurIndicateur.objects.filter(
                        indicateur=ligne.indicateur, jalon=cellule.jalon, dimension=ligne.dimension
                    ).first()
        if conflits:
            transaction.set_rollback(True)
    return {cle: _decrire_conflit(valeur) for cle, valeur in conflits.items()}


def _decrire_conflit(valeur):
    if valeur is None:
        return {"texte": "", "auteur": None, "date": None}
    auteur, date = last_change(valeur)
    return {"texte": valeur.texte, "auteur": auteur, "date": date}
