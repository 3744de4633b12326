"""Backup and restore (core.sauvegarde, docs/production.md): the seed data plus rows with edge values are backed up,
the database and the media directory are wiped, the backup is restored, and every table's row count, every decimal
of every model, every stored binary and every stored file come back identical. A restore refuses a file that is not
a backup, a damaged one, a backup of another schema version and a database that already holds data, and changes
nothing when it fails half-way. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models.functions import Cast

from actions.models import Fiche
from budgets.models import Budget, LigneBudget, Part
from comptes.models import User
from indicateurs.models import ValeurIndicateur
from rapports.models import PdfPrepare, Rapport, VersionTransmise

# Bytes no text encoding survives: every byte value, a NUL, what starts a PDF and a zip.
OCTETS = bytes(range(256)) * 40 + b"\x00%PDF-1.7\x00PK\x03\x04"


def lignes_par_table():
    """Every model's row count, automatic many-to-many tables, content types and permissions included."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


def valeurs_stockees():
    """Every DecimalField value of every model, exactly as stored (read as text, so that a value too large for its
    column is compared too), and every BinaryField value, by model, primary key and field."""
    valeurs = {}
    for modele in apps.get_models():
        decimaux = [f.attname for f in modele._meta.concrete_fields if isinstance(f, models.DecimalField)]
        binaires = [f.attname for f in modele._meta.concrete_fields if isinstance(f, models.BinaryField)]
        if not decimaux and not binaires:
            continue
        lignes = modele._base_manager.annotate(**{f"t_{c}": Cast(c, models.TextField()) for c in decimaux})
        for ligne in lignes.values("pk", *(f"t_{c}" for c in decimaux), *binaires):
            for champ, valeur in ligne.items():
                if champ.startswith("t_") and valeur is not None:
                    valeur = Decimal(valeur)
                elif isinstance(valeur, memoryview):
                    valeur = valeur.tobytes()
                valeurs[modele._meta.label, ligne["pk"], champ] = valeur
    return valeurs


def fichiers_stockes(racine: Path):
    return {str(f.relative_to(racine)): f.read_bytes() for f in sorted(racine.rglob("*")) if f.is_file()}


def ajouter_des_valeurs_limites():
    """Rows at the edges of what the columns hold, binaries, texts no encoding mangles, natural-key references."""
    rapport = Rapport.objects.select_related("exercice").first()
    agent = User.objects.get(email="agent.haut-rhin@demo.calpae.fr")
    budget = Budget.objects.filter(fiche__exercice=rapport.exercice).first()
    Part.objects.create(budget=budget, financeur="etat", montant=Decimal("999999999999.99"), libelle="Maximum")
    Part.objects.create(budget=budget, financeur="autre", montant=Decimal("0.01"), texte="1 centime\u202f€ ☃ \u0007")
    LigneBudget.objects.create(
        budget=budget, libelle="« Ligne » " * 2000, quantite=Decimal("9999999999.99"), cout_unitaire=Decimal("0.01")
    )
    valeur = ValeurIndicateur.objects.filter(indicateur__tableau__fiches__exercice=rapport.exercice).first()
    valeur.texte = "1111111111111"  # 13 digits: kept as text (indicateurs.parsing), the number left empty
    valeur.save()
    autre = ValeurIndicateur.objects.exclude(pk=valeur.pk).filter(nombre__isnull=False).first()
    autre.texte = "999 999 999 999,9999"  # the largest number the column holds
    autre.save()
    assert (valeur.nombre, autre.nombre) == (None, Decimal("999999999999.9999"))
    version = VersionTransmise.objects.create(
        rapport=rapport,
        numero=99,
        transmise_par=agent,
        avant_date_limite=True,
        pdf=ContentFile(OCTETS, name="v99.pdf"),
        classeur=ContentFile(OCTETS[::-1], name="v99.xlsx"),
    )
    PdfPrepare.objects.create(
        exercice=rapport.exercice, empreinte="e" * 64, html="<p>é</p>", pdf=ContentFile(OCTETS[:77], name="p.pdf")
    )
    # References to content types and permissions, written by natural key.
    groupe = Group.objects.create(name="Relecteurs")
    groupe.permissions.set(Permission.objects.filter(codename__in=["view_fiche", "change_part"]))
    agent.user_permissions.add(Permission.objects.get(codename="view_rapport"))
    agent.groups.add(groupe)
    LogEntry.objects.log_actions(agent.pk, [version], ADDITION, change_message="Créée pour la sauvegarde")
    if connection.vendor == "sqlite":
        # A number saved before numbers were bounded: SQLite kept what no longer fits numeric(16, 4) (the ORM cannot
        # read it back: decimal.InvalidOperation). PostgreSQL never stored such a value.
        with connection.cursor() as curseur:
            for modele in (ValeurIndicateur, ValeurIndicateur.history.model):
                table = modele._meta.db_table
                curseur.execute(f"UPDATE {table} SET nombre = 1111111111111 WHERE id = %s", [valeur.pk])


