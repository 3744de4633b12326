"""Who may read and change collectivités' exercices. Every list of tenant data is scoped through here; an object
out of the user's scope answers 404, an object the user may read but not change answers 403.

The user's role is read through the account's own questions (`user.is_administrateur`, `user.is_agent`,
`user.is_pilotage_national`, `user.is_pilotage_regional` and `user.region_id`, defined by
comptes.User, which sits above this app): this module imports nothing from the layers above.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Collectivite, Convention, Exercice

EXERCICE_RELATED = ("convention__collectivite", "collectivite_signataire", "rapport")


def collectivites_visible_by(user):
    """Administrators and the national pilotage see all; the regional pilotage the collectivités of its région (and
    their predecessors); agents and référents the collectivités they are assigned to (and predecessors)."""
    if not user.is_authenticated:
        return Collectivite.objects.none()
    if user.is_superuser or user.is_administrateur or user.is_pilotage_national:
        return Collectivite.objects.all()
    if user.is_pilotage_regional:
        return Collectivite.objects.with_predecessors(Collectivite.objects.filter(region_id=user.region_id))
    return Collectivite.objects.with_predecessors(user.collectivites.all())


def collectivite_ids_visible_by(user) -> frozenset:
    """The same set as ids, computed once per request (the user object lives as long as the request)."""
    if not hasattr(user, "_calpae_collectivites"):
        user._calpae_collectivites = frozenset(collectivites_visible_by(user).values_list("pk", flat=True))
    return user._calpae_collectivites


def exercices_visible_by(user):
    return Exercice.objects.filter(convention__collectivite_id__in=collectivite_ids_visible_by(user))


def get_exercice_for_user(user, public_id, *, for_write=False, queryset=None):
    """The exercice if the user may read it (else 404); with `for_write`, 403 unless the user may also change it."""
    queryset = queryset if queryset is not None else exercices_visible_by(user)
    exercice = get_object_or_404(
        queryset.filter(convention__collectivite_id__in=collectivite_ids_visible_by(user)).select_related(
            *EXERCICE_RELATED
        ),
        public_id=public_id,
    )
    if for_write and not can_edit(user, exercice):
        raise PermissionDenied("Vous pouvez consulter cet exercice, pas le modifier.")
    return exercice


@rules.predicate
def is_agent(user):
    return user.is_authenticated and user.is_agent


@rules.predicate
def is_referent(user):
    return user.is_authenticated and user.is_referent


@rules.predicate
def follows_exercice(user, exercice):
    """The exercice's collectivité is one of the user's (an agent's own, or one a référent follows)."""
    return exercice is not None and exercice.convention.collectivite_id in collectivite_ids_visible_by(user)


@rules.predicate
def rapport_is_editable(user, exercice):
    """No report yet, or one its workflow lets the agents change (rapports.models.Rapport.is_editable)."""
    rapport = exercice.rapport_existant
    return rapport is None or rapport.is_editable()


rules.add_perm("conventions.change_exercice", is_agent & follows_exercice & rapport_is_editable)


# The rules alone decide (not user.has_perm, which lets a superuser through whatever the report's state): the
# administrator manages accounts and collectivités and corrects data in the admin, not through the agents' pages.


def can_edit(user, exercice) -> bool:
    """Edit the exercice's fiches, budgets, indicator values and report."""
    return rules.has_perm("conventions.change_exercice", user, exercice)


def can_prepare_avenant(user, exercice) -> bool:
    """Create the next exercice (avenant) of the exercice's convention: an agent of its collectivité, whatever the
    state of the exercice's report (an accepted report does not stop next year's work)."""
    return bool(is_agent(user) and follows_exercice(user, exercice))


def exercice_precedent(exercice):
    """The exercice before this one in its convention (its fiches share the lineage), or None."""
    return (
        Exercice.objects.filter(convention_id=exercice.convention_id, date_fin__lt=exercice.date_debut)
        .select_related(*EXERCICE_RELATED)
        .order_by("-date_debut")
        .first()
    )


def get_convention_for_user(user, public_id, *, for_write=False):
    """The convention if its collectivité is the user's (else 404); with `for_write`, 403 unless the user is one of
    its agents (référents and administrators read it here; administrators correct it in the admin)."""
    convention = get_object_or_404(
        Convention.objects.filter(collectivite_id__in=collectivite_ids_visible_by(user)).select_related("collectivite"),
        public_id=public_id,
    )
    if for_write and not is_agent(user):
        raise PermissionDenied("Seuls les agents de la collectivité modifient sa convention.")
    return convention
