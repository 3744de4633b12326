"""Benchmark des pages principales sur un gros volume de données (SQLite et/ou PostgreSQL).

    .venv/bin/python benchmarks/pages.py [--db sqlite|postgres|both] [--repetitions 30]

Pour chaque base : une base jetable (fichier SQLite sous /tmp, ou la base PostgreSQL `calpae_bench`, supprimée puis
recréée), les migrations, les données d'exemple, puis 101 collectivités × 4 exercices × 20 fiches × 10 indicateurs
× 5 jalons (tests/volume.py ; les départements du référentiel encore libres d'abord, chacun dans sa région).
Connecté comme l'agent d'une collectivité générée, puis comme un référent qui suit les 101 collectivités (404
exercices : tableau de suivi, comparaisons), puis comme le pilotage national (toutes les collectivités, 408
exercices avec ceux des exemples : /pilotage/) et le pilotage régional Grand Est, chaque page est demandée une fois
pour chauffer, une fois pour compter les requêtes SQL, puis `--repetitions` fois chronométrées. Code de sortie 1 si
une page répond autre chose que 200 ou si son 95e centile atteint SEUIL_P95_MS. Une page dont l'URL n'existe pas
encore est signalée « page absente » sans faire échouer le benchmark.

Les réglages (dont la base, lue dans DATABASE_URL) sont lus une fois par processus : `--db both` lance un
sous-processus par base. Serveur PostgreSQL : variable CALPAE_BENCH_POSTGRES (postgres://postgres@127.0.0.1:5432).
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import base_jetable  # the scripts run from their own folder

RACINE = Path(__file__).resolve().parent.parent
SEUIL_P95_MS = 150
FICHIER_SQLITE = Path("/tmp/calpae_bench.sqlite3")
BASE_POSTGRES = "calpae_bench"

# Les pages mesurées : (nom de l'URL, ses arguments à partir de l'exercice et de la fiche choisis).
PAGES = [
    ("accueil", lambda exercice, fiche: {}),
    ("pages:exercice", lambda exercice, fiche: {"public_id": exercice.public_id}),
    ("pages:fiches", lambda exercice, fiche: {"public_id": exercice.public_id}),
    ("pages:fiche", lambda exercice, fiche: {"public_id": fiche.public_id}),
    ("actions:modifier", lambda exercice, fiche: {"public_id": fiche.public_id}),
    ("pages:historique", lambda exercice, fiche: {"public_id": fiche.public_id}),
    ("budgets:modifier", lambda exercice, fiche: {"public_id": fiche.public_id, "nature": "previsionnel"}),
    ("indicateurs:saisie", lambda exercice, fiche: {"public_id": fiche.public_id}),
]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--base", default=BASE_POSTGRES, help="nom de la base jetable (PostgreSQL) et du fichier /tmp/<nom>.sqlite3"
    )
    parser.add_argument("--repetitions", type=int, default=30, help="mesures par page, après un appel à blanc")
    parser.add_argument("--collectivites", type=int, default=101)
    parser.add_argument("--exercices", type=int, default=4)
    parser.add_argument("--fiches", type=int, default=20, help="fiches par exercice")
    parser.add_argument("--indicateurs", type=int, default=10, help="indicateurs par fiche")
    parser.add_argument("--jalons", type=int, default=5, help="colonnes par tableau d'indicateurs")
    parser.add_argument("--suivies", type=int, default=101, help="collectivités que suit le référent mesuré")
    return parser.parse_args()


def preparer_base(db, base=BASE_POSTGRES):
    fichier = FICHIER_SQLITE if base == BASE_POSTGRES else Path(f"/tmp/{base}.sqlite3")
    base_jetable.preparer_base(db, fichier_sqlite=fichier, base_postgres=base)


def generer(args):
    from django.core.management import call_command
    from django.db import connection

    from exemples.chargement import charger_exemples
    from tests.volume import generer_collectivites

    debut = time.perf_counter()
    call_command("migrate", verbosity=0)
    charger_exemples(log=lambda message: None)
    print(f"Migrations et données d'exemple : {time.perf_counter() - debut:.1f} s")
    debut = time.perf_counter()
    generees = generer_collectivites(
        args.collectivites,
        exercices=args.exercices,
        fiches=args.fiches,
        indicateurs=args.indicateurs,
        jalons=args.jalons,
        departements=True,
    )
    duree = time.perf_counter() - debut
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")  # ce que l'autovacuum ferait peu après un tel chargement
    print(
        f"Génération : {args.collectivites} collectivités × {args.exercices} exercices × {args.fiches} fiches "
        f"× {args.indicateurs} indicateurs × {args.jalons} jalons en {duree:.1f} s"
    )
    afficher_comptes()
    return generees


def afficher_comptes():
    from actions.models import Action, Fiche
    from budgets.models import Budget, LigneBudget, Part
    from comptes.models import Affectation, User
    from conventions.models import Collectivite, Convention, Exercice, Groupe
    from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur

    modeles = [Collectivite, Convention, Exercice, Groupe, Action, Fiche, Budget, LigneBudget, Part]
    modeles += [TableauIndicateurs, Jalon, Indicateur, ValeurIndicateur, User, Affectation]
    print("Lignes en base :")
    for modele in modeles:
        print(f"  {modele.__name__:<20} {modele.objects.count():>9}")
    total = sum(modele.objects.count() for modele in modeles)
    print(f"  {'total':<20} {total:>9}")


def centile(valeurs, rang):
    if len(valeurs) < 2:
        return valeurs[0]
    return statistics.quantiles(valeurs, n=100, method="inclusive")[rang - 1]


def mesurer(generees, repetitions, suivies):
    """Une ligne par page : (page, URL, médiane ms, p95 ms, requêtes, statut) ; None pour une page absente.

    D'abord les pages de l'agent d'une collectivité, puis celles d'un référent qui suit `suivies` collectivités
    (tableau de suivi de tous leurs exercices, comparaison par défaut et de huit exercices choisis)."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from actions.models import Fiche
    from comptes.enums import Role
    from comptes.models import Affectation, User
    from conventions.models import Collectivite, Exercice

    collectivite, agent, exercices = generees[len(generees) // 2]
    exercice = exercices[-1]
    fiche = Fiche.objects.filter(exercice=exercice).order_by("ordre").first()
    print(f"\nConnecté comme {agent.email} ({collectivite}) ; exercice {exercice.libelle}, fiche {fiche.numero}")
    client = Client(raise_request_exception=False)
    client.force_login(agent)
    lignes = []
    for nom, parametres in PAGES:
        try:
            url = reverse(nom, kwargs=parametres(exercice, fiche))
        except NoReverseMatch:
            lignes.append((nom, None))
            continue
        except Exception as exc:  # un URLconf cassé (import manquant…) : une ligne en échec, pas une trace
            lignes.append((nom, (f"erreur : {exc!r}"[:80], 0.0, 0.0, 0, 0)))
            continue
        lignes.append((nom, mesurer_url(client, url, repetitions)))

    referent, _ = User.objects.get_or_create(
        email="referent.volume@bench.calpae.fr", defaults={"role": Role.REFERENT, "first_name": "Référent"}
    )
    Affectation.objects.bulk_create(
        [Affectation(user=referent, collectivite=g[0]) for g in generees[:suivies]], ignore_conflicts=True
    )
    huit = [e for g in generees[:2] for e in g[2]]  # les années de deux collectivités
    print(
        f"Référent : suit {min(suivies, len(generees))} collectivités, {sum(len(g[2]) for g in generees[:suivies])} "
        "exercices"
    )
    client = Client(raise_request_exception=False)
    client.force_login(referent)
    comparaison = reverse("pages:comparaison")
    for nom, url in [
        ("pages:suivi", reverse("pages:suivi")),
        ("pages:comparaison", comparaison),
        ("comparaison (8 choisis)", comparaison + "?" + "&".join(f"exercices={e.public_id}" for e in huit)),
        ("pilotage (référent)", reverse("pages:pilotage")),
    ]:
        lignes.append((nom, mesurer_url(client, url, repetitions)))

    # The State's views: the national pilotage (every collectivité) and a région's (the demo accounts).
    pilotage = reverse("pages:pilotage")
    for email, pages in [
        ("national@demo.calpae.fr", [("pilotage national", pilotage), ("pilotage (taux)", pilotage + "?couleur=taux")]),
        ("region.grand-est@demo.calpae.fr", [("pilotage régional", pilotage)]),
    ]:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(email=email))
        for nom, url in pages:
            lignes.append((nom, mesurer_url(client, url, repetitions)))
    print(f"Pilotage national : {Exercice.objects.count()} exercices, {Collectivite.objects.count()} collectivités")
    return lignes


