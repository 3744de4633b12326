"""Browser tests: Debian's Chromium driven by Playwright (sync API) against pytest-django's live server.

Fixtures and helpers (`connecter`, `verifier_accessibilite`, `capture`) are in conftest.py.
"""
