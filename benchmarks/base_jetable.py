"""La base jetable des benchmarks, désignée par DATABASE_URL avant que Django ne lise ses réglages."""

import os
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
SERVEUR_POSTGRES = os.environ.get("CALPAE_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def preparer_base(db, *, fichier_sqlite, base_postgres):
    """Une base vide (`db` : "sqlite" ou "postgres"), puis `django.setup()` sur les réglages de test."""
    if db == "sqlite":
        for suffixe in ("", "-wal", "-shm", "-journal"):
            Path(f"{fichier_sqlite}{suffixe}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{fichier_sqlite}"
    else:
        import psycopg

        with psycopg.connect(f"{SERVEUR_POSTGRES}/postgres", autocommit=True) as connexion:
            connexion.execute(f"DROP DATABASE IF EXISTS {base_postgres} WITH (FORCE)")
            connexion.execute(f"CREATE DATABASE {base_postgres}")
        os.environ["DATABASE_URL"] = f"{SERVEUR_POSTGRES}/{base_postgres}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "calpae.settings.test"
    sys.path.insert(0, str(RACINE))

    import django

    django.setup()


def base_des_exemples(fichier_sqlite, *, garder=False):
    """The SQLite file with the migrations and the seed documents loaded, then `django.setup()`; with `garder`, a
    previous run's file as it is."""
    if garder and Path(fichier_sqlite).exists():
        os.environ["DATABASE_URL"] = f"sqlite:///{fichier_sqlite}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "calpae.settings.test"
        sys.path.insert(0, str(RACINE))
        import django

        django.setup()
        return
    preparer_base("sqlite", fichier_sqlite=fichier_sqlite, base_postgres=None)
    from django.core.management import call_command

    from exemples.chargement import charger_exemples

    call_command("migrate", verbosity=0)
    charger_exemples(log=lambda message: None)
