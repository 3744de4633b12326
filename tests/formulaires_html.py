"""The forms and links of a rendered page, read with the standard library's HTML parser: what a browser would send.

`lire_page(html, url)` gives the page's forms (method, where they post: `action`, the buttons' `formaction`,
htmx's `hx-post`; their fields with the values the page filled in) and the addresses the page asks by GET with a
query string (links, `hx-get`), so that a test can send each form as a browser would, then with other values.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

GESTION = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")  # a formset's management form
JETON = "csrfmiddlewaretoken"


@dataclass
class Champ:
    nom: str
    genre: str  # the input's type (text, hidden, checkbox, file…), or textarea, select
    valeurs: list  # what a browser sends as the page stands (none for an unchecked box)
    options: list = field(default_factory=list)

    @property
    def gestion(self) -> bool:
        return self.nom.endswith(GESTION)


@dataclass
class Formulaire:
    page: str  # the address of the page that shows it
    methode: str
    cibles: list  # where it is sent (action, formaction of its buttons, hx-post)
    champs: list

    def donnees(self) -> dict:
        """{name: [values]} as a browser would send it, unchanged."""
        donnees = {}
        for champ in self.champs:
            if champ.genre != "file" and champ.valeurs:
                donnees.setdefault(champ.nom, []).extend(champ.valeurs)
        return donnees

    @property
    def saisissables(self) -> list:
        """The fields a person (or an attacker) fills in: all but the CSRF token and the formsets' counters."""
        return [c for c in self.champs if c.nom != JETON and not c.gestion]


@dataclass
class Page:
    formulaires: list
    requetes: dict  # {path: {parameter names}} asked by GET with a query string from this page


class _Lecteur(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.formulaires, self.requetes = [], {}
        self.formulaire = self.zone_texte = self.liste = None

    def _requete(self, adresse):
        if adresse and "?" in adresse and not adresse.startswith(("http:", "https:", "//", "#", "mailto:")):
            morceaux = urlsplit(urljoin(self.url, adresse))
            noms = {nom for nom, _ in parse_qsl(morceaux.query, keep_blank_values=True)}
            self.requetes.setdefault(morceaux.path, set()).update(noms)

    def handle_starttag(self, balise, attributs):
        a = dict(attributs)
        self._requete(a.get("href") if balise == "a" else None)
        self._requete(a.get("hx-get"))
        if balise == "form":
            cibles = [urljoin(self.url, a.get("action") or self.url)]
            if a.get("hx-post"):
                cibles.append(urljoin(self.url, a["hx-post"]))
            self.formulaire = Formulaire(self.url, (a.get("method") or "get").lower(), cibles, [])
            self.formulaires.append(self.formulaire)
            return
        if self.formulaire is None:
            return
        if balise in ("button", "input") and a.get("formaction"):
            self.formulaire.cibles.append(urljoin(self.url, a["formaction"]))
        if balise == "option" and self.liste is not None:
            valeur = a.get("value", "")
            self.liste.options.append(valeur)
            if "selected" in a:
                self.liste.valeurs.append(valeur)
            return
        nom = a.get("name")
        if not nom or "disabled" in a:
            return
        if balise == "input":
            genre = (a.get("type") or "text").lower()
            if genre in ("submit", "button", "image", "reset"):
                return  # a button's own name and value are sent only when it is the one pressed
            valeur = a.get("value", "on" if genre in ("checkbox", "radio") else "")
            coche = genre not in ("checkbox", "radio") or "checked" in a
            self.formulaire.champs.append(Champ(nom, genre, [valeur] if coche and genre != "file" else []))
        elif balise == "textarea":
            self.zone_texte = Champ(nom, "textarea", [""])
            self.formulaire.champs.append(self.zone_texte)
        elif balise == "select":
            self.liste = Champ(nom, "select-multiple" if "multiple" in a else "select", [])
            self.formulaire.champs.append(self.liste)

    def handle_data(self, texte):
        if self.zone_texte is not None:
            self.zone_texte.valeurs[0] += texte

    def handle_endtag(self, balise):
        if balise == "textarea":
            self.zone_texte = None
        elif balise == "select" and self.liste is not None:
            if not self.liste.valeurs and self.liste.genre == "select" and self.liste.options:
                self.liste.valeurs.append(self.liste.options[0])  # a browser sends the first option
            self.liste = None
        elif balise == "form":
            self.formulaire = None


def lire_page(html: str, url: str) -> Page:
    lecteur = _Lecteur(url)
    lecteur.feed(html)
    lecteur.close()
    for formulaire in lecteur.formulaires:
        formulaire.cibles = list(dict.fromkeys(urlsplit(c).path for c in formulaire.cibles))
    return Page(lecteur.formulaires, lecteur.requetes)
