"""/sante/: outside the sign-in, the database, the storage and the queue's oldest job, in JSON."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from .test_files_d_attente import redis_ecoute

pytestmark = pytest.mark.django_db

QUEUE_EN_BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=QUEUE_EN_BASE)
def test_health_answers_without_sign_in(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        reponse = client.get("/sante/")
    assert reponse.status_code == 200
    assert reponse["Cache-Control"].count("no-store") == 1
    corps = reponse.json()
    assert corps["statut"] == "ok" and corps["base"] == "ok" and corps["stockage"] == "ok"
    assert corps["file_d_attente"] == {"en_attente": 0, "plus_ancienne_secondes": 0}


@override_settings(TASKS=QUEUE_EN_BASE, CALPAE_SANTE_FILE_MAX_SECONDES=600)
def test_health_reports_a_queue_that_is_not_emptied(client):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="rapports.taches.preparer_pdf",
        backend_name="default",
        run_after=timezone.now() - timedelta(hours=1),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=20))
    corps = client.get("/sante/").json()
    assert corps["statut"] == "degrade"  # still 200: the web servers stay in the load balancer
    assert corps["file_d_attente"]["en_attente"] == 1
    assert 1190 <= corps["file_d_attente"]["plus_ancienne_secondes"] <= 1210


def test_health_answers_503_when_the_storage_fails(client, settings, tmp_path):
    fichier = tmp_path / "pas-un-dossier"
    fichier.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(fichier)}},
    }
    reponse = client.get("/sante/")
    assert reponse.status_code == 503
    corps = reponse.json()
    assert corps["statut"] == "en panne" and corps["base"] == "ok" and corps["stockage"].startswith("erreur")


def test_health_refuses_other_methods(client):
    assert client.post("/sante/").status_code == 405


QUEUE_REDIS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=QUEUE_REDIS, RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0"}})
def test_health_with_a_redis_queue_out_of_reach_is_degraded_not_down(client):
    reponse = client.get("/sante/")
    assert reponse.status_code == 200  # the web servers still answer: only the PDFs wait
    corps = reponse.json()
    assert corps["statut"] == "degrade" and corps["file_d_attente"] == "erreur : ConnectionError"


@pytest.mark.skipif(
    not redis_ecoute(), reason="Redis n'écoute pas sur 127.0.0.1:6379 (il tourne sur les machines de CI)"
)
@override_settings(TASKS=QUEUE_REDIS, RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:6379/14"}})
def test_health_reads_the_age_of_the_oldest_job_in_redis(client):
    import django_rq
    from rq.job import Job

    file = django_rq.get_queue("default")
    file.empty()
    job = file.enqueue_job(Job.create("rapports.tasks.generer_pdf_prepare", args=[0], connection=file.connection))
    job.enqueued_at = timezone.now() - timedelta(minutes=20)
    job.save()
    try:
        corps = client.get("/sante/").json()
    finally:
        file.empty()
    assert corps["file_d_attente"]["en_attente"] == 1 and corps["statut"] == "degrade"
    assert 1190 <= corps["file_d_attente"]["plus_ancienne_secondes"] <= 1210