def references_naturelles():
    agent = User.objects.get(email="agent.haut-rhin@demo.calpae.fr")
    return (
        sorted(agent.user_permissions.values_list("content_type__app_label", "codename")),
        sorted(Group.objects.get(name="Relecteurs").permissions.values_list("content_type__model", "codename")),
        list(LogEntry.objects.values_list("content_type__app_label", "content_type__model", "object_repr")),
    )


@pytest.fixture
def cache_des_types_de_contenu():
    """The test recreates content types under other ids, then rolls back: the process-wide cache of
    ContentType.objects would keep ids that no longer exist for the tests that follow."""
    yield
    ContentType.objects.clear_cache()


def refaire_les_types_de_contenu_dans_un_autre_ordre():
    """As a database migrated elsewhere: content types and permissions recreated, under other ids."""
    ContentType.objects.all().delete()
    for app_config in reversed(list(apps.get_app_configs())):
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)


def executer(commande, *arguments, **options):
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command(commande, *map(str, arguments), stdout=sortie, stderr=erreurs, **options)
    return sortie.getvalue(), erreurs.getvalue()


@pytest.mark.django_db  # in the test's transaction (the commands' own become savepoints): the seeds come back after
def test_a_backup_restored_in_a_wiped_database_gives_back_every_row_amount_and_file(
    settings, tmp_path, cache_des_types_de_contenu
):
    settings.MEDIA_ROOT = media = tmp_path / "media"
    default_storage.save("versions/rapport-67-2019-v1.pdf", ContentFile(OCTETS))
    default_storage.save("imports/été 2024/classeur « final ».xlsx", ContentFile(OCTETS[100:]))
    ajouter_des_valeurs_limites()
    lignes, valeurs, fichiers = lignes_par_table(), valeurs_stockees(), fichiers_stockes(media)
    references = references_naturelles()
    assert lignes["actions.Fiche"] > 50 and lignes["indicateurs.HistoricalValeurIndicateur"] > 270
    # Two loose files, the version's PDF and workbook, the prepared PDF.
    assert len(fichiers) == 5 and len({k for k in valeurs if k[0] == "budgets.Part"}) > 150

    archive = tmp_path / "sauvegarde.zip"
    sortie, avertissements = executer("sauvegarder", archive)
    assert "Sauvegarde écrite" in sortie
    if connection.vendor == "sqlite":  # the value too large for its column is kept, and said
        assert "1111111111111 ne tient pas dans sa colonne" in avertissements

    connection.check_constraints()  # PostgreSQL truncates no table with foreign-key checks pending in the transaction
    call_command("flush", interactive=False, verbosity=0)  # every table emptied, as a newly migrated database
    refaire_les_types_de_contenu_dans_un_autre_ordre()
    for fichier in fichiers:
        default_storage.delete(fichier)
    assert User.objects.count() == 0 and fichiers_stockes(media) == {}

    sortie, _ = executer("restaurer", archive)
    assert "Sauvegarde restaurée" in sortie
    assert lignes_par_table() == lignes
    assert valeurs_stockees() == valeurs
    assert fichiers_stockes(media) == fichiers
    assert references_naturelles() == references
    # The sequences start above the restored ids (PostgreSQL; SQLite follows the largest id by itself).
    nouvelle = Part.objects.create(budget=Budget.objects.first(), financeur="etat", montant=Decimal("1.00"))
    assert nouvelle.pk > max(pk for label, pk, _ in valeurs if label == "budgets.Part")


