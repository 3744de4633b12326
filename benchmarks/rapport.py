"""Benchmark de la génération du rapport d'exécution : PDF (WeasyPrint) et classeur Excel (SQLite ou PostgreSQL).

    .venv/bin/python benchmarks/rapport.py [--db sqlite|postgres] [--repetitions 5] [--tracemalloc]

Une base jetable (fichier SQLite sous /tmp, ou la base PostgreSQL `calpae_bench_rapport`, supprimée puis recréée ;
serveur : variable CALPAE_BENCH_POSTGRES, postgres://postgres@127.0.0.1:5432), les migrations, les données
d'exemple, puis deux rapports :

- le rapport 2019 du Haut-Rhin (exemple 001, convention 68-2019-2021) ;
- un rapport synthétique : une collectivité générée (tests/volume.py), un exercice de 60 fiches × 10 indicateurs
  × 5 jalons × 3 lignes de budget, un avant-propos d'environ 3 000 caractères et, par fiche, une section de
  rapport (bilan d'environ 1 500 caractères, perspectives d'environ 500), pour un nombre de pages réaliste.

Pour chacun, après une génération à blanc (nombre de pages lu par pypdf, requêtes SQL comptées), `--repetitions`
mesures alternées de : (a) `pdf_rapport(exercice)` entier (requêtes + HTML + WeasyPrint) ; (b) WeasyPrint seul,
`pdf_depuis_html(html)` sur un HTML rendu une fois avant ; (c) le surcoût de l'application (a) − (b), puis ses
deux parts chronométrées seules, plus fiables que cette différence de deux mesures bruitées :
`charger_exercice(exercice)` (la lecture de l'exercice : requêtes et assemblage) et `html_rapport(contenu)`
(gabarit) ; (d) le classeur,
`classeur_octets(exercice)` ; (e) la transmission, `rapport_transmettre` (HTML figé, classeur, contenu, journal,
courriels ; le PDF part en tâche de fond dans la file en base), annulée après chaque mesure. Médiane et maximum de
la durée écoulée sont affichés, avec la médiane du temps CPU du processus (qui s'en écarte quand d'autres processus
prennent le processeur) ; la médiane de la durée est comparée aux seuils, comme la mémoire maximale du processus
(ru_maxrss) en fin de course. Avec `--tracemalloc`, le pic tracemalloc d'une génération du PDF de chaque rapport,
mesuré à part : tracemalloc rend WeasyPrint environ cinq fois plus lent (plus de deux minutes pour le rapport de
60 fiches). Code de sortie 1 si un seuil est manqué.
"""

import argparse
import gc
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import base_jetable  # the scripts run from their own folder

RACINE = Path(__file__).resolve().parent.parent
FICHIER_SQLITE = Path("/tmp/calpae_bench_rapport.sqlite3")
BASE_POSTGRES = "calpae_bench_rapport"
SEUIL_MEMOIRE_MO = 500
# Les étapes mesurées, dans l'ordre du tableau.
LIGNES = [
    ("pdf", "(a) PDF complet : pdf_rapport"),
    ("weasyprint", "(b) WeasyPrint seul : pdf_depuis_html"),
    ("surcout", "(c) surcoût de l'appli : (a) − (b)"),
    ("contenu", "    charger_exercice seul (requêtes)"),
    ("gabarit", "    html_rapport seul (gabarit)"),
    ("classeur", "(d) classeur : classeur_octets"),
    ("transmission", "(e) transmission : rapport_transmettre"),
]
# The transmission as the production settings run it: the PDF goes to the database queue (a background job).
TACHES_EN_BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Seuils (en secondes, sur la médiane) : (PDF, classeur) par rapport.
SEUILS = {"Haut-Rhin 2019 (exemple 001)": (4.0, 0.5, 2.0), "Synthétique 60 fiches": (25.0, 2.0, 5.0)}

PARAGRAPHES = [
    "L'action a été déployée sur l'ensemble des territoires d'action sociale au cours de l'exercice. Les équipes "
    "des maisons des solidarités ont été renforcées par le recrutement de travailleurs sociaux, et les partenaires "
    "associatifs ont été réunis en comité de pilotage chaque trimestre pour suivre la montée en charge.",
    "Les publics visés ont été atteints dans des proportions conformes aux objectifs fixés par la convention, avec "
    "toutefois des écarts selon les territoires : le secteur rural reste moins couvert, faute de permanences "
    "régulières et de solutions de mobilité pour les personnes accompagnées.",
    "Le budget exécuté traduit un léger décalage du calendrier des recrutements, compensé au second semestre par "
    "le financement d'actions de formation des professionnels et par la subvention aux associations partenaires.",
    "Pour l'exercice suivant, le département prévoit d'étendre le dispositif aux quartiers prioritaires de la "
    "politique de la ville, de consolider le partenariat avec la CAF et France Travail, et de fiabiliser le recueil "
    "des indicateurs de suivi dans un outil partagé entre les services.",
]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repetitions", type=int, default=5, help="mesures par rapport, après une génération à blanc")
    parser.add_argument("--tracemalloc", action="store_true", help="pic tracemalloc d'un PDF par rapport (lent)")
    return parser.parse_args()


