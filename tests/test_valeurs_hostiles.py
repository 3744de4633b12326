"""No input breaks a page (issue 14): the hostile-value sweep.

Every form of the URL configuration is found where a user who may send it sees it (the pages of tests/routes.py,
read with tests/formulaires_html.py), then sent with a table of hostile values: in every field at once, in each field
in turn, with unknown and missing fields, absurd formset counters and files that are not workbooks. Every page's
query-string parameters get the same values. Asserted for each request:

- never a 500 (the test client does not re-raise: a view's exception is a 500 answer, counted);
- a refusal (4xx, the form shown again with its errors, or an error message) saved nothing: no INSERT, UPDATE or
  DELETE reached the database, or if one did, every table's rows are the same as before;
- an accepted value is shown: the page the form leads to, then every page, document and export of the exercice.

Each request runs in a savepoint rolled back after it, so each starts from the seed data and a save does not turn
the next one into a version conflict.

The sweep samples, to stay within a minute: every value in every field at once, then a fixed share of (field, value)
pairs, turning so that each value lands somewhere. `CALPAE_BALAYAGE_COMPLET=1` sends every pair (several minutes).
"""

import datetime
import hashlib
import io
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from actions.models import Fiche
from budgets.enums import NatureBudget
from comptes.models import User
from core.db import TEXTE_LONG
from exemples.chargement import MOT_DE_PASSE_DEMO
from importation import contrat
from rapports.enums import StatutRapport
from rapports.models import Rapport, SectionRapport
from tests.formulaires_html import JETON, Formulaire, lire_page
from tests.routes import (
    AGENT_68,
    LECTURE,
    LIBRE,
    PUBLIQUE,
    REFERENT_PREFECTURE,
    ROUTES,
    exercice_68_2019,
    urls_des_routes,
)

pytestmark = pytest.mark.django_db

