"""Who may see and change what. Every queryset of tenant data is scoped through here; objects out of scope are 404.

The référent's read-only access and the review rules come with the review workflow; for now an agent edits the
exercices of their collectivités (and of those it succeeded), everyone else reads what they are assigned to.
"""

import rules
from django.shortcuts import get_object_or_404

from comptes.enums import Role

from .models import Collectivite, Exercice


def collectivites_visibles(user):
    """Administrators see all; agents and référents see the collectivités they are assigned to (and predecessors)."""
    if not user.is_authenticated:
        return Collectivite.objects.none()
    if user.is_superuser or user.role == Role.ADMINISTRATEUR:
        return Collectivite.objects.all()
    return Collectivite.objects.perimetre_de(user.collectivites.all())


def ids_collectivites_visibles(user) -> frozenset:
    """The same set as ids, computed once per request (the user object lives as long as the request)."""
    if not hasattr(user, "_calpae_collectivites"):
        user._calpae_collectivites = frozenset(collectivites_visibles(user).values_list("pk", flat=True))
    return user._calpae_collectivites


def exercices_visibles(user):
    return Exercice.objects.filter(convention__collectivite_id__in=ids_collectivites_visibles(user))


def exercice_visible_ou_404(user, public_id, queryset=None):
    queryset = queryset if queryset is not None else exercices_visibles(user)
    return get_object_or_404(
        queryset.filter(convention__collectivite_id__in=ids_collectivites_visibles(user)).select_related(
            "convention__collectivite", "collectivite_signataire", "rapport"
        ),
        public_id=public_id,
    )


@rules.predicate
def est_agent(user):
    return user.is_authenticated and user.role == Role.AGENT


@rules.predicate
def agent_de_l_exercice(user, exercice):
    return exercice is not None and exercice.convention.collectivite_id in ids_collectivites_visibles(user)


@rules.predicate
def est_referent(user):
    return user.is_authenticated and user.role == Role.REFERENT


@rules.predicate
def rapport_modifiable(user, exercice):
    """No report yet, or a draft, or sent back: a transmitted report is frozen, an accepted one locks the exercice."""
    rapport = exercice.rapport_existant
    return rapport is None or rapport.est_modifiable()


@rules.predicate
def rapport_transmis(user, exercice):
    rapport = exercice.rapport_existant
    return rapport is not None and rapport.etat == "transmis"


rules.add_perm("conventions.modifier_exercice", est_agent & agent_de_l_exercice & rapport_modifiable)
rules.add_perm("conventions.transmettre_rapport", est_agent & agent_de_l_exercice & rapport_modifiable)
rules.add_perm("conventions.decider_rapport", est_referent & agent_de_l_exercice & rapport_transmis)
rules.add_perm("conventions.commenter_rapport", (est_agent | est_referent) & agent_de_l_exercice)
rules.add_perm("conventions.resoudre_commentaire", est_referent & agent_de_l_exercice)


# The rules alone decide (not user.has_perm, which lets a superuser through whatever the report's state): the
# administrator manages accounts and collectivités and corrects data in the admin, not through the agents' pages.


def peut_modifier(user, exercice) -> bool:
    """Edit the exercice's fiches, budgets, indicator values and report."""
    return rules.has_perm("conventions.modifier_exercice", user, exercice)


def peut_transmettre(user, exercice) -> bool:
    return rules.has_perm("conventions.transmettre_rapport", user, exercice)


def peut_decider(user, exercice) -> bool:
    """Send back or accept: a référent who follows the collectivité, on a transmitted report."""
    return rules.has_perm("conventions.decider_rapport", user, exercice)


def peut_commenter(user, exercice) -> bool:
    """Both sides of the review write in the threads, whatever the report's state."""
    return rules.has_perm("conventions.commenter_rapport", user, exercice)


def peut_resoudre(user, exercice) -> bool:
    return rules.has_perm("conventions.resoudre_commentaire", user, exercice)
