"""The WSGI application gunicorn serves (Procfile): production settings unless the environment names others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calpae.settings.prod")
application = get_wsgi_application()

from core.processus import preparer_le_processus  # noqa: E402 - once Django is set up

preparer_le_processus()  # once, in gunicorn's master (gunicorn.conf.py): URLconf, templates, frozen heap
