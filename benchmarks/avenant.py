"""Benchmark de l'étape annuelle et de l'import : préparer l'avenant suivant d'un exercice de 60 fiches (seuil 2 s),
importer le classeur d'un exercice de 60 fiches dans une collectivité nouvelle (seuil 3 s), sur SQLite ou PostgreSQL.

Chaque mesure est annulée après coup (transaction), si bien que toutes partent du même état. Médiane et maximum.

    .venv/bin/python benchmarks/avenant.py [--db sqlite|postgres] [--repetitions 5] [--fiches 60]
"""

import argparse
import datetime
import io
import statistics
import sys
import time

import base_jetable  # the scripts run from their own folder

SEUILS = {"avenant": 2.0, "import": 3.0}


class Annulation(Exception):
    pass


def mesurer(fonction, repetitions):
    from django.db import transaction

    durees = []
    for _ in range(repetitions + 1):  # a first run to warm up
        debut = time.perf_counter()
        try:
            with transaction.atomic():
                fonction()
                durees.append(time.perf_counter() - debut)
                raise Annulation
        except Annulation:
            pass
    return durees[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--fiches", type=int, default=60)
    options = parser.parse_args()
    base_jetable.preparer_base(
        options.db, fichier_sqlite="/tmp/calpae_bench_avenant.sqlite3", base_postgres="calpae_bench_avenant"
    )

    from django.core.management import call_command
    from openpyxl import load_workbook

    from avenants.services import avenant_preparer
    from conventions.models import Exercice
    from exemples.chargement import charger_exemples
    from importation.contrat import classeur_modele
    from importation.lecture import lire_classeur
    from importation.services import convention_importer
    from rapports.selectors import charger_exercice
    from tests.volume import ajouter_fiches

    call_command("migrate", verbosity=0)
    charger_exemples(log=lambda message: None)
    exercice = Exercice.objects.get(convention__cle="67-2019-2021", libelle="2019")
    manquantes = options.fiches - exercice.fiches.count()
    if manquantes > 0:
        ajouter_fiches(exercice, manquantes, lignes=3, indicateurs=10, jalons=5)
    nombre = exercice.fiches.count()

    def avenant():
        avenant_preparer(
            exercice=exercice,
            libelle="2020",
            date_debut=datetime.date(2020, 1, 1),
            date_fin=datetime.date(2020, 12, 31),
        )

    classeur = load_workbook(io.BytesIO(classeur_modele(charger_exercice(exercice))))
    for rangee in classeur["Convention"].iter_rows(max_col=2):
        if rangee[0].value == "Code INSEE":
            rangee[1].value = "B99"
    tampon = io.BytesIO()
    classeur.save(tampon)
    octets = tampon.getvalue()

    def importer():
        donnees, erreurs = lire_classeur(octets)
        assert not erreurs, erreurs
        convention_importer(donnees=donnees)

    print(f"=== {options.db} : exercice de {nombre} fiches (indicateurs, lignes, parts), {options.repetitions} mesures")
    echec = False
    for nom, fonction, libelle in (
        ("avenant", avenant, "préparer l'avenant suivant"),
        ("import", importer, "importer le classeur (lecture et écriture)"),
    ):
        durees = mesurer(fonction, options.repetitions)
        mediane, maximum = statistics.median(durees), max(durees)
        statut = "OK" if maximum <= SEUILS[nom] else "ÉCHEC"
        echec |= statut != "OK"
        print(f"{libelle:45} médiane {mediane:5.2f} s   max {maximum:5.2f} s   seuil {SEUILS[nom]} s   {statut}")
    sys.exit(1 if echec else 0)


if __name__ == "__main__":
    main()
