"""A serving process, once the application is loaded (calpae/wsgi.py, and benchmarks/pages.py to measure the same).

Everything loaded at start (Django, the apps, the URLconf and the views it imports) lives as long as the process.
`gc.freeze()` puts it out of the cyclic collector's reach: a request that allocates many objects (the comparison reads
thousands of indicator values) no longer pays, every other time, a full collection that walks the whole application.
Measured on /comparaison/ with 404 exercices (benchmarks/pages.py): p95 140 → 74 ms on SQLite, same median.
"""

import gc


def figer_le_tas():
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on the first request
    gc.collect()
    gc.freeze()
