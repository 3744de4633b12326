"""The WSGI application gunicorn serves (Procfile): production settings unless the environment names others."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "calpae.settings.prod")
application = get_wsgi_application()
