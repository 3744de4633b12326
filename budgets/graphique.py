"""The Etat / collectivité chart of an exercice, drawn server-side as SVG: the same drawing serves the page and the
PDF report (no JavaScript, no image library). Accessible: a title, a description, and the figures stay in a table.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from core.money import format_euros

LARGEUR = 760
MARGE_GAUCHE = 120
MARGE_DROITE = 110
HAUTEUR_BARRE = 12
ECART = 4
PAS = 2 * HAUTEUR_BARRE + ECART + 12
HAUT = 36


@dataclass
class Barre:
    y: float
    largeur: float
    montant: Decimal
    libelle: str

    @property
    def y_texte(self):
        return self.y + 10


@dataclass
class RangeeGraphique:
    libelle: str
    titre: str
    y: float
    etat: Barre
    collectivite: Barre
    parite: bool


def _arrondi_superieur(valeur: Decimal) -> Decimal:
    """A round maximum for the axis (1, 2, 2.5 or 5 times a power of ten)."""
    if valeur <= 0:
        return Decimal(1)
    puissance = Decimal(10) ** (len(str(int(valeur))) - 1)
    for facteur in (1, Decimal("1.2"), Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, 6, 8, 10):
        if valeur <= facteur * puissance:
            return facteur * puissance
    return 10 * puissance


def graphique_parite(lignes, titre="Part de l'État et part de la collectivité par fiche", ident="graphique-parite"):
    """`lignes`: (libellé court, titre, part Etat, part collectivité) for each fiche, in order. Returns SVG markup."""
    lignes = list(lignes)
    maximum = _arrondi_superieur(max((max(e, c) for _, _, e, c in lignes), default=Decimal(0)))
    # Room for the longest label (about 7 units a bold character), within limits.
    gauche = min(max(MARGE_GAUCHE, 7 * max((len(ligne[0]) for ligne in lignes), default=0) + 12), 240)
    utile = LARGEUR - gauche - MARGE_DROITE

    def largeur(montant):
        return round(float(Decimal(utile) * montant / maximum), 1) if maximum else 0

    dessin = []
    for rang, (libelle, titre_fiche, etat, collectivite) in enumerate(lignes):
        y = HAUT + rang * PAS
        dessin.append(
            RangeeGraphique(
                libelle=libelle,
                titre=titre_fiche,
                y=y + HAUTEUR_BARRE + ECART / 2 + 4,
                etat=Barre(y, largeur(etat), etat, format_euros(etat)),
                collectivite=Barre(
                    y + HAUTEUR_BARRE + ECART, largeur(collectivite), collectivite, format_euros(collectivite)
                ),
                parite=collectivite >= etat,
            )
        )
    graduations = [{"x": gauche + utile * i / 4, "libelle": format_euros(maximum * i / 4, 0)} for i in range(5)]
    hauteur = HAUT + max(len(lignes), 1) * PAS + 24
    return render_to_string(
        "budgets/graphique_parite.svg",
        {
            "ident": ident,
            "titre": titre,
            "lignes": dessin,
            "largeur": LARGEUR,
            "hauteur": hauteur,
            "gauche": gauche,
            "graduations": graduations,
            "bas": hauteur - 20,
            "hauteur_barre": HAUTEUR_BARRE,
            "description": "; ".join(
                f"{d.libelle} : État {d.etat.libelle}, collectivité {d.collectivite.libelle}" for d in dessin
            ),
        },
    )
