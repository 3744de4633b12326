"""Strict test set-up: the seed documents are loaded once per test database; unknown template variables fail."""

import logging

import pytest

from comptes.models import User
from conventions.chargement import MOT_DE_PASSE_DEMO, charger_exemples

# Variables that third-party base templates read on purpose when absent (the CSP nonce until django-csp is set).
TOLERATED_VARIABLES = ("'csp_nonce'",)
# Third-party templates rendered on their own (the admin, django-dsfr's field snippets) read optional variables.
TOLERATED_TEMPLATES = ("in template 'admin/", "in template 'registration/", "in template 'dsfr/")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test sees the seed data (each test runs in a transaction rolled back at its end)."""
    with django_db_blocker.unblock():
        charger_exemples(log=lambda message: None)


class _InvalidVariableHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        message = record.getMessage()
        if "Exception while resolving variable" in message and not any(
            tolerated in message for tolerated in TOLERATED_VARIABLES + TOLERATED_TEMPLATES
        ):
            self.records.append(message)


@pytest.fixture(autouse=True)
def strict_templates():
    """A variable our templates use but the context lacks is a bug, not an empty string."""
    logger = logging.getLogger("django.template")
    handler = _InvalidVariableHandler()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    logger.setLevel(previous)
    assert not handler.records, "\n".join(handler.records)


def _login(client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    return user


@pytest.fixture
def agent_68(client):
    return _login(client, "agent.haut-rhin@demo.calpae.fr")


@pytest.fixture
def agent_67(client):
    return _login(client, "agent.bas-rhin@demo.calpae.fr")


@pytest.fixture
def agent_cea(client):
    return _login(client, "agent.alsace@demo.calpae.fr")


@pytest.fixture
def referent(client):
    return _login(client, "referent.prefecture@demo.calpae.fr")


@pytest.fixture
def administrateur(client):
    return _login(client, "admin@demo.calpae.fr")


@pytest.fixture
def mot_de_passe_demo():
    return MOT_DE_PASSE_DEMO