VALEURS = {
    "1e400": "1e400",
    "-1e400": "-1e400",
    "10^30": str(10**30),
    "1e-9": "0.000000001",
    "13 chiffres": "1111111111111",
    "501 chiffres": "9" * 501,
    "négatif": "-1",
    "NaN": "NaN",
    "infini": "Infinity",
    "10^6 caractères": "a" * 10**6,
    "NUL": "\x00",
    "NUL dans un texte": "avant\x00après",
    "échappement": "\x1b[31mrouge",
    "U+202E": "\u202egnp.exe",
    "caractères de contrôle": "".join(map(chr, range(1, 32))),
    "texte": "abc",
    "0001-01-01": "0001-01-01",
    "99999-12-31": "99999-12-31",
    "01/01/0001": "01/01/0001",
    "31/12/99999": "31/12/99999",
    "vide": "",
    "espaces": "   ",
    "chiffres arabes": "١٢٣",
    "UUID nul": "00000000-0000-0000-0000-000000000000",
    "balise": "<script>alert(1)</script>",
    "formule": "=1+1",
}
COMPLET = os.environ.get("CALPAE_BALAYAGE_COMPLET") == "1"
# A form of more fields than this (budgets, conventions, fiches: their formsets) costs more per request: fewer sent.
CHAMPS_LOURD = 30
PARTOUT_LEGER = [
    "1e400",
    "10^30",
    "1e-9",
    "13 chiffres",
    "10^6 caractères",
    "NUL dans un texte",
    "U+202E",
    "caractères de contrôle",
    "texte",
    "0001-01-01",
    "31/12/99999",
    "vide",
    "chiffres arabes",
    "UUID nul",
]
PARTOUT_LOURD = ["10^30", "10^6 caractères", "NUL dans un texte", "31/12/99999"]  # 13 digits: light forms, amount tests
PAIRES = {False: 10, True: 4}  # (field, value) pairs sent one at a time, for a light and a heavy form
PAR_GENRE = 2  # the admin's forms: fields of each kind (text, number, select, checkbox…) given a value alone
SUIVIS_MAX = 3  # accepted posts of a form whose next page is read (the others are rolled back unread)
COMPTEURS_ABSURDES = ["100000", str(10**30), "abc", "-1", "1e400", "\x00"]  # a formset's management form
# The query-string parameters the views read (request.GET), besides those the pages' own links and forms carry.
PARAMETRES = {
    "rapports:pdf": ["empreinte", "attente"],
    "rapports:version": ["attente"],
    "rapports:ecarts": ["de", "a"],
    "indicateurs:lecture": ["v"],
    "budgets:nouvelle_ligne": ["lignes-TOTAL_FORMS"],
    "pages:historique": ["page"],
    "pages:suivi": ["page", "export", "collectivite", "etat", "en_retard"],
    "pages:fiches": ["export", "recherche", "groupe", "theme", "alertes", "incomplete"],
    "pages:comparaison": ["export", "exercices"],
}
GENERIQUES = ["q", "page", "v"]  # asked of every HTML page too
# Every route that takes a POST, and the sign-in's: each must be reached through a form a page shows.
ROUTES_POST = {route for route, (nature, _) in ROUTES.items() if nature not in (LIBRE, LECTURE, PUBLIQUE)} - {
    "budgets:nouvelle_ligne"  # htmx GET
} | {
    "comptes:connexion",
    "comptes:deconnexion",
    "comptes:mot_de_passe_modifier",
    "comptes:mot_de_passe_oublie",
    "comptes:mot_de_passe_nouveau",
}
ERREUR_AFFICHEE = re.compile(r'class="[^"]*(?:--error\b|fr-error-text|errornote|errorlist)')  # DSFR, the admin
ECRITURE_SQL = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Written on purpose whatever the answer: the session (last activity, messages) and django-axes' record of sign-ins.
TABLES_JOURNAL = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bombe() -> bytes:
    """A workbook-looking zip of 50 KB that inflates to 50 MB."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    return tampon.getvalue()


FICHIERS = {
    "texte nommé .xlsx": ("budget.xlsx", b"ceci n'est pas un classeur"),
    "bombe zip": ("convention.xlsx", None),
    "fichier vide": ("vide.xlsx", b""),
    "nom avec NUL": ("a\x00b.xlsx", b"PK\x03\x04"),
    "nom de 1000 caractères": ("a" * 1000 + ".xlsx", b"PK\x03\x04"),
}


def empreinte_base() -> dict:
    """Row count and a hash of every row of every table (the journal tables aside)."""
    resultat = {}
    for modele in apps.get_models():
        if modele._meta.db_table in TABLES_JOURNAL or not modele._meta.managed:
            continue
        lignes = list(modele._base_manager.order_by("pk").values_list())
        resultat[modele._meta.label] = (len(lignes), hashlib.sha256(repr(lignes).encode()).hexdigest())
    return resultat


@contextmanager
def ecritures_sql():
    """The tables written to (INSERT, UPDATE, DELETE) inside the block, the journal tables aside."""
    tables = set()

    def noter(execute, sql, params, many, context):
        if (trouve := ECRITURE_SQL.match(sql)) and trouve[1] not in TABLES_JOURNAL:
            tables.add(trouve[1])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noter):
        yield tables


def _nom_type(nom: str) -> str:
    """`parts-0-montant` and `parts-3-montant`, `t_12_40_0` and `t_13_41_2`: the same field of another row."""
    return re.sub(r"\d+", "#", nom)


@dataclass
class Balayage:
    """Sends requests and keeps what went wrong (`incidents`)."""

    incidents: list = field(default_factory=list)
    envois: int = 0
    acceptes: list = field(default_factory=list)  # descriptions of the hostile posts a form accepted

    def _incident(self, texte):
        if len(self.incidents) < 100:
            self.incidents.append(texte[:400])

    def get(self, client, url, donnees=None, quoi=""):
        self.envois += 1
        try:
            reponse = client.get(url, donnees or {})
        except Exception as erreur:  # noqa: BLE001 - anything raised is a finding, listed with the others
            self._incident(f"GET {url} {quoi} : exception {erreur!r}")
            return None
        if reponse.status_code >= 500:
            self._incident(f"GET {url} {quoi} : {reponse.status_code}")
        return reponse

    def post(self, client, url, donnees, quoi, *, suite=None):
        """POST in a savepoint rolled back afterwards. `suite(client, answer)`: what a user does next with an accepted
        answer shown as a page (the import's preview: confirm it, then read what it wrote), in the same savepoint."""
        self.envois += 1
        apres = None
        client.cookies.pop("messages", None)  # the messages of the last request, never shown, are not this one's
        try:
            with ecritures_sql() as ecrites, transaction.atomic():
                reponse = client.post(url, donnees)
                if self._refus(client, url, reponse, quoi):
                    apres = (empreinte_base(), sorted(ecrites), reponse.status_code) if ecrites else None
                elif suite is not None and reponse.status_code == 200:
                    suite(client, reponse, quoi)
                transaction.set_rollback(True)
        except Exception as erreur:  # noqa: BLE001
            self._incident(f"POST {url} {quoi} : exception {erreur!r}")
        if apres is not None and apres[0] != empreinte_base():  # the rollback brought back the state before
            self._incident(f"POST {url} {quoi} : refusé ({apres[2]}) mais écrit dans {apres[1]}")

    def _refus(self, client, url, reponse, quoi) -> bool:
        statut = reponse.status_code
        if statut >= 500:
            self._incident(f"POST {url} {quoi} : {statut}")
            return False
        contenu = reponse.content.decode(errors="replace") if statut == 200 else ""
        messages = [m for m in get_messages(reponse.wsgi_request) if m.level >= ERROR]
        if statut >= 400 or ERREUR_AFFICHEE.search(contenu) or messages:
            return True
        if "tel qu'affiché" not in quoi:
            self.acceptes.append(f"{resolve(url).view_name} {quoi}")
        suivre = COMPLET or sum(a.startswith(resolve(url).view_name) for a in self.acceptes) <= SUIVIS_MAX
        if statut == 302 and suivre and reponse["Location"].startswith("/"):  # accepted: the next page shows it
            suite = client.get(reponse["Location"])
            if suite.status_code >= 500:
                self._incident(f"GET {reponse['Location']} après POST {url} {quoi} : {suite.status_code}")
        return False


def _fichier(libelle):
    nom, contenu = FICHIERS[libelle]
    return SimpleUploadedFile(nom, _bombe() if contenu is None else contenu, content_type=XLSX)


def envois_du_formulaire(formulaire: Formulaire, *, par_genre=False):
    """(description, data, files) to send: unchanged, each value everywhere, (field, value) pairs, absurd counters,
    unknown and missing fields, files that are not workbooks. `par_genre` (the admin's forms, Django's own widgets
    on the models' fields): the heavy forms' set everywhere, and pairs for the first fields of each kind only."""
    base = formulaire.donnees()
    champs = formulaire.saisissables
    lourd = (par_genre or len(champs) > CHAMPS_LOURD) and not COMPLET
    yield "tel qu'affiché", base, {}
    for libelle in VALEURS if COMPLET else PARTOUT_LOURD if lourd else PARTOUT_LEGER:
        yield f"« {libelle} » partout", base | {c.nom: [VALEURS[libelle]] for c in champs}, {}
    representants = list({_nom_type(c.nom): c for c in champs}.values())
    if par_genre and not COMPLET:
        genres = {}
        for champ in representants:
            genres.setdefault(champ.genre, []).append(champ)
        representants = [champ for meme_genre in genres.values() for champ in meme_genre[:PAR_GENRE]]
    libelles = list(VALEURS)
    # Round after round, each field gets the next value: the first round gives every field a different one.
    paires = [
        (c, libelles[(i + tour) % len(libelles)]) for tour in range(len(libelles)) for i, c in enumerate(representants)
    ]
    if not COMPLET:
        paires = paires[: max(PAIRES[lourd], len(representants))]
    for champ, libelle in paires:
        yield f"« {libelle} » dans {champ.nom}", base | {champ.nom: [VALEURS[libelle]]}, {}
    compteurs = [c for c in formulaire.champs if c.nom.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))]
    for champ in compteurs:
        for compteur in COMPTEURS_ABSURDES if COMPLET else COMPTEURS_ABSURDES[:1] if lourd else COMPTEURS_ABSURDES[:2]:
            yield f"{champ.nom} = {compteur[:20]!r}", base | {champ.nom: [compteur]}, {}
    yield "champ inconnu", base | {"champ_inconnu\x00": ["x" * 1000], "id": ["1e400"]}, {}
    yield "champs absents", {n: v for n, v in base.items() if n == JETON or n.endswith("_FORMS")}, {}
    for champ in champs:
        if champ.genre == "file":
            for libelle in FICHIERS:
                yield f"{libelle} dans {champ.nom}", base, {champ.nom: libelle}


