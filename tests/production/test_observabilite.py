"""Errors and logs in production (calpae.observabilite, calpae/settings/prod.py): Sentry's events and the log lines
carry no e-mail address, IP address, cookie or user name; an error under the production settings is one JSON line
on the standard output, and one scrubbed Sentry event (caught by a local transport: no network)."""

import io
import json
import logging
import textwrap

from django.test import RequestFactory

from calpae.observabilite import FormatJson, masquer, nettoyer_evenement
from tests.production.test_production import lancer

PERSONNEL = ["camille.martin", "203.0.113.7", "2001:db8::7", "10.0.0.1", "sessionid", "Basic eHl6"]

# An event as sentry-sdk's Django integration builds it when personal data is allowed (the worst case).
EVENEMENT = {
    "event_id": "5f1e6a0c2b8d4e7f9a3c1b2d4e6f8a0c",
    "timestamp": "2026-11-05T10:12:03.123456Z",
    "level": "error",
    "platform": "python",
    "environment": "production",
    "release": "7c95451",
    "server_name": "web-1",
    "exception": {
        "values": [
            {
                "type": "IntegrityError",
                "value": "duplicate key value: Key (email)=(camille.martin@exemple.fr) already exists.",
                "stacktrace": {
                    "frames": [
                        {
                            "filename": "comptes/views.py",
                            "function": "form_valid",
                            "lineno": 31,
                            "vars": {
                                "adresse": "'camille.martin@exemple.fr'",
                                "client": "'203.0.113.7'",
                                "request": "<WSGIRequest: POST '/comptes/mot-de-passe/oublie/'>",
                            },
                        }
                    ]
                },
            }
        ]
    },
    "breadcrumbs": {
        "values": [
            {"category": "query", "message": "SELECT id FROM comptes_user WHERE email = 'camille.martin@exemple.fr'"},
            {"category": "axes", "message": "AXES: login failed for camille.martin@exemple.fr from 2001:db8::7."},
        ]
    },
    "request": {
        "url": "https://calpae.example.gouv.fr/comptes/mot-de-passe/oublie/",
        "method": "POST",
        "query_string": "email=camille.martin%40exemple.fr&suivant=/",
        "cookies": {"sessionid": "k2j3h4", "csrftoken": "a1b2c3"},
        "headers": {
            "Cookie": "sessionid=k2j3h4; csrftoken=a1b2c3",
            "Authorization": "Basic eHl6",
            "X-Forwarded-For": "203.0.113.7, 10.0.0.1",
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)",
            "Host": "calpae.example.gouv.fr",
        },
        "env": {"REMOTE_ADDR": "10.0.0.1", "SERVER_NAME": "web-1", "SERVER_PORT": "8000"},
        "data": {"email": "camille.martin@exemple.fr", "csrfmiddlewaretoken": "jeton"},
    },
    "user": {
        "id": "42",
        "email": "camille.martin@exemple.fr",
        "username": "camille.martin@exemple.fr",
        "ip_address": "203.0.113.7",
    },
    "contexts": {"runtime": {"name": "CPython", "version": "3.11.2"}},
}


class TestSentry:
    def test_the_event_keeps_what_explains_the_error_and_nothing_personal(self):
        nettoye = nettoyer_evenement(EVENEMENT, {})
        texte = json.dumps(nettoye, ensure_ascii=False)
        assert [trace for trace in PERSONNEL if trace in texte] == []
        assert nettoye["user"] == {"id": "42"}
        requete = nettoye["request"]
        assert "cookies" not in requete and requete["env"] == {"SERVER_NAME": "web-1", "SERVER_PORT": "8000"}
        assert requete["headers"] == {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)", "Host": "calpae.example.gouv.fr"}
        assert requete["data"] == {"email": "[masqué]", "csrfmiddlewaretoken": "jeton"}
        assert requete["query_string"] == "email=[adresse électronique]&suivant=/"
        exception = nettoye["exception"]["values"][0]
        assert exception["type"] == "IntegrityError"
        assert exception["value"] == "duplicate key value: Key (email)=([adresse électronique]) already exists."
        assert exception["stacktrace"]["frames"][0]["vars"]["client"] == "'[adresse IP]'"
        assert nettoye["breadcrumbs"]["values"][1]["message"] == (
            "AXES: login failed for [adresse électronique] from [adresse IP]."
        )
        # What is not personal stays as it was: versions, release, server, line numbers.
        assert nettoye["contexts"] == EVENEMENT["contexts"] and nettoye["release"] == "7c95451"
        assert exception["stacktrace"]["frames"][0]["lineno"] == 31
        assert EVENEMENT["user"]["email"] == "camille.martin@exemple.fr"  # the original is left untouched

    def test_an_anonymous_event_and_an_unreadable_one(self):
        assert nettoyer_evenement({"level": "error", "message": "x"}, {})["user"] == {"id": "anonyme"}
        illisible = {"event_id": "1", "level": "error", "request": {"headers": [("Cookie", "sessionid=k")]}}
        assert nettoyer_evenement(illisible, {}) == {"event_id": "1", "level": "error"}

    def test_what_is_not_an_address_is_kept(self):
        texte = "À 10:12:03, version 3.11.2, montant 1.234,56 €, fiche 12.3, ::, 1.2.3.4.5"
        assert masquer(texte) == texte
        assert masquer("depuis ::1 et 192.168.0.10.") == "depuis [adresse IP] et [adresse IP]."


