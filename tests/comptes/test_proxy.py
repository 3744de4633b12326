"""The sign-in lockout behind the platform's proxy: django-axes keys on the client's address as core.clients reads it
(the N-th address from the right of X-Forwarded-For, N trusted proxies), never on the proxy's nor on what the client
wrote in the header."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from core.clients import adresse_du_client

PROXY = "10.0.0.1"
URL = reverse("comptes:connexion")
COMPTE = "agent.haut-rhin@demo.calpae.fr"


@pytest.mark.parametrize(
    ("proxies", "entete", "attendu"),
    [
        (0, "203.0.113.7", PROXY),  # no trusted proxy: the header is anyone's
        (1, None, PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged leftmost entry
        (1, "6.6.6.6,203.0.113.7", "203.0.113.7"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "", PROXY),
        (1, "pas-une-adresse", PROXY),
        (1, "6.6.6.6, ", PROXY),
        (2, "203.0.113.7, 198.51.100.9", "203.0.113.7"),  # client, then the first proxy's address
        (2, "6.6.6.6, 203.0.113.7, 198.51.100.9", "203.0.113.7"),
        (2, "198.51.100.9", PROXY),  # a chain shorter than the proxies
    ],
)
def test_the_client_address(settings, proxies, entete, attendu):
    settings.CALPAE_PROXIES_DE_CONFIANCE = proxies
    meta = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_FORWARDED_FOR": entete} if entete is not None else {})
    assert adresse_du_client(RequestFactory().get("/", **meta)) == attendu


def connexion(client, mot_de_passe, *, entete):
    return client.post(
        URL, {"username": COMPTE, "password": mot_de_passe}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=entete
    )


@pytest.mark.django_db
class TestBlocageDerriereLeProxy:
    A, B = "203.0.113.7", "198.51.100.9"

    def test_five_failures_from_a_lock_a_only(self, settings, client, mot_de_passe_demo):
        settings.CALPAE_PROXIES_DE_CONFIANCE = 1
        assert [connexion(client, "mauvais", entete=self.A).status_code for _ in range(5)] == [200] * 4 + [429]
        assert connexion(client, mot_de_passe_demo, entete=self.A).status_code == 429
        # B reaches the application through the same proxy: the account opens for B.
        reponse = connexion(client, mot_de_passe_demo, entete=self.B)
        assert reponse.status_code == 302 and client.session["_auth_user_id"]
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [self.A]

    def test_a_forged_leftmost_address_does_not_escape_the_lockout(self, settings, client, mot_de_passe_demo):
        settings.CALPAE_PROXIES_DE_CONFIANCE = 1
        for _ in range(5):
            connexion(client, "mauvais", entete=self.A)
        # A writes another address in the header; the proxy appends A's real one.
        for forge in (self.B, "127.0.0.1", "6.6.6.6"):
            assert connexion(client, mot_de_passe_demo, entete=f"{forge}, {self.A}").status_code == 429

    def test_without_a_trusted_proxy_the_header_is_ignored(self, settings, client, mot_de_passe_demo):
        settings.CALPAE_PROXIES_DE_CONFIANCE = 0
        # Five failures "from" five addresses are five failures from the connecting address.
        for i in range(5):
            connexion(client, "mauvais", entete=f"203.0.113.{i}")
        assert connexion(client, mot_de_passe_demo, entete=self.B).status_code == 429
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
