"""Amounts as people type them: `1 125 000`, `1 125 000,50`, `1125000.50`, `68 129,18 €` (no Django import).

Django's localized DecimalField rejects the narrow no-break space browsers produce and the `€`, and accepts `1e3`
and non-Latin digits: amounts are parsed here instead, with a French message for each mistake.
"""

import re
from decimal import Decimal

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
EXEMPLES = "par exemple 1 125 000 ou 68 129,18 €"
MONTANT = re.compile(
    rf"(?P<entier>\d{{1,3}}(?:[{SPACES}]\d{{3}})+|\d+)(?:[.,](?P<decimales>\d+))?",
    re.ASCII,  # \d: ASCII digits only
)


class MontantInvalide(ValueError):
    """The message is meant for the user, in French."""


def parse_montant(texte: str) -> Decimal:
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
    return Decimal(f"{entier}.{decimales or '0'}").quantize(Decimal("0.01"))