class TestJournaux:
    def test_a_request_error_is_one_json_line_with_path_and_status(self):
        flux = io.StringIO()
        journal = logging.getLogger("essai.journaux")
        gestionnaire = logging.StreamHandler(flux)
        gestionnaire.setFormatter(FormatJson())
        journal.addHandler(gestionnaire)
        journal.propagate = False
        requete = RequestFactory().post(
            "/comptes/mot-de-passe/oublie/?email=camille.martin@exemple.fr", REMOTE_ADDR="203.0.113.7"
        )
        try:
            raise ValueError("Adresse camille.martin@exemple.fr refusée\nsur deux lignes")
        except ValueError:
            journal.error(
                "Internal Server Error: %s", requete.path, extra={"status_code": 500, "request": requete}, exc_info=True
            )
        finally:
            journal.removeHandler(gestionnaire)
        (ligne,) = flux.getvalue().splitlines()
        assert [trace for trace in PERSONNEL if trace in ligne] == []
        recu = json.loads(ligne)
        assert recu["level"] == "ERROR" and recu["logger"] == "essai.journaux"
        assert recu["message"] == "Internal Server Error: /comptes/mot-de-passe/oublie/"
        assert (recu["method"], recu["path"], recu["status"]) == ("POST", "/comptes/mot-de-passe/oublie/", 500)
        assert "ValueError: Adresse [adresse électronique] refusée\nsur deux lignes" in recu["exception"]


# Under the production settings with a Sentry DSN: a request fails; what reaches the standard output and Sentry.
SERVIR = textwrap.dedent(
    """
    import json, sys
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults
    import sentry_sdk
    from sentry_sdk.transport import Transport
    from calpae.wsgi import application
    from django.conf import settings
    from django.test import override_settings

    class Collecte(Transport):
        envois = []
        def capture_envelope(self, envelope):
            self.envois.append(envelope.serialize().decode())

    client_sentry = sentry_sdk.get_client()
    client_sentry.transport = Collecte(client_sentry.options)
    environ = {
        "PATH_INFO": "/echec/3/", "QUERY_STRING": "email=camille.martin@exemple.fr",
        "HTTP_HOST": "calpae.example.gouv.fr",
        "HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.7", "REMOTE_ADDR": "10.0.0.1",
        "HTTP_COOKIE": "csrftoken=a1b2c3", "wsgi.input": BytesIO(),
    }
    setup_testing_defaults(environ)
    statut = []
    # The error page's static files from the finders: no collectstatic for this test.
    fichiers = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    statiques = {**settings.STORAGES, "staticfiles": fichiers}
    with override_settings(ROOT_URLCONF="tests.production.urls_erreur", STORAGES=statiques):
        b"".join(application(environ, lambda s, h, e=None: statut.append(s)))
    sentry_sdk.flush()
    options = client_sentry.options
    print(json.dumps({
        "statut": statut, "envois": Collecte.envois, "pii": options["send_default_pii"],
        "environnement": options["environment"], "version": options["release"],
    }))
    """
)


def test_an_error_under_the_production_settings_is_one_json_line_and_one_scrubbed_sentry_event(tmp_path):
    resultat = lancer(
        "-c",
        SERVIR,
        DATABASE_URL=f"sqlite:///{tmp_path / 'vide.sqlite3'}",
        SENTRY_DSN="https://cle@sentry.example.invalid/1",
        SENTRY_ENVIRONMENT="recette",
        SENTRY_RELEASE="7c95451",
        DJANGO_LOG_LEVEL="INFO",
    )
    assert resultat.returncode == 0, resultat.stderr
    *lignes, fin = resultat.stdout.strip().splitlines()
    recu = json.loads(fin)
    assert recu["statut"] == ["500 Internal Server Error"]
    # Every line of the logs is a JSON object; the request error is one of them, with its path and status.
    journaux = [json.loads(ligne) for ligne in lignes]
    erreurs = [ligne for ligne in journaux if ligne["logger"] == "django.request"]
    assert len(erreurs) == 1, lignes
    (erreur,) = erreurs
    assert (erreur["level"], erreur["path"], erreur["status"], erreur["method"]) == ("ERROR", "/echec/3/", 500, "GET")
    assert "RuntimeError: Envoi impossible à [adresse électronique] depuis [adresse IP]" in erreur["exception"]
    assert [trace for trace in PERSONNEL if trace in resultat.stdout.replace(fin, "")] == []
    # Sentry: configured from the environment, without personal data, and the event it would send is scrubbed.
    assert (recu["pii"], recu["environnement"], recu["version"]) == (False, "recette", "7c95451")
    envois = [[json.loads(ligne) for ligne in envoi.splitlines() if ligne] for envoi in recu["envois"]]
    evenements = [json.dumps(envoi, ensure_ascii=False) for envoi in envois if envoi[1].get("type") == "event"]
    assert len(evenements) == 1, recu["envois"]
    assert "RuntimeError" in evenements[0] and "[adresse électronique]" in evenements[0]
    assert [trace for trace in [*PERSONNEL, "csrftoken", "a1b2c3"] if trace in evenements[0]] == []
