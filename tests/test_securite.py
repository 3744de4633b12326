"""Security headers on every page: a strict Content Security Policy, and pages that need nothing inline."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client, agent_68):
    reponse = client.get(reverse("accueil"))
    politique = reponse["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in politique.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"  # no inline style
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no nonce
    html = reponse.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in s for s in scripts)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html), "inline script"
    assert not re.search(r"<style\b|\sstyle=", html), "inline style"


def test_the_login_page_too(client):
    assert "default-src 'self'" in client.get(reverse("comptes:connexion"))["Content-Security-Policy"]
