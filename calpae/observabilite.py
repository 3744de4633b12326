"""What the production servers tell the operators: errors to Sentry when `SENTRY_DSN` is set, and logs on the
standard output, one JSON object a line, which the platform collects. Neither carries personal data: e-mail
addresses and IP addresses are masked in every text, the user is only an id, cookies and forwarding headers are
dropped (calpae/settings/prod.py wires both; docs/production.md)."""

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime

ADRESSE_ELECTRONIQUE = re.compile(r"[\w.%+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")  # also URL-encoded, in a query
# Candidates only: a run of hexadecimal digits, dots and colons is masked when it parses as an address.
ADRESSE_IP = re.compile(r"(?<![\w:.])[0-9A-Fa-f]*[:.][0-9A-Fa-f:.]*[0-9A-Fa-f](?![\w:]|\.\w)")
# Headers that carry cookies, credentials or the client's address.
ENTETES_PERSONNELLES = {"cookie", "set-cookie", "authorization", "x-forwarded-for", "x-real-ip", "forwarded"}
# Form fields that name a person (the sign-in's `username` is an e-mail address).
CHAMPS_PERSONNELS = {"username", "email", "password", "new_password1", "new_password2", "old_password"}


def _adresse_ip(trouve: re.Match) -> str:
    try:
        ipaddress.ip_address(trouve.group())
    except ValueError:
        return trouve.group()
    return "[adresse IP]"


def masquer(valeur):
    """`valeur` with every e-mail address and IP address of its texts masked, through dicts, lists and tuples."""
    if isinstance(valeur, str):
        return ADRESSE_IP.sub(_adresse_ip, ADRESSE_ELECTRONIQUE.sub("[adresse électronique]", valeur))
    if isinstance(valeur, dict):
        return {masquer(cle): masquer(contenu) for cle, contenu in valeur.items()}
    if isinstance(valeur, list | tuple):
        return [masquer(element) for element in valeur]
    return valeur


def nettoyer_evenement(event, hint):
    """Sentry's `before_send`: the event without personal data. It never raises (an exception here would lose the
    error's report): if the event cannot be read, only its identity and level are sent."""
    try:
        event = dict(event)
        event["user"] = {"id": (event.get("user") or {}).get("id", "anonyme")}
        requete = dict(event.get("request") or {})
        requete.pop("cookies", None)
        requete["headers"] = {
            nom: valeur
            for nom, valeur in (requete.get("headers") or {}).items()
            if nom.lower() not in ENTETES_PERSONNELLES
        }
        requete["env"] = {nom: valeur for nom, valeur in (requete.get("env") or {}).items() if nom != "REMOTE_ADDR"}
        if isinstance(requete.get("data"), dict):
            requete["data"] = {
                nom: "[masqué]" if nom in CHAMPS_PERSONNELS else valeur for nom, valeur in requete["data"].items()
            }
        if "request" in event:
            event["request"] = requete
        return masquer(event)
    except Exception:  # noqa: BLE001
        return {cle: event[cle] for cle in ("event_id", "timestamp", "level", "platform", "release") if cle in event}


def initialiser_sentry(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> None:
    """Errors (unhandled exceptions, ERROR logs) sent to Sentry, without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.logging import ignore_logger

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        before_send=nettoyer_evenement,
        before_send_transaction=nettoyer_evenement,
    )
    ignore_logger("django.security.DisallowedHost")  # a wrong host name is the client's error, answered by a 400


class FormatJson(logging.Formatter):
    """One JSON object a line: time, level, logger, message; for a request (django.request: 4xx and 5xx) its
    method, path and status, never its query string, cookies or user; the exception's traceback in one field."""

    def format(self, record):
        ligne = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        requete = getattr(record, "request", None)
        for cle, valeur in (
            ("method", getattr(requete, "method", None)),
            ("path", getattr(requete, "path", None)),
            ("status", getattr(record, "status_code", None)),
        ):
            if isinstance(valeur, str | int):
                ligne[cle] = valeur
        if record.exc_info:
            ligne["exception"] = self.formatException(record.exc_info)
        return json.dumps(masquer(ligne), ensure_ascii=False)
