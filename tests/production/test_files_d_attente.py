"""Scale-out of the background jobs (docs/production.md): several workers share the database queue, each job run once;
with REDIS_URL the same jobs go through a Redis queue (django-tasks-rq), given to it only once the transaction that
wrote their rows is committed. The workers run as the platform runs them: `manage.py` in processes of their own,
against the test database, whose rows this test commits (transaction=True)."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from conventions.models import Exercice
from core.telechargement import lire
from rapports.models import PdfPrepare
from rapports.tasks import generer_pdf_prepare

pytestmark = pytest.mark.django_db(transaction=True)

HTML = '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><p>Rapport n°{n}</p></body></html>'
FILE_BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS_ESSAI = "redis://127.0.0.1:6379/13"  # an index of its own, emptied by the test


def url_de_la_base():
    """The test database, as DATABASE_URL for a process of its own."""
    base = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{base['NAME']}"
    return f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{base['NAME']}"


def manage(*arguments, **environnement):
    """`manage.py …` in a new process, with the base settings (not the tests', whose queue runs jobs at once)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "calpae.settings.base",
        "DJANGO_SECRET_KEY": "essai-des-files-d-attente",
        "DATABASE_URL": url_de_la_base(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the files it writes, where the test reads them
        **environnement,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def demandes(nombre):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    return [
        PdfPrepare.objects.create(exercice=exercice, empreinte=f"essai-{n}", html=HTML.format(n=n))
        for n in range(nombre)
    ]


def test_two_database_workers_share_the_queue_one_job_each(settings):
    settings.TASKS = FILE_BASE
    prepares = demandes(2)
    for prepare in prepares:
        generer_pdf_prepare.enqueue(prepare.pk)
    assert DBTaskResult.objects.ready().count() == 2
    travailleurs = [
        manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--max-tasks", "1", "--worker-id", nom)
        for nom in ("travailleur-a", "travailleur-b")
    ]
    for travailleur in travailleurs:
        sortie = travailleur.communicate(timeout=120)[0]
        assert travailleur.returncode == 0, sortie
    resultats = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in resultats] == ["SUCCESSFUL", "SUCCESSFUL"]
    # Each worker took one job (the other skipped the one being worked), and no job was run twice.
    assert sorted(tuple(r.worker_ids) for r in resultats) == [("travailleur-a",), ("travailleur-b",)]
    for prepare in prepares:
        prepare.refresh_from_db()
        assert lire(prepare.pdf)[:5] == b"%PDF-" and prepare.pdf_genere_le is not None


def redis_ecoute():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(
    not redis_ecoute(), reason="Redis n'écoute pas sur 127.0.0.1:6379 (installé et lancé sur les machines de CI)"
)
def test_with_redis_the_job_is_queued_after_the_commit_and_worked_by_rq():
    import redis

    redis.Redis.from_url(REDIS_ESSAI).flushdb()
    (prepare,) = demandes(1)
    # The application's own code path, in a process configured for Redis: inside a transaction the job is not in the
    # queue yet (a worker would not find the row); after the commit it is.
    script = (
        "from django.db import transaction\n"
        "import django_rq\n"
        "from core.taches import mettre_en_file\n"
        "from rapports.tasks import generer_pdf_prepare\n"
        "file = django_rq.get_queue('default')\n"
        "with transaction.atomic():\n"
        f"    mettre_en_file(generer_pdf_prepare, {prepare.pk})\n"
        "    print('pendant', file.count)\n"
        "print('apres', file.count)\n"
    )
    envoi = manage("shell", "-c", script, REDIS_URL=REDIS_ESSAI)
    sortie = envoi.communicate(timeout=120)[0]
    assert envoi.returncode == 0, sortie
    assert "pendant 0" in sortie and "apres 1" in sortie, sortie

    travailleur = manage("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job", REDIS_URL=REDIS_ESSAI)
    sortie = travailleur.communicate(timeout=120)[0]
    assert travailleur.returncode == 0, sortie
    prepare.refresh_from_db()
    assert lire(prepare.pdf)[:5] == b"%PDF-" and prepare.pdf_genere_le is not None
    assert redis.Redis.from_url(REDIS_ESSAI).llen("rq:queue:default") == 0
    redis.Redis.from_url(REDIS_ESSAI).flushdb()


def test_relancer_pdf_puts_back_what_waits_too_long(settings):
    settings.TASKS = FILE_BASE
    ancien, recent = demandes(2)
    PdfPrepare.objects.filter(pk=ancien.pk).update(
        demande_le=ancien.demande_le - __import__("datetime").timedelta(hours=1)
    )
    commande = manage("relancer_pdf", "--minutes", "10")
    sortie = commande.communicate(timeout=120)[0]
    assert commande.returncode == 0 and "0 version(s) transmise(s) et 1 PDF demandé(s) remis en file." in sortie
    assert list(DBTaskResult.objects.values_list("args_kwargs", flat=True)) == [{"args": [ancien.pk], "kwargs": {}}]
