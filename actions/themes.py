"""The axe of a thème de la contractualisation: its first part, without the number in front ("Enfants et jeunes –
Prévention des sorties sèches de l'ASE" counts under "Enfants et jeunes"). Plain Python."""

import re

SANS_AXE = "Sans thème indiqué"


def axe(theme: str) -> str:
    premier = re.split(r"\s+[–—-]\s+", theme.strip(), maxsplit=1)[0]
    premier = re.sub(r"^\s*\d+\s*[.)]\s*", "", premier).strip()
    return premier or SANS_AXE