def balayer(balayage, client, formulaire, cible, *, partout_seulement=False, par_genre=False):
    """`partout_seulement`: the form's other target (htmx's live preview of the same fields), each value everywhere."""
    for quoi, donnees, fichiers in envois_du_formulaire(formulaire, par_genre=par_genre):
        if partout_seulement and "partout" not in quoi:
            continue
        balayage.post(client, cible, donnees | {nom: _fichier(libelle) for nom, libelle in fichiers.items()}, quoi)


def _client(email=None):
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def formulaires_de(client, url, balayage=None):
    """[(form, target)] of the POST forms the page shows (the sign-out form of every page's header, and of the
    admin's, aside)."""
    reponse = (balayage or Balayage()).get(client, url, quoi="(lecture des formulaires)")
    assert reponse is not None and reponse.status_code == 200, f"{url} : {getattr(reponse, 'status_code', None)}"
    resultat, vus = [], set()
    for formulaire in lire_page(reponse.content.decode(), url).formulaires:
        for cible in formulaire.cibles if formulaire.methode == "post" else []:
            cle = (cible, tuple(sorted({_nom_type(c.nom) for c in formulaire.champs})))
            deconnexion = cible in (reverse("comptes:deconnexion"), reverse("admin:logout"))
            if cle not in vus and (not deconnexion or "mon-compte" in url):
                vus.add(cle)
                resultat.append((formulaire, cible))
    return resultat


