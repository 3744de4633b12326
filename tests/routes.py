"""Every named route of the application, what it is, and its address on the seed data (the Haut-Rhin's 2019
exercice): shared by the access matrix (tests/test_acces.py) and the hostile-value sweep
(tests/test_valeurs_hostiles.py), so that a new page is declared once and both walk it.
"""

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.models import Fiche
from comptes.models import User
from conventions.models import Exercice
from importation.models import ImportEnAttente
from rapports.models import Commentaire, Rapport, VersionTransmise

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
    REFACTION,
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
    "décision de réfaction",
)
# Every named route of the app and what it is. A route missing here fails `test_every_route_is_in_the_matrix`.
ROUTES = {
    "accueil": (LIBRE, None),
    "pages:suivi": (LIBRE, None),
    "pages:comparaison": (LIBRE, None),
    "pages:pilotage": (LIBRE, None),
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
    "rapports:refaction": (REFACTION, "exercice"),
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

AGENT_68 = "agent.haut-rhin@demo.calpae.fr"
AGENT_67 = "agent.bas-rhin@demo.calpae.fr"
REFERENT_PREFECTURE = "referent.prefecture@demo.calpae.fr"
ADMIN = "admin@demo.calpae.fr"
PILOTAGE_NATIONAL = "national@demo.calpae.fr"
PILOTAGE_GRAND_EST = "region.grand-est@demo.calpae.fr"


def routes_de_l_application(exclues=HORS_MATRICE):
    """The names of the URL configuration's routes (`espace:nom`), sorted, without those starting with `exclues`."""

    def parcourir(motifs, espace=None):
        for motif in motifs:
            if isinstance(motif, URLResolver):
                yield from parcourir(motif.url_patterns, motif.namespace or espace)
            elif isinstance(motif, URLPattern) and motif.name:
                yield f"{espace}:{motif.name}" if espace else motif.name

    return sorted(r for r in set(parcourir(get_resolver().url_patterns)) if not r.startswith(exclues))


def exercice_68_2019():
    return Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")


def urls_des_routes():
    """{route: address} for every route of ROUTES, on the Haut-Rhin's 2019 exercice; creates what the seeds lack
    for some of them (a transmitted version, a comment, a pending import of the Haut-Rhin's agent)."""
    exercice = exercice_68_2019()
    fiche = Fiche.objects.get(exercice=exercice, cle="socle-1")
    rapport = Rapport.objects.get(exercice=exercice)
    VersionTransmise.objects.create(
        rapport=rapport,
        numero=1,
        transmise_par=User.objects.get(email=AGENT_68),
        avant_date_limite=False,
        pdf=ContentFile(b"%PDF-1.7 version 1", name="v1.pdf"),
        pdf_genere_le=timezone.now(),
        classeur=ContentFile(b"PK version 1", name="v1.xlsx"),
    )
    commentaire = Commentaire.objects.create(
        rapport=rapport, auteur=User.objects.get(email=REFERENT_PREFECTURE), texte="Précisez."
    )
    attente = ImportEnAttente.objects.create(
        user=User.objects.get(email=AGENT_68), nom_fichier="x.xlsx", contenu=b"pas un classeur"
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
