"""Production as it is served (docs/production.md): the production settings pass `check --deploy` with the
documented environment, and the WSGI application gunicorn runs serves pages, static files and French error pages
with DEBUG off, behind a TLS proxy. Each runs in its own process: the production settings are not the tests'."""

import os
import secrets
import subprocess
import sys
import textwrap

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


def test_the_wsgi_application_serves_pages_static_files_and_french_errors(tmp_path):
    # Its own database and static files directory, prepared as the platform's release and build steps do.
    statiques = {
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vide.sqlite3'}",
    }
    for etape in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput"]):
        preparation = lancer("manage.py", *etape, "-v", "0", **statiques)
        assert preparation.returncode == 0, preparation.stderr
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