# The pages whose forms are swept, and who sees them. Each sets up what the page needs and returns (client, url).
def _agent(route):
    def page(urls):
        return _client(AGENT_68), urls[route] if route in urls else reverse(route)

    return page


def _budget(nature):
    def page(urls):
        fiche = resolve(urls["budgets:modifier"]).kwargs["public_id"]
        return _client(AGENT_68), reverse("budgets:modifier", args=[fiche, nature])

    return page


def _apercu_import(urls):
    """The preview of an imported workbook (the exercice's own export) shows the confirmation form."""
    client = _client(AGENT_68)
    classeur = client.get(urls["importation:export"]).content
    reponse = client.post(reverse("importation:importer"), {"fichier": SimpleUploadedFile("export.xlsx", classeur)})
    assert reponse.status_code == 200
    return client, reverse("importation:importer"), reponse


def _nouveau_mot_de_passe(urls):
    agent = User.objects.get(email=AGENT_68)
    lien = reverse(
        "comptes:mot_de_passe_nouveau",
        args=[urlsafe_base64_encode(force_bytes(agent.pk)), default_token_generator.make_token(agent)],
    )
    client = _client()
    reponse = client.get(lien, follow=True)  # the token goes into the session; the form is at the next address
    return client, reponse.redirect_chain[-1][0]


def _revue(urls):
    """The référent's side: the report transmitted (send back, accept), its threads (answer, resolve)."""
    Rapport.objects.filter(exercice=exercice_68_2019()).update(statut=StatutRapport.TRANSMIS)
    return _client(REFERENT_PREFECTURE), urls["rapports:rapport"]


PAGES = {
    **{route: _agent(route) for route, (nature, _) in ROUTES.items() if nature not in (LIBRE, LECTURE, PUBLIQUE)},
    "rapports:rapport": _agent("rapports:rapport"),
    "comptes:compte": _agent("comptes:compte"),
    "comptes:mot_de_passe_modifier": _agent("comptes:mot_de_passe_modifier"),
    **{f"budgets:modifier {nature}": _budget(nature) for nature in NatureBudget.values if nature != "previsionnel"},
    "importation:apercu": _apercu_import,
    "comptes:connexion": lambda urls: (_client(), reverse("comptes:connexion")),
    "comptes:mot_de_passe_oublie": lambda urls: (_client(), reverse("comptes:mot_de_passe_oublie")),
    "comptes:mot_de_passe_nouveau": _nouveau_mot_de_passe,
    "revue du référent": _revue,
}
# Routes that take only a POST (their forms are on other pages), and the htmx line (a GET, swept below).
for _route in ("rapports:transmettre", "rapports:renvoyer", "rapports:accepter", "rapports:commenter"):
    PAGES.pop(_route)
for _route in (
    "rapports:resoudre",
    "rapports:refaction",
    "importation:confirmer",
    "budgets:apercu",
    "budgets:nouvelle_ligne",
):
    PAGES.pop(_route)


def _ouvrir(nom, urls):
    ouvert = PAGES[nom](urls)
    if len(ouvert) == 3:  # the page is the answer to a POST
        client, url, reponse = ouvert
        formulaires = [(f, c) for f in lire_page(reponse.content.decode(), url).formulaires for c in f.cibles]
        return client, [(f, c) for f, c in formulaires if f.methode == "post" and "confirmer" in c]
    client, url = ouvert
    return client, formulaires_de(client, url)


def test_every_post_route_has_a_form_on_the_swept_pages():
    urls = urls_des_routes()
    atteintes = set()
    for nom in PAGES:
        _client_, formulaires = _ouvrir(nom, urls)
        atteintes |= {resolve(cible).view_name for _, cible in formulaires}
    assert ROUTES_POST <= atteintes, f"formulaires jamais montrés : {sorted(ROUTES_POST - atteintes)}"


