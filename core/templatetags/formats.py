"""French display of amounts and dates: `{{ montant|euros }}` -> 1 125 000,00 €; `{{ date|date_fr }}` -> 31/03/2020."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.money import format_euros, format_number_fr
from core.texte import markdown_sur
from core.typographie import typographier_html

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)


@register.filter
def date_fr(value):
    return value.strftime("%d/%m/%Y") if value else ""


@register.filter
def markdown(value):
    """`{{ texte|markdown }}`: paragraphs, lists, bold, links; raw HTML escaped (core.texte)."""
    return markdown_sur(value)


@register.filter(is_safe=True)
def typo(value):
    """`{{ texte|markdown|typo }}`, `{{ titre|typo }}`: French typography (core.typographie), escaped if need be."""
    if value is None or value == "":
        return value
    return mark_safe(typographier_html(str(conditional_escape(value))))


@register.filter
def pourcent(value):
    """`Decimal("97.5")` -> `97,5 %`."""
    return "" if value is None else f"{format_number_fr(value, 1)}\u00a0%"


@register.filter
def cle(dictionnaire, valeur):
    """`{{ fils|cle:fiche.pk }}`: a dict's value for a key computed in the template (None when absent)."""
    return dictionnaire.get(valeur)


@register.filter
def euros_signe(value):
    """A difference: `+1 000,00 €`, `−500,00 €` (minus sign), `0,00 €`."""
    if value is None:
        return ""
    if value > 0:
        return f"+{format_euros(value)}"
    if value < 0:
        return f"\u2212{format_euros(-value)}"
    return format_euros(value)


@register.filter
def nombre(value):
    """A whole number the French way: `2208` -> `2 208` (no-break space); "" for None."""
    return "" if value is None else format_number_fr(value, 0)


@register.filter
def duree(secondes):
    """A duration in seconds, in words: `14400` -> `4 heures`, `900` -> `15 minutes`, `5400` -> `1 heure 30 minutes`."""
    if secondes is None:
        return ""
    reste = int(secondes)
    parties = []
    for taille, nom in ((86400, "jour"), (3600, "heure"), (60, "minute"), (1, "seconde")):
        nombre_, reste = divmod(reste, taille)
        if nombre_:
            parties.append(f"{nombre_}\u00a0{nom}{'s' if nombre_ > 1 else ''}")
    return " ".join(parties) or "0\u00a0seconde"
