"""Which collectivités a user may see. Every queryset of tenant data is scoped through this."""

from comptes.enums import Role

from .models import Collectivite


def collectivites_visibles(user):
    """Administrators see all; agents and référents see the collectivités they are assigned to (and predecessors)."""
    if not user.is_authenticated:
        return Collectivite.objects.none()
    if user.is_superuser or user.role == Role.ADMINISTRATEUR:
        return Collectivite.objects.all()
    return Collectivite.objects.perimetre_de(user.collectivites.all())
