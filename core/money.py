"""Money as Decimal euros with cents: rounding and the French display (no Django import)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NBSP = "\u00a0"  # Django's French locale and the Marianne font both use it (Marianne has no U+202F)


def quantize_cents(value) -> Decimal:
    """Round to the cent, half up, whatever the input (Decimal, int, str, or SQLite's float noise)."""
    if value is None:
        return Decimal("0.00")
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number_fr(value, decimals: int = 2) -> str:
    """`1125000.5` -> `1 125 000,50` (no-break spaces between thousands, comma for decimals)."""
    value = Decimal(value)
    if decimals == 2:
        value = quantize_cents(value)
    else:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    integer, _, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = NBSP.join(groups) or "0"
    if decimals:
        text += "," + (fraction + "0" * decimals)[:decimals]
    return sign + text


def format_euros(value, decimals: int = 2) -> str:
    """`Decimal("1125000")` -> `1 125 000,00 €`; None -> empty string."""
    if value is None or value == "":
        return ""
    return f"{format_number_fr(value, decimals)}{NBSP}€"
