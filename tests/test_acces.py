"""The access matrix: every URL of the app (read from the URL configuration, so that a new page cannot be forgotten)
× every role × read (GET) and write (POST), on the Haut-Rhin's 2019 exercice.

An object that is not the user's answers 404 (never a 403 that would confirm it exists); a reader gets 403 on what
only an agent may change; anonymous users go to the login page.
"""

import pytest
from django.test import Client

from actions.models import Fiche
from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite, Region
from rapports.models import Rapport
from tests.routes import (
    ACTION_AGENT,
    ACTION_REFERENT,
    ADMIN,
    AGENT_67,
    AGENT_68,
    COMMENTAIRE,
    CONFIRMATION,
    HTMX_AGENT,
    IMPORT,
    LECTURE,
    LIBRE,
    PILOTAGE_GRAND_EST,
    PILOTAGE_NATIONAL,
    PREPARATION,
    PUBLIQUE,
    REFACTION,
    REFERENT_PREFECTURE,
    RESOLUTION,
    ROUTES,
    routes_de_l_application,
    urls_des_routes,
)

pytestmark = pytest.mark.django_db

# Who, relative to the Haut-Rhin's exercice.
AGENT, AGENT_AUTRE, REFERENT, REFERENT_AUTRE, ADMINISTRATEUR, ANONYME = (
    "agent du Haut-Rhin",
    "agent du Bas-Rhin",
    "référent qui suit le Haut-Rhin",
    "référent qui ne suit que le Bas-Rhin",
    "administrateur",
    "anonyme",
)
NATIONAL, REGIONAL, REGIONAL_AUTRE = (
    "pilotage national",
    "pilotage régional Grand Est",
    "pilotage régional d'une autre région",
)
ROLES = [AGENT, AGENT_AUTRE, REFERENT, REFERENT_AUTRE, ADMINISTRATEUR, NATIONAL, REGIONAL, REGIONAL_AUTRE, ANONYME]
ECRIVAINS = {AGENT}  # the administrator corrects data in the admin, not through the agents' pages
LECTEURS = {AGENT, REFERENT, ADMINISTRATEUR, NATIONAL, REGIONAL}
# Read-only roles that are not the agents': no import, no new convention (403 rather than 404: the page is not an
# object of anyone's).
SANS_IMPORT = {REFERENT, REFERENT_AUTRE, NATIONAL, REGIONAL, REGIONAL_AUTRE}


def attendu(nature, role, methode, route=None):
    """The status code each role must get."""
    if route == "accueil" and methode == "GET" and role in (NATIONAL, REGIONAL, REGIONAL_AUTRE):
        return {302}  # a pilotage account's home is /pilotage/
    if nature == PUBLIQUE:
        return {200} if methode == "GET" else {405}
    if role == ANONYME:
        return {302}  # to the login page
    voit = role in LECTEURS
    if nature == IMPORT:  # agents and administrators; an empty POST is refused with a message next to the field
        if role in SANS_IMPORT:
            return {403}
        return {200} if methode == "GET" else {422}
    if nature == CONFIRMATION:  # the Haut-Rhin agent's own pending import, for no one else
        if methode == "GET":
            return {405}
        if role in SANS_IMPORT:
            return {403}
        return {302} if role == AGENT else {404}
    if nature == PREPARATION:  # the collectivité's agents, whatever the report's state; an empty POST is refused
        if not voit:
            return {404}
        if role not in ECRIVAINS:
            return {403}
        return {200} if methode == "GET" else {422}
    if nature == REFACTION:  # the référent who follows; an empty POST is refused next to the fields
        if methode == "GET":
            return {405}
        if not voit:
            return {404}
        return {422} if role == REFERENT else {403}
    if nature == LIBRE:
        return {200} if methode == "GET" else {405}
    if nature == LECTURE:
        if methode == "POST":
            return {405}  # read-only pages take no POST, whoever asks
        return {200} if voit else {404}
    if nature in (ACTION_AGENT, ACTION_REFERENT, COMMENTAIRE, RESOLUTION):
        if methode == "GET":
            return {405}
        if not voit:
            return {404}
        if nature == COMMENTAIRE:  # both sides of the review (an empty one is refused with a message)
            return {302} if role in {AGENT, REFERENT} else {403}
        if nature == RESOLUTION:
            return {302} if role == REFERENT else {403}
        peut = role in ECRIVAINS if nature == ACTION_AGENT else False  # nothing transmitted: nothing to decide
        # Allowed: transmitted (302), or the page again with what is missing next to its field (422).
        return {302, 422} if peut else {403}
    if nature == HTMX_AGENT:  # each takes one method: the other is 405 for everyone, which reveals nothing
        if not voit:
            return {404, 405}
        return {200, 405} if role in ECRIVAINS else {403, 405}
    # ECRITURE: the form (GET) and its submission (POST, empty here: refused with messages, nothing saved)
    if not voit:
        return {404}
    return {200, 302, 409, 422} if role in ECRIVAINS else {403}


