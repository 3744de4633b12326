"""The revision of an exercice's content: a counter bumped in the same transaction as every write that changes what
its documents say, so that a reader learns whether a document prepared earlier is still current from one row.

`contenu_modifie(**filtre)` bumps the exercices the filter names (`pk=…`, `fiches=…`, `convention=…`): once per
transaction and filter, whatever the number of rows written. Once the transaction is committed, the signal
`exercices_modifies` gives the ids of the exercices changed (the reports' app prepares their PDF then). The writes
of the apps above reach it through model signals (rapports/revisions.py); a write that sends none (a queryset's
`update`, `bulk_create`) calls it itself.
"""

from django.db import connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

# Sent once a transaction that changed exercices is committed: `exercices` maps their ids to their
# `contenu_modifie_le` as it stands then.
exercices_modifies = Signal()


class _ApresValidation:
    """The callback run once the transaction is committed; it also marks the filter as already bumped in this
    transaction (Django drops it with a savepoint rolled back, so a bump undone is done again)."""

    def __init__(self, filtre, lecture):
        self.filtre = filtre
        self.lecture = lecture
        self.__qualname__ = "exercices_modifies"  # named by Django's log when a robust callback fails

    def __eq__(self, autre):
        return isinstance(autre, _ApresValidation) and (autre.filtre, autre.lecture) == (self.filtre, self.lecture)

    __hash__ = None

    def __call__(self):
        from .models import Exercice

        exercices = dict(Exercice.objects.filter(**dict(self.filtre)).values_list("pk", "contenu_modifie_le"))
        if exercices:
            exercices_modifies.send(sender=Exercice, exercices=exercices)


def _deja_fait(rappel) -> bool:
    # connection.run_on_commit: the callbacks waiting for this transaction's commit, as (savepoints, callback, robust).
    return connection.in_atomic_block and any(attente[1] == rappel for attente in connection.run_on_commit)


def revision_lue():
    """Say that this transaction just labelled something with the revision it reads (a prepared PDF): a write that
    follows in the same transaction bumps it again, even for a filter already bumped."""
    connection.calpae_lectures = getattr(connection, "calpae_lectures", 0) + 1


def contenu_modifie(**filtre):
    """Bump the content revision of the exercices `Exercice.objects.filter(**filtre)` names, in the current
    transaction (one UPDATE, none when this transaction already did it for this filter)."""
    from .models import Exercice

    rappel = _ApresValidation(tuple(sorted(filtre.items())), getattr(connection, "calpae_lectures", 0))
    if _deja_fait(rappel):
        return
    Exercice.objects.filter(**filtre).update(revision=F("revision") + 1, contenu_modifie_le=timezone.now())
    transaction.on_commit(rappel, robust=True)