def mesurer_url(client, url, repetitions):
    """(URL, médiane ms, p95 ms, requêtes, statut) d'une page, après un appel à blanc."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    journal = logging.getLogger("django.request")
    client.get(url)  # à blanc : caches, gabarits, connexion (une erreur 500 y affiche sa trace, une fois)
    from core.processus import preparer_le_processus

    preparer_le_processus()  # as calpae/wsgi.py does once the application is loaded
    journal.disabled = True  # pas la même trace à chaque mesure
    try:
        with CaptureQueriesContext(connection) as requetes:
            statut = client.get(url).status_code
        nombre_requetes = len(requetes)  # maintenant : la requête suivante vide le journal des requêtes
        durees = []
        for _ in range(repetitions):
            debut = time.perf_counter()
            reponse = client.get(url)
            durees.append((time.perf_counter() - debut) * 1000)
            if reponse.status_code != 200:
                statut = reponse.status_code
    finally:
        journal.disabled = False
    return (url, statistics.median(durees), centile(durees, 95), nombre_requetes, statut)


def afficher(lignes, db, repetitions):
    charge = ", ".join(f"{c:.1f}" for c in os.getloadavg())
    print(f"\n{db} : {repetitions} mesures par page (seuil p95 : {SEUIL_P95_MS} ms ; charge machine : {charge})")
    lignes = [(nom, (m[0] if len(m[0]) <= 60 else m[0][:57] + "…", *m[1:]) if m else m) for nom, m in lignes]
    largeur_url = max([3] + [len(mesure[0]) for _, mesure in lignes if mesure])
    entete = f"{'page':<22} {'URL':<{largeur_url}} {'médiane':>9} {'p95':>9} {'requêtes':>9} {'statut':>6}"
    print(entete)
    print("-" * len(entete))
    echec = False
    for nom, mesure in lignes:
        if mesure is None:
            print(f"{nom:<22} {'page absente':<{largeur_url}}")
            continue
        url, mediane, p95, requetes, statut = mesure
        mauvais = p95 >= SEUIL_P95_MS or statut != 200
        echec = echec or mauvais
        marque = "  <-- ÉCHEC" if mauvais else ""
        print(f"{nom:<22} {url:<{largeur_url}} {mediane:>6.1f} ms {p95:>6.1f} ms {requetes:>9} {statut:>6}{marque}")
    return echec


def executer(args):
    preparer_base(args.db, args.base)
    from django.db import connection

    print(f"=== {args.db} ({connection.vendor}, base {connection.settings_dict['NAME']}) ===")
    generees = generer(args)
    echec = afficher(mesurer(generees, args.repetitions, args.suivies), args.db, args.repetitions)
    return 1 if echec else 0


def main():
    args = arguments()
    if args.db != "both":
        return executer(args)
    codes = {}
    for db in ("sqlite", "postgres"):
        options = [f"--{nom}={valeur}" for nom, valeur in vars(args).items() if nom != "db"]
        codes[db] = subprocess.run([sys.executable, __file__, f"--db={db}", *options], check=False).returncode
        print()
    print("Bilan : " + ", ".join(f"{db} {'OK' if code == 0 else 'ÉCHEC'}" for db, code in codes.items()))
    return max(codes.values())


if __name__ == "__main__":
    sys.exit(main())
