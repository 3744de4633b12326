"""A serving process, once the application is loaded (calpae/wsgi.py, and benchmarks/pages.py to measure the same).

gunicorn loads the application once, in its master process, then forks the processes that serve (gunicorn.conf.py,
`preload_app`). What is prepared here is therefore done once, and a process replaced after its `max_requests` starts
ready in milliseconds, instead of importing everything again while the requests wait:

- the URLconf and every view module it imports;
- every template of the project and of the installed apps, compiled into the cached loader (0.4 s): the first page
  of a new process no longer compiles its templates;
- no database connection left open: a connection must never be shared by forked processes;
- `gc.freeze()`: everything loaded now lives as long as the process, out of the cyclic collector's walks. A request
  that allocates many objects (the comparison reads thousands of indicator values) no longer pays, every other time,
  a full collection that walks the whole application. Measured on /comparaison/ with 404 exercices
  (benchmarks/pages.py): p95 140 → 74 ms on SQLite, same median. The frozen objects are shared with the forked
  processes, page for page, until written.
"""

import gc
from pathlib import Path

GABARITS = {".html", ".txt"}


def compiler_les_gabarits():
    """Compiles every template the Django engine can find into its cached loader. A template that does not compile on
    its own (an app's optional template, for a tag library we do not install) is left to fail where it is used."""
    from django.template import TemplateSyntaxError, engines
    from django.template.utils import get_app_template_dirs

    moteur = engines["django"].engine
    for dossier in [*moteur.dirs, *get_app_template_dirs("templates")]:
        for chemin in Path(dossier).rglob("*"):
            if chemin.suffix in GABARITS and chemin.is_file():
                try:
                    moteur.get_template(chemin.relative_to(dossier).as_posix())
                except TemplateSyntaxError:
                    continue


def preparer_le_processus():
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on the first request
    compiler_les_gabarits()
    connections.close_all()
    gc.collect()
    gc.freeze()