@pytest.mark.parametrize("nom", PAGES)
def test_hostile_values_in_the_forms_of(nom, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no PDF laid out
    settings.AXES_ENABLED = False  # a hundred wrong passwords are the sweep here, not an attack to stop
    urls = urls_des_routes()
    client, formulaires = _ouvrir(nom, urls)
    assert formulaires, f"aucun formulaire sur {nom}"
    balayage, vus = Balayage(), set()
    for formulaire, cible in formulaires:
        if "mot-de-passe" in cible:  # the current password right, so the new one's checks are reached
            for champ in formulaire.champs:
                champ.valeurs = [MOT_DE_PASSE_DEMO] if champ.nom == "old_password" else champ.valeurs
        balayer(balayage, client, formulaire, cible, partout_seulement=id(formulaire) in vus)
        vus.add(id(formulaire))
    assert not balayage.incidents, f"{len(balayage.incidents)} incidents :\n" + "\n".join(balayage.incidents)


def test_hostile_values_in_query_strings(settings):
    """Every page's query-string parameters (those the views read, those its links and filters carry, and `q`,
    `page`, `v`) with the hostile values: never a 500."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    urls = urls_des_routes()
    balayage = Balayage()
    agent, referent = _client(AGENT_68), _client(REFERENT_PREFECTURE)
    for route, url in urls.items():
        if ROUTES[route][0] not in (LIBRE, LECTURE, PUBLIQUE) and route not in PARAMETRES:
            continue  # forms (swept above) and POST-only actions
        client = referent if route in ("pages:suivi", "pages:comparaison") else agent
        parametres = set(PARAMETRES.get(route, ()))
        reponse = balayage.get(client, url)
        if reponse is not None and "html" in reponse.get("Content-Type", "") and route != "indicateurs:lecture":
            page = lire_page(reponse.content.decode(), url)
            parametres |= set(GENERIQUES) | page.requetes.get(url, set())
            parametres |= {c.nom for f in page.formulaires if f.methode == "get" for c in f.champs}
        if not parametres:
            continue
        # The parameters the views read get the light forms' set (each kind of value once: numbers, texts, dates,
        # controls), the others the heavy set; every value with CALPAE_BALAYAGE_COMPLET=1.
        choisis = PARTOUT_LEGER if route in PARAMETRES else PARTOUT_LOURD
        valeurs = VALEURS if COMPLET else {k: VALEURS[k] for k in choisis}
        for libelle, valeur in valeurs.items():
            balayage.get(client, url, {p: valeur for p in parametres}, quoi=f"« {libelle} » partout")
        for p in sorted(parametres):  # each alone, the others absent
            for libelle in ("10^30", "NUL", "13 chiffres"):
                balayage.get(client, url, {p: VALEURS[libelle]}, quoi=f"« {libelle} » dans {p}")
    assert not balayage.incidents, f"{len(balayage.incidents)} incidents :\n" + "\n".join(balayage.incidents)


def _pages_admin(modele, superutilisateur):
    """The admin's pages of a model that show a form: its list (the actions' form), its add page, the change page
    of its first object; a user's password page."""
    noms = f"admin:{modele._meta.app_label}_{modele._meta.model_name}"
    requete = RequestFactory().get("/")
    requete.user = superutilisateur
    pages = [reverse(f"{noms}_changelist")]
    if admin.site._registry[modele].has_add_permission(requete):
        pages.append(reverse(f"{noms}_add"))
    if (premier := modele._default_manager.order_by("pk").first()) is not None:
        pages.append(reverse(f"{noms}_change", args=[premier.pk]))
        if modele is User:
            pages.append(reverse("admin:auth_user_password_change", args=[premier.pk]))
    return pages


