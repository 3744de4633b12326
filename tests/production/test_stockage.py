"""Stored files go through the configured file storage (STORAGES["default"]), so that moving them to an S3 bucket is
a matter of settings: the transmitted version's PDF and workbook and the prepared PDFs are written to and read from
that storage, downloads included; with AWS_STORAGE_BUCKET_NAME the production settings use django-storages' S3."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from conventions.models import Exercice
from core.telechargement import lire
from rapports.models import PdfPrepare, VersionTransmise

from .test_production import lancer

pytestmark = pytest.mark.django_db

EN_MEMOIRE = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def stockage_en_memoire(settings):
    settings.STORAGES = {**settings.STORAGES, "default": EN_MEMOIRE}
    yield default_storage
    assert default_storage.listdir("")  # the fixture's storage was the one used


def test_a_transmitted_version_lives_in_the_configured_storage(client, agent_68, referent, stockage_en_memoire):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    client.force_login(agent_68)
    reponse = client.post(reverse("rapports:transmettre", args=[exercice.public_id]), {"justification": "Voir p. 3."})
    assert reponse.status_code == 302
    version = VersionTransmise.objects.get(rapport__exercice=exercice)
    for fichier in (version.pdf, version.classeur):
        assert fichier.name.startswith("rapports/versiontransmise/") and stockage_en_memoire.exists(fichier.name)
    client.force_login(referent)
    lien = reverse("rapports:version", args=[exercice.public_id, 1, "pdf"])
    telecharge = client.get(lien).content
    assert telecharge == lire(version.pdf) and len(PdfReader(io.BytesIO(telecharge)).pages) > 20
    classeur = client.get(reverse("rapports:version", args=[exercice.public_id, 1, "xlsx"])).content
    assert classeur == lire(version.classeur) and classeur[:2] == b"PK"


def test_a_replaced_prepared_pdf_takes_its_file_with_it(
    client, agent_68, stockage_en_memoire, django_capture_on_commit_callbacks
):
    exercice = Exercice.objects.get(convention__cle="68-2019-2021", libelle="2019")
    client.force_login(agent_68)
    assert client.get(reverse("rapports:pdf", args=[exercice.public_id])).status_code == 200
    ancien = PdfPrepare.objects.get(exercice=exercice)
    assert stockage_en_memoire.exists(ancien.pdf.name)
    with django_capture_on_commit_callbacks(execute=True):
        ancien.delete()
    assert not stockage_en_memoire.exists(ancien.pdf.name)


def test_the_production_settings_use_s3_when_a_bucket_is_named():
    script = (
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.file_overwrite, s.default_acl, s.endpoint_url)\n"
    )
    resultat = lancer(
        "manage.py",
        "shell",
        "-c",
        script,
        AWS_STORAGE_BUCKET_NAME="calpae-fichiers",
        AWS_S3_ENDPOINT_URL="https://s3.gra.io.cloud.ovh.net",
    )
    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.splitlines()[-1].split() == [
        "S3Storage",
        "calpae-fichiers",
        "False",
        "private",
        "https://s3.gra.io.cloud.ovh.net",
    ]
