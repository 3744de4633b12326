"""Optimistic locking, the one mechanism of every edit: a save goes through only if the row still has the version
the user read; otherwise nothing is written and the page shows the conflict (who saved, when, what differs), with
the user's input kept to reconcile.

- `Versioned`: the abstract model with the `version` column;
- `VersionedForm`: the hidden `version` field of a form, `NEW` (0) for an object that did not exist when read;
- `save_if_version(objet, version_read, write)`: the one save-if-version service;
- `conflict(actuel, form)`: the one conflict description, shown by `templates/layout/includes/conflit.html` with
  the 409 status.

`select_for_update` does nothing on SQLite, so the check is a conditional UPDATE (`… WHERE version = v`), which both
databases run atomically; the object is then saved normally so that its history records the change. An object read
as new and created meanwhile by someone else is a conflict too (its version is not NEW any more, or the unique
constraint refuses the second creation).
"""

from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import F

NEW = 0  # the version read of an object that did not exist yet


class Versioned(models.Model):
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersion(Exception):
    """Someone saved the object after this user read it: the save is refused, nothing is written."""


def version_of(objet) -> int:
    """The version a form carries for `objet`: NEW when it is not saved yet."""
    return objet.version if objet is not None and objet.pk else NEW


class VersionedForm(forms.Form):
    """Mixin of the forms that edit a versioned object: the version the user started from, in a hidden field.

    A model form takes it from its instance; another form is given `version=`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=NEW)

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = version if version is not None else version_of(getattr(self, "instance", None))


def claim_version(modele, pk, version_read) -> bool:
    """Bump the row's version if it is still `version_read`; False when someone saved it in between."""
    return modele.objects.filter(pk=pk, version=version_read).update(version=F("version") + 1) == 1


def save_if_version(objet, version_read, write=None):
    """Run `write()` (by default `objet.save()`) in one transaction if nobody saved `objet` since `version_read`.

    `objet` is the object as it is now in the database, or a new unsaved one. Raises StaleVersion, having written
    nothing, when the object was changed, or created, since it was read."""
    write = write or objet.save
    try:
        with transaction.atomic():
            if objet.pk:
                if version_read == NEW or not claim_version(type(objet), objet.pk, version_read):
                    raise StaleVersion
                objet.version = version_read + 1
            elif version_read != NEW:
                raise StaleVersion  # it was deleted since it was read
            write()
    except IntegrityError:  # created meanwhile by someone else (a unique constraint)
        raise StaleVersion from None
    return objet


def last_change(objet):
    """(who, when) of the object's last recorded change, from its history; (None, None) without history."""
    if not hasattr(objet, "history"):
        return None, None
    dernier = objet.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if dernier is None:
        return None, None
    return dernier.history_user, dernier.history_date


def conflict(actuel, form=None, objet="cette fiche", **enregistre):
    """What the page shows when a save is refused: who saved `actuel` and when, and, for a model form, each field
    where what this user typed differs from what is saved now."""
    auteur, date = last_change(actuel) if actuel is not None and actuel.pk else (None, None)
    differences = []
    for nom in form.Meta.fields if form is not None else []:
        saisie = form.cleaned_data.get(nom, form.data.get(nom, ""))
        enregistree = getattr(actuel, nom) if actuel is not None else ""
        if (saisie or "") != (enregistree or ""):
            differences.append({"libelle": form.fields[nom].label, "saisie": saisie, "enregistree": enregistree})
    return {"auteur": auteur, "date": date, "objet": objet, "differences": differences, **enregistre}