@pytest.mark.parametrize("modele", [m._meta.label for m in admin.site._registry], ids=str)
@pytest.mark.filterwarnings(  # django-dsfr's URL field, a Django 6.0 change announced: not this project's to change
    "ignore:The default scheme will be changed:django.utils.deprecation.RemovedInDjango60Warning"
)
def test_hostile_values_in_the_admin_forms_of(modele, settings, admin_user):
    """The administrators' forms (Django's admin, on every registered model): each form of its pages, sampled by
    kind of field; never a 500, nothing saved on a refusal."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    balayage = Balayage()
    for page in _pages_admin(apps.get_model(modele), admin_user):
        for formulaire, cible in formulaires_de(client, page, balayage):
            balayer(balayage, client, formulaire, cible, par_genre=True)
    assert balayage.envois > 1, modele
    assert not balayage.incidents, f"{len(balayage.incidents)} incidents :\n" + "\n".join(balayage.incidents)


# The cells of an imported workbook hold what openpyxl writes from Python values...
CELLULES_PYTHON = {
    **{f"« {libelle} »": valeur for libelle, valeur in VALEURS.items() if not ILLEGAL_CHARACTERS_RE.search(valeur)},
    "nombre 10^30": 10**30,
    "nombre 1e308": 1e308,
    "nombre -1": -1,
    "nombre 1e-9": 1e-9,
    "nombre 0,005": 0.005,
    "vrai": True,
    "date 01/01/0001": datetime.datetime(1, 1, 1),
    "date 31/12/9999": datetime.datetime(9999, 12, 31, 23, 59),
    "heure": datetime.time(12, 30),
    "durée négative": datetime.timedelta(days=-3),
}
# ... and what a file made by another program may hold: (the cell's type, its XML). Under a date cell's style, a
# number is a day count.
CELLULES_XML = {
    "nombre 1e400": ("n", "<v>1e400</v>"),
    "nombre NaN": ("n", "<v>NaN</v>"),
    "nombre illisible": ("n", "<v>abc</v>"),
    "nombre de 501 chiffres": ("n", "<v>" + "9" * 501 + "</v>"),
    "jour 10^11": ("n", "<v>99999999999</v>"),
    "jour négatif": ("n", "<v>-1000000</v>"),
    "date ISO impossible": ("d", "<v>99999-12-31</v>"),
    "date ISO illisible": ("d", "<v>hier</v>"),
    "erreur #DIV/0!": ("e", "<v>#DIV/0!</v>"),
    "booléen 2": ("b", "<v>2</v>"),
    "chaîne partagée absente": ("s", "<v>999999</v>"),
    "chaîne partagée illisible": ("s", "<v>abc</v>"),
    "texte de 10^6 caractères": ("inlineStr", "<is><t>" + "a" * 10**6 + "</t></is>"),
    "caractère de contrôle": ("inlineStr", "<is><t>a&#1;b</t></is>"),
    "caractère nul échappé": ("inlineStr", "<is><t>a_x0000_b</t></is>"),
    "formule sans valeur": ("str", "<f>1+1</f>"),
    "type inconnu": ("z", "<v>1</v>"),
}
CELLULES = {**CELLULES_PYTHON, **{libelle: ("xml", xml) for libelle, xml in CELLULES_XML.items()}}
MARQUE_XML = 424242.5  # a cell's value while the workbook is saved, then replaced by its XML


def _cellules_du_modele(classeur):
    """Every value cell of the template: the « Convention » sheet's column B, the header and first fiche of
    « Fiches »."""
    fiches = classeur[contrat.FEUILLE_FICHES]
    lettres = [cellule.column_letter for cellule in fiches[1]]
    return (
        [(contrat.FEUILLE_CONVENTION, f"B{rang}") for rang in range(1, len(contrat.LIGNES_CONVENTION) + 1)]
        + [(contrat.FEUILLE_FICHES, f"{lettre}2") for lettre in lettres]
        + [(contrat.FEUILLE_FICHES, f"{lettre}1") for lettre in lettres]
    )


def _classeur_modifie(base: bytes, valeurs: dict) -> bytes:
    """The workbook `base` with {(sheet, cell): a value of CELLULES} written in."""
    classeur = load_workbook(io.BytesIO(base))
    xml = {}
    for (feuille, ref), valeur in valeurs.items():
        if isinstance(valeur, tuple):
            xml[classeur.sheetnames.index(feuille) + 1, ref] = valeur[1]
            valeur = MARQUE_XML
        classeur[feuille][ref].value = valeur
    tampon = io.BytesIO()
    classeur.save(tampon)
    if not xml:
        return tampon.getvalue()
    sortie = io.BytesIO()
    with zipfile.ZipFile(tampon) as lu, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as ecrit:
        for entree in lu.infolist():
            contenu = lu.read(entree)
            for (rang, ref), (type_, interieur) in xml.items():
                if entree.filename == f"xl/worksheets/sheet{rang}.xml":
                    motif = re.compile(rf'<c r="{ref}"([^>]*)><v>{MARQUE_XML}</v></c>'.encode())

                    def cellule(trouve, type_=type_, interieur=interieur, ref=ref):
                        attributs = re.sub(rb' t="\w+"', b"", trouve[1])
                        return f'<c r="{ref}"'.encode() + attributs + f' t="{type_}">{interieur}</c>'.encode()

                    contenu, remplacees = motif.subn(cellule, contenu)
                    assert remplacees == 1, (entree.filename, ref)
            ecrit.writestr(entree, contenu)
    return sortie.getvalue()


def _envois_du_classeur(cellules):
    """(description, {cell: value}): a few values in every cell at once, then (cell, value) pairs turning so that
    each value lands in a cell of every kind (texts, amounts, dates, headers); every pair with
    CALPAE_BALAYAGE_COMPLET=1."""
    libelles = list(CELLULES)
    partout = libelles if COMPLET else ["« 10^30 »", "« 1e400 »", "date 01/01/0001", "jour 10^11", "nombre 1e400"]
    partout += [] if COMPLET else ["chaîne partagée absente", "caractère nul échappé", "« U+202E »", "« formule »"]
    for libelle in partout:
        yield f"{libelle} partout", {cellule: CELLULES[libelle] for cellule in cellules}
    paires = [
        (c, libelles[(i + tour) % len(libelles)]) for tour in range(len(libelles)) for i, c in enumerate(cellules)
    ]
    for cellule, libelle in paires if COMPLET else paires[: 2 * max(len(libelles), len(cellules))]:
        yield f"{libelle} en {cellule[0]}!{cellule[1]}", {cellule: CELLULES[libelle]}


def _confirmer_puis_lire(balayage, lu):
    """After an accepted preview: confirm it, then read every page, document and export of the exercice it wrote and
    of its fiches. `lu`: filled with the exercice's public id."""

    def suite(client, apercu, quoi):
        (cible,) = {
            c for f in lire_page(apercu.content.decode(), "/").formulaires for c in f.cibles if "confirmer" in c
        }
        reponse = client.post(cible, {})
        if reponse.status_code != 302:
            balayage._incident(f"POST {cible} après {quoi} : {reponse.status_code}")
            return
        lu["exercice"] = exercice = resolve(reponse["Location"]).kwargs["public_id"]
        lectures = [reverse(r, args=[exercice]) for r, (n, o) in ROUTES.items() if o == "exercice" and n == LECTURE]
        for fiche in Fiche.objects.filter(exercice__public_id=exercice).values_list("public_id", flat=True):
            lectures += [reverse("pages:fiche", args=[fiche]), reverse("pages:historique", args=[fiche])]
        for url in lectures:
            balayage.get(client, url, quoi=f"après l'import de {quoi}")

    return suite


