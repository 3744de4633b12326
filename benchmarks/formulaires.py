"""Les formulaires d'une page HTML comme un navigateur les enverrait : ce que l'essai de charge (locustfile.py)
renvoie au serveur, lu dans la page plutôt que reconstruit (tests/benchmarks/test_charge.py le vérifie sur les vrais
formulaires du budget, des indicateurs et de la connexion)."""

import re
from html.parser import HTMLParser


class Formulaires(HTMLParser):
    """Les formulaires POST d'une page, chacun comme un navigateur l'enverrait : [(nom, valeur)] des champs à valeur
    (cases cochées seulement, option choisie ou la première d'une liste, contenu des zones de texte)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.formulaires, self._courant, self._zone, self._liste = [], None, None, None
        self.feed(html)

    def handle_starttag(self, balise, attributs):
        a = dict(attributs)
        if balise == "form" and (a.get("method") or "").lower() == "post":
            self._courant = {"action": a.get("action") or "", "champs": []}
            self.formulaires.append(self._courant)
        if self._courant is None or "disabled" in a:
            return
        champs = self._courant["champs"]
        if balise == "input" and a.get("name"):
            genre = (a.get("type") or "text").lower()
            if genre in {"submit", "button", "image", "file", "reset"}:
                return
            if genre in {"checkbox", "radio"} and "checked" not in a:
                return
            champs.append([a["name"], a.get("value") or ("on" if genre in {"checkbox", "radio"} else "")])
        elif balise == "textarea" and a.get("name"):
            self._zone = [a["name"], ""]
            champs.append(self._zone)
        elif balise == "select" and a.get("name"):
            self._liste = {"nom": a["name"], "premiere": None, "choisie": None}
        elif balise == "option" and self._liste is not None:
            valeur = a.get("value", "")
            if self._liste["premiere"] is None:
                self._liste["premiere"] = valeur
            if "selected" in a:
                self._liste["choisie"] = valeur

    def handle_data(self, texte):
        if self._zone is not None:
            self._zone[1] += texte

    def handle_endtag(self, balise):
        if balise == "textarea" and self._zone is not None:
            self._zone[1] = self._zone[1].removeprefix("\n")  # as a browser does (Django writes one after the tag)
            self._zone = None
        elif balise == "select" and self._liste is not None and self._courant is not None:
            valeur = self._liste["choisie"] if self._liste["choisie"] is not None else self._liste["premiere"]
            self._courant["champs"].append([self._liste["nom"], valeur or ""])
            self._liste = None
        elif balise == "form":
            self._courant = None


def formulaire(html, champ):
    """Les champs du formulaire POST de la page qui a un champ nommé `champ` (expression régulière) ; None sinon."""
    for f in Formulaires(html).formulaires:
        if any(re.fullmatch(champ, nom) for nom, _ in f["champs"]):
            return f["champs"]
    return None
