import pytest
from django.urls import reverse

from actions.models import Fiche
from conventions.models import Exercice


@pytest.fixture
def exercice_68():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


@pytest.fixture
def exercice_67():
    return Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")


@pytest.fixture
def fiche_68(exercice_68):
    """001 ACTION 1 (socle): budget 30 000 €, parts 15 000 € / 15 000 €, one indicator table."""
    return Fiche.objects.get(exercice=exercice_68, cle="socle-1")


@pytest.fixture
def fiche_67(exercice_67):
    return Fiche.objects.filter(exercice=exercice_67).order_by("ordre").first()


def pages_exercice(exercice):
    return {
        "exercice": reverse("pages:exercice", args=[exercice.public_id]),
        "liste": reverse("pages:fiches", args=[exercice.public_id]),
    }


def pages_fiche(fiche):
    return {
        "fiche": reverse("pages:fiche", args=[fiche.public_id]),
        "modifier": reverse("actions:modifier", args=[fiche.public_id]),
        "historique": reverse("pages:historique", args=[fiche.public_id]),
        "budget_previsionnel": reverse("budgets:modifier", args=[fiche.public_id, "previsionnel"]),
        "budget_execute": reverse("budgets:modifier", args=[fiche.public_id, "execute"]),
        "indicateurs": reverse("indicateurs:saisie", args=[fiche.public_id]),
    }
