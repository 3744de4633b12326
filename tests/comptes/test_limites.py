"""Password reset limited per address and per client (comptes.views.MotDePasseOublieView, core.clients): above a
limit nothing is sent and the page is the one any request gets."""

import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core import clients

pytestmark = pytest.mark.django_db

URL = reverse("comptes:mot_de_passe_oublie")
COMPTES = [
    "agent.bas-rhin@demo.calpae.fr",
    "agent.haut-rhin@demo.calpae.fr",
    "agent.alsace@demo.calpae.fr",
    "referent.prefecture@demo.calpae.fr",
    "admin@demo.calpae.fr",
]
MILIEU_D_UNE_HEURE = 1_800_000_000 // 3600 * 3600 + 1800
PROXY = "10.0.0.1"  # the platform's TLS proxy, the connecting address of every request


def demander(client, email, *, depuis="203.0.113.7"):
    """A reset request from the client at `depuis`, through one proxy that appends it to X-Forwarded-For."""
    return client.post(URL, {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=depuis, follow=True)


def destinataires():
    return [message.to[0] for message in mail.outbox]


@pytest.fixture(autouse=True)
def un_proxy(settings):
    settings.CALPAE_PROXIES_DE_CONFIANCE = 1


class TestParAdresse:
    def test_the_fourth_request_for_one_address_sends_nothing_and_reads_the_same(self, client):
        assert settings.CALPAE_REINITIALISATION_PAR_ADRESSE == 3
        pages = [demander(client, "agent.bas-rhin@demo.calpae.fr") for _ in range(4)]
        assert destinataires() == ["agent.bas-rhin@demo.calpae.fr"] * 3
        # The fourth answer is the neutral page every request gets: no word of a limit.
        assert [page.redirect_chain for page in pages] == [pages[0].redirect_chain] * 4
        assert pages[3].content == pages[0].content
        assert "Si un compte correspond à cette adresse" in pages[3].content.decode()

    def test_the_address_counts_whatever_its_case_and_other_addresses_are_unaffected(self, client):
        casses = ["agent.bas-rhin@demo.calpae.fr", "AGENT.Bas-Rhin@demo.calpae.fr", "Agent.bas-rhin@DEMO.calpae.fr"]
        for email in [*casses, "AGENT.BAS-RHIN@DEMO.CALPAE.FR"]:
            demander(client, email)
        assert len(mail.outbox) == 3
        demander(client, "agent.haut-rhin@demo.calpae.fr")
        assert destinataires()[-1] == "agent.haut-rhin@demo.calpae.fr"

    def test_unknown_addresses_count_too_and_invalid_input_is_not_counted(self, client):
        for _ in range(5):
            assert demander(client, "inconnu@exemple.fr").status_code == 200
        refus = client.post(URL, {"email": "pas-une-adresse"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert refus.status_code == 200 and "Saisissez une adresse" in refus.content.decode()
        assert mail.outbox == []
        demander(client, "agent.haut-rhin@demo.calpae.fr")  # 6 valid requests from this client so far: within 10
        assert destinataires() == ["agent.haut-rhin@demo.calpae.fr"]

    def test_the_next_window_allows_the_address_again(self, client, monkeypatch):
        monkeypatch.setattr(clients, "time", SimpleNamespace(time=lambda: MILIEU_D_UNE_HEURE))
        for _ in range(4):
            demander(client, "agent.bas-rhin@demo.calpae.fr")
        assert len(mail.outbox) == 3
        monkeypatch.setattr(clients, "time", SimpleNamespace(time=lambda: MILIEU_D_UNE_HEURE + 3600))
        demander(client, "agent.bas-rhin@demo.calpae.fr")
        assert len(mail.outbox) == 4


class TestParClient:
    def test_the_eleventh_request_from_one_client_sends_nothing_another_client_is_served(self, client):
        assert settings.CALPAE_REINITIALISATION_PAR_CLIENT == 10
        for email in COMPTES * 2:  # two requests per address: within the address limit
            demander(client, email, depuis="203.0.113.7")
        assert len(mail.outbox) == 10
        page = demander(client, "agent.bas-rhin@demo.calpae.fr", depuis="203.0.113.7")
        assert "Si un compte correspond à cette adresse" in page.content.decode()
        assert len(mail.outbox) == 10
        # The same client forging the left of X-Forwarded-For is still itself.
        demander(client, "agent.bas-rhin@demo.calpae.fr", depuis="198.51.100.1, 203.0.113.7")
        assert len(mail.outbox) == 10
        # Another client, through the same proxy, is served.
        demander(client, "agent.bas-rhin@demo.calpae.fr", depuis="198.51.100.1")
        assert destinataires()[-1] == "agent.bas-rhin@demo.calpae.fr" and len(mail.outbox) == 11

    @override_settings(CALPAE_REINITIALISATION_PAR_CLIENT=2)
    def test_the_limits_come_from_the_settings(self, client):
        for email in COMPTES[:3]:
            demander(client, email)
        assert destinataires() == COMPTES[:2]


class TestCompteur:
    def test_the_database_cache_keeps_the_window_through_its_generic_increment(self, settings, monkeypatch):
        """Django's database cache increments by writing the value back with the cache's default timeout: the
        counter gives the window's timeout back, else the count would vanish that long after the last request."""
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "limites", "TIMEOUT": 1}
        }
        call_command("createcachetable", verbosity=0)
        monkeypatch.setattr(clients, "time", SimpleNamespace(time=lambda: MILIEU_D_UNE_HEURE))
        assert [clients.dans_la_limite("essai", "x@exemple.fr", limite=3, fenetre=3600) for _ in range(3)] == [True] * 3
        time.sleep(1.2)  # past the cache's default timeout
        assert clients.dans_la_limite("essai", "x@exemple.fr", limite=3, fenetre=3600) is False
        with connection.cursor() as curseur:
            curseur.execute("SELECT cache_key, value FROM limites")
            assert "exemple" not in str(curseur.fetchall())  # a hash, never the address
