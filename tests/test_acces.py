"""The access matrix: every URL of the app (read from the URL configuration, so that a new page cannot be forgotten)
× every role × read (GET) and write (POST), on the Haut-Rhin's 2019 exercice.

An object that is not the user's answers 404 (never a 403 that would confirm it exists); a reader gets 403 on what
only an agent may change; anonymous users go to the login page.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Fiche
from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite, Exercice
from importation.models import ImportEnAttente
from rapports.models import Commentaire, Rapport, VersionTransmise

pytestmark = pytest.mark.django_db

# Every named route of the app and what it is. A route missing here fails `test_every_route_is_in_the_matrix`.
(
    LIBRE,
    LECTURE,
    ECRITURE,
    ACTION_AGENT,
    ACTION_REFERENT,
    HTMX_AGENT,
    COMMENTAIRE,
    RESOLUTION,
    IMPORT,
    CONFIRMATION,
    PREPARATION,
    PUBLIQUE,
) = (
    "libre",
    "lecture",
    "écriture",
    "action agent",
    "action référent",
    "htmx agent",
    "commentaire",
    "résolution",
    "import",
    "confirmation d'import",
    "préparation d'avenant",
    "publique",
)
ROUTES = {
    "accueil": (LIBRE, None),
    "pages:suivi": (LIBRE, None),
    "pages:comparaison": (LIBRE, None),
    "indicateurs:lecture": (LIBRE, None),
    "pages:exercice": (LECTURE, "exercice"),
    "pages:fiches": (LECTURE, "exercice"),
    "pages:fiche": (LECTURE, "fiche"),
    "pages:historique": (LECTURE, "fiche"),
    "rapports:rapport": (LECTURE, "exercice"),
    "rapports:pdf": (LECTURE, "exercice"),
    "rapports:ecarts": (LECTURE, "exercice"),
    "rapports:xlsx": (LECTURE, "exercice"),
    "rapports:version": (LECTURE, "version"),
    "actions:modifier": (ECRITURE, "fiche"),
    "budgets:modifier": (ECRITURE, "budget"),
    "indicateurs:saisie": (ECRITURE, "fiche"),
    "rapports:avant_propos": (ECRITURE, "exercice"),
    "rapports:section": (ECRITURE, "section"),
    "budgets:apercu": (HTMX_AGENT, "budget"),
    "budgets:nouvelle_ligne": (HTMX_AGENT, "budget"),
    "rapports:transmettre": (ACTION_AGENT, "exercice"),
    "rapports:renvoyer": (ACTION_REFERENT, "exercice"),
    "rapports:accepter": (ACTION_REFERENT, "exercice"),
    "rapports:commenter": (COMMENTAIRE, "exercice"),
    "rapports:resoudre": (RESOLUTION, "commentaire"),
    "importation:importer": (IMPORT, None),
    "importation:confirmer": (CONFIRMATION, "import"),
    "importation:modele": (LIBRE, None),
    "importation:export": (LECTURE, "exercice"),
    "avenants:changements": (LECTURE, "avenant"),
    "avenants:preparer": (PREPARATION, "exercice"),
    "gestion:convention_nouvelle": (IMPORT, None),
    "gestion:fiche_nouvelle": (ECRITURE, "exercice"),
    "gestion:tableau_nouveau": (ECRITURE, "fiche"),
    "gestion:convention_modifier": (ECRITURE, "convention"),
    "pages:collectivite": (LECTURE, "collectivite"),
    "gestion:groupes": (ECRITURE, "exercice"),
    # The pages a State service owes everyone, signed in or not (the footer's links).
    "footer-accessibility-status": (PUBLIQUE, None),
    "footer-legal-notice": (PUBLIQUE, None),
    "footer-personal-data": (PUBLIQUE, None),
}
# Outside the matrix: Django's admin (its own permission system, staff only) and the login / logout pages.
HORS_MATRICE = ("admin:", "comptes:")

# Who, relative to the Haut-Rhin's exercice.
AGENT, AGENT_AUTRE, REFERENT, REFERENT_AUTRE, ADMINISTRATEUR, ANONYME = (
    "agent du Haut-Rhin",
    "agent du Bas-Rhin",
    "référent qui suit le Haut-Rhin",
    "référent qui ne suit que le Bas-Rhin",
    "administrateur",
    "anonyme",
)
ROLES = [AGENT, AGENT_AUTRE, REFERENT, REFERENT_AUTRE, ADMINISTRATEUR, ANONYME]
ECRIVAINS = {AGENT}  # the administrator corrects data in the admin, not through the agents' pages
LECTEURS = {AGENT, REFERENT, ADMINISTRATEUR}


def routes_de_l_application():
    def parcourir(motifs, espace=None):
        for motif in motifs:
            if isinstance(motif, URLResolver):
                yield from parcourir(motif.url_patterns, motif.namespace or espace)
            elif isinstance(motif, URLPattern) and motif.name:
                yield f"{espace}:{motif.name}" if espace else motif.name

    return sorted(r for r in set(parcourir(get_resolver().url_patterns)) if not r.startswith(HORS_MATRICE))


def attendu(nature, role, methode):
    """The status code each role must get."""
    if nature == PUBLIQUE:
        return {200} if methode == "GET" else {405}
    if role == ANONYME:
        return {302}  # to the login page
    voit = role in LECTEURS
    if nature == IMPORT:  # agents and administrators; an empty POST is refused with a message next to the field
        if role in (REFERENT, REFERENT_AUTRE):
            return {403}
        return {200} if methode == "GET" else {422}
    if nature == CONFIRMATION:  # the Haut-Rhin agent's own pending import, for no one else
        if methode == "GET":
            return {405}
        if role in (REFERENT, REFERENT_AUTRE):
            return {403}
        return {302} if role == AGENT else {404}
    if nature == PREPARATION:  # the collectivité's agents, whatever the report's state; an empty POST is refused
        if not voit:
            return {404}
        if role not in ECRIVAINS:
            return {403}
        return {200} if methode == "GET" else {422}
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
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    fiche = Fiche.objects.get(exercice=exercice, cle="socle-1")
    rapport = Rapport.objects.get(exercice=exercice)
    VersionTransmise.objects.create(
        rapport=rapport,
        numero=1,
        transmise_par=User.objects.get(email="agent.haut-rhin@demo.calpae.fr"),
        avant_date_limite=False,
        pdf=ContentFile(b"%PDF-1.7 version 1", name="v1.pdf"),
        pdf_genere_le=timezone.now(),
        classeur=ContentFile(b"PK version 1", name="v1.xlsx"),
    )
    commentaire = Commentaire.objects.create(
        rapport=rapport, auteur=User.objects.get(email="referent.prefecture@demo.calpae.fr"), texte="Précisez."
    )
    attente = ImportEnAttente.objects.create(
        user=User.objects.get(email="agent.haut-rhin@demo.calpae.fr"), nom_fichier="x.xlsx", contenu=b"pas un classeur"
    )
    arguments = {
        "commentaire": [exercice.public_id, commentaire.public_id],
        "exercice": [exercice.public_id],
        "fiche": [fiche.public_id],
        "budget": [fiche.public_id, "previsionnel"],
        "section": [exercice.public_id, fiche.public_id],
        "version": [exercice.public_id, 1, "pdf"],
        "import": [attente.public_id],
        "convention": [exercice.convention.public_id],
        "collectivite": [exercice.convention.collectivite.public_id],
        "avenant": [Exercice.objects.get(convention__cle="68-2019-2021", libelle="2021-2022").public_id],
        None: [],
    }
    return {route: reverse(route, args=arguments[objet]) for route, (_, objet) in ROUTES.items()}


@pytest.fixture
def clients():
    referent_bas_rhin = User.objects.create_user(
        email="referent.bas-rhin@prefecture.gouv.fr", password="Un-mot-de-passe-2026", role=Role.REFERENT
    )
    referent_bas_rhin.collectivites.set([Collectivite.objects.get(code_insee="67")])
    comptes = {
        AGENT: User.objects.get(email="agent.haut-rhin@demo.calpae.fr"),
        AGENT_AUTRE: User.objects.get(email="agent.bas-rhin@demo.calpae.fr"),
        REFERENT: User.objects.get(email="referent.prefecture@demo.calpae.fr"),
        REFERENT_AUTRE: referent_bas_rhin,
        ADMINISTRATEUR: User.objects.get(email="admin@demo.calpae.fr"),
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
                if reponse.status_code not in attendu(nature, role, methode):
                    ecarts.append(
                        f"{methode} {route} ({role}) : {reponse.status_code}, attendu {attendu(nature, role, methode)}"
                    )
                if role == ANONYME and nature != PUBLIQUE:
                    assert reponse["Location"].startswith("/comptes/connexion/")
    assert not ecarts, "\n".join(ecarts)
    assert cas == len(ROUTES) * len(ROLES) * 2 == 480


def test_nothing_changed_through_the_matrix(objets, clients):
    """The empty POSTs above changed nothing for those who may not write."""
    fiche = Fiche.objects.get(exercice__convention__cle="68-2019-2021", exercice__libelle="2019", cle="socle-1")
    avant = (fiche.version, fiche.titre)
    for role in (AGENT_AUTRE, REFERENT, REFERENT_AUTRE, ANONYME):
        for route in ("actions:modifier", "budgets:modifier", "indicateurs:saisie", "rapports:transmettre"):
            clients[role].post(objets[route], {"titre": "piraté", "version": fiche.version})
    fiche.refresh_from_db()
    assert (fiche.version, fiche.titre) == avant
    assert Rapport.objects.get(exercice=fiche.exercice).statut == "brouillon"
