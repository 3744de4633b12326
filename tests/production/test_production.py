"""Production as it is served (docs/production.md): the production settings pass `check --deploy` with the
documented environment, and the WSGI application gunicorn runs serves pages, static files and French error pages
with DEBUG off, behind a TLS proxy. Each runs in its own process: the production settings are not the tests'."""

import os
import re
import secrets
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "calpae.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "calpae.example.gouv.fr",
}


def lancer(*arguments, **environnement):
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (tests/navigateur/conftest.py sets it for the rest of the
    # worker's session): `check --deploy` rightly refuses it (async.E001) when this test runs after them.
    env = {cle: valeur for cle, valeur in os.environ.items() if cle != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**env, **PRODUCTION, **environnement}
    return subprocess.run(
        [sys.executable, *arguments], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_has_no_warning_with_the_documented_environment():
    resultat = lancer("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "no issues" in resultat.stdout


def test_check_deploy_refuses_a_weak_secret_key():
    resultat = lancer("manage.py", "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="court")
    assert resultat.returncode != 0 and "security.W009" in resultat.stderr


# Serves requests through calpae.wsgi.application as gunicorn does, and prints what came back.
SERVIR = textwrap.dedent(
    """
    import json, sys
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults
    from calpae.wsgi import application
    from django.conf import settings

    def get(chemin, **entetes):
        environ = {"PATH_INFO": chemin, "HTTP_HOST": "calpae.example.gouv.fr", "wsgi.input": BytesIO(), **entetes}
        setup_testing_defaults(environ)
        recu = {}
        def start_response(statut, entetes, exc_info=None):
            recu["statut"], recu["entetes"] = int(statut.split()[0]), dict(entetes)
        corps = b"".join(application(environ, start_response))
        return {**recu, "corps": corps.decode("utf-8", "replace")}

    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    connexion = get("/comptes/connexion/", **https)
    css = [m for m in connexion["corps"].split('"') if m.startswith("/static/") and m.endswith(".css")][0]
    import gc
    print(json.dumps({
        "gele": gc.get_freeze_count(),
        "debug": settings.DEBUG,
        "http": get("/comptes/connexion/"),
        "sante_http": get("/sante/", HTTP_HOST="10.0.0.5:8000")["statut"],
        "connexion": connexion,
        "css": get(css, **https),
        "introuvable": get("/nexiste-pas/", **https),
        "hote_inconnu": get("/comptes/connexion/", HTTP_HOST="ailleurs.example.com", **https),
    }))
    """
)


@pytest.fixture(scope="module")
def statiques(tmp_path_factory):
    """Its own database and static files directory, prepared as the platform's release and build steps do."""
    dossier = tmp_path_factory.mktemp("production")
    statiques = {"DJANGO_STATIC_ROOT": str(dossier / "static"), "DATABASE_URL": f"sqlite:///{dossier / 'vide.sqlite3'}"}
    for etape in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
        preparation = lancer("manage.py", *etape, "-v", "0", **statiques)
        assert preparation.returncode == 0, preparation.stderr
    return statiques


def test_the_wsgi_application_serves_pages_static_files_and_french_errors(statiques):
    resultat = lancer("-c", SERVIR, **statiques)
    assert resultat.returncode == 0, resultat.stderr
    import json

    recu = json.loads(resultat.stdout.strip().splitlines()[-1])
    assert recu["debug"] is False
    assert recu["gele"] > 10_000  # the loaded application is out of the collector's walks (core.processus)
    # Plain HTTP is sent to HTTPS, except the platform's health probe.
    assert recu["http"]["statut"] == 301
    assert recu["http"]["entetes"]["Location"] == "https://calpae.example.gouv.fr/comptes/connexion/"
    assert recu["sante_http"] == 200  # the probe: plain HTTP to the container's address, not redirected nor refused
    connexion = recu["connexion"]
    assert connexion["statut"] == 200 and "Connexion" in connexion["corps"]
    assert connexion["entetes"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "csrftoken=" in connexion["entetes"]["Set-Cookie"] and "Secure" in connexion["entetes"]["Set-Cookie"]
    # The static files are the collected, fingerprinted ones, served by the application itself (WhiteNoise).
    assert recu["css"]["statut"] == 200 and recu["css"]["entetes"]["Content-Type"].startswith("text/css")
    assert "immutable" in recu["css"]["entetes"]["Cache-Control"]
    introuvable = recu["introuvable"]
    assert introuvable["statut"] == 404 and '<html lang="fr"' in introuvable["corps"]
    assert "Page introuvable" in introuvable["corps"] and "Revenir à l'accueil" in introuvable["corps"]
    assert recu["hote_inconnu"]["statut"] == 400 and '<html lang="fr"' in recu["hote_inconnu"]["corps"]


def test_gunicorn_serves_with_its_configuration_and_replaces_its_processes_without_a_pause(statiques):
    """gunicorn.conf.py as the Procfile runs it: the application loaded once by the master, then forked. With a
    limit of 4 requests a process, 30 requests see processes replaced, and every one is answered (a replacement is
    forked from the loaded master, not booted again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {cle: valeur for cle, valeur in os.environ.items() if cle != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= PRODUCTION | statiques | {"GUNICORN_BIND": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"}
    env |= {"GUNICORN_MAX_REQUESTS": "4", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    serveur = subprocess.Popen(
        [gunicorn, "calpae.wsgi", "--config", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        limite = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < limite and serveur.poll() is None, "gunicorn ne démarre pas"
                time.sleep(0.2)
        statuts = []
        for _ in range(30):
            requete = urllib.request.Request(
                f"http://127.0.0.1:{port}/comptes/connexion/", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(requete, timeout=10) as reponse:
                statuts.append((reponse.status, "Connexion" in reponse.read().decode()))
    finally:
        serveur.terminate()
        journal = serveur.communicate(timeout=30)[0]
    assert statuts == [(200, True)] * 30
    assert "Using worker: sync" in journal
    assert journal.count("Autorestarting worker") >= 4, journal  # the limit replaced processes during the run
    assert "Traceback" not in journal and "Exception" not in journal, journal


def test_every_environment_variable_read_is_documented():
    """docs/production.md lists every variable the settings, gunicorn.conf.py and the Procfile read."""
    racine = Path(settings.BASE_DIR)
    lus = set()
    for source in [*(racine / "calpae").rglob("*.py"), racine / "gunicorn.conf.py"]:
        texte = source.read_text(encoding="utf-8")
        lus |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", texte))
        lus |= set(re.findall(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", texte))
    lus |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", (racine / "Procfile").read_text(encoding="utf-8")))
    documentation = (racine / "docs" / "production.md").read_text(encoding="utf-8")
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "GUNICORN_MAX_REQUESTS", "DJANGO_CONN_MAX_AGE", "REDIS_URL"} <= lus
    assert sorted(nom for nom in lus if f"`{nom}`" not in documentation) == []