def test_hostile_values_in_the_cells_of_an_imported_workbook(settings):
    """The exercice's export, each cell of it given the values above (as openpyxl writes them, and as XML openpyxl
    would not write), imported: never a 500, nothing written on a refusal. Then every value accepted alone, all at
    once in one workbook: accepted, confirmed, and every page, document and export of the exercice shows it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    urls = urls_des_routes()
    agent = _client(AGENT_68)
    base = agent.get(urls["importation:export"]).content
    cellules = _cellules_du_modele(load_workbook(io.BytesIO(base), read_only=True))
    balayage, acceptees = Balayage(), {}

    def importer(valeurs, quoi, suite=None):
        fichier = SimpleUploadedFile("classeur.xlsx", _classeur_modifie(base, valeurs), content_type=XLSX)
        balayage.post(agent, reverse("importation:importer"), {"fichier": fichier}, quoi, suite=suite)

    for quoi, valeurs in _envois_du_classeur(cellules):
        avant = len(balayage.acceptes)
        importer(valeurs, quoi)
        if len(balayage.acceptes) > avant and len(valeurs) == 1:
            acceptees |= valeurs
    lu = {}
    importer(acceptees, "chaque valeur acceptée seule, toutes à la fois", _confirmer_puis_lire(balayage, lu))
    assert not balayage.incidents, f"{len(balayage.incidents)} incidents :\n" + "\n".join(balayage.incidents)
    assert len(acceptees) >= 10 and lu, (sorted(acceptees), balayage.acceptes[-1:])


def test_hostile_values_saved_are_shown_everywhere(settings, admin_client):
    """Values the forms accept, saved in every indicator cell and the report's texts, then every page, document and
    export of the exercice, and the admin's pages of a value: none answers 500."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    urls = urls_des_routes()
    agent = _client(AGENT_68)
    for route in ("indicateurs:saisie", "rapports:avant_propos"):
        formulaire, cible = next((f, c) for f, c in formulaires_de(agent, urls[route]) if c == urls[route])
        textes = [c for c in formulaire.saisissables if c.genre in ("text", "textarea") and not c.nom.startswith("o_")]
        valeurs = ["1111111111111", "9" * 400, "\u202egnp.exe \x1b[31m", "=1+1 <script>", "1e400", "-0,000000001"]
        donnees = formulaire.donnees() | {c.nom: [valeurs[i % len(valeurs)]] for i, c in enumerate(textes)}
        reponse = agent.post(cible, donnees)
        assert reponse.status_code == 302, (route, reponse.status_code)
    from indicateurs.models import ValeurIndicateur

    valeur = ValeurIndicateur.objects.filter(texte="1111111111111").first()
    assert valeur is not None
    lectures = [url for route, url in urls.items() if ROUTES[route][0] in (LIBRE, LECTURE, PUBLIQUE)]
    lectures += [
        reverse("admin:indicateurs_valeurindicateur_change", args=[valeur.pk]),
        reverse("admin:indicateurs_valeurindicateur_changelist"),
    ]
    for url in lectures:
        client = admin_client if url.startswith("/admin/") else agent
        assert client.get(url).status_code < 500, url


