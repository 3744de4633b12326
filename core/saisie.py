"""Amounts as people type them: `1 125 000`, `1 125 000,50`, `1125000.50`, `68 129,18 €` (no Django import).

Django's localized DecimalField rejects the narrow no-break space browsers produce and the `€`, and accepts `1e3`
and non-Latin digits: amounts are parsed here instead, with a French message for each mistake.
"""

import re
from decimal import Decimal

from .money import NBSP, format_number_fr

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
EXEMPLES = "par exemple 1 125 000 ou 68 129,18 €"
MONTANT = re.compile(
    rf"(?P<entier>\d{{1,3}}(?:[{SPACES}]\d{{3}})+|\d+)(?:[.,](?P<decimales>\d+))?",
    re.ASCII,  # \d: ASCII digits only
)


# What core.db.MoneyField stores (14 digits, 2 of them cents): beyond, PostgreSQL refuses the row ("numeric field
# overflow") and SQLite keeps a float; with more than 26 digits, rounding to the cent itself fails.
CHIFFRES_MAX = 12
MONTANT_MAX = Decimal("999999999999.99")


class MontantInvalide(ValueError):
    """The message is meant for the user, in French."""


def parse_montant(texte: str, *, chiffres: int = CHIFFRES_MAX) -> Decimal:
    """`texte` as a Decimal with cents; `chiffres`: the most digits before the comma the stored field holds."""
    brut = (texte or "").strip()
    if not brut:
        raise MontantInvalide("Saisissez un montant.")
    sans_euro = re.sub(r"\s*(€|euros?|EUR)$", "", brut, flags=re.IGNORECASE).strip(SPACES)
    if sans_euro.startswith("-"):
        raise MontantInvalide("Un montant ne peut pas être négatif.")
    match = MONTANT.fullmatch(sans_euro)
    if not match:
        raise MontantInvalide(f"« {brut} » n'est pas un montant en euros ({EXEMPLES}).")
    decimales = match["decimales"] or ""
    if len(decimales) > 2:
        raise MontantInvalide(f"« {brut} » a plus de deux décimales : un montant s'arrête aux centimes.")
    entier = match["entier"]
    for space in SPACES:
        entier = entier.replace(space, "")
    if len(entier.lstrip("0")) > chiffres:
        plafond = format_number_fr(Decimal(10**chiffres) - Decimal("0.01")).replace(NBSP, " ")
        raise MontantInvalide(f"« {brut[:30]} » est trop grand : {plafond} au plus.")
    return Decimal(f"{entier}.{decimales or '0'}").quantize(Decimal("0.01"))


CARACTERE_NUL = "Ce texte contient un caractère nul (invisible, souvent venu d'un copier-coller) : retapez-le."


def caractere_nul(*textes: str, maximum: int | None = None) -> str | None:
    """The French message when a text holds a NUL character (PostgreSQL refuses it in any text column), or holds more
    than `maximum` characters; else None.

    Django's form CharField refuses both already; this is for the views that read request.POST themselves."""
    if any("\x00" in (texte or "") for texte in textes):
        return CARACTERE_NUL
    if maximum is not None and (long := max((len(texte or "") for texte in textes), default=0)) > maximum:
        au_plus, saisis = format_number_fr(maximum, 0), format_number_fr(long, 0)
        return f"Ce texte est trop long : {au_plus} caractères au plus ({saisis} saisis)."
    return None
