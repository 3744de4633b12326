"""The health endpoint, outside the sign-in: what the platform's probe and the operator's monitoring ask.

Answered by the first middleware, before the host check and the HTTPS redirect: the platform's probe speaks plain
HTTP to the container's own address. GET /sante/ answers 200 when the database and the file storage answer, 503
otherwise, in JSON. The age of the oldest job waiting in the queue is reported (and marks the state "degrade" past
CALPAE_SANTE_FILE_MAX_SECONDES) without failing the probe: a stuck worker must not take the web servers out of the load
balancer."""

import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _base():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _stockage():
    nom = default_storage.save(f"sante/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(nom)


def _file_d_attente():
    """The jobs waiting in the queue: the database's (django-tasks-db) or Redis's (django-tasks-rq)."""
    moteur = settings.TASKS["default"]["BACKEND"]
    if moteur == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        en_attente = DBTaskResult.objects.ready()
        nombre = en_attente.count()
        plus_ancienne = en_attente.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    elif moteur == "django_tasks_rq.RQBackend":
        import django_rq

        file = django_rq.get_queue("default")
        nombre = file.count  # a Redis out of reach raises here: the state is then "degrade"
        premiere = file.fetch_job(file.get_job_ids(0, 1)[0]) if nombre else None
        plus_ancienne = premiere.enqueued_at if premiere else None
    else:
        return None
    age = (timezone.now() - plus_ancienne).total_seconds() if plus_ancienne else 0
    return {"en_attente": nombre, "plus_ancienne_secondes": round(age)}


@never_cache
@require_GET
def sante(request):
    debut = time.monotonic()
    verifications = {}
    for nom, verifier in (("base", _base), ("stockage", _stockage)):
        try:
            verifier()
            verifications[nom] = "ok"
        except Exception as erreur:  # the probe reports any failure rather than answering 500
            verifications[nom] = f"erreur : {type(erreur).__name__}"
    en_panne = any(v != "ok" for v in verifications.values())
    file = None
    statut = "en panne" if en_panne else "ok"
    if not en_panne:
        try:
            file = _file_d_attente()
        except Exception as erreur:  # the queue's table missing (migrations not run) or unreadable
            file, statut = f"erreur : {type(erreur).__name__}", "degrade"
        if isinstance(file, dict) and file["plus_ancienne_secondes"] > settings.CALPAE_SANTE_FILE_MAX_SECONDES:
            statut = "degrade"
    corps = {
        "statut": statut,
        **verifications,
        "file_d_attente": file,
        "duree_ms": round((time.monotonic() - debut) * 1000),
    }
    return JsonResponse(corps, status=503 if en_panne else 200, json_dumps_params={"ensure_ascii": False})


class SondeDeSante:
    """First in MIDDLEWARE: /sante/ is answered here, the rest goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/sante/":
            return sante(request)
        return self.get_response(request)
