"""Essai de charge : gunicorn, le worker et PostgreSQL sur cette machine, des utilisateurs simulés par locust.

    .venv/bin/python benchmarks/charge.py                                   # 50 utilisateurs, 3 minutes
    .venv/bin/python benchmarks/charge.py --duree 30s --utilisateurs 10     # essai court

1. Une base PostgreSQL jetable, `calpae_charge` (supprimée puis recréée ; serveur : variable CALPAE_BENCH_POSTGRES,
   postgres://postgres@127.0.0.1:5432), les migrations, les données d'exemple, puis `--collectivites` collectivités
   de volume (tests/volume.py : 4 exercices × 20 fiches × 10 indicateurs × 5 jalons chacune, un agent chacune), un
   référent qui les suit toutes, et le rapport long de benchmarks/rapport.py (60 fiches rédigées : son PDF dépasse
   CALPAE_PDF_SYNCHRONE_MAX_OCTETS et part au worker). Les mots de passe sont hachés comme en production (PBKDF2).
2. `collectstatic`, puis gunicorn comme le `Procfile` (3 processus, mêmes options) et un `db_worker`, avec les
   réglages de production comme `make prod` (clé secrète tirée au hasard ; ni redirection HTTPS, ni HSTS, ni cookies
   « Secure » sur cette machine sans TLS), sur 127.0.0.1 et un port libre.
3. `locust --headless -u <utilisateurs> -r 10 -t <duree>` avec benchmarks/locustfile.py : des agents qui lisent et
   modifient chacun sa fiche, des référents sur le tableau de suivi, la comparaison et les rapports, et 10
   demandeurs de PDF (un utilisateur sur cinq dans un essai à moins de 50 utilisateurs). Les tâches en cours à la
   fin ont jusqu'à 2 minutes pour finir (un PDF demandé est attendu).
4. Les statistiques de locust (--csv, sous /tmp/calpae_charge/), un tableau par sorte de requête (nombre, échecs,
   médiane, 95e centile, maximum) et les planchers : aucune erreur, 95e centile de l'ensemble des pages ordinaires
   (tout sauf les requêtes du PDF) ≤ SEUIL_P95_MS, chaque PDF demandé délivré. Code de sortie 1 sinon.

Options : `--collectivites` (20), `--pdf-synchrone-max-octets N` (CALPAE_PDF_SYNCHRONE_MAX_OCTETS des serveurs ;
0 envoie tout PDF au worker, pour comparer avec le réglage de production).

Journaux de gunicorn (avec la durée de chaque requête), du worker et de locust : /tmp/calpae_charge/. Rien
n'écoute ailleurs que sur 127.0.0.1 ; gunicorn et le worker sont arrêtés à la fin, même sur une erreur ou un
Ctrl-C. À lancer sur une machine calme : l'essai mesure le serveur, pas ses voisins. Deux copies du dépôt sur une
machine : `CALPAE_CHARGE_BASE=calpae_autre` donne à l'essai une autre base et un autre dossier (/tmp/calpae_autre).
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import base_jetable  # the scripts run from their own folder

RACINE = Path(__file__).resolve().parent.parent
# Another name (CALPAE_CHARGE_BASE=calpae_moi) keeps two checkouts' runs apart: the database and the folder.
BASE_POSTGRES = os.environ.get("CALPAE_CHARGE_BASE", "calpae_charge")
DOSSIER = Path("/tmp") / BASE_POSTGRES
SEUIL_P95_MS = 500
DEMANDEURS_PDF = 10  # DemandeurPdf.fixed_count dans locustfile.py, au plus
ARRET_MAX = 120  # secondes laissées aux tâches en cours à la fin de l'essai
VENV = RACINE / ".venv" / "bin"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duree", default="3m", help="durée de l'essai, au format de locust (30s, 3m)")
    parser.add_argument("--utilisateurs", type=int, default=50, help="utilisateurs simulés en même temps")
    parser.add_argument("--collectivites", type=int, default=20, help="collectivités de volume, un agent chacune")
    parser.add_argument(
        "--pdf-synchrone-max-octets",
        type=int,
        help="CALPAE_PDF_SYNCHRONE_MAX_OCTETS des serveurs (défaut : celui de la production) ; 0 : tout PDF au worker",
    )
    args = parser.parse_args()
    if args.utilisateurs < 5:
        parser.error("--utilisateurs : au moins 5 (des agents, des référents et des demandeurs de PDF)")
    return args


def demandeurs_pdf(utilisateurs):
    """10 des 50 utilisateurs de l'essai ; un sur cinq dans un essai à moins de 50 utilisateurs."""
    return min(DEMANDEURS_PDF, utilisateurs // 5)


def preparer(args):
    """La base jetable et ses données ; rend ce que lit locustfile.py (comptes, exercices, fiches)."""
    base_jetable.preparer_base("postgres", fichier_sqlite=DOSSIER / "inutile.sqlite3", base_postgres=BASE_POSTGRES)
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.core.management import call_command
    from django.db import connection
    from rapport import rapport_synthetique

    from actions.models import Fiche
    from comptes.enums import Role
    from comptes.models import Affectation, User
    from exemples.chargement import charger_exemples
    from tests.volume import MOT_DE_PASSE, generer_collectivites

    debut = time.perf_counter()
    call_command("migrate", verbosity=0)
    charger_exemples(log=lambda message: None)
    generees = generer_collectivites(args.collectivites, prefixe="charge")
    long = rapport_synthetique()  # l'exercice
    referent = User.objects.create(
        email="referent@charge.calpae.fr", first_name="Référent", last_name="Charge", role=Role.REFERENT
    )
    Affectation.objects.bulk_create([Affectation(user=referent, collectivite=g.collectivite) for g in generees])
    Affectation.objects.create(user=referent, collectivite=long.convention.collectivite)
    # Les réglages de test hachent en MD5 ; la production ne connaît que PBKDF2 : un hachage, pour tous les comptes.
    hacheur = PBKDF2PasswordHasher()
    comptes = User.objects.filter(pk__in=[referent.pk] + [g.agent.pk for g in generees])
    comptes.update(password=hacheur.encode(MOT_DE_PASSE, hacheur.salt()))
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")
    print(
        f"Base {BASE_POSTGRES} : migrations, exemples, {args.collectivites} collectivités × 4 exercices × 20 fiches "
        f"et un rapport long de 60 fiches en {time.perf_counter() - debut:.0f} s"
    )
    agents = []
    for g in generees:
        exercice = g.exercices[-1]
        fiches = Fiche.objects.filter(exercice=exercice).order_by("ordre").values_list("public_id", flat=True)
        agents.append({"email": g.agent.email, "exercice": str(exercice.public_id), "fiches": [str(f) for f in fiches]})
    return {
        "mot_de_passe": MOT_DE_PASSE,
        "agents": agents,
        "referent": referent.email,
        "exercices_agents": [a["exercice"] for a in agents],
        "exercice_long": str(long.public_id),
    }


def port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environnement_production(args):
    """Les variables de `make prod` (Makefile, PROD_ENV), sur la base jetable et des dossiers sous /tmp."""
    env = os.environ.copy()
    if args.pdf_synchrone_max_octets is not None:
        env["CALPAE_PDF_SYNCHRONE_MAX_OCTETS"] = str(args.pdf_synchrone_max_octets)
    return env | {
        "DJANGO_SETTINGS_MODULE": "calpae.settings.prod",
        "DATABASE_URL": f"{base_jetable.SERVEUR_POSTGRES}/{BASE_POSTGRES}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(DOSSIER / "static"),
        "DJANGO_MEDIA_ROOT": str(DOSSIER / "media"),
    }


def a_jour(manifeste):
    """Le manifeste de collectstatic est-il plus récent que nos fichiers statiques et les dépendances ?"""
    if not manifeste.exists():
        return False
    sources = [RACINE / "uv.lock", *(RACINE / "static").rglob("*")]
    return manifeste.stat().st_mtime > max(source.stat().st_mtime for source in sources)


def demarrer(env, port):
    """gunicorn comme le Procfile, et un worker ; leurs journaux dans DOSSIER."""
    collectstatic = [VENV / "python", "manage.py", "collectstatic", "--noinput", "-v", "0"]
    if a_jour(Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json"):
        print("Fichiers statiques : ceux du dernier essai (static/ et uv.lock n'ont pas changé depuis)")
    else:
        print("collectstatic (compression comprise : deux minutes sur une machine chargée)…")
        subprocess.run(collectstatic, cwd=RACINE, env=env, check=True)
    serveurs = []
    for nom, commande in [
        ("gunicorn", [VENV / "gunicorn", "calpae.wsgi", "--config", "gunicorn.conf.py"]),  # as the Procfile
        ("worker", ["nice", "-n", "10", VENV / "python", "manage.py", "db_worker"]),  # as the Procfile
    ]:
        journal = open(DOSSIER / f"{nom}.log", "w", encoding="utf-8")  # ouvert tant que le script tourne
        serveurs.append(
            subprocess.Popen(
                commande,
                cwd=RACINE,
                env=env | {"GUNICORN_BIND": "127.0.0.1", "PORT": str(port)},
                stdout=journal,
                stderr=subprocess.STDOUT,
            )
        )
    return serveurs


def attendre(url, delai=60):
    """Attend que la sonde de santé réponde 200."""
    limite = time.monotonic() + delai
    while time.monotonic() < limite:
        try:
            with urllib.request.urlopen(url, timeout=5) as reponse:
                if reponse.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} ne répond pas au bout de {delai} s : voir {DOSSIER}/gunicorn.log")


def arreter(serveurs):
    for processus in serveurs:
        if processus.poll() is None:
            processus.send_signal(signal.SIGTERM)
    for processus in serveurs:
        try:
            processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()


def lancer_locust(args, port):
    bilan = DOSSIER / "bilan.json"
    bilan.unlink(missing_ok=True)
    pdf = demandeurs_pdf(args.utilisateurs)
    env = os.environ | {
        "CALPAE_CHARGE_DONNEES": str(DOSSIER / "donnees.json"),
        "CALPAE_CHARGE_BILAN": str(bilan),
        "CALPAE_CHARGE_PDF": str(pdf),
    }
    commande = [VENV / "locust", "-f", RACINE / "benchmarks" / "locustfile.py", "--headless", "--only-summary"]
    commande += ["-u", str(args.utilisateurs), "-r", "10", "-t", args.duree, "--stop-timeout", str(ARRET_MAX)]
    commande += ["--host", f"http://127.0.0.1:{port}", "--csv", DOSSIER / "stats", "--loglevel", "WARNING"]
    print(f"locust : {args.utilisateurs} utilisateurs (dont {pdf} demandeurs de PDF) pendant {args.duree}")
    debut = time.monotonic()
    with open(DOSSIER / "locust.log", "w", encoding="utf-8") as journal:
        subprocess.run(commande, cwd=RACINE, env=env, check=False, stdout=journal, stderr=subprocess.STDOUT)
    print(f"Essai terminé en {time.monotonic() - debut:.0f} s")
    if not bilan.exists():
        raise SystemExit(f"locust s'est arrêté sans écrire son bilan : voir {DOSSIER}/locust.log")
    return json.loads(bilan.read_text(encoding="utf-8"))


def lire_stats():
    """Les lignes de final_stats.csv (une par nom de requête, puis « Aggregated ») et les erreurs relevées : les
    statistiques finales de locust, écrites par locustfile.py quand tout est arrêté (stats_stats.csv, écrit par
    --csv chaque seconde, peut manquer les requêtes de la dernière seconde)."""
    with open(DOSSIER / "final_stats.csv", encoding="utf-8") as fichier:
        lignes = list(csv.DictReader(fichier))
    with open(DOSSIER / "final_failures.csv", encoding="utf-8") as fichier:
        erreurs = list(csv.DictReader(fichier))
    return lignes, erreurs


def ms(valeur):
    return f"{float(valeur):>7.0f} ms" if valeur not in ("", "N/A", None) else f"{'–':>10}"


def afficher(lignes, erreurs, bilan):
    """Le tableau français, et les planchers : rend True si l'un d'eux n'est pas atteint."""
    charge = ", ".join(f"{c:.1f}" for c in os.getloadavg())
    print(f"\nRequêtes (charge machine à la fin : {charge}) ; * : requête du PDF, hors pages ordinaires")
    entete = f"{'requête':<28} {'nombre':>7} {'échecs':>7} {'médiane':>10} {'p95':>10} {'max':>10}"
    print(entete)
    print("-" * len(entete))
    for ligne in sorted(lignes, key=lambda x: (x["Name"] == "Aggregated", x["Name"].lower().startswith("pdf"))):
        nom = "ensemble" if ligne["Name"] == "Aggregated" else ligne["Name"]
        marque = "*" if nom.lower().startswith("pdf") else " "
        print(
            f"{nom + marque:<28} {ligne['Request Count']:>7} {ligne['Failure Count']:>7} {ms(ligne['50%'])} "
            f"{ms(ligne['95%'])} {ms(ligne['Max Response Time'])}"
        )
    o = bilan["ordinaires"]
    print(f"{'pages ordinaires':<28} {o['requetes']:>7} {o['echecs']:>7} {ms(o['p50'])} {ms(o['p95'])} {ms(o['max'])}")
    if apres := bilan.get("apres_connexions"):
        print(
            f"{'  une fois tous connectés':<28} {apres['requetes']:>7} {'':>7} {ms(apres['p50'])} {ms(apres['p95'])}"
            "   (pages demandées après la dernière connexion : l'essai commence par 50 connexions en 5 s)"
        )
    for erreur in erreurs:
        print(f"  erreur : {erreur['Method']} {erreur['Name']} × {erreur['Occurrences']} : {erreur['Error']}")
    journal = (DOSSIER / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
    if arretes := journal.count("WORKER TIMEOUT"):
        print(f"  gunicorn a arrêté {arretes} processus au bout de 30 s (WORKER TIMEOUT) : voir {DOSSIER}/gunicorn.log")
    # Les requêtes en échec ; « PDF délivré » n'est pas une requête : un PDF manqué l'est déjà (pdf, pdf [attente]…).
    echecs = sum(int(x["Failure Count"]) for x in lignes if x["Name"] not in ("Aggregated", "PDF délivré"))
    demandes, delivres, p95 = bilan["pdf_demandes"], bilan["pdf_delivres"], o["p95"] or 0
    planchers = [
        (f"erreurs : {echecs} (plancher : 0)", echecs == 0),
        (f"95e centile des pages ordinaires : {p95:.0f} ms (plancher : {SEUIL_P95_MS} ms)", p95 <= SEUIL_P95_MS),
        (f"PDF délivrés : {delivres} sur {demandes} demandés (plancher : tous)", 0 < demandes == delivres),
    ]
    print("\nPlanchers :")
    for texte, tenu in planchers:
        print(f"  {'tenu     ' if tenu else 'MANQUÉ   '} {texte}")
    return not all(tenu for _, tenu in planchers)


def main():
    args = arguments()
    DOSSIER.mkdir(exist_ok=True)
    donnees = preparer(args)
    (DOSSIER / "donnees.json").write_text(json.dumps(donnees), encoding="utf-8")
    from django.db import connections

    connections.close_all()
    port = port_libre()
    serveurs = demarrer(environnement_production(args), port)
    try:
        attendre(f"http://127.0.0.1:{port}/sante/")
        print(f"gunicorn (3 processus) et le worker répondent sur http://127.0.0.1:{port} ; journaux : {DOSSIER}")
        bilan = lancer_locust(args, port)
    finally:
        arreter(serveurs)
    lignes, erreurs = lire_stats()
    return 1 if afficher(lignes, erreurs, bilan) else 0


if __name__ == "__main__":
    sys.exit(main())