@pytest.fixture
def objets():
    return urls_des_routes()


@pytest.fixture
def clients():
    referent_bas_rhin = User.objects.create_user(
        email="referent.bas-rhin@prefecture.gouv.fr", password="Un-mot-de-passe-2026", role=Role.REFERENT
    )
    referent_bas_rhin.collectivites.set([Collectivite.objects.get(code_insee="67")])
    comptes = {
        AGENT: User.objects.get(email=AGENT_68),
        AGENT_AUTRE: User.objects.get(email=AGENT_67),
        REFERENT: User.objects.get(email=REFERENT_PREFECTURE),
        REFERENT_AUTRE: referent_bas_rhin,
        ADMINISTRATEUR: User.objects.get(email=ADMIN),
        NATIONAL: User.objects.get(email=PILOTAGE_NATIONAL),
        REGIONAL: User.objects.get(email=PILOTAGE_GRAND_EST),
        REGIONAL_AUTRE: User.objects.create_user(
            email="pilotage.bretagne@prefecture.gouv.fr",
            password="Un-mot-de-passe-2026",
            role=Role.PILOTAGE_REGIONAL,
            region=Region.objects.get(code="53"),
        ),
    }
    resultat = {ANONYME: Client()}
    for role, compte in comptes.items():
        resultat[role] = Client()
        resultat[role].force_login(compte)
    return resultat


def test_every_route_is_in_the_matrix():
    assert routes_de_l_application() == sorted(ROUTES), "ajoutez la nouvelle page à ROUTES (et à la matrice)"


def test_access_matrix(objets, clients):
    ecarts = []
    cas = 0
    for route, (nature, _objet) in ROUTES.items():
        for role in ROLES:
            for methode in ("GET", "POST"):
                client = clients[role]
                reponse = client.get(objets[route]) if methode == "GET" else client.post(objets[route], {})
                cas += 1
                if reponse.status_code not in (voulu := attendu(nature, role, methode, route)):
                    ecarts.append(f"{methode} {route} ({role}) : {reponse.status_code}, attendu {voulu}")
                if role == ANONYME and nature != PUBLIQUE:
                    assert reponse["Location"].startswith("/comptes/connexion/")
    assert not ecarts, "\n".join(ecarts)
    assert cas == len(ROUTES) * len(ROLES) * 2


def test_nothing_changed_through_the_matrix(objets, clients):
    """The empty POSTs above changed nothing for those who may not write."""
    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    avant = (fiche.version, fiche.titre)
    for role in (AGENT_AUTRE, REFERENT, REFERENT_AUTRE, NATIONAL, REGIONAL, REGIONAL_AUTRE, ANONYME):
        for route in ("actions:modifier", "budgets:modifier", "indicateurs:saisie", "rapports:transmettre"):
            clients[role].post(objets[route], {"titre": "piraté", "version": fiche.version})
    fiche.refresh_from_db()
    assert (fiche.version, fiche.titre) == avant
    assert Rapport.objects.get(exercice=fiche.exercice).statut == "brouillon"
