"""French typography for printed texts: no-break spaces, typographic apostrophes, ordinals in superscript.

`typographier_html` works on HTML (the output of core.texte or of an escaped text): it changes the text between tags
only, never an attribute, and leaves URLs and e-mail addresses as typed. No Django import.
"""

import re

NBSP = "\u00a0"  # inside amounts, "70 %", "31 décembre", after "n°"
NNBSP = "\u202f"  # narrow: before : ; ! ? and inside « »

_BALISE = re.compile(r"(<[^>]*>)")
_INTACT = re.compile(r"(?:https?://|ftp://|www\.|mailto:)[^\s<>]+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_ESPACES = r"[ \u00a0\u202f]"
_MOIS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_UNITES = r"€|%|k€|M€|euros?\b|ETP\b"
_LETTRE = r"[^\W\d_]"
_APOSTROPHE = "(?:'|&#x27;|&#39;)"

_REGLES = [
    # Apostrophes between a letter and what follows (l'État, aujourd'hui, d'1 courrier).
    (re.compile(rf"(?<={_LETTRE}){_APOSTROPHE}(?=[\w«\"]|{_ESPACES}«)"), "\u2019"),
    # Thousands: "11 000" (a group of three digits after a number).
    (re.compile(rf"(?<=\d){_ESPACES}(?=\d{{3}}(?!\d))"), NBSP),
    # A number and its unit: "11 000 €", "70 %".
    (re.compile(rf"(?<=\d){_ESPACES}+(?={_UNITES})"), NBSP),
    # Dates: "31 décembre 2019", "1er janvier".
    (re.compile(rf"(?<=\d)(er)?{_ESPACES}+(?=(?:{_MOIS})\b)", re.IGNORECASE), rf"\1{NBSP}"),
    (re.compile(rf"\b((?:{_MOIS})){_ESPACES}+(?=\d{{4}}\b)", re.IGNORECASE), rf"\1{NBSP}"),
    # "n° 12".
    (re.compile(rf"(\b[nN]°){_ESPACES}*(?=\w)"), rf"\1{NBSP}"),
    # Before : ; ! ? (an existing space becomes narrow and unbreakable).
    (re.compile(rf"(?<=\S){_ESPACES}+(?=[:;!?](?:\s|$|<|&|\)|»))"), NNBSP),
    (re.compile(rf"(?<=\S){_ESPACES}+(?=[;!?]$)"), NNBSP),
    # Inside « ».
    (re.compile(rf"«{_ESPACES}*"), f"«{NNBSP}"),
    (re.compile(rf"{_ESPACES}*»"), f"{NNBSP}»"),
]
_ORDINAL = re.compile(r"\b(1)(er|re|ère|ers|res|ères|eres)\b|\b(\d{1,3})(e|es|ème|èmes|eme|emes)\b")


def _ordinal(trouve) -> str:
    nombre, suffixe = (trouve.group(1), trouve.group(2)) if trouve.group(1) else (trouve.group(3), trouve.group(4))
    return f"{nombre}<sup>{suffixe}</sup>"


def _texte(morceau: str, exposants: bool) -> str:
    for motif, remplacement in _REGLES:
        morceau = motif.sub(remplacement, morceau)
    if exposants:
        morceau = _ORDINAL.sub(_ordinal, morceau)
    return morceau


def typographier_html(html: str) -> str:
    """`html` with French typography in its text (tags, attributes, URLs and e-mail addresses untouched)."""
    if not html:
        return html
    resultat = []
    dans_sup = False
    for morceau in _BALISE.split(html):
        if morceau.startswith("<") and morceau.endswith(">"):
            nom = morceau[1:].split(None, 1)[0].rstrip(">").lower() if len(morceau) > 2 else ""
            dans_sup = {"sup": True, "/sup": False}.get(nom, dans_sup)
            resultat.append(morceau)
            continue
        position = 0
        for intact in _INTACT.finditer(morceau):
            resultat.append(_texte(morceau[position : intact.start()], not dans_sup))
            resultat.append(intact.group())
            position = intact.end()
        resultat.append(_texte(morceau[position:], not dans_sup))
    return "".join(resultat)
