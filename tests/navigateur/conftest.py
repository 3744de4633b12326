"""Browser tests: Debian's Chromium (Playwright never downloads a browser here) against pytest-django's live server.

The live server makes each test transactional: its writes are committed, and every table is emptied at its end;
tests/conftest.py puts the database back (seeds included) before the next test, whatever it is.

Helpers for the tests: `connecter`, `verifier_accessibilite`, `capture`, `pages_principales` (import them from
`.conftest`).
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import connections
from django.urls import reverse
from playwright.sync_api import expect

from exemples.chargement import MOT_DE_PASSE_DEMO
from exemples.models import ChargementExemples

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package `chromium`, installed by `make navigateur`
ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WCAG 2.1 levels A and AA, what the RGAA (the State's accessibility standard) asks for.
NORMES_ACCESSIBILITE = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DOSSIER_CAPTURES = Path(settings.BASE_DIR) / "docs" / "screenshots"

_axe = Axe()


# Helpers


def connecter(page, live_server, email, mot_de_passe=MOT_DE_PASSE_DEMO):
    """Log in through the real login form; returns once the browser has left the login page."""
    __tracebackhide__ = True
    page.goto(live_server.url + reverse("comptes:connexion"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("comptes:connexion"))))


def verifier_accessibilite(page):
    """Run axe-core on the page as it is now (WCAG 2.1 A and AA rules); fail with the list of violations."""
    __tracebackhide__ = True
    resultats = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": NORMES_ACCESSIBILITE}, "resultTypes": ["violations"]}
    )
    violations = resultats.response["violations"]
    if violations:
        lignes = [f"{len(violations)} règle(s) d'accessibilité non respectée(s) sur {page.url} :"]
        for violation in violations:
            lignes.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']} <{violation['helpUrl']}>")
            lignes.extend(f"    {' >> '.join(map(str, noeud['target']))}" for noeud in violation["nodes"])
        raise AssertionError("\n".join(lignes))


def capture(page, nom):
    """Full-page screenshot in docs/screenshots/<nom>.png, only when CALPAE_CAPTURES=1 (else the tree stays clean)."""
    if os.environ.get("CALPAE_CAPTURES") != "1":
        return None
    DOSSIER_CAPTURES.mkdir(parents=True, exist_ok=True)
    chemin = DOSSIER_CAPTURES / f"{nom}.png"
    page.evaluate("document.fonts.ready")  # the Marianne font, not a fallback
    page.screenshot(path=chemin, full_page=True, animations="disabled", caret="hide")
    return chemin


def pages_principales(fiche):
    """The main pages of an agent, at the fiche of the Haut-Rhin 2019 seed report."""
    exercice = f"/exercices/{fiche.exercice.public_id}"
    return {
        "accueil_agent": "/",
        "exercice_synthese": f"{exercice}/",
        "fiches_liste": f"{exercice}/fiches/",
        "fiche": f"/fiches/{fiche.public_id}/",
        "fiche_modifier": f"/fiches/{fiche.public_id}/modifier/",
        "budget_modifier": f"/fiches/{fiche.public_id}/budgets/previsionnel/modifier/",
        "indicateurs_saisie": f"/fiches/{fiche.public_id}/indicateurs/",
        "fiche_historique": f"/fiches/{fiche.public_id}/historique/",
        "rapport": f"{exercice}/rapport/",
        "rapport_comparer": f"{exercice}/rapport/comparer/",
        "mon_compte": "/comptes/mon-compte/",
    }


# Fixtures (pytest-playwright's, adjusted)


@pytest.fixture(scope="session")
def _orm_sous_playwright():
    """Playwright's sync API keeps an asyncio loop running in this thread until the session ends, and Django then
    refuses any query ("You cannot call this from an async context"). The tests' code is synchronous: allow it, from
    the start of Playwright to its stop (every later test of this worker, pytest-django's flush included)."""
    avant = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if avant is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = avant


@pytest.fixture(scope="session")
def playwright(_orm_sous_playwright, playwright):
    yield playwright
    # While that loop runs, Django's connections in this thread are other objects (asgiref's Local, thread-critical,
    # turns into a context variable under a running loop). Close them before Playwright stops the loop: else they
    # stay open, and PostgreSQL refuses to drop the test database ("being accessed by other users").
    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} absent : lancez `make navigateur` (paquet Debian chromium).", pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ARGUMENTS_CHROMIUM}


@pytest.fixture(scope="session")
def base_url():
    """The pages' address comes from `live_server.url`. pytest-playwright's own `base_url` (used when pytest-base-url
    is not installed) is a fixture defined as an instance method, which pytest 9 deprecates: a warning, so an error."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def live_server(live_server):
    """pytest-django's live server (static files from the finders), on a database holding the seeds."""
    assert ChargementExemples.objects.exists(), "données d'exemple absentes : voir pytest_runtest_setup (conftest)"
    return live_server


# The suite runs on 2 workers beside PDF generation: a page can take seconds to come under that load. Generous
# waits keep the browser tests from failing on a busy machine (an assertion still fails when it is wrong).
expect.set_options(timeout=20_000)


@pytest.fixture
def refus_csp():
    """What the browser refused under the Content Security Policy during the test (console messages); a test that
    provokes a refusal on purpose empties it."""
    return []


@pytest.fixture
def page(page, live_server, refus_csp):
    """The page, failing the test at its end if the browser refused anything under the Content Security Policy (an
    inline script or style, a resource from elsewhere): what the CSP blocks is broken for the user."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    page.on(
        "console", lambda message: refus_csp.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    assert not refus_csp, "\n".join(refus_csp)
