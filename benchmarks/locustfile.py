"""Les utilisateurs simulés de l'essai de charge (benchmarks/charge.py, qui prépare la base et lance locust).

Trois sortes d'utilisateurs, chacun connecté par le vrai formulaire de connexion (jeton CSRF compris) :

- `Agent` : lit l'accueil, la page de l'exercice, la liste des fiches et sa fiche ; modifie le budget prévisionnel
  de sa fiche (formulaire lu, un montant changé, renvoyé avec le champ de version lu) et une valeur de sa grille
  d'indicateurs. Chaque agent simulé a sa fiche à lui (le k-ième agent simulé prend le compte k modulo le nombre de
  comptes et la fiche k divisé par ce nombre) : deux agents simulés ne se disputent jamais un verrou optimiste. Un
  409 (conflit de version) serait pourtant la bonne réponse à deux saisies croisées : il est compté à part
  (« … [conflit 409] »), pas en erreur.
- `Referent` : le tableau de suivi, la comparaison et la page du rapport d'un exercice suivi.
- `DemandeurPdf` (`fixed_count = 10` : 10 des `-u` utilisateurs) : demande le PDF du rapport d'un exercice que les
  agents modifient (l'empreinte du rapport change, le PDF est donc vraiment recomposé) ou du rapport long, que le
  worker compose : sur la page d'attente (202), interroge la sonde toutes les 3 s comme le fait la page, puis
  télécharge le fichier. « PDF délivré » compte chaque PDF reçu, avec la durée de bout en bout.

Les requêtes sont nommées par sorte de page (« fiche », « budget [POST] ») pour que les statistiques se groupent.
Les requêtes du PDF ont un nom qui commence par « pdf » ou « PDF » ; toutes les autres sont des pages ordinaires.
Les comptes et identifiants viennent du fichier JSON désigné par CALPAE_CHARGE_DONNEES ; en fin d'essai, le bilan
(95e centile de l'ensemble des pages ordinaires, PDF demandés et délivrés) est écrit dans CALPAE_CHARGE_BILAN.
"""

import csv
import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from formulaires import formulaire  # locust puts the locustfile's folder on the path
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV, StatsEntry

DONNEES = json.loads(Path(os.environ["CALPAE_CHARGE_DONNEES"]).read_text(encoding="utf-8"))
SONDE_SECONDES = 3  # comme la page d'attente (hx-trigger="every 3s")
ATTENTE_PDF_MAX = 600  # secondes ; la page d'attente abandonne au bout de 10 minutes (rapports.views.ATTENTE_MAX)
FORMULAIRE = {"Content-Type": "application/x-www-form-urlencoded"}
PDF_DEMANDES = itertools.count(1)  # numéro de chaque demande de PDF commencée
PDF_DELIVRES = itertools.count(1)
# Each ordinary page's (start, duration in ms), and when the last sign-in ended: the bilan gives the 95th percentile
# of the whole run (the floor) and, for the note, that of the pages asked once everyone is signed in (the 50
# sign-ins of the first seconds, 0.3 s of password hashing each, are a burst of their own).
ORDINAIRES = []
FIN_DES_CONNEXIONS = [0.0]


@events.request.add_listener
def noter(request_type, name, response_time, exception, **_):
    fin = time.time()
    if name == "connexion [POST]":
        FIN_DES_CONNEXIONS[0] = max(FIN_DES_CONNEXIONS[0], fin)
    if not est_pdf(name) and not name.endswith("[conflit 409]"):
        ORDINAIRES.append((fin - response_time / 1000, response_time))


def est_pdf(nom):
    return nom.lower().startswith("pdf")


def montant_au_hasard():
    """Un montant écrit à la française, comme un agent le tape : « 12 345,67 »."""
    euros = random.randint(1_000, 90_000)
    return f"{euros:,}".replace(",", " ") + f",{random.randint(0, 99):02d}"


