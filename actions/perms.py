"""Who may read and change fiches: those of the exercices the user may read (conventions.perms), changed by those
who may change the exercice. A fiche out of the user's scope answers 404; one they may only read answers 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from conventions.perms import can_edit, collectivite_ids_visible_by

from .models import Fiche

FICHE_RELATED = (
    "exercice__convention__collectivite",
    "exercice__collectivite_signataire",
    "exercice__rapport",
    "groupe",
    "action",
)


def fiches_visible_by(user):
    return Fiche.objects.filter(exercice__convention__collectivite_id__in=collectivite_ids_visible_by(user))


def get_fiche_for_user(user, public_id, *, for_write=False):
    """The fiche if the user may read it (else 404); with `for_write`, 403 unless the user may also change it."""
    fiche = get_object_or_404(fiches_visible_by(user).select_related(*FICHE_RELATED), public_id=public_id)
    if for_write and not can_edit(user, fiche.exercice):
        raise PermissionDenied("Vous pouvez consulter cette fiche, pas la modifier.")
    return fiche