def preparer_base(db):
    base_jetable.preparer_base(db, fichier_sqlite=FICHIER_SQLITE, base_postgres=BASE_POSTGRES)


def texte(longueur, decalage=0):
    """Des paragraphes (séparés par une ligne vide, comme le Markdown des rapports) jusqu'à `longueur` caractères."""
    morceaux = []
    while len("\n\n".join(morceaux)) < longueur:
        morceaux.append(PARAGRAPHES[(decalage + len(morceaux)) % len(PARAGRAPHES)])
    return "\n\n".join(morceaux)


def rapport_synthetique(fiches=60, indicateurs=10, jalons=5, lignes=3):
    """Une collectivité générée, un exercice de `fiches` fiches, son rapport et une section rédigée par fiche."""
    from rapports.models import Rapport, SectionRapport
    from tests.volume import generer_collectivites

    collectivite, _, (exercice,) = generer_collectivites(
        1, exercices=1, fiches=fiches, indicateurs=indicateurs, jalons=jalons, lignes=lignes, prefixe="rapport"
    )[0]
    rapport = Rapport.objects.create(
        exercice=exercice,
        collectivite=collectivite,
        nom_collectivite=collectivite.nom,
        titre=f"Rapport d'exécution – {collectivite.nom} – exercice {exercice.libelle}",
        avant_propos=texte(3000),
        bilan_global=texte(800, 2),
    )
    SectionRapport.objects.bulk_create(
        SectionRapport(
            rapport=rapport,
            fiche=fiche,
            fapi="Pas de financement FAPI",
            indicateurs="voir infra",
            bilan=texte(1500, i),
            perspectives=texte(500, 3),
        )
        for i, fiche in enumerate(exercice.fiches.all())
    )
    return exercice


def preparer_donnees():
    from django.core.management import call_command
    from django.db import connection

    from conventions.models import Exercice
    from exemples.chargement import charger_exemples

    debut = time.perf_counter()
    call_command("migrate", verbosity=0)
    charger_exemples(log=lambda message: None)
    print(f"Migrations et données d'exemple : {time.perf_counter() - debut:.1f} s")
    debut = time.perf_counter()
    synthetique = rapport_synthetique()
    print(f"Rapport synthétique (60 fiches × 10 indicateurs × 5 jalons) : {time.perf_counter() - debut:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")  # ce que l'autovacuum ferait peu après un tel chargement
    exercices = Exercice.objects.select_related("convention__collectivite", "collectivite_signataire")
    noms = list(SEUILS)
    return {
        noms[0]: exercices.get(convention__cle="68-2019-2021", libelle="2019"),
        noms[1]: exercices.get(pk=synthetique.pk),
    }


def chrono(fonction, *args):
    """((durée écoulée, temps CPU du processus) en secondes, résultat).

    Le ramasse-miettes passe avant : sinon l'étape suivante paierait le nettoyage des cycles laissés par la précédente
    (les arbres de boîtes de WeasyPrint), ce qui triple le temps mesuré du classeur de l'exemple 001.
    """
    gc.collect()
    debut, debut_cpu = time.perf_counter(), time.process_time()
    resultat = fonction(*args)
    return (time.perf_counter() - debut, time.process_time() - debut_cpu), resultat