class Connecte(FastHttpUser):
    """Un utilisateur qui se connecte par le formulaire (GET pour le jeton CSRF, puis POST)."""

    abstract = True
    email = ""

    def on_start(self):
        with self.client.get("/comptes/connexion/", name="connexion", catch_response=True) as reponse:
            champs = formulaire(reponse.text or "", "username")
            if champs is None:
                reponse.failure("pas de formulaire de connexion")
                return
        valeurs = dict(champs) | {"username": self.email, "password": DONNEES["mot_de_passe"]}
        with self.client.post(
            "/comptes/connexion/",
            data=urlencode(valeurs),
            headers=FORMULAIRE,
            name="connexion [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as reponse:
            if reponse.status_code != 302:
                reponse.failure(f"connexion refusée ({reponse.status_code})")

    def page(self, url, nom, **options):
        """GET d'une page : une erreur si elle ne répond pas 200."""
        with self.client.get(url, name=nom, catch_response=True, **options) as reponse:
            if reponse.status_code != 200:
                reponse.failure(f"statut {reponse.status_code}")
            return reponse

    def envoyer(self, url, nom, champs, attendu=302):
        """POST d'un formulaire ; 409 (quelqu'un a enregistré entre-temps) est compté à part, sans erreur."""
        corps = urlencode([tuple(champ) for champ in champs])
        with self.client.post(
            url, data=corps, headers=FORMULAIRE, name=nom, allow_redirects=False, catch_response=True
        ) as reponse:
            if reponse.status_code == 409:
                reponse.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name=f"{nom} [conflit 409]",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
            elif reponse.status_code != attendu:
                reponse.failure(f"statut {reponse.status_code} (attendu {attendu})")


class Agent(Connecte):
    """L'agent d'une collectivité, sur sa fiche : lit, puis modifie budget et indicateurs."""

    weight = 3
    wait_time = between(1, 5)
    numeros = itertools.count()

    def on_start(self):
        k = next(Agent.numeros)
        compte = DONNEES["agents"][k % len(DONNEES["agents"])]
        self.email = compte["email"]
        self.exercice = compte["exercice"]
        self.fiche = compte["fiches"][(k // len(DONNEES["agents"])) % len(compte["fiches"])]
        super().on_start()

    @task(2)
    def lire(self):
        self.page("/", "accueil")
        self.page(f"/exercices/{self.exercice}/", "exercice")

    @task(2)
    def lire_fiches(self):
        self.page(f"/exercices/{self.exercice}/fiches/", "fiches")
        self.page(f"/fiches/{self.fiche}/", "fiche")

    @task(1)
    def modifier_budget(self):
        url = f"/fiches/{self.fiche}/budgets/previsionnel/modifier/"
        reponse = self.page(url, "budget")
        champs = formulaire(reponse.text or "", "budget-version") if reponse.status_code == 200 else None
        if champs is None:
            return
        gevent.sleep(random.uniform(1, 3))  # le temps de taper
        for champ in champs:
            if champ[0] == "budget-total":
                champ[1] = montant_au_hasard()
        self.envoyer(url, "budget [POST]", champs)

    @task(1)
    def modifier_indicateurs(self):
        url = f"/fiches/{self.fiche}/indicateurs/"
        reponse = self.page(url, "indicateurs")
        champs = formulaire(reponse.text or "", r"t_.+") if reponse.status_code == 200 else None
        if champs is None:
            return
        gevent.sleep(random.uniform(1, 3))
        saisie = random.choice([champ for champ in champs if champ[0].startswith("t_")])
        saisie[1] = f"{random.randint(10, 9_000):,}".replace(",", " ")
        self.envoyer(url, "indicateurs [POST]", champs)


class Referent(Connecte):
    """Un référent de l'État : tableau de suivi, comparaison, rapport d'un exercice suivi."""

    weight = 1
    wait_time = between(1, 5)

    def on_start(self):
        self.email = DONNEES["referent"]
        super().on_start()

    @task(2)
    def suivi(self):
        self.page("/suivi/", "suivi")

    @task(1)
    def comparaison(self):
        self.page("/comparaison/", "comparaison")

    @task(2)
    def rapport(self):
        self.page(f"/exercices/{random.choice(DONNEES['exercices_agents'])}/rapport/", "rapport")


class DemandeurPdf(Connecte):
    """Demande un PDF de rapport, attend qu'il arrive (page d'attente et sonde quand le worker le compose), le lit."""

    fixed_count = int(os.environ.get("CALPAE_CHARGE_PDF", "10"))  # charge.py : moins pour un essai court
    wait_time = between(5, 15)

    def on_start(self):
        self.email = DONNEES["referent"]
        super().on_start()

    @task
    def pdf(self):
        exercice = random.choice(DONNEES["exercices_agents"] + [DONNEES["exercice_long"]])
        next(PDF_DEMANDES)
        debut = time.perf_counter()
        url = f"/exercices/{exercice}/rapport/pdf/"
        erreur, taille = self.obtenir(url), 0
        if isinstance(erreur, int):
            taille, erreur = erreur, None
            next(PDF_DELIVRES)
        self.environment.events.request.fire(
            request_type="PDF",
            name="PDF délivré",
            response_time=(time.perf_counter() - debut) * 1000,
            response_length=taille,
            exception=erreur and Exception(erreur),
            context={},
        )

    def obtenir(self, url):
        """La taille du PDF reçu, ou le texte de l'erreur."""
        with self.client.get(url, name="pdf", catch_response=True) as reponse:
            if reponse.status_code == 200 and reponse.headers.get("Content-Type") == "application/pdf":
                return len(reponse.content)
            if reponse.status_code != 202:
                reponse.failure(f"statut {reponse.status_code}")
                return f"pdf : statut {reponse.status_code}"
            sonde = re.search(r'hx-get="([^"]+)"', reponse.text or "")
        if sonde is None:
            return "page d'attente sans sonde"
        sonde = sonde.group(1).replace("&amp;", "&")
        limite = time.monotonic() + ATTENTE_PDF_MAX
        while time.monotonic() < limite:
            gevent.sleep(SONDE_SECONDES)
            reponse = self.page(sonde, "pdf [attente]")
            lien = re.search(r'href="([^"]+empreinte=[^"]+)"', reponse.text or "")
            if lien:
                fichier = self.client.get(lien.group(1).replace("&amp;", "&"), name="pdf [fichier]")
                if fichier.status_code == 200 and fichier.headers.get("Content-Type") == "application/pdf":
                    return len(fichier.content)
                return f"fichier : statut {fichier.status_code}"
            if reponse.status_code != 200 or "n'est toujours pas terminée" in (reponse.text or ""):
                return "la mise en page n'a pas abouti"
        return f"PDF non prêt au bout de {ATTENTE_PDF_MAX} s"


def centiles(durees):
    durees = sorted(durees)
    if not durees:
        return {"requetes": 0, "p50": None, "p95": None}
    return {"requetes": len(durees), "p50": durees[len(durees) // 2], "p95": durees[int(len(durees) * 0.95)]}


@events.quitting.add_listener
def ecrire_bilan(environment, **_):
    """Pour charge.py, une fois tous les utilisateurs arrêtés : les statistiques finales au format CSV de locust
    (celles de --csv sont écrites chaque seconde et manquent les dernières requêtes), le 95e centile de l'ensemble
    des pages ordinaires (locust ne le donne que par nom et pour le tout) et le compte des PDF."""
    chemin = os.environ.get("CALPAE_CHARGE_BILAN")
    if not chemin:
        return
    tableaux = StatsCSV(environment, PERCENTILES_TO_REPORT)
    for nom, ecrire in [("final_stats.csv", tableaux.requests_csv), ("final_failures.csv", tableaux.failures_csv)]:
        with open(os.path.join(os.path.dirname(chemin), nom), "w", encoding="utf-8", newline="") as fichier:
            ecrire(csv.writer(fichier))
    ordinaires = StatsEntry(environment.stats, "pages ordinaires", "")
    for entree in environment.stats.entries.values():
        if not est_pdf(entree.name) and not entree.name.endswith("[conflit 409]"):
            ordinaires.extend(entree)
    bilan = {
        "ordinaires": {
            "requetes": ordinaires.num_requests,
            "echecs": ordinaires.num_failures,
            "p50": ordinaires.get_response_time_percentile(0.5),
            "p95": ordinaires.get_response_time_percentile(0.95),
            "max": ordinaires.max_response_time,
        },
        "apres_connexions": centiles([duree for debut, duree in ORDINAIRES if debut >= FIN_DES_CONNEXIONS[0]]),
        "pdf_demandes": next(PDF_DEMANDES) - 1,
        "pdf_delivres": next(PDF_DELIVRES) - 1,
    }
    with open(chemin, "w", encoding="utf-8") as fichier:
        json.dump(bilan, fichier)
