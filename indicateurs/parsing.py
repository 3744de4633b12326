"""Reading an indicator value as the documents write it: "ND", "95 %", "29 jours", "4 827", "> à 15"…

Pure Python (no Django): the text is always kept as written; this module says how it can be read, so that values
can be compared and charted. The one place where indicator values are parsed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from core.money import NBSP, format_number_fr

VIDE, NOMBRE, TAUX, DUREE, MONTANT, CODE, TEXTE = "vide", "nombre", "taux", "duree", "montant", "code", "texte"

CODES = {
    "nd": "ND",
    "n.d.": "ND",
    "non disponible": "ND",
    "nc": "NC",
    "n.c.": "NC",
    "non concerné": "NC",
    "non concernée": "NC",
    "/": "/",
}
LIBELLES_CODES = {"ND": "non disponible", "NC": "non concerné", "/": "sans objet (/)"}

# Qualifiers written before a figure, longest first; value = the qualifier as shown.
QUALIFICATIFS = [
    ("supérieur à", ">"),
    ("inférieur à", "<"),
    ("tendre vers", "tendre vers"),
    ("plus de", ">"),
    ("moins de", "<"),
    ("environ", "environ"),
    ("près de", "environ"),
    ("> à", ">"),
    ("< à", "<"),
    (">=", "≥"),
    ("<=", "≤"),
    ("≥", "≥"),
    ("≤", "≤"),
    (">", ">"),
    ("<", "<"),
]

DUREES = {
    "j": "jours",
    "jour": "jours",
    "jours": "jours",
    "semaine": "semaines",
    "semaines": "semaines",
    "mois": "mois",
    "an": "ans",
    "ans": "ans",
    "année": "ans",
    "années": "ans",
}
MULTIPLICATEURS = {"k€": Decimal(1000), "ke": Decimal(1000), "m€": Decimal(1_000_000)}
MOTS_LIAISON = {"et", "ou", "dans", "sur", "de", "du", "des", "à", "a", "en", "pour", "par", "soit", "avec", "au"}

SPACES = " \u00a0\u202f"
# ASCII digits only (str.isdigit() would accept other scripts); thousands grouped by spaces; comma or dot decimals.
NUMBER = re.compile(rf"(?P<num>\d{{1,3}}(?:[{SPACES}]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d/\-.])", re.ASCII)


@dataclass(frozen=True)
class ValeurLue:
    type: str
    nombre: Decimal | None = None
    unite: str = ""
    code: str = ""
    qualificatif: str = ""
    commentaire: str = ""

    @property
    def description(self) -> str:
        """How the value was read, in French: "nombre : 4 827", "taux : 95 %", "non disponible"."""
        if self.type == VIDE:
            return "vide"
        if self.type == CODE:
            suffix = f" – {self.commentaire}" if self.commentaire else ""
            return LIBELLES_CODES[self.code] + suffix
        if self.type == TEXTE:
            return "texte libre"
        chiffre = format_nombre(self.nombre)
        qualificatif = f"{self.qualificatif} " if self.qualificatif else ""
        if self.type == TAUX:
            valeur = f"{chiffre}{NBSP}%"
        elif self.type == MONTANT:
            valeur = f"{format_number_fr(self.nombre)}{NBSP}€"
        elif self.unite:
            valeur = f"{chiffre} {self.unite}"
        else:
            valeur = chiffre
        label = {NOMBRE: "nombre", TAUX: "taux", DUREE: "durée", MONTANT: "montant"}[self.type]
        return f"{label} : {qualificatif}{valeur}"


def format_nombre(nombre: Decimal) -> str:
    """4827 -> "4 827"; 12.5 -> "12,5" (as many decimals as the value has)."""
    nombre = nombre.normalize()
    decimals = max(0, -nombre.as_tuple().exponent)
    return format_number_fr(nombre, decimals)


def _lire_nombre(texte: str) -> Decimal:
    compact = texte
    for space in SPACES:
        compact = compact.replace(space, "")
    return Decimal(compact.replace(",", "."))


# What the database stores (ValeurIndicateur.nombre: 16 digits, 4 after the point): a larger number is kept as text.
NOMBRE_MAX = Decimal("1e12")


def parse_valeur(texte: str | None) -> ValeurLue:
    """Read a cell. Anything that cannot be read safely is free text: nothing is ever lost or guessed; a number too
    large to store (13 digits and more) stays text, so that no page, export or backup meets it."""
    try:
        lue = _parse_valeur(texte)
    except ArithmeticError:  # decimal.InvalidOperation and its kin on a number of hundreds of digits
        return ValeurLue(TEXTE)
    if lue.nombre is not None and abs(lue.nombre) >= NOMBRE_MAX:
        return ValeurLue(TEXTE)
    return lue


def _parse_valeur(texte: str | None) -> ValeurLue:
    brut = (texte or "").strip()
    if not brut:
        return ValeurLue(VIDE)
    # Footnote marks: "ND*", "ND *".
    propre = brut.rstrip("*").strip()
    lower = propre.lower()

    for mot, code in sorted(CODES.items(), key=lambda item: -len(item[0])):
        if lower == mot or (lower.startswith(mot) and len(lower) > len(mot) and lower[len(mot)] in " *(:-–"):
            commentaire = propre[len(mot) :].strip(" *:-–")
            return ValeurLue(CODE, code=code, commentaire=commentaire)

    qualificatif = ""
    reste = propre
    for mot, shown in QUALIFICATIFS:
        if lower.startswith(mot):
            qualificatif = shown
            reste = propre[len(mot) :].strip()
            break

    match = NUMBER.match(reste)
    if not match:
        return ValeurLue(TEXTE)
    nombre = _lire_nombre(match["num"])
    apres = reste[match.end() :].strip()
    apres_lower = apres.lower()

    if apres.startswith("%"):
        return ValeurLue(TAUX, nombre=nombre, unite="%", qualificatif=qualificatif, commentaire=apres[1:].strip())
    for mot, facteur in MULTIPLICATEURS.items():
        if apres_lower.startswith(mot):
            return ValeurLue(
                MONTANT,
                nombre=nombre * facteur,
                unite="€",
                qualificatif=qualificatif,
                commentaire=apres[len(mot) :].strip(),
            )
    if apres.startswith("€") or apres_lower.startswith("euros"):
        longueur = 1 if apres.startswith("€") else 5
        return ValeurLue(
            MONTANT, nombre=nombre, unite="€", qualificatif=qualificatif, commentaire=apres[longueur:].strip()
        )

    mot, _, suite = apres.partition(" ")
    mot_lower = mot.lower().rstrip(".,;")
    if any(c.isdigit() for c in mot):
        return ValeurLue(TEXTE)  # "1e3", "2bis3": not a figure followed by a word
    if mot_lower in DUREES:
        return ValeurLue(
            DUREE, nombre=nombre, unite=DUREES[mot_lower], qualificatif=qualificatif, commentaire=suite.strip()
        )
    if mot and mot.isalpha() and mot_lower not in MOTS_LIAISON and len(mot) <= 30:
        return ValeurLue(NOMBRE, nombre=nombre, unite=mot, qualificatif=qualificatif, commentaire=suite.strip())
    return ValeurLue(NOMBRE, nombre=nombre, qualificatif=qualificatif, commentaire=apres)
