"""Test settings: imports base and overrides (`make test`)."""

import hashlib
import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402,F403
from .base import DATABASES, STORAGES, TEMPLATES

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TEMPLATES[0]["OPTIONS"]["debug"] = True
# Static files come from the finders (no collectstatic in tests).
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# Jobs run at once, in the test's own transaction (tests/rapports/test_taches.py runs the real worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No PDF laid out ahead of time after each write (tests/rapports/test_pdf_pret.py turns it on).
CALPAE_PDF_PREPARE_APRES_SECONDES = None

# Stored files (transmitted versions, prepared PDFs) in a folder of the machine's temporary space, one per checkout.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"calpae_fichiers_{hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]}"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's default in-memory database: the tests then run on SQLite as it runs in production (WAL
    # journal, immediate transactions), and concurrent writers in threads use real separate connections.
    # Named after the checkout's path: two clones on one machine never share it (xdist adds a suffix per worker).
    CHECKOUT = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"calpae_tests_{CHECKOUT}.sqlite3")}
