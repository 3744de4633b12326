"""Putting a background job in the queue so that it sees what the request wrote.

A queue kept in the database (django-tasks-db) takes the job in the request's own transaction: the job and the rows
it works on are committed together, or neither is. A queue elsewhere (Redis, django-tasks-rq) would hand the job to a
worker before the rows are committed, so it gets the job once the transaction is committed; if the queue cannot be
reached then, the error is logged and the request still succeeds (its data is committed): `manage.py relancer_pdf`
puts back what is missing. The immediate backend of the tests runs the job at once, in the transaction.
"""

from functools import partial

from django.db import transaction
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend

DANS_LA_TRANSACTION = (DatabaseBackend, ImmediateBackend, DummyBackend)


def mettre_en_file(tache, *args):
    """Enqueue `tache(*args)`: at once when the queue shares the transaction, else after the commit."""
    if isinstance(tache.get_backend(), DANS_LA_TRANSACTION):
        tache.enqueue(*args)
    else:
        transaction.on_commit(partial(tache.enqueue, *args), robust=True)