def mesurer(exercice, repetitions):
    """Les (durée, temps CPU) de chaque étape, répétées en alternance, et ce que la génération à blanc a produit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from rapports.classeur import classeur_octets
    from rapports.pdf import html_rapport, pdf_depuis_html, pdf_rapport
    from rapports.selectors import charger_exercice

    with CaptureQueriesContext(connection) as requetes_pdf:
        pdf = pdf_rapport(exercice)  # à blanc : gabarits, polices, connexion
    with CaptureQueriesContext(connection) as requetes_classeur:
        classeur = classeur_octets(exercice)
    html = html_rapport(charger_exercice(exercice))
    infos = {
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "pdf_ko": len(pdf) / 1024,
        "html_ko": len(html.encode()) / 1024,
        "classeur_ko": len(classeur) / 1024,
        "requetes": (len(requetes_pdf), len(requetes_classeur)),
    }
    durees = {cle: [] for cle, _ in LIGNES}
    for _ in range(repetitions):
        mesure = {"pdf": chrono(pdf_rapport, exercice)[0], "weasyprint": chrono(pdf_depuis_html, html)[0]}
        mesure["surcout"] = tuple(a - b for a, b in zip(mesure["pdf"], mesure["weasyprint"], strict=True))
        mesure["contenu"], contenu = chrono(charger_exercice, exercice)
        mesure["gabarit"] = chrono(html_rapport, contenu)[0]
        mesure["classeur"] = chrono(classeur_octets, exercice)[0]
        mesure["transmission"] = chrono(transmettre_puis_annuler, exercice)[0]
        for cle, duree in mesure.items():
            durees[cle].append(duree)
    return durees, infos


class _Annulation(Exception):
    pass


def transmettre_puis_annuler(exercice):
    """Transmit the report as its agent would, with the production queue, then roll everything back."""
    from django.db import transaction
    from django.test import override_settings

    from comptes.models import User
    from rapports.services import rapport_transmettre

    agent = User.objects.filter(role="agent", collectivites=exercice.convention.collectivite).first()
    try:
        with override_settings(TASKS=TACHES_EN_BASE), transaction.atomic():
            rapport_transmettre(exercice=exercice, user=agent, justification="Mesure de la transmission.")
            raise _Annulation
    except _Annulation:
        pass


def pic_tracemalloc(exercice):
    from rapports.pdf import pdf_rapport

    tracemalloc.start()
    try:
        (duree, _), _ = chrono(pdf_rapport, exercice)
        return tracemalloc.get_traced_memory()[1] / 2**20, duree
    finally:
        tracemalloc.stop()


def afficher(nom, durees, infos, seuils):
    """Le tableau d'un rapport ; renvoie True si un seuil est manqué."""
    tailles = f"PDF {infos['pdf_ko']:.0f} Ko (HTML {infos['html_ko']:.0f} Ko), classeur {infos['classeur_ko']:.0f} Ko"
    print(f"\n{nom} : {infos['pages']} pages ; {tailles} ; requêtes SQL : PDF {infos['requetes'][0]}, ", end="")
    print(f"classeur {infos['requetes'][1]}")
    entete = f"{'étape':<40} {'médiane':>9} {'max':>9} {'CPU méd.':>9} {'part de (a)':>12} {'seuil':>8}"
    print(entete)
    print("-" * len(entete))
    reference = statistics.median(mur for mur, _ in durees["pdf"])
    seuil_de = {"pdf": seuils[0], "classeur": seuils[1], "transmission": seuils[2]}
    echec = False
    for cle, libelle in LIGNES:
        murs = [mur for mur, _ in durees[cle]]
        mediane, maximum, cpu = statistics.median(murs), max(murs), statistics.median(c for _, c in durees[cle])
        part = f"{mediane / reference:>11.0%}" if cle not in ("classeur", "transmission") else ""
        seuil = seuil_de.get(cle)
        mauvais = seuil is not None and mediane >= seuil
        echec = echec or mauvais
        colonne_seuil = f"< {seuil:g} s" if seuil is not None else ""
        marque = "  <-- ÉCHEC" if mauvais else ""
        ligne = f"{libelle:<40} {mediane:>7.2f} s {maximum:>7.2f} s {cpu:>7.2f} s {part:>12} {colonne_seuil:>8}"
        print(ligne + marque)
    return echec


def executer(args):
    preparer_base(args.db)
    from django.db import connection

    print(f"=== {args.db} ({connection.vendor}, base {connection.settings_dict['NAME']}) ===")
    exercices = preparer_donnees()
    charge = ", ".join(f"{c:.1f}" for c in os.getloadavg())
    print(f"{args.repetitions} mesures par rapport, après une génération à blanc (charge machine : {charge})")
    echec = False
    for nom, exercice in exercices.items():
        durees, infos = mesurer(exercice, args.repetitions)
        echec = afficher(nom, durees, infos, SEUILS[nom]) or echec
    memoire = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux : en Kio
    mauvais = memoire >= SEUIL_MEMOIRE_MO
    echec = echec or mauvais
    print(f"\nMémoire maximale du processus (ru_maxrss) : {memoire:.0f} Mo (seuil < {SEUIL_MEMOIRE_MO} Mo)", end="")
    print("  <-- ÉCHEC" if mauvais else "")
    for nom, exercice in exercices.items() if args.tracemalloc else ():
        pic, duree = pic_tracemalloc(exercice)
        print(f"Pic tracemalloc d'un PDF, {nom} : {pic:.0f} Mo (génération sous tracemalloc : {duree:.1f} s)")
    print(f"\nBilan : {'ÉCHEC' if echec else 'OK'}")
    return 1 if echec else 0


if __name__ == "__main__":
    sys.exit(executer(arguments()))