class TestWhatTheSweepFound:
    """Each 500 the sweep found, fixed at its root: one test each (on SQLite and PostgreSQL alike)."""

    def test_a_nul_character_in_an_indicator_cell_is_a_french_error(self):
        urls = urls_des_routes()
        agent = _client(AGENT_68)
        formulaire, cible = next((f, c) for f, c in formulaires_de(agent, urls["indicateurs:saisie"]) if "indic" in c)
        cellule = next(c.nom for c in formulaire.champs if c.nom.startswith("t_"))
        avant = empreinte_base()
        reponse = agent.post(cible, formulaire.donnees() | {cellule: ["12\x0034"]})
        assert reponse.status_code == 422
        assert "caractère nul" in reponse.content.decode()
        assert empreinte_base() == avant

    def test_a_nul_character_in_a_comment_or_a_decision_is_refused(self):
        exercice = exercice_68_2019()
        Rapport.objects.filter(exercice=exercice).update(statut=StatutRapport.TRANSMIS)
        referent = _client(REFERENT_PREFECTURE)
        avant = empreinte_base()
        for route, champ in (("rapports:commenter", "texte"), ("rapports:renvoyer", "motif")):
            reponse = referent.post(reverse(route, args=[exercice.public_id]), {champ: "À revoir\x00"}, follow=True)
            assert "caractère nul" in reponse.content.decode(), route
        assert empreinte_base() == avant

    def test_texts_are_bounded_with_a_french_message_and_nothing_saved(self):
        """A text of the forms holds TEXTE_LONG characters at most (a label TEXTE_COURT): one more is refused next
        to its field, with what was typed kept; the review's texts read from request.POST likewise."""
        exercice = exercice_68_2019()
        fiche = Fiche.objects.filter(exercice=exercice).order_by("ordre").first()
        agent = _client(AGENT_68)
        url = reverse("rapports:section", args=[exercice.public_id, fiche.public_id])
        page = agent.get(url).content.decode()
        version = re.search(r'name="version" value="(\d+)"', page)[1]
        envoi = {"version": version, "fapi": "", "indicateurs": "", "perspectives": "", "explication": ""}
        avant = empreinte_base()
        reponse = agent.post(url, {**envoi, "bilan": "a" * (TEXTE_LONG + 1)})
        assert reponse.status_code in (200, 422)
        contenu = reponse.content.decode()
        assert "Assurez-vous que cette valeur comporte au plus 20000 caractères" in contenu
        assert ERREUR_AFFICHEE.search(contenu) and "a" * (TEXTE_LONG + 1) in contenu  # kept in the field
        assert empreinte_base() == avant
        assert agent.post(url, {**envoi, "bilan": "a" * TEXTE_LONG}).status_code == 302
        assert SectionRapport.objects.get(rapport__exercice=exercice, fiche=fiche).bilan == "a" * TEXTE_LONG

        Rapport.objects.filter(exercice=exercice).update(statut=StatutRapport.TRANSMIS)
        referent = _client(REFERENT_PREFECTURE)
        avant = empreinte_base()
        for route, champ in (("rapports:commenter", "texte"), ("rapports:renvoyer", "motif")):
            envoi = {champ: "x" * (TEXTE_LONG + 1)}
            reponse = referent.post(reverse(route, args=[exercice.public_id]), envoi, follow=True)
            assert (
                "Ce texte est trop long : 20 000 caractères au plus (20 001 saisis)."
                in reponse.content.decode().replace("\xa0", " ")
            ), route
        assert empreinte_base() == avant

    def test_a_pdf_asked_by_a_name_that_is_no_fingerprint_is_404(self):
        agent = _client(AGENT_68)
        url = reverse("rapports:pdf", args=[exercice_68_2019().public_id])
        for empreinte in ("\x00", "1e400", "a" * 10_000):
            assert agent.get(url, {"empreinte": empreinte}).status_code == 404

    def test_a_forged_row_id_in_a_budget_is_shown_as_the_rows_error(self):
        """The budget page listed each error with its field's label: the hidden id has none (AttributeError)."""
        urls = urls_des_routes()
        agent = _client(AGENT_68)
        formulaire, cible = formulaires_de(agent, urls["budgets:modifier"])[0]
        avant = empreinte_base()
        reponse = agent.post(cible, formulaire.donnees() | {"parts-0-id": ["1111111111111"]})
        assert reponse.status_code == 422
        assert "Part 1, formulaire" in reponse.content.decode()
        assert empreinte_base() == avant

    def test_an_amount_beyond_what_is_stored_is_a_french_error(self):
        urls = urls_des_routes()
        agent = _client(AGENT_68)
        formulaire, cible = formulaires_de(agent, urls["gestion:fiche_nouvelle"])[0]
        reponse = agent.post(
            cible, formulaire.donnees() | {"part_etat": [str(10**30)], "numero": ["X"], "titre": ["T"]}
        )
        assert reponse.status_code == 422
        assert "est trop grand : 999 999 999 999,99 au plus." in reponse.content.decode().replace("\u00a0", " ")

    def test_a_sort_that_names_no_column_leaves_the_list_in_its_order(self):
        agent = _client(AGENT_68)
        url = reverse("pages:fiches", args=[exercice_68_2019().public_id])
        for tri in ("0.000000001", "\u202egnp.exe", "titre.x", "-numero"):
            assert agent.get(url, {"sort": tri}).status_code == 200, tri
