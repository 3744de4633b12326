"""Who may import a convention's workbook: an agent, for one of their collectivités and an exercice whose report is
still editable; an administrator, for any collectivité (and only an administrator creates one). Référents read."""

from django.shortcuts import get_object_or_404

from conventions.models import Collectivite, Exercice
from conventions.perms import collectivite_ids_visible_by

from .models import ImportEnAttente


def can_import(user) -> bool:
    return user.is_authenticated and (user.is_agent or user.is_administrateur or user.is_superuser)


def refus_import(user, donnees) -> str | None:
    """Why `user` may not import this workbook (`donnees`: importation.lecture.DonneesImport); None when they may."""
    if user.is_superuser or user.is_administrateur:
        return None
    collectivite = Collectivite.objects.filter(code_insee=donnees.code_insee).first()
    if collectivite is None or collectivite.pk not in collectivite_ids_visible_by(user):
        return (
            f"Le classeur porte sur la collectivité {donnees.code_insee} ({donnees.collectivite}), qui n'est pas "
            "l'une des vôtres : seul un administrateur importe pour une autre collectivité ou en crée une."
        )
    exercice = (
        Exercice.objects.filter(
            convention__collectivite=collectivite,
            convention__date_debut=donnees.debut_convention,
            convention__date_fin=donnees.fin_convention,
            libelle=donnees.exercice,
        )
        .select_related("rapport")
        .first()
    )
    rapport = exercice.rapport_existant if exercice is not None else None
    if rapport is not None and not rapport.is_editable():
        statut = rapport.get_statut_display().lower()
        return f"Le rapport de l'exercice {exercice.libelle} est {statut} : ses fiches ne changent plus."
    return None


def get_import_for_user(user, public_id):
    """A pending import: its author's only (404 for anyone else)."""
    return get_object_or_404(ImportEnAttente, public_id=public_id, user=user)
