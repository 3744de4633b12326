"""The Content Security Policy as the browser applies it: an injected inline script does not run."""

from playwright.sync_api import Error

from .conftest import connecter


def test_an_injected_inline_script_does_not_run(page, live_server, refus_csp):
    connecter(page, live_server, "agent.haut-rhin@demo.calpae.fr")
    try:
        page.add_script_tag(content="window.injecte = true;")
    except Error:
        pass  # Playwright may report the refused script itself
    assert page.evaluate("window.injecte === undefined")
    page.wait_for_timeout(200)  # the console message follows the refusal
    assert any("Content Security Policy" in texte for texte in refus_csp)
    refus_csp.clear()
