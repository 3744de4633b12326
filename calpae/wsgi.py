"""The WSGI application gunicorn serves (Procfile): production settings unless the environment names others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calpae.settings.prod")
application = get_wsgi_application()

from core.processus import figer_le_tas  # noqa: E402 - once Django is set up

figer_le_tas()  # what is loaded now lives as long as the process: out of the collector's walks
