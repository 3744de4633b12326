"""Strict test set-up: the seed documents are loaded once per test database (and put back after a test that empties
the tables, such as a browser test); unknown template variables fail."""

import logging

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import TestCase, TransactionTestCase
from pytest_django.fixtures import validate_django_db

from comptes.models import User
from exemples.chargement import MOT_DE_PASSE_DEMO, charger_exemples

# Variables that third-party base templates read on purpose when absent (the CSP nonce until django-csp is set).
TOLERATED_VARIABLES = ()  # none: django-csp sets request.csp_nonce
# Third-party templates rendered on their own (the admin, django-dsfr's field snippets and its versions of Django's
# widget templates) read optional variables.
TOLERATED_TEMPLATES = (
    "in template 'admin/",
    "in template 'registration/",
    "in template 'dsfr/",
    "in template 'django/forms/",
    "in template 'auth/widgets/",  # Django's password summary: `password_url|default:…`
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test sees the seed data (each test runs in a transaction rolled back at its end)."""
    with django_db_blocker.unblock():
        charger_exemples(log=lambda message: None)
        _base.instantane = connection.creation.serialize_db_to_string()
    _base.bloqueur = django_db_blocker


class _Base:
    """The test database as `django_db_setup` left it (migrations' data and seeds), to put back after a flush."""

    instantane = None  # JSON of every row, as Django's serialized_rollback keeps it
    bloqueur = None
    videe = False  # a test that empties the tables (see below) has run since the last restore


_base = _Base()

# A transactional test (`live_server`, `transactional_db`...: Django's TransactionTestCase) does not roll back: it
# empties every table at its end, seeds and migrations' rows (DsfrConfig) alike. The next test's set-up puts them back.
FIXTURES_TRANSACTIONNELLES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _vide_la_base(item) -> bool:
    classe = getattr(item, "cls", None)
    if classe is not None and issubclass(classe, TransactionTestCase):
        return not issubclass(classe, TestCase)
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return transaction or reset_sequences or bool(FIXTURES_TRANSACTIONNELLES.intersection(item.fixturenames))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test (so before its transaction opens): restore the base if the last test emptied it.

    A hook, not an autouse fixture: pytest-django's autouse fixture opens the test's transaction before ours would
    run. No query otherwise: only a test of the kind above sets the flag.
    """
    if _base.videe and _base.instantane is not None:
        with _base.bloqueur.unblock():
            assert not connection.in_atomic_block, "restoring the seeds inside a transaction"
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
            connection.creation.deserialize_db_from_string(_base.instantane)
            with connection.cursor() as cursor:  # PostgreSQL: sequences back above the restored ids
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)
    _base.videe = _vide_la_base(item)


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


@pytest.fixture(autouse=True)
def cache_vide():
    """Each test starts with an empty cache: the password reset counts of one test never limit another."""
    cache.clear()


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