@pytest.fixture
def sauvegarde(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "sauvegarde.zip"
    executer("sauvegarder", archive)
    return archive


def reecrire(archive: Path, **remplacements) -> Path:
    """A copy of the archive with some entries replaced (its checksums then match the new content)."""
    copie = archive.with_name("modifiee.zip")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(copie, "w") as cible:
        for entree in source.namelist():
            cible.writestr(entree, remplacements.get(entree, source.read(entree)))
    return copie


def refuse(archive, *options) -> str:
    lignes = lignes_par_table()
    with pytest.raises(CommandError) as refus:
        executer("restaurer", archive, *options)
    assert lignes_par_table() == lignes, "a refused restore changed the database"
    return str(refus.value)


@pytest.mark.django_db
class TestRefus:
    def test_a_backup_of_another_schema_version_is_refused_even_with_remplacer(self, sauvegarde):
        with zipfile.ZipFile(sauvegarde) as archive:
            manifeste = json.loads(archive.read("manifeste.json"))
        manifeste["migrations"].remove(["rapports", "0001_initial"])
        manifeste["migrations"].append(["rapports", "9999_version_future"])
        message = refuse(reecrire(sauvegarde, **{"manifeste.json": json.dumps(manifeste)}), "--remplacer")
        assert "autre version du schéma" in message
        assert "sauvegarde seulement : rapports.9999_version_future" in message
        assert "base seulement : rapports.0001_initial" in message

    def test_a_database_that_holds_data_is_refused_without_remplacer(self, sauvegarde):
        message = refuse(sauvegarde)
        assert "La base n'est pas vide" in message and "--remplacer" in message

    def test_files_that_are_not_backups_are_refused(self, tmp_path):
        texte = tmp_path / "notes.zip"
        texte.write_text("bonjour")
        assert "n'est pas une sauvegarde CALPAE (ce n'est pas une archive zip)" in refuse(texte)
        autre_zip = tmp_path / "classeur.xlsx"
        with zipfile.ZipFile(autre_zip, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
        assert "n'est pas une sauvegarde CALPAE : manifeste absent" in refuse(autre_zip)
        assert "n'existe pas" in refuse(tmp_path / "absente.zip")

    def test_a_damaged_backup_is_refused(self, sauvegarde):
        contenu = bytearray(sauvegarde.read_bytes())
        debut = contenu.index(b"donnees.json") + 200  # inside the compressed rows
        contenu[debut : debut + 50] = bytes(50)
        sauvegarde.write_bytes(contenu)
        assert "endommagée" in refuse(sauvegarde, "--remplacer")

    def test_a_restore_failing_half_way_leaves_the_database_as_it_was(self, sauvegarde):
        """Rows of the backup that cannot go in (here two fiches with one public id): nothing is emptied."""
        with zipfile.ZipFile(sauvegarde) as archive:
            rangees = json.loads(archive.read("donnees.json"))
        fiches = [r for r in rangees if r["model"] == "actions.fiche"]
        fiches[1]["fields"]["public_id"] = fiches[0]["fields"]["public_id"]
        message = refuse(reecrire(sauvegarde, **{"donnees.json": json.dumps(rangees)}), "--remplacer")
        assert "La restauration a échoué à la ligne actions.Fiche" in message
        assert "restée telle qu'elle était" in message
        assert Fiche.objects.filter(public_id=fiches[1]["fields"]["public_id"]).exists()


def test_the_command_exits_non_zero_with_the_french_message(tmp_path, capsys):
    """As `manage.py restaurer` runs it (no database needed to refuse a file that is not a backup)."""
    faux = tmp_path / "sauvegarde.zip"
    faux.write_bytes(b"%PDF-1.7")
    with pytest.raises(SystemExit) as sortie:
        ManagementUtility(["manage.py", "restaurer", str(faux)]).execute()
    assert sortie.value.code == 1
    assert "CommandError: « sauvegarde.zip » n'est pas une sauvegarde CALPAE" in capsys.readouterr().err
